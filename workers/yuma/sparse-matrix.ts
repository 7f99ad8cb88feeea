/**
 * Sparse-matrix primitives of subtensor's `epoch/math.rs` (the `*_sparse` functions the production
 * `epoch_mechanism` uses), over I32F32 bits. A matrix is one row per uid; a row is a list of
 * `[column, value]` entries in the order subtensor keeps them (stored weights keep submission order;
 * functions that densify a row emit ascending columns). Order matters for bit-exactness only in
 * liquid alpha (see `compute-liquid-alpha-values.ts`), so every function here preserves it exactly.
 *
 * A library module rather than one function per file, for the reason given in `vector-math.ts`.
 */
import {
  I32F32_ONE,
  i32f32Add,
  i32f32SafeDiv,
  i32f32SaturatingAdd,
  i32f32SaturatingMul,
  i32f32SaturatingSub,
  type I32F32,
} from "./fixed-point.ts";

/** One sparse entry: `[column uid, value as I32F32 bits]`. */
export type SparseEntryI32F32 = readonly [col: number, value: I32F32];
/** One sparse row. */
export type SparseRowI32F32 = readonly SparseEntryI32F32[];
/** A sparse matrix: one row per uid. */
export type SparseMatrixI32F32 = readonly SparseRowI32F32[];

/** `mask_rows_sparse(mask, m)`: empty the rows where `mask[i]` is true (missing mask entries mask). */
export function maskRowsSparse(mask: readonly boolean[], m: SparseMatrixI32F32): SparseRowI32F32[] {
  return m.map((row, i) => ((mask[i] ?? true) ? [] : [...row]));
}

/**
 * `mask_diag_sparse` / `mask_diag_sparse_except_index`: drop each row's self-entry (i, i), except
 * the one of `exceptIndex` (the subnet owner keeps its self-weight) when given.
 */
export function maskDiagSparse(m: SparseMatrixI32F32, exceptIndex?: number | null): SparseRowI32F32[] {
  return m.map((row, i) => row.filter(([j]) => i !== j || (exceptIndex != null && i === exceptIndex)));
}

/**
 * `vec_mask_sparse_matrix(m, first, second, f)`: drop entry (i, j) when `f(first[i], second[j])`.
 * Missing vector entries read as 0, as in subtensor.
 */
export function vecMaskSparseMatrix(
  m: SparseMatrixI32F32,
  first: readonly bigint[],
  second: readonly bigint[],
  maskFn: (a: bigint, b: bigint) => boolean,
): SparseRowI32F32[] {
  return m.map((row, i) => {
    const fv = first[i] ?? 0n;
    return row.filter(([j]) => !maskFn(fv, second[j] ?? 0n));
  });
}

/**
 * `scalar_vec_mask_sparse_matrix(m, scalar, vector, f)`: drop entry (i, j) when
 * `f(scalar, vector[j])` (missing entries read as 0).
 */
export function scalarVecMaskSparseMatrix(
  m: SparseMatrixI32F32,
  scalar: bigint,
  vector: readonly bigint[],
  maskFn: (a: bigint, b: bigint) => boolean,
): SparseRowI32F32[] {
  return m.map((row) => row.filter(([j]) => !maskFn(scalar, vector[j] ?? 0n)));
}

/** `inplace_row_normalize_sparse`: rows whose (plain) sum is > 0 are divided by it (`safe_div`). */
export function rowNormalizeSparse(m: SparseMatrixI32F32): SparseRowI32F32[] {
  return m.map((row) => {
    let s = 0n;
    for (const [, v] of row) s = i32f32Add(s, v);
    if (s <= 0n) return [...row];
    return row.map(([j, v]): SparseEntryI32F32 => [j, i32f32SafeDiv(v, s)]);
  });
}

/** `row_sum_sparse`: plain sum of each row. */
export function rowSumSparse(m: SparseMatrixI32F32): I32F32[] {
  return m.map((row) => {
    let s = 0n;
    for (const [, v] of row) s = i32f32Add(s, v);
    return s;
  });
}

/**
 * `inplace_col_normalize_sparse(m, columns)`: saturating column sums over columns < `columns`, then
 * each entry of a column with a non-zero sum is divided by it (`safe_div`).
 */
