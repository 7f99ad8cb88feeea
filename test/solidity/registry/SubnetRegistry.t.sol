// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SubnetRegistry} from "../../../contracts/registry/SubnetRegistry.sol";
import {NeuronRegistry} from "../../../contracts/registry/NeuronRegistry.sol";
import {
    ISubnetRegistryErrors,
    ISubnetRegistryEvents,
    ISubnetRegistryTypes
} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {RegistryTest} from "./RegistryTest.sol";

/// @dev Per-function test contracts, EigenLayer style; each starts from the base deployment.

contract SubnetRegistry_constructor is RegistryTest {
    function test_constructor_setsNetworkParametersAndBuiltInBounds() public view {
        NetworkParameters memory p = subnets.networkParameters();
        assertEq(p.maxSubnets, MAX_SUBNETS);
        assertEq(p.networkImmunityPeriod, NETWORK_IMMUNITY_PERIOD);
        assertEq(p.lockReductionInterval, LOCK_REDUCTION_INTERVAL);
        assertEq(p.minLockCost, MIN_LOCK_COST);
        assertEq(subnets.token(), address(tao));
        assertEq(subnets.neuronRegistry(), address(neurons));
        assertEq(subnets.lockCost(), MIN_LOCK_COST, "no subnet yet: the floor");
        assertEq(subnets.lastNetuid(), 0);
        assertEq(subnets.subnetCount(), 0);

        (uint256 minimum, uint256 maximum, uint256 defaultValue) = subnets.hyperparameterBounds(Hyperparameter.Tempo);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(2_160, 302_400, 2_160));
        (minimum, maximum, defaultValue) = subnets.hyperparameterBounds(Hyperparameter.MaxAllowedUids);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(64, 4_096, 256));
        (minimum, maximum, defaultValue) = subnets.hyperparameterBounds(Hyperparameter.Kappa);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(0, 65_535, 32_767));
        (minimum, maximum, defaultValue) = subnets.hyperparameterBounds(Hyperparameter.MinBurn);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(0, 1e18, 0.0005e18));
        (minimum, maximum, defaultValue) = subnets.hyperparameterBounds(Hyperparameter.MaxBurn);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(0.1e18, 1_000_000e18, 100e18));
        (minimum, maximum, defaultValue) = subnets.hyperparameterBounds(Hyperparameter.BurnIncreaseMult);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(1e18, 10e18, 1.26e18));
        (minimum, maximum, defaultValue) = subnets.hyperparameterBounds(Hyperparameter.CommitmentRateLimit);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(0, 302_400, 600));
    }

    function test_constructor_appliesOverrides() public {
        Hyperparameter[] memory overrides = new Hyperparameter[](2);
        uint128[] memory minimums = new uint128[](2);
        uint128[] memory maximums = new uint128[](2);
        uint128[] memory defaults = new uint128[](2);
        (overrides[0], minimums[0], maximums[0], defaults[0]) = (Hyperparameter.Tempo, 10, 302_400, 30);
        (overrides[1], minimums[1], maximums[1], defaults[1]) = (Hyperparameter.ImmunityPeriod, 0, 604_800, 60);
        SubnetRegistry registry = new SubnetRegistry(
            address(manager),
            address(tao),
            _network(),
            overrides,
            minimums,
            maximums,
            defaults
        );
        (uint256 minimum, uint256 maximum, uint256 defaultValue) = registry.hyperparameterBounds(Hyperparameter.Tempo);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(10, 302_400, 30));
        (minimum, maximum, defaultValue) = registry.hyperparameterBounds(Hyperparameter.ImmunityPeriod);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(0, 604_800, 60));
        (minimum, maximum, defaultValue) = registry.hyperparameterBounds(Hyperparameter.MaxAllowedUids);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(64, 4_096, 256), "others untouched");
    }

    function test_constructor_revertsWhenOverrideLengthsDiffer() public {
        Hyperparameter[] memory overrides = new Hyperparameter[](1);
        uint128[] memory one = new uint128[](1);
        uint128[] memory two = new uint128[](2);
        NetworkParameters memory network = _network();
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.LengthMismatch.selector, 1, 2));
        new SubnetRegistry(address(manager), address(tao), network, overrides, two, one, one);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.LengthMismatch.selector, 1, 2));
        new SubnetRegistry(address(manager), address(tao), network, overrides, one, two, one);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.LengthMismatch.selector, 1, 2));
        new SubnetRegistry(address(manager), address(tao), network, overrides, one, one, two);
    }

    function test_constructor_revertsWhenOverrideIsInvalid() public {
        Hyperparameter[] memory overrides = new Hyperparameter[](1);
        uint128[] memory minimums = new uint128[](1);
        uint128[] memory maximums = new uint128[](1);
        uint128[] memory defaults = new uint128[](1);
        (overrides[0], minimums[0], maximums[0], defaults[0]) = (Hyperparameter.Tempo, 100, 10, 50);
        NetworkParameters memory network = _network();
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.InvalidBounds.selector, Hyperparameter.Tempo, 100, 10)
        );
        new SubnetRegistry(address(manager), address(tao), network, overrides, minimums, maximums, defaults);
    }

    function test_constructor_revertsWhenOverridesCrossRelatedDefaults() public {
        Hyperparameter[] memory overrides = new Hyperparameter[](1);
        uint128[] memory minimums = new uint128[](1);
        uint128[] memory maximums = new uint128[](1);
        uint128[] memory defaults = new uint128[](1);
        (overrides[0], minimums[0], maximums[0], defaults[0]) = (Hyperparameter.MinBurn, 0, 1_000e18, 200e18);
        NetworkParameters memory network = _network();
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubnetRegistryErrors.HyperparameterConflict.selector,
                Hyperparameter.MinBurn,
                200e18,
                100e18
            )
        );
        new SubnetRegistry(address(manager), address(tao), network, overrides, minimums, maximums, defaults);
    }

    function test_constructor_acceptsRelatedOverridesInAnyOrder() public {
        Hyperparameter[] memory overrides = new Hyperparameter[](2);
        uint128[] memory minimums = new uint128[](2);
        uint128[] memory maximums = new uint128[](2);
        uint128[] memory defaults = new uint128[](2);
        // The burn floor rises above the built-in ceiling before the ceiling rises.
        (overrides[0], minimums[0], maximums[0], defaults[0]) = (Hyperparameter.MinBurn, 0, 1_000e18, 200e18);
        (overrides[1], minimums[1], maximums[1], defaults[1]) = (Hyperparameter.MaxBurn, 0, 1_000e18, 500e18);
        SubnetRegistry registry = new SubnetRegistry(
            address(manager),
            address(tao),
            _network(),
            overrides,
            minimums,
            maximums,
            defaults
        );
        (, , uint256 minBurn) = registry.hyperparameterBounds(Hyperparameter.MinBurn);
        assertEq(minBurn, 200e18);
    }

    function test_constructor_revertsWhenNetworkParametersOutOfBounds() public {
        Hyperparameter[] memory none = new Hyperparameter[](0);
        uint128[] memory empty = new uint128[](0);
        NetworkParameters memory network = _network();
        network.maxSubnets = 0;
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubnetRegistryErrors.NetworkParameterOutOfBounds.selector,
                bytes32("maxSubnets"),
                0,
                1,
                256
            )
        );
        new SubnetRegistry(address(manager), address(tao), network, none, empty, empty, empty);
    }

    function _network() internal pure returns (NetworkParameters memory) {
        return
            NetworkParameters({
                maxSubnets: MAX_SUBNETS,
                networkImmunityPeriod: NETWORK_IMMUNITY_PERIOD,
                lockReductionInterval: LOCK_REDUCTION_INTERVAL,
                minLockCost: MIN_LOCK_COST
            });
    }
}

