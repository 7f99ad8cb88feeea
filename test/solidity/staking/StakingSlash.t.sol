// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStakingErrors, IStakingEvents, IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

/// @notice Staking.slash, freezeHotkey and unfreezeHotkey, called as the Slashing contract (the
/// SLASHER role's only holder).
contract StakingSlashTest is TaonetTest {
    uint256 internal withdrawalId;

    function setUp() public override {
        super.setUp();
        _bind(hotkeyAKey, alice);
        _bind(hotkeyBKey, bob);
        uint256 shares = _stake(carol, hotkeyA, 100e18);
        withdrawalId = _unstake(carol, hotkeyA, shares / 4); // 25 TAO unbonding, 75 TAO staked
        _stake(bob, hotkeyB, 40e18);
    }

    function _slash(address hotkey, uint256 fractionWad) internal returns (uint256 appliedWad, uint256 amount) {
        vm.prank(address(slashing));
        return staking.slash(hotkey, fractionWad);
    }

    function test_slash_takesFractionOfPoolAndQueuedAndEmits() public {
        vm.expectEmit(true, true, false, true, address(staking));
        emit IStakingEvents.Slashed(hotkeyA, 0.04e18, 0.04e18, 3e18, 1e18, address(slashing), 72e18, 24e18);
        (uint256 applied, uint256 amount) = _slash(hotkeyA, 0.04e18);

        assertEq(applied, 0.04e18);
        assertEq(amount, 4e18);
        assertEq(tao.balanceOf(address(slashing)), 4e18);
        assertEq(staking.totalStake(hotkeyA), 72e18);
        assertEq(staking.withdrawalAssets(withdrawalId), 24e18);
        assertApproxEqAbs(staking.stakeOf(carol, hotkeyA), 72e18, 1);
        assertEq(staking.totalAccounted(), 136e18);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
        IStakingTypes.HotkeyInfo memory info = staking.hotkeyInfo(hotkeyA);
        assertEq(info.slashWindowStart, block.timestamp);
        assertEq(info.slashedInWindowWad, 0.04e18);
        // Bob's pool is untouched.
        assertEq(staking.totalStake(hotkeyB), 40e18);
    }

    function test_slash_isCappedPerWindow() public {
        (uint256 a1, ) = _slash(hotkeyA, 0.06e18);
        (uint256 a2, uint256 amount2) = _slash(hotkeyA, 0.06e18);
        (uint256 a3, uint256 amount3) = _slash(hotkeyA, 0.5e18);
        assertEq(a1, 0.06e18);
        assertEq(a2, 0.04e18, "second slash clipped to what is left of the cap");
        assertEq(a3, 0);
        assertEq(amount3, 0);
        // 0.06 of 100, then 0.04 of 94.
        assertEq(amount2, (94e18 * 0.04e18) / 1e18);
        assertEq(staking.hotkeyInfo(hotkeyA).slashedInWindowWad, MAX_SLASH_PER_WINDOW_WAD);

        // The window is measured from its first slash; a new one opens after it.
        vm.warp(block.timestamp + SLASH_WINDOW - 1);
        (uint256 a4, ) = _slash(hotkeyA, 0.05e18);
        assertEq(a4, 0);
        vm.warp(block.timestamp + 1);
        (uint256 a5, ) = _slash(hotkeyA, 0.05e18);
        assertEq(a5, 0.05e18);
        assertEq(staking.hotkeyInfo(hotkeyA).slashWindowStart, block.timestamp);
    }

    function test_slash_zeroFractionTakesNothing() public {
        (uint256 applied, uint256 amount) = _slash(hotkeyA, 0);
        assertEq(applied, 0);
        assertEq(amount, 0);
        assertEq(staking.totalStake(hotkeyA), 75e18);
    }

    function test_slash_revertsAboveOneHundredPercent() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidSlashFraction.selector, 1e18 + 1, 1e18));
        _slash(hotkeyA, 1e18 + 1);
        assertEq(_systemState(), before);
    }

    function test_slash_revertsForUnboundHotkey() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyC));
        _slash(hotkeyC, 0.01e18);
        assertEq(_systemState(), before);
    }

    function test_slash_revertsWhenCallerIsNotSlasher() public {
        bytes32 before = _systemState();
        address[5] memory callers = [stranger, timelock, arbitrator, settlement, alice];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            staking.slash(hotkeyA, 0.01e18);
        }
        assertEq(_systemState(), before);
    }

    function test_slash_capChangeAppliesToTheCurrentWindow() public {
        _slash(hotkeyA, 0.05e18);
        vm.prank(timelock);
        staking.setSlashParameters(0.03e18, SLASH_WINDOW);
        (uint256 applied, uint256 amount) = _slash(hotkeyA, 0.05e18);
        assertEq(applied, 0);
        assertEq(amount, 0);
    }

    // ---- freeze / unfreeze ----

    function test_freezeHotkey_countsDisputes() public {
        vm.startPrank(address(slashing));
        vm.expectEmit(true, false, false, true, address(staking));
        emit IStakingEvents.HotkeyFrozen(hotkeyA, 1);
        staking.freezeHotkey(hotkeyA);
        staking.freezeHotkey(hotkeyA);
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, 2);
        vm.expectEmit(true, false, false, true, address(staking));
        emit IStakingEvents.HotkeyUnfrozen(hotkeyA, 1);
        staking.unfreezeHotkey(hotkeyA);
        staking.unfreezeHotkey(hotkeyA);
        vm.stopPrank();
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, 0);
    }

    function test_freezeHotkey_revertsAboveMaxOpenDisputes() public {
        assertEq(staking.MAX_OPEN_DISPUTES(), MAX_OPEN_DISPUTES);
        vm.startPrank(address(slashing));
        for (uint256 i = 0; i < MAX_OPEN_DISPUTES; ++i) {
            staking.freezeHotkey(hotkeyA);
        }
        vm.stopPrank();
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, MAX_OPEN_DISPUTES);

        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TooManyOpenDisputes.selector, hotkeyA, MAX_OPEN_DISPUTES)
        );
        vm.prank(address(slashing));
        staking.freezeHotkey(hotkeyA);
        assertEq(_systemState(), before);

        // The cap is per hotkey.
        vm.prank(address(slashing));
        staking.freezeHotkey(hotkeyB);
        assertEq(staking.hotkeyInfo(hotkeyB).openDisputes, 1);

        // One unfrozen, one more may be frozen, up to the cap again.
        vm.startPrank(address(slashing));
        staking.unfreezeHotkey(hotkeyA);
        vm.expectEmit(true, false, false, true, address(staking));
        emit IStakingEvents.HotkeyFrozen(hotkeyA, MAX_OPEN_DISPUTES);
        staking.freezeHotkey(hotkeyA);
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TooManyOpenDisputes.selector, hotkeyA, MAX_OPEN_DISPUTES)
        );
        staking.freezeHotkey(hotkeyA);
        vm.stopPrank();
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, MAX_OPEN_DISPUTES);
    }

    function test_freezeHotkey_revertsForUnboundHotkey() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyC));
        vm.prank(address(slashing));
        staking.freezeHotkey(hotkeyC);
        assertEq(_systemState(), before);
    }

    function test_unfreezeHotkey_revertsWithoutOpenDispute() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.NoOpenDispute.selector, hotkeyA));
        vm.prank(address(slashing));
        staking.unfreezeHotkey(hotkeyA);
        assertEq(_systemState(), before);
    }

    function test_freezeHotkey_revertsWhenCallerIsNotSlasher() public {
        bytes32 before = _systemState();
        address[4] memory callers = [stranger, timelock, arbitrator, settlement];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            staking.freezeHotkey(hotkeyA);
        }
        vm.prank(address(slashing));
        staking.freezeHotkey(hotkeyA);
        before = _systemState();
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            staking.unfreezeHotkey(hotkeyA);
        }
        assertEq(_systemState(), before);
    }

    // ---- fuzz ----

    function testFuzz_slash_takesSameFractionOfPoolAndQueued(
        uint256 stake,
        uint256 unstakeShares,
        uint256 reward,
        uint256 fractionWad
    ) public {
        stake = bound(stake, _minDeposit(hotkeyA), 100_000e18);
        reward = bound(reward, 0, 10_000e18);
        fractionWad = bound(fractionWad, 0, 1e18);
        _stake(alice, hotkeyA, stake);
        // Part of the position leaving at least the minimum stake, or all of it.
        unstakeShares = _boundUnstake(alice, hotkeyA, unstakeShares);
        uint256 id = _unstake(alice, hotkeyA, unstakeShares);
        if (reward != 0) _reward(hotkeyA, reward);

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        IStakingTypes.PoolTotals memory other = staking.poolTotals(hotkeyB);
        uint256 carolBefore = staking.stakeOf(carol, hotkeyA);
        uint256 queuedBefore = staking.withdrawalAssets(id);
        uint256 balanceBefore = tao.balanceOf(address(staking));

        (uint256 applied, uint256 amount) = _slash(hotkeyA, fractionWad);
        uint256 expectedApplied = fractionWad < MAX_SLASH_PER_WINDOW_WAD ? fractionWad : MAX_SLASH_PER_WINDOW_WAD;
        assertEq(applied, expectedApplied);

        IStakingTypes.PoolTotals memory q = staking.poolTotals(hotkeyA);
        uint256 fromStake = p.stakeAssets - q.stakeAssets;
        uint256 fromUnbonding = p.unbondingAssets - q.unbondingAssets;
        assertEq(fromStake, (p.stakeAssets * applied) / 1e18, "pool fraction");
        assertEq(fromUnbonding, (p.unbondingAssets * applied) / 1e18, "queued fraction");
        assertEq(amount, fromStake + fromUnbonding);
        assertLe(amount * 1e18, (p.stakeAssets + p.unbondingAssets) * MAX_SLASH_PER_WINDOW_WAD, "above cap");
        assertEq(balanceBefore - tao.balanceOf(address(staking)), amount);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
        // Shares are untouched; each holder loses the same fraction of value, within rounding.
        assertEq(q.stakeShares, p.stakeShares);
        assertEq(q.unbondingShares, p.unbondingShares);
        assertApproxEqAbs(
            staking.stakeOf(carol, hotkeyA),
            carolBefore - (carolBefore * applied) / 1e18,
            2,
            "staker's loss"
        );
        assertApproxEqAbs(
            staking.withdrawalAssets(id),
            queuedBefore - (queuedBefore * applied) / 1e18,
            2,
            "queued loss"
        );
        // Another hotkey's pools do not move.
        IStakingTypes.PoolTotals memory otherAfter = staking.poolTotals(hotkeyB);
        assertEq(abi.encode(otherAfter), abi.encode(other));
    }

    function testFuzz_slash_neverExceedsWindowCap(uint64[5] memory fractions, uint32[5] memory gaps) public {
        uint256 windowStart;
        uint256 usedWad;
        for (uint256 i = 0; i < fractions.length; ++i) {
            vm.warp(block.timestamp + (gaps[i] % (SLASH_WINDOW / 2)));
            if (block.timestamp >= windowStart + SLASH_WINDOW) {
                windowStart = block.timestamp;
                usedWad = 0;
            }
            uint256 valueBefore = _poolValue(hotkeyA);
            uint256 fraction = fractions[i] % 0.2e18;
            (uint256 applied, uint256 amount) = _slash(hotkeyA, fraction);
            usedWad += applied;
            assertLe(applied, fraction);
            assertLe(usedWad, MAX_SLASH_PER_WINDOW_WAD, "window cap exceeded");
            assertLe(amount * 1e18, valueBefore * applied, "took more than the applied fraction");
            assertEq(staking.hotkeyInfo(hotkeyA).slashedInWindowWad, usedWad);
        }
    }
}
