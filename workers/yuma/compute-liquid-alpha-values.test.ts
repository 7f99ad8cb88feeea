import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alphaSigmoid } from "./alpha-sigmoid.ts";
import { computeLiquidAlphaValues } from "./compute-liquid-alpha-values.ts";
import { i32f32FromF32, i32f32FromInt, u16ProportionToFixed } from "./fixed-point.ts";
import type { SparseRowI32F32 } from "./sparse-matrix.ts";

const fixed = i32f32FromF32;
const params = {
  alphaLowI32F32: u16ProportionToFixed(6553),
  alphaHighI32F32: u16ProportionToFixed(19660),
  steepnessI32F32: i32f32FromInt(1000),
};
const cell = (c: bigint, w: bigint, b: bigint) =>
  alphaSigmoid({ consensusI32F32: c, weightI32F32: w, bondI32F32: b, ...params });

describe("computeLiquidAlphaValues", () => {
  const consensus = [0n, fixed(0.25), fixed(0.5), fixed(0.75)];

  it("gives every (row, column) cell alpha_sigmoid(C_j, W_ij, B_ij), missing cells read as 0", () => {
    const weights: SparseRowI32F32[] = [
      [
        [1, fixed(0.6)],
        [3, fixed(0.4)],
      ],
      [],
    ];
    const bonds: SparseRowI32F32[] = [[[3, fixed(0.9)]], [[0, fixed(0.2)]]];
    const alphas = computeLiquidAlphaValues({ weights, bonds, consensusI32F32: consensus, ...params });
    assert.deepEqual(alphas, [
      [
        cell(0n, 0n, 0n),
        cell(consensus[1]!, fixed(0.6), 0n),
        cell(consensus[2]!, 0n, 0n),
        cell(consensus[3]!, fixed(0.4), fixed(0.9)),
      ],
      [cell(0n, 0n, fixed(0.2)), cell(consensus[1]!, 0n, 0n), cell(consensus[2]!, 0n, 0n), cell(consensus[3]!, 0n, 0n)],
    ]);
  });

  it("walks rows in column order like subtensor: in an unsorted row, an entry after a larger column is missed", () => {
    const unsorted: SparseRowI32F32[] = [
      [
        [3, fixed(0.4)],
        [1, fixed(0.6)],
      ],
    ];
    const alphas = computeLiquidAlphaValues({ weights: unsorted, bonds: [[]], consensusI32F32: consensus, ...params });
    assert.equal(alphas[0]![1], cell(consensus[1]!, 0n, 0n)); // (1, 0.6) is never seen
    assert.equal(alphas[0]![3], cell(consensus[3]!, fixed(0.4), 0n));
  });

  it("returns an empty matrix when weights and bonds have different row counts", () => {
    assert.deepEqual(computeLiquidAlphaValues({ weights: [[]], bonds: [], consensusI32F32: consensus, ...params }), []);
  });
});
