import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { replayCli } from "./replay-cli.ts";

const fixture = fileURLToPath(
  new URL("../../test/fixtures/yuma/scenarios/logs_validator_splits_weight.json", import.meta.url),
);

describe("replayCli", () => {
  it("prints the result JSON", () => {
    const lines: string[] = [];
    assert.equal(replayCli({ argv: [fixture], stdout: (l) => lines.push(l) }), 0);
    const result = JSON.parse(lines.join("\n"));
    assert.equal(result.format, "taonet-yuma-result/1");
    assert.equal(result.epochs.length, 2);
    assert.deepEqual(result.epochs[1].minerEmission, ["0", "0", "0", "250000000", "250000000"]);
  });

  it("prints the check with --check and reports usage errors", () => {
    const lines: string[] = [];
    assert.equal(replayCli({ argv: [fixture, "--check"], stdout: (l) => lines.push(l) }), 0);
    assert.equal(JSON.parse(lines.join("\n")).passed, true);
    assert.equal(replayCli({ argv: [], stdout: () => {} }), 2);
  });
});
