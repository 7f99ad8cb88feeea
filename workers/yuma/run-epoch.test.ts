import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { I32F32_ONE } from "./fixed-point.ts";
import { maxUpscaleWeights } from "./max-upscale-weights.ts";
import { randomEpochParameters } from "./random-epoch-parameters.ts";
import { replayScenario } from "./replay-scenario.ts";
import {
  type EpochHyperparameters,
  runEpoch,
  type RunEpochParameters,
  type RunEpochReturnType,
  type SparseRowU16,
} from "./run-epoch.ts";
import type { Scenario } from "./scenario-types.ts";

/** subtensor's test-mock defaults (YUMA.md §3), original Yuma. */
const MOCK_HYPERPARAMETERS: EpochHyperparameters = {
  kappa: 32767,
  bondsPenalty: 65535,
  bondsMovingAverage: 900_000,
  yuma3: false,
  liquidAlpha: false,
  alphaLow: 45875,
  alphaHigh: 58982,
  alphaSigmoidSteepness: 1000,
  maxAllowedValidators: 100,
  activityCutoff: 5000n,
  stakeThreshold: 0n,
};

function epochParams(n: number, overrides: Partial<RunEpochParameters> = {}): RunEpochParameters {
  return {
    n,
    currentBlock: 10n,
    tempo: 1n,
    lastMechanismStepBlock: 0n,
    hyperparameters: MOCK_HYPERPARAMETERS,
    stake: new Array<bigint>(n).fill(1_000_000_000n),
    lastUpdate: new Array<bigint>(n).fill(1n),
    blockAtRegistration: new Array<bigint>(n).fill(0n),
    validatorPermit: new Array<boolean>(n).fill(true),
    weights: Array.from({ length: n }, () => []),
    bonds: Array.from({ length: n }, () => []),
    raoEmission: 1_000_000_000n,
    ...overrides,
  };
}

const stored = (uids: number[], values: number[]): SparseRowU16 => {
  const up = maxUpscaleWeights({ valuesU16: values });
  return uids.map((u, k) => [u, up[k]!] as const);
};
const bondAt = (out: RunEpochReturnType, i: number, j: number) => out.bonds[i]!.find(([c]) => c === j)?.[1] ?? 0;

