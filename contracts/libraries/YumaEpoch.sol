// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPoint} from "./FixedPoint.sol";

/// @title YumaEpoch
/// @notice One epoch of subtensor's Yuma consensus, bit for bit: the sparse `epoch_mechanism` of
/// `pallets/subtensor/src/epoch/run_epoch.rs` with the primitives of `epoch/math.rs` (subtensor
/// 14bc6f9f) and substrate-fixed v0.6.0 arithmetic, as the spec `YUMA.md` §1-§2 describes it. Pure: the
/// settlement contract loads storage into an `Input`, calls `run`, and stores the `Output`.
/// @dev Fixed-point values are raw bits in `int256` named by format (`stakeI32F32`); see `FixedPoint`
/// for the rounding of each operation. Every step below names its rounding.
///
/// Matrices are dense `k x n` rows (`k` validator rows, `n` uids) of `int256`, with a negative value
/// (`ABSENT`, -1) marking a column absent from subtensor's sparse row. Presence matters: subtensor keeps
/// explicit zero entries in some steps and drops them in others, and this library follows it exactly.
///
/// Bounds: with the inputs `run` accepts (u16 entries and parameters, bma <= 1e6, fewer than 2^15 uids),
/// every intermediate of the per-cell passes is non-negative and at most k * 2^48 (weights, C, A, W~,
/// B and B' lie in [0, 1]; raw original-Yuma bonds below 2^48; sums over at most k rows), so subtensor's
/// saturating operations never saturate there and `safe_div` never overflows (each quotient is an
/// entry over a sum or maximum that contains it). Those passes are therefore written in Yul with plain
/// `mul`/`shr`/`div` (floor equals truncation for non-negative values; the one signed product, in the
/// bonds-penalty interpolation, uses `sar`, which floors like substrate-fixed). The differential tests
/// compare every output with the reference implementation bit for bit.
///
/// Memory: `run` allocates only `O(n + k)` words besides its output vectors. It rewrites the two input
/// matrices in place: `input.weights` ends holding the bonds weights W~ (I32F32), and `input.bonds`
/// ends holding the new bonds as u16, returned as `output.newBonds` (the same memory).
///
/// Not modelled (subtensor features outside this API): the subnet owner's exemptions (the owner keeps
/// its self-weight, a forced permit and no stake threshold) and the u64 saturation of emission amounts
/// in rao (amounts here are exact `floor(x * emission / 2^32)`).
library YumaEpoch {
    /// @notice Marks a column absent from a sparse row (weights, bonds), in inputs and outputs.
    int256 internal constant ABSENT = -1;
    /// @notice Exclusive bound on `n` (and so on the row count): 2^15 keeps every column sum of raw
    /// original-Yuma bonds (at most n * 65535 * 2^32 bits) and every weights row sum inside I32F32.
    uint256 internal constant MAX_UIDS = 2 ** 15;

    /// @notice The epoch's hyperparameters and chain context.
    /// @param kappaU16 Consensus majority, u16 (32767 ~ 0.5).
    /// @param bondsPenaltyU16 beta in W~ = W + beta (clip(W) - W), u16.
    /// @param bondsMovingAverage Per million; alpha = 1 - bma/1e6 when liquid alpha does not apply.
    /// @param yuma3 Yuma3 bonds (per-cell EMA in [0,1]) instead of original Yuma's stake-weighted bonds.
    /// @param liquidAlpha Per-cell alpha from a sigmoid (Yuma3 only).
    /// @param alphaLowU16 Liquid alpha lower bound, u16.
    /// @param alphaHighU16 Liquid alpha upper bound, u16.
    /// @param alphaSigmoidSteepness Sigmoid steepness (subtensor's i16; the owner can only set >= 0).
    /// @param maxAllowedValidators How many top-stake uids get a new permit.
    /// @param activityCutoff Blocks after its last update before a uid counts as inactive.
    /// @param stakeThreshold Stake below which a uid's stake counts as 0 (same unit as `Input.stake`).
    /// @param currentBlock The block the epoch runs in.
    /// @param lastTempo subtensor's `last_tempo` (previous epoch block + 1, or current - tempo before
    /// the first): bond columns of uids registered at or after it are dropped.
    /// @param commitRevealEnabled Whether to apply the commit-reveal column mask (`Input.commitBlock`).
    /// @param emission The amount this epoch splits between miners and validators (smallest unit).
    struct Params {
        uint256 kappaU16;
        uint256 bondsPenaltyU16;
        uint256 bondsMovingAverage;
        bool yuma3;
        bool liquidAlpha;
        uint256 alphaLowU16;
        uint256 alphaHighU16;
        uint256 alphaSigmoidSteepness;
        uint256 maxAllowedValidators;
        uint256 activityCutoff;
        uint256 stakeThreshold;
        uint256 currentBlock;
        uint256 lastTempo;
        bool commitRevealEnabled;
        uint256 emission;
    }

    /// @notice The epoch's state, loaded from storage.
    /// @param n Number of uids (0..n-1); every per-uid vector has length n.
    /// @param stake Raw stake per uid (any unit below 2^192; only ratios matter).
    /// @param lastUpdate Effective last-update block per uid.
    /// @param blockAtRegistration Registration block per uid.
    /// @param commitBlock Earliest unexpired commit block per uid, or `type(uint256).max` for none;
    /// read only when `Params.commitRevealEnabled` (may then be empty otherwise).
    /// @param permit Validator permits from the previous epoch (this epoch uses these).
    /// @param rowUids Ascending uids whose weight and bond rows follow. Must contain every uid with a
    /// permit; may contain others (their weights are ignored, as subtensor masks non-permit rows, but
    /// their bonds still take part). A uid not listed has an empty weights row and an empty bonds row;
    /// since every epoch stores an empty bonds row for each uid without a new permit, the permitted
    /// uids are normally all the rows needed.
    /// @param weights `k x n`: stored u16 weights (max-upscaled at submission), negative where absent.
    /// Rewritten in place (ends as W~, I32F32).
    /// @param bonds `k x n`: stored u16 bonds, negative where absent. Rewritten in place (ends as the
    /// new bonds, returned as `Output.newBonds`).
    struct Input {
        uint256 n;
        uint256[] stake;
        uint256[] lastUpdate;
        uint256[] blockAtRegistration;
        uint256[] commitBlock;
        bool[] permit;
        uint256[] rowUids;
        int256[][] weights;
        int256[][] bonds;
    }

    /// @notice What the epoch stores and pays. Fractions are `fixed_proportion_to_u16`.
    /// @param newPermit Validator permits to store for the next epoch.
    /// @param newBonds `k x n`, the u16 bonds row to store for `rowUids[r]` (negative: absent). Rows of
    /// uids without `newPermit` are all absent (store an empty row). A uid with `newPermit` but no row
    /// gets an empty row. Same memory as `Input.bonds`.
    /// @param minerEmission `server_emission`: floor(incentive share * emission).
    /// @param validatorEmission `validator_emission`: floor(dividend share * emission).
    /// @param combinedEmission subtensor's `Emission` storage: floor(normalised (I + D) * emission).
    struct Output {
        uint16[] consensus;
        uint16[] incentive;
        uint16[] dividends;
        uint16[] validatorTrust;
        /// Miner trust T = R / P (subtensor's until its commit 8fb5c3688 of 2025-10-29 removed it).
        uint16[] trust;
        bool[] newPermit;
        int256[][] newBonds;
        uint256[] minerEmission;
        uint256[] validatorEmission;
        uint256[] combinedEmission;
    }

    /// @notice Liquid-alpha sigmoid settings in I32F32 (build with `alphaSigmoidParams`).
    /// @param slopeI32F32 `steepness / -100` (`saturating_div`, truncating), the same for every cell.
    struct AlphaSigmoidParams {
        int256 lowI32F32;
        int256 highI32F32;
        int256 slopeI32F32;
    }

    /// @dev The per-uid vectors of one run (I32F32), kept together against stack depth.
    struct Vectors {
        int256[] stakeI32F32;
        int256[] activeStakeI32F32;
        int256[] consensusI32F32;
        int256[] validatorTrustI32F32;
        int256[] trustI32F32;
        int256[] incentiveI32F32;
        int256[] dividendsI32F32;
        // Original Yuma only: column sums of W~ * A (the bonds delta), from the clipping pass.
        int256[] deltaColumnSumI32F32;
    }

    /// @dev What a Yuma3 bonds row needs besides its two rows.
    struct Yuma3Context {
        int256[] consensusI32F32;
        uint256[] registered;
        uint256 lastTempo;
        bool liquid;
        AlphaSigmoidParams sigmoid;
        int256 alphaI32F32;
        int256 oneMinusAlphaI32F32;
        int256[] columnSumI32F32;
    }

    /// @notice `n` is 2^15 or more: beyond the bounds that keep the epoch's sums inside I32F32.
    error TooManyUids(uint256 n);
    /// @notice A per-uid vector's length differs from `n`.
    error InputLengthMismatch(uint256 n, uint256 length);
    /// @notice `weights` or `bonds` does not have one row per `rowUids` entry.
    error RowCountMismatch(uint256 rowUids, uint256 weightRows, uint256 bondRows);
    /// @notice A weights row does not have `n` columns.
    error WeightsRowLengthMismatch(uint256 row, uint256 n, uint256 length);
    /// @notice A bonds row does not have `n` columns.
    error BondsRowLengthMismatch(uint256 row, uint256 n, uint256 length);
    /// @notice A score or stake given to `weightedMedianColumn` is outside [0, 2^128).
    error MedianInputOutOfRange(uint256 index);
    /// @notice `rowUids` is not strictly ascending at `row`.
    error RowUidsNotAscending(uint256 row, uint256 uid);
    /// @notice `rowUids[row]` is not a uid.
    error RowUidOutOfRange(uint256 row, uint256 uid, uint256 n);
    /// @notice A uid with a permit has no row in `rowUids`.
    error PermittedUidWithoutRow(uint256 uid);
    /// @notice A stored weight or bond is above `u16::MAX`.
    error EntryAboveU16(uint256 row, uint256 column, int256 value);
    /// @notice A u16 hyperparameter (kappa, bonds penalty, alpha bounds) is above `u16::MAX`.
    error ParameterAboveU16(uint256 value);
    /// @notice The sigmoid steepness is above `i16::MAX`.
    error SteepnessAboveI16(uint256 value);
    /// @notice The bonds moving average is above 1,000,000 (alpha would be negative). subtensor's owner
    /// setter stops at 975,000.
    error BondsMovingAverageAboveMillion(uint256 value);

    // =====================================================================================
    // Epoch
    // =====================================================================================

    /// @notice Runs one Yuma epoch (subtensor `epoch_mechanism`) on `input`.
    /// @dev Rewrites `input.weights` and `input.bonds` in place (see the library notes).
    function run(Params memory p, Input memory input) internal pure returns (Output memory out) {
        _validate(p, input);
        Vectors memory v;
        _incentive(p, input, v);
        // Permits (2.4): the new ones are returned; this epoch used `input.permit`.
        out.newPermit = isTopkNonzero(v.stakeI32F32, p.maxAllowedValidators);
        // Bonds and dividends (2.9); new bonds (u16) into the bonds buffer.
        if (p.yuma3) _bondsYuma3(p, input, v, out.newPermit);
        else _bondsOriginal(p, input, v, out.newPermit);
        out.newBonds = input.bonds;

        // Emission (2.10).
        (out.minerEmission, out.validatorEmission, out.combinedEmission) = _emission(v, p.emission);

        out.consensus = _toU16Proportions(v.consensusI32F32);
        out.incentive = _toU16Proportions(v.incentiveI32F32);
        out.dividends = _toU16Proportions(v.dividendsI32F32);
        out.validatorTrust = _toU16Proportions(v.validatorTrustI32F32);
        out.trust = _toU16Proportions(v.trustI32F32);
    }

    /// @notice The incentive I of `run` (I32F32, one per uid), without bonds, dividends or emission:
    /// the same steps, for callers that need incentive alone (the root network's tests).
    /// @dev Rewrites `input.weights` in place, as `run` does.
    function runIncentive(Params memory p, Input memory input) internal pure returns (int256[] memory incentiveI32F32) {
        _validate(p, input);
        Vectors memory v;
        _incentive(p, input, v);
        return v.incentiveI32F32;
    }

    /// @dev YUMA 2.3 and 2.5 to 2.8, shared by `run` and `runIncentive`.
    function _incentive(Params memory p, Input memory input, Vectors memory v) private pure {
        // Stake (2.3): threshold, I64F64 normalisation (floor), then floor to I32F32.
        v.stakeI32F32 = stakeWeights(input.stake, p.stakeThreshold);
        // Active stake (2.5).
        v.activeStakeI32F32 = _activeStake(p, input, v.stakeI32F32);
        // Weights (2.6): masks and row normalisation, in place.
        _maskAndNormalizeWeights(p, input);
        // Consensus (2.7).
        v.consensusI32F32 = weightedMedianColSparse(
            v.activeStakeI32F32,
            input.weights,
            input.rowUids,
            FixedPoint.fromU16Proportion(p.kappaU16)
        );
        // Clip, validator trust, ranks and incentive (2.7, 2.8); W~ into the weights buffer.
        _clipRankInterpolate(p, input, v);
    }

    // =====================================================================================
    // Vector primitives
    // =====================================================================================

    /// @notice subtensor's stake vector S: stakes below `threshold` count as 0, then
    /// `inplace_normalize_64` (I64F64 `safe_div`: floor(s * 2^64 / sum), skipped when the sum is 0),
    /// then `vec_fixed64_to_fixed32` (drop 32 bits: floor).
    /// @dev Exact for any integer stakes whose total is below 2^192 (`s << 64` must fit; checked).
    function stakeWeights(
        uint256[] memory stake,
        uint256 threshold
    ) internal pure returns (int256[] memory stakeI32F32) {
        uint256 n = stake.length;
        stakeI32F32 = new int256[](n);
        uint256 total;
        for (uint256 i = 0; i < n; ++i) {
            if (stake[i] >= threshold) total += stake[i];
        }
        if (total == 0) return stakeI32F32; // every filtered stake is 0
        for (uint256 i = 0; i < n; ++i) {
            uint256 s = stake[i];
            if (s < threshold || s == 0) continue;
            uint256 stakeI64F64 = (s * 2 ** 64) / total; // floor; <= 2^64
            stakeI32F32[i] = int256(stakeI64F64 >> 32); // floor
        }
    }

    /// @notice subtensor's `is_topk_nonzero(values, k)`: true for non-zero values, except that when
    /// `n >= k` the first `n - k` uids of a stable ascending sort by value are turned off. Among equal
    /// values the lower uid is therefore turned off first.
    /// @dev Selects the (n-k)-th smallest of the distinct keys (value, uid) in expected O(n).
    function isTopkNonzero(int256[] memory values, uint256 k) internal pure returns (bool[] memory result) {
        uint256 n = values.length;
        result = new bool[](n);
        for (uint256 i = 0; i < n; ++i) {
            result[i] = values[i] != 0;
        }
        if (n <= k) return result; // nothing to turn off (n < k returns early upstream; n == k turns off 0)
        uint256[] memory keys = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            keys[i] = _topkKey(values[i], i);
        }
        uint256 lastOff = _selectKth(keys, n - k - 1);
        for (uint256 i = 0; i < n; ++i) {
            if (_topkKey(values[i], i) <= lastOff) result[i] = false;
        }
    }

    /// @notice subtensor's `inplace_normalize`: divides every entry by the plain sum (`safe_div`,
    /// truncating), unless the sum is 0.
    function normalize(int256[] memory valuesI32F32) internal pure {
        int256 sum = _sum(valuesI32F32);
        normalizeUsingSum(valuesI32F32, sum);
    }

    /// @notice subtensor's `inplace_normalize_using_sum`: divides every entry by `sumI32F32`
    /// (`safe_div`, truncating), unless it is 0.
    function normalizeUsingSum(int256[] memory valuesI32F32, int256 sumI32F32) internal pure {
        if (sumI32F32 == 0) return;
        uint256 n = valuesI32F32.length;
        for (uint256 i = 0; i < n; ++i) {
            valuesI32F32[i] = FixedPoint.safeDiv(valuesI32F32[i], sumI32F32);
        }
    }

    // =====================================================================================
    // Consensus
    // =====================================================================================

    /// @notice subtensor's `weighted_median_col_sparse(A, W, n, kappa)` over dense rows.
    /// @dev Rows of uids with `A > 0` take part, in uid order; their stakes are re-normalised
    /// (`inplace_normalize`: truncating `safe_div` by their plain sum), `minority = sum - kappa`
    /// (saturating), and an absent entry scores 0. Each column is then the weighted median below.
    /// Every uid with `A > 0` must have a row (else `PermittedUidWithoutRow`). Allocates three k-word
    /// vectors once; nothing per column.
    /// @param activeStakeI32F32 A, per uid.
    /// @param rows Weights rows of n columns (I32F32 in [0, 2^128), or negative where absent), one per
    /// `rowUids` entry.
    /// @param rowUids Ascending uid of each row.
    /// @param kappaI32F32 The majority (`kappa`).
    /// @return consensusI32F32 C, per uid (column).
    function weightedMedianColSparse(
        int256[] memory activeStakeI32F32,
        int256[][] memory rows,
        uint256[] memory rowUids,
        int256 kappaI32F32
    ) internal pure returns (int256[] memory consensusI32F32) {
        uint256 n = activeStakeI32F32.length;
        consensusI32F32 = new int256[](n);
        (uint256[] memory voterRowData, uint256[] memory voterStakeI32F32, uint256 voters) = _voters(
            activeStakeI32F32,
            rows,
            rowUids
        );
        if (voters == 0) return consensusI32F32; // weighted_median of nothing is 0
        int256 minorityI32F32 = FixedPoint.saturatingSub(_normalizeVoterStake(voterStakeI32F32, voters), kappaI32F32);
        uint256[] memory packed = new uint256[](voters);
        for (uint256 j = 0; j < n; ++j) {
            assembly ("memory-safe") {
                // packed[t] = score << 128 | stake, score = rows[voter t][j] or 0 when absent.
                let offset := shl(5, j)
                let out := add(packed, 0x20)
                let rowData := add(voterRowData, 0x20)
                let stakes := add(voterStakeI32F32, 0x20)
                for {
                    let t := 0
                } lt(t, voters) {
                    t := add(t, 1)
                } {
                    let slot := shl(5, t)
                    let w := mload(add(mload(add(rowData, slot)), offset))
                    if slt(w, 0) {
                        w := 0
                    }
                    mstore(add(out, slot), or(shl(128, w), mload(add(stakes, slot))))
                }
            }
            consensusI32F32[j] = weightedMedianPacked(packed, voters, minorityI32F32);
        }
    }

    /// @notice subtensor's `weighted_median(stake, score, idx, minority, 0, sum(stake))` for one column.
    /// @dev subtensor's deterministic quickselect returns exactly: the smallest observed score `v` whose
    /// cumulative stake `F(v) = sum of stake over scores <= v` exceeds `minority`; the largest score if
    /// none does; 0 for no entries. (At each step with pivot `p`, subtensor goes to the lower part when
    /// `minority < F(<p)`, to the upper part when `F(p) <= minority`, else returns `p`; the bounds
    /// `lo`/`hi` it carries are exactly `F` below and above the current part, so the returned `p`
    /// satisfies `F(<p) <= minority < F(p)`, or is the extreme the part shrank to.) This runs the same
    /// decisions with an in-place three-way partition, so it returns the same value whatever the pivot.
    /// Expected O(count). Scores and stakes must lie in [0, 2^128).
    /// @param scoresI32F32 The scores (entries beyond `count` are ignored).
    /// @param stakesI32F32 The stake of each score.
    /// @param count How many entries take part.
    /// @param minorityI32F32 `sum(stake) - kappa`.
    /// @return medianI32F32 The stake-weighted median.
    function weightedMedianColumn(
        int256[] memory scoresI32F32,
        int256[] memory stakesI32F32,
        uint256 count,
        int256 minorityI32F32
    ) internal pure returns (int256 medianI32F32) {
        uint256[] memory packed = new uint256[](count);
        for (uint256 t = 0; t < count; ++t) {
            int256 score = scoresI32F32[t];
            int256 stake = stakesI32F32[t];
            if (score < 0 || stake < 0 || score >= 2 ** 128 || stake >= 2 ** 128) revert MedianInputOutOfRange(t);
            packed[t] = (uint256(score) << 128) | uint256(stake);
        }
        return weightedMedianPacked(packed, count, minorityI32F32);
    }

    /// @dev The rows of uids with `A > 0`, in uid order (as pointers to their first element), and their
    /// stakes.
    function _voters(
        int256[] memory activeStakeI32F32,
        int256[][] memory rows,
        uint256[] memory rowUids
    ) private pure returns (uint256[] memory voterRowData, uint256[] memory voterStakeI32F32, uint256 voters) {
        uint256 n = activeStakeI32F32.length;
        uint256 k = rowUids.length;
        voterRowData = new uint256[](k);
        voterStakeI32F32 = new uint256[](k);
        uint256 r;
        for (uint256 i = 0; i < n; ++i) {
            int256 a = activeStakeI32F32[i];
            if (a <= 0) continue;
            while (r < k && rowUids[r] < i) ++r;
            if (r == k || rowUids[r] != i) revert PermittedUidWithoutRow(i);
            int256[] memory row = rows[r];
            if (row.length != n) revert WeightsRowLengthMismatch(r, n, row.length);
            uint256 data;
            assembly ("memory-safe") {
                data := add(row, 0x20)
            }
            voterRowData[voters] = data;
            voterStakeI32F32[voters] = uint256(a);
            ++voters;
        }
    }

    /// @dev `use_stake = normalize(A > 0)`: truncating `safe_div` by the plain sum, in place; returns
    /// the sum of the normalised stakes.
    function _normalizeVoterStake(
        uint256[] memory voterStakeI32F32,
        uint256 voters
    ) private pure returns (int256 normalizedSum) {
        int256 stakeSum;
        for (uint256 t = 0; t < voters; ++t) {
            stakeSum += int256(voterStakeI32F32[t]);
        }
        for (uint256 t = 0; t < voters; ++t) {
            int256 s = FixedPoint.safeDiv(int256(voterStakeI32F32[t]), stakeSum);
            voterStakeI32F32[t] = uint256(s);
            normalizedSum += s;
        }
    }

    /// @dev `weightedMedianColumn` on packed words `score << 128 | stake` (reordered in place).
    function weightedMedianPacked(
        uint256[] memory packed,
        uint256 count,
        int256 minorityI32F32
    ) internal pure returns (int256 medianI32F32) {
        if (count == 0) return 0;
        assembly ("memory-safe") {
            // Three-way partition of the words in [left, right) (memory pointers) around `pivot` (by
            // score = word >> 128): [left, less) < pivot, [less, greater) == pivot, [greater, right) >
            // pivot, with the stake (low 128 bits) summed over the first two. Stakes are below 2^128
            // and fewer than 2^64, so no sum overflows.
            function partition(left, right, pivot) -> less, greater, lessStake, equalStake {
                less := left
                greater := right
                for {
                    let at := left
                } lt(at, greater) {} {
                    let word := mload(at)
                    let score := shr(128, word)
                    if lt(score, pivot) {
                        lessStake := add(lessStake, and(word, 0xffffffffffffffffffffffffffffffff))
                        mstore(at, mload(less))
                        mstore(less, word)
                        less := add(less, 0x20)
                        at := add(at, 0x20)
                        continue
                    }
                    if gt(score, pivot) {
                        greater := sub(greater, 0x20)
                        mstore(at, mload(greater))
                        mstore(greater, word)
                        continue
                    }
                    equalStake := add(equalStake, and(word, 0xffffffffffffffffffffffffffffffff))
                    at := add(at, 0x20)
                }
            }

            let left := add(packed, 0x20)
            let right := add(left, shl(5, count))
            let stakeBelow := 0 // F just below the part [left, right)
            for {} 1 {} {
                if eq(sub(right, left), 0x20) {
                    medianI32F32 := shr(128, mload(left))
                    break
                }
                // The middle word (rounded down to a whole word), as subtensor's pivot idx[len / 2].
                let pivot := shr(128, mload(add(left, shl(5, shr(6, sub(right, left))))))
                let less, greater, lessStake, equalStake := partition(left, right, pivot)
                let stakeBelowPivot := add(stakeBelow, lessStake)
                // subtensor: minority < lo + stake(lower) and lower non-empty: go to the lower part.
                if and(slt(minorityI32F32, stakeBelowPivot), gt(less, left)) {
                    right := less
                    continue
                }
                // subtensor: hi - stake(upper) <= minority and upper non-empty: go to the upper part.
                let stakeUpToPivot := add(stakeBelowPivot, equalStake)
                if and(iszero(sgt(stakeUpToPivot, minorityI32F32)), lt(greater, right)) {
                    stakeBelow := stakeUpToPivot
                    left := greater
                    continue
                }
                medianI32F32 := pivot
                break
            }
        }
    }

    /// @notice subtensor's `col_clip_sparse` on one entry: a weight above the consensus becomes the
    /// consensus, or is dropped when the consensus is 0; others are kept.
    /// @return clippedI32F32 The clipped weight, or `ABSENT`.
    function clip(int256 weightI32F32, int256 consensusI32F32) internal pure returns (int256 clippedI32F32) {
        if (weightI32F32 < 0) return ABSENT;
        if (consensusI32F32 < weightI32F32) return consensusI32F32 > 0 ? consensusI32F32 : ABSENT;
        return weightI32F32;
    }

    /// @notice subtensor's `interpolate_sparse(W, Wc, beta)` on one entry: W for beta = 0, Wc for
    /// beta = 1 (entries kept as they are, zeros included), else `W + beta * (Wc - W)` (absent = 0;
    /// saturating; the product rounds toward negative infinity) kept only when > 0.
    /// @return weightForBondsI32F32 W~, or `ABSENT`.
    function interpolate(
        int256 weightI32F32,
        int256 clippedI32F32,
        int256 betaI32F32
    ) internal pure returns (int256 weightForBondsI32F32) {
        if (betaI32F32 == 0) return weightI32F32 < 0 ? ABSENT : weightI32F32;
        if (betaI32F32 == FixedPoint.ONE) return clippedI32F32 < 0 ? ABSENT : clippedI32F32;
        int256 w = weightI32F32 > 0 ? weightI32F32 : int256(0);
        int256 c = clippedI32F32 > 0 ? clippedI32F32 : int256(0);
        int256 mixed = FixedPoint.saturatingAdd(
            w,
            FixedPoint.saturatingMul(betaI32F32, FixedPoint.saturatingSub(c, w))
        );
        return mixed > 0 ? mixed : ABSENT;
    }

    // =====================================================================================
    // Bonds primitives
    // =====================================================================================

    /// @notice subtensor's `compute_disabled_liquid_alpha`: `1 - I32F32(I64F64(bma) / I64F64(1e6))`.
    /// @dev The I64F64 quotient is floor(bma * 2^64 / 1e6); the conversion to I32F32 drops 32 bits
    /// (floor) and saturates; the subtraction saturates. bma = 900000 gives 429496730 (0.1000000001).
    function disabledLiquidAlpha(uint256 bondsMovingAverage) internal pure returns (int256 alphaI32F32) {
        // Capping bma keeps `bma << 64` inside 256 bits; any bma above 2^63 already saturates below.
        uint256 bma = bondsMovingAverage > type(uint128).max ? type(uint128).max : bondsMovingAverage;
        uint256 ratioI64F64 = (bma << 64) / 1_000_000;
        uint256 ratioI32F32 = ratioI64F64 >> 32;
        int256 ratio = ratioI32F32 > uint256(FixedPoint.MAX) ? FixedPoint.MAX : int256(ratioI32F32);
        return FixedPoint.saturatingSub(FixedPoint.ONE, ratio);
    }

    /// @notice subtensor's `mat_ema_sparse` on one cell: `alpha * new (+) (1 - alpha) * old` (each
    /// product rounding toward negative infinity, sums saturating; an absent side contributes 0), kept
    /// only when > 0.
    /// @return emaI32F32 The new cell, or `ABSENT`.
    function emaSparse(
        int256 newI32F32,
        int256 oldI32F32,
        int256 alphaI32F32,
        int256 oneMinusAlphaI32F32
    ) internal pure returns (int256 emaI32F32) {
        int256 acc;
        if (newI32F32 >= 0) acc = FixedPoint.saturatingMul(alphaI32F32, newI32F32);
        if (oldI32F32 >= 0)
            acc = FixedPoint.saturatingAdd(acc, FixedPoint.saturatingMul(oneMinusAlphaI32F32, oldI32F32));
        return acc > 0 ? acc : ABSENT;
    }

    /// @notice subtensor's `mat_ema_alpha_sparse` on one cell: only columns present in the new row are
    /// emitted; `min(1, (1 - alpha) * old + max(0, alpha * new))` (absent old = 0; saturating; products
    /// rounding toward negative infinity), kept only when > 0.
    /// @return emaI32F32 The new cell, or `ABSENT`.
    function emaAlphaSparse(
        int256 newI32F32,
        int256 oldI32F32,
        int256 alphaI32F32
    ) internal pure returns (int256 emaI32F32) {
        if (newI32F32 < 0) return ABSENT;
        int256 decayed;
        if (oldI32F32 >= 0) {
            decayed = FixedPoint.saturatingMul(FixedPoint.saturatingSub(FixedPoint.ONE, alphaI32F32), oldI32F32);
        }
        int256 increment = FixedPoint.saturatingMul(alphaI32F32, newI32F32);
        if (increment < 0) increment = 0;
        int256 value = FixedPoint.saturatingAdd(decayed, increment);
        if (value > FixedPoint.ONE) value = FixedPoint.ONE;
        return value > 0 ? value : ABSENT;
    }

    /// @notice The sigmoid settings from stored values: alpha bounds u16/65535 (floor), and the slope
    /// `I32F32(steepness).saturating_div(I32F32(-100))` (truncating).
    function alphaSigmoidParams(
        uint256 alphaLowU16,
        uint256 alphaHighU16,
        int256 steepness
    ) internal pure returns (AlphaSigmoidParams memory s) {
        s.lowI32F32 = FixedPoint.fromU16Proportion(alphaLowU16);
        s.highI32F32 = FixedPoint.fromU16Proportion(alphaHighU16);
        s.slopeI32F32 = FixedPoint.saturatingDiv(FixedPoint.fromInt(steepness), FixedPoint.fromInt(-100));
    }

    /// @notice subtensor's `alpha_sigmoid(C, W~, B, low, high, steepness)`, for I32F32 inputs.
    /// @dev `d = W~ >= B ? clamp(W~ - C, 0, 1) : clamp(B - W~, 0, 1)`; `x = slope * (d - 0.5)` (floor);
    /// `sigma = 1 / (1 + exp_safe(x))` (truncating); `alpha = clamp(low + sigma * (high - low), low, high)`
    /// (clamp = min(high) then max(low); the product floors, the sums saturate). Saturating the
    /// differences before a clamp to [0, 1] cannot change the clamped value, and |slope * (d - 0.5)| stays
    /// below 2^62 bits, so those steps need no saturation.
    function alphaSigmoid(
        int256 consensusI32F32,
        int256 weightI32F32,
        int256 bondI32F32,
        AlphaSigmoidParams memory s
    ) internal pure returns (int256 alphaI32F32) {
        int256 one = FixedPoint.ONE;
        unchecked {
            // I32F32 inputs: every difference and sum below is under 2^65 and every product under
            // 2^127, far inside int256.
            int256 diff = weightI32F32 >= bondI32F32 ? weightI32F32 - consensusI32F32 : bondI32F32 - weightI32F32;
            if (diff < 0) diff = 0;
            else if (diff > one) diff = one;
            int256 exponent = (s.slopeI32F32 * (diff - FixedPoint.HALF)) >> 32;
            int256 sigmoid = (one << 32) / (one + FixedPoint.expSafe(exponent)); // exp_safe > 0: divisor >= 1.0
            int256 low = s.lowI32F32;
            int256 high = s.highI32F32;
            alphaI32F32 = FixedPoint.saturate(
                low + FixedPoint.saturate((sigmoid * FixedPoint.saturate(high - low)) >> 32)
            );
            if (alphaI32F32 > high) alphaI32F32 = high;
            if (alphaI32F32 < low) alphaI32F32 = low;
        }
    }

    // =====================================================================================
    // Epoch steps
    // =====================================================================================

    /// @dev Checks shapes and ranges; rows must cover every permitted uid.
    function _validate(Params memory p, Input memory input) private pure {
        uint256 n = input.n;
        if (n >= MAX_UIDS) revert TooManyUids(n);
        _checkLength(n, input.stake.length);
        _checkLength(n, input.lastUpdate.length);
        _checkLength(n, input.blockAtRegistration.length);
        _checkLength(n, input.permit.length);
        if (p.commitRevealEnabled) _checkLength(n, input.commitBlock.length);
        _checkU16(p.kappaU16);
        _checkU16(p.bondsPenaltyU16);
        _checkU16(p.alphaLowU16);
        _checkU16(p.alphaHighU16);
        if (p.alphaSigmoidSteepness > uint256(uint16(type(int16).max))) {
            revert SteepnessAboveI16(p.alphaSigmoidSteepness);
        }
        if (p.bondsMovingAverage > 1_000_000) revert BondsMovingAverageAboveMillion(p.bondsMovingAverage);
        uint256 k = input.rowUids.length;
        if (input.weights.length != k || input.bonds.length != k) {
            revert RowCountMismatch(k, input.weights.length, input.bonds.length);
        }
        for (uint256 r = 0; r < k; ++r) {
            uint256 uid = input.rowUids[r];
            if (uid >= n) revert RowUidOutOfRange(r, uid, n);
            if (r > 0 && uid <= input.rowUids[r - 1]) revert RowUidsNotAscending(r, uid);
            if (input.weights[r].length != n) revert WeightsRowLengthMismatch(r, n, input.weights[r].length);
            if (input.bonds[r].length != n) revert BondsRowLengthMismatch(r, n, input.bonds[r].length);
        }
        uint256 row;
        for (uint256 i = 0; i < n; ++i) {
            if (!input.permit[i]) continue;
            while (row < k && input.rowUids[row] < i) ++row;
            if (row == k || input.rowUids[row] != i) revert PermittedUidWithoutRow(i);
        }
    }

    /// @dev A: S with inactive and non-permitted uids zeroed, then `inplace_normalize`.
    /// Inactive: `last_update + activity_cutoff < current_block` (strict; the sum saturates).
    function _activeStake(
        Params memory p,
        Input memory input,
        int256[] memory stakeI32F32
    ) private pure returns (int256[] memory activeI32F32) {
        uint256 n = input.n;
        activeI32F32 = new int256[](n);
        uint256 cutoff = p.activityCutoff;
        for (uint256 i = 0; i < n; ++i) {
            if (!input.permit[i]) continue;
            uint256 updated = input.lastUpdate[i];
            // Saturating add: a sum past 2^256 is never below the current block.
            bool inactive = updated <= type(uint256).max - cutoff && updated + cutoff < p.currentBlock;
            if (!inactive) activeI32F32[i] = stakeI32F32[i];
        }
        normalize(activeI32F32);
    }

    /// @dev Weights (YUMA 2.6), in place: rows of non-permitted uids emptied, then `_maskRow`.
    function _maskAndNormalizeWeights(Params memory p, Input memory input) private pure {
        uint256 n = input.n;
        uint256 k = input.rowUids.length;
        for (uint256 r = 0; r < k; ++r) {
            uint256 uid = input.rowUids[r];
            int256[] memory row = input.weights[r];
            if (!input.permit[uid]) {
                for (uint256 j = 0; j < n; ++j) {
                    row[j] = ABSENT;
                }
                continue;
            }
            uint256 bad = _maskRow(
                row,
                uid,
                input.lastUpdate[uid],
                p.commitRevealEnabled ? input.commitBlock[uid] : type(uint256).max,
                input.blockAtRegistration
            );
            if (bad != 0) revert EntryAboveU16(r, bad - 1, row[bad - 1]);
        }
    }

    /// @dev One weights row of permitted `uid`, in place: drops the diagonal, (uid, j) when
    /// `last_update <= registered[j]` (outdated) and when `commit_block < registered[j]` (commit-reveal;
    /// pass `type(uint256).max` when off); then `inplace_row_normalize_sparse`: a row with sum > 0 gets
    /// `safe_div(I32F32(w), I32F32(sum))` = floor(w * 2^32 / sum) (a stored u16 `w` is the I32F32
    /// integer `w`, not w/65535); a zero row keeps its zeros. Returns 1 + the first column above u16::MAX,
    /// or 0.
    function _maskRow(
        int256[] memory row,
        uint256 uid,
        uint256 updated,
        uint256 committed,
        uint256[] memory registered
    ) private pure returns (uint256 badColumnPlusOne) {
        assembly ("memory-safe") {
            let n := mload(row)
            let data := add(row, 0x20)
            let reg := add(registered, 0x20)
            let sum := 0 // in whole units: at most n * 65535
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let at := add(data, shl(5, j))
                let w := mload(at)
                if slt(w, 0) {
                    continue
                }
                if gt(w, 65535) {
                    badColumnPlusOne := add(j, 1)
                    break
                }
                let registeredAt := mload(add(reg, shl(5, j)))
                if or(or(eq(j, uid), iszero(gt(updated, registeredAt))), lt(committed, registeredAt)) {
                    mstore(at, not(0)) // ABSENT
                    continue
                }
                sum := add(sum, w)
            }
            if and(iszero(badColumnPlusOne), gt(sum, 0)) {
                for {
                    let j := 0
                } lt(j, n) {
                    j := add(j, 1)
                } {
                    let at := add(data, shl(5, j))
                    let w := mload(at)
                    if iszero(slt(w, 0)) {
                        mstore(at, div(shl(32, w), sum)) // w <= sum: the quotient is at most 1.0
                    }
                }
            }
        }
    }

    /// @dev One pass over the normalised weights W: clipped weights Wc (never stored), validator trust
    /// (plain row sums of Wc), ranks `R_j = sum_i A_i * Wc_ij` (in row order, products floored),
    /// incentive = normalize(R), miner trust R / P (P the same ranks of W), and W~ written over W.
    /// Original Yuma also needs the column sums of the bonds delta `W~_ij * A_i`, gathered here.
    /// Nothing saturates (library notes: bounds).
    function _clipRankInterpolate(Params memory p, Input memory input, Vectors memory v) private pure {
        uint256 n = input.n;
        uint256 k = input.rowUids.length;
        int256 betaI32F32 = FixedPoint.fromU16Proportion(p.bondsPenaltyU16);
        int256[] memory ranks = new int256[](n);
        int256[] memory validatorTrust = new int256[](n);
        int256[] memory preranks = new int256[](n);
        // Empty under Yuma3, which does not need it.
        int256[] memory deltaColumnSum = new int256[](p.yuma3 ? 0 : n);
        for (uint256 r = 0; r < k; ++r) {
            uint256 uid = input.rowUids[r];
            if (!input.permit[uid]) continue; // row already all absent
            validatorTrust[uid] = _clipRow(
                input.weights[r],
                v.consensusI32F32,
                v.activeStakeI32F32[uid],
                betaI32F32,
                ranks,
                preranks,
                deltaColumnSum
            );
        }
        // Miner trust T = R / P (`vecdiv`: I32F32 `saturating_div`, truncating; 0 where P is 0).
        int256[] memory trust = new int256[](n);
        for (uint256 j = 0; j < n; ++j) {
            if (preranks[j] != 0) trust[j] = FixedPoint.safeDiv(ranks[j], preranks[j]);
        }
        normalize(ranks);
        v.incentiveI32F32 = ranks;
        v.validatorTrustI32F32 = validatorTrust;
        v.trustI32F32 = trust;
        v.deltaColumnSumI32F32 = deltaColumnSum;
    }

    /// @dev `_clipRankInterpolate` for one row with active stake `a`; returns the row's trust. Per
    /// present entry w: the pre-clip rank `floor(a * w)` into `preranks`, `clip` (C < w ? (C > 0 ? C : drop) : w), then `interpolate` with beta (W for
    /// beta = 0, Wc for beta = 1, else `w + floor(beta * (Wc - w))` kept when > 0, absent Wc = 0).
    function _clipRow(
        int256[] memory row,
        int256[] memory consensus,
        int256 a,
        int256 betaI32F32,
        int256[] memory ranks,
        int256[] memory preranks,
        int256[] memory deltaColumnSum
    ) private pure returns (int256 rowTrust) {
        assembly ("memory-safe") {
            let n := mload(row)
            let data := add(row, 0x20)
            let withDelta := gt(mload(deltaColumnSum), 0)
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let offset := shl(5, add(j, 1)) // past the length word
                let w := mload(add(row, offset))
                if slt(w, 0) {
                    continue
                }
                if a {
                    let prerankAt := add(preranks, offset)
                    mstore(prerankAt, add(mload(prerankAt), shr(32, mul(a, w))))
                }
                let c := mload(add(consensus, offset))
                let clipped := w
                if slt(c, w) {
                    clipped := c
                    if iszero(sgt(c, 0)) {
                        clipped := not(0) // dropped
                    }
                }
                if iszero(slt(clipped, 0)) {
                    rowTrust := add(rowTrust, clipped)
                    if a {
                        let rankAt := add(ranks, offset)
                        mstore(rankAt, add(mload(rankAt), shr(32, mul(a, clipped))))
                    }
                }
                let forBonds := w
                switch betaI32F32
                case 0 {}
                case 0x100000000 {
                    forBonds := clipped
                }
                default {
                    let c2 := clipped
                    if slt(c2, 0) {
                        c2 := 0
                    }
                    // c2 - w <= 0: `sar` floors the signed product, as substrate-fixed's mul does.
                    forBonds := add(w, sar(32, mul(betaI32F32, sub(c2, w))))
                    if iszero(sgt(forBonds, 0)) {
                        forBonds := not(0) // kept only when > 0
                    }
                }
                mstore(add(data, shl(5, j)), forBonds)
                if and(withDelta, iszero(slt(forBonds, 0))) {
                    let deltaAt := add(deltaColumnSum, offset)
                    mstore(deltaAt, add(mload(deltaAt), shr(32, mul(forBonds, a))))
                }
            }
        }
    }

    /// @dev Yuma3 bonds (YUMA 2.9b). Pass 1: B = u16/65535 (floor), columns of uids registered at or
    /// after `last_tempo` dropped, B' = liquid-alpha EMA (when on and some C != 0) or `mat_ema_sparse`
    /// with the bma alpha; column sums of B'. Pass 2 (`_yuma3DividendRow`): tb_i = sum_j colnorm(B')_ij
    /// * I_j (`safe_div` truncating, products floored, plain sum), and B' stored as
    /// `fixed_proportion_to_u16` (no upscale) for new-permit rows. D_i = tb_i * A_i (`checked_mul`, 0 on
    /// overflow), then `inplace_normalize`.
    function _bondsYuma3(Params memory p, Input memory input, Vectors memory v, bool[] memory newPermit) private pure {
        uint256 n = input.n;
        uint256 k = input.rowUids.length;
        Yuma3Context memory c;
        c.consensusI32F32 = v.consensusI32F32;
        c.registered = input.blockAtRegistration;
        c.lastTempo = p.lastTempo;
        c.liquid = p.liquidAlpha && _anyNonZero(v.consensusI32F32);
        c.sigmoid = alphaSigmoidParams(p.alphaLowU16, p.alphaHighU16, int256(p.alphaSigmoidSteepness));
        c.alphaI32F32 = disabledLiquidAlpha(p.bondsMovingAverage);
        c.oneMinusAlphaI32F32 = FixedPoint.saturatingSub(FixedPoint.ONE, c.alphaI32F32);
        c.columnSumI32F32 = new int256[](n);
        for (uint256 r = 0; r < k; ++r) {
            int256[] memory bonds = input.bonds[r];
            uint256 bad =
                c.liquid ? _yuma3LiquidEmaRow(input.weights[r], bonds, c) : _yuma3EmaRow(input.weights[r], bonds, c);
            if (bad != 0) revert EntryAboveU16(r, bad - 1, bonds[bad - 1]);
        }

        int256[] memory dividends = new int256[](n);
        for (uint256 r = 0; r < k; ++r) {
            uint256 uid = input.rowUids[r];
            int256 totalBonds = _yuma3DividendRow(input.bonds[r], c.columnSumI32F32, v.incentiveI32F32, newPermit[uid]);
            (bool ok, int256 d) = FixedPoint.checkedMul(totalBonds, v.activeStakeI32F32[uid]);
            dividends[uid] = ok ? d : int256(0);
        }
        normalize(dividends);
        v.dividendsI32F32 = dividends;
    }

    /// @dev Yuma3 pass 1, one alpha (`mat_ema_sparse`): B'_j = alpha * W~_j + (1 - alpha) * B_j (products
    /// floored, absent sides 0), kept when > 0; in place over the bonds row. Returns 1 + the first column
    /// above u16::MAX, or 0.
    function _yuma3EmaRow(
        int256[] memory forBonds,
        int256[] memory bonds,
        Yuma3Context memory c
    ) private pure returns (uint256 badColumnPlusOne) {
        int256 alpha = c.alphaI32F32;
        int256 oneMinusAlpha = c.oneMinusAlphaI32F32;
        uint256 lastTempo = c.lastTempo;
        uint256[] memory registered = c.registered;
        int256[] memory columnSum = c.columnSumI32F32;
        assembly ("memory-safe") {
            let n := mload(bonds)
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let offset := shl(5, add(j, 1))
                let bondAt := add(bonds, offset)
                let b := mload(bondAt)
                let acc := 0
                if iszero(slt(b, 0)) {
                    if gt(b, 65535) {
                        badColumnPlusOne := add(j, 1)
                        break
                    }
                    // Registration mask: kept when last_tempo > registered. B = floor(b * 2^32 / 65535).
                    if gt(lastTempo, mload(add(registered, offset))) {
                        acc := shr(32, mul(oneMinusAlpha, div(shl(32, b), 65535)))
                    }
                }
                let wt := mload(add(forBonds, offset))
                if iszero(slt(wt, 0)) {
                    acc := add(acc, shr(32, mul(alpha, wt)))
                }
                switch acc
                case 0 {
                    mstore(bondAt, not(0)) // ABSENT
                }
                default {
                    mstore(bondAt, acc)
                    let sumAt := add(columnSum, offset)
                    mstore(sumAt, add(mload(sumAt), acc))
                }
            }
        }
    }

    /// @dev Yuma3 pass 1 with liquid alpha (`mat_ema_alpha_sparse`): only columns present in W~ are
    /// emitted, each `emaAlphaSparse` with its own `alphaSigmoid(C_j, W~_j, B_j or 0)`; in place over the
    /// bonds row. Returns 1 + the first column above u16::MAX, or 0.
    function _yuma3LiquidEmaRow(
        int256[] memory forBonds,
        int256[] memory bonds,
        Yuma3Context memory c
    ) private pure returns (uint256 badColumnPlusOne) {
        uint256 n = bonds.length;
        int256[] memory columnSum = c.columnSumI32F32;
        for (uint256 j = 0; j < n; ++j) {
            int256 b = bonds[j];
            int256 bond = ABSENT;
            if (b >= 0) {
                if (b > int256(FixedPoint.U16_MAX)) return j + 1;
                if (c.lastTempo > c.registered[j]) bond = FixedPoint.fromU16Proportion(uint256(b));
            }
            int256 wt = forBonds[j];
            int256 ema = ABSENT;
            if (wt >= 0) {
                int256 cellAlpha = alphaSigmoid(c.consensusI32F32[j], wt, bond > 0 ? bond : int256(0), c.sigmoid);
                ema = emaAlphaSparse(wt, bond, cellAlpha);
            }
            bonds[j] = ema;
            // Cannot overflow: at most k entries of at most 1.0 each.
            unchecked {
                if (ema >= 0) columnSum[j] += ema;
            }
        }
    }

    /// @dev Yuma3 pass 2 for one row: its total column-normalised bonds weighted by incentive, and the
    /// row converted to stored u16 (all absent unless `keep`).
    function _yuma3DividendRow(
        int256[] memory bonds,
        int256[] memory columnSum,
        int256[] memory incentive,
        bool keep
    ) private pure returns (int256 totalBonds) {
        assembly ("memory-safe") {
            let n := mload(bonds)
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let offset := shl(5, add(j, 1))
                let bondAt := add(bonds, offset)
                let b := mload(bondAt)
                if slt(b, 0) {
                    continue
                }
                let normalized := b
                let sum := mload(add(columnSum, offset))
                if sum {
                    normalized := div(shl(32, b), sum)
                }
                totalBonds := add(totalBonds, shr(32, mul(normalized, mload(add(incentive, offset)))))
                switch keep
                case 0 {
                    mstore(bondAt, not(0))
                }
                default {
                    mstore(bondAt, _toU16(b))
                }
            }

            // fixed_proportion_to_u16 of a value in [0, 1.0].
            function _toU16(x) -> y {
                y := shr(32, mul(x, 65535))
                if gt(y, 65535) {
                    y := 65535
                }
            }
        }
    }

    /// @dev Original Yuma bonds (YUMA 2.9a). Pass 1: B = I32F32(u16) (not divided), registration mask,
    /// column sums. Pass 2: colnorm(B) and colnorm(W~ * A) (truncating `safe_div` where the sum != 0),
    /// B_ema = `mat_ema_sparse` with the bma alpha, its column sums. Pass 3: colnorm(B_ema), dividends
    /// `D_i = sum_j I_j * B_ema_ij` (floored products), column maxima. Pass 4: column max-upscale
    /// (truncating `safe_div` where the max != 0) and `fixed_proportion_to_u16` for new-permit rows.
    function _bondsOriginal(
        Params memory p,
        Input memory input,
        Vectors memory v,
        bool[] memory newPermit
    ) private pure {
        uint256 n = input.n;
        uint256 k = input.rowUids.length;
        // One n-vector serves first as the column sums of B, then as the column maxima of B_ema.
        int256[] memory columnSum = new int256[](n);
        for (uint256 r = 0; r < k; ++r) {
            int256[] memory bonds = input.bonds[r];
            uint256 bad = _originalMaskRow(bonds, input.blockAtRegistration, p.lastTempo, columnSum);
            if (bad != 0) revert EntryAboveU16(r, bad - 1, bonds[bad - 1]);
        }

        int256 alpha = disabledLiquidAlpha(p.bondsMovingAverage);
        int256[] memory emaSum = new int256[](n);
        for (uint256 r = 0; r < k; ++r) {
            _originalEmaRow(
                input.weights[r],
                input.bonds[r],
                v.activeStakeI32F32[input.rowUids[r]],
                alpha,
                columnSum,
                v.deltaColumnSumI32F32,
                emaSum
            );
        }

        int256[] memory columnMax = columnSum;
        for (uint256 j = 0; j < n; ++j) {
            columnMax[j] = 0;
        }
        int256[] memory dividends = new int256[](n);
        for (uint256 r = 0; r < k; ++r) {
            dividends[input.rowUids[r]] = _originalDividendRow(input.bonds[r], emaSum, v.incentiveI32F32, columnMax);
        }
        normalize(dividends);
        v.dividendsI32F32 = dividends;

        for (uint256 r = 0; r < k; ++r) {
            _originalStoreRow(input.bonds[r], columnMax, newPermit[input.rowUids[r]]);
        }
    }

    /// @dev Original Yuma pass 1 for one row: u16 to I32F32 integers (`u16 << 32`), columns of uids
    /// registered at or after `last_tempo` dropped, column sums. Returns 1 + the first column above
    /// u16::MAX, or 0.
    function _originalMaskRow(
        int256[] memory bonds,
        uint256[] memory registered,
        uint256 lastTempo,
        int256[] memory columnSum
    ) private pure returns (uint256 badColumnPlusOne) {
        assembly ("memory-safe") {
            let n := mload(bonds)
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let offset := shl(5, add(j, 1))
                let bondAt := add(bonds, offset)
                let b := mload(bondAt)
                if slt(b, 0) {
                    continue
                }
                if gt(b, 65535) {
                    badColumnPlusOne := add(j, 1)
                    break
                }
                switch gt(lastTempo, mload(add(registered, offset)))
                case 0 {
                    mstore(bondAt, not(0))
                }
                default {
                    let bond := shl(32, b)
                    mstore(bondAt, bond)
                    let sumAt := add(columnSum, offset)
                    mstore(sumAt, add(mload(sumAt), bond))
                }
            }
        }
    }

    /// @dev Original Yuma pass 2 for one row with active stake `a`: delta = colnorm(W~ * a), bond =
    /// colnorm(B), then `mat_ema_sparse` (alpha * delta + (1 - alpha) * bond, floored products, absent
    /// sides 0, kept when > 0), in place over the bonds row; column sums of the result.
    function _originalEmaRow(
        int256[] memory forBonds,
        int256[] memory bonds,
        int256 a,
        int256 alpha,
        int256[] memory bondSum,
        int256[] memory deltaSum,
        int256[] memory emaSum
    ) private pure {
        int256 oneMinusAlpha = FixedPoint.ONE - alpha; // alpha in [0, 1.0] (bma <= 1e6)
        assembly ("memory-safe") {
            let n := mload(bonds)
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let offset := shl(5, add(j, 1))
                let acc := 0
                let delta := mload(add(forBonds, offset))
                if iszero(slt(delta, 0)) {
                    delta := shr(32, mul(delta, a))
                    let sum := mload(add(deltaSum, offset))
                    if sum {
                        delta := div(shl(32, delta), sum)
                    }
                    acc := shr(32, mul(alpha, delta))
                }
                let bondAt := add(bonds, offset)
                let bond := mload(bondAt)
                if iszero(slt(bond, 0)) {
                    let sum := mload(add(bondSum, offset))
                    if sum {
                        bond := div(shl(32, bond), sum)
                    }
                    acc := add(acc, shr(32, mul(oneMinusAlpha, bond)))
                }
                switch acc
                case 0 {
                    mstore(bondAt, not(0))
                }
                default {
                    mstore(bondAt, acc)
                    let sumAt := add(emaSum, offset)
                    mstore(sumAt, add(mload(sumAt), acc))
                }
            }
        }
    }

    /// @dev Original Yuma pass 3 for one row: column-normalises B_ema in place, tracks column maxima,
    /// returns the row's dividend `sum_j I_j * B_ema_ij`.
    function _originalDividendRow(
        int256[] memory bonds,
        int256[] memory emaSum,
        int256[] memory incentive,
        int256[] memory columnMax
    ) private pure returns (int256 dividend) {
        assembly ("memory-safe") {
            let n := mload(bonds)
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let offset := shl(5, add(j, 1))
                let bondAt := add(bonds, offset)
                let b := mload(bondAt)
                if slt(b, 0) {
                    continue
                }
                let sum := mload(add(emaSum, offset))
                if sum {
                    b := div(shl(32, b), sum)
                }
                mstore(bondAt, b)
                dividend := add(dividend, shr(32, mul(mload(add(incentive, offset)), b)))
                let maxAt := add(columnMax, offset)
                if lt(mload(maxAt), b) {
                    mstore(maxAt, b)
                }
            }
        }
    }

    /// @dev Original Yuma pass 4 for one row: column max-upscale and u16 (all absent unless `keep`).
    function _originalStoreRow(int256[] memory bonds, int256[] memory columnMax, bool keep) private pure {
        assembly ("memory-safe") {
            let n := mload(bonds)
            for {
                let j := 0
            } lt(j, n) {
                j := add(j, 1)
            } {
                let offset := shl(5, add(j, 1))
                let bondAt := add(bonds, offset)
                let b := mload(bondAt)
                if slt(b, 0) {
                    continue
                }
                switch keep
                case 0 {
                    mstore(bondAt, not(0))
                }
                default {
                    let m := mload(add(columnMax, offset))
                    if m {
                        b := div(shl(32, b), m)
                    }
                    b := shr(32, mul(b, 65535)) // b <= 1.0 after the upscale
                    if gt(b, 65535) {
                        b := 65535
                    }
                    mstore(bondAt, b)
                }
            }
        }
    }

    /// @dev Emission (YUMA 2.10): E = I (+) D (saturating), sum = plain sum of E. With sum != 0:
    /// server = I / sum, validator = D / sum, combined = normalize(E) (truncating `safe_div`). With
    /// sum == 0: server = I (all 0), validator = combined = A, or S when A sums to 0. Amounts are
    /// floor(x * emission / 2^32) (I96F32 product, then the integer part).
    function _emission(
        Vectors memory v,
        uint256 emission
    )
        private
        pure
        returns (uint256[] memory minerAmounts, uint256[] memory validatorAmounts, uint256[] memory combinedAmounts)
    {
        int256[] memory incentive = v.incentiveI32F32;
        int256[] memory dividends = v.dividendsI32F32;
        uint256 n = incentive.length;
        int256[] memory combined = new int256[](n);
        int256 sum;
        for (uint256 i = 0; i < n; ++i) {
            int256 e = FixedPoint.saturatingAdd(incentive[i], dividends[i]);
            combined[i] = e;
            sum += e;
        }
        minerAmounts = new uint256[](n);
        validatorAmounts = new uint256[](n);
        combinedAmounts = new uint256[](n);
        int256[] memory fallbackShares;
        if (sum == 0) fallbackShares = _sum(v.activeStakeI32F32) == 0 ? v.stakeI32F32 : v.activeStakeI32F32;
        for (uint256 i = 0; i < n; ++i) {
            int256 minerShare;
            int256 validatorShare;
            int256 combinedShare;
            if (sum != 0) {
                minerShare = FixedPoint.safeDiv(incentive[i], sum);
                validatorShare = FixedPoint.safeDiv(dividends[i], sum);
                combinedShare = FixedPoint.safeDiv(combined[i], sum);
            } else {
                minerShare = incentive[i];
                validatorShare = fallbackShares[i];
                combinedShare = fallbackShares[i];
            }
            minerAmounts[i] = _amount(minerShare, emission);
            validatorAmounts[i] = _amount(validatorShare, emission);
            combinedAmounts[i] = _amount(combinedShare, emission);
        }
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    /// @dev floor(share * emission / 2^32) for a non-negative I32F32 share (I96F32 multiply, then
    /// `saturating_to_num`, without subtensor's u64 cap).
    function _amount(int256 shareI32F32, uint256 emission) private pure returns (uint256) {
        if (shareI32F32 <= 0) return 0;
        return (uint256(shareI32F32) * emission) >> 32;
    }

    function _toU16Proportions(int256[] memory valuesI32F32) private pure returns (uint16[] memory out) {
        uint256 n = valuesI32F32.length;
        out = new uint16[](n);
        for (uint256 i = 0; i < n; ++i) {
            out[i] = FixedPoint.toU16Proportion(valuesI32F32[i]);
        }
    }

    /// @dev Plain sum (subtensor's `iter().sum()`); never near overflow for the epoch's vectors.
    function _sum(int256[] memory values) private pure returns (int256 total) {
        uint256 n = values.length;
        for (uint256 i = 0; i < n; ++i) {
            total += values[i];
        }
    }

    function _anyNonZero(int256[] memory values) private pure returns (bool) {
        uint256 n = values.length;
        for (uint256 i = 0; i < n; ++i) {
            if (values[i] != 0) return true;
        }
        return false;
    }

    /// @dev Sort key of the stable ascending sort in `is_topk_nonzero`: value first, then uid. The
    /// value is offset by 2^63 so that the I32F32 order survives as unsigned order.
    function _topkKey(int256 valueI32F32, uint256 uid) private pure returns (uint256) {
        return (uint256(valueI32F32 + 2 ** 63) << 128) | uid;
    }

    /// @dev The `kth` smallest (0-based) of distinct `values`, by in-place quickselect (reorders them).
    function _selectKth(uint256[] memory values, uint256 kth) private pure returns (uint256 selected) {
        assembly ("memory-safe") {
            let data := add(values, 0x20)
            let left := 0
            let right := mload(values)
            for {} 1 {} {
                let pivot := mload(add(data, shl(5, add(left, shr(1, sub(right, left))))))
                // [left, less) < pivot, [less, greater) == pivot, [greater, right) > pivot.
                let less := left
                let i := left
                let greater := right
                for {} lt(i, greater) {} {
                    let at := add(data, shl(5, i))
                    let x := mload(at)
                    switch lt(x, pivot)
                    case 1 {
                        let to := add(data, shl(5, less))
                        mstore(at, mload(to))
                        mstore(to, x)
                        less := add(less, 1)
                        i := add(i, 1)
                    }
                    default {
                        switch gt(x, pivot)
                        case 1 {
                            greater := sub(greater, 1)
                            let to := add(data, shl(5, greater))
                            mstore(at, mload(to))
                            mstore(to, x)
                        }
                        default {
                            i := add(i, 1)
                        }
                    }
                }
                if lt(kth, less) {
                    right := less
                    continue
                }
                if iszero(lt(kth, greater)) {
                    left := greater
                    continue
                }
                selected := pivot
                break
            }
        }
    }

    function _checkLength(uint256 n, uint256 length) private pure {
        if (length != n) revert InputLengthMismatch(n, length);
    }

    function _checkU16(uint256 value) private pure {
        if (value > FixedPoint.U16_MAX) revert ParameterAboveU16(value);
    }
}
