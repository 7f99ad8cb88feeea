/**
 * Fixed-point arithmetic with the exact semantics of `substrate-fixed` v0.6.0 (the crate subtensor's
 * epoch uses), carried as raw two's-complement bits in a `bigint`.
 *
 * Formats (YUMA.md §1):
 * - `I32F32`: i64 bits, 32 fractional bits. Almost every epoch value.
 * - `I64F64`: i128 bits, 64 fractional bits. Stake normalisation, `bonds_moving_average / 1e6`.
 * - `I96F32`: i128 bits, 32 fractional bits. `fraction × rao_emission`.
 *
 * Rounding rules (substrate-fixed `arith.rs`, `macros_frac.rs`, `macros_round.rs`):
 * - multiply: `(a·b) >> frac`, an arithmetic shift, so the result is floored (toward −∞);
 * - divide: `(a << frac) / b` with truncation toward zero (bigint `/` truncates the same way);
 * - `checked*` returns `null` on overflow (and on division by zero); `saturating*` clamps, choosing
 *   the bound by the operands' signs exactly as substrate-fixed does;
 * - `safeDiv` (subtensor `primitives/safe-math`) is `checked_div().unwrap_or_default()`: **0** on
 *   division by zero and on overflow;
 * - fixed → integer and fixed → narrower fixed drop the extra fractional bits (floor);
 * - `round` rounds half away from zero.
 *
 * House style keeps one exported function per file. This module is the exception on purpose: it is
 * the arithmetic layer (the counterpart of substrate-fixed's `arith.rs`), made of some thirty
 * one-line primitives over three formats that are only useful together; one file each would scatter
 * the rounding rules that must be read side by side.
 */

/** Raw bits of an I32F32 value (i64, 32 fractional bits). */
export type I32F32 = bigint;
/** Raw bits of an I64F64 value (i128, 64 fractional bits). */
export type I64F64 = bigint;
/** Raw bits of an I96F32 value (i128, 32 fractional bits). */
export type I96F32 = bigint;

type Format = { readonly frac: bigint; readonly min: bigint; readonly max: bigint };

const I32F32_FORMAT: Format = { frac: 32n, min: -(1n << 63n), max: (1n << 63n) - 1n };
const I64F64_FORMAT: Format = { frac: 64n, min: -(1n << 127n), max: (1n << 127n) - 1n };
const I96F32_FORMAT: Format = { frac: 32n, min: -(1n << 127n), max: (1n << 127n) - 1n };

/** 1.0 as I32F32 bits. */
export const I32F32_ONE: I32F32 = 1n << 32n;
/** 0.5 as I32F32 bits. */
export const I32F32_HALF: I32F32 = 1n << 31n;
/** Largest I32F32 (bits 2^63 − 1). */
export const I32F32_MAX: I32F32 = I32F32_FORMAT.max;
/** Smallest I32F32 (bits −2^63). */
export const I32F32_MIN: I32F32 = I32F32_FORMAT.min;
/** 1.0 as I64F64 bits. */
export const I64F64_ONE: I64F64 = 1n << 64n;
/** u16::MAX, the denominator of every u16 proportion. */
export const U16_MAX = 65535;
/** u64::MAX. */
export const U64_MAX = (1n << 64n) - 1n;

// ---- format-generic helpers (not exported: callers name the format) ----

function inRange(f: Format, bits: bigint): boolean {
  return bits >= f.min && bits <= f.max;
}

function clampBits(f: Format, bits: bigint): bigint {
  return bits < f.min ? f.min : bits > f.max ? f.max : bits;
}

function checkedMul(f: Format, a: bigint, b: bigint): bigint | null {
  // `mul_div_widen` / `mul_div_fallback`: the full product shifted right arithmetically (floor).
  const r = (a * b) >> f.frac;
  return inRange(f, r) ? r : null;
}

function saturatingMul(f: Format, a: bigint, b: bigint): bigint {
  const r = checkedMul(f, a, b);
  if (r !== null) return r;
  return a < 0n !== b < 0n ? f.min : f.max;
}

function checkedDiv(f: Format, a: bigint, b: bigint): bigint | null {
  if (b === 0n) return null;
  // `div_overflow`: (a << frac) / b with Rust integer division, which truncates toward zero.
  const q = (a << f.frac) / b;
  return inRange(f, q) ? q : null;
}

