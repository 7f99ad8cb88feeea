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

    function test_weightRowUids_areThePermitHoldersInUidOrder() public view {
        (uint256[] memory uids, uint256 n) = yuma.weightRowUids(netuid);
        assertEq(n, 8);
        assertEq(uids.length, 3);
        for (uint256 r = 0; r < 3; ++r) {
            assertEq(uids[r], r);
        }
        assertEq(_rows(netuid).length, 3 * 17 * 32, "a segment of 17 words a row");
    }

    function test_settle_revertsOnATamperedRow_namingItsUidAndSegment() public {
        bytes memory rows = _rows(netuid);
        rows[17 * 32 + 7] ^= 0x01; // row 1 (UID 1), its first value word
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowMismatch.selector, 1, 0));
        yuma.settle(netuid, rows);
    }

    /// @dev Another validator's row in the place of UID 2's: every row must be its own UID's.
    function test_settle_revertsOnRowsInTheWrongOrder() public {
        bytes memory rows = _rows(netuid);
        bytes memory swapped = bytes.concat(_slice(rows, 0, 2 * 544), _slice(rows, 544, 544));
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
        (uint256[] memory uids, ) = yuma.weightRowUids(netuid);
        uint256 row = type(uint256).max;
        for (uint256 r = 0; r < uids.length; ++r) {
            if (uids[r] == vUid) row = r;
        }
        assertLt(row, uids.length, "v's row is taken");
        bytes memory rows = _rows(netuid);
        for (uint256 i = 0; i < 544; ++i) {
            assertEq(uint8(rows[row * 544 + i]), 0, "a row never written is zeros");
        }
        rows[row * 544 + 31] = 0x01;
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowMismatch.selector, vUid, 0));
        yuma.settle(netuid, rows);
    }

    function test_settle_revertsOnRowsOfTheWrongLength() public {
        bytes memory rows = _rows(netuid);
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowsLength.selector, rows.length, 0));
        yuma.settle(netuid, "");
        bytes memory longer = bytes.concat(rows, new bytes(32));
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.WeightRowsLength.selector, rows.length, longer.length));
        yuma.settle(netuid, longer);
    }

    /// @dev A call with too little gas to reach the rows' phases opens the run without them; the next
    /// call, which runs those phases, needs them, and the run ends as a one-call settlement would.
    function test_settle_callThatOnlyOpensTheRunTakesNoRows() public {
        bytes32 expected = _digestOfOneCall(netuid, validators);
        uint8 phase;
        // The least gas (in steps of 50k) that opens the run.
        for (uint256 gas = 500_000; phase == 0; gas += 50_000) {
            assertLt(gas, 3_000_000, "a call of 3M gas opens the run");
            vm.prank(keeper);
            try yuma.settle{gas: gas}(netuid, "") {} catch {}
            (phase, , , , ) = yuma.settlementProgress(netuid);
        }
        assertLt(phase, 3, "stopped before the rows' phases");
        vm.expectRevert();
        yuma.settle(netuid, "");
        bytes memory rows = _rows(netuid);
        yuma.settle(netuid, rows);
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
