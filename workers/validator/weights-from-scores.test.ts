import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Evaluation } from "./evaluator-pool.ts";
import { weightsFromScores, type MinerScore } from "./weights-from-scores.ts";

const scored = (accuracy: number, loss: number, outputsDigest: string): Evaluation => ({
  ok: true,
  accuracy,
  loss,
  outputsDigest,
  durationMs: 1,
  provider: "cpu",
});
const miner = (uid: number, commitBlock: number, modelHash: string, evaluation: Evaluation): MinerScore => ({
  uid,
  commitBlock: BigInt(commitBlock),
  modelHash,
  evaluation,
});

describe("weightsFromScores", () => {
  const scores = [
    miner(0, 10, "a", scored(0.9, 0.3, "out-a")),
    miner(1, 11, "b", scored(0.8, 0.5, "out-b")),
    miner(2, 12, "c", scored(0.8, 0.4, "out-c")), // same accuracy as 1, lower loss
    miner(3, 5, "d", scored(0.95, 0.2, "out-d")),
    miner(4, 13, "a", scored(0.9, 0.3, "out-a")), // the same file as UID 0, committed later
    miner(5, 14, "e", scored(0.95, 0.2, "out-d")), // other bytes, the same outputs as UID 3
    miner(6, 3, "f", scored(0.1, 2.3, "out-f")), // chance
    miner(7, 15, "g", { ok: false, reason: "timeout", detail: "no answer within 10000 ms" }),
    miner(8, 16, "h", scored(0.8, 0.5, "out-h")), // ties UID 1
  ];

  it("halves the weight per better model, best first, ties equal", () => {
    const byUid = new Map(weightsFromScores({ scores, classes: 10 }).map((w) => [w.uid, w]));
    assert.equal(byUid.get(3)!.weight, 65_535);
    assert.equal(byUid.get(0)!.weight, 32_767);
    assert.equal(byUid.get(2)!.weight, 16_383);
    assert.equal(byUid.get(1)!.weight, 8_191);
    assert.equal(byUid.get(8)!.weight, 8_191);
    assert.equal(byUid.get(1)!.rank, 3);
  });

  it("gives copies, chance-level and unscored models nothing, and says why", () => {
    const byUid = new Map(weightsFromScores({ scores, classes: 10 }).map((w) => [w.uid, w]));
    assert.equal(byUid.get(4)!.weight, 0);
    assert.match(byUid.get(4)!.zeroBecause!, /copy of UID 0/);
    assert.equal(byUid.get(5)!.weight, 0);
    assert.match(byUid.get(5)!.zeroBecause!, /copy of UID 3/);
    assert.equal(byUid.get(6)!.weight, 0);
    assert.match(byUid.get(6)!.zeroBecause!, /chance/);
    assert.equal(byUid.get(7)!.weight, 0);
    assert.match(byUid.get(7)!.zeroBecause!, /timeout/);
  });

  it("the earlier commitment wins a copy, whichever UID it is, in any input order", () => {
    const later = [miner(9, 1, "x", scored(0.7, 0.9, "out-x")), miner(2, 2, "x", scored(0.7, 0.9, "out-x"))];
    for (const order of [later, [...later].reverse()]) {
      const [w2, w9] = weightsFromScores({ scores: order, classes: 10 });
      assert.deepEqual([w2!.uid, w2!.weight, w9!.uid, w9!.weight], [2, 0, 9, 65_535]);
    }
    const shuffled = [...scores].reverse();
    assert.deepEqual(weightsFromScores({ scores: shuffled, classes: 10 }), weightsFromScores({ scores, classes: 10 }));
  });

  it("stops at 16 ranks", () => {
    const many = [...Array(20).keys()].map((i) => miner(i, i, `m${i}`, scored(0.99 - i / 100, 0.1, `o${i}`)));
    const weights = weightsFromScores({ scores: many, classes: 10 });
    assert.equal(weights[15]!.weight, 1);
    assert.equal(weights[16]!.weight, 0);
    assert.match(weights[16]!.zeroBecause!, /rank 16/);
  });
});
