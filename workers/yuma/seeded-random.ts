export type SeededRandomParameters = {
  /** Any 32-bit integer; the same seed gives the same sequence. */
  readonly seed: number;
};

/** A generator of numbers in [0, 1). */
export type SeededRandomReturnType = () => number;

/**
 * A small deterministic pseudo-random generator (mulberry32) for the randomised tests, so that a
 * failing case reproduces from its seed. Not for anything that needs real randomness.
 */
export function seededRandom(params: SeededRandomParameters): SeededRandomReturnType {
  let state = params.seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
