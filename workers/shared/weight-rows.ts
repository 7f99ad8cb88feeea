/**
 * The weights rows a settlement takes as calldata. `Weights` keeps only a commitment of each row (its
 * meta word and one keccak256 per segment of 256 columns, `rowCommitments`); the values are in the
 * row's `WeightsSet` log, at the row's write block. A keeper rebuilds the rows of a run from those
 * logs and passes them to `YumaSettlement.settle` (and `settleWithHints`, `quoteMedianHints`), which
 * checks every segment against its hash (docs/yuma.md, "Weights rows as calldata").
 *
 * The same for the bonds rows of an epoch that ran in one transaction: the settlement keeps their
 * hashes (`bondRowCommitments`) and logs them (`BondsSet`), and the next epoch takes them after the
 * weights rows.
 *
 * One `eth_getLogs` per distinct write block: a row written long ago costs no more to find than a
 * fresh one. A node that no longer serves a row's log (pruned history) leaves the row unrecoverable
 * from it: a keeper needs a node that keeps the logs of the rows in use (the subgraph indexes
 * `WeightsSet` as `WeightsRow`, not yet `BondsSet`).
 */
import {
  concatHex,
  keccak256,
  maxUint256,
  numberToHex,
  parseAbi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import type { TaonetClient } from "./taonet-client.ts";

/** A segment: 16 value words (u16 per column) and the presence word, as `Weights` hashes it. */
export const SEGMENT_WORDS = 17;
export const SEGMENT_COLUMNS = 256;

export const weightRowsAbi = parseAbi([
  "function weightRowUids(uint256 netuid) view returns (uint256[] uids, uint256 n, uint256 nextSegment)",
  "function rowCommitments(uint256 netuid, uint256[] uids, uint256 firstSegment, uint256 count) view returns (uint256[] meta, bytes32[] hashes)",
  "event WeightsSet(uint256 indexed netuid, uint256 indexed uid, address indexed hotkey, uint256[] valueWords, uint256[] presenceWords, uint32 length, uint64 blockNumber)",
  "function bondRowCommitments(uint256 netuid, uint256[] uids, uint256 first, uint256 count) view returns (uint256[] meta, bytes32[] hashes)",
  "function bondsOf(uint256 netuid, uint256 uid) view returns (uint16[] bondsU16)",
  "event BondsSet(uint256 indexed netuid, uint256 indexed uid, uint256[] words)",
  "function settlementProgress(uint256 netuid) view returns (uint8 phase, uint256 cursor, uint256 uids, uint256 rows, uint64 startBlock)",
  "error BondsInLog(uint256 netuid, uint256 uid, uint256 blockNumber)",
]);

export class WeightRowsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeightRowsError";
  }
}

export type WeightRowsParameters = {
  readonly client: PublicClient;
  readonly settlement: Address;
  readonly weights: Address;
  readonly netuid: bigint;
  /**
   * The block whose state the rows are built from (default: the latest, read once). Every read of
   * one call is made at it, so that the UIDs, the run's width and the hashes are of one state.
   */
  readonly blockNumber?: bigint;
  /**
   * The most bytes of rows to pass (default `MAX_ROWS_BYTES`): whole segments from the one the run's
   * next unit reads, at least one. A subnet of at most 256 UIDs has a single segment.
   */
  readonly maxBytes?: number;
  /**
   * Rows already read from their logs (`RowLogCache`), reused and filled: a keeper keeps one across
   * the transactions of a chunked run, so that each row's log is read once, not once a transaction.
   */
  readonly cache?: RowLogCache;
};

/**
 * Logged rows by (subnet, UID, log block): a row's log at its block does not change, so a row read
 * once serves every later transaction that passes it while it stays the stored one (the key moves
 * with each rewrite). Every use is checked against the stored hashes as a fresh read is; a mismatch
 * (a reorganised block, say) empties the cache and reads again. Emptied too past `MAX_CACHED_ROWS`.
 */
export class RowLogCache {
  readonly weights = new Map<string, LoggedRow>();
  readonly bonds = new Map<string, readonly bigint[]>();
  clear() {
    this.weights.clear();
    this.bonds.clear();
  }
}

/** About 80 MB of rows of 1,024 columns at most. */
export const MAX_CACHED_ROWS = 16_384;

/**
 * A transaction's rows stay under this many bytes, well inside the 128 KB a geth node accepts in a
 * transaction (a pool limit) with the rest of the call: at (1024, 128) that is one segment (69,632
 * bytes) a transaction; a call stops where its next unit needs a segment it was not given.
 */
