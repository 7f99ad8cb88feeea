/**
 * Types of the Yuma scenario format v1 (test/fixtures/yuma/scenarios/README.md): the input file
 * (`taonet-yuma-scenario/1`) and the result a replay produces (`taonet-yuma-result/1`).
 * Types only; no runtime code.
 */

export type ScenarioHyperparameters = {
  /** false = original Yuma (stake-weighted bonds). */
  readonly yuma3: boolean;
  /** u16; 32767 ≈ 0.5. */
  readonly kappa: number;
  /** u16; β of W̃ = W + β(W̄ − W). */
  readonly bondsPenalty: number;
  /** Per million; α = 1 − bma/1e6. */
  readonly bondsMovingAverage: number;
  readonly liquidAlpha: boolean;
  /** u16. */
  readonly alphaLow: number;
  /** u16. */
  readonly alphaHigh: number;
  /** i16. */
  readonly alphaSigmoidSteepness: number;
  readonly maxAllowedValidators: number;
  /** Blocks. */
  readonly activityCutoff: number;
  /** Whole tokens. */
  readonly stakeThreshold: number;
  /** Registration limit; not read by the epoch. */
  readonly maxAllowedUids: number;
};

/** A direct weight submission by the hotkey of `uid` (commit-reveal off). */
export type ScenarioWeightSubmission = {
  readonly uid: number;
  readonly uids: readonly number[];
  /** u16 values, stored max-upscaled. */
  readonly values: readonly number[];
};

export type ScenarioStep = {
  /** Relative to the registration block (0). Non-decreasing. */
  readonly block: number;
  readonly setWeights?: readonly ScenarioWeightSubmission[];
  /** Run the epoch at this block (after this step's weight submissions). */
  readonly epoch?: boolean;
  /** Smallest units, decimal string; the amount this epoch splits. */
  readonly emission?: string;
};

/** One expected epoch; a missing key or a null entry is not checked. */
export type ScenarioExpectedEpoch = {
  readonly consensus?: readonly (number | null)[];
  readonly incentive?: readonly (number | null)[];
  readonly dividends?: readonly (number | null)[];
  readonly validatorTrust?: readonly (number | null)[];
  readonly validatorPermit?: readonly (boolean | null)[];
  readonly bonds?: readonly (readonly (number | null)[] | null)[];
  readonly minerEmission?: readonly (string | null)[];
  readonly validatorEmission?: readonly (string | null)[];
  /** Informational: bond targets the upstream test never asserts. */
  readonly bondsUnasserted?: readonly (readonly (number | null)[] | null)[];
};

export type Scenario = {
  readonly format: "taonet-yuma-scenario/1";
  readonly name: string;
  readonly source: string;
  readonly notes?: string;
  readonly hyperparameters: ScenarioHyperparameters;
  /** uids 0..neurons−1, all registered at relative block 0. */
  readonly neurons: number;
  /** Whole tokens staked to each uid's hotkey before step 0. */
  readonly stake: readonly (number | string)[];
  readonly steps: readonly ScenarioStep[];
  /** One entry per epoch step, in order. */
  readonly expected: readonly ScenarioExpectedEpoch[];
  /** Absolute tolerance on fractions; emission deviations are divided by the epoch's emission first. */
  readonly tolerance: number;
};

export type ScenarioEpochResult = {
  /** Relative block of the epoch. */
  readonly block: number;
  /** Fractions: stored u16 / 65535, indexed by uid. */
  readonly consensus: number[];
  readonly incentive: number[];
  readonly dividends: number[];
  readonly validatorTrust: number[];
  /** Miner trust T = R / P (taonet's addition; not in the scenarios' `expected`). */
  readonly trust: number[];
  /** The permits this epoch stores. */
  readonly validatorPermit: boolean[];
  /** neurons × neurons, stored u16 / 65535 (0 where no entry is stored). */
  readonly bonds: number[][];
  /** Smallest units, decimal strings. */
  readonly minerEmission: string[];
  readonly validatorEmission: string[];
  /** Always 0 for the reference implementation (no transactions). */
  readonly gasUsed: number;
  readonly settleTransactions: number;
  readonly maxTransactionGas: number;
};

export type ScenarioResult = {
  readonly format: "taonet-yuma-result/1";
  readonly name: string;
  readonly epochs: ScenarioEpochResult[];
};
