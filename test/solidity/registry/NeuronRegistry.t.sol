// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {INeuronRegistryErrors, INeuronRegistryEvents} from "../../../contracts/interfaces/INeuronRegistry.sol";
import {RegistryTest} from "./RegistryTest.sol";

/// @dev A subnet owned by `subnetOwner` and helpers for small, full subnets.
abstract contract NeuronRegistryTest is RegistryTest {
    uint256 internal netuid;

    function setUp() public virtual override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
    }

    /// @dev Lets `netuid` hold only `uids` UIDs (governance lowers the built-in floor of 64) with the
    /// given immunity, and take many cheap registrations.
    function _shrink(uint256 uids, uint256 immunity) internal {
        _setBounds(Hyperparameter.MaxAllowedUids, 1, 4_096, 256);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 1);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, uids);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, immunity);
        _openRegistrations(netuid);
    }

    function _expectRegisterRevert(address coldkey, address hotkey, uint256 maxBurn, bytes memory reason) internal {
        vm.prank(coldkey);
        vm.expectRevert(reason);
        neurons.registerNeuron(netuid, hotkey, maxBurn);
    }
}

contract NeuronRegistry_constructor is NeuronRegistryTest {
    function test_constructor_wiresDependencies() public view {
        assertEq(neurons.subnetRegistry(), address(subnets));
        assertEq(neurons.staking(), address(staking));
        assertEq(neurons.MAX_URL_LENGTH(), 256);
        assertEq(neurons.MAX_URI_LENGTH(), 512);
        assertEq(neurons.REGISTRATIONS_PER_TARGET(), 3);
    }

    function test_burnPrice_ofNewSubnetIsInitialBurnClamped() public {
        assertEq(neurons.burnPrice(netuid), INITIAL_BURN);
        _setHyperparameter(netuid, Hyperparameter.MinBurn, 0.5e18);
        assertEq(neurons.burnPrice(netuid), 0.5e18, "raised to the floor");
        uint256 other = _createSubnet(otherOwner);
        _setHyperparameter(other, Hyperparameter.MinBurn, 0);
        _setHyperparameter(other, Hyperparameter.MaxBurn, 0.1e18);
        assertEq(neurons.burnPrice(other), 0.1e18, "at the ceiling");
    }

    function test_burnPrice_revertsForUnknownSubnet() public {
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownSubnet.selector, 42));
        neurons.burnPrice(42);
    }
}

