/**
 * The validator daemon.
 *
 *   TAONET_HOTKEY_KEY=0x... node workers/validator/main.ts --rpc http://127.0.0.1:8545 --netuid 1
 *
 * Flags: --rpc URL, --netuid N (repeatable), --redis URL (default $REDIS_URL or redis://127.0.0.1:6379),
 * --data-dir DIR (commit journal and model cache; default .taonet/validator), --key-file FILE or
 * --key-env NAME (default TAONET_HOTKEY_KEY), --metrics-port N (Prometheus /metrics; default 9464,
 * 0 for any free port), --batch-size N (256), --pool-size N (evaluating processes, 1),
 * --execution-provider cpu|cuda (cpu), --poll-ms N (1000), --deployment FILE (deployed_addresses.json),
 * --namespace NAME (first part of its Redis keys, "taonet"; one per chain when chains share a Redis).
 * Logs are JSON lines on stdout. SIGINT/SIGTERM stop it cleanly.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { loadDataset, MNIST } from "../model/dataset.ts";
import { integerFlag, loadHotkey, runDaemon, UsageError } from "../shared/daemon.ts";
import { WorkerMetrics } from "../shared/metrics.ts";
import { connectTaonet } from "../shared/taonet-client.ts";
import { Validator } from "./validator.ts";

await runDaemon("validator", async (log) => {
  const { values: flags } = parseArgs({
    options: {
      rpc: { type: "string", default: "http://127.0.0.1:8545" },
      netuid: { type: "string", multiple: true, default: [] },
      redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
      "data-dir": { type: "string", default: ".taonet/validator" },
      "key-file": { type: "string" },
      "key-env": { type: "string" },
      "metrics-port": { type: "string", default: "9464" },
      "batch-size": { type: "string", default: "256" },
      "pool-size": { type: "string", default: "1" },
      "execution-provider": { type: "string", default: "cpu" },
      "poll-ms": { type: "string", default: "1000" },
      deployment: { type: "string" },
      namespace: { type: "string", default: "taonet" },
    },
  });
  if (flags.netuid.length === 0) throw new UsageError("--netuid N is required (repeat it for several subnets)");
  const netuids = flags.netuid.map((n) => BigInt(integerFlag("netuid", n, 1)));
  const provider = flags["execution-provider"];
  if (provider !== "cpu" && provider !== "cuda")
    throw new UsageError(`--execution-provider must be cpu or cuda, got "${provider}"`);
  const account = loadHotkey({ keyFile: flags["key-file"], keyEnv: flags["key-env"] });
  const metrics = new WorkerMetrics("validator");
  const taonet = await connectTaonet({ rpcUrl: flags.rpc, deployment: flags.deployment });
  const validator = new Validator({
    taonet,
    account,
    netuids,
    redisUrl: flags.redis,
    dataDir: path.resolve(flags["data-dir"]),
    dataset: loadDataset(MNIST),
    batchSize: integerFlag("batch-size", flags["batch-size"], 1),
    poolSize: integerFlag("pool-size", flags["pool-size"], 1, 64),
    executionProvider: provider,
    pollMs: integerFlag("poll-ms", flags["poll-ms"], 10),
    log,
    metrics,
    namespace: flags.namespace,
  });
  const served = await metrics.serve(integerFlag("metrics-port", flags["metrics-port"], 0, 65535));
  log.info("metrics", { url: served.url });
  validator.start();
  return async () => {
    await validator.stop();
    await served.close();
  };
});
