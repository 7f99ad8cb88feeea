import { expSafe } from "./exp-safe.ts";
import {
  I32F32_HALF,
  I32F32_ONE,
  i32f32FromInt,
  i32f32SaturatingAdd,
  i32f32SaturatingDiv,
  i32f32SaturatingMul,
  i32f32SaturatingSub,
  type I32F32,
} from "./fixed-point.ts";

export type AlphaSigmoidParameters = {
  /** Consensus C_j of the column, I32F32 bits. */
  readonly consensusI32F32: I32F32;
  /** The validator's (penalised) weight W̃_ij, I32F32 bits. */
  readonly weightI32F32: I32F32;
  /** The validator's previous bond B_ij (u16/65535), I32F32 bits. */
  readonly bondI32F32: I32F32;
  /** AlphaValues low (u16/65535), I32F32 bits. */
  readonly alphaLowI32F32: I32F32;
  /** AlphaValues high (u16/65535), I32F32 bits. */
  readonly alphaHighI32F32: I32F32;
  /** AlphaSigmoidSteepness (an i16, as an integer I32F32), I32F32 bits. */
  readonly steepnessI32F32: I32F32;
};

/** The cell's EMA coefficient α, I32F32 bits, within [low, high]. */
export type AlphaSigmoidReturnType = I32F32;

/** `clamp_value(v, low, high)` = `v.min(high).max(low)`. */
function clampValue(v: I32F32, low: I32F32, high: I32F32): I32F32 {
  const capped = v < high ? v : high;
  return capped > low ? capped : low;
}

/**
 * subtensor's `alpha_sigmoid` (run_epoch.rs), the liquid-alpha coefficient of one (validator, miner)
 * cell:
 *   d = W ≥ B ? clamp(W − C, 0, 1) : clamp(B − W, 0, 1)    (buying vs selling)
 *   σ = 1 / (1 + exp_safe((steepness / −100) · (d − 0.5)))
 *   α = clamp(low + σ·(high − low), low, high)
 * every step in saturating I32F32 arithmetic (floored multiply, truncated divide).
 */
export function alphaSigmoid(params: AlphaSigmoidParameters): AlphaSigmoidReturnType {
  const { consensusI32F32: c, weightI32F32: w, bondI32F32: b, alphaLowI32F32: low, alphaHighI32F32: high } = params;
  const diffBuy = clampValue(i32f32SaturatingSub(w, c), 0n, I32F32_ONE);
  const diffSell = clampValue(i32f32SaturatingSub(b, w), 0n, I32F32_ONE);
  const combinedDiff = w >= b ? diffBuy : diffSell;
  const slope = i32f32SaturatingDiv(params.steepnessI32F32, i32f32FromInt(-100));
  const exponent = i32f32SaturatingMul(slope, i32f32SaturatingSub(combinedDiff, I32F32_HALF));
  const sigmoid = i32f32SaturatingDiv(I32F32_ONE, i32f32SaturatingAdd(I32F32_ONE, expSafe({ xI32F32: exponent })));
  const alpha = i32f32SaturatingAdd(low, i32f32SaturatingMul(sigmoid, i32f32SaturatingSub(high, low)));
  return clampValue(alpha, low, high);
}
