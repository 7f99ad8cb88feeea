import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Address, Hash, PublicClient, WalletClient } from "viem";
import { useConnection, usePublicClient, useWalletClient } from "wagmi";
import type { ContractName, Deployment } from "./deployment.ts";
import { describeError } from "./describe-error.ts";
import { useDeployment } from "./taonet.tsx";

export type TxState =
  | { status: "idle" }
  | { status: "signing"; label: string }
  | { status: "pending"; label: string; hash: Hash }
  | { status: "mined"; label: string; hash: Hash }
  | { status: "failed"; label: string; message: string };

export type TxContext = {
  account: Address;
  wallet: WalletClient;
  client: PublicClient;
  deployment: Deployment;
  /** Asks the wallet for a signature, showing `label` meanwhile. */
  sign: <T>(label: string, request: () => Promise<T>) => Promise<T>;
  /**
   * Simulates the call first (a revert is decoded and nothing is sent), then sends it from the wallet
   * and waits for it to be mined; throws when it reverts on chain.
   */
  send: (label: string, contract: ContractName, functionName: string, args: readonly unknown[]) => Promise<Hash>;
};

/** One action of the page: its transactions' states (signing, pending, mined, failed) in `state`. */
export function useTransaction() {
  const deployment = useDeployment();
  const queryClient = useQueryClient();
  const { address, chainId } = useConnection();
  const { data: wallet } = useWalletClient({ chainId: deployment.chainId });
  const client = usePublicClient({ chainId: deployment.chainId }) as PublicClient;
  const [state, setState] = useState<TxState>({ status: "idle" });

  async function run(label: string, action: (context: TxContext) => Promise<void>): Promise<boolean> {
    if (!address || !wallet || chainId !== deployment.chainId) {
      setState({ status: "failed", label, message: "Connect a wallet on the taonet network first." });
      return false;
    }
    const context: TxContext = {
      account: address,
      wallet,
      client,
      deployment,
      sign: async (step, request) => {
        setState({ status: "signing", label: step });
        return request();
      },
      send: async (step, contract, functionName, args) => {
        setState({ status: "signing", label: step });
        const { request } = await client.simulateContract({
          ...deployment.contracts[contract],
          functionName,
          args,
          account: address,
        });
        // The simulation's gas with a margin, so that the wallet need not estimate it again.
        const gas = await client.estimateContractGas({
          ...deployment.contracts[contract],
          functionName,
          args,
          account: address,
        });
        const hash = await wallet.writeContract({
          ...request,
          account: address,
          chain: wallet.chain,
          gas: (gas * 12n) / 10n,
        } as never);
        setState({ status: "pending", label: step, hash });
        const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 250 });
        if (receipt.status !== "success") {
          // State moved between the simulation and the block (another transaction came first): replay
          // the call on the latest state, where what made it fail usually still holds, to throw the
          // decoded custom error (the latest state, since many RPCs keep no history to replay on).
          await client.simulateContract({
            ...deployment.contracts[contract],
            functionName,
            args,
            account: address,
          });
          throw new Error(`transaction ${hash} reverted on chain`);
        }
        setState({ status: "mined", label: step, hash });
        return hash;
      },
    };
    try {
      await action(context);
      setState((s) => (s.status === "mined" ? { ...s, label } : s));
      return true;
    } catch (error) {
      setState({ status: "failed", label, message: describeError(error, deployment.contracts.Staking.abi) });
      return false;
    } finally {
      await queryClient.invalidateQueries({ queryKey: ["taonet"] });
    }
  }

  return { state, run, busy: state.status === "signing" || state.status === "pending" };
}

export function TxStatus({ state }: { state: TxState }) {
  switch (state.status) {
    case "idle":
      return null;
    case "signing":
      return (
        <p className="tx tx-signing" role="status">
          {state.label}: confirm in your wallet…
        </p>
      );
    case "pending":
      return (
        <p className="tx tx-pending" role="status">
          {state.label}: pending <code>{state.hash.slice(0, 10)}…</code>
        </p>
      );
    case "mined":
      return (
        <p className="tx tx-mined" role="status">
          {state.label}: mined <code>{state.hash.slice(0, 10)}…</code>
        </p>
      );
    case "failed":
      return (
        <p className="tx tx-failed" role="alert">
          {state.label} failed: {state.message}
        </p>
      );
  }
}
