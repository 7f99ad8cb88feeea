// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStakingErrors, IStakingEvents} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract StakingTakeTest is TaonetTest {
    uint16 internal constant MAX_TAKE_BPS = 1_800;
    /// @dev When hotkey A was bound: its take-increase cooldown runs from then.
    uint256 internal boundAt;

    function setUp() public override {
        super.setUp();
        _bind(hotkeyAKey, alice);
        boundAt = block.timestamp;
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
        // Decreases do not restart the increase cooldown, which runs from the binding.
        assertEq(staking.hotkeyInfo(hotkeyA).lastTakeIncrease, boundAt);
    }

    function test_setTake_increaseThenRateLimited() public {
        _setTake(0);
        // Past the cooldown that started at the binding.
        vm.warp(boundAt + TAKE_INCREASE_COOLDOWN);
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
        vm.warp(boundAt + TAKE_INCREASE_COOLDOWN);
        _setTake(100);
        // Within the cooldown of that increase: setting the same take again is allowed.
        _setTake(100);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, 100);
        assertEq(staking.hotkeyInfo(hotkeyA).lastTakeIncrease, boundAt + TAKE_INCREASE_COOLDOWN);
    }

    // ---- the cooldown runs from the binding ----

    function test_setTake_firstIncreaseIsRateLimitedFromTheBinding() public {
        // An operator lowers its take to attract delegators...
        _setTake(0);
        uint256 nextAt = boundAt + TAKE_INCREASE_COOLDOWN;
        vm.warp(nextAt - 1);
        bytes32 before = _systemState();
        // ...and cannot raise it again, not even by one point, until a cooldown after the binding.
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TakeIncreaseRateLimited.selector, hotkeyA, nextAt, nextAt - 1)
        );
        vm.prank(alice);
        staking.setTake(hotkeyA, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TakeIncreaseRateLimited.selector, hotkeyA, nextAt, nextAt - 1)
        );
        vm.prank(alice);
        staking.setTake(hotkeyA, MAX_TAKE_BPS);
        assertEq(_systemState(), before);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, 0);
        assertEq(staking.hotkeyInfo(hotkeyA).lastTakeIncrease, boundAt);

        vm.warp(nextAt);
        vm.expectEmit(true, false, false, true, address(staking));
        emit IStakingEvents.TakeSet(hotkeyA, 0, MAX_TAKE_BPS);
        _setTake(MAX_TAKE_BPS);
        assertEq(staking.hotkeyInfo(hotkeyA).takeBps, MAX_TAKE_BPS);
        assertEq(staking.hotkeyInfo(hotkeyA).lastTakeIncrease, nextAt);
    }

    function test_setTake_eachHotkeysCooldownRunsFromItsOwnBinding() public {
        vm.warp(boundAt + 10 days);
        _bind(hotkeyBKey, bob);
        uint256 boundBAt = block.timestamp;
        assertEq(staking.hotkeyInfo(hotkeyB).lastTakeIncrease, boundBAt);
        _setTake(0);
        vm.prank(bob);
        staking.setTake(hotkeyB, 0);

        // Hotkey A's cooldown is over; hotkey B's, bound ten days later, is not.
        vm.warp(boundAt + TAKE_INCREASE_COOLDOWN);
        _setTake(500);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.TakeIncreaseRateLimited.selector,
                hotkeyB,
                boundBAt + TAKE_INCREASE_COOLDOWN,
                block.timestamp
            )
        );
        vm.prank(bob);
        staking.setTake(hotkeyB, 500);
        assertEq(_systemState(), before);

        vm.warp(boundBAt + TAKE_INCREASE_COOLDOWN);
        vm.prank(bob);
        staking.setTake(hotkeyB, 500);
        assertEq(staking.hotkeyInfo(hotkeyB).takeBps, 500);
    }

    function test_setTake_withoutCooldownFirstIncreaseIsImmediate() public {
        vm.prank(timelock);
        staking.setTakeParameters(DEFAULT_TAKE_BPS, 0);
        _bind(hotkeyBKey, bob);
        vm.startPrank(bob);
        staking.setTake(hotkeyB, 0);
        staking.setTake(hotkeyB, MAX_TAKE_BPS);
        vm.stopPrank();
        assertEq(staking.hotkeyInfo(hotkeyB).takeBps, MAX_TAKE_BPS);
        assertEq(staking.hotkeyInfo(hotkeyB).lastTakeIncrease, block.timestamp);
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
        // The binding counts as an increase: the first one also waits a cooldown.
        uint256 lastIncrease = boundAt;
        uint16 current = DEFAULT_TAKE_BPS;
        for (uint256 i = 0; i < takes.length; ++i) {
            vm.warp(block.timestamp + (gaps[i] % (2 * TAKE_INCREASE_COOLDOWN)));
            uint16 take = uint16(takes[i] % (MAX_TAKE_BPS + 1));
            bool increase = take > current;
            bool allowed = !increase || block.timestamp >= lastIncrease + TAKE_INCREASE_COOLDOWN;
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
