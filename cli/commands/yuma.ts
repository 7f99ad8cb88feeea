import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Scenario } from "../../workers/yuma/scenario-types.ts";
import { UsageError } from "../cli-error.ts";

export const USAGE = `usage: taonet yuma replay FILE [--check]

  yuma replay FILE   run a Yuma scenario (taonet-yuma-scenario/1) against the contracts on an
                     in-process chain; print the result (taonet-yuma-result/1) as JSON
    --check          also compare the result with the scenario's expected values; exit 1 if any is off`;

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { check: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, file, ...rest] = positionals;
  if (command !== "replay" || file === undefined || rest.length !== 0) throw new UsageError(USAGE);
  let scenario: Scenario;
  try {
    scenario = JSON.parse(await readFile(file, "utf8")) as Scenario;
  } catch (error) {
    throw new UsageError(`cannot read scenario ${file}: ${(error as Error).message}`);
  }
  if (scenario.format !== "taonet-yuma-scenario/1") {
    throw new UsageError(`${file} is not a taonet-yuma-scenario/1 file (format: ${String(scenario.format)})`);
  }
  // Loaded lazily: Hardhat's start-up is only paid by commands that need a chain.
  const { replayScenarioOnChain } = await import("../yuma/replay-scenario-on-chain.ts");
  const result = await replayScenarioOnChain({ scenario });
  process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  if (!values.check) return 0;
  const { checkScenarioResult } = await import("../../workers/yuma/check-scenario-result.ts");
  const check = checkScenarioResult({ scenario, result });
  for (const failure of check.failures) console.error(failure);
  console.error(
    `${scenario.name}: ${check.passed ? "passed" : "FAILED"}, ${check.checkedValues} values, max deviation ${check.maxDeviation}`,
  );
  return check.passed ? 0 : 1;
}
