import { U16_MAX } from "./fixed-point.ts";
import { maxUpscaleWeights } from "./max-upscale-weights.ts";
import { runEpoch, type RunEpochParameters, type RunEpochReturnType, type SparseRowU16 } from "./run-epoch.ts";
import type { Scenario, ScenarioEpochResult, ScenarioResult, ScenarioWeightSubmission } from "./scenario-types.ts";

export type ReplayScenarioParameters = {
  readonly scenario: Scenario;
  /** Smallest units per whole token for `stake` and `stakeThreshold`. Default 10^9 (rao, as subtensor). */
  readonly stakeUnit?: bigint;
  /** Absolute block of relative block 0 (the registration block). Default 1, as subtensor's tests. */
  readonly registrationBlock?: bigint;
  /**
   * Tempo, read only for last_tempo before the first epoch (`current − tempo`), when there are no
   * stored bonds yet, so it cannot change a result. Default 1.
   */
  readonly tempo?: bigint;
  /** Emission of an epoch step without `emission`. Default 10^9. */
  readonly defaultEmission?: bigint;
  /** Called after every epoch with its exact inputs and outputs (for debugging and deeper tests). */
  readonly onEpoch?: (epoch: { block: number; input: RunEpochParameters; output: RunEpochReturnType }) => void;
};

export type ReplayScenarioReturnType = ScenarioResult;

