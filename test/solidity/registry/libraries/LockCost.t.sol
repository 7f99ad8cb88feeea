// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {LockCost} from "../../../../contracts/libraries/LockCost.sol";

/// @notice `LockCost.lockCost` against subtensor's `get_network_lock_cost`, by hand and by a
/// line-for-line transcription of the Rust.
contract LockCostTest is Test {
    uint256 internal constant RAO_PER_TAO = 1e9;

    /// @dev subtensor mainnet units: 1,000 TAO (1e12 rao) locked, a 14-day interval of 100,800
    /// 12 s blocks. floor(1e12 / 100,800) = 9,920,634 rao a block; after 50,400 blocks the
    /// reduction is 9,920,634 x 50,400 = 499,999,953,600 rao.
    function test_lockCost_matchesSubtensorByHand() public pure {
        uint256 last = 1_000 * RAO_PER_TAO;
        assertEq(LockCost.lockCost(last, 7, last, 100_800, 7), 2e12, "doubled at the creation block");
        assertEq(LockCost.lockCost(last, 7, last, 100_800, 8), 2e12 - 9_920_634);
        assertEq(LockCost.lockCost(last, 7, last, 100_800, 7 + 50_400), 1_500_000_046_400);
        assertEq(LockCost.lockCost(last, 7, last, 100_800, 7 + 100_800), 1_000_000_092_800, "rounding keeps it above");
        assertEq(LockCost.lockCost(last, 7, last, 100_800, 7 + 100_801), 1e12, "the floor");
        assertEq(LockCost.lockCost(last, 7, last, 100_800, 7 + 10_000_000), 1e12);
    }

    function test_lockCost_beforeAnyCreationDoesNotDouble() public pure {
        assertEq(LockCost.lockCost(1_000e18, 0, 1_000e18, 1_000, 0), 1_000e18);
        // m = 1, decaying from block 0: 2,000 - 2 x 500 = 1,000.
        assertEq(LockCost.lockCost(2_000e18, 0, 500e18, 1_000, 500), 1_000e18);
        assertEq(LockCost.lockCost(2_000e18, 0, 500e18, 1_000, 10_000), 500e18);
    }

    function test_lockCost_decaysLinearlyByWholeRoundedDownSteps() public pure {
        // 1,000 / 3 = 333 a block, so three blocks take 999.
        assertEq(LockCost.lockCost(1_000, 10, 0, 3, 10), 2_000);
        assertEq(LockCost.lockCost(1_000, 10, 0, 3, 11), 1_667);
        assertEq(LockCost.lockCost(1_000, 10, 0, 3, 13), 1_001);
        assertEq(LockCost.lockCost(1_000, 10, 0, 3, 16), 2);
        assertEq(LockCost.lockCost(1_000, 10, 0, 3, 17), 0, "saturates at zero with no floor");
        assertEq(LockCost.lockCost(1_000, 10, 0, 3, 1_000), 0);
    }

    function test_lockCost_edgeCases() public pure {
        assertEq(LockCost.lockCost(1_000, 10, 0, 0, 1_000), 2_000, "no interval: no decay");
        assertEq(LockCost.lockCost(1_000, 10, 0, 2_000, 1_000), 2_000, "interval above the lock: 0 a block");
        assertEq(LockCost.lockCost(1_000, 10, 0, 3, 5), 2_000, "a block before the last lock counts as none");
        assertEq(LockCost.lockCost(1_000, 10, 5_000, 3, 10), 5_000, "a floor above twice the lock");
        assertEq(LockCost.lockCost(0, 10, 7, 3, 10), 7);
    }

    function testFuzz_lockCost_matchesSubtensor(
        uint128 lastLock,
        uint64 lastLockBlock,
        uint128 minLock,
        uint64 interval,
        uint64 blockNumber
    ) public pure {
        assertEq(
            LockCost.lockCost(lastLock, lastLockBlock, minLock, interval, blockNumber),
            _subtensor(lastLock, lastLockBlock, minLock, interval, blockNumber)
        );
    }

    function testFuzz_lockCost_neverRisesWithTimeAndStaysWithinRange(
        uint128 lastLock,
        uint64 lastLockBlock,
        uint128 minLock,
        uint64 interval,
        uint32 a,
        uint32 b
    ) public pure {
        vm.assume(lastLockBlock != 0);
        (uint256 early, uint256 late) = a < b ? (a, b) : (b, a);
        uint256 costEarly = LockCost.lockCost(
            lastLock,
            lastLockBlock,
            minLock,
            interval,
            uint256(lastLockBlock) + early
        );
        uint256 costLate = LockCost.lockCost(lastLock, lastLockBlock, minLock, interval, uint256(lastLockBlock) + late);
        assertGe(costEarly, costLate);
        assertGe(costLate, minLock);
        assertLe(costEarly, _max(2 * uint256(lastLock), minLock));
        assertEq(
            LockCost.lockCost(lastLock, lastLockBlock, minLock, interval, lastLockBlock),
            _max(2 * uint256(lastLock), minLock)
        );
    }

    /// @dev subtensor's `get_network_lock_cost`, transcribed: `mult = if last_lock_block == 0 { 1 }
    /// else { 2 }; last_lock.saturating_mul(mult).saturating_sub(last_lock.safe_div(interval)
    /// .saturating_mul(current_block.saturating_sub(last_lock_block)))`, then `max(min_lock)`.
    function _subtensor(
        uint256 lastLock,
        uint256 lastLockBlock,
        uint256 minLock,
        uint256 interval,
        uint256 current
    ) internal pure returns (uint256 cost) {
        uint256 mult = lastLockBlock == 0 ? 1 : 2;
        uint256 perBlock = interval == 0 ? 0 : lastLock / interval; // safe_div: x / 0 = 0
        uint256 blocks = current > lastLockBlock ? current - lastLockBlock : 0;
        uint256 reduction = perBlock * blocks;
        uint256 multiplied = lastLock * mult;
        cost = multiplied > reduction ? multiplied - reduction : 0;
        if (cost < minLock) cost = minLock;
    }

    function _max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }
}