export function colNormalizeSparse(m: SparseMatrixI32F32, columns: number): SparseRowI32F32[] {
  const colSum: I32F32[] = new Array<I32F32>(columns).fill(0n);
  for (const row of m) for (const [j, v] of row) if (j < columns) colSum[j] = i32f32SaturatingAdd(colSum[j]!, v);
  return m.map((row) =>
    row.map(([j, v]): SparseEntryI32F32 => {
      const denom = j < columns ? colSum[j]! : 0n;
      return denom !== 0n ? [j, i32f32SafeDiv(v, denom)] : [j, v];
    }),
  );
}

/**
 * `inplace_col_max_upscale_sparse(m, columns)`: divide each entry by its column's maximum (the
 * maximum starts at 0, so a column of non-positive values is left alone).
 */
export function colMaxUpscaleSparse(m: SparseMatrixI32F32, columns: number): SparseRowI32F32[] {
  const colMax: I32F32[] = new Array<I32F32>(columns).fill(0n);
  for (const row of m) for (const [j, v] of row) if (j < columns && colMax[j]! < v) colMax[j] = v;
  return m.map((row) =>
    row.map(([j, v]): SparseEntryI32F32 => {
      const mx = j < columns ? colMax[j]! : 0n;
      return mx !== 0n ? [j, i32f32SafeDiv(v, mx)] : [j, v];
    }),
  );
}

/**
 * `col_clip_sparse(m, threshold)`: an entry above its column's threshold C_j becomes C_j when
 * C_j > 0 and is dropped when C_j ≤ 0; entries at or below the threshold are kept (zeros included).
 */
export function colClipSparse(m: SparseMatrixI32F32, threshold: readonly I32F32[]): SparseRowI32F32[] {
  return m.map((row) => {
    const out: SparseEntryI32F32[] = [];
    for (const [j, v] of row) {
      const th = threshold[j] ?? 0n;
      if (th < v) {
        if (th > 0n) out.push([j, th]);
      } else {
        out.push([j, v]);
      }
    }
    return out;
  });
}

/** `matmul_sparse(m, vector, columns)`: result_j = Σ_i vector_i · m_ij (saturating). */
export function matmulSparse(m: SparseMatrixI32F32, vector: readonly I32F32[], columns: number): I32F32[] {
  const result: I32F32[] = new Array<I32F32>(columns).fill(0n);
  m.forEach((row, i) => {
    const scale = vector[i] ?? 0n;
    for (const [j, v] of row)
      if (j < columns) result[j] = i32f32SaturatingAdd(result[j]!, i32f32SaturatingMul(scale, v));
  });
  return result;
}

/** `matmul_transpose_sparse(m, vector)`: result_i = Σ_j vector_j · m_ij (saturating). */
export function matmulTransposeSparse(m: SparseMatrixI32F32, vector: readonly I32F32[]): I32F32[] {
  return m.map((row) => {
    let acc = 0n;
    for (const [j, v] of row) acc = i32f32SaturatingAdd(acc, i32f32SaturatingMul(vector[j] ?? 0n, v));
    return acc;
  });
}

/** `row_hadamard_sparse(m, vector)`: m_ij · vector_i (saturating); stops at the shorter length. */
export function rowHadamardSparse(m: SparseMatrixI32F32, vector: readonly I32F32[]): SparseRowI32F32[] {
  const out: SparseRowI32F32[] = [];
  for (let i = 0; i < m.length && i < vector.length; i++) {
    const scale = vector[i]!;
    out.push(m[i]!.map(([j, v]): SparseEntryI32F32 => [j, i32f32SaturatingMul(v, scale)]));
  }
  return out;
}

/**
 * `mat_vec_mul_sparse(m, vector)`: m_ij · vector_j (saturating) for columns the vector covers,
 * dropping products equal to 0.
 */
export function matVecMulSparse(m: SparseMatrixI32F32, vector: readonly I32F32[]): SparseRowI32F32[] {
  return m.map((row) => {
    const out: SparseEntryI32F32[] = [];
    for (const [j, v] of row) {
      if (j >= vector.length) continue;
      const p = i32f32SaturatingMul(v, vector[j]!);
      if (p !== 0n) out.push([j, p]);
    }
    return out;
  });
}