describe("runEpoch against more upstream tests (exact asserts)", () => {
  it("test_active_stake: an inactive validator's stake stops earning, then recovers", () => {
    // Registered at block 0 with 1 rao each; tempo 1 → activity cutoff 13; the legacy cutoff
    // (5000) only decides the test's block numbers.
    const scenario: Scenario = {
      format: "taonet-yuma-scenario/1",
      name: "test_active_stake",
      source: "opentensor/subtensor@14bc6f9f pallets/subtensor/src/tests/epoch.rs::test_active_stake",
      hyperparameters: {
        ...MOCK_HYPERPARAMETERS,
        maxAllowedValidators: 4,
        activityCutoff: 13,
        stakeThreshold: 0,
        maxAllowedUids: 4,
      },
      neurons: 4,
      stake: [1, 1, 1, 1],
      steps: [
        { block: 0, epoch: true },
        {
          block: 1,
          setWeights: [
            { uid: 0, uids: [2, 3], values: [32767, 32767] },
            { uid: 1, uids: [2, 3], values: [32767, 32767] },
          ],
          epoch: true,
        },
        { block: 5002, setWeights: [{ uid: 0, uids: [2, 3], values: [32767, 32767] }], epoch: true },
        { block: 5002, setWeights: [{ uid: 1, uids: [2, 3], values: [32767, 32767] }] },
        { block: 5003, epoch: true },
      ],
      expected: [{}, {}, {}, {}],
      tolerance: 0,
    };
    const outputs: RunEpochReturnType[] = [];
    replayScenario({ scenario, stakeUnit: 1n, registrationBlock: 0n, onEpoch: ({ output }) => outputs.push(output) });
    const [, first, second, third] = outputs;

    assert.deepEqual(first!.dividends.slice(0, 2), [32767, 32767]);
    assert.deepEqual(first!.emission, [250000000n, 250000000n, 250000000n, 250000000n]);
    for (const i of [0, 1])
      assert.deepEqual(
        [bondAt(first!, i, 0), bondAt(first!, i, 1), bondAt(first!, i, 2), bondAt(first!, i, 3)],
        [0, 0, 65535, 65535],
      );

    assert.deepEqual(second!.active, [true, false, false, false]);
    assert.equal(second!.dividends[0], 36044);
    assert.equal(second!.emission[0], 274999999n);
    assert.equal(second!.dividends[1], 29490);
    assert.equal(second!.emission[1], 224999999n);
    for (const j of [2, 3]) {
      assert.equal(bondAt(second!, 0, j), 65535);
      assert.equal(bondAt(second!, 1, j), 53619);
    }

    assert.equal(third!.dividends[0], 35716);
    assert.equal(third!.emission[0], 272501132n);
    assert.equal(third!.dividends[1], 29818);
    assert.equal(third!.emission[1], 227498866n);
    for (const j of [2, 3]) {
      assert.equal(bondAt(third!, 0, j), 65535);
      assert.equal(bondAt(third!, 1, j), 54712);
    }
  });

  it("test_outdated_weights: weights on a re-registered uid are masked unless set after its registration", () => {
    // tempo 0 → activity cutoff max(1, 0) = 1; registration at block 1; 1 rao each; epoch() is
    // called directly, so LastMechansimStepBlock stays 0 and last_tempo = current − tempo.
    const n = 4;
    const h = { ...MOCK_HYPERPARAMETERS, maxAllowedValidators: 4, activityCutoff: 1n };
    let state = epochParams(n, {
      hyperparameters: h,
      tempo: 0n,
      currentBlock: 1n,
      stake: [1n, 1n, 1n, 1n],
      lastUpdate: [1n, 1n, 1n, 1n],
      blockAtRegistration: [1n, 1n, 1n, 1n],
      validatorPermit: [false, false, false, false],
    });
    const permitsEpoch = runEpoch(state);
    const validatorRow = stored([2, 3], [2 * Math.floor(65535 / 3), Math.floor(65535 / 3)]);
    assert.deepEqual(validatorRow, [
      [2, 65535],
      [3, 32768],
    ]);
    state = {
      ...state,
      currentBlock: 2n,
      validatorPermit: permitsEpoch.newValidatorPermit,
      lastUpdate: [2n, 2n, 2n, 2n],
      weights: [validatorRow, validatorRow, stored([2], [65535]), stored([3], [65535])],
    };
    const weighted = runEpoch(state);
    // A new hotkey replaces uid 3 at block 2 (replace_neuron + clear_neuron): no stake, no permit,
    // its rows removed, other rows' weight on it zeroed, last_update = registration = 2.
    const zeroCol3 = (row: SparseRowU16): SparseRowU16 => row.map(([j, v]) => [j, j === 3 ? 0 : v] as const);
    state = {
      ...state,
      currentBlock: 3n,
      stake: [1n, 1n, 1n, 0n],
      blockAtRegistration: [1n, 1n, 1n, 2n],
      validatorPermit: weighted.newValidatorPermit.map((p, uid) => (uid === 3 ? false : p)),
      lastUpdate: [3n, 2n, 2n, 2n],
      weights: [validatorRow, zeroCol3(validatorRow), stored([2], [65535]), []],
      bonds: weighted.bonds.map((row, uid) => (uid === 3 ? [] : row)),
    };
    const out = runEpoch(state);
    assert.equal(out.dividends[0], 32767);
    assert.equal(out.emission[0], 250000000n);
    assert.equal(bondAt(out, 0, 2), 65535);
    assert.equal(bondAt(out, 0, 3), 65535);
    // uid 1's (zeroed) entry on uid 3 predates the registration: masked.
    assert.deepEqual(
      out.intermediates.weights[1]!.map(([j]) => j),
      [2],
    );
    assert.deepEqual(out.newValidatorPermit, [true, true, true, false]);
  });
});

