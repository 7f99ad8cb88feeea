// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TAO} from "../../../contracts/token/TAO.sol";
import {Emission} from "../../../contracts/emission/Emission.sol";
import {Staking} from "../../../contracts/staking/Staking.sol";
import {Slashing} from "../../../contracts/slashing/Slashing.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

/// @notice The AccessManager wiring of the base, which mirrors deploy/modules/Taonet.ts: every
/// restricted function's role, and who holds each role.
contract RolesTest is TaonetTest {
    function _assertRole(address target, bytes4 selector, uint64 role) internal view {
        assertEq(manager.getTargetFunctionRole(target, selector), role);
    }

    function _assertMember(uint64 role, address account, bool expected) internal view {
        (bool isMember, uint32 delay) = manager.hasRole(role, account);
        assertEq(isMember, expected);
        assertEq(delay, 0);
    }

    function test_functionRoles_matchTheRolesMatrix() public view {
        _assertRole(address(emission), Emission.mint.selector, Roles.SETTLEMENT);
        _assertRole(address(staking), Staking.distributeReward.selector, Roles.SETTLEMENT);
        _assertRole(address(staking), Staking.accrueRewards.selector, Roles.SETTLEMENT);
        _assertRole(address(staking), Staking.slash.selector, Roles.SLASHER);
        _assertRole(address(staking), Staking.freezeHotkey.selector, Roles.SLASHER);
        _assertRole(address(staking), Staking.unfreezeHotkey.selector, Roles.SLASHER);
        _assertRole(address(slashing), Slashing.acceptDispute.selector, Roles.ARBITRATOR);
        _assertRole(address(slashing), Slashing.rejectDispute.selector, Roles.ARBITRATOR);
        // Parameter setters stay with ADMIN, the timelock.
        _assertRole(address(tao), TAO.setMinter.selector, Roles.ADMIN);
        _assertRole(address(staking), Staking.setUnbondingPeriod.selector, Roles.ADMIN);
        _assertRole(address(staking), Staking.setTakeParameters.selector, Roles.ADMIN);
        _assertRole(address(staking), Staking.setSlashParameters.selector, Roles.ADMIN);
        _assertRole(address(slashing), Slashing.setFaultRoute.selector, Roles.ADMIN);
        _assertRole(address(slashing), Slashing.setDisputeParameters.selector, Roles.ADMIN);
    }

    function test_roleHolders_areExactlyTheIntendedOnes() public view {
        _assertMember(Roles.ADMIN, timelock, true);
        _assertMember(Roles.ADMIN, address(this), false); // the deployer renounced
        _assertMember(Roles.SLASHER, address(slashing), true);
        _assertMember(Roles.SLASHER, timelock, false);
        _assertMember(Roles.ARBITRATOR, arbitrator, true);
        _assertMember(Roles.ARBITRATOR, timelock, true);
        _assertMember(Roles.SETTLEMENT, settlement, true);
        _assertMember(Roles.SETTLEMENT, timelock, false);
        assertEq(tao.minter(), address(emission));
        assertEq(tao.authority(), address(manager));
        assertEq(emission.authority(), address(manager));
        assertEq(staking.authority(), address(manager));
        assertEq(slashing.authority(), address(manager));
    }

    function test_renouncedDeployer_cannotRewire() public {
        vm.expectRevert();
        manager.grantRole(Roles.SLASHER, address(this), 0);
        (bool isMember, ) = manager.hasRole(Roles.SLASHER, address(this));
        assertFalse(isMember);
    }
}
