// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStakingErrors, IStakingEvents, IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract StakingRemoveStakeTest is TaonetTest {
    uint256 internal aliceShares;

    function setUp() public override {
        super.setUp();
        _bind(hotkeyAKey, alice);
        aliceShares = _stake(alice, hotkeyA, 100e18);
    }

    function test_removeStake_queuesWithdrawalAndEmits() public {
        uint256 shares = aliceShares / 4;
        uint64 completableAt = uint64(block.timestamp) + UNBONDING_PERIOD;
        vm.expectEmit(true, true, true, true, address(staking));
        emit IStakingEvents.WithdrawalQueued(
            1,
            alice,
            hotkeyA,
            shares,
            25e18,
            25e18 * 1e6,
            completableAt,
            75e18,
            aliceShares - shares
        );
        uint256 id = _unstake(alice, hotkeyA, shares);

        assertEq(id, 1);
        assertEq(staking.sharesOf(alice, hotkeyA), aliceShares - shares);
        assertEq(staking.stakeOf(alice, hotkeyA), 75e18);
        assertEq(staking.totalStake(hotkeyA), 75e18);
        // Still owed: the queued value stays in the accounting until it is paid.
        assertEq(staking.totalAccounted(), 100e18);
        assertEq(staking.withdrawalAssets(id), 25e18);
        IStakingTypes.Withdrawal memory w = staking.withdrawal(id);
        assertEq(w.coldkey, alice);
        assertEq(w.hotkey, hotkeyA);
        assertEq(w.completableAt, completableAt);
        assertEq(w.unbondingShares, 25e18 * 1e6);
        IStakingTypes.PendingWithdrawal[] memory pending = staking.pendingWithdrawalsOf(alice);
        assertEq(pending.length, 1);
        assertEq(pending[0].id, id);
        assertEq(pending[0].assets, 25e18);
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        assertEq(p.unbondingAssets, 25e18);
        assertEq(p.unbondingShares, 25e18 * 1e6);
    }

    function test_removeStake_allSharesDropsThePosition() public {
        _unstake(alice, hotkeyA, aliceShares);
        assertEq(staking.positionsOf(alice).length, 0);
        assertEq(staking.sharesOf(alice, hotkeyA), 0);
        assertEq(staking.totalStake(hotkeyA), 0);
    }

    function test_removeStake_idsIncrease() public {
        uint256 first = _unstake(alice, hotkeyA, 1e6);
        uint256 second = _unstake(alice, hotkeyA, 1e6);
        assertEq(second, first + 1);
    }

    function test_removeStake_revertsForZeroShares() public {
        bytes32 before = _systemState();
        vm.expectRevert(IStakingErrors.ZeroAmount.selector);
        vm.prank(alice);
        staking.removeStake(hotkeyA, 0);
        assertEq(_systemState(), before);
    }

    function test_removeStake_revertsAboveOwnedShares() public {
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.InsufficientShares.selector, hotkeyA, aliceShares + 1, aliceShares)
        );
        vm.prank(alice);
        staking.removeStake(hotkeyA, aliceShares + 1);
        assertEq(_systemState(), before);
    }

    function test_removeStake_revertsForSomeoneElsesShares() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InsufficientShares.selector, hotkeyA, 1, 0));
        vm.prank(bob);
        staking.removeStake(hotkeyA, 1);
        // A hotkey nobody bound has no shares either.
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InsufficientShares.selector, hotkeyC, 1, 0));
        vm.prank(alice);
        staking.removeStake(hotkeyC, 1);
        assertEq(_systemState(), before);
    }

    function test_removeStake_revertsAboveMaxPendingWithdrawals() public {
        uint256 max = staking.MAX_PENDING_WITHDRAWALS();
        for (uint256 i = 0; i < max; ++i) {
            _unstake(alice, hotkeyA, 1e6);
        }
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.TooManyPendingWithdrawals.selector, alice, max));
        vm.prank(alice);
        staking.removeStake(hotkeyA, 1e6);
        assertEq(_systemState(), before);

        // Completing one frees a slot.
        vm.warp(block.timestamp + UNBONDING_PERIOD);
        staking.completeWithdrawal(1);
        _unstake(alice, hotkeyA, 1e6);
        assertEq(staking.pendingWithdrawalsOf(alice).length, max);
    }

    function test_removeStake_queuedValueEarnsNoRewards() public {
        _bind(hotkeyBKey, bob);
        _stake(bob, hotkeyA, 100e18);
        uint256 id = _unstake(alice, hotkeyA, aliceShares);
        _reward(hotkeyA, 50e18);
        assertEq(staking.withdrawalAssets(id), 100e18);
    }

    function test_removeStake_whileUnderDisputeStillQueues() public {
        _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        uint256 id = _unstake(alice, hotkeyA, aliceShares);
        assertEq(staking.withdrawalAssets(id), 100e18);
    }

    function testFuzz_removeStake_assetsRoundDown(uint256 reward, uint256 shares) public {
        reward = bound(reward, 0, 100_000e18);
        if (reward != 0) _reward(hotkeyA, reward);
        // Any part that leaves at least the minimum stake, or everything.
        shares = _boundUnstake(alice, hotkeyA, shares);
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        uint256 expected = (shares * (p.stakeAssets + 1)) / (p.stakeShares + 1e6);
        uint256 valueBefore = staking.stakeOf(alice, hotkeyA);

        uint256 id = _unstake(alice, hotkeyA, shares);
        assertEq(staking.withdrawalAssets(id), expected);
        assertEq(staking.totalStake(hotkeyA), p.stakeAssets - expected);
        // Splitting a position into queued and remaining value neither creates nor loses more
        // than rounding: the rest is repriced at a share price that can only have gone up.
        assertApproxEqAbs(staking.stakeOf(alice, hotkeyA) + expected, valueBefore, 1);
    }

    // ---- the minimum stake ----

    function test_removeStake_revertsWhenPartialUnstakeLeavesDust() public {
        // Alice's pool prices a share at exactly 1e-6 wei: 1e6 shares per wei.
        uint256 keep = MIN_STAKE * 1e6;
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, MIN_STAKE - 1, MIN_STAKE));
        vm.prank(alice);
        staking.removeStake(hotkeyA, aliceShares - keep + 1e6);
        // Leaving a single share (a dust position worth nothing) is refused just the same.
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, 0, MIN_STAKE));
        vm.prank(alice);
        staking.removeStake(hotkeyA, aliceShares - 1);
        assertEq(_systemState(), before);

        // Leaving exactly the minimum is fine.
        uint256 id = _unstake(alice, hotkeyA, aliceShares - keep);
        assertEq(staking.stakeOf(alice, hotkeyA), MIN_STAKE);
        assertEq(staking.withdrawalAssets(id), 100e18 - MIN_STAKE);
    }

    function test_removeStake_fullUnstakeOfMinimumPositionSucceeds() public {
        _bind(hotkeyBKey, bob);
        uint256 shares = _stake(carol, hotkeyB, MIN_STAKE);
        assertEq(staking.stakeOf(carol, hotkeyB), MIN_STAKE);
        // Any part of a minimum position would leave dust...
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, MIN_STAKE - 1, MIN_STAKE));
        vm.prank(carol);
        staking.removeStake(hotkeyB, 1e6);
        assertEq(_systemState(), before);

        // ...but all of it may always go.
        uint256 id = _unstake(carol, hotkeyB, shares);
        assertEq(staking.sharesOf(carol, hotkeyB), 0);
        assertEq(staking.positionsOf(carol).length, 0);
        assertEq(staking.totalStake(hotkeyB), 0);
        assertEq(staking.withdrawalAssets(id), MIN_STAKE);
        vm.warp(block.timestamp + UNBONDING_PERIOD);
        assertEq(staking.completeWithdrawal(id), MIN_STAKE);
        assertEq(tao.balanceOf(carol), MIN_STAKE);
    }

    function test_removeStake_positionSlashedBelowMinimumCanOnlyLeaveWhole() public {
        _bind(hotkeyBKey, bob);
        uint256 shares = _stake(carol, hotkeyB, MIN_STAKE);
        vm.prank(address(slashing));
        staking.slash(hotkeyB, 0.1e18);
        uint256 value = staking.stakeOf(carol, hotkeyB);
        assertLt(value, MIN_STAKE);

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyB);
        uint256 part = shares / 2;
        uint256 partAssets = (part * (p.stakeAssets + 1)) / (p.stakeShares + 1e6);
        uint256 remaining = ((shares - part) * (p.stakeAssets - partAssets + 1)) / (p.stakeShares - part + 1e6);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, remaining, MIN_STAKE));
        vm.prank(carol);
        staking.removeStake(hotkeyB, part);
        assertEq(_systemState(), before);

        uint256 id = _unstake(carol, hotkeyB, shares);
        assertEq(staking.withdrawalAssets(id), value);
        assertEq(staking.sharesOf(carol, hotkeyB), 0);
    }

    /// @dev A partial unstake goes through exactly when what stays (at the price after it) is worth
    /// at least MIN_STAKE; a full unstake always does.
    function testFuzz_removeStake_revertsExactlyWhenLeavingLessThanMinimum(
        uint256 reward,
        uint256 slashWad,
        uint256 shares
    ) public {
        reward = bound(reward, 0, 100_000e18);
        if (reward != 0) _reward(hotkeyA, reward);
        slashWad = bound(slashWad, 0, MAX_SLASH_PER_WINDOW_WAD);
        vm.prank(address(slashing));
        staking.slash(hotkeyA, slashWad);
        uint256 owned = staking.sharesOf(alice, hotkeyA);
        // Mostly near the top, where what stays is close to the minimum.
        uint256 keep = _minKeptShares(hotkeyA);
        shares = shares % 2 == 0 ? bound(shares, 1, owned) : bound(shares, owned - 2 * keep, owned);

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        uint256 assets = (shares * (p.stakeAssets + 1)) / (p.stakeShares + 1e6);
        uint256 remaining = ((owned - shares) * (p.stakeAssets - assets + 1)) / (p.stakeShares - shares + 1e6);
        bytes32 before = _systemState();
        if (shares != owned && remaining < MIN_STAKE) {
            vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, remaining, MIN_STAKE));
            vm.prank(alice);
            staking.removeStake(hotkeyA, shares);
            assertEq(_systemState(), before);
        } else {
            uint256 id = _unstake(alice, hotkeyA, shares);
            assertEq(staking.withdrawalAssets(id), assets);
            assertEq(staking.stakeOf(alice, hotkeyA), remaining);
            assertTrue(remaining == 0 || remaining >= MIN_STAKE);
        }
    }
}
