import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  concat,
  maxUint256,
  numberToHex,
  parseEther,
  parseEventLogs,
  size,
  slice,
  type Hex,
  type TransactionReceipt,
} from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";
import { settleWhenDue } from "../../workers/shared/settle-when-due.ts";
import { RowLogCache, SEGMENT_WORDS, weightRows } from "../../workers/shared/weight-rows.ts";
import { maxUpscaleWeights } from "../../workers/yuma/max-upscale-weights.ts";

/** Bytes of one segment of a weights row in `settle`'s calldata: 16 value words and the presence word. */
const SEGMENT_BYTES = 32 * SEGMENT_WORDS;
/** The word before the segments: the first segment passed. */
const HEAD = 32;

/**
 * The weights rows a settlement takes as calldata (`weightRows`, workers/shared/weight-rows.ts),
 * rebuilt from the rows' `WeightsSet` logs: a settlement with them succeeds and pays by the logged
 * weights; the contract refuses rows with one byte changed (in a written segment, or in one where it
 * stores no hash) or malformed, and a call whose first unit needs a segment it was not given; and a
 * subnet of several segments settles the same with one segment a transaction as with all of them.
 */
describe("Weights rows as calldata", () => {
  it("settles with the rows rebuilt from the logs, and refuses a flipped byte or malformed rows", async () => {
    const { t, netuid, validators } = await subnet({ uids: 6 });
    const keeper = t.accounts.dave.account;
    // Only UID 0 weights: UID 1 holds a permit, and its row (never written) is all zero.
    await t.weights.write.setWeights([netuid, [2, 3, 4], [10_000, 20_000, 40_000], 0n], { account: validators[0]! });
    await mineUntilDue(t, netuid);

    const [uids, n, nextSegment] = await t.yumaSettlement.read.weightRowUids([netuid]);
    assert.deepEqual(uids, [0n, 1n], "the rows of the permit holders, in UID order");
    assert.equal(n, 6n);
    assert.equal(nextSegment, 0n);
    const rows = await t.weightRows(netuid);
    assert.equal(size(rows), HEAD + 2 * SEGMENT_BYTES, "the first segment, then one segment of 256 columns a row");
    assert.equal(BigInt(slice(rows, 0, HEAD)), 0n, "from segment 0");
    assert.equal(BigInt(slice(rows, HEAD + SEGMENT_BYTES)), 0n, "UID 1's segment is zero");
    const stored = await t.storedRow(netuid, 0n);
    assert.deepEqual(stored.values, [0, 0, ...maxUpscaleWeights({ valuesU16: [10_000, 20_000, 40_000] }), 0]);
    assert.deepEqual(stored.present, [false, false, true, true, true, false]);

    const settle = (weightRows: Hex) =>
      t.yumaSettlement.write.settle([netuid, weightRows], { account: keeper, gas: 16_000_000n });
    const refuses = (
      weightRows: Hex,
      error: "WeightRowMismatch" | "MalformedWeightRows" | "WeightRowsMissing",
      args: readonly bigint[],
    ) => t.viem.assertions.revertWithCustomErrorWithArgs(settle(weightRows), t.yumaSettlement, error, args as never);
    const malformed = (weightRows: Hex) =>
      refuses(weightRows, "MalformedWeightRows", [2n, 1n, BigInt(size(weightRows))]);
    // One bit of UID 0's column 2 value, and one bit of UID 1's presence word where nothing is stored.
    await refuses(flipByte(rows, HEAD + 31 - 4), "WeightRowMismatch", [0n, 0n]);
    await refuses(flipByte(rows, HEAD + SEGMENT_BYTES + 16 * 32 + 31), "WeightRowMismatch", [1n, 0n]);
    // A word short, a segment too many, segments past the run's one.
    await malformed(slice(rows, 0, size(rows) - 32));
    await malformed(concat([rows, `0x${"00".repeat(SEGMENT_BYTES)}`]));
    await malformed(concat([numberToHex(1, { size: 32 }), slice(rows, HEAD)]));

    // No rows: the call runs the units that need none (Gather, Rank) and stops; the next one, whose
    // first unit needs segment 0, is refused.
    const opened = await t.publicClient.waitForTransactionReceipt({ hash: await settle("0x") });
    assert.equal(opened.status, "success");
    assert.equal(settledIn(t, opened), false);
    assert.ok((await t.yumaSettlement.read.settlementProgress([netuid]))[0] > 0, "the run is open");
    await refuses("0x", "WeightRowsMissing", [0n, 0n, 0n]);

    // The rows as built: the epoch settles, paying the columns UID 0 weights.
    const receipt = await t.publicClient.waitForTransactionReceipt({ hash: await settle(await t.weightRows(netuid)) });
    assert.equal(receipt.status, "success");
    assert.ok(settledIn(t, receipt), "settled");
    const [, incentive] = await t.yumaSettlement.read.epochOutputs([netuid]);
    assert.ok(incentive[4]! > incentive[3]! && incentive[3]! > incentive[2]! && incentive[2]! > 0, `${incentive}`);
    assert.equal(incentive[5], 0);
  });

  it("takes the last row a block wrote for a UID, and rows written in one block", async () => {
    const { t, netuid, validators } = await subnet({ uids: 6 });
    // Three rows in one block: UID 0 twice (the second is the stored one), then UID 1.
    await t.connection.provider.request({ method: "evm_setAutomine", params: [false] });
    const gas = 1_000_000n;
    await t.weights.write.setWeights([netuid, [2, 3], [1, 1], 0n], { account: validators[0]!, gas });
    await t.weights.write.setWeights([netuid, [4, 5], [1, 3], 0n], { account: validators[0]!, gas });
    await t.weights.write.setWeights([netuid, [2, 5], [2, 1], 0n], { account: validators[1]!, gas });
    await t.mineBlocks(1);
    await t.connection.provider.request({ method: "evm_setAutomine", params: [true] });
    const logs = await t.publicClient.getContractEvents({
      address: t.weights.address,
      abi: t.weights.abi,
      eventName: "WeightsSet",
      args: { netuid },
      fromBlock: "latest",
    });
    assert.equal(logs.length, 3, "the three rows in one block");

    const [a, b] = maxUpscaleWeights({ valuesU16: [1, 3] });
    assert.deepEqual((await t.storedRow(netuid, 0n)).values, [0, 0, 0, 0, a, b]);
    const [c, d] = maxUpscaleWeights({ valuesU16: [2, 1] });
    assert.deepEqual((await t.storedRow(netuid, 1n)).values, [0, 0, c, 0, 0, d]);
    const gasUsed = await settleWhenDue(t.settlementChain(netuid, t.accounts.dave.account.address));
    assert.equal(gasUsed.length, 1);
    const [, incentive] = await t.yumaSettlement.read.epochOutputs([netuid]);
    // UID 0 holds 60% of the validators' stake: its columns reach consensus, UID 1's alone do not.
    assert.equal(incentive[3], 0, "UID 0's first row of the block is not the stored one");
    assert.ok(incentive[4]! > 0 && incentive[5]! > 0, `${incentive}`);
  });

  it("rebuilds rows of several segments, and settles the same passing one segment a transaction", async () => {
    const { t, netuid, validators } = await subnet({ uids: 260 });
    const keeper = t.accounts.dave.account;
    // Columns on both sides of 256, in both segments of each row.
    const columns = [2, 200, 256, 257, 259];
    await t.weights.write.setWeights([netuid, columns, [1, 2, 3, 4, 5], 0n], { account: validators[0]! });
    await t.weights.write.setWeights([netuid, [3, 257], [1, 1], 0n], { account: validators[1]! });
    await mineUntilDue(t, netuid);
    const rows = await t.weightRows(netuid);
    assert.equal(size(rows), HEAD + 2 * 2 * SEGMENT_BYTES, "two segments a row");
    const stored = await t.storedRow(netuid, 0n);
    assert.equal(stored.values.length, 260);
    assert.deepEqual(
      columns.map((c) => stored.values[c]),
      maxUpscaleWeights({ valuesU16: [1, 2, 3, 4, 5] }),
    );
    assert.deepEqual(
      stored.present.flatMap((listed, c) => (listed ? [c] : [])),
      columns,
    );
    // A byte of UID 1's second segment (its word of columns 256 .. 271): that segment is refused.
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.yumaSettlement.write.settle([netuid, flipByte(rows, HEAD + 3 * SEGMENT_BYTES + 31)], {
        account: keeper,
        gas: 16_000_000n,
      }),
      t.yumaSettlement,
      "WeightRowMismatch",
      [1n, 1n],
    );

    // The epoch with every segment in each transaction...
    const snapshot = await t.networkHelpers.takeSnapshot();
    await settleWhenDue(t.settlementChain(netuid, keeper.address));
    const expected = await settledState(t, netuid);
    // UID 0's columns reach consensus (60% of the stake); UID 1's alone (column 3) do not.
    for (const c of columns) assert.ok(expected.outputs[1][c]! > 0, `column ${c}: ${expected.outputs[1][c]}`);
    assert.equal(expected.outputs[1][3], 0);
    assert.equal(expected.outputs[1][258], 0);
    await snapshot.restore();

    // ...and with one: segment 1 alone opens the run (Gather and Rank need none) and stops where
    // its first RowSums unit needs segment 0; a call starting there without it is refused. (Each with
    // the cap as its limit: a call stops at any unit boundary, so an estimate is one unit's gas.)
    const second = concat([
      numberToHex(1, { size: 32 }),
      slice(rows, HEAD + SEGMENT_BYTES, HEAD + 2 * SEGMENT_BYTES),
      slice(rows, HEAD + 3 * SEGMENT_BYTES),
    ]);
    const opened = await t.publicClient.waitForTransactionReceipt({
      hash: await t.yumaSettlement.write.settle([netuid, second], { account: keeper, gas: 16_000_000n }),
    });
    assert.equal(opened.status, "success");
    assert.equal(settledIn(t, opened), false);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.yumaSettlement.write.settle([netuid, second], { account: keeper, gas: 16_000_000n }),
      t.yumaSettlement,
      "WeightRowsMissing",
      [0n, 1n, 1n],
    );
    // One segment a transaction, from the one the run's next unit reads (`weightRowUids`).
    const firsts: bigint[] = [];
    for (let done = false; !done;) {
      assert.ok(firsts.length < 50, "the run finishes");
      const [, , next] = await t.yumaSettlement.read.weightRowUids([netuid]);
      const one = await t.weightRows(netuid, { maxBytes: HEAD + 2 * SEGMENT_BYTES });
      assert.equal(size(one), HEAD + 2 * SEGMENT_BYTES);
      assert.equal(BigInt(slice(one, 0, HEAD)), next);
      firsts.push(next);
      const receipt = await t.publicClient.waitForTransactionReceipt({
        hash: await t.yumaSettlement.write.settle([netuid, one], { account: keeper, gas: 16_000_000n }),
      });
      assert.equal(receipt.status, "success");
      done = settledIn(t, receipt);
    }
    assert.ok(firsts.includes(0n) && firsts.includes(1n), `segments passed: ${firsts}`);
    assert.deepEqual(await settledState(t, netuid), expected);
  });
});

