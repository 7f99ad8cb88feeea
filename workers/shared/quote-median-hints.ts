import { BaseError, ContractFunctionRevertedError, type Account, type Hex } from "viem";
import type { TaonetClient } from "./taonet-client.ts";

export type QuoteMedianHintsParameters = {
  /**
   * Simulates `YumaSettlement.quoteMedianHints(netuid)` (an `eth_call`; with viem,
   * `settlement.simulate.quoteMedianHints([netuid], { gas })`). It runs the epoch's first phases in
   * the call, so give it the gas of several settlement transactions: the RPC's call gas cap must
   * allow it.
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
 * `quoteMedianHints` of `netuid` on a deployment, called from `account` with `QUOTE_GAS`: what the
 * keeper and `taonet epoch settle` send with their settlements.
 */
export function quoteSubnetMedianHints(taonet: TaonetClient, netuid: bigint, account: Account): Promise<Hex> {
  return quoteMedianHints({
    simulate: () =>
      taonet.client.simulateContract({
        ...taonet.contracts.YumaSettlement,
        functionName: "quoteMedianHints",
        args: [netuid],
        account,
        gas: QUOTE_GAS,
      } as never),
  });
}

/** The settlement call for `netuid`: `settleWithHints(netuid, hints)`, or `settle(netuid)` without hints. */
export function settleCall(netuid: bigint, hints: Hex | undefined) {
  return hints === undefined
    ? { functionName: "settle", args: [netuid] }
    : { functionName: "settleWithHints", args: [netuid, hints] };
}
