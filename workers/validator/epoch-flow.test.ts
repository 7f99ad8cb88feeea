import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { FlowProducer, Queue, QueueEvents, type Worker } from "bullmq";
import { Redis } from "ioredis";
import { loadDataset, MNIST } from "../model/dataset.ts";
import { exportSoftmaxRegression, trainSoftmaxRegression } from "../model/softmax-regression.ts";
import { ModelServer } from "../miner/model-server.ts";
import { freePort } from "../shared/free-port.ts";
import { testRedis, type TestRedis } from "../shared/test-redis.ts";
import {
  EPOCH_QUEUE,
  enqueueEpoch,
  startEpochWorker,
  startEvaluationWorker,
  type EpochJobData,
  type EpochResult,
} from "./epoch-flow.ts";
import { EvaluatorPool } from "./evaluator-pool.ts";
import { ModelFetcher } from "./model-fetcher.ts";

/**
 * An epoch through BullMQ on a real Redis: the epoch job fans out one evaluation job per miner
 * (models fetched over real HTTP from a miner's server, scored in the sandboxed pool), then turns the
 * scores into weights; triggering the same epoch again runs nothing twice.
 */
describe("The validator's epoch flow", () => {
  const data = loadDataset(MNIST);
  const miner = new ModelServer();
  let redis: TestRedis;
  let connection: Redis;
  let flow: FlowProducer;
  let pool: EvaluatorPool;
  let cacheDir: string;
  const workers: Worker[] = [];
  let evaluations = 0;

  before(async () => {
    redis = await testRedis({ own: true });
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    flow = new FlowProducer({ connection });
    pool = new EvaluatorPool({ size: 1 });
    cacheDir = await mkdtemp(path.join(tmpdir(), "taonet-flow-"));
    await miner.listen();
    const evaluation = startEvaluationWorker({
      connection,
      dataset: data,
      fetcher: new ModelFetcher({ cacheDir, timeoutMs: 2_000 }),
      pool,
      concurrency: 2,
    });
    evaluation.on("completed", () => evaluations++);
    workers.push(evaluation, startEpochWorker({ connection, classes: 10 }));
  });
  after(async () => {
    for (const worker of workers) await worker.close();
    await flow.close();
    connection.disconnect();
    await pool.close();
    await miner.close();
    await redis.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("scores every miner and weights the best most; a repeated trigger adds nothing", async () => {
    const strong = miner.publish(
      exportSoftmaxRegression(trainSoftmaxRegression({ set: data.train, epochs: 2, learningRate: 0.5 })),
    );
    const weak = miner.publish(
      exportSoftmaxRegression(trainSoftmaxRegression({ set: data.train, epochs: 1, learningRate: 0.5, samples: 300 })),
    );
    const garbage = miner.publish(new Uint8Array([1, 2, 3, 4]));
    const epoch: EpochJobData = {
      chainId: 31337,
      netuid: "1",
      epoch: "5",
      seed: `0x${"c4".repeat(32)}`,
      batchSize: 256,
      miners: [
        { uid: 3, ...strong, commitBlock: "10" },
        { uid: 4, ...weak, commitBlock: "11" },
        { uid: 5, ...garbage, commitBlock: "12" },
        { uid: 6, digest: strong.digest, uri: strong.uri, commitBlock: "13" }, // a copy, committed later
        // A model nobody serves: unreachable. (A digest already in the cache would be scored from it.)
        {
          uid: 7,
          digest: `0x${"7e".repeat(32)}`,
          uri: `http://127.0.0.1:${await freePort()}/gone.onnx`,
          commitBlock: "9",
        },
      ],
    };
    const id = await enqueueEpoch(flow, epoch);
    const result = await finished(id);
    assert.equal(result.evaluated, 5);
    const weight = new Map(result.weights.map((w) => [w.uid, w]));
    assert.equal(weight.get(3)!.weight, 65_535);
    assert.equal(weight.get(4)!.weight, 32_767);
    assert.match(weight.get(5)!.zeroBecause!, /malformed/);
    assert.match(weight.get(6)!.zeroBecause!, /copy of UID 3/);
    assert.match(weight.get(7)!.zeroBecause!, /unfetchable \(unreachable: .*ECONNREFUSED/);
    assert.equal(evaluations, 5);

    assert.equal(await enqueueEpoch(flow, epoch), id);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(evaluations, 5, "nothing evaluated twice");
    assert.deepEqual(await finished(id), result);
  });

  /** Waits for the epoch job `id` and returns its result. */
  async function finished(id: string): Promise<EpochResult> {
    const queue = new Queue(EPOCH_QUEUE, { connection });
    // BullMQ closes no connection it is given: this one is closed below.
    const eventsConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents(EPOCH_QUEUE, { connection: eventsConnection });
    try {
      const job = await queue.getJob(id);
      assert.ok(job, `job ${id} exists`);
      return (await job.waitUntilFinished(events, 30_000)) as EpochResult;
    } finally {
      await events.close();
      await queue.close();
      eventsConnection.disconnect();
    }
  }
});
