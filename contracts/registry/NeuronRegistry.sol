// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {INeuronRegistry} from "../interfaces/INeuronRegistry.sol";
import {INeuronCount} from "../interfaces/INeuronCount.sol";
import {ISubnetRegistry, ISubnetRegistryTypes} from "../interfaces/ISubnetRegistry.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ITAO} from "../interfaces/ITAO.sol";
import {BurnPricing} from "../libraries/BurnPricing.sol";
import {ValidatorPermits} from "../libraries/ValidatorPermits.sol";

/// @title NeuronRegistry
/// @notice UIDs of every subnet, their registration price, endpoints, commitments, validator permits
/// and last-epoch emissions.
/// @dev What pruning needs of each UID (registration block and last emission) is packed 128 bits per
/// UID, two UIDs per storage word, so the scan that picks the neuron to replace reads `n / 2` words:
/// at the 4,096-UID hard cap, 2,048 cold reads, about 5M gas; at 256 UIDs about 0.3M (see
/// `docs/gas.md`). The scan runs only when the subnet is full.
contract NeuronRegistry is INeuronRegistry, AccessManaged {
    using ValidatorPermits for uint256[];

    uint256 public constant MAX_URL_LENGTH = 256;
    uint256 public constant MAX_URI_LENGTH = 512;
    /// @notice Registrations allowed per interval (one tempo) are this multiple of the target
    /// (subtensor's `registrations_this_interval < target * 3`).
    uint256 public constant REGISTRATIONS_PER_TARGET = 3;
    uint256 private constant U64 = 0xffffffffffffffff;

    ITAO private immutable _token;
    IStaking private immutable _staking;
    ISubnetRegistry private immutable _subnets;
    uint128 private immutable _initialBurn;

    mapping(uint256 netuid => RegistrationState) private _state;
    mapping(uint256 netuid => mapping(uint256 uid => address)) private _hotkeys;
    mapping(uint256 netuid => mapping(address hotkey => uint256)) private _uidPlusOne;
    /// @dev Per UID 128 bits: low 64 the registration block, high 64 the last emission in 1e-9 TAO.
    mapping(uint256 netuid => mapping(uint256 word => uint256)) private _pruneData;
    mapping(uint256 netuid => mapping(uint256 word => uint256)) private _permits;
    mapping(uint256 netuid => mapping(address hotkey => Endpoint)) private _endpoints;
    mapping(uint256 netuid => mapping(address hotkey => Commitment)) private _commitments;
    /// @dev The first hotkey to commit each digest, and when: one slot per digest.
    struct FirstCommit {
        address hotkey;
        uint64 blockNumber;
    }

    mapping(uint256 netuid => mapping(bytes32 digest => FirstCommit)) private _firstCommits;

    /// @param authority The AccessManager.
    /// @param token_ TAO (registration burns it).
    /// @param staking_ Staking (hotkey bindings and stake).
    /// @param subnets_ The subnet registry.
    /// @param initialBurn_ A new subnet's first registration price before clamping (subtensor: 0.1 TAO).
    constructor(
        address authority,
        address token_,
        address staking_,
        address subnets_,
        uint128 initialBurn_
    ) AccessManaged(authority) {
        _token = ITAO(token_);
        _staking = IStaking(staking_);
        _subnets = ISubnetRegistry(subnets_);
        _initialBurn = initialBurn_;
    }

    // ------------------------------------------------------------------------------------------
    // Registration
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc INeuronRegistry
    function registerNeuron(uint256 netuid, address hotkey, uint256 maxBurn) external returns (uint256 uid) {
        ISubnetRegistryTypes.Hyperparameters memory h = _activeHyperparameters(netuid);
        address coldkey = _staking.coldkeyOf(hotkey);
        require(coldkey == msg.sender && coldkey != address(0), NotHotkeyColdkey(hotkey, msg.sender, coldkey));
        uint256 existing = _uidPlusOne[netuid][hotkey];
        // An `if` rather than `require`: a custom error's arguments are evaluated even when the
        // condition holds, and `existing - 1` would underflow.
        if (existing != 0) revert HotkeyAlreadyRegistered(netuid, hotkey, existing - 1);
        require(h.registrationAllowed, RegistrationDisabled(netuid));

        RegistrationState storage state = _state[netuid];
        if (block.number >= uint256(state.intervalStartBlock) + h.tempo) {
            state.intervalStartBlock = uint64(block.number);
            state.registrationsThisInterval = 0;
        }
        uint256 limit = uint256(h.targetRegistrationsPerInterval) * REGISTRATIONS_PER_TARGET;
        require(
            state.registrationsThisInterval < limit,
            TooManyRegistrations(netuid, state.registrationsThisInterval, limit)
        );
        uint256 price = _burnPrice(state, h);
        require(price <= maxBurn, BurnAboveMaximum(price, maxBurn));

        address replaced;
        uint256 n = state.neuronCount;
        if (n < h.maxAllowedUids) {
            uid = n;
            state.neuronCount = uint32(n + 1);
        } else {
            bool found;
            (found, uid) = _pruneCandidate(netuid, n, h.immunityPeriod);
            require(found, NoUidAvailable(netuid));
            replaced = _hotkeys[netuid][uid];
            delete _uidPlusOne[netuid][replaced];
            // The newcomer earns no permit from its predecessor: permits are recomputed each epoch.
            _permits[netuid][uid >> 8] &= ~(uint256(1) << (uid & 0xff));
        }
        _hotkeys[netuid][uid] = hotkey;
        _uidPlusOne[netuid][hotkey] = uid + 1;
        _writePruneData(netuid, uid, uint64(block.number), 0);

        uint256 next = BurnPricing.clamp(BurnPricing.bump(price, h.burnIncreaseMult), h.minBurn, h.maxBurn);
        state.burnAtUpdate = uint128(next);
        state.burnUpdatedAtBlock = uint64(block.number);
        state.registrationsThisInterval += 1;
        emit NeuronRegistered(netuid, uid, hotkey, msg.sender, price, replaced, next, uint64(block.number));

        if (price != 0) _token.burnFrom(msg.sender, price);
    }

    /// @dev The current price: the last price decayed since it was set, clamped. A subnet that never
    /// had a registration starts from `initialBurn`.
    function _burnPrice(
        RegistrationState storage state,
        ISubnetRegistryTypes.Hyperparameters memory h
    ) private view returns (uint256) {
        if (state.burnUpdatedAtBlock == 0) return BurnPricing.clamp(_initialBurn, h.minBurn, h.maxBurn);
        uint256 decayed = BurnPricing.decay(
            state.burnAtUpdate,
            block.number - state.burnUpdatedAtBlock,
            h.burnHalfLife
        );
        return BurnPricing.clamp(decayed, h.minBurn, h.maxBurn);
    }

    /// @dev subtensor's `get_neuron_to_prune`: the lowest last-epoch emission among neurons past
    /// their immunity period; ties go to the earliest registration, then the lowest UID. Only when
    /// every neuron is immune does an immune one go, by the same order.
    function _pruneCandidate(
        uint256 netuid,
        uint256 n,
        uint256 immunityPeriod
    ) private view returns (bool found, uint256 uid) {
        // Keys order candidates: (emission << 128) | (registration block << 64) | uid, lowest first.
        uint256 bestFree = type(uint256).max;
        uint256 bestImmune = type(uint256).max;
        mapping(uint256 => uint256) storage data = _pruneData[netuid];
        uint256 words = (n + 1) / 2;
        for (uint256 w = 0; w < words; ++w) {
            uint256 word = data[w];
            for (uint256 half = 0; half < 2; ++half) {
                uint256 candidate = 2 * w + half;
                if (candidate >= n) break;
                uint256 packed = half == 0 ? uint128(word) : word >> 128;
                uint256 registeredAt = uint64(packed);
                uint256 key = ((packed >> 64) << 128) | (registeredAt << 64) | candidate;
                if (registeredAt + immunityPeriod <= block.number) {
                    if (key < bestFree) bestFree = key;
                } else if (key < bestImmune) {
                    bestImmune = key;
                }
            }
        }
        uint256 best = bestFree != type(uint256).max ? bestFree : bestImmune;
        if (best == type(uint256).max) return (false, 0);
        return (true, uint64(best));
    }

    function _writePruneData(uint256 netuid, uint256 uid, uint64 registeredAt, uint64 emissionNano) private {
        uint256 packed = (uint256(emissionNano) << 64) | registeredAt;
        uint256 shift = (uid & 1) * 128;
        uint256 word = _pruneData[netuid][uid >> 1];
        word = (word & ~(uint256(type(uint128).max) << shift)) | (packed << shift);
        _pruneData[netuid][uid >> 1] = word;
    }

    function _readPruneData(uint256 netuid, uint256 uid) private view returns (uint64 registeredAt, uint64 emission) {
        uint256 packed = uint128(_pruneData[netuid][uid >> 1] >> ((uid & 1) * 128));
        return (uint64(packed), uint64(packed >> 64));
    }

    // ------------------------------------------------------------------------------------------
    // Endpoints and commitments
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc INeuronRegistry
    function serveEndpoint(uint256 netuid, Endpoint calldata endpoint) external {
        uint256 rateLimit = _activeHyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.ServingRateLimit);
        uint256 uid = _registeredUid(netuid, msg.sender);
        bool validIp =
            endpoint.ipType == 0 ? endpoint.ip == bytes16(0) : (endpoint.ipType == 4 || endpoint.ipType == 6);
        bool hasTarget = (endpoint.ipType != 0 && endpoint.port != 0) || bytes(endpoint.url).length != 0;
        require(
            validIp && hasTarget && bytes(endpoint.url).length <= MAX_URL_LENGTH,
            InvalidEndpoint(endpoint.ipType, endpoint.port, bytes(endpoint.url).length)
        );
        Endpoint storage stored = _endpoints[netuid][msg.sender];
        uint256 last = stored.updatedAtBlock;
        if (last != 0) {
            uint256 next = last + rateLimit;
            require(block.number >= next, EndpointRateLimited(netuid, msg.sender, next));
        }
        stored.ip = endpoint.ip;
        stored.port = endpoint.port;
        stored.ipType = endpoint.ipType;
        stored.protocol = endpoint.protocol;
        stored.version = endpoint.version;
        stored.updatedAtBlock = uint64(block.number);
        stored.url = endpoint.url;
        emit EndpointServed(
            netuid,
            msg.sender,
            uid,
            endpoint.ip,
            endpoint.port,
            endpoint.ipType,
            endpoint.protocol,
            endpoint.version,
            endpoint.url
        );
    }

    /// @inheritdoc INeuronRegistry
    function commit(uint256 netuid, bytes32 digest, string calldata uri) external {
        uint256 rateLimit = _activeHyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.CommitmentRateLimit);
        uint256 uid = _registeredUid(netuid, msg.sender);
        require(
            digest != bytes32(0) && bytes(uri).length <= MAX_URI_LENGTH,
            InvalidCommitment(digest, bytes(uri).length)
        );
        Commitment storage stored = _commitments[netuid][msg.sender];
        uint256 last = stored.committedAtBlock;
        if (last != 0) {
            uint256 next = last + rateLimit;
            require(block.number >= next, CommitmentRateLimited(netuid, msg.sender, next));
        }
        stored.digest = digest;
        stored.committedAtBlock = uint64(block.number);
        stored.uri = uri;
        bool first = _firstCommits[netuid][digest].hotkey == address(0);
        if (first) _firstCommits[netuid][digest] = FirstCommit(msg.sender, uint64(block.number));
        emit CommitmentSet(netuid, msg.sender, uid, digest, uri, uint64(block.number), first);
    }

    // ------------------------------------------------------------------------------------------
    // Settlement outputs
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc INeuronRegistry
    function setValidatorPermits(uint256 netuid, uint256[] calldata bitmap) external restricted {
        uint256 n = _state[netuid].neuronCount;
        uint256 words = (n + 255) / 256;
        require(bitmap.length == words, LengthMismatch(bitmap.length, words));
        // A bit past the last UID would hand a permit to whoever registers that UID next. An `if`:
        // with no partial last word, `words - 1` may underflow.
        uint256 used = n % 256;
        if (used != 0 && bitmap[words - 1] >> used != 0) {
            revert UnknownUid(netuid, (words - 1) * 256 + Math.log2(bitmap[words - 1]));
        }
        for (uint256 w = 0; w < words; ++w) {
            _permits[netuid][w] = bitmap[w];
        }
        emit ValidatorPermitsSet(netuid, bitmap);
    }

    /// @inheritdoc INeuronRegistry
    function recordNeuronEmissions(
        uint256 netuid,
        uint256 startUid,
        uint64[] calldata emissionsNano
    ) external restricted {
        uint256 n = _state[netuid].neuronCount;
        uint256 end = startUid + emissionsNano.length;
        if (end > n) revert UnknownUid(netuid, end - 1);
        // A word (two UIDs) read and written once: bits [64, 128) of each half are the UID's emission.
        // In assembly: the settlement calls this for every UID each epoch, and the Solidity loop
        // (checked indexing, the mapping's slot a word) cost about 1.2k gas a UID beyond the writes.
        mapping(uint256 => uint256) storage data = _pruneData[netuid];
        assembly ("memory-safe") {
            for {
                let uid := startUid
            } lt(uid, end) {} {
                mstore(0x00, shr(1, uid))
                mstore(0x20, data.slot)
                let slot := keccak256(0x00, 0x40)
                let word := sload(slot)
                for {} 1 {} {
                    let value := calldataload(add(emissionsNano.offset, shl(5, sub(uid, startUid))))
                    // Not a uint64: the ABI decoder's revert.
                    if gt(value, 0xffffffffffffffff) {
                        revert(0, 0)
                    }
                    let shift := add(shl(7, and(uid, 1)), 64)
                    word := or(and(word, not(shl(shift, 0xffffffffffffffff))), shl(shift, value))
                    uid := add(uid, 1)
                    if or(iszero(lt(uid, end)), iszero(and(uid, 1))) {
                        break
                    }
                }
                sstore(slot, word)
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Internal checks
    // ------------------------------------------------------------------------------------------

    function _activeHyperparameters(uint256 netuid) private view returns (ISubnetRegistryTypes.Hyperparameters memory) {
        require(_subnets.isActive(netuid), UnknownSubnet(netuid));
        return _subnets.hyperparameters(netuid);
    }

    function _activeHyperparameter(
        uint256 netuid,
        ISubnetRegistryTypes.Hyperparameter parameter
    ) private view returns (uint256) {
        require(_subnets.isActive(netuid), UnknownSubnet(netuid));
        return _subnets.hyperparameter(netuid, parameter);
    }

    function _registeredUid(uint256 netuid, address hotkey) private view returns (uint256) {
        uint256 plusOne = _uidPlusOne[netuid][hotkey];
        require(plusOne != 0, HotkeyNotRegistered(netuid, hotkey));
        return plusOne - 1;
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc INeuronCount
    function neuronCount(uint256 netuid) external view returns (uint256) {
        return _state[netuid].neuronCount;
    }

    /// @inheritdoc INeuronRegistry
    function burnPrice(uint256 netuid) external view returns (uint256) {
        return _burnPrice(_state[netuid], _activeHyperparameters(netuid));
    }

    /// @inheritdoc INeuronRegistry
    function registrationState(uint256 netuid) external view returns (RegistrationState memory) {
        return _state[netuid];
    }

    /// @inheritdoc INeuronRegistry
    function hotkeyOf(uint256 netuid, uint256 uid) external view returns (address) {
        return _hotkeys[netuid][uid];
    }

    /// @inheritdoc INeuronRegistry
    function uidOf(uint256 netuid, address hotkey) external view returns (bool registered, uint256 uid) {
        uint256 plusOne = _uidPlusOne[netuid][hotkey];
        return plusOne == 0 ? (false, 0) : (true, plusOne - 1);
    }

    /// @inheritdoc INeuronRegistry
    function blockAtRegistration(uint256 netuid, uint256 uid) external view returns (uint64 registeredAt) {
        (registeredAt, ) = _readPruneData(netuid, uid);
    }

    /// @inheritdoc INeuronRegistry
    function neuronEmission(uint256 netuid, uint256 uid) external view returns (uint64 emissionNano) {
        (, emissionNano) = _readPruneData(netuid, uid);
    }

    /// @inheritdoc INeuronRegistry
    function isImmune(uint256 netuid, uint256 uid) external view returns (bool) {
        (uint64 registeredAt, ) = _readPruneData(netuid, uid);
        uint256 immunity = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.ImmunityPeriod);
        return uid < _state[netuid].neuronCount && uint256(registeredAt) + immunity > block.number;
    }

    /// @inheritdoc INeuronRegistry
    function neuronToPrune(uint256 netuid) external view returns (bool found, uint256 uid) {
        uint256 immunity = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.ImmunityPeriod);
        return _pruneCandidate(netuid, _state[netuid].neuronCount, immunity);
    }

    /// @inheritdoc INeuronRegistry
    function endpointOf(uint256 netuid, address hotkey) external view returns (Endpoint memory) {
        return _endpoints[netuid][hotkey];
    }

    /// @inheritdoc INeuronRegistry
    function commitmentOf(uint256 netuid, address hotkey) external view returns (Commitment memory) {
        return _commitments[netuid][hotkey];
    }

    /// @inheritdoc INeuronRegistry
    function firstCommitment(uint256 netuid, bytes32 digest) external view returns (address, uint64) {
        FirstCommit storage f = _firstCommits[netuid][digest];
        return (f.hotkey, f.blockNumber);
    }

    /// @inheritdoc INeuronRegistry
    function hasValidatorPermit(uint256 netuid, uint256 uid) external view returns (bool) {
        return _hasPermit(netuid, uid);
    }

    /// @inheritdoc INeuronRegistry
    function submitterOf(
        uint256 netuid,
        address hotkey
    ) external view returns (uint256 count, bool registered, uint256 uid, bool validatorPermit) {
        count = _state[netuid].neuronCount;
        uint256 plusOne = _uidPlusOne[netuid][hotkey];
        if (plusOne != 0) (registered, uid, validatorPermit) = (true, plusOne - 1, _hasPermit(netuid, plusOne - 1));
    }

    function _hasPermit(uint256 netuid, uint256 uid) private view returns (bool) {
        return (_permits[netuid][uid >> 8] >> (uid & 0xff)) & 1 == 1;
    }

    /// @inheritdoc INeuronRegistry
    function neuronRange(
        uint256 netuid,
        uint256 start,
        uint256 count
    ) external view returns (address[] memory hotkeys, uint64[] memory registeredAt, bool[] memory permitted) {
        uint256 end = start + count;
        if (end > _state[netuid].neuronCount) revert UnknownUid(netuid, end - 1);
        hotkeys = new address[](count);
        registeredAt = new uint64[](count);
        permitted = new bool[](count);
        mapping(uint256 => address) storage hotkeyOf = _hotkeys[netuid];
        mapping(uint256 => uint256) storage pruneWords = _pruneData[netuid];
        mapping(uint256 => uint256) storage permitWords = _permits[netuid];
        // In assembly: one keccak256 a hotkey, the prune data read once a word (two UIDs) and the
        // permits once a word (256 UIDs). The same loop in Solidity (three mapping lookups a UID,
        // checked indexing) cost about 1.5k gas a UID beyond the cold reads; the settlement's Gather
        // reads every UID through this view each epoch.
        assembly ("memory-safe") {
            let pruneWord := 0
            let permitWord := 0
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                let uid := add(start, i)
                mstore(0x00, uid)
                mstore(0x20, hotkeyOf.slot)
                mstore(add(add(hotkeys, 0x20), shl(5, i)), sload(keccak256(0x00, 0x40)))
                if or(iszero(i), iszero(and(uid, 1))) {
                    mstore(0x00, shr(1, uid))
                    mstore(0x20, pruneWords.slot)
                    pruneWord := sload(keccak256(0x00, 0x40))
                }
                // `_readPruneData`: registration block in the low 64 bits of the UID's 128-bit half.
                mstore(add(add(registeredAt, 0x20), shl(5, i)), and(shr(shl(7, and(uid, 1)), pruneWord), U64))
                if or(iszero(i), iszero(and(uid, 0xff))) {
                    mstore(0x00, shr(8, uid))
                    mstore(0x20, permitWords.slot)
                    permitWord := sload(keccak256(0x00, 0x40))
                }
                mstore(add(add(permitted, 0x20), shl(5, i)), and(shr(and(uid, 0xff), permitWord), 1))
            }
        }
    }

    /// @inheritdoc INeuronRegistry
    function validatorPermits(uint256 netuid) external view returns (uint256[] memory bitmap) {
        uint256 words = (uint256(_state[netuid].neuronCount) + 255) / 256;
        bitmap = new uint256[](words);
        for (uint256 w = 0; w < words; ++w) {
            bitmap[w] = _permits[netuid][w];
        }
    }

    /// @inheritdoc INeuronRegistry
    function computeValidatorPermits(uint256 netuid) external view returns (uint256[] memory) {
        uint256 n = _state[netuid].neuronCount;
        uint256[] memory stakes = new uint256[](n);
        for (uint256 uid = 0; uid < n; ++uid) {
            stakes[uid] = _staking.totalStake(_hotkeys[netuid][uid]);
        }
        uint256 k = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.MaxAllowedValidators);
        return stakes.topK(k);
    }

    /// @notice The subnet registry this registry reads.
    function subnetRegistry() external view returns (address) {
        return address(_subnets);
    }

    /// @notice The staking contract this registry reads.
    function staking() external view returns (address) {
        return address(_staking);
    }
}
