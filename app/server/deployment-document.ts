import { existsSync, readFileSync } from "node:fs";
import type { Abi, Address } from "viem";
import { CONTRACTS, DeploymentNotFoundError, loadAbis } from "../../workers/shared/taonet-client.ts";

export type DeploymentDocument = {
  chainId: number;
  chainName: string;
  rpcUrl: string;
  /** The deployment's first block: the dApp's log queries start there. */
  fromBlock: number;
  contracts: Record<(typeof CONTRACTS)[number], { address: Address; abi: Abi }>;
};

/**
 * The dApp's `deployment.json`: the chain, the RPC URL the browser uses (absolute, or relative to
 * the page), and every contract's address (from a `deployed_addresses.json` record) with its ABI
 * from `artifacts/` (each carrying every contract's custom errors, so reverts decode by name).
 */
export function deploymentDocument(params: {
  readonly record: string;
  readonly chainId: number;
  readonly rpcUrl: string;
  readonly chainName?: string;
  readonly fromBlock?: number;
}): DeploymentDocument {
  if (!existsSync(params.record)) throw new DeploymentNotFoundError(`${params.record} is missing: deploy first`);
  const record = JSON.parse(readFileSync(params.record, "utf8")) as Record<string, Address>;
  const abis = loadAbis();
  const contracts = Object.fromEntries(
    CONTRACTS.map((name) => {
      const address = record[`Taonet#${name}`];
      if (!address) throw new DeploymentNotFoundError(`${params.record} has no address for Taonet#${name}`);
      return [name, { address, abi: abis[name] }];
    }),
  ) as DeploymentDocument["contracts"];
  return {
    chainId: params.chainId,
    chainName: params.chainName ?? (params.chainId === 31337 ? "taonet devnet" : `chain ${params.chainId}`),
    rpcUrl: params.rpcUrl,
    fromBlock: params.fromBlock ?? 0,
    contracts,
  };
}
