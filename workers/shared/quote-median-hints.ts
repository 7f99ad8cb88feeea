import { BaseError, ContractFunctionRevertedError, type Account, type Hex } from "viem";
import type { TaonetClient } from "./taonet-client.ts";
import { subnetWeightRows } from "./weight-rows.ts";

export type QuoteMedianHintsParameters = {
  /**
   * Simulates `YumaSettlement.quoteMedianHints(netuid, weightRows)` (an `eth_call`; with viem,
   * `settlement.simulate.quoteMedianHints([netuid, rows], { gas })`, the rows built just before by
   * `weightRows` with every segment, `maxBytes: Number.POSITIVE_INFINITY`). It runs the epoch's
   * first phases in the call, so give it the gas of several settlement transactions: the RPC's call
   * gas cap must allow it.
   */
  simulate: () => Promise<unknown>;
};

/**
 * Gas for the `quoteMedianHints` call: geth's (and op-geth's) default RPC call gas cap
 * (`--rpc.gascap`). A (256, 64) epoch quotes within it (`bench/settlement.ts` quotes with it);
 * the keeper and `taonet epoch settle` settle a subnet too big for it without hints, and the cap
 * also bounds what the quote asks of the node.
 */
export const QUOTE_GAS = 50_000_000n;

/** One byte per UID column: 1 + the hinted row, 0 for none (`IYumaSettlement.settleWithHints`). */
export type QuoteMedianHintsReturnType = Hex;

export class MedianHintsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MedianHintsError";
  }
}

/**
 * The median hints of a subnet's due or open epoch, for `YumaSettlement.settleWithHints`: what
 * `quoteMedianHints` reverts with (`MedianHints(bytes)`; it always reverts, so it changes nothing).
 * Hints only save gas: a settlement checks each one and ignores a wrong one, so hints quoted a few
 * blocks before the epoch opens (a stake or weight changed since) cost at most the saving.
 */
export async function quoteMedianHints(params: QuoteMedianHintsParameters): Promise<QuoteMedianHintsReturnType> {
  try {
    await params.simulate();
  } catch (error) {
    const reverted =
      error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName === "MedianHints") {
      return reverted.data.args?.[0] as Hex;
    }
    throw new MedianHintsError("quoteMedianHints did not revert with MedianHints", { cause: error });
  }
  throw new MedianHintsError("quoteMedianHints returned instead of reverting with MedianHints");
}

/**
 * `quoteMedianHints` of `netuid` on a deployment, called from `account` with `QUOTE_GAS` and the
 * run's weights rows, built for this call: what the keeper and `taonet epoch settle` send with their
 * settlements. The quote runs the epoch's first phases in one call, so it takes every segment of the
 * rows whatever their size (an `eth_call`: no transaction pool's size limit applies); with fewer, it
 * would stop at the first segment it lacks and hint no column past it.
 */
export async function quoteSubnetMedianHints(taonet: TaonetClient, netuid: bigint, account: Account): Promise<Hex> {
  const weightRows = await subnetWeightRows(taonet, netuid, { maxBytes: Number.POSITIVE_INFINITY });
  return quoteMedianHints({
    simulate: () =>
      taonet.client.simulateContract({
        ...taonet.contracts.YumaSettlement,
        functionName: "quoteMedianHints",
        args: [netuid, weightRows],
        account,
        gas: QUOTE_GAS,
      } as never),
  });
}

/**
 * The settlement call for `netuid`: `settleWithHints(netuid, hints, weightRows)`, or
 * `settle(netuid, weightRows)` without hints. `weightRows` must be built (`weightRows`) for this
 * very transaction: each transaction of a chunked run checks them against the stored hashes.
 */
export function settleCall(netuid: bigint, hints: Hex | undefined, weightRows: Hex) {
  return hints === undefined
    ? { functionName: "settle", args: [netuid, weightRows] }
    : { functionName: "settleWithHints", args: [netuid, hints, weightRows] };
}
