// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISubnetRegistryTypes
interface ISubnetRegistryTypes {
    /// @notice Per-subnet hyperparameters, indexed. Durations are in rollup blocks (2 s on OP
    /// Mainnet and Base), fractions in subtensor's u16 (65,535 = 1) or u64 (1,000,000 = 1 for
    /// `BondsMovingAverage`) scales, TAO amounts in wei, `BurnIncreaseMult` in WAD (1e18 = x1).
    enum Hyperparameter {
        Tempo,
        MaxAllowedUids,
        MaxAllowedValidators,
        ImmunityPeriod,
        ActivityCutoff,
        MinAllowedWeights,
        MaxWeightLimit,
        WeightsVersionKey,
        WeightsRateLimit,
        CommitRevealEnabled,
        RevealPeriod,
        Kappa,
        BondsMovingAverage,
        BondsPenalty,
        Yuma3Enabled,
        LiquidAlphaEnabled,
        AlphaLow,
        AlphaHigh,
        AlphaSigmoidSteepness,
        MinBurn,
        MaxBurn,
        BurnHalfLife,
        BurnIncreaseMult,
        TargetRegistrationsPerInterval,
        RegistrationAllowed,
        StakeThreshold,
        OwnerCut,
        ServingRateLimit,
        CommitmentRateLimit
    }

    /// @notice The hyperparameters as one typed record (what `hyperparameters(netuid)` returns).
    struct Hyperparameters {
        uint64 tempo;
        uint64 maxAllowedUids;
        uint64 maxAllowedValidators;
        uint64 immunityPeriod;
        uint64 activityCutoff;
        uint64 minAllowedWeights;
        uint64 maxWeightLimit;
        uint64 weightsVersionKey;
        uint64 weightsRateLimit;
        bool commitRevealEnabled;
        uint64 revealPeriod;
        uint64 kappa;
        uint64 bondsMovingAverage;
        uint64 bondsPenalty;
        bool yuma3Enabled;
        bool liquidAlphaEnabled;
        uint64 alphaLow;
        uint64 alphaHigh;
        uint64 alphaSigmoidSteepness;
        uint128 minBurn;
        uint128 maxBurn;
        uint64 burnHalfLife;
        uint128 burnIncreaseMult;
        uint64 targetRegistrationsPerInterval;
        bool registrationAllowed;
        uint128 stakeThreshold;
        uint64 ownerCut;
        uint64 servingRateLimit;
        uint64 commitmentRateLimit;
    }

    /// @notice A subnet as the registry keeps it.
    struct Subnet {
        address owner;
        address pendingOwner;
        uint64 createdAtBlock;
        bool active;
        uint256 lockedAmount;
        uint256 lastEpochEmission;
    }

    /// @notice Descriptive metadata, set by the owner.
    struct SubnetMetadata {
        string name;
        string repository;
        string description;
    }

    /// @notice What a weights submission checks, read in one call (`submissionParameters`): the
    /// subnet's status and the hyperparameters of subtensor's weight rules (docs/yuma.md, "Weights").
    /// For a subnet that is not active, only `active = false` means anything.
    struct SubmissionParameters {
        bool active;
        uint64 tempo;
        uint64 revealPeriod;
        bool commitRevealEnabled;
        uint64 minAllowedWeights;
        uint64 maxWeightLimit;
        uint64 weightsVersionKey;
        uint64 weightsRateLimit;
        uint128 stakeThreshold;
    }

    /// @notice Subnet-creation parameters, set by governance.
    struct NetworkParameters {
        uint64 maxSubnets;
        uint64 networkImmunityPeriod;
        uint64 lockReductionInterval;
        uint128 minLockCost;
    }
}

/// @title ISubnetRegistryErrors
interface ISubnetRegistryErrors {
    error UnknownSubnet(uint256 netuid);
    error NotSubnetOwner(uint256 netuid, address caller, address owner);
    error NotPendingOwner(uint256 netuid, address caller, address pendingOwner);
    error LockAboveMaximum(uint256 lockCost, uint256 maxLockCost);
    error SubnetLimitReached(uint256 maxSubnets);
    error HyperparameterOutOfBounds(
        ISubnetRegistryTypes.Hyperparameter parameter,
        uint256 value,
        uint256 minimum,
        uint256 maximum
    );
    error HyperparameterGovernanceOnly(ISubnetRegistryTypes.Hyperparameter parameter);
    error HyperparameterConflict(ISubnetRegistryTypes.Hyperparameter parameter, uint256 value, uint256 related);
    error InvalidBounds(ISubnetRegistryTypes.Hyperparameter parameter, uint256 minimum, uint256 maximum);
    error MetadataTooLong(uint256 length, uint256 maximum);
    error NetworkParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 minimum, uint256 maximum);
    error LengthMismatch(uint256 a, uint256 b);
    error ZeroAddress();
}

