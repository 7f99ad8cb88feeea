import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "./seeded-random.ts";
import { expSafe } from "./exp-safe.ts";
import { I32F32_MAX, I32F32_MIN, I32F32_ONE, i32f32FromInt } from "./fixed-point.ts";

const exp = (xI32F32: bigint) => expSafe({ xI32F32 });
const expOf = (x: number) => Number(exp(BigInt(Math.round(x * 2 ** 32)))) / 2 ** 32;

describe("expSafe", () => {
  it("exp(0) is exactly 1 and exp(1) is substrate-fixed's I9F23 constant e (floor(e·2^23)/2^23)", () => {
    assert.equal(exp(0n), I32F32_ONE);
    assert.equal(exp(I32F32_ONE), 22802600n << 9n);
    // One ulp above 1 takes the series path, which is closer to e than the constant.
    assert.ok(Math.abs(Number(exp(I32F32_ONE + 1n)) / 2 ** 32 - Math.E) < 1e-9);
  });

  it("clamps the input to [−20, 20] (upstream test_math_exp_safe)", () => {
    const at20 = exp(i32f32FromInt(20));
    assert.equal(exp(i32f32FromInt(21)), at20);
    assert.equal(exp(I32F32_MAX), at20);
    const atMinus20 = exp(i32f32FromInt(-20));
    assert.equal(exp(i32f32FromInt(-21)), atMinus20);
    assert.equal(exp(I32F32_MIN), atMinus20);
  });

  it("truncates the Taylor series at i = 31, so exp(20) ≈ 4.812e8 instead of 4.852e8", () => {
    const at20 = Number(exp(i32f32FromInt(20))) / 2 ** 32;
    assert.ok(at20 > 4.81e8 && at20 < 4.815e8, `exp(20) = ${at20}`);
    // exp(−20) = 1/exp(20) with a truncating divide: floor(2^64 / bits(exp(20))) ulps.
    assert.equal(exp(i32f32FromInt(-20)), (1n << 64n) / exp(i32f32FromInt(20)));
  });

  it("matches e^x within 1.2e-9 relative for 0 < x ≤ 8 and within 1e-9 absolute for −8 ≤ x < 0", () => {
    const next = seededRandom({ seed: 7 });
    for (let k = 0; k < 3000; k++) {
      const x = (next() * 2 - 1) * 8;
      const got = expOf(x);
      const want = Math.exp(x);
      if (x > 0) assert.ok(Math.abs(got - want) / want < 1.2e-9, `exp(${x}) = ${got}, want ${want}`);
      else assert.ok(Math.abs(got - want) < 1e-9, `exp(${x}) = ${got}, want ${want}`);
    }
  });
});
