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
        uint256 owned = staking.sharesOf(alice, hotkeyA);
        shares = bound(shares, 1, owned);
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
}
