// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {TAO} from "../../../contracts/token/TAO.sol";
import {ITAO} from "../../../contracts/interfaces/ITAO.sol";
import {EmissionSchedule} from "../../../contracts/libraries/EmissionSchedule.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract TAOTest is TaonetTest {
    // ---- deployment ----

    function test_constructor_allocatesGenesis() public view {
        assertEq(tao.totalSupply(), GENESIS_SUPPLY);
        assertEq(tao.balanceOf(treasury), GENESIS_SUPPLY);
        assertEq(tao.cap(), EmissionSchedule.CAP);
        assertEq(tao.cap(), 21_000_000e18);
        assertEq(tao.decimals(), 18);
        assertEq(tao.name(), "TAO");
        assertEq(tao.symbol(), "TAO");
        assertEq(tao.minter(), address(emission));
    }

    function test_constructor_emitsGenesisAllocated() public {
        address[] memory recipients = new address[](2);
        uint256[] memory amounts = new uint256[](2);
        (recipients[0], recipients[1]) = (alice, bob);
        (amounts[0], amounts[1]) = (1e18, 2e18);
        vm.expectEmit(true, false, false, true);
        emit ITAO.GenesisAllocated(alice, 1e18);
        vm.expectEmit(true, false, false, true);
        emit ITAO.GenesisAllocated(bob, 2e18);
        TAO token = new TAO(address(manager), recipients, amounts);
        assertEq(token.totalSupply(), 3e18);
        assertEq(token.minter(), address(0));
    }

    function test_constructor_revertsWhenGenesisLengthsDiffer() public {
        address[] memory recipients = new address[](2);
        uint256[] memory amounts = new uint256[](1);
        vm.expectRevert(abi.encodeWithSelector(ITAO.GenesisLengthMismatch.selector, 2, 1));
        new TAO(address(manager), recipients, amounts);
    }

    function test_constructor_revertsWhenGenesisExceedsCap() public {
        address[] memory recipients = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        recipients[0] = alice;
        amounts[0] = EmissionSchedule.CAP + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC20Capped.ERC20ExceededCap.selector,
                EmissionSchedule.CAP + 1,
                EmissionSchedule.CAP
            )
        );
        new TAO(address(manager), recipients, amounts);
    }

    // ---- mint ----

    function test_mint_byMinterMints() public {
        vm.prank(address(emission));
        tao.mint(alice, 5e18);
        assertEq(tao.balanceOf(alice), 5e18);
        assertEq(tao.totalSupply(), GENESIS_SUPPLY + 5e18);
    }

    function test_mint_revertsWhenCallerIsNotMinter() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ITAO.UnauthorizedMinter.selector, stranger, address(emission)));
        vm.prank(stranger);
        tao.mint(stranger, 1e18);
        // Not even governance can mint outside the schedule.
        vm.expectRevert(abi.encodeWithSelector(ITAO.UnauthorizedMinter.selector, timelock, address(emission)));
        vm.prank(timelock);
        tao.mint(timelock, 1e18);
        assertEq(_systemState(), before);
    }

    function test_mint_revertsBeforeMinterIsSet() public {
        TAO token = new TAO(address(manager), new address[](0), new uint256[](0));
        vm.expectRevert(abi.encodeWithSelector(ITAO.UnauthorizedMinter.selector, alice, address(0)));
        vm.prank(alice);
        token.mint(alice, 1);
        assertEq(token.totalSupply(), 0);
    }

    function test_mint_revertsAboveCap() public {
        uint256 room = EmissionSchedule.CAP - tao.totalSupply();
        vm.startPrank(address(emission));
        tao.mint(alice, room);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC20Capped.ERC20ExceededCap.selector,
                EmissionSchedule.CAP + 1,
                EmissionSchedule.CAP
            )
        );
        tao.mint(alice, 1);
        vm.stopPrank();
        assertEq(tao.totalSupply(), EmissionSchedule.CAP);
    }

    function testFuzz_mint_neverExceedsCap(uint256 first, uint256 second) public {
        first = bound(first, 0, EmissionSchedule.CAP - GENESIS_SUPPLY);
        vm.startPrank(address(emission));
        tao.mint(alice, first);
        if (second > EmissionSchedule.CAP - tao.totalSupply()) {
            vm.expectRevert();
            tao.mint(alice, second);
        } else {
            tao.mint(alice, second);
        }
        vm.stopPrank();
        assertLe(tao.totalSupply(), tao.cap());
    }

    // ---- setMinter ----

    function test_setMinter_revertsWhenAlreadySet() public {
        vm.expectRevert(abi.encodeWithSelector(ITAO.MinterAlreadySet.selector, address(emission)));
        vm.prank(timelock);
        tao.setMinter(stranger);
        assertEq(tao.minter(), address(emission));
    }

    function test_setMinter_revertsWhenCallerIsNotAdmin() public {
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        tao.setMinter(stranger);
        // The settlement's role does not reach it either.
        vm.expectRevert(_unauthorized(settlement));
        vm.prank(settlement);
        tao.setMinter(settlement);
        assertEq(tao.minter(), address(emission));
    }

    function test_setMinter_setsOnceAndEmits() public {
        TAO token = new TAO(address(manager), new address[](0), new uint256[](0));
        vm.expectEmit(true, false, false, false, address(token));
        emit ITAO.MinterSet(alice);
        vm.prank(timelock);
        token.setMinter(alice);
        assertEq(token.minter(), alice);

        vm.expectRevert(abi.encodeWithSelector(ITAO.MinterAlreadySet.selector, alice));
        vm.prank(timelock);
        token.setMinter(bob);
    }

    function test_setMinter_revertsForZeroAddress() public {
        TAO token = new TAO(address(manager), new address[](0), new uint256[](0));
        vm.expectRevert(ITAO.InvalidMinter.selector);
        vm.prank(timelock);
        token.setMinter(address(0));
        assertEq(token.minter(), address(0));
    }

    // ---- burn ----

    function testFuzz_burn_reducesSupply(uint256 amount) public {
        amount = bound(amount, 0, 1_000e18);
        _fund(alice, 1_000e18);
        vm.prank(alice);
        tao.burn(amount);
        assertEq(tao.balanceOf(alice), 1_000e18 - amount);
        assertEq(tao.totalSupply(), GENESIS_SUPPLY - amount);
    }

    // ---- votes and permit ----

    function test_clock_isTimestamp() public view {
        assertEq(tao.clock(), block.timestamp);
        assertEq(tao.CLOCK_MODE(), "mode=timestamp");
    }

    function test_delegate_checkpointsVotesByTimestamp() public {
        _fund(alice, 100e18);
        vm.prank(alice);
        tao.delegate(alice);
        uint256 t0 = block.timestamp;
        assertEq(tao.getVotes(alice), 100e18);
        vm.warp(t0 + 10);
        vm.prank(alice);
        tao.transfer(bob, 40e18);
        vm.warp(t0 + 20);
        assertEq(tao.getPastVotes(alice, t0), 100e18);
        assertEq(tao.getPastVotes(alice, t0 + 10), 60e18);
        assertEq(tao.getPastTotalSupply(t0 + 10), GENESIS_SUPPLY);
    }

    function test_permit_revertsWhenExpired() public {
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, 1e18, deadline);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        tao.permit(alice, address(staking), 1e18, deadline, v, r, s);
        assertEq(tao.allowance(alice, address(staking)), 0);
        assertEq(tao.nonces(alice), 0);
    }

    function test_permit_setsAllowance() public {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, 7e18, block.timestamp);
        tao.permit(alice, address(staking), 7e18, block.timestamp, v, r, s);
        assertEq(tao.allowance(alice, address(staking)), 7e18);
        assertEq(tao.nonces(alice), 1);
    }
}
