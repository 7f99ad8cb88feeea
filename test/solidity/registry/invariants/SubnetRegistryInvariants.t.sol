// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SubnetRegistry} from "../../../../contracts/registry/SubnetRegistry.sol";
import {ISubnetRegistryTypes, ISubnetRegistryEvents} from "../../../../contracts/interfaces/ISubnetRegistry.sol";
import {TAO} from "../../../../contracts/token/TAO.sol";
import {RegistryTest} from "../RegistryTest.sol";

/// @dev The handler lives in this file: Hardhat hands EDR the artifacts of the test files it runs,
/// and a handler compiled from another file is not recognised as an invariant target.

/// @notice Invariants of the subnet registry over random sequences of creations (replacing once
/// three subnets are active), dissolutions, transfers, emissions, and hyperparameter and bound
/// changes by owners and governance.
contract SubnetRegistryInvariants is RegistryTest {
    uint64 internal constant CAP = 3;

    SubnetHandler internal handler;

    function setUp() public override {
        super.setUp();
        // Cheap subnets: a 1 TAO floor, a lock that decays back in 100 blocks, immunity of 10.
        _setNetworkParameters(CAP, 10, 100, 1e18);
        address[] memory owners = new address[](3);
        (owners[0], owners[1], owners[2]) = (subnetOwner, otherOwner, carol);
        handler = new SubnetHandler(subnets, tao, governance, settlement, owners);
        for (uint256 i = 0; i < owners.length; ++i) {
            _fund(owners[i], 200_000e18);
            vm.prank(owners[i]);
            tao.approve(address(subnets), type(uint256).max);
        }
        handler.create(0);

        bytes4[] memory selectors = new bytes4[](9);
        selectors[0] = SubnetHandler.create.selector;
        selectors[1] = SubnetHandler.create.selector;
        selectors[2] = SubnetHandler.dissolve.selector;
        selectors[3] = SubnetHandler.transferOwnership.selector;
        selectors[4] = SubnetHandler.recordEmission.selector;
        selectors[5] = SubnetHandler.setHyperparameter.selector;
        selectors[6] = SubnetHandler.setHyperparameter.selector;
        selectors[7] = SubnetHandler.setBounds.selector;
        selectors[8] = SubnetHandler.roll.selector;
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function invariant_lockReturnedExactlyOnce() public view {
        assertEq(handler.secondDissolutions(), 0, "a dead subnet was dissolved again");
        for (uint256 netuid = 1; netuid <= subnets.lastNetuid(); ++netuid) {
            Subnet memory s = subnets.subnet(netuid);
            if (s.active) {
                assertEq(handler.returnCount(netuid), 0);
                assertEq(s.lockedAmount, handler.lockTaken(netuid));
            } else {
                assertEq(handler.returnCount(netuid), 1, "returned other than once");
                assertEq(handler.returnedAmount(netuid), handler.lockTaken(netuid));
                assertEq(s.lockedAmount, 0);
            }
        }
    }

    function invariant_registryBalanceEqualsActiveLocks() public view {
        uint256 active;
        uint256 dead;
        for (uint256 netuid = 1; netuid <= subnets.lastNetuid(); ++netuid) {
            if (subnets.isActive(netuid)) active += subnets.subnet(netuid).lockedAmount;
            else dead += handler.lockTaken(netuid);
        }
        assertEq(tao.balanceOf(address(subnets)), active);
        assertEq(handler.transferredOut(), dead, "TAO out of the registry is the dead subnets' locks");
    }

    function invariant_activeSubnetsNeverExceedCap() public view {
        assertLe(subnets.subnetCount(), CAP);
        assertEq(subnets.activeSubnets().length, subnets.subnetCount());
    }

    /// @dev Bounds apply to changes: each value lies within the bounds in force when it was written
    /// (at creation, or by the last successful set), and related values never cross.
    function invariant_hyperparametersWithinBounds() public view {
        for (uint256 netuid = 1; netuid <= subnets.lastNetuid(); ++netuid) {
            for (uint256 i = 0; i < PARAMETERS; ++i) {
                uint256 value = subnets.hyperparameter(netuid, Hyperparameter(i));
                assertGe(value, handler.minimumAtWrite(netuid, i), vm.toString(i));
                assertLe(value, handler.maximumAtWrite(netuid, i), vm.toString(i));
            }
            Hyperparameters memory h = subnets.hyperparameters(netuid);
            assertLe(h.maxAllowedValidators, h.maxAllowedUids);
            assertLe(h.minBurn, h.maxBurn);
            assertLe(h.alphaLow, h.alphaHigh);
            // The typed record shows the stored values, untruncated.
            assertEq(h.tempo, subnets.hyperparameter(netuid, Hyperparameter.Tempo));
            assertEq(h.immunityPeriod, subnets.hyperparameter(netuid, Hyperparameter.ImmunityPeriod));
            assertEq(h.burnHalfLife, subnets.hyperparameter(netuid, Hyperparameter.BurnHalfLife));
            assertEq(
                h.targetRegistrationsPerInterval,
                subnets.hyperparameter(netuid, Hyperparameter.TargetRegistrationsPerInterval)
            );
            assertEq(h.registrationAllowed ? 1 : 0, subnets.hyperparameter(netuid, Hyperparameter.RegistrationAllowed));
        }
    }

    /// @dev Governance's bounds stay ordered around their default, and the defaults obey the
    /// relations new subnets must obey.
    function invariant_boundsAreOrderedAndDefaultsConsistent() public view {
        uint256[PARAMETERS] memory defaults;
        for (uint256 i = 0; i < PARAMETERS; ++i) {
            (uint256 minimum, uint256 maximum, uint256 defaultValue) = subnets.hyperparameterBounds(Hyperparameter(i));
            assertLe(minimum, defaultValue);
            assertLe(defaultValue, maximum);
            defaults[i] = defaultValue;
        }
        assertLe(
            defaults[uint256(Hyperparameter.MaxAllowedValidators)],
            defaults[uint256(Hyperparameter.MaxAllowedUids)]
        );
        assertLe(defaults[uint256(Hyperparameter.MinBurn)], defaults[uint256(Hyperparameter.MaxBurn)]);
        assertLe(defaults[uint256(Hyperparameter.AlphaLow)], defaults[uint256(Hyperparameter.AlphaHigh)]);
    }
}

/// @title SubnetHandler
/// @notice Drives the subnet registry under a small cap: creations (which replace once the cap is
/// reached), dissolutions by owners and governance (and attempts to dissolve again), ownership
/// transfers, the settlement's emissions, and hyperparameter changes and bound changes by owners
/// and governance. It records every lock taken and, from the logs, every lock returned; and for
/// every hyperparameter value, the bounds in force when it was written.
contract SubnetHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant PARAMETERS = 29;

    SubnetRegistry internal immutable subnets;
    TAO internal immutable tao;
    address internal immutable governance;
    address internal immutable settlement;
    address[] internal owners;

    // ---- locks ----
    mapping(uint256 netuid => uint256) public lockTaken;
    mapping(uint256 netuid => uint256) public returnCount;
    mapping(uint256 netuid => uint256) public returnedAmount;
    /// @notice TAO the registry transferred out, by the token's own Transfer events.
    uint256 public transferredOut;
    /// @notice Dissolutions of a dead subnet that succeeded: must stay 0.
    uint256 public secondDissolutions;

    // ---- hyperparameters: the bounds in force when each value was written ----
    mapping(uint256 netuid => mapping(uint256 parameter => uint256)) public minimumAtWrite;
    mapping(uint256 netuid => mapping(uint256 parameter => uint256)) public maximumAtWrite;

    // ---- coverage ----
    uint256 public creations;
    uint256 public replacements;
    uint256 public dissolutions;
    uint256 public parameterChanges;
    uint256 public boundChanges;

    constructor(SubnetRegistry subnets_, TAO tao_, address governance_, address settlement_, address[] memory owners_) {
        subnets = subnets_;
        tao = tao_;
        governance = governance_;
        settlement = settlement_;
        owners = owners_;
    }

    // ------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------

    function create(uint256 ownerSeed) external {
        address owner = owners[ownerSeed % owners.length];
        uint256 cost = subnets.lockCost();
        if (cost > tao.balanceOf(owner)) return;
        uint256 replaced = subnets.subnetToReplace();
        vm.recordLogs();
        vm.prank(owner);
        try subnets.createSubnet(cost, ISubnetRegistryTypes.SubnetMetadata("s", "r", "d")) returns (uint256 netuid) {
            ++creations;
            if (replaced != 0) ++replacements;
            lockTaken[netuid] = cost;
            for (uint256 i = 0; i < PARAMETERS; ++i) {
                (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(
                    ISubnetRegistryTypes.Hyperparameter(i)
                );
                (minimumAtWrite[netuid][i], maximumAtWrite[netuid][i]) = (minimum, maximum);
            }
        } catch {}
        _readLogs();
    }

    function dissolve(uint256 netuidSeed, bool byGovernance) external {
        uint256 netuid = _anyNetuid(netuidSeed);
        if (netuid == 0) return;
        bool wasActive = subnets.isActive(netuid);
        vm.recordLogs();
        vm.prank(byGovernance ? governance : subnets.ownerOf(netuid));
        try subnets.dissolveSubnet(netuid) {
            if (wasActive) ++dissolutions;
            else ++secondDissolutions;
        } catch {}
        _readLogs();
    }

    function transferOwnership(uint256 netuidSeed, uint256 ownerSeed) external {
        uint256 netuid = _anyNetuid(netuidSeed);
        if (netuid == 0 || !subnets.isActive(netuid)) return;
        address newOwner = owners[ownerSeed % owners.length];
        vm.prank(subnets.ownerOf(netuid));
        subnets.transferSubnetOwnership(netuid, newOwner);
        vm.prank(newOwner);
        subnets.acceptSubnetOwnership(netuid);
    }

    function recordEmission(uint256 netuidSeed, uint256 amount) external {
        uint256 netuid = _anyNetuid(netuidSeed);
        if (netuid == 0 || !subnets.isActive(netuid)) return;
        vm.prank(settlement);
        subnets.recordSubnetEmission(netuid, amount % 1_000);
    }

    /// @notice The owner or governance tries a value: near a bound, inside, or anything at all.
    function setHyperparameter(uint256 netuidSeed, uint256 parameterSeed, uint256 value, bool byGovernance) external {
        uint256 netuid = _anyNetuid(netuidSeed);
        if (netuid == 0) return;
        uint256 i = parameterSeed % PARAMETERS;
        ISubnetRegistryTypes.Hyperparameter p = ISubnetRegistryTypes.Hyperparameter(i);
        (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(p);
        value = _nearBounds(value, minimum, maximum);
        vm.prank(byGovernance ? governance : subnets.ownerOf(netuid));
        (bool ok, ) = address(subnets).call(
            byGovernance
                ? abi.encodeCall(SubnetRegistry.setHyperparameterByGovernance, (netuid, p, value))
                : abi.encodeCall(SubnetRegistry.setHyperparameter, (netuid, p, value))
        );
        if (ok) {
            ++parameterChanges;
            (minimumAtWrite[netuid][i], maximumAtWrite[netuid][i]) = (minimum, maximum);
        }
    }

    /// @notice Governance moves a parameter's bounds and default, widening or tightening them.
    function setBounds(uint256 parameterSeed, uint256 a, uint256 b, uint256 c) external {
        ISubnetRegistryTypes.Hyperparameter p = ISubnetRegistryTypes.Hyperparameter(parameterSeed % PARAMETERS);
        (uint256 minimum, uint256 maximum, ) = subnets.hyperparameterBounds(p);
        uint256 span = maximum - minimum + 1;
        uint256 newMin = a % 8 == 0 ? a : (minimum > span / 4 ? minimum - (a % (span / 4 + 1)) : minimum);
        uint256 newMax = b % 8 == 0 ? b : maximum + (b % (span / 4 + 1));
        if (newMax < newMin) (newMin, newMax) = (newMax, newMin);
        uint256 newDefault = c % 8 == 0 ? c : newMin + (c % (newMax - newMin + 1));
        vm.prank(governance);
        try subnets.setHyperparameterBounds(p, newMin, newMax, newDefault) {
            ++boundChanges;
        } catch {}
    }

    function roll(uint256 blocks) external {
        vm.roll(block.number + bound(blocks, 1, 60));
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /// @dev Every lock returned shows as a `SubnetDissolved` of the registry and a TAO transfer out of it.
    function _readLogs() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.emitter == address(subnets) && log.topics[0] == ISubnetRegistryEvents.SubnetDissolved.selector) {
                uint256 netuid = uint256(log.topics[1]);
                ++returnCount[netuid];
                returnedAmount[netuid] += abi.decode(log.data, (uint256));
            } else if (
                log.emitter == address(tao) &&
                log.topics[0] == IERC20.Transfer.selector &&
                address(uint160(uint256(log.topics[1]))) == address(subnets)
            ) {
                transferredOut += abi.decode(log.data, (uint256));
            }
        }
    }

    /// @dev Any netuid ever created, dead ones included (0 if none).
    function _anyNetuid(uint256 seed) internal view returns (uint256) {
        uint256 last = subnets.lastNetuid();
        return last == 0 ? 0 : 1 + (seed % last);
    }

    function _nearBounds(uint256 seed, uint256 minimum, uint256 maximum) internal pure returns (uint256) {
        uint256 mode = seed % 5;
        uint256 noise = (seed >> 8) % 3;
        if (mode == 0) return minimum >= noise ? minimum - noise : 0;
        if (mode == 1) return maximum + noise;
        if (mode == 2) return minimum + ((seed >> 16) % (maximum - minimum + 1));
        return seed >> 16;
    }
}
