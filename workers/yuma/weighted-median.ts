import { i32f32SaturatingAdd, i32f32SaturatingSub, type I32F32 } from "./fixed-point.ts";

export type WeightedMedianParameters = {
  /** Stake of each row, I32F32 bits (normalised by the caller). */
  readonly stakeI32F32: readonly I32F32[];
  /** Score of each row, I32F32 bits. */
  readonly scoreI32F32: readonly I32F32[];
  /** The rows to consider (indices into stake/score). */
  readonly partitionIdx: readonly number[];
  /** Stake mass that may lie strictly above the median: Σ − kappa, I32F32 bits. */
  readonly minorityI32F32: I32F32;
  /** Lower edge of the partition on the stake axis, I32F32 bits (0 at the top call). */
  readonly partitionLoI32F32: I32F32;
  /** Upper edge of the partition on the stake axis, I32F32 bits (Σ at the top call). */
  readonly partitionHiI32F32: I32F32;
};

/** The median score, I32F32 bits. */
export type WeightedMedianReturnType = I32F32;

/**
 * subtensor's `weighted_median` (math.rs): a deterministic quickselect on stake mass.
 *
 * Each round takes the pivot `score[idx[len/2]]` and splits the partition into `lower` (score <
 * pivot) and `upper` (score > pivot); rows equal to the pivot go to neither side. Then:
 * - if `minority < lo + stake(lower)` and `lower` is non-empty, recurse into lower with
 *   `hi = lo + stake(lower)`;
 * - else if `hi − stake(upper) <= minority` and `upper` is non-empty, recurse into upper with
 *   `lo = hi − stake(upper)`;
 * - else the pivot is the median.
 * A partition of one row returns its score, an empty one 0. Sums saturate, as in subtensor, and
 * the loop gives up (returning 0) after `partitionIdx.length` rounds, which a valid input never needs.
 *
 * With normalised stake this returns max{ w : Σ_{i: score_i ≥ w} stake_i ≥ kappa } over the observed
 * scores (up to the rounding of the stake sums), which `weighted-median.test.ts` checks.
 */
export function weightedMedian(params: WeightedMedianParameters): WeightedMedianReturnType {
  const { stakeI32F32: stake, scoreI32F32: score, minorityI32F32: minority } = params;
  if (stake.length !== score.length) return 0n;
  let lo = params.partitionLoI32F32;
  let hi = params.partitionHiI32F32;
  let current = [...params.partitionIdx];
  const iterationLimit = params.partitionIdx.length;
  for (let iteration = 0; iteration <= iterationLimit; iteration++) {
    const n = current.length;
    if (n === 0) return 0n;
    if (n === 1) return score[current[0]!] ?? 0n;
    const pivot = score[current[Math.floor(n / 2)]!] ?? 0n;
    let loStake = 0n;
    let hiStake = 0n;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const idx of current) {
      const s = score[idx] ?? 0n;
      if (s === pivot) continue;
      if (s < pivot) {
        loStake = i32f32SaturatingAdd(loStake, stake[idx] ?? 0n);
        lower.push(idx);
      } else {
        hiStake = i32f32SaturatingAdd(hiStake, stake[idx] ?? 0n);
        upper.push(idx);
      }
    }
    if (minority < i32f32SaturatingAdd(lo, loStake) && lower.length > 0) {
      current = lower;
      hi = i32f32SaturatingAdd(lo, loStake);
    } else if (i32f32SaturatingSub(hi, hiStake) <= minority && upper.length > 0) {
      current = upper;
      lo = i32f32SaturatingSub(hi, hiStake);
    } else {
      return pivot;
    }
  }
  return 0n;
}
