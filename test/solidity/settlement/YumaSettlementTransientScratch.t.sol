// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SettlementTest} from "./SettlementTest.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";

/// @notice The transient scratch (`YumaEpochRunner._chooseScratch`) of a subnet that grew since its
/// last run stored its scratch: a call that takes the transient path and cannot finish copies what
/// Gather wrote to storage (its units of 64 UIDs), wherever the gas runs short, so that every per-UID
/// word below `SubnetState.scratchUids` stays nonzero (the bound `_spillGas` charges it at), and the
/// epoch ends as in one call.
contract YumaSettlementTransientScratchTest is SettlementTest {
    uint256 internal netuid;
    address[] internal hotkeys;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, 160, 4);
        address[] memory first = _registerMany(netuid, carol, 80);
        for (uint256 v = 0; v < 4; ++v) {
            _stake(alice, first[v], (1_000 + 100 * v) * 1e18);
        }
        _settleNext(netuid, 12); // permits; a first run keeps its scratch in storage
        assertEq(_scratchUids(), 80);
        address[] memory later = _registerMany(netuid, carol, 50);
        hotkeys = new address[](130);
        for (uint256 i = 0; i < 80; ++i) hotkeys[i] = first[i];
        for (uint256 i = 0; i < 50; ++i) hotkeys[80 + i] = later[i];
        _weightAll(5, 0, 31);
        _rollToEpoch(netuid);
        vm.warp(block.timestamp + 60);
    }

    /// @dev Every validator weights all 130 UIDs: validator v gives UID j 1 + (j * (v + step) + offset) % modulus.
    function _weightAll(uint256 step, uint256 offset, uint256 modulus) internal {
        _weightEvery(netuid, hotkeys, 4, 130, step, offset, modulus);
    }

    function test_transientRunCutShort_keepsStoredUidWordsNonzero_andEndsAsInOneCall() public {
        bytes32 expected = _digestOfOneCall(netuid, hotkeys);

        uint256 midGather;
        uint256[6] memory gases = [uint256(5_750_000), 6_250_000, 6_750_000, 7_250_000, 8_000_000, 9_500_000];
        for (uint256 g = 0; g < gases.length; ++g) {
            uint256 gas = gases[g];
            uint256 snapshot = vm.snapshotState();
            _forceLastRunGas(netuid, 1);
            bytes memory rows = _rows(netuid);
            vm.prank(keeper);
            try yuma.settle{gas: gas}(netuid, rows) {} catch (bytes memory reason) {
                assertEq(bytes4(reason), IYumaSettlement.InsufficientGasForUnit.selector, "only too little gas");
            }
            (uint8 phase, uint256 cursor, , , ) = yuma.settlementProgress(netuid);
            if (phase == 1 && cursor != 0) ++midGather;
            uint256 known = _scratchUids();
            assertGe(known, 80);
            for (uint256 uid = 0; uid < known; ++uid) {
                assertTrue(_storedUidInfo(uid) != 0, "a stored per-UID word below scratchUids is nonzero");
            }
            for (uint256 calls = 0; phase != 0; ++calls) {
                assertLt(calls, 100, "the run finishes");
                rows = _rows(netuid);
                vm.prank(keeper);
                yuma.settle{gas: 6_000_000}(netuid, rows);
                (phase, , , , ) = yuma.settlementProgress(netuid);
            }
            assertEq(_state(), expected, "outputs, bonds and stakes as in one call");
            vm.revertToState(snapshot);
        }
        assertGt(midGather, 0, "some calls stopped in the middle of Gather");
    }

    /// @notice A run on storage takes nothing of what a transient run left in the same transaction (a test
    /// function is one transaction): the weights a Consensus unit leaves in transient storage for its
    /// chunk's Bonds units are marked by a run on transient scratch and unmarked by any other, so the
    /// second epoch, on storage in calls of 6M gas after the first settled in one call with other
    /// weights, ends as it would in one call.
    function test_storageRunAfterTransientRun_inOneTransaction_takesNoCachedWeights() public {
        _forceLastRunGas(netuid, 1); // the transient path
        bytes memory rows = _rows(netuid);
        vm.prank(keeper);
        _settleMirrored(yuma, netuid, rows);
        (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
        assertEq(phase, 0, "one call");
        _weightAll(11, 7, 53); // other weights for the next epoch
        _rollToEpoch(netuid);
        vm.warp(block.timestamp + 60);

        uint256 snapshot = vm.snapshotState();
        _forceLastRunGas(netuid, 1 << 40); // forecast far over any call: storage
        for (uint256 calls = 0; calls == 0 || phase != 0; ++calls) {
            assertLt(calls, 100, "the run finishes");
            rows = _rows(netuid);
            vm.prank(keeper);
            yuma.settle{gas: 6_000_000}(netuid, rows);
            (phase, , , , ) = yuma.settlementProgress(netuid);
        }
        bytes32 chunked = _state();
        vm.revertToState(snapshot);
        assertEq(chunked, _digestOfOneCall(netuid, hotkeys), "as in one call");
    }

    /// @dev `SubnetState.scratchUids`.
    function _scratchUids() internal view returns (uint256) {
        return uint256(vm.load(address(yuma), _subnetStateSlot(netuid))) >> 232;
    }

    /// @dev `Scratch.uidInfo[uid]` in storage: the struct at keccak(netuid . layout + 7), member 0.
    function _storedUidInfo(uint256 uid) internal view returns (uint256) {
        uint256 scratch = uint256(keccak256(abi.encode(netuid, SETTLEMENT_LAYOUT + 7)));
        return uint256(vm.load(address(yuma), keccak256(abi.encode(uid, scratch))));
    }

    function _state() internal returns (bytes32) {
        return _settlementDigest(netuid, hotkeys);
    }
}
