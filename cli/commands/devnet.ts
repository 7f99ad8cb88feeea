import { spawn } from "node:child_process";
import path from "node:path";

export const USAGE = `usage: taonet devnet [--epochs N] [--validators N] [--miners N] [--tempo N] [--block-time MS]
                     [--port N] [--host H] [--exit]

  runs the local devnet (scripts/devnet.ts, the same as npm run devnet): a chain on 127.0.0.1:8545
  with the protocol deployed, subnet 1 with validators and miners, and the worker daemons.
  --exit deploys, registers, prints and stops (no workers).`;

/** Runs scripts/devnet.ts with the same flags, its output on this terminal; its exit status. */
export async function run(argv: readonly string[]): Promise<number> {
  const script = path.resolve(import.meta.dirname, "../../scripts/devnet.ts");
  const child = spawn(process.execPath, [script, ...argv], { stdio: "inherit" });
  // Ctrl-C reaches the devnet itself (same process group), which shuts down on its first SIGINT and
  // would die on a second: this process only waits. A SIGTERM sent to this process alone is passed on.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}
