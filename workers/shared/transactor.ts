import {
  BaseError,
  ContractFunctionRevertedError,
  encodeFunctionData,
  HttpRequestError,
  keccak256,
  TimeoutError,
  TransactionReceiptNotFoundError,
  type Abi,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { errorLine, type Logger } from "./log.ts";
import type { WorkerMetrics } from "./metrics.ts";

/** A contract call to send as a transaction. */
export type ContractTransaction = {
  readonly address: `0x${string}`;
  readonly abi: Abi;
  readonly functionName: string;
  readonly args: readonly unknown[];
  /** A gas limit; estimated (plus 20%) when absent. */
  readonly gas?: bigint;
  /** How logs and metrics name it (default: the function's name). */
  readonly what?: string;
};

export type SentTransaction = { readonly hash: Hex; readonly receipt: TransactionReceipt };

/** The chain refused the call: its estimate reverted, or the transaction was mined reverted. */
export class TransactionRevertedError extends Error {
  readonly what: string;
  /** The custom error's name when the contract reverted with one (`EpochNotDue`, ...). */
  readonly errorName?: string;
  readonly hash?: Hex;
  constructor(what: string, detail: { errorName?: string; hash?: Hex; message: string }) {
    super(`${what} reverted: ${detail.errorName ?? detail.message}${detail.hash ? ` (${detail.hash})` : ""}`);
    this.name = "TransactionRevertedError";
    this.what = what;
    this.errorName = detail.errorName;
    this.hash = detail.hash;
  }
}

/** The RPC stayed unreachable for longer than the transactor waits. */
export class RpcUnavailableError extends Error {
  constructor(what: string, waitedMs: number, cause: unknown) {
    super(`${what}: the RPC was unreachable for ${Math.round(waitedMs / 1000)} s: ${errorLine(cause)}`, { cause });
    this.name = "RpcUnavailableError";
  }
}

export type TransactorOptions = {
  readonly client: PublicClient;
  readonly account: LocalAccount;
  readonly metrics?: WorkerMetrics;
  readonly log?: Logger;
  /** How long an unreachable RPC is waited out before a send fails (default 10 minutes). */
  readonly maxOutageMs?: number;
  /** First retry delay; doubled per attempt up to 5 s (default 250 ms). */
  readonly retryDelayMs?: number;
  /** Receipt polling interval (default 250 ms). */
  readonly pollMs?: number;
  /** The raw transaction is broadcast again when no receipt came within this (default 15 s). */
  readonly rebroadcastMs?: number;
};

/** EIP-7825's per-transaction gas cap: no padded estimate goes above it. */
const TX_GAS_CAP = 16_777_216n;

const NONCE_USED =
  /nonce too low|nonce has already been used|already known|known transaction|replacement transaction underpriced/i;

/**
 * Sends one account's transactions one at a time, so that nonces never collide, and sees each
 * through to a checked receipt:
 *
 * - the nonce is tracked here (read from the chain's pending count at the start and after any nonce
 *   error), so a burst of sends needs no round trip per nonce;
 * - each transaction is signed once and its raw bytes re-broadcast until the node has it: a retry
 *   after a lost reply cannot send a second, different transaction;
 * - an unreachable RPC (connection refused, timeouts) is retried with backoff for up to
 *   `maxOutageMs`, so an outage delays work but loses none;
 * - a call that would revert is not sent (`TransactionRevertedError` with the custom error's name),
 *   and a receipt with status `reverted` throws the same error.
 */
export class Transactor {
  readonly address: `0x${string}`;
  readonly #o: Required<Omit<TransactorOptions, "metrics" | "log">> & Pick<TransactorOptions, "metrics" | "log">;
  #nonce: number | undefined;
  #chainId: number | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TransactorOptions) {
    this.address = options.account.address;
    this.#o = { maxOutageMs: 600_000, retryDelayMs: 250, pollMs: 250, rebroadcastMs: 15_000, ...options };
  }

  /** Sends `call` after every earlier send of this transactor has finished. */
  send(call: ContractTransaction): Promise<SentTransaction> {
    const run = this.#queue.then(
      () => this.#send(call),
      () => this.#send(call),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #send(call: ContractTransaction): Promise<SentTransaction> {
    const what = call.what ?? call.functionName;
    const { client, account, metrics, log } = this.#o;
    try {
      const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args });
      for (let attempt = 0; ; attempt++) {
        const gas = call.gas ?? (await this.#estimate(call, what));
        const [fees, chainId, nonce] = await Promise.all([
          this.#retry(what, () => client.estimateFeesPerGas()),
          this.#chain(what),
          this.#nextNonce(what),
        ]);
        const raw = await account.signTransaction!({
          type: "eip1559",
          chainId,
          nonce,
          to: call.address,
          data,
          gas,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        });
        const hash = keccak256(raw);
        const accepted = await this.#broadcast(what, raw, hash);
        if (!accepted) {
          // The nonce was taken by another transaction of this account (another process, a
          // transaction sent by hand): read it again and sign anew.
          this.#nonce = undefined;
          if (attempt >= 5) throw new Error(`${what}: nonce ${nonce} kept being taken`);
          continue;
        }
        this.#nonce = nonce + 1;
        log?.info("transaction sent", { what, hash, nonce });
        const receipt = await this.#receipt(what, raw, hash);
        metrics?.gasUsed.inc({ what }, Number(receipt.gasUsed));
        if (receipt.status !== "success") {
          metrics?.transactions.inc({ what, outcome: "reverted" });
          throw new TransactionRevertedError(what, { hash, message: "mined with status reverted" });
        }
        metrics?.transactions.inc({ what, outcome: "success" });
        log?.info("transaction mined", { what, hash, gasUsed: receipt.gasUsed, block: receipt.blockNumber });
        return { hash, receipt };
      }
    } catch (error) {
      if (!(error instanceof TransactionRevertedError && error.hash))
        metrics?.transactions.inc({ what, outcome: "error" });
      throw error;
    }
  }

  async #estimate(call: ContractTransaction, what: string): Promise<bigint> {
    const estimate = await this.#retry(what, async () => {
      try {
        return await this.#o.client.estimateContractGas({
          address: call.address,
          abi: call.abi,
          functionName: call.functionName,
          args: call.args,
          account: this.#o.account,
        } as never);
      } catch (error) {
        if (isTransportError(error)) throw error;
        const reverted =
          error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
        throw new TransactionRevertedError(what, {
          errorName: reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined,
          message: error instanceof BaseError ? error.shortMessage : errorLine(error),
        });
      }
    });
    const padded = (estimate * 12n) / 10n + 20_000n;
    return padded > TX_GAS_CAP ? (estimate > TX_GAS_CAP ? estimate : TX_GAS_CAP) : padded;
  }

  async #chain(what: string): Promise<number> {
    this.#chainId ??= await this.#retry(what, () => this.#o.client.getChainId());
    return this.#chainId;
  }

  async #nextNonce(what: string): Promise<number> {
    this.#nonce ??= await this.#retry(what, () =>
      this.#o.client.getTransactionCount({ address: this.address, blockTag: "pending" }),
    );
    return this.#nonce;
  }

  /** True once the node has the transaction (or mined it); false when its nonce went to another. */
  async #broadcast(what: string, raw: Hex, hash: Hex): Promise<boolean> {
    try {
      await this.#retry(what, () => this.#o.client.sendRawTransaction({ serializedTransaction: raw }));
      return true;
    } catch (error) {
      if (!NONCE_USED.test(fullMessage(error))) throw error;
      // Our own earlier broadcast (a reply lost in an outage) may be the one that used the nonce.
      return (
        (await this.#lookup(what, hash)) !== undefined || /already known|known transaction/i.test(fullMessage(error))
      );
    }
  }

  async #lookup(what: string, hash: Hex): Promise<TransactionReceipt | undefined> {
    return this.#retry(what, async () => {
      try {
        return await this.#o.client.getTransactionReceipt({ hash });
      } catch (error) {
        if (error instanceof TransactionReceiptNotFoundError) return undefined;
        throw error;
      }
    });
  }

  async #receipt(what: string, raw: Hex, hash: Hex): Promise<TransactionReceipt> {
    let since = Date.now();
    for (;;) {
      const receipt = await this.#lookup(what, hash);
      if (receipt) return receipt;
      if (Date.now() - since > this.#o.rebroadcastMs) {
        since = Date.now();
        this.#o.log?.warn("no receipt yet: broadcasting again", { what, hash });
        await this.#broadcast(what, raw, hash).catch(() => undefined);
      }
      await sleep(this.#o.pollMs);
    }
  }

  /** Runs `step`, retrying transport errors with backoff for up to `maxOutageMs`. */
  async #retry<T>(what: string, step: () => Promise<T>): Promise<T> {
    return retryTransport(step, {
      what,
      maxOutageMs: this.#o.maxOutageMs,
      retryDelayMs: this.#o.retryDelayMs,
      onRetry: (error, delay) => {
        this.#o.metrics?.failures.inc({ what: "rpc" });
        this.#o.log?.warn("RPC unreachable, retrying", { what, retryInMs: delay, error: errorLine(error) });
      },
    });
  }
}

/**
 * Runs `step`, retrying while it fails with a transport error (the RPC unreachable or timing out),
 * with exponential backoff from `retryDelayMs` up to 5 s, for at most `maxOutageMs`; other errors
 * are thrown at once.
 */
export async function retryTransport<T>(
  step: () => Promise<T>,
  options: {
    readonly what: string;
    readonly maxOutageMs: number;
    readonly retryDelayMs?: number;
    readonly onRetry?: (error: unknown, delayMs: number) => void;
  },
): Promise<T> {
  const started = Date.now();
  let delay = options.retryDelayMs ?? 250;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isTransportError(error)) throw error;
      if (Date.now() - started + delay > options.maxOutageMs)
        throw new RpcUnavailableError(options.what, Date.now() - started, error);
      options.onRetry?.(error, delay);
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/** An error of the connection to the RPC rather than an answer from it. */
export function isTransportError(error: unknown): boolean {
  if (error instanceof BaseError && error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError))
    return true;
  return /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up|other side closed|EPIPE/i.test(fullMessage(error));
}

function fullMessage(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e && parts.length < 8; e = (e as { cause?: unknown }).cause)
    parts.push(String((e as Error).message ?? e), String((e as { details?: string }).details ?? ""));
  return parts.join(" | ");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
