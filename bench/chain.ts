/**
 * The chain every bench runs on: an in-process OP-Stack chain with a raised block gas limit (set-up
 * transactions in bulk; every measured transaction stays under its own limit) and the production
 * Ignition module, deployer and subnet owner funded at genesis.
 */
import hre from "hardhat";
import { keccak256, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import TaonetModule from "../deploy/modules/Taonet.ts";
import { signHotkeyBinding } from "../workers/shared/sign-hotkey-binding.ts";
import { weightRows } from "../workers/shared/weight-rows.ts";

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
  /**
   * The weights rows a settlement of `netuid` takes now: build them right before each transaction
   * (`maxBytes` as `weightRows` takes it: `Number.POSITIVE_INFINITY` for a quote's every segment).
   */
  const rows = (netuid: bigint, maxBytes?: number) =>
    weightRows({
      client: publicClient,
      settlement: c.yumaSettlement.address,
      weights: c.weights.address,
      netuid,
      maxBytes,
    });
  return { connection, c, deployer, owner, publicClient, networkHelpers, provider, viem, weightRows: rows };
}

/**
 * Module parameters for benches that settle often: Tempo (hyperparameter 0) may be set anywhere in
 * [1, 302,400] by the subnet owner and defaults to 10 blocks.
 */
export const SHORT_TEMPO = {
  hyperparameterOverrides: [0n],
  hyperparameterMinimums: [1n],
  hyperparameterMaximums: [302_400n],
  hyperparameterDefaults: [10n],
};

/**
 * A bench hotkey: a deterministic key (the same accounts on every run) derived from `label`, or
 * from `bench-hotkey-<label>` for a number, bound to the deployer as its coldkey and funded for gas.
 */
export async function bindBenchHotkey(chain: Awaited<ReturnType<typeof benchChain>>, label: number | string) {
  const { c, deployer, publicClient, networkHelpers } = chain;
  const hotkey = privateKeyToAccount(keccak256(toHex(typeof label === "number" ? `bench-hotkey-${label}` : label)));
  const deadline = BigInt(await networkHelpers.time.latest()) + 36_000n;
  const signature = await signHotkeyBinding({
    hotkey,
    coldkey: deployer.account.address,
    nonce: 0n,
    deadline,
    chainId: await publicClient.getChainId(),
    staking: c.staking.address,
  });
  await c.staking.write.bindHotkey([hotkey.address, deadline, signature], { account: deployer.account });
  await networkHelpers.setBalance(hotkey.address, parseEther("1"));
  return hotkey;
}
