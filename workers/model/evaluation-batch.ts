import { createHash } from "node:crypto";
import { subset, type LabelledSet } from "./dataset.ts";

export type DrawEvaluationBatchParameters = {
  /** The epoch's seed: a block hash the chain fixed at the epoch's start (0x-prefixed hex). */
  readonly seed: string;
  readonly set: LabelledSet;
  readonly size: number;
};

export type DrawEvaluationBatchReturnType = LabelledSet & { readonly indices: readonly number[] };

/**
 * The epoch's evaluation batch: `size` distinct samples of `set`, drawn by a partial Fisher-Yates
 * shuffle whose random numbers are sha256(seed || counter) read as 32-bit words (rejection sampling,
 * so every draw is uniform). Every honest validator draws the same batch from the same seed, and a
 * miner cannot know it before the block that fixes the seed.
 */
export function drawEvaluationBatch(params: DrawEvaluationBatchParameters): DrawEvaluationBatchReturnType {
  const { seed, set, size } = params;
  if (!/^0x[0-9a-fA-F]{64}$/.test(seed)) throw new RangeError(`seed must be a 32-byte hex string, got ${seed}`);
  if (!Number.isInteger(size) || size < 1 || size > set.count)
    throw new RangeError(`batch size must be an integer in 1..${set.count}, got ${size}`);
  const next = randomWords(Buffer.from(seed.slice(2), "hex"));
  const order = [...Array(set.count).keys()];
  for (let i = 0; i < size; i++) {
    const range = set.count - i;
    // Uniform in [0, range): reject words from the incomplete last multiple of `range`.
    const limit = 2 ** 32 - (2 ** 32 % range);
    let word = next();
    while (word >= limit) word = next();
    const j = i + (word % range);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const indices = order.slice(0, size);
  return { ...subset(set, indices), indices };
}

/** 32-bit words from sha256(seed || counter), counter a big-endian u64 from 0. */
function randomWords(seed: Buffer): () => number {
  let counter = 0n;
  let block: Buffer = Buffer.alloc(0);
  let at = 32;
  return () => {
    if (at === 32) {
      const counterBytes = Buffer.alloc(8);
      counterBytes.writeBigUInt64BE(counter++);
      block = createHash("sha256").update(seed).update(counterBytes).digest();
      at = 0;
    }
    const word = block.readUInt32BE(at);
    at += 4;
    return word;
  };
}