describe("Logged rows, cached", () => {
  it("reads each row's log once with a cache, bonds rows included, and reads again when a cached row is stale", async () => {
    // More than 64 UIDs: a one-call epoch logs its bonds rows.
    const { t, netuid, validators } = await subnet({ uids: 70 });
    const keeper = t.accounts.dave.account;
    const weightAll = async (round: number) => {
      for (const [i, v] of validators.entries()) {
        await t.weights.write.setWeights([netuid, [2, 3, 4], [10_000 + round, 20_000, 30_000 + i], 0n], { account: v });
      }
    };
    // The epoch after the permits' runs in one transaction and logs its bonds rows.
    await weightAll(1);
    await mineUntilDue(t, netuid);
    await settleWhenDue(t.settlementChain(netuid, keeper.address));
    await weightAll(2);
    await mineUntilDue(t, netuid);
    const [uids] = await t.yumaSettlement.read.weightRowUids([netuid]);
    const [bondMeta] = await t.yumaSettlement.read.bondRowCommitments([netuid, uids, 0n, 0n]);
    assert.ok(
      bondMeta.every((m) => m >> 96n !== 0n),
      "the last epoch logged both bonds rows",
    );

    let reads = 0;
    const client = {
      ...t.publicClient,
      getContractEvents: ((args: Parameters<typeof t.publicClient.getContractEvents>[0]) => {
        reads++;
        return t.publicClient.getContractEvents(args);
      }) as unknown as typeof t.publicClient.getContractEvents,
    };
    const cache = new RowLogCache();
    const build = () =>
      weightRows({ client, settlement: t.yumaSettlement.address, weights: t.weights.address, netuid, cache });
    const rows = await build();
    assert.equal(rows, await t.weightRows(netuid), "as built without a cache");
    assert.equal(size(rows), HEAD + 4 * SEGMENT_BYTES, "two weights rows, two bonds rows");
    // Two weights rows (written in two blocks) and the bonds rows (one block).
    assert.equal(reads, 3);
    assert.equal(await build(), rows);
    assert.equal(reads, 3, "the second build reads no log");
    // A cached row that no longer hashes to the stored one (a reorganised block, say): read again.
    for (const key of cache.bonds.keys()) cache.bonds.set(key, [1n]);
    assert.equal(await build(), rows);
    assert.equal(reads, 6, "every row read afresh");
  });
});

