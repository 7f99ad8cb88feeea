import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadDataset, MNIST } from "../model/dataset.ts";
import { drawEvaluationBatch } from "../model/evaluation-batch.ts";
import { ElementType, encodeModel } from "../model/onnx-graph.ts";
import {
  exportSoftmaxRegression,
  forward,
  trainSoftmaxRegression,
  type SoftmaxRegression,
} from "../model/softmax-regression.ts";
import { EvaluatorPool, type EvaluationBatch } from "./evaluator-pool.ts";

const SEED = `0x${"ab".repeat(32)}`;

/**
 * The evaluator against real onnxruntime-node and real models: trained models score what the same
 * weights score in TypeScript, and every kind of bad model (garbage, wrong shapes, NaNs, huge
 * declared tensors, endless graphs, runaway memory, a process killed mid-run) scores zero with its
 * reason while the pool keeps working.
 */
describe("EvaluatorPool", () => {
  const data = loadDataset(MNIST);
  const drawn = drawEvaluationBatch({ seed: SEED, set: data.evaluation, size: 256 });
  const batch: EvaluationBatch = { id: SEED, ...drawn };
  let strong: SoftmaxRegression;
  let pool: EvaluatorPool;

  before(() => {
    strong = trainSoftmaxRegression({ set: data.train, epochs: 2, learningRate: 0.5 });
    pool = new EvaluatorPool({ size: 2, limits: { timeoutMs: 3_000, maxResidentBytes: 600 * 2 ** 20 } });
  });
  after(() => pool.close());

  it("scores a trained model as its own weights score in TypeScript", async () => {
    const result = await pool.evaluate(exportSoftmaxRegression(strong), batch);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.accuracy, typescriptAccuracy(strong, batch));
    assert.ok(result.accuracy > 0.85, `accuracy ${result.accuracy}`);
    assert.ok(result.loss > 0 && result.loss < 0.6, `loss ${result.loss}`);
    assert.equal(result.provider, "cpu");
  });

  it("ranks a weaker model below, and gives equal models equal output digests", async () => {
    const weak = trainSoftmaxRegression({ set: data.train, epochs: 1, learningRate: 0.5, samples: 200 });
    const [a, b, c] = await Promise.all([
      pool.evaluate(exportSoftmaxRegression(strong), batch),
      pool.evaluate(exportSoftmaxRegression(weak), batch),
      pool.evaluate(exportSoftmaxRegression(strong), batch),
    ]);
    assert.ok(a.ok && b.ok && c.ok);
    assert.ok(b.accuracy < a.accuracy - 0.2, `weak ${b.accuracy} vs strong ${a.accuracy}`);
    assert.equal(a.outputsDigest, c.outputsDigest);
    assert.notEqual(a.outputsDigest, b.outputsDigest);
  });

  it("scores bad models zero with their reason, and keeps working", async () => {
    const cases: [string, Uint8Array, string][] = [
      ["garbage bytes", new Uint8Array([1, 2, 3, 0xff, 0xfe, 7, 7, 7]), "malformed"],
      ["an empty file", new Uint8Array(), "malformed"],
      ["a model for 100 features", linearModel(100, 10, 0), "wrong-input"],
      ["NaN weights", linearModel(784, 10, Number.NaN), "non-finite-output"],
      ["9 classes out", linearModel(784, 9, 0), "wrong-output"],
      ["logits, not probabilities", linearModel(784, 10, 1, false), "not-probabilities"],
      ["a 40 GB declared tensor", hugeDeclaredTensor(), "tensor-too-large"],
      ["a graph that never ends", endlessLoop(), "timeout"],
      ["a graph that allocates 1.6 GB", runawayMemory(), "memory-limit"],
    ];
    for (const [name, model, reason] of cases) {
      const result = await pool.evaluate(model, batch);
      assert.equal(result.ok, false, `${name}: ${JSON.stringify(result)}`);
      assert.equal(result.ok === false && result.reason, reason, `${name}: ${JSON.stringify(result)}`);
    }
    const after = await pool.evaluate(exportSoftmaxRegression(strong), batch);
    assert.ok(after.ok, "the pool still scores good models");
  });

  it("re-runs a model queued behind one that was killed", async () => {
    const single = new EvaluatorPool({ size: 1, limits: { timeoutMs: 1_000 } });
    try {
      const [endless, good] = await Promise.all([
        single.evaluate(endlessLoop(), batch),
        single.evaluate(exportSoftmaxRegression(strong), batch),
      ]);
      assert.equal(endless.ok === false && endless.reason, "timeout");
      assert.ok(good.ok, JSON.stringify(good));
    } finally {
      await single.close();
    }
  });

  it("scores a model whose process dies mid-run as crashed", async () => {
    const running = pool.evaluate(endlessLoop(), batch);
    await new Promise((r) => setTimeout(r, 500));
    for (const pid of pool.pids) process.kill(pid, "SIGKILL");
    const result = await running;
    assert.equal(result.ok === false && result.reason, "crashed", JSON.stringify(result));
    assert.ok((await pool.evaluate(exportSoftmaxRegression(strong), batch)).ok);
  });

  it("falls back to the CPU when CUDA is asked for and missing, and says so once", async () => {
    const notes: string[] = [];
    const cuda = new EvaluatorPool({ executionProvider: "cuda", onFallback: (detail) => notes.push(detail) });
    try {
      const [a, b] = [
        await cuda.evaluate(exportSoftmaxRegression(strong), batch),
        await cuda.evaluate(exportSoftmaxRegression(strong), batch),
      ];
      assert.ok(a.ok && b.ok);
      // On a machine with the CUDA build and a GPU the first answer is "cuda" and nothing falls back.
      if (a.provider === "cpu") assert.equal(notes.length, 1, notes.join("; "));
      else assert.equal(notes.length, 0);
    } finally {
      await cuda.close();
    }
  });
});

