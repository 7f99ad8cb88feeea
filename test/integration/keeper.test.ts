import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, keccak256, parseEventLogs, toHex, type Address } from "viem";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { keeperPass, type KeeperChain, type MissedReveal } from "../../workers/keeper/keeper.ts";
import { simulation } from "../../workers/shared/simulation.ts";

/**
 * Two keepers on one chain, passing in turn and at once: every due epoch is settled once, a missed
 * reveal is reported once, and no keeper sends a transaction its own call showed would fail.
 */
describe("Keeper", () => {
  it("settles each due epoch once and reports a missed reveal once, with two keepers", async () => {
    const t = await deployTaonet();
    const { dave, reporter } = t.accounts;
    const { netuid, hotkeys } = await t.commitRevealSubnet({ validators: 2n });

    const keepers = [keeperChain(t, dave.account.address), keeperChain(t, reporter.account.address)];
    // Transactions that failed: mined reverted, or refused by the node when sent (a lost race).
    const sent = { failed: 0 };
    const races: string[] = [];
    const pass = async (k: number) => {
      const result = await keeperPass(keepers[k]!);
      sent.failed += [...result.settled, ...result.reported].filter((r) => r.status === "reverted").length;
      sent.failed += result.failed.length;
      races.push(...result.failed.map((f) => f.what));
      return result;
    };

    // Epoch 1 (permits): both keepers pass at once when it is due, then in turn.
    await t.mineBlocks(
      Number((await t.yumaSettlement.read.nextEpochBlock([netuid])) - (await t.publicClient.getBlockNumber())),
    );
    await Promise.all([pass(0), pass(1)]);
    await pass(1);

    // The validator commits and never reveals; epochs go by, every keeper passing every few blocks.
    const salt = keccak256(toHex("salt"));
    const hash = await t.weights.read.commitHashOf([netuid, hotkeys[0]!.address, [1, 2], [1, 1], salt, 0n]);
    await t.weights.write.commitWeights([netuid, hash], { account: hotkeys[0]! });
    let reports = 0;
    for (let round = 0; round < 12; round++) {
      await t.mineBlocks(3);
      const [a, b] = await Promise.all([pass(round % 2), pass((round + 1) % 2)]);
      reports += a.reported.length + b.reported.length;
    }

    const settledEvents = await t.publicClient.getContractEvents({
      address: t.yumaSettlement.address,
      abi: t.yumaSettlement.abi,
      eventName: "EpochSettled",
      fromBlock: 0n,
    });
    const epochs = settledEvents.map((e) => e.args.epochIndex);
    assert.ok(epochs.length >= 4, `${epochs.length} epochs settled`);
    assert.deepEqual(
      epochs,
      [...epochs.keys()].map((i) => BigInt(i + 1)),
      "each epoch once, in order",
    );
    assert.equal(reports, 1, "the missed reveal is reported once");
    // Both keepers pass at the same moment in every round: when something is due, both calls see it
    // succeed and both send, and one loses. That is at most one lost race per settled epoch and one
    // for the report; a keeper never sends again what its call says would fail.
    const lostSettles = races.filter((what) => what === `settle ${netuid}`).length;
    const lostReports = races.filter((what) => what.startsWith(`report ${netuid}/`)).length;
    assert.equal(lostSettles + lostReports, sent.failed, races.join(", "));
    assert.ok(lostSettles <= epochs.length && lostReports <= 1, races.join(", "));
  });
});

/** A `KeeperChain` over the test deployment, sending as `keeper`. */
function keeperChain(t: Taonet, keeper: Address): KeeperChain {
  const simulate = simulation;
  const status = async (hash: `0x${string}`) => (await t.publicClient.waitForTransactionReceipt({ hash })).status;
  const evidence = (m: MissedReveal) =>
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "bytes32" }, { type: "uint64" }],
      [m.netuid, m.hotkey, m.commitHash, m.epoch],
    );
  return {
    activeSubnets: () => t.subnetRegistry.read.activeSubnets(),
    blockNumber: () => t.publicClient.getBlockNumber(),
    nextEpochBlock: (netuid) => t.yumaSettlement.read.nextEpochBlock([netuid]),
    openPhase: async (netuid) => (await t.yumaSettlement.read.settlementProgress([netuid]))[0],
    simulateSettle: (netuid) => simulate(() => t.yumaSettlement.simulate.settle([netuid], { account: keeper })),
    settle: async (netuid) =>
      status(await t.yumaSettlement.write.settle([netuid], { account: keeper, gas: 16_000_000n })),
    missedRevealCandidates: async () => {
      const logs = await t.publicClient.getContractEvents({
        address: t.weights.address,
        abi: t.weights.abi,
        fromBlock: 0n,
      });
      const revealed = new Set(
        parseEventLogs({ abi: t.weights.abi, logs, eventName: "WeightsRevealed" }).map(
          (e) => `${e.args.hotkey}:${e.args.commitHash}`,
        ),
      );
      return parseEventLogs({ abi: t.weights.abi, logs, eventName: "WeightsCommitted" })
        .filter((e) => !revealed.has(`${e.args.hotkey}:${e.args.commitHash}`))
        .map((e) => ({
          netuid: e.args.netuid,
          hotkey: e.args.hotkey,
          commitHash: e.args.commitHash,
          epoch: e.args.epoch,
        }));
    },
    simulateReport: (m) =>
      simulate(() => t.slashing.simulate.reportFault([t.weights.address, evidence(m)], { account: keeper })),
    report: async (m) =>
      status(
        await t.slashing.write.reportFault([t.weights.address, evidence(m)], { account: keeper, gas: 2_000_000n }),
      ),
  };
}
