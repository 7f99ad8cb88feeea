// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title INeuronCount
/// @notice What the subnet registry needs of the neuron registry.
interface INeuronCount {
    /// @notice Number of UIDs in use in `netuid`.
    function neuronCount(uint256 netuid) external view returns (uint256);
}
