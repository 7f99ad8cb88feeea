import { BaseError, ContractFunctionRevertedError } from "viem";

/** A call's outcome (`eth_call` before a send): fine, or the error it would revert with. */
export type Simulation = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Runs a viem `simulate` call and reports its outcome: the custom error's name when the contract
 * reverted with one (`EpochNotDue`, `RevealTooEarly`, ...), else the error's short message.
 */
export async function simulation(call: () => Promise<unknown>): Promise<Simulation> {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (reverted instanceof ContractFunctionRevertedError)
      return { ok: false, error: reverted.data?.errorName ?? reverted.shortMessage };
    return { ok: false, error: error instanceof BaseError ? error.shortMessage : String(error) };
  }
}
