// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title EmissionSchedule
/// @notice Bittensor's issuance schedule as pure functions of total issuance, in seconds of chain
/// time instead of 12-second blocks.
/// @dev Bittensor emits 1 TAO per 12 s block while issuance is below 10.5M TAO and halves the rate
/// each time issuance crosses the next threshold `CAP - CAP / 2^(era+1)`: 10.5M, 15.75M, 18.375M, ...
/// (subtensor `get_block_emission_for_issuance`: `floor(log2(1 / (1 - issuance / 21M)))` halvings).
/// Here the rate of era `e` is `1e18 / (12 * 2^e)` wei per second. Amounts are computed for a whole
/// interval at once and rounded down once, so a caller accruing in many small steps loses at most a
/// wei or two per step: rounding is always against issuance, never beyond the cap.
library EmissionSchedule {
    /// @notice The hard cap on TAO ever issued, in wei (21,000,000 TAO with 18 decimals).
    uint256 internal constant CAP = 21_000_000e18;

    /// @notice Seconds per Bittensor block: the era-0 rate is 1 TAO per this many seconds.
    uint256 internal constant SECONDS_PER_TAO_AT_START = 12;

    /// @notice Eras past this one emit nothing: `CAP >> (MAX_ERA + 1)` is zero, so the last
    /// threshold equals the cap.
    uint256 internal constant MAX_ERA = 84;

    /// @notice The halving era for an issuance: the number of thresholds it has reached.
    /// @dev Loops at most `MAX_ERA + 1` times. For `issuance >= CAP` returns `MAX_ERA + 1`.
    function eraOf(uint256 issuance) internal pure returns (uint256 era) {
        if (issuance >= CAP) return MAX_ERA + 1;
        while (issuance >= thresholdOf(era)) {
            // Cannot overflow: the loop stops at MAX_ERA, where the threshold equals CAP > issuance.
            unchecked {
                ++era;
            }
        }
    }

    /// @notice The issuance at which era `era` ends and the rate halves: `CAP - CAP / 2^(era+1)`.
    function thresholdOf(uint256 era) internal pure returns (uint256) {
        if (era >= MAX_ERA) return CAP;
        return CAP - (CAP >> (era + 1));
    }

    /// @notice Emission rate in wei per second at an issuance, rounded down (informational: the
    /// accrual itself uses `accrue`, which rounds once per interval, not once per second).
    function ratePerSecond(uint256 issuance) internal pure returns (uint256) {
        uint256 era = eraOf(issuance);
        if (era > MAX_ERA) return 0;
        return 1e18 / (SECONDS_PER_TAO_AT_START << era);
    }

    /// @notice TAO (wei) emitted by the schedule over `elapsed` seconds starting at `issuance`,
    /// crossing as many halving thresholds as the interval covers.
    /// @dev The interval is a budget of `elapsed * 1e18` wei-seconds-per-TAO: era `era` spends
    /// `12 * 2^era` of it per wei. Within an era the amount is `floor(budget / (12 * 2^era))`, capped
    /// at what is left of the era. When an era fills, exactly the budget its remaining wei cost is
    /// spent and the rest carries into the next era. (Charging whole seconds instead, rounded up,
    /// would drop up to a second of the next era's emission at every boundary an accrual crosses.)
    /// The only rounding is the final floor, so the result is the exact schedule rounded down, and
    /// accruing an interval in two parts yields at most a few wei less than in one, never more.
    /// The result never takes `issuance` past `CAP`. At most `MAX_ERA + 1` iterations.
    function accrue(uint256 issuance, uint256 elapsed) internal pure returns (uint256 amount) {
        uint256 budget = elapsed * 1e18;
        while (budget != 0 && issuance < CAP) {
            uint256 era = eraOf(issuance);
            if (era > MAX_ERA) break;
            uint256 divisor = SECONDS_PER_TAO_AT_START << era;
            uint256 room = thresholdOf(era) - issuance;
            uint256 full = budget / divisor;
            if (full < room) {
                amount += full;
                break;
            }
            // The era fills inside the interval: take what is left of it and spend exactly its cost.
            amount += room;
            issuance += room;
            // Cannot underflow: `room <= full = floor(budget / divisor)`, so `room * divisor <= budget`.
            unchecked {
                budget -= room * divisor;
            }
        }
    }
}
