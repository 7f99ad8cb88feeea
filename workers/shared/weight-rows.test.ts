import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, size } from "viem";
import { decodeRow, SEGMENT_WORDS, segmentOf, type LoggedRow } from "./weight-rows.ts";

/** A row of `length` columns packed as `WeightsSet` logs it, from column -> value (listed columns only). */
function packRow(length: number, listed: ReadonlyMap<number, number>): LoggedRow {
  const valueWords = Array.from({ length: Math.ceil(length / 16) }, () => 0n);
  const presenceWords = Array.from({ length: Math.ceil(length / 256) }, () => 0n);
  for (const [c, v] of listed) {
    valueWords[c >> 4]! |= BigInt(v) << BigInt(16 * (c & 15));
    presenceWords[c >> 8]! |= 1n << BigInt(c & 255);
  }
  return { valueWords, presenceWords };
}

describe("weight rows", () => {
  const listed = new Map([
    [0, 1],
    [15, 65_535],
    [16, 7],
    [255, 300],
    [256, 2],
    [299, 9],
  ]);
  const row = packRow(300, listed);

  it("lays a segment out as Weights hashes it: 16 value words, then the presence word", () => {
    const words = (s: number) => [
      ...Array.from({ length: 16 }, (_, j) => row.valueWords[16 * s + j] ?? 0n),
      row.presenceWords[s]!,
    ];
    for (const s of [0, 1]) {
      const segment = segmentOf(row, s);
      assert.equal(size(segment), 32 * SEGMENT_WORDS);
      assert.equal(
        segment,
        encodeAbiParameters(
          Array.from({ length: SEGMENT_WORDS }, () => ({ type: "uint256" })),
          words(s),
        ),
      );
    }
    // The second segment holds columns 256 .. 299 in its first three words, zero past the row's end.
    const second = segmentOf(row, 1);
    assert.equal(BigInt(`0x${second.slice(2 + 64 * 3, 2 + 64 * 16)}`), 0n);
    // A segment past the row is all zero.
    assert.equal(BigInt(segmentOf(row, 2)), 0n);
  });

  it("decodes a logged row's columns as the WeightsSet event documents them", () => {
    const { values, present } = decodeRow(row, 300);
    assert.equal(values.length, 300);
    for (let c = 0; c < 300; c++) {
      assert.equal(values[c], listed.get(c) ?? 0, `column ${c}`);
      assert.equal(present[c], listed.has(c), `column ${c}`);
    }
    assert.deepEqual(decodeRow(row, 2), { values: [1, 0], present: [true, false] });
    assert.deepEqual(decodeRow({ valueWords: [], presenceWords: [] }, 0), { values: [], present: [] });
  });
});