export const MAX_ROWS_BYTES = 96_000;

/** A row as its `WeightsSet` log gives it. */
export type LoggedRow = { readonly valueWords: readonly bigint[]; readonly presenceWords: readonly bigint[] };

/** A stored row, decoded from its log: what `Weights.weightsOf` returned before rows moved to logs. */
export type DecodedRow = {
  /** u16 value by column, 0 where the row lists none: `length` entries (the subnet's size when written). */
  readonly values: readonly number[];
  /** Which columns the row lists. */
  readonly present: readonly boolean[];
  /** The block the row was written in (0: never written). */
  readonly writtenAt: bigint;
};

const ZERO_SEGMENT: Hex = `0x${"00".repeat(32 * SEGMENT_WORDS)}`;
/** `SettlementStorage.Phase` values the rows builder tells apart. */
const ROW_SUMS = 3;
const CONSENSUS = 4;
const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;

/** Segment `s` of a logged row: value words `16s .. 16s + 15` (0 past the row's end), then presence word `s`. */
export function segmentOf(row: LoggedRow, s: number): Hex {
  const words: Hex[] = [];
  for (let j = 0; j < 16; j++) words.push(numberToHex(row.valueWords[16 * s + j] ?? 0n, { size: 32 }));
  words.push(numberToHex(row.presenceWords[s] ?? 0n, { size: 32 }));
  return concatHex(words);
}

/**
 * Columns `0 .. length - 1` of a logged row, as the `WeightsSet` event documents them: column `c`'s
 * value is bits `16 (c mod 16) ..` of value word `c / 16`, listed when bit `c mod 256` of presence
 * word `c / 256` is set.
 */
export function decodeRow(row: LoggedRow, length: number): { values: number[]; present: boolean[] } {
  const values: number[] = [];
  const present: boolean[] = [];
  for (let c = 0; c < length; c++) {
    const word = row.valueWords[c >> 4] ?? 0n;
    values.push(Number((word >> BigInt(16 * (c & 15))) & 0xffffn));
    present.push((((row.presenceWords[c >> 8] ?? 0n) >> BigInt(c & 255)) & 1n) === 1n);
  }
  return { values, present };
}

/** Segments of 256 columns in a row of `n` columns. */
function segmentCount(n: bigint): number {
  return Number((n + BigInt(SEGMENT_COLUMNS) - 1n) / BigInt(SEGMENT_COLUMNS));
}

/**
 * `settle`'s `weightRows` for `netuid`'s run (the open one, or the one a settlement would open now):
 * a header word (the first segment passed, and above bit 128 the number of bonds rows passed), then
 * for each row of `weightRowUids` the segments from the one the run's next unit reads (as many as
 * `maxBytes` allows, at least one), 17 words each, zero where no hash is stored; then the same
 * segments of each of those rows whose bonds row is logged (`bondRowCommitments`), from its
 * `BondsSet` log, unless the open run's next unit is a RowSums or Consensus unit (such a call ends
 * before the Bonds phase). Throws `WeightRowsError` when a row's log cannot be found or does not hash to what
 * `Weights` or the settlement stored.
 *
 * Build them right before each transaction that takes them (each one of a chunked settlement):
 * which rows a run takes is only fixed once its Rank phase is done, and a row may be rewritten
 * between two runs.
 */
export async function weightRows(parameters: WeightRowsParameters): Promise<Hex> {
  const { cache } = parameters;
  if (cache === undefined) return buildRows(parameters);
  try {
    return await buildRows(parameters);
  } catch (error) {
    if (!(error instanceof WeightRowsError)) throw error;
    // A cached row that no longer matches: read every row afresh.
    cache.clear();
    return buildRows(parameters);
  }
}

