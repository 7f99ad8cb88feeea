/** The networks the subgraph is generated for: graph-node's network name and the chain id whose
 * deployment record (deploy/deployments/chain-<id>/) holds the addresses. */
export const NETWORKS: Record<string, { graphNetwork: string; chainId: number }> = {
  devnet: { graphNetwork: "devnet", chainId: 31337 },
  opSepolia: { graphNetwork: "optimism-sepolia", chainId: 11155420 },
  baseSepolia: { graphNetwork: "base-sepolia", chainId: 84532 },
};
