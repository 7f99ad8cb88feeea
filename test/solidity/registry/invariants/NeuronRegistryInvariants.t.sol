// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {SubnetRegistry} from "../../../../contracts/registry/SubnetRegistry.sol";
import {NeuronRegistry} from "../../../../contracts/registry/NeuronRegistry.sol";
import {ISubnetRegistryTypes} from "../../../../contracts/interfaces/ISubnetRegistry.sol";
import {TAO} from "../../../../contracts/token/TAO.sol";
import {RegistryTest} from "../RegistryTest.sol";

/// @dev The handler lives in this file: Hardhat hands EDR the artifacts of the test files it runs,
/// and a handler compiled from another file is not recognised as an invariant target.

/// @notice Invariants of the neuron registry over random sequences of registrations, emissions,
/// permits, owners' changes and time, on two small subnets (4 and 8 UIDs to start with; governance
/// lowers the built-in floor of 64 so that subnets fill and prune within a run, and their owners may
/// grow them up to 64).
contract NeuronRegistryInvariants is RegistryTest {
    uint256 internal constant POOL = 24;

    NeuronHandler internal handler;
    uint256[] internal netuids;

    function setUp() public override {
        super.setUp();
        _setBounds(Hyperparameter.MaxAllowedUids, 4, 64, 64);
        netuids.push(_smallSubnet(subnetOwner, 4, 4_096));
        netuids.push(_smallSubnet(otherOwner, 8, 4));

        address[] memory pool = new address[](POOL);
        uint256[] memory keys = new uint256[](POOL);
        for (uint256 i = 0; i < POOL; ++i) {
            (pool[i], keys[i]) = _newHotkey();
        }
        handler = new NeuronHandler(subnets, neurons, tao, settlement, netuids, pool);
        for (uint256 i = 0; i < POOL; ++i) {
            _bind(keys[i], address(handler));
        }
        _fund(address(handler), 100_000e18);
        vm.prank(address(handler));
        tao.approve(address(neurons), type(uint256).max);
        // Start half full, through the handler so that its model knows every UID.
        for (uint256 i = 0; i < 2; ++i) {
            handler.register(0, i);
        }

        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = NeuronHandler.register.selector;
        selectors[1] = NeuronHandler.register.selector;
        selectors[2] = NeuronHandler.register.selector;
        selectors[3] = NeuronHandler.recordEmissions.selector;
        selectors[4] = NeuronHandler.setPermits.selector;
        selectors[5] = NeuronHandler.ownerSets.selector;
        selectors[6] = NeuronHandler.roll.selector;
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function _smallSubnet(address owner, uint256 uids, uint256 target) internal returns (uint256 netuid) {
        netuid = _createSubnet(owner);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, 4);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, uids);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, 40);
        _setHyperparameter(netuid, Hyperparameter.TargetRegistrationsPerInterval, target);
        _setHyperparameter(netuid, Hyperparameter.MaxBurn, 2e18);
        _setHyperparameter(netuid, Hyperparameter.BurnHalfLife, 50);
    }

    function invariant_uidCountNeverExceedsMax() public view {
        for (uint256 s = 0; s < netuids.length; ++s) {
            uint256 n = neurons.neuronCount(netuids[s]);
            assertLe(n, subnets.hyperparameter(netuids[s], Hyperparameter.MaxAllowedUids));
            assertEq(n, handler.countOf(netuids[s]));
        }
    }

    function invariant_immuneNeverPrunedWhileNonImmuneExists() public view {
        assertEq(handler.immunePrunedWhileNonImmuneExisted(), 0);
    }

    /// @dev Beyond immunity, the whole order: lowest emission, earliest registration, lowest UID.
    function invariant_prunesFollowSubtensorOrder() public view {
        assertEq(handler.prunedOtherThanReference(), 0);
        assertEq(handler.uidsOutOfOrder(), 0);
    }

    function invariant_burnPriceWithinBounds() public view {
        assertEq(handler.pricesOutOfRange(), 0, "a quoted or stored price left the range");
        for (uint256 s = 0; s < netuids.length; ++s) {
            uint256 price = neurons.burnPrice(netuids[s]);
            assertGe(price, subnets.hyperparameter(netuids[s], Hyperparameter.MinBurn));
            assertLe(price, subnets.hyperparameter(netuids[s], Hyperparameter.MaxBurn));
        }
    }

    /// @dev `hotkeyOf` over 0..n-1 and `uidOf` over every hotkey are inverse bijections.
    function invariant_hotkeyUidMappingsAreABijection() public view {
        for (uint256 s = 0; s < netuids.length; ++s) {
            uint256 netuid = netuids[s];
            uint256 n = neurons.neuronCount(netuid);
            for (uint256 uid = 0; uid < n; ++uid) {
                address hotkey = neurons.hotkeyOf(netuid, uid);
                assertTrue(hotkey != address(0), "an empty UID below n");
                (bool registered, uint256 back) = neurons.uidOf(netuid, hotkey);
                assertTrue(registered);
                assertEq(back, uid);
            }
            assertEq(neurons.hotkeyOf(netuid, n), address(0), "a hotkey past n");
            uint256 registeredCount;
            for (uint256 i = 0; i < POOL; ++i) {
                address hotkey = handler.pool(i);
                (bool registered, uint256 uid) = neurons.uidOf(netuid, hotkey);
                if (!registered) continue;
                ++registeredCount;
                assertLt(uid, n);
                assertEq(neurons.hotkeyOf(netuid, uid), hotkey);
            }
            assertEq(registeredCount, n, "every UID is held by exactly one hotkey");
        }
    }

    /// @dev What the registry holds per UID is what the handler's model says: holder, registration
    /// block, emission (reset on replacement) and permit (cleared on replacement).
    function invariant_registryMatchesModel() public view {
        assertEq(handler.strayPermitsAccepted(), 0);
        for (uint256 s = 0; s < netuids.length; ++s) {
            uint256 netuid = netuids[s];
            uint256 n = neurons.neuronCount(netuid);
            for (uint256 uid = 0; uid < n; ++uid) {
                assertEq(neurons.hotkeyOf(netuid, uid), handler.holderOf(netuid, uid));
                assertEq(neurons.blockAtRegistration(netuid, uid), handler.registeredAt(netuid, uid));
                assertEq(neurons.neuronEmission(netuid, uid), handler.emissionOf(netuid, uid));
                assertEq(neurons.hasValidatorPermit(netuid, uid), handler.permitOf(netuid, uid));
            }
        }
    }
}

