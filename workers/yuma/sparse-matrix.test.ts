import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { I32F32_ONE, i32f32FromF32, i32f32FromInt, type I32F32 } from "./fixed-point.ts";
import { seededRandom } from "./seeded-random.ts";
import {
  colClipSparse,
  colMaxUpscaleSparse,
  colNormalizeSparse,
  interpolateSparse,
  maskDiagSparse,
  maskRowsSparse,
  matEmaAlphaSparse,
  matEmaSparse,
  type SparseEntryI32F32,
  type SparseRowI32F32,
  vecMaskSparseMatrix,
} from "./sparse-matrix.ts";

const fixed = i32f32FromF32;
const toNumber = (bits: bigint) => Number(bits) / 2 ** 32;

/** `vec_to_sparse_mat_fixed(values, rows, false)` of subtensor's tests: row-major, entries > 0. */
function sparseFromDense(values: number[], rows: number): SparseRowI32F32[] {
  const cols = values.length / rows;
  return Array.from({ length: rows }, (_, r) => {
    const row: SparseEntryI32F32[] = [];
    for (let c = 0; c < cols; c++) if (values[r * cols + c]! > 0) row.push([c, fixed(values[r * cols + c]!)]);
    return row;
  });
}

/** `assert_sparse_mat_compare`: same shape and columns, values within `epsilon`. */
function assertSparseClose(got: SparseRowI32F32[], want: SparseRowI32F32[], epsilon: number) {
  assert.equal(got.length, want.length);
  got.forEach((row, i) => {
    assert.deepEqual(
      row.map(([j]) => j),
      want[i]!.map(([j]) => j),
      `row ${i} columns`,
    );
    row.forEach(([, v], k) =>
      assert.ok(Math.abs(toNumber(v) - toNumber(want[i]![k]![1])) <= epsilon, `row ${i} entry ${k}: ${toNumber(v)}`),
    );
  });
}

function randomSparse(next: () => number, n: number, density: number, maxValue: number): SparseRowI32F32[] {
  return Array.from({ length: n }, () => {
    const row: SparseEntryI32F32[] = [];
    for (let j = 0; j < n; j++) if (next() < density) row.push([j, BigInt(Math.floor(next() * maxValue * 2 ** 32))]);
    return row;
  });
}

describe("colClipSparse", () => {
  it("reproduces upstream test_math_col_clip_sparse", () => {
    const threshold = [0, 5, 12].map(fixed);
    const m1 = sparseFromDense([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 4);
    assertSparseClose(colClipSparse(m1, threshold), sparseFromDense([0, 2, 3, 0, 5, 6, 0, 5, 9, 0, 5, 12], 4), 0);
    const m2 = sparseFromDense([0, 2, 3, 4, 5, 6, 0, 0, 0, 10, 11, 12], 4);
    assertSparseClose(colClipSparse(m2, threshold), sparseFromDense([0, 2, 3, 0, 5, 6, 0, 0, 0, 0, 5, 12], 4), 0);
  });

  it("clips above C_j to C_j, drops when C_j = 0, keeps values at or below C_j (zeros included)", () => {
    const m: SparseRowI32F32[] = [
      [
        [0, fixed(0.7)],
        [1, fixed(0.3)],
        [2, 0n],
      ],
    ];
    const clipped = colClipSparse(m, [fixed(0.5), 0n, fixed(0.4)]);
    assert.deepEqual(clipped, [
      [
        [0, fixed(0.5)],
        [2, 0n],
      ],
    ]);
    assert.deepEqual(colClipSparse(m, [fixed(0.7), fixed(0.3), 0n]), m);
  });
});

describe("matEmaSparse", () => {
  it("is floor(α·new) + floor((1−α)·old) per cell, keeping the positive ones in column order", () => {
    const next = seededRandom({ seed: 5 });
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(next() * 8);
      const newM = randomSparse(next, n, 0.5, 1);
      const oldM = randomSparse(next, n, 0.5, 1);
      const alpha = BigInt(Math.floor(next() * 2 ** 32));
      const got = matEmaSparse(newM, oldM, alpha);
      for (let i = 0; i < n; i++) {
        const want: SparseEntryI32F32[] = [];
        for (let j = 0; j < n; j++) {
          const a = newM[i]!.find(([c]) => c === j)?.[1] ?? 0n;
          const b = oldM[i]!.find(([c]) => c === j)?.[1] ?? 0n;
          const v = ((alpha * a) >> 32n) + (((I32F32_ONE - alpha) * b) >> 32n);
          if (v > 0n) want.push([j, v]);
        }
        assert.deepEqual(got[i], want);
        // and the real-valued formula α·new + (1−α)·old, to within two ulps
        for (const [j, v] of got[i]!) {
          const a = toNumber(newM[i]!.find(([c]) => c === j)?.[1] ?? 0n);
          const b = toNumber(oldM[i]!.find(([c]) => c === j)?.[1] ?? 0n);
          const t = toNumber(alpha);
          assert.ok(Math.abs(toNumber(v) - (t * a + (1 - t) * b)) < 2 ** -30);
        }
      }
    }
  });
});

