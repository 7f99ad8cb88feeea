// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Roles
/// @notice The AccessManager role ids of taonet. Every privileged function of every contract is
/// gated by the one AccessManager; `docs/roles.md` has the matrix of role, functions and holder.
/// @dev Functions that are not mapped to a role default to the AccessManager's ADMIN_ROLE (0),
/// which the TimelockController (and so the Governor) holds.
library Roles {
    /// @notice The AccessManager's built-in admin: the governance timelock.
    uint64 internal constant ADMIN = 0;
    /// @notice Mints accrued emission and pays rewards into stake pools: the Yuma settlement.
    uint64 internal constant SETTLEMENT = 1;
    /// @notice Slashes stake pools and freezes hotkeys under dispute: the Slashing contract.
    uint64 internal constant SLASHER = 2;
    /// @notice Accepts or rejects disputes: governance's arbitrator (a council, or the timelock).
    uint64 internal constant ARBITRATOR = 3;
    /// @notice Sets the subnets' emission shares from the root epoch: the RootNetwork contract.
    uint64 internal constant ROOT_NETWORK = 4;
}