/**
 * `interpolate_sparse(a, b, columns, ratio)`: a + ratio·(b − a). ratio = 0 returns `a` and ratio = 1
 * returns `b` unchanged (entry order and zero entries included); otherwise each row is densified over
 * `columns` and only the strictly positive results are kept, in ascending column order.
 */
export function interpolateSparse(
  a: SparseMatrixI32F32,
  b: SparseMatrixI32F32,
  columns: number,
  ratioI32F32: I32F32,
): SparseRowI32F32[] {
  if (ratioI32F32 === 0n) return a.map((row) => [...row]);
  if (ratioI32F32 === I32F32_ONE) return b.map((row) => [...row]);
  if (a.length !== b.length) return b.map((row) => [...row]); // subtensor's fallback on a shape mismatch
  return a.map((rowA, i) => {
    const denseA: I32F32[] = new Array<I32F32>(columns).fill(0n);
    const denseB: I32F32[] = new Array<I32F32>(columns).fill(0n);
    for (const [j, v] of rowA) if (j < columns) denseA[j] = v;
    for (const [j, v] of b[i]!) if (j < columns) denseB[j] = v;
    const out: SparseEntryI32F32[] = [];
    for (let j = 0; j < columns; j++) {
      const v1 = denseA[j]!;
      const interp = i32f32SaturatingAdd(v1, i32f32SaturatingMul(ratioI32F32, i32f32SaturatingSub(denseB[j]!, v1)));
      if (interp > 0n) out.push([j, interp]);
    }
    return out;
  });
}

/**
 * `mat_ema_sparse(new, old, alpha)`: per row, densified over `new.length` columns,
 * α·new + (1−α)·old (saturating, α·new accumulated first), keeping entries > 0 in column order.
 */
export function matEmaSparse(
  next: SparseMatrixI32F32,
  old: SparseMatrixI32F32,
  alphaI32F32: I32F32,
): SparseRowI32F32[] {
  const n = next.length;
  const oneMinusAlpha = i32f32SaturatingSub(I32F32_ONE, alphaI32F32);
  return next.map((newRow, i) => {
    const acc: I32F32[] = new Array<I32F32>(n).fill(0n);
    for (const [j, v] of newRow) if (j < n) acc[j] = i32f32SaturatingAdd(acc[j]!, i32f32SaturatingMul(alphaI32F32, v));
    const oldRow = old[i];
    if (oldRow)
      for (const [j, v] of oldRow)
        if (j < n) acc[j] = i32f32SaturatingAdd(acc[j]!, i32f32SaturatingMul(oneMinusAlpha, v));
    const out: SparseEntryI32F32[] = [];
    acc.forEach((v, j) => {
      if (v > 0n) out.push([j, v]);
    });
    return out;
  });
}

/**
 * `mat_ema_alpha_sparse(new, old, alpha)`: per-cell EMA with its own α (dense `alpha[i][j]`):
 * min(1, (1−α)·old + max(0, α·new)). Only the columns present in the **new** row are emitted, in the
 * new row's order, and only when > 0: an old bond on a column the new row omits is dropped, not
 * decayed (YUMA.md §2.12). On a shape mismatch subtensor returns `new` unchanged, and so does this.
 */
export function matEmaAlphaSparse(
  next: SparseMatrixI32F32,
  old: SparseMatrixI32F32,
  alpha: readonly (readonly I32F32[])[],
): SparseRowI32F32[] {
  if (next.length !== old.length || next.length !== alpha.length) return next.map((row) => [...row]);
  return next.map((newRow, i) => {
    const alphaRow = alpha[i]!;
    const decayed: I32F32[] = new Array<I32F32>(alphaRow.length).fill(0n);
    for (const [j, oldVal] of old[i]!) {
      if (j < alphaRow.length) decayed[j] = i32f32SaturatingMul(i32f32SaturatingSub(I32F32_ONE, alphaRow[j]!), oldVal);
    }
    const out: SparseEntryI32F32[] = [];
    for (const [j, newVal] of newRow) {
      if (j >= alphaRow.length) continue;
      let inc = i32f32SaturatingMul(alphaRow[j]!, newVal);
      if (inc < 0n) inc = 0n;
      let val = i32f32SaturatingAdd(decayed[j]!, inc);
      if (val > I32F32_ONE) val = I32F32_ONE;
      if (val > 0n) out.push([j, val]);
    }
    return out;
  });
}