contract NeuronRegistry_registerNeuron is NeuronRegistryTest {
    function test_registerNeuron_assignsUidZeroAndBurnsThePrice() public {
        address hotkey = _newBoundHotkey(alice);
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        uint256 supply = tao.totalSupply();

        vm.expectEmit(address(neurons));
        emit INeuronRegistryEvents.NeuronRegistered(
            netuid,
            0,
            hotkey,
            alice,
            0.1e18,
            address(0),
            0.126e18,
            uint64(block.number)
        );
        vm.prank(alice);
        uint256 uid = neurons.registerNeuron(netuid, hotkey, 0.1e18);

        assertEq(uid, 0);
        assertEq(tao.balanceOf(alice), 0.9e18);
        assertEq(tao.totalSupply(), supply - 0.1e18, "burned, not transferred");
        assertEq(tao.allowance(alice, address(neurons)), 0.9e18);
        assertEq(neurons.neuronCount(netuid), 1);
        assertEq(neurons.hotkeyOf(netuid, 0), hotkey);
        (bool registered, uint256 stored) = neurons.uidOf(netuid, hotkey);
        assertTrue(registered);
        assertEq(stored, 0);
        assertEq(neurons.blockAtRegistration(netuid, 0), block.number);
        assertEq(neurons.neuronEmission(netuid, 0), 0);
        assertTrue(neurons.isImmune(netuid, 0));
        RegistrationState memory state = neurons.registrationState(netuid);
        assertEq(state.neuronCount, 1);
        assertEq(state.registrationsThisInterval, 1);
        assertEq(state.intervalStartBlock, block.number);
        assertEq(state.burnUpdatedAtBlock, block.number);
        assertEq(state.burnAtUpdate, 0.126e18);
    }

    function test_registerNeuron_handsOutUidsInOrderAndBumpsThePrice() public {
        (address h0, uint256 uid0) = _registerNew(netuid, alice);
        assertEq(neurons.burnPrice(netuid), 0.126e18);
        (address h1, uint256 uid1) = _registerNew(netuid, bob);
        assertEq(neurons.burnPrice(netuid), 0.15876e18);
        (, uint256 uid2) = _registerNew(netuid, alice);
        assertEq(abi.encode(uid0, uid1, uid2), abi.encode(0, 1, 2));
        assertEq(neurons.hotkeyOf(netuid, 1), h1);
        assertEq(neurons.hotkeyOf(netuid, 0), h0);
        assertEq(neurons.neuronCount(netuid), 3);
        assertEq(neurons.burnPrice(netuid), 0.2000376e18, "0.1 x 1.26^3");
    }

    function test_registerNeuron_priceHalvesEveryHalfLife() public {
        _registerNew(netuid, alice);
        _roll(DEFAULT_BURN_HALF_LIFE);
        assertEq(neurons.burnPrice(netuid), 0.063e18);
        _roll(DEFAULT_BURN_HALF_LIFE);
        assertEq(neurons.burnPrice(netuid), 0.0315e18);
        _roll(DEFAULT_BURN_HALF_LIFE / 2);
        // 0.0315 TAO x 2^-0.5 = 22,273,863,607,376,247.0186 wei (Python, decimal at 60 digits): the
        // price is rounded up, never below the exact curve.
        uint256 price = neurons.burnPrice(netuid);
        assertGe(price, 22_273_863_607_376_248);
        assertApproxEqAbs(price, 22_273_863_607_376_248, 20);
    }

    function test_registerNeuron_priceDecaysToMinBurnAndStaysWithinMaxBurn() public {
        _registerNew(netuid, alice);
        _roll(100 * DEFAULT_BURN_HALF_LIFE);
        assertEq(neurons.burnPrice(netuid), DEFAULT_MIN_BURN, "the floor");

        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 0.1e18);
        _setHyperparameter(netuid, Hyperparameter.MinBurn, 0.09e18);
        _setHyperparameter(netuid, Hyperparameter.TargetRegistrationsPerInterval, 100);
        assertEq(neurons.burnPrice(netuid), 0.09e18);
        _registerNew(netuid, alice);
        assertEq(neurons.burnPrice(netuid), 0.1e18, "0.09 x 1.26 capped at the ceiling");
        _registerNew(netuid, alice);
        assertEq(neurons.registrationState(netuid).burnAtUpdate, 0.1e18);
    }

    function test_registerNeuron_isFreeWhenMinBurnIsZeroAndThePriceDecayed() public {
        _setHyperparameter(netuid, Hyperparameter.MinBurn, 0);
        _registerNew(netuid, alice);
        _roll(256 * DEFAULT_BURN_HALF_LIFE);
        assertEq(neurons.burnPrice(netuid), 0);
        address hotkey = _newBoundHotkey(bob);
        uint256 supply = tao.totalSupply();
        vm.prank(bob);
        uint256 uid = neurons.registerNeuron(netuid, hotkey, 0);
        assertEq(uid, 1);
        assertEq(tao.totalSupply(), supply);
        assertEq(neurons.burnPrice(netuid), 0, "0 x 1.26 stays 0 until the owner raises the floor");
        _setHyperparameter(netuid, Hyperparameter.MinBurn, 1e15);
        assertEq(neurons.burnPrice(netuid), 1e15);
    }

    function test_registerNeuron_sameHotkeyMayJoinSeveralSubnets() public {
        uint256 other = _createSubnet(otherOwner);
        (address hotkey, ) = _registerNew(netuid, alice);
        uint256 uid = _register(other, alice, hotkey);
        assertEq(uid, 0);
        (bool registered, ) = neurons.uidOf(other, hotkey);
        assertTrue(registered);
    }

    function test_registerNeuron_revertsForUnknownSubnet() public {
        address hotkey = _newBoundHotkey(alice);
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownSubnet.selector, 0));
        neurons.registerNeuron(0, hotkey, 1e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownSubnet.selector, 2));
        neurons.registerNeuron(2, hotkey, 1e18);
        assertEq(_neuronState(netuid, _list(hotkey)), before);
    }

    function test_registerNeuron_revertsOnDissolvedSubnet() public {
        (address registered, ) = _registerNew(netuid, alice);
        address hotkey = _newBoundHotkey(alice);
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey, registered));
        _expectRegisterRevert(
            alice,
            hotkey,
            1e18,
            abi.encodeWithSelector(INeuronRegistryErrors.UnknownSubnet.selector, netuid)
        );
        assertEq(_neuronState(netuid, _list(hotkey, registered)), before);
        assertEq(neurons.hotkeyOf(netuid, 0), registered, "the dead subnet's neurons stay behind its netuid");
    }

    function test_registerNeuron_revertsWhenHotkeyAlreadyRegistered() public {
        _registerNew(netuid, alice);
        (address hotkey, uint256 uid) = _registerNew(netuid, alice);
        assertEq(uid, 1);
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            alice,
            hotkey,
            1e18,
            abi.encodeWithSelector(INeuronRegistryErrors.HotkeyAlreadyRegistered.selector, netuid, hotkey, 1)
        );
        assertEq(_neuronState(netuid, _list(hotkey)), before);
    }

    function test_registerNeuron_revertsForHotkeyOfAnotherColdkey() public {
        address hotkey = _newBoundHotkey(alice);
        _fund(bob, 1e18);
        vm.prank(bob);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            bob,
            hotkey,
            1e18,
            abi.encodeWithSelector(INeuronRegistryErrors.NotHotkeyColdkey.selector, hotkey, bob, alice)
        );
        assertEq(_neuronState(netuid, _list(hotkey)), before);
    }

    function test_registerNeuron_revertsForUnboundHotkey() public {
        (address hotkey, ) = _newHotkey();
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            alice,
            hotkey,
            1e18,
            abi.encodeWithSelector(INeuronRegistryErrors.NotHotkeyColdkey.selector, hotkey, alice, address(0))
        );
        // Nor may anyone register the zero address, whose "coldkey" is zero too.
        vm.prank(address(0));
        vm.expectRevert(
            abi.encodeWithSelector(INeuronRegistryErrors.NotHotkeyColdkey.selector, address(0), address(0), address(0))
        );
        neurons.registerNeuron(netuid, address(0), 1e18);
        assertEq(_neuronState(netuid, _list(hotkey)), before);
    }

    function test_registerNeuron_revertsWhenPriceAboveMax() public {
        address hotkey = _newBoundHotkey(alice);
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            alice,
            hotkey,
            0.1e18 - 1,
            abi.encodeWithSelector(INeuronRegistryErrors.BurnAboveMaximum.selector, 0.1e18, 0.1e18 - 1)
        );
        assertEq(_neuronState(netuid, _list(hotkey)), before);
        assertEq(tao.balanceOf(alice), 1e18);
    }

    function test_registerNeuron_revertsWhenRegistrationDisabled() public {
        _setHyperparameter(netuid, Hyperparameter.RegistrationAllowed, 0);
        address hotkey = _newBoundHotkey(alice);
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            alice,
            hotkey,
            1e18,
            abi.encodeWithSelector(INeuronRegistryErrors.RegistrationDisabled.selector, netuid)
        );
        assertEq(_neuronState(netuid, _list(hotkey)), before);
        _setHyperparameter(netuid, Hyperparameter.RegistrationAllowed, 1);
        _register(netuid, alice, hotkey);
    }

    function test_registerNeuron_revertsWhenTooManyRegistrationsPerInterval() public {
        // Target 2 per interval: at most 6 registrations per tempo (2,160 blocks).
        _registerMany(netuid, alice, 6);
        address hotkey = _newBoundHotkey(alice);
        _fund(alice, 10e18);
        vm.prank(alice);
        tao.approve(address(neurons), 10e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            alice,
            hotkey,
            10e18,
            abi.encodeWithSelector(INeuronRegistryErrors.TooManyRegistrations.selector, netuid, 6, 6)
        );
        assertEq(_neuronState(netuid, _list(hotkey)), before);

        _roll(DEFAULT_TEMPO - 1);
        _expectRegisterRevert(
            alice,
            hotkey,
            10e18,
            abi.encodeWithSelector(INeuronRegistryErrors.TooManyRegistrations.selector, netuid, 6, 6)
        );
        _roll(1);
        vm.prank(alice);
        neurons.registerNeuron(netuid, hotkey, 10e18);
        RegistrationState memory state = neurons.registrationState(netuid);
        assertEq(state.registrationsThisInterval, 1, "a new interval");
        assertEq(state.intervalStartBlock, block.number);
    }

    function test_registerNeuron_revertsWithoutAllowance() public {
        address hotkey = _newBoundHotkey(alice);
        _fund(alice, 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            alice,
            hotkey,
            1e18,
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(neurons), 0, 0.1e18)
        );
        assertEq(_neuronState(netuid, _list(hotkey)), before);
    }

    function test_registerNeuron_replacesLowestEmissionNeuronPastImmunity() public {
        _shrink(4, 100);
        address[] memory hotkeys = _registerMany(netuid, alice, 4);
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, _words(0xF));
        _recordNeuronEmissions(netuid, 0, _emissions(40, 10, 30, 20));
        _roll(100);
        (bool found, uint256 expected) = neurons.neuronToPrune(netuid);
        assertTrue(found);
        assertEq(expected, 1);

        address newcomer = _newBoundHotkey(bob);
        uint256 price = neurons.burnPrice(netuid);
        _fund(bob, price);
        vm.prank(bob);
        tao.approve(address(neurons), price);
        vm.expectEmit(address(neurons));
        emit INeuronRegistryEvents.NeuronRegistered(
            netuid,
            1,
            newcomer,
            bob,
            price,
            hotkeys[1],
            (price * 126 + 99) / 100,
            uint64(block.number)
        );
        vm.prank(bob);
        uint256 uid = neurons.registerNeuron(netuid, newcomer, price);

        assertEq(uid, 1);
        assertEq(neurons.neuronCount(netuid), 4, "full subnets stay full");
        assertEq(neurons.hotkeyOf(netuid, 1), newcomer);
        (bool registered, ) = neurons.uidOf(netuid, hotkeys[1]);
        assertFalse(registered, "the pruned hotkey loses its UID");
        (registered, uid) = neurons.uidOf(netuid, newcomer);
        assertTrue(registered);
        assertEq(uid, 1);
        assertEq(neurons.blockAtRegistration(netuid, 1), block.number);
        assertEq(neurons.neuronEmission(netuid, 1), 0, "no inherited emission");
        assertFalse(neurons.hasValidatorPermit(netuid, 1), "no inherited permit");
        assertTrue(neurons.hasValidatorPermit(netuid, 0));
        assertTrue(neurons.hasValidatorPermit(netuid, 2));
        assertEq(neurons.neuronEmission(netuid, 0), 40);
    }

    function test_registerNeuron_prefersNonImmuneNeuronEvenWithHigherEmission() public {
        _shrink(3, 100);
        _registerMany(netuid, alice, 2);
        _roll(60);
        _registerNew(netuid, alice);
        _recordNeuronEmissions(netuid, 0, _emissions3(50, 60, 0));
        _roll(40);
        // UIDs 0 and 1 are past immunity; UID 2 (emission 0) is immune for 60 more blocks.
        assertTrue(neurons.isImmune(netuid, 2));
        assertFalse(neurons.isImmune(netuid, 0));
        (, uint256 uid) = _registerNew(netuid, bob);
        assertEq(uid, 0);
    }

    function test_registerNeuron_breaksEmissionTiesByRegistrationThenUid() public {
        _shrink(4, 10);
        _registerMany(netuid, alice, 2);
        _roll(1);
        _registerMany(netuid, alice, 2);
        _roll(10);
        _recordNeuronEmissions(netuid, 0, _emissions(5, 1, 1, 1));
        (, uint256 uid) = _registerNew(netuid, bob);
        assertEq(uid, 1, "lowest emission, earliest registration");
        _recordNeuronEmissions(netuid, 0, _emissions(5, 9, 1, 1));
        _roll(10);
        (, uid) = _registerNew(netuid, bob);
        assertEq(uid, 2, "same registration block: the lower UID");
    }

    function test_registerNeuron_replacesImmuneNeuronOnlyWhenAllAreImmune() public {
        _shrink(3, 1_000);
        _registerMany(netuid, alice, 3);
        _recordNeuronEmissions(netuid, 0, _emissions3(7, 3, 9));
        (, uint256 uid) = _registerNew(netuid, bob);
        assertEq(uid, 1, "every neuron immune: the same order applies among them");
    }

    function test_registerNeuron_replacedHotkeyMayRegisterAgain() public {
        _shrink(2, 0);
        address[] memory hotkeys = _registerMany(netuid, alice, 2);
        _recordNeuronEmissions(netuid, 0, _emissions2(0, 5));
        _registerNew(netuid, bob);
        (bool registered, ) = neurons.uidOf(netuid, hotkeys[0]);
        assertFalse(registered);
        _recordNeuronEmissions(netuid, 0, _emissions2(5, 0));
        uint256 uid = _register(netuid, alice, hotkeys[0]);
        assertEq(uid, 1);
    }

    function test_registerNeuron_revertsWhenNoUidAvailable() public {
        _setBounds(Hyperparameter.MaxAllowedValidators, 0, 128, 64);
        _setBounds(Hyperparameter.MaxAllowedUids, 0, 4_096, 256);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 0);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 0);
        address hotkey = _newBoundHotkey(alice);
        _fund(alice, 1e18);
        vm.prank(alice);
        tao.approve(address(neurons), 1e18);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectRegisterRevert(
            alice,
            hotkey,
            1e18,
            abi.encodeWithSelector(INeuronRegistryErrors.NoUidAvailable.selector, netuid)
        );
        assertEq(_neuronState(netuid, _list(hotkey)), before);
    }

    function _words(uint256 word) internal pure returns (uint256[] memory bitmap) {
        bitmap = new uint256[](1);
        bitmap[0] = word;
    }

    function _emissions(uint64 a, uint64 b, uint64 c, uint64 d) internal pure returns (uint64[] memory values) {
        values = new uint64[](4);
        (values[0], values[1], values[2], values[3]) = (a, b, c, d);
    }

    function _emissions3(uint64 a, uint64 b, uint64 c) internal pure returns (uint64[] memory) {
        return _uint64s(a, b, c);
    }

    function _emissions2(uint64 a, uint64 b) internal pure returns (uint64[] memory values) {
        values = new uint64[](2);
        (values[0], values[1]) = (a, b);
    }
}