contract SubnetRegistry_setNeuronRegistry is RegistryTest {
    function test_setNeuronRegistry_revertsWhenAlreadySet() public {
        bytes32 before = _subnetState(0);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.ZeroAddress.selector));
        subnets.setNeuronRegistry(address(0xBEEF));
        assertEq(subnets.neuronRegistry(), address(neurons));
        assertEq(_subnetState(0), before);
    }

    function test_setNeuronRegistry_setsOnceOnAFreshRegistry() public {
        SubnetRegistry registry = _freshRegistry();
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.ZeroAddress.selector));
        registry.setNeuronRegistry(address(0));
        assertEq(registry.neuronRegistry(), address(0));

        vm.prank(governance);
        registry.setNeuronRegistry(address(neurons));
        assertEq(registry.neuronRegistry(), address(neurons));
    }

    function test_setNeuronRegistry_revertsForNonAdmin() public {
        SubnetRegistry registry = _freshRegistry();
        vm.prank(settlement);
        vm.expectRevert(_unauthorized(settlement));
        registry.setNeuronRegistry(address(neurons));
        assertEq(registry.neuronRegistry(), address(0));
    }

    function test_setHyperparameter_maxAllowedUidsIgnoresNeuronCountBeforeWiring() public {
        SubnetRegistry registry = _freshRegistry();
        _fund(subnetOwner, MIN_LOCK_COST);
        vm.startPrank(subnetOwner);
        tao.approve(address(registry), MIN_LOCK_COST);
        uint256 netuid = registry.createSubnet(MIN_LOCK_COST, _metadata("unwired"));
        registry.setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 64);
        vm.stopPrank();
        assertEq(registry.hyperparameter(netuid, Hyperparameter.MaxAllowedUids), 64);
    }

    function _freshRegistry() internal returns (SubnetRegistry) {
        Hyperparameter[] memory none = new Hyperparameter[](0);
        uint128[] memory empty = new uint128[](0);
        return
            new SubnetRegistry(
                address(manager),
                address(tao),
                NetworkParameters(MAX_SUBNETS, NETWORK_IMMUNITY_PERIOD, LOCK_REDUCTION_INTERVAL, MIN_LOCK_COST),
                none,
                empty,
                empty,
                empty
            );
    }
}

