import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { I32F32_ONE, i32f32FromF32, i32f32FromInt, i32f32SaturatingSub, u16ProportionToFixed } from "./fixed-point.ts";
import { seededRandom } from "./seeded-random.ts";
import type { SparseEntryI32F32, SparseRowI32F32 } from "./sparse-matrix.ts";
import { normalizeI32F32, sumI32F32 } from "./vector-math.ts";
import { weightedMedian } from "./weighted-median.ts";
import { weightedMedianColSparse } from "./weighted-median-col-sparse.ts";

const fixed = i32f32FromF32; // subtensor's test helper `fixed(f32)`

/** The upstream tests' call: all rows, minority = 1 − majority, lo = 0, hi = Σ stake. */
function median(stake: number[], score: number[], majority: number, normalizeStake = false): bigint {
  const stakeBits = normalizeStake ? normalizeI32F32(stake.map(fixed)) : stake.map(fixed);
  return weightedMedian({
    stakeI32F32: stakeBits,
    scoreI32F32: score.map(fixed),
    partitionIdx: [...stakeBits.keys()],
    minorityI32F32: I32F32_ONE - fixed(majority),
    partitionLoI32F32: 0n,
    partitionHiI32F32: sumI32F32(stakeBits),
  });
}

/**
 * The closed form of the quickselect (YUMA.md §2.7), in exact integer bits: the largest observed
 * score w whose upper stake mass Σ_{score ≥ w} stake reaches Σ − minority (= kappa unless the
 * subtraction saturated); the smallest score when no score does (kappa > Σ); 0 with no rows.
 */
function closedFormMedian(stake: readonly bigint[], score: readonly bigint[], minority: bigint): bigint {
  if (score.length === 0) return 0n;
  const total = stake.reduce((a, b) => a + b, 0n);
  const needed = total - minority;
  let best: bigint | null = null;
  for (const w of new Set(score)) {
    let above = 0n;
    score.forEach((s, i) => {
      if (s >= w) above += stake[i]!;
    });
    if (above >= needed && (best === null || w > best)) best = w;
  }
  return best ?? score.reduce((a, b) => (b < a ? b : a));
}

/** `vec_to_sparse_mat_fixed(values, rows, false)` of subtensor's tests: row-major, entries > 0. */
function sparseFromDense(values: number[], rows: number): SparseRowI32F32[] {
  const cols = values.length / rows;
  return Array.from({ length: rows }, (_, r) => {
    const row: SparseEntryI32F32[] = [];
    for (let c = 0; c < cols; c++) if (values[r * cols + c]! > 0) row.push([c, fixed(values[r * cols + c]!)]);
    return row;
  });
}

describe("weightedMedian", () => {
  it("reproduces upstream test_math_weighted_median's fixed cases", () => {
    assert.equal(median([], [], 0.51), 0n);
    assert.equal(median([0.51], [1], 0.51, true), fixed(1));
    assert.equal(median([0.49, 0.51], [0.5, 1], 0.51), fixed(1));
    assert.equal(median([0.51, 0.49], [0.5, 1], 0.51), fixed(0.5));
    assert.equal(median([0.49, 0, 0.51], [0.5, 0.7, 1], 0.51), fixed(1));
    assert.equal(median([0.49, 0.01, 0.5], [0.5, 0.7, 1], 0.51), fixed(0.7));
    assert.equal(median([0.49, 0.51, 0], [0.5, 0.7, 1], 0.51), fixed(0.7));
    assert.equal(median([0, 0.49, 0.51], [0.5, 0.7, 1], 0.51), fixed(1));
    assert.equal(median([0, 0.49, 0, 0.51], [0.5, 0.5, 1, 1], 0.51), fixed(1));
    assert.equal(median([0, 0.49, 0, 0.51, 0], [0.5, 0.5, 1, 1, 0.5], 0.51), fixed(1));
    assert.equal(median([0.2, 0.2, 0.2, 0.2, 0.2], [0.8, 0.2, 1, 0.6, 0.4], 0.51), fixed(0.6));
    assert.equal(median(new Array(10).fill(0.1), [0.8, 0.8, 0.2, 0.2, 1.0, 1.0, 0.6, 0.6, 0.4, 0.4], 0.51), fixed(0.6));
  });

  it("equals the closed form max{w : Σ_{W ≥ w} s ≥ kappa} on random inputs, ties and zero stakes included", () => {
    const next = seededRandom({ seed: 20250101 });
    for (let trial = 0; trial < 3000; trial++) {
      const n = Math.floor(next() * 24);
      const distinctScores = 1 + Math.floor(next() * 8);
      const rawStake = Array.from({ length: n }, () => (next() < 0.2 ? 0 : 1 + Math.floor(next() * 1000)));
      const stake = normalizeI32F32(rawStake.map((s) => i32f32FromInt(s)));
      // Few distinct scores → many ties; sometimes arbitrary bits.
      const score = Array.from({ length: n }, () =>
        next() < 0.5 ? (BigInt(Math.floor(next() * distinctScores)) << 32n) / 8n : BigInt(Math.floor(next() * 2 ** 32)),
      );
      const kappa = u16ProportionToFixed(Math.floor(next() * 65536));
      const total = sumI32F32(stake);
      const minority = i32f32SaturatingSub(total, kappa);
      const got = weightedMedian({
        stakeI32F32: stake,
        scoreI32F32: score,
        partitionIdx: [...stake.keys()],
        minorityI32F32: minority,
        partitionLoI32F32: 0n,
        partitionHiI32F32: total,
      });
      assert.equal(
        got,
        closedFormMedian(stake, score, minority),
        `trial ${trial}: stake ${stake} score ${score} kappa ${kappa}`,
      );
    }
  });

  it("does not depend on the order of the rows", () => {
    const next = seededRandom({ seed: 99 });
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(next() * 30);
      const stake = normalizeI32F32(Array.from({ length: n }, () => i32f32FromInt(Math.floor(next() * 5))));
      const score = Array.from({ length: n }, () => BigInt(Math.floor(next() * 4)) << 30n);
      const minority = i32f32SaturatingSub(sumI32F32(stake), u16ProportionToFixed(32767));
      const run = (order: number[]) =>
        weightedMedian({
          stakeI32F32: order.map((i) => stake[i]!),
          scoreI32F32: order.map((i) => score[i]!),
          partitionIdx: [...order.keys()],
          minorityI32F32: minority,
          partitionLoI32F32: 0n,
          partitionHiI32F32: sumI32F32(stake),
        });
      const identity = [...stake.keys()];
      const shuffled = [...identity].sort(() => next() - 0.5);
      assert.equal(run(shuffled), run(identity));
    }
  });
});