describe("matEmaAlphaSparse", () => {
  it("reproduces upstream test_math_sparse_mat_ema_alpha (ε = 1e-4)", () => {
    const alphas = Array.from({ length: 4 }, () => new Array<I32F32>(3).fill(fixed(0.1)));
    const run = (oldV: number[], newV: number[], target: number[], eps: number) =>
      assertSparseClose(
        matEmaAlphaSparse(sparseFromDense(newV, 4), sparseFromDense(oldV, 4), alphas),
        sparseFromDense(target, 4),
        eps,
      );
    run(
      [0.1, 0.2, 3, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12],
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      [0.19, 0.38, 1, 0.43599, 0.545, 0.65399, 0.763, 0.87199, 0.981, 1, 1, 1],
      1e-4,
    );
    run(
      [0.001, 0.002, 0.003, 0.004, 0.05, 0.006, 0.007, 0.008, 0.009, 0.01, 0.011, 0.012],
      [0.1, 0.2, 3, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12],
      [0.0109, 0.0218, 0.3027, 0.007599, 0.05, 0.01139, 0.0133, 0.01519, 0.017, 0.01899, 0.02089, 0.0227],
      1e-4,
    );
    // The last upstream case: the old bond on a column the new row does not list is dropped.
    run(
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0.2, 0, 0, 0, 0, 0, 0, 0],
      0.1,
    );
  });

  it("is min(1, (1−α)·old + max(0, α·new)) per cell of the new row, exactly", () => {
    const next = seededRandom({ seed: 17 });
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(next() * 8);
      const newM = randomSparse(next, n, 0.6, 2).map((row) => (next() < 0.2 ? [...row, [n - 1, 0n] as const] : row));
      const oldM = randomSparse(next, n, 0.6, 1);
      const alpha = Array.from({ length: n }, () =>
        Array.from({ length: n }, () => BigInt(Math.floor(next() * 2 ** 32))),
      );
      const got = matEmaAlphaSparse(newM, oldM, alpha);
      newM.forEach((row, i) => {
        const want: SparseEntryI32F32[] = [];
        for (const [j, w] of row) {
          const a = alpha[i]![j]!;
          const b = oldM[i]!.find(([c]) => c === j)?.[1] ?? 0n;
          let v = (((I32F32_ONE - a) * b) >> 32n) + ((a * w) >> 32n);
          if (v > I32F32_ONE) v = I32F32_ONE;
          if (v > 0n) want.push([j, v]);
        }
        assert.deepEqual(got[i], want);
      });
    }
  });

  it("keeps an explicit zero weight on the decay path and drops an omitted column", () => {
    const alpha = [[fixed(0.25), fixed(0.25)]];
    const old: SparseRowI32F32[] = [
      [
        [0, fixed(0.5)],
        [1, fixed(0.5)],
      ],
    ];
    assert.deepEqual(matEmaAlphaSparse([[[0, 0n]]], old, alpha), [[[0, fixed(0.375)]]]);
    assert.deepEqual(matEmaAlphaSparse([[]], old, alpha), [[]]);
  });

  it("returns `new` unchanged on a shape mismatch, as subtensor does", () => {
    const newM: SparseRowI32F32[] = [[[0, fixed(0.5)]]];
    assert.deepEqual(matEmaAlphaSparse(newM, [], []), newM);
  });
});

