import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeFunctionData,
  encodeAbiParameters,
  keccak256,
  parseEther,
  parseEventLogs,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { keeperMemory, keeperPass, type KeeperChain, type MissedReveal } from "../../workers/keeper/keeper.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";
import { QUOTE_GAS, quoteMedianHints } from "../../workers/shared/quote-median-hints.ts";
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

/**
 * A subnet whose two validators (hotkeys 0 and 1) set weights on UIDs 2 and 3 (commit-reveal off),
 * its second epoch due; the first epoch (permits) settled.
 */
async function weightedSubnet(t: Taonet) {
  const { alice, bob, dave } = t.accounts;
  const { netuid, hotkeys } = await t.commitRevealSubnet({ validators: 2n });
  await t.stake(bob, hotkeys[1]!.address, parseEther("200"));
  const due = async () =>
    t.mineBlocks(
      Number((await t.yumaSettlement.read.nextEpochBlock([netuid])) - (await t.publicClient.getBlockNumber())),
    );
  await due();
  await keeperPass(keeperChain(t, dave.account.address));
  await t.subnetRegistry.write.setHyperparameter([netuid, H.CommitRevealEnabled, 0n], { account: alice.account });
  await t.weights.write.setWeights([netuid, [2, 3], [30_000, 10_000], 0n], { account: hotkeys[0]! });
  await t.weights.write.setWeights([netuid, [2, 3], [10_000, 50_000], 0n], { account: hotkeys[1]! });
  await due();
  return netuid;
}

/** The settlement transaction of `netuid`'s latest epoch: its call and the epoch's outputs. */
async function latestSettlement(t: Taonet, netuid: bigint) {
  const logs = await t.publicClient.getContractEvents({
    address: t.yumaSettlement.address,
    abi: t.yumaSettlement.abi,
    eventName: "EpochOutputs",
    args: { netuid },
    fromBlock: 0n,
  });
  const last = logs.at(-1)!;
  const tx = await t.publicClient.getTransaction({ hash: last.transactionHash });
  const call = decodeFunctionData({ abi: t.yumaSettlement.abi, data: tx.input });
  return { call: { name: call.functionName, args: call.args as readonly unknown[] }, outputs: last.args };
}

describe("Keeper median hints", () => {
  it("settles with the quoted median hints, and the epoch's outputs are plain settle's", async () => {
    const t = await deployTaonet();
    const netuid = await weightedSubnet(t);
    const keeper = t.accounts.dave.account.address;
    const quoted = await keeperChain(t, keeper).quoteMedianHints(netuid);
    const snapshot = await t.networkHelpers.takeSnapshot();

    const result = await keeperPass(keeperChain(t, keeper));
    assert.deepEqual(result.settled, [{ netuid, status: "success", hinted: true }]);
    assert.deepEqual(result.unhinted, []);
    const hinted = await latestSettlement(t, netuid);
    assert.equal(hinted.call.name, "settleWithHints");
    const hints = hinted.call.args[1] as Hex;
    assert.equal(hints, quoted, "the hints quoted before the pass");
    // One byte per UID: the validators' columns have no voters' weight; UIDs 2 and 3 are hinted.
    assert.equal(hints.length, 2 + 2 * 4);
    assert.ok(hints.slice(6, 8) !== "00" && hints.slice(8, 10) !== "00", hints);

    await snapshot.restore();
    await t.yumaSettlement.write.settle([netuid, await t.weightRows(netuid)], {
      account: t.accounts.dave.account,
      gas: 16_000_000n,
    });
    const plain = await latestSettlement(t, netuid);
    assert.equal(plain.call.name, "settle");
    assert.deepEqual(hinted.outputs, plain.outputs);
  });

  it("settles without hints when the node cannot quote them, and says why", async () => {
    const t = await deployTaonet();
    const netuid = await weightedSubnet(t);
    // A call gas cap too small for the quote: the node refuses it, as a public RPC's cap would.
    const memory = keeperMemory();
    const result = await keeperPass(keeperChain(t, t.accounts.dave.account.address, 100_000n), memory);
    assert.deepEqual(result.settled, [{ netuid, status: "success", hinted: false }]);
    assert.equal(result.unhinted.length, 1);
    assert.equal(result.unhinted[0]!.netuid, netuid);
    assert.match(result.unhinted[0]!.error, /MedianHints|quoteMedianHints/);
    assert.equal(memory.hints.get(netuid), null, "not quoted again for this run");
    assert.equal((await latestSettlement(t, netuid)).call.name, "settle");
  });
});

/** A `KeeperChain` over the test deployment, sending as `keeper`; median hints quoted with `quoteGas`. */
function keeperChain(t: Taonet, keeper: Address, quoteGas = QUOTE_GAS): KeeperChain {
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
    weightRows: (netuid) => t.weightRows(netuid),
    quoteMedianHints: async (netuid) => {
      const rows = await t.weightRows(netuid, { maxBytes: Number.POSITIVE_INFINITY });
      return quoteMedianHints({
        simulate: () => t.yumaSettlement.simulate.quoteMedianHints([netuid, rows], { account: keeper, gas: quoteGas }),
      });
    },
    simulateSettle: (netuid, hints, rows) =>
      simulate(() =>
        hints === undefined
          ? t.yumaSettlement.simulate.settle([netuid, rows], { account: keeper })
          : t.yumaSettlement.simulate.settleWithHints([netuid, hints, rows], { account: keeper }),
      ),
    settle: async (netuid, hints, rows) =>
      status(
        hints === undefined
          ? await t.yumaSettlement.write.settle([netuid, rows], { account: keeper, gas: 16_000_000n })
          : await t.yumaSettlement.write.settleWithHints([netuid, hints, rows], {
              account: keeper,
              gas: 16_000_000n,
            }),
      ),
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
