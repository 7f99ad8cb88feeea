import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseEventLogs, zeroAddress, type Address, type Hash } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";

const WAD = 10n ** 18n;
const GAS = 30_000_000n;

/**
 * Properties of `settle` over several epochs of a small subnet with weights: the TAO it mints is
 * exactly what the schedule accrued for the subnet, every minted wei is paid out (miners,
 * validators, owner cut, keeper tip) or burned, and no hotkey is paid twice in one epoch.
 */
describe("Settlement: what settle mints, and where every wei goes", () => {
  it("mints what the subnet accrued, pays it exactly once per UID, and burns only the rest", async () => {
    const t = await deployTaonet();
    const { alice, bob, carol, dave, reporter } = t.accounts;
    const netuid = await t.createSubnet(alice);
    await t.setHyperparameters(alice, netuid, [
      [H.Tempo, 5n],
      [H.CommitRevealEnabled, 0n],
      [H.WeightsRateLimit, 0n],
      [H.ActivityCutoff, 1000n],
      [H.MaxAllowedValidators, 3n],
      [H.TargetRegistrationsPerInterval, 64n],
    ]);
    // One subnet, no governance shares: it is owed everything the schedule accrues.
    assert.equal(await t.yumaSettlement.read.emissionShare([netuid]), WAD);

    // UIDs 0-2 validators (bob's, one with a delegator), 3-7 miners (bob's and carol's).
    const hotkeys: PrivateKeyAccount[] = [];
    for (const coldkey of [bob, bob, bob, bob, carol, carol, bob, carol]) {
      hotkeys.push((await t.registerNeuron(coldkey, netuid)).hotkey);
    }
    for (const hotkey of hotkeys) await t.networkHelpers.setBalance(hotkey.address, parseEther("1"));
    // Validators' stake well above what the miners earn here, so the permits stay with UIDs 0-2.
    await t.stake(bob, hotkeys[0].address, parseEther("3000"));
    await t.stake(carol, hotkeys[0].address, parseEther("1200"));
    await t.stake(bob, hotkeys[1].address, parseEther("2000"));
    await t.stake(dave, hotkeys[2].address, parseEther("500"));
    await t.stake(carol, hotkeys[5].address, parseEther("1"));
    const owner = await t.subnetRegistry.read.ownerOf([netuid]);
    const uidOfHotkey = new Map<Address, number>();
    for (let uid = 0; uid < hotkeys.length; uid++) {
      uidOfHotkey.set(t.address(await t.neuronRegistry.read.hotkeyOf([netuid, BigInt(uid)])), uid);
    }

    type Settled = { minted: bigint; accrued: bigint };
    const settled: Settled[] = [];
    // Every settlement lands `seconds` after the previous block; its checks are in `settle`.
    const schedule: [keeper: (typeof t.accounts)["dave"], seconds: bigint][] = [
      [dave, 1n], // the first epoch: permits, and the start of the subnet's emission clock
      [dave, 60n],
      [reporter, 3_600n],
      [alice, 7n], // the owner as keeper: cut and tip to one address
      [dave, 600n],
      [reporter, 13n],
    ];
    for (let i = 0; i < schedule.length; i++) {
      const [keeper, seconds] = schedule[i]!;
      if (i >= 1) {
        // Validators with a permit (from the first epoch) weight the miners; the weights change
        // between epochs, and validator 2 stops weighting after a while (its row stays).
        for (let v = 0; v < 3; v++) {
          if (v === 2 && i > 3) continue;
          const values = [3, 4, 5, 6, 7].map((m) => ((m * (v + 1) * (i + 2)) % 11) + (v === 1 ? 1 : 0));
          await t.weights.write.setWeights([netuid, [3, 4, 5, 6, 7], values, 0n], { account: hotkeys[v]! });
        }
      }
      settled.push(await settle(t, netuid, keeper.account.address, seconds, owner, uidOfHotkey, i === 0));
    }

    assert.equal(settled[0]!.minted, 0n, "the first epoch pays nothing");
    assert.ok(settled.slice(1).every((s) => s.minted > 0n));
    // Over the paid settlements, what was minted is what the schedule accrued between the first
    // settlement and the last (share 1: no rounding at all).
    const minted = settled.reduce((sum, s) => sum + s.minted, 0n);
    assert.equal(minted, settled.at(-1)!.accrued - settled[0]!.accrued);
    assert.equal(await t.tao.read.balanceOf([t.staking.address]), await t.staking.read.totalAccounted());
  });
});