contract SubnetRegistry_createSubnet is RegistryTest {
    function test_createSubnet_locksCostAndStoresSubnet() public {
        _fund(subnetOwner, MIN_LOCK_COST);
        vm.startPrank(subnetOwner);
        tao.approve(address(subnets), MIN_LOCK_COST);
        uint256 netuid = subnets.createSubnet(MIN_LOCK_COST, _metadata("vision"));
        vm.stopPrank();

        assertEq(netuid, 1, "netuid 0 is the root network");
        Subnet memory s = subnets.subnet(netuid);
        assertEq(s.owner, subnetOwner);
        assertEq(s.pendingOwner, address(0));
        assertEq(s.createdAtBlock, block.number);
        assertTrue(s.active);
        assertEq(s.lockedAmount, MIN_LOCK_COST);
        assertEq(s.lastEpochEmission, 0);
        assertEq(tao.balanceOf(address(subnets)), MIN_LOCK_COST);
        assertEq(tao.balanceOf(subnetOwner), 0);
        assertTrue(subnets.isActive(netuid));
        assertEq(subnets.ownerOf(netuid), subnetOwner);
        assertEq(subnets.subnetCount(), 1);
        assertEq(subnets.lastNetuid(), 1);
        assertEq(subnets.activeSubnets().length, 1);
        assertEq(subnets.activeSubnets()[0], 1);
        assertEq(subnets.subnetMetadata(netuid).name, "vision");
        assertEq(subnets.subnetMetadata(netuid).repository, "https://github.com/taonet/subnet");
        assertEq(subnets.subnetMetadata(netuid).description, "a subnet");
    }

    function test_createSubnet_copiesDefaultHyperparameters() public {
        uint256 netuid = _createSubnet(subnetOwner);
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            (, , uint256 defaultValue) = subnets.hyperparameterBounds(Hyperparameter(i));
            assertEq(subnets.hyperparameter(netuid, Hyperparameter(i)), defaultValue);
        }
        Hyperparameters memory h = subnets.hyperparameters(netuid);
        assertEq(h.tempo, 2_160);
        assertEq(h.maxAllowedUids, 256);
        assertEq(h.maxAllowedValidators, 64);
        assertEq(h.immunityPeriod, 30_000);
        assertEq(h.kappa, 32_767);
        assertTrue(h.commitRevealEnabled);
        assertTrue(h.yuma3Enabled);
        assertFalse(h.liquidAlphaEnabled);
        assertTrue(h.registrationAllowed);
        assertEq(h.minBurn, 0.0005e18);
        assertEq(h.maxBurn, 100e18);
        assertEq(h.burnIncreaseMult, 1.26e18);
        assertEq(h.ownerCut, 11_796);
    }

    function test_createSubnet_emitsSubnetCreatedAndMetadataSet() public {
        _fund(subnetOwner, MIN_LOCK_COST);
        vm.prank(subnetOwner);
        tao.approve(address(subnets), MIN_LOCK_COST);
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetCreated(
            1,
            subnetOwner,
            MIN_LOCK_COST,
            2 * MIN_LOCK_COST,
            uint64(block.number)
        );
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetMetadataSet(1, "vision", "https://github.com/taonet/subnet", "a subnet");
        vm.prank(subnetOwner);
        subnets.createSubnet(MIN_LOCK_COST, _metadata("vision"));
    }

    /// @dev subtensor's `get_network_lock_cost` by hand: 1,000 TAO floor, interval 604,800 blocks.
    /// After a creation at 1,000 TAO, the next costs 2,000 TAO, falling by floor(1e21 / 604,800) =
    /// 1,653,439,153,439,153 wei a block.
    function test_createSubnet_doublesLockCostThenDecaysLinearlyToFloor() public {
        _createSubnet(subnetOwner);
        assertEq(subnets.lockCost(), 2_000e18, "doubled");
        _roll(1);
        assertEq(subnets.lockCost(), 2_000e18 - 1_653_439_153_439_153);
        _roll(302_399);
        assertEq(subnets.lockCost(), 1_500_000_000_000_000_132_800, "half an interval");
        _roll(302_400);
        assertEq(subnets.lockCost(), 1_000_000_000_000_000_265_600, "one interval: rounding keeps it above");
        _roll(1);
        assertEq(subnets.lockCost(), MIN_LOCK_COST, "floor");
        _roll(10 * LOCK_REDUCTION_INTERVAL);
        assertEq(subnets.lockCost(), MIN_LOCK_COST, "stays at the floor");
    }

    function test_createSubnet_backToBackCreationsDoubleEachTime() public {
        _createSubnet(subnetOwner);
        assertEq(subnets.subnet(1).lockedAmount, 1_000e18);
        _createSubnet(subnetOwner);
        assertEq(subnets.subnet(2).lockedAmount, 2_000e18);
        _createSubnet(otherOwner);
        assertEq(subnets.subnet(3).lockedAmount, 4_000e18);
        assertEq(subnets.lockCost(), 8_000e18);
        assertEq(tao.balanceOf(address(subnets)), 7_000e18);
    }

    function test_createSubnet_neverReusesNetuids() public {
        uint256 first = _createSubnet(subnetOwner);
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(first);
        uint256 second = _createSubnet(subnetOwner);
        assertEq(second, 2);
        assertFalse(subnets.isActive(first));
        assertEq(subnets.lastNetuid(), 2);
    }

    function test_createSubnet_revertsWhenLockAboveMaximum() public {
        _createSubnet(subnetOwner);
        uint256 cost = subnets.lockCost();
        _fund(otherOwner, cost);
        vm.prank(otherOwner);
        tao.approve(address(subnets), cost);
        bytes32 before = _subnetState(2);
        vm.prank(otherOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.LockAboveMaximum.selector, cost, cost - 1));
        subnets.createSubnet(cost - 1, _metadata("late"));
        assertEq(_subnetState(2), before);
        assertEq(tao.balanceOf(otherOwner), cost);
    }

    function test_createSubnet_revertsWhenMetadataTooLong() public {
        _fund(subnetOwner, MIN_LOCK_COST);
        vm.prank(subnetOwner);
        tao.approve(address(subnets), MIN_LOCK_COST);
        bytes32 before = _subnetState(1);

        SubnetMetadata memory m = _metadata(string(new bytes(257)));
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.MetadataTooLong.selector, 257, 256));
        subnets.createSubnet(MIN_LOCK_COST, m);

        m = _metadata("ok");
        m.repository = string(new bytes(300));
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.MetadataTooLong.selector, 300, 256));
        subnets.createSubnet(MIN_LOCK_COST, m);

        m = _metadata("ok");
        m.description = string(new bytes(1_025));
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.MetadataTooLong.selector, 1_025, 1_024));
        subnets.createSubnet(MIN_LOCK_COST, m);

        assertEq(_subnetState(1), before);
    }

    function test_createSubnet_acceptsMetadataAtTheLimits() public {
        SubnetMetadata memory m = SubnetMetadata({
            name: string(new bytes(256)),
            repository: string(new bytes(256)),
            description: string(new bytes(1_024))
        });
        _fund(subnetOwner, MIN_LOCK_COST);
        vm.startPrank(subnetOwner);
        tao.approve(address(subnets), MIN_LOCK_COST);
        uint256 netuid = subnets.createSubnet(MIN_LOCK_COST, m);
        vm.stopPrank();
        assertEq(bytes(subnets.subnetMetadata(netuid).description).length, 1_024);
    }

    function test_createSubnet_revertsWithoutAllowance() public {
        _fund(subnetOwner, MIN_LOCK_COST);
        bytes32 before = _subnetState(1);
        vm.prank(subnetOwner);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(subnets), 0, MIN_LOCK_COST)
        );
        subnets.createSubnet(MIN_LOCK_COST, _metadata("unpaid"));
        assertEq(_subnetState(1), before);
    }

    function test_createSubnet_replacesLowestEmissionSubnetPastImmunity() public {
        _setNetworkParameters(3, 100, LOCK_REDUCTION_INTERVAL, MIN_LOCK_COST);
        uint256 a = _createSubnet(subnetOwner);
        uint256 b = _createSubnet(otherOwner);
        uint256 c = _createSubnet(subnetOwner);
        _recordSubnetEmission(a, 30);
        _recordSubnetEmission(b, 10);
        _recordSubnetEmission(c, 20);
        _roll(100);
        assertEq(subnets.subnetToReplace(), b);

        uint256 bLock = subnets.subnet(b).lockedAmount;
        uint256 otherBefore = tao.balanceOf(otherOwner);
        uint256 cost = subnets.lockCost();
        _fund(alice, cost);
        vm.prank(alice);
        tao.approve(address(subnets), cost);
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetReplaced(b, 4, 10);
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetDissolved(b, otherOwner, bLock, alice);
        vm.prank(alice);
        uint256 d = subnets.createSubnet(cost, _metadata("newcomer"));

        assertEq(d, 4);
        assertFalse(subnets.isActive(b));
        assertEq(subnets.subnet(b).lockedAmount, 0);
        assertEq(tao.balanceOf(otherOwner), otherBefore + bLock, "the replaced owner gets the lock back");
        assertEq(subnets.subnetCount(), 3);
        assertEq(
            tao.balanceOf(address(subnets)),
            subnets.subnet(a).lockedAmount + subnets.subnet(c).lockedAmount + cost
        );
    }

    function test_createSubnet_skipsImmuneSubnetsWhenReplacing() public {
        _setNetworkParameters(2, 100, LOCK_REDUCTION_INTERVAL, MIN_LOCK_COST);
        uint256 a = _createSubnet(subnetOwner);
        _roll(50);
        uint256 b = _createSubnet(otherOwner);
        _recordSubnetEmission(a, 10);
        _recordSubnetEmission(b, 0);
        _roll(50);
        // `a` has been out of immunity for 0 blocks, `b` is immune for 50 more.
        assertEq(subnets.subnetToReplace(), a, "b has the lower emission but is immune");
        _createSubnet(alice);
        assertFalse(subnets.isActive(a));
        assertTrue(subnets.isActive(b));
    }

    function test_createSubnet_breaksEmissionTiesByCreationThenNetuid() public {
        _setNetworkParameters(3, 10, LOCK_REDUCTION_INTERVAL, MIN_LOCK_COST);
        uint256 a = _createSubnet(subnetOwner);
        _roll(1);
        uint256 b = _createSubnet(subnetOwner);
        uint256 c = _createSubnet(subnetOwner);
        _roll(10);
        assertEq(subnets.subnetToReplace(), a, "equal emission: the earliest created");
        _recordSubnetEmission(a, 1);
        assertEq(subnets.subnetToReplace(), b, "same block: the lower netuid");
        _recordSubnetEmission(b, 1);
        assertEq(subnets.subnetToReplace(), c);
    }

    function test_createSubnet_revertsWhenEverySubnetIsImmune() public {
        _setNetworkParameters(2, 100, LOCK_REDUCTION_INTERVAL, MIN_LOCK_COST);
        _createSubnet(subnetOwner);
        _createSubnet(otherOwner);
        _roll(99);
        assertEq(subnets.subnetToReplace(), 0);
        uint256 cost = subnets.lockCost();
        _fund(alice, cost);
        vm.prank(alice);
        tao.approve(address(subnets), cost);
        bytes32 before = _subnetState(3);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.SubnetLimitReached.selector, 2));
        subnets.createSubnet(cost, _metadata("too many"));
        assertEq(_subnetState(3), before);
    }

    function test_subnetToReplace_isZeroBelowTheCap() public {
        _setNetworkParameters(2, 0, LOCK_REDUCTION_INTERVAL, MIN_LOCK_COST);
        _createSubnet(subnetOwner);
        assertEq(subnets.subnetToReplace(), 0);
    }
}

contract SubnetRegistry_dissolveSubnet is RegistryTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
    }

    function test_dissolveSubnet_byOwnerReturnsLock() public {
        vm.prank(subnetOwner);
        subnets.transferSubnetOwnership(netuid, otherOwner);
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetDissolved(netuid, subnetOwner, MIN_LOCK_COST, subnetOwner);
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);

        assertEq(tao.balanceOf(subnetOwner), MIN_LOCK_COST);
        assertEq(tao.balanceOf(address(subnets)), 0);
        Subnet memory s = subnets.subnet(netuid);
        assertFalse(s.active);
        assertEq(s.lockedAmount, 0);
        assertEq(s.pendingOwner, address(0), "a pending transfer dies with the subnet");
        assertEq(s.owner, subnetOwner, "the record keeps its last owner");
        assertFalse(subnets.isActive(netuid));
        assertEq(subnets.subnetCount(), 0);
        assertEq(subnets.activeSubnets().length, 0);
    }

    function test_dissolveSubnet_byGovernanceReturnsLockToOwner() public {
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetDissolved(netuid, subnetOwner, MIN_LOCK_COST, governance);
        vm.prank(governance);
        subnets.dissolveSubnet(netuid);
        assertEq(tao.balanceOf(subnetOwner), MIN_LOCK_COST);
        assertEq(tao.balanceOf(governance), 0);
        assertFalse(subnets.isActive(netuid));
    }

    function test_dissolveSubnet_revertsForNonOwner() public {
        bytes32 before = _subnetState(netuid);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger));
        subnets.dissolveSubnet(netuid);
        vm.prank(settlement);
        vm.expectRevert(_unauthorized(settlement));
        subnets.dissolveSubnet(netuid);
        assertEq(_subnetState(netuid), before);
    }

    function test_dissolveSubnet_revertsWhenDissolvedTwice() public {
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);
        bytes32 before = _subnetState(netuid);

        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, netuid));
        subnets.dissolveSubnet(netuid);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, netuid));
        subnets.dissolveSubnet(netuid);

        assertEq(_subnetState(netuid), before);
        assertEq(tao.balanceOf(subnetOwner), MIN_LOCK_COST, "returned exactly once");
    }

    function test_dissolveSubnet_revertsForUnknownNetuid() public {
        bytes32 before = _subnetState(netuid);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, 0));
        subnets.dissolveSubnet(0);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, 2));
        subnets.dissolveSubnet(2);
        assertEq(_subnetState(netuid), before);
    }

    function test_dissolveSubnet_keepsOtherSubnets() public {
        uint256 other = _createSubnet(otherOwner);
        uint256 otherLock = subnets.subnet(other).lockedAmount;
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);
        assertTrue(subnets.isActive(other));
        assertEq(subnets.activeSubnets()[0], other);
        assertEq(tao.balanceOf(address(subnets)), otherLock);
    }
}

