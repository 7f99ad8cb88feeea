/**
 * The validator's peak memory with 256 cached models (issue #5). A validator process (this script
 * with `--validator`) runs the daemon's evaluation pipeline (BullMQ flow on Redis, `ModelFetcher`
 * with its disk cache, `EvaluatorPool` of 2 processes, the weights rule) on an epoch of 256 miners
 * whose distinct models it fetches over HTTP from this process, then a second epoch (another seed)
 * with all 256 models in its cache. Reported: the validator process's peak resident set (VmHWM) and
 * that of each evaluating child, after each epoch, against the same process idle (modules loaded,
 * pool started, nothing evaluated).
 *
 *   node bench/validator-memory.ts       # Redis: REDIS_URL, else a private redis-server
 */
import { fork } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FlowProducer } from "bullmq";
import { loadDataset, MNIST } from "../workers/model/dataset.ts";
import { exportSoftmaxRegression, trainSoftmaxRegression } from "../workers/model/softmax-regression.ts";
import { ModelServer } from "../workers/miner/model-server.ts";
import { testRedis } from "../workers/shared/test-redis.ts";
import {
  enqueueEpoch,
  startEpochWorker,
  startEvaluationWorker,
  type MinerCommitment,
} from "../workers/validator/epoch-flow.ts";
import { EvaluatorPool } from "../workers/validator/evaluator-pool.ts";
import { ModelFetcher } from "../workers/validator/model-fetcher.ts";

const MODELS = 256;
const POOL = 2;

type Report = { phase: string; validatorKiB: number; childrenKiB: number[]; cacheFiles: number; seconds?: number };

if (process.argv.includes("--validator")) await validator();
else await main();

async function main() {
  const data = loadDataset(MNIST);
  const server = new ModelServer();
  await server.listen();
  const miners: MinerCommitment[] = [...Array(MODELS).keys()].map((i) => {
    const model = trainSoftmaxRegression({
      set: data.train,
      epochs: 1,
      learningRate: 0.5,
      samples: 64 + i,
      seed: i + 1,
    });
    return { uid: i, ...server.publish(exportSoftmaxRegression(model)), commitBlock: `${i + 1}` };
  });
  const redis = await testRedis();
  const cacheDir = await mkdtemp(path.join(tmpdir(), "taonet-bench-cache-"));
  const child = fork(import.meta.filename, ["--validator"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const reports: Report[] = [];
  child.on("message", (m: Report) => reports.push(m));
  child.send({ miners, redisUrl: redis.url, cacheDir, namespace: `bench-memory-${process.pid}` });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  await server.close();
  await redis.stop();
  await rm(cacheDir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`the validator process exited with ${code}`);
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  console.log(
    `| phase | validator process peak RSS | each evaluating child's peak RSS | models in cache |\n|---|---:|---:|---:|`,
  );
  for (const r of reports)
    console.log(
      `| ${r.phase}${r.seconds ? ` (${r.seconds.toFixed(1)} s)` : ""} | ${mib(r.validatorKiB)} | ${r.childrenKiB.map(mib).join(", ")} | ${r.cacheFiles} |`,
    );
}

async function validator() {
  const { miners, redisUrl, cacheDir, namespace } = await new Promise<{
    miners: MinerCommitment[];
    redisUrl: string;
    cacheDir: string;
    namespace: string;
  }>((resolve) => process.once("message", resolve));
  const dataset = loadDataset(MNIST);
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const prefix = namespace;
  const pool = new EvaluatorPool({ size: POOL });
  const fetcher = new ModelFetcher({ cacheDir });
  let done: ((weights: number) => void) | undefined;
  const evaluations = startEvaluationWorker({ connection, dataset, fetcher, pool, prefix, concurrency: 8 });
  const epochs = startEpochWorker({
    connection,
    prefix,
    classes: 10,
    onWeights: async (_data, weights) => done?.(weights.length),
  });
  const flow = new FlowProducer({ connection, prefix });
  const report = async (phase: string, seconds?: number) =>
    process.send!({
      phase,
      seconds,
      validatorKiB: await peakKiB(process.pid),
      childrenKiB: await Promise.all((await children()).map(peakKiB)),
      cacheFiles: (await readdir(cacheDir)).length,
    } satisfies Report);
  await report("idle: modules loaded, workers and pool started");
  for (const [i, seed] of ([`0x${"a1".repeat(32)}`, `0x${"b2".repeat(32)}`] as const).entries()) {
    const started = performance.now();
    const finished = new Promise<number>((resolve) => (done = resolve));
    await enqueueEpoch(flow, { chainId: 31337, netuid: "1", epoch: `${i + 1}`, seed, batchSize: 256, miners });
    const weighted = await finished;
    if (weighted === 0) throw new Error("no model was weighted");
    await report(
      i === 0
        ? `epoch 1: ${miners.length} models fetched and scored`
        : `epoch 2: ${miners.length} models from the cache`,
      (performance.now() - started) / 1000,
    );
  }
  await Promise.all([evaluations.close(), epochs.close(), flow.close()]);
  await pool.close();
  process.exit(0);
}

/** The peak resident set of a process (VmHWM), KiB. */
async function peakKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]);
}

/** This process's children (the evaluating processes). */
async function children(): Promise<number[]> {
  const pids = (await readdir("/proc")).filter((p) => /^\d+$/.test(p));
  const mine: number[] = [];
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    if (new RegExp(`PPid:\\s+${process.pid}\\n`).test(status)) mine.push(Number(pid));
  }
  return mine;
}
