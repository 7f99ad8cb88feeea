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

import type { Hex } from "viem";
import type { Simulation } from "../shared/simulation.ts";

export interface KeeperChain {
  activeSubnets(): Promise<readonly bigint[]>;
  blockNumber(): Promise<bigint>;
  nextEpochBlock(netuid: bigint): Promise<bigint>;
  /** `settlementProgress(netuid)`'s phase: 0 when no settlement is open. */
  openPhase(netuid: bigint): Promise<number>;
  /**
   * The weights rows the next settlement transaction of `netuid` takes as calldata (`weightRows`
   * of workers/shared/weight-rows.ts: the segments from the one its next unit reads, as many as a
   * transaction carries), from the rows' `WeightsSet` logs. Throws when a row's log cannot be found
   * or does not match its stored hash.
   */
  weightRows(netuid: bigint): Promise<Hex>;
  /**
   * `quoteMedianHints(netuid, rows)` (an `eth_call`, with every segment of the rows, built for it):
   * one byte per column for the due or open epoch. Throws when the node cannot run it (its call gas
   * cap, say); the keeper then settles without hints.
   */
  quoteMedianHints(netuid: bigint): Promise<Hex>;
  /** Calls what `settle` sends. */
  simulateSettle(netuid: bigint, hints: Hex | undefined, rows: Hex): Promise<Simulation>;
  /**
   * Sends `settleWithHints(netuid, hints, rows)`, or `settle(netuid, rows)` without hints; resolves
   * with the receipt's status.
   */
  settle(netuid: bigint, hints: Hex | undefined, rows: Hex): Promise<"success" | "reverted">;
  /** Commits whose reveal the chain may consider missed (from the commit and reveal events). */
  missedRevealCandidates(): Promise<readonly MissedReveal[]>;
  simulateReport(missed: MissedReveal): Promise<Simulation>;
  report(missed: MissedReveal): Promise<"success" | "reverted">;
}

export type KeeperPassResult = {
  /** Subnets a settlement transaction was sent for (one per subnet and pass), with its status and
   * whether it carried median hints. */
  readonly settled: readonly { netuid: bigint; status: "success" | "reverted"; hinted: boolean }[];
  readonly reported: readonly { missed: MissedReveal; status: "success" | "reverted" }[];
  /** What was due or candidate but not sent, and why (the call's error). */
  readonly skipped: readonly { what: string; error: string }[];
  /**
   * Transactions the client could not send (a node refusing one that now fails, a dead RPC), or
   * could not build (`weight rows N`: the weights rows of subnet N, whose logs it could not read).
   */
  readonly failed: readonly { what: string; error: string }[];
  /** Subnets whose median hints could not be quoted this run (settled without them), and why. */
  readonly unhinted: readonly { netuid: bigint; error: string }[];
};

/**
 * What a keeper keeps from one pass to the next: per subnet, the median hints quoted for its
 * current run (`null`: the quote failed, and the run settles without), so that a run spanning
 * several transactions is quoted once. A run that is not open yet is always quoted afresh.
 */
export type KeeperMemory = { readonly hints: Map<bigint, Hex | null> };

export function keeperMemory(): KeeperMemory {
  return { hints: new Map() };
}

/**
 * One pass over every active subnet and every missed-reveal candidate. Settlements go with the
 * median hints of `quoteMedianHints` (a (256, 64) steady epoch costs about 9% less gas with them; a
 * wrong hint only costs the search it would have saved).
 */
export async function keeperPass(chain: KeeperChain, memory: KeeperMemory = keeperMemory()): Promise<KeeperPassResult> {
  const settled: { netuid: bigint; status: "success" | "reverted"; hinted: boolean }[] = [];
  const reported: { missed: MissedReveal; status: "success" | "reverted" }[] = [];
  const skipped: { what: string; error: string }[] = [];
  const failed: { what: string; error: string }[] = [];
  const unhinted: { netuid: bigint; error: string }[] = [];
  const head = await chain.blockNumber();
  for (const netuid of await chain.activeSubnets()) {
    // Due in the next block, or a run left open by an earlier pass (anyone's).
    const open = (await chain.openPhase(netuid)) !== 0;
    if (!open && head + 1n < (await chain.nextEpochBlock(netuid))) {
      memory.hints.delete(netuid);
      continue;
    }
    // The weights rows, built afresh for this pass's transaction: a run spanning several takes in
    // each the segments from the one its next unit reads, and which rows it takes is fixed only once
    // its Rank phase is done.
    let rows: Hex;
    try {
      rows = await chain.weightRows(netuid);
    } catch (error) {
      // Not a call that says no: the transaction cannot be built (a row's log pruned, say).
      failed.push({ what: `weight rows ${netuid}`, error: firstLine(error) });
      continue;
    }
    if (!open || !memory.hints.has(netuid)) {
      try {
        memory.hints.set(netuid, await chain.quoteMedianHints(netuid));
      } catch (error) {
        memory.hints.set(netuid, null);
        unhinted.push({ netuid, error: firstLine(error) });
      }
    }
    const hints = memory.hints.get(netuid) ?? undefined;
    const simulation = await chain.simulateSettle(netuid, hints, rows);
    if (!simulation.ok) {
      skipped.push({ what: `settle ${netuid}`, error: simulation.error });
      continue;
    }
    const status = await send(() => chain.settle(netuid, hints, rows), `settle ${netuid}`, failed);
    if (status) settled.push({ netuid, status, hinted: hints !== undefined });
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
  return { settled, reported, skipped, failed, unhinted };
}

function firstLine(error: unknown): string {
  return (error as Error)?.message?.split("\n")[0] ?? String(error);
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
    failed.push({ what, error: firstLine(error) });
    return undefined;
  }
}
