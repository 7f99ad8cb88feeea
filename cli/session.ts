import {
  BaseError,
  ContractFunctionRevertedError,
  createWalletClient,
  http,
  InsufficientFundsError,
  type AbiParameter,
  type Address,
  type LocalAccount,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  connectTaonet,
  DeploymentNotFoundError,
  type ContractName,
  type TaonetClient,
} from "../workers/shared/taonet-client.ts";
import { TX_GAS_CAP, withGasMargin } from "../workers/shared/settle-when-due.ts";
import { CliError } from "./cli-error.ts";
import type { Common } from "./options.ts";
import { formatFields, formatTao, toJson } from "./output.ts";
import { confirm, readSecret } from "./prompt.ts";
import { WalletStore } from "./wallet-store.ts";

/** A transaction the command sent, as printed and as `--json` reports it. */
export type SentTransactionInfo = { what: string; hash: `0x${string}`; gasUsed: bigint; block: bigint };

/**
 * What a command works with: the options, the chain (connected on first use), the wallet's keys
 * (unlocked on first use), transactions sent with a spinner and decoded reverts, and the output
 * (tables for people, one JSON document with `--json`).
 */
export class Session {
  readonly common: Common;
  readonly wallets: WalletStore;
  readonly transactions: SentTransactionInfo[] = [];
  #chain: Promise<TaonetClient> | undefined;

  constructor(common: Common) {
    this.common = common;
    this.wallets = new WalletStore(common.walletDir);
  }

  /** The chain and the deployment's contracts; one clear error when either is missing. */
  chain(): Promise<TaonetClient> {
    this.#chain ??= connectTaonet({ rpcUrl: this.common.rpcUrl, deployment: this.common.deployment }).catch(
      (error: unknown) => {
        if (error instanceof DeploymentNotFoundError) throw new CliError(error.message);
        throw new CliError(
          `cannot reach the ${this.common.network} RPC at ${this.common.rpcUrl}` +
            (this.common.network === "devnet" ? " (start it with: taonet devnet)" : ""),
          { cause: error },
        );
      },
    );
    return this.#chain;
  }

  async read<T>(contract: ContractName, functionName: string, args: readonly unknown[] = []): Promise<T> {
    const chain = await this.chain();
    try {
      return await chain.read<T>(contract, functionName, args);
    } catch (error) {
      throw new CliError(`${contract}.${functionName}: ${describeError(error)}`, { cause: error });
    }
  }

  coldkeyAddress(wallet = this.common.wallet): Address {
    return this.wallets.address(this.wallets.coldkeyFile(wallet));
  }

  hotkeyAddress(wallet = this.common.wallet, hotkey = this.common.hotkey): Address {
    return this.wallets.address(this.wallets.hotkeyFile(wallet, hotkey));
  }

  async coldkey(): Promise<LocalAccount> {
    const file = this.wallets.coldkeyFile(this.common.wallet);
    this.wallets.address(file);
    const password =
      this.common.env.TAONET_PASSWORD ?? (await readSecret(`Password of coldkey ${this.common.wallet}: `));
    return privateKeyToAccount(this.wallets.unlock(file, password));
  }

  async hotkey(): Promise<LocalAccount> {
    const file = this.wallets.hotkeyFile(this.common.wallet, this.common.hotkey);
    this.wallets.address(file);
    const password =
      this.common.env.TAONET_HOTKEY_PASSWORD ??
      this.common.env.TAONET_PASSWORD ??
      (await readSecret(`Password of hotkey ${this.common.wallet}/${this.common.hotkey}: `));
    return privateKeyToAccount(this.wallets.unlock(file, password));
  }

  /** Goes on when `--yes` was given or the user says yes; stops otherwise (and without a terminal). */
  async confirm(question: string): Promise<void> {
    if (this.common.yes) return;
    if (!process.stdin.isTTY) throw new CliError(`${question} needs a confirmation: pass --yes`);
    if (!(await confirm(question))) throw new CliError("cancelled");
  }

  /** Fails with one line when `account` holds less than `amount` TAO. */
  async requireTao(account: Address, amount: bigint): Promise<void> {
    const balance = await this.read<bigint>("TAO", "balanceOf", [account]);
    if (balance < amount)
      throw new CliError(
        `insufficient TAO balance: ${account} has ${formatTao(balance)} TAO, needs ${formatTao(amount)} TAO`,
      );
  }

  /** Approves `spender` for `amount` TAO of `account` unless the allowance covers it already. */
  async approve(account: LocalAccount, spender: ContractName, amount: bigint): Promise<void> {
    await this.requireTao(account.address, amount);
    const chain = await this.chain();
    const allowance = await this.read<bigint>("TAO", "allowance", [account.address, chain.contracts[spender].address]);
    if (allowance >= amount) return;
    await this.send(account, "TAO", "approve", [chain.contracts[spender].address, amount], `approve ${spender}`);
  }

  /**
   * Simulates the call (a revert stops here, decoded: `BurnAboveMaximum(price=..., maxBurn=...)`),
   * sends it from `account`, waits for the receipt behind a spinner, prints hash and gas. The gas
   * limit is the estimate plus a margin, or `gas` where given: a settlement call must get it, since
   * the least gas with which it succeeds is a call that stops early (docs/yuma.md, "Chunks"), which
   * is what an estimate finds.
   */
  async send(
    account: LocalAccount,
    contract: ContractName,
    functionName: string,
    args: readonly unknown[],
    what = functionName,
    { gas: gasLimit }: { gas?: bigint } = {},
  ): Promise<SentTransactionInfo & { receipt: TransactionReceipt }> {
    const chain = await this.chain();
    const { address, abi } = chain.contracts[contract];
    let request;
    try {
      ({ request } = await chain.client.simulateContract({ address, abi, functionName, args, account } as never));
    } catch (error) {
      throw new CliError(`${what} reverted: ${describeError(error)}`, { cause: error });
    }
    const wallet = createWalletClient({ account, transport: http(this.common.rpcUrl, { retryCount: 0 }) });
    const stop = spinner(`${what}: sending`);
    try {
      const gas =
        gasLimit ??
        withGasMargin(await chain.client.estimateContractGas({ address, abi, functionName, args, account } as never));
      const hash = await wallet.writeContract({ ...(request as object), gas, chain: null } as never);
      stop.update(`${what}: waiting for ${hash}`);
      const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 250 });
      stop.done();
      const info = { what, hash, gasUsed: receipt.gasUsed, block: receipt.blockNumber };
      if (receipt.status !== "success")
        throw new CliError(`${what} reverted in block ${receipt.blockNumber} (${hash})`);
      this.transactions.push(info);
      if (!this.common.json) console.log(`${what}: ${hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`);
      return { ...info, receipt };
    } catch (error) {
      stop.done();
      if (error instanceof CliError) throw error;
      throw new CliError(`${what}: ${describeError(error)}`, { cause: error });
    }
  }

  /** Prints the command's result: `human()` for people, or `data` (plus the transactions) as JSON. */
  print(data: Record<string, unknown>, human: () => string | undefined): void {
    if (this.common.json) {
      console.log(toJson(this.transactions.length ? { ...data, transactions: this.transactions } : data));
      return;
    }
    const text = human();
    if (text) console.log(text);
  }

  fields(fields: Record<string, unknown>): string {
    return formatFields(fields);
  }
}

