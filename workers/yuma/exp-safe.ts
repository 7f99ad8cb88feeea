import {
  I32F32_MAX,
  I32F32_ONE,
  i32f32CheckedAdd,
  i32f32CheckedDiv,
  i32f32CheckedMul,
  i32f32FromInt,
  type I32F32,
} from "./fixed-point.ts";

export type ExpSafeParameters = {
  /** The exponent, I32F32 bits. */
  readonly xI32F32: I32F32;
};

/** e^x as computed by subtensor, I32F32 bits. */
export type ExpSafeReturnType = I32F32;

/**
 * e as substrate-fixed's `transcendental::E`, an I9F23 constant (`consts::E >> 103`, i.e.
 * floor(e·2^23) = 22802600), widened to I32F32. `exp(1)` returns exactly this.
 */
const E_I32F32: I32F32 = 22802600n << 9n;

const EXP_SAFE_MIN: I32F32 = i32f32FromInt(-20);
const EXP_SAFE_MAX: I32F32 = i32f32FromInt(20);

/**
 * substrate-fixed v0.6.0 `transcendental::exp::<I32F32, I32F32>`: 1 + x + Σ_{i=2}^{31} x^i/i!, with
 * each term built as `term = (term·x)/i` in I32F32 (floor on multiply, truncation on divide), over
 * |x|, then `1/result` for negative x. `null` where substrate-fixed returns `Err` (an overflow).
 * Because the series stops at i = 31, exp(20) is ≈4.812e8 rather than 4.852e8.
 */
function fixedExp(x: I32F32): I32F32 | null {
  if (x === 0n) return I32F32_ONE;
  if (x === I32F32_ONE) return E_I32F32;
  const neg = x < 0n;
  const operand = neg ? -x : x;
  if (operand > I32F32_MAX) return null; // checked_neg of the minimum
  let result = i32f32CheckedAdd(operand, I32F32_ONE);
  if (result === null) return null;
  let term = operand;
  for (let i = 2; i < 32; i++) {
    const product = i32f32CheckedMul(term, operand);
    if (product === null) return null;
    const quotient = i32f32CheckedDiv(product, i32f32FromInt(i));
    if (quotient === null) return null;
    term = quotient;
    result = i32f32CheckedAdd(result, term);
    if (result === null) return null;
  }
  if (neg) return i32f32CheckedDiv(I32F32_ONE, result);
  return result;
}

/**
 * subtensor's `exp_safe` (math.rs): clamp x to [−20, 20], then substrate-fixed's `exp`; on an
 * `Err` it returns 0 for x ≤ 0 and the I32F32 maximum otherwise (neither happens within the clamp).
 */
export function expSafe(params: ExpSafeParameters): ExpSafeReturnType {
  let x = params.xI32F32;
  if (x < EXP_SAFE_MIN) x = EXP_SAFE_MIN;
  else if (x > EXP_SAFE_MAX) x = EXP_SAFE_MAX;
  const out = fixedExp(x);
  if (out !== null) return out;
  return x <= 0n ? 0n : I32F32_MAX;
}
