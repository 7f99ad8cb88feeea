import { readFileSync } from "node:fs";
import { checkScenarioResult } from "./check-scenario-result.ts";
import { replayScenario } from "./replay-scenario.ts";
import type { Scenario } from "./scenario-types.ts";

export type ReplayCliParameters = {
  /** Command-line arguments after the script: `FILE [--check]`. */
  readonly argv: readonly string[];
  readonly stdout: (line: string) => void;
};

/** The process exit code: 0, or 1 when `--check` finds a value out of tolerance, 2 on bad usage. */
export type ReplayCliReturnType = number;

/**
 * `node workers/yuma/replay-cli.ts FILE [--check]`: replays a scenario through the reference and
 * prints the `taonet-yuma-result/1` JSON; with `--check`, prints the comparison with the scenario's
 * expectations instead (maximum deviation per key and any failures).
 */
export function replayCli(params: ReplayCliParameters): ReplayCliReturnType {
  const file = params.argv.find((a) => !a.startsWith("--"));
  if (!file) {
    params.stdout("usage: node workers/yuma/replay-cli.ts SCENARIO.json [--check]");
    return 2;
  }
  const scenario = JSON.parse(readFileSync(file, "utf8")) as Scenario;
  const result = replayScenario({ scenario });
  if (!params.argv.includes("--check")) {
    // One epoch per line keeps the per-uid arrays readable.
    const epochs = result.epochs.map((e) => `  ${JSON.stringify(e)}`).join(",\n");
    params.stdout(`{"format":"${result.format}","name":${JSON.stringify(result.name)},"epochs":[\n${epochs}\n]}`);
    return 0;
  }
  const check = checkScenarioResult({ scenario, result });
  params.stdout(JSON.stringify({ name: scenario.name, ...check }, null, 2));
  return check.passed ? 0 : 1;
}

if (import.meta.main) {
  process.exitCode = replayCli({ argv: process.argv.slice(2), stdout: (line) => console.log(line) });
}