/** One line for an error of viem: a decoded custom error with its arguments when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const data = reverted.data;
      if (data?.errorName) {
        const inputs = (data.abiItem as { inputs?: readonly AbiParameter[] } | undefined)?.inputs ?? [];
        const args = (data.args ?? []).map((value, i) => {
          const name = inputs[i]?.name;
          return `${name ? `${name}=` : ""}${typeof value === "bigint" ? value.toString() : String(value)}`;
        });
        return `${data.errorName}(${args.join(", ")})`;
      }
      return reverted.reason ? `reverted: ${reverted.reason}` : reverted.shortMessage;
    }
    if (error.walk((e) => e instanceof InsufficientFundsError) || INSUFFICIENT_FUNDS.test(fullMessage(error)))
      return "insufficient ETH for gas (fund the account first: taonet wallet transfer ... --eth)";
    const details = (error as BaseError & { details?: string }).details;
    return firstLine(
      details && /invalid parameters|internal error/i.test(error.shortMessage) ? details : error.shortMessage,
    );
  }
  return (error as Error)?.message ?? String(error);
}

const INSUFFICIENT_FUNDS = /insufficient funds|enough funds|exceeds the balance|insufficient balance for transfer/i;

const firstLine = (text: string) => text.split("\n")[0]!.trim();

function fullMessage(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e && parts.length < 8; e = (e as { cause?: unknown }).cause)
    parts.push(String((e as Error).message ?? e), String((e as { details?: string }).details ?? ""));
  return parts.join(" | ");
}

/** A spinner on stderr while a transaction is pending, only when stdout is a terminal. */
function spinner(text: string): { update(text: string): void; done(): void } {
  if (!process.stdout.isTTY || !process.stderr.isTTY) return { update() {}, done() {} };
  const frames = "|/-\\";
  let label = text;
  let i = 0;
  const timer = setInterval(() => process.stderr.write(`\r${frames[i++ % frames.length]} ${label}\u001b[K`), 100);
  return {
    update(next) {
      label = next;
    },
    done() {
      clearInterval(timer);
      process.stderr.write("\r\u001b[K");
    },
  };
}
