import { Address, BigInt, Bytes, crypto } from "@graphprotocol/graph-ts";
import { CommitDropped, WeightsCommitted, WeightsRevealed, WeightsSet } from "../generated/Weights/Weights";
import { Commit, CommitDrop, CommitKey, Reveal, WeightsRow } from "../generated/schema";
import { createOrLoadHotkey, eventId } from "./helpers";

/** The domain string of the Weights contract's missed-reveal fault ids (`Weights._faultId`). */
const MISSED_REVEAL_DOMAIN = "taonet.missed-reveal";

/** Writes a non-negative BigInt (little-endian bytes in graph-ts) as ABI word `word` (big-endian). */
function writeWord(data: Bytes, word: i32, value: BigInt): void {
  const end = word * 32 + 31;
  for (let i = 0; i < value.length && i < 32; i++) data[end - i] = value[i];
}

/**
 * The Weights contract's fault id of a missed reveal:
 * `keccak256(abi.encode("taonet.missed-reveal", netuid, hotkey, commitHash, commitEpoch))`, the
 * encoding laid out by hand (five head words, the string's offset first, then its length and bytes).
 * It is the key the events that name a commit by (netuid, hotkey, commitHash, epoch) find it by,
 * and the faultId of Slashing's FaultReported when the commit's missed reveal is reported.
 */
export function missedRevealFaultId(netuid: BigInt, hotkey: Address, commitHash: Bytes, epoch: BigInt): Bytes {
  const domain = Bytes.fromUTF8(MISSED_REVEAL_DOMAIN);
  const data = new Bytes(32 * (6 + (domain.length + 31) / 32));
  writeWord(data, 0, BigInt.fromI32(5 * 32));
  writeWord(data, 1, netuid);
  for (let i = 0; i < 20; i++) data[2 * 32 + 12 + i] = hotkey[i];
  for (let i = 0; i < 32; i++) data[3 * 32 + i] = commitHash[i];
  writeWord(data, 4, epoch);
  writeWord(data, 5, BigInt.fromI32(domain.length));
  for (let i = 0; i < domain.length; i++) data[6 * 32 + i] = domain[i];
  return Bytes.fromByteArray(crypto.keccak256(data));
}

/** The oldest pending commit with this key (the contract's queue is in commit order), or null. */
function pendingCommit(key: Bytes): Commit | null {
  const commitKey = CommitKey.load(key.toHexString());
  if (commitKey == null) return null;
  const ids = commitKey.commits;
  for (let i = 0; i < ids.length; i++) {
    const commit = Commit.load(ids[i])!;
    if (commit.status == "PENDING") return commit;
  }
  return null;
}

export function handleWeightsCommitted(event: WeightsCommitted): void {
  createOrLoadHotkey(event.params.hotkey);
  const commit = new Commit(eventId(event));
  commit.subnet = event.params.netuid.toString();
  commit.hotkey = event.params.hotkey;
  commit.uid = event.params.uid.toI32();
  commit.commitHash = event.params.commitHash;
  commit.epoch = event.params.epoch;
  commit.blockNumber = event.block.number;
  commit.timestamp = event.block.timestamp;
  commit.transactionHash = event.transaction.hash;
  commit.status = "PENDING";
  commit.missedRevealFaultId = missedRevealFaultId(
    event.params.netuid,
    event.params.hotkey,
    event.params.commitHash,
    event.params.epoch,
  );
  commit.save();

  const keyId = commit.missedRevealFaultId.toHexString();
  let commitKey = CommitKey.load(keyId);
  if (commitKey == null) {
    commitKey = new CommitKey(keyId);
    commitKey.commits = [];
  }
  const commits = commitKey.commits;
  commits.push(commit.id);
  commitKey.commits = commits;
  commitKey.save();
}

