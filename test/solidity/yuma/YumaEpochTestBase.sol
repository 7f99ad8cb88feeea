// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {YumaEpoch} from "../../../contracts/libraries/YumaEpoch.sol";

/// @notice Builders shared by the YumaEpoch tests: dense inputs from short literal arrays, and
/// tolerance checks in the scenario format's units (fractions u16/65535, emission shares).
abstract contract YumaEpochTestBase is Test {
    int256 internal constant ABSENT = -1;
    uint256 internal constant U16_MAX = 65_535;

    /// @dev subtensor's defaults for a new subnet (YUMA.md §3), original Yuma, no commit-reveal.
    function _defaultParams() internal pure returns (YumaEpoch.Params memory p) {
        p.kappaU16 = 32_767;
        p.bondsPenaltyU16 = 65_535;
        p.bondsMovingAverage = 900_000;
        p.alphaLowU16 = 45_875;
        p.alphaHighU16 = 58_982;
        p.alphaSigmoidSteepness = 1_000;
        p.maxAllowedValidators = 64;
        p.activityCutoff = 5_000;
        p.emission = 1e9;
    }

    /// @dev An input with `n` uids, all registered at block 0 and last updated then, no stake, no
    /// permits, no rows.
    function _emptyInput(uint256 n) internal pure returns (YumaEpoch.Input memory input) {
        input.n = n;
        input.stake = new uint256[](n);
        input.lastUpdate = new uint256[](n);
        input.blockAtRegistration = new uint256[](n);
        input.commitBlock = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            input.commitBlock[i] = type(uint256).max;
        }
        input.permit = new bool[](n);
        input.rowUids = new uint256[](0);
        input.weights = new int256[][](0);
        input.bonds = new int256[][](0);
    }

    /// @dev Gives every permitted uid a row (weights and bonds all absent), in uid order.
    function _rowsForPermits(YumaEpoch.Input memory input) internal pure {
        uint256 k;
        for (uint256 i = 0; i < input.n; ++i) {
            if (input.permit[i]) ++k;
        }
        input.rowUids = new uint256[](k);
        input.weights = new int256[][](k);
        input.bonds = new int256[][](k);
        uint256 r;
        for (uint256 i = 0; i < input.n; ++i) {
            if (!input.permit[i]) continue;
            input.rowUids[r] = i;
            input.weights[r] = _absentRow(input.n);
            input.bonds[r] = _absentRow(input.n);
            ++r;
        }
    }

    function _absentRow(uint256 n) internal pure returns (int256[] memory row) {
        row = new int256[](n);
        for (uint256 j = 0; j < n; ++j) {
            row[j] = ABSENT;
        }
    }

    /// @dev The row index of `uid` (reverts if it has none).
    function _rowOf(YumaEpoch.Input memory input, uint256 uid) internal pure returns (uint256) {
        for (uint256 r = 0; r < input.rowUids.length; ++r) {
            if (input.rowUids[r] == uid) return r;
        }
        revert("no row");
    }

    /// @dev |got/65535 - expected| <= tolerance, with `expectedWad` and `toleranceWad` in 1e18 units.
    function _assertFraction(uint16 got, uint256 expectedWad, uint256 toleranceWad, string memory what) internal pure {
        uint256 gotWad = (uint256(got) * 1e18) / U16_MAX;
        assertApproxEqAbs(gotWad, expectedWad, toleranceWad, what);
    }

    /// @dev |got - expected| / emission <= tolerance (the scenario format's emission check).
    function _assertEmission(
        uint256 got,
        uint256 expected,
        uint256 emission,
        uint256 toleranceWad,
        string memory what
    ) internal pure {
        assertApproxEqAbs(got, expected, (emission * toleranceWad) / 1e18, what);
    }
}