contract NeuronRegistry_serveEndpoint is NeuronRegistryTest {
    address internal hotkey;

    function setUp() public override {
        super.setUp();
        (hotkey, ) = _registerNew(netuid, alice);
    }

    function test_serveEndpoint_storesIpv4EndpointAndEmits() public {
        Endpoint memory e = _ipv4Endpoint();
        vm.expectEmit(address(neurons));
        emit INeuronRegistryEvents.EndpointServed(netuid, hotkey, 0, e.ip, 8091, 4, 4, 1, "");
        vm.prank(hotkey);
        neurons.serveEndpoint(netuid, e);
        Endpoint memory stored = neurons.endpointOf(netuid, hotkey);
        assertEq(stored.ip, e.ip);
        assertEq(stored.port, 8091);
        assertEq(stored.ipType, 4);
        assertEq(stored.protocol, 4);
        assertEq(stored.version, 1);
        assertEq(stored.updatedAtBlock, block.number);
        assertEq(bytes(stored.url).length, 0);
    }

    function test_serveEndpoint_acceptsUrlOnlyAndIpv6Endpoints() public {
        vm.prank(hotkey);
        neurons.serveEndpoint(netuid, _endpoint(bytes16(0), 0, 0, "https://miner.example.org"));
        assertEq(neurons.endpointOf(netuid, hotkey).url, "https://miner.example.org");
        _roll(DEFAULT_SERVING_RATE_LIMIT);
        bytes16 ipv6 = bytes16(0x20010db8000000000000000000000001);
        vm.prank(hotkey);
        neurons.serveEndpoint(netuid, _endpoint(ipv6, 443, 6, string(new bytes(256))));
        Endpoint memory stored = neurons.endpointOf(netuid, hotkey);
        assertEq(stored.ip, ipv6);
        assertEq(stored.ipType, 6);
        assertEq(bytes(stored.url).length, 256);
    }

    function test_serveEndpoint_revertsWhenInvalid() public {
        bytes32 before = _neuronState(netuid, _list(hotkey));
        _expectInvalid(_endpoint(bytes16(uint128(1)), 80, 5, ""), 5, 80, 0);
        _expectInvalid(_endpoint(bytes16(uint128(1)), 80, 0, "https://x"), 0, 80, 9);
        _expectInvalid(_endpoint(bytes16(uint128(1)), 0, 4, ""), 4, 0, 0);
        _expectInvalid(_endpoint(bytes16(0), 0, 0, ""), 0, 0, 0);
        _expectInvalid(_endpoint(bytes16(uint128(1)), 80, 4, string(new bytes(257))), 4, 80, 257);
        assertEq(_neuronState(netuid, _list(hotkey)), before);
    }

    function test_serveEndpoint_revertsWithinRateLimit() public {
        vm.prank(hotkey);
        neurons.serveEndpoint(netuid, _ipv4Endpoint());
        uint256 next = block.number + DEFAULT_SERVING_RATE_LIMIT;
        _roll(DEFAULT_SERVING_RATE_LIMIT - 1);
        bytes32 before = _neuronState(netuid, _list(hotkey));
        Endpoint memory e = _endpoint(bytes16(0), 0, 0, "https://moved.example.org");
        vm.prank(hotkey);
        vm.expectRevert(
            abi.encodeWithSelector(INeuronRegistryErrors.EndpointRateLimited.selector, netuid, hotkey, next)
        );
        neurons.serveEndpoint(netuid, e);
        assertEq(_neuronState(netuid, _list(hotkey)), before);
        _roll(1);
        vm.prank(hotkey);
        neurons.serveEndpoint(netuid, e);
        assertEq(neurons.endpointOf(netuid, hotkey).url, "https://moved.example.org");
    }

    function test_serveEndpoint_zeroRateLimitAllowsEveryBlock() public {
        _setHyperparameter(netuid, Hyperparameter.ServingRateLimit, 0);
        vm.startPrank(hotkey);
        neurons.serveEndpoint(netuid, _ipv4Endpoint());
        neurons.serveEndpoint(netuid, _ipv4Endpoint());
        vm.stopPrank();
    }

    function test_serveEndpoint_revertsForUnregisteredHotkey() public {
        Endpoint memory e = _ipv4Endpoint();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.HotkeyNotRegistered.selector, netuid, stranger));
        neurons.serveEndpoint(netuid, e);
        // The coldkey is not the hotkey.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.HotkeyNotRegistered.selector, netuid, alice));
        neurons.serveEndpoint(netuid, e);
    }

    function test_serveEndpoint_revertsForUnknownSubnet() public {
        Endpoint memory e = _ipv4Endpoint();
        vm.prank(hotkey);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownSubnet.selector, 9));
        neurons.serveEndpoint(9, e);
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);
        vm.prank(hotkey);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownSubnet.selector, netuid));
        neurons.serveEndpoint(netuid, e);
    }

    function _expectInvalid(Endpoint memory e, uint8 ipType, uint16 port, uint256 urlLength) internal {
        vm.prank(hotkey);
        vm.expectRevert(
            abi.encodeWithSelector(INeuronRegistryErrors.InvalidEndpoint.selector, ipType, port, urlLength)
        );
        neurons.serveEndpoint(netuid, e);
    }
}

