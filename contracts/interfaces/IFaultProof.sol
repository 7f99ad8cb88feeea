// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IFaultProof
/// @notice A contract that proves an objective fault of a hotkey from on-chain state (for example a
/// weights commit that was not revealed in its window). The Slashing contract calls it for every
/// report made through the route governance registered it under.
interface IFaultProof {
    /// @notice Checks `evidence` and returns the faulty hotkey and a unique id of the fault.
    /// @dev MUST revert if the evidence does not prove a fault. MUST return the same `faultId` for
    /// the same fault however the evidence is encoded, so a fault is punished at most once.
    function verifyFault(bytes calldata evidence) external view returns (address hotkey, bytes32 faultId);
}
