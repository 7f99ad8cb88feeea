// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStakingErrors, IStakingEvents, IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract StakingCompleteWithdrawalTest is TaonetTest {
    uint256 internal id;
    uint256 internal completableAt;

    function setUp() public override {
        super.setUp();
        _bind(hotkeyAKey, alice);
        uint256 shares = _stake(alice, hotkeyA, 100e18);
        id = _unstake(alice, hotkeyA, shares / 2);
        completableAt = block.timestamp + UNBONDING_PERIOD;
    }

    function test_completeWithdrawal_paysColdkeyAndEmits() public {
        vm.warp(completableAt);
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStakingEvents.WithdrawalCompleted(id, alice, hotkeyA, 50e18 * 1e6, 50e18);
        // Anyone may complete it; the coldkey is paid.
        vm.prank(stranger);
        uint256 paid = staking.completeWithdrawal(id);

        assertEq(paid, 50e18);
        assertEq(tao.balanceOf(alice), 50e18);
        assertEq(tao.balanceOf(stranger), 0);
        assertEq(staking.totalAccounted(), 50e18);
        assertEq(tao.balanceOf(address(staking)), 50e18);
        assertEq(staking.pendingWithdrawalsOf(alice).length, 0);
        assertEq(staking.withdrawal(id).coldkey, address(0));
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        assertEq(p.unbondingAssets, 0);
        assertEq(p.unbondingShares, 0);
    }

    function test_completeWithdrawal_revertsWhenCompletedTwice() public {
        vm.warp(completableAt);
        staking.completeWithdrawal(id);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.UnknownWithdrawal.selector, id));
        staking.completeWithdrawal(id);
        assertEq(_systemState(), before);
    }

    function test_completeWithdrawal_revertsForUnknownId() public {
        vm.warp(completableAt);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.UnknownWithdrawal.selector, 0));
        staking.completeWithdrawal(0);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.UnknownWithdrawal.selector, id + 1));
        staking.completeWithdrawal(id + 1);
        assertEq(_systemState(), before);
    }

    function test_completeWithdrawal_revertsBeforeDue() public {
        vm.warp(completableAt - 1);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.WithdrawalNotDue.selector, id, completableAt, completableAt - 1)
        );
        staking.completeWithdrawal(id);
        assertEq(_systemState(), before);
    }

    function test_completeWithdrawal_revertsWhileHotkeyUnderDispute() public {
        _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.warp(completableAt);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyUnderDispute.selector, hotkeyA, 1));
        staking.completeWithdrawal(id);
        assertEq(_systemState(), before);

        // Two disputes: rejecting one still leaves the other.
        _openDispute(carol, hotkeyA, MIN_DISPUTE_BOND);
        vm.prank(arbitrator);
        slashing.rejectDispute(1);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyUnderDispute.selector, hotkeyA, 1));
        staking.completeWithdrawal(id);

        vm.prank(arbitrator);
        slashing.rejectDispute(2);
        assertEq(staking.completeWithdrawal(id), 50e18);
    }

    function test_completeWithdrawal_afterExpiredDisputeIsReclaimed() public {
        uint256 disputeId = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.warp(block.timestamp + DISPUTE_PERIOD + 1);
        slashing.reclaimBond(disputeId);
        assertEq(staking.completeWithdrawal(id), 50e18);
    }

    function test_completeWithdrawal_paysWhatIsLeftAfterASlash() public {
        vm.prank(address(slashing));
        staking.slash(hotkeyA, 0.1e18);
        vm.warp(completableAt);
        assertEq(staking.completeWithdrawal(id), 45e18);
        assertEq(tao.balanceOf(alice), 45e18);
    }

    function test_completeWithdrawal_unbondingPeriodChangeDoesNotMoveQueuedWithdrawals() public {
        vm.prank(timelock);
        staking.setUnbondingPeriod(30 days);
        vm.warp(completableAt);
        assertEq(staking.completeWithdrawal(id), 50e18);
    }

    /// @dev addStake, removeStake, completeWithdrawal in a pool other stakers and rewards shaped:
    /// the round trip never returns more than was deposited, and loses at most rounding.
    function testFuzz_roundTrip_neverReturnsMoreThanDeposited(
        uint256 otherStake,
        uint256 reward,
        uint256 deposit,
        uint256 unstakeParts
    ) public {
        // Enough that two thirds of it stay a minimum position.
        otherStake = bound(otherStake, 2 * MIN_STAKE, 100_000e18);
        reward = bound(reward, 0, 100_000e18);
        unstakeParts = bound(unstakeParts, 1, 4);
        _bind(hotkeyBKey, bob);
        _stake(bob, hotkeyB, otherStake);
        if (reward != 0) _reward(hotkeyB, reward);
        // Someone else is already unbonding from the pool.
        _unstake(bob, hotkeyB, staking.sharesOf(bob, hotkeyB) / 3 + 1);

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyB);
        // Carol leaves in equal parts, the last one taking what is left: every partial unstake must
        // leave a minimum position, so each part is worth at least the minimum (and rounding).
        deposit = bound(deposit, unstakeParts * _minDeposit(hotkeyB) + 1e6, 100_000e18);
        uint256 shares = _stake(carol, hotkeyB, deposit);

        uint256[] memory ids = new uint256[](unstakeParts);
        for (uint256 i = 0; i < unstakeParts; ++i) {
            uint256 part = i + 1 == unstakeParts ? staking.sharesOf(carol, hotkeyB) : shares / unstakeParts;
            if (part == 0) continue;
            ids[i] = _unstake(carol, hotkeyB, part);
        }
        vm.warp(block.timestamp + UNBONDING_PERIOD);
        uint256 received;
        for (uint256 i = 0; i < unstakeParts; ++i) {
            if (ids[i] != 0) received += staking.completeWithdrawal(ids[i]);
        }
        assertEq(tao.balanceOf(carol), received);
        assertLe(received, deposit, "round trip returned more than deposited");
        // Rounding loss is bounded by a few wei per step at the pool's share price.
        uint256 sharePriceCeil = (p.stakeAssets + 1) / (p.stakeShares + 1e6) + 1;
        assertLe(deposit - received, (2 * unstakeParts + 2) * sharePriceCeil);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
    }
}
