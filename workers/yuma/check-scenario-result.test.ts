import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { checkScenarioResult } from "./check-scenario-result.ts";
import { replayScenario } from "./replay-scenario.ts";
import type { Scenario, ScenarioResult } from "./scenario-types.ts";

const scenario = JSON.parse(
  readFileSync(
    new URL("../../test/fixtures/yuma/scenarios/logs_two_validators_agree_one_dissents.json", import.meta.url),
    "utf8",
  ),
) as Scenario;

/** A deep copy of the result with one epoch field changed. */
function tamper(result: ScenarioResult, edit: (epoch: Record<string, unknown>) => void): ScenarioResult {
  const copy = JSON.parse(JSON.stringify(result)) as ScenarioResult;
  edit(copy.epochs[1] as unknown as Record<string, unknown>);
  return copy;
}

describe("checkScenarioResult", () => {
  const good = replayScenario({ scenario });

  it("passes the reference result", () => {
    const check = checkScenarioResult({ scenario, result: good });
    assert.ok(check.passed);
    assert.equal(check.checkedValues, 25);
  });

  it("flags a fraction beyond the tolerance but not one within it", () => {
    const within = tamper(good, (e) => ((e["dividends"] as number[])[0]! += 0.00009));
    assert.ok(checkScenarioResult({ scenario, result: within }).passed);
    const beyond = tamper(good, (e) => ((e["dividends"] as number[])[0]! += 0.0002));
    const check = checkScenarioResult({ scenario, result: beyond });
    assert.ok(!check.passed);
    assert.match(check.failures[0]!, /dividends\[0\]/);
  });

  it("scales emission deviations by the epoch's emission", () => {
    const off = (delta: bigint) =>
      tamper(good, (e) => {
        const v = e["minerEmission"] as string[];
        v[3] = (BigInt(v[3]!) + delta).toString();
      });
    assert.ok(checkScenarioResult({ scenario, result: off(99_000n) }).passed); // 9.9e-5 of 1e9
    assert.ok(!checkScenarioResult({ scenario, result: off(101_000n) }).passed);
  });

  it("requires permits to match exactly and the epoch count to agree", () => {
    const topk = JSON.parse(
      readFileSync(
        new URL("../../test/fixtures/yuma/scenarios/logs_fallback_emission_cases_topk_permits.json", import.meta.url),
        "utf8",
      ),
    ) as Scenario;
    const result = replayScenario({ scenario: topk });
    assert.ok(checkScenarioResult({ scenario: topk, result }).passed);
    const flipped = tamper(result, (e) => ((e["validatorPermit"] as boolean[])[1] = true));
    assert.ok(!checkScenarioResult({ scenario: topk, result: flipped }).passed);
    const short: ScenarioResult = { ...result, epochs: result.epochs.slice(0, 1) };
    assert.ok(!checkScenarioResult({ scenario: topk, result: short }).passed);
  });
});
