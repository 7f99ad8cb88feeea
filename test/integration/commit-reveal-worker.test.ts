import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { PrivateKeyAccount } from "viem/accounts";
import { Redis } from "ioredis";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { settleWhenDue } from "../../workers/shared/settle-when-due.ts";
import { simulation } from "../../workers/shared/simulation.ts";
import { testRedis, type TestRedis } from "../../workers/shared/test-redis.ts";
import { CommitStore } from "../../workers/validator/commit-store.ts";
import {
  commitEpochWeights,
  commitHashOf,
  NoValidatorPermitError,
  revealDue,
  type CommitRevealChain,
} from "../../workers/validator/commit-reveal.ts";

/**
 * The validator's commit and reveal against the chain: the hash it computes is the contract's, the
 * salt and weights are stored before the commit is sent, and a validator process that restarts
 * (a new store over the same journal and Redis) reveals in the reveal epoch, not before.
 */
describe("Validator commit-reveal", () => {
  let redis: TestRedis;
  let connection: Redis;
  let dir: string;
  before(async () => {
    redis = await testRedis();
    connection = new Redis(redis.url, { maxRetriesPerRequest: 3 });
    dir = await mkdtemp(path.join(tmpdir(), "taonet-reveal-"));
  });
  after(async () => {
    connection.disconnect();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("commits with a stored salt, survives a restart, and reveals in the reveal epoch", async () => {
    const t = await deployTaonet();
    const { dave } = t.accounts;
    const { netuid, hotkeys } = await t.commitRevealSubnet({ validators: 1n });
    const settle = () => settleWhenDue(t.settlementChain(netuid, dave.account.address));
    await settle(); // UID 0 gets its permit
    const validator = hotkeys[0]!;

    const local = commitHashOf({
      chainId: await t.publicClient.getChainId(),
      weights: t.weights.address,
      netuid,
      hotkey: validator.address,
      uids: [1, 3],
      values: [65_535, 100],
      salt: `0x${"ab".repeat(32)}`,
      versionKey: 7n,
    });
    assert.equal(
      local,
      await t.weights.read.commitHashOf([netuid, validator.address, [1, 3], [65_535, 100], `0x${"ab".repeat(32)}`, 7n]),
      "the worker's hash is the contract's",
    );

    const journal = path.join(dir, "validator.jsonl");
    const namespace = `reveal-${Date.now()}`;
    const chain = await validatorChain(t, validator);
    const committed = await commitEpochWeights({
      store: new CommitStore({ journal, redis: connection, namespace }),
      chain,
      netuid,
      weights: [
        { uid: 1, weight: 65_535, rank: 0 },
        { uid: 2, weight: 0, zeroBecause: "copy" },
        { uid: 3, weight: 32_767, rank: 1 },
      ],
    });
    assert.equal(committed.status, "committed");
    assert.deepEqual(committed.uids, [1, 3]);

    // The validator process restarts: a new store over the same journal and Redis.
    const restarted = new CommitStore({ journal, redis: connection, namespace });
    const early = await revealDue({ store: restarted, chain });
    assert.equal(early.revealed.length, 0);
    assert.equal(early.waiting[0]!.error, "RevealTooEarly");

    await settle(); // the reveal epoch begins
    const due = await revealDue({ store: restarted, chain });
    assert.equal(due.revealed.length, 1);
    const { values: stored } = await t.storedRow(netuid, 0n);
    assert.equal(stored[1], 65_535);
    assert.equal(stored[3], 32_767);
    assert.deepEqual(await restarted.pending(), [], "nothing left to reveal");

    // UID 1 is registered but holds no permit (one permit, UID 0's): a commit of its weights could
    // never be revealed and would be slashed as a missed reveal, so nothing is stored or sent.
    const unpermitted = hotkeys[1]!;
    const unpermittedChain = await validatorChain(t, unpermitted);
    assert.equal(await chain.holdsValidatorPermit(netuid), true);
    assert.equal(await unpermittedChain.holdsValidatorPermit(netuid), false);
    const store = new CommitStore({ journal: path.join(dir, "unpermitted.jsonl"), redis: connection, namespace });
    const before = (await store.all()).length;
    await assert.rejects(
      commitEpochWeights({ store, chain: unpermittedChain, netuid, weights: [{ uid: 2, weight: 65_535, rank: 0 }] }),
      NoValidatorPermitError,
    );
    assert.equal((await store.all()).length, before, "no record prepared");
    assert.deepEqual(await t.weights.read.pendingCommits([netuid, unpermitted.address]), []);
  });
});

/** The validator's hotkey on the test chain. */
async function validatorChain(t: Taonet, hotkey: PrivateKeyAccount): Promise<CommitRevealChain> {
  const mined = async (hash: `0x${string}`) => {
    const receipt = await t.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return hash;
  };
  return {
    chainId: await t.publicClient.getChainId(),
    weights: t.weights.address,
    hotkey: hotkey.address,
    currentEpoch: (netuid) => t.weights.read.currentEpoch([netuid]),
    holdsValidatorPermit: async (netuid) => {
      const [registered, uid] = await t.neuronRegistry.read.uidOf([netuid, hotkey.address]);
      return registered && t.neuronRegistry.read.hasValidatorPermit([netuid, uid]);
    },
    commitWeights: async (netuid, hash) =>
      mined(await t.weights.write.commitWeights([netuid, hash], { account: hotkey })),
    simulateReveal: (r) =>
      simulation(() =>
        t.weights.simulate.revealWeights([BigInt(r.netuid), [...r.uids], [...r.values], r.salt, BigInt(r.versionKey)], {
          account: hotkey,
        }),
      ),
    revealWeights: async (r) =>
      mined(
        await t.weights.write.revealWeights(
          [BigInt(r.netuid), [...r.uids], [...r.values], r.salt, BigInt(r.versionKey)],
          {
            account: hotkey,
          },
        ),
      ),
  };
}
