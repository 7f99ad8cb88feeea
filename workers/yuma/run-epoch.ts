import { computeDisabledLiquidAlpha } from "./compute-disabled-liquid-alpha.ts";
import { computeLiquidAlphaValues } from "./compute-liquid-alpha-values.ts";
import {
  fixedProportionToU16,
  i32f32FromInt,
  i32f32SaturatingAdd,
  i32f32SaturatingDiv,
  type I32F32,
  i64f64FromInt,
  i64f64SaturatingToU64,
  i64f64ToI32F32,
  i96f32FromI32F32,
  i96f32FromInt,
  i96f32SaturatingMul,
  i96f32SaturatingToU64,
  u16ProportionToFixed,
  u16ToFixed,
  U16_MAX,
} from "./fixed-point.ts";
import {
  colClipSparse,
  colMaxUpscaleSparse,
  colNormalizeSparse,
  interpolateSparse,
  maskDiagSparse,
  maskRowsSparse,
  matEmaAlphaSparse,
  matEmaSparse,
  matmulSparse,
  matmulTransposeSparse,
  matVecMulSparse,
  rowHadamardSparse,
  rowNormalizeSparse,
  rowSumSparse,
  scalarVecMaskSparseMatrix,
  type SparseEntryI32F32,
  type SparseMatrixI32F32,
  type SparseRowI32F32,
  vecMaskSparseMatrix,
} from "./sparse-matrix.ts";
import {
  isTopkNonzero,
  maskVectorI32F32,
  normalizeI32F32,
  normalizeI64F64,
  normalizeUsingSumI32F32,
  sumI32F32,
  vecMulI32F32,
} from "./vector-math.ts";
import { weightedMedianColSparse } from "./weighted-median-col-sparse.ts";

/** A stored sparse row (weights or bonds): `[column uid, u16 value]` entries in storage order. */
export type SparseRowU16 = readonly (readonly [uid: number, valueU16: number])[];

/** The subnet hyperparameters the epoch reads (YUMA.md §2.1, §3), in their stored units. */
export type EpochHyperparameters = {
  /** Kappa, u16 (consensus majority = kappa/65535; 32767 ≈ 0.5). */
  readonly kappa: number;
  /** BondsPenalty, u16 (β = bondsPenalty/65535). */
  readonly bondsPenalty: number;
  /** BondsMovingAverage, per million (α = 1 − bma/1e6 when liquid alpha does not apply). */
  readonly bondsMovingAverage: number;
  /** Yuma3On: per-(validator, miner) bonds instead of original Yuma's stake-weighted bonds. */
  readonly yuma3: boolean;
  /** LiquidAlphaOn (only read by Yuma3). */
  readonly liquidAlpha: boolean;
  /** AlphaValues low, u16. */
  readonly alphaLow: number;
  /** AlphaValues high, u16. */
  readonly alphaHigh: number;
  /** AlphaSigmoidSteepness, i16. */
  readonly alphaSigmoidSteepness: number;
  /** MaxAllowedValidators (k of the top-k permits). */
  readonly maxAllowedValidators: number;
  /** Activity cutoff in blocks (subtensor: max(1, factor_milli·tempo/1000)). */
  readonly activityCutoff: bigint;
  /** StakeThreshold in the stake's smallest units. */
  readonly stakeThreshold: bigint;
};