contract SubnetRegistry_ownership is RegistryTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
    }

    function test_transferSubnetOwnership_setsPendingOwner() public {
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetOwnershipTransferStarted(netuid, subnetOwner, otherOwner);
        vm.prank(subnetOwner);
        subnets.transferSubnetOwnership(netuid, otherOwner);
        assertEq(subnets.subnet(netuid).pendingOwner, otherOwner);
        assertEq(subnets.ownerOf(netuid), subnetOwner, "nothing moves before acceptance");
    }

    function test_acceptSubnetOwnership_movesOwnership() public {
        vm.prank(subnetOwner);
        subnets.transferSubnetOwnership(netuid, otherOwner);
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetOwnershipTransferred(netuid, subnetOwner, otherOwner);
        vm.prank(otherOwner);
        subnets.acceptSubnetOwnership(netuid);

        assertEq(subnets.ownerOf(netuid), otherOwner);
        assertEq(subnets.subnet(netuid).pendingOwner, address(0));

        // The new owner has the owner's powers, the old one none, and the lock follows the owner.
        vm.prank(subnetOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotSubnetOwner.selector, netuid, subnetOwner, otherOwner)
        );
        subnets.setHyperparameter(netuid, Hyperparameter.Tempo, 3_000);
        _setHyperparameter(netuid, Hyperparameter.Tempo, 3_000);
        vm.prank(otherOwner);
        subnets.dissolveSubnet(netuid);
        assertEq(tao.balanceOf(otherOwner), MIN_LOCK_COST);
        assertEq(tao.balanceOf(subnetOwner), 0);
    }

    function test_transferSubnetOwnership_toZeroCancels() public {
        vm.startPrank(subnetOwner);
        subnets.transferSubnetOwnership(netuid, otherOwner);
        subnets.transferSubnetOwnership(netuid, address(0));
        vm.stopPrank();
        bytes32 before = _subnetState(netuid);
        vm.prank(otherOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotPendingOwner.selector, netuid, otherOwner, address(0))
        );
        subnets.acceptSubnetOwnership(netuid);
        assertEq(_subnetState(netuid), before);
    }

    function test_transferSubnetOwnership_revertsForNonOwner() public {
        bytes32 before = _subnetState(netuid);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotSubnetOwner.selector, netuid, stranger, subnetOwner)
        );
        subnets.transferSubnetOwnership(netuid, stranger);
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotSubnetOwner.selector, netuid, governance, subnetOwner)
        );
        subnets.transferSubnetOwnership(netuid, governance);
        assertEq(_subnetState(netuid), before);
    }

    function test_transferSubnetOwnership_revertsForUnknownNetuid() public {
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, 7));
        subnets.transferSubnetOwnership(7, otherOwner);
    }

    function test_acceptSubnetOwnership_revertsForNonPendingOwner() public {
        vm.prank(subnetOwner);
        subnets.transferSubnetOwnership(netuid, otherOwner);
        bytes32 before = _subnetState(netuid);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotPendingOwner.selector, netuid, stranger, otherOwner)
        );
        subnets.acceptSubnetOwnership(netuid);
        vm.prank(subnetOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotPendingOwner.selector, netuid, subnetOwner, otherOwner)
        );
        subnets.acceptSubnetOwnership(netuid);
        assertEq(_subnetState(netuid), before);
    }

    function test_acceptSubnetOwnership_revertsWhenNothingPending() public {
        bytes32 before = _subnetState(netuid);
        vm.prank(otherOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotPendingOwner.selector, netuid, otherOwner, address(0))
        );
        subnets.acceptSubnetOwnership(netuid);
        assertEq(_subnetState(netuid), before);
    }

    function test_acceptSubnetOwnership_revertsAfterDissolution() public {
        vm.startPrank(subnetOwner);
        subnets.transferSubnetOwnership(netuid, otherOwner);
        subnets.dissolveSubnet(netuid);
        vm.stopPrank();
        vm.prank(otherOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, netuid));
        subnets.acceptSubnetOwnership(netuid);
        assertEq(subnets.ownerOf(netuid), subnetOwner);
    }
}

contract SubnetRegistry_setSubnetMetadata is RegistryTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
    }

    function test_setSubnetMetadata_storesAndEmits() public {
        SubnetMetadata memory m = SubnetMetadata({
            name: "text",
            repository: "https://example.org/text",
            description: "LLM pretraining"
        });
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetMetadataSet(netuid, "text", "https://example.org/text", "LLM pretraining");
        vm.prank(subnetOwner);
        subnets.setSubnetMetadata(netuid, m);
        SubnetMetadata memory stored = subnets.subnetMetadata(netuid);
        assertEq(stored.name, "text");
        assertEq(stored.repository, "https://example.org/text");
        assertEq(stored.description, "LLM pretraining");
    }

    function test_setSubnetMetadata_revertsWhenTooLong() public {
        bytes32 before = _subnetState(netuid);
        SubnetMetadata memory m = _metadata(string(new bytes(257)));
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.MetadataTooLong.selector, 257, 256));
        subnets.setSubnetMetadata(netuid, m);
        m = _metadata("x");
        m.repository = string(new bytes(257));
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.MetadataTooLong.selector, 257, 256));
        subnets.setSubnetMetadata(netuid, m);
        m = _metadata("x");
        m.description = string(new bytes(2_000));
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.MetadataTooLong.selector, 2_000, 1_024));
        subnets.setSubnetMetadata(netuid, m);
        assertEq(_subnetState(netuid), before);
    }

    function test_setSubnetMetadata_revertsForNonOwner() public {
        bytes32 before = _subnetState(netuid);
        SubnetMetadata memory m = _metadata("hijack");
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.NotSubnetOwner.selector, netuid, stranger, subnetOwner)
        );
        subnets.setSubnetMetadata(netuid, m);
        assertEq(_subnetState(netuid), before);
    }

    function test_setSubnetMetadata_revertsForUnknownOrDissolvedNetuid() public {
        SubnetMetadata memory m = _metadata("ghost");
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, 9));
        subnets.setSubnetMetadata(9, m);
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, netuid));
        subnets.setSubnetMetadata(netuid, m);
    }
}