contract NeuronRegistry_commit is NeuronRegistryTest {
    address internal hotkey;
    address internal copier;
    /// @dev sha256("model weights") and sha256("other model"), written out: a `sha256` call would
    /// reach the precompile and use up a pending `vm.prank`.
    bytes32 internal constant DIGEST = 0xa2d42c4aa884e21216cbb8da4c7ba2fcf9b6033b2331666e666145c24caf7a38;
    bytes32 internal constant OTHER_DIGEST = 0xc6b7dc8e679f037649e08244260bf22a4fbae067f94b9d1ef240faaf6e0d2955;

    function setUp() public override {
        super.setUp();
        (hotkey, ) = _registerNew(netuid, alice);
        (copier, ) = _registerNew(netuid, bob);
    }

    function test_commit_storesAndRecordsTheFirstCommitter() public {
        vm.expectEmit(address(neurons));
        emit INeuronRegistryEvents.CommitmentSet(
            netuid,
            hotkey,
            0,
            DIGEST,
            "hf://org/model",
            uint64(block.number),
            true
        );
        vm.prank(hotkey);
        neurons.commit(netuid, DIGEST, "hf://org/model");
        uint256 firstBlock = block.number;

        Commitment memory c = neurons.commitmentOf(netuid, hotkey);
        assertEq(c.digest, DIGEST);
        assertEq(c.committedAtBlock, block.number);
        assertEq(c.uri, "hf://org/model");

        _roll(5);
        vm.expectEmit(address(neurons));
        emit INeuronRegistryEvents.CommitmentSet(
            netuid,
            copier,
            1,
            DIGEST,
            "hf://copy/model",
            uint64(block.number),
            false
        );
        vm.prank(copier);
        neurons.commit(netuid, DIGEST, "hf://copy/model");
        (address first, uint64 firstAt) = neurons.firstCommitment(netuid, DIGEST);
        assertEq(first, hotkey, "the copier is not first");
        assertEq(firstAt, firstBlock);
        assertEq(neurons.commitmentOf(netuid, copier).committedAtBlock, block.number);
    }

    function test_commit_revertsWhenInvalid() public {
        bytes32 before = _neuronState(netuid, _list(hotkey, copier));
        vm.prank(hotkey);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.InvalidCommitment.selector, bytes32(0), 3));
        neurons.commit(netuid, bytes32(0), "uri");
        string memory long = string(new bytes(513));
        vm.prank(hotkey);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.InvalidCommitment.selector, DIGEST, 513));
        neurons.commit(netuid, DIGEST, long);
        assertEq(_neuronState(netuid, _list(hotkey, copier)), before);
        (address first, ) = neurons.firstCommitment(netuid, DIGEST);
        assertEq(first, address(0));
        vm.prank(hotkey);
        neurons.commit(netuid, DIGEST, string(new bytes(512)));
    }

    function test_commit_revertsWithinRateLimit() public {
        vm.prank(hotkey);
        neurons.commit(netuid, DIGEST, "a");
        uint256 next = block.number + DEFAULT_COMMITMENT_RATE_LIMIT;
        _roll(DEFAULT_COMMITMENT_RATE_LIMIT - 1);
        bytes32 other = OTHER_DIGEST;
        bytes32 before = _neuronState(netuid, _list(hotkey, copier));
        vm.prank(hotkey);
        vm.expectRevert(
            abi.encodeWithSelector(INeuronRegistryErrors.CommitmentRateLimited.selector, netuid, hotkey, next)
        );
        neurons.commit(netuid, other, "b");
        assertEq(_neuronState(netuid, _list(hotkey, copier)), before);
        (address first, ) = neurons.firstCommitment(netuid, other);
        assertEq(first, address(0), "a rate-limited commit claims nothing");
        _roll(1);
        vm.prank(hotkey);
        neurons.commit(netuid, other, "b");
        assertEq(neurons.commitmentOf(netuid, hotkey).digest, other);
    }

    function test_commit_revertsForUnregisteredHotkeyOrUnknownSubnet() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.HotkeyNotRegistered.selector, netuid, stranger));
        neurons.commit(netuid, DIGEST, "");
        vm.prank(hotkey);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownSubnet.selector, 3));
        neurons.commit(3, DIGEST, "");
    }
}

