import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";

/**
 * A failed wallet request or transaction as one line for a person: a rejection in the wallet says
 * so; a revert names the contract's custom error with its arguments by name
 * (`WithdrawalNotDue(id: 1, completableAt: …, timestamp: …)`); anything else gives viem's short message.
 */
export function describeError(error: unknown): string {
  if (error instanceof BaseError) {
    const rejected = error.walk(
      (e) => e instanceof UserRejectedRequestError || (e as { code?: number } | null)?.code === 4001,
    );
    if (rejected) return "Rejected in the wallet: nothing was signed or sent.";
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as
      ContractFunctionRevertedError | undefined;
    if (revert?.data) {
      const inputs = (revert.data.abiItem as { inputs?: readonly { name?: string }[] }).inputs ?? [];
      const args = (revert.data.args ?? []).map((value, i) => `${inputs[i]?.name || `arg${i}`}: ${String(value)}`);
      return `Reverted: ${revert.data.errorName}(${args.join(", ")})`;
    }
    if (revert?.reason) return `Reverted: ${revert.reason}`;
    return error.shortMessage;
  }
  if ((error as { code?: number } | null)?.code === 4001) return "Rejected in the wallet: nothing was signed or sent.";
  return error instanceof Error ? error.message : String(error);
}