contract SubnetRegistry_recordSubnetEmission is RegistryTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
    }

    function test_recordSubnetEmission_bySettlementStoresAndEmits() public {
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.SubnetEmissionRecorded(netuid, 42e18);
        _recordSubnetEmission(netuid, 42e18);
        assertEq(subnets.subnet(netuid).lastEpochEmission, 42e18);
        _recordSubnetEmission(netuid, 0);
        assertEq(subnets.subnet(netuid).lastEpochEmission, 0, "each epoch overwrites the last");
    }

    function test_recordSubnetEmission_revertsForNonSettlement() public {
        bytes32 before = _subnetState(netuid);
        address[3] memory callers = [subnetOwner, governance, stranger];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_unauthorized(callers[i]));
            subnets.recordSubnetEmission(netuid, 1);
        }
        assertEq(_subnetState(netuid), before);
    }

    function test_recordSubnetEmission_revertsForUnknownNetuid() public {
        vm.prank(settlement);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, 5));
        subnets.recordSubnetEmission(5, 1);
    }
}

contract SubnetRegistry_setHyperparameter is RegistryTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
    }

    function test_setHyperparameter_setsAndEmits() public {
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.HyperparameterSet(netuid, Hyperparameter.Tempo, 4_320, subnetOwner);
        _setHyperparameter(netuid, Hyperparameter.Tempo, 4_320);
        assertEq(subnets.hyperparameter(netuid, Hyperparameter.Tempo), 4_320);
        assertEq(subnets.hyperparameters(netuid).tempo, 4_320);
    }

    function test_setHyperparameter_acceptsBothBoundsOfEveryParameter() public {
        // Related parameters first move out of each other's way.
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 4_096);
        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 1_000_000e18);
        _setHyperparameter(netuid, Hyperparameter.AlphaHigh, 65_535);
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            Hyperparameter p = Hyperparameter(i);
            if (p == Hyperparameter.Kappa) continue;
            (, uint256 maximum, ) = subnets.hyperparameterBounds(p);
            _setHyperparameter(netuid, p, maximum);
            assertEq(subnets.hyperparameter(netuid, p), maximum);
        }
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 1);
        _setHyperparameter(netuid, Hyperparameter.MinBurn, 0);
        _setHyperparameter(netuid, Hyperparameter.AlphaLow, 1_638);
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            Hyperparameter p = Hyperparameter(i);
            if (p == Hyperparameter.Kappa) continue;
            (uint256 minimum, , ) = subnets.hyperparameterBounds(p);
            _setHyperparameter(netuid, p, minimum);
            assertEq(subnets.hyperparameter(netuid, p), minimum);
        }
    }

    /// @notice Each parameter has a storage place of its own (the registry's `POSITIONS` is a
    /// permutation): setting one changes no other, and `submissionParameters` and `hyperparameters`
    /// (which reads storage through the inverse, `MEMBERS`) read what `hyperparameter` does.
    function test_setHyperparameter_changesThatParameterOnly_andSubmissionParametersAgree() public {
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            Hyperparameter p = Hyperparameter(i);
            if (p == Hyperparameter.Kappa) continue;
            uint256[] memory before = _parameters();
            (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(p);
            // The minimum where it differs (related parameters stay in order: each moves down first).
            uint256 value = before[i] == minimum ? maximum : minimum;
            _setHyperparameter(netuid, p, value);
            uint256[] memory afterwards = _parameters();
            for (uint256 j = 0; j < PARAMETERS; ++j) {
                assertEq(afterwards[j], j == i ? value : before[j], "only the parameter set changes");
            }
            _assertSubmissionParameters();
            _assertRecord();
        }
    }

    function _parameters() internal view returns (uint256[] memory values) {
        values = new uint256[](PARAMETERS);
        for (uint256 j = 0; j < PARAMETERS; ++j) {
            values[j] = subnets.hyperparameter(netuid, Hyperparameter(j));
        }
    }

    /// @dev The record's field i is enum member i: the whole record agrees with `hyperparameter`.
    function _assertRecord() internal view {
        bytes memory record = abi.encode(subnets.hyperparameters(netuid));
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            uint256 field;
            assembly ("memory-safe") {
                field := mload(add(record, add(0x20, shl(5, i))))
            }
            assertEq(field, subnets.hyperparameter(netuid, Hyperparameter(i)), "hyperparameters() field");
        }
    }

    function _assertSubmissionParameters() internal view {
        ISubnetRegistryTypes.SubmissionParameters memory q = subnets.submissionParameters(netuid);
        assertTrue(q.active);
        assertEq(q.tempo, subnets.hyperparameter(netuid, Hyperparameter.Tempo));
        assertEq(q.revealPeriod, subnets.hyperparameter(netuid, Hyperparameter.RevealPeriod));
        assertEq(q.commitRevealEnabled, subnets.hyperparameter(netuid, Hyperparameter.CommitRevealEnabled) != 0);
        assertEq(q.minAllowedWeights, subnets.hyperparameter(netuid, Hyperparameter.MinAllowedWeights));
        assertEq(q.maxWeightLimit, subnets.hyperparameter(netuid, Hyperparameter.MaxWeightLimit));
        assertEq(q.weightsVersionKey, subnets.hyperparameter(netuid, Hyperparameter.WeightsVersionKey));
        assertEq(q.weightsRateLimit, subnets.hyperparameter(netuid, Hyperparameter.WeightsRateLimit));
        assertEq(q.stakeThreshold, subnets.hyperparameter(netuid, Hyperparameter.StakeThreshold));
    }

    function test_setHyperparameter_revertsWhenOutOfBounds() public {
        bytes32 before = _subnetState(netuid);
        _expectOutOfBounds(Hyperparameter.Tempo, 2_159, 2_160, 302_400);
        _expectOutOfBounds(Hyperparameter.Tempo, 302_401, 2_160, 302_400);
        _expectOutOfBounds(Hyperparameter.MaxAllowedUids, 63, 64, 4_096);
        _expectOutOfBounds(Hyperparameter.MaxAllowedUids, 4_097, 64, 4_096);
        _expectOutOfBounds(Hyperparameter.MaxAllowedValidators, 0, 1, 128);
        _expectOutOfBounds(Hyperparameter.MaxAllowedValidators, 129, 1, 128);
        _expectOutOfBounds(Hyperparameter.ActivityCutoff, 299, 300, 604_800);
        _expectOutOfBounds(Hyperparameter.CommitRevealEnabled, 2, 0, 1);
        _expectOutOfBounds(Hyperparameter.RevealPeriod, 0, 1, 100);
        _expectOutOfBounds(Hyperparameter.BondsMovingAverage, 975_001, 0, 975_000);
        _expectOutOfBounds(Hyperparameter.AlphaLow, 1_637, 1_638, 65_535);
        _expectOutOfBounds(Hyperparameter.MinBurn, 1e18 + 1, 0, 1e18);
        _expectOutOfBounds(Hyperparameter.MaxBurn, 0.1e18 - 1, 0.1e18, 1_000_000e18);
        _expectOutOfBounds(Hyperparameter.BurnHalfLife, 0, 1, 216_600);
        _expectOutOfBounds(Hyperparameter.BurnIncreaseMult, 1e18 - 1, 1e18, 10e18);
        _expectOutOfBounds(Hyperparameter.TargetRegistrationsPerInterval, 0, 1, 4_096);
        _expectOutOfBounds(Hyperparameter.OwnerCut, 11_797, 0, 11_796);
        _expectOutOfBounds(Hyperparameter.StakeThreshold, 21_000_000e18 + 1, 0, 21_000_000e18);
        _expectOutOfBounds(Hyperparameter.WeightsVersionKey, uint256(type(uint64).max) + 1, 0, type(uint64).max);
        _expectOutOfBounds(Hyperparameter.ServingRateLimit, type(uint256).max, 0, 302_400);
        assertEq(_subnetState(netuid), before);
    }

    function testFuzz_setHyperparameter_revertsWhenOutOfBounds(uint8 index, uint256 value) public {
        Hyperparameter p = Hyperparameter(bound(index, 0, PARAMETERS - 1));
        vm.assume(p != Hyperparameter.Kappa);
        (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(p);
        vm.assume(value < minimum || value > maximum);
        bytes32 before = _subnetState(netuid);
        _expectOutOfBounds(p, value, minimum, maximum);
        assertEq(_subnetState(netuid), before);
    }

    function test_setHyperparameter_revertsForKappa() public {
        bytes32 before = _subnetState(netuid);
        vm.prank(subnetOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.HyperparameterGovernanceOnly.selector, Hyperparameter.Kappa)
        );
        subnets.setHyperparameter(netuid, Hyperparameter.Kappa, 40_000);
        assertEq(_subnetState(netuid), before);
        assertEq(subnets.hyperparameter(netuid, Hyperparameter.Kappa), 32_767);
    }

    function test_setHyperparameter_revertsForNonOwner() public {
        bytes32 before = _subnetState(netuid);
        address[3] memory callers = [stranger, governance, settlement];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(ISubnetRegistryErrors.NotSubnetOwner.selector, netuid, callers[i], subnetOwner)
            );
            subnets.setHyperparameter(netuid, Hyperparameter.Tempo, 3_000);
        }
        assertEq(_subnetState(netuid), before);
    }

    function test_setHyperparameter_revertsForUnknownOrDissolvedNetuid() public {
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, 2));
        subnets.setHyperparameter(2, Hyperparameter.Tempo, 3_000);
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuid);
        bytes32 before = _subnetState(netuid);
        vm.prank(subnetOwner);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, netuid));
        subnets.setHyperparameter(netuid, Hyperparameter.Tempo, 3_000);
        assertEq(_subnetState(netuid), before);
    }

    function test_setHyperparameter_revertsWhenBurnRangeWouldCross() public {
        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 0.5e18);
        bytes32 before = _subnetState(netuid);
        _expectConflict(Hyperparameter.MinBurn, 0.5e18 + 1, 0.5e18);
        _setHyperparameter(netuid, Hyperparameter.MinBurn, 0.4e18);
        before = _subnetState(netuid);
        _expectConflict(Hyperparameter.MaxBurn, 0.4e18 - 1, 0.4e18);
        assertEq(_subnetState(netuid), before);
        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 0.4e18);
        _setHyperparameter(netuid, Hyperparameter.MinBurn, 0.4e18);
    }

    function test_setHyperparameter_revertsWhenAlphaRangeWouldCross() public {
        bytes32 before = _subnetState(netuid);
        _expectConflict(Hyperparameter.AlphaLow, 58_983, 58_982);
        _expectConflict(Hyperparameter.AlphaHigh, 45_874, 45_875);
        assertEq(_subnetState(netuid), before);
        _setHyperparameter(netuid, Hyperparameter.AlphaLow, 58_982);
        assertEq(subnets.hyperparameter(netuid, Hyperparameter.AlphaLow), 58_982);
    }

    function test_setHyperparameter_revertsWhenValidatorsWouldExceedUids() public {
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 64);
        bytes32 before = _subnetState(netuid);
        _expectConflict(Hyperparameter.MaxAllowedValidators, 100, 64);
        assertEq(_subnetState(netuid), before);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 256);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 100);
        before = _subnetState(netuid);
        _expectConflict(Hyperparameter.MaxAllowedUids, 99, 100);
        assertEq(_subnetState(netuid), before);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 100);
    }

    function test_setHyperparameter_revertsWhenMaxUidsBelowNeuronCount() public {
        _setBounds(Hyperparameter.MaxAllowedUids, 1, 4_096, 256);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 1);
        _registerMany(netuid, alice, 3);
        bytes32 before = _subnetState(netuid);
        _expectConflict(Hyperparameter.MaxAllowedUids, 2, 3);
        assertEq(_subnetState(netuid), before);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 3);
        assertEq(subnets.hyperparameter(netuid, Hyperparameter.MaxAllowedUids), 3);
    }

    function test_setHyperparameter_tightenedBoundsDoNotRewriteButApplyToChanges() public {
        _setHyperparameter(netuid, Hyperparameter.Tempo, 100_000);
        _setBounds(Hyperparameter.Tempo, 2_160, 50_000, 2_160);
        assertEq(subnets.hyperparameter(netuid, Hyperparameter.Tempo), 100_000, "kept");
        _expectOutOfBounds(Hyperparameter.Tempo, 100_000, 2_160, 50_000);
        _setHyperparameter(netuid, Hyperparameter.Tempo, 50_000);
    }

    function _expectOutOfBounds(Hyperparameter p, uint256 value, uint256 minimum, uint256 maximum) internal {
        vm.prank(subnetOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.HyperparameterOutOfBounds.selector, p, value, minimum, maximum)
        );
        subnets.setHyperparameter(netuid, p, value);
    }

    function _expectConflict(Hyperparameter p, uint256 value, uint256 related) internal {
        vm.prank(subnetOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.HyperparameterConflict.selector, p, value, related)
        );
        subnets.setHyperparameter(netuid, p, value);
    }
}

