/**
 * `YumaSettlement`'s `EpochOutputs` event carries the per-UID u16 outputs and permits packed in one
 * `fractions` field (11 bytes a UID: consensus, incentive, dividends, validator trust and miner trust
 * as big-endian u16, then the new validator permit as 1 or 0), and the amounts as two arrays. This
 * unpacks it into one array per output, as the contract's `epochOutputs` view and the subgraph's
 * `NeuronEpoch` give them.
 */
import { hexToBytes, type Hex } from "viem";

/** Bytes of one UID's record in `fractions`. */
export const FRACTIONS_RECORD_BYTES = 11;

/** The fields of an `EpochOutputs` log that this reads (viem's decoded `args`). */
export type EpochOutputsArgs = {
  netuid?: bigint;
  epochIndex?: bigint;
  fractions?: Hex;
  minerEmission?: readonly bigint[];
  validatorEmission?: readonly bigint[];
};

export type EpochOutputs = {
  netuid: bigint;
  epochIndex: bigint;
  consensus: number[];
  incentive: number[];
  dividends: number[];
  validatorTrust: number[];
  trust: number[];
  validatorPermit: boolean[];
  minerEmission: bigint[];
  validatorEmission: bigint[];
};

/** A malformed `EpochOutputs` (fields missing, or `fractions` not one record per amount). */
export class EpochOutputsError extends Error {}

/** One array per output from an `EpochOutputs` log's decoded arguments. */
export function epochOutputs(args: EpochOutputsArgs): EpochOutputs {
  const { netuid, epochIndex, fractions, minerEmission, validatorEmission } = args;
  if (
    netuid === undefined ||
    epochIndex === undefined ||
    fractions === undefined ||
    minerEmission === undefined ||
    validatorEmission === undefined
  ) {
    throw new EpochOutputsError("EpochOutputs: a field is missing (decoded with another ABI?)");
  }
  const bytes = hexToBytes(fractions);
  const n = minerEmission.length;
  if (bytes.length !== n * FRACTIONS_RECORD_BYTES || validatorEmission.length !== n) {
    throw new EpochOutputsError(
      `EpochOutputs: ${bytes.length} bytes of fractions and ${validatorEmission.length} validator amounts for ${n} UIDs (expected ${n * FRACTIONS_RECORD_BYTES} and ${n})`,
    );
  }
  const u16 = (uid: number, field: number) =>
    (bytes[uid * FRACTIONS_RECORD_BYTES + 2 * field]! << 8) | bytes[uid * FRACTIONS_RECORD_BYTES + 2 * field + 1]!;
  const uids = Array.from({ length: n }, (_, uid) => uid);
  return {
    netuid,
    epochIndex,
    consensus: uids.map((uid) => u16(uid, 0)),
    incentive: uids.map((uid) => u16(uid, 1)),
    dividends: uids.map((uid) => u16(uid, 2)),
    validatorTrust: uids.map((uid) => u16(uid, 3)),
    trust: uids.map((uid) => u16(uid, 4)),
    validatorPermit: uids.map((uid) => bytes[uid * FRACTIONS_RECORD_BYTES + 10] === 1),
    minerEmission: [...minerEmission],
    validatorEmission: [...validatorEmission],
  };
}
