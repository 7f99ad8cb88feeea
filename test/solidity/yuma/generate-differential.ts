/**
 * Generates `YumaEpochDifferential.t.sol`: epochs run through the TypeScript reference
 * (`workers/yuma/run-epoch.ts`, bit-exact with subtensor) and encoded compactly, so that the
 * Solidity test runs each through `YumaEpoch.run` and compares every output bit for bit.
 *
 *   node test/solidity/yuma/generate-differential.ts > test/solidity/yuma/YumaEpochDifferential.t.sol
 *   npx prettier --write test/solidity/yuma/YumaEpochDifferential.t.sol
 *
 * Cases: every epoch of the scenarios in test/fixtures/yuma/scenarios (inputs as the replay built
 * them, so each epoch's permits and bonds are the previous epoch's outputs), and seeded random
 * epochs (`randomEpochParameters`) restricted to what `YumaEpoch` models: no owner uid, weight rows
 * in uid order (subtensor's liquid-alpha walk assumes it), a non-negative steepness.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { randomEpochParameters } from "../../../workers/yuma/random-epoch-parameters.ts";
import { replayScenario } from "../../../workers/yuma/replay-scenario.ts";
import { runEpoch, type RunEpochParameters, type RunEpochReturnType } from "../../../workers/yuma/run-epoch.ts";
import type { Scenario } from "../../../workers/yuma/scenario-types.ts";

const SCENARIO_DIR = new URL("../../fixtures/yuma/scenarios/", import.meta.url).pathname;
const RANDOM_SEEDS = 40;
/** Extra Yuma3 epochs: half of them take the liquid-alpha path. */
const YUMA3_SEEDS = 20;
const LARGE_SEEDS = [1001, 1002, 1003];

/** Big-endian fixed-width unsigned integer as hex. */
function hex(value: bigint | number, bytes: number): string {
  const v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(8 * bytes)) throw new RangeError(`${v} does not fit ${bytes} bytes`);
  return v.toString(16).padStart(2 * bytes, "0");
}

const U64_MAX = (1n << 64n) - 1n;
const ABSENT_U24 = 0xffffff;

/** Dense k x n rows: value or ABSENT_U24. */
function denseRows(
  rows: readonly (readonly (readonly [number, number])[])[],
  rowUids: number[],
  n: number,
): number[][] {
  return rowUids.map((uid) => {
    const dense = new Array<number>(n).fill(ABSENT_U24);
    for (const [j, v] of rows[uid] ?? []) if (j < n) dense[j] = v;
    return dense;
  });
}

function lastTempoOf(p: RunEpochParameters): bigint {
  if (p.lastMechanismStepBlock === 0n) return p.currentBlock > p.tempo ? p.currentBlock - p.tempo : 0n;
  return p.lastMechanismStepBlock + 1n;
}