function saturatingDiv(f: Format, a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("division by zero"); // substrate-fixed panics here too
  const q = checkedDiv(f, a, b);
  if (q !== null) return q;
  return a < 0n !== b < 0n ? f.min : f.max;
}

function fromInt(f: Format, n: bigint): bigint {
  return clampBits(f, n << f.frac);
}

// ---- I32F32 ----

/** `I32F32::saturating_from_num(n)` for an integer `n`. */
export function i32f32FromInt(n: bigint | number): I32F32 {
  return fromInt(I32F32_FORMAT, BigInt(n));
}

/** `a.checked_mul(b)`: floored product, `null` on overflow. */
export function i32f32CheckedMul(a: I32F32, b: I32F32): I32F32 | null {
  return checkedMul(I32F32_FORMAT, a, b);
}

/** `a.saturating_mul(b)`: floored product, clamped on overflow. */
export function i32f32SaturatingMul(a: I32F32, b: I32F32): I32F32 {
  return saturatingMul(I32F32_FORMAT, a, b);
}

/** `a.checked_div(b)`: truncated quotient, `null` on division by zero or overflow. */
export function i32f32CheckedDiv(a: I32F32, b: I32F32): I32F32 | null {
  return checkedDiv(I32F32_FORMAT, a, b);
}

/** `a.safe_div(b)`: truncated quotient, 0 on division by zero or overflow. */
export function i32f32SafeDiv(a: I32F32, b: I32F32): I32F32 {
  return checkedDiv(I32F32_FORMAT, a, b) ?? 0n;
}

/** `a.saturating_div(b)`: truncated quotient, clamped on overflow; throws on division by zero. */
export function i32f32SaturatingDiv(a: I32F32, b: I32F32): I32F32 {
  return saturatingDiv(I32F32_FORMAT, a, b);
}

/** `a.checked_add(b)`. */
export function i32f32CheckedAdd(a: I32F32, b: I32F32): I32F32 | null {
  const r = a + b;
  return inRange(I32F32_FORMAT, r) ? r : null;
}

/** `a.saturating_add(b)`. */
export function i32f32SaturatingAdd(a: I32F32, b: I32F32): I32F32 {
  return clampBits(I32F32_FORMAT, a + b);
}

/** `a.saturating_sub(b)`. */
export function i32f32SaturatingSub(a: I32F32, b: I32F32): I32F32 {
  return clampBits(I32F32_FORMAT, a - b);
}

/**
 * Plain `a + b` as Rust's `Iterator::sum` does it: subtensor sums with the non-saturating `Add`
 * (which panics in debug builds and wraps in release builds). Inputs that would overflow are
 * outside what subtensor handles, so this throws instead of guessing.
 */
export function i32f32Add(a: I32F32, b: I32F32): I32F32 {
  const r = a + b;
  if (!inRange(I32F32_FORMAT, r)) throw new RangeError(`I32F32 sum overflow: ${a} + ${b}`);
  return r;
}

/** `x.round()`: nearest integer, ties away from zero (`overflowing_round`), as I32F32 bits. */
export function i32f32Round(x: I32F32): I32F32 {
  const mask = I32F32_ONE - 1n;
  const intPart = x & ~mask; // floor toward −∞
  const fracPart = x & mask;
  if ((fracPart & I32F32_HALF) === 0n) return intPart;
  if (fracPart === I32F32_HALF && x < 0n) return intPart; // a negative tie: floor is away from zero
  return clampBits(I32F32_FORMAT, intPart + I32F32_ONE);
}

/** `x.saturating_to_num::<u16>()`: floor, clamped to [0, 65535]. */
export function i32f32SaturatingToU16(x: I32F32): number {
  const v = x >> 32n;
  return v < 0n ? 0 : v > 65535n ? 65535 : Number(v);
}

/** `x.saturating_to_num::<u64>()`: floor, clamped to [0, u64::MAX]. */
export function i32f32SaturatingToU64(x: I32F32): bigint {
  const v = x >> 32n;
  return v < 0n ? 0n : v > U64_MAX ? U64_MAX : v;
}

