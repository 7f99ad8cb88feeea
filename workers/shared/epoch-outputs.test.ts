import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodePacked } from "viem";
import { EpochOutputsError, epochOutputs } from "./epoch-outputs.ts";

/** One UID's record as the settlement writes it: five u16, then the permit byte. */
const RECORD = ["uint16", "uint16", "uint16", "uint16", "uint16", "uint8"] as const;
/** Two UIDs' records (abi.encodePacked). */
const fractions = encodePacked([...RECORD, ...RECORD], [65535, 1, 258, 0, 40000, 1, 0, 65534, 7, 12345, 65535, 0]);

describe("epochOutputs", () => {
  it("unpacks 11 bytes a UID into one array per output", () => {
    const out = epochOutputs({
      netuid: 3n,
      epochIndex: 9n,
      fractions,
      minerEmission: [5n, 0n],
      validatorEmission: [0n, 6n],
    });
    assert.deepEqual(out, {
      netuid: 3n,
      epochIndex: 9n,
      consensus: [65535, 0],
      incentive: [1, 65534],
      dividends: [258, 7],
      validatorTrust: [0, 12345],
      trust: [40000, 65535],
      validatorPermit: [true, false],
      minerEmission: [5n, 0n],
      validatorEmission: [0n, 6n],
    });
  });

  it("refuses fractions that are not one record per amount, and missing fields", () => {
    const args = { netuid: 1n, epochIndex: 1n, fractions, minerEmission: [1n], validatorEmission: [1n] };
    assert.throws(() => epochOutputs(args), /22 bytes of fractions and 1 validator amounts for 1 UIDs/);
    assert.throws(() => epochOutputs({ ...args, minerEmission: [1n, 2n] }), EpochOutputsError);
    assert.throws(() => epochOutputs({ ...args, fractions: undefined }), /a field is missing/);
  });
});