async function buildRows({
  client,
  settlement,
  weights,
  netuid,
  blockNumber,
  maxBytes = MAX_ROWS_BYTES,
  cache,
}: WeightRowsParameters): Promise<Hex> {
  const at = blockNumber ?? (await client.getBlockNumber());
  const [uids, n, nextSegment] = await client.readContract({
    address: settlement,
    abi: weightRowsAbi,
    functionName: "weightRowUids",
    args: [netuid],
    blockNumber: at,
  });
  // No rows, or none left to read (the run is past its Bonds phase): the call takes none, and its
  // calldata leaves the transaction's gas to the units that remain.
  if (uids.length === 0 || nextSegment === maxUint256) return "0x";
  const first = Number(nextSegment);
  const bondCommitments = (count: number) =>
    client.readContract({
      address: settlement,
      abi: weightRowsAbi,
      functionName: "bondRowCommitments",
      args: [netuid, uids, BigInt(first), BigInt(count)],
      blockNumber: at,
    });
  const [[phase], [bondMeta]] = await Promise.all([
    client.readContract({
      address: settlement,
      abi: weightRowsAbi,
      functionName: "settlementProgress",
      args: [netuid],
      blockNumber: at,
    }),
    bondCommitments(0),
  ]);
  // The logged bonds rows go to calls that may reach the Bonds phase: not to one that starts in
  // RowSums or Consensus (it ends before the first Bonds unit, and the next call takes them), so that
  // a chunked run's earlier calls carry the weights rows alone.
  const withBonds = phase !== ROW_SUMS && phase !== CONSENSUS;
  const loggedAt = bondMeta.map((m) => (withBonds ? (m >> 96n) & U64 : 0n));
  const logged = loggedAt.filter((block) => block !== 0n).length;
  const fit = Math.floor((maxBytes - 32) / ((uids.length + logged) * 32 * SEGMENT_WORDS));
  const segments = Math.min(Math.max(fit, 1), segmentCount(n) - first);
  const [meta, hashes] = await client.readContract({
    address: weights,
    abi: weightRowsAbi,
    functionName: "rowCommitments",
    args: [netuid, uids, BigInt(first), BigInt(segments)],
    blockNumber: at,
  });
  const stored = (r: number) => hashes.slice(r * segments, (r + 1) * segments);
  // Only rows with a segment to hash need their log (a row never written, or not reaching the
  // run's columns, is all zero).
  const rows = await loggedRows(
    client,
    weights,
    netuid,
    uids.flatMap((uid, r) => (stored(r).some((h) => BigInt(h) !== 0n) ? [[uid, meta[r]! & U64] as const] : [])),
    cache?.weights,
  );
  const out: Hex[] = [numberToHex(BigInt(first) | (BigInt(logged) << 128n), { size: 32 })];
  uids.forEach((uid, r) => {
    stored(r).forEach((hash, i) => {
      out.push(BigInt(hash) === 0n ? ZERO_SEGMENT : checkedSegment(netuid, uid, rows.get(uid), first + i, hash));
    });
  });
  if (logged !== 0) {
    const [, bondHashes] = await bondCommitments(segments);
    const bonds = await loggedBondRows(
      client,
      settlement,
      netuid,
      uids.flatMap((uid, r) => (loggedAt[r] !== 0n ? [[uid, loggedAt[r]!] as const] : [])),
      cache?.bonds,
    );
    uids.forEach((uid, r) => {
      if (loggedAt[r] === 0n) return;
      bondHashes.slice(r * segments, (r + 1) * segments).forEach((hash, i) => {
        out.push(BigInt(hash) === 0n ? ZERO_SEGMENT : checkedBondSegment(netuid, uid, bonds.get(uid), first + i, hash));
      });
    });
  }
  return concatHex(out);
}

/**
 * Segment `s` of a logged bonds row (the `BondsSet` words), checked against its stored commitment: the
 * first 20 bytes of the segment's keccak256, the other 12 zero (the settlement keeps the first
 * segment's in the row's meta word, beside its blocks and length).
 */
function checkedBondSegment(
  netuid: bigint,
  uid: bigint,
  words: readonly bigint[] | undefined,
  s: number,
  stored: Hex,
): Hex {
  if (words === undefined) throw new WeightRowsError(`subnet ${netuid}: no BondsSet log for UID ${uid}'s bonds row`);
  const segment = concatHex(
    Array.from({ length: SEGMENT_WORDS }, (_, j) => numberToHex(words[s * SEGMENT_WORDS + j] ?? 0n, { size: 32 })),
  );
  return checkedHash(netuid, `UID ${uid}'s logged bonds row`, segment, s, stored, BOND_COMMITMENT_MASK);
}

/** The bits of a keccak256 that a bonds segment's commitment keeps (its first 20 bytes). */
const BOND_COMMITMENT_MASK = ((1n << 160n) - 1n) << 96n;

/**
 * `segment` (segment `s` of `what`) when its keccak256, under `mask`, is `stored`; throws
 * `WeightRowsError` otherwise.
 */
