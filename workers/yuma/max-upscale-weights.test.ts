import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maxUpscaleWeights } from "./max-upscale-weights.ts";
import { seededRandom } from "./seeded-random.ts";

const upscale = (valuesU16: number[]) => maxUpscaleWeights({ valuesU16 });

describe("maxUpscaleWeights", () => {
  it("reproduces upstream test_vec_u16_max_upscale_to_u16", () => {
    assert.deepEqual(upscale([]), []);
    assert.deepEqual(upscale([0]), [0]);
    assert.deepEqual(upscale([0, 0]), [0, 0]);
    assert.deepEqual(upscale([1]), [65535]);
    assert.deepEqual(upscale([0, 1]), [0, 65535]);
    assert.deepEqual(upscale([65534]), [65535]);
    assert.deepEqual(upscale([65535]), [65535]);
    assert.deepEqual(upscale([65535, 65535]), [65535, 65535]);
    assert.deepEqual(upscale([0, 1, 65534]), [0, 1, 65535]);
    assert.deepEqual(upscale([0, 1, 2, 3, 4, 65533, 65535]), [0, 1, 2, 3, 4, 65533, 65535]);
  });

  it("stores [43690, 21845] as [65535, 32768] (YUMA.md §4 point 12) and rounds halves up", () => {
    assert.deepEqual(upscale([43690, 21845]), [65535, 32768]);
    assert.deepEqual(upscale([1, 2]), [32768, 65535]); // 32767.5 rounds away from zero
    assert.deepEqual(upscale([16383, 32767, 49149, 65535]), [16383, 32767, 49149, 65535]);
  });

  it("maps the maximum to 65535 and every value to within one unit of v·65535/max", () => {
    const next = seededRandom({ seed: 12 });
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + Math.floor(next() * 10);
      const scale = next() < 0.5 ? 65536 : 1 + Math.floor(next() * 40000);
      const values = Array.from({ length: n }, () => Math.floor(next() * scale) % 65536);
      const max = Math.max(...values);
      const stored = upscale(values);
      if (max === 0) {
        assert.deepEqual(stored, values);
        continue;
      }
      assert.equal(Math.max(...stored), 65535);
      stored.forEach((s, k) => assert.ok(Math.abs(s - (values[k]! * 65535) / max) <= 1, `${values} -> ${stored}`));
    }
  });

  it("rejects values that are not u16", () => {
    assert.throws(() => upscale([65536]), RangeError);
    assert.throws(() => upscale([-1]), RangeError);
    assert.throws(() => upscale([1.5]), RangeError);
  });
});
