// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Weights} from "../../../contracts/weights/Weights.sol";
import {YumaEpochRunner} from "../../../contracts/settlement/YumaEpochRunner.sol";
import {YumaSettlement} from "../../../contracts/settlement/YumaSettlement.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {RegistryTest} from "../registry/RegistryTest.sol";
import {SettlementProbe} from "./SettlementProbe.sol";

/// @title SettlementTest
/// @notice Base of the settlement tests: the system of `RegistryTest` (AccessManager, TAO, Emission,
/// Staking, Slashing, SubnetRegistry, NeuronRegistry) plus Weights, YumaEpochRunner and YumaSettlement,
/// wired as `deploy/modules/Taonet.ts` with `deploy/roles.ts` wires them: `advanceEpoch` and
/// `setSettling` of Weights mapped to SETTLEMENT, SETTLEMENT granted to the YumaSettlement contract,
/// and Weights registered as the missed-reveal fault route with the module's default penalty and tip.
/// @dev Two departures from the production wiring, both for tests: the `settlement` actor of
/// `TaonetTest` loses SETTLEMENT (production grants it to the contract alone, so here only `settle`
/// can mint, and what it minted is all `Emission.cumulativeMinted()`), and governance lowers the
/// Tempo floor to one block, as the TypeScript fixture's `hyperparameterOverrides` do, so that epochs
/// come every few blocks.
abstract contract SettlementTest is RegistryTest, SettlementProbe {
    // ---- parameters: the defaults of deploy/modules/Taonet.ts ----
    uint64 internal constant MISSED_REVEAL_PENALTY_WAD = 0.005e18;
    uint64 internal constant MISSED_REVEAL_TIP_WAD = 0.25e18;

    Weights internal weights;
    YumaEpochRunner internal runner;
    YumaSettlement internal yuma;

    address internal keeper = makeAddr("keeper");

    /// @dev What the tests know of each subnet's settlements, for the probe's checks.
    mapping(uint256 netuid => bool) internal clockStarted;
    mapping(uint256 netuid => uint256) internal lastSettleIndex;
    mapping(uint256 netuid => uint64) internal lastEpochIndex;

    function setUp() public virtual override {
        super.setUp();
        _deploySettlement();
    }

    function _deploySettlement() internal {
        weights = new Weights(address(manager), address(subnets), address(neurons), address(staking));
        runner = new YumaEpochRunner(address(tao), address(staking), address(neurons), address(weights));
        yuma = new YumaSettlement(
            address(manager),
            address(tao),
            address(emission),
            address(staking),
            address(subnets),
            address(neurons),
            address(weights),
            address(runner)
        );

        vm.startPrank(governance);
        manager.setTargetFunctionRole(
            address(weights),
            _selectors(Weights.advanceEpoch.selector, Weights.setSettling.selector),
            Roles.SETTLEMENT
        );
        manager.grantRole(Roles.SETTLEMENT, address(yuma), 0);
        manager.revokeRole(Roles.SETTLEMENT, settlement);
        slashing.setFaultRoute(address(weights), true, MISSED_REVEAL_PENALTY_WAD, MISSED_REVEAL_TIP_WAD);
        (, uint256 maxTempo, uint256 defaultTempo) = subnets.hyperparameterBounds(Hyperparameter.Tempo);
        subnets.setHyperparameterBounds(Hyperparameter.Tempo, 1, maxTempo, defaultTempo);
        vm.stopPrank();

        vm.label(address(weights), "Weights");
        vm.label(address(runner), "YumaEpochRunner");
        vm.label(address(yuma), "YumaSettlement");
    }

    // ------------------------------------------------------------------------------------------
    // Subnets
    // ------------------------------------------------------------------------------------------

    /// @dev Lets subnets be as small as `minimum` UIDs (the built-in floor is 64), so that they fill
    /// up and prune within a test.
    function _allowSmallSubnets(uint256 minimum) internal {
        (, uint256 maximum, uint256 defaultValue) = subnets.hyperparameterBounds(Hyperparameter.MaxAllowedUids);
        _setBounds(Hyperparameter.MaxAllowedUids, minimum, maximum, defaultValue);
    }

    /// @dev A subnet of `owner` with an epoch every `tempo` blocks, room for `maxUids` UIDs of which
    /// `maxValidators` hold permits, direct weights without rate limit, registrations open and cheap,
    /// and an activity cutoff long enough that no validator of a test goes inactive by accident.
    function _createSettlementSubnet(
        address owner,
        uint256 tempo,
        uint256 maxUids,
        uint256 maxValidators
    ) internal returns (uint256 netuid) {
        netuid = _createSubnet(owner);
        _setHyperparameter(netuid, Hyperparameter.Tempo, tempo);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedValidators, maxValidators);
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, maxUids);
        _setHyperparameter(netuid, Hyperparameter.CommitRevealEnabled, 0);
        _setHyperparameter(netuid, Hyperparameter.WeightsRateLimit, 0);
        _setHyperparameter(netuid, Hyperparameter.ActivityCutoff, 100_000);
        _openRegistrations(netuid);
    }

    // ------------------------------------------------------------------------------------------
    // Weights
    // ------------------------------------------------------------------------------------------

    /// @dev The first `validators` of `hotkeys` each weight columns `0 .. columns - 1`, column j of
    /// validator v at `1 + (j * (v + step) + offset) % modulus`: rows that differ, no value zero.
    function _weightEvery(
        uint256 netuid,
        address[] memory hotkeys,
        uint256 validators,
        uint256 columns,
        uint256 step,
        uint256 offset,
        uint256 modulus
    ) internal {
        uint16[] memory uids = new uint16[](columns);
        uint16[] memory values = new uint16[](columns);
        for (uint256 v = 0; v < validators; ++v) {
            for (uint256 j = 0; j < columns; ++j) {
                uids[j] = uint16(j);
                values[j] = uint16(1 + ((j * (v + step) + offset) % modulus));
            }
            _setWeights(netuid, hotkeys[v], uids, values);
        }
    }

    function _setWeights(uint256 netuid, address hotkey, uint16[] memory uids, uint16[] memory values) internal {
        _watchWeights();
        vm.prank(hotkey);
        weights.setWeights(netuid, uids, values, 0);
        _syncWeightRows(address(weights));
    }

    function _commitWeights(
        uint256 netuid,
        address hotkey,
        uint16[] memory uids,
        uint16[] memory values,
        bytes32 salt
    ) internal returns (bytes32 commitHash) {
        commitHash = weights.commitHashOf(netuid, hotkey, uids, values, salt, 0);
        vm.prank(hotkey);
        weights.commitWeights(netuid, commitHash);
    }

    function _revealWeights(
        uint256 netuid,
        address hotkey,
        uint16[] memory uids,
        uint16[] memory values,
        bytes32 salt
    ) internal {
        _watchWeights();
        vm.prank(hotkey);
        weights.revealWeights(netuid, uids, values, salt, 0);
        _syncWeightRows(address(weights));
    }

    /// @dev `settle`'s weights rows for `netuid` (`WeightRowsMirror`), after keeping the rows of the
    /// logs recorded so far (a settlement's `BondsSet` logs among them); records the logs after it.
    function _rows(uint256 netuid) internal returns (bytes memory) {
        _syncWeightRows(address(weights));
        vm.recordLogs();
        return _weightRows(yuma, weights, netuid);
    }

    // ------------------------------------------------------------------------------------------
    // Settlement
    // ------------------------------------------------------------------------------------------

    /// @dev Rolls to the block at which `netuid`'s next epoch is due (never backwards).
    function _rollToEpoch(uint256 netuid) internal {
        uint256 next = yuma.nextEpochBlock(netuid);
        if (block.number < next) vm.roll(next);
    }

    function _system() internal view returns (System memory) {
        return System(tao, emission, staking, subnets, neurons, yuma, weights);
    }

    /// @dev `caller` settles `netuid` now, and the test fails unless every property of the probe
    /// holds for that settlement. Returns what the transaction reported.
    function _settle(uint256 netuid, address caller) internal returns (Settled memory s) {
        System memory sys = _system();
        Before memory b = _probeBefore(sys, netuid, caller);
        b.clockStarted = clockStarted[netuid];
        b.previousIndex = lastSettleIndex[netuid];
        b.previousEpochIndex = lastEpochIndex[netuid];
        s = _probeSettle(sys, netuid, caller);
        assertEq(_settlementViolation(sys, b, s), "", "settlement property");
        clockStarted[netuid] = true;
        lastSettleIndex[netuid] = b.accrued;
        lastEpochIndex[netuid] = s.epochIndex;
    }

    /// @dev Rolls to the next epoch, advances the clock by `seconds_`, and settles as the keeper.
    function _settleNext(uint256 netuid, uint256 seconds_) internal returns (Settled memory) {
        _rollToEpoch(netuid);
        vm.warp(block.timestamp + seconds_);
        return _settle(netuid, keeper);
    }

    // ------------------------------------------------------------------------------------------
    // The settlement's own storage (`SettlementStorage`)
    // ------------------------------------------------------------------------------------------

    /// @dev `SettlementStorage`'s ERC-7201 location; `Layout.state` is its member 0, `scratch` 7.
    uint256 internal constant SETTLEMENT_LAYOUT = 0x2adab12f2134ec6b80293dd327276d1c29bb2e92e929700f714b528ae35a4c00;

    /// @dev The first slot of `netuid`'s `SubnetState`: lastEpochBlock [0, 64), epochIndex [64, 128),
    /// settledOnce [128, 136), lastRunGas [136, 200), lastRows [200, 232), scratchUids [232, 256).
    function _subnetStateSlot(uint256 netuid) internal pure returns (bytes32) {
        return keccak256(abi.encode(netuid, SETTLEMENT_LAYOUT));
    }

    /// @dev Sets `netuid`'s record of its last run's gas (the next run's forecast and tip yardstick).
    function _forceLastRunGas(uint256 netuid, uint256 gas) internal {
        bytes32 slot = _subnetStateSlot(netuid);
        uint256 word = uint256(vm.load(address(yuma), slot));
        word = (word & ~(uint256(type(uint64).max) << 136)) | (gas << 136);
        vm.store(address(yuma), slot, bytes32(word));
        assertEq(yuma.lastRunGas(netuid), gas);
    }

    /// @dev A digest of what a settlement of `netuid` leaves: stored outputs, the supply, and the bonds
    /// rows and stakes of `hotkeys` (UIDs 0, 1, ...).
    function _settlementDigest(uint256 netuid, address[] memory hotkeys) internal returns (bytes32 digest) {
        _syncWeightRows(address(weights)); // the bonds rows logged by settlements since `_rows`
        (uint16[] memory c, uint16[] memory i, uint16[] memory d, uint16[] memory t) = yuma.epochOutputs(netuid);
        digest = keccak256(abi.encode(c, i, d, t, tao.totalSupply()));
        for (uint256 uid = 0; uid < hotkeys.length; ++uid) {
            digest = keccak256(
                abi.encode(
                    digest,
                    _bondsOf(yuma, netuid, uid),
                    staking.totalStake(hotkeys[uid]),
                    neurons.neuronEmission(netuid, uid)
                )
            );
        }
    }

    /// @dev `_settlementDigest` after `keeper` settles `netuid` in one call, the state then restored.
    function _digestOfOneCall(uint256 netuid, address[] memory hotkeys) internal returns (bytes32 digest) {
        uint256 snapshot = vm.snapshotState();
        bytes memory rows = _rows(netuid);
        vm.startPrank(keeper);
        _settleMirrored(yuma, netuid, rows);
        vm.stopPrank();
        digest = _settlementDigest(netuid, hotkeys);
        vm.revertToState(snapshot);
    }

    // ------------------------------------------------------------------------------------------
    // Small arrays
    // ------------------------------------------------------------------------------------------

    function _u16s(uint16 a) internal pure returns (uint16[] memory values) {
        values = new uint16[](1);
        values[0] = a;
    }

    function _u16s(uint16 a, uint16 b) internal pure returns (uint16[] memory values) {
        values = new uint16[](2);
        (values[0], values[1]) = (a, b);
    }

    function _u16s(uint16 a, uint16 b, uint16 c) internal pure returns (uint16[] memory values) {
        values = new uint16[](3);
        (values[0], values[1], values[2]) = (a, b, c);
    }
}