function checkedHash(netuid: bigint, what: string, segment: Hex, s: number, stored: Hex, mask = maxUint256): Hex {
  if ((BigInt(keccak256(segment)) & mask) !== BigInt(stored)) {
    throw new WeightRowsError(`subnet ${netuid}: ${what} does not hash to its stored segment ${s} (${stored})`);
  }
  return segment;
}

/**
 * The last `BondsSet` words of each UID of `logBlocks` (pairs of a UID and its bonds row's log
 * block), one `eth_getLogs` per distinct block not in `cache`.
 */
function loggedBondRows(
  client: PublicClient,
  settlement: Address,
  netuid: bigint,
  logBlocks: readonly (readonly [bigint, bigint])[],
  cache?: Map<string, readonly bigint[]>,
): Promise<Map<bigint, readonly bigint[]>> {
  return rowsByLogBlock(netuid, logBlocks, cache, async (block) => {
    const logs = await client.getContractEvents({
      address: settlement,
      abi: weightRowsAbi,
      eventName: "BondsSet",
      args: { netuid },
      fromBlock: block,
      toBlock: block,
    });
    return logs.map((log) => [log.args.uid as bigint, log.args.words as readonly bigint[]] as const);
  });
}

/**
 * The rows of `pairs` (a UID and the block of its row's log), from `cache` or from `read(block)`
 * (every row a block logged for the subnet, in log order: the last for a UID is the stored one), one
 * read per block with a row not in `cache`; the rows read are added to it.
 */
async function rowsByLogBlock<T>(
  netuid: bigint,
  pairs: readonly (readonly [bigint, bigint])[],
  cache: Map<string, T> | undefined,
  read: (block: bigint) => Promise<readonly (readonly [bigint, T])[]>,
): Promise<Map<bigint, T>> {
  const rows = new Map<bigint, T>();
  const byBlock = new Map<bigint, bigint[]>();
  for (const [uid, block] of pairs) {
    const cached = cache?.get(`${netuid}:${uid}:${block}`);
    if (cached !== undefined) {
      rows.set(uid, cached);
      continue;
    }
    const list = byBlock.get(block) ?? [];
    list.push(uid);
    byBlock.set(block, list);
  }
  if (cache !== undefined && cache.size + pairs.length > MAX_CACHED_ROWS) cache.clear();
  for (const [block, blockUids] of byBlock) {
    for (const [uid, row] of await read(block)) {
      if (!blockUids.includes(uid)) continue;
      rows.set(uid, row);
      cache?.set(`${netuid}:${uid}:${block}`, row);
    }
  }
  return rows;
}

export type BondsRowParameters = {
  readonly client: PublicClient;
  readonly settlement: Address;
  readonly netuid: bigint;
  readonly uid: bigint;
  /** The block whose bonds row is wanted (default: the latest). */
  readonly blockNumber?: bigint;
};

/**
 * `YumaSettlement.bondsOf(netuid, uid)`: the bonds row of `uid` for its current tenure (u16 by
 * column, one entry per UID of the subnet), from storage or, for a row an epoch logged
 * (`BondsInLog`), from its `BondsSet` log, checked against its stored hashes.
 */
export async function bondsRow({
  client,
  settlement,
  netuid,
  uid,
  blockNumber,
}: BondsRowParameters): Promise<number[]> {
  const at = blockNumber ?? (await client.getBlockNumber());
  let logBlock: bigint;
  try {
    const stored = await client.readContract({
      address: settlement,
      abi: weightRowsAbi,
      functionName: "bondsOf",
      args: [netuid, uid],
      blockNumber: at,
    });
    return [...stored];
  } catch (error) {
    const reverted = (error as { walk?: (f: (e: unknown) => boolean) => unknown }).walk?.(
      (e) => (e as { data?: { errorName?: string } }).data?.errorName === "BondsInLog",
    ) as { data?: { args?: readonly bigint[] } } | undefined;
    if (reverted?.data?.args === undefined) throw error;
    logBlock = reverted.data.args[2]!;
  }
  const [, n] = await client.readContract({
    address: settlement,
    abi: weightRowsAbi,
    functionName: "weightRowUids",
    args: [netuid],
    blockNumber: at,
  });
  const [[meta = 0n]] = await client.readContract({
    address: settlement,
    abi: weightRowsAbi,
    functionName: "bondRowCommitments",
    args: [netuid, [uid], 0n, 0n],
    blockNumber: at,
  });
  const length = Number((meta >> 64n) & U32);
  const [, hashes] = await client.readContract({
    address: settlement,
    abi: weightRowsAbi,
    functionName: "bondRowCommitments",
    args: [netuid, [uid], 0n, BigInt(segmentCount(BigInt(length)))],
    blockNumber: at,
  });
  const words = (await loggedBondRows(client, settlement, netuid, [[uid, logBlock]])).get(uid);
  hashes.forEach((hash, s) => checkedBondSegment(netuid, uid, words, s, hash));
  const valueWords: bigint[] = [];
  const presenceWords: bigint[] = [];
  for (let s = 0; s < hashes.length; s++) {
    valueWords.push(...words!.slice(s * SEGMENT_WORDS, s * SEGMENT_WORDS + 16));
    presenceWords.push(words![s * SEGMENT_WORDS + 16]!);
  }
  const { values, present } = decodeRow({ valueWords, presenceWords }, length);
  return Array.from({ length: Number(n) }, (_, c) => (c < length && present[c] ? values[c]! : 0));
}

