// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";
import {SettlementTest} from "./SettlementTest.sol";

/// @notice The bonds rows of an epoch that runs in one transaction are logged (`BondsSet`) and kept
/// as hashes, not stored: the next epoch takes them as calldata after the weights rows (the header
/// word counts them), checked against the hashes; an epoch run on storage (in chunks) reads them so
/// and stores its own rows.
contract YumaSettlementBondRowsTest is SettlementTest {
    uint256 internal netuid;
    address[] internal validators;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, 8, 3);
        for (uint256 i = 0; i < 3; ++i) {
            (address v, ) = _registerNew(netuid, alice);
            _stake(alice, v, (10 + i) * 1e18);
            validators.push(v);
        }
        _registerMany(netuid, carol, 5);
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
            assertEq((meta[r] >> 64) & type(uint32).max, 8, "a row of the subnet's 8 columns");
            assertTrue(hashes[r] != bytes32(0), "its segment's hash");
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

    function test_settle_refusesATamperedBondsRow() public {
        bytes memory rows = _rows(netuid);
        rows[32 + 4 * 544 + 31] ^= 0x01; // row 1's bonds segment (after three weights segments), first word
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.BondRowMismatch.selector, 1, 0));
        yuma.settle(netuid, rows);
    }

    function test_settle_refusesRowsWithoutEveryLoggedBondsRow() public {
        bytes memory rows = _rows(netuid);
        // The weights rows alone, the header counting no bonds row.
        bytes memory weightsOnly = new bytes(32 + 3 * 544);
        for (uint256 i = 32; i < weightsOnly.length; ++i) {
            weightsOnly[i] = rows[i];
        }
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
    }
}
