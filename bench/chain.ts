/**
 * The chain every bench runs on: an in-process OP-Stack chain with a raised block gas limit (set-up
 * transactions in bulk; every measured transaction stays under its own limit) and the production
 * Ignition module, deployer and subnet owner funded at genesis.
 */
import hre from "hardhat";
import { parseEther } from "viem";
import TaonetModule from "../deploy/modules/Taonet.ts";

/** Deploys taonet on a fresh chain; `parameters` override the module's for this bench. */
export async function benchChain(parameters: Record<string, unknown> = {}) {
  const connection = await hre.network.create({
    network: "default",
    override: { blockGasLimit: 1_000_000_000n, allowBlocksWithSameTimestamp: true },
  });
  const [deployer, owner] = await connection.viem.getWalletClients();
  const publicClient = await connection.viem.getPublicClient();
  const c = await connection.ignition.deploy(TaonetModule, {
    parameters: {
      Taonet: {
        genesisRecipients: [deployer.account.address, owner.account.address],
        genesisAmounts: [parseEther("1000000"), parseEther("100000")],
        minLockCost: parseEther("100"),
        ...parameters,
      },
    },
  });
  const { networkHelpers, provider, viem } = connection;
  return { connection, c, deployer, owner, publicClient, networkHelpers, provider, viem };
}
