// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRootNetworkErrors, IRootNetworkEvents} from "../../../contracts/interfaces/IRootNetwork.sol";
import {RootTest} from "./RootTest.sol";

/// @notice `registerRoot`: who may register, and replacement of the smallest member when full.
contract RootNetworkRegisterTest is RootTest, IRootNetworkEvents {
    function test_registerRoot_addsAMemberInTheNextSlot() public {
        address first = _member(10e18);
        address hotkey = _stakedHotkey(5e18);
        vm.expectEmit(address(root));
        emit MemberRegistered(hotkey, 1, 5e18, address(0), 0, uint64(block.number));
        vm.prank(rootColdkey);
        assertEq(root.registerRoot(hotkey), 1);

        address[] memory list = root.members();
        assertEq(list.length, 2);
        assertEq(list[0], first);
        assertEq(list[1], hotkey);
        Member memory m = root.member(hotkey);
        assertEq(m.slot, 2);
        assertEq(m.registeredAtBlock, block.number);
        assertEq(m.lastUpdateBlock, 0);
        assertTrue(root.isMember(hotkey));
    }

    function test_registerRoot_acceptsTheHotkeyItself() public {
        address hotkey = _stakedHotkey(1e18);
        vm.prank(hotkey);
        root.registerRoot(hotkey);
        assertTrue(root.isMember(hotkey));
    }

    function test_registerRoot_revertsWhenHotkeyNotBound() public {
        address unbound = makeAddr("unbound");
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.HotkeyNotBound.selector, unbound));
        vm.prank(unbound);
        root.registerRoot(unbound);
    }

    function test_registerRoot_revertsWhenCallerIsNeitherHotkeyNorColdkey() public {
        address hotkey = _stakedHotkey(1e18);
        vm.expectRevert(
            abi.encodeWithSelector(IRootNetworkErrors.NotHotkeyOrOperator.selector, hotkey, stranger, rootColdkey)
        );
        vm.prank(stranger);
        root.registerRoot(hotkey);
    }

    function test_registerRoot_revertsWhenAlreadyMember() public {
        address hotkey = _member(1e18);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.AlreadyMember.selector, hotkey));
        vm.prank(rootColdkey);
        root.registerRoot(hotkey);
    }

    function test_registerRoot_revertsWithoutStake() public {
        address hotkey = _stakedHotkey(0);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.ZeroStake.selector, hotkey));
        vm.prank(rootColdkey);
        root.registerRoot(hotkey);
    }

    function test_registerRoot_replacesTheSmallestMemberWhenFull() public {
        _setMaxMembers(3);
        address a = _member(5e18);
        address b = _member(2e18);
        address c = _member(9e18);
        uint256[] memory netuids = _createSubnets(1);
        _setRootWeights(b, netuids, _one16(1));

        address newcomer = _stakedHotkey(3e18);
        vm.expectEmit(address(root));
        emit MemberRemoved(b, 2e18, uint64(block.number));
        vm.expectEmit(address(root));
        emit MemberRegistered(newcomer, 1, 3e18, b, 2e18, uint64(block.number));
        vm.prank(rootColdkey);
        assertEq(root.registerRoot(newcomer), 1);

        address[] memory list = root.members();
        assertEq(list.length, 3);
        assertEq(list[0], a);
        assertEq(list[1], newcomer);
        assertEq(list[2], c);
        assertFalse(root.isMember(b));
        (uint256[] memory kept, ) = root.rootWeightsOf(b);
        assertEq(kept.length, 0, "the replaced member's weights are gone");
        (uint256[] memory fresh, ) = root.rootWeightsOf(newcomer);
        assertEq(fresh.length, 0);
    }

    function test_registerRoot_revertsWhenFullAndStakeNotAboveTheSmallest() public {
        _setMaxMembers(2);
        _member(5e18);
        address small = _member(2e18);
        address newcomer = _stakedHotkey(2e18);
        vm.expectRevert(
            abi.encodeWithSelector(IRootNetworkErrors.StakeTooLowToReplace.selector, newcomer, 2e18, small, 2e18)
        );
        vm.prank(rootColdkey);
        root.registerRoot(newcomer);
    }

    /// @dev Stake is read when the newcomer arrives, not when members joined.
    function test_registerRoot_comparesCurrentStake() public {
        _setMaxMembers(2);
        address a = _member(5e18);
        address b = _member(6e18);
        _stake(rootColdkey, a, 4e18); // a: 9, b: 6
        address newcomer = _member(7e18);
        assertTrue(root.isMember(a));
        assertFalse(root.isMember(b));
        assertTrue(root.isMember(newcomer));
    }

    /// @dev Whatever the order of arrivals, no hotkey outside the root has more stake than one inside.
    function testFuzz_registerRoot_keepsTheLargestStakes(uint64[10] memory seeds, uint8 maxSeed) public {
        uint64 maxMembers = uint64(bound(maxSeed, 1, 6));
        _setMaxMembers(maxMembers);
        address[] memory hotkeys = new address[](seeds.length);
        uint256[] memory stakes = new uint256[](seeds.length);
        for (uint256 i = 0; i < seeds.length; ++i) {
            stakes[i] = bound(seeds[i], 0.01e18, 1_000e18);
            hotkeys[i] = _stakedHotkey(stakes[i]);
            vm.prank(rootColdkey);
            try root.registerRoot(hotkeys[i]) {} catch {}
            assertLe(root.members().length, maxMembers);
        }
        uint256 smallestInside = type(uint256).max;
        uint256 largestOutside;
        for (uint256 i = 0; i < seeds.length; ++i) {
            if (root.isMember(hotkeys[i])) {
                if (stakes[i] < smallestInside) smallestInside = stakes[i];
            } else if (stakes[i] > largestOutside) {
                largestOutside = stakes[i];
            }
        }
        assertEq(root.members().length, maxMembers);
        assertLe(largestOutside, smallestInside);
    }

    function test_setRootParameters_evictsTheSmallestWhenLowered() public {
        address a = _member(5e18);
        address b = _member(1e18);
        address c = _member(9e18);
        address d = _member(3e18);
        // b (slot 1) goes and the last member, d, takes its slot; then d goes and c takes it.
        vm.expectEmit(address(root));
        emit MemberRemoved(b, 1e18, uint64(block.number));
        vm.expectEmit(address(root));
        emit MemberMoved(d, 3, 1);
        vm.expectEmit(address(root));
        emit MemberRemoved(d, 3e18, uint64(block.number));
        vm.expectEmit(address(root));
        emit MemberMoved(c, 2, 1);
        _setMaxMembers(2);
        address[] memory list = root.members();
        assertEq(list.length, 2);
        assertTrue(root.isMember(a) && root.isMember(c));
        assertFalse(root.isMember(b) || root.isMember(d));
        // Slots stay consistent with the list.
        for (uint256 i = 0; i < list.length; ++i) assertEq(root.member(list[i]).slot, i + 1);
    }

    function test_setRootParameters_revertsOutOfBounds() public {
        RootParameters memory p = _defaultParameters();
        p.maxMembers = 65;
        vm.expectRevert(
            abi.encodeWithSelector(IRootNetworkErrors.ParameterOutOfBounds.selector, bytes32("maxMembers"), 65, 1, 64)
        );
        vm.prank(governance);
        root.setRootParameters(p);

        p = _defaultParameters();
        p.tempo = 0;
        vm.expectRevert(
            abi.encodeWithSelector(IRootNetworkErrors.ParameterOutOfBounds.selector, bytes32("tempo"), 0, 1, 302_400)
        );
        vm.prank(governance);
        root.setRootParameters(p);
    }

    function test_setRootParameters_isGovernanceOnly() public {
        RootParameters memory p = _defaultParameters();
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        root.setRootParameters(p);
    }
}
