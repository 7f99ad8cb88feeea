import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { I32F32_ONE } from "./fixed-point.ts";
import { randomEpochParameters } from "./random-epoch-parameters.ts";
import { runEpoch } from "./run-epoch.ts";

const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

describe("runEpoch invariants on random inputs", () => {
  it("is deterministic per seed", () => {
    assert.deepEqual(runEpoch(randomEpochParameters({ seed: 1 })), runEpoch(randomEpochParameters({ seed: 1 })));
  });

  it("holds the epoch's invariants over 1500 random epochs", () => {
    for (let seed = 0; seed < 1500; seed++) {
      const p = randomEpochParameters({ seed });
      const out = runEpoch(p);
      const { n } = p;
      const at = `seed ${seed}`;
      const ownerForced = p.ownerUid != null ? 1 : 0;

      for (const arr of [out.consensus, out.incentive, out.dividends, out.validatorTrust, out.stakeWeight])
        assert.ok(arr.length === n && arr.every((v) => Number.isInteger(v) && v >= 0 && v <= 65535), at);

      // Normalised vectors sum to 1 (up to one ulp per entry of truncation) or are all zero.
      for (const v of [
        out.intermediates.stakeI32F32,
        out.intermediates.activeStakeI32F32,
        out.intermediates.incentiveI32F32,
      ]) {
        const s = sum(v);
        assert.ok(s === 0n || (s <= I32F32_ONE && s >= I32F32_ONE - BigInt(n)), `${at}: sum ${s}`);
      }

      // Consensus never exceeds the largest weight in its column, and clipping never raises a weight.
      out.intermediates.clippedWeights.forEach((row, i) =>
        row.forEach(([j, v]) => {
          assert.ok(v <= out.intermediates.consensusI32F32[j]!, at);
          const original = out.intermediates.weights[i]!.find(([c]) => c === j)![1];
          assert.ok(v <= original, at);
        }),
      );

      // Permits: at most k plus a forced owner, only non-zero stake (the owner excepted).
      const permitted = out.newValidatorPermit.filter(Boolean).length;
      assert.ok(permitted <= p.hyperparameters.maxAllowedValidators + ownerForced, at);
      out.newValidatorPermit.forEach((permit, uid) => {
        if (permit && uid !== p.ownerUid) assert.ok(out.intermediates.stakeI32F32[uid]! > 0n, at);
        if (!permit) assert.deepEqual(out.bonds[uid], [], at);
      });

      // Emissions are floors of fractions of the emission: they never exceed it, and when incentive
      // or dividends exist they add up to it within one unit per uid and role.
      const paid = sum(out.minerEmission) + sum(out.validatorEmission);
      assert.ok(paid <= p.raoEmission, `${at}: paid ${paid} > ${p.raoEmission}`);
      if (sum(out.intermediates.incentiveI32F32) > 0n)
        assert.ok(
          paid + BigInt(2 * n) + (p.raoEmission * BigInt(2 * n)) / (1n << 32n) >= p.raoEmission,
          `${at}: paid ${paid}`,
        );
      assert.ok(sum(out.emission) <= p.raoEmission, at);

      // Yuma3 bonds are EMAs capped at 1; original Yuma stores column max-upscaled bonds.
      for (const row of out.bonds) for (const [, v] of row) assert.ok(v >= 0 && v <= 65535, at);
    }
  });
});
