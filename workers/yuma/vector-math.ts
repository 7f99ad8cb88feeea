/**
 * Vector primitives of subtensor's `epoch/math.rs`, over I32F32 bits, with the same edge cases
 * (sums skipped when zero, `safe_div`, masks that treat a missing entry as "mask out").
 *
 * Like `fixed-point.ts`, this is a small library module rather than one function per file: these
 * are the `math.rs` building blocks the epoch steps are written in, and each is a few lines.
 */
import {
  i32f32Add,
  i32f32CheckedMul,
  i32f32SafeDiv,
  type I32F32,
  type I64F64,
  i64f64Add,
  i64f64SafeDiv,
} from "./fixed-point.ts";

/** `sum(x)`: plain (non-saturating) sum, like Rust's `Iterator::sum`. */
export function sumI32F32(x: readonly I32F32[]): I32F32 {
  let s = 0n;
  for (const v of x) s = i32f32Add(s, v);
  return s;
}

/** `inplace_normalize`: divide by the sum (`safe_div`); unchanged if the sum is zero. Returns a copy. */
export function normalizeI32F32(x: readonly I32F32[]): I32F32[] {
  const s = sumI32F32(x);
  if (s === 0n) return [...x];
  return x.map((v) => i32f32SafeDiv(v, s));
}

/** `inplace_normalize_using_sum`: divide by a given sum; unchanged if it is zero. Returns a copy. */
export function normalizeUsingSumI32F32(x: readonly I32F32[], sum: I32F32): I32F32[] {
  if (sum === 0n) return [...x];
  return x.map((v) => i32f32SafeDiv(v, sum));
}

/** `inplace_normalize_64`: I64F64 normalisation, skipped when the sum is zero. Returns a copy. */
export function normalizeI64F64(x: readonly I64F64[]): I64F64[] {
  let s = 0n;
  for (const v of x) s = i64f64Add(s, v);
  if (s === 0n) return [...x];
  return x.map((v) => i64f64SafeDiv(v, s));
}

/**
 * `inplace_mask_vector(mask, vector)`: zero the entries where `mask[i]` is true. A mask shorter than
 * the vector masks the missing positions (`unwrap_or(&true)`); an empty mask masks nothing.
 */
export function maskVectorI32F32(mask: readonly boolean[], vector: readonly I32F32[]): I32F32[] {
  if (mask.length === 0) return [...vector];
  return vector.map((v, i) => ((mask[i] ?? true) ? 0n : v));
}

/** `vec_mul(a, b)`: element-wise `checked_mul`, 0 on overflow; length is the shorter one's. */
export function vecMulI32F32(a: readonly I32F32[], b: readonly I32F32[]): I32F32[] {
  const n = Math.min(a.length, b.length);
  const out: I32F32[] = [];
  for (let i = 0; i < n; i++) out.push(i32f32CheckedMul(a[i]!, b[i]!) ?? 0n);
  return out;
}

/**
 * `is_topk_nonzero(vector, k)`: true where the value is non-zero and among the k largest. Ties are
 * broken by a stable ascending sort of the indices, so among equal values the lower uids are the
 * first to lose their place. If there are fewer than k entries, only the non-zero test applies.
 */
export function isTopkNonzero(vector: readonly I32F32[], k: number): boolean[] {
  const n = vector.length;
  const result = vector.map((v) => v !== 0n);
  if (n < k) return result;
  const idxs = [...Array(n).keys()];
  idxs.sort((a, b) => (vector[a]! < vector[b]! ? -1 : vector[a]! > vector[b]! ? 1 : 0)); // stable
  for (const idx of idxs.slice(0, n - k)) result[idx] = false;
  return result;
}
