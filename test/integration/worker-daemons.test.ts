import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseEther, parseEventLogs, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { DaemonProcess } from "../helpers/daemon-process.ts";
import { rpcProxy } from "../helpers/rpc-proxy.ts";
import { servedTaonet } from "../helpers/served-taonet.ts";
import { loadDataset, MNIST, type SplitDataset } from "../../workers/model/dataset.ts";
import { ModelServer } from "../../workers/miner/model-server.ts";
import { publishAndCommit, trainMinerModel, type MinerQuality } from "../../workers/miner/miner.ts";
import { epochOutputs } from "../../workers/shared/epoch-outputs.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";
import { testRedis, type TestRedis } from "../../workers/shared/test-redis.ts";
import type { CommitRecord } from "../../workers/validator/commit-store.ts";

/**
 * The worker daemons as an operator runs them: separate processes reaching a served chain over RPC
 * (a block every 500 ms, transactions waiting for it), Redis, and each other only through the
 * chain. A full epoch end to end with miner, validator and two keeper daemons; then the faults:
 * a validator killed (-9) right after sending its commit, Redis restarted without its data
 * mid-epoch, and the RPC taken away for a while.
 */
describe("Worker daemons", { timeout: 300_000 }, () => {
  let dataset: SplitDataset;
  before(() => {
    dataset = loadDataset(MNIST);
  });

  it("run a full epoch: miners commit, the validator scores, commits and reveals, keepers settle once, stakes grow as the epoch says", async () => {
    const s = await subnet({ miners: ["strong", "medium", "weak"], minersInProcess: false });
    try {
      const validator = s.validator();
      const keepers = [s.keeper(), s.keeper()];
      // The miners commit at their own pace: wait for an epoch whose weights cover all three.
      const minerUids = s.miners.map((m) => m.uid);
      const paid = await s.firstEpochPaidByWeights(180_000, (incentive) =>
        minerUids.every((uid) => incentive[uid]! > 0),
      );

      // The weights the epoch used and its incentive follow model quality.
      // (Read at the settlement block: the reveal may have landed in it, before the settlement.)
      const { values: row } = await s.t.storedRow(s.netuid, 0n, paid.settledAt);
      const weights = minerUids.map((uid) => row[uid]!);
      assert.ok(weights[0]! > weights[1]! && weights[1]! > weights[2]! && weights[2]! > 0, `weights ${weights}`);
      const incentive = minerUids.map((uid) => paid.outputs.incentive[uid]!);
      assert.ok(incentive[0]! > incentive[1]! && incentive[1]! > incentive[2]!, `incentive ${incentive}`);
      assert.ok(paid.outputs.dividends[0]! > 0, "the validator earns dividends");

      // Every UID's stake grew by exactly the emission the epoch's event gives it.
      for (const n of [s.validatorNeuron, ...s.miners]) {
        const before = await s.t.staking.read.totalStake([n.hotkey], { blockNumber: paid.startedAt - 1n });
        const after = await s.t.staking.read.totalStake([n.hotkey], { blockNumber: paid.settledAt });
        const emission = paid.outputs.minerEmission[n.uid]! + paid.outputs.validatorEmission[n.uid]!;
        assert.equal(after - before, emission, `UID ${n.uid}`);
        assert.ok(emission > 0n, `UID ${n.uid} earned`);
      }

      // Two keepers: each epoch settled once, in order; a keeper only loses a race now and then.
      const settled = await s.settledEpochs();
      assert.deepEqual(
        settled,
        settled.map((_, i) => BigInt(i + 1)),
      );
      const lost = keepers.flatMap((k) => k.lines.filter((l) => l.msg === "transaction not sent"));
      assert.ok(lost.length <= settled.length, `${lost.length} lost races for ${settled.length} epochs`);

      // The validator's Prometheus endpoint counts what it did. The reveal the epoch used may have
      // landed in the settlement's block, before the validator had its receipt: wait for its log line
      // (logged after the transaction counter counts it).
      await validator.waitFor((l) => l.msg === "weights revealed", 60_000, "a reveal confirmed");
      const metricsUrl = (await validator.waitFor((l) => l.msg === "metrics")).url as string;
      const metrics = await (await fetch(metricsUrl)).text();
      assert.match(metrics, /taonet_validator_commits_total\{netuid="\d+",component="validator"\} [1-9]/);
      assert.match(
        metrics,
        /taonet_transactions_total\{what="revealWeights",outcome="success",component="validator"\} [1-9]/,
      );
      assert.match(metrics, /taonet_validator_evaluations_total\{outcome="scored",component="validator"\} [1-9]/);

      for (const d of [validator, ...keepers, ...s.minerDaemons])
        assert.equal(await d.stop(), 0, `${d.name} stops cleanly`);
    } finally {
      await s.close();
    }
  });

  it("a validator killed right after sending its commit reveals it in the window once restarted", async () => {
    const s = await subnet({ miners: ["strong", "weak"] });
    try {
      s.keeper();
      const first = s.validator();
      await first.waitFor((l) => l.msg === "transaction sent" && l.what === "commitWeights", 90_000, "commit sent");
      await first.kill();
      const [record] = (await s.journal()).filter((r) => r.status !== "revealed");
      assert.ok(record, "the commit was journaled before it was sent");
      s.log(`killed with the commit ${record.status}`);

      const second = s.validator();
      const reveal = await s.waitForReveal(record.hash, 60_000);
      assert.equal(reveal.commitEpoch, BigInt(record.epoch));
      const commits = await s.commitsOf(s.validatorNeuron.hotkey);
      assert.equal(commits.filter((c) => c.epoch === BigInt(record.epoch)).length, 1, "no second commit");
      // The reveal is on chain; the restarted validator logs it once it has the receipt.
      await second.waitFor((l) => l.msg === "weights revealed" && l.epoch === record.epoch, 30_000, "its reveal");
      await second.stop();
    } finally {
      await s.close();
    }
  });

  it("loses nothing when Redis restarts without its data mid-epoch", async () => {
    const s = await subnet({ miners: ["strong", "medium"], ownRedis: true });
    try {
      s.keeper();
      const validator = s.validator();
      const committed = await validator.waitFor((l) => l.msg === "weights committed", 90_000, "a commit");
      await s.redis.restart!(); // every queue and record in Redis is gone
      const epoch = BigInt(committed.epoch as string);
      const [record] = (await s.journal()).filter((r) => r.epoch === committed.epoch);
      await s.waitForReveal(record!.hash, 60_000);
      // The next epoch's flow is enqueued anew in the empty Redis, scored and committed.
      await validator.waitFor(
        (l) => l.msg === "weights committed" && BigInt(l.epoch as string) > epoch,
        60_000,
        "a commit after the restart",
      );
      await validator.stop();
    } finally {
      await s.close();
    }
  });

  it("catches up after the RPC was away for a while", async () => {
    const s = await subnet({ miners: ["strong", "medium"], tempo: 16n });
    const proxy = await rpcProxy(s.url);
    try {
      s.keeper();
      const validator = s.validator(proxy.url);
      const committed = await validator.waitFor((l) => l.msg === "weights committed", 90_000, "a commit");
      await proxy.down();
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await proxy.up();
      assert.ok(validator.alive, "the validator survived the outage");
      assert.ok(
        validator.lines.some((l) => l.msg === "poll failed; retrying at the next one"),
        "the outage was felt",
      );
      const [record] = (await s.journal()).filter((r) => r.epoch === committed.epoch);
      await s.waitForReveal(record!.hash, 60_000);
      await validator.waitFor(
        (l) => l.msg === "weights committed" && BigInt(l.epoch as string) > BigInt(committed.epoch as string),
        60_000,
        "a commit after the outage",
      );
      await validator.stop();
    } finally {
      await proxy.down();
      await s.close();
    }
  });

  /**
   * A commit-reveal subnet on a served chain: UID 0 a validator (staked 300 TAO, the only permit),
   * then one miner per quality, whose models are committed in this process (`minersInProcess`) or by
   * miner daemons; Redis (a private one with `ownRedis`); helpers to start daemons and read events.
   */
  async function subnet({
    miners: qualities,
    minersInProcess = true,
    ownRedis = false,
    tempo = 10n,
  }: {
    miners: MinerQuality[];
    minersInProcess?: boolean;
    ownRedis?: boolean;
    tempo?: bigint;
  }) {
    const served = await servedTaonet();
    // What this subnet opened, closed in reverse order by `close` (also when the setup below throws),
    // each step bounded so that a stuck one cannot hold the test run open after a failure.
    const opened: { what: string; close: () => Promise<unknown> }[] = [{ what: "chain", close: () => served.close() }];
    const close = async () => {
      for (const { what, close: step } of opened.splice(0).reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve("did not close in 15 s"), 15_000);
        });
        const outcome = await Promise.race([
          step().then(
            () => "",
            (error: unknown) => String(error),
          ),
          late,
        ]);
        clearTimeout(timer);
        if (outcome) process.stdout.write(`# closing ${what}: ${outcome}\n`);
      }
    };
    try {
      return await setUp();
    } catch (error) {
      await close();
      throw error;
    }

    async function setUp() {
      const { t } = served;
      const { alice, bob, carol } = t.accounts;
      const netuid = await t.createSubnet(alice);
      for (const [parameter, value] of [
        [H.Tempo, tempo],
        [H.CommitRevealEnabled, 1n],
        [H.RevealPeriod, 1n],
        [H.WeightsRateLimit, 0n],
        [H.MaxAllowedValidators, 1n],
        [H.TargetRegistrationsPerInterval, 64n],
      ] as const)
        await t.subnetRegistry.write.setHyperparameter([netuid, parameter, value], { account: alice.account });
      const register = async (coldkey: typeof bob) => {
        const { hotkey, uid } = await t.registerNeuron(coldkey, netuid);
        await t.networkHelpers.setBalance(hotkey.address, parseEther("10"));
        return { uid: Number(uid), hotkey: hotkey.address, key: hotkey.privateKey, account: hotkey };
      };
      const validatorNeuron = await register(bob);
      await t.stake(bob, validatorNeuron.hotkey, parseEther("300"));
      const miners = [];
      for (const quality of qualities) miners.push({ ...(await register(carol)), quality });
      const modelServer = new ModelServer();
      await modelServer.listen();
      opened.push({ what: "model server", close: () => modelServer.close() });
      if (minersInProcess)
        for (const [i, m] of miners.entries()) {
          await publishAndCommit({
            server: modelServer,
            netuid,
            model: trainMinerModel({ dataset, quality: m.quality, seed: i + 1 }),
            chain: {
              commit: async (n, digest, uri) =>
                t.publicClient
                  .waitForTransactionReceipt({
                    hash: await t.neuronRegistry.write.commit([n, digest, uri], { account: m.account }),
                  })
                  .then((r) => r.status),
            },
          });
        }
      await served.intervalMining();
      const redis: TestRedis = await testRedis({ own: ownRedis });
      opened.push({ what: "Redis", close: () => redis.stop() });
      const namespace = `daemons-${process.pid}-${Date.now()}`;
      const dataDir = path.join(served.dir, "validator");
      const daemons: DaemonProcess[] = [];
      const common = (url: string) => ["--rpc", url, "--deployment", served.deployment, "--metrics-port", "0"];
      const start = (name: string, script: string, args: string[], key: `0x${string}`) => {
        const d = new DaemonProcess(name, script, args, { TAONET_HOTKEY_KEY: key, TAONET_LOG_LEVEL: "info" });
        daemons.push(d);
        opened.push({ what: name, close: () => d.kill() });
        return d;
      };
      const minerDaemons = minersInProcess
        ? []
        : miners.map((m, i) =>
            start(
              `miner-${m.uid}`,
              "workers/miner/main.ts",
              [
                ...common(served.url),
                "--netuid",
                `${netuid}`,
                "--quality",
                m.quality,
                "--seed",
                `${i + 1}`,
                "--poll-ms",
                "300",
              ],
              m.key,
            ),
          );
      const weightsLogs = async () => t.publicClient.getLogs({ address: t.weights.address, fromBlock: 0n });
      const settlementEvents = async () =>
        parseEventLogs({
          abi: t.yumaSettlement.abi,
          logs: await t.publicClient.getLogs({ address: t.yumaSettlement.address, fromBlock: 0n }),
        });
      const poll = async <T>(find: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const found = await find();
          if (found !== undefined) return found;
          if (Date.now() > deadline)
            throw new Error(
              `no ${what} in ${timeoutMs} ms; daemons:\n${daemons.map((d) => `${d.name}: ${d.tail(6)}`).join("\n")}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      };
      return {
        t,
        url: served.url,
        netuid,
        redis,
        validatorNeuron,
        miners,
        minerDaemons,
        log: (message: string) => process.stdout.write(`# ${message}\n`),
        validator: (url = served.url) =>
          start(
            "validator",
            "workers/validator/main.ts",
            [
              ...common(url),
              ...["--netuid", `${netuid}`, "--redis", redis.url, "--namespace", namespace],
              ...["--data-dir", dataDir, "--poll-ms", "200", "--batch-size", "128"],
            ],
            validatorNeuron.key,
          ),
        keeper: () => {
          const key = generatePrivateKey();
          void t.networkHelpers.setBalance(privateKeyToAccount(key).address, parseEther("10"));
          return start("keeper", "workers/keeper/main.ts", [...common(served.url), "--poll-ms", "250"], key);
        },
        journal: async (): Promise<CommitRecord[]> => {
          const file = path.join(dataDir, `commits-${t.chainId}-${validatorNeuron.hotkey.toLowerCase()}.jsonl`);
          const latest = new Map<string, CommitRecord>();
          for (const line of (await readFile(file, "utf8")).split("\n").filter(Boolean)) {
            const r = JSON.parse(line) as CommitRecord;
            latest.set(r.hash, r);
          }
          return [...latest.values()];
        },
        commitsOf: async (hotkey: Address) =>
          parseEventLogs({ abi: t.weights.abi, eventName: "WeightsCommitted", logs: await weightsLogs() })
            .filter((e) => e.args.hotkey.toLowerCase() === hotkey.toLowerCase())
            .map((e) => e.args),
        waitForReveal: (hash: `0x${string}`, timeoutMs: number) =>
          poll(
            async () =>
              parseEventLogs({ abi: t.weights.abi, eventName: "WeightsRevealed", logs: await weightsLogs() }).find(
                (e) => e.args.commitHash === hash,
              )?.args,
            timeoutMs,
            `reveal of ${hash}`,
          ),
        settledEpochs: async () =>
          (await settlementEvents()).flatMap((e) => (e.eventName === "EpochSettled" ? [e.args.epochIndex] : [])),
        /** The first settled epoch whose incentive is not all zero (and passes `accept`): its outputs and blocks. */
        firstEpochPaidByWeights: (timeoutMs: number, accept: (incentive: readonly number[]) => boolean = () => true) =>
          poll(
            async () => {
              const events = await settlementEvents();
              for (const e of events) {
                if (e.eventName !== "EpochOutputs") continue;
                const outputs = epochOutputs(e.args);
                if (!outputs.incentive.some((x) => x > 0) || !accept(outputs.incentive)) continue;
                const started = events.find(
                  (x) => x.eventName === "EpochStarted" && x.args.epochIndex === e.args.epochIndex,
                );
                const settled = events.find(
                  (x) => x.eventName === "EpochSettled" && x.args.epochIndex === e.args.epochIndex,
                );
                if (started && settled)
                  return { outputs, startedAt: started.blockNumber, settledAt: settled.blockNumber };
              }
              return undefined;
            },
            timeoutMs,
            "epoch paid by weights",
          ),
        close,
      };
    }
  }
});
