/**
 * Evaluation overhead (issue #5): the time to score M = 64 distinct MNIST models on one batch of 256
 * through the validator's pipeline (`EvaluatorPool`: byte checks, a child process, IPC, the output
 * checks) against bare `InferenceSession.create` + `run` on the same models and batch in this process,
 * measured in the same run (best of 5 rounds each, alternating). Also the pipeline's throughput in
 * models per second per evaluating process. CPU execution provider.
 *
 *   node bench/evaluation.ts            # or: npm run bench:evaluation
 */
import ort from "onnxruntime-node";
import { loadDataset, MNIST } from "../workers/model/dataset.ts";
import { drawEvaluationBatch } from "../workers/model/evaluation-batch.ts";
import { exportSoftmaxRegression, trainSoftmaxRegression } from "../workers/model/softmax-regression.ts";
import { EvaluatorPool, type EvaluationBatch } from "../workers/validator/evaluator-pool.ts";

const MODELS = 64;
const ROUNDS = 5;
const data = loadDataset(MNIST);
const seed = `0x${"5e".repeat(32)}`;
const batch: EvaluationBatch = { id: seed, ...drawEvaluationBatch({ seed, set: data.evaluation, size: 256 }) };
const models = [...Array(MODELS).keys()].map((i) =>
  exportSoftmaxRegression(
    trainSoftmaxRegression({ set: data.train, epochs: 1, learningRate: 0.5, samples: 500 + 50 * i, seed: i + 1 }),
  ),
);

async function bare(): Promise<number> {
  const started = performance.now();
  for (const model of models) {
    const session = await ort.InferenceSession.create(model, {
      executionProviders: ["cpu"],
      logSeverityLevel: 4,
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    const out = await session.run({ pixels: new ort.Tensor("float32", batch.features, [batch.count, batch.width]) });
    if ((out.probabilities!.data as Float32Array).length !== batch.count * 10) throw new Error("bad output");
    await session.release();
  }
  return performance.now() - started;
}

async function pipeline(pool: EvaluatorPool): Promise<number> {
  const started = performance.now();
  const results = await Promise.all(models.map((model) => pool.evaluate(model, batch)));
  if (results.some((r) => !r.ok)) throw new Error(`a model failed: ${JSON.stringify(results.find((r) => !r.ok))}`);
  return performance.now() - started;
}

const one = new EvaluatorPool({ size: 1 });
await pipeline(one); // warm: the child's first batch and onnxruntime's first session
await bare();
const bareTimes: number[] = [];
const pipelineTimes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  bareTimes.push(await bare());
  pipelineTimes.push(await pipeline(one));
}
await one.close();
const best = (times: number[]) => Math.min(...times);
console.log(`| case | time | note |\n|---|---:|---|`);
console.log(
  `| bare InferenceSession, ${MODELS} models | ${best(bareTimes).toFixed(1)} ms | in-process, one after another |`,
);
console.log(
  `| EvaluatorPool (1 process), ${MODELS} models | ${best(pipelineTimes).toFixed(1)} ms | ratio ${(best(pipelineTimes) / best(bareTimes)).toFixed(3)} (goal <= 1.15) |`,
);
for (const size of [2]) {
  const pool = new EvaluatorPool({ size });
  await pipeline(pool);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) times.push(await pipeline(pool));
  await pool.close();
  const perSecond = (MODELS / best(times)) * 1000;
  console.log(
    `| EvaluatorPool (${size} processes), ${MODELS} models | ${best(times).toFixed(1)} ms | ${perSecond.toFixed(0)} models/s, ${(perSecond / size).toFixed(0)} per process |`,
  );
}
