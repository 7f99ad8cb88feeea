/**
 * Runs a Yuma scenario (test/fixtures/yuma/scenarios/README.md) against the real contracts on an
 * in-process OP-Stack chain and returns the result in the scenario result format, with gas.
 *
 * Test facilities used, as the format allows: mining control (automine off, several transactions
 * per block, empty blocks on demand), a raised block gas limit, and governance's powers taken by
 * impersonating the timelock (widening hyperparameter bounds, `settleWithEmission` to run an epoch
 * at any block with the scenario's emission), and a snapshot to rebuild the weights rows of a block
 * still being built (`rowsAfterPending`).
 */
import hre from "hardhat";
import { maxUint256, parseEther, parseEventLogs, type Hash } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import TaonetModule from "../../deploy/modules/Taonet.ts";
import type { Scenario, ScenarioResult } from "../../workers/yuma/scenario-types.ts";
import { epochOutputs } from "../../workers/shared/epoch-outputs.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";
import { signHotkeyBinding } from "../../workers/shared/sign-hotkey-binding.ts";
import { bondsRow, weightRows } from "../../workers/shared/weight-rows.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
const HOTKEY_INDEX_BASE = 5000;
const TOKEN = 10n ** 18n;
const GAS = 30_000_000n;
/**
 * EIP-7825's per-transaction gas cap. Every settlement transaction is sent with it as its limit: an
 * epoch that does not fit continues in further `settle` transactions of the same block (the
 * settlement's chunks, docs/yuma.md).
 */
export const TX_GAS_CAP = 16_777_216n;

export type ReplayScenarioOnChainParameters = { scenario: Scenario };

export async function replayScenarioOnChain({ scenario }: ReplayScenarioOnChainParameters): Promise<ScenarioResult> {
  await hre.tasks.getTask("build").run({ quiet: true });
  const connection = await hre.network.create({
    network: "default",
    // FIFO: transactions of one block land in file order (the default orders by fee).
    override: {
      blockGasLimit: 2_000_000_000n,
      allowBlocksWithSameTimestamp: true,
      mining: { auto: true, mempool: { order: "fifo" } },
    },
  });
  try {
    return await replay(connection, scenario);
  } finally {
    await connection.close();
  }
}

type Connection = Awaited<ReturnType<typeof hre.network.create>>;