/** Encodes one epoch (inputs and the reference's outputs); see `_decode` in the test for the layout. */
function encodeCase(p: RunEpochParameters, out: RunEpochReturnType): string {
  const n = p.n;
  const h = p.hyperparameters;
  if (p.ownerUid != null) throw new Error("owner uid is not modelled");
  if (h.alphaSigmoidSteepness < 0) throw new Error("negative steepness is not modelled");
  // Rows: every permitted uid, and every uid with stored bonds (those still take part in the EMA).
  const rowUids: number[] = [];
  for (let i = 0; i < n; i++) if (p.validatorPermit[i] || (p.bonds[i]?.length ?? 0) > 0) rowUids.push(i);
  const k = rowUids.length;
  for (let i = 0; i < n; i++) {
    if (out.newValidatorPermit[i] && !rowUids.includes(i) && out.bonds[i]!.length > 0)
      throw new Error(`uid ${i} gets bonds without a row`);
  }
  let s = hex(n, 2) + hex(k, 2);
  const flags = (h.yuma3 ? 1 : 0) | (h.liquidAlpha ? 2 : 0) | (p.commitBlocks ? 4 : 0);
  s += hex(h.kappa, 2) + hex(h.bondsPenalty, 2) + hex(h.bondsMovingAverage, 4) + hex(flags, 1);
  s += hex(h.alphaLow, 2) + hex(h.alphaHigh, 2) + hex(h.alphaSigmoidSteepness, 2) + hex(h.maxAllowedValidators, 2);
  s += hex(h.activityCutoff, 8) + hex(h.stakeThreshold, 16) + hex(p.currentBlock, 8) + hex(lastTempoOf(p), 8);
  s += hex(p.raoEmission, 16);
  for (let i = 0; i < n; i++) {
    const commit = p.commitBlocks ? (p.commitBlocks[i] ?? U64_MAX) : U64_MAX;
    s += hex(p.stake[i]!, 16) + hex(p.lastUpdate[i]!, 8) + hex(p.blockAtRegistration[i]!, 8) + hex(commit, 8);
    s += hex(p.validatorPermit[i] ? 1 : 0, 1);
  }
  for (const uid of rowUids) s += hex(uid, 2);
  for (const row of denseRows(p.weights, rowUids, n)) for (const v of row) s += hex(v, 3);
  for (const row of denseRows(p.bonds, rowUids, n)) for (const v of row) s += hex(v, 3);
  for (let i = 0; i < n; i++) {
    s += hex(out.consensus[i]!, 2) + hex(out.incentive[i]!, 2) + hex(out.dividends[i]!, 2);
    s += hex(out.validatorTrust[i]!, 2) + hex(out.trust[i]!, 2) + hex(out.newValidatorPermit[i] ? 1 : 0, 1);
    s += hex(out.minerEmission[i]!, 16) + hex(out.validatorEmission[i]!, 16) + hex(out.emission[i]!, 16);
  }
  for (const row of denseRows(out.bonds, rowUids, n)) for (const v of row) s += hex(v, 3);
  return s;
}

/** Random epoch parameters reduced to what YumaEpoch models. */
function randomCase(seed: number, n?: number, yuma3?: boolean): RunEpochParameters {
  const p = randomEpochParameters({ seed, n, yuma3 });
  return {
    ...p,
    ownerUid: null,
    hyperparameters: {
      ...p.hyperparameters,
      alphaSigmoidSteepness: Math.abs(p.hyperparameters.alphaSigmoidSteepness) % 32768,
    },
    weights: p.weights.map((row) => [...row].sort((a, b) => a[0] - b[0])),
  };
}

const tests: string[] = [];
for (const file of readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  const scenario = JSON.parse(readFileSync(join(SCENARIO_DIR, file), "utf8")) as Scenario;
  const name = scenario.name.replace(/[^A-Za-z0-9]/g, "_");
  let epoch = 0;
  replayScenario({
    scenario,
    onEpoch: ({ input, output }) => {
      tests.push(
        `    function test_differential_${name}_epoch${epoch++}() public pure {\n        _check(hex"${encodeCase(input, output)}");\n    }`,
      );
    },
  });
}
for (let seed = 1; seed <= RANDOM_SEEDS; seed++) {
  const p = randomCase(seed);
  tests.push(
    `    function test_differential_random_seed${seed}() public pure {\n        _check(hex"${encodeCase(p, runEpoch(p))}");\n    }`,
  );
}
for (let seed = 2001; seed < 2001 + YUMA3_SEEDS; seed++) {
  const p = randomCase(seed, undefined, true);
  tests.push(
    `    function test_differential_yuma3_seed${seed}() public pure {\n        _check(hex"${encodeCase(p, runEpoch(p))}");\n    }`,
  );
}
for (const seed of LARGE_SEEDS) {
  const p = randomCase(seed, 64);
  tests.push(
    `    function test_differential_random64_seed${seed}() public pure {\n        _check(hex"${encodeCase(p, runEpoch(p))}");\n    }`,
  );
}

process.stdout.write(`// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// GENERATED by test/solidity/yuma/generate-differential.ts from the TypeScript reference
// (workers/yuma); do not edit by hand.

import {YumaEpochDifferentialBase} from "./YumaEpochDifferentialBase.sol";

/// @notice \`YumaEpoch.run\` against the TypeScript reference, bit for bit: every epoch of the nine
/// scenarios and ${RANDOM_SEEDS + YUMA3_SEEDS + LARGE_SEEDS.length} seeded random epochs (scenario stakes in rao, as
/// the reference replays them; only ratios matter).
contract YumaEpochDifferentialTest is YumaEpochDifferentialBase {
${tests.join("\n\n")}
}
`);
