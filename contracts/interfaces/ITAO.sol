// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITAO
/// @notice The TAO token: an ERC-20 (18 decimals) with EIP-2612 permit and ERC-5805 votes (clocked
/// by timestamp), capped at 21,000,000 TAO, minted only by the Emission contract, burnable.
interface ITAO is IERC20 {
    /// @notice The caller is not the minter.
    error UnauthorizedMinter(address caller, address minter);
    /// @notice The minter is already set; it can be set only once.
    error MinterAlreadySet(address minter);
    /// @notice The minter cannot be the zero address.
    error InvalidMinter();
    /// @notice Genesis recipients and amounts differ in length.
    error GenesisLengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice Emitted once, when the minter (the Emission contract) is fixed.
    event MinterSet(address indexed minter);
    /// @notice Emitted for each genesis allocation at deployment.
    event GenesisAllocated(address indexed recipient, uint256 amount);

    /// @notice Mints `amount` to `to`. Only the minter; the cap bounds total supply.
    function mint(address to, uint256 amount) external;

    /// @notice Fixes the minter forever. Gated by the AccessManager; callable once.
    function setMinter(address minter_) external;

    /// @notice The only address allowed to mint (the Emission contract); zero until set.
    function minter() external view returns (address);

    /// @notice The maximum total supply: 21,000,000 TAO.
    function cap() external view returns (uint256);

    /// @notice Burns `amount` of the caller's TAO.
    function burn(uint256 amount) external;

    /// @notice Burns `amount` of `account`'s TAO, spending the caller's allowance.
    function burnFrom(address account, uint256 amount) external;
}
