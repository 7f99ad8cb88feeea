import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DatasetHashMismatchError, datasetHash, loadDataset, MNIST, UnknownDatasetError } from "./dataset.ts";
import { drawEvaluationBatch } from "./evaluation-batch.ts";

describe("MNIST from the mnist package", () => {
  const data = loadDataset(MNIST);

  it("splits 10,000 samples into a training and an evaluation part, balanced by digit", () => {
    assert.equal(data.train.count + data.evaluation.count, 10_000);
    assert.equal(data.evaluation.count, 2_004);
    for (const part of [data.train, data.evaluation]) {
      const perDigit = new Array(10).fill(0);
      for (const label of part.labels) perDigit[label]++;
      const share = perDigit.map((n) => n / part.count);
      assert.ok(Math.min(...share) > 0.08 && Math.max(...share) < 0.12, `digit shares ${share}`);
      assert.equal(part.features.length, part.count * 784);
    }
    assert.deepEqual([...data.evaluation.labels.slice(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("loads the same bytes every time, and refuses others by hash", () => {
    assert.equal(datasetHash(loadDataset(MNIST).train), datasetHash(data.train));
    assert.throws(() => loadDataset({ ...MNIST, sha256: "00".repeat(32) }), DatasetHashMismatchError);
    assert.throws(() => loadDataset({ ...MNIST, name: "cifar" }), UnknownDatasetError);
  });
});

describe("drawEvaluationBatch", () => {
  const set = loadDataset(MNIST).evaluation;
  const seedA = `0x${"11".repeat(32)}`;
  const seedB = `0x${"11".repeat(31)}12`;

  it("draws the same distinct samples from the same seed, others from another", () => {
    const a = drawEvaluationBatch({ seed: seedA, set, size: 256 });
    assert.deepEqual(drawEvaluationBatch({ seed: seedA, set, size: 256 }).indices, a.indices);
    assert.equal(new Set(a.indices).size, 256);
    const b = drawEvaluationBatch({ seed: seedB, set, size: 256 });
    const shared = a.indices.filter((i) => b.indices.includes(i)).length;
    assert.ok(shared < 80, `${shared} of 256 shared between two seeds`); // about 256 * 256 / 2004 = 33 expected
    assert.deepEqual(
      [...a.labels.slice(0, 3)],
      a.indices.slice(0, 3).map((i) => set.labels[i]),
    );
  });

  it("can draw the whole set, and refuses bad seeds and sizes", () => {
    assert.equal(new Set(drawEvaluationBatch({ seed: seedA, set, size: set.count }).indices).size, set.count);
    assert.throws(() => drawEvaluationBatch({ seed: "0x1234", set, size: 4 }), RangeError);
    assert.throws(() => drawEvaluationBatch({ seed: seedA, set, size: 0 }), RangeError);
    assert.throws(() => drawEvaluationBatch({ seed: seedA, set, size: set.count + 1 }), RangeError);
  });
});
