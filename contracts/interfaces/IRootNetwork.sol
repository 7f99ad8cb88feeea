// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRootNetworkTypes
interface IRootNetworkTypes {
    /// @notice The root's hyperparameters, set by governance within the contract's hard bounds.
    /// @param maxMembers Root members at most (1 .. `MAX_MEMBERS_HARD_CAP`).
    /// @param tempo Blocks between root epochs (1 .. 302,400: a week of 2 s blocks).
    /// @param weightsRateLimit Blocks a member waits between two weight vectors (0 .. 302,400).
    /// @param activityCutoff Blocks after its last weights before a member's stake stops counting in
    /// the root epoch (1 .. 1,209,600).
    /// @param minAllowedWeights Fewest subnets a weight vector must list, or every active subnet when
    /// fewer are active (0 .. `MAX_SUBNETS_HARD_CAP`).
    struct RootParameters {
        uint64 maxMembers;
        uint64 tempo;
        uint64 weightsRateLimit;
        uint64 activityCutoff;
        uint64 minAllowedWeights;
    }

    /// @notice A root member as stored.
    /// @param slot Index in `members()` plus one (0: not a member).
    /// @param registeredAtBlock The block it joined the root.
    /// @param lastUpdateBlock The block of its last weights, 0 before any (the epoch then counts its
    /// registration block as its last update).
    struct Member {
        uint64 slot;
        uint64 registeredAtBlock;
        uint64 lastUpdateBlock;
    }
}

/// @title IRootNetworkErrors
interface IRootNetworkErrors {
    /// @notice The caller is neither `hotkey` nor its coldkey.
    error NotHotkeyOrOperator(address hotkey, address caller, address coldkey);
    /// @notice The hotkey is not bound in Staking.
    error HotkeyNotBound(address hotkey);
    error AlreadyMember(address hotkey);
    error NotMember(address hotkey);
    /// @notice Joining the root needs stake.
    error ZeroStake(address hotkey);
    /// @notice The root is full and the newcomer's stake does not exceed the smallest member's.
    error StakeTooLowToReplace(address hotkey, uint256 stake, address smallestMember, uint256 smallestStake);
    error LengthMismatch(uint256 netuids, uint256 values);
    /// @notice More entries than active subnets.
    error TooManyWeights(uint256 count, uint256 activeSubnets);
    error TooFewWeights(uint256 count, uint256 minimum);
    error DuplicateNetuid(uint256 netuid);
    error SubnetNotActive(uint256 netuid);
    error SettingWeightsTooFast(address hotkey, uint256 nextAllowedBlock);
    error RootEpochNotDue(uint256 nextEpochBlock, uint256 blockNumber);
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 minimum, uint256 maximum);
}

/// @title IRootNetworkEvents
interface IRootNetworkEvents {
    /// @notice `hotkey` joined the root in `slot`, replacing `replaced` (zero when a slot was free).
    event MemberRegistered(
        address indexed hotkey,
        uint256 slot,
        uint256 stake,
        address indexed replaced,
        uint256 replacedStake,
        uint64 blockNumber
    );
    /// @notice `hotkey` left the root (replaced, or evicted when governance lowered `maxMembers`).
    event MemberRemoved(address indexed hotkey, uint256 stake, uint64 blockNumber);
    /// @notice `hotkey` moved from slot `from` to slot `to` of `members()`: the last member fills the
    /// slot of one evicted when governance lowers `maxMembers`.
    event MemberMoved(address indexed hotkey, uint256 from, uint256 to);
    /// @notice A member's weights as stored: max-upscaled to u16 (the largest is 65,535).
    event RootWeightsSet(address indexed hotkey, uint256[] netuids, uint16[] valuesU16, uint64 blockNumber);
    /// @notice A root epoch ran. `sharesWad[i]` is subnet `netuids[i]`'s new emission share (WAD, sum
    /// at most 1e18); `applied` is false when the epoch produced no incentive (no member with active
    /// stake and weights), in which case governance's shares apply until a root epoch produces some.
    event RootEpochSettled(
        uint64 indexed epochIndex,
        uint64 blockNumber,
        uint256[] netuids,
        uint256[] sharesWad,
        uint256 members,
        bool applied,
        address keeper
    );
    event RootParametersSet(
        uint64 maxMembers,
        uint64 tempo,
        uint64 weightsRateLimit,
        uint64 activityCutoff,
        uint64 minAllowedWeights
    );
}

/// @title IRootNetwork
/// @notice The root network: a subnet whose "miners" are the subnets. Staked hotkeys join it (at most
/// `maxMembers`; when full, a newcomer with more stake replaces the member with the least), weight
/// the active subnets, and `settleRoot` runs the same Yuma epoch as every subnet (`RootEpoch`) with the
/// members as validators and the subnets as miners. The subnets' normalised incentive becomes their
/// share of emission in YumaSettlement; while the root produces no incentive, governance's shares
/// apply.
interface IRootNetwork is IRootNetworkTypes, IRootNetworkErrors, IRootNetworkEvents {
    /// @notice Registers `hotkey` (bound in Staking, with stake) as a root member. The hotkey or its
    /// coldkey. When the root is full, the member with the least stake is replaced, provided the
    /// newcomer's stake exceeds it (ties keep the incumbent).
    /// @return slot The member's index in `members()`.
    function registerRoot(address hotkey) external returns (uint256 slot);

    /// @notice Sets the caller's (a member hotkey's) weights over active subnets. Checked as subtensor
    /// checks weights (YUMA.md section 4, the points that apply to the root) and stored max-upscaled.
    function setRootWeights(uint256[] calldata netuids, uint16[] calldata values) external;

    /// @notice Runs the root epoch once `tempo` blocks have passed since the last one. Anyone.
    /// @return netuids The active subnets, in the registry's order.
    /// @return sharesWad Their new emission shares (WAD), rounded down; all zero when the epoch
    /// produced no incentive.
    function settleRoot() external returns (uint256[] memory netuids, uint256[] memory sharesWad);

    /// @notice `settleRoot` with median hints: one byte per active subnet (registry order), 1 + the
    /// member (in `members()` order among the members with stake that count this epoch) whose weight on
    /// that subnet is its stake-weighted median, 0 for none. Each hint is checked in one pass; a wrong
    /// or missing one costs a search, never a different result. `quoteRootMedianHints` computes them.
    function settleRootWithHints(
        bytes calldata hints
    ) external returns (uint256[] memory netuids, uint256[] memory sharesWad);

    /// @notice The median hints of a root epoch run now, for `settleRootWithHints`. Meant for
    /// `eth_call`: it runs the epoch's consensus and changes no state (a transaction to it only
    /// spends gas).
    function quoteRootMedianHints() external returns (bytes memory hints);

    /// @notice Sets the root's hyperparameters within the hard bounds. Governance. Lowering
    /// `maxMembers` below the member count evicts the members with the least stake.
    function setRootParameters(RootParameters calldata parameters) external;

    // ---- views ----

    function rootParameters() external view returns (RootParameters memory);
    function members() external view returns (address[] memory);
    function member(address hotkey) external view returns (Member memory);
    function isMember(address hotkey) external view returns (bool);
    /// @notice A member's stored weights: the netuids it listed and their u16 values (max-upscaled).
    function rootWeightsOf(address hotkey) external view returns (uint256[] memory netuids, uint16[] memory valuesU16);
    function nextRootEpochBlock() external view returns (uint256);
    function lastRootEpochBlock() external view returns (uint256);
    function rootEpochIndex() external view returns (uint64);
}
