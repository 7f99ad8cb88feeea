import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import type { Redis } from "ioredis";

/**
 * One weights commitment of a validator, everything needed to reveal it: what `revealWeights` takes
 * (`uids`, `values`, `salt`, `versionKey`) and the `hash` sent to `commitWeights`.
 */
export type CommitRecord = {
  readonly chainId: number;
  readonly hotkey: `0x${string}`;
  readonly netuid: string;
  /** The epoch the commit was made for: it may be revealed only in epoch `epoch + RevealPeriod`. */
  readonly epoch: string;
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly salt: `0x${string}`;
  readonly versionKey: string;
  readonly hash: `0x${string}`;
  /** prepared: written, the transaction maybe not sent; committed: mined; revealed: done. */
  readonly status: "prepared" | "committed" | "revealed";
  /** The transaction that carries the current status, when there is one. */
  readonly transaction?: `0x${string}`;
};

/**
 * Where a validator keeps its commitments so that no restart loses a reveal. A record is written to
 * two places before the transaction it describes is sent: an append-only journal file (one JSON line
 * per change, fsynced) and a Redis hash. Either one alone is enough to recover: `pending()` merges
 * both (the most advanced status of each commit wins), and writes back to Redis what only the file
 * held (Redis restarted without persistence) and to the file what only Redis held (the file was lost
 * with the machine's disk while Redis kept it). A journal line cut short by a crash is skipped.
 */
export class CommitStore {
  readonly #file: string;
  readonly #redis: Redis;
  readonly #key: string;

  constructor(options: { readonly journal: string; readonly redis: Redis; readonly namespace?: string }) {
    this.#file = options.journal;
    this.#redis = options.redis;
    this.#key = `${options.namespace ?? "taonet"}:commits`;
  }

  /** Records `record` (a new commit, or a commit's new status) in both places. */
  async put(record: CommitRecord): Promise<void> {
    const line = JSON.stringify(record);
    await mkdir(path.dirname(this.#file), { recursive: true });
    const handle = await open(this.#file, "a");
    try {
      await handle.appendFile(`${line}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.#redis.hset(this.#key, id(record), line);
  }

  /** Commits not yet revealed, oldest epoch first, from both places (repairing each from the other). */
  async pending(): Promise<CommitRecord[]> {
    const all = await this.all();
    return all.filter((r) => r.status !== "revealed");
  }

  /** Every commit known, at its most advanced status. */
  async all(): Promise<CommitRecord[]> {
    const fromFile = await this.#readJournal();
    const fromRedis = new Map<string, CommitRecord>();
    for (const [key, line] of Object.entries(await this.#redis.hgetall(this.#key))) {
      try {
        fromRedis.set(key, JSON.parse(line) as CommitRecord);
      } catch {
        // A value not written by this store: ignored.
      }
    }
    const merged = new Map<string, CommitRecord>();
    for (const source of [fromFile, fromRedis]) {
      for (const [key, record] of source) {
        const known = merged.get(key);
        if (!known || RANK[record.status] > RANK[known.status]) merged.set(key, record);
      }
    }
    for (const [key, record] of merged) {
      const line = JSON.stringify(record);
      if (fromRedis.get(key)?.status !== record.status) await this.#redis.hset(this.#key, key, line);
      if (fromFile.get(key)?.status !== record.status) await appendFile(this.#file, `${line}\n`);
    }
    return [...merged.values()].sort((a, b) =>
      BigInt(a.epoch) < BigInt(b.epoch) ? -1 : BigInt(a.epoch) > BigInt(b.epoch) ? 1 : 0,
    );
  }

  async #readJournal(): Promise<Map<string, CommitRecord>> {
    const text = await readFile(this.#file, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    const records = new Map<string, CommitRecord>();
    for (const line of text.split("\n")) {
      if (!line) continue;
      let record: CommitRecord;
      try {
        record = JSON.parse(line) as CommitRecord;
      } catch {
        continue; // the line a crash cut short
      }
      const key = id(record);
      const known = records.get(key);
      if (!known || RANK[record.status] >= RANK[known.status]) records.set(key, record);
    }
    return records;
  }
}

const RANK = { prepared: 0, committed: 1, revealed: 2 } as const;

function id(record: CommitRecord): string {
  return `${record.chainId}:${record.hotkey.toLowerCase()}:${record.netuid}:${record.hash.toLowerCase()}`;
}
