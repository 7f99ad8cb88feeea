// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {FixedPoint} from "../../../contracts/libraries/FixedPoint.sol";

/// @dev Exposes the division panic of `saturatingDiv` to `vm.expectRevert`.
contract FixedPointHarness {
    function saturatingDiv(int256 a, int256 b) external pure returns (int256) {
        return FixedPoint.saturatingDiv(a, b);
    }
}

/// @notice substrate-fixed I32F32 semantics against values worked out by hand: products floor
/// (toward negative infinity), quotients truncate (toward zero), `safe_div` gives 0 on zero and on
/// overflow, and `exp` is the truncated Taylor series of substrate-fixed v0.6.0.
contract FixedPointTest is Test {
    int256 internal constant ONE = 1 << 32;
    int256 internal constant MAX = type(int64).max;
    int256 internal constant MIN = type(int64).min;

    // ---- multiplication ----

    function test_saturatingMul_floorsTowardNegativeInfinity() public pure {
        // 3 bits * 0.5 = 1.5 bits -> 1; -3 bits * 0.5 = -1.5 bits -> -2 (not -1: an arithmetic shift).
        assertEq(FixedPoint.saturatingMul(3, ONE / 2), 1);
        assertEq(FixedPoint.saturatingMul(-3, ONE / 2), -2);
        assertEq(FixedPoint.saturatingMul(ONE / 2, ONE / 2), ONE / 4);
        assertEq(FixedPoint.saturatingMul(3 * ONE, -2 * ONE), -6 * ONE);
    }

    function test_saturatingMul_clampsAtTheI64Range() public pure {
        assertEq(FixedPoint.saturatingMul(MAX, 2 * ONE), MAX);
        assertEq(FixedPoint.saturatingMul(MAX, -2 * ONE), MIN);
    }

    function test_checkedMul_failsOnOverflow() public pure {
        (bool ok, int256 product) = FixedPoint.checkedMul(ONE / 2, 6 * ONE);
        assertTrue(ok);
        assertEq(product, 3 * ONE);
        (ok, ) = FixedPoint.checkedMul(1 << 62, 4 * ONE);
        assertFalse(ok);
    }

    // ---- addition ----

    function test_saturatingAddSub_clamp() public pure {
        assertEq(FixedPoint.saturatingAdd(MAX, 1), MAX);
        assertEq(FixedPoint.saturatingAdd(ONE, ONE), 2 * ONE);
        assertEq(FixedPoint.saturatingSub(MIN, 1), MIN);
        assertEq(FixedPoint.saturatingSub(ONE, 2 * ONE), -ONE);
    }

    // ---- division ----

    function test_safeDiv_truncatesTowardZero() public pure {
        // 1/3 = floor(2^32 / 3) = 1431655765; -1/3 truncates to -1431655765 (floor would give ...766).
        assertEq(FixedPoint.safeDiv(ONE, 3 * ONE), 1_431_655_765);
        assertEq(FixedPoint.safeDiv(-ONE, 3 * ONE), -1_431_655_765);
        assertEq(FixedPoint.safeDiv(ONE, -3 * ONE), -1_431_655_765);
        assertEq(FixedPoint.safeDiv(7 * ONE, 2 * ONE), (7 * ONE) / 2);
    }

    function test_safeDiv_zeroDivisorGivesZero() public pure {
        assertEq(FixedPoint.safeDiv(ONE, 0), 0);
        assertEq(FixedPoint.safeDiv(0, 0), 0);
    }

    function test_safeDiv_overflowGivesZero() public pure {
        // MAX / (1 bit) is 2^32 * MAX: out of range, so checked_div fails and safe_div gives 0.
        assertEq(FixedPoint.safeDiv(MAX, 1), 0);
        assertEq(FixedPoint.safeDiv(MIN, 1), 0);
        (bool ok, ) = FixedPoint.checkedDiv(MAX, 1);
        assertFalse(ok);
    }

    function test_saturatingDiv_clampsAndPanicsOnZero() public {
        assertEq(FixedPoint.saturatingDiv(MAX, 1), MAX);
        assertEq(FixedPoint.saturatingDiv(MAX, -1), MIN);
        assertEq(FixedPoint.saturatingDiv(1000 * ONE, -100 * ONE), -10 * ONE);
        FixedPointHarness harness = new FixedPointHarness();
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x12));
        harness.saturatingDiv(ONE, 0);
    }

    // ---- u16 conversions ----

    function test_fromU16Proportion_isFlooredDivisionBy65535() public pure {
        assertEq(FixedPoint.fromU16Proportion(0), 0);
        assertEq(FixedPoint.fromU16Proportion(65_535), ONE);
        assertEq(FixedPoint.fromU16Proportion(1), 65_537); // 2^32 / 65535 = 65537.0000153
        assertEq(FixedPoint.fromU16Proportion(32_767), 2_147_450_879); // kappa 0.4999923...
    }

    function test_toU16Proportion_floorsAndClamps() public pure {
        assertEq(FixedPoint.toU16Proportion(ONE), 65_535);
        assertEq(FixedPoint.toU16Proportion(ONE / 2), 32_767); // floor(65535 / 2)
        assertEq(FixedPoint.toU16Proportion(65_537), 0); // 65537 * 65535 = 2^32 - 1: just below 1
        assertEq(FixedPoint.toU16Proportion(65_538), 1);
        assertEq(FixedPoint.toU16Proportion(2 * ONE), 65_535);
        assertEq(FixedPoint.toU16Proportion(MAX), 65_535);
        assertEq(FixedPoint.toU16Proportion(-5), 0);
    }

    /// @dev Both directions floor, so a stored u16 read as a proportion and written back can lose one
    /// unit (1344 -> 1343), as in subtensor; it never gains one.
    function testFuzz_u16Proportion_roundTripLosesAtMostOne(uint16 value) public pure {
        uint256 back = FixedPoint.toU16Proportion(FixedPoint.fromU16Proportion(value));
        assertLe(back, value);
        assertGe(back + 1, value);
    }

    function test_u16Proportion_roundTripLosesOneAt1344() public pure {
        assertEq(FixedPoint.toU16Proportion(FixedPoint.fromU16Proportion(1344)), 1343);
        assertEq(FixedPoint.toU16Proportion(FixedPoint.fromU16Proportion(65_535)), 65_535);
    }

    // ---- exp ----

    function test_exp_specialCasesZeroAndOne() public pure {
        (bool ok, int256 e) = FixedPoint.exp(0);
        assertTrue(ok);
        assertEq(e, ONE);
        (ok, e) = FixedPoint.exp(ONE);
        assertTrue(ok);
        assertEq(e, 22_802_600 << 9); // substrate-fixed's I9F23 constant E = floor(e * 2^23)
        assertEq(e, 11_674_931_200);
    }

    function test_exp_minusOneUsesTheSeriesNotE() public pure {
        // exp(-1) = 1 / series(1), where series(1) = 1 + 1 + 1/2 + ... (floored terms) = 11674931549
        // bits, not E = 11674931200 bits. 2^64 / 11674931549 = 1580030169 (truncated).
        (bool ok, int256 e) = FixedPoint.exp(-ONE);
        assertTrue(ok);
        assertEq(e, 1_580_030_169);
        assertEq(e, (ONE << 32) / 11_674_931_549);
    }

    function test_exp_truncatedSeriesValues() public pure {
        _assertExp(2 * ONE, 31_735_754_285); // 7.389056097 (true 7.389056099)
        _assertExp(-2 * ONE, 581_260_615); // 0.135335283
        _assertExp(ONE / 2, 7_081_203_935); // 1.648721270
        _assertExp(-ONE / 2, 2_605_029_348);
        _assertExp(5 * ONE, 637_429_664_624);
        _assertExp(-5 * ONE, 28_939_262);
        // At 20 the 30 terms fall short: 481,239,357.67 instead of 485,165,195.41.
        _assertExp(20 * ONE, 2_066_907_302_758_576_256);
        _assertExp(-20 * ONE, 8); // 1.86e-9 (true 2.06e-9)
    }

    function test_exp_overflowsPastTwenty() public pure {
        // At 21 the product term * x = 21^21 / 20! ~ 2.4e9 leaves the i64 integer range.
        (bool ok, ) = FixedPoint.exp(21 * ONE);
        assertFalse(ok);
        (ok, ) = FixedPoint.exp(MIN);
        assertFalse(ok);
    }

    function test_expSafe_clampsToTwenty() public pure {
        assertEq(FixedPoint.expSafe(0), ONE);
        assertEq(FixedPoint.expSafe(ONE), 11_674_931_200);
        assertEq(FixedPoint.expSafe(-ONE), 1_580_030_169);
        assertEq(FixedPoint.expSafe(20 * ONE), 2_066_907_302_758_576_256);
        assertEq(FixedPoint.expSafe(-20 * ONE), 8);
        assertEq(FixedPoint.expSafe(21 * ONE), 2_066_907_302_758_576_256);
        assertEq(FixedPoint.expSafe(-21 * ONE), 8);
        assertEq(FixedPoint.expSafe(MAX), 2_066_907_302_758_576_256);
        assertEq(FixedPoint.expSafe(MIN), 8);
    }

    /// @dev expSafe runs an unrolled, unchecked copy of the series: it must equal the checked `exp`.
    function testFuzz_expSafe_equalsExpInsideTheClamp(int256 x) public pure {
        x = bound(x, -20 * ONE, 20 * ONE);
        (bool ok, int256 e) = FixedPoint.exp(x);
        assertTrue(ok);
        assertEq(FixedPoint.expSafe(x), e);
    }

    function _assertExp(int256 x, int256 expected) internal pure {
        (bool ok, int256 e) = FixedPoint.exp(x);
        assertTrue(ok);
        assertEq(e, expected);
        assertEq(FixedPoint.expSafe(x), expected);
    }
}
