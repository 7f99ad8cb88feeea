// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";
import {SettlementTest} from "./SettlementTest.sol";

/// @notice The weights rows a settlement takes as calldata (`Weights` keeps only their hashes): the
/// rows of the UIDs holding permits, in UID order, a segment of 17 words per 256 columns; a row that
/// is not the stored one, or rows of the wrong length, revert with the row and segment at fault; a
/// call that needs no rows (one that only opens a run, or pays) takes none.
contract YumaSettlementWeightRowsTest is SettlementTest {
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
        _settleNext(netuid, 12); // permits for UIDs 0..2
        for (uint256 i = 0; i < 3; ++i) {
            _setWeights(netuid, validators[i], _u16s(3, 4, 5), _u16s(uint16(100 + i), 200, 300));
        }
        _rollToEpoch(netuid);
    }

    function test_weightRowUids_areThePermitHoldersInUidOrder() public {
        (uint256[] memory uids, uint256 n, uint256 next) = yuma.weightRowUids(netuid);
        assertEq(next, 0, "no run open: segment 0");
        assertEq(n, 8);
        assertEq(uids.length, 3);
        for (uint256 r = 0; r < 3; ++r) {
            assertEq(uids[r], r);
        }
        assertEq(_rows(netuid).length, 32 + 3 * 17 * 32, "the first segment, then a segment of 17 words a row");
    }

    function test_settle_revertsOnATamperedRow_namingItsUidAndSegment() public {
        bytes memory rows = _rows(netuid);
        rows[32 + 17 * 32 + 7] ^= 0x01; // row 1 (UID 1), its first value word
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowMismatch.selector, 1, 0));
        yuma.settle(netuid, rows);
    }

    /// @dev Another validator's row in the place of UID 2's: every row must be its own UID's.
    function test_settle_revertsOnRowsInTheWrongOrder() public {
        bytes memory rows = _rows(netuid);
        bytes memory swapped = bytes.concat(_slice(rows, 0, 32 + 2 * 544), _slice(rows, 32 + 544, 544));
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowMismatch.selector, 2, 0));
        yuma.settle(netuid, swapped);
    }

    /// @dev A row never written must be passed as zeros: anything else is not what `Weights` holds.
    function test_settle_revertsOnDataForARowNeverWritten() public {
        _setHyperparameter(netuid, Hyperparameter.MaxAllowedUids, 9);
        (address v, uint256 vUid) = _registerNew(netuid, bob);
        assertEq(vUid, 8, "a UID that never held a row");
        _stake(bob, v, 100e18);
        _settleNext(netuid, 12); // v earns a permit; it has never set weights
        _rollToEpoch(netuid);
        (uint256[] memory uids, , ) = yuma.weightRowUids(netuid);
        uint256 row = type(uint256).max;
        for (uint256 r = 0; r < uids.length; ++r) {
            if (uids[r] == vUid) row = r;
        }
        assertLt(row, uids.length, "v's row is taken");
        bytes memory rows = _rows(netuid);
        for (uint256 i = 0; i < 544; ++i) {
            assertEq(uint8(rows[32 + row * 544 + i]), 0, "a row never written is zeros");
        }
        rows[32 + row * 544 + 31] = 0x01;
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowMismatch.selector, vUid, 0));
        yuma.settle(netuid, rows);
    }

    function test_settle_revertsOnMalformedRows() public {
        bytes memory rows = _rows(netuid);
        bytes memory longer = bytes.concat(rows, new bytes(32));
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.MalformedWeightRows.selector, 3, 1, longer.length));
        yuma.settle(netuid, longer);
        // Segment 1 of a one-segment subnet.
        bytes memory past = _rows(netuid);
        past[31] = 0x01;
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.MalformedWeightRows.selector, 3, 1, past.length));
        yuma.settle(netuid, past);
    }

    /// @dev A call without rows opens the run and runs it up to the first unit that reads them (it
    /// ends there, as if out of gas); a call that cannot run even one unit for want of its segment
    /// reverts; the rows then finish the run as one call would have.
    function test_settle_withoutRows_runsUpToTheRowsThenNeedsThem() public {
        bytes32 expected = _digestOfOneCall(netuid, validators);
        vm.prank(keeper);
        yuma.settle(netuid, "");
        (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
        assertEq(phase, 3, "stopped at RowSums, the first phase that reads the rows");
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowsMissing.selector, 0, 0, 0));
        yuma.settle(netuid, "");
        // The first-segment word alone passes no segment either.
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowsMissing.selector, 0, 0, 0));
        yuma.settle(netuid, new bytes(32));
        bytes memory rows = _rows(netuid);
        vm.prank(keeper);
        _settleMirrored(yuma, netuid, rows);
        (phase, , , , ) = yuma.settlementProgress(netuid);
        assertEq(phase, 0, "settled");
        assertEq(_settlementDigest(netuid, validators), expected);
    }

    function _slice(bytes memory data, uint256 start, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            out[i] = data[start + i];
        }
    }
}