function typescriptAccuracy(model: SoftmaxRegression, batch: EvaluationBatch): number {
  const p = new Float64Array(batch.classes);
  let correct = 0;
  for (let s = 0; s < batch.count; s++) {
    forward(
      model.weights,
      model.bias,
      batch.features.subarray(s * batch.width, (s + 1) * batch.width),
      batch.width,
      batch.classes,
      p,
    );
    let best = 0;
    for (let k = 1; k < batch.classes; k++) if (p[k]! > p[best]!) best = k;
    if (best === batch.labels[s]) correct++;
  }
  return correct / batch.count;
}

/** `pixels [batch, width] -> Gemm -> (Softmax) -> [batch, classes]`, every weight `value`. */
function linearModel(width: number, classes: number, value: number, softmax = true): Uint8Array {
  return encodeModel({
    name: "linear",
    inputs: [{ name: "pixels", type: ElementType.float, dims: ["batch", width] }],
    outputs: [{ name: "out", type: ElementType.float, dims: ["batch", classes] }],
    initializers: [
      {
        name: "W",
        type: ElementType.float,
        dims: [width, classes],
        floats: new Float32Array(width * classes).fill(value),
      },
      { name: "B", type: ElementType.float, dims: [classes], floats: new Float32Array(classes).fill(value) },
    ],
    nodes: softmax
      ? [
          { op: "Gemm", inputs: ["pixels", "W", "B"], outputs: ["logits"] },
          { op: "Softmax", inputs: ["logits"], outputs: ["out"], attributes: { axis: 1 } },
        ]
      : [{ op: "Gemm", inputs: ["pixels", "W", "B"], outputs: ["out"] }],
  });
}

/** A weight declared 100,000 x 100,000 float32 (40 GB) without its data. */
function hugeDeclaredTensor(): Uint8Array {
  return encodeModel({
    name: "huge",
    inputs: [{ name: "pixels", type: ElementType.float, dims: ["batch", 784] }],
    outputs: [{ name: "out", type: ElementType.float, dims: ["batch", 100_000] }],
    initializers: [{ name: "W", type: ElementType.float, dims: [784, 100_000_000] }],
    nodes: [{ op: "MatMul", inputs: ["pixels", "W"], outputs: ["out"] }],
  });
}

/** A Loop with a trip count of 10^15 and a condition that stays true. */
function endlessLoop(): Uint8Array {
  return encodeModel({
    name: "endless",
    inputs: [{ name: "pixels", type: ElementType.float, dims: ["batch", 784] }],
    outputs: [{ name: "v", type: ElementType.float, dims: [1] }],
    initializers: [
      { name: "trips", type: ElementType.int64, dims: [], ints: [1e15] },
      { name: "always", type: ElementType.bool, dims: [], bools: [true] },
      { name: "zero", type: ElementType.float, dims: [1], floats: new Float32Array([0]) },
    ],
    nodes: [
      {
        op: "Loop",
        inputs: ["trips", "always", "zero"],
        outputs: ["v"],
        attributes: {
          body: {
            name: "body",
            inputs: [
              { name: "i", type: ElementType.int64, dims: [] },
              { name: "c", type: ElementType.bool, dims: [] },
              { name: "x", type: ElementType.float, dims: [1] },
            ],
            outputs: [
              { name: "c_out", type: ElementType.bool, dims: [] },
              { name: "x_out", type: ElementType.float, dims: [1] },
            ],
            initializers: [{ name: "one", type: ElementType.float, dims: [1], floats: new Float32Array([1]) }],
            nodes: [
              { op: "Identity", inputs: ["c"], outputs: ["c_out"] },
              { op: "Add", inputs: ["x", "one"], outputs: ["x_out"] },
            ],
          },
        },
      },
    ],
  });
}

/** Expands a one-element tensor to 20,000 x 20,000 float32 (1.6 GB) at run time. */
function runawayMemory(): Uint8Array {
  return encodeModel({
    name: "runaway",
    inputs: [{ name: "pixels", type: ElementType.float, dims: ["batch", 784] }],
    outputs: [{ name: "out", type: ElementType.float, dims: [20_000, 20_000] }],
    initializers: [
      { name: "one", type: ElementType.float, dims: [1], floats: new Float32Array([1]) },
      { name: "shape", type: ElementType.int64, dims: [2], ints: [20_000, 20_000] },
    ],
    nodes: [{ op: "Expand", inputs: ["one", "shape"], outputs: ["out"] }],
  });
}
