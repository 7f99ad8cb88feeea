// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISlashing
/// @notice The two routes to a slash. (1) Objective faults: anyone submits evidence to a fault-proof
/// contract that governance registered; a proven fault slashes a fixed, bounded fraction, tips the
/// reporter and burns the rest. (2) Disputes: a reporter bonds TAO against a hotkey with an evidence
/// hash and URI; governance's arbitrator accepts (slash up to a bound, reporter rewarded, rest
/// burned) or rejects (bond burned) before the deadline; after it the reporter reclaims the bond.
interface ISlashing {
    enum DisputeStatus {
        None,
        Open,
        Accepted,
        Rejected,
        Expired
    }

    struct Dispute {
        address reporter;
        address hotkey;
        uint64 deadline;
        DisputeStatus status;
        uint256 bond;
        bytes32 evidenceHash;
        string evidenceUri;
    }

    struct FaultRoute {
        bool enabled;
        uint64 penaltyWad;
        uint64 reporterTipWad;
    }

    error UnknownFaultProof(address proof);
    error FaultAlreadyReported(address proof, bytes32 faultId);
    error BondBelowMinimum(uint256 bond, uint256 minimum);
    error EvidenceUriTooLong(uint256 length, uint256 maximum);
    error HotkeyNotBound(address hotkey);
    error DisputeNotOpen(uint256 id, DisputeStatus status);
    error DisputeDeadlinePassed(uint256 id, uint256 deadline, uint256 timestamp);
    error DisputeDeadlineNotPassed(uint256 id, uint256 deadline, uint256 timestamp);
    error SlashAboveBound(uint256 fractionWad, uint256 maximumWad);
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 minimum, uint256 maximum);

    event FaultRouteSet(address indexed proof, bool enabled, uint64 penaltyWad, uint64 reporterTipWad);
    event FaultReported(
        address indexed proof,
        bytes32 indexed faultId,
        address indexed hotkey,
        address reporter,
        uint256 appliedWad,
        uint256 slashed,
        uint256 tip,
        uint256 burned
    );
    event DisputeOpened(
        uint256 indexed id,
        address indexed reporter,
        address indexed hotkey,
        uint256 bond,
        uint64 deadline,
        bytes32 evidenceHash,
        string evidenceUri
    );
    event DisputeAccepted(
        uint256 indexed id,
        address indexed hotkey,
        address indexed arbitrator,
        uint256 requestedWad,
        uint256 appliedWad,
        uint256 slashed,
        uint256 reporterReward,
        uint256 burned
    );
    event DisputeRejected(uint256 indexed id, address indexed hotkey, address indexed arbitrator, uint256 bondBurned);
    event DisputeBondReclaimed(uint256 indexed id, address indexed reporter, uint256 bond);
    event DisputeParametersSet(
        uint256 minDisputeBond,
        uint64 disputePeriod,
        uint64 maxDisputeSlashWad,
        uint64 reporterRewardWad
    );

    /// @notice Reports a fault proven by `proof` with `evidence`. Anyone; the reporter gets the tip.
    function reportFault(address proof, bytes calldata evidence) external returns (uint256 slashed);

    /// @notice Opens a dispute against `hotkey`, pulling `bond` TAO from the caller.
    function openDispute(
        address hotkey,
        uint256 bond,
        bytes32 evidenceHash,
        string calldata evidenceUri
    ) external returns (uint256 id);

    /// @notice Accepts dispute `id`, slashing `fractionWad` (at most `maxDisputeSlashWad`). Arbitrator only.
    function acceptDispute(uint256 id, uint256 fractionWad) external returns (uint256 slashed);

    /// @notice Rejects dispute `id`; its bond is burned. Arbitrator only.
    function rejectDispute(uint256 id) external;

    /// @notice After an unresolved dispute's deadline, returns its bond to the reporter. Anyone.
    function reclaimBond(uint256 id) external;

    /// @notice Registers, changes or disables an objective-fault route. Governance.
    function setFaultRoute(address proof, bool enabled, uint64 penaltyWad, uint64 reporterTipWad) external;

    /// @notice Sets the dispute parameters. Governance.
    function setDisputeParameters(
        uint256 minDisputeBond_,
        uint64 disputePeriod_,
        uint64 maxDisputeSlashWad_,
        uint64 reporterRewardWad_
    ) external;

    function dispute(uint256 id) external view returns (Dispute memory);
    function disputeCount() external view returns (uint256);
    function faultRoute(address proof) external view returns (FaultRoute memory);
    function isFaultReported(address proof, bytes32 faultId) external view returns (bool);
    function minDisputeBond() external view returns (uint256);
    function disputePeriod() external view returns (uint64);
    function maxDisputeSlashWad() external view returns (uint64);
    function reporterRewardWad() external view returns (uint64);
}
