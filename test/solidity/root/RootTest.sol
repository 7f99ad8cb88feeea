// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Weights} from "../../../contracts/weights/Weights.sol";
import {YumaEpochRunner} from "../../../contracts/settlement/YumaEpochRunner.sol";
import {YumaSettlement} from "../../../contracts/settlement/YumaSettlement.sol";
import {RootNetwork} from "../../../contracts/root/RootNetwork.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {IRootNetworkTypes} from "../../../contracts/interfaces/IRootNetwork.sol";
import {RegistryTest} from "../registry/RegistryTest.sol";

/// @title RootTest
/// @notice Base of the root network tests: the registries of `RegistryTest` plus Weights,
/// YumaSettlement and RootNetwork, wired as `deploy/modules/Taonet.ts` wires them (Weights' epoch
/// clock and the settlement's payouts to SETTLEMENT held by the settlement contract,
/// `setRootEmissionShares` to ROOT_NETWORK held by the root). Subnet creation is made cheap (the
/// lock decays back to its floor within two blocks) so tests can create many subnets.
abstract contract RootTest is RegistryTest, IRootNetworkTypes {
    uint64 internal constant ROOT_MAX_MEMBERS = 64;
    uint64 internal constant ROOT_TEMPO = 100;
    uint64 internal constant ROOT_RATE_LIMIT = 10;
    uint64 internal constant ROOT_ACTIVITY_CUTOFF = 10_000;
    uint64 internal constant ROOT_MIN_WEIGHTS = 1;

    Weights internal weights;
    YumaSettlement internal yuma;
    RootNetwork internal root;

    address internal rootColdkey = makeAddr("root coldkey");

    function setUp() public virtual override {
        super.setUp();
        weights = new Weights(address(manager), address(subnets), address(neurons), address(staking));
        yuma = new YumaSettlement(
            address(manager),
            address(tao),
            address(emission),
            address(staking),
            address(subnets),
            address(neurons),
            address(weights),
            address(new YumaEpochRunner(address(tao), address(staking), address(neurons), address(weights)))
        );
        root = new RootNetwork(
            address(manager),
            address(staking),
            address(subnets),
            address(yuma),
            _defaultParameters()
        );

        vm.startPrank(governance);
        manager.setTargetFunctionRole(
            address(weights),
            _selectors(Weights.advanceEpoch.selector, Weights.setSettling.selector),
            Roles.SETTLEMENT
        );
        manager.setTargetFunctionRole(
            address(yuma),
            _selectors(YumaSettlement.setRootEmissionShares.selector),
            Roles.ROOT_NETWORK
        );
        manager.grantRole(Roles.SETTLEMENT, address(yuma), 0);
        manager.grantRole(Roles.ROOT_NETWORK, address(root), 0);
        vm.stopPrank();
        _setNetworkParameters(MAX_SUBNETS, NETWORK_IMMUNITY_PERIOD, 1, MIN_LOCK_COST);

        vm.label(address(weights), "Weights");
        vm.label(address(yuma), "YumaSettlement");
        vm.label(address(root), "RootNetwork");
    }

    function _defaultParameters() internal pure returns (RootParameters memory) {
        return
            RootParameters({
                maxMembers: ROOT_MAX_MEMBERS,
                tempo: ROOT_TEMPO,
                weightsRateLimit: ROOT_RATE_LIMIT,
                activityCutoff: ROOT_ACTIVITY_CUTOFF,
                minAllowedWeights: ROOT_MIN_WEIGHTS
            });
    }

    function _setRootParameters(RootParameters memory parameters) internal {
        vm.prank(governance);
        root.setRootParameters(parameters);
    }

    function _setMaxMembers(uint64 maxMembers) internal {
        RootParameters memory parameters = _defaultParameters();
        parameters.maxMembers = maxMembers;
        _setRootParameters(parameters);
    }

    /// @dev Creates `count` subnets; the lock is back at its floor two blocks after each creation.
    function _createSubnets(uint256 count) internal returns (uint256[] memory netuids) {
        netuids = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            vm.roll(block.number + 2);
            netuids[i] = _createSubnet(subnetOwner);
        }
        vm.roll(block.number + 1);
    }

    /// @dev A fresh hotkey of `rootColdkey` with `stake` staked in it (not a member yet).
    function _stakedHotkey(uint256 stake) internal returns (address hotkey) {
        hotkey = _newBoundHotkey(rootColdkey);
        if (stake != 0) _stake(rootColdkey, hotkey, stake);
    }

    /// @dev A fresh hotkey with `stake`, registered in the root by its coldkey.
    function _member(uint256 stake) internal returns (address hotkey) {
        hotkey = _stakedHotkey(stake);
        vm.prank(rootColdkey);
        root.registerRoot(hotkey);
    }

    function _setRootWeights(address hotkey, uint256[] memory netuids, uint16[] memory values) internal {
        vm.prank(hotkey);
        root.setRootWeights(netuids, values);
    }

    function _rollToRootEpoch() internal {
        uint256 next = root.nextRootEpochBlock();
        if (block.number < next) vm.roll(next);
    }

    function _settleRoot() internal returns (uint256[] memory netuids, uint256[] memory sharesWad) {
        _rollToRootEpoch();
        return root.settleRoot();
    }

    function _pair(uint256 a, uint256 b) internal pure returns (uint256[] memory v) {
        v = new uint256[](2);
        (v[0], v[1]) = (a, b);
    }

    function _pair16(uint16 a, uint16 b) internal pure returns (uint16[] memory v) {
        v = new uint16[](2);
        (v[0], v[1]) = (a, b);
    }

    function _one(uint256 a) internal pure returns (uint256[] memory v) {
        v = new uint256[](1);
        v[0] = a;
    }

    function _one16(uint16 a) internal pure returns (uint16[] memory v) {
        v = new uint16[](1);
        v[0] = a;
    }

    function _sum(uint256[] memory values) internal pure returns (uint256 total) {
        for (uint256 i = 0; i < values.length; ++i) total += values[i];
    }
}
