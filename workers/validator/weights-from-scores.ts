import type { Evaluation } from "./evaluator-pool.ts";

/** One miner's epoch: its UID, the block of the model commitment it was scored on, and the score. */
export type MinerScore = {
  readonly uid: number;
  readonly commitBlock: bigint;
  /** sha256 of the committed model file. */
  readonly modelHash: string;
  readonly evaluation: Evaluation;
};

export type MinerWeight = {
  readonly uid: number;
  /** The u16 weight to submit (65,535 for the best model). */
  readonly weight: number;
  /** Models strictly better than this one (0 for the best); undefined for a weight of 0. */
  readonly rank?: number;
  /** Why the weight is 0, when it is. */
  readonly zeroBecause?: string;
};

export type WeightsFromScoresParameters = {
  readonly scores: readonly MinerScore[];
  /** Classes of the task: a model at or below chance (1 / classes) earns nothing. */
  readonly classes: number;
};

/**
 * The validator's rule from scores to weights, deterministic and the same for every honest
 * validator (whatever order the scores come in):
 *
 * 1. a model that was not scored (an `Evaluation` with `ok: false`) gets 0;
 * 2. copies get 0: among models with the same file hash, or the same outputs on the batch (equal
 *    `outputsDigest`), only the earliest commitment (lowest block, then lowest UID) counts;
 * 3. a model whose accuracy is at or below chance gets 0;
 * 4. the rest are ranked by accuracy, then by lower loss; a model with `r` models strictly better
 *    gets `floor(65,535 / 2^r)`: the best 65,535, the next 32,767, and so on, equal scores equal
 *    weights, and past 16 ranks nothing. Halving per rank rewards the best models most, so improving
 *    on the leader pays and a crowd of middling copies-with-noise does not.
 */
export function weightsFromScores(params: WeightsFromScoresParameters): MinerWeight[] {
  const chance = 1 / params.classes;
  const ordered = [...params.scores].sort((a, b) =>
    a.commitBlock !== b.commitBlock ? (a.commitBlock < b.commitBlock ? -1 : 1) : a.uid - b.uid,
  );
  const firstByHash = new Map<string, number>();
  const firstByOutputs = new Map<string, number>();
  const zero = new Map<number, string>();
  const eligible: { uid: number; accuracy: number; loss: number }[] = [];
  for (const score of ordered) {
    const e = score.evaluation;
    if (!e.ok) {
      zero.set(score.uid, `not scored: ${e.reason} (${e.detail})`);
      continue;
    }
    const original = firstByHash.get(score.modelHash) ?? firstByOutputs.get(e.outputsDigest);
    if (original !== undefined) {
      zero.set(score.uid, `copy of UID ${original}'s earlier model`);
      continue;
    }
    firstByHash.set(score.modelHash, score.uid);
    firstByOutputs.set(e.outputsDigest, score.uid);
    if (e.accuracy <= chance) {
      zero.set(score.uid, `accuracy ${e.accuracy} at or below chance (${chance})`);
      continue;
    }
    eligible.push({ uid: score.uid, accuracy: e.accuracy, loss: e.loss });
  }
  const better = (a: { accuracy: number; loss: number }, b: { accuracy: number; loss: number }) =>
    a.accuracy > b.accuracy || (a.accuracy === b.accuracy && a.loss < b.loss);
  const result: MinerWeight[] = [];
  for (const m of eligible) {
    const rank = eligible.filter((other) => better(other, m)).length;
    const weight = rank >= 16 ? 0 : Math.floor(65_535 / 2 ** rank);
    result.push(weight > 0 ? { uid: m.uid, weight, rank } : { uid: m.uid, weight: 0, zeroBecause: `rank ${rank}` });
  }
  for (const [uid, because] of zero) result.push({ uid, weight: 0, zeroBecause: because });
  return result.sort((a, b) => a.uid - b.uid);
}
