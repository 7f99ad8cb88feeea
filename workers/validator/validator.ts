import path from "node:path";
import { FlowProducer, Queue, type Worker } from "bullmq";
import { Redis } from "ioredis";
import { maxUint256, zeroHash, type LocalAccount } from "viem";
import type { SplitDataset } from "../model/dataset.ts";
import { startPolling } from "../shared/daemon.ts";
import { Hyperparameter as H } from "../shared/hyperparameter.ts";
import { createLogger, errorLine, type Logger } from "../shared/log.ts";
import type { WorkerMetrics } from "../shared/metrics.ts";
import { simulation } from "../shared/simulation.ts";
import type { TaonetClient } from "../shared/taonet-client.ts";
import { Transactor } from "../shared/transactor.ts";
import { commitEpochWeights, NoValidatorPermitError, revealDue, type CommitRevealChain } from "./commit-reveal.ts";
import { CommitStore, type CommitRecord } from "./commit-store.ts";
import {
  EPOCH_QUEUE,
  enqueueEpoch,
  epochJobId,
  startEpochWorker,
  startEvaluationWorker,
  type EpochJobData,
  type EvaluationResult,
  type MinerCommitment,
} from "./epoch-flow.ts";
import { EvaluatorPool } from "./evaluator-pool.ts";
import { ModelFetcher } from "./model-fetcher.ts";
import type { MinerWeight } from "./weights-from-scores.ts";

export type ValidatorOptions = {
  readonly taonet: TaonetClient;
  /** The validator's hotkey. */
  readonly account: LocalAccount;
  readonly netuids: readonly bigint[];
  readonly redisUrl: string;
  /** The commit journal and the model cache live here. */
  readonly dataDir: string;
  readonly dataset: SplitDataset;
  /** Samples per evaluation batch (default 256). */
  readonly batchSize?: number;
  /** Evaluating processes (default 1). */
  readonly poolSize?: number;
  readonly executionProvider?: "cpu" | "cuda";
  /** How often the chain is polled (default 1 s). */
  readonly pollMs?: number;
  readonly log?: Logger;
  readonly metrics?: WorkerMetrics;
  /** How long the transactor waits out a dead RPC before a send fails (default 10 minutes). */
  readonly maxOutageMs?: number;
  /** The first part of the validator's Redis keys (default `taonet`): one per chain deployment. */
  readonly namespace?: string;
};

/** What the validator scored in a subnet's last epoch (kept in Redis for dashboards and the devnet). */
export type EpochScores = {
  readonly epoch: string;
  readonly scores: readonly {
    uid: number;
    accuracy?: number;
    loss?: number;
    weight: number;
    zeroBecause?: string;
  }[];
};

type ValidatorMetrics = ReturnType<typeof validatorMetrics>;

