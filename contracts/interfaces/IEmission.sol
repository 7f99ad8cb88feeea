// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IEmission
/// @notice Accrues TAO by Bittensor's halving schedule in seconds of chain time and mints what has
/// accrued, on request of the settlement, to the recipient it names.
/// @dev Issuance, the schedule's input, is the genesis supply plus all emission accrued so far
/// (minted or not). It only grows: burned TAO leaves the supply for good and does not re-open
/// emission, so the cap is never exceeded.
interface IEmission {
    /// @notice A mint asked for more than has accrued and not yet been minted.
    error InsufficientAccrued(uint256 requested, uint256 available);
    /// @notice Minting to the zero address.
    error InvalidRecipient();
    /// @notice A zero amount.
    error ZeroAmount();
    /// @notice Emission cannot start before deployment: it would mint for time already past.
    error StartTimeInPast(uint256 startTime, uint256 timestamp);

    /// @notice Emitted when the schedule's accrual is brought up to `timestamp`.
    /// @param amount TAO (wei) accrued since the previous checkpoint.
    /// @param cumulativeAccrued All emission accrued since the start, after this checkpoint.
    /// @param issuance Genesis supply plus `cumulativeAccrued`.
    event EmissionAccrued(uint256 amount, uint256 cumulativeAccrued, uint256 issuance, uint256 timestamp);
    /// @notice Emitted when accrued emission is minted.
    event EmissionMinted(address indexed recipient, uint256 amount, address indexed caller, uint256 cumulativeMinted);

    /// @notice Checkpoints the accrual to the current block time. Anyone may call it.
    /// @return amount The TAO accrued by this checkpoint.
    function accrue() external returns (uint256 amount);

    /// @notice Mints `amount` of accrued, unminted emission to `recipient`. Gated to the settlement.
    function mint(address recipient, uint256 amount) external;

    /// @notice The TAO token.
    function token() external view returns (address);

    /// @notice TAO issued at genesis, counted into issuance.
    function genesisSupply() external view returns (uint256);

    /// @notice When emission started (unix seconds).
    function startTime() external view returns (uint256);

    /// @notice All emission accrued up to now, including the part not yet checkpointed.
    function cumulativeAccrued() external view returns (uint256);

    /// @notice All emission minted so far.
    function cumulativeMinted() external view returns (uint256);

    /// @notice Accrued emission not yet minted, up to now.
    function mintable() external view returns (uint256);

    /// @notice Genesis supply plus all emission accrued up to now: the schedule's input.
    function issuance() external view returns (uint256);

    /// @notice The current halving era (0 until issuance reaches 10.5M TAO).
    function currentEra() external view returns (uint256);

    /// @notice The current emission rate in wei per second, rounded down.
    function currentRatePerSecond() external view returns (uint256);

    /// @notice Pure schedule: TAO emitted over `elapsed` seconds from `issuance_`.
    function emissionOver(uint256 issuance_, uint256 elapsed) external pure returns (uint256);
}
