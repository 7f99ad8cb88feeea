// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Staking} from "../../../contracts/staking/Staking.sol";
import {IStakingErrors, IStakingEvents} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

/// @notice The governance setters (ADMIN, i.e. the timelock) and the constructor's bounds.
contract StakingParametersTest is TaonetTest {
    function test_constructor_setsParameters() public view {
        assertEq(staking.token(), address(tao));
        assertEq(staking.unbondingPeriod(), UNBONDING_PERIOD);
        assertEq(staking.defaultTakeBps(), DEFAULT_TAKE_BPS);
        assertEq(staking.takeIncreaseCooldown(), TAKE_INCREASE_COOLDOWN);
        assertEq(staking.maxSlashPerWindowWad(), MAX_SLASH_PER_WINDOW_WAD);
        assertEq(staking.slashWindow(), SLASH_WINDOW);
    }

    function test_constructor_revertsForOutOfBoundsParameters() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("unbondingPeriod"),
                91 days,
                0,
                90 days
            )
        );
        new Staking(address(manager), address(tao), 91 days, 0, 0, 0, 1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("defaultTakeBps"),
                1_801,
                0,
                1_800
            )
        );
        new Staking(address(manager), address(tao), 0, 1_801, 0, 0, 1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("slashWindow"),
                0,
                1 hours,
                365 days
            )
        );
        new Staking(address(manager), address(tao), 0, 0, 0, 0, 0);
    }

    // ---- setUnbondingPeriod ----

    function test_setUnbondingPeriod_setsAndEmits() public {
        vm.expectEmit(false, false, false, true, address(staking));
        emit IStakingEvents.UnbondingPeriodSet(90 days);
        vm.prank(timelock);
        staking.setUnbondingPeriod(90 days);
        assertEq(staking.unbondingPeriod(), 90 days);
        vm.prank(timelock);
        staking.setUnbondingPeriod(0);
        assertEq(staking.unbondingPeriod(), 0);
    }

    function test_setUnbondingPeriod_revertsAboveMaximum() public {
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("unbondingPeriod"),
                90 days + 1,
                0,
                90 days
            )
        );
        vm.prank(timelock);
        staking.setUnbondingPeriod(90 days + 1);
        assertEq(_systemState(), before);
    }

    function test_setUnbondingPeriod_revertsWhenCallerIsNotAdmin() public {
        address[4] memory callers = [stranger, settlement, arbitrator, address(slashing)];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            staking.setUnbondingPeriod(1 days);
        }
        assertEq(staking.unbondingPeriod(), UNBONDING_PERIOD);
    }

    // ---- setTakeParameters ----

    function test_setTakeParameters_setsAndEmits() public {
        vm.expectEmit(false, false, false, true, address(staking));
        emit IStakingEvents.TakeParametersSet(1_800, 90 days);
        vm.prank(timelock);
        staking.setTakeParameters(1_800, 90 days);
        assertEq(staking.defaultTakeBps(), 1_800);
        assertEq(staking.takeIncreaseCooldown(), 90 days);
    }

    function test_setTakeParameters_revertsOutOfBounds() public {
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("defaultTakeBps"),
                1_801,
                0,
                1_800
            )
        );
        vm.prank(timelock);
        staking.setTakeParameters(1_801, 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("takeIncreaseCooldown"),
                90 days + 1,
                0,
                90 days
            )
        );
        vm.prank(timelock);
        staking.setTakeParameters(100, 90 days + 1);
        assertEq(_systemState(), before);
    }

    function test_setTakeParameters_revertsWhenCallerIsNotAdmin() public {
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        staking.setTakeParameters(0, 0);
        vm.expectRevert(_unauthorized(arbitrator));
        vm.prank(arbitrator);
        staking.setTakeParameters(0, 0);
        assertEq(staking.defaultTakeBps(), DEFAULT_TAKE_BPS);
    }

    // ---- setSlashParameters ----

    function test_setSlashParameters_setsAndEmits() public {
        vm.expectEmit(false, false, false, true, address(staking));
        emit IStakingEvents.SlashParametersSet(0.5e18, 365 days);
        vm.prank(timelock);
        staking.setSlashParameters(0.5e18, 365 days);
        assertEq(staking.maxSlashPerWindowWad(), 0.5e18);
        assertEq(staking.slashWindow(), 365 days);
        vm.prank(timelock);
        staking.setSlashParameters(0, 1 hours);
        assertEq(staking.maxSlashPerWindowWad(), 0);
        assertEq(staking.slashWindow(), 1 hours);
    }

    function test_setSlashParameters_revertsOutOfBounds() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidSlashFraction.selector, 0.5e18 + 1, 0.5e18));
        vm.prank(timelock);
        staking.setSlashParameters(0.5e18 + 1, 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("slashWindow"),
                1 hours - 1,
                1 hours,
                365 days
            )
        );
        vm.prank(timelock);
        staking.setSlashParameters(0.1e18, 1 hours - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingErrors.ParameterOutOfBounds.selector,
                bytes32("slashWindow"),
                365 days + 1,
                1 hours,
                365 days
            )
        );
        vm.prank(timelock);
        staking.setSlashParameters(0.1e18, 365 days + 1);
        assertEq(_systemState(), before);
    }

    function test_setSlashParameters_revertsWhenCallerIsNotAdmin() public {
        vm.expectRevert(_unauthorized(address(slashing)));
        vm.prank(address(slashing));
        staking.setSlashParameters(0.5e18, 1 days);
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        staking.setSlashParameters(0.5e18, 1 days);
        assertEq(staking.maxSlashPerWindowWad(), MAX_SLASH_PER_WINDOW_WAD);
    }
}
