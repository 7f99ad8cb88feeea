// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SubnetRegistry} from "../../../contracts/registry/SubnetRegistry.sol";
import {NeuronRegistry} from "../../../contracts/registry/NeuronRegistry.sol";
import {MetagraphLens} from "../../../contracts/registry/MetagraphLens.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {ISubnetRegistryTypes} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {INeuronRegistryTypes} from "../../../contracts/interfaces/INeuronRegistry.sol";
import {IStaking} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

/// @title RegistryTest
/// @notice Base of the registry tests: the whole system of `TaonetTest` (AccessManager, TAO with its
/// genesis allocation, Emission, Staking, Slashing) plus SubnetRegistry, NeuronRegistry and
/// MetagraphLens with the deployment module's default parameters, wired as `deploy/modules/Taonet.ts`
/// wires them: `setNeuronRegistry`, and `recordSubnetEmission`, `setValidatorPermits` and
/// `recordNeuronEmissions` mapped to SETTLEMENT (held by the `settlement` actor); every other
/// restricted function stays with ADMIN, held by the `governance` actor (the timelock's stand-in).
/// @dev `TaonetTest` has already handed ADMIN over to the timelock when the registries are deployed,
/// so governance does this wiring; the resulting roles are exactly the module's.
abstract contract RegistryTest is TaonetTest, ISubnetRegistryTypes, INeuronRegistryTypes {
    // ---- parameters: the defaults of deploy/modules/Taonet.ts ----
    uint64 internal constant MAX_SUBNETS = 128;
    uint64 internal constant NETWORK_IMMUNITY_PERIOD = 7_776_000;
    uint64 internal constant LOCK_REDUCTION_INTERVAL = 604_800;
    uint128 internal constant MIN_LOCK_COST = 1_000e18;
    uint128 internal constant INITIAL_BURN = 0.1e18;

    // ---- built-in hyperparameter defaults (SubnetRegistry._initBounds) ----
    uint256 internal constant DEFAULT_TEMPO = 2_160;
    uint256 internal constant DEFAULT_MAX_UIDS = 256;
    uint256 internal constant DEFAULT_IMMUNITY_PERIOD = 30_000;
    uint256 internal constant DEFAULT_MIN_BURN = 0.0005e18;
    uint256 internal constant DEFAULT_MAX_BURN = 100e18;
    uint256 internal constant DEFAULT_BURN_HALF_LIFE = 2_160;
    uint256 internal constant DEFAULT_BURN_INCREASE_MULT = 1.26e18;
    uint256 internal constant DEFAULT_TARGET_REGISTRATIONS = 2;
    uint256 internal constant DEFAULT_SERVING_RATE_LIMIT = 300;
    uint256 internal constant DEFAULT_COMMITMENT_RATE_LIMIT = 600;

    /// @dev Registries compare creation blocks with zero ("no subnet yet", "no price yet"), so tests
    /// start well past genesis, as any real chain is.
    uint256 internal constant START_BLOCK = 1_000_000;
    uint256 internal constant PARAMETERS = 29;

    SubnetRegistry internal subnets;
    NeuronRegistry internal neurons;
    MetagraphLens internal lens;

    /// @dev Holds ADMIN: the timelock of `TaonetTest` under the name the registry docs use.
    address internal governance;
    address internal subnetOwner = makeAddr("subnet owner");
    address internal otherOwner = makeAddr("other subnet owner");

    uint256 private _nextHotkeySeed;

    function setUp() public virtual override {
        super.setUp();
        vm.roll(START_BLOCK);
        governance = timelock;
        _deployRegistries();
    }

    function _deployRegistries() internal {
        Hyperparameter[] memory none = new Hyperparameter[](0);
        uint128[] memory empty = new uint128[](0);
        subnets = new SubnetRegistry(
            address(manager),
            address(tao),
            NetworkParameters({
                maxSubnets: MAX_SUBNETS,
                networkImmunityPeriod: NETWORK_IMMUNITY_PERIOD,
                lockReductionInterval: LOCK_REDUCTION_INTERVAL,
                minLockCost: MIN_LOCK_COST
            }),
            none,
            empty,
            empty,
            empty
        );
        neurons = new NeuronRegistry(address(manager), address(tao), address(staking), address(subnets), INITIAL_BURN);
        lens = new MetagraphLens(subnets, neurons, IStaking(address(staking)));

        vm.startPrank(governance);
        subnets.setNeuronRegistry(address(neurons));
        manager.setTargetFunctionRole(
            address(subnets),
            _selectors(SubnetRegistry.recordSubnetEmission.selector),
            Roles.SETTLEMENT
        );
        manager.setTargetFunctionRole(
            address(neurons),
            _selectors(NeuronRegistry.setValidatorPermits.selector, NeuronRegistry.recordNeuronEmissions.selector),
            Roles.SETTLEMENT
        );
        vm.stopPrank();

        vm.label(address(subnets), "SubnetRegistry");
        vm.label(address(neurons), "NeuronRegistry");
        vm.label(address(lens), "MetagraphLens");
    }

    // ------------------------------------------------------------------------------------------
    // Subnets
    // ------------------------------------------------------------------------------------------

    function _metadata(string memory name) internal pure returns (SubnetMetadata memory) {
        return SubnetMetadata({name: name, repository: "https://github.com/taonet/subnet", description: "a subnet"});
    }

    /// @dev Funds `owner` with the current lock cost, approves it and creates a subnet.
    function _createSubnet(address owner) internal returns (uint256 netuid) {
        uint256 cost = subnets.lockCost();
        _fund(owner, cost);
        vm.startPrank(owner);
        tao.approve(address(subnets), cost);
        netuid = subnets.createSubnet(cost, _metadata("subnet"));
        vm.stopPrank();
    }

    function _setHyperparameter(uint256 netuid, Hyperparameter parameter, uint256 value) internal {
        vm.prank(subnets.ownerOf(netuid));
        subnets.setHyperparameter(netuid, parameter, value);
    }

    function _setHyperparameterByGovernance(uint256 netuid, Hyperparameter parameter, uint256 value) internal {
        vm.prank(governance);
        subnets.setHyperparameterByGovernance(netuid, parameter, value);
    }

    function _setBounds(Hyperparameter parameter, uint256 minimum, uint256 maximum, uint256 defaultValue) internal {
        vm.prank(governance);
        subnets.setHyperparameterBounds(parameter, minimum, maximum, defaultValue);
    }

    function _setNetworkParameters(uint64 maxSubnets, uint64 immunity, uint64 interval, uint128 minLock) internal {
        vm.prank(governance);
        subnets.setNetworkParameters(
            NetworkParameters({
                maxSubnets: maxSubnets,
                networkImmunityPeriod: immunity,
                lockReductionInterval: interval,
                minLockCost: minLock
            })
        );
    }

    function _recordSubnetEmission(uint256 netuid, uint256 amount) internal {
        vm.prank(settlement);
        subnets.recordSubnetEmission(netuid, amount);
    }

    // ------------------------------------------------------------------------------------------
    // Neurons
    // ------------------------------------------------------------------------------------------

    /// @dev A fresh hotkey key pair, different on every call.
    function _newHotkey() internal returns (address hotkey, uint256 key) {
        key = uint256(keccak256(abi.encode("taonet registry test hotkey", _nextHotkeySeed++)));
        hotkey = vm.addr(key);
        vm.label(hotkey, string.concat("hotkey #", vm.toString(_nextHotkeySeed - 1)));
    }

    /// @dev A fresh hotkey bound to `coldkey` with a real EIP-712 signature.
    function _newBoundHotkey(address coldkey) internal returns (address hotkey) {
        (, uint256 key) = _newHotkey();
        hotkey = _bind(key, coldkey);
    }

    /// @dev Funds `coldkey` with the current price, approves it and registers `hotkey` (already bound).
    function _register(uint256 netuid, address coldkey, address hotkey) internal returns (uint256 uid) {
        uint256 price = neurons.burnPrice(netuid);
        _fund(coldkey, price);
        vm.startPrank(coldkey);
        tao.approve(address(neurons), price);
        uid = neurons.registerNeuron(netuid, hotkey, price);
        vm.stopPrank();
    }

    /// @dev Binds a fresh hotkey to `coldkey` and registers it.
    function _registerNew(uint256 netuid, address coldkey) internal returns (address hotkey, uint256 uid) {
        hotkey = _newBoundHotkey(coldkey);
        uid = _register(netuid, coldkey, hotkey);
    }

    /// @dev Registers `count` fresh hotkeys of `coldkey`; the caller makes sure the interval allows it.
    function _registerMany(uint256 netuid, address coldkey, uint256 count) internal returns (address[] memory hotkeys) {
        hotkeys = new address[](count);
        for (uint256 i = 0; i < count; ++i) {
            (hotkeys[i], ) = _registerNew(netuid, coldkey);
        }
    }

    /// @dev Lets a subnet take many registrations cheaply: the highest target per interval and a
    /// 1 TAO price ceiling.
    function _openRegistrations(uint256 netuid) internal {
        _setHyperparameter(netuid, Hyperparameter.TargetRegistrationsPerInterval, 4_096);
        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 1e18);
    }

    function _recordNeuronEmissions(uint256 netuid, uint256 startUid, uint64[] memory emissionsNano) internal {
        vm.prank(settlement);
        neurons.recordNeuronEmissions(netuid, startUid, emissionsNano);
    }

    function _roll(uint256 blocks) internal {
        vm.roll(block.number + blocks);
    }

    function _endpoint(
        bytes16 ip,
        uint16 port,
        uint8 ipType,
        string memory url
    ) internal pure returns (Endpoint memory) {
        return Endpoint({ip: ip, port: port, ipType: ipType, protocol: 4, version: 1, updatedAtBlock: 0, url: url});
    }

    function _ipv4Endpoint() internal pure returns (Endpoint memory) {
        // 10.0.0.1 in the low four bytes.
        return _endpoint(bytes16(uint128(0x0a000001)), 8091, 4, "");
    }

    function _uint64s(uint64 a, uint64 b, uint64 c) internal pure returns (uint64[] memory values) {
        values = new uint64[](3);
        (values[0], values[1], values[2]) = (a, b, c);
    }

    // ------------------------------------------------------------------------------------------
    // State digests for "a reverted call changed nothing"
    // ------------------------------------------------------------------------------------------

    /// @dev Everything the subnet registry holds about the network and about `netuid`, plus the TAO
    /// balances of the registry and of the usual actors.
    function _subnetState(uint256 netuid) internal view returns (bytes32) {
        bytes memory packed = abi.encode(
            subnets.networkParameters(),
            subnets.lockCost(),
            subnets.lastNetuid(),
            subnets.activeSubnets(),
            subnets.subnet(netuid),
            subnets.subnetMetadata(netuid),
            subnets.hyperparameters(netuid),
            subnets.subnetToReplace(),
            tao.balanceOf(address(subnets)),
            tao.totalSupply()
        );
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            (uint256 minimum, uint256 maximum, uint256 defaultValue) = subnets.hyperparameterBounds(Hyperparameter(i));
            packed = abi.encode(
                packed,
                minimum,
                maximum,
                defaultValue,
                subnets.hyperparameter(netuid, Hyperparameter(i))
            );
        }
        address[6] memory accounts = [alice, bob, subnetOwner, otherOwner, governance, stranger];
        for (uint256 i = 0; i < accounts.length; ++i) {
            packed = abi.encode(packed, tao.balanceOf(accounts[i]), tao.allowance(accounts[i], address(subnets)));
        }
        return keccak256(packed);
    }

    /// @dev Everything the neuron registry holds about `netuid`'s UIDs and about `hotkeys` there,
    /// plus the subnet registry's state and the TAO balances of the usual actors.
    function _neuronState(uint256 netuid, address[] memory hotkeys) internal view returns (bytes32) {
        uint256 n = neurons.neuronCount(netuid);
        bytes memory packed = abi.encode(
            _subnetState(netuid),
            neurons.registrationState(netuid),
            neurons.validatorPermits(netuid),
            tao.balanceOf(alice),
            tao.balanceOf(bob),
            tao.allowance(alice, address(neurons)),
            tao.allowance(bob, address(neurons))
        );
        if (subnets.isActive(netuid)) packed = abi.encode(packed, neurons.burnPrice(netuid));
        for (uint256 uid = 0; uid < n; ++uid) {
            packed = abi.encode(
                packed,
                neurons.hotkeyOf(netuid, uid),
                neurons.blockAtRegistration(netuid, uid),
                neurons.neuronEmission(netuid, uid),
                neurons.hasValidatorPermit(netuid, uid)
            );
        }
        for (uint256 i = 0; i < hotkeys.length; ++i) {
            (bool registered, uint256 uid) = neurons.uidOf(netuid, hotkeys[i]);
            packed = abi.encode(
                packed,
                registered,
                uid,
                neurons.endpointOf(netuid, hotkeys[i]),
                neurons.commitmentOf(netuid, hotkeys[i])
            );
        }
        return keccak256(packed);
    }

    function _list(address a) internal pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    function _list(address a, address b) internal pure returns (address[] memory list) {
        list = new address[](2);
        (list[0], list[1]) = (a, b);
    }
}
