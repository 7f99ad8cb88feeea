/**
 * The miner daemon: trains a model on the training part, serves it over HTTP, commits its sha256
 * and URI on chain, and keeps the commitment current (retrying while the chain refuses it, e.g.
 * before the hotkey is registered or inside the subnet's commitment rate limit); with
 * --retrain-every N it trains a new model every N blocks and recommits.
 *
 *   TAONET_HOTKEY_KEY=0x... node workers/miner/main.ts --rpc http://127.0.0.1:8545 --netuid 1 --quality strong
 *
 * Flags: --rpc URL, --netuid N, --quality strong|medium|weak, --seed N (training seed, 1),
 * --host H (127.0.0.1) and --port N (0: any free port) of the model server, --retrain-every N
 * (blocks, 0: never), --poll-ms N (2000), --key-file FILE or --key-env NAME (default
 * TAONET_HOTKEY_KEY), --metrics-port N (9466; 0 for any free port), --deployment FILE.
 */
import { parseArgs } from "node:util";
import { loadDataset, MNIST } from "../model/dataset.ts";
import { integerFlag, loadHotkey, runDaemon, startPolling, UsageError } from "../shared/daemon.ts";
import { errorLine } from "../shared/log.ts";
import { WorkerMetrics } from "../shared/metrics.ts";
import { connectTaonet } from "../shared/taonet-client.ts";
import { TransactionRevertedError, Transactor } from "../shared/transactor.ts";
import { MINER_QUALITIES, publishAndCommit, trainMinerModel, type MinerQuality } from "./miner.ts";
import { ModelServer, type PublishedModel } from "./model-server.ts";

await runDaemon("miner", async (log) => {
  const { values: flags } = parseArgs({
    options: {
      rpc: { type: "string", default: "http://127.0.0.1:8545" },
      netuid: { type: "string" },
      quality: { type: "string", default: "strong" },
      seed: { type: "string", default: "1" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "0" },
      "retrain-every": { type: "string", default: "0" },
      "poll-ms": { type: "string", default: "2000" },
      "key-file": { type: "string" },
      "key-env": { type: "string" },
      "metrics-port": { type: "string", default: "9466" },
      deployment: { type: "string" },
    },
  });
  if (!flags.netuid) throw new UsageError("--netuid N is required");
  const netuid = BigInt(integerFlag("netuid", flags.netuid, 1));
  const quality = flags.quality as MinerQuality;
  if (!(quality in MINER_QUALITIES))
    throw new UsageError(`--quality must be one of ${Object.keys(MINER_QUALITIES).join(", ")}, got "${flags.quality}"`);
  let seed = integerFlag("seed", flags.seed, 0);
  const retrainEvery = BigInt(integerFlag("retrain-every", flags["retrain-every"]));
  const account = loadHotkey({ keyFile: flags["key-file"], keyEnv: flags["key-env"] });
  const minerLog = log.child({ hotkey: account.address, netuid, quality });
  const metrics = new WorkerMetrics("miner");
  const commits = metrics.counter("taonet_miner_commits_total", "Model commitments mined");
  const taonet = await connectTaonet({ rpcUrl: flags.rpc, deployment: flags.deployment });
  const transactor = new Transactor({ client: taonet.client, account, metrics, log: minerLog });
  const dataset = loadDataset(MNIST);
  const server = new ModelServer(flags.host);
  await server.listen(integerFlag("port", flags.port, 0, 65535));
  const served = await metrics.serve(integerFlag("metrics-port", flags["metrics-port"], 0, 65535));

  const train = () => {
    const started = performance.now();
    const model = trainMinerModel({ dataset, quality, seed });
    minerLog.info("model trained", { seed, bytes: model.length, ms: Math.round(performance.now() - started) });
    return model;
  };
  let model = train();
  let committed: { published: PublishedModel; block: bigint } | undefined;
  let lastError = "";
  const chain = {
    commit: async (n: bigint, digest: `0x${string}`, uri: string) => {
      await transactor.send({ ...taonet.contracts.NeuronRegistry, functionName: "commit", args: [n, digest, uri] });
      return "success" as const;
    },
  };
  const stop = startPolling(
    async () => {
      try {
        const head = await taonet.client.getBlockNumber();
        if (committed && retrainEvery > 0n && head >= committed.block + retrainEvery) {
          seed += 1;
          model = train();
          committed = undefined;
        }
        if (committed) return;
        const published = await publishAndCommit({ server, chain, netuid, model });
        committed = { published, block: head };
        commits.inc();
        lastError = "";
        minerLog.info("model committed", { digest: published.digest, uri: published.uri });
      } catch (error) {
        const cause = (error as Error)?.cause;
        const message = cause instanceof TransactionRevertedError ? cause.message : errorLine(error);
        if (message !== lastError) minerLog.warn("commit not made; retrying", { error: message });
        lastError = message;
      }
    },
    integerFlag("poll-ms", flags["poll-ms"], 10),
    (error) => minerLog.error("poll threw", { error: errorLine(error) }),
  );
  minerLog.info("miner started", { metrics: served.url });
  return async () => {
    await stop();
    await Promise.all([server.close(), served.close()]);
  };
});
