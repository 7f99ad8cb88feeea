import { alphaSigmoid } from "./alpha-sigmoid.ts";
import type { I32F32 } from "./fixed-point.ts";
import type { SparseMatrixI32F32, SparseRowI32F32 } from "./sparse-matrix.ts";

export type ComputeLiquidAlphaValuesParameters = {
  /** W̃, the weights used for bonds (penalised), one sparse row per uid. */
  readonly weights: SparseMatrixI32F32;
  /** B, the previous bonds as u16/65535 proportions (masked), one sparse row per uid. */
  readonly bonds: SparseMatrixI32F32;
  /** Consensus per column, I32F32 bits; its length is the number of columns of the result. */
  readonly consensusI32F32: readonly I32F32[];
  /** AlphaValues low (u16/65535), I32F32 bits. */
  readonly alphaLowI32F32: I32F32;
  /** AlphaValues high (u16/65535), I32F32 bits. */
  readonly alphaHighI32F32: I32F32;
  /** AlphaSigmoidSteepness as an integer I32F32, bits. */
  readonly steepnessI32F32: I32F32;
};

/** Dense α matrix, rows × consensus.length, I32F32 bits. */
export type ComputeLiquidAlphaValuesReturnType = I32F32[][];

/**
 * Reads row entries column by column the way subtensor's peekable walk does: entries with a column
 * below j are skipped for good, so a row that is not sorted by column hides the entries that come
 * after a larger column (those cells read as 0). Rows built by subtensor itself are sorted except
 * stored weight rows, which keep the submitted uid order (YUMA.md §2.12).
 */
function makeColumnReader(row: SparseRowI32F32): (j: number) => I32F32 {
  let pos = 0;
  return (j: number): I32F32 => {
    while (pos < row.length) {
      const [col, val] = row[pos]!;
      if (col < j) {
        pos++;
      } else {
        return col === j ? val : 0n;
      }
    }
    return 0n;
  };
}

/**
 * subtensor's `compute_liquid_alpha_values_sparse`: for every row and every column j < C.length,
 * α_ij = alpha_sigmoid(C_j, W̃_ij, B_ij, low, high, steepness), with missing cells read as 0.
 * Returns an empty matrix when the two matrices have different row counts, as subtensor does.
 */
export function computeLiquidAlphaValues(
  params: ComputeLiquidAlphaValuesParameters,
): ComputeLiquidAlphaValuesReturnType {
  const { weights, bonds, consensusI32F32: consensus } = params;
  if (weights.length !== bonds.length) return [];
  return weights.map((wRow, i) => {
    const readWeight = makeColumnReader(wRow);
    const readBond = makeColumnReader(bonds[i]!);
    return consensus.map((c, j) =>
      alphaSigmoid({
        consensusI32F32: c,
        weightI32F32: readWeight(j),
        bondI32F32: readBond(j),
        alphaLowI32F32: params.alphaLowI32F32,
        alphaHighI32F32: params.alphaHighI32F32,
        steepnessI32F32: params.steepnessI32F32,
      }),
    );
  });
}
