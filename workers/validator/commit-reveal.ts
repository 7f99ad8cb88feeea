import { randomBytes } from "node:crypto";
import { encodeAbiParameters, keccak256 } from "viem";
import type { CommitRecord, CommitStore } from "./commit-store.ts";
import type { Simulation } from "../shared/simulation.ts";
import type { MinerWeight } from "./weights-from-scores.ts";

/**
 * The hash `Weights.commitWeights` takes (DESIGN.md; `Weights.commitHashOf`):
 * keccak256(abi.encode(chainId, weightsContract, netuid, hotkey, uint16[] uids, uint16[] values, salt, versionKey)).
 */
export function commitHashOf(params: {
  readonly chainId: number;
  readonly weights: `0x${string}`;
  readonly netuid: bigint;
  readonly hotkey: `0x${string}`;
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly salt: `0x${string}`;
  readonly versionKey: bigint;
}): `0x${string}` {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "uint256" },
        { type: "address" },
        { type: "uint256" },
        { type: "address" },
        { type: "uint16[]" },
        { type: "uint16[]" },
        { type: "bytes32" },
        { type: "uint64" },
      ],
      [
        BigInt(params.chainId),
        params.weights,
        params.netuid,
        params.hotkey,
        [...params.uids],
        [...params.values],
        params.salt,
        params.versionKey,
      ],
    ),
  );
}

/** How a validator's hotkey reaches the Weights contract. */
export interface CommitRevealChain {
  readonly chainId: number;
  readonly weights: `0x${string}`;
  readonly hotkey: `0x${string}`;
  currentEpoch(netuid: bigint): Promise<bigint>;
  /** Whether the hotkey holds a validator permit in `netuid` now (registered, and permitted). */
  holdsValidatorPermit(netuid: bigint): Promise<boolean>;
  /** Sends `commitWeights`; the transaction hash once mined successfully (throws otherwise). */
  commitWeights(netuid: bigint, hash: `0x${string}`): Promise<`0x${string}`>;
  simulateReveal(record: CommitRecord): Promise<Simulation>;
  /** Sends `revealWeights`; the transaction hash once mined successfully (throws otherwise). */
  revealWeights(record: CommitRecord): Promise<`0x${string}`>;
}

/**
 * The hotkey holds no validator permit, so its weights on other UIDs would be refused (`setWeights`)
 * or dropped at the reveal (`WeightsRevealed` with `stored` false): nothing is committed.
 */
export class NoValidatorPermitError extends Error {
  readonly netuid: bigint;
  readonly hotkey: `0x${string}`;

  constructor(netuid: bigint, hotkey: `0x${string}`) {
    super(`hotkey ${hotkey} holds no validator permit in subnet ${netuid}: weights not committed`);
    this.name = "NoValidatorPermitError";
    this.netuid = netuid;
    this.hotkey = hotkey;
  }
}

/**
 * Commits an epoch's weights (the non-zero ones, by UID): a fresh random salt, the record written to
 * the store (journal and Redis) *before* the transaction is sent, then marked committed once mined.
 * A crash between the two leaves a `prepared` record: `revealDue` tries it like any other, and the
 * chain says whether the commit landed. Throws `NoValidatorPermitError`, having stored and sent
 * nothing, when the hotkey holds no validator permit (permits change only at settlements, so one
 * held now holds through the reveal epoch unless a settlement in between hands it to more stake).
 */
export async function commitEpochWeights(params: {
  readonly store: CommitStore;
  readonly chain: CommitRevealChain;
  readonly netuid: bigint;
  readonly weights: readonly MinerWeight[];
  readonly versionKey?: bigint;
}): Promise<CommitRecord> {
  const { store, chain, netuid } = params;
  if (!(await chain.holdsValidatorPermit(netuid))) throw new NoValidatorPermitError(netuid, chain.hotkey);
  const kept = params.weights.filter((w) => w.weight > 0).sort((a, b) => a.uid - b.uid);
  const versionKey = params.versionKey ?? 0n;
  const salt = `0x${randomBytes(32).toString("hex")}` as const;
  const uids = kept.map((w) => w.uid);
  const values = kept.map((w) => w.weight);
  const hash = commitHashOf({
    chainId: chain.chainId,
    weights: chain.weights,
    netuid,
    hotkey: chain.hotkey,
    uids,
    values,
    salt,
    versionKey,
  });
  const prepared: CommitRecord = {
    chainId: chain.chainId,
    hotkey: chain.hotkey,
    netuid: netuid.toString(),
    epoch: (await chain.currentEpoch(netuid)).toString(),
    uids,
    values,
    salt,
    versionKey: versionKey.toString(),
    hash,
    status: "prepared",
  };
  await store.put(prepared);
  const transaction = await chain.commitWeights(netuid, hash);
  const committed: CommitRecord = { ...prepared, status: "committed", transaction };
  await store.put(committed);
  return committed;
}

export type RevealDueResult = {
  readonly revealed: readonly CommitRecord[];
  /** Pending commits not revealed now, with the chain's reason (`RevealTooEarly`: later). */
  readonly waiting: readonly { record: CommitRecord; error: string }[];
};

/**
 * Reveals every pending commit of the store whose reveal the chain accepts now (an `eth_call` first),
 * whether it was committed by this process or by one that crashed; marks each revealed.
 */
export async function revealDue(params: {
  readonly store: CommitStore;
  readonly chain: CommitRevealChain;
  /** Which pending records to try (default: all); e.g. not those whose reveal window has passed. */
  readonly consider?: (record: CommitRecord) => boolean;
}): Promise<RevealDueResult> {
  const revealed: CommitRecord[] = [];
  const waiting: { record: CommitRecord; error: string }[] = [];
  for (const record of await params.store.pending()) {
    if (record.hotkey.toLowerCase() !== params.chain.hotkey.toLowerCase() || record.chainId !== params.chain.chainId)
      continue;
    if (params.consider && !params.consider(record)) continue;
    const simulation = await params.chain.simulateReveal(record);
    if (!simulation.ok) {
      waiting.push({ record, error: simulation.error });
      continue;
    }
    const transaction = await params.chain.revealWeights(record);
    const done: CommitRecord = { ...record, status: "revealed", transaction };
    await params.store.put(done);
    revealed.push(done);
  }
  return { revealed, waiting };
}
