// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISubnetRegistryErrors} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {RegistryTest} from "./RegistryTest.sol";

/// @notice Properties over random sequences: the registration price never leaves the subnet's burn
/// range, a subnet's lock comes back exactly once, and no hyperparameter leaves its bounds whatever
/// the owner or governance tries.
contract RegistryFuzzTest is RegistryTest {
    uint256 internal constant STEPS = 12;
    uint256 internal constant HOTKEYS = STEPS;

    uint256 internal netuid;
    /// @dev Bound to `alice` once, so that runs spend their time registering, not signing.
    address[] internal pool;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
        _setHyperparameter(netuid, Hyperparameter.TargetRegistrationsPerInterval, 4_096);
        for (uint256 i = 0; i < HOTKEYS; ++i) {
            pool.push(_newBoundHotkey(alice));
        }
        _fund(alice, 500_000e18);
        vm.prank(alice);
        tao.approve(address(neurons), type(uint256).max);
    }

    // ------------------------------------------------------------------------------------------
    // Burn price
    // ------------------------------------------------------------------------------------------

    /// forge-config: default.fuzz.runs = 128
    function testFuzz_burnPrice_staysWithinBoundsAfterAnySequence(uint256 seed) public {
        _randomBurnParameters(seed);
        uint256 registered;
        for (uint256 step = 0; step < STEPS; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 halfLife = subnets.hyperparameter(netuid, Hyperparameter.BurnHalfLife);
            if (r % 5 == 0) {
                // The owner moves the range mid-sequence.
                _randomBurnParameters(r);
            } else if (r % 5 == 1) {
                _roll((r >> 8) % (4 * halfLife + 1));
            } else {
                _roll((r >> 8) % 3);
                uint256 price = _assertPriceWithinBounds();
                uint256 balance = tao.balanceOf(alice);
                // Prices up to the 1,000,000 TAO ceiling exist; a registrant who cannot pay waits.
                if (price > balance) continue;
                vm.prank(alice);
                neurons.registerNeuron(netuid, pool[registered++], price);
                assertEq(balance - tao.balanceOf(alice), price, "paid the quoted price");
                // The next price, stored at registration, is within the range too.
                uint256 next = neurons.registrationState(netuid).burnAtUpdate;
                assertLe(next, subnets.hyperparameter(netuid, Hyperparameter.MaxBurn));
                assertGe(next, subnets.hyperparameter(netuid, Hyperparameter.MinBurn));
            }
            _assertPriceWithinBounds();
        }
    }

    /// @dev Random MinBurn <= MaxBurn, half-life and multiplier within the built-in bounds, set by the owner.
    function _randomBurnParameters(uint256 seed) internal {
        uint256 r = uint256(keccak256(abi.encode("burn", seed)));
        uint256 maxBurn = bound(r % 1e24, 0.1e18, 1_000_000e18);
        uint256 minBurn = bound((r >> 80) % 1e18, 0, 1e18);
        if (minBurn > maxBurn) minBurn = maxBurn;
        if ((r >> 200) & 1 == 1) minBurn = 0;
        // Order the two writes so that the range never crosses in between.
        if (minBurn > subnets.hyperparameter(netuid, Hyperparameter.MaxBurn)) {
            _setHyperparameter(netuid, Hyperparameter.MaxBurn, maxBurn);
            _setHyperparameter(netuid, Hyperparameter.MinBurn, minBurn);
        } else {
            _setHyperparameter(netuid, Hyperparameter.MinBurn, minBurn);
            _setHyperparameter(netuid, Hyperparameter.MaxBurn, maxBurn);
        }
        _setHyperparameter(netuid, Hyperparameter.BurnHalfLife, bound(r >> 120, 1, 216_600));
        _setHyperparameter(netuid, Hyperparameter.BurnIncreaseMult, bound(r >> 140, 1e18, 10e18));
    }

    function _assertPriceWithinBounds() internal view returns (uint256 price) {
        price = neurons.burnPrice(netuid);
        assertGe(price, subnets.hyperparameter(netuid, Hyperparameter.MinBurn), "below MinBurn");
        assertLe(price, subnets.hyperparameter(netuid, Hyperparameter.MaxBurn), "above MaxBurn");
    }

    // ------------------------------------------------------------------------------------------
    // Locks
    // ------------------------------------------------------------------------------------------

    /// forge-config: default.fuzz.runs = 128
    function testFuzz_dissolve_returnsLockExactlyOnce(uint256 seed) public {
        // Cheap subnets and a small cap, so that creations also replace.
        _setNetworkParameters(4, 20, 100, 1e18);
        // Let setUp's 1,000 TAO lock decay to the 1 TAO floor: creations then double from there.
        _roll(200);
        address[3] memory owners = [subnetOwner, otherOwner, bob];
        // Netuid 1, from setUp, is part of it.
        uint256 first = netuid;
        uint256[] memory locks = new uint256[](first + 17);
        uint256[] memory received = new uint256[](first + 17);
        locks[netuid] = subnets.subnet(netuid).lockedAmount;
        for (uint256 step = 0; step < 16; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            _roll(r % 30);
            uint256 last = subnets.lastNetuid();
            uint256 target = first + ((r >> 8) % (last + 2 - first));
            if (r % 3 == 0 || last < first) {
                address owner = owners[(r >> 16) % 3];
                uint256 cost = subnets.lockCost();
                uint256 replaced = subnets.subnetToReplace();
                if (subnets.subnetCount() >= 4 && replaced == 0) continue;
                address replacedOwner = subnets.ownerOf(replaced);
                uint256 replacedBalance = replaced == 0 ? 0 : tao.balanceOf(replacedOwner);
                uint256 created = _createSubnet(owner);
                locks[created] = cost;
                // `_createSubnet` funds the creator with exactly the lock it takes, so the replaced
                // owner's balance grows by what came back even when it is the creator.
                if (replaced != 0) received[replaced] += tao.balanceOf(replacedOwner) - replacedBalance;
            } else if (r % 3 == 1 && subnets.isActive(target)) {
                address owner = subnets.ownerOf(target);
                uint256 balance = tao.balanceOf(owner);
                vm.prank((r >> 24) % 2 == 0 ? owner : governance);
                subnets.dissolveSubnet(target);
                received[target] += tao.balanceOf(owner) - balance;
            } else if (subnets.isActive(target)) {
                // Hand the subnet over: the lock follows its owner.
                address newOwner = owners[(r >> 32) % 3];
                vm.prank(subnets.ownerOf(target));
                subnets.transferSubnetOwnership(target, newOwner);
                vm.prank(newOwner);
                subnets.acceptSubnetOwnership(target);
            } else if (target <= last) {
                // A dead or replaced subnet cannot be dissolved again, by anyone.
                vm.prank(governance);
                vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, target));
                subnets.dissolveSubnet(target);
            }
            // The settlement reports emissions, which decide the next replacement.
            uint256[] memory active = subnets.activeSubnets();
            if (active.length != 0) _recordSubnetEmission(active[r % active.length], (r >> 40) % 1_000);
        }

        uint256 activeLocks;
        for (uint256 id = first; id <= subnets.lastNetuid(); ++id) {
            Subnet memory s = subnets.subnet(id);
            if (s.active) {
                activeLocks += s.lockedAmount;
                assertEq(s.lockedAmount, locks[id], "an active subnet holds its whole lock");
                assertEq(received[id], 0, "nothing came back from an active subnet");
            } else {
                assertEq(s.lockedAmount, 0);
                assertEq(received[id], locks[id], "a dead subnet's lock came back exactly once");
            }
        }
        assertEq(tao.balanceOf(address(subnets)), activeLocks);
    }

    // ------------------------------------------------------------------------------------------
    // Hyperparameters
    // ------------------------------------------------------------------------------------------

    /// @dev One attempt: it either takes effect within bounds or changes nothing.
    function testFuzz_setHyperparameter_neverLeavesBounds(uint8 index, uint256 value, bool byGovernance) public {
        Hyperparameter p = Hyperparameter(bound(index, 0, PARAMETERS - 1));
        _attempt(p, value, byGovernance);
        _assertWithinBounds();
    }

    /// @dev Many attempts, values drawn near the bounds and far outside them, by either party.
    /// forge-config: default.fuzz.runs = 128
    function testFuzz_hyperparameters_neverLeaveBoundsOverSequences(uint256 seed) public {
        for (uint256 step = 0; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            Hyperparameter p = Hyperparameter(r % PARAMETERS);
            (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(p);
            uint256 mode = (r >> 8) % 5;
            uint256 noise = (r >> 16) % 3;
            uint256 value =
                mode == 0
                    ? (minimum >= noise ? minimum - noise : 0)
                    : mode == 1
                        ? maximum + noise
                        : mode == 2
                            ? minimum + ((r >> 24) % (maximum - minimum + 1))
                            : r >> 24;
            _attempt(p, value, (r >> 7) & 1 == 1);
        }
        _assertWithinBounds();
    }

    function _attempt(Hyperparameter p, uint256 value, bool byGovernance) internal {
        uint256 before = subnets.hyperparameter(netuid, p);
        (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(p);
        vm.prank(byGovernance ? governance : subnetOwner);
        bool ok;
        if (byGovernance) {
            (ok, ) = address(subnets).call(abi.encodeCall(subnets.setHyperparameterByGovernance, (netuid, p, value)));
        } else {
            (ok, ) = address(subnets).call(abi.encodeCall(subnets.setHyperparameter, (netuid, p, value)));
        }
        if (ok) {
            assertGe(value, minimum);
            assertLe(value, maximum);
            assertEq(subnets.hyperparameter(netuid, p), value);
            assertTrue(byGovernance || p != Hyperparameter.Kappa, "the owner set Kappa");
        } else {
            assertEq(subnets.hyperparameter(netuid, p), before, "a failed attempt changed the value");
        }
    }

    function _assertWithinBounds() internal view {
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(Hyperparameter(i));
            uint256 value = subnets.hyperparameter(netuid, Hyperparameter(i));
            assertGe(value, minimum, vm.toString(i));
            assertLe(value, maximum, vm.toString(i));
        }
        Hyperparameters memory h = subnets.hyperparameters(netuid);
        assertLe(h.maxAllowedValidators, h.maxAllowedUids);
        assertLe(h.minBurn, h.maxBurn);
        assertLe(h.alphaLow, h.alphaHigh);
        assertGe(h.maxAllowedUids, neurons.neuronCount(netuid));
    }
}
