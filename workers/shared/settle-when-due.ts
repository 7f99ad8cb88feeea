/**
 * A keeper's settlement of one subnet epoch: wait (or mine, on a dev chain) until the epoch is due,
 * then send `YumaSettlement.settle` transactions of at most the per-transaction gas cap until the
 * epoch is settled. A subnet whose epoch does not fit in one transaction settles in chunks
 * (docs/yuma.md, Chunks); each further `settle` continues it.
 *
 * The chain is reached through the small interface below, so devnet scripts, benches, tests and the
 * keeper worker share this loop whatever client they hold.
 */

/** EIP-7825's per-transaction gas cap: no settlement transaction asks for more. */
export const TX_GAS_CAP = 16_777_216n;

/**
 * A transaction's gas limit from its estimate: a quarter more, within `TX_GAS_CAP` (the unused part
 * is not charged). The estimate is for the state it ran on; the transaction lands in a later block,
 * where a registration may cross a burn-adjustment interval, prune a UID, or (where blocks share a
 * timestamp) write a new TAO supply checkpoint instead of updating the current one, and need more.
 */
export function withGasMargin(estimate: bigint): bigint {
  const gas = estimate + estimate / 4n;
  return gas < TX_GAS_CAP ? gas : TX_GAS_CAP;
}

export interface SettlementChain {
  /** `YumaSettlement.nextEpochBlock(netuid)`. */
  nextEpochBlock(): Promise<bigint>;
  /** The latest block number. */
  blockNumber(): Promise<bigint>;
  /** Brings the chain `blocks` blocks further: mines them on a dev chain, waits for them elsewhere. */
  advance(blocks: number): Promise<void>;
  /**
   * Sends `settle(netuid, weightRows)` with this gas limit and waits for its receipt. The rows are
   * built afresh (`weightRows` of workers/shared/weight-rows.ts) for every call: which rows a run
   * takes is only fixed once its Rank phase is done, so a chunk may need other rows than the last.
   */
  settle(gas: bigint): Promise<{ status: "success" | "reverted"; gasUsed: bigint }>;
  /** `settlementProgress(netuid)`'s phase: 0 when no settlement is open. */
  openPhase(): Promise<number>;
}

export class SettlementFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SettlementFailedError";
  }
}

/**
 * Settles the subnet's next epoch (or finishes the one already open) and returns the gas of each
 * transaction. At most `maxTransactions` are sent; a reverted one stops with an error.
 */
export async function settleWhenDue(
  chain: SettlementChain,
  { gas = TX_GAS_CAP, maxTransactions = 1000 }: { gas?: bigint; maxTransactions?: number } = {},
): Promise<bigint[]> {
  if ((await chain.openPhase()) === 0) {
    const next = await chain.nextEpochBlock();
    const head = await chain.blockNumber();
    // The settlement lands in the block after the head.
    if (head + 1n < next) await chain.advance(Number(next - head - 1n));
  }
  const used: bigint[] = [];
  do {
    if (used.length === maxTransactions) {
      throw new SettlementFailedError(`the epoch is still open after ${maxTransactions} transactions`);
    }
    const receipt = await chain.settle(gas);
    if (receipt.status !== "success") {
      throw new SettlementFailedError(`settle reverted after ${used.length} transactions of this epoch`);
    }
    used.push(receipt.gasUsed);
  } while ((await chain.openPhase()) !== 0);
  return used;
}
