import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  fixedProportionToU16,
  I32F32_HALF,
  I32F32_MAX,
  I32F32_MIN,
  I32F32_ONE,
  i32f32CheckedDiv,
  i32f32CheckedMul,
  i32f32FromF32,
  i32f32FromInt,
  i32f32Round,
  i32f32SafeDiv,
  i32f32SaturatingAdd,
  i32f32SaturatingDiv,
  i32f32SaturatingMul,
  i32f32SaturatingSub,
  i32f32SaturatingToU16,
  i32f32SaturatingToU64,
  I64F64_ONE,
  i64f64FromInt,
  i64f64SafeDiv,
  i64f64ToI32F32,
  i96f32FromI32F32,
  i96f32FromInt,
  i96f32SaturatingMul,
  i96f32SaturatingToU64,
  u16ProportionToFixed,
  U64_MAX,
} from "./fixed-point.ts";
import { computeDisabledLiquidAlpha } from "./compute-disabled-liquid-alpha.ts";

/** `I64F64::from_num(f64)`: nearest, ties to even (only for small test values, exact in a double). */
function i64f64FromF64(f: number): bigint {
  const scaled = f * 2 ** 64;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let bits = BigInt(floor);
  if (diff > 0.5 || (diff === 0.5 && (bits & 1n) === 1n)) bits += 1n;
  return bits;
}

describe("I32F32 multiply", () => {
  it("floors toward −∞ (arithmetic shift), for both signs", () => {
    assert.equal(i32f32CheckedMul(3n, I32F32_HALF), 1n); // 1.5 ulp → 1
    assert.equal(i32f32CheckedMul(-3n, I32F32_HALF), -2n); // −1.5 ulp → −2, not −1
    assert.equal(i32f32CheckedMul(i32f32FromInt(6), i32f32FromInt(7)), i32f32FromInt(42));
  });

  it("reports overflow exactly when the result leaves i64 and saturates by the operands' signs", () => {
    const big = i32f32FromInt(1n << 30n); // 2^30
    assert.equal(i32f32CheckedMul(big, i32f32FromInt(1)), big);
    assert.equal(i32f32CheckedMul(big, i32f32FromInt(2)), null); // 2^31 does not fit I32F32
    assert.equal(i32f32SaturatingMul(big, i32f32FromInt(2)), I32F32_MAX);
    assert.equal(i32f32SaturatingMul(big, i32f32FromInt(-2)), i32f32FromInt(-(1n << 31n))); // exactly the minimum
    assert.equal(i32f32SaturatingMul(big, i32f32FromInt(-4)), I32F32_MIN);
    assert.equal(i32f32SaturatingMul(-big, i32f32FromInt(-4)), I32F32_MAX);
  });
});

describe("I32F32 divide", () => {
  it("truncates toward zero", () => {
    assert.equal(i32f32CheckedDiv(7n, i32f32FromInt(2)), 3n);
    assert.equal(i32f32CheckedDiv(-7n, i32f32FromInt(2)), -3n); // −3.5 ulp → −3, not −4
    assert.equal(i32f32CheckedDiv(I32F32_ONE, i32f32FromInt(3)), (1n << 32n) / 3n);
  });

  it("safe_div returns 0 on division by zero and on overflow", () => {
    assert.equal(i32f32SafeDiv(I32F32_ONE, 0n), 0n);
    assert.equal(i32f32CheckedDiv(I32F32_ONE, 0n), null);
    assert.equal(i32f32SafeDiv(I32F32_MAX, I32F32_HALF), 0n); // 2^32 does not fit
    assert.equal(i32f32CheckedDiv(I32F32_MAX, I32F32_HALF), null);
  });

  it("saturating_div clamps by sign and throws on zero like substrate-fixed panics", () => {
    assert.equal(i32f32SaturatingDiv(I32F32_MAX, I32F32_HALF), I32F32_MAX);
    assert.equal(i32f32SaturatingDiv(I32F32_MAX, -I32F32_HALF), I32F32_MIN);
    assert.equal(i32f32SaturatingDiv(i32f32FromInt(1000), i32f32FromInt(-100)), i32f32FromInt(-10));
    assert.throws(() => i32f32SaturatingDiv(I32F32_ONE, 0n), RangeError);
  });
});

describe("I32F32 add, sub, conversions", () => {
  it("saturating add and sub clamp at the bounds", () => {
    assert.equal(i32f32SaturatingAdd(I32F32_MAX, 1n), I32F32_MAX);
    assert.equal(i32f32SaturatingSub(I32F32_MIN, 1n), I32F32_MIN);
    assert.equal(i32f32SaturatingSub(I32F32_ONE, I32F32_HALF), I32F32_HALF);
  });

  it("from_num of an integer saturates", () => {
    assert.equal(i32f32FromInt(-20), -20n << 32n);
    assert.equal(i32f32FromInt(1n << 40n), I32F32_MAX);
  });

  it("to u16 / u64 floors and clamps (upstream test_math_fixed_to_u16, test_math_to_num)", () => {
    for (const v of [0, 32767, 65535]) assert.equal(i32f32SaturatingToU16(i32f32FromInt(v)), v);
    assert.equal(i32f32SaturatingToU16(i32f32FromInt(65536)), 65535);
    assert.equal(i32f32SaturatingToU16(-1n), 0);
    assert.equal(i32f32SaturatingToU16(i32f32FromInt(5) + I32F32_ONE - 1n), 5);
    assert.equal(i32f32SaturatingToU64(I32F32_MAX), (1n << 31n) - 1n);
  });

  it("round() rounds half away from zero", () => {
    const f = (x: number) => i32f32FromF32(x);
    assert.equal(i32f32Round(f(2.5)), i32f32FromInt(3));
    assert.equal(i32f32Round(f(-2.5)), i32f32FromInt(-3));
    assert.equal(i32f32Round(f(2.25)), i32f32FromInt(2));
    assert.equal(i32f32Round(f(-2.25)), i32f32FromInt(-2));
    assert.equal(i32f32Round(f(-2.75)), i32f32FromInt(-3));
    assert.equal(i32f32Round(I32F32_HALF - 1n), 0n);
    assert.equal(i32f32Round(I32F32_HALF), I32F32_ONE);
  });

  it("from_num(f32) rounds to nearest, ties to even", () => {
    assert.equal(i32f32FromF32(0.5), I32F32_HALF);
    assert.equal(i32f32FromF32(0.1), 429496736n); // f32(0.1) = 0.100000001490116…, ·2^32 = 429496736
    assert.equal(i32f32FromF32(2 ** -33), 0n); // a tie at 0.5 ulp rounds to the even 0
    assert.equal(i32f32FromF32(3 * 2 ** -33), 2n); // a tie at 1.5 ulp rounds to the even 2
  });
});

