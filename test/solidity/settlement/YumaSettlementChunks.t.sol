// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SettlementTest} from "./SettlementTest.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";

/// @notice A 24-UID subnet with 4 validators whose epoch is due, after a permits epoch and a bonds
/// epoch, for the chunked-settlement tests; `_liquidAlpha` chooses the bonds' EMA.
abstract contract ChunkedSettlementBase is SettlementTest {
    uint256 internal netuid;
    address[] internal hotkeys;

    function _liquidAlpha() internal pure virtual returns (bool);

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, 24, 4);
        if (_liquidAlpha()) _setHyperparameter(netuid, Hyperparameter.LiquidAlphaEnabled, 1);
        hotkeys = _registerMany(netuid, carol, 20);
        for (uint256 v = 0; v < 4; ++v) {
            _stake(alice, hotkeys[v], (1_000 + 100 * v) * 1e18);
        }
        _settleNext(netuid, 12); // permits
        _weightAll(1);
        _settleNext(netuid, 12); // bonds
        _weightAll(2);
        _rollToEpoch(netuid);
        vm.warp(block.timestamp + 60);
    }

    function _weightAll(uint256 round) internal {
        _weightEvery(netuid, hotkeys, 4, 20, 3, round * 7, 23);
    }

    function _state() internal returns (bytes32) {
        return _settlementDigest(netuid, hotkeys);
    }
}