/// @notice A subnet of more than 256 UIDs (two segments of weights rows): calls that each pass only
/// the segment their next unit reads (as a keeper keeps its transactions small) settle the epoch in
/// chunks to the same outputs, bonds and stakes as one call passing every segment, with rows that are
/// shorter than the subnet (UIDs registered after the weights) and so summed segment by segment.
contract YumaSettlementWeightRowSegmentsTest is SettlementTest {
    uint256 internal netuid;
    address[] internal hotkeys;

    function setUp() public override {
        super.setUp();
        netuid = _createSettlementSubnet(subnetOwner, 4, 1024, 4);
        hotkeys = _registerMany(netuid, carol, 300);
        for (uint256 v = 0; v < 4; ++v) {
            _stake(alice, hotkeys[v], (1_000 + 100 * v) * 1e18);
        }
        _settleNext(netuid, 12); // permits
        _weightAll(1);
        _settleNext(netuid, 12); // bonds
        _weightAll(2);
        // Ten UIDs registered after the weights: every row is shorter than the subnet, and outdated on
        // the new columns, so it is summed under its masks, a segment at a time.
        _registerMany(netuid, carol, 10);
        _rollToEpoch(netuid);
    }

    function _weightAll(uint256 round) internal {
        _weightEvery(netuid, hotkeys, 4, 300, 3, round * 7, 23);
    }

    function test_settle_aSegmentPerCall_endsAsInOneCall() public {
        uint256 snapshot = vm.snapshotState();
        bytes memory all = _rows(netuid);
        // The last epoch ran in one transaction and logged the four rows' bonds rows.
        assertEq(all.length, 32 + (4 + 4) * 2 * 544, "two segments of four rows, weights and bonds");
        _settleMirrored(yuma, netuid, all);
        bytes32 expected = _settlementDigest(netuid, hotkeys);
        vm.revertToState(snapshot);

        uint256 calls;
        uint256 segmentsSeen;
        while (true) {
            (uint8 phase, uint256 cursor, , , ) = yuma.settlementProgress(netuid);
            if (phase == 0 && calls != 0) break;
            assertLt(++calls, 200, "the run finishes");
            // The segment the next unit reads: RowSums counts (batch of 16 rows, segment), Consensus
            // and Bonds count chunks of 16 columns (no liquid alpha here), none past Bonds; the view
            // agrees.
            uint256 segment =
                phase == 3
                    ? cursor % 2
                    : phase == 4 || phase == 5
                        ? cursor >> 4
                        : phase >= 6
                            ? type(uint256).max
                            : 0;
            (, , uint256 next) = yuma.weightRowUids(netuid);
            assertEq(next, segment, "weightRowUids' next segment");
            // Past the Bonds phase no unit reads the rows: the call passes none.
            bytes memory rows;
            if (segment != type(uint256).max) {
                segmentsSeen |= 1 << segment;
                rows = _weightRows(yuma, weights, netuid, segment, 1);
            }
            vm.recordLogs();
            yuma.settle{gas: 4_000_000}(netuid, rows);
            _syncWeightRows(address(weights));
        }
        assertGt(calls, 6, "chunked");
        assertEq(segmentsSeen, 3, "calls passed segment 0 and segment 1");
        assertEq(_settlementDigest(netuid, hotkeys), expected);
    }

    /// @notice A logged bonds row's first segment is committed to in its meta word and a later one in
    /// `bondHash`: a byte changed in either is refused with the row's UID and the segment.
    function test_settle_refusesATamperedBondsSegment_firstOrLater() public {
        (uint256[] memory uids, , ) = yuma.weightRowUids(netuid);
        bytes memory all = _rows(netuid);
        for (uint256 s = 0; s < 2; ++s) {
            bytes memory rows = bytes.concat(all);
            // Row 2's bonds segment s: after the four rows' two weights segments and rows 0 and 1's bonds.
            rows[32 + (4 * 2 + 2 * 2 + s) * 544 + 31] ^= 0x01;
            vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.BondRowMismatch.selector, uids[2], s));
            yuma.settle(netuid, rows);
        }
        _settleMirrored(yuma, netuid, all);
        (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
        assertEq(phase, 0, "the rows as logged settle");
    }

    /// @dev A call passing segment 1 while the run's next unit reads segment 0 makes no progress.
    function test_settle_revertsWhenTheNextUnitsSegmentIsNotPassed() public {
        bytes memory one = _weightRows(yuma, weights, netuid, 1, 1);
        yuma.settle(netuid, one); // opens, gathers and ranks; RowSums starts on segment 0
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowsMissing.selector, 0, 1, 1));
        yuma.settle(netuid, one);
    }
}