describe("interpolateSparse", () => {
  it("returns W for β = 0 and W̄ for β = 1 unchanged, else the positive W + β(W̄ − W) (upstream cases)", () => {
    const w = sparseFromDense([1, 0, 100, 1000, 10000, 100000], 3);
    const wBar = sparseFromDense([10, 100, 1000, 10000, 100000, 0], 3);
    assert.deepEqual(interpolateSparse(w, wBar, 2, 0n), w);
    assert.deepEqual(interpolateSparse(w, wBar, 2, I32F32_ONE), wBar);
    // upstream writes `I32F32::from_num(0.9)` with an f64 literal here, not the f32 `fixed`
    const ratio09 = BigInt(Math.round(0.9 * 2 ** 32));
    assertSparseClose(
      interpolateSparse(w, wBar, 2, ratio09),
      sparseFromDense([9.1, 90, 910, 9100, 91000, 10000], 3),
      1e-4,
    );
    const zeros = sparseFromDense(new Array(12).fill(0), 4);
    const ones = sparseFromDense(new Array(12).fill(1), 4);
    const half = interpolateSparse(zeros, ones, 3, fixed(0.5));
    assert.deepEqual(half, sparseFromDense(new Array(12).fill(0.5), 4));
  });

  it("floors β·(W̄ − W) toward −∞ when W̄ < W", () => {
    const got = interpolateSparse([[[0, 3n]]], [[[0, 0n]]], 1, I32F32_ONE / 2n);
    assert.deepEqual(got, [[[0, 1n]]]); // 3 + floor(0.5·(−3)) = 3 − 2
  });
});

describe("normalisation, upscale and masks", () => {
  it("column-normalises over columns < n and leaves zero-sum columns alone", () => {
    const m: SparseRowI32F32[] = [
      [
        [0, i32f32FromInt(1)],
        [1, 0n],
        [5, i32f32FromInt(7)],
      ],
      [[0, i32f32FromInt(3)]],
    ];
    assert.deepEqual(colNormalizeSparse(m, 2), [
      [
        [0, I32F32_ONE / 4n],
        [1, 0n],
        [5, i32f32FromInt(7)],
      ],
      [[0, (3n * I32F32_ONE) / 4n]],
    ]);
  });

  it("column max-upscales so that each column's largest entry is 1", () => {
    const m: SparseRowI32F32[] = [[[0, fixed(0.25)]], [[0, fixed(0.5)]], []];
    assert.deepEqual(colMaxUpscaleSparse(m, 3), [[[0, I32F32_ONE / 2n]], [[0, I32F32_ONE]], []]);
  });

  it("masks rows (missing mask entries mask), the diagonal (owner exempt) and outdated entries", () => {
    const m: SparseRowI32F32[] = [
      [
        [0, 1n],
        [1, 2n],
      ],
      [
        [0, 3n],
        [1, 4n],
      ],
    ];
    assert.deepEqual(maskRowsSparse([false], m), [m[0], []]);
    assert.deepEqual(maskDiagSparse(m), [[[1, 2n]], [[0, 3n]]]);
    assert.deepEqual(maskDiagSparse(m, 1), [
      [[1, 2n]],
      [
        [0, 3n],
        [1, 4n],
      ],
    ]);
    // last_update [5, 11], registered [10, 0]: row 0 drops column 0 (5 <= 10), row 1 keeps both.
    assert.deepEqual(
      vecMaskSparseMatrix(m, [5n, 11n], [10n, 0n], (u, r) => u <= r),
      [[[1, 2n]], m[1]],
    );
    // last_update equal to the registration block is outdated too (<=).
    assert.deepEqual(vecMaskSparseMatrix(m, [5n, 10n], [10n, 0n], (u, r) => u <= r)[1], [[1, 4n]]);
  });
});
