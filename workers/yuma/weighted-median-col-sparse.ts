import { i32f32SaturatingSub, type I32F32 } from "./fixed-point.ts";
import type { SparseMatrixI32F32 } from "./sparse-matrix.ts";
import { normalizeI32F32, sumI32F32 } from "./vector-math.ts";
import { weightedMedian } from "./weighted-median.ts";

export type WeightedMedianColSparseParameters = {
  /** Active stake per uid, I32F32 bits. Only rows with stake > 0 take part. */
  readonly stakeI32F32: readonly I32F32[];
  /** Row-normalised weights, one sparse row per uid. */
  readonly weights: SparseMatrixI32F32;
  /** Number of columns (n). */
  readonly columns: number;
  /** kappa, the majority, I32F32 bits (`Kappa / 65535`). */
  readonly majorityI32F32: I32F32;
};

/** Consensus per column, I32F32 bits. */
export type WeightedMedianColSparseReturnType = I32F32[];

/**
 * subtensor's `weighted_median_col_sparse`: the stake-weighted median of every column.
 *
 * Rows with stake ≤ 0 are dropped and the remaining stakes re-normalised to `s` (sum Σ ≈ 1);
 * `minority = Σ − kappa` (saturating). A row without an entry in a column scores 0 there. Each
 * column's median is `weightedMedian(s, column scores, all rows, minority, 0, Σ)`.
 */
export function weightedMedianColSparse(params: WeightedMedianColSparseParameters): WeightedMedianColSparseReturnType {
  const { stakeI32F32: stake, weights, columns } = params;
  const useStake = normalizeI32F32(stake.filter((s) => s > 0n));
  const stakeSum = sumI32F32(useStake);
  const minority = i32f32SaturatingSub(stakeSum, params.majorityI32F32);
  const stakeIdx = [...useStake.keys()];

  const useScore: I32F32[][] = Array.from({ length: columns }, () => new Array<I32F32>(useStake.length).fill(0n));
  let k = 0;
  for (let i = 0; i < stake.length && i < weights.length; i++) {
    if (stake[i]! > 0n) {
      for (const [c, v] of weights[i]!) {
        if (c < columns) useScore[c]![k] = v;
      }
      k++;
    }
  }

  return useScore.map((colScores) =>
    weightedMedian({
      stakeI32F32: useStake,
      scoreI32F32: colScores,
      partitionIdx: stakeIdx,
      minorityI32F32: minority,
      partitionLoI32F32: 0n,
      partitionHiI32F32: stakeSum,
    }),
  );
}
