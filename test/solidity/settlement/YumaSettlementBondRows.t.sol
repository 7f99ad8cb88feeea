// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";
import {SettlementTest} from "./SettlementTest.sol";

/// @notice The bonds rows of an epoch that runs in one transaction (of a subnet of more than 64 UIDs)
/// are logged (`BondsSet`) and kept as hashes, not stored: the next epoch takes them as calldata after
/// the weights rows (the header word counts them), checked against the hashes; an epoch run on
/// storage (in chunks) reads them so and stores its own rows; a transient run cut short in its Bonds
/// phase runs it again on storage.
contract YumaSettlementBondRowsTest is SettlementTest {
    uint256 internal constant UIDS = 72;
    uint256 internal netuid;
    address[] internal validators;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, UIDS, 3);
        for (uint256 i = 0; i < 3; ++i) {
            (address v, ) = _registerNew(netuid, alice);
            _stake(alice, v, (10 + i) * 1e18);
            validators.push(v);
        }
        _registerMany(netuid, carol, UIDS - 3);
        _settleNext(netuid, 12); // permits for UIDs 0..2; the first run, on storage
        _weightAll(1);
        _settleNext(netuid, 12); // forecast by the first: one transaction, the bonds rows logged
        _weightAll(2);
        _rollToEpoch(netuid);
    }

    function _weightAll(uint256 round) internal {
        for (uint256 i = 0; i < 3; ++i) {
            _setWeights(
                netuid,
                validators[i],
                _u16s(3, 4, 5),
                _u16s(uint16(100 + i * round), 200, uint16(300 - round))
            );
        }
    }

    function _bondCommitments() internal view returns (uint256[] memory meta, bytes32[] memory hashes) {
        uint256[] memory uids = new uint256[](3);
        (uids[0], uids[1], uids[2]) = (0, 1, 2);
        return yuma.bondRowCommitments(netuid, uids, 0, 1);
    }

    function test_settle_logsTheBondsRowsOfAOneCallEpoch() public {
        (uint256[] memory meta, bytes32[] memory hashes) = _bondCommitments();
        for (uint256 r = 0; r < 3; ++r) {
            uint256 loggedAt = (meta[r] >> 96) & type(uint64).max;
            assertGt(loggedAt, 0, "logged");
            assertEq((meta[r] >> 64) & type(uint32).max, UIDS, "a row of the subnet's columns");
            assertTrue(hashes[r] != bytes32(0), "its segment's commitment");
            assertEq(uint256(hashes[r]) & type(uint96).max, 0, "the first 20 bytes of a hash");
            vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.BondsInLog.selector, netuid, r, loggedAt));
            yuma.bondsOf(netuid, r);
            assertGt(_bondsOf(yuma, netuid, r)[4], 0, "a bond on a weighted miner, from the log");
        }
        // The rows are passed after the weights rows: 3 + 3 rows of one segment.
        assertEq(_rows(netuid).length, 32 + 6 * 544);
    }

    function test_settle_onStorage_readsTheLoggedRowsAndStoresItsOwn() public {
        bytes32 expected = _digestOfOneCall(netuid, validators);
        // A forecast above the call's gas: no transient scratch, the run is on storage.
        _forceLastRunGas(netuid, 100_000_000);
        bytes memory rows = _rows(netuid);
        yuma.settle{gas: 15_000_000}(netuid, rows);
        (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
        assertEq(phase, 0, "settled in the call");
        (uint256[] memory meta, ) = _bondCommitments();
        for (uint256 r = 0; r < 3; ++r) {
            assertEq(meta[r] >> 96, 0, "stored, not logged");
            assertGt(yuma.bondsOf(netuid, r)[4], 0, "bondsOf reads the stored row");
        }
        assertEq(_settlementDigest(netuid, validators), expected, "as the one-call run");
    }

    /// @notice Rows of 64 columns or fewer are stored even by a one-call epoch (cheaper so).
    function test_settle_smallSubnet_storesItsBondsRowsInOneCall() public {
        uint256 small = _createSettlementSubnet(subnetOwner, 4, 64, 2);
        address[] memory hotkeys = new address[](2);
        for (uint256 i = 0; i < 2; ++i) {
            (hotkeys[i], ) = _registerNew(small, alice);
            _stake(alice, hotkeys[i], 10e18);
        }
        _registerMany(small, carol, 62);
        _settleNext(small, 12);
        for (uint256 round = 1; round <= 2; ++round) {
            for (uint256 i = 0; i < 2; ++i) {
                _setWeights(small, hotkeys[i], _u16s(3, 4, 5), _u16s(uint16(100 * round), 200, 300));
            }
            _settleNext(small, 12); // one transaction (the second forecast by the first)
        }
        uint256[] memory uids = new uint256[](2);
        (uids[0], uids[1]) = (0, 1);
        (uint256[] memory meta, ) = yuma.bondRowCommitments(small, uids, 0, 1);
        for (uint256 r = 0; r < 2; ++r) {
            assertEq(meta[r] >> 96, 0, "stored");
            assertGt(yuma.bondsOf(small, r)[4], 0, "bondsOf reads it");
        }
    }

    /// @notice A run on transient scratch whose first call ends in its Bonds or Finalize phase (its
    /// forecast forced to 1 gas, the call given too little) undoes that call's Bonds units and runs
    /// them again on storage: for every such call the epoch ends as in one call. Without the undoing,
    /// the new bonds the call wrote to transient storage are lost.
    function test_settle_transientRunCutShortInBonds_endsAsInOneCall() public {
        bytes32 expected = _digestOfOneCall(netuid, validators);
        _forceLastRunGas(netuid, 1);
        uint256 cutInBonds;
        for (uint256 gas = 2_000_000; gas <= 7_000_000; gas += 125_000) {
            uint256 snapshot = vm.snapshotState();
            bytes memory rows = _rows(netuid);
            try yuma.settle{gas: gas}(netuid, rows) {} catch {
                vm.revertToState(snapshot);
                continue;
            }
            (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
            // Rewound to Bonds (5), or ended in Finalize's unit or before: Pay (7) is past the rewind.
            if (phase == 5) ++cutInBonds;
            for (uint256 calls = 0; phase != 0; ++calls) {
                assertLt(calls, 50, "the run finishes");
                rows = _rows(netuid);
                yuma.settle{gas: 8_000_000}(netuid, rows);
                (phase, , , , ) = yuma.settlementProgress(netuid);
            }
            assertEq(_settlementDigest(netuid, validators), expected, "as in one call");
            vm.revertToState(snapshot);
        }
        assertGt(cutInBonds, 0, "some first call ended in the Bonds phase");
    }

    function test_settle_refusesATamperedBondsRow() public {
        bytes memory rows = _rows(netuid);
        rows[32 + 4 * 544 + 31] ^= 0x01; // row 1's bonds segment (after three weights segments), first word
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.BondRowMismatch.selector, 1, 0));
        yuma.settle(netuid, rows);
    }

    /// @notice A call that passes no bonds rows runs up to the Bonds phase and ends there (a keeper
    /// passes them only to the calls that reach it); one that starts there without them, or with
    /// fewer than the logged rows, is refused; the run then ends as in one call.
    function test_settle_withoutTheLoggedBondsRows_endsBeforeTheBondsPhase() public {
        bytes32 expected = _digestOfOneCall(netuid, validators);
        bytes memory rows = _rows(netuid);
        // The weights rows alone, the header counting no bonds row.
        bytes memory weightsOnly = new bytes(32 + 3 * 544);
        for (uint256 i = 32; i < weightsOnly.length; ++i) {
            weightsOnly[i] = rows[i];
        }
        yuma.settle(netuid, weightsOnly);
        (uint8 phase, uint256 cursor, , , ) = yuma.settlementProgress(netuid);
        assertEq(phase, 5, "ended at the Bonds phase");
        assertEq(cursor, 0, "before its first unit");
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.MalformedBondRows.selector, 0, 3));
        yuma.settle(netuid, weightsOnly);
        // One bonds row passed and counted: still two missing.
        bytes memory oneRow = new bytes(32 + 4 * 544);
        for (uint256 i = 32; i < oneRow.length; ++i) {
            oneRow[i] = rows[i];
        }
        oneRow[15] = 0x01; // the header's bonds-row count (bit 128) = 1
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.MalformedBondRows.selector, 1, 3));
        yuma.settle(netuid, oneRow);
        rows = _rows(netuid);
        yuma.settle(netuid, rows);
        (phase, , , , ) = yuma.settlementProgress(netuid);
        assertEq(phase, 0, "settled");
        assertEq(_settlementDigest(netuid, validators), expected, "as in one call");
    }
}
