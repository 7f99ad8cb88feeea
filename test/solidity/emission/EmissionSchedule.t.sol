// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {EmissionSchedule} from "../../../contracts/libraries/EmissionSchedule.sol";

/// @notice The schedule's pure functions, against numbers written out by hand: Bittensor emits 1 TAO
/// per 12 s until 10.5M TAO, then halves at 15.75M, 18.375M, ... Each era takes 126,000,000 s.
contract EmissionScheduleTest is Test {
    uint256 internal constant CAP = 21_000_000e18;
    uint256 internal constant T0 = 10_500_000e18;
    uint256 internal constant T1 = 15_750_000e18;
    uint256 internal constant T2 = 18_375_000e18;
    uint256 internal constant T3 = 19_687_500e18;
    /// @dev Seconds one full era lasts: 10.5M TAO at 1 TAO per 12 s, and every later era halves both.
    uint256 internal constant ERA_SECONDS = 126_000_000;

    // ---- constants and thresholds ----

    function test_constants_matchBittensor() public pure {
        assertEq(EmissionSchedule.CAP, CAP);
        assertEq(EmissionSchedule.SECONDS_PER_TAO_AT_START, 12);
        assertEq(EmissionSchedule.thresholdOf(0), T0);
        assertEq(EmissionSchedule.thresholdOf(1), T1);
        assertEq(EmissionSchedule.thresholdOf(2), T2);
        assertEq(EmissionSchedule.thresholdOf(3), T3);
        assertEq(EmissionSchedule.thresholdOf(EmissionSchedule.MAX_ERA - 1), CAP - 1);
        assertEq(EmissionSchedule.thresholdOf(EmissionSchedule.MAX_ERA), CAP);
        assertEq(EmissionSchedule.thresholdOf(type(uint256).max), CAP);
    }

    function test_ratePerSecond_isOneTaoPerTwelveSecondsAtZero() public pure {
        assertEq(EmissionSchedule.eraOf(0), 0);
        assertEq(EmissionSchedule.ratePerSecond(0), uint256(1e18) / 12);
        assertEq(EmissionSchedule.ratePerSecond(0), 83_333_333_333_333_333);
    }

    function test_eraOf_changesExactlyAtEachThreshold() public pure {
        uint256[3] memory thresholds = [T0, T1, T2];
        for (uint256 k = 0; k < thresholds.length; ++k) {
            uint256 t = thresholds[k];
            assertEq(EmissionSchedule.eraOf(t - 1), k, "one wei below");
            assertEq(EmissionSchedule.eraOf(t), k + 1, "at threshold");
            assertEq(EmissionSchedule.ratePerSecond(t - 1), uint256(1e18) / (12 << k), "rate below");
            assertEq(EmissionSchedule.ratePerSecond(t), uint256(1e18) / (12 << (k + 1)), "rate at");
        }
        assertEq(EmissionSchedule.ratePerSecond(T0), 41_666_666_666_666_666);
        assertEq(EmissionSchedule.ratePerSecond(T1), 20_833_333_333_333_333);
        assertEq(EmissionSchedule.ratePerSecond(T2), 10_416_666_666_666_666);
    }

    function test_eraOf_pastTheCapEmitsNothing() public pure {
        assertEq(EmissionSchedule.eraOf(CAP - 1), EmissionSchedule.MAX_ERA);
        assertEq(EmissionSchedule.eraOf(CAP), EmissionSchedule.MAX_ERA + 1);
        assertEq(EmissionSchedule.eraOf(type(uint256).max), EmissionSchedule.MAX_ERA + 1);
        assertEq(EmissionSchedule.ratePerSecond(CAP), 0);
        assertEq(EmissionSchedule.accrue(CAP, 1e12), 0);
        assertEq(EmissionSchedule.accrue(CAP + 1, 1e12), 0);
    }

    function testFuzz_eraOf_isMonotone(uint256 a, uint256 b) public pure {
        a = bound(a, 0, CAP);
        b = bound(b, a, CAP);
        assertLe(EmissionSchedule.eraOf(a), EmissionSchedule.eraOf(b));
        assertGe(EmissionSchedule.ratePerSecond(a), EmissionSchedule.ratePerSecond(b));
    }

    // ---- accrue at the thresholds ----

    function test_accrue_zeroElapsedIsZero() public pure {
        assertEq(EmissionSchedule.accrue(0, 0), 0);
        assertEq(EmissionSchedule.accrue(T0 - 1, 0), 0);
    }

    function test_accrue_withinFirstEraIsElapsedOverTwelve() public pure {
        assertEq(EmissionSchedule.accrue(0, 1), 83_333_333_333_333_333);
        assertEq(EmissionSchedule.accrue(0, 12), 1e18);
        assertEq(EmissionSchedule.accrue(0, 1 days), 7_200e18);
        assertEq(EmissionSchedule.accrue(0, ERA_SECONDS - 1), T0 - 83_333_333_333_333_334);
    }

    function test_accrue_eachEraLastsOneHundredTwentySixMillionSeconds() public pure {
        assertEq(EmissionSchedule.accrue(0, ERA_SECONDS), T0);
        assertEq(EmissionSchedule.accrue(T0, ERA_SECONDS), T1 - T0);
        assertEq(EmissionSchedule.accrue(T1, ERA_SECONDS), T2 - T1);
        assertEq(EmissionSchedule.accrue(T2, ERA_SECONDS), T3 - T2);
    }

    function test_accrue_oneWeiBelowEachThresholdCrossesIntoTheNextEra() public pure {
        uint256[3] memory thresholds = [T0, T1, T2];
        for (uint256 k = 0; k < thresholds.length; ++k) {
            uint256 divisor = 12 << k;
            // One second: the last wei of era k costs `divisor` of the second's 1e18 budget, the rest
            // is spent at the next era's rate.
            assertEq(EmissionSchedule.accrue(thresholds[k] - 1, 1), 1 + (1e18 - divisor) / (divisor * 2), "one second");
            assertEq(EmissionSchedule.accrue(thresholds[k], 1), 1e18 / (divisor * 2), "at threshold");
            // Too short to reach it: nothing crosses.
            assertEq(EmissionSchedule.accrue(thresholds[k] - 1e18, 1), 1e18 / divisor, "below");
        }
    }

    function test_accrue_acrossOneThresholdEqualsSumOfEraParts() public pure {
        // From 0, one era and a day: all of era 0 plus a day at half the rate.
        assertEq(EmissionSchedule.accrue(0, ERA_SECONDS + 1 days), T0 + 3_600e18);
        // From the middle of era 0: its remaining 0.5M TAO take 6M s; the other 1M s run at era 1.
        assertEq(EmissionSchedule.accrue(T0 - 500_000e18, 7_000_000), 500_000e18 + uint256(1_000_000e18) / 24);
    }

    function test_accrue_acrossSeveralThresholdsEqualsSumOfEraParts() public pure {
        assertEq(EmissionSchedule.accrue(0, 3 * ERA_SECONDS), T2);
        assertEq(EmissionSchedule.accrue(0, 3 * ERA_SECONDS + 96), T2 + 1e18);
        // From 5M TAO: 5.5M in 66M s (era 0), 5.25M in 126M s (era 1), then 1,000 s at 1/48 TAO per second.
        assertEq(
            EmissionSchedule.accrue(5_000_000e18, 66_000_000 + ERA_SECONDS + 1_000),
            (T1 - 5_000_000e18) + uint256(1_000e18) / 48
        );
    }

    /// @dev Reference: the exact piecewise-linear schedule over eras 0..2, in a budget of
    /// wei x seconds-per-TAO, rounded down once at the end.
    function _reference(uint256 issuance, uint256 elapsed) internal pure returns (uint256 amount) {
        uint256[3] memory thresholds = [T0, T1, T2];
        uint256 budget = elapsed * 1e18;
        for (uint256 k = 0; k < 3; ++k) {
            if (issuance >= thresholds[k]) continue;
            uint256 room = thresholds[k] - issuance;
            uint256 cost = room * (12 << k);
            if (budget < cost) return amount + budget / (12 << k);
            amount += room;
            issuance += room;
            budget -= cost;
        }
        // Only an interval ending exactly at the end of era 2 gets here.
        require(budget == 0, "reference covers eras 0..2 only");
    }

    function testFuzz_accrue_equalsSumOfPerEraParts(uint256 issuance, uint256 elapsed) public pure {
        issuance = bound(issuance, 0, T2 - 1);
        // Long enough to cross up to three thresholds, short enough to stay out of era 3.
        uint256 maxElapsed = (T0 > issuance ? ((T0 - issuance) * 12) / 1e18 : 0) + 2 * ERA_SECONDS;
        if (issuance >= T0) maxElapsed = (T1 > issuance ? ((T1 - issuance) * 24) / 1e18 : 0) + ERA_SECONDS;
        if (issuance >= T1) maxElapsed = ((T2 - issuance) * 48) / 1e18;
        elapsed = bound(elapsed, 0, maxElapsed);
        assertEq(EmissionSchedule.accrue(issuance, elapsed), _reference(issuance, elapsed));
    }

    // ---- accrue: cap, monotonicity, splitting ----

    function testFuzz_accrue_neverPassesCap(uint256 issuance, uint256 elapsed) public pure {
        issuance = bound(issuance, 0, CAP);
        elapsed = bound(elapsed, 0, 1e12);
        uint256 amount = EmissionSchedule.accrue(issuance, elapsed);
        assertLe(issuance + amount, CAP);
    }

    function testFuzz_accrue_isMonotoneInElapsed(uint256 issuance, uint256 elapsed, uint256 extra) public pure {
        issuance = bound(issuance, 0, CAP);
        elapsed = bound(elapsed, 0, 1e12);
        extra = bound(extra, 0, 1e12);
        assertLe(EmissionSchedule.accrue(issuance, elapsed), EmissionSchedule.accrue(issuance, elapsed + extra));
    }

    function testFuzz_accrue_isMonotoneInStartingIssuance(uint256 low, uint256 high, uint256 elapsed) public pure {
        low = bound(low, 0, CAP);
        high = bound(high, low, CAP);
        elapsed = bound(elapsed, 0, 1e12);
        // Starting later on the schedule never ends it ahead.
        assertLe(high + EmissionSchedule.accrue(high, elapsed), CAP);
        assertLe(low + EmissionSchedule.accrue(low, elapsed), high + EmissionSchedule.accrue(high, elapsed) + 1);
    }

    function testFuzz_accrue_splitNeverYieldsMoreThanOneAccrual(
        uint256 issuance,
        uint256 first,
        uint256 second
    ) public pure {
        issuance = bound(issuance, 0, CAP);
        first = bound(first, 0, 1e12);
        second = bound(second, 0, 1e12);
        uint256 once = EmissionSchedule.accrue(issuance, first + second);
        uint256 a = EmissionSchedule.accrue(issuance, first);
        uint256 b = EmissionSchedule.accrue(issuance + a, second);
        assertLe(a + b, once, "split yields more");
        assertLe(once - (a + b), 2, "split loses more than a few wei");
    }

    /// @dev The split lands one sub-wei short of a threshold, then crosses it: the worst case for
    /// rounding at an era boundary.
    function testFuzz_accrue_splitJustBeforeThresholdLosesAtMostAFewWei(uint256 era, uint256 second) public pure {
        era = bound(era, 0, 5);
        second = bound(second, 1, 1e10);
        uint256 start = EmissionSchedule.thresholdOf(era) - 1e18; // 12 << era seconds before the threshold
        uint256 divisor = 12 << era;
        for (uint256 first = divisor - 1; first <= divisor; ++first) {
            uint256 once = EmissionSchedule.accrue(start, first + second);
            uint256 a = EmissionSchedule.accrue(start, first);
            uint256 b = EmissionSchedule.accrue(start + a, second);
            assertLe(a + b, once, "split yields more");
            assertLe(once - (a + b), 2, "split loses more than a few wei");
        }
    }

    function test_accrue_splitAfterOneSecondFromGenesisLosesAtMostAFewWei() public pure {
        uint256 once = EmissionSchedule.accrue(0, ERA_SECONDS + 1_000);
        uint256 a = EmissionSchedule.accrue(0, 1);
        uint256 b = EmissionSchedule.accrue(a, ERA_SECONDS + 999);
        assertLe(a + b, once);
        assertLe(once - (a + b), 2);
    }

    function testFuzz_accrue_manyStepsLoseAtMostAFewWeiPerStep(uint256 issuance, uint256 seed) public pure {
        issuance = bound(issuance, 0, CAP);
        uint256 steps = 1 + (seed % 24);
        uint256 total;
        uint256 elapsed;
        for (uint256 i = 0; i < steps; ++i) {
            uint256 dt = uint256(keccak256(abi.encode(seed, i))) % 50_000_000;
            uint256 step = EmissionSchedule.accrue(issuance + total, dt);
            total += step;
            elapsed += dt;
        }
        uint256 once = EmissionSchedule.accrue(issuance, elapsed);
        assertLe(total, once);
        assertLe(once - total, 2 * steps);
    }

    // ---- the long run ----

    function test_accrue_convergesJustBelowCap() public pure {
        // A century (25 eras of 4 years) leaves less than one TAO to emit, and something still left.
        uint256 century = EmissionSchedule.accrue(0, 100 * 365 days);
        assertLt(century, CAP);
        assertLt(CAP - century, 1e18);
        // Eighty-four eras leave a few wei.
        uint256 eras84 = EmissionSchedule.accrue(0, 84 * ERA_SECONDS);
        assertLt(eras84, CAP);
        assertLe(CAP - eras84, 2);
        // 31,700 years reach the cap and stop there.
        assertEq(EmissionSchedule.accrue(0, 1e12), CAP);
        assertEq(EmissionSchedule.accrue(CAP - 1, 1e12), 1);
    }

    function testFuzz_accrue_longRunEndsWithinAWeiOfCap(uint256 issuance, uint256 elapsed) public pure {
        issuance = bound(issuance, 0, CAP);
        elapsed = bound(elapsed, 86 * ERA_SECONDS, 1e12);
        uint256 amount = EmissionSchedule.accrue(issuance, elapsed);
        assertLe(issuance + amount, CAP);
        assertGe(issuance + amount, CAP - 1);
    }
}
