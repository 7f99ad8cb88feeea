import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startRedisServer } from "./redis-server.ts";

export { RedisServerMissingError } from "./redis-server.ts";

/** A Redis server for a test: the one `REDIS_URL` names (CI's), or a private one started here. */
export type TestRedis = {
  readonly url: string;
  /** Stops the server started here (nothing for `REDIS_URL`'s). */
  stop(): Promise<void>;
  /** Restarts the server started here: losing its data, or keeping it when started with `persistence`. */
  restart?(): Promise<void>;
};

/**
 * A real Redis for the workers' tests. With `REDIS_URL` set (as `.ci/run` does) that server is used;
 * otherwise, or when `own` is asked for (a test that restarts it), a `redis-server` is started on a
 * free local port (without persistence unless asked), and stopped by `stop()`.
 */
export async function testRedis({ own = false, persistence = false } = {}): Promise<TestRedis> {
  if (process.env.REDIS_URL && !own) return { url: process.env.REDIS_URL, stop: async () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), "taonet-redis-"));
  const server = await startRedisServer({ dir, persistence });
  return {
    url: server.url,
    restart: server.restart,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