describe("runEpoch behaviours", () => {
  it("exempts the owner from the stake threshold, forces its permit and keeps its self-weight", () => {
    const out = runEpoch(
      epochParams(3, {
        hyperparameters: { ...MOCK_HYPERPARAMETERS, maxAllowedValidators: 1, stakeThreshold: 5n },
        stake: [10n, 3n, 1n],
        validatorPermit: [true, false, false],
        ownerUid: 2,
        weights: [stored([1], [65535]), stored([0], [65535]), stored([2, 0], [65535, 65535])],
      }),
    );
    // uid 1 is below the threshold; the owner (uid 2) is not filtered although below it too.
    assert.equal(out.intermediates.stakeI32F32[1], 0n);
    assert.ok(out.intermediates.stakeI32F32[2]! > 0n);
    assert.deepEqual(out.newValidatorPermit, [true, false, true]);
    assert.ok(out.intermediates.activeStakeI32F32[2]! > 0n, "the owner's stored permit is forced for this epoch");
    assert.deepEqual(
      out.intermediates.weights[2]!.map(([j]) => j),
      [2, 0],
    );
    assert.deepEqual(out.intermediates.weights[1], [], "uid 1 holds no permit: row emptied");
  });

  it("without an owner, removes every self-weight", () => {
    const out = runEpoch(epochParams(2, { weights: [stored([0, 1], [65535, 65535]), stored([1], [65535])] }));
    assert.deepEqual(out.intermediates.weights, [[[1, I32F32_ONE]], []]);
  });

  it("applies the commit-reveal mask only when commit blocks are given", () => {
    const params = epochParams(3, {
      currentBlock: 20n,
      lastUpdate: [12n, 12n, 12n],
      blockAtRegistration: [0n, 0n, 10n],
      weights: [stored([2], [65535]), stored([2], [65535]), []],
    });
    assert.equal(runEpoch(params).intermediates.weights[0]!.length, 1);
    const masked = runEpoch({ ...params, commitBlocks: [9n, null, null] });
    assert.deepEqual(masked.intermediates.weights[0], []); // committed at 9, before uid 2 registered at 10
    assert.equal(masked.intermediates.weights[1]!.length, 1); // no active commit (u64::MAX)
  });

  it("computes last_tempo from the previous epoch, else current − tempo, and drops newly registered bond columns", () => {
    assert.equal(runEpoch(epochParams(1, { currentBlock: 5n, tempo: 10n })).lastTempo, 0n);
    assert.equal(runEpoch(epochParams(1, { currentBlock: 15n, tempo: 10n })).lastTempo, 5n);
    assert.equal(runEpoch(epochParams(1, { lastMechanismStepBlock: 7n })).lastTempo, 8n);

    // Miner uid 2 registered at block 9. Validator 0 held the whole bond on it, validator 1 none;
    // both now weight it fully with equal stake (ΔB = [0.5, 0.5]).
    const params = epochParams(3, {
      blockAtRegistration: [0n, 0n, 9n],
      lastUpdate: [10n, 10n, 9n],
      stake: [1n, 1n, 0n],
      weights: [stored([2], [65535]), stored([2], [65535]), []],
      bonds: [[[2, 65535]], [], []],
    });
    // Previous epoch at block 9 → last_tempo 10 > 9: the old bond is kept.
    // EMA = 0.1·[0.5, 0.5] + 0.9·[1, 0] = [0.95, 0.05], max-upscaled: [65535, floor(65535/19)].
    const kept = runEpoch({ ...params, lastMechanismStepBlock: 9n });
    assert.deepEqual([bondAt(kept, 0, 2), bondAt(kept, 1, 2)], [65535, 3449]);
    // Previous epoch at block 8 → last_tempo 9 <= 9: the column registered since then is dropped
    // and the bond restarts from ΔB alone.
    const fresh = runEpoch({ ...params, lastMechanismStepBlock: 8n });
    assert.deepEqual([bondAt(fresh, 0, 2), bondAt(fresh, 1, 2)], [65535, 65535]);
  });

  it("computes miner trust T = R / P: the share of a miner's weighted stake its clip kept", () => {
    // A = (0.75, 0.25). V0 splits its weight over miners 2 and 3, V1 puts all of it on miner 2; both
    // medians are 0.5, so V1's 1.0 on miner 2 is clipped to 0.5: R_2 = 0.5, P_2 = 0.625, T_2 = 0.8.
    const out = runEpoch(
      epochParams(4, {
        stake: [3n, 1n, 0n, 0n],
        validatorPermit: [true, true, false, false],
        weights: [stored([2, 3], [65535, 65535]), stored([2], [65535]), [], []],
      }),
    );
    assert.deepEqual(out.consensus, [0, 0, 32767, 32767]);
    assert.deepEqual(out.intermediates.trustI32F32, [0n, 0n, 3435973836n, I32F32_ONE]); // floor(0.8 · 2^32)
    assert.deepEqual(out.trust, [0, 0, 52427, 65535]);
    assert.equal(out.validatorTrust[1], 32767, "V1 keeps 0.5 of its weight");
  });

  it("stores bond rows only for uids with a new permit", () => {
    const out = runEpoch(
      epochParams(3, {
        hyperparameters: { ...MOCK_HYPERPARAMETERS, maxAllowedValidators: 1 },
        stake: [5n, 1n, 0n],
        weights: [stored([2], [65535]), stored([2], [65535]), []],
      }),
    );
    assert.deepEqual(out.newValidatorPermit, [true, false, false]);
    assert.deepEqual(out.bonds, [[[2, 65535]], [], []]);
    // uid 1 still had a permit this epoch, so its weight counted towards consensus and dividends.
    assert.ok(out.dividends[1]! > 0);
  });

  it("falls back to active stake, then to stake, when nothing is weighted", () => {
    const allInactive = runEpoch(epochParams(2, { currentBlock: 10_000n, stake: [1n, 3n] }));
    assert.deepEqual(allInactive.minerEmission, [0n, 0n]);
    assert.deepEqual(allInactive.validatorEmission, [250_000_000n, 750_000_000n]);
    const oneActive = runEpoch(epochParams(2, { currentBlock: 10_000n, lastUpdate: [9_000n, 1n], stake: [1n, 3n] }));
    assert.deepEqual(oneActive.validatorEmission, [1_000_000_000n, 0n]);
    assert.deepEqual(oneActive.emission, [1_000_000_000n, 0n]);
  });

  it("gives identical results for any stake unit that fits I64F64 (the normalisation is scale invariant)", () => {
    // Random stakes reach 4.8e16 in total, so a factor of 97 still fits below 2^63.
    for (let seed = 0; seed < 50; seed++) {
      const p = randomEpochParameters({ seed });
      const scaled = runEpoch({
        ...p,
        stake: p.stake.map((s) => s * 97n),
        hyperparameters: { ...p.hyperparameters, stakeThreshold: p.hyperparameters.stakeThreshold * 97n },
      });
      assert.deepEqual(scaled, runEpoch(p), `seed ${seed}`);
    }
    // Whole tokens in single units or in rao replay identically.
    const scenario = JSON.parse(
      readFileSync(
        new URL("../../test/fixtures/yuma/scenarios/test_bonds_original_yuma_8_neurons.json", import.meta.url),
        "utf8",
      ),
    ) as Scenario;
    assert.deepEqual(replayScenario({ scenario, stakeUnit: 1n }), replayScenario({ scenario }));
  });

  it("throws where the stake total leaves I64F64 (18-decimal wei would, past ~9.2 tokens)", () => {
    assert.throws(() => runEpoch(epochParams(2, { stake: [5n * 10n ** 18n, 5n * 10n ** 18n] })), /I64F64 sum overflow/);
  });

  it("rejects malformed input", () => {
    assert.throws(() => runEpoch(epochParams(2, { stake: [1n] })), /stake has 1 entries/);
    assert.throws(
      () => runEpoch(epochParams(1, { hyperparameters: { ...MOCK_HYPERPARAMETERS, kappa: 70000 } })),
      /kappa/,
    );
    assert.throws(() => runEpoch(epochParams(1, { raoEmission: 1n << 64n })), /u64/);
    assert.throws(() => runEpoch(epochParams(1, { commitBlocks: [] })), /commitBlocks/);
  });
});
