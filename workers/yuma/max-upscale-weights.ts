import {
  i32f32Round,
  i32f32SafeDiv,
  i32f32SaturatingMul,
  i32f32SaturatingToU16,
  u16ToFixed,
  U16_MAX,
} from "./fixed-point.ts";

export type MaxUpscaleWeightsParameters = {
  /** Submitted weight values, u16 each, in submission order. */
  readonly valuesU16: readonly number[];
};

/** The values as `set_weights` stores them, u16 each, same order. */
export type MaxUpscaleWeightsReturnType = number[];

/**
 * subtensor's `vec_u16_max_upscale_to_u16` (YUMA.md §4 point 12), applied by `set_weights` before
 * storing a row: the maximum becomes 65535 and every value is scaled by the same factor, in I32F32:
 * - max = 0: every value stays 0;
 * - max > 32768: `round(v · (65535 / max))`;
 * - otherwise: `round((v · 65535) / max)`;
 * with the floored multiply, truncating divide and half-away-from-zero `round` of substrate-fixed.
 * For example [43690, 21845] is stored as [65535, 32768].
 */
export function maxUpscaleWeights(params: MaxUpscaleWeightsParameters): MaxUpscaleWeightsReturnType {
  const values = params.valuesU16.map((v) => {
    if (!Number.isInteger(v) || v < 0 || v > U16_MAX) throw new RangeError(`not a u16 weight: ${v}`);
    return u16ToFixed(v);
  });
  if (values.length === 0) return [];
  const u16Max = u16ToFixed(U16_MAX);
  const threshold = u16ToFixed(32768);
  const maxValue = values.reduce((a, b) => (b > a ? b : a));
  if (maxValue === 0n) return values.map((e) => i32f32SaturatingToU16(i32f32SaturatingMul(e, u16Max)));
  if (maxValue > threshold) {
    const ratio = i32f32SafeDiv(u16Max, maxValue);
    return values.map((e) => i32f32SaturatingToU16(i32f32Round(i32f32SaturatingMul(e, ratio))));
  }
  return values.map((e) => i32f32SaturatingToU16(i32f32Round(i32f32SafeDiv(i32f32SaturatingMul(e, u16Max), maxValue))));
}
