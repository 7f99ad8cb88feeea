import { encodeAbiParameters, parseEventLogs, type LocalAccount } from "viem";
import { Hyperparameter as H } from "../shared/hyperparameter.ts";
import { quoteSubnetMedianHints, settleCall } from "../shared/quote-median-hints.ts";
import { TX_GAS_CAP } from "../shared/settle-when-due.ts";
import { RowLogCache, subnetWeightRows } from "../shared/weight-rows.ts";
import { simulation } from "../shared/simulation.ts";
import type { TaonetClient } from "../shared/taonet-client.ts";
import { TransactionRevertedError, type Transactor } from "../shared/transactor.ts";
import type { KeeperChain, MissedReveal } from "./keeper.ts";

/** Blocks per `eth_getLogs` request (public RPCs cap the range). */
const LOG_RANGE = 5_000n;

/**
 * `KeeperChain` over a deployment: reads through the client, sends through the keeper account's
 * `Transactor` (nonces, retries, receipts). Missed-reveal candidates come from the Weights events,
 * scanned incrementally from `fromBlock`: a commit stays a candidate until it is revealed, or until
 * its reveal window has passed and the chain refused its report with a custom error (revealed,
 * dropped, already reported: nothing more to do).
 */
export function keeperChain(params: {
  readonly taonet: TaonetClient;
  readonly account: LocalAccount;
  readonly transactor: Transactor;
  /** The first block to scan for commits (default 0). */
  readonly fromBlock?: bigint;
}): KeeperChain & { readonly forget: (missed: MissedReveal) => void } {
  const { taonet, account, transactor } = params;
  const { YumaSettlement: settlement, Weights: weights, Slashing: slashing } = taonet.contracts;
  const commits = new Map<string, MissedReveal>();
  const rowLogCache = new RowLogCache();
  let scanned = (params.fromBlock ?? 0n) - 1n;
  const key = (hotkey: string, hash: string) => `${hotkey.toLowerCase()}:${hash.toLowerCase()}`;
  const evidence = (m: MissedReveal) =>
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "bytes32" }, { type: "uint64" }],
      [m.netuid, m.hotkey, m.commitHash, m.epoch],
    );
  const status = async (send: () => Promise<unknown>): Promise<"success" | "reverted"> => {
    try {
      await send();
      return "success";
    } catch (error) {
      // Mined and reverted (a race lost inside one block); a refused estimate is thrown as it is.
      if (error instanceof TransactionRevertedError && error.hash) return "reverted";
      throw error;
    }
  };
  return {
    activeSubnets: () => taonet.read<readonly bigint[]>("SubnetRegistry", "activeSubnets"),
    blockNumber: () => taonet.client.getBlockNumber(),
    nextEpochBlock: (netuid) => taonet.read<bigint>("YumaSettlement", "nextEpochBlock", [netuid]),
    openPhase: async (netuid) =>
      Number((await taonet.read<readonly [number | bigint]>("YumaSettlement", "settlementProgress", [netuid]))[0]),
    // One cache for the daemon's life: each row's log is read once, not in every transaction of a
    // chunked run.
    weightRows: (netuid) => subnetWeightRows(taonet, netuid, { cache: rowLogCache }),
    quoteMedianHints: (netuid) => quoteSubnetMedianHints(taonet, netuid, account),
    simulateSettle: (netuid, hints, rows) =>
      simulation(() =>
        taonet.client.simulateContract({ ...settlement, ...settleCall(netuid, hints, rows), account } as never),
      ),
    // The cap as the limit: the settlement measures its gas and stops at a phase boundary, so a big
    // epoch runs as far as one transaction allows (only the gas used is paid).
    settle: (netuid, hints, rows) =>
      status(() => transactor.send({ ...settlement, ...settleCall(netuid, hints, rows), gas: TX_GAS_CAP })),
    missedRevealCandidates: async () => {
      const head = await taonet.client.getBlockNumber();
      while (scanned < head) {
        const from = scanned + 1n;
        const to = from + LOG_RANGE - 1n < head ? from + LOG_RANGE - 1n : head;
        const logs = await taonet.client.getLogs({ address: weights.address, fromBlock: from, toBlock: to });
        for (const log of parseEventLogs({ abi: weights.abi, logs: logs as never })) {
          const args = log.args as { netuid: bigint; hotkey: `0x${string}`; commitHash: `0x${string}`; epoch: bigint };
          if (log.eventName === "WeightsCommitted")
            commits.set(key(args.hotkey, args.commitHash), {
              netuid: args.netuid,
              hotkey: args.hotkey,
              commitHash: args.commitHash,
              epoch: args.epoch,
            });
          else if (log.eventName === "WeightsRevealed") commits.delete(key(args.hotkey, args.commitHash));
        }
        scanned = to;
      }
      // Only commits whose reveal window is over.
      const due: MissedReveal[] = [];
      const epochs = new Map<bigint, bigint>();
      for (const m of commits.values()) {
        if (!epochs.has(m.netuid)) {
          const [current, period] = await Promise.all([
            taonet.read<bigint>("Weights", "currentEpoch", [m.netuid]),
            taonet.read<bigint>("SubnetRegistry", "hyperparameter", [m.netuid, H.RevealPeriod]),
          ]);
          epochs.set(m.netuid, current - period);
        }
        if (m.epoch < epochs.get(m.netuid)!) due.push(m);
      }
      return due;
    },
    simulateReport: async (m) => {
      const result = await simulation(() =>
        taonet.client.simulateContract({
          ...slashing,
          functionName: "reportFault",
          args: [weights.address, evidence(m)],
          account,
        } as never),
      );
      // A custom error past the window is final (revealed, dropped or reported already).
      if (!result.ok && /^[A-Z]\w*$/.test(result.error)) commits.delete(key(m.hotkey, m.commitHash));
      return result;
    },
    report: async (m) => {
      const outcome = await status(() =>
        transactor.send({ ...slashing, functionName: "reportFault", args: [weights.address, evidence(m)] }),
      );
      commits.delete(key(m.hotkey, m.commitHash));
      return outcome;
    },
    forget: (m) => commits.delete(key(m.hotkey, m.commitHash)),
  };
}
