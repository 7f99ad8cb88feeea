import { createContext, useContext, type ReactNode } from "react";
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import type { Address, PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import type { ContractName, Deployment } from "./deployment.ts";

const DeploymentContext = createContext<Deployment | undefined>(undefined);

export function DeploymentProvider({ deployment, children }: { deployment: Deployment; children: ReactNode }) {
  return <DeploymentContext.Provider value={deployment}>{children}</DeploymentContext.Provider>;
}

export function useDeployment(): Deployment {
  const deployment = useContext(DeploymentContext);
  if (!deployment) throw new Error("useDeployment outside DeploymentProvider");
  return deployment;
}

/** Reads `contract.functionName(args)` with the deployment's ABI (results typed by the caller). */
export function readContract<T>(
  client: PublicClient,
  deployment: Deployment,
  contract: ContractName,
  functionName: string,
  args: readonly unknown[] = [],
): Promise<T> {
  return client.readContract({ ...deployment.contracts[contract], functionName, args }) as Promise<T>;
}

export type Reader = {
  client: PublicClient;
  deployment: Deployment;
  read: <T>(contract: ContractName, functionName: string, args?: readonly unknown[]) => Promise<T>;
};

/**
 * A query over the chain, refreshed every 2 s (and after every transaction of ours, which
 * invalidates all queries); `key` names what it reads.
 */
export function useChainQuery<T>(
  key: readonly unknown[],
  load: (reader: Reader) => Promise<T>,
  enabled = true,
): UseQueryResult<T> {
  const deployment = useDeployment();
  const client = usePublicClient({ chainId: deployment.chainId }) as PublicClient;
  return useQuery({
    queryKey: ["taonet", ...key.map((k) => (typeof k === "bigint" ? k.toString() : k))],
    queryFn: () =>
      load({
        client,
        deployment,
        read: (contract, functionName, args) => readContract(client, deployment, contract, functionName, args),
      }),
    refetchInterval: 2000,
    enabled,
  });
}

export type SubnetInfo = {
  netuid: bigint;
  subnet: { owner: Address; active: boolean; lockedAmount: bigint; lastEpochEmission: bigint; createdAtBlock: bigint };
  metadata: { name: string; repository: string; description: string };
  hyperparameters: Record<string, bigint | boolean>;
  neuronCount: bigint;
  burnPrice: bigint;
};

export type NeuronInfo = {
  uid: bigint;
  hotkey: Address;
  coldkey: Address;
  stake: bigint;
  registeredAtBlock: bigint;
  immune: boolean;
  validatorPermit: boolean;
  lastEpochEmissionNano: bigint;
};

export type Position = { hotkey: Address; shares: bigint; assets: bigint };
export type PendingWithdrawal = {
  id: bigint;
  hotkey: Address;
  completableAt: bigint;
  unbondingShares: bigint;
  assets: bigint;
};
