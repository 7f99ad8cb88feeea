import { defineChain, type Abi, type Address, type Chain } from "viem";

/** The contracts the dApp talks to, by the names of the deployment record (`Taonet#<name>`). */
export type ContractName =
  "TAO" | "Staking" | "SubnetRegistry" | "NeuronRegistry" | "Weights" | "YumaSettlement" | "Slashing" | "MetagraphLens";

/**
 * What `deployment.json` (beside index.html) holds: the chain, an RPC URL (absolute, or relative to
 * the page: the devnet serves a proxy at `rpc`), and each contract's address and ABI (every ABI
 * carries every contract's custom errors, so a revert decodes by name whichever contract raised it).
 */
export type Deployment = {
  readonly chainId: number;
  readonly chainName: string;
  readonly rpcUrl: string;
  /** The block the contracts were deployed in: where the history's log queries start (default 0). */
  readonly fromBlock?: number;
  readonly contracts: Readonly<Record<ContractName, { readonly address: Address; readonly abi: Abi }>>;
};

export async function loadDeployment(): Promise<Deployment> {
  const response = await fetch(new URL("deployment.json", document.baseURI));
  if (!response.ok) throw new Error(`deployment.json: HTTP ${response.status}`);
  const deployment = (await response.json()) as Deployment;
  return { ...deployment, rpcUrl: new URL(deployment.rpcUrl, document.baseURI).toString() };
}

export function chainOf(deployment: Deployment): Chain {
  return defineChain({
    id: deployment.chainId,
    name: deployment.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [deployment.rpcUrl] } },
  });
}
