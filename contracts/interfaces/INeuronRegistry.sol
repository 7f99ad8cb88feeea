// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {INeuronCount} from "./INeuronCount.sol";

/// @title INeuronRegistryTypes
interface INeuronRegistryTypes {
    /// @notice A neuron's network endpoint (its axon): an IP address and port, a URL, or both.
    /// @dev `ipType` is 4 or 6 when `ip` is set (IPv4 in the low 4 bytes), 0 for a URL-only endpoint.
    struct Endpoint {
        bytes16 ip;
        uint16 port;
        uint8 ipType;
        uint8 protocol;
        uint32 version;
        uint64 updatedAtBlock;
        string url;
    }

    /// @notice A hotkey's record in a subnet; for model subnets, a model's sha256 and where to get it.
    struct Commitment {
        bytes32 digest;
        uint64 committedAtBlock;
        string uri;
    }

    /// @notice Per-subnet registration state.
    struct RegistrationState {
        uint32 neuronCount;
        uint32 registrationsThisInterval;
        uint64 intervalStartBlock;
        uint64 burnUpdatedAtBlock;
        uint128 burnAtUpdate;
    }
}

/// @title INeuronRegistryErrors
interface INeuronRegistryErrors {
    error UnknownSubnet(uint256 netuid);
    error NotHotkeyColdkey(address hotkey, address caller, address coldkey);
    error HotkeyAlreadyRegistered(uint256 netuid, address hotkey, uint256 uid);
    error HotkeyNotRegistered(uint256 netuid, address hotkey);
    error UnknownUid(uint256 netuid, uint256 uid);
    error RegistrationDisabled(uint256 netuid);
    error TooManyRegistrations(uint256 netuid, uint256 registrationsThisInterval, uint256 limit);
    error BurnAboveMaximum(uint256 price, uint256 maxBurn);
    error NoUidAvailable(uint256 netuid);
    error EndpointRateLimited(uint256 netuid, address hotkey, uint256 nextAllowedBlock);
    error CommitmentRateLimited(uint256 netuid, address hotkey, uint256 nextAllowedBlock);
    error InvalidEndpoint(uint8 ipType, uint16 port, uint256 urlLength);
    error InvalidCommitment(bytes32 digest, uint256 uriLength);
    error LengthMismatch(uint256 a, uint256 b);
}

/// @title INeuronRegistryEvents
interface INeuronRegistryEvents {
    /// @param replacedHotkey The hotkey pruned to free `uid`, or zero when the UID was new.
    event NeuronRegistered(
        uint256 indexed netuid,
        uint256 indexed uid,
        address indexed hotkey,
        address coldkey,
        uint256 burned,
        address replacedHotkey,
        uint256 nextBurn,
        uint64 blockNumber
    );
    event EndpointServed(
        uint256 indexed netuid,
        address indexed hotkey,
        uint256 indexed uid,
        bytes16 ip,
        uint16 port,
        uint8 ipType,
        uint8 protocol,
        uint32 version,
        string url
    );
    event CommitmentSet(
        uint256 indexed netuid,
        address indexed hotkey,
        uint256 indexed uid,
        bytes32 digest,
        string uri,
        uint64 blockNumber,
        bool first
    );
    event ValidatorPermitsSet(uint256 indexed netuid, uint256[] bitmap);
}

/// @title INeuronRegistry
/// @notice Neurons of each subnet: UIDs 0..n-1 bought by burning TAO at a price that rises with each
/// registration and decays with a half-life; when the subnet is full the newcomer takes the UID of
/// the lowest-emission neuron past its immunity period. Endpoints, commitments and validator permits.
interface INeuronRegistry is INeuronRegistryTypes, INeuronRegistryErrors, INeuronRegistryEvents, INeuronCount {
    /// @notice Registers `hotkey` in `netuid`, burning the current price from the caller, who must
    /// be the hotkey's coldkey and have approved the price to this contract.
    /// @param maxBurn The highest price the caller accepts.
    /// @return uid The UID the neuron got.
    function registerNeuron(uint256 netuid, address hotkey, uint256 maxBurn) external returns (uint256 uid);

