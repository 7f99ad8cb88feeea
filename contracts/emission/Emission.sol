// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IEmission} from "../interfaces/IEmission.sol";
import {ITAO} from "../interfaces/ITAO.sol";
import {EmissionSchedule} from "../libraries/EmissionSchedule.sol";

/// @title Emission
/// @notice The only minter of TAO. Accrues emission by `EmissionSchedule` from `startTime` and
/// mints accrued emission when the settlement asks.
contract Emission is IEmission, AccessManaged {
    ITAO private immutable _token;
    uint256 private immutable _genesisSupply;
    uint256 private immutable _startTime;

    uint256 private _cumulativeAccrued;
    uint256 private _cumulativeMinted;
    uint256 private _lastAccrualTime;

    /// @param authority The AccessManager.
    /// @param token_ The TAO token (its supply at this point is the genesis supply).
    /// @param startTime_ When emission starts; 0 means now.
    constructor(address authority, address token_, uint256 startTime_) AccessManaged(authority) {
        _token = ITAO(token_);
        _genesisSupply = ITAO(token_).totalSupply();
        require(startTime_ == 0 || startTime_ >= block.timestamp, StartTimeInPast(startTime_, block.timestamp));
        uint256 start = startTime_ == 0 ? block.timestamp : startTime_;
        _startTime = start;
        _lastAccrualTime = start;
    }

    /// @inheritdoc IEmission
    function accrue() public returns (uint256 amount) {
        uint256 last = _lastAccrualTime;
        if (block.timestamp <= last) return 0;
        amount = EmissionSchedule.accrue(_genesisSupply + _cumulativeAccrued, block.timestamp - last);
        _lastAccrualTime = block.timestamp;
        _cumulativeAccrued += amount;
        emit EmissionAccrued(amount, _cumulativeAccrued, _genesisSupply + _cumulativeAccrued, block.timestamp);
    }

    /// @inheritdoc IEmission
    function mint(address recipient, uint256 amount) external restricted {
        require(recipient != address(0), InvalidRecipient());
        require(amount != 0, ZeroAmount());
        accrue();
        uint256 available = _cumulativeAccrued - _cumulativeMinted;
        require(amount <= available, InsufficientAccrued(amount, available));
        _cumulativeMinted += amount;
        emit EmissionMinted(recipient, amount, msg.sender, _cumulativeMinted);
        _token.mint(recipient, amount);
    }

    /// @inheritdoc IEmission
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IEmission
    function genesisSupply() external view returns (uint256) {
        return _genesisSupply;
    }

    /// @inheritdoc IEmission
    function startTime() external view returns (uint256) {
        return _startTime;
    }

    /// @inheritdoc IEmission
    function cumulativeAccrued() public view returns (uint256) {
        uint256 last = _lastAccrualTime;
        if (block.timestamp <= last) return _cumulativeAccrued;
        return
            _cumulativeAccrued + EmissionSchedule.accrue(_genesisSupply + _cumulativeAccrued, block.timestamp - last);
    }

    /// @inheritdoc IEmission
    function cumulativeMinted() external view returns (uint256) {
        return _cumulativeMinted;
    }

    /// @inheritdoc IEmission
    function mintable() external view returns (uint256) {
        return cumulativeAccrued() - _cumulativeMinted;
    }

    /// @inheritdoc IEmission
    function issuance() public view returns (uint256) {
        return _genesisSupply + cumulativeAccrued();
    }

    /// @inheritdoc IEmission
    function currentEra() external view returns (uint256) {
        return EmissionSchedule.eraOf(issuance());
    }

    /// @inheritdoc IEmission
    function currentRatePerSecond() external view returns (uint256) {
        return EmissionSchedule.ratePerSecond(issuance());
    }

    /// @inheritdoc IEmission
    function emissionOver(uint256 issuance_, uint256 elapsed) external pure returns (uint256) {
        return EmissionSchedule.accrue(issuance_, elapsed);
    }
}