contract NeuronRegistry_setValidatorPermits is NeuronRegistryTest {
    function setUp() public override {
        super.setUp();
        _registerMany(netuid, alice, 3);
    }

    function test_setValidatorPermits_bySettlementStoresAndEmits() public {
        uint256[] memory bitmap = new uint256[](1);
        bitmap[0] = 0x5;
        vm.expectEmit(address(neurons));
        emit INeuronRegistryEvents.ValidatorPermitsSet(netuid, bitmap);
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        assertTrue(neurons.hasValidatorPermit(netuid, 0));
        assertFalse(neurons.hasValidatorPermit(netuid, 1));
        assertTrue(neurons.hasValidatorPermit(netuid, 2));
        assertEq(neurons.validatorPermits(netuid)[0], 0x5);
        bitmap[0] = 0x2;
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        assertFalse(neurons.hasValidatorPermit(netuid, 0), "replaced, not merged");
        assertTrue(neurons.hasValidatorPermit(netuid, 1));
    }

    /// @notice `submitterOf` is `neuronCount`, `uidOf` and `hasValidatorPermit` in one call.
    function test_submitterOf_matchesTheSeparateViews() public {
        uint256[] memory bitmap = new uint256[](1);
        bitmap[0] = 0x4;
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        for (uint256 uid = 0; uid < 3; ++uid) {
            address hotkey = neurons.hotkeyOf(netuid, uid);
            (uint256 count, bool registered, uint256 found, bool permit) = neurons.submitterOf(netuid, hotkey);
            assertEq(count, 3);
            assertTrue(registered);
            assertEq(found, uid);
            assertEq(permit, uid == 2);
        }
        (uint256 n, bool isRegistered, uint256 uidOfStranger, bool permitted) = neurons.submitterOf(netuid, stranger);
        assertEq(n, 3);
        assertFalse(isRegistered);
        assertEq(uidOfStranger, 0);
        assertFalse(permitted);
    }

    /// @notice `neuronRange` is `hotkeyOf`, `blockAtRegistration` and `hasValidatorPermit` of a range of
    /// UIDs, and refuses a range past the last UID.
    function test_neuronRange_matchesThePerUidViews() public {
        uint256[] memory bitmap = new uint256[](1);
        bitmap[0] = 0x6;
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        (address[] memory hotkeys, uint64[] memory registeredAt, bool[] memory permitted) = neurons.neuronRange(
            netuid,
            1,
            2
        );
        assertEq(hotkeys.length, 2);
        for (uint256 i = 0; i < 2; ++i) {
            assertEq(hotkeys[i], neurons.hotkeyOf(netuid, 1 + i));
            assertEq(registeredAt[i], neurons.blockAtRegistration(netuid, 1 + i));
            assertEq(permitted[i], neurons.hasValidatorPermit(netuid, 1 + i));
        }
        assertTrue(permitted[0] && permitted[1]);
        (hotkeys, , ) = neurons.neuronRange(netuid, 3, 0);
        assertEq(hotkeys.length, 0);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownUid.selector, netuid, 3));
        neurons.neuronRange(netuid, 2, 2);
    }

    function test_setValidatorPermits_revertsWithWrongLength() public {
        bytes32 before = _neuronState(netuid, new address[](0));
        vm.prank(settlement);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.LengthMismatch.selector, 2, 1));
        neurons.setValidatorPermits(netuid, new uint256[](2));
        vm.prank(settlement);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.LengthMismatch.selector, 0, 1));
        neurons.setValidatorPermits(netuid, new uint256[](0));
        assertEq(_neuronState(netuid, new address[](0)), before);
    }

    /// @dev A stray bit would otherwise sit there until UID 3 registers, and hand it a permit.
    function test_setValidatorPermits_revertsForPermitPastTheLastUid() public {
        bytes32 before = _neuronState(netuid, new address[](0));
        uint256[] memory bitmap = new uint256[](1);
        bitmap[0] = 0x9; // UIDs 0 and 3; only 0..2 exist
        vm.prank(settlement);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownUid.selector, netuid, 3));
        neurons.setValidatorPermits(netuid, bitmap);
        bitmap[0] = (1 << 255) | 1;
        vm.prank(settlement);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownUid.selector, netuid, 255));
        neurons.setValidatorPermits(netuid, bitmap);
        assertEq(_neuronState(netuid, new address[](0)), before);

        bitmap[0] = 0x7;
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        (, uint256 uid) = _registerNew(netuid, bob);
        assertEq(uid, 3);
        assertFalse(neurons.hasValidatorPermit(netuid, 3), "a new UID starts without a permit");
    }

    function test_setValidatorPermits_acceptsFullWords() public {
        _setHyperparameter(netuid, Hyperparameter.TargetRegistrationsPerInterval, 4_096);
        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 0.1e18);
        _registerMany(netuid, alice, 253);
        assertEq(neurons.neuronCount(netuid), 256);
        uint256[] memory bitmap = new uint256[](1);
        bitmap[0] = type(uint256).max;
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        assertTrue(neurons.hasValidatorPermit(netuid, 255));
    }

    function test_setValidatorPermits_revertsForNonSettlement() public {
        bytes32 before = _neuronState(netuid, new address[](0));
        address[4] memory callers = [subnetOwner, governance, alice, stranger];
        uint256[] memory bitmap = new uint256[](1);
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_unauthorized(callers[i]));
            neurons.setValidatorPermits(netuid, bitmap);
        }
        assertEq(_neuronState(netuid, new address[](0)), before);
    }
}

