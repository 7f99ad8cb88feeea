import {
  I32F32_ONE,
  i32f32SaturatingSub,
  type I32F32,
  i64f64FromInt,
  i64f64SafeDiv,
  i64f64ToI32F32,
} from "./fixed-point.ts";

export type ComputeDisabledLiquidAlphaParameters = {
  /** BondsMovingAverage, per million. */
  readonly bondsMovingAverage: number;
};

/** The bonds EMA coefficient α, I32F32 bits. */
export type ComputeDisabledLiquidAlphaReturnType = I32F32;

/**
 * The single bonds EMA coefficient used when liquid alpha does not apply (always in original Yuma):
 * `α = 1 − I32F32(I64F64(bma) / I64F64(1e6))`, the I64F64 quotient floored to I32F32. subtensor has
 * it twice, `compute_disabled_liquid_alpha` (Yuma3) and `compute_ema_bonds_normal_sparse` (original
 * Yuma); they use `saturating_div` and `safe_div` respectively, which agree for this non-zero
 * divisor. bma = 900000 gives bits 429496730 (0.1000000001), bma = 975000 gives 0.025000000.
 */
export function computeDisabledLiquidAlpha(
  params: ComputeDisabledLiquidAlphaParameters,
): ComputeDisabledLiquidAlphaReturnType {
  const ratioI64F64 = i64f64SafeDiv(i64f64FromInt(params.bondsMovingAverage), i64f64FromInt(1_000_000));
  return i32f32SaturatingSub(I32F32_ONE, i64f64ToI32F32(ratioI64F64));
}