function validatorMetrics(metrics: WorkerMetrics) {
  return {
    epochs: metrics.counter("taonet_validator_epochs_total", "Epochs whose evaluation was started", ["netuid"]),
    evaluations: metrics.counter("taonet_validator_evaluations_total", "Models evaluated, by outcome", ["outcome"]),
    evaluationSeconds: metrics.histogram(
      "taonet_validator_evaluation_seconds",
      "Time to score one model (in the evaluating process)",
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
    epochSeconds: metrics.histogram(
      "taonet_validator_epoch_seconds",
      "From an epoch's enqueueing to its weights",
      [0.5, 1, 2.5, 5, 10, 25, 60, 120],
    ),
    commits: metrics.counter("taonet_validator_commits_total", "Weight commits (or direct setWeights) mined", [
      "netuid",
    ]),
    reveals: metrics.counter("taonet_validator_reveals_total", "Weight reveals mined", ["netuid"]),
    tickFailures: metrics.counter("taonet_validator_tick_failures_total", "Poll passes that failed (retried)", [
      "error",
    ]),
  };
}

/**
 * The validator: watches its subnets' epochs on the chain and, once per epoch, fans out one
 * evaluation job per committed model (a BullMQ flow on Redis, deterministic job ids, so a repeated
 * trigger adds nothing), turns the scores into weights, and commits them (salt and weights stored in
 * the journal and Redis first) or sets them directly where commit-reveal is off; every poll it
 * reveals what is due. Nothing it needs lives only in memory: after a crash, a new process finds its
 * commits in the store and its epoch jobs in Redis, and goes on. A poll that fails (RPC or Redis
 * away) is logged and retried at the next one.
 */
export class Validator {
  readonly #o: ValidatorOptions;
  readonly #log: Logger;
  readonly #m?: ValidatorMetrics;
  readonly #hotkey: `0x${string}`;
  readonly #prefix: string;
  readonly #redis: Redis;
  readonly #store: CommitStore;
  readonly #transactor: Transactor;
  readonly #chain: CommitRevealChain;
  readonly #pool: EvaluatorPool;
  readonly #flow: FlowProducer;
  readonly #epochs: Queue;
  readonly #workers: Worker[];
  /** `netuid:epoch` pairs done: weights committed or set (or nothing to commit). */
  readonly #done = new Set<string>();
  readonly #enqueuedAt = new Map<string, number>();
  readonly #warned = new Set<string>();
  #stopPolling: (() => Promise<void>) | undefined;

  constructor(options: ValidatorOptions) {
    this.#o = options;
    this.#hotkey = options.account.address;
    this.#log = (options.log ?? createLogger({ component: "validator" })).child({ hotkey: this.#hotkey });
    this.#m = options.metrics ? validatorMetrics(options.metrics) : undefined;
    this.#prefix = `${options.namespace ?? "taonet"}:${options.taonet.chainId}:${this.#hotkey.toLowerCase()}`;
    // `maxRetriesPerRequest: null`: while Redis is away commands wait for it instead of failing.
    this.#redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.#redis.on("error", (error) => this.#log.warn("redis", { error: errorLine(error) }));
    this.#store = new CommitStore({
      journal: path.join(options.dataDir, `commits-${options.taonet.chainId}-${this.#hotkey.toLowerCase()}.jsonl`),
      redis: this.#redis,
      namespace: this.#prefix,
    });
    this.#transactor = new Transactor({
      client: options.taonet.client,
      account: options.account,
      metrics: options.metrics,
      log: this.#log,
      maxOutageMs: options.maxOutageMs,
    });
    this.#chain = this.#commitRevealChain();
    this.#pool = new EvaluatorPool({
      size: options.poolSize ?? 1,
      executionProvider: options.executionProvider,
      onFallback: (detail) => this.#log.warn("CUDA unavailable: evaluating on the CPU", { detail }),
    });
    const connection = this.#redis;
    this.#flow = new FlowProducer({ connection, prefix: this.#prefix });
    this.#epochs = new Queue(EPOCH_QUEUE, { connection, prefix: this.#prefix });
    const evaluation = startEvaluationWorker({
      connection,
      prefix: this.#prefix,
      dataset: options.dataset,
      fetcher: new ModelFetcher({ cacheDir: path.join(options.dataDir, "models") }),
      pool: this.#pool,
    });
    evaluation.on("completed", (_job, result: EvaluationResult) => {
      const e = result.evaluation;
      this.#m?.evaluations.inc({ outcome: e.ok ? "scored" : e.reason });
      if (e.ok) this.#m?.evaluationSeconds.observe(e.durationMs / 1000);
      this.#log.debug("model evaluated", { uid: result.uid, ...e });
    });
    const epoch = startEpochWorker({
      connection,
      prefix: this.#prefix,
      classes: options.dataset.evaluation.classes,
      onWeights: (data, weights, results) => this.#onWeights(data, weights, results),
    });
    for (const worker of [evaluation, epoch])
      worker.on("failed", (job, error) => this.#log.warn("job failed", { job: job?.id, error: errorLine(error) }));
    this.#workers = [evaluation, epoch];
  }

  get hotkey(): `0x${string}` {
    return this.#hotkey;
  }

  /** Polls every `pollMs` until `stop()`. */
  start(): void {
    this.#log.info("validator started", { netuids: this.#o.netuids, chainId: this.#o.taonet.chainId });
    this.#stopPolling = startPolling(
      () => this.tick(),
      this.#o.pollMs ?? 1_000,
      (error) => this.#log.error("poll threw", { error: errorLine(error) }),
    );
  }

  /** One pass: start every new epoch's evaluation, reveal what is due. Never throws. */
  async tick(): Promise<void> {
    try {
      const epochs = new Map<string, { current: bigint; revealPeriod: bigint }>();
      for (const netuid of this.#o.netuids) {
        const current = await this.#read<bigint>("Weights", "currentEpoch", [netuid]);
        const revealPeriod = await this.#read<bigint>("SubnetRegistry", "hyperparameter", [netuid, H.RevealPeriod]);
        epochs.set(netuid.toString(), { current, revealPeriod });
        await this.#startEpoch(netuid, current);
      }
      const result = await revealDue({
        store: this.#store,
        chain: this.#chain,
        consider: (r) => {
          const e = epochs.get(r.netuid);
          // Only in its reveal epoch: before it the commit may still be in flight, after it, too late.
          return e !== undefined && BigInt(r.epoch) + e.revealPeriod === e.current;
        },
      });
      for (const r of result.revealed) {
        this.#m?.reveals.inc({ netuid: r.netuid });
        this.#log.info("weights revealed", { netuid: r.netuid, epoch: r.epoch, transaction: r.transaction });
      }
      for (const w of result.waiting) {
        const key = `${w.record.hash}:${w.error}`;
        // Too early, or the epoch is being settled: both pass by themselves.
        if (w.error !== "RevealTooEarly" && w.error !== "SubnetSettling" && !this.#warned.has(key)) {
          this.#warned.add(key);
          this.#log.warn("reveal refused", { netuid: w.record.netuid, epoch: w.record.epoch, error: w.error });
        }
      }
    } catch (error) {
      this.#m?.tickFailures.inc({ error: (error as Error)?.name ?? "Error" });
      this.#log.warn("poll failed; retrying at the next one", { error: errorLine(error) });
    }
  }

  async #startEpoch(netuid: bigint, current: bigint): Promise<void> {
    const key = `${netuid}:${current}`;
    if (this.#done.has(key)) return;
    const [registered] = await this.#read<[boolean, bigint]>("NeuronRegistry", "uidOf", [netuid, this.#hotkey]);
    if (!registered) {
      if (!this.#warned.has(`unregistered:${netuid}`)) {
        this.#warned.add(`unregistered:${netuid}`);
        this.#log.warn("hotkey not registered in the subnet: waiting", { netuid });
      }
      return;
    }
    if (await this.#committed(netuid, current)) {
      this.#done.add(key);
      return;
    }
    const chainId = this.#o.taonet.chainId;
    const id = epochJobId({ chainId, netuid: netuid.toString(), epoch: current.toString() });
    if (await this.#epochs.getJob(id)) return; // running, or finished without anything to commit
    const seed = await this.#seed(netuid, current);
    const [page] = await this.#read<[readonly MetagraphNeuron[], bigint]>("MetagraphLens", "metagraph", [
      netuid,
      0n,
      maxUint256,
    ]);
    const miners: MinerCommitment[] = page
      .filter((n) => n.commitment.digest !== zeroHash && n.hotkey.toLowerCase() !== this.#hotkey.toLowerCase())
      .map((n) => ({
        uid: Number(n.uid),
        digest: n.commitment.digest,
        uri: n.commitment.uri,
        commitBlock: n.commitment.committedAtBlock.toString(),
      }));
    const data: EpochJobData = {
      chainId,
      netuid: netuid.toString(),
      epoch: current.toString(),
      seed,
      batchSize: Math.min(this.#o.batchSize ?? 256, this.#o.dataset.evaluation.count),
      miners,
    };
    await enqueueEpoch(this.#flow, data);
    this.#enqueuedAt.set(key, performance.now());
    this.#m?.epochs.inc({ netuid: netuid.toString() });
    this.#log.info("epoch evaluation started", { netuid, epoch: current, miners: miners.length, seed });
  }

  /** The hash of the epoch's first block: every validator draws the same batch from it. */
  async #seed(netuid: bigint, current: bigint): Promise<`0x${string}`> {
    const clock = await this.#read<{ epochIndex: bigint; lastEpochBlock: bigint }>("Weights", "epochClock", [netuid]);
    let start = clock.lastEpochBlock;
    if (start === 0n)
      start = (await this.#read<{ createdAtBlock: bigint }>("SubnetRegistry", "subnet", [netuid])).createdAtBlock;
    // Due but not settled yet: the epoch began `tempo` blocks after the last one.
    if (current > clock.epochIndex)
      start += await this.#read<bigint>("SubnetRegistry", "hyperparameter", [netuid, H.Tempo]);
    const block = await this.#o.taonet.client.getBlock({ blockNumber: start });
    return block.hash;
  }

  async #committed(netuid: bigint, epoch: bigint): Promise<boolean> {
    const records = await this.#store.all();
    return records.some((r) => r.netuid === netuid.toString() && r.epoch === epoch.toString());
  }

  async #onWeights(
    data: EpochJobData,
    weights: readonly MinerWeight[],
    results: readonly EvaluationResult[],
  ): Promise<void> {
    const netuid = BigInt(data.netuid);
    const key = `${data.netuid}:${data.epoch}`;
    const started = this.#enqueuedAt.get(key);
    if (started !== undefined) this.#m?.epochSeconds.observe((performance.now() - started) / 1000);
    const byUid = new Map(results.map((r) => [r.uid, r.evaluation]));
    const scores: EpochScores = {
      epoch: data.epoch,
      scores: weights.map((w) => {
        const e = byUid.get(w.uid);
        return {
          uid: w.uid,
          ...(e?.ok ? { accuracy: e.accuracy, loss: e.loss } : {}),
          weight: w.weight,
          ...(w.zeroBecause ? { zeroBecause: w.zeroBecause } : {}),
        };
      }),
    };
    await this.#redis.hset(`${this.#prefix}:scores`, data.netuid, JSON.stringify(scores));
    if (await this.#committed(netuid, BigInt(data.epoch))) return; // a retried job after a crash
    const current = await this.#read<bigint>("Weights", "currentEpoch", [netuid]);
    if (current.toString() !== data.epoch) {
      this.#log.warn("epoch ended before its evaluation: not committed", { netuid, epoch: data.epoch });
      this.#done.add(key);
      return;
    }
    if (!weights.some((w) => w.weight > 0)) {
      const log = data.miners.length === 0 ? this.#log.info : this.#log.warn;
      log(data.miners.length === 0 ? "no model committed yet" : "no model earned a weight: nothing to commit", {
        netuid,
        epoch: data.epoch,
      });
      this.#done.add(key);
      return;
    }
    await this.#awaitSettled(netuid, BigInt(data.epoch));
    // Weights without a permit are refused (setWeights) or dropped (a reveal honours the commit and
    // stores nothing): none are submitted until a settlement grants one.
    const noPermit = () => {
      this.#log.warn("no validator permit: weights not submitted (more stake earns one at a settlement)", {
        netuid,
        epoch: data.epoch,
      });
      this.#done.add(key);
    };
    const versionKey = await this.#read<bigint>("SubnetRegistry", "hyperparameter", [netuid, H.WeightsVersionKey]);
    const commitReveal = await this.#read<bigint>("SubnetRegistry", "hyperparameter", [netuid, H.CommitRevealEnabled]);
    if (commitReveal === 0n) {
      if (!(await this.#chain.holdsValidatorPermit(netuid))) return noPermit();
      const kept = weights.filter((w) => w.weight > 0);
      const sent = await this.#transactor.send({
        ...this.#o.taonet.contracts.Weights,
        functionName: "setWeights",
        args: [netuid, kept.map((w) => w.uid), kept.map((w) => w.weight), versionKey],
      });
      this.#done.add(key);
      this.#m?.commits.inc({ netuid: data.netuid });
      this.#log.info("weights set", { netuid, epoch: data.epoch, transaction: sent.hash, weights: kept.length });
      return;
    }
    let record;
    try {
      // It checks the permit itself, before storing or sending anything.
      record = await commitEpochWeights({ store: this.#store, chain: this.#chain, netuid, weights, versionKey });
    } catch (error) {
      if (error instanceof NoValidatorPermitError) return noPermit();
      throw error;
    }
    this.#done.add(key);
    this.#m?.commits.inc({ netuid: data.netuid });
    this.#log.info("weights committed", {
      netuid,
      epoch: record.epoch,
      transaction: record.transaction,
      weights: record.uids.length,
    });
  }

  /**
   * Waits until the chain has settled the epoch before `epoch` (weights are refused between an
   * epoch's due block and its settlement: `SubnetSettling`), for up to a minute; then throws, and
   * the epoch job is retried.
   */
  async #awaitSettled(netuid: bigint, epoch: bigint): Promise<void> {
    for (let waited = 0; ; waited += 500) {
      const clock = await this.#read<{ epochIndex: bigint; settling: boolean }>("Weights", "epochClock", [netuid]);
      if (clock.epochIndex >= epoch && !clock.settling) return;
      if (waited >= 60_000) throw new Error(`epoch ${epoch - 1n} of subnet ${netuid} still unsettled after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  #commitRevealChain(): CommitRevealChain {
    const weights = this.#o.taonet.contracts.Weights;
    const revealArgs = (r: CommitRecord) => [
      BigInt(r.netuid),
      [...r.uids],
      [...r.values],
      r.salt,
      BigInt(r.versionKey),
    ];
    return {
      chainId: this.#o.taonet.chainId,
      weights: weights.address,
      hotkey: this.#hotkey,
      currentEpoch: (netuid) => this.#read<bigint>("Weights", "currentEpoch", [netuid]),
      holdsValidatorPermit: async (netuid) => {
        const [registered, uid] = await this.#read<[boolean, bigint]>("NeuronRegistry", "uidOf", [
          netuid,
          this.#hotkey,
        ]);
        return registered && this.#read<boolean>("NeuronRegistry", "hasValidatorPermit", [netuid, uid]);
      },
      commitWeights: async (netuid, hash) =>
        (await this.#transactor.send({ ...weights, functionName: "commitWeights", args: [netuid, hash] })).hash,
      simulateReveal: (r) =>
        simulation(() =>
          this.#o.taonet.client.simulateContract({
            ...weights,
            functionName: "revealWeights",
            args: revealArgs(r),
            account: this.#o.account,
          } as never),
        ),
      revealWeights: async (r) =>
        (await this.#transactor.send({ ...weights, functionName: "revealWeights", args: revealArgs(r) })).hash,
    };
  }

  #read<T>(contract: Parameters<TaonetClient["read"]>[0], functionName: string, args: readonly unknown[]): Promise<T> {
    return this.#o.taonet.read<T>(contract, functionName, args);
  }

  /** The scores of `netuid`'s last evaluated epoch, as stored in Redis (undefined before one). */
  async lastScores(netuid: bigint): Promise<EpochScores | undefined> {
    const value = await this.#redis.hget(`${this.#prefix}:scores`, netuid.toString());
    return value ? (JSON.parse(value) as EpochScores) : undefined;
  }

  /** Stops polling, finishes the pass under way, closes the workers, the pool and Redis. */
  async stop(): Promise<void> {
    await this.#stopPolling?.();
    await Promise.all(this.#workers.map((w) => w.close()));
    await Promise.all([this.#flow.close(), this.#epochs.close(), this.#pool.close()]);
    this.#redis.disconnect();
    this.#log.info("validator stopped");
  }
}

type MetagraphNeuron = {
  readonly uid: bigint;
  readonly hotkey: `0x${string}`;
  readonly commitment: { digest: `0x${string}`; committedAtBlock: bigint; uri: string };
};
