// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title LockCost
/// @notice The TAO a coldkey locks to create a subnet: subtensor's `get_network_lock_cost`. Each
/// creation doubles the last lock, which then decays linearly back toward the floor over the
/// reduction interval: `max(minLock, m * lastLock - lastLock / interval * blocksSince)`, with
/// `m = 2` after the first creation and `m = 1` before it.
/// @dev Integer steps as subtensor's: `lastLock / interval` rounds down first (so the decay per block
/// is rounded down and the lock a creator pays is never below the formula's exact value), and the
/// subtraction saturates at zero before the floor applies.
library LockCost {
    function lockCost(
        uint256 lastLock,
        uint256 lastLockBlock,
        uint256 minLock,
        uint256 interval,
        uint256 blockNumber
    ) internal pure returns (uint256 cost) {
        uint256 multiplied = lastLockBlock == 0 ? lastLock : lastLock * 2;
        uint256 perBlock = interval == 0 ? 0 : lastLock / interval;
        uint256 since = blockNumber > lastLockBlock ? blockNumber - lastLockBlock : 0;
        uint256 reduction = perBlock * since;
        cost = reduction >= multiplied ? 0 : multiplied - reduction;
        if (cost < minLock) cost = minLock;
    }
}
