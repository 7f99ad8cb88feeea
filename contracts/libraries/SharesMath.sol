// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SharesMath
/// @notice Conversions between a pool's assets (TAO wei) and its shares, with virtual shares and
/// a virtual asset so that nobody can inflate the share price of a young pool.
/// @dev Every pool behaves as if it always held `VIRTUAL_ASSETS` more wei and `VIRTUAL_SHARES`
/// more shares than it does (OpenZeppelin's ERC-4626 offset defence, ERC4626.sol, with a decimals
/// offset of 6). An attacker who donates `d` to a pool to round a victim's shares down loses
/// about `d * VIRTUAL_SHARES / (shares + VIRTUAL_SHARES)` of it to the virtual holder, which makes
/// the attack cost far more than it can steal. Both directions round down: a staker gets at most
/// the shares its assets buy and at most the assets its shares are worth (rounding against the user).
library SharesMath {
    uint256 internal constant VIRTUAL_SHARES = 1e6;
    uint256 internal constant VIRTUAL_ASSETS = 1;

    /// @notice Shares bought by `assets`, rounded down.
    function toShares(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    /// @notice Assets redeemed by `shares`, rounded down.
    function toAssets(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }
}
