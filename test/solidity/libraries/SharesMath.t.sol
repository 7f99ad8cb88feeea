// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {SharesMath} from "../../../contracts/libraries/SharesMath.sol";

/// @notice The share conversions both round down, against the user, with a virtual offset of
/// 1e6 shares per virtual wei.
contract SharesMathTest is Test {
    function test_emptyPool_pricesOneWeiAtVirtualShares() public pure {
        assertEq(SharesMath.toShares(1, 0, 0), 1e6);
        assertEq(SharesMath.toShares(5e18, 0, 0), 5e24);
        assertEq(SharesMath.toAssets(5e24, 5e18, 5e24), 5e18);
    }

    function testFuzz_roundTrip_neverCreatesAssets(
        uint256 assets,
        uint256 totalAssets,
        uint256 totalShares
    ) public pure {
        totalAssets = bound(totalAssets, 0, 21_000_000e18);
        totalShares = bound(totalShares, 0, 21_000_000e24);
        assets = bound(assets, 0, 21_000_000e18);
        uint256 shares = SharesMath.toShares(assets, totalAssets, totalShares);
        uint256 back = SharesMath.toAssets(shares, totalAssets + assets, totalShares + shares);
        assertLe(back, assets);
    }

    function testFuzz_toShares_roundsDown(uint256 assets, uint256 totalAssets, uint256 totalShares) public pure {
        totalAssets = bound(totalAssets, 0, 21_000_000e18);
        totalShares = bound(totalShares, 0, 21_000_000e24);
        assets = bound(assets, 0, 21_000_000e18);
        uint256 shares = SharesMath.toShares(assets, totalAssets, totalShares);
        // shares * (A + 1) <= assets * (S + 1e6) < (shares + 1) * (A + 1)
        assertLe(shares * (totalAssets + 1), assets * (totalShares + 1e6));
        assertGt((shares + 1) * (totalAssets + 1), assets * (totalShares + 1e6));
    }

    function testFuzz_toAssets_roundsDownAndNeverExceedsPool(
        uint256 shares,
        uint256 totalAssets,
        uint256 totalShares
    ) public pure {
        totalAssets = bound(totalAssets, 0, 21_000_000e18);
        totalShares = bound(totalShares, 0, 21_000_000e24);
        shares = bound(shares, 0, totalShares);
        uint256 assets = SharesMath.toAssets(shares, totalAssets, totalShares);
        assertLe(assets * (totalShares + 1e6), shares * (totalAssets + 1));
        assertLe(assets, totalAssets);
    }

    function testFuzz_conversions_areMonotone(
        uint256 a,
        uint256 b,
        uint256 totalAssets,
        uint256 totalShares
    ) public pure {
        totalAssets = bound(totalAssets, 0, 21_000_000e18);
        totalShares = bound(totalShares, 0, 21_000_000e24);
        a = bound(a, 0, 21_000_000e18);
        b = bound(b, a, 21_000_000e18);
        assertLe(SharesMath.toShares(a, totalAssets, totalShares), SharesMath.toShares(b, totalAssets, totalShares));
        assertLe(SharesMath.toAssets(a, totalAssets, totalShares), SharesMath.toAssets(b, totalAssets, totalShares));
    }
}