/**
 * Settles `netuid` `seconds` after the latest block, as `keeper`, and checks that settlement:
 * - mints exactly `pendingEmission` as read just before, at the settlement's timestamp;
 * - changes the total supply by the minted amount less the burned one;
 * - accounts for every minted wei: paid to miners and validators (EpochOutputs) + owner cut +
 *   keeper tip + burned, and the token transfers say the same (the settlement keeps nothing);
 * - pays each hotkey at most once as a miner and once as a validator, the amount of its UID's
 *   output, and raises its stake by exactly what its UID was paid.
 */
async function settle(
  t: Taonet,
  netuid: bigint,
  keeper: Address,
  seconds: bigint,
  owner: Address,
  uidOfHotkey: Map<Address, number>,
  first: boolean,
) {
  const next = await t.yumaSettlement.read.nextEpochBlock([netuid]);
  const head = await t.publicClient.getBlockNumber();
  if (head + 1n < next) await t.mineBlocks(Number(next - head - 1n));
  const latest = await t.publicClient.getBlock();
  await t.networkHelpers.time.setNextBlockTimestamp(latest.timestamp + seconds);
  const pending = await t.yumaSettlement.read.pendingEmission([netuid], { blockTag: "pending" });
  const hotkeys = [...uidOfHotkey.keys()];
  const stakeBefore = await Promise.all(hotkeys.map((h) => t.staking.read.totalStake([h])));
  const settlementBalanceBefore = await t.tao.read.balanceOf([t.yumaSettlement.address]);

  const hash: Hash = await t.yumaSettlement.write.settle([netuid, await t.weightRows(netuid)], {
    account: keeper,
    gas: GAS,
  });
  const receipt = await t.publicClient.getTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  const block = receipt.blockNumber;
  assert.equal((await t.publicClient.getBlock({ blockNumber: block })).timestamp, latest.timestamp + seconds);
  const where = `settlement in block ${block}`;

  const [settledEvent, ...moreSettled] = parseEventLogs({
    abi: t.yumaSettlement.abi,
    logs: receipt.logs,
    eventName: "EpochSettled",
  });
  const [outputs, ...moreOutputs] = parseEventLogs({
    abi: t.yumaSettlement.abi,
    logs: receipt.logs,
    eventName: "EpochOutputs",
  });
  assert.ok(settledEvent && outputs && moreSettled.length === 0 && moreOutputs.length === 0, `${where}: one epoch`);
  const { emission, ownerCut, keeperTip, burned, keeper: keeperInEvent } = settledEvent.args;
  assert.equal(keeperInEvent, t.address(keeper));

  // Minted: the EmissionMinted events of the transaction, and the total supply.
  const mints = parseEventLogs({ abi: t.emission.abi, logs: receipt.logs, eventName: "EmissionMinted" });
  const minted = mints.reduce((sum, m) => sum + m.args.amount, 0n);
  assert.equal(mints.length, minted === 0n ? 0 : 1, `${where}: at most one mint`);
  for (const m of mints) assert.equal(m.args.recipient, t.address(t.yumaSettlement.address));
  assert.equal(minted, emission, `${where}: EpochSettled reports what was minted`);
  assert.equal(minted, pending, `${where}: pendingEmission just before is what settle mints`);
  if (first) assert.equal(minted, 0n);
  const supplyBefore = await t.tao.read.totalSupply({ blockNumber: block - 1n });
  const supplyAfter = await t.tao.read.totalSupply({ blockNumber: block });
  assert.equal(supplyAfter - supplyBefore, minted - burned, `${where}: supply grows by minted - burned`);

  // Every minted wei: paid by the epoch's outputs, the owner cut, the tip, or burned.
  const n = outputs.args.minerEmission.length;
  let paid = 0n;
  for (let uid = 0; uid < n; uid++) paid += outputs.args.minerEmission[uid]! + outputs.args.validatorEmission[uid]!;
  assert.equal(paid + ownerCut + keeperTip + burned, minted, `${where}: paid + cut + tip + burned = minted`);
  assert.equal(keeperTip, (minted * 10n) / 10_000n);
  const transfers = parseEventLogs({ abi: t.tao.abi, logs: receipt.logs, eventName: "Transfer" }).filter(
    (e) => e.args.from === t.address(t.yumaSettlement.address),
  );
  const sent = (to: Address) =>
    transfers.filter((e) => e.args.to === t.address(to)).reduce((s, e) => s + e.args.value, 0n);
  assert.equal(sent(t.staking.address), paid, `${where}: Staking received what the outputs pay`);
  assert.equal(sent(zeroAddress), burned, `${where}: burned`);
  if (t.address(keeper) === t.address(owner)) {
    assert.equal(sent(owner), ownerCut + keeperTip, `${where}: the owner, keeper too, got cut + tip`);
  } else {
    assert.equal(sent(owner), ownerCut, `${where}: owner cut`);
    assert.equal(sent(keeper), keeperTip, `${where}: keeper tip`);
  }
  assert.equal(
    transfers.reduce((s, e) => s + e.args.value, 0n),
    minted,
    `${where}: every minted wei left`,
  );
  assert.equal(await t.tao.read.balanceOf([t.yumaSettlement.address]), settlementBalanceBefore);

  // Each UID's hotkey accrued exactly its UID's outputs, once (the miner's to stake for its operator,
  // the validator's into its pool), nothing was applied to a pool in the settlement, and its stake is
  // up by exactly that; with Staking credited the sum, no other hotkey got any.
  const accrued = async (blockNumber: bigint) =>
    Promise.all(hotkeys.map((h) => t.staking.read.accruedRewards([h], { blockNumber })));
  const [accruedBefore, accruedAfter] = await Promise.all([accrued(block - 1n), accrued(block)]);
  for (let uid = 0; uid < n; uid++) {
    assert.equal(
      accruedAfter[uid]![0] - accruedBefore[uid]![0],
      outputs.args.minerEmission[uid],
      `${where}: miner emission of UID ${uid} accrued to its operator`,
    );
    assert.equal(
      accruedAfter[uid]![1] - accruedBefore[uid]![1],
      outputs.args.validatorEmission[uid],
      `${where}: validator emission of UID ${uid} accrued to its pool`,
    );
  }
  for (const eventName of ["OperatorCredited", "RewardDistributed"] as const) {
    const applied = parseEventLogs({ abi: t.staking.abi, logs: receipt.logs, eventName });
    assert.equal(applied.length, 0, `${where}: no pool applied its rewards in the settlement (${eventName})`);
  }
  const accruedEvents = parseEventLogs({ abi: t.staking.abi, logs: receipt.logs, eventName: "RewardsAccrued" });
  assert.equal(
    accruedEvents.reduce((sum, e) => sum + e.args.total, 0n),
    paid,
    `${where}: RewardsAccrued adds up to what was paid`,
  );
  const stakeAfter = await Promise.all(hotkeys.map((h) => t.staking.read.totalStake([h])));
  for (let uid = 0; uid < n; uid++) {
    const uidPaid = outputs.args.minerEmission[uid]! + outputs.args.validatorEmission[uid]!;
    assert.equal(stakeAfter[uid]! - stakeBefore[uid]!, uidPaid, `${where}: stake of UID ${uid}`);
  }
  if (!first) assert.ok(paid > 0n, `${where}: somebody is paid`);

  return { minted, accrued: await t.emission.read.cumulativeAccrued({ blockNumber: block }) };
}
