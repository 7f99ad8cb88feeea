import type { Page } from "playwright-core";
import { createWalletClient, http, toHex, type BaseError, type Address, type Hex, type LocalAccount } from "viem";

type Answer = { result?: unknown; error?: { code: number; message: string; data?: unknown }; emit?: [string, unknown] };

export type TestWallet = {
  readonly address: Address;
  /** The wallet's chain id (the page sees it through eth_chainId); it starts on `startChainId`. */
  chainId: number;
  /** While true, every signature or transaction request is rejected as a user would (4001). */
  rejecting: boolean;
  /** Runs (once) before the next transaction is signed: a test's front-runner. */
  beforeNextTransaction?: () => Promise<void>;
  /** Requests the wallet answered, by method (signatures and transactions counted here). */
  readonly calls: Record<string, number>;
};

/**
 * A browser wallet for end-to-end tests: an EIP-1193 provider injected into the page (announced by
 * EIP-6963, `name` "Taonet Test Wallet"), backed in Node by `account` (a devnet key). Signatures
 * and transactions are made by viem with that key; reads go to `rpcUrl`.
 */
export async function injectTestWallet(
  page: Page,
  { account, rpcUrl, startChainId }: { account: LocalAccount; rpcUrl: string; startChainId: number },
): Promise<TestWallet> {
  const signer = createWalletClient({ account, transport: http(rpcUrl) });
  const wallet: TestWallet = { address: account.address, chainId: startChainId, rejecting: false, calls: {} };
  let authorized = false;
  const rejected: Answer = { error: { code: 4001, message: "User rejected the request." } };

  async function answer(method: string, params: unknown[]): Promise<Answer> {
    wallet.calls[method] = (wallet.calls[method] ?? 0) + 1;
    switch (method) {
      case "eth_requestAccounts":
        authorized = true;
        return { result: [account.address] };
      case "eth_accounts":
        // As a real wallet: no account for a page the user has not connected yet.
        return { result: authorized ? [account.address] : [] };
      case "eth_chainId":
        return { result: toHex(wallet.chainId) };
      case "wallet_requestPermissions":
      case "wallet_getPermissions":
        return { result: [{ parentCapability: "eth_accounts" }] };
      case "wallet_revokePermissions":
        return { result: null };
      case "wallet_switchEthereumChain": {
        const chainId = Number((params[0] as { chainId: Hex }).chainId);
        wallet.chainId = chainId;
        return { result: null, emit: ["chainChanged", toHex(chainId)] };
      }
      case "eth_signTypedData_v4": {
        if (wallet.rejecting) return rejected;
        const typed = JSON.parse(params[1] as string) as {
          domain: Record<string, unknown>;
          types: Record<string, { name: string; type: string }[]>;
          primaryType: string;
          message: Record<string, unknown>;
        };
        const { EIP712Domain: _, ...types } = typed.types;
        // JSON carries the integers as strings or numbers; viem signs bigints.
        const message = Object.fromEntries(
          Object.entries(typed.message).map(([k, v]) => {
            const field = types[typed.primaryType]?.find((f) => f.name === k);
            return [k, field && /^u?int/.test(field.type) ? BigInt(v as string) : v];
          }),
        );
        const domain = {
          ...typed.domain,
          chainId: typed.domain.chainId === undefined ? undefined : Number(typed.domain.chainId),
        };
        return {
          result: await account.signTypedData!({ domain, types, primaryType: typed.primaryType, message } as never),
        };
      }
      case "personal_sign":
        if (wallet.rejecting) return rejected;
        return { result: await account.signMessage({ message: { raw: params[0] as Hex } }) };
      case "eth_sendTransaction": {
        if (wallet.rejecting) return rejected;
        const tx = params[0] as { to?: Address; data?: Hex; value?: Hex; gas?: Hex };
        const first = wallet.beforeNextTransaction;
        wallet.beforeNextTransaction = undefined;
        await first?.();
        try {
          const hash = await signer.sendTransaction({
            chain: null,
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : undefined,
            gas: tx.gas ? BigInt(tx.gas) : undefined,
          });
          return { result: hash };
        } catch (error) {
          // A node that mines at once answers a reverting transaction with an error (Hardhat's
          // automine): pass its revert bytes on, as a wallet relaying the node's error does.
          let data: unknown;
          (error as BaseError).walk?.((e) => {
            const d = (e as { data?: unknown } | null)?.data;
            if (typeof d === "string" && d.startsWith("0x")) data = d;
            return false;
          });
          return { error: { code: -32603, message: (error as Error).message.split("\n")[0]!, data } };
        }
      }
      default: {
        if (method.startsWith("wallet_")) return { error: { code: 4200, message: `unsupported method ${method}` } };
        const response = await fetch(rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        });
        const body = (await response.json()) as Answer;
        return body.error ? { error: body.error } : { result: body.result };
      }
    }
  }

  await page.exposeFunction("__taonetTestWallet", async (method: string, params: string) =>
    JSON.stringify(await answer(method, JSON.parse(params) as unknown[])),
  );
  // Plain JavaScript run in the page before its own scripts (a string: a function's source would
  // carry whatever the test runner's TypeScript loader added to it).
  await page.addInitScript(PAGE_PROVIDER);
  return wallet;
}

/** The EIP-1193 provider in the page, forwarding every request to `__taonetTestWallet` in Node. */
const PAGE_PROVIDER = `(() => {
  const listeners = {};
  const call = window.__taonetTestWallet;
  const provider = {
    async request({ method, params }) {
      const answer = JSON.parse(await call(method, JSON.stringify(params ?? [])));
      if (answer.error)
        throw Object.assign(new Error(answer.error.message), { code: answer.error.code, data: answer.error.data });
      if (answer.emit) {
        const [event, value] = answer.emit;
        setTimeout(() => (listeners[event] ?? []).forEach((listener) => listener(value)), 0);
      }
      return answer.result;
    },
    on(event, listener) {
      (listeners[event] ??= []).push(listener);
      return provider;
    },
    removeListener(event, listener) {
      listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
      return provider;
    },
  };
  const info = {
    uuid: "7d0c6d5e-3c57-4f0e-9a54-6a1f3f0f7a11",
    name: "Taonet Test Wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='32' height='32'/%3E",
    rdns: "org.taonet.test-wallet",
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