export function handleWeightsRevealed(event: WeightsRevealed): void {
  createOrLoadHotkey(event.params.hotkey);
  const reveal = new Reveal(eventId(event));
  reveal.subnet = event.params.netuid.toString();
  reveal.hotkey = event.params.hotkey;
  reveal.uid = event.params.uid.toI32();
  reveal.commitHash = event.params.commitHash;
  reveal.commitEpoch = event.params.commitEpoch;
  reveal.stored = event.params.stored;
  reveal.blockNumber = event.block.number;
  reveal.timestamp = event.block.timestamp;
  reveal.transactionHash = event.transaction.hash;
  const commit = pendingCommit(
    missedRevealFaultId(event.params.netuid, event.params.hotkey, event.params.commitHash, event.params.commitEpoch),
  );
  if (commit != null) {
    reveal.commit = commit.id;
    commit.status = "REVEALED";
    commit.reveal = reveal.id;
    commit.closedAtBlock = event.block.number;
    commit.save();
  }
  reveal.save();
}

export function handleCommitDropped(event: CommitDropped): void {
  createOrLoadHotkey(event.params.hotkey);
  const drop = new CommitDrop(eventId(event));
  drop.subnet = event.params.netuid.toString();
  drop.hotkey = event.params.hotkey;
  drop.commitHash = event.params.commitHash;
  drop.epoch = event.params.epoch;
  drop.expired = event.params.expired;
  drop.blockNumber = event.block.number;
  drop.timestamp = event.block.timestamp;
  drop.transactionHash = event.transaction.hash;
  const commit = pendingCommit(
    missedRevealFaultId(event.params.netuid, event.params.hotkey, event.params.commitHash, event.params.epoch),
  );
  if (commit != null) {
    drop.commit = commit.id;
    commit.status = event.params.expired ? "EXPIRED" : "SUPERSEDED";
    commit.drop = drop.id;
    commit.closedAtBlock = event.block.number;
    commit.save();
  }
  drop.save();
}

/** Byte `i` of a non-negative BigInt (graph-ts keeps it as little-endian bytes), 0 past its end. */
function byteOf(word: BigInt, i: i32): i32 {
  return i < word.length ? <i32>word[i] : 0;
}

/** Bits `16k .. 16k + 15` of `word`: the value of column 16w + k in value word w. */
function lane(word: BigInt, k: i32): i32 {
  return byteOf(word, 2 * k) | (byteOf(word, 2 * k + 1) << 8);
}

/**
 * A row written (direct submission or reveal): the entity keeps the log's words as they are, and the
 * weighted columns with their values decoded from them.
 */
export function handleWeightsSet(event: WeightsSet): void {
  createOrLoadHotkey(event.params.hotkey);
  const id = event.params.netuid.toString() + "-" + event.params.uid.toString();
  let row = WeightsRow.load(id);
  if (row == null) {
    row = new WeightsRow(id);
    row.subnet = event.params.netuid.toString();
    row.uid = event.params.uid.toI32();
    row.writes = 0;
  }
  const valueWords = event.params.valueWords;
  const presenceWords = event.params.presenceWords;
  const length = <i32>event.params.length.toU32();
  const uids: i32[] = [];
  const weights: i32[] = [];
  for (let s = 0; s < presenceWords.length; s++) {
    const presence = presenceWords[s];
    for (let c = 256 * s; c < 256 * (s + 1) && c < length; c++) {
      if (((byteOf(presence, (c & 255) >> 3) >> (c & 7)) & 1) == 0) continue;
      uids.push(c);
      weights.push(c >> 4 < valueWords.length ? lane(valueWords[c >> 4], c & 15) : 0);
    }
  }
  row.hotkey = event.params.hotkey;
  row.length = length;
  row.valueWords = valueWords;
  row.presenceWords = presenceWords;
  row.uids = uids;
  row.weights = weights;
  row.blockNumber = event.block.number;
  row.timestamp = event.block.timestamp;
  row.transactionHash = event.transaction.hash;
  row.writes = row.writes + 1;
  row.save();
}
