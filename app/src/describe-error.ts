import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  UserRejectedRequestError,
  type Abi,
  type Hex,
} from "viem";

const REJECTED = "Rejected in the wallet: nothing was signed or sent.";

/** `Name(arg: value, ...)` with the error's parameter names. */
function formatError(name: string, inputs: readonly { name?: string }[], args: readonly unknown[]): string {
  return `${name}(${args.map((value, i) => `${inputs[i]?.name || `arg${i}`}: ${String(value)}`).join(", ")})`;
}

/** Revert bytes anywhere in the error's chain: `data` as hex, or a node's `{ data: { data: hex } }`. */
function revertData(error: BaseError): Hex | undefined {
  let found: Hex | undefined;
  error.walk((e) => {
    const data = (e as { data?: unknown } | null)?.data;
    const hex = typeof data === "string" ? data : (data as { data?: unknown } | undefined)?.data;
    if (typeof hex === "string" && /^0x[0-9a-fA-F]{8,}$/.test(hex)) found = hex as Hex;
    return false;
  });
  return found;
}

/**
 * A failed wallet request or transaction as one line for a person: a rejection in the wallet says
 * so; a revert names the contract's custom error with its arguments by name
 * (`WithdrawalNotDue(id: 1, completableAt: …, timestamp: …)`), decoded with `abi` (which carries
 * every contract's errors) when viem could not; anything else gives viem's short message.
 */
export function describeError(error: unknown, abi?: Abi): string {
  if ((error as { code?: number } | null)?.code === 4001) return REJECTED;
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const rejected = error.walk(
    (e) => e instanceof UserRejectedRequestError || (e as { code?: number } | null)?.code === 4001,
  );
  if (rejected) return REJECTED;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as
    ContractFunctionRevertedError | undefined;
  if (revert?.data) {
    const inputs = (revert.data.abiItem as { inputs?: readonly { name?: string }[] }).inputs ?? [];
    return `Reverted: ${formatError(revert.data.errorName, inputs, revert.data.args ?? [])}`;
  }
  const data = abi && revertData(error);
  if (abi && data) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      const inputs = (decoded.abiItem as { inputs?: readonly { name?: string }[] }).inputs ?? [];
      return `Reverted: ${formatError(decoded.errorName, inputs, decoded.args ?? [])}`;
    } catch {
      // Not an error of ours: fall through to the node's words.
    }
  }
  if (revert?.reason) return `Reverted: ${revert.reason.split("\n")[0]}`;
  return error.shortMessage;
}