export type RunEpochParameters = {
  /** SubnetworkN: uids 0..n−1. Every per-uid array below has length n. */
  readonly n: number;
  /** The block the epoch runs in. */
  readonly currentBlock: bigint;
  /** Tempo; only used for last_tempo when no epoch has run yet (`lastMechanismStepBlock` 0). */
  readonly tempo: bigint;
  /**
   * LastMechansimStepBlock: the block of the previous successful epoch, 0 if none. last_tempo is
   * `lastMechanismStepBlock + 1`, or `currentBlock − tempo` (saturating) when it is 0 (YUMA.md §2.9).
   */
  readonly lastMechanismStepBlock: bigint;
  readonly hyperparameters: EpochHyperparameters;
  /**
   * Stake per uid in the smallest unit (rao in subtensor), an integer. It becomes I64F64, whose
   * integer part is an i64: the total must stay below 2^63 units (about 9.2e9 TAO in rao, but only
   * 9.2 tokens in 18-decimal wei, so scale wei down before calling; see the README).
   */
  readonly stake: readonly bigint[];
  /** LastUpdate per uid: block of the last weight set (or commit), else of registration. */
  readonly lastUpdate: readonly bigint[];
  /** BlockAtRegistration per uid (0 for a uid without a key). */
  readonly blockAtRegistration: readonly bigint[];
  /** ValidatorPermit as stored by the previous epoch (all false before the first one). */
  readonly validatorPermit: readonly boolean[];
  /** Stored weight rows (already max-upscaled at submission), one per uid. */
  readonly weights: readonly SparseRowU16[];
  /** Stored bond rows (u16), one per uid. */
  readonly bonds: readonly SparseRowU16[];
  /** The amount this epoch splits between miners and validators, in the smallest unit (u64). */
  readonly raoEmission: bigint;
  /** The subnet owner's uid, if its hotkey is registered: keeps its self-weight and a permit. */
  readonly ownerUid?: number | null;
  /**
   * Only when commit-reveal is enabled: per uid, the earliest block of its unexpired commits, or
   * null for none (u64::MAX in subtensor). Entry (i, j) is dropped when `commitBlocks[i] <
   * blockAtRegistration[j]` (YUMA.md §2.6 step 5). Leave undefined when commit-reveal is off.
   */
  readonly commitBlocks?: readonly (bigint | null)[];
};

/** Intermediate values, as I32F32 bits, for step-by-step differential tests. */
export type EpochIntermediates = {
  /** S: normalised, threshold-filtered stake. */
  readonly stakeI32F32: I32F32[];
  /** A: active stake (inactive and non-permitted zeroed, renormalised). */
  readonly activeStakeI32F32: I32F32[];
  /** W after every mask and the row normalisation. */
  readonly weights: SparseRowI32F32[];
  readonly consensusI32F32: I32F32[];
  /** W̄: weights clipped at consensus. */
  readonly clippedWeights: SparseRowI32F32[];
  readonly validatorTrustI32F32: I32F32[];
  /** Miner trust T = R / P: clipped rank over pre-clip rank (0 where P is 0). */
  readonly trustI32F32: I32F32[];
  readonly incentiveI32F32: I32F32[];
  /** W̃: interpolation of W and W̄ by the bonds penalty. */
  readonly weightsForBonds: SparseRowI32F32[];
  /** Liquid alpha coefficients (Yuma3 with liquid alpha and some consensus ≠ 0), else null. */
  readonly liquidAlphaI32F32: I32F32[][] | null;
  /** New bonds before conversion to u16 (original Yuma: after the column max-upscale). */
  readonly emaBonds: SparseRowI32F32[];
  readonly dividendsI32F32: I32F32[];
  readonly normalizedServerEmissionI32F32: I32F32[];
  readonly normalizedValidatorEmissionI32F32: I32F32[];
  readonly normalizedCombinedEmissionI32F32: I32F32[];
};

export type RunEpochReturnType = {
  /** Consensus per uid, u16 (`fixed_proportion_to_u16`). */
  readonly consensus: number[];
  /** Incentive per uid, u16. */
  readonly incentive: number[];
  /** Dividends per uid, u16. */
  readonly dividends: number[];
  /** ValidatorTrust per uid, u16. */
  readonly validatorTrust: number[];
  /**
   * Miner trust T = R / P per uid, u16: the share of a miner's stake-weighted weight that survived
   * clipping. subtensor computed it until its commit 8fb5c3688 (2025-10-29) removed it; taonet keeps it
   * for the metagraph's TRUST column.
   */
  readonly trust: number[];
  /** StakeWeight per uid, u16 (S as stored). */
  readonly stakeWeight: number[];
  /** Active per uid. */
  readonly active: boolean[];
  /** ValidatorPermit to store for the next epoch. */
  readonly newValidatorPermit: boolean[];
  /** Bond rows to store: the new rows of uids with a new permit, an empty row for every other uid. */
  readonly bonds: SparseRowU16[];
  /** `server_emission`: paid to miners, smallest units. */
  readonly minerEmission: bigint[];
  /** `validator_emission`: paid to validators, smallest units. */
  readonly validatorEmission: bigint[];
  /** `Emission` storage (normalised combined emission × emission), smallest units. */
  readonly emission: bigint[];
  /** The last_tempo used by the bonds registration mask. */
  readonly lastTempo: bigint;
  readonly intermediates: EpochIntermediates;
};

