import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { testRedis, type TestRedis } from "../shared/test-redis.ts";
import { CommitStore, type CommitRecord } from "./commit-store.ts";

/** The validator's commit store against a real redis-server (restarted without persistence) and real files. */
describe("CommitStore", () => {
  let server: TestRedis;
  let redis: Redis;
  let dir: string;
  let namespaces = 0;

  const record = (epoch: number, status: CommitRecord["status"] = "prepared"): CommitRecord => ({
    chainId: 31337,
    hotkey: "0x00000000000000000000000000000000000000aa",
    netuid: "1",
    epoch: String(epoch),
    uids: [0, 1, 2],
    values: [65535, 1000, 0],
    salt: `0x${String(epoch).padStart(64, "0")}`,
    versionKey: "0",
    hash: `0x${String(epoch).padStart(64, "f")}`,
    status,
  });
  /** A store over its own journal and Redis namespace, and a second one over the same (a restart). */
  const stores = () => {
    const namespace = `test-${++namespaces}`;
    const journal = path.join(dir, `${namespace}.jsonl`);
    return { journal, namespace, open: () => new CommitStore({ journal, redis, namespace }) };
  };

  before(async () => {
    server = await testRedis({ own: true });
    redis = new Redis(server.url, { maxRetriesPerRequest: 3 });
    // The restart test takes the server away for a moment: the client reconnects by itself.
    redis.on("error", () => {});
    dir = await mkdtemp(path.join(tmpdir(), "taonet-commits-"));
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps a commit in the journal and in Redis, and follows its status across a restart", async () => {
    const { journal, namespace, open } = stores();
    await open().put(record(7));
    assert.match(await readFile(journal, "utf8"), /"status":"prepared"/);
    assert.equal(Object.keys(await redis.hgetall(`${namespace}:commits`)).length, 1);

    const restarted = open();
    assert.deepEqual(await restarted.pending(), [record(7)]);
    await restarted.put({ ...record(7, "committed"), transaction: "0x01" });
    await restarted.put(record(8));
    assert.deepEqual(
      (await open().pending()).map((r) => [r.epoch, r.status]),
      [
        ["7", "committed"],
        ["8", "prepared"],
      ],
    );
    await open().put(record(7, "revealed"));
    assert.deepEqual(
      (await open().pending()).map((r) => r.epoch),
      ["8"],
    );
  });

  it("recovers from the journal when Redis restarts without persistence, and repairs Redis", async () => {
    const { namespace, open } = stores();
    await open().put(record(3));
    await open().put(record(3, "committed"));
    await server.restart!();
    assert.deepEqual(await redis.hgetall(`${namespace}:commits`), {}, "Redis lost everything");
    assert.deepEqual(
      (await open().pending()).map((r) => r.status),
      ["committed"],
    );
    assert.equal(Object.keys(await redis.hgetall(`${namespace}:commits`)).length, 1, "written back to Redis");
  });

  it("recovers from Redis when the journal is lost, and rewrites the journal", async () => {
    const { journal, open } = stores();
    await open().put(record(5, "committed"));
    await rm(journal);
    assert.deepEqual(
      (await open().pending()).map((r) => [r.epoch, r.status]),
      [["5", "committed"]],
    );
    assert.match(await readFile(journal, "utf8"), /"epoch":"5"/);
  });

  it("skips a journal line a crash cut short, and keeps the most advanced status of the two places", async () => {
    const { journal, namespace, open } = stores();
    await open().put(record(1));
    await writeFile(journal, `${await readFile(journal, "utf8")}{"chainId":31337,"hotk`, { flag: "w" });
    assert.deepEqual(
      (await open().pending()).map((r) => r.epoch),
      ["1"],
    );
    // The journal says revealed, Redis still committed: revealed wins, and Redis learns it.
    await open().put(record(2, "committed"));
    await writeFile(journal, `${await readFile(journal, "utf8")}\n${JSON.stringify(record(2, "revealed"))}\n`);
    assert.deepEqual(
      (await open().pending()).map((r) => r.epoch),
      ["1"],
    );
    const stored = JSON.parse(
      (await redis.hget(`${namespace}:commits`, `31337:${record(2).hotkey}:1:${record(2).hash}`))!,
    );
    assert.equal(stored.status, "revealed");
  });
});
