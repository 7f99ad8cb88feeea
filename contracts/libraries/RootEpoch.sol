// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPoint} from "./FixedPoint.sol";
import {YumaEpoch} from "./YumaEpoch.sol";

/// @title RootEpoch
/// @notice The root network's epoch: the part of Yuma consensus that decides incentive (YUMA 2.3 and
/// 2.5 to 2.8: stake, active stake, masked and row-normalised weights, the stake-weighted median with
/// kappa, clipping, ranks, incentive), on the root's shape, in memory, on packed rows.
/// @dev The root is a Yuma subnet whose UIDs are the active subnets (no stake, no row) followed by the
/// members (every one permitted, each a row over the subnet columns only). On that shape the whole
/// epoch's incentive reduces to what this library computes, bit for bit: the member columns are always
/// empty, so they change no row sum, no median of a subnet column and no rank; the diagonal never
/// meets a subnet column; a subnet column's registration block is 0, so the outdated mask drops a row
/// only when its member's last update is block 0; there is no stake threshold and no commit-reveal.
/// Bonds and dividends are not computed: the root pays no dividends, and incentive does not depend on
/// them. `test/solidity/root/RootEpoch.t.sol` checks the result against `YumaEpoch.runIncentive` on the
/// full layout (random members, subnets, stakes, activity and weights).
///
/// Rows are packed as the root stores them after placing each entry at its column: 16 u16 values a
/// word (column `16w + l` at bits `16l`), and one presence word (bit `j` for column `j`), so at most
/// 256 columns. Values are the stored (max-upscaled) u16 weights.
///
/// Per column, one pass reads the voters' scores from the packed rows, and a second gives the rank
/// `sum_i floor(A_i * min(W_ij, C_j) / 2^32)` over the voters (a clipped weight is min(W, C): a weight
/// above C becomes C, or is dropped when C is 0, which adds the same 0; rows with A = 0 add nothing,
/// and they are exactly the non-voters). A median hint (one byte a column: 1 + the voter, in row order
/// among the members with A > 0, whose score is the median; 0 for none) is checked in that rank pass,
/// as the settlement checks its hints (`YumaEpochRunner._isMedian`): x is the median exactly when the
/// voters' stake scoring below x is at most `minority` (or none scores below) and the stake scoring
/// at most x exceeds it (or none scores above). A wrong or missing hint costs a quickselect
/// (`YumaEpoch.weightedMedianPacked`) and the rank pass again; it never changes the result.
library RootEpoch {
    /// @notice The most columns (active subnets) a root epoch takes: one presence word a row.
    uint256 internal constant MAX_COLUMNS = 256;
    /// @dev Lane masks for summing a word's 16 u16 lanes: the low half of every 32-, 64- and 128-bit field.
    uint256 private constant M32 = 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff;
    uint256 private constant M64 = 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff;
    uint256 private constant M128 = 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff;
    uint256 private constant U128 = 0xffffffffffffffffffffffffffffffff;

    /// @param columns The subnet columns, at most `MAX_COLUMNS`.
    /// @param stake Each member's stake (row order; any unit whose total stays below 2^192).
    /// @param lastUpdate Each member's last weights block (its registration block when it set none).
    /// @param words Row `r`'s words at `r * ceil(columns / 16) ..`.
    /// @param presence Row `r`'s presence word; bits at or past `columns` are ignored.
    /// @param activityCutoff Blocks after its last update before a member counts as inactive.
    /// @param currentBlock The block the epoch runs in.
    /// @param kappaU16 The consensus majority (u16 proportion).
    struct Input {
        uint256 columns;
        uint256[] stake;
        uint256[] lastUpdate;
        uint256[] words;
        uint256[] presence;
        uint256 activityCutoff;
        uint256 currentBlock;
        uint256 kappaU16;
    }

    /// @param hints One byte a column: 1 + the voter whose score is the column's median, 0 for none
    /// (missing bytes count as 0). They change the gas, never the result.
    /// @param recordHints Also return the hints of this epoch (for `quoteRootMedianHints`).
    struct Options {
        bytes hints;
        bool recordHints;
    }

    /// @notice More columns than one presence word holds.
    error TooManyColumns(uint256 columns, uint256 maximum);
    /// @notice The per-row vectors or the words do not match the row count.
    error RootInputShapeMismatch(uint256 rows, uint256 lastUpdates, uint256 presences, uint256 words);
    /// @notice `kappaU16` is above `u16::MAX`.
    error KappaAboveU16(uint256 kappaU16);

    /// @notice The subnets' incentive I (I32F32, `inplace_normalize`d ranks), one per column.
    /// @dev Rewrites `x.presence` in place (outdated rows emptied, bits past `columns` cleared).
    function incentive(Input memory x) internal pure returns (int256[] memory incentiveI32F32) {
        Options memory none;
        (incentiveI32F32, ) = incentive(x, none);
    }

    /// @notice `incentive(x)` with median hints; returns this epoch's hints when `o.recordHints`
    /// (else an empty `bytes`).
    function incentive(
        Input memory x,
        Options memory o
    ) internal pure returns (int256[] memory incentiveI32F32, bytes memory medianHints) {
        uint256 rows = x.stake.length;
        uint256 columns = x.columns;
        require(columns <= MAX_COLUMNS, TooManyColumns(columns, MAX_COLUMNS));
        require(x.kappaU16 <= type(uint16).max, KappaAboveU16(x.kappaU16));
        uint256 rowWords = (columns + 15) >> 4;
        if (x.lastUpdate.length != rows || x.presence.length != rows || x.words.length != rows * rowWords) {
            revert RootInputShapeMismatch(rows, x.lastUpdate.length, x.presence.length, x.words.length);
        }
        int256[] memory active = _activeStake(x);
        uint256[] memory rowSum = _maskRows(x, rowWords);
        (incentiveI32F32, medianHints) = _columns(_voters(x, active, rowSum, rowWords), columns, o);
        YumaEpoch.normalize(incentiveI32F32);
    }

    /// @dev Every column's rank (and hint, when recording).
    function _columns(
        Voters memory v,
        uint256 columns,
        Options memory o
    ) private pure returns (int256[] memory ranks, bytes memory medianHints) {
        ranks = new int256[](columns);
        medianHints = new bytes(o.recordHints ? columns : 0);
        if (v.count == 0) return (ranks, medianHints); // no voter: every median and rank is 0
        for (uint256 j = 0; j < columns; ++j) {
            uint256 hint = j < o.hints.length ? uint8(o.hints[j]) : 0;
            (int256 rank, uint256 used) = _column(v, j, hint, o.recordHints);
            ranks[j] = rank;
            if (o.recordHints) medianHints[j] = bytes1(uint8(used));
        }
    }

    /// @dev A (YUMA 2.3, 2.5): S = floor(floor(s * 2^64 / total) / 2^32), zeroed for members inactive
    /// past the cutoff (`last_update + cutoff < current`, saturating), then `inplace_normalize`.
    function _activeStake(Input memory x) private pure returns (int256[] memory active) {
        uint256 rows = x.stake.length;
        active = new int256[](rows);
        uint256 total;
        for (uint256 r = 0; r < rows; ++r) {
            total += x.stake[r];
        }
        if (total == 0) return active;
        uint256 cutoff = x.activityCutoff;
        for (uint256 r = 0; r < rows; ++r) {
            uint256 s = x.stake[r];
            uint256 updated = x.lastUpdate[r];
            bool inactive = updated <= type(uint256).max - cutoff && updated + cutoff < x.currentBlock;
            // Checked: the total must stay below 2^192, as in `YumaEpoch.stakeWeights`.
            if (s != 0 && !inactive) active[r] = int256(((s * 2 ** 64) / total) >> 32);
        }
        YumaEpoch.normalize(active);
    }

    /// @dev The weights masks (YUMA 2.6) and each row's sum in whole u16 units. A row whose member was
    /// last updated at block 0 is outdated against every column (registered at 0) and emptied.
    function _maskRows(Input memory x, uint256 rowWords) private pure returns (uint256[] memory rowSum) {
        uint256 rows = x.stake.length;
        uint256 columns = x.columns;
        rowSum = new uint256[](rows);
        uint256 columnMask = columns == 256 ? type(uint256).max : (uint256(1) << columns) - 1;
        for (uint256 r = 0; r < rows; ++r) {
            uint256 present = x.lastUpdate[r] == 0 ? 0 : x.presence[r] & columnMask;
            x.presence[r] = present;
            uint256 sum;
            uint256[] memory words = x.words;
            assembly ("memory-safe") {
                let at := add(add(words, 0x20), shl(5, mul(r, rowWords)))
                for {
                    let w := 0
                } lt(w, rowWords) {
                    w := add(w, 1)
                } {
                    let bits := and(shr(shl(4, w), present), 0xffff)
                    if iszero(bits) {
                        continue
                    }
                    let word := mload(add(at, shl(5, w)))
                    if eq(bits, 0xffff) {
                        // All 16 lanes: add them pairwise in 32-, 64-, 128- then 256-bit fields.
                        word := add(and(word, M32), and(shr(16, word), M32))
                        word := add(and(word, M64), and(shr(32, word), M64))
                        word := add(and(word, M128), and(shr(64, word), M128))
                        sum := add(sum, add(and(word, U128), shr(128, word)))
                        continue
                    }
                    for {
                        let l := 0
                    } bits {
                        l := add(l, 1)
                        bits := shr(1, bits)
                    } {
                        if and(bits, 1) {
                            sum := add(sum, and(shr(shl(4, l), word), 0xffff))
                        }
                    }
                }
            }
            rowSum[r] = sum;
        }
    }

    /// @dev The members with A > 0 (the voters), in row order. `records` holds three words a voter
    /// (`RECORD` bytes apart): the address of its row's first word, its presence word and its row sum.
    /// `stake` is each voter's re-normalised stake (for the median), `active` its A (for the ranks).
    /// `scores` holds the column being worked on, one score a voter; `buffer` is the quickselect's.
    struct Voters {
        uint256[] records;
        uint256[] stake;
        uint256[] active;
        uint256[] scores;
        uint256[] buffer;
        uint256 count;
        int256 minority;
    }

    uint256 private constant RECORD = 0x60;

    /// @dev The voters of the median: stake re-normalised by truncating `safe_div` by the plain sum,
    /// `minority = sum of the normalised stakes - kappa` (saturating), as `weightedMedianColSparse`.
    function _voters(
        Input memory x,
        int256[] memory active,
        uint256[] memory rowSum,
        uint256 rowWords
    ) private pure returns (Voters memory v) {
        uint256 rows = active.length;
        v.records = new uint256[](rows * 3);
        v.stake = new uint256[](rows);
        v.active = new uint256[](rows);
        int256 stakeSum;
        uint256 count;
        for (uint256 r = 0; r < rows; ++r) {
            if (active[r] <= 0) continue;
            v.records[3 * count] = _addressOf(x.words, r * rowWords);
            v.records[3 * count + 1] = x.presence[r];
            v.records[3 * count + 2] = rowSum[r];
            v.active[count] = uint256(active[r]);
            stakeSum += active[r];
            ++count;
        }
        int256 normalizedSum;
        for (uint256 t = 0; t < count; ++t) {
            int256 stake = FixedPoint.safeDiv(int256(v.active[t]), stakeSum);
            v.stake[t] = uint256(stake);
            normalizedSum += stake;
        }
        v.count = count;
        v.minority = FixedPoint.saturatingSub(normalizedSum, FixedPoint.fromU16Proportion(x.kappaU16));
        v.scores = new uint256[](count);
        v.buffer = new uint256[](count);
    }

    function _addressOf(uint256[] memory array, uint256 index) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := add(add(array, 0x20), shl(5, index))
        }
    }

    /// @dev Column `j`'s rank, and 1 + the first voter scoring its median (when `record`; else the
    /// hint when it held, 0 when it did not).
    function _column(
        Voters memory v,
        uint256 j,
        uint256 hint,
        bool record
    ) private pure returns (int256 rank, uint256 used) {
        _scores(v, j);
        if (hint != 0 && hint <= v.count) {
            bool held;
            (held, rank) = _checkHint(v, hint);
            if (held) return (rank, hint);
        }
        return _search(v, record);
    }

    /// @dev The median of the column in `v.scores` by quickselect (`weightedMedianPacked` on `score <<
    /// 128 | stake`), then its rank (and, when `record`, 1 + the first voter scoring it).
    function _search(Voters memory v, bool record) private pure returns (int256 rank, uint256 used) {
        uint256[] memory buffer = v.buffer;
        uint256[] memory scores = v.scores;
        uint256[] memory stake = v.stake;
        assembly ("memory-safe") {
            for {
                let at := 0x20
            } iszero(gt(at, shl(5, mload(buffer)))) {
                at := add(at, 0x20)
            } {
                mstore(add(buffer, at), or(shl(128, mload(add(scores, at))), mload(add(stake, at))))
            }
        }
        uint256 median = uint256(YumaEpoch.weightedMedianPacked(buffer, v.count, v.minority));
        return _rank(v, median, record);
    }

    /// @dev Column `j`'s scores into `v.scores`: a voter's normalised weight, `floor(w * 2^32 / row
    /// sum)` (a zero row keeps its zeros), or 0 when absent.
    function _scores(Voters memory v, uint256 j) private pure {
        uint256[] memory records = v.records;
        uint256[] memory scores = v.scores;
        assembly ("memory-safe") {
            let wordOffset := shl(5, shr(4, j))
            let lane := shl(4, and(j, 15))
            let rec := add(records, 0x20)
            let end := add(add(scores, 0x20), shl(5, mload(scores)))
            for {
                let at := add(scores, 0x20)
            } lt(at, end) {
                at := add(at, 0x20)
                rec := add(rec, RECORD)
            } {
                let s := 0
                if and(shr(j, mload(add(rec, 0x20))), 1) {
                    s := and(shr(lane, mload(add(mload(rec), wordOffset))), 0xffff)
                    let sum := mload(add(rec, 0x40))
                    if sum {
                        s := div(shl(32, s), sum)
                    }
                }
                mstore(at, s)
            }
        }
    }

    /// @dev Whether the hinted voter's score x is the median of the column in `v.scores`, in one pass,
    /// and the rank if so: x is the median exactly when the voters' stake scoring below it is at most
    /// `minority` (or none scores below) and the stake scoring at most x exceeds it (or none scores
    /// above).
    function _checkHint(Voters memory v, uint256 hint) private pure returns (bool held, int256 rank) {
        (uint256[] memory scores, uint256[] memory stake, uint256[] memory active) = (v.scores, v.stake, v.active);
        int256 minority = v.minority;
        assembly ("memory-safe") {
            let median := mload(add(scores, shl(5, hint)))
            let below := 0
            let upTo := 0
            let sides := 0 // bit 0: a score below x; bit 1: a score above
            for {
                let at := 0x20
            } iszero(gt(at, shl(5, mload(scores)))) {
                at := add(at, 0x20)
            } {
                let s := mload(add(scores, at))
                switch gt(s, median)
                case 1 {
                    sides := or(sides, 2)
                    rank := add(rank, shr(32, mul(mload(add(active, at)), median)))
                }
                default {
                    let voterStake := mload(add(stake, at))
                    upTo := add(upTo, voterStake)
                    rank := add(rank, shr(32, mul(mload(add(active, at)), s)))
                    if lt(s, median) {
                        below := add(below, voterStake)
                        sides := or(sides, 1)
                    }
                }
            }
            held := and(
                or(iszero(and(sides, 1)), iszero(sgt(below, minority))),
                or(iszero(and(sides, 2)), sgt(upTo, minority))
            )
        }
    }

    /// @dev The rank of the column in `v.scores` given its median, and (when `record`) 1 + the first
    /// voter scoring it.
    function _rank(Voters memory v, uint256 median, bool record) private pure returns (int256 rank, uint256 used) {
        (uint256[] memory scores, uint256[] memory active) = (v.scores, v.active);
        assembly ("memory-safe") {
            for {
                let at := 0x20
            } iszero(gt(at, shl(5, mload(scores)))) {
                at := add(at, 0x20)
            } {
                let s := mload(add(scores, at))
                if and(record, and(eq(s, median), iszero(used))) {
                    used := shr(5, at) // 1 + the voter
                }
                if gt(s, median) {
                    s := median
                }
                rank := add(rank, shr(32, mul(mload(add(active, at)), s)))
            }
        }
    }
}
