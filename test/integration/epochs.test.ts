import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { encodeAbiParameters, keccak256, parseEther, toHex, type Address } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { settleWhenDue } from "../../workers/shared/settle-when-due.ts";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";
import { maxUpscaleWeights } from "../../workers/yuma/max-upscale-weights.ts";

/**
 * Weights and settlement together: a subnet of 2 validators and 4 miners with 10-block epochs.
 * Permits come from the first settlement (top stake), then validators weight miners.
 */
describe("Weights and Yuma settlement", () => {
  let t: Taonet;
  let netuid: bigint;
  let validators: PrivateKeyAccount[];
  let miners: PrivateKeyAccount[];

  async function settleNow() {
    return settleWhenDue(t.settlementChain(netuid, t.accounts.dave.account.address));
  }

  beforeEach(async () => {
    t = await deployTaonet();
    const { alice, bob } = t.accounts;
    netuid = await t.createSubnet(alice);
    await t.setHyperparameters(alice, netuid, [
      [H.Tempo, 10n],
      [H.CommitRevealEnabled, 0n],
      [H.WeightsRateLimit, 0n],
      [H.ActivityCutoff, 1000n],
      [H.MaxAllowedValidators, 2n],
      [H.TargetRegistrationsPerInterval, 64n],
    ]);
    validators = [];
    miners = [];
    for (let i = 0; i < 2; i++) validators.push((await t.registerNeuron(bob, netuid)).hotkey);
    for (let i = 0; i < 4; i++) miners.push((await t.registerNeuron(bob, netuid)).hotkey);
    for (const hotkey of [...validators, ...miners]) await t.networkHelpers.setBalance(hotkey.address, parseEther("1"));
    await t.stake(bob, validators[0].address, parseEther("300"));
    await t.stake(bob, validators[1].address, parseEther("100"));
    await settleNow(); // the first epoch hands out permits
  });

  it("hands permits to the top stake and refuses non-self weights without one", async () => {
    assert.equal(await t.neuronRegistry.read.hasValidatorPermit([netuid, 0n]), true);
    assert.equal(await t.neuronRegistry.read.hasValidatorPermit([netuid, 1n]), true);
    assert.equal(await t.neuronRegistry.read.hasValidatorPermit([netuid, 2n]), false);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.weights.write.setWeights([netuid, [3], [1], 0n], { account: miners[0] }),
      t.weights,
      "NoValidatorPermit",
      [netuid, 2n],
    );
    // A lone self-weight needs no permit.
    await t.weights.write.setWeights([netuid, [2], [1], 0n], { account: miners[0] });
  });

  it("stores weights max-upscaled and checks them as subtensor does", async () => {
    const v = validators[0];
    await t.weights.write.setWeights([netuid, [2, 3], [43690, 21845], 0n], { account: v });
    // The row as stored: its log, checked against the hashes `Weights` keeps.
    const { values, present } = await t.storedRow(netuid, 0n);
    assert.deepEqual(values, [0, 0, 65535, 32768, 0, 0]);
    assert.deepEqual(present, [false, false, true, true, false, false]);

    const cases: [readonly number[], readonly number[], string, readonly unknown[]][] = [
      [[2, 3], [1], "LengthMismatch", [2n, 1n]],
      [[2, 2], [1, 1], "DuplicateUid", [2n]],
      [[2, 9], [1, 1], "UidOutOfRange", [9n, 6n]],
    ];
    for (const [uids, vals, error, args] of cases) {
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.weights.write.setWeights([netuid, uids, vals, 0n], { account: v }),
        t.weights,
        error as "LengthMismatch",
        args as never,
      );
    }
    await t.subnetRegistry.write.setHyperparameter([netuid, H.WeightsVersionKey, 7n], {
      account: t.accounts.alice.account,
    });
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.weights.write.setWeights([netuid, [2], [1], 6n], { account: v }),
      t.weights,
      "IncorrectVersionKey",
      [6n, 7n],
    );
    await t.subnetRegistry.write.setHyperparameter([netuid, H.WeightsRateLimit, 5n], {
      account: t.accounts.alice.account,
    });
    await t.viem.assertions.revertWithCustomError(
      t.weights.write.setWeights([netuid, [2], [1], 7n], { account: v }),
      t.weights,
      "SettingWeightsTooFast",
    );
  });

  it("stores exactly what the reference's max-upscale gives, for random vectors", async () => {
    const v = validators[0];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 12; round++) {
      const uids = [2, 3, 4, 5];
      const ceiling = round % 2 === 0 ? 32_768 : 65_536; // both branches of the rule
      const values = uids.map(() => next() % ceiling);
      await t.weights.write.setWeights([netuid, uids, values, 0n], { account: v });
      const { values: stored } = await t.storedRow(netuid, 0n);
      const expected = maxUpscaleWeights({ valuesU16: values });
      assert.deepEqual(
        uids.map((u) => stored[u]),
        expected,
        `values ${values}`,
      );
    }
  });

  it("pays stakers after weights are set: miners' incentive to their operators, dividends to pools", async () => {
    const { bob } = t.accounts;
    for (const v of validators) {
      await t.weights.write.setWeights([netuid, [2, 3, 4, 5], [100, 200, 300, 400], 0n], { account: v });
    }
    await settleNow(); // the weights are in: this epoch pays by them
    const before = await Promise.all(
      [...validators, ...miners].map((h) => t.staking.read.stakeOf([bob.account.address, h.address])),
    );
    const ownerBefore = await t.tao.read.balanceOf([t.accounts.alice.account.address]);
    await settleNow();
    const after = await Promise.all(
      [...validators, ...miners].map((h) => t.staking.read.stakeOf([bob.account.address, h.address])),
    );
    for (let i = 0; i < after.length; i++) assert.ok(after[i] > before[i], `hotkey ${i} earned`);
    // Miner 5 (weight 400) earns more than miner 2 (weight 100).
    assert.ok(after[5] - before[5] > after[2] - before[2]);
    assert.ok((await t.tao.read.balanceOf([t.accounts.alice.account.address])) > ownerBefore, "owner cut");
    const [consensus, incentive, dividends] = await t.yumaSettlement.read.epochOutputs([netuid]);
    assert.equal(consensus.length, 6);
    assert.ok(incentive[5] > incentive[2]);
    assert.ok(dividends[0] > 0 && dividends[1] > 0);
    assert.equal(await t.tao.read.balanceOf([t.staking.address]), await t.staking.read.totalAccounted());
  });

  it("gives a newcomer that takes a pruned UID none of its predecessor's weights or bonds", async () => {
    const { alice, bob, carol } = t.accounts;
    for (const v of validators) {
      await t.weights.write.setWeights([netuid, [2, 3, 4, 5], [100, 200, 300, 400], 0n], { account: v });
    }
    await settleNow();
    await settleNow();
    const [, incentiveBefore] = await t.yumaSettlement.read.epochOutputs([netuid]);
    assert.ok(incentiveBefore[2] > 0, "UID 2 earned before");
    assert.ok((await t.bonds(netuid, 0n))[2] > 0, "validator 0 holds a bond on UID 2");

    // Make the subnet full at 6 UIDs with no immunity, then register a 7th hotkey: it takes UID 2,
    // the miner with the lowest emission.
    const gov = await t.asTimelock();
    const registryAsGov = await t.viem.getContractAt("SubnetRegistry", t.subnetRegistry.address, {
      client: { wallet: gov },
    });
    await registryAsGov.write.setHyperparameterBounds([H.MaxAllowedUids, 4n, 4096n, 256n]);
    await t.subnetRegistry.write.setHyperparameter([netuid, H.MaxAllowedUids, 6n], { account: alice.account });
    await t.subnetRegistry.write.setHyperparameter([netuid, H.ImmunityPeriod, 0n], { account: alice.account });
    const newcomer = await t.registerNeuron(carol, netuid);
    assert.equal(newcomer.uid, 2n);
    assert.equal(await t.neuronRegistry.read.neuronCount([netuid]), 6n);

    await settleNow();
    const [, incentive] = await t.yumaSettlement.read.epochOutputs([netuid]);
    assert.equal(incentive[2], 0, "weights set before the registration are masked");
    for (const v of [0n, 1n]) {
      assert.equal((await t.bonds(netuid, v))[2], 0, `validator ${v}: no inherited bond`);
    }
    assert.equal(await t.staking.read.stakeOf([carol.account.address, newcomer.hotkey.address]), 0n);
    void bob;
  });

  it("refuses to settle before the tempo has elapsed", async () => {
    const next = await t.yumaSettlement.read.nextEpochBlock([netuid]);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.yumaSettlement.write.settle([netuid, await t.weightRows(netuid)]),
      t.yumaSettlement,
      "EpochNotDue",
      [netuid, next, (b: bigint) => b < next],
    );
  });

  describe("commit-reveal", () => {
    const uids = [2, 3, 4, 5];
    const values = [1, 2, 3, 4];
    const salt = keccak256(toHex("salt"));

    beforeEach(async () => {
      await t.subnetRegistry.write.setHyperparameter([netuid, H.CommitRevealEnabled, 1n], {
        account: t.accounts.alice.account,
      });
    });

    async function commit(v: PrivateKeyAccount, s = salt) {
      const hash = await t.weights.read.commitHashOf([netuid, v.address, uids, values, s, 0n]);
      await t.weights.write.commitWeights([netuid, hash], { account: v });
      return hash;
    }

    it("reveals in the next epoch only, with the right salt, once", async () => {
      const v = validators[0];
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.weights.write.setWeights([netuid, uids, values, 0n], { account: v }),
        t.weights,
        "CommitRevealEnabled",
        [netuid],
      );
      await commit(v);
      await t.viem.assertions.revertWithCustomError(
        t.weights.write.revealWeights([netuid, uids, values, salt, 0n], { account: v }),
        t.weights,
        "RevealTooEarly",
      );
      await settleNow();
      await t.viem.assertions.revertWithCustomError(
        t.weights.write.revealWeights([netuid, uids, values, keccak256(toHex("wrong")), 0n], { account: v }),
        t.weights,
        "CommitNotFound",
      );
      // Another validator cannot reveal this commit: the hash binds the hotkey.
      await t.viem.assertions.revertWithCustomError(
        t.weights.write.revealWeights([netuid, uids, values, salt, 0n], { account: validators[1] }),
        t.weights,
        "CommitNotFound",
      );
      await t.weights.write.revealWeights([netuid, uids, values, salt, 0n], { account: v });
      const { values: stored } = await t.storedRow(netuid, 0n);
      assert.deepEqual(stored, [0, 0, 16384, 32768, 49151, 65535]);
      await t.viem.assertions.revertWithCustomError(
        t.weights.write.revealWeights([netuid, uids, values, salt, 0n], { account: v }),
        t.weights,
        "CommitNotFound",
      );
    });

    it("proves a missed reveal, which the Slashing contract punishes once", async () => {
      const v = validators[0];
      const hash = await commit(v);
      const [{ epoch }] = await t.weights.read.pendingCommits([netuid, v.address]);
      await settleNow();
      await settleNow(); // the reveal epoch passes
      await t.viem.assertions.revertWithCustomError(
        t.weights.write.revealWeights([netuid, uids, values, salt, 0n], { account: v }),
        t.weights,
        "RevealExpired",
      );
      const evidence = encodeAbiParameters(
        [{ type: "uint256" }, { type: "address" }, { type: "bytes32" }, { type: "uint64" }],
        [netuid, v.address, hash, epoch],
      );
      const stakeBefore = await t.staking.read.totalStake([v.address]);
      await t.slashing.write.reportFault([t.weights.address, evidence], { account: t.accounts.reporter.account });
      assert.ok((await t.staking.read.totalStake([v.address])) < stakeBefore);
      await t.viem.assertions.revertWithCustomError(
        t.slashing.write.reportFault([t.weights.address, evidence], { account: t.accounts.reporter.account }),
        t.slashing,
        "FaultAlreadyReported",
      );
      void (0 as unknown as Address);
    });
  });
});