/// @notice Settlement in chunks, whatever gas each keeper sends: a `settle` either makes progress or
/// reverts with `InsufficientGasForUnit` (never a panic, never a stuck run), and the epoch ends with
/// the same outputs, bonds and stakes as when settled in one call.
contract YumaSettlementChunksTest is ChunkedSettlementBase {
    function _liquidAlpha() internal pure override returns (bool) {
        return false;
    }

    /// @notice Random gas per call, from too little for any unit to plenty, by two keepers in turn:
    /// the keeper tip they share is the tip of the one-call epoch, whatever the split.
    function testFuzz_settle_inChunksOfAnyGas_endsAsInOneCall(uint256 seed) public {
        address other = makeAddr("other keeper");
        uint256 snapshot = vm.snapshotState();
        uint256 before = tao.balanceOf(keeper);
        bytes memory rows = _rows(netuid);
        vm.prank(keeper);
        _settleMirrored(yuma, netuid, rows);
        bytes32 expected = _state();
        uint256 tip = tao.balanceOf(keeper) - before;
        assertGt(tip, 0);
        vm.revertToState(snapshot);
        before = tao.balanceOf(keeper);
        assertGt(yuma.lastRunGas(netuid), 0, "the previous run measured");

        uint256 calls;
        uint256 progressed;
        while (true) {
            seed = uint256(keccak256(abi.encode(seed)));
            uint256 gas = 2_600_000 + (seed % 300_000);
            (uint8 phaseBefore, uint256 cursorBefore, , , ) = yuma.settlementProgress(netuid);
            rows = _rows(netuid);
            vm.prank(calls % 2 == 0 ? keeper : other);
            try yuma.settle{gas: gas}(netuid, rows) {
                (uint8 phase, uint256 cursor, , , ) = yuma.settlementProgress(netuid);
                assertTrue(phase != phaseBefore || cursor != cursorBefore || phase == 0, "a call makes progress");
                ++progressed;
                if (phase == 0) break;
            } catch (bytes memory reason) {
                assertEq(bytes4(reason), IYumaSettlement.InsufficientGasForUnit.selector, "only too little gas");
            }
            assertLt(++calls, 400, "the run finishes");
        }
        assertGt(progressed, 0);
        assertEq(_state(), expected, "outputs, bonds and stakes as in one call");
        assertEq(tao.balanceOf(keeper) - before + tao.balanceOf(other), tip, "the keepers share the tip");
    }

    /// @notice A run forecast to fit in one call keeps its scratch in transient storage; when it does
    /// not fit after all, the call copies the scratch to storage before it ends, and the calls after
    /// it (any gas) end the epoch as one call would have. The forecast (the last run's gas) is forced
    /// to 1 so that a call with a few million gas takes the transient path and cannot finish.
    function testFuzz_settle_transientScratchThatDoesNotFit_spillsAndEndsAsInOneCall(uint256 seed) public {
        bytes32 expected = _digestOfOneCall(netuid, hotkeys);
        _forceLastRunGas(netuid, 1);

        // The transient path needs the spill's bound (about 1.9M at 24 UIDs and 4 rows) and the
        // finishing reserve above the forecast; the whole epoch needs more than what is left then.
        // (On this path, with the spill's gas kept back all along, a call of 2.0M to 2.8M ended past
        // Gather and unfinished, one of 2.9M finished the epoch: measured on 2026-12-07.)
        uint256 gas = 2_200_000 + (seed % 500_000);
        bytes memory rows = _rows(netuid);
        vm.prank(keeper);
        yuma.settle{gas: gas}(netuid, rows);
        (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
        assertGt(phase, 1, "the first call made progress past Gather");
        assertLt(phase, 8, "and did not finish");
        for (uint256 calls = 0; phase != 0; ++calls) {
            assertLt(calls, 400, "the run finishes");
            seed = uint256(keccak256(abi.encode(seed)));
            rows = _rows(netuid);
            try yuma.settle{gas: 400_000 + (seed % 3_000_000)}(netuid, rows) {} catch (bytes memory reason) {
                assertEq(bytes4(reason), IYumaSettlement.InsufficientGasForUnit.selector, "only too little gas");
            }
            (phase, , , , ) = yuma.settlementProgress(netuid);
        }
        assertEq(_state(), expected, "outputs, bonds and stakes as in one call");
    }

    /// @notice A run that costs more gas than the previous one still pays out exactly the tip: with the
    /// yardstick forced to 1 gas, the first call's share is capped at the whole tip, and every later
    /// call (the finisher's included) gets nothing.
    function test_settle_tipSharesStopAtTheTip() public {
        uint256 snapshot = vm.snapshotState();
        uint256 before = tao.balanceOf(keeper);
        bytes memory rows = _rows(netuid);
        vm.prank(keeper);
        _settleMirrored(yuma, netuid, rows);
        uint256 tip = tao.balanceOf(keeper) - before;
        vm.revertToState(snapshot);

        _forceLastRunGas(netuid, 1);

        address first = makeAddr("first keeper");
        address later = makeAddr("later keeper");
        rows = _rows(netuid);
        vm.prank(first);
        yuma.settle{gas: 1_500_000}(netuid, rows);
        (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
        assertGt(phase, 0, "the run is still open");
        assertEq(tao.balanceOf(first), tip, "the first share is capped at the whole tip");
        for (uint256 calls = 0; phase != 0; ++calls) {
            assertLt(calls, 400);
            rows = _rows(netuid);
            vm.prank(later);
            yuma.settle{gas: 1_500_000}(netuid, rows);
            (phase, , , , ) = yuma.settlementProgress(netuid);
        }
        assertEq(tao.balanceOf(later), 0, "nothing is left for later calls");
        assertGt(yuma.lastRunGas(netuid), 1_500_000, "the run's gas is the next yardstick");
    }
}

/// @notice Epochs without weights, whose emission follows the validators' stake (YUMA 2.10's
/// fallback): settled in calls too small for the run (its scratch in storage, paid by Pay units), each
/// ends as when settled in one call (its scratch transient, paid in its Finalize unit).
contract YumaSettlementChunksFallbackTest is SettlementTest {
    uint256 internal netuid;
    address[] internal hotkeys;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, 24, 4);
        hotkeys = _registerMany(netuid, carol, 20);
        for (uint256 v = 0; v < 4; ++v) {
            _stake(alice, hotkeys[v], (1_000 + 100 * v) * 1e18);
        }
        _settleNext(netuid, 12); // permits; a subnet's first run keeps its scratch in storage
    }

    function test_settle_withoutWeightsInChunks_endsAsInOneCall() public {
        for (uint256 epoch = 0; epoch < 2; ++epoch) {
            _rollToEpoch(netuid);
            vm.warp(block.timestamp + 60);
            bytes32 expected = _digestOfOneCall(netuid, hotkeys);
            // A forecast no call covers: the run keeps its scratch in storage, so its Finalize unit
            // leaves the payments to Pay units (`YumaEpochLedger._finalize`).
            _forceLastRunGas(netuid, 1e15);
            uint256 calls;
            for (uint8 phase = 1; phase != 0; ++calls) {
                assertLt(calls, 400, "the run finishes");
                bytes memory rows = _rows(netuid);
                vm.prank(keeper);
                yuma.settle{gas: 1_200_000}(netuid, rows);
                (phase, , , , ) = yuma.settlementProgress(netuid);
            }
            assertGt(calls, 1, "settled in several calls");
            assertEq(
                _settlementDigest(netuid, hotkeys),
                expected,
                "outputs, bonds, stakes and emissions as in one call"
            );
        }
    }
}