function toSparseI32F32(rows: readonly SparseRowU16[], n: number, convert: (u: number) => I32F32, filterCols: boolean) {
  const out: SparseRowI32F32[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows[i] ?? [];
    out.push(row.filter(([j]) => !filterCols || j < n).map(([j, v]): SparseEntryI32F32 => [j, convert(v)]));
  }
  return out;
}

function checkInputs(p: RunEpochParameters): void {
  const { n, hyperparameters: h } = p;
  if (!Number.isInteger(n) || n < 0 || n > U16_MAX) throw new RangeError(`n out of range: ${n}`);
  for (const [name, arr] of [
    ["stake", p.stake],
    ["lastUpdate", p.lastUpdate],
    ["blockAtRegistration", p.blockAtRegistration],
    ["validatorPermit", p.validatorPermit],
  ] as const) {
    if (arr.length !== n) throw new RangeError(`${name} has ${arr.length} entries, expected n = ${n}`);
  }
  if (p.commitBlocks && p.commitBlocks.length !== n) throw new RangeError(`commitBlocks must have n = ${n} entries`);
  for (const [name, v] of [
    ["kappa", h.kappa],
    ["bondsPenalty", h.bondsPenalty],
    ["alphaLow", h.alphaLow],
    ["alphaHigh", h.alphaHigh],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > U16_MAX) throw new RangeError(`${name} is not a u16: ${v}`);
  }
  if (!Number.isInteger(h.alphaSigmoidSteepness) || h.alphaSigmoidSteepness < -32768 || h.alphaSigmoidSteepness > 32767)
    throw new RangeError(`alphaSigmoidSteepness is not an i16: ${h.alphaSigmoidSteepness}`);
  if (!Number.isInteger(h.bondsMovingAverage) || h.bondsMovingAverage < 0)
    throw new RangeError(`bondsMovingAverage must be a non-negative integer: ${h.bondsMovingAverage}`);
  if (p.raoEmission < 0n || p.raoEmission > (1n << 64n) - 1n) throw new RangeError("raoEmission is not a u64");
  for (const s of p.stake) if (s < 0n) throw new RangeError("negative stake");
}

/**
 * One Yuma consensus epoch, bit-exact with subtensor's sparse `epoch_mechanism` (run_epoch.rs at
 * 14bc6f9f, as YUMA.md §2 describes it), for one mechanism of one subnet. Pure: reads the state
 * passed in, returns what the epoch would persist and pay out.
 */
