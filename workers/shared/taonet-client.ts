import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, http, type Abi, type AbiItem, type PublicClient } from "viem";

/** The deployed contracts a worker talks to, by the names of the deployment record. */
export const CONTRACTS = [
  "TAO",
  "Staking",
  "SubnetRegistry",
  "NeuronRegistry",
  "Weights",
  "YumaSettlement",
  "Slashing",
  "MetagraphLens",
] as const;
export type ContractName = (typeof CONTRACTS)[number];

export type DeployedContract = { readonly address: `0x${string}`; readonly abi: Abi };

export type TaonetClient = {
  readonly client: PublicClient;
  readonly chainId: number;
  readonly contracts: Readonly<Record<ContractName, DeployedContract>>;
  /** `eth_call` of a view of one of the contracts. */
  readonly read: <T = unknown>(contract: ContractName, functionName: string, args?: readonly unknown[]) => Promise<T>;
};

export class DeploymentNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeploymentNotFoundError";
  }
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Connects to a taonet deployment: the chain at `rpcUrl`, the addresses from the deployment record
 * of its chain id (`deploy/deployments/chain-<id>/deployed_addresses.json`, or `deployment`), and
 * the ABIs from the compiled artifacts (`npx hardhat build`). Every ABI also carries every other
 * contract's custom errors, so that an error raised by a contract a call went through decodes too.
 */
export async function connectTaonet(params: {
  readonly rpcUrl: string;
  /** A `deployed_addresses.json` file (default: the record of the chain's id). */
  readonly deployment?: string;
  /** Polling interval of the client (default 250 ms). */
  readonly pollingInterval?: number;
}): Promise<TaonetClient> {
  const client = createPublicClient({
    transport: http(params.rpcUrl, { retryCount: 0, timeout: 10_000 }),
    pollingInterval: params.pollingInterval ?? 250,
  });
  const chainId = await client.getChainId();
  const file =
    params.deployment ?? path.join(ROOT, "deploy/deployments", `chain-${chainId}`, "deployed_addresses.json");
  if (!existsSync(file))
    throw new DeploymentNotFoundError(
      `no taonet deployment for chain ${chainId}: ${file} is missing (deploy first, e.g. npm run devnet)`,
    );
  const record = JSON.parse(readFileSync(file, "utf8")) as Record<string, `0x${string}`>;
  const abis = loadAbis();
  const contracts = Object.fromEntries(
    CONTRACTS.map((name) => {
      const address = record[`Taonet#${name}`];
      if (!address) throw new DeploymentNotFoundError(`${file} has no address for Taonet#${name}`);
      return [name, { address, abi: abis[name] }];
    }),
  ) as Record<ContractName, DeployedContract>;
  return {
    client,
    chainId,
    contracts,
    read: async <T>(contract: ContractName, functionName: string, args: readonly unknown[] = []) =>
      (await client.readContract({ ...contracts[contract], functionName, args } as never)) as T,
  };
}

let cached: Record<ContractName, Abi> | undefined;

/** The contracts' ABIs from `artifacts/`, each extended with every contract's custom errors. */
export function loadAbis(): Record<ContractName, Abi> {
  if (cached) return cached;
  const dir = path.join(ROOT, "artifacts/contracts");
  if (!existsSync(dir)) throw new DeploymentNotFoundError(`${dir} is missing: compile first (npx hardhat build)`);
  const found = new Map<string, Abi>();
  for (const group of readdirSync(dir)) {
    for (const entry of readdirSync(path.join(dir, group))) {
      const name = entry.replace(/\.sol$/, "");
      const file = path.join(dir, group, entry, `${name}.json`);
      if (existsSync(file)) found.set(name, (JSON.parse(readFileSync(file, "utf8")) as { abi: Abi }).abi);
    }
  }
  const errors = new Map<string, AbiItem>();
  for (const abi of found.values())
    for (const item of abi)
      if (item.type === "error") errors.set(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`, item);
  cached = Object.fromEntries(
    CONTRACTS.map((name) => {
      const abi = found.get(name);
      if (!abi) throw new DeploymentNotFoundError(`no artifact for ${name} under ${dir}: compile first`);
      const own = new Set(abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name));
      return [name, [...abi, ...[...errors.values()].filter((e) => !own.has((e as { name: string }).name))] as Abi];
    }),
  ) as Record<ContractName, Abi>;
  return cached;
}