describe("weightedMedianColSparse", () => {
  it("reproduces upstream test_math_weighted_median_col_sparse", () => {
    const col = (stake: number[], weights: number[], rows: number, columns: number, majority: number) =>
      weightedMedianColSparse({
        stakeI32F32: stake.map(fixed),
        weights: sparseFromDense(weights, rows),
        columns,
        majorityI32F32: fixed(majority),
      });
    assert.deepEqual(col([], [], 1, 0, 0.5), []);
    assert.deepEqual(col([0, 0], [0, 0, 0, 0], 2, 2, 0.5), [0n, 0n]);
    const w = [0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0.4, 0.5];
    assert.deepEqual(col([0, 0.75, 0.25, 0], w, 4, 3, 0.24), [0, 0.3, 0.4].map(fixed));
    assert.deepEqual(col([0, 0.75, 0.25, 0], w, 4, 3, 0.26), [0, 0.2, 0.4].map(fixed));
    assert.deepEqual(col([0, 0.75, 0.25, 0], w, 4, 3, 0.76), [0, 0.2, 0.1].map(fixed));
    const w2 = [0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0, 0.5];
    assert.deepEqual(col([0, 0.3, 0.2, 0.5], w2, 4, 3, 0.51), [0, 0, 0.4].map(fixed));
  });

  it("takes, per column, the closed-form median over the rows with stake, missing entries scoring 0", () => {
    const next = seededRandom({ seed: 4242 });
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(next() * 12);
      const stake = normalizeI32F32(
        Array.from({ length: n }, () => i32f32FromInt(next() < 0.3 ? 0 : Math.floor(next() * 100))),
      );
      const weights: SparseRowI32F32[] = Array.from({ length: n }, () => {
        const row: SparseEntryI32F32[] = [];
        for (let j = 0; j < n; j++) if (next() < 0.5) row.push([j, BigInt(Math.floor(next() * 5)) << 30n]);
        return row.sort(() => next() - 0.5); // column order must not matter here
      });
      const kappa = u16ProportionToFixed(Math.floor(next() * 65536));
      const got = weightedMedianColSparse({ stakeI32F32: stake, weights, columns: n, majorityI32F32: kappa });

      const rows = [...stake.keys()].filter((i) => stake[i]! > 0n);
      const useStake = normalizeI32F32(rows.map((i) => stake[i]!));
      const minority = i32f32SaturatingSub(sumI32F32(useStake), kappa);
      for (let j = 0; j < n; j++) {
        const score = rows.map((i) => weights[i]!.find(([c]) => c === j)?.[1] ?? 0n);
        assert.equal(got[j], closedFormMedian(useStake, score, minority), `trial ${trial} column ${j}`);
      }
    }
  });
});
