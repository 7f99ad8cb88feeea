import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parseEther, parseEventLogs } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";

const WAD = 10n ** 18n;

/**
 * The root network on the deployed system: two subnets, each with one validator weighting one
 * miner, and two root members weighting the subnets 1 : 3. Before the root's first epoch the
 * subnets split emission equally (no governance shares); after it, what each subnet's settlement
 * mints follows the root's weights.
 */
describe("Root network", () => {
  let t: Taonet;
  const netuids: bigint[] = [];
  const miners: PrivateKeyAccount[] = [];

  async function mineTo(block: bigint) {
    const head = await t.publicClient.getBlockNumber();
    if (head + 1n < block) await t.mineBlocks(Number(block - head - 1n));
  }

  /** An hour on, settles both subnets in consecutive blocks; returns what each minted and paid its miner. */
  async function settleBoth() {
    const next = [
      await t.yumaSettlement.read.nextEpochBlock([netuids[0]]),
      await t.yumaSettlement.read.nextEpochBlock([netuids[1]]),
    ];
    await mineTo(next[0] > next[1] ? next[0] : next[1]);
    // An hour of chain time, so the second or two between the two settlements is noise.
    await t.connection.provider.request({ method: "evm_increaseTime", params: [3600] });
    const minted: bigint[] = [];
    const minerStake: bigint[] = [];
    for (let i = 0; i < 2; i++) {
      const before = await t.staking.read.totalStake([miners[i].address]);
      const hash = await t.yumaSettlement.write.settle([netuids[i], await t.weightRows(netuids[i])], {
        account: t.accounts.dave.account,
        gas: 30_000_000n,
      });
      const receipt = await t.publicClient.waitForTransactionReceipt({ hash });
      const [settled] = parseEventLogs({ abi: t.yumaSettlement.abi, logs: receipt.logs, eventName: "EpochSettled" });
      minted.push(settled.args.emission);
      minerStake.push((await t.staking.read.totalStake([miners[i].address])) - before);
    }
    return { minted, minerStake };
  }

  /** amount[1] / amount[0] in thousandths. */
  const ratio = (amounts: bigint[]) => Number((amounts[1] * 1000n) / amounts[0]) / 1000;

  before(async () => {
    t = await deployTaonet();
    const { alice, bob, carol } = t.accounts;
    // Governance shortens the root's clock for the test.
    const gov = await t.asTimelock();
    const rootAsGov = await t.viem.getContractAt("RootNetwork", t.rootNetwork.address, { client: { wallet: gov } });
    await rootAsGov.write.setRootParameters([
      { maxMembers: 64n, tempo: 20n, weightsRateLimit: 0n, activityCutoff: 1_000n, minAllowedWeights: 1n },
    ]);

    for (let s = 0; s < 2; s++) {
      const netuid = await t.createSubnet(alice, `subnet ${s}`);
      netuids.push(netuid);
      await t.setHyperparameters(alice, netuid, [
        [H.Tempo, 10n],
        [H.CommitRevealEnabled, 0n],
        [H.WeightsRateLimit, 0n],
        [H.ActivityCutoff, 1000n],
        [H.MaxAllowedValidators, 1n],
      ]);
      const validator = (await t.registerNeuron(bob, netuid)).hotkey;
      const miner = (await t.registerNeuron(bob, netuid)).hotkey;
      miners.push(miner);
      await t.networkHelpers.setBalance(validator.address, parseEther("1"));
      await t.stake(bob, validator.address, parseEther("100"));
      const next = await t.yumaSettlement.read.nextEpochBlock([netuid]);
      await mineTo(next);
      await t.yumaSettlement.write.settle([netuid, await t.weightRows(netuid)], {
        account: t.accounts.dave.account,
        gas: 30_000_000n,
      });
      // The first epoch handed the validator its permit: it weights its miner (UID 1).
      await t.weights.write.setWeights([netuid, [1], [1], 0n], { account: validator });
    }

    for (let m = 0; m < 2; m++) {
      const hotkey = await t.newBoundHotkey(carol);
      await t.networkHelpers.setBalance(hotkey.address, parseEther("1"));
      await t.stake(carol, hotkey.address, parseEther("500"));
      await t.rootNetwork.write.registerRoot([hotkey.address], { account: carol.account });
      await t.rootNetwork.write.setRootWeights([netuids, [1, 3]], { account: hotkey });
    }
    // Both subnets' emission clocks start here, in consecutive blocks.
    await settleBoth();
  });

  it("splits emission equally while the root has produced no shares", async () => {
    assert.equal(await t.yumaSettlement.read.rootSharesApply(), false);
    assert.equal(await t.yumaSettlement.read.emissionShare([netuids[0]]), WAD / 2n);
    const { minted } = await settleBoth();
    assert.ok(minted[0] > 0n);
    assert.ok(Math.abs(ratio(minted) - 1) < 0.01, `equal split, got ratio ${ratio(minted)}`);
  });

  it("pays the subnets by the root's weights after the root epoch", async () => {
    await mineTo(await t.rootNetwork.read.nextRootEpochBlock());
    const hash = await t.rootNetwork.write.settleRoot({ account: t.accounts.dave.account });
    const receipt = await t.publicClient.waitForTransactionReceipt({ hash });
    const [epoch] = parseEventLogs({ abi: t.rootNetwork.abi, logs: receipt.logs, eventName: "RootEpochSettled" });
    assert.deepEqual(epoch.args.netuids, netuids);
    assert.equal(epoch.args.applied, true);
    const shares = epoch.args.sharesWad;
    assert.ok(shares[0] + shares[1] <= WAD);
    assert.ok(Math.abs(Number(shares[0]) / 1e18 - 0.25) < 1e-6 && Math.abs(Number(shares[1]) / 1e18 - 0.75) < 1e-6);
    assert.equal(await t.yumaSettlement.read.emissionShare([netuids[1]]), shares[1]);

    const accruedBefore = await t.emission.read.cumulativeMinted();
    const { minted, minerStake } = await settleBoth();
    assert.ok(Math.abs(ratio(minted) - 3) < 0.03, `minted follows 1 : 3, got ratio ${ratio(minted)}`);
    assert.ok(Math.abs(ratio(minerStake) - 3) < 0.03, `miners' pay follows 1 : 3, got ratio ${ratio(minerStake)}`);
    // Nothing is minted beyond the schedule.
    assert.equal((await t.emission.read.cumulativeMinted()) - accruedBefore, minted[0] + minted[1]);
    assert.ok((await t.emission.read.cumulativeMinted()) <= (await t.emission.read.cumulativeAccrued()));
  });
});