contract NeuronRegistry_recordNeuronEmissions is NeuronRegistryTest {
    function setUp() public override {
        super.setUp();
        _registerMany(netuid, alice, 4);
    }

    function test_recordNeuronEmissions_recordsAChunk() public {
        uint64 registeredAt = neurons.blockAtRegistration(netuid, 1);
        _roll(10);
        uint64[] memory chunk = _uint64s(7, 8, type(uint64).max);
        vm.recordLogs();
        _recordNeuronEmissions(netuid, 1, chunk);
        assertEq(vm.getRecordedLogs().length, 0, "no event");
        assertEq(neurons.neuronEmission(netuid, 0), 0);
        assertEq(neurons.neuronEmission(netuid, 1), 7);
        assertEq(neurons.neuronEmission(netuid, 2), 8);
        assertEq(neurons.neuronEmission(netuid, 3), type(uint64).max);
        assertEq(neurons.blockAtRegistration(netuid, 1), registeredAt, "the packed neighbour is kept");
        assertEq(neurons.blockAtRegistration(netuid, 3), registeredAt);
    }

    function test_recordNeuronEmissions_revertsPastTheLastUid() public {
        bytes32 before = _neuronState(netuid, new address[](0));
        uint64[] memory chunk = _uint64s(1, 2, 3);
        vm.prank(settlement);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownUid.selector, netuid, 4));
        neurons.recordNeuronEmissions(netuid, 2, chunk);
        vm.prank(settlement);
        vm.expectRevert(abi.encodeWithSelector(INeuronRegistryErrors.UnknownUid.selector, 77, 2));
        neurons.recordNeuronEmissions(77, 0, chunk);
        assertEq(_neuronState(netuid, new address[](0)), before);
    }

    function test_recordNeuronEmissions_revertsForNonSettlement() public {
        bytes32 before = _neuronState(netuid, new address[](0));
        address[3] memory callers = [subnetOwner, governance, stranger];
        uint64[] memory chunk = _uint64s(1, 2, 3);
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_unauthorized(callers[i]));
            neurons.recordNeuronEmissions(netuid, 0, chunk);
        }
        assertEq(_neuronState(netuid, new address[](0)), before);
    }
}

