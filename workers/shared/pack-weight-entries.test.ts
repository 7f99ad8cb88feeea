import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodePacked } from "viem";
import { packWeightEntries } from "./pack-weight-entries.ts";

describe("packWeightEntries", () => {
  it("writes each entry as abi.encodePacked(uint16 uid, uint16 value)", () => {
    const uids = [0, 1, 300, 65535];
    const values = [65535, 0, 7, 258];
    const expected = encodePacked(
      uids.flatMap(() => ["uint16", "uint16"] as const),
      uids.flatMap((u, i) => [u, values[i]]),
    );
    assert.equal(packWeightEntries({ uids, values }), expected);
    assert.equal(packWeightEntries({ uids: [2], values: [1] }), "0x00020001");
    assert.equal(packWeightEntries({ uids: [], values: [] }), "0x");
  });

  it("refuses unequal lengths and values that are not u16", () => {
    assert.throws(() => packWeightEntries({ uids: [1], values: [] }), RangeError);
    assert.throws(() => packWeightEntries({ uids: [65536], values: [1] }), RangeError);
    assert.throws(() => packWeightEntries({ uids: [1], values: [-1] }), RangeError);
  });
});
