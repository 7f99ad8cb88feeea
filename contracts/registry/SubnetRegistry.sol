// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {INeuronCount} from "../interfaces/INeuronCount.sol";
import {LockCost} from "../libraries/LockCost.sol";

/// @title SubnetRegistry
/// @notice Subnets of taonet: who owns them, what they locked, their hyperparameters and metadata.
/// Neurons live in the `NeuronRegistry`, which reads this contract.
/// @dev Netuids are never reused: a dissolved subnet's netuid stays dead, so no state of an old
/// subnet (neurons, weights, bonds) can leak into a new one, and dissolving needs no cleanup loop.
/// Netuid 0 is reserved for the root network. The active set is bounded by `MAX_SUBNETS_HARD_CAP`,
/// which bounds the only loop of a paid path (the replacement scan in `createSubnet`).
contract SubnetRegistry is ISubnetRegistry, AccessManaged {
    using SafeERC20 for IERC20;
    using EnumerableSet for EnumerableSet.UintSet;

    /// @notice The subnet cap can never exceed this; it bounds the replacement scan.
    uint64 public constant MAX_SUBNETS_HARD_CAP = 256;
    /// @notice No subnet may have more UIDs than this (settlement chunking is sized for it).
    uint64 public constant MAX_UIDS_HARD_CAP = 4096;
    /// @notice The most validators (permits) a subnet may have: the settlement's units cover every
    /// validator row at once, and at 128 rows its largest unit is close to a transaction's gas cap
    /// (docs/yuma.md, Chunks).
    uint64 public constant MAX_VALIDATORS_HARD_CAP = 128;
    uint256 public constant MAX_NAME_LENGTH = 256;
    uint256 public constant MAX_DESCRIPTION_LENGTH = 1024;
    /// @dev Number of `Hyperparameter` members (a test checks it against the enum).
    uint256 public constant PARAMETER_COUNT = 29;

    IERC20 private immutable _token;
    INeuronCount private _neurons;

    NetworkParameters private _network;
    uint256 private _lastLock;
    uint256 private _lastLockBlock;
    uint256 private _lastNetuid;

    EnumerableSet.UintSet private _active;
    mapping(uint256 netuid => Subnet) private _subnets;
    mapping(uint256 netuid => SubnetMetadata) private _metadata;
    /// @dev Where each `Hyperparameter` lies in `_params`, `_minimum`, `_maximum` and `_default` (two
    /// to a slot), one byte per member, member `i` in byte `i` from the low end: the eight a weights
    /// submission reads come first, in four slots (Tempo, RevealPeriod | CommitRevealEnabled,
    /// WeightsRateLimit | MinAllowedWeights, MaxWeightLimit | WeightsVersionKey, StakeThreshold),
    /// then the rest in enum order.
    uint256 private constant POSITIONS = 0x1c1b1a07191817161514131211100f0e0d0c0102030605040b0a090800;
    /// @dev The inverse of `POSITIONS`: byte `k` from the low end is the member stored at position k.
    uint256 private constant MEMBERS = 0x1c1b1a1817161514131211100f0e0d0c0b040302011907060508090a00;
    uint256 private constant U128 = 0xffffffffffffffffffffffffffffffff;
    /// @dev Two uint128 values per slot, at `_at(parameter)`.
    mapping(uint256 netuid => uint128[PARAMETER_COUNT]) private _params;
    uint128[PARAMETER_COUNT] private _minimum;
    uint128[PARAMETER_COUNT] private _maximum;
    uint128[PARAMETER_COUNT] private _default;

    /// @param authority The AccessManager.
    /// @param token_ The TAO token (locks are held in TAO).
    /// @param network Subnet cap, subnet immunity (blocks), lock decay interval (blocks), lock floor (wei).
    /// @param overrides Hyperparameters whose built-in bounds and default this deployment changes
    ///        (the devnet shortens tempos); each with `minimums[i]`, `maximums[i]`, `defaults[i]`.
    constructor(
        address authority,
        address token_,
        NetworkParameters memory network,
        Hyperparameter[] memory overrides,
        uint128[] memory minimums,
        uint128[] memory maximums,
        uint128[] memory defaults
    ) AccessManaged(authority) {
        _token = IERC20(token_);
        _setNetworkParameters(network);
        _lastLock = network.minLockCost;
        _initBounds();
        require(overrides.length == minimums.length, LengthMismatch(overrides.length, minimums.length));
        require(overrides.length == maximums.length, LengthMismatch(overrides.length, maximums.length));
        require(overrides.length == defaults.length, LengthMismatch(overrides.length, defaults.length));
        for (uint256 i = 0; i < overrides.length; ++i) {
            _setBounds(overrides[i], minimums[i], maximums[i], defaults[i]);
        }
        // Once every override is in, so that their order does not matter.
        _checkDefaultRelations();
    }

    /// @notice Wires the neuron registry, once. Governance (the deployment).
    function setNeuronRegistry(address neurons) external restricted {
        require(address(_neurons) == address(0) && neurons != address(0), ZeroAddress());
        _neurons = INeuronCount(neurons);
    }

    // ------------------------------------------------------------------------------------------
    // Subnets
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ISubnetRegistry
    function createSubnet(uint256 maxLockCost, SubnetMetadata calldata metadata) external returns (uint256 netuid) {
        uint256 cost = lockCost();
        require(cost <= maxLockCost, LockAboveMaximum(cost, maxLockCost));
        _checkMetadata(metadata);

        uint256 replaced;
        if (_active.length() >= _network.maxSubnets) {
            replaced = subnetToReplace();
            require(replaced != 0, SubnetLimitReached(_network.maxSubnets));
        }

        netuid = ++_lastNetuid;
        _lastLock = cost;
        _lastLockBlock = block.number;
        _subnets[netuid] = Subnet({
            owner: msg.sender,
            pendingOwner: address(0),
            createdAtBlock: uint64(block.number),
            active: true,
            lockedAmount: cost,
            lastEpochEmission: 0
        });
        _active.add(netuid);
        uint128[PARAMETER_COUNT] storage params = _params[netuid];
        for (uint256 i = 0; i < PARAMETER_COUNT; ++i) {
            params[i] = _default[i];
        }
        _metadata[netuid] = metadata;
        emit SubnetCreated(netuid, msg.sender, cost, lockCost(), uint64(block.number));
        emit SubnetMetadataSet(netuid, metadata.name, metadata.repository, metadata.description);

        _token.safeTransferFrom(msg.sender, address(this), cost);
        if (replaced != 0) {
            emit SubnetReplaced(replaced, netuid, _subnets[replaced].lastEpochEmission);
            _dissolve(replaced);
        }
    }

    /// @inheritdoc ISubnetRegistry
    function dissolveSubnet(uint256 netuid) external {
        Subnet storage s = _activeSubnet(netuid);
        if (msg.sender != s.owner) {
            // Governance may dissolve any subnet; `_checkCanCall` reverts for anyone else.
            _checkCanCall(msg.sender, msg.data);
        }
        _dissolve(netuid);
    }

    /// @dev Marks the subnet dead and returns its lock to its owner: the lock is returned exactly
    /// once, since a dead subnet can never be dissolved again.
    function _dissolve(uint256 netuid) private {
        Subnet storage s = _subnets[netuid];
        uint256 amount = s.lockedAmount;
        address owner = s.owner;
        s.active = false;
        s.lockedAmount = 0;
        s.pendingOwner = address(0);
        _active.remove(netuid);
        emit SubnetDissolved(netuid, owner, amount, msg.sender);
        if (amount != 0) _token.safeTransfer(owner, amount);
    }

    /// @inheritdoc ISubnetRegistry
    function transferSubnetOwnership(uint256 netuid, address newOwner) external {
        Subnet storage s = _ownedSubnet(netuid);
        s.pendingOwner = newOwner;
        emit SubnetOwnershipTransferStarted(netuid, s.owner, newOwner);
    }

    /// @inheritdoc ISubnetRegistry
    function acceptSubnetOwnership(uint256 netuid) external {
        Subnet storage s = _activeSubnet(netuid);
        require(msg.sender == s.pendingOwner, NotPendingOwner(netuid, msg.sender, s.pendingOwner));
        address previous = s.owner;
        s.owner = msg.sender;
        s.pendingOwner = address(0);
        emit SubnetOwnershipTransferred(netuid, previous, msg.sender);
    }

    /// @inheritdoc ISubnetRegistry
    function setSubnetMetadata(uint256 netuid, SubnetMetadata calldata metadata) external {
        _ownedSubnet(netuid);
        _checkMetadata(metadata);
        _metadata[netuid] = metadata;
        emit SubnetMetadataSet(netuid, metadata.name, metadata.repository, metadata.description);
    }

    /// @inheritdoc ISubnetRegistry
    function recordSubnetEmission(uint256 netuid, uint256 epochEmission) external restricted {
        _activeSubnet(netuid).lastEpochEmission = epochEmission;
        emit SubnetEmissionRecorded(netuid, epochEmission);
    }

    // ------------------------------------------------------------------------------------------
    // Hyperparameters
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ISubnetRegistry
    function setHyperparameter(uint256 netuid, Hyperparameter parameter, uint256 value) external {
        _ownedSubnet(netuid);
        require(parameter != Hyperparameter.Kappa, HyperparameterGovernanceOnly(parameter));
        _setHyperparameter(netuid, parameter, value);
    }

    /// @inheritdoc ISubnetRegistry
    function setHyperparameterByGovernance(
        uint256 netuid,
        Hyperparameter parameter,
        uint256 value
    ) external restricted {
        _activeSubnet(netuid);
        _setHyperparameter(netuid, parameter, value);
    }

    function _setHyperparameter(uint256 netuid, Hyperparameter parameter, uint256 value) private {
        uint256 i = _at(parameter);
        require(
            value >= _minimum[i] && value <= _maximum[i],
            HyperparameterOutOfBounds(parameter, value, _minimum[i], _maximum[i])
        );
        if (parameter == Hyperparameter.MaxAllowedUids) {
            uint256 n = address(_neurons) == address(0) ? 0 : _neurons.neuronCount(netuid);
            require(value >= n, HyperparameterConflict(parameter, value, n));
        }
        uint128[PARAMETER_COUNT] storage params = _params[netuid];
        _checkRelations(params, parameter, value);
        params[i] = uint128(value);
        emit HyperparameterSet(netuid, parameter, value, msg.sender);
    }

    /// @dev Parameters that constrain each other: a subnet never has more validators than UIDs, and
    /// its burn and alpha ranges never cross. `params` is a subnet's values, or the defaults (which
    /// new subnets copy, so they obey the same relations).
    function _checkRelations(
        uint128[PARAMETER_COUNT] storage params,
        Hyperparameter parameter,
        uint256 value
    ) private view {
        if (parameter == Hyperparameter.MaxAllowedUids) {
            uint256 validators = params[_at(Hyperparameter.MaxAllowedValidators)];
            require(value >= validators, HyperparameterConflict(parameter, value, validators));
        } else if (parameter == Hyperparameter.MaxAllowedValidators) {
            uint256 uids = params[_at(Hyperparameter.MaxAllowedUids)];
            require(value <= uids, HyperparameterConflict(parameter, value, uids));
        } else if (parameter == Hyperparameter.MinBurn) {
            uint256 maxBurn = params[_at(Hyperparameter.MaxBurn)];
            require(value <= maxBurn, HyperparameterConflict(parameter, value, maxBurn));
        } else if (parameter == Hyperparameter.MaxBurn) {
            uint256 minBurn = params[_at(Hyperparameter.MinBurn)];
            require(value >= minBurn, HyperparameterConflict(parameter, value, minBurn));
        } else if (parameter == Hyperparameter.AlphaLow) {
            uint256 high = params[_at(Hyperparameter.AlphaHigh)];
            require(value <= high, HyperparameterConflict(parameter, value, high));
        } else if (parameter == Hyperparameter.AlphaHigh) {
            uint256 low = params[_at(Hyperparameter.AlphaLow)];
            require(value >= low, HyperparameterConflict(parameter, value, low));
        }
    }

    /// @inheritdoc ISubnetRegistry
    function setHyperparameterBounds(
        Hyperparameter parameter,
        uint256 minimum,
        uint256 maximum,
        uint256 defaultValue
    ) external restricted {
        _setBounds(parameter, minimum, maximum, defaultValue);
        _checkRelations(_default, parameter, defaultValue);
    }

    /// @dev Bounds only apply to later changes: a subnet whose value is now outside them keeps it
    /// until its owner or governance sets a new one.
    function _setBounds(Hyperparameter parameter, uint256 minimum, uint256 maximum, uint256 defaultValue) private {
        require(
            minimum <= maximum && maximum <= type(uint128).max && defaultValue >= minimum && defaultValue <= maximum,
            InvalidBounds(parameter, minimum, maximum)
        );
        require(maximum <= _fieldMaximum(parameter), InvalidBounds(parameter, minimum, maximum));
        uint256 i = _at(parameter);
        _minimum[i] = uint128(minimum);
        _maximum[i] = uint128(maximum);
        _default[i] = uint128(defaultValue);
        emit HyperparameterBoundsSet(parameter, minimum, maximum, defaultValue);
    }

    /// @dev New subnets copy the defaults, so the defaults obey the relations a subnet's values do.
    function _checkDefaultRelations() private view {
        Hyperparameter[3] memory related = [
            Hyperparameter.MaxAllowedValidators,
            Hyperparameter.MinBurn,
            Hyperparameter.AlphaLow
        ];
        for (uint256 k = 0; k < related.length; ++k) {
            _checkRelations(_default, related[k], _default[_at(related[k])]);
        }
    }

    /// @dev The largest value a parameter may ever take: what its field in `Hyperparameters` (the
    /// record the neuron registry acts on) holds without truncation, 1 for flags, and the UID hard cap
    /// for UID counts.
    function _fieldMaximum(Hyperparameter parameter) private pure returns (uint256) {
        if (parameter == Hyperparameter.MaxAllowedUids) return MAX_UIDS_HARD_CAP;
        if (parameter == Hyperparameter.MaxAllowedValidators) return MAX_VALIDATORS_HARD_CAP;
        if (
            parameter == Hyperparameter.CommitRevealEnabled ||
            parameter == Hyperparameter.Yuma3Enabled ||
            parameter == Hyperparameter.LiquidAlphaEnabled ||
            parameter == Hyperparameter.RegistrationAllowed
        ) return 1;
        if (
            parameter == Hyperparameter.MinBurn ||
            parameter == Hyperparameter.MaxBurn ||
            parameter == Hyperparameter.BurnIncreaseMult ||
            parameter == Hyperparameter.StakeThreshold
        ) return type(uint128).max;
        // Proportions of 65,535 (subtensor's u16s): above it, kappa, the bonds penalty and the liquid
        // alpha bounds leave [0, 1], a max weight limit means nothing and an owner cut larger than the
        // emission would revert every settlement of the subnet.
        if (
            parameter == Hyperparameter.Kappa ||
            parameter == Hyperparameter.BondsPenalty ||
            parameter == Hyperparameter.AlphaLow ||
            parameter == Hyperparameter.AlphaHigh ||
            parameter == Hyperparameter.MaxWeightLimit ||
            parameter == Hyperparameter.OwnerCut
        ) return type(uint16).max;
        // An i16 in subtensor; the sigmoid's slope is computed from it as one.
        if (parameter == Hyperparameter.AlphaSigmoidSteepness) return uint16(type(int16).max);
        // alpha = 1 - bma / 1,000,000: above a million, a negative alpha.
        if (parameter == Hyperparameter.BondsMovingAverage) return 1_000_000;
        return type(uint64).max;
    }

    /// @inheritdoc ISubnetRegistry
    function setNetworkParameters(NetworkParameters calldata parameters) external restricted {
        _setNetworkParameters(parameters);
    }

    function _setNetworkParameters(NetworkParameters memory p) private {
        require(
            p.maxSubnets != 0 && p.maxSubnets <= MAX_SUBNETS_HARD_CAP,
            NetworkParameterOutOfBounds("maxSubnets", p.maxSubnets, 1, MAX_SUBNETS_HARD_CAP)
        );
        require(
            p.lockReductionInterval != 0,
            NetworkParameterOutOfBounds("lockReductionInterval", 0, 1, type(uint64).max)
        );
        _network = p;
        emit NetworkParametersSet(p.maxSubnets, p.networkImmunityPeriod, p.lockReductionInterval, p.minLockCost);
    }

    /// @dev The storage position of `parameter` (see `POSITIONS`).
    function _at(Hyperparameter parameter) private pure returns (uint256) {
        return uint8(POSITIONS >> (uint256(parameter) << 3));
    }

    /// @dev Built-in bounds and defaults: subtensor's values for new subnets (`init_new_network` and
    /// the runtime's `SubtensorInitial*`), with every duration converted from 12 s Bittensor blocks
    /// to 2 s rollup blocks (x6). `docs/registry.md` lists them with their sources.
    function _initBounds() private {
        _setBounds(Hyperparameter.Tempo, 2_160, 302_400, 2_160);
        _setBounds(Hyperparameter.MaxAllowedUids, 64, MAX_UIDS_HARD_CAP, 256);
        _setBounds(Hyperparameter.MaxAllowedValidators, 1, MAX_VALIDATORS_HARD_CAP, 64);
        _setBounds(Hyperparameter.ImmunityPeriod, 0, 604_800, 30_000);
        _setBounds(Hyperparameter.ActivityCutoff, 300, 604_800, 30_000);
        _setBounds(Hyperparameter.MinAllowedWeights, 0, MAX_UIDS_HARD_CAP, 1);
        _setBounds(Hyperparameter.MaxWeightLimit, 0, 65_535, 65_535);
        _setBounds(Hyperparameter.WeightsVersionKey, 0, type(uint64).max, 0);
        _setBounds(Hyperparameter.WeightsRateLimit, 0, 302_400, 600);
        _setBounds(Hyperparameter.CommitRevealEnabled, 0, 1, 1);
        _setBounds(Hyperparameter.RevealPeriod, 1, 100, 1);
        _setBounds(Hyperparameter.Kappa, 0, 65_535, 32_767);
        _setBounds(Hyperparameter.BondsMovingAverage, 0, 975_000, 900_000);
        _setBounds(Hyperparameter.BondsPenalty, 0, 65_535, 65_535);
        _setBounds(Hyperparameter.Yuma3Enabled, 0, 1, 1);
        _setBounds(Hyperparameter.LiquidAlphaEnabled, 0, 1, 0);
        _setBounds(Hyperparameter.AlphaLow, 1_638, 65_535, 45_875);
        _setBounds(Hyperparameter.AlphaHigh, 1_638, 65_535, 58_982);
        _setBounds(Hyperparameter.AlphaSigmoidSteepness, 0, 32_767, 1_000);
        _setBounds(Hyperparameter.MinBurn, 0, 1e18, 0.0005e18);
        _setBounds(Hyperparameter.MaxBurn, 0.1e18, 1_000_000e18, 100e18);
        _setBounds(Hyperparameter.BurnHalfLife, 1, 216_600, 2_160);
        _setBounds(Hyperparameter.BurnIncreaseMult, 1e18, 10e18, 1.26e18);
        _setBounds(Hyperparameter.TargetRegistrationsPerInterval, 1, MAX_UIDS_HARD_CAP, 2);
        _setBounds(Hyperparameter.RegistrationAllowed, 0, 1, 1);
        _setBounds(Hyperparameter.StakeThreshold, 0, 21_000_000e18, 0);
        _setBounds(Hyperparameter.OwnerCut, 0, 11_796, 11_796);
        _setBounds(Hyperparameter.ServingRateLimit, 0, 302_400, 300);
        _setBounds(Hyperparameter.CommitmentRateLimit, 0, 302_400, 600);
    }

    // ------------------------------------------------------------------------------------------
    // Internal checks
    // ------------------------------------------------------------------------------------------

    function _activeSubnet(uint256 netuid) private view returns (Subnet storage s) {
        s = _subnets[netuid];
        require(s.active, UnknownSubnet(netuid));
    }

    function _ownedSubnet(uint256 netuid) private view returns (Subnet storage s) {
        s = _activeSubnet(netuid);
        require(msg.sender == s.owner, NotSubnetOwner(netuid, msg.sender, s.owner));
    }

    function _checkMetadata(SubnetMetadata calldata m) private pure {
        require(bytes(m.name).length <= MAX_NAME_LENGTH, MetadataTooLong(bytes(m.name).length, MAX_NAME_LENGTH));
        require(
            bytes(m.repository).length <= MAX_NAME_LENGTH,
            MetadataTooLong(bytes(m.repository).length, MAX_NAME_LENGTH)
        );
        require(
            bytes(m.description).length <= MAX_DESCRIPTION_LENGTH,
            MetadataTooLong(bytes(m.description).length, MAX_DESCRIPTION_LENGTH)
        );
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ISubnetRegistry
    function lockCost() public view returns (uint256) {
        return
            LockCost.lockCost(
                _lastLock,
                _lastLockBlock,
                _network.minLockCost,
                _network.lockReductionInterval,
                block.number
            );
    }

    /// @inheritdoc ISubnetRegistry
    function subnetToReplace() public view returns (uint256 candidate) {
        if (_active.length() < _network.maxSubnets) return 0;
        uint256 n = _active.length();
        uint256 bestEmission;
        uint256 bestCreated;
        for (uint256 i = 0; i < n; ++i) {
            uint256 netuid = _active.at(i);
            Subnet storage s = _subnets[netuid];
            uint256 created = s.createdAtBlock;
            if (created + _network.networkImmunityPeriod > block.number) continue;
            uint256 emission = s.lastEpochEmission;
            // Lowest emission; ties: created earliest, then lowest netuid.
            bool better =
                candidate == 0 ||
                    (
                        emission != bestEmission
                            ? emission < bestEmission
                            : created != bestCreated
                                ? created < bestCreated
                                : netuid < candidate
                    );
            if (better) (candidate, bestEmission, bestCreated) = (netuid, emission, created);
        }
    }

    /// @inheritdoc ISubnetRegistry
    function subnet(uint256 netuid) external view returns (Subnet memory) {
        return _subnets[netuid];
    }

    /// @inheritdoc ISubnetRegistry
    function subnetMetadata(uint256 netuid) external view returns (SubnetMetadata memory) {
        return _metadata[netuid];
    }

    /// @inheritdoc ISubnetRegistry
    function isActive(uint256 netuid) external view returns (bool) {
        return _subnets[netuid].active;
    }

    /// @inheritdoc ISubnetRegistry
    function ownerOf(uint256 netuid) external view returns (address) {
        return _subnets[netuid].owner;
    }

    /// @inheritdoc ISubnetRegistry
    function activeSubnets() external view returns (uint256[] memory) {
        return _active.values();
    }

    /// @inheritdoc ISubnetRegistry
    function subnetCount() external view returns (uint256) {
        return _active.length();
    }

    /// @inheritdoc ISubnetRegistry
    function lastNetuid() external view returns (uint256) {
        return _lastNetuid;
    }

    /// @inheritdoc ISubnetRegistry
    function hyperparameter(uint256 netuid, Hyperparameter parameter) external view returns (uint256) {
        return _params[netuid][_at(parameter)];
    }

    /// @inheritdoc ISubnetRegistry
    function submissionParameters(uint256 netuid) external view returns (SubmissionParameters memory q) {
        uint128[PARAMETER_COUNT] storage p = _params[netuid];
        q.active = _subnets[netuid].active;
        // Positions 0..7 (`POSITIONS`), written out: looked up, they cost more than the slots' reads.
        q.tempo = uint64(p[0]);
        q.revealPeriod = uint64(p[1]);
        q.commitRevealEnabled = p[2] != 0;
        q.weightsRateLimit = uint64(p[3]);
        q.minAllowedWeights = uint64(p[4]);
        q.maxWeightLimit = uint64(p[5]);
        q.weightsVersionKey = uint64(p[6]);
        q.stakeThreshold = p[7];
    }

    /// @inheritdoc ISubnetRegistry
    function hyperparameters(uint256 netuid) external view returns (Hyperparameters memory h) {
        uint128[PARAMETER_COUNT] storage p = _params[netuid];
        // Field i of the record is enum member i: each slot is read once and its two halves written
        // to the fields of the members stored there (`MEMBERS`). The values need no cleaning: bounds
        // keep each within its field (`_fieldMaximum`).
        assembly ("memory-safe") {
            let members := MEMBERS
            for {
                let at := 0
            } lt(at, PARAMETER_COUNT) {
                at := add(at, 2)
            } {
                let word := sload(add(p.slot, shr(1, at)))
                mstore(add(h, shl(5, and(shr(shl(3, at), members), 0xff))), and(word, U128))
                // PARAMETER_COUNT is odd: the last slot's upper half holds no parameter.
                if lt(add(at, 1), PARAMETER_COUNT) {
                    mstore(add(h, shl(5, and(shr(shl(3, add(at, 1)), members), 0xff))), shr(128, word))
                }
            }
        }
    }

    /// @inheritdoc ISubnetRegistry
    function hyperparameterBounds(
        Hyperparameter parameter
    ) external view returns (uint256 minimum, uint256 maximum, uint256 defaultValue) {
        uint256 i = _at(parameter);
        return (_minimum[i], _maximum[i], _default[i]);
    }

    /// @inheritdoc ISubnetRegistry
    function networkParameters() external view returns (NetworkParameters memory) {
        return _network;
    }

    /// @notice The token locks are held in.
    function token() external view returns (address) {
        return address(_token);
    }

    /// @notice The neuron registry wired by `setNeuronRegistry`.
    function neuronRegistry() external view returns (address) {
        return address(_neurons);
    }
}
