import assert from "node:assert/strict";
import { scryptSync } from "node:crypto";
import { describe, it } from "node:test";
import { scryptFallback } from "./scrypt.ts";

describe("scryptFallback", () => {
  it("gives RFC 7914's test vector 2", () => {
    assert.equal(
      scryptFallback("password", Buffer.from("NaCl"), 1024, 8, 16, 64).toString("hex"),
      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
    );
  });

  it("agrees with node:crypto where both compute", () => {
    for (const [n, r, p] of [
      [16, 1, 1],
      [1024, 8, 1],
      [256, 2, 3],
    ] as const)
      assert.deepEqual(
        scryptFallback("pw", Buffer.from("salt"), n, r, p, 32),
        scryptSync("pw", Buffer.from("salt"), 32, { N: n, r, p }),
      );
  });
});