    /// @notice Sets the caller's (a registered hotkey's) endpoint in `netuid`. Rate limited.
    function serveEndpoint(uint256 netuid, Endpoint calldata endpoint) external;

    /// @notice Stores the caller's (a registered hotkey's) commitment in `netuid`. Rate limited. The
    /// block it lands in is what settles who committed a digest first.
    function commit(uint256 netuid, bytes32 digest, string calldata uri) external;

    /// @notice Replaces the subnet's validator permits. Settlement.
    /// @dev `bitmap` has one word per 256 UIDs (`LengthMismatch` otherwise); a bit set past the last
    /// UID reverts `UnknownUid` with the highest such UID, so that no future UID starts with a permit.
    function setValidatorPermits(uint256 netuid, uint256[] calldata bitmap) external;

    /// @notice Records the last epoch's emission (in 1e-9 TAO) of UIDs `startUid..`, the pruning score
    /// (`neuronEmission`). Settlement. No event: the settlement's `EpochOutputs` of the same epoch
    /// carries each UID's amounts (a log of these as well cost about 66k gas an epoch at 256 UIDs).
    function recordNeuronEmissions(uint256 netuid, uint256 startUid, uint64[] calldata emissionsNano) external;

    // ---- views ----

    /// @notice The price registering now costs (decayed and clamped).
    function burnPrice(uint256 netuid) external view returns (uint256);
    function registrationState(uint256 netuid) external view returns (RegistrationState memory);
    function hotkeyOf(uint256 netuid, uint256 uid) external view returns (address);
    /// @notice Whether `hotkey` holds a UID in `netuid`, and which.
    function uidOf(uint256 netuid, address hotkey) external view returns (bool registered, uint256 uid);
    function blockAtRegistration(uint256 netuid, uint256 uid) external view returns (uint64);
    function neuronEmission(uint256 netuid, uint256 uid) external view returns (uint64 emissionNano);
    function isImmune(uint256 netuid, uint256 uid) external view returns (bool);
    /// @notice The UID a registration now would replace (only meaningful when the subnet is full).
    function neuronToPrune(uint256 netuid) external view returns (bool found, uint256 uid);
    function endpointOf(uint256 netuid, address hotkey) external view returns (Endpoint memory);
    function commitmentOf(uint256 netuid, address hotkey) external view returns (Commitment memory);
    /// @notice The hotkey and block of the first commitment of `digest` in `netuid`.
    function firstCommitment(uint256 netuid, bytes32 digest) external view returns (address hotkey, uint64 blockNumber);
    function hasValidatorPermit(uint256 netuid, uint256 uid) external view returns (bool);
    /// @notice What a weights submission by `hotkey` needs of the registry, in one call: the subnet's
    /// neuron count, whether `hotkey` holds a UID and which, and whether that UID holds a validator
    /// permit (false when unregistered).
    function submitterOf(
        uint256 netuid,
        address hotkey
    ) external view returns (uint256 count, bool registered, uint256 uid, bool validatorPermit);
    /// @notice UIDs `start .. start + count - 1` of `netuid` (the settlement's capture): each one's
    /// hotkey, registration block and whether it holds a validator permit. Reverts `UnknownUid` past
    /// the neuron count.
    function neuronRange(
        uint256 netuid,
        uint256 start,
        uint256 count
    ) external view returns (address[] memory hotkeys, uint64[] memory registeredAt, bool[] memory permitted);
    function validatorPermits(uint256 netuid) external view returns (uint256[] memory bitmap);
    /// @notice Permits as the settlement would grant them now: top `maxAllowedValidators` by stake.
    function computeValidatorPermits(uint256 netuid) external view returns (uint256[] memory bitmap);
}
