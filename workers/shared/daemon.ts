import { readFileSync } from "node:fs";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createLogger, errorLine, type Logger } from "./log.ts";

/** A daemon's flags or environment are wrong: it exits 2 with this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The hotkey a daemon signs with: a 0x-prefixed 32-byte hex private key read from the file
 * `keyFile`, else from the environment variable `keyEnv` (default `TAONET_HOTKEY_KEY`). Never from a
 * flag: flags show in `ps` and shell history.
 */
export function loadHotkey(params: { readonly keyFile?: string; readonly keyEnv?: string }): PrivateKeyAccount {
  const env = params.keyEnv ?? "TAONET_HOTKEY_KEY";
  const raw = params.keyFile ? readFileSync(params.keyFile, "utf8").trim() : process.env[env]?.trim();
  if (!raw) throw new UsageError(`no hotkey: set ${env} to its private key, or pass --key-file FILE`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(raw))
    throw new UsageError(`the hotkey's private key must be 0x followed by 64 hex digits (${params.keyFile ?? env})`);
  return privateKeyToAccount(raw as `0x${string}`);
}

/** Parses a positive integer flag, or throws `UsageError` naming it. */
export function integerFlag(name: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer in ${min}..${max}, got "${value}"`);
  return n;
}

/**
 * Runs a daemon: `start` sets it up and returns its stop function; SIGINT and SIGTERM stop it
 * cleanly (exit 0), a `UsageError` exits 2 with its message, any other start failure exits 1.
 */
export async function runDaemon(
  component: string,
  start: (log: Logger) => Promise<() => Promise<void>>,
): Promise<void> {
  const log = createLogger({ component });
  let stop: () => Promise<void>;
  try {
    stop = await start(log);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${component}: ${error.message}\n`);
      process.exit(2);
    }
    log.error("failed to start", { error: errorLine(error), name: (error as Error)?.name });
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      log.error("stop failed", { error: errorLine(error) });
      process.exit(1);
    }
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

/**
 * Runs `pass` now and then `intervalMs` after each pass ends (passes never overlap), until the
 * returned stop function is called; stop resolves once the pass under way has finished. `pass` is
 * expected to catch its own errors; one that escapes is reported to `onError` and polling goes on.
 */
export function startPolling(
  pass: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    if (stopped) return;
    running = pass()
      .catch(onError)
      .then(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  loop();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
