// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {YumaEpoch} from "../../../contracts/libraries/YumaEpoch.sol";
import {FixedPoint} from "../../../contracts/libraries/FixedPoint.sol";

/// @dev Exposes library reverts to `vm.expectRevert`.
contract YumaPrimitivesHarness {
    function weightedMedianColSparse(
        int256[] memory activeStake,
        int256[][] memory rows,
        uint256[] memory rowUids,
        int256 kappa
    ) external pure returns (int256[] memory) {
        return YumaEpoch.weightedMedianColSparse(activeStake, rows, rowUids, kappa);
    }

    function weightedMedianColumn(
        int256[] memory scores,
        int256[] memory stakes,
        uint256 count,
        int256 minority
    ) external pure returns (int256) {
        return YumaEpoch.weightedMedianColumn(scores, stakes, count, minority);
    }
}

/// @notice The epoch's building blocks against hand-computed values (I32F32 bits; 1.0 = 2^32).
contract YumaEpochPrimitivesTest is Test {
    int256 internal constant ONE = 1 << 32;
    int256 internal constant HALF = 1 << 31;
    int256 internal constant ABSENT = -1;

    // =====================================================================================
    // Weighted median
    // =====================================================================================

    function _median(int256[] memory scores, int256[] memory stakes, int256 minority) internal pure returns (int256) {
        return YumaEpoch.weightedMedianColumn(scores, stakes, scores.length, minority);
    }

    function _three(int256 a, int256 b, int256 c) internal pure returns (int256[] memory v) {
        v = new int256[](3);
        (v[0], v[1], v[2]) = (a, b, c);
    }

    function test_weightedMedian_equalStakesPickTheMiddle() public pure {
        // Scores 0.1, 0.2, 0.3 with 1/3 each, minority 0.5: F(0.1) = 1/3 <= 0.5 < F(0.2) = 2/3.
        int256 third = ONE / 3;
        int256 m = _median(_three(ONE / 10, ONE / 5, (3 * ONE) / 10), _three(third, third, third), HALF);
        assertEq(m, ONE / 5);
    }

    function test_weightedMedian_heavyStakeWins() public pure {
        // 0.9 with stake 0.6, 0.1 and 0.2 with 0.2 each: F(0.2) = 0.4 <= 0.5, F(0.9) = 1 > 0.5.
        int256 m = _median(_three((9 * ONE) / 10, ONE / 10, ONE / 5), _three((6 * ONE) / 10, ONE / 5, ONE / 5), HALF);
        assertEq(m, (9 * ONE) / 10);
    }

    function test_weightedMedian_cumulativeEqualToMinorityIsNotEnough() public pure {
        // Stakes 1/4, 1/4, 1/2 on scores 1, 2, 3 and minority exactly 1/2: F(2) = 1/2 is not > 1/2,
        // so the median is 3 (subtensor's `hi - stake(upper) <= minority` goes up on equality).
        int256 m = _median(_three(ONE, 2 * ONE, 3 * ONE), _three(ONE / 4, ONE / 4, ONE / 2), HALF);
        assertEq(m, 3 * ONE);
        // One bit less minority and F(2) exceeds it.
        m = _median(_three(ONE, 2 * ONE, 3 * ONE), _three(ONE / 4, ONE / 4, ONE / 2), HALF - 1);
        assertEq(m, 2 * ONE);
    }

    function test_weightedMedian_tiesCountTogether() public pure {
        // Two validators at 0.5 (1/4 each) and one at 0.1 (1/2): F(0.1) = 1/2 <= 1/2, F(0.5) = 1.
        int256 m = _median(_three(HALF, ONE / 10, HALF), _three(ONE / 4, ONE / 2, ONE / 4), HALF);
        assertEq(m, HALF);
    }

    function test_weightedMedian_negativeMinorityGivesTheMinimum() public pure {
        int256 m = _median(_three(3 * ONE, ONE, 2 * ONE), _three(ONE / 3, ONE / 3, ONE / 3), -1);
        assertEq(m, ONE);
    }

    function test_weightedMedian_minorityAtTheTotalGivesTheMaximum() public pure {
        // kappa = 0: minority = sum, no cumulative stake exceeds it, subtensor ends on the maximum.
        int256[] memory stakes = _three(ONE / 4, ONE / 4, ONE / 2);
        int256 m = _median(_three(3 * ONE, ONE, 2 * ONE), stakes, ONE);
        assertEq(m, 3 * ONE);
    }

    function test_weightedMedian_emptyAndSingle() public pure {
        assertEq(YumaEpoch.weightedMedianColumn(new int256[](0), new int256[](0), 0, HALF), 0);
        int256[] memory one = new int256[](1);
        one[0] = 7;
        assertEq(YumaEpoch.weightedMedianColumn(one, one, 1, HALF), 7);
        assertEq(YumaEpoch.weightedMedianColumn(one, one, 1, -ONE), 7);
    }

    function test_weightedMedianColumn_revertsOnNegativeInput() public {
        YumaPrimitivesHarness harness = new YumaPrimitivesHarness();
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.MedianInputOutOfRange.selector, 1));
        harness.weightedMedianColumn(_three(1, -1, 1), _three(1, 1, 1), 3, 0);
    }

    /// @dev The library's in-place selection against a literal port of subtensor's `weighted_median`
    /// and against the closed form, on small columns with many ties and zero stakes.
    function testFuzz_weightedMedian_matchesQuickselectAndClosedForm(
        uint256 seed,
        uint256 count,
        int256 minority
    ) public pure {
        count = bound(count, 0, 12);
        minority = bound(minority, -ONE / 4, ONE + ONE / 4);
        int256[] memory scores = new int256[](count);
        int256[] memory stakes = new int256[](count);
        for (uint256 t = 0; t < count; ++t) {
            uint256 h = uint256(keccak256(abi.encode(seed, t)));
            // Five score levels (ties are common), or a free value.
            scores[t] = h % 3 == 0 ? int256((h >> 8) % uint256(ONE)) : int256((h >> 8) % 5) * (ONE / 4);
            stakes[t] = (h >> 64) % 7 == 0 ? int256(0) : int256((h >> 96) % uint256(ONE / 4));
        }
        int256 literal = _subtensorWeightedMedian(stakes, scores, minority);
        int256 closed = _closedForm(stakes, scores, minority);
        assertEq(literal, closed, "port vs closed form");
        int256[] memory scoresCopy = _copy(scores);
        int256[] memory stakesCopy = _copy(stakes);
        assertEq(YumaEpoch.weightedMedianColumn(scoresCopy, stakesCopy, count, minority), literal, "library");
    }

    struct Split {
        uint256[] lower;
        uint256[] upper;
        int256 loStake;
        int256 hiStake;
    }

    /// @dev subtensor `math.rs::weighted_median` as written: idx partitions, pivot `score[idx[len/2]]`,
    /// pivot-equal entries dropped from both sides, saturating stake bounds, iteration limit.
    function _subtensorWeightedMedian(
        int256[] memory stake,
        int256[] memory score,
        int256 minority
    ) internal pure returns (int256) {
        uint256 len = stake.length;
        uint256[] memory current = new uint256[](len);
        int256 hi;
        for (uint256 i = 0; i < len; ++i) {
            current[i] = i;
            hi += stake[i];
        }
        int256 lo = 0;
        for (uint256 iterations = 0; iterations <= len; ++iterations) {
            if (current.length == 0) return 0;
            if (current.length == 1) return score[current[0]];
            int256 pivot = score[current[current.length / 2]];
            Split memory split = _split(stake, score, current, pivot);
            if (minority < FixedPoint.saturatingAdd(lo, split.loStake) && split.lower.length > 0) {
                current = split.lower;
                hi = FixedPoint.saturatingAdd(lo, split.loStake);
            } else if (FixedPoint.saturatingSub(hi, split.hiStake) <= minority && split.upper.length > 0) {
                current = split.upper;
                lo = FixedPoint.saturatingSub(hi, split.hiStake);
            } else {
                return pivot;
            }
        }
        return 0; // subtensor's iteration limit (never reached: every step drops the pivot)
    }

    function _split(
        int256[] memory stake,
        int256[] memory score,
        uint256[] memory current,
        int256 pivot
    ) internal pure returns (Split memory split) {
        uint256 n = current.length;
        uint256[] memory lower = new uint256[](n);
        uint256[] memory upper = new uint256[](n);
        uint256 lowerCount;
        uint256 upperCount;
        for (uint256 t = 0; t < n; ++t) {
            uint256 idx = current[t];
            if (score[idx] == pivot) continue;
            if (score[idx] < pivot) {
                split.loStake = FixedPoint.saturatingAdd(split.loStake, stake[idx]);
                lower[lowerCount++] = idx;
            } else {
                split.hiStake = FixedPoint.saturatingAdd(split.hiStake, stake[idx]);
                upper[upperCount++] = idx;
            }
        }
        split.lower = _prefix(lower, lowerCount);
        split.upper = _prefix(upper, upperCount);
    }

    /// @dev O(k^2): the smallest observed score whose cumulative stake exceeds the minority; the
    /// largest score when none does; 0 for none.
    function _closedForm(int256[] memory stake, int256[] memory score, int256 minority) internal pure returns (int256) {
        uint256 k = score.length;
        if (k == 0) return 0;
        bool found;
        int256 best;
        int256 maxScore = score[0];
        for (uint256 t = 0; t < k; ++t) {
            if (score[t] > maxScore) maxScore = score[t];
            int256 cumulative;
            for (uint256 u = 0; u < k; ++u) {
                if (score[u] <= score[t]) cumulative += stake[u];
            }
            if (cumulative > minority && (!found || score[t] < best)) {
                found = true;
                best = score[t];
            }
        }
        return found ? best : maxScore;
    }

    function _prefix(uint256[] memory a, uint256 count) internal pure returns (uint256[] memory b) {
        b = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            b[i] = a[i];
        }
    }

    function _copy(int256[] memory a) internal pure returns (int256[] memory b) {
        b = new int256[](a.length);
        for (uint256 i = 0; i < a.length; ++i) {
            b[i] = a[i];
        }
    }

    // ---- column-wise ----

    /// @dev Five uids; validators 0, 1, 2 with A = 0.5, 0.25, 0.25 (uid 3 has no stake, no row).
    /// Column 3: scores 0.6, 0.2, 0.9: F(0.2) = 0.25, F(0.6) = 0.75 > 0.5 -> 0.6. Column 4: uid 0 has
    /// no entry (scores 0), 1.0, 0.3: F(0) = 0.5 is not > 0.5, F(0.3) = 0.75 -> 0.3. Columns nobody
    /// weights: all scores 0 -> 0.
    function test_weightedMedianColSparse_absentEntriesScoreZero() public pure {
        int256[] memory a = new int256[](5);
        (a[0], a[1], a[2]) = (HALF, ONE / 4, ONE / 4);
        uint256[] memory rowUids = new uint256[](3);
        (rowUids[0], rowUids[1], rowUids[2]) = (0, 1, 2);
        int256[][] memory rows = new int256[][](3);
        for (uint256 r = 0; r < 3; ++r) {
            rows[r] = new int256[](5);
            for (uint256 j = 0; j < 5; ++j) {
                rows[r][j] = ABSENT;
            }
        }
        (rows[0][3], rows[1][3], rows[2][3]) = ((6 * ONE) / 10, ONE / 5, (9 * ONE) / 10);
        (rows[1][4], rows[2][4]) = (ONE, (3 * ONE) / 10);
        int256[] memory c = YumaEpoch.weightedMedianColSparse(a, rows, rowUids, HALF);
        assertEq(c[0], 0);
        assertEq(c[1], 0);
        assertEq(c[2], 0);
        assertEq(c[3], (6 * ONE) / 10);
        assertEq(c[4], (3 * ONE) / 10);
    }

    function test_weightedMedianColSparse_noVotersGivesZero() public pure {
        int256[] memory c = YumaEpoch.weightedMedianColSparse(
            new int256[](3),
            new int256[][](0),
            new uint256[](0),
            HALF
        );
        assertEq(c.length, 3);
        assertEq(c[0] | c[1] | c[2], 0);
    }

    function test_weightedMedianColSparse_revertsWhenAStakedUidHasNoRow() public {
        YumaPrimitivesHarness harness = new YumaPrimitivesHarness();
        int256[] memory a = new int256[](2);
        a[1] = ONE;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.PermittedUidWithoutRow.selector, 1));
        harness.weightedMedianColSparse(a, new int256[][](0), new uint256[](0), HALF);
    }

    // =====================================================================================
    // Clip and interpolation
    // =====================================================================================

    function test_clip_capsAtConsensusOrDrops() public pure {
        int256 w = (7 * ONE) / 10;
        assertEq(YumaEpoch.clip(w, HALF), HALF); // above consensus: capped
        assertEq(YumaEpoch.clip(w, 0), ABSENT); // above a zero consensus: dropped
        assertEq(YumaEpoch.clip(ONE / 4, HALF), ONE / 4); // below: kept
        assertEq(YumaEpoch.clip(HALF, HALF), HALF); // equal: kept
        assertEq(YumaEpoch.clip(0, 0), 0); // an explicit zero stays present
        assertEq(YumaEpoch.clip(ABSENT, HALF), ABSENT);
    }

    function test_interpolate_betaZeroAndOneKeepEntriesAsTheyAre() public pure {
        assertEq(YumaEpoch.interpolate(0, 0, 0), 0); // W, zero kept
        assertEq(YumaEpoch.interpolate(ONE, HALF, 0), ONE);
        assertEq(YumaEpoch.interpolate(ONE, HALF, ONE), HALF); // Wc
        assertEq(YumaEpoch.interpolate(ONE, ABSENT, ONE), ABSENT); // clipped away
        assertEq(YumaEpoch.interpolate(0, 0, ONE), 0);
    }

    function test_interpolate_midBetaFloorsAndDropsNonPositive() public pure {
        // 1.0 + 0.5 * (0.5 - 1.0) = 0.75.
        assertEq(YumaEpoch.interpolate(ONE, HALF, HALF), (3 * ONE) / 4);
        // 3 bits + floor(0.5 * -3 bits) = 3 - 2 = 1 bit (floor, not truncation).
        assertEq(YumaEpoch.interpolate(3, ABSENT, HALF), 1);
        // 1 bit + floor(0.5 * -1 bit) = 0: not kept.
        assertEq(YumaEpoch.interpolate(1, ABSENT, HALF), ABSENT);
        // An explicit zero is dropped when 0 < beta < 1.
        assertEq(YumaEpoch.interpolate(0, 0, HALF), ABSENT);
    }

    // =====================================================================================
    // EMAs
    // =====================================================================================

    function test_disabledLiquidAlpha_isOneMinusBmaOverAMillion() public pure {
        // 1 - floor(floor(0.9 * 2^64) / 2^32) / 2^32 = 1 - 3865470566 / 2^32.
        assertEq(YumaEpoch.disabledLiquidAlpha(900_000), 429_496_730);
        assertEq(YumaEpoch.disabledLiquidAlpha(975_000), 107_374_183);
        assertEq(YumaEpoch.disabledLiquidAlpha(500_000), HALF);
        assertEq(YumaEpoch.disabledLiquidAlpha(0), ONE);
        assertEq(YumaEpoch.disabledLiquidAlpha(1_000_000), 0);
        assertEq(YumaEpoch.disabledLiquidAlpha(2_000_000), -ONE);
    }

    function test_emaSparse_mixesAndDropsNonPositive() public pure {
        int256 alpha = 429_496_730; // bma 900000
        int256 oneMinus = ONE - alpha; // 3865470566
        assertEq(YumaEpoch.emaSparse(ONE, ABSENT, alpha, oneMinus), alpha);
        assertEq(YumaEpoch.emaSparse(ABSENT, ONE, alpha, oneMinus), oneMinus);
        assertEq(YumaEpoch.emaSparse(ONE, ONE, alpha, oneMinus), ONE);
        // floor(0.1 * 0.5) + floor(0.9 * 0.25) = 214748365 + 966367641.
        assertEq(YumaEpoch.emaSparse(HALF, ONE / 4, alpha, oneMinus), 214_748_365 + 966_367_641);
        assertEq(YumaEpoch.emaSparse(ABSENT, ABSENT, alpha, oneMinus), ABSENT);
        assertEq(YumaEpoch.emaSparse(0, 0, alpha, oneMinus), ABSENT);
        assertEq(YumaEpoch.emaSparse(1, ABSENT, alpha, oneMinus), ABSENT); // floor(0.1 bit) = 0
    }

    function test_emaAlphaSparse_onlyNewColumnsAndCappedAtOne() public pure {
        int256 alpha = (3 * ONE) / 10;
        // A column absent from the new weights is dropped, not decayed.
        assertEq(YumaEpoch.emaAlphaSparse(ABSENT, ONE, alpha), ABSENT);
        // An explicit zero weight keeps the decay: floor(0.7 * 0.5).
        assertEq(YumaEpoch.emaAlphaSparse(0, HALF, alpha), ((ONE - alpha) * HALF) >> 32);
        // (1 - a) * 1 + a * 1 = 1 exactly; (1 - a) * 1 + a * 1.5 > 1 is capped.
        assertEq(YumaEpoch.emaAlphaSparse(ONE, ONE, alpha), ONE);
        assertEq(YumaEpoch.emaAlphaSparse(ONE + HALF, ONE, alpha), ONE);
        // New bond on a fresh column: a * w.
        assertEq(YumaEpoch.emaAlphaSparse(HALF, ABSENT, alpha), (alpha * HALF) >> 32);
        assertEq(YumaEpoch.emaAlphaSparse(0, ABSENT, alpha), ABSENT);
    }

    // =====================================================================================
    // Liquid alpha sigmoid
    // =====================================================================================

    function _defaultSigmoid() internal pure returns (YumaEpoch.AlphaSigmoidParams memory) {
        // AlphaValues (45875, 58982) ~ (0.7, 0.9); steepness 1000 -> slope -10.
        return YumaEpoch.alphaSigmoidParams(45_875, 58_982, 1_000);
    }

    function test_alphaSigmoidParams_convertsBoundsAndSlope() public pure {
        YumaEpoch.AlphaSigmoidParams memory s = _defaultSigmoid();
        assertEq(s.lowI32F32, 3_006_509_875);
        assertEq(s.highI32F32, 3_865_503_334);
        assertEq(s.slopeI32F32, -10 * ONE);
        assertEq(YumaEpoch.alphaSigmoidParams(0, 0, 1).slopeI32F32, -42_949_672); // -0.01, truncated
    }

    function test_alphaSigmoid_atHalfDistanceIsTheMidpoint() public pure {
        // W >= B, d = W - C = 0.5 -> x = 0 -> exp 1 -> sigma 0.5 exactly:
        // alpha = low + floor(0.5 * (high - low)) = 3006509875 + 429496729.
        assertEq(YumaEpoch.alphaSigmoid(HALF, ONE, 0, _defaultSigmoid()), 3_436_006_604);
    }

    function test_alphaSigmoid_buyingFarAboveConsensusApproachesHigh() public pure {
        // d = 1 -> x = -10 * 0.5 = -5 -> exp_safe(-5) = 28939262 bits -> sigma = 2^64 / (2^32 +
        // 28939262) = 4266221720 -> alpha = low + floor(sigma * (high - low)) = 3859754218 (0.8987).
        assertEq(YumaEpoch.alphaSigmoid(0, ONE, 0, _defaultSigmoid()), 3_859_754_218);
    }

    function test_alphaSigmoid_sellingUsesBondMinusWeight() public pure {
        // W = 0.2 < B = 0.9: d = B - W -> x = -8590262270 bits -> exp 581216270 -> sigma 3783029048.
        int256 w = FixedPoint.fromU16Proportion(13_107);
        int256 b = FixedPoint.fromU16Proportion(58_982);
        assertEq(YumaEpoch.alphaSigmoid(0, w, b, _defaultSigmoid()), 3_763_115_684);
    }

    function test_alphaSigmoid_zeroSteepnessIsTheMidpoint() public pure {
        assertEq(YumaEpoch.alphaSigmoid(0, ONE, 0, YumaEpoch.alphaSigmoidParams(45_875, 58_982, 0)), 3_436_006_604);
    }

    function test_alphaSigmoid_lowAboveHighGivesLow() public pure {
        // clamp_value is min(high) then max(low): with low > high the result is low.
        YumaEpoch.AlphaSigmoidParams memory s = YumaEpoch.alphaSigmoidParams(58_982, 45_875, 1_000);
        assertEq(YumaEpoch.alphaSigmoid(HALF, ONE, 0, s), s.lowI32F32);
    }

    function testFuzz_alphaSigmoid_staysWithinBounds(int256 c, int256 w, int256 b, uint256 steep) public pure {
        c = bound(c, 0, ONE);
        w = bound(w, 0, ONE);
        b = bound(b, 0, ONE);
        YumaEpoch.AlphaSigmoidParams memory s = YumaEpoch.alphaSigmoidParams(
            1_638,
            65_535,
            int256(bound(steep, 0, 32_767))
        );
        int256 alpha = YumaEpoch.alphaSigmoid(c, w, b, s);
        assertGe(alpha, s.lowI32F32);
        assertLe(alpha, s.highI32F32);
    }

    // =====================================================================================
    // Stake, permits, normalisation
    // =====================================================================================

    function test_stakeWeights_normalisesInI64F64ThenFloors() public pure {
        uint256[] memory stake = new uint256[](4);
        (stake[0], stake[1], stake[2], stake[3]) = (1e18, 1e18, 1e18, 0);
        int256[] memory s = YumaEpoch.stakeWeights(stake, 0);
        // floor(floor(2^64 / 3) / 2^32) = 1431655765 each.
        assertEq(s[0], 1_431_655_765);
        assertEq(s[1], 1_431_655_765);
        assertEq(s[2], 1_431_655_765);
        assertEq(s[3], 0);
    }

    function test_stakeWeights_thresholdZeroesSmallStakes() public pure {
        uint256[] memory stake = new uint256[](3);
        (stake[0], stake[1], stake[2]) = (3e18, 1e18, 999);
        int256[] memory s = YumaEpoch.stakeWeights(stake, 1e18);
        assertEq(s[0], (3 * ONE) / 4); // 3/4 exactly
        assertEq(s[1], ONE / 4);
        assertEq(s[2], 0);
        s = YumaEpoch.stakeWeights(stake, 1e19); // nothing passes: all zero, no division
        assertEq(s[0] | s[1] | s[2], 0);
    }

    function test_stakeWeights_unitDoesNotMatter() public pure {
        uint256[] memory rao = new uint256[](3);
        (rao[0], rao[1], rao[2]) = (7e9, 11e9, 13e9);
        uint256[] memory wei_ = new uint256[](3);
        (wei_[0], wei_[1], wei_[2]) = (7e18, 11e18, 13e18);
        int256[] memory a = YumaEpoch.stakeWeights(rao, 0);
        int256[] memory b = YumaEpoch.stakeWeights(wei_, 0);
        for (uint256 i = 0; i < 3; ++i) {
            assertEq(a[i], b[i]);
        }
    }

    function _values(int256 a, int256 b, int256 c, int256 d) internal pure returns (int256[] memory v) {
        v = new int256[](4);
        (v[0], v[1], v[2], v[3]) = (a, b, c, d);
    }

    function test_isTopkNonzero_tiesTurnOffTheLowerUidFirst() public pure {
        // Stable ascending sort: [uid3 (0), uid0, uid1, uid2]; the first n - k = 2 are turned off.
        bool[] memory p = YumaEpoch.isTopkNonzero(_values(5, 5, 5, 0), 2);
        assertFalse(p[0]);
        assertTrue(p[1]);
        assertTrue(p[2]);
        assertFalse(p[3]);
    }

    function test_isTopkNonzero_byValueThenUid() public pure {
        bool[] memory p = YumaEpoch.isTopkNonzero(_values(9, 3, 7, 7), 2);
        assertTrue(p[0]);
        assertFalse(p[1]);
        assertFalse(p[2]); // 7 at uid 2 loses the tie to uid 3
        assertTrue(p[3]);
    }

    function test_isTopkNonzero_zeroStakeNeverPermittedAndSmallNetworks() public pure {
        bool[] memory p = YumaEpoch.isTopkNonzero(_values(5, 0, 3, 0), 10); // n < k: just S != 0
        assertTrue(p[0]);
        assertFalse(p[1]);
        assertTrue(p[2]);
        assertFalse(p[3]);
        p = YumaEpoch.isTopkNonzero(_values(5, 0, 3, 1), 4); // n == k: nothing turned off
        assertTrue(p[3]);
        p = YumaEpoch.isTopkNonzero(_values(5, 0, 3, 1), 0); // k == 0: none
        assertFalse(p[0] || p[1] || p[2] || p[3]);
    }

    function testFuzz_isTopkNonzero_matchesStableSortCount(uint256 seed, uint256 k) public pure {
        uint256 n = 12;
        k = bound(k, 0, 14);
        int256[] memory v = new int256[](n);
        for (uint256 i = 0; i < n; ++i) {
            v[i] = int256(uint256(keccak256(abi.encode(seed, i))) % 4); // many ties
        }
        bool[] memory p = YumaEpoch.isTopkNonzero(v, k);
        for (uint256 i = 0; i < n; ++i) {
            // Position of uid i in the stable ascending sort.
            uint256 rank;
            for (uint256 j = 0; j < n; ++j) {
                if (v[j] < v[i] || (v[j] == v[i] && j < i)) ++rank;
            }
            bool expected = v[i] != 0 && (n < k || rank >= n - k);
            assertEq(p[i], expected);
        }
    }

    function test_normalize_truncatesAndSkipsZeroSum() public pure {
        int256[] memory v = _values(ONE, ONE, ONE, 0);
        YumaEpoch.normalize(v);
        assertEq(v[0], 1_431_655_765);
        assertEq(v[3], 0);
        int256[] memory z = _values(0, 0, 0, 0);
        YumaEpoch.normalize(z);
        assertEq(z[0], 0);
        int256[] memory u = _values(ONE, 3 * ONE, 0, 0);
        YumaEpoch.normalizeUsingSum(u, 8 * ONE);
        assertEq(u[0], ONE / 8);
        assertEq(u[1], (3 * ONE) / 8);
    }
}