export function runEpoch(params: RunEpochParameters): RunEpochReturnType {
  checkInputs(params);
  const { n, currentBlock, hyperparameters: h, ownerUid } = params;
  const hasOwner = ownerUid != null && ownerUid >= 0 && ownerUid < n;

  // == Activity (§2.2): inactive when last_update + cutoff < current_block (strict). ==
  const inactive = params.lastUpdate.map((updated) => updated + h.activityCutoff < currentBlock);
  const active = inactive.map((b) => !b);

  // == Stake (§2.3): threshold (owner exempt), I64F64 normalisation, floor to I32F32. ==
  const filteredStakeI64F64 = params.stake.map((units, uid) => {
    const stakeI64F64 = i64f64FromInt(units);
    if (!(hasOwner && uid === ownerUid) && i64f64SaturatingToU64(stakeI64F64) < h.stakeThreshold) return 0n;
    return stakeI64F64;
  });
  const stakeI32F32 = normalizeI64F64(filteredStakeI64F64).map(i64f64ToI32F32);

  // == Validator permits (§2.4): this epoch uses the stored ones; new top-k ones are returned. ==
  const validatorPermit = [...params.validatorPermit];
  if (hasOwner) validatorPermit[ownerUid] = true;
  const validatorForbids = validatorPermit.map((b) => !b);
  const newValidatorPermit = isTopkNonzero(stakeI32F32, h.maxAllowedValidators);
  if (hasOwner) newValidatorPermit[ownerUid] = true;

  // == Active stake (§2.5) ==
  let activeStakeI32F32 = maskVectorI32F32(inactive, stakeI32F32);
  activeStakeI32F32 = maskVectorI32F32(validatorForbids, activeStakeI32F32);
  activeStakeI32F32 = normalizeI32F32(activeStakeI32F32);

  // == Weights (§2.6): stored u16 values as integers, masked, then row-normalised. ==
  let weights: SparseMatrixI32F32 = toSparseI32F32(params.weights, n, u16ToFixed, true);
  weights = maskRowsSparse(validatorForbids, weights);
  weights = maskDiagSparse(weights, hasOwner ? ownerUid : null);
  weights = vecMaskSparseMatrix(
    weights,
    params.lastUpdate,
    params.blockAtRegistration,
    (updated, registered) => updated <= registered,
  );
  if (params.commitBlocks) {
    const U64_MAX = (1n << 64n) - 1n;
    const commitBlocks = params.commitBlocks.map((b) => b ?? U64_MAX);
    weights = vecMaskSparseMatrix(weights, commitBlocks, params.blockAtRegistration, (cb, reg) => cb < reg);
  }
  weights = rowNormalizeSparse(weights);

  // == Consensus, clipping, validator trust (§2.7) ==
  const kappaI32F32 = u16ProportionToFixed(h.kappa);
  const consensusI32F32 = weightedMedianColSparse({
    stakeI32F32: activeStakeI32F32,
    weights,
    columns: n,
    majorityI32F32: kappaI32F32,
  });
  const clippedWeights = colClipSparse(weights, consensusI32F32);
  const validatorTrustI32F32 = rowSumSparse(clippedWeights);

  // == Rank and incentive (§2.8) ==
  const ranksI32F32 = matmulSparse(clippedWeights, activeStakeI32F32, n);
  const incentiveI32F32 = normalizeI32F32(ranksI32F32);
  // Miner trust (`vecdiv(ranks, preranks)`, subtensor before 8fb5c3688): P = Σ_i A_i·W_ij.
  const preranksI32F32 = matmulSparse(weights, activeStakeI32F32, n);
  const trustI32F32 = ranksI32F32.map((r, j) =>
    preranksI32F32[j] === 0n ? 0n : i32f32SaturatingDiv(r, preranksI32F32[j]!),
  );

  // == Bonds and dividends (§2.9) ==
  const bondsPenaltyI32F32 = u16ProportionToFixed(h.bondsPenalty);
  const weightsForBonds = interpolateSparse(weights, clippedWeights, n, bondsPenaltyI32F32);
  const lastTempo =
    params.lastMechanismStepBlock === 0n
      ? currentBlock > params.tempo
        ? currentBlock - params.tempo
        : 0n
      : params.lastMechanismStepBlock + 1n;
  // Drop bond columns of uids registered since the previous epoch: last_tempo <= registered.
  const maskNewRegistrations = (m: SparseMatrixI32F32) =>
    scalarVecMaskSparseMatrix(m, lastTempo, params.blockAtRegistration, (lt, registered) => lt <= registered);

  let dividendsI32F32: I32F32[];
  let emaBonds: SparseRowI32F32[];
  let liquidAlphaI32F32: I32F32[][] | null = null;
  if (h.yuma3) {
    // Yuma3: bonds are u16/65535 proportions, EMA'd per cell towards W̃, capped at 1.
    const bonds = maskNewRegistrations(toSparseI32F32(params.bonds, n, u16ProportionToFixed, false));
    if (h.liquidAlpha && consensusI32F32.some((c) => c !== 0n)) {
      liquidAlphaI32F32 = computeLiquidAlphaValues({
        weights: weightsForBonds,
        bonds,
        consensusI32F32,
        alphaLowI32F32: u16ProportionToFixed(h.alphaLow),
        alphaHighI32F32: u16ProportionToFixed(h.alphaHigh),
        steepnessI32F32: i32f32FromInt(h.alphaSigmoidSteepness),
      });
      emaBonds = matEmaAlphaSparse(weightsForBonds, bonds, liquidAlphaI32F32);
    } else {
      emaBonds = matEmaSparse(
        weightsForBonds,
        bonds,
        computeDisabledLiquidAlpha({ bondsMovingAverage: h.bondsMovingAverage }),
      );
    }
    const emaBondsNorm = colNormalizeSparse(emaBonds, n);
    const totalBondsPerValidator = rowSumSparse(matVecMulSparse(emaBondsNorm, incentiveI32F32));
    dividendsI32F32 = normalizeI32F32(vecMulI32F32(totalBondsPerValidator, activeStakeI32F32));
  } else {
    // Original Yuma: bonds are stored column max-upscaled u16, read back as integers.
    let bonds: SparseMatrixI32F32 = maskNewRegistrations(toSparseI32F32(params.bonds, n, u16ToFixed, false));
    bonds = colNormalizeSparse(bonds, n);
    const bondsDelta = colNormalizeSparse(rowHadamardSparse(weightsForBonds, activeStakeI32F32), n);
    emaBonds = colNormalizeSparse(
      matEmaSparse(bondsDelta, bonds, computeDisabledLiquidAlpha({ bondsMovingAverage: h.bondsMovingAverage })),
      n,
    );
    dividendsI32F32 = normalizeI32F32(matmulTransposeSparse(emaBonds, incentiveI32F32));
    emaBonds = colMaxUpscaleSparse(emaBonds, n);
  }

  // == Emission (§2.10) ==
  const combinedEmission = incentiveI32F32.map((inc, i) => i32f32SaturatingAdd(inc, dividendsI32F32[i]!));
  const emissionSum = sumI32F32(combinedEmission);
  const normalizedServerEmission = normalizeUsingSumI32F32(incentiveI32F32, emissionSum);
  let normalizedValidatorEmission = normalizeUsingSumI32F32(dividendsI32F32, emissionSum);
  let normalizedCombinedEmission = normalizeI32F32(combinedEmission);
  if (emissionSum === 0n) {
    // No weights, outdated weights or only self-weights: pay by active stake, else by stake.
    const fallback = sumI32F32(activeStakeI32F32) === 0n ? stakeI32F32 : activeStakeI32F32;
    normalizedValidatorEmission = [...fallback];
    normalizedCombinedEmission = [...fallback];
  }
  const raoI96F32 = i96f32FromInt(params.raoEmission);
  const toRao = (x: I32F32) => i96f32SaturatingToU64(i96f32SaturatingMul(i96f32FromI32F32(x), raoI96F32));

  // == Outputs (§2.11) ==
  const bondsOut: SparseRowU16[] = [];
  for (let uid = 0; uid < n; uid++) {
    bondsOut.push(
      newValidatorPermit[uid] ? (emaBonds[uid] ?? []).map(([j, v]) => [j, fixedProportionToU16(v)] as const) : [],
    );
  }

  return {
    consensus: consensusI32F32.map(fixedProportionToU16),
    incentive: incentiveI32F32.map(fixedProportionToU16),
    dividends: dividendsI32F32.map(fixedProportionToU16),
    validatorTrust: validatorTrustI32F32.map(fixedProportionToU16),
    trust: trustI32F32.map(fixedProportionToU16),
    stakeWeight: stakeI32F32.map(fixedProportionToU16),
    active,
    newValidatorPermit,
    bonds: bondsOut,
    minerEmission: normalizedServerEmission.map(toRao),
    validatorEmission: normalizedValidatorEmission.map(toRao),
    emission: normalizedCombinedEmission.map(toRao),
    lastTempo,
    intermediates: {
      stakeI32F32,
      activeStakeI32F32,
      weights: [...weights],
      consensusI32F32,
      clippedWeights,
      validatorTrustI32F32,
      trustI32F32,
      incentiveI32F32,
      weightsForBonds,
      liquidAlphaI32F32,
      emaBonds,
      dividendsI32F32,
      normalizedServerEmissionI32F32: normalizedServerEmission,
      normalizedValidatorEmissionI32F32: normalizedValidatorEmission,
      normalizedCombinedEmissionI32F32: normalizedCombinedEmission,
    },
  };
}
