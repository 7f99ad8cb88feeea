import { maxUpscaleWeights } from "./max-upscale-weights.ts";
import type { RunEpochParameters, SparseRowU16 } from "./run-epoch.ts";
import { seededRandom } from "./seeded-random.ts";

export type RandomEpochParametersParameters = {
  /** Same seed, same parameters. */
  readonly seed: number;
  /** Number of uids; random in [1, 48] when omitted. */
  readonly n?: number;
  /** Force original Yuma (false) or Yuma3 (true); random when omitted. */
  readonly yuma3?: boolean;
};

export type RandomEpochParametersReturnType = RunEpochParameters;

/**
 * A random but well-formed epoch input, for differential fuzzing (the Solidity epoch against
 * `runEpoch`) and for invariant tests. It covers the corners the scenarios do not: zero and
 * below-threshold stakes, inactive and outdated validators, newly registered uids (bond columns
 * masked), stale permits, explicit zero weights, weight rows in unsorted uid order, existing bonds,
 * liquid alpha with any steepness, an owner uid and the commit-reveal mask. Stored weights are
 * max-upscaled as `set_weights` stores them; hyperparameters stay within subtensor's bounds.
 */
export function randomEpochParameters(params: RandomEpochParametersParameters): RandomEpochParametersReturnType {
  const next = seededRandom({ seed: params.seed });
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const chance = (p: number) => next() < p;

  const n = params.n ?? int(1, 48);
  const currentBlock = BigInt(int(1, 20_000));
  const activityCutoff = BigInt(int(1, 6_000));
  const blockAtRegistration = Array.from({ length: n }, () =>
    chance(0.2) ? BigInt(int(0, Number(currentBlock))) : 0n,
  );
  const lastUpdate = blockAtRegistration.map((reg) =>
    chance(0.8) ? BigInt(int(Number(reg), Number(currentBlock))) : reg,
  );
  const stake = Array.from({ length: n }, () =>
    chance(0.3) ? 0n : BigInt(int(1, 1_000_000)) * 10n ** BigInt(int(0, 9)),
  );
  const validatorPermit = Array.from({ length: n }, () => chance(0.5));

  const weights: SparseRowU16[] = Array.from({ length: n }, () => {
    if (chance(0.3)) return [];
    const uids = [...Array(n).keys()].filter(() => chance(0.5));
    if (chance(0.3)) uids.sort(() => next() - 0.5); // submission order is kept as stored
    const values = uids.map(() => (chance(0.15) ? 0 : int(0, 65535)));
    const storedValues = maxUpscaleWeights({ valuesU16: values });
    return uids.map((uid, k) => [uid, storedValues[k]!] as const);
  });
  const bonds: SparseRowU16[] = Array.from({ length: n }, () =>
    chance(0.5) ? [] : [...Array(n).keys()].filter(() => chance(0.4)).map((j) => [j, int(0, 65535)] as const),
  );

  const alphaLow = int(1638, 65535);
  const lastStep = chance(0.5) ? 0n : BigInt(int(0, Number(currentBlock) - 1));
  return {
    n,
    currentBlock,
    tempo: BigInt(int(0, 400)),
    lastMechanismStepBlock: lastStep,
    hyperparameters: {
      kappa: chance(0.5) ? 32767 : int(0, 65535),
      bondsPenalty: chance(0.3) ? 65535 : chance(0.3) ? 0 : int(0, 65535),
      bondsMovingAverage: chance(0.5) ? 900_000 : int(0, 1_000_000),
      yuma3: params.yuma3 ?? chance(0.5),
      liquidAlpha: chance(0.5),
      alphaLow,
      alphaHigh: int(alphaLow, 65535),
      alphaSigmoidSteepness: chance(0.5) ? 1000 : int(-32768, 32767),
      maxAllowedValidators: int(0, n + 2),
      activityCutoff,
      stakeThreshold: chance(0.7) ? 0n : BigInt(int(0, 1_000_000)),
    },
    stake,
    lastUpdate,
    blockAtRegistration,
    validatorPermit,
    weights,
    bonds,
    raoEmission: chance(0.1) ? 0n : BigInt(int(1, 2 ** 31)) * BigInt(int(1, 2 ** 20)),
    ownerUid: chance(0.3) ? int(0, n - 1) : null,
    commitBlocks: chance(0.2)
      ? Array.from({ length: n }, () => (chance(0.5) ? null : BigInt(int(0, Number(currentBlock)))))
      : undefined,
  };
}
