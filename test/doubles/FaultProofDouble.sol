// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFaultProof} from "../../contracts/interfaces/IFaultProof.sol";

/// @title FaultProofDouble
/// @notice Test double of an objective-fault proof (the real one, for missed weight reveals, comes
/// with the weights contract). Evidence is `abi.encode(hotkey, faultId)`; it proves a fault only if
/// the test marked that pair as a fault, and reverts otherwise, as a real proof must.
contract FaultProofDouble is IFaultProof {
    error NotAFault(address hotkey, bytes32 faultId);

    mapping(address hotkey => mapping(bytes32 faultId => bool)) public isFault;

    function markFault(address hotkey, bytes32 faultId) external {
        isFault[hotkey][faultId] = true;
    }

    /// @inheritdoc IFaultProof
    function verifyFault(bytes calldata evidence) external view returns (address hotkey, bytes32 faultId) {
        (hotkey, faultId) = abi.decode(evidence, (address, bytes32));
        require(isFault[hotkey][faultId], NotAFault(hotkey, faultId));
    }
}