contract SubnetRegistry_setHyperparameterByGovernance is RegistryTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _createSubnet(subnetOwner);
    }

    function test_setHyperparameterByGovernance_setsKappa() public {
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.HyperparameterSet(netuid, Hyperparameter.Kappa, 40_000, governance);
        _setHyperparameterByGovernance(netuid, Hyperparameter.Kappa, 40_000);
        assertEq(subnets.hyperparameter(netuid, Hyperparameter.Kappa), 40_000);
        assertEq(subnets.hyperparameters(netuid).kappa, 40_000);
    }

    function test_setHyperparameterByGovernance_setsAnyParameter() public {
        _setHyperparameterByGovernance(netuid, Hyperparameter.RegistrationAllowed, 0);
        assertFalse(subnets.hyperparameters(netuid).registrationAllowed);
        _setHyperparameterByGovernance(netuid, Hyperparameter.OwnerCut, 0);
        assertEq(subnets.hyperparameter(netuid, Hyperparameter.OwnerCut), 0);
    }

    function test_setHyperparameterByGovernance_revertsForNonAdmin() public {
        bytes32 before = _subnetState(netuid);
        address[3] memory callers = [subnetOwner, settlement, stranger];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_unauthorized(callers[i]));
            subnets.setHyperparameterByGovernance(netuid, Hyperparameter.Kappa, 1);
        }
        assertEq(_subnetState(netuid), before);
    }

    function test_setHyperparameterByGovernance_revertsWhenOutOfBounds() public {
        bytes32 before = _subnetState(netuid);
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubnetRegistryErrors.HyperparameterOutOfBounds.selector,
                Hyperparameter.Kappa,
                65_536,
                0,
                65_535
            )
        );
        subnets.setHyperparameterByGovernance(netuid, Hyperparameter.Kappa, 65_536);
        assertEq(_subnetState(netuid), before);
    }

    function test_setHyperparameterByGovernance_revertsOnConflict() public {
        _setHyperparameterByGovernance(netuid, Hyperparameter.MaxBurn, 0.5e18);
        bytes32 before = _subnetState(netuid);
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubnetRegistryErrors.HyperparameterConflict.selector,
                Hyperparameter.MinBurn,
                1e18,
                0.5e18
            )
        );
        subnets.setHyperparameterByGovernance(netuid, Hyperparameter.MinBurn, 1e18);
        assertEq(_subnetState(netuid), before);
    }

    function test_setHyperparameterByGovernance_revertsForUnknownNetuid() public {
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.UnknownSubnet.selector, 3));
        subnets.setHyperparameterByGovernance(3, Hyperparameter.Kappa, 1);
    }
}

