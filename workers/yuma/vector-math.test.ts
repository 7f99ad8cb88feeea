import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { I32F32_ONE, i32f32FromF32, i32f32FromInt } from "./fixed-point.ts";
import { isTopkNonzero, maskVectorI32F32, normalizeI32F32, normalizeI64F64, vecMulI32F32 } from "./vector-math.ts";

const fixed = i32f32FromF32;

describe("isTopkNonzero", () => {
  it("keeps the k largest non-zero values (upstream test_math_is_topk, non-zero variant)", () => {
    const v = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(fixed);
    assert.deepEqual(isTopkNonzero(v, 0), new Array(10).fill(false));
    assert.deepEqual(isTopkNonzero(v, 5), [false, false, false, false, false, true, true, true, true, true]);
    assert.deepEqual(isTopkNonzero(v, 10), [false, true, true, true, true, true, true, true, true, true]);
    assert.deepEqual(isTopkNonzero(v, 100), [false, true, true, true, true, true, true, true, true, true]);
    const mixed = [0.9, 0, 0.8, 0.1, 0.7, 0.2, 0.6, 0.3, 0.5, 0.4].map(fixed);
    assert.deepEqual(isTopkNonzero(mixed, 5), [true, false, true, false, true, false, true, false, true, false]);
  });

  it("breaks ties by a stable ascending sort: the lower uid loses its place first", () => {
    assert.deepEqual(isTopkNonzero([5n, 5n, 5n], 2), [false, true, true]);
    assert.deepEqual(isTopkNonzero([0, 1, 2, 3, 4, 5, 5, 5, 5, 6].map(fixed), 5), [
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    assert.deepEqual(isTopkNonzero([7n, 3n, 7n, 7n], 2), [false, false, true, true]);
  });
});

describe("vector helpers", () => {
  it("normalise with safe_div and leave an all-zero vector unchanged", () => {
    assert.deepEqual(normalizeI32F32([i32f32FromInt(1), i32f32FromInt(3)]), [I32F32_ONE / 4n, (3n * I32F32_ONE) / 4n]);
    assert.deepEqual(normalizeI32F32([0n, 0n]), [0n, 0n]);
    assert.deepEqual(normalizeI64F64([1n << 64n, 1n << 64n]), [1n << 63n, 1n << 63n]);
  });

  it("mask with true = zero out; a short mask masks the rest; an empty mask masks nothing", () => {
    assert.deepEqual(maskVectorI32F32([true, false], [1n, 2n, 3n]), [0n, 2n, 0n]);
    assert.deepEqual(maskVectorI32F32([], [1n, 2n]), [1n, 2n]);
  });

  it("vec_mul returns 0 where the product overflows", () => {
    assert.deepEqual(
      vecMulI32F32([i32f32FromInt(1n << 20n), I32F32_ONE], [i32f32FromInt(1n << 20n), I32F32_ONE / 2n]),
      [0n, I32F32_ONE / 2n],
    );
  });
});