/** `u16_to_fixed(u)`: the integer u as I32F32 (not divided by 65535). */
export function u16ToFixed(u: number): I32F32 {
  return BigInt(u) << 32n;
}

/** `u16_proportion_to_fixed(u)` = `I32F32(u).safe_div(I32F32(65535))` = trunc(u·2^32 / 65535). */
export function u16ProportionToFixed(u: number): I32F32 {
  return i32f32SafeDiv(u16ToFixed(u), u16ToFixed(U16_MAX));
}

/**
 * `fixed_proportion_to_u16(x)` = `x.saturating_mul(65535).saturating_to_num::<u16>()`
 * = floor(x_bits·65535 / 2^32), clamped to [0, 65535].
 */
export function fixedProportionToU16(x: I32F32): number {
  return i32f32SaturatingToU16(i32f32SaturatingMul(x, u16ToFixed(U16_MAX)));
}

// ---- I64F64 ----

/** `I64F64::saturating_from_num(n)` for an integer `n`. */
export function i64f64FromInt(n: bigint | number): I64F64 {
  return fromInt(I64F64_FORMAT, BigInt(n));
}

/** `I64F64::saturating_from_num(x)` for an I32F32 `x` (exact: 32 more fractional bits). */
export function i64f64FromI32F32(x: I32F32): I64F64 {
  return x << 32n;
}

/** `a.safe_div(b)` in I64F64: truncated quotient, 0 on division by zero or overflow. */
export function i64f64SafeDiv(a: I64F64, b: I64F64): I64F64 {
  return checkedDiv(I64F64_FORMAT, a, b) ?? 0n;
}

/** Plain I64F64 `a + b` (Rust `Iterator::sum`); throws where subtensor would overflow. */
export function i64f64Add(a: I64F64, b: I64F64): I64F64 {
  const r = a + b;
  if (!inRange(I64F64_FORMAT, r)) throw new RangeError(`I64F64 sum overflow: ${a} + ${b}`);
  return r;
}

/** `x.saturating_to_num::<u64>()` for I64F64: floor, clamped to [0, u64::MAX]. */
export function i64f64SaturatingToU64(x: I64F64): bigint {
  const v = x >> 64n;
  return v < 0n ? 0n : v > U64_MAX ? U64_MAX : v;
}

/** `I32F32::saturating_from_num(x)` for an I64F64 `x`: drops 32 fractional bits (floor), clamps. */
export function i64f64ToI32F32(x: I64F64): I32F32 {
  return clampBits(I32F32_FORMAT, x >> 32n);
}

// ---- I96F32 ----

/** `I96F32::saturating_from_num(x)` for an I32F32 `x` (same fractional bits, wider integer part). */
export function i96f32FromI32F32(x: I32F32): I96F32 {
  return x;
}

/** `I96F32::saturating_from_num(n)` for an integer `n` (a u64 always fits). */
export function i96f32FromInt(n: bigint): I96F32 {
  return fromInt(I96F32_FORMAT, n);
}

/** `a.saturating_mul(b)` in I96F32. */
export function i96f32SaturatingMul(a: I96F32, b: I96F32): I96F32 {
  return saturatingMul(I96F32_FORMAT, a, b);
}

/** `x.saturating_to_num::<u64>()` for I96F32: floor, clamped to [0, u64::MAX]. */
export function i96f32SaturatingToU64(x: I96F32): bigint {
  const v = x >> 32n;
  return v < 0n ? 0n : v > U64_MAX ? U64_MAX : v;
}

// ---- conversions for display and tests ----

/** The real value of I32F32 bits as a JS number (for display and tolerance checks only). */
export function i32f32ToNumber(x: I32F32): number {
  return Number(x) / 2 ** 32;
}

/**
 * `I32F32::from_num(f)` for an f32 `f` (what subtensor's `fixed(f32)` test helper does): the f32
 * value, rounded to the nearest I32F32, ties to even (`float_helper.rs`). Used by ported tests.
 */
export function i32f32FromF32(f: number): I32F32 {
  const scaled = Math.fround(f) * 2 ** 32; // exact: an f32 times a power of two fits a double
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let bits = BigInt(floor);
  if (diff > 0.5 || (diff === 0.5 && (bits & 1n) === 1n)) bits += 1n;
  return clampBits(I32F32_FORMAT, bits);
}