async function replay(connection: Connection, scenario: Scenario): Promise<ScenarioResult> {
  const { viem, ignition, networkHelpers, provider } = connection;
  const wallets = await viem.getWalletClients();
  const [deployer, owner] = wallets;
  const publicClient = await viem.getPublicClient();
  const n = scenario.neurons;
  const totalStake = scenario.stake.reduce<bigint>((sum, s) => sum + BigInt(s) * TOKEN, 0n);

  const deployed = await ignition.deploy(TaonetModule, {
    parameters: {
      Taonet: {
        genesisRecipients: [deployer.account.address, owner.account.address],
        genesisAmounts: [totalStake + parseEther("1000000"), parseEther("100000")],
        minLockCost: parseEther("100"),
      },
    },
  });
  const { tao, staking, subnetRegistry, neuronRegistry, weights, yumaSettlement, timelock } = deployed;

  // Governance, as the timelock: bounds wide enough for the scenario, then the scenario's values.
  await networkHelpers.impersonateAccount(timelock.address);
  await networkHelpers.setBalance(timelock.address, parseEther("1000"));
  const gov = await viem.getWalletClient(timelock.address);
  const registryAsGov = await viem.getContractAt("SubnetRegistry", subnetRegistry.address, { client: { wallet: gov } });
  const hp = scenario.hyperparameters;
  const uidCap = BigInt(Math.max(hp.maxAllowedUids, n, 64));
  const widen: [number, bigint, bigint, bigint][] = [
    [H.ActivityCutoff, 0n, 2n ** 64n - 1n, 0n],
    [H.MaxAllowedUids, 1n, 4096n, uidCap],
    [H.MaxAllowedValidators, 0n, 128n, 0n],
    [H.Tempo, 0n, 2n ** 64n - 1n, 1n],
    [H.StakeThreshold, 0n, 2n ** 128n - 1n, 0n],
  ];
  for (const [parameter, min, max, dflt] of widen) {
    await registryAsGov.write.setHyperparameterBounds([parameter, min, max, dflt]);
  }

  const lock = await subnetRegistry.read.lockCost();
  await tao.write.approve([subnetRegistry.address, lock], { account: owner.account });
  await subnetRegistry.write.createSubnet([lock, { name: scenario.name, repository: "", description: "" }], {
    account: owner.account,
  });
  const netuid = await subnetRegistry.read.lastNetuid();
  const values: [number, bigint][] = [
    [H.MaxAllowedUids, uidCap],
    [H.MaxAllowedValidators, BigInt(hp.maxAllowedValidators)],
    [H.ActivityCutoff, BigInt(hp.activityCutoff)],
    [H.Kappa, BigInt(hp.kappa)],
    [H.BondsPenalty, BigInt(hp.bondsPenalty)],
    [H.BondsMovingAverage, BigInt(hp.bondsMovingAverage)],
    [H.Yuma3Enabled, hp.yuma3 ? 1n : 0n],
    [H.LiquidAlphaEnabled, hp.liquidAlpha ? 1n : 0n],
    // Low before high: the range never crosses on the way (each call checks low <= high).
    [H.AlphaLow, BigInt(Math.min(hp.alphaLow, 45_875))],
    [H.AlphaHigh, BigInt(hp.alphaHigh)],
    [H.AlphaLow, BigInt(hp.alphaLow)],
    [H.AlphaSigmoidSteepness, BigInt(hp.alphaSigmoidSteepness)],
    [H.StakeThreshold, BigInt(hp.stakeThreshold) * TOKEN],
    [H.CommitRevealEnabled, 0n],
    [H.WeightsRateLimit, 0n],
    [H.MinAllowedWeights, 0n],
    [H.TargetRegistrationsPerInterval, 4096n],
    [H.MinBurn, 0n],
    [H.MaxBurn, parseEther("0.1")],
  ];
  for (const [parameter, value] of values) {
    await registryAsGov.write.setHyperparameterByGovernance([netuid, parameter, value]);
  }

  // Hotkeys, bound by the deployer as their coldkey, funded for gas.
  const hotkeys = Array.from({ length: n }, (_, i) =>
    mnemonicToAccount(MNEMONIC, { addressIndex: HOTKEY_INDEX_BASE + i }),
  );
  const chainId = await publicClient.getChainId();
  for (const hotkey of hotkeys) {
    const deadline = BigInt(await networkHelpers.time.latest()) + 36_000n;
    const signature = await signHotkeyBinding({
      hotkey,
      coldkey: deployer.account.address,
      nonce: 0n,
      deadline,
      chainId,
      staking: staking.address,
    });
    await staking.write.bindHotkey([hotkey.address, deadline, signature], { account: deployer.account });
    await networkHelpers.setBalance(hotkey.address, parseEther("10"));
  }
  await tao.write.approve([neuronRegistry.address, maxUint256], { account: deployer.account });
  await tao.write.approve([staking.address, maxUint256], { account: deployer.account });
  const tokensForEmission = scenario.steps.reduce<bigint>(
    (sum, s) => sum + (s.epoch ? BigInt(s.emission ?? "1000000000") : 0n),
    0n,
  );
  await tao.write.transfer([timelock.address, tokensForEmission], { account: deployer.account });
  const taoAsGov = await viem.getContractAt("TAO", tao.address, { client: { wallet: gov } });
  await taoAsGov.write.approve([yumaSettlement.address, maxUint256]);
  const settlementAsGov = await viem.getContractAt("YumaSettlement", yumaSettlement.address, {
    client: { wallet: gov },
  });

  // From here, blocks are built by hand: relative block 0 holds every registration and stake.
  await provider.request({ method: "evm_setAutomine", params: [false] });
  const mine = async () => {
    await provider.request({ method: "evm_mine", params: [] });
  };
  for (const hotkey of hotkeys) {
    await neuronRegistry.write.registerNeuron([netuid, hotkey.address, maxUint256], {
      account: deployer.account,
      gas: GAS,
    });
  }
  for (let uid = 0; uid < n; uid++) {
    const amount = BigInt(scenario.stake[uid] ?? 0) * TOKEN;
    if (amount !== 0n) {
      await staking.write.addStake([hotkeys[uid].address, amount], { account: deployer.account, gas: GAS });
    }
  }
  /**
   * The weights rows the epoch of the block being built takes: its `setWeights` are still pending,
   * and a pending row has no log to rebuild it from (the node serves none before the block is
   * mined). So the block is mined once on a snapshot, the rows rebuilt from its logs, and the
   * snapshot restored, pending transactions included: the block mined for real writes the same rows
   * (same block number, senders and state). Every transaction of the epoch takes these rows, every
   * segment of them (whatever their size: the in-process chain has no transaction pool limit): they
   * are all queued before any runs, and land in that block, where no row changes after its
   * `setWeights`.
   */
  const rowsAfterPending = async () => {
    const snapshot = await provider.request({ method: "evm_snapshot", params: [] });
    await mine();
    const rows = await weightRows({
      client: publicClient,
      settlement: yumaSettlement.address,
      weights: weights.address,
      netuid,
      maxBytes: Number.POSITIVE_INFINITY,
    });
    if (!(await provider.request({ method: "evm_revert", params: [snapshot] }))) {
      throw new Error("could not restore the chain after building the weights rows");
    }
    return rows;
  };
  const registrationBlock = (await publicClient.getBlockNumber()) + 1n;
  let openBlock = registrationBlock;
  const epochHashes: { hashes: Hash[]; block: bigint; emission: bigint }[] = [];
  // Every unit of a settlement runs in a transaction of its own at worst: an upper bound on the
  // transactions an epoch needs.
  const chunks = Math.ceil(n / 16);
  const maxTransactions = 3 * chunks + Math.min(n, hp.maxAllowedValidators) + Math.ceil(n / 32) + 3;
  for (const step of scenario.steps) {
    const target = registrationBlock + BigInt(step.block);
    while (openBlock < target) {
      await mine();
      openBlock += 1n;
    }
    for (const submission of step.setWeights ?? []) {
      await weights.write.setWeights([netuid, submission.uids, submission.values, 0n], {
        account: hotkeys[submission.uid],
        gas: GAS,
      });
    }
    if (step.epoch) {
      const emission = BigInt(step.emission ?? "1000000000");
      const rows = await rowsAfterPending();
      const hashes = [await settlementAsGov.write.settleWithEmission([netuid, emission, rows], { gas: TX_GAS_CAP })];
      // Further transactions continue the epoch until the block being built settles it (read in the
      // pending state: the block's transactions run in order). Queuing the upper bound instead costs
      // minutes at (256, 64): the node runs the pending block again for every transaction sent.
      const open = async () =>
        (await yumaSettlement.read.settlementProgress([netuid], { blockTag: "pending" }))[0] !== 0;
      while (await open()) {
        if (hashes.length === maxTransactions) throw new Error(`epoch at relative block ${step.block} did not finish`);
        hashes.push(await settlementAsGov.write.settle([netuid, rows], { gas: TX_GAS_CAP }));
      }
      epochHashes.push({ hashes, block: target, emission });
    }
  }
  await mine();
  await provider.request({ method: "evm_setAutomine", params: [true] });

  const epochs: ScenarioResult["epochs"] = [];
  for (const { hashes, block } of epochHashes) {
    // The epoch's transactions: up to the one that settled it.
    const receipts = [];
    for (const hash of hashes) {
      const receipt = await publicClient.getTransactionReceipt({ hash });
      if (receipts.length === 0 && receipt.status !== "success") {
        throw new Error(`epoch at relative block ${block - registrationBlock} reverted`);
      }
      if (receipt.status !== "success") break;
      if (receipt.gasUsed > TX_GAS_CAP) throw new Error(`a settlement transaction used ${receipt.gasUsed} gas`);
      receipts.push(receipt);
      if (parseEventLogs({ abi: yumaSettlement.abi, logs: receipt.logs, eventName: "EpochSettled" }).length) break;
    }
    const logs = receipts.flatMap((r) => r.logs);
    if (!parseEventLogs({ abi: yumaSettlement.abi, logs, eventName: "EpochSettled" }).length) {
      throw new Error(`epoch at relative block ${block - registrationBlock} did not finish`);
    }
    const [outputs] = parseEventLogs({ abi: yumaSettlement.abi, logs, eventName: "EpochOutputs" });
    const args = epochOutputs(outputs.args);
    const bonds: number[][] = [];
    for (let uid = 0; uid < n; uid++) {
      const row = await bondsRow({
        client: publicClient,
        settlement: yumaSettlement.address,
        netuid,
        uid: BigInt(uid),
        blockNumber: block,
      });
      bonds.push(row.map((v) => v / 65535));
    }
    epochs.push({
      block: Number(block - registrationBlock),
      consensus: args.consensus.map((v) => v / 65535),
      incentive: args.incentive.map((v) => v / 65535),
      dividends: args.dividends.map((v) => v / 65535),
      validatorTrust: args.validatorTrust.map((v) => v / 65535),
      trust: args.trust.map((v) => v / 65535),
      validatorPermit: [...args.validatorPermit],
      bonds,
      minerEmission: args.minerEmission.map((v) => v.toString()),
      validatorEmission: args.validatorEmission.map((v) => v.toString()),
      gasUsed: receipts.reduce((sum, r) => sum + Number(r.gasUsed), 0),
      settleTransactions: receipts.length,
      maxTransactionGas: receipts.reduce((max, r) => Math.max(max, Number(r.gasUsed)), 0),
    });
  }
  return { format: "taonet-yuma-result/1", name: scenario.name, epochs };
}
