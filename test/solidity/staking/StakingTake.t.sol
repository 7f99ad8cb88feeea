// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStakingErrors, IStakingEvents} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract StakingTakeTest is TaonetTest {
    uint16 internal constant MAX_TAKE_BPS = 1_800;

    function setUp() public override {
        super.setUp();
        _bind(hotkeyAKey, alice);
    }

    function _setTake(uint16 takeBps) internal {
        vm.prank(alice);
        staking.setTake(hotkeyA, takeBps);
    }

    function test_setTake_decreaseAppliesAtOnceAndEmits() public {
        vm.expectEmit(true, false, false, true, address(staking));
        emit IStakingEvents.TakeSet(hotkeyA, DEFAULT_TAKE_BPS, 500);
        _setTake(500);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, 500);
        _setTake(0);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, 0);
        // Decreases do not start the increase cooldown.
        assertEq(staking.hotkeyInfo(hotkeyA).lastTakeIncrease, 0);
    }

    function test_setTake_increaseThenRateLimited() public {
        _setTake(0);
        _setTake(1_000);
        uint256 increasedAt = block.timestamp;
        assertEq(staking.hotkeyInfo(hotkeyA).lastTakeIncrease, increasedAt);

        uint256 nextAt = increasedAt + TAKE_INCREASE_COOLDOWN;
        vm.warp(nextAt - 1);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TakeIncreaseRateLimited.selector, hotkeyA, nextAt, nextAt - 1)
        );
        vm.prank(alice);
        staking.setTake(hotkeyA, 1_001);
        assertEq(_systemState(), before);

        // A decrease within the cooldown is fine, and does not reset it.
        _setTake(900);
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TakeIncreaseRateLimited.selector, hotkeyA, nextAt, nextAt - 1)
        );
        vm.prank(alice);
        staking.setTake(hotkeyA, 1_000);

        vm.warp(nextAt);
        _setTake(MAX_TAKE_BPS);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, MAX_TAKE_BPS);
        assertEq(staking.hotkeyInfo(hotkeyA).lastTakeIncrease, nextAt);
    }

    function test_setTake_sameValueIsNotAnIncrease() public {
        _setTake(0);
        _setTake(100);
        _setTake(100);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, 100);
    }

    function test_setTake_revertsAboveMaximum() public {
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TakeAboveMaximum.selector, MAX_TAKE_BPS + 1, MAX_TAKE_BPS)
        );
        vm.prank(alice);
        staking.setTake(hotkeyA, MAX_TAKE_BPS + 1);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.TakeAboveMaximum.selector, 10_000, MAX_TAKE_BPS));
        vm.prank(alice);
        staking.setTake(hotkeyA, 10_000);
        assertEq(_systemState(), before);
    }

    function test_setTake_revertsWhenCallerIsNotColdkey() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.NotHotkeyOperator.selector, hotkeyA, bob, alice));
        vm.prank(bob);
        staking.setTake(hotkeyA, 0);
        // Not even the hotkey itself: the coldkey operates it.
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.NotHotkeyOperator.selector, hotkeyA, hotkeyA, alice));
        vm.prank(hotkeyA);
        staking.setTake(hotkeyA, 0);
        assertEq(_systemState(), before);
    }

    function test_setTake_revertsForUnboundHotkey() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyB));
        vm.prank(alice);
        staking.setTake(hotkeyB, 0);
        assertEq(_systemState(), before);
    }

    function test_setTake_newDefaultAppliesToNewBindingsOnly() public {
        vm.prank(timelock);
        staking.setTakeParameters(900, TAKE_INCREASE_COOLDOWN);
        _bind(hotkeyBKey, bob);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, DEFAULT_TAKE_BPS);
        assertEq(staking.hotkeyInfo(hotkeyB).takeBps, 900);
    }

    function testFuzz_setTake_atMostOneIncreasePerCooldown(uint16[6] memory takes, uint32[6] memory gaps) public {
        uint256 lastIncrease;
        uint16 current = DEFAULT_TAKE_BPS;
        for (uint256 i = 0; i < takes.length; ++i) {
            vm.warp(block.timestamp + (gaps[i] % (2 * TAKE_INCREASE_COOLDOWN)));
            uint16 take = uint16(takes[i] % (MAX_TAKE_BPS + 1));
            bool increase = take > current;
            bool allowed = !increase || lastIncrease == 0 || block.timestamp >= lastIncrease + TAKE_INCREASE_COOLDOWN;
            vm.prank(alice);
            if (allowed) {
                staking.setTake(hotkeyA, take);
                current = take;
                if (increase) lastIncrease = block.timestamp;
            } else {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IStakingErrors.TakeIncreaseRateLimited.selector,
                        hotkeyA,
                        lastIncrease + TAKE_INCREASE_COOLDOWN,
                        block.timestamp
                    )
                );
                staking.setTake(hotkeyA, take);
            }
            assertEq(staking.hotkeyInfo(hotkeyA).takeBps, current);
        }
    }
}
