// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IFaultProof} from "../interfaces/IFaultProof.sol";
import {ISlashing} from "../interfaces/ISlashing.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ITAO} from "../interfaces/ITAO.sol";

/// @title Slashing
/// @notice Routes objective-fault proofs and arbitrated disputes to `Staking.slash`, pays reporters
/// and burns the rest. Holds the SLASHER role on Staking.
/// @dev Slashed TAO never stays here: each slash pays its reporter share and burns the remainder in
/// the same transaction. Bonds of open disputes are the only TAO this contract holds.
contract Slashing is ISlashing, AccessManaged {
    using SafeERC20 for IERC20;

    uint256 private constant WAD = 1e18;
    /// @notice Hard bounds governance cannot pass.
    uint64 public constant MAX_FAULT_PENALTY_WAD = 0.1e18;
    uint64 public constant MAX_DISPUTE_SLASH_WAD = 0.5e18;
    uint64 public constant MIN_DISPUTE_PERIOD = 1 hours;
    uint64 public constant MAX_DISPUTE_PERIOD = 60 days;
    uint256 public constant MAX_EVIDENCE_URI_LENGTH = 512;

    ITAO private immutable _token;
    IStaking private immutable _staking;

    uint256 private _minDisputeBond;
    uint64 private _disputePeriod;
    uint64 private _maxDisputeSlashWad;
    uint64 private _reporterRewardWad;

    mapping(address proof => FaultRoute) private _faultRoutes;
    mapping(bytes32 key => bool) private _reportedFaults;
    mapping(uint256 id => Dispute) private _disputes;
    uint256 private _disputeCount;

    constructor(
        address authority,
        address token_,
        address staking_,
        uint256 minDisputeBond_,
        uint64 disputePeriod_,
        uint64 maxDisputeSlashWad_,
        uint64 reporterRewardWad_
    ) AccessManaged(authority) {
        _token = ITAO(token_);
        _staking = IStaking(staking_);
        _setDisputeParameters(minDisputeBond_, disputePeriod_, maxDisputeSlashWad_, reporterRewardWad_);
    }

    // ------------------------------------------------------------------------------------------
    // Objective faults
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ISlashing
    function reportFault(address proof, bytes calldata evidence) external returns (uint256 slashed) {
        FaultRoute memory route = _faultRoutes[proof];
        require(route.enabled, UnknownFaultProof(proof));
        // A view call: the proof cannot re-enter with state changes.
        (address hotkey, bytes32 faultId) = IFaultProof(proof).verifyFault(evidence);
        bytes32 key = keccak256(abi.encode(proof, faultId));
        require(!_reportedFaults[key], FaultAlreadyReported(proof, faultId));
        _reportedFaults[key] = true;

        uint256 appliedWad;
        (appliedWad, slashed) = _staking.slash(hotkey, route.penaltyWad);
        uint256 tip = (slashed * route.reporterTipWad) / WAD;
        uint256 burned = slashed - tip;
        emit FaultReported(proof, faultId, hotkey, msg.sender, appliedWad, slashed, tip, burned);

        _payAndBurn(msg.sender, tip, burned);
    }

    // ------------------------------------------------------------------------------------------
    // Disputes
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ISlashing
    function openDispute(
        address hotkey,
        uint256 bond,
        bytes32 evidenceHash,
        string calldata evidenceUri
    ) external returns (uint256 id) {
        require(bond >= _minDisputeBond && bond != 0, BondBelowMinimum(bond, _minDisputeBond));
        require(
            bytes(evidenceUri).length <= MAX_EVIDENCE_URI_LENGTH,
            EvidenceUriTooLong(bytes(evidenceUri).length, MAX_EVIDENCE_URI_LENGTH)
        );
        require(_staking.coldkeyOf(hotkey) != address(0), HotkeyNotBound(hotkey));

        id = ++_disputeCount;
        uint64 deadline = uint64(block.timestamp) + _disputePeriod;
        _disputes[id] = Dispute({
            reporter: msg.sender,
            hotkey: hotkey,
            deadline: deadline,
            status: DisputeStatus.Open,
            bond: bond,
            evidenceHash: evidenceHash,
            evidenceUri: evidenceUri
        });
        emit DisputeOpened(id, msg.sender, hotkey, bond, deadline, evidenceHash, evidenceUri);

        _staking.freezeHotkey(hotkey);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @inheritdoc ISlashing
    function acceptDispute(uint256 id, uint256 fractionWad) external restricted returns (uint256 slashed) {
        Dispute storage d = _openBeforeDeadline(id);
        require(fractionWad <= _maxDisputeSlashWad, SlashAboveBound(fractionWad, _maxDisputeSlashWad));
        d.status = DisputeStatus.Accepted;
        address hotkey = d.hotkey;

        _staking.unfreezeHotkey(hotkey);
        uint256 appliedWad;
        (appliedWad, slashed) = _staking.slash(hotkey, fractionWad);
        uint256 reward = (slashed * _reporterRewardWad) / WAD;
        uint256 burned = slashed - reward;
        emit DisputeAccepted(id, hotkey, msg.sender, fractionWad, appliedWad, slashed, reward, burned);

        _payAndBurn(d.reporter, d.bond + reward, burned);
    }

    /// @inheritdoc ISlashing
    function rejectDispute(uint256 id) external restricted {
        Dispute storage d = _openBeforeDeadline(id);
        d.status = DisputeStatus.Rejected;
        emit DisputeRejected(id, d.hotkey, msg.sender, d.bond);

        _staking.unfreezeHotkey(d.hotkey);
        _token.burn(d.bond);
    }

    /// @inheritdoc ISlashing
    function reclaimBond(uint256 id) external {
        Dispute storage d = _disputes[id];
        require(d.status == DisputeStatus.Open, DisputeNotOpen(id, d.status));
        require(block.timestamp > d.deadline, DisputeDeadlineNotPassed(id, d.deadline, block.timestamp));
        d.status = DisputeStatus.Expired;
        emit DisputeBondReclaimed(id, d.reporter, d.bond);

        _staking.unfreezeHotkey(d.hotkey);
        IERC20(address(_token)).safeTransfer(d.reporter, d.bond);
    }

    function _openBeforeDeadline(uint256 id) private view returns (Dispute storage d) {
        d = _disputes[id];
        require(d.status == DisputeStatus.Open, DisputeNotOpen(id, d.status));
        require(block.timestamp <= d.deadline, DisputeDeadlinePassed(id, d.deadline, block.timestamp));
    }

    function _payAndBurn(address recipient, uint256 paid, uint256 burned) private {
        if (paid != 0) IERC20(address(_token)).safeTransfer(recipient, paid);
        if (burned != 0) _token.burn(burned);
    }

    // ------------------------------------------------------------------------------------------
    // Governance
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ISlashing
    function setFaultRoute(address proof, bool enabled, uint64 penaltyWad, uint64 reporterTipWad) external restricted {
        require(
            penaltyWad <= MAX_FAULT_PENALTY_WAD,
            ParameterOutOfBounds("penaltyWad", penaltyWad, 0, MAX_FAULT_PENALTY_WAD)
        );
        require(reporterTipWad <= WAD, ParameterOutOfBounds("reporterTipWad", reporterTipWad, 0, WAD));
        _faultRoutes[proof] = FaultRoute(enabled, penaltyWad, reporterTipWad);
        emit FaultRouteSet(proof, enabled, penaltyWad, reporterTipWad);
    }

    /// @inheritdoc ISlashing
    function setDisputeParameters(
        uint256 minDisputeBond_,
        uint64 disputePeriod_,
        uint64 maxDisputeSlashWad_,
        uint64 reporterRewardWad_
    ) external restricted {
        _setDisputeParameters(minDisputeBond_, disputePeriod_, maxDisputeSlashWad_, reporterRewardWad_);
    }

    function _setDisputeParameters(uint256 minBond, uint64 period, uint64 maxSlashWad, uint64 rewardWad) private {
        require(minBond != 0, ParameterOutOfBounds("minDisputeBond", minBond, 1, type(uint256).max));
        require(
            period >= MIN_DISPUTE_PERIOD && period <= MAX_DISPUTE_PERIOD,
            ParameterOutOfBounds("disputePeriod", period, MIN_DISPUTE_PERIOD, MAX_DISPUTE_PERIOD)
        );
        require(
            maxSlashWad <= MAX_DISPUTE_SLASH_WAD,
            ParameterOutOfBounds("maxDisputeSlashWad", maxSlashWad, 0, MAX_DISPUTE_SLASH_WAD)
        );
        require(rewardWad <= WAD, ParameterOutOfBounds("reporterRewardWad", rewardWad, 0, WAD));
        _minDisputeBond = minBond;
        _disputePeriod = period;
        _maxDisputeSlashWad = maxSlashWad;
        _reporterRewardWad = rewardWad;
        emit DisputeParametersSet(minBond, period, maxSlashWad, rewardWad);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ISlashing
    function dispute(uint256 id) external view returns (Dispute memory) {
        return _disputes[id];
    }

    /// @inheritdoc ISlashing
    function disputeCount() external view returns (uint256) {
        return _disputeCount;
    }

    /// @inheritdoc ISlashing
    function faultRoute(address proof) external view returns (FaultRoute memory) {
        return _faultRoutes[proof];
    }

    /// @inheritdoc ISlashing
    function isFaultReported(address proof, bytes32 faultId) external view returns (bool) {
        return _reportedFaults[keccak256(abi.encode(proof, faultId))];
    }

    /// @inheritdoc ISlashing
    function minDisputeBond() external view returns (uint256) {
        return _minDisputeBond;
    }

    /// @inheritdoc ISlashing
    function disputePeriod() external view returns (uint64) {
        return _disputePeriod;
    }

    /// @inheritdoc ISlashing
    function maxDisputeSlashWad() external view returns (uint64) {
        return _maxDisputeSlashWad;
    }

    /// @inheritdoc ISlashing
    function reporterRewardWad() external view returns (uint64) {
        return _reporterRewardWad;
    }
}