contract SubnetRegistry_setHyperparameterBounds is RegistryTest {
    function test_setHyperparameterBounds_setsBoundsAndDefaultForNewSubnets() public {
        uint256 existing = _createSubnet(subnetOwner);
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.HyperparameterBoundsSet(Hyperparameter.Tempo, 100, 1_000, 500);
        _setBounds(Hyperparameter.Tempo, 100, 1_000, 500);

        (uint256 minimum, uint256 maximum, uint256 defaultValue) = subnets.hyperparameterBounds(Hyperparameter.Tempo);
        assertEq(abi.encode(minimum, maximum, defaultValue), abi.encode(100, 1_000, 500));
        assertEq(subnets.hyperparameter(existing, Hyperparameter.Tempo), 2_160, "existing subnets keep their value");
        uint256 created = _createSubnet(otherOwner);
        assertEq(subnets.hyperparameter(created, Hyperparameter.Tempo), 500);
        _setHyperparameter(created, Hyperparameter.Tempo, 100);
        _setHyperparameter(created, Hyperparameter.Tempo, 1_000);
    }

    function test_setHyperparameterBounds_revertsWhenInvalid() public {
        bytes32 before = _subnetState(0);
        _expectInvalidBounds(Hyperparameter.Tempo, 1_000, 100, 500);
        _expectInvalidBounds(Hyperparameter.Tempo, 100, 1_000, 99);
        _expectInvalidBounds(Hyperparameter.Tempo, 100, 1_000, 1_001);
        _expectInvalidBounds(Hyperparameter.MinBurn, 0, uint256(type(uint128).max) + 1, 0);
        _expectInvalidBounds(Hyperparameter.MaxAllowedUids, 64, 4_097, 256);
        _expectInvalidBounds(Hyperparameter.MaxAllowedValidators, 1, 4_097, 64);
        assertEq(_subnetState(0), before);
    }

    /// @notice The settlement reads some hyperparameters as proportions (kappa, the bonds penalty, the
    /// liquid alpha bounds, the owner cut, the max weight limit: of 65,535), the sigmoid's steepness as
    /// an i16 and the bonds moving average as millionths: no bound may pass those (a bonds moving
    /// average above a million made alpha negative and the bonds nonsense; an owner cut above 65,535
    /// made every settlement of the subnet revert). The limits themselves are accepted.
    function test_setHyperparameterBounds_revertsPastWhatTheSettlementReads() public {
        bytes32 before = _subnetState(0);
        _expectInvalidBounds(Hyperparameter.Kappa, 0, 65_536, 32_767);
        _expectInvalidBounds(Hyperparameter.BondsPenalty, 0, 65_536, 65_535);
        _expectInvalidBounds(Hyperparameter.AlphaLow, 1_638, 65_536, 45_875);
        _expectInvalidBounds(Hyperparameter.AlphaHigh, 1_638, 65_536, 58_982);
        _expectInvalidBounds(Hyperparameter.MaxWeightLimit, 0, 65_536, 65_535);
        _expectInvalidBounds(Hyperparameter.OwnerCut, 0, 65_536, 11_796);
        _expectInvalidBounds(Hyperparameter.AlphaSigmoidSteepness, 0, 32_768, 1_000);
        _expectInvalidBounds(Hyperparameter.BondsMovingAverage, 0, 1_000_001, 900_000);
        assertEq(_subnetState(0), before);
        _setBounds(Hyperparameter.BondsMovingAverage, 0, 1_000_000, 900_000);
        _setBounds(Hyperparameter.OwnerCut, 0, 65_535, 11_796);
        _setBounds(Hyperparameter.AlphaSigmoidSteepness, 0, 32_767, 1_000);
    }

    /// @dev The typed record (`hyperparameters`, what the neuron registry acts on) holds most values
    /// in 64 bits and flags in a bool: a bound beyond the field would let a stored value differ from
    /// the one every reader of the record sees (a tempo of 2^64 would read as 0).
    function test_setHyperparameterBounds_revertsWhenMaximumExceedsTheTypedField() public {
        bytes32 before = _subnetState(0);
        uint256 wide = uint256(type(uint64).max) + 1;
        _expectInvalidBounds(Hyperparameter.Tempo, 2_160, wide, 2_160);
        _expectInvalidBounds(Hyperparameter.ImmunityPeriod, 0, wide, 30_000);
        _expectInvalidBounds(Hyperparameter.BurnHalfLife, 1, wide, 2_160);
        _expectInvalidBounds(Hyperparameter.TargetRegistrationsPerInterval, 1, wide, 2);
        _expectInvalidBounds(Hyperparameter.WeightsVersionKey, 0, wide, 0);
        _expectInvalidBounds(Hyperparameter.CommitRevealEnabled, 0, 2, 1);
        _expectInvalidBounds(Hyperparameter.RegistrationAllowed, 0, 2, 1);
        assertEq(_subnetState(0), before);
        // The 128-bit fields take 128-bit bounds.
        _setBounds(Hyperparameter.StakeThreshold, 0, type(uint128).max, 0);
        _setBounds(Hyperparameter.Tempo, 2_160, type(uint64).max, 2_160);
    }

    /// @dev New subnets copy the defaults, so crossed defaults would create subnets whose related
    /// values contradict each other (a burn floor above its ceiling).
    function test_setHyperparameterBounds_revertsWhenDefaultsWouldCross() public {
        bytes32 before = _subnetState(0);
        _expectConflict(Hyperparameter.MinBurn, 0, 1_000e18, 200e18, 200e18, 100e18);
        _expectConflict(Hyperparameter.MaxBurn, 0, 1_000e18, 0.0001e18, 0.0001e18, 0.0005e18);
        _expectConflict(Hyperparameter.AlphaLow, 1_638, 65_535, 60_000, 60_000, 58_982);
        _expectConflict(Hyperparameter.AlphaHigh, 1_638, 65_535, 40_000, 40_000, 45_875);
        // (Validators above the UIDs' default: impossible since at most 128 validators; the UIDs'
        // side below covers the pair.)
        _expectConflict(Hyperparameter.MaxAllowedUids, 1, 4_096, 32, 32, 64);
        assertEq(_subnetState(0), before);

        // In the right order, the defaults move together.
        _setBounds(Hyperparameter.MaxBurn, 0.1e18, 1_000e18, 500e18);
        _setBounds(Hyperparameter.MinBurn, 0, 1_000e18, 200e18);
        uint256 netuid = _createSubnet(subnetOwner);
        Hyperparameters memory h = subnets.hyperparameters(netuid);
        assertLe(h.minBurn, h.maxBurn);
    }

    function test_setHyperparameterBounds_revertsForNonAdmin() public {
        bytes32 before = _subnetState(0);
        address[3] memory callers = [subnetOwner, settlement, stranger];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_unauthorized(callers[i]));
            subnets.setHyperparameterBounds(Hyperparameter.Tempo, 1, 2, 1);
        }
        assertEq(_subnetState(0), before);
    }

    function _expectInvalidBounds(Hyperparameter p, uint256 minimum, uint256 maximum, uint256 defaultValue) internal {
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistryErrors.InvalidBounds.selector, p, minimum, maximum));
        subnets.setHyperparameterBounds(p, minimum, maximum, defaultValue);
    }

    function _expectConflict(
        Hyperparameter p,
        uint256 minimum,
        uint256 maximum,
        uint256 defaultValue,
        uint256 value,
        uint256 related
    ) internal {
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistryErrors.HyperparameterConflict.selector, p, value, related)
        );
        subnets.setHyperparameterBounds(p, minimum, maximum, defaultValue);
    }
}

