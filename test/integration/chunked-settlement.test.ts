import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseEventLogs, type Address, type Hash, type TransactionReceipt } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";
import { quoteMedianHints } from "../../workers/shared/quote-median-hints.ts";

/** EIP-7825's per-transaction gas cap: every settlement transaction must fit under it. */
const TX_GAS_CAP = 16_777_216n;
const UIDS = 40;
const VALIDATORS = 6;

/**
 * A settlement that does not fit in one transaction continues across several, each under the
 * per-transaction cap, pushed by anyone; the subnet takes no weights in between; and the result is
 * the epoch one transaction gives: the same outputs, bonds, payments, burn and supply, with the
 * emission minted and the owner cut paid once; and so does one settled with median hints.
 */
describe("Chunked settlement", () => {
  it("settles an epoch across transactions exactly as in one, pausing the subnet's weights meanwhile", async () => {
    const t = await deployTaonet();
    const { alice, bob, carol, dave, reporter } = t.accounts;
    const netuid = await t.createSubnet(alice);
    await t.setHyperparameters(alice, netuid, [
      [H.Tempo, 5n],
      [H.CommitRevealEnabled, 0n],
      [H.WeightsRateLimit, 0n],
      [H.ActivityCutoff, 1000n],
      [H.MaxAllowedValidators, BigInt(VALIDATORS)],
      [H.TargetRegistrationsPerInterval, 64n],
    ]);
    const hotkeys: PrivateKeyAccount[] = [];
    for (let uid = 0; uid < UIDS; uid++) hotkeys.push((await t.registerNeuron(uid % 2 ? bob : carol, netuid)).hotkey);
    for (let v = 0; v < VALIDATORS; v++) {
      await t.networkHelpers.setBalance(hotkeys[v]!.address, parseEther("1"));
      await t.stake(bob, hotkeys[v]!.address, parseEther(String(1000 + 300 * v)));
    }

    // Two epochs in one transaction each: permits, then weights and bonds.
    await settleWhole(t, netuid, dave.account.address);
    const setWeights = async (round: number) => {
      for (let v = 0; v < VALIDATORS; v++) {
        const uids = [...Array(UIDS).keys()].filter((u) => u !== v);
        const values = uids.map((u) => ((u * (v + 3) + round * 7) % 23) + (v === 2 ? 0 : 1));
        await t.weights.write.setWeights([netuid, uids, values, 0n], { account: hotkeys[v]! });
      }
    };
    await setWeights(1);
    await settleWhole(t, netuid, dave.account.address);
    await setWeights(2);

    // The third epoch, twice from the same state: in one transaction, then in chunks.
    const snapshot = await t.networkHelpers.takeSnapshot();
    await mineUntilDue(t, netuid);
    const start = (await t.publicClient.getBlock()).timestamp + 60n;
    await t.networkHelpers.time.setNextBlockTimestamp(start);
    const whole = await settleWhole(t, netuid, dave.account.address);
    const expected = await observe(t, netuid, hotkeys);
    await snapshot.restore();

    await mineUntilDue(t, netuid);
    await t.networkHelpers.time.setNextBlockTimestamp(start);
    const yardstick = await t.yumaSettlement.read.lastRunGas([netuid]);
    assert.ok(yardstick > 0n, "the previous epoch's run measured");
    // Too little gas for even one unit: a clear error (checked by a call: nothing is mined).
    await assert.rejects(
      t.yumaSettlement.simulate.settle([netuid, await t.weightRows(netuid)], {
        account: dave.account.address,
        gas: 700_000n,
      }),
      /InsufficientGasForUnit/,
    );
    const keepers = [dave, reporter, carol];
    const receipts: TransactionReceipt[] = [];
    for (let i = 0; receipts.length === 0 || !settledIn(t, receipts.at(-1)!); i++) {
      assert.ok(i < 400, "the run finishes");
      const keeper = keepers[i % keepers.length]!;
      // Each chunk with the rows built for it, as a keeper does.
      const rows = await t.weightRows(netuid);
      const hash: Hash = await t.yumaSettlement.write.settle([netuid, rows], {
        account: keeper.account,
        gas: 2_000_000n,
      });
      const receipt = await t.publicClient.getTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      assert.ok(receipt.gasUsed < TX_GAS_CAP);
      receipts.push(receipt);
      if (!settledIn(t, receipt)) {
        const [phase] = await t.yumaSettlement.read.settlementProgress([netuid]);
        assert.ok(phase > 0, "a run is open between chunks");
        // No weights while the run is open.
        await assert.rejects(
          t.weights.write.setWeights([netuid, [10], [1], 0n], { account: hotkeys[0]! }),
          /SubnetSettling/,
        );
      }
    }
    assert.ok(receipts.length >= 3, `chunked into ${receipts.length} transactions`);
    assert.equal((await t.yumaSettlement.read.settlementProgress([netuid]))[0], 0);

    // The keeper tip, shared by gas: each call that did not finish took `tip * its gas / the previous
    // run's gas` (the previous epoch ran in one transaction), the last call the rest; each keeper's
    // balance grew by its shares; nothing beyond the tip.
    const advanced = receipts.flatMap((r) =>
      parseEventLogs({ abi: t.yumaSettlement.abi, logs: r.logs, eventName: "SettlementAdvanced" }),
    );
    assert.equal(advanced.length, receipts.length - 1);
    let partTips = 0n;
    for (const [i, event] of advanced.entries()) {
      assert.equal(t.address(event.args.keeper), t.address(keepers[i % keepers.length]!.account.address));
      const share = (whole.keeperTip * event.args.gasUsed) / yardstick;
      const left = whole.keeperTip - partTips;
      assert.equal(event.args.tip, share < left ? share : left);
      partTips += event.args.tip;
    }
    assert.ok(advanced[0]!.args.tip > 0n, "the first chunk's keeper is paid");
    const tipped = (keeper: (typeof keepers)[number]) =>
      receipts.reduce((sum, r, i) => {
        if (i % keepers.length !== keepers.indexOf(keeper)) return sum;
        const tips = parseEventLogs({ abi: t.tao.abi, logs: r.logs, eventName: "Transfer" }).filter(
          (e) =>
            t.address(e.args.from) === t.address(t.yumaSettlement.address) &&
            t.address(e.args.to) === t.address(keeper.account.address),
        );
        return sum + tips.reduce((a, e) => a + e.args.value, 0n);
      }, 0n);
    assert.equal(
      keepers.reduce((sum, k) => sum + tipped(k), 0n),
      whole.keeperTip,
      "the keepers' shares add up to the tip",
    );

    // Minted once, at the start; the owner cut once; the rest of the tip to whoever ran the last chunk.
    const mints = receipts.flatMap((r) =>
      parseEventLogs({ abi: t.emission.abi, logs: r.logs, eventName: "EmissionMinted" }),
    );
    assert.equal(mints.length, 1);
    assert.equal(mints[0]!.args.amount, whole.emission);
    const [settled] = parseEventLogs({
      abi: t.yumaSettlement.abi,
      logs: receipts.at(-1)!.logs,
      eventName: "EpochSettled",
    });
    assert.equal(settled!.args.emission, whole.emission);
    assert.equal(settled!.args.burned, whole.burned);
    assert.equal(settled!.args.ownerCut, whole.ownerCut);
    assert.equal(settled!.args.keeperTip, whole.keeperTip);
    assert.equal(
      t.address(settled!.args.keeper),
      t.address(keepers[(receipts.length - 1) % keepers.length]!.account.address),
    );
    assert.equal(settled!.args.blockNumber, receipts[0]!.blockNumber, "the epoch's block is the one it started in");
    const outputs = receipts.flatMap((r) =>
      parseEventLogs({ abi: t.yumaSettlement.abi, logs: r.logs, eventName: "EpochOutputs" }),
    );
    assert.equal(outputs.length, 1);
    assert.deepEqual(outputs[0]!.args, whole.outputs);
    // Stake, bonds, stored outputs and supply: as after the one-transaction epoch.
    assert.deepEqual(await observe(t, netuid, hotkeys), expected);
    // Weights are accepted again.
    await t.weights.write.setWeights([netuid, [10], [1], 0n], { account: hotkeys[0]! });

    // Once more from the same state, in chunks with median hints quoted before the epoch opened:
    // the same result, the hints a row for every column (every column has voters).
    await snapshot.restore();
    await mineUntilDue(t, netuid);
    const quoteRows = await t.weightRows(netuid, { maxBytes: Number.POSITIVE_INFINITY });
    const hints = await quoteMedianHints({
      simulate: () => t.yumaSettlement.simulate.quoteMedianHints([netuid, quoteRows], { gas: 500_000_000n }),
    });
    assert.equal(hints.length, 2 + 2 * UIDS);
    assert.ok(
      [...Buffer.from(hints.slice(2), "hex")].every((row) => row >= 1 && row <= VALIDATORS),
      `a row for every column: ${hints}`,
    );
    await t.networkHelpers.time.setNextBlockTimestamp(start);
    let transactions = 0;
    for (let done = false; !done; transactions++) {
      assert.ok(transactions < 400, "the run finishes");
      const hash = await t.yumaSettlement.write.settleWithHints([netuid, hints, await t.weightRows(netuid)], {
        account: dave.account,
        gas: 2_000_000n,
      });
      const receipt = await t.publicClient.getTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      done = settledIn(t, receipt);
    }
    assert.ok(transactions >= 3, `chunked into ${transactions} transactions`);
    assert.deepEqual(await observe(t, netuid, hotkeys), expected);
  });
});

