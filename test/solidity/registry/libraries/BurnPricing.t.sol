// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BurnPricing} from "../../../../contracts/libraries/BurnPricing.sol";

/// @notice `BurnPricing` against the exact curve `price x 2^(-elapsed / halfLife)`: exact at whole
/// half-lives, within 1e-5 relative elsewhere, and never below the exact value (it rounds up,
/// against the registrant).
/// @dev The reference is computed here in 36-digit fixed point, as `exp(-frac x ln 2)` by its Taylor
/// series: its error is below 1e-33 relative, far below what the assertions look at.
contract BurnPricingTest is Test {
    uint256 internal constant ONE_36 = 1e36;
    /// @dev floor(ln 2 x 1e36), from Python's `decimal` at 90 digits: `(Decimal(2).ln() * 10**36)`.
    uint256 internal constant LN2_36 = 693_147_180_559_945_309_417_232_121_458_176_568;

    // ---- decay: zero cases and whole half-lives ----

    function test_decay_identities() public pure {
        assertEq(BurnPricing.decay(123, 1_000, 0), 123, "a zero half-life means no decay");
        assertEq(BurnPricing.decay(123, 0, 10), 123);
        assertEq(BurnPricing.decay(0, 5, 10), 0);
        assertEq(BurnPricing.decay(type(uint256).max, 255 * 7, 7), 2, "255 halvings of 2^256 - 1, rounded up");
        assertEq(BurnPricing.decay(type(uint256).max, 256 * 7, 7), 0, "256 halvings: nothing left");
    }

    function test_decay_halvesExactlyAtWholeHalfLives() public pure {
        assertEq(BurnPricing.decay(100e18, 2_160, 2_160), 50e18);
        assertEq(BurnPricing.decay(100e18, 4_320, 2_160), 25e18);
        assertEq(BurnPricing.decay(0.126e18, 2_160, 2_160), 0.063e18);
        assertEq(BurnPricing.decay(3, 1, 1), 2, "1.5 rounds up");
        assertEq(BurnPricing.decay(1, 10, 1), 1, "any positive price stays at least 1 wei short of 256 halvings");
    }

    function testFuzz_decay_isExactAtWholeHalfLives(uint256 price, uint8 halvings, uint64 halfLife) public pure {
        halfLife = uint64(bound(halfLife, 1, type(uint64).max));
        uint256 elapsed = uint256(halvings) * halfLife;
        uint256 expected = price >> halvings;
        if (expected << halvings != price) expected += 1; // exact value, rounded up
        if (price == 0) expected = 0;
        assertEq(BurnPricing.decay(price, elapsed, halfLife), expected);
    }

    // ---- decay: fractional half-lives ----

    /// @dev Exact values at a few points, from Python's `decimal` at 90 digits:
    /// `Decimal(price) * Decimal(2) ** (-Decimal(elapsed) / Decimal(halfLife))`, rounded up.
    /// The last four have fractions with at most 20 binary digits, where the implementation takes
    /// no shortcut: only the rounding of its constants decides whether it stays above the curve.
    function test_decay_neverBelowExactAtKnownPoints() public pure {
        // 2^(-1/3) = 0.7937005259840997373758528196...
        _assertAboveAndClose(BurnPricing.decay(1e18, 1, 3), 793_700_525_984_099_738);
        // 100 TAO after 1,000 of 2,160 blocks: 72.549472866415634649070... TAO
        _assertAboveAndClose(BurnPricing.decay(100e18, 1_000, 2_160), 72_549_472_866_415_634_650);
        // One block of the default half-life: 2^(-1/2160) = 0.99967915001088888717...
        _assertAboveAndClose(BurnPricing.decay(1e18, 1, 2_160), 999_679_150_010_888_888);
        // 1,000,000 TAO (the MaxBurn bound) after half a half-life: 1e24 / sqrt(2).
        _assertAboveAndClose(BurnPricing.decay(1e24, 1, 2), 707_106_781_186_547_524_400_845);
        // ... after 5.5 default half-lives (11,880 blocks).
        _assertAboveAndClose(BurnPricing.decay(1e24, 11_880, 2_160), 22_097_086_912_079_610_137_527);
        // 2^(-3/4)
        _assertAboveAndClose(BurnPricing.decay(1e24, 3, 4), 594_603_557_501_360_533_358_750);
        // All twenty fraction bits set: 2^(-(1 - 2^-20)).
        _assertAboveAndClose(BurnPricing.decay(1e30, 2 ** 20 - 1, 2 ** 20), 500_000_330_518_441_037_104_414_463_026);
    }

    /// @dev Any price, elapsed and half-life in the registry's bounds (and beyond).
    function testFuzz_decay_closeToExactAndNeverBelow(uint256 price, uint256 elapsed, uint256 halfLife) public pure {
        price = bound(price, 1, 1e30);
        halfLife = bound(halfLife, 1, 1_000_000);
        elapsed = bound(elapsed, 1, 200 * halfLife);
        _assertMatchesReference(price, elapsed, halfLife);
    }

    /// @dev Half-lives that are powers of two make the fraction exact in 20 binary digits, so
    /// nothing but the constants' rounding separates the result from the exact curve.
    function testFuzz_decay_neverBelowExactWhenTheFractionIsExact(
        uint256 price,
        uint256 elapsed,
        uint8 log2HalfLife
    ) public pure {
        price = bound(price, 1e18, 1e30);
        uint256 halfLife = 1 << bound(log2HalfLife, 1, 20);
        elapsed = bound(elapsed, 1, 3 * halfLife);
        _assertMatchesReference(price, elapsed, halfLife);
    }

    function testFuzz_decay_neverRisesWithTime(uint256 price, uint256 a, uint256 b, uint256 halfLife) public pure {
        price = bound(price, 0, 1e30);
        halfLife = bound(halfLife, 1, 216_600);
        a = bound(a, 0, 300 * halfLife);
        b = bound(b, a, 300 * halfLife);
        assertGe(BurnPricing.decay(price, a, halfLife), BurnPricing.decay(price, b, halfLife));
        assertLe(BurnPricing.decay(price, a, halfLife), price);
    }

    /// @dev Decaying twice in steps is decaying once over the sum, up to the rounding of each step
    /// (which only ever rounds up).
    function testFuzz_decay_stepsCompose(uint256 price, uint256 a, uint256 b, uint256 halfLife) public pure {
        price = bound(price, 1e15, 1e30);
        halfLife = bound(halfLife, 1, 216_600);
        a = bound(a, 0, 4 * halfLife);
        b = bound(b, 0, 4 * halfLife);
        uint256 inSteps = BurnPricing.decay(BurnPricing.decay(price, a, halfLife), b, halfLife);
        uint256 atOnce = BurnPricing.decay(price, a + b, halfLife);
        assertApproxEqRel(inSteps, atOnce, 2e-6 * 1e18);
    }

    // ---- bump and clamp ----

    function test_bump_multipliesAndRoundsUp() public pure {
        assertEq(BurnPricing.bump(0.1e18, 1.26e18), 0.126e18);
        assertEq(BurnPricing.bump(100e18, 1e18), 100e18);
        assertEq(BurnPricing.bump(1, 1.26e18), 2);
        assertEq(BurnPricing.bump(0, 10e18), 0);
        assertEq(BurnPricing.bump(3, 1.5e18), 5, "4.5 rounds up");
    }

    function testFuzz_bump_isCeilOfProduct(uint128 price, uint64 multWad) public pure {
        uint256 expected = Math.mulDiv(price, multWad, 1e18);
        if (mulmod(price, multWad, 1e18) != 0) expected += 1;
        assertEq(BurnPricing.bump(price, multWad), expected);
    }

    function test_clamp() public pure {
        assertEq(BurnPricing.clamp(5, 1, 10), 5);
        assertEq(BurnPricing.clamp(0, 1, 10), 1);
        assertEq(BurnPricing.clamp(11, 1, 10), 10);
        assertEq(BurnPricing.clamp(5, 7, 3), 7, "crossed bounds: the floor wins");
    }

    function testFuzz_clamp_staysWithinOrderedBounds(uint256 value, uint256 lo, uint256 hi) public pure {
        hi = bound(hi, lo, type(uint256).max);
        uint256 clamped = BurnPricing.clamp(value, lo, hi);
        assertGe(clamped, lo);
        assertLe(clamped, hi);
        if (value >= lo && value <= hi) assertEq(clamped, value);
    }

    // ---- reference ----

    function _assertAboveAndClose(uint256 actual, uint256 exactRoundedUp) internal pure {
        assertGe(actual, exactRoundedUp, "below the exact curve");
        assertApproxEqRel(actual, exactRoundedUp, 1e13, "more than 1e-5 from the exact curve");
    }

    function _assertMatchesReference(uint256 price, uint256 elapsed, uint256 halfLife) internal pure {
        uint256 halvings = elapsed / halfLife;
        uint256 actual = BurnPricing.decay(price, elapsed, halfLife);
        uint256 ideal = Math.mulDiv(price, _exp2Neg36(elapsed % halfLife, halfLife), ONE_36) >> halvings;
        // The reference is within 1e-33 relative (plus the flooring of the last two steps, 2 wei) of
        // the exact value, so "not below exact" reads: not below the reference minus that slack.
        uint256 slack = 2 + ideal / 1e30;
        assertGe(actual + slack, ideal, "below the exact curve");
        // 1e-5 relative, or for tiny prices the 21 wei the shift and the 20 roundings up may add.
        assertLe(actual, ideal + ideal / 1e5 + 21, "more than 1e-5 above the exact curve");
    }

    /// @dev 2^(-numerator / denominator) for numerator < denominator, in 36-digit fixed point:
    /// exp(-y), y = numerator x ln 2 / denominator < 0.7, by its Taylor series until the terms vanish
    /// (about 30 of them). Each term and y are floored, so the error is below 1e-34.
    function _exp2Neg36(uint256 numerator, uint256 denominator) internal pure returns (uint256) {
        uint256 y = Math.mulDiv(numerator, LN2_36, denominator);
        uint256 positive = ONE_36;
        uint256 negative;
        uint256 term = ONE_36;
        for (uint256 n = 1; term != 0; ++n) {
            term = Math.mulDiv(term, y, ONE_36 * n);
            if (n % 2 == 1) negative += term;
            else positive += term;
        }
        return positive - negative;
    }
}
