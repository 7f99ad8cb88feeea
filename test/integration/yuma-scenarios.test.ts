import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { checkScenarioResult } from "../../workers/yuma/check-scenario-result.ts";
import type { Scenario, ScenarioResult } from "../../workers/yuma/scenario-types.ts";

const root = path.resolve(import.meta.dirname, "../..");
const scenarios = path.join(root, "test/fixtures/yuma/scenarios");
const files = (await readdir(scenarios)).filter((f) => f.endsWith(".json")).sort();

describe("Yuma scenarios through the contracts (`taonet yuma replay`)", () => {
  it("has the scenario fixtures", () => {
    assert.ok(files.length >= 9, `${files.length} scenarios`);
  });

  for (const file of files) {
    it(file.replace(/\.json$/, ""), async () => {
      const scenarioPath = path.join(scenarios, file);
      const scenario = JSON.parse(await readFile(scenarioPath, "utf8")) as Scenario;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(root, "cli/taonet.ts"), "yuma", "replay", scenarioPath],
        { cwd: root, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
      );
      const result = JSON.parse(stdout) as ScenarioResult;
      assert.equal(result.format, "taonet-yuma-result/1");
      assert.equal(result.epochs.length, scenario.steps.filter((s) => s.epoch).length);
      for (const epoch of result.epochs) {
        assert.equal(epoch.settleTransactions, 1);
        assert.ok(epoch.gasUsed > 0 && epoch.gasUsed <= 16_777_216, `gas ${epoch.gasUsed} within the per-tx cap`);
      }
      const check = checkScenarioResult({ scenario, result });
      assert.ok(check.passed, check.failures.join("\n"));
    });
  }

  it("exits non-zero with one clear line on a file that is not a scenario", async () => {
    await assert.rejects(
      promisify(execFile)(
        process.execPath,
        [path.join(root, "cli/taonet.ts"), "yuma", "replay", path.join(root, "package.json")],
        {
          cwd: root,
        },
      ),
      (error: { code: number; stderr: string }) =>
        error.code === 2 && /is not a taonet-yuma-scenario\/1 file/.test(error.stderr),
    );
  });
});
