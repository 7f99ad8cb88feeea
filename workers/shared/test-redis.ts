import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { freePort } from "./free-port.ts";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";

/** A Redis server for a test: the one `REDIS_URL` names (CI's), or a private one started here. */
export type TestRedis = {
  readonly url: string;
  /** Stops the server started here (nothing for `REDIS_URL`'s). */
  stop(): Promise<void>;
  /** Restarts the server started here, losing its data (`--save ""`, no AOF): a crash without persistence. */
  restart?(): Promise<void>;
};

export class RedisServerMissingError extends Error {
  constructor() {
    super("redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL");
    this.name = "RedisServerMissingError";
  }
}

/**
 * A real Redis for the workers' tests. With `REDIS_URL` set (as `.ci/run` does) that server is used;
 * otherwise, or when `own` is asked for (a test that restarts it), a `redis-server` is started on a
 * free local port without persistence, and stopped by `stop()`.
 */
export async function testRedis({ own = false }: { own?: boolean } = {}): Promise<TestRedis> {
  if (process.env.REDIS_URL && !own) return { url: process.env.REDIS_URL, stop: async () => {} };
  if (spawnSync("redis-server", ["--version"]).error) throw new RedisServerMissingError();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "taonet-redis-"));
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      {
        stdio: "ignore",
      },
    );
    await waitForPing(`redis://127.0.0.1:${port}`);
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      s.once("exit", () => resolve());
      s.kill("SIGKILL");
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPing(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {}); // refused while the server starts: retried below
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server did not answer at ${url}`);
}
