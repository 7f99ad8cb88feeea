import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { deployTaonet } from "../helpers/taonet.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";
import { loadDataset, MNIST } from "../../workers/model/dataset.ts";
import { drawEvaluationBatch } from "../../workers/model/evaluation-batch.ts";
import { ModelServer } from "../../workers/miner/model-server.ts";
import { CommitFailedError, publishAndCommit, trainMinerModel, type MinerChain } from "../../workers/miner/miner.ts";
import { ModelFetcher } from "../../workers/validator/model-fetcher.ts";
import { EvaluatorPool } from "../../workers/validator/evaluator-pool.ts";

/**
 * A miner end to end with a validator's view of it: it trains, serves and commits on chain; a
 * validator reads the commitment from the chain, fetches the file, checks its hash and scores it;
 * a retrained model is a new commitment once the subnet's rate limit allows.
 */
describe("Miner", () => {
  it("trains, serves and commits a model a validator can fetch and score; recommits after the rate limit", async () => {
    const t = await deployTaonet();
    const { alice, bob } = t.accounts;
    const netuid = await t.createSubnet(alice);
    await t.subnetRegistry.write.setHyperparameter([netuid, H.CommitmentRateLimit, 20n], { account: alice.account });
    const hotkey = (await t.registerNeuron(bob, netuid)).hotkey;
    await t.networkHelpers.setBalance(hotkey.address, parseEther("1"));
    const chain: MinerChain = {
      commit: async (n, digest, uri) => {
        const hash = await t.neuronRegistry.write.commit([n, digest, uri], { account: hotkey });
        return (await t.publicClient.waitForTransactionReceipt({ hash })).status;
      },
    };
    const dataset = loadDataset(MNIST);
    const server = new ModelServer();
    await server.listen();
    const cacheDir = await mkdtemp(path.join(tmpdir(), "taonet-miner-"));
    const pool = new EvaluatorPool();
    try {
      const strong = await publishAndCommit({
        server,
        chain,
        netuid,
        model: trainMinerModel({ dataset, quality: "strong" }),
      });

      // The validator's side: the commitment as stored, the file behind it, its score.
      const stored = await t.neuronRegistry.read.commitmentOf([netuid, hotkey.address]);
      assert.equal(stored.digest, strong.digest);
      assert.equal(stored.uri, strong.uri);
      const fetched = await new ModelFetcher({ cacheDir }).fetch(stored);
      assert.ok(fetched.ok, fetched.ok ? "" : `${fetched.reason}: ${fetched.detail}`);
      const seed = `0x${"3a".repeat(32)}`;
      const batch = { id: seed, ...drawEvaluationBatch({ seed, set: dataset.evaluation, size: 512 }) };
      const score = await pool.evaluate(fetched.bytes, batch);
      assert.ok(score.ok && score.accuracy > 0.85, JSON.stringify(score.ok ? score.accuracy : score));
      const [first] = await t.neuronRegistry.read.firstCommitment([netuid, strong.digest]);
      assert.equal(t.address(first), t.address(hotkey.address), "the chain records who committed it first");

      // A retrained model before the rate limit: a clear error, the old commitment kept.
      const weak = trainMinerModel({ dataset, quality: "weak" });
      await assert.rejects(publishAndCommit({ server, chain, netuid, model: weak }), (error: Error) => {
        assert.ok(error instanceof CommitFailedError, String(error));
        assert.match(error.message, /CommitmentRateLimited/);
        return true;
      });
      assert.equal((await t.neuronRegistry.read.commitmentOf([netuid, hotkey.address])).digest, strong.digest);
      await t.mineBlocks(20);
      const recommitted = await publishAndCommit({ server, chain, netuid, model: weak });
      assert.notEqual(recommitted.digest, strong.digest);
      const weakScore = await pool.evaluate(new Uint8Array(await (await fetch(recommitted.uri)).arrayBuffer()), batch);
      assert.ok(weakScore.ok && weakScore.accuracy < score.accuracy - 0.2);
      assert.equal((await t.neuronRegistry.read.commitmentOf([netuid, hotkey.address])).digest, recommitted.digest);
    } finally {
      await pool.close();
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
