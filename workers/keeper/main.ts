/**
 * The keeper daemon: settles every due epoch of every active subnet and reports missed reveals,
 * each only after an `eth_call` shows it would succeed (keeper.ts), so several keepers can run.
 *
 *   TAONET_HOTKEY_KEY=0x... node workers/keeper/main.ts --rpc http://127.0.0.1:8545
 *
 * Flags: --rpc URL, --key-file FILE or --key-env NAME (default TAONET_HOTKEY_KEY; any funded
 * account, it earns the keeper tips and reporter rewards), --poll-ms N (1000), --from-block N (first
 * block scanned for commits, 0), --metrics-port N (9465; 0 for any free port), --deployment FILE.
 */
import { parseArgs } from "node:util";
import { errorLine } from "../shared/log.ts";
import { integerFlag, loadHotkey, runDaemon, startPolling } from "../shared/daemon.ts";
import { WorkerMetrics } from "../shared/metrics.ts";
import { connectTaonet } from "../shared/taonet-client.ts";
import { Transactor } from "../shared/transactor.ts";
import { keeperMemory, keeperPass } from "./keeper.ts";
import { keeperChain } from "./keeper-chain.ts";

await runDaemon("keeper", async (log) => {
  const { values: flags } = parseArgs({
    options: {
      rpc: { type: "string", default: "http://127.0.0.1:8545" },
      "key-file": { type: "string" },
      "key-env": { type: "string" },
      "poll-ms": { type: "string", default: "1000" },
      "from-block": { type: "string", default: "0" },
      "metrics-port": { type: "string", default: "9465" },
      deployment: { type: "string" },
    },
  });
  const account = loadHotkey({ keyFile: flags["key-file"], keyEnv: flags["key-env"] });
  const pollMs = integerFlag("poll-ms", flags["poll-ms"], 10);
  const fromBlock = BigInt(integerFlag("from-block", flags["from-block"]));
  const metrics = new WorkerMetrics("keeper");
  const settled = metrics.counter("taonet_keeper_settlements_total", "settle() transactions mined", ["outcome"]);
  const reported = metrics.counter("taonet_keeper_reports_total", "Missed reveals reported", ["outcome"]);
  const taonet = await connectTaonet({ rpcUrl: flags.rpc, deployment: flags.deployment });
  const keeperLog = log.child({ keeper: account.address });
  const transactor = new Transactor({ client: taonet.client, account, metrics, log: keeperLog });
  const chain = keeperChain({ taonet, account, transactor, fromBlock });
  const memory = keeperMemory();
  const served = await metrics.serve(integerFlag("metrics-port", flags["metrics-port"], 0, 65535));
  keeperLog.info("keeper started", { chainId: taonet.chainId, metrics: served.url });
  const stop = startPolling(
    async () => {
      try {
        const result = await keeperPass(chain, memory);
        for (const u of result.unhinted)
          keeperLog.warn("median hints not quoted; settling without them", { netuid: u.netuid, error: u.error });
        for (const s of result.settled) {
          settled.inc({ outcome: s.status });
          keeperLog.info("settled", { netuid: s.netuid, status: s.status, hinted: s.hinted });
        }
        for (const r of result.reported) {
          reported.inc({ outcome: r.status });
          keeperLog.info("missed reveal reported", { ...r.missed, status: r.status });
        }
        for (const f of result.failed) keeperLog.warn("transaction not sent", f);
      } catch (error) {
        metrics.failures.inc({ what: "pass" });
        keeperLog.warn("pass failed; retrying at the next one", { error: errorLine(error) });
      }
    },
    pollMs,
    (error) => keeperLog.error("pass threw", { error: errorLine(error) }),
  );
  return async () => {
    await stop();
    await served.close();
  };
});