/// @title ISubnetRegistryEvents
interface ISubnetRegistryEvents {
    event SubnetCreated(
        uint256 indexed netuid,
        address indexed owner,
        uint256 lockedAmount,
        uint256 nextLockCost,
        uint64 blockNumber
    );
    event SubnetDissolved(uint256 indexed netuid, address indexed owner, uint256 returnedLock, address indexed by);
    event SubnetReplaced(uint256 indexed oldNetuid, uint256 indexed newNetuid, uint256 oldEpochEmission);
    event SubnetOwnershipTransferStarted(uint256 indexed netuid, address indexed owner, address indexed pendingOwner);
    event SubnetOwnershipTransferred(uint256 indexed netuid, address indexed previousOwner, address indexed newOwner);
    event SubnetMetadataSet(uint256 indexed netuid, string name, string repository, string description);
    event HyperparameterSet(
        uint256 indexed netuid,
        ISubnetRegistryTypes.Hyperparameter indexed parameter,
        uint256 value,
        address indexed by
    );
    event HyperparameterBoundsSet(
        ISubnetRegistryTypes.Hyperparameter indexed parameter,
        uint256 minimum,
        uint256 maximum,
        uint256 defaultValue
    );
    event NetworkParametersSet(
        uint64 maxSubnets,
        uint64 networkImmunityPeriod,
        uint64 lockReductionInterval,
        uint128 minLockCost
    );
    event SubnetEmissionRecorded(uint256 indexed netuid, uint256 epochEmission);
}

/// @title ISubnetRegistry
/// @notice Subnets: creation by locking TAO (the lock cost doubles on each creation and decays back
/// toward a floor), dissolution returning the lock once, replacement of the lowest-emission subnet
/// outside its immunity when the subnet cap is reached, hyperparameters settable by the owner within
/// governance's bounds, metadata, and a two-step owner transfer.
interface ISubnetRegistry is ISubnetRegistryTypes, ISubnetRegistryErrors, ISubnetRegistryEvents {
    /// @notice Creates a subnet owned by the caller, locking the current lock cost (pulled from the
    /// caller, who must have approved it). When the cap is reached, the active subnet with the lowest
    /// last-epoch emission outside its immunity period is dissolved first (its lock returned).
    /// @param maxLockCost The most the caller accepts to lock (guards against a front-run creation).
    function createSubnet(uint256 maxLockCost, SubnetMetadata calldata metadata) external returns (uint256 netuid);

    /// @notice Dissolves a subnet and returns its lock to the owner. Its owner, or governance.
    function dissolveSubnet(uint256 netuid) external;

    /// @notice Starts the transfer of a subnet to `newOwner` (zero cancels). Owner only.
    function transferSubnetOwnership(uint256 netuid, address newOwner) external;

    /// @notice Completes a transfer started by `transferSubnetOwnership`. The pending owner only.
    function acceptSubnetOwnership(uint256 netuid) external;

    /// @notice Sets the subnet's metadata. Owner only; each field at most 256 bytes (description 1,024).
    function setSubnetMetadata(uint256 netuid, SubnetMetadata calldata metadata) external;

    /// @notice Sets a hyperparameter within governance's bounds. Owner only; governance-only
    /// parameters (Kappa) revert `HyperparameterGovernanceOnly`.
    function setHyperparameter(uint256 netuid, Hyperparameter parameter, uint256 value) external;

    /// @notice Sets any hyperparameter of a subnet within bounds. Governance.
    function setHyperparameterByGovernance(uint256 netuid, Hyperparameter parameter, uint256 value) external;

    /// @notice Sets a hyperparameter's bounds and its default for new subnets. Governance.
    /// @dev Reverts `InvalidBounds` unless `minimum <= defaultValue <= maximum` and `maximum` fits the
    /// parameter's field in `Hyperparameters` (1 for flags, the UID hard cap for UID counts), and
    /// `HyperparameterConflict` if the default would cross a related default (new subnets copy them).
    function setHyperparameterBounds(
        Hyperparameter parameter,
        uint256 minimum,
        uint256 maximum,
        uint256 defaultValue
    ) external;

    /// @notice Sets the subnet cap, subnet immunity, lock decay interval and lock floor. Governance.
    function setNetworkParameters(NetworkParameters calldata parameters) external;

    /// @notice Records a subnet's emission in its last epoch (used to pick a subnet to replace). Settlement.
    function recordSubnetEmission(uint256 netuid, uint256 epochEmission) external;

    // ---- views ----

    function lockCost() external view returns (uint256);
    function subnet(uint256 netuid) external view returns (Subnet memory);
    function subnetMetadata(uint256 netuid) external view returns (SubnetMetadata memory);
    function isActive(uint256 netuid) external view returns (bool);
    function ownerOf(uint256 netuid) external view returns (address);
    /// @notice Active netuids, in creation order of their slots.
    function activeSubnets() external view returns (uint256[] memory);
    function subnetCount() external view returns (uint256);
    function lastNetuid() external view returns (uint256);
    function hyperparameter(uint256 netuid, Hyperparameter parameter) external view returns (uint256);
    function hyperparameters(uint256 netuid) external view returns (Hyperparameters memory);
    function submissionParameters(uint256 netuid) external view returns (SubmissionParameters memory);
    function hyperparameterBounds(
        Hyperparameter parameter
    ) external view returns (uint256 minimum, uint256 maximum, uint256 defaultValue);
    function networkParameters() external view returns (NetworkParameters memory);
    /// @notice The subnet that creating one now would replace (0 if the cap is not reached or none can go).
    function subnetToReplace() external view returns (uint256);
}