function settledIn(t: Taonet, receipt: TransactionReceipt) {
  return parseEventLogs({ abi: t.yumaSettlement.abi, logs: receipt.logs, eventName: "EpochSettled" }).length > 0;
}

async function mineUntilDue(t: Taonet, netuid: bigint) {
  const next = await t.yumaSettlement.read.nextEpochBlock([netuid]);
  const head = await t.publicClient.getBlockNumber();
  if (head + 1n < next) await t.mineBlocks(Number(next - head - 1n));
}

/** Settles `netuid` in one transaction once due; returns its EpochSettled and EpochOutputs. */
async function settleWhole(t: Taonet, netuid: bigint, keeper: Address) {
  await mineUntilDue(t, netuid);
  const hash = await t.yumaSettlement.write.settle([netuid, await t.weightRows(netuid)], {
    account: keeper,
    gas: TX_GAS_CAP,
  });
  const receipt = await t.publicClient.getTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  const [settled] = parseEventLogs({ abi: t.yumaSettlement.abi, logs: receipt.logs, eventName: "EpochSettled" });
  const [outputs] = parseEventLogs({ abi: t.yumaSettlement.abi, logs: receipt.logs, eventName: "EpochOutputs" });
  assert.ok(settled && outputs, "settled in one transaction");
  return { ...settled.args, outputs: outputs.args };
}

/** What a settlement leaves behind that both ways must agree on. */
async function observe(t: Taonet, netuid: bigint, hotkeys: PrivateKeyAccount[]) {
  return {
    supply: await t.tao.read.totalSupply(),
    stakes: await Promise.all(hotkeys.map((h) => t.staking.read.totalStake([h.address]))),
    outputs: await t.yumaSettlement.read.epochOutputs([netuid]),
    bonds: await Promise.all(hotkeys.slice(0, VALIDATORS).map((_, uid) => t.bonds(netuid, BigInt(uid)))),
    permits: await t.neuronRegistry.read.validatorPermits([netuid]),
    emissions: await Promise.all(hotkeys.map((_, uid) => t.neuronRegistry.read.neuronEmission([netuid, BigInt(uid)]))),
  };
}
