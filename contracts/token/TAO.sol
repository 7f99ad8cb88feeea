// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ITAO} from "../interfaces/ITAO.sol";
import {EmissionSchedule} from "../libraries/EmissionSchedule.sol";

/// @title TAO
/// @notice taonet's token. Votes are clocked by timestamp (ERC-6372 `mode=timestamp`), since rollup
/// block times differ between chains and may change.
/// @dev The minter is set once, through the AccessManager, to the Emission contract, and can never
/// change: no role, not even governance, can mint outside the schedule.
contract TAO is ITAO, ERC20, ERC20Burnable, ERC20Capped, ERC20Permit, ERC20Votes, AccessManaged {
    address private _minter;

    /// @param authority The AccessManager.
    /// @param genesisRecipients Accounts funded at deployment (none on public networks by default).
    /// @param genesisAmounts TAO (wei) for each recipient; their sum counts toward the cap.
    constructor(
        address authority,
        address[] memory genesisRecipients,
        uint256[] memory genesisAmounts
    ) ERC20("TAO", "TAO") ERC20Capped(EmissionSchedule.CAP) ERC20Permit("TAO") AccessManaged(authority) {
        require(
            genesisRecipients.length == genesisAmounts.length,
            GenesisLengthMismatch(genesisRecipients.length, genesisAmounts.length)
        );
        for (uint256 i = 0; i < genesisRecipients.length; ++i) {
            _mint(genesisRecipients[i], genesisAmounts[i]);
            emit GenesisAllocated(genesisRecipients[i], genesisAmounts[i]);
        }
    }

    /// @inheritdoc ITAO
    function setMinter(address minter_) external restricted {
        require(_minter == address(0), MinterAlreadySet(_minter));
        require(minter_ != address(0), InvalidMinter());
        _minter = minter_;
        emit MinterSet(minter_);
    }

    /// @inheritdoc ITAO
    function mint(address to, uint256 amount) external {
        require(msg.sender == _minter && msg.sender != address(0), UnauthorizedMinter(msg.sender, _minter));
        _mint(to, amount);
    }

    /// @inheritdoc ITAO
    function minter() external view returns (address) {
        return _minter;
    }

    /// @inheritdoc ITAO
    function cap() public view override(ITAO, ERC20Capped) returns (uint256) {
        return super.cap();
    }

    /// @inheritdoc ITAO
    function burn(uint256 amount) public override(ITAO, ERC20Burnable) {
        super.burn(amount);
    }

    /// @inheritdoc ITAO
    function burnFrom(address account, uint256 amount) public override(ITAO, ERC20Burnable) {
        super.burnFrom(account, amount);
    }

    /// @notice ERC-6372 clock: votes are checkpointed by block timestamp.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc Nonces
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Capped, ERC20Votes) {
        super._update(from, to, value);
    }
}
