import type { Hex } from "viem";

export type PackWeightEntriesParameters = {
  /** Column UIDs, u16 each. */
  readonly uids: readonly number[];
  /** Weight values, u16 each, one per UID. */
  readonly values: readonly number[];
};

export type PackWeightEntriesReturnType = Hex;

/**
 * The `entries` argument of `Weights.setWeightsPacked` / `revealWeightsPacked`: 4 bytes per entry,
 * the UID then the value, each a big-endian u16 (Solidity's `abi.encodePacked(uint16, uint16)` per
 * entry). The commit hash of a packed reveal is the one of the same UIDs and values as `uint16[]`.
 */
export function packWeightEntries(params: PackWeightEntriesParameters): PackWeightEntriesReturnType {
  const { uids, values } = params;
  if (uids.length !== values.length) throw new RangeError(`${uids.length} uids but ${values.length} values`);
  let hex = "0x";
  for (let i = 0; i < uids.length; i++) {
    for (const x of [uids[i], values[i]]) {
      if (!Number.isInteger(x) || x < 0 || x > 0xffff) throw new RangeError(`not a u16: ${x}`);
      hex += x.toString(16).padStart(4, "0");
    }
  }
  return hex as Hex;
}
