import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { checkScenarioResult } from "./check-scenario-result.ts";
import { replayScenario } from "./replay-scenario.ts";
import type { RunEpochReturnType } from "./run-epoch.ts";
import type { Scenario } from "./scenario-types.ts";

const SCENARIO_DIR = new URL("../../test/fixtures/yuma/scenarios/", import.meta.url);
const scenarioFiles = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();
const load = (file: string): Scenario => JSON.parse(readFileSync(new URL(file, SCENARIO_DIR), "utf8")) as Scenario;

describe("replayScenario on the subtensor scenarios", () => {
  it("finds the nine fixtures", () => {
    assert.equal(scenarioFiles.length, 9);
  });

  for (const file of scenarioFiles) {
    it(`${file}: every expected value within tolerance, permits exact`, (t) => {
      const scenario = load(file);
      const result = replayScenario({ scenario });
      assert.equal(result.format, "taonet-yuma-result/1");
      assert.equal(result.name, scenario.name);
      const check = checkScenarioResult({ scenario, result });
      assert.deepEqual(check.failures, []);
      assert.ok(check.passed);
      assert.ok(check.checkedValues > 0);
      t.diagnostic(
        `max deviation ${check.maxDeviation} (${JSON.stringify(check.maxDeviationByKey)}), ${check.checkedValues} values`,
      );
    });
  }

  it("reproduces the Yuma3 bond targets that upstream never asserts, within 1e-4 (YUMA.md §6)", () => {
    for (const file of scenarioFiles.filter((f) => f.startsWith("yuma3"))) {
      const scenario = load(file);
      const check = checkScenarioResult({
        scenario,
        result: replayScenario({ scenario }),
        bondsUnassertedTolerance: 1e-4,
      });
      assert.deepEqual(check.failures, [], file);
      assert.ok((check.maxDeviationByKey["bondsUnasserted"] ?? 0) > 0, "the targets were compared");
    }
  });

  it("test_bonds: stored bonds equal upstream's asserted u16 values exactly, and emission matches its trace", () => {
    const scenario = load("test_bonds_original_yuma_8_neurons.json");
    const outputs: RunEpochReturnType[] = [];
    replayScenario({ scenario, onEpoch: ({ output }) => outputs.push(output) });
    const column = (e: number, j: number) =>
      outputs[e]!.bonds.slice(0, 4).map((row) => row.find(([c]) => c === j)?.[1]);
    assert.deepEqual(column(1, 4), [16383, 32767, 49151, 65535]);
    assert.deepEqual(column(2, 4), [14582, 32767, 49151, 65535]);
    assert.deepEqual(column(3, 4), [12603, 28321, 49151, 65535]);
    assert.deepEqual(column(4, 7), [12602, 28320, 49150, 65535]);
    assert.deepEqual(column(5, 7), [10951, 24609, 49150, 65535]);
    assert.deepEqual(column(6, 7), [9559, 21482, 49150, 65535]);
    assert.deepEqual(column(7, 7), [8376, 18824, 49150, 65535]);
    // The trace comment of the first weighted epoch: E = [49999998, 99999999, 150000000, 200000001,
    // 49998779, 100000610, 149996337, 200004272] (combined emission).
    assert.deepEqual(outputs[1]!.emission, [
      49999998n,
      99999999n,
      150000000n,
      200000001n,
      49998779n,
      100000610n,
      149996337n,
      200004272n,
    ]);
  });

  it("carries permits between epochs: before the first epoch nobody holds one", () => {
    const scenario = load("logs_two_validators_agree_one_dissents.json");
    const permitsSeen: boolean[][] = [];
    replayScenario({ scenario, onEpoch: ({ input }) => permitsSeen.push([...input.validatorPermit]) });
    assert.deepEqual(permitsSeen, [
      [false, false, false, false, false],
      [true, true, true, false, false],
    ]);
  });
});

describe("replayScenario state rules", () => {
  const base = load("logs_two_validators_agree_one_dissents.json");

  it("rejects weights from a uid without a permit, except a lone self-weight", () => {
    const noPermitEpoch: Scenario = { ...base, steps: base.steps.slice(1), expected: base.expected.slice(1) };
    assert.throws(() => replayScenario({ scenario: noPermitEpoch }), /no validator permit/);
    const selfWeight: Scenario = {
      ...base,
      steps: [{ block: 1, setWeights: [{ uid: 3, uids: [3], values: [65535] }] }],
      expected: [],
    };
    assert.deepEqual(replayScenario({ scenario: selfWeight }).epochs, []);
  });

  it("rejects duplicate uids, unknown uids and non-u16 values", () => {
    const withSubmission = (uids: number[], values: number[]): Scenario => ({
      ...base,
      steps: [base.steps[0]!, { block: 1, setWeights: [{ uid: 0, uids, values }] }],
    });
    assert.throws(() => replayScenario({ scenario: withSubmission([3, 3], [1, 1]) }), /duplicate/);
    assert.throws(() => replayScenario({ scenario: withSubmission([9], [1]) }), /does not exist/);
    assert.throws(() => replayScenario({ scenario: withSubmission([3], [70000]) }), /not a u16/);
    assert.throws(() => replayScenario({ scenario: withSubmission([3, 4], [1]) }), /differ in length/);
  });

  it("converts whole-token stakes exactly, decimals included", () => {
    const stakes: bigint[][] = [];
    const scenario: Scenario = { ...base, stake: [1, "0.5", "2.000000001", 0, 0] };
    replayScenario({ scenario, onEpoch: ({ input }) => stakes.push([...input.stake]) });
    assert.deepEqual(stakes[0], [1_000_000_000n, 500_000_000n, 2_000_000_001n, 0n, 0n]);
    assert.throws(() => replayScenario({ scenario: { ...base, stake: ["0.0000000001", 0, 0, 0, 0] } }), /decimals/);
  });

  it("reports n × n bonds, decimal-string emissions and zero gas fields", () => {
    const result = replayScenario({ scenario: base });
    const last = result.epochs[1]!;
    assert.equal(last.bonds.length, 5);
    for (const row of last.bonds) assert.equal(row.length, 5);
    assert.ok(last.minerEmission.every((s) => /^\d+$/.test(s)));
    assert.deepEqual([last.gasUsed, last.settleTransactions, last.maxTransactionGas], [0, 0, 0]);
  });
});
