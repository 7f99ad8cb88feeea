// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";
import {RootTest} from "./RootTest.sol";

/// @notice The settlement's side of the root: `setRootEmissionShares` (the root only, at most one in
/// total) and what subnets are owed under root shares versus governance's.
contract YumaSettlementRootSharesTest is RootTest {
    uint256[] internal netuids;

    function setUp() public override {
        super.setUp();
        netuids = _createSubnets(2);
    }

    function test_setRootEmissionShares_isTheRootNetworksOnly() public {
        vm.expectRevert(_unauthorized(governance));
        vm.prank(governance);
        yuma.setRootEmissionShares(netuids, _pair(0.5e18, 0.5e18));
    }

    function test_setRootEmissionShares_revertsAboveOne() public {
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.SharesExceedOne.selector, 1e18 + 1));
        vm.prank(address(root));
        yuma.setRootEmissionShares(netuids, _pair(0.5e18, 0.5e18 + 1));
    }

    function test_setRootEmissionShares_revertsOnLengthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.LengthMismatch.selector, 2, 1));
        vm.prank(address(root));
        yuma.setRootEmissionShares(netuids, _one(1e18));
    }

    function test_setRootEmissionShares_staysSeparateFromGovernanceShares() public {
        vm.prank(governance);
        yuma.setEmissionShares(netuids, _pair(0.9e18, 0.1e18));
        vm.prank(address(root));
        yuma.setRootEmissionShares(netuids, _pair(0.2e18, 0.8e18));
        assertEq(yuma.emissionShare(netuids[0]), 0.2e18);
        // An all-zero root set hands back to governance's shares, which were kept.
        vm.prank(address(root));
        yuma.setRootEmissionShares(netuids, _pair(0, 0));
        assertEq(yuma.emissionShare(netuids[0]), 0.9e18);
        assertEq(yuma.emissionShare(netuids[1]), 0.1e18);
    }

    /// @dev Accepted sets sum to at most one; every other set reverts with its sum.
    function testFuzz_setRootEmissionShares_neverAboveOne(uint256[4] memory seeds) public {
        uint256[] memory all = new uint256[](4);
        uint256[] memory created = _createSubnets(2);
        (all[0], all[1], all[2], all[3]) = (netuids[0], netuids[1], created[0], created[1]);
        uint256[] memory shares = new uint256[](4);
        uint256 total;
        for (uint256 i = 0; i < 4; ++i) {
            shares[i] = bound(seeds[i], 0, 0.5e18);
            total += shares[i];
        }
        if (total > 1e18) vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.SharesExceedOne.selector, total));
        vm.prank(address(root));
        yuma.setRootEmissionShares(all, shares);
        uint256 applied;
        for (uint256 i = 0; i < 4; ++i) applied += yuma.emissionShare(all[i]);
        assertLe(applied, 1e18);
    }

    /// @dev What subnets are owed follows the root's shares once they apply, and all subnets together
    /// are never owed more than the schedule accrued.
    function test_pendingEmission_followsRootSharesAndStaysWithinTheAccrual() public {
        vm.prank(governance);
        yuma.setEmissionShares(netuids, _pair(0.6e18, 0.4e18));
        // Each subnet's first epoch starts its emission clock.
        vm.roll(block.number + DEFAULT_TEMPO);
        // No UID holds a validator permit before a subnet's first epoch: no weights rows.
        yuma.settle(netuids[0], "");
        yuma.settle(netuids[1], "");
        uint256 start = emission.cumulativeAccrued();
        vm.warp(block.timestamp + 1 hours);
        uint256 accrued = emission.cumulativeAccrued() - start;
        assertEq(yuma.pendingEmission(netuids[0]), (accrued * 0.6e18) / 1e18);

        address a = _member(10e18);
        _setRootWeights(a, netuids, _pair16(1, 3));
        vm.roll(block.number + 1);
        (, uint256[] memory shares) = _settleRoot();
        uint256 owed0 = yuma.pendingEmission(netuids[0]);
        uint256 owed1 = yuma.pendingEmission(netuids[1]);
        assertEq(owed0, (accrued * shares[0]) / 1e18);
        assertEq(owed1, (accrued * shares[1]) / 1e18);
        assertLe(owed0 + owed1, accrued);
        assertGt(owed1, 2 * owed0);
    }
}