/** Whole tokens (an integer, or a decimal number or string) to smallest units, exactly. */
function tokensToUnits(tokens: number | string, unit: bigint): bigint {
  const text = typeof tokens === "number" ? tokens.toString() : tokens.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a non-negative decimal token amount: ${text}`);
  const [, whole, fraction = ""] = match;
  const scale = unit.toString().length - 1;
  if (10n ** BigInt(scale) !== unit) throw new RangeError(`stakeUnit must be a power of ten: ${unit}`);
  if (fraction.length > scale) throw new RangeError(`${text} has more decimals than the unit allows`);
  return BigInt(whole!) * unit + (fraction === "" ? 0n : BigInt(fraction.padEnd(scale, "0")));
}

/**
 * The parts of `set_weights` validation (YUMA.md §4) that the scenario's state can violate; a
 * scenario that breaks them is malformed, so this throws rather than skipping the submission.
 */
function validateSubmission(
  s: ScenarioWeightSubmission,
  n: number,
  permits: readonly boolean[],
  stake: readonly bigint[],
  threshold: bigint,
) {
  const where = `setWeights by uid ${s.uid}`;
  if (!Number.isInteger(s.uid) || s.uid < 0 || s.uid >= n) throw new RangeError(`${where}: not a registered uid`);
  if (s.uids.length !== s.values.length) throw new RangeError(`${where}: uids and values differ in length`);
  if (s.uids.length > n) throw new RangeError(`${where}: more uids than neurons`);
  if (stake[s.uid]! < threshold) throw new RangeError(`${where}: stake below the stake threshold`);
  const isSelfWeight = s.uids.length === 1 && s.uids[0] === s.uid;
  if (!isSelfWeight && !permits[s.uid]) throw new RangeError(`${where}: no validator permit (and not a self-weight)`);
  if (new Set(s.uids).size !== s.uids.length) throw new RangeError(`${where}: duplicate uids`);
  for (const u of s.uids)
    if (!Number.isInteger(u) || u < 0 || u >= n) throw new RangeError(`${where}: uid ${u} does not exist`);
  for (const v of s.values)
    if (!Number.isInteger(v) || v < 0 || v > U16_MAX) throw new RangeError(`${where}: value ${v} is not a u16`);
}

/**
 * Runs a scenario through the reference epoch, simulating the chain state the way
 * SCENARIO-FORMAT.md describes: every uid registered at relative block 0 (last_update = that
 * block, no permits, no weights, no bonds); `setWeights` stores the max-upscaled row in submission
 * order and sets last_update; `epoch` runs `runEpoch` with the stored permits and bonds, then stores
 * its new permits and bond rows and records its block as LastMechansimStepBlock (so the next epoch's
 * last_tempo is that block + 1, YUMA.md §2.9). Steps in one block run in file order; within a step,
 * weights are set before the epoch runs. Returns the result format, with zero gas fields.
 */
export function replayScenario(params: ReplayScenarioParameters): ReplayScenarioReturnType {
  const { scenario } = params;
  if (scenario.format !== "taonet-yuma-scenario/1") throw new RangeError(`unknown scenario format: ${scenario.format}`);
  const stakeUnit = params.stakeUnit ?? 1_000_000_000n;
  const registrationBlock = params.registrationBlock ?? 1n;
  const tempo = params.tempo ?? 1n;
  const defaultEmission = params.defaultEmission ?? 1_000_000_000n;
  const h = scenario.hyperparameters;
  const n = scenario.neurons;
  if (scenario.stake.length !== n) throw new RangeError(`stake has ${scenario.stake.length} entries for ${n} neurons`);

  const stake = scenario.stake.map((t) => tokensToUnits(t, stakeUnit));
  const stakeThreshold = tokensToUnits(h.stakeThreshold, stakeUnit);
  const lastUpdate: bigint[] = new Array<bigint>(n).fill(registrationBlock);
  const blockAtRegistration: bigint[] = new Array<bigint>(n).fill(registrationBlock);
  let validatorPermit: boolean[] = new Array<boolean>(n).fill(false);
  const weights: SparseRowU16[] = Array.from({ length: n }, () => []);
  let bonds: SparseRowU16[] = Array.from({ length: n }, () => []);
  let lastMechanismStepBlock = 0n;

  const epochs: ScenarioEpochResult[] = [];
  let previousBlock = -Infinity;
  for (const step of scenario.steps) {
    if (step.block < previousBlock) throw new RangeError(`steps go back in time at block ${step.block}`);
    previousBlock = step.block;
    const block = registrationBlock + BigInt(step.block);

    for (const submission of step.setWeights ?? []) {
      validateSubmission(submission, n, validatorPermit, stake, stakeThreshold);
      const stored = maxUpscaleWeights({ valuesU16: submission.values });
      weights[submission.uid] = submission.uids.map((uid, k) => [uid, stored[k]!] as const);
      lastUpdate[submission.uid] = block;
    }

    if (!step.epoch) continue;
    const input: RunEpochParameters = {
      n,
      currentBlock: block,
      tempo,
      lastMechanismStepBlock,
      hyperparameters: {
        kappa: h.kappa,
        bondsPenalty: h.bondsPenalty,
        bondsMovingAverage: h.bondsMovingAverage,
        yuma3: h.yuma3,
        liquidAlpha: h.liquidAlpha,
        alphaLow: h.alphaLow,
        alphaHigh: h.alphaHigh,
        alphaSigmoidSteepness: h.alphaSigmoidSteepness,
        maxAllowedValidators: h.maxAllowedValidators,
        activityCutoff: BigInt(h.activityCutoff),
        stakeThreshold,
      },
      stake: [...stake],
      lastUpdate: [...lastUpdate],
      blockAtRegistration: [...blockAtRegistration],
      validatorPermit: [...validatorPermit],
      weights: weights.map((row) => [...row]),
      bonds: bonds.map((row) => [...row]),
      raoEmission: step.emission !== undefined ? BigInt(step.emission) : defaultEmission,
    };
    const output = runEpoch(input);
    params.onEpoch?.({ block: step.block, input, output });

    validatorPermit = [...output.newValidatorPermit];
    bonds = output.bonds;
    lastMechanismStepBlock = block;

    const denseBonds = output.bonds.map((row) => {
      const dense = new Array<number>(n).fill(0);
      for (const [j, v] of row) if (j < n) dense[j] = v / U16_MAX;
      return dense;
    });
    epochs.push({
      block: step.block,
      consensus: output.consensus.map((v) => v / U16_MAX),
      incentive: output.incentive.map((v) => v / U16_MAX),
      dividends: output.dividends.map((v) => v / U16_MAX),
      validatorTrust: output.validatorTrust.map((v) => v / U16_MAX),
      trust: output.trust.map((v) => v / U16_MAX),
      validatorPermit: [...output.newValidatorPermit],
      bonds: denseBonds,
      minerEmission: output.minerEmission.map(String),
      validatorEmission: output.validatorEmission.map(String),
      gasUsed: 0,
      settleTransactions: 0,
      maxTransactionGas: 0,
    });
  }
  return { format: "taonet-yuma-result/1", name: scenario.name, epochs };
}