describe("u16 proportions", () => {
  it("fixed_proportion_to_u16 is floor(x·65535) clamped to [0, 65535]", () => {
    assert.equal(fixedProportionToU16(0n), 0); // upstream test_fixed_proportion_to_u16
    assert.equal(fixedProportionToU16(I32F32_ONE), 65535);
    assert.equal(fixedProportionToU16(I32F32_HALF), 32767); // 32767.5 floors
    assert.equal(fixedProportionToU16(i32f32FromInt(65535)), 65535); // upstream ..._saturates
    assert.equal(fixedProportionToU16(I32F32_MAX), 65535);
    assert.equal(fixedProportionToU16(-I32F32_HALF), 0);
    // A round trip u16 → fixed → u16 loses one unit for most values (truncation, then floor).
    for (let u = 0; u <= 65535; u += 257) {
      const expected = Number((((BigInt(u) << 32n) / 65535n) * 65535n) >> 32n);
      assert.equal(fixedProportionToU16(u16ProportionToFixed(u)), expected);
      assert.ok(expected === u || expected === u - 1);
    }
    assert.equal(fixedProportionToU16(u16ProportionToFixed(32767)), 32766);
  });

  it("u16_proportion_to_fixed truncates u·2^32/65535; kappa 32767 ≈ 0.4999923, 65535 is exactly 1", () => {
    assert.equal(u16ProportionToFixed(0), 0n); // upstream test_math_u16_proportion_to_fixed
    assert.equal(u16ProportionToFixed(65535), I32F32_ONE);
    assert.equal(u16ProportionToFixed(32767), (32767n << 32n) / 65535n);
    assert.ok(Math.abs(Number(u16ProportionToFixed(32767)) / 2 ** 32 - 0.4999923704) < 1e-10);
  });
});

describe("I64F64 and I96F32", () => {
  it("I64F64 normalisation then floor to I32F32 (upstream test_math_u64_normalization)", () => {
    const max = i64f64FromInt(21_000_000_000_000_000n);
    const minFrac = i64f64SafeDiv(i64f64FromInt(1), max);
    assert.equal(minFrac, i64f64FromF64(0.0000000000000000476));
    assert.equal(i64f64ToI32F32(minFrac), 0n);
    const min32Frac = i64f64SafeDiv(i64f64FromInt(4_889_444), max);
    assert.equal(min32Frac, i64f64FromF64(0.00000000023283066664));
    assert.equal(i64f64ToI32F32(min32Frac), i32f32FromF32(0.0000000002));
    assert.equal(i64f64SafeDiv(i64f64FromInt(10_500_000_000_000_000n), max), I64F64_ONE / 2n);
    assert.equal(i64f64ToI32F32(i64f64SafeDiv(max, max)), I32F32_ONE);
    assert.equal(i64f64SafeDiv(max, 0n), 0n);
  });

  it("I96F32 fraction × emission is floor(x_bits·emission / 2^32), clamped to u64", () => {
    const rao = i96f32FromInt(1_000_000_000n);
    assert.equal(i96f32SaturatingToU64(i96f32SaturatingMul(i96f32FromI32F32(I32F32_HALF), rao)), 500_000_000n);
    const x = 1234567891n; // ≈ 0.287
    assert.equal(i96f32SaturatingToU64(i96f32SaturatingMul(x, rao)), (x * 1_000_000_000n) >> 32n);
    assert.equal(i96f32SaturatingToU64(i96f32SaturatingMul(I32F32_MAX, i96f32FromInt(U64_MAX))), U64_MAX);
    assert.equal(i96f32SaturatingToU64(i96f32FromInt(U64_MAX)), U64_MAX); // upstream test_math_to_num
  });

  it("bonds EMA alpha = 1 − I32F32(I64F64(bma)/1e6): bma 900000 gives bits 429496730", () => {
    assert.equal(computeDisabledLiquidAlpha({ bondsMovingAverage: 900_000 }), 429496730n);
    assert.equal(computeDisabledLiquidAlpha({ bondsMovingAverage: 0 }), I32F32_ONE);
    assert.equal(computeDisabledLiquidAlpha({ bondsMovingAverage: 1_000_000 }), 0n);
    // 0.975 in I64F64 floors to I32F32 bits floor(0.975·2^32) = 4187593113, so α = 2^32 − that.
    assert.equal(computeDisabledLiquidAlpha({ bondsMovingAverage: 975_000 }), (1n << 32n) - 4187593113n);
  });
});