/// @title NeuronHandler
/// @notice Drives the neuron registry of a few small subnets: registrations (which prune once a
/// subnet is full), the settlement's emissions and permits, owners' changes of size, immunity and
/// price, and time. It keeps its own model of every UID (holder, registration block, emission,
/// permit) and records, for each replacement, which UID went and whether a non-immune one existed.
/// @dev The handler is the coldkey of every hotkey in its pool, so it registers as itself.
contract NeuronHandler is CommonBase, StdCheats, StdUtils {
    SubnetRegistry internal immutable subnets;
    NeuronRegistry internal immutable neurons;
    TAO internal immutable tao;
    address internal immutable settlement;

    uint256[] public netuids;
    address[] public pool;

    // ---- the model ----
    mapping(uint256 netuid => mapping(uint256 uid => address)) public holderOf;
    mapping(uint256 netuid => mapping(uint256 uid => uint256)) public registeredAt;
    mapping(uint256 netuid => mapping(uint256 uid => uint64)) public emissionOf;
    mapping(uint256 netuid => mapping(uint256 uid => bool)) public permitOf;
    mapping(uint256 netuid => uint256) public countOf;

    // ---- what happened ----
    uint256 public registrations;
    uint256 public prunes;
    uint256 public immunePrunes;
    /// @notice Replacements of an immune UID while a non-immune one existed: must stay 0.
    uint256 public immunePrunedWhileNonImmuneExisted;
    /// @notice Replacements of another UID than subtensor's order picks: must stay 0.
    uint256 public prunedOtherThanReference;
    /// @notice New UIDs handed out other than in order: must stay 0.
    uint256 public uidsOutOfOrder;
    /// @notice Prices quoted or paid outside the subnet's [MinBurn, MaxBurn]: must stay 0.
    uint256 public pricesOutOfRange;
    /// @notice Permit bitmaps with bits past the last UID that the registry accepted: must stay 0.
    uint256 public strayPermitsAccepted;

    constructor(
        SubnetRegistry subnets_,
        NeuronRegistry neurons_,
        TAO tao_,
        address settlement_,
        uint256[] memory netuids_,
        address[] memory pool_
    ) {
        subnets = subnets_;
        neurons = neurons_;
        tao = tao_;
        settlement = settlement_;
        netuids = netuids_;
        pool = pool_;
    }

    // ------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------

    function register(uint256 subnetSeed, uint256 hotkeySeed) external {
        uint256 netuid = netuids[subnetSeed % netuids.length];
        address hotkey = _unregisteredHotkey(netuid, hotkeySeed);
        if (hotkey == address(0)) return;

        uint256 price = neurons.burnPrice(netuid);
        _checkPriceInRange(netuid, price);
        if (price > tao.balanceOf(address(this))) return;

        uint256 n = neurons.neuronCount(netuid);
        bool full = n >= _param(netuid, ISubnetRegistryTypes.Hyperparameter.MaxAllowedUids);
        uint256 immunity = _param(netuid, ISubnetRegistryTypes.Hyperparameter.ImmunityPeriod);
        (bool nonImmuneExists, uint256 expected) = _referenceCandidate(netuid, n, immunity);

        try neurons.registerNeuron(netuid, hotkey, price) returns (uint256 uid) {
            ++registrations;
            if (full) {
                ++prunes;
                bool immune = registeredAt[netuid][uid] + immunity > block.number;
                if (immune) ++immunePrunes;
                if (immune && nonImmuneExists) ++immunePrunedWhileNonImmuneExisted;
                if (uid != expected) ++prunedOtherThanReference;
            } else {
                if (uid != n) ++uidsOutOfOrder;
                countOf[netuid] = n + 1;
            }
            holderOf[netuid][uid] = hotkey;
            registeredAt[netuid][uid] = block.number;
            emissionOf[netuid][uid] = 0;
            permitOf[netuid][uid] = false;
            // The price just paid, bumped, is stored within the range as well.
            _checkPriceInRange(netuid, neurons.registrationState(netuid).burnAtUpdate);
        } catch {}
    }

    /// @notice The settlement records emissions of a chunk of UIDs, small values so that ties occur.
    function recordEmissions(uint256 subnetSeed, uint256 seed) external {
        uint256 netuid = netuids[subnetSeed % netuids.length];
        uint256 n = neurons.neuronCount(netuid);
        if (n == 0) return;
        uint256 start = seed % n;
        uint256 length = 1 + ((seed >> 8) % (n - start));
        uint64[] memory values = new uint64[](length);
        for (uint256 i = 0; i < length; ++i) {
            values[i] = uint64(uint256(keccak256(abi.encode(seed, i))) % 4) * 1e9;
        }
        vm.prank(settlement);
        neurons.recordNeuronEmissions(netuid, start, values);
        for (uint256 i = 0; i < length; ++i) {
            emissionOf[netuid][start + i] = values[i];
        }
    }

    /// @notice The settlement sets permits; now and then with a stray bit past the last UID.
    function setPermits(uint256 subnetSeed, uint256 seed) external {
        uint256 netuid = netuids[subnetSeed % netuids.length];
        uint256 n = neurons.neuronCount(netuid);
        if (n == 0) return;
        uint256 mask = n >= 256 ? type(uint256).max : (uint256(1) << n) - 1;
        uint256 word = uint256(keccak256(abi.encode(seed)));
        bool stray = seed % 4 == 0 && n < 256;
        if (!stray) word &= mask;
        else word |= uint256(1) << n;
        uint256[] memory bitmap = new uint256[](1);
        bitmap[0] = word;
        vm.prank(settlement);
        try neurons.setValidatorPermits(netuid, bitmap) {
            if (stray) ++strayPermitsAccepted;
            for (uint256 uid = 0; uid < n; ++uid) {
                permitOf[netuid][uid] = (word >> uid) & 1 == 1;
            }
        } catch {}
    }

    /// @notice The owner resizes the subnet, changes its immunity, or moves its price parameters.
    function ownerSets(uint256 subnetSeed, uint256 which, uint256 value) external {
        uint256 netuid = netuids[subnetSeed % netuids.length];
        ISubnetRegistryTypes.Hyperparameter p;
        which %= 6;
        if (which == 0) {
            (p, value) = (ISubnetRegistryTypes.Hyperparameter.MaxAllowedUids, bound(value, 0, 70));
        } else if (which == 1) {
            (p, value) = (ISubnetRegistryTypes.Hyperparameter.ImmunityPeriod, bound(value, 0, 200));
        } else if (which == 2) {
            (p, value) = (ISubnetRegistryTypes.Hyperparameter.MinBurn, bound(value, 0, 1.1e18));
        } else if (which == 3) {
            (p, value) = (ISubnetRegistryTypes.Hyperparameter.MaxBurn, bound(value, 0.05e18, 20e18));
        } else if (which == 4) {
            (p, value) = (ISubnetRegistryTypes.Hyperparameter.BurnHalfLife, bound(value, 0, 100));
        } else {
            (p, value) = (ISubnetRegistryTypes.Hyperparameter.BurnIncreaseMult, bound(value, 0.9e18, 11e18));
        }
        vm.prank(subnets.ownerOf(netuid));
        try subnets.setHyperparameter(netuid, p, value) {} catch {}
    }

    /// @dev Short steps against an immunity of 40 blocks, so that immune and non-immune UIDs mix.
    function roll(uint256 blocks) external {
        vm.roll(block.number + bound(blocks, 1, 30));
    }

    // ------------------------------------------------------------------------------------------
    // Model
    // ------------------------------------------------------------------------------------------

    /// @dev subtensor's `get_neuron_to_prune` over the model: lowest emission, then earliest
    /// registration, then lowest UID; non-immune neurons first.
    function _referenceCandidate(
        uint256 netuid,
        uint256 n,
        uint256 immunity
    ) internal view returns (bool nonImmuneExists, uint256 best) {
        bool found;
        bool bestFree;
        for (uint256 uid = 0; uid < n; ++uid) {
            bool free = registeredAt[netuid][uid] + immunity <= block.number;
            if (free) nonImmuneExists = true;
            if (!found || (free && !bestFree) || (free == bestFree && _before(netuid, uid, best))) {
                (found, best, bestFree) = (true, uid, free);
            }
        }
    }

    function _before(uint256 netuid, uint256 a, uint256 b) internal view returns (bool) {
        if (emissionOf[netuid][a] != emissionOf[netuid][b]) return emissionOf[netuid][a] < emissionOf[netuid][b];
        if (registeredAt[netuid][a] != registeredAt[netuid][b])
            return registeredAt[netuid][a] < registeredAt[netuid][b];
        return a < b;
    }

    function _unregisteredHotkey(uint256 netuid, uint256 seed) internal view returns (address) {
        for (uint256 i = 0; i < pool.length; ++i) {
            address hotkey = pool[(seed + i) % pool.length];
            (bool registered, ) = neurons.uidOf(netuid, hotkey);
            if (!registered) return hotkey;
        }
        return address(0);
    }

    function _checkPriceInRange(uint256 netuid, uint256 price) internal {
        if (
            price < _param(netuid, ISubnetRegistryTypes.Hyperparameter.MinBurn) ||
            price > _param(netuid, ISubnetRegistryTypes.Hyperparameter.MaxBurn)
        ) ++pricesOutOfRange;
    }

    function _param(uint256 netuid, ISubnetRegistryTypes.Hyperparameter p) internal view returns (uint256) {
        return subnets.hyperparameter(netuid, p);
    }

    function netuidCount() external view returns (uint256) {
        return netuids.length;
    }

    function poolSize() external view returns (uint256) {
        return pool.length;
    }
}
