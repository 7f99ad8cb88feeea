import { FlowProducer, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { SplitDataset } from "../model/dataset.ts";
import { drawEvaluationBatch } from "../model/evaluation-batch.ts";
import type { EvaluationBatch, EvaluatorPool } from "./evaluator-pool.ts";
import type { ModelFetcher } from "./model-fetcher.ts";
import { weightsFromScores, type MinerScore, type MinerWeight } from "./weights-from-scores.ts";

/** Queue names (one Redis, any number of validator processes on it). */
export const EPOCH_QUEUE = "taonet-epochs";
export const EVALUATION_QUEUE = "taonet-evaluations";

/** A miner's model commitment as read from `NeuronRegistry.commitmentOf` for the epoch. */
export type MinerCommitment = {
  readonly uid: number;
  readonly digest: `0x${string}`;
  readonly uri: string;
  /** The commitment's block, as a decimal string (JSON carries no bigint). */
  readonly commitBlock: string;
};

/** One epoch of one subnet for one validator: who to evaluate and on what. */
export type EpochJobData = {
  readonly chainId: number;
  readonly netuid: string;
  readonly epoch: string;
  /** The block hash that fixes the evaluation batch. */
  readonly seed: `0x${string}`;
  readonly batchSize: number;
  readonly miners: readonly MinerCommitment[];
};

type EvaluationJobData = Omit<EpochJobData, "miners"> & { readonly miner: MinerCommitment };

/** What an evaluation job returns: a `MinerScore` with its block as a string. */
export type EvaluationResult = Omit<MinerScore, "commitBlock"> & { readonly commitBlock: string };

export type EpochResult = { readonly weights: readonly MinerWeight[]; readonly evaluated: number };

/** The epoch job's id: the same epoch is one job, however often it is triggered. */
export function epochJobId(data: Pick<EpochJobData, "chainId" | "netuid" | "epoch">): string {
  return `epoch-${data.chainId}-${data.netuid}-${data.epoch}`;
}

/** An evaluation job's id: one per (epoch, UID, model), so a recommitted model is a new job. */
export function evaluationJobId(data: Pick<EpochJobData, "chainId" | "netuid" | "epoch">, miner: MinerCommitment) {
  return `eval-${data.chainId}-${data.netuid}-${data.epoch}-${miner.uid}-${miner.digest.slice(2)}`;
}

/**
 * Enqueues an epoch as a BullMQ flow: the epoch job waits for one evaluation job per miner. Job ids
 * are deterministic, so triggering the same epoch again (a restarted watcher, a second validator
 * process) adds nothing. Evaluation jobs retry on an unexpected error (3 attempts, exponential
 * backoff); a bad miner is not an error but a zero score.
 */
export async function enqueueEpoch(flow: FlowProducer, data: EpochJobData): Promise<string> {
  const { miners, ...epoch } = data;
  const id = epochJobId(data);
  await flow.add({
    name: "epoch",
    queueName: EPOCH_QUEUE,
    data,
    // Committing may fail for a while (the RPC away): retried, with backoff.
    opts: { jobId: id, attempts: 4, backoff: { type: "exponential", delay: 2_000 } },
    children: miners.map((miner) => ({
      name: "evaluate",
      queueName: EVALUATION_QUEUE,
      data: { ...epoch, miner } satisfies EvaluationJobData,
      opts: { jobId: evaluationJobId(data, miner), attempts: 3, backoff: { type: "exponential", delay: 1_000 } },
    })),
  });
  return id;
}

export type EvaluationWorkerOptions = {
  readonly connection: ConnectionOptions;
  readonly dataset: SplitDataset;
  readonly fetcher: ModelFetcher;
  readonly pool: EvaluatorPool;
  /** Evaluation jobs run at once (fetches overlap; the pool bounds the models run at once). */
  readonly concurrency?: number;
  /** BullMQ's key prefix: one per validator hotkey when several share a Redis (default `bull`). */
  readonly prefix?: string;
};

/** Fetches and scores one miner's model per job. */
export function startEvaluationWorker(options: EvaluationWorkerOptions): Worker<EvaluationJobData, EvaluationResult> {
  // One epoch's batch at a time: drawn for the first job of an epoch, reused by the others.
  let batch: EvaluationBatch | undefined;
  const batchFor = (seed: string, size: number) => {
    const id = `${seed}:${size}`;
    if (batch?.id !== id) batch = { id, ...drawEvaluationBatch({ seed, set: options.dataset.evaluation, size }) };
    return batch;
  };
  return new Worker<EvaluationJobData, EvaluationResult>(
    EVALUATION_QUEUE,
    async (job: Job<EvaluationJobData>) => {
      const { miner, seed, batchSize } = job.data;
      const base = { uid: miner.uid, commitBlock: miner.commitBlock, modelHash: miner.digest.toLowerCase() };
      const fetched = await options.fetcher.fetch(miner);
      if (!fetched.ok)
        return {
          ...base,
          evaluation: { ok: false, reason: "unfetchable", detail: `${fetched.reason}: ${fetched.detail}` },
        };
      return { ...base, evaluation: await options.pool.evaluate(fetched.bytes, batchFor(seed, batchSize)) };
    },
    { connection: options.connection, concurrency: options.concurrency ?? 4, prefix: options.prefix },
  );
}

export type EpochWorkerOptions = {
  readonly connection: ConnectionOptions;
  readonly classes: number;
  /** Called with the epoch's weights (to commit them on chain) before the job completes. */
  readonly onWeights?: (
    data: EpochJobData,
    weights: readonly MinerWeight[],
    results: readonly EvaluationResult[],
  ) => Promise<void>;
  readonly prefix?: string;
};

/** Turns an epoch's evaluations into weights once every evaluation job has finished. */
export function startEpochWorker(options: EpochWorkerOptions): Worker<EpochJobData, EpochResult> {
  return new Worker<EpochJobData, EpochResult>(
    EPOCH_QUEUE,
    async (job: Job<EpochJobData>) => {
      const results = Object.values(await job.getChildrenValues<EvaluationResult>());
      const weights = weightsFromScores({
        scores: results.map((r) => ({ ...r, commitBlock: BigInt(r.commitBlock) })),
        classes: options.classes,
      });
      await options.onWeights?.(job.data, weights, results);
      return { weights, evaluated: results.length };
    },
    { connection: options.connection, prefix: options.prefix },
  );
}
