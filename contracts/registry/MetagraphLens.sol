// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {INeuronRegistry, INeuronRegistryTypes} from "../interfaces/INeuronRegistry.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ISubnetRegistry, ISubnetRegistryTypes} from "../interfaces/ISubnetRegistry.sol";

/// @title MetagraphLens
/// @notice Read-only: a subnet's metagraph (every UID with its keys, stake, registration, permit,
/// endpoint and commitment) in one call, or in pages for large subnets. Holds no state and no role.
contract MetagraphLens {
    /// @notice One UID of the metagraph.
    struct NeuronInfo {
        uint256 uid;
        address hotkey;
        address coldkey;
        uint256 stake;
        uint64 registeredAtBlock;
        bool immune;
        bool validatorPermit;
        uint64 lastEpochEmissionNano;
        INeuronRegistryTypes.Endpoint endpoint;
        INeuronRegistryTypes.Commitment commitment;
    }

    /// @notice A subnet as the metagraph's header shows it.
    struct SubnetInfo {
        uint256 netuid;
        ISubnetRegistryTypes.Subnet subnet;
        ISubnetRegistryTypes.SubnetMetadata metadata;
        ISubnetRegistryTypes.Hyperparameters hyperparameters;
        uint256 neuronCount;
        uint256 burnPrice;
    }

    ISubnetRegistry public immutable subnets;
    INeuronRegistry public immutable neurons;
    IStaking public immutable staking;

    constructor(ISubnetRegistry subnets_, INeuronRegistry neurons_, IStaking staking_) {
        subnets = subnets_;
        neurons = neurons_;
        staking = staking_;
    }

    /// @notice UIDs `offset .. offset + limit - 1` of `netuid` (fewer at the end; `limit` may be
    /// `type(uint256).max` for the rest), and the UID count.
    function metagraph(
        uint256 netuid,
        uint256 offset,
        uint256 limit
    ) external view returns (NeuronInfo[] memory page, uint256 total) {
        total = neurons.neuronCount(netuid);
        // Compared without adding, so that any `limit` (the largest meaning "the rest") is accepted.
        uint256 end =
            offset >= total
                ? offset
                : limit >= total - offset
                    ? total
                    : offset + limit;
        page = new NeuronInfo[](end - offset);
        for (uint256 uid = offset; uid < end; ++uid) {
            address hotkey = neurons.hotkeyOf(netuid, uid);
            NeuronInfo memory info = page[uid - offset];
            info.uid = uid;
            info.hotkey = hotkey;
            info.coldkey = staking.coldkeyOf(hotkey);
            info.stake = staking.totalStake(hotkey);
            info.registeredAtBlock = neurons.blockAtRegistration(netuid, uid);
            info.immune = neurons.isImmune(netuid, uid);
            info.validatorPermit = neurons.hasValidatorPermit(netuid, uid);
            info.lastEpochEmissionNano = neurons.neuronEmission(netuid, uid);
            info.endpoint = neurons.endpointOf(netuid, hotkey);
            info.commitment = neurons.commitmentOf(netuid, hotkey);
        }
    }

    /// @notice A subnet's header: owner, lock, metadata, hyperparameters, size and price.
    function subnetInfo(uint256 netuid) public view returns (SubnetInfo memory info) {
        info.netuid = netuid;
        info.subnet = subnets.subnet(netuid);
        info.metadata = subnets.subnetMetadata(netuid);
        info.hyperparameters = subnets.hyperparameters(netuid);
        info.neuronCount = neurons.neuronCount(netuid);
        info.burnPrice = info.subnet.active ? neurons.burnPrice(netuid) : 0;
    }

    /// @notice Every active subnet's header.
    function subnetInfos() external view returns (SubnetInfo[] memory infos) {
        uint256[] memory active = subnets.activeSubnets();
        infos = new SubnetInfo[](active.length);
        for (uint256 i = 0; i < active.length; ++i) {
            infos[i] = subnetInfo(active[i]);
        }
    }
}
