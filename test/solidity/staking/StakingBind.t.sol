// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IStakingErrors, IStakingEvents, IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

/// @dev A contract hotkey (a multisig, say) that approves exactly one digest, as ERC-1271 allows.
contract ContractHotkey is IERC1271 {
    bytes32 public approvedDigest;

    function approve(bytes32 digest) external {
        approvedDigest = digest;
    }

    function isValidSignature(bytes32 digest, bytes memory) external view returns (bytes4) {
        return digest == approvedDigest ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

contract StakingBindTest is TaonetTest {
    function test_bindHotkey_bindsToCallerAndEmits() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signBinding(hotkeyAKey, alice, deadline);
        vm.expectEmit(true, true, false, true, address(staking));
        emit IStakingEvents.HotkeyBound(hotkeyA, alice, 0, DEFAULT_TAKE_BPS);
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline, signature);

        assertEq(staking.coldkeyOf(hotkeyA), alice);
        IStakingTypes.HotkeyInfo memory info = staking.hotkeyInfo(hotkeyA);
        assertEq(info.coldkey, alice);
        assertEq(info.takeBps, DEFAULT_TAKE_BPS);
        // The take-increase cooldown runs from the binding.
        assertEq(info.lastTakeIncrease, block.timestamp);
        assertEq(info.openDisputes, 0);
        assertEq(staking.nonces(hotkeyA), 1);
        address[] memory bound = staking.hotkeysOf(alice);
        assertEq(bound.length, 1);
        assertEq(bound[0], hotkeyA);
    }

    function test_bindHotkey_acceptsDeadlineEqualToNow() public {
        bytes memory signature = _signBinding(hotkeyAKey, alice, block.timestamp);
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, block.timestamp, signature);
        assertEq(staking.coldkeyOf(hotkeyA), alice);
    }

    function test_bindHotkey_oneColdkeyBindsSeveralHotkeys() public {
        _bind(hotkeyAKey, alice);
        _bind(hotkeyBKey, alice);
        address[] memory bound = staking.hotkeysOf(alice);
        assertEq(bound.length, 2);
        assertEq(bound[0], hotkeyA);
        assertEq(bound[1], hotkeyB);
    }

    function test_bindHotkey_revertsWhenSignatureReplayed() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signBinding(hotkeyAKey, alice, deadline);
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline, signature);

        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyAlreadyBound.selector, hotkeyA, alice));
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline, signature);
        assertEq(_systemState(), before);
    }

    function test_bindHotkey_revertsWhenSignatureIsForAnotherNonce() public {
        uint256 deadline = block.timestamp + 1 hours;
        // Signed for nonce 1 while the hotkey's nonce is 0: not the message the contract checks.
        bytes memory signature = _signBinding(hotkeyAKey, hotkeyA, alice, 1, deadline);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, hotkeyA, alice));
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline, signature);
        assertEq(_systemState(), before);
        assertEq(staking.nonces(hotkeyA), 0);
    }

    function test_bindHotkey_revertsWhenSignerIsNotTheHotkey() public {
        uint256 deadline = block.timestamp + 1 hours;
        // Bob's key signs a binding of hotkey A.
        bytes memory signature = _signBinding(bobKey, hotkeyA, alice, 0, deadline);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, hotkeyA, alice));
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline, signature);
        assertEq(_systemState(), before);
        assertEq(staking.coldkeyOf(hotkeyA), address(0));
    }

    function test_bindHotkey_revertsWhenDeadlineDiffersFromSigned() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signBinding(hotkeyAKey, alice, deadline);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, hotkeyA, alice));
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline + 1, signature);
        assertEq(_systemState(), before);
    }

    function test_bindHotkey_revertsWhenExpired() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signBinding(hotkeyAKey, alice, deadline);
        vm.warp(deadline + 1);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.BindingExpired.selector, deadline, deadline + 1));
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline, signature);
        assertEq(_systemState(), before);
    }

    function test_bindHotkey_revertsWhenBindingSomeoneElsesHotkey() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory aliceSignature = _signBinding(hotkeyAKey, alice, deadline);
        bytes32 before = _systemState();
        // A front-runner submits Alice's signature from its own account: the digest names Alice.
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, hotkeyA, stranger));
        vm.prank(stranger);
        staking.bindHotkey(hotkeyA, deadline, aliceSignature);
        assertEq(_systemState(), before);

        vm.prank(alice);
        staking.bindHotkey(hotkeyA, deadline, aliceSignature);
        // Even with the hotkey's own signature for Bob, a bound hotkey stays with its coldkey.
        bytes memory bobSignature = _signBinding(hotkeyAKey, bob, deadline);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyAlreadyBound.selector, hotkeyA, alice));
        vm.prank(bob);
        staking.bindHotkey(hotkeyA, deadline, bobSignature);
        assertEq(staking.coldkeyOf(hotkeyA), alice);
    }

    function test_bindHotkey_revertsForZeroHotkey() public {
        bytes32 before = _systemState();
        vm.expectRevert(IStakingErrors.InvalidHotkey.selector);
        vm.prank(alice);
        staking.bindHotkey(address(0), block.timestamp, "");
        assertEq(_systemState(), before);
        assertEq(staking.hotkeysOf(alice).length, 0);
    }

    function test_bindHotkey_revertsForMalformedSignature() public {
        bytes memory signature = _signBinding(hotkeyAKey, alice, block.timestamp);
        bytes memory truncated = new bytes(64);
        for (uint256 i = 0; i < 64; ++i) {
            truncated[i] = signature[i];
        }
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, hotkeyA, alice));
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, block.timestamp, truncated);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, hotkeyA, alice));
        vm.prank(alice);
        staking.bindHotkey(hotkeyA, block.timestamp, "");
        assertEq(_systemState(), before);
    }

    function test_bindHotkey_acceptsErc1271ContractHotkey() public {
        ContractHotkey wallet = new ContractHotkey();
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = staking.bindingDigest(address(wallet), alice, 0, deadline);

        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, address(wallet), alice));
        vm.prank(alice);
        staking.bindHotkey(address(wallet), deadline, "");

        wallet.approve(digest);
        vm.prank(alice);
        staking.bindHotkey(address(wallet), deadline, "");
        assertEq(staking.coldkeyOf(address(wallet)), alice);
    }

    function testFuzz_bindHotkey_bindsOnlyForTheSignedColdkey(
        uint256 hotkeyKey,
        address coldkey,
        address caller
    ) public {
        hotkeyKey = bound(hotkeyKey, 1, 2 ** 128);
        vm.assume(coldkey != address(0) && caller != address(0) && caller != coldkey);
        address hotkey = vm.addr(hotkeyKey);
        uint256 deadline = block.timestamp + 1 days;
        bytes memory signature = _signBinding(hotkeyKey, coldkey, deadline);

        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.InvalidHotkeySignature.selector, hotkey, caller));
        vm.prank(caller);
        staking.bindHotkey(hotkey, deadline, signature);

        vm.prank(coldkey);
        staking.bindHotkey(hotkey, deadline, signature);
        assertEq(staking.coldkeyOf(hotkey), coldkey);
        assertEq(staking.nonces(hotkey), 1);
    }

    function test_bindingDigest_isEip712OverTheBindingStruct() public view {
        bytes32 typeHash = keccak256("BindHotkey(address hotkey,address coldkey,uint256 nonce,uint256 deadline)");
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("taonet Staking"),
                keccak256("1"),
                block.chainid,
                address(staking)
            )
        );
        bytes32 structHash = keccak256(abi.encode(typeHash, hotkeyA, alice, uint256(3), uint256(99)));
        assertEq(
            staking.bindingDigest(hotkeyA, alice, 3, 99),
            keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash))
        );
    }
}
