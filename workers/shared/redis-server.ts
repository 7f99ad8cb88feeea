import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./free-port.ts";

export class RedisServerMissingError extends Error {
  constructor() {
    super("redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL");
    this.name = "RedisServerMissingError";
  }
}

export type RedisServer = {
  readonly url: string;
  /** Stops the server (SIGKILL: what a crash does; persisted data survives in `dir`). */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port and directory. */
  restart(): Promise<void>;
};

/**
 * Starts a `redis-server` on 127.0.0.1 (`port`, or a free one) with its files in `dir`. With
 * `persistence`, every write is appended to an fsynced-each-second AOF, so a restart keeps the
 * queues and commit records; without it, a restart loses everything (what a test of that case needs).
 * Throws `RedisServerMissingError`, naming the install step, when redis-server is absent.
 */
export async function startRedisServer(params: {
  readonly dir: string;
  readonly persistence: boolean;
  readonly port?: number;
}): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"]).error) throw new RedisServerMissingError();
  const port = params.port ?? (await freePort());
  const url = `redis://127.0.0.1:${port}`;
  const persistence = params.persistence
    ? ["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""]
    : ["--appendonly", "no", "--save", ""];
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", params.dir, ...persistence],
      {
        stdio: "ignore",
      },
    );
    await waitForPing(url);
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      s.once("exit", () => resolve());
      s.kill("SIGKILL");
    });
  };
  await start();
  return {
    url,
    stop,
    restart: async () => {
      await stop();
      await start();
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