/**
 * A subnet of `uids` UIDs (commit-reveal off, no rate limit), UIDs 0 and 1 staked and holding the
 * two validator permits the first settlement handed out.
 */
async function subnet({ uids }: { uids: number }) {
  const t = await deployTaonet();
  const { alice, bob } = t.accounts;
  const netuid = await t.createSubnet(alice);
  await t.setHyperparameters(alice, netuid, [
    [H.Tempo, 10n],
    [H.CommitRevealEnabled, 0n],
    [H.WeightsRateLimit, 0n],
    [H.ActivityCutoff, 1000n],
    [H.MaxAllowedValidators, 2n],
    [H.MaxAllowedUids, BigInt(Math.max(uids, 256))],
    [H.TargetRegistrationsPerInterval, 4096n],
    [H.MaxBurn, parseEther("0.1")],
  ]);
  // Registrations at any price up to the cap (the subnet's burn stays under 0.1 TAO).
  await t.tao.write.approve([t.neuronRegistry.address, maxUint256], { account: bob.account });
  const validators: PrivateKeyAccount[] = [];
  for (let uid = 0; uid < uids; uid++) {
    const hotkey = await t.newBoundHotkey(bob);
    await t.neuronRegistry.write.registerNeuron([netuid, hotkey.address, maxUint256], {
      account: bob.account,
      gas: 5_000_000n,
    });
    if (uid < 2) validators.push(hotkey);
  }
  for (const [i, v] of validators.entries()) {
    await t.networkHelpers.setBalance(v.address, parseEther("1"));
    await t.stake(bob, v.address, parseEther(String(300 - 100 * i)));
  }
  await settleWhenDue(t.settlementChain(netuid, t.accounts.dave.account.address)); // permits
  for (const uid of [0n, 1n]) assert.ok(await t.neuronRegistry.read.hasValidatorPermit([netuid, uid]));
  return { t, netuid, validators };
}

function settledIn(t: Taonet, receipt: TransactionReceipt) {
  return parseEventLogs({ abi: t.yumaSettlement.abi, logs: receipt.logs, eventName: "EpochSettled" }).length > 0;
}

/** What an epoch leaves that two ways of settling it must agree on. */
async function settledState(t: Taonet, netuid: bigint) {
  return {
    outputs: await t.yumaSettlement.read.epochOutputs([netuid]),
    bonds: await Promise.all([0n, 1n].map((uid) => t.bonds(netuid, uid))),
    permits: await t.neuronRegistry.read.validatorPermits([netuid]),
  };
}

async function mineUntilDue(t: Taonet, netuid: bigint) {
  const next = await t.yumaSettlement.read.nextEpochBlock([netuid]);
  const head = await t.publicClient.getBlockNumber();
  if (head + 1n < next) await t.mineBlocks(Number(next - head - 1n));
}

/** `rows` with byte `at` (from the start of the data) XORed with 1. */
function flipByte(rows: Hex, at: number): Hex {
  const bytes = Buffer.from(rows.slice(2), "hex");
  bytes[at] = bytes[at]! ^ 1;
  return `0x${bytes.toString("hex")}`;
}
