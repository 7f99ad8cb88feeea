import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "./seeded-random.ts";
import { alphaSigmoid } from "./alpha-sigmoid.ts";
import { I32F32_HALF, I32F32_ONE, i32f32FromInt, i32f32SaturatingMul, u16ProportionToFixed } from "./fixed-point.ts";

const toBits = (x: number) => BigInt(Math.round(x * 2 ** 32));
const toNumber = (bits: bigint) => Number(bits) / 2 ** 32;

/** The formula of YUMA.md §2.9(b) in floating point. */
function alphaSigmoidFloat(c: number, w: number, b: number, low: number, high: number, steepness: number): number {
  const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
  const d = w >= b ? clamp01(w - c) : clamp01(b - w);
  const sigma = 1 / (1 + Math.exp((steepness / -100) * (d - 0.5)));
  return Math.min(high, Math.max(low, low + sigma * (high - low)));
}

describe("alphaSigmoid", () => {
  const low = u16ProportionToFixed(6553);
  const high = u16ProportionToFixed(19660);
  const steepness = i32f32FromInt(1000);

  it("is exactly the midpoint when the difference is 0.5 (exp(0) = 1, σ = 1/2)", () => {
    const alpha = alphaSigmoid({
      consensusI32F32: toBits(0.25),
      weightI32F32: toBits(0.75),
      bondI32F32: toBits(0.1),
      alphaLowI32F32: low,
      alphaHighI32F32: high,
      steepnessI32F32: steepness,
    });
    assert.equal(alpha, low + i32f32SaturatingMul(I32F32_HALF, high - low));
  });

  it("hits substrate-fixed's exp(1) constant with steepness 200 and a zero difference", () => {
    // slope = 200 / −100 = −2 exactly; (0 − 0.5)·(−2) = 1.0 exactly → exp returns floor(e·2^23)/2^23.
    const eConst = 22802600n << 9n;
    const sigma = (1n << 64n) / (I32F32_ONE + eConst);
    const alpha = alphaSigmoid({
      consensusI32F32: toBits(0.5),
      weightI32F32: toBits(0.5),
      bondI32F32: 0n,
      alphaLowI32F32: low,
      alphaHighI32F32: high,
      steepnessI32F32: i32f32FromInt(200),
    });
    assert.equal(alpha, low + i32f32SaturatingMul(sigma, high - low));
  });

  it("buys on weight − consensus when W ≥ B and sells on bond − weight otherwise", () => {
    const base = { alphaLowI32F32: low, alphaHighI32F32: high, steepnessI32F32: steepness };
    // Buying: W = 0.9 ≥ B = 0.2, d = W − C = 0.8 → close to high.
    const buy = alphaSigmoid({
      ...base,
      consensusI32F32: toBits(0.1),
      weightI32F32: toBits(0.9),
      bondI32F32: toBits(0.2),
    });
    // Selling: W = 0.1 < B = 0.9, d = B − W = 0.8 → the same α, whatever the consensus.
    const sell = alphaSigmoid({
      ...base,
      consensusI32F32: toBits(0.7),
      weightI32F32: toBits(0.1),
      bondI32F32: toBits(0.9),
    });
    assert.equal(buy, sell);
    assert.ok(toNumber(buy) > 0.29);
    // Buying below consensus clamps d to 0: σ = 1/(1+e^5).
    const under = alphaSigmoid({ ...base, consensusI32F32: toBits(0.8), weightI32F32: toBits(0.3), bondI32F32: 0n });
    assert.ok(Math.abs(toNumber(under) - (0.1 + 0.2 / (1 + Math.exp(5)))) < 1e-4);
  });

  it("stays within [low, high], also with a negative steepness", () => {
    const next = seededRandom({ seed: 3 });
    for (let k = 0; k < 500; k++) {
      const alpha = alphaSigmoid({
        consensusI32F32: toBits(next()),
        weightI32F32: toBits(next()),
        bondI32F32: toBits(next()),
        alphaLowI32F32: low,
        alphaHighI32F32: high,
        steepnessI32F32: i32f32FromInt(Math.round((next() * 2 - 1) * 5000)),
      });
      assert.ok(alpha >= low && alpha <= high);
    }
  });

  it("matches the floating-point formula within 1e-8 on random inputs", () => {
    const next = seededRandom({ seed: 11 });
    for (let k = 0; k < 3000; k++) {
      const [c, w, b] = [next(), next(), next()];
      const lowU16 = 1638 + Math.floor(next() * 30000);
      const highU16 = lowU16 + Math.floor(next() * (65535 - lowU16));
      const steep = Math.round((next() * 2 - 1) * 3000);
      const got = alphaSigmoid({
        consensusI32F32: toBits(c),
        weightI32F32: toBits(w),
        bondI32F32: toBits(b),
        alphaLowI32F32: u16ProportionToFixed(lowU16),
        alphaHighI32F32: u16ProportionToFixed(highU16),
        steepnessI32F32: i32f32FromInt(steep),
      });
      const want = alphaSigmoidFloat(c, w, b, lowU16 / 65535, highU16 / 65535, steep);
      assert.ok(
        Math.abs(toNumber(got) - want) < 1e-8,
        `c=${c} w=${w} b=${b} steep=${steep}: ${toNumber(got)} vs ${want}`,
      );
    }
  });
});