contract SubnetRegistry_setNetworkParameters is RegistryTest {
    function test_setNetworkParameters_setsAndEmits() public {
        vm.expectEmit(address(subnets));
        emit ISubnetRegistryEvents.NetworkParametersSet(8, 1_000, 10_000, 5e18);
        _setNetworkParameters(8, 1_000, 10_000, 5e18);
        NetworkParameters memory p = subnets.networkParameters();
        assertEq(abi.encode(p), abi.encode(NetworkParameters(8, 1_000, 10_000, 5e18)));
        // No subnet yet: the initial lock (1,000 TAO) has decayed since block 0, down to the new floor.
        assertEq(subnets.lockCost(), 5e18);
        _setNetworkParameters(8, 1_000, 10_000, 2_000e18);
        assertEq(subnets.lockCost(), 2_000e18, "a higher floor applies at once");
    }

    function test_setNetworkParameters_acceptsTheHardCap() public {
        _setNetworkParameters(256, 0, 1, 0);
        assertEq(subnets.networkParameters().maxSubnets, 256);
    }

    function test_setNetworkParameters_revertsWhenOutOfBounds() public {
        bytes32 before = _subnetState(0);
        _expectOutOfBounds(NetworkParameters(0, 1, 1, 1), "maxSubnets", 0, 1, 256);
        _expectOutOfBounds(NetworkParameters(257, 1, 1, 1), "maxSubnets", 257, 1, 256);
        _expectOutOfBounds(NetworkParameters(8, 1, 0, 1), "lockReductionInterval", 0, 1, type(uint64).max);
        assertEq(_subnetState(0), before);
    }

    function test_setNetworkParameters_revertsForNonAdmin() public {
        bytes32 before = _subnetState(0);
        NetworkParameters memory p = NetworkParameters(8, 1, 1, 1);
        vm.prank(subnetOwner);
        vm.expectRevert(_unauthorized(subnetOwner));
        subnets.setNetworkParameters(p);
        vm.prank(settlement);
        vm.expectRevert(_unauthorized(settlement));
        subnets.setNetworkParameters(p);
        assertEq(_subnetState(0), before);
    }

    function _expectOutOfBounds(
        NetworkParameters memory p,
        bytes32 name,
        uint256 value,
        uint256 minimum,
        uint256 maximum
    ) internal {
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubnetRegistryErrors.NetworkParameterOutOfBounds.selector,
                name,
                value,
                minimum,
                maximum
            )
        );
        subnets.setNetworkParameters(p);
    }
}

contract SubnetRegistry_views is RegistryTest {
    function test_parameterCount_matchesTheEnum() public view {
        assertEq(subnets.PARAMETER_COUNT(), 29);
        assertEq(subnets.PARAMETER_COUNT(), uint256(type(Hyperparameter).max) + 1);
        assertEq(PARAMETERS, subnets.PARAMETER_COUNT());
    }

    function test_constants() public view {
        assertEq(subnets.MAX_SUBNETS_HARD_CAP(), 256);
        assertEq(subnets.MAX_UIDS_HARD_CAP(), 4_096);
        assertEq(subnets.MAX_NAME_LENGTH(), 256);
        assertEq(subnets.MAX_DESCRIPTION_LENGTH(), 1_024);
    }

    function test_hyperparameters_matchesIndexedValues() public {
        uint256 netuid = _createSubnet(subnetOwner);
        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 1_000_000e18);
        _setHyperparameter(netuid, Hyperparameter.AlphaHigh, 65_535);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 4_096);
        // A distinct in-bounds value for every parameter: its maximum.
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            (, uint256 maximum, ) = subnets.hyperparameterBounds(Hyperparameter(i));
            _setHyperparameterByGovernance(netuid, Hyperparameter(i), maximum);
        }
        _assertRecordMatchesIndexed(netuid);
        _setHyperparameter(netuid, Hyperparameter.CommitRevealEnabled, 0);
        _setHyperparameter(netuid, Hyperparameter.Yuma3Enabled, 0);
        _setHyperparameter(netuid, Hyperparameter.RegistrationAllowed, 0);
        _assertRecordMatchesIndexed(netuid);
    }

    function test_views_ofUnknownNetuidAreEmpty() public view {
        Subnet memory s = subnets.subnet(77);
        assertEq(s.owner, address(0));
        assertFalse(s.active);
        assertFalse(subnets.isActive(77));
        assertEq(subnets.ownerOf(77), address(0));
        assertEq(subnets.hyperparameter(77, Hyperparameter.Tempo), 0);
        assertEq(bytes(subnets.subnetMetadata(77).name).length, 0);
    }

    function test_activeSubnets_listsActiveNetuidsOnly() public {
        _createSubnet(subnetOwner);
        _createSubnet(subnetOwner);
        _createSubnet(otherOwner);
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(1);
        uint256[] memory active = subnets.activeSubnets();
        assertEq(active.length, 2);
        assertEq(active[0] + active[1], 5, "2 and 3, in slot order");
        assertEq(subnets.subnetCount(), 2);
        assertEq(subnets.lastNetuid(), 3);
    }

    function _assertRecordMatchesIndexed(uint256 netuid) internal view {
        Hyperparameters memory h = subnets.hyperparameters(netuid);
        uint256[29] memory fromRecord = [
            uint256(h.tempo),
            h.maxAllowedUids,
            h.maxAllowedValidators,
            h.immunityPeriod,
            h.activityCutoff,
            h.minAllowedWeights,
            h.maxWeightLimit,
            h.weightsVersionKey,
            h.weightsRateLimit,
            h.commitRevealEnabled ? 1 : 0,
            h.revealPeriod,
            h.kappa,
            h.bondsMovingAverage,
            h.bondsPenalty,
            h.yuma3Enabled ? 1 : 0,
            h.liquidAlphaEnabled ? 1 : 0,
            h.alphaLow,
            h.alphaHigh,
            h.alphaSigmoidSteepness,
            h.minBurn,
            h.maxBurn,
            h.burnHalfLife,
            h.burnIncreaseMult,
            h.targetRegistrationsPerInterval,
            h.registrationAllowed ? 1 : 0,
            h.stakeThreshold,
            h.ownerCut,
            h.servingRateLimit,
            h.commitmentRateLimit
        ];
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            assertEq(fromRecord[i], subnets.hyperparameter(netuid, Hyperparameter(i)), vm.toString(i));
        }
    }
}

/// @dev The roles the base wires are those of `deploy/roles.ts` (`FUNCTION_ROLES`, `ADMIN_FUNCTIONS`).
contract Registry_wiring is RegistryTest {
    function test_wiring_matchesTheDeploymentModule() public view {
        assertEq(subnets.authority(), address(manager));
        assertEq(neurons.authority(), address(manager));
        assertEq(manager.getTargetFunctionRole(address(subnets), SubnetRegistry.recordSubnetEmission.selector), 1);
        assertEq(manager.getTargetFunctionRole(address(neurons), NeuronRegistry.setValidatorPermits.selector), 1);
        assertEq(manager.getTargetFunctionRole(address(neurons), NeuronRegistry.recordNeuronEmissions.selector), 1);
        bytes4[5] memory adminOnly = [
            SubnetRegistry.setNeuronRegistry.selector,
            SubnetRegistry.setHyperparameterByGovernance.selector,
            SubnetRegistry.setHyperparameterBounds.selector,
            SubnetRegistry.setNetworkParameters.selector,
            SubnetRegistry.dissolveSubnet.selector
        ];
        for (uint256 i = 0; i < adminOnly.length; ++i) {
            assertEq(manager.getTargetFunctionRole(address(subnets), adminOnly[i]), manager.ADMIN_ROLE());
        }
        (bool isSettlement, ) = manager.hasRole(1, settlement);
        (bool isAdmin, ) = manager.hasRole(manager.ADMIN_ROLE(), governance);
        (bool deployerIsAdmin, ) = manager.hasRole(manager.ADMIN_ROLE(), address(this));
        assertTrue(isSettlement);
        assertTrue(isAdmin);
        assertFalse(deployerIsAdmin, "the deployer kept no power");
    }
}