/** `weightRows` of `netuid` on a deployment (the keeper's and `taonet epoch settle`'s client). */
export function subnetWeightRows(
  taonet: TaonetClient,
  netuid: bigint,
  options: Pick<WeightRowsParameters, "maxBytes" | "cache"> = {},
): Promise<Hex> {
  return weightRows({
    client: taonet.client,
    settlement: taonet.contracts.YumaSettlement.address,
    weights: taonet.contracts.Weights.address,
    netuid,
    ...options,
  });
}

export type LoggedRowParameters = {
  readonly client: PublicClient;
  readonly weights: Address;
  readonly netuid: bigint;
  readonly uid: bigint;
  /** The block whose stored row is wanted (default: the latest). */
  readonly blockNumber?: bigint;
};

/**
 * The row `Weights` holds for `uid` (at `blockNumber`), read from its `WeightsSet` log at the write
 * block of its meta word and checked against every stored segment hash: the values `Weights` no
 * longer stores. Throws `WeightRowsError` when the log is missing or does not match.
 */
export async function loggedRow({
  client,
  weights,
  netuid,
  uid,
  blockNumber,
}: LoggedRowParameters): Promise<DecodedRow> {
  const at = blockNumber ?? (await client.getBlockNumber());
  const commitments = (segments: number) =>
    client.readContract({
      address: weights,
      abi: weightRowsAbi,
      functionName: "rowCommitments",
      args: [netuid, [uid], 0n, BigInt(segments)],
      blockNumber: at,
    });
  const [[meta = 0n]] = await commitments(0);
  const writtenAt = meta & U64;
  const length = (meta >> 64n) & U32;
  if (writtenAt === 0n) return { values: [], present: [], writtenAt };
  const [, hashes] = await commitments(segmentCount(length));
  const row = (await loggedRows(client, weights, netuid, [[uid, writtenAt]])).get(uid);
  hashes.forEach((hash, s) => checkedSegment(netuid, uid, row, s, hash));
  // A row of no columns has no segment, and no log is needed to decode it.
  return { ...decodeRow(row ?? { valueWords: [], presenceWords: [] }, Number(length)), writtenAt };
}

/** Segment `s` of `uid`'s logged row, checked against its stored hash. */
function checkedSegment(netuid: bigint, uid: bigint, row: LoggedRow | undefined, s: number, stored: Hex): Hex {
  if (row === undefined) throw new WeightRowsError(`subnet ${netuid}: no WeightsSet log for UID ${uid}'s row`);
  return checkedHash(netuid, `UID ${uid}'s logged row`, segmentOf(row, s), s, stored);
}

/**
 * The last `WeightsSet` row of each UID of `writeBlocks` (pairs of a UID and its row's write block)
 * at its write block, one `eth_getLogs` per distinct block not in `cache`.
 */
function loggedRows(
  client: PublicClient,
  weights: Address,
  netuid: bigint,
  writeBlocks: readonly (readonly [bigint, bigint])[],
  cache?: Map<string, LoggedRow>,
): Promise<Map<bigint, LoggedRow>> {
  return rowsByLogBlock(netuid, writeBlocks, cache, async (block) => {
    const logs = await client.getContractEvents({
      address: weights,
      abi: weightRowsAbi,
      eventName: "WeightsSet",
      args: { netuid },
      fromBlock: block,
      toBlock: block,
    });
    return logs.map(
      (log) =>
        [
          log.args.uid as bigint,
          {
            valueWords: log.args.valueWords as readonly bigint[],
            presenceWords: log.args.presenceWords as readonly bigint[],
          },
        ] as const,
    );
  });
}
