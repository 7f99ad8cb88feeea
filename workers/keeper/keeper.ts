/**
 * The keeper's work, one pass at a time: settle (or continue) every subnet epoch that is due, and
 * report every missed reveal, each only after a call (`eth_call`) shows the transaction would
 * succeed. So several keepers at once neither double-settle (the settlement contract refuses a second
 * settlement of one epoch, and the later keeper's call sees it) nor keep sending transactions that
 * fail; the only failing transaction a keeper can send is one that loses a race in the same block.
 *
 * The chain is reached through `KeeperChain`, so the devnet, the tests and the keeper daemon share
 * this logic whatever client they hold.
 */

/** The evidence of one missed reveal (`Weights.verifyFault`'s input). */
export type MissedReveal = {
  readonly netuid: bigint;
  readonly hotkey: `0x${string}`;
  readonly commitHash: `0x${string}`;
  readonly epoch: bigint;
};

import type { Simulation } from "../shared/simulation.ts";

export interface KeeperChain {
  activeSubnets(): Promise<readonly bigint[]>;
  blockNumber(): Promise<bigint>;
  nextEpochBlock(netuid: bigint): Promise<bigint>;
  /** `settlementProgress(netuid)`'s phase: 0 when no settlement is open. */
  openPhase(netuid: bigint): Promise<number>;
  simulateSettle(netuid: bigint): Promise<Simulation>;
  /** Sends `settle(netuid)`; resolves with the receipt's status. */
  settle(netuid: bigint): Promise<"success" | "reverted">;
  /** Commits whose reveal the chain may consider missed (from the commit and reveal events). */
  missedRevealCandidates(): Promise<readonly MissedReveal[]>;
  simulateReport(missed: MissedReveal): Promise<Simulation>;
  report(missed: MissedReveal): Promise<"success" | "reverted">;
}

export type KeeperPassResult = {
  /** Subnets a settlement transaction was sent for (one per subnet and pass), with its status. */
  readonly settled: readonly { netuid: bigint; status: "success" | "reverted" }[];
  readonly reported: readonly { missed: MissedReveal; status: "success" | "reverted" }[];
  /** What was due or candidate but not sent, and why (the call's error). */
  readonly skipped: readonly { what: string; error: string }[];
  /** Transactions the client could not send (a node refusing one that now fails, a dead RPC). */
  readonly failed: readonly { what: string; error: string }[];
};

/** One pass over every active subnet and every missed-reveal candidate. */
export async function keeperPass(chain: KeeperChain): Promise<KeeperPassResult> {
  const settled: { netuid: bigint; status: "success" | "reverted" }[] = [];
  const reported: { missed: MissedReveal; status: "success" | "reverted" }[] = [];
  const skipped: { what: string; error: string }[] = [];
  const failed: { what: string; error: string }[] = [];
  const head = await chain.blockNumber();
  for (const netuid of await chain.activeSubnets()) {
    // Due in the next block, or a run left open by an earlier pass (anyone's).
    const open = (await chain.openPhase(netuid)) !== 0;
    if (!open && head + 1n < (await chain.nextEpochBlock(netuid))) continue;
    const simulation = await chain.simulateSettle(netuid);
    if (!simulation.ok) {
      skipped.push({ what: `settle ${netuid}`, error: simulation.error });
      continue;
    }
    const status = await send(() => chain.settle(netuid), `settle ${netuid}`, failed);
    if (status) settled.push({ netuid, status });
  }
  for (const missed of await chain.missedRevealCandidates()) {
    const simulation = await chain.simulateReport(missed);
    if (!simulation.ok) {
      skipped.push({ what: `report ${missed.netuid}/${missed.hotkey}/${missed.commitHash}`, error: simulation.error });
      continue;
    }
    const status = await send(() => chain.report(missed), `report ${missed.netuid}/${missed.hotkey}`, failed);
    if (status) reported.push({ missed, status });
  }
  return { settled, reported, skipped, failed };
}

/**
 * Sends a transaction; a client that throws (a node refusing a transaction that now fails, a dead
 * RPC) costs this item only: it is recorded in `failed` and the pass goes on.
 */
async function send(
  transaction: () => Promise<"success" | "reverted">,
  what: string,
  failed: { what: string; error: string }[],
): Promise<"success" | "reverted" | undefined> {
  try {
    return await transaction();
  } catch (error) {
    failed.push({ what, error: (error as Error)?.message?.split("\n")[0] ?? String(error) });
    return undefined;
  }
}