contract NeuronRegistry_views is NeuronRegistryTest {
    function test_isImmune_endsAfterTheImmunityPeriod() public {
        _registerNew(netuid, alice);
        assertTrue(neurons.isImmune(netuid, 0));
        _roll(DEFAULT_IMMUNITY_PERIOD - 1);
        assertTrue(neurons.isImmune(netuid, 0));
        _roll(1);
        assertFalse(neurons.isImmune(netuid, 0));
        assertFalse(neurons.isImmune(netuid, 1), "no such UID");
    }

    /// @notice `neuronRange` of every range of five UIDs registered at different blocks: the
    /// registration block of each from its half of the word two UIDs share.
    function test_neuronRange_everyRangeMatchesThePerUidViews() public {
        for (uint256 i = 0; i < 5; ++i) {
            _registerNew(netuid, alice);
            _roll(1 + i);
        }
        for (uint256 start = 0; start < 5; ++start) {
            for (uint256 count = 0; start + count <= 5; ++count) {
                (address[] memory hotkeys, uint64[] memory registeredAt, bool[] memory permitted) = neurons.neuronRange(
                    netuid,
                    start,
                    count
                );
                assertEq(hotkeys.length, count);
                for (uint256 i = 0; i < count; ++i) {
                    assertEq(hotkeys[i], neurons.hotkeyOf(netuid, start + i));
                    assertEq(registeredAt[i], neurons.blockAtRegistration(netuid, start + i));
                    assertEq(permitted[i], neurons.hasValidatorPermit(netuid, start + i));
                }
            }
        }
        assertLt(neurons.blockAtRegistration(netuid, 0), neurons.blockAtRegistration(netuid, 1));
    }

    function test_neuronToPrune_ofEmptySubnetFindsNothing() public view {
        (bool found, ) = neurons.neuronToPrune(netuid);
        assertFalse(found);
    }

    function test_computeValidatorPermits_topByStakeNonZeroTiesToHigherUid() public {
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 3);
        address[] memory hotkeys = _registerMany(netuid, alice, 5);
        _stake(bob, hotkeys[0], 5e18);
        _stake(bob, hotkeys[1], 9e18);
        _stake(bob, hotkeys[3], 5e18);
        _stake(bob, hotkeys[4], 5e18);
        // Stakes 5, 9, 0, 5, 5 and three permits: 9 (UID 1), then of the equal 5s the higher UIDs
        // 4 and 3 (subtensor turns the lower of equal stakes off first).
        uint256[] memory bitmap = neurons.computeValidatorPermits(netuid);
        assertEq(bitmap.length, 1);
        assertEq(bitmap[0], (1 << 1) | (1 << 3) | (1 << 4));

        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 64);
        assertEq(
            neurons.computeValidatorPermits(netuid)[0],
            (1 << 0) | (1 << 1) | (1 << 3) | (1 << 4),
            "no zero stake"
        );

        vm.prank(settlement);
        neurons.setValidatorPermits(netuid, bitmap);
        assertEq(neurons.validatorPermits(netuid)[0], bitmap[0]);
    }

    function test_validatorPermits_growsWithTheUidCount() public {
        assertEq(neurons.validatorPermits(netuid).length, 0);
        _registerNew(netuid, alice);
        assertEq(neurons.validatorPermits(netuid).length, 1);
    }
}
