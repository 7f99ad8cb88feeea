// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {RootEpoch} from "../../../contracts/libraries/RootEpoch.sol";
import {YumaEpoch} from "../../../contracts/libraries/YumaEpoch.sol";

/// @notice `RootEpoch.incentive` against the whole Yuma epoch (`YumaEpoch.runIncentive`) run on the
/// root's full layout: `S` subnet UIDs without stake or rows, then `M` permitted members, each a row
/// of `S + M` columns whose member columns are empty. Every subnet's incentive must be equal to the
/// bit, and the member columns' incentive 0.
contract RootEpochTest is Test {
    uint256 internal constant KAPPA = 32_767;
    uint256 internal constant CUTOFF = 1_000;
    uint256 internal constant NOW = 5_000;

    /// @dev Random root epochs: 1 to 24 members, 1 to 40 subnets, stakes with zeros and spread over
    /// 2^60, members last updated at block 0 or 1, inactive past the cutoff or active exactly at it,
    /// rows sparse or dense, empty or all zero, values drawn from a small alphabet (ties in the median) or the whole u16 range.
    function testFuzz_incentive_matchesTheWholeEpoch(uint256 seed) public pure {
        uint256 members = 1 + (seed % 24);
        uint256 columns = 1 + ((seed >> 8) % 40);
        _check(seed, members, columns);
    }

    /// @dev Median hints change no result: the hints the epoch records for itself, and random ones
    /// (most of them wrong, some past the voters, some bytes missing).
    function testFuzz_incentive_hintsChangeNoResult(uint256 seed) public pure {
        uint256 members = 1 + (seed % 24);
        uint256 columns = 1 + ((seed >> 8) % 40);
        int256[] memory plain = RootEpoch.incentive(_randomRoot(seed, members, columns));

        RootEpoch.Options memory o;
        o.recordHints = true;
        (int256[] memory recording, bytes memory quoted) = RootEpoch.incentive(_randomRoot(seed, members, columns), o);
        assertEq(quoted.length, columns);
        o.recordHints = false;
        o.hints = quoted;
        (int256[] memory hinted, bytes memory none) = RootEpoch.incentive(_randomRoot(seed, members, columns), o);
        assertEq(none.length, 0);
        o.hints = new bytes((seed >> 32) % (columns + 1));
        for (uint256 j = 0; j < o.hints.length; ++j) {
            o.hints[j] = bytes1(uint8(uint256(keccak256(abi.encode(seed, "hint", j))) % (members + 3)));
        }
        (int256[] memory random, ) = RootEpoch.incentive(_randomRoot(seed, members, columns), o);
        for (uint256 j = 0; j < columns; ++j) {
            assertEq(recording[j], plain[j], "recording");
            assertEq(hinted[j], plain[j], "quoted hints");
            assertEq(random[j], plain[j], "random hints");
        }
    }

    /// @dev A hint is checked at the exact edges of `minority`. Three equal stakes at kappa 43,690:
    /// each voter's stake is 1,431,655,765 and so is `minority`. On column 0 voter 1 scores lowest,
    /// then voter 2, then voter 0: the stake at or below voter 1's score equals `minority` without
    /// exceeding it, so the median is voter 2's score, and a hint naming voter 1 must be refused.
    function test_incentive_refusesAHintWhoseStakeOnlyReachesTheMinority() public pure {
        uint256[3] memory stakes = [uint256(1), 1, 1];
        uint256[2][3] memory rows = [[uint256(65_535), 10_000], [uint256(10_000), 60_000], [uint256(30_000), 40_000]];
        int256[] memory plain = RootEpoch.incentive(_twoColumns(stakes, rows, 43_690));
        RootEpoch.Options memory o;
        o.recordHints = true;
        (, bytes memory quoted) = RootEpoch.incentive(_twoColumns(stakes, rows, 43_690), o);
        assertEq(uint8(quoted[0]), 3, "the first voter scoring the median");
        o.recordHints = false;
        o.hints = hex"02";
        (int256[] memory hinted, ) = RootEpoch.incentive(_twoColumns(stakes, rows, 43_690), o);
        assertEq(hinted[0], plain[0]);
        assertEq(hinted[1], plain[1]);
    }

    /// @dev Stakes 9 and 70 at kappa 58,069: the voters' stakes are 489,300,071 and 3,805,667,224, and
    /// `minority` 489,299,242. The stake below voter 1's score (voter 0's) exceeds `minority` by 829,
    /// so voter 0's lower score is the median and a hint naming voter 1 must be refused.
    function test_incentive_refusesAHintWithJustTooMuchStakeBelow() public pure {
        uint256[2] memory stakes = [uint256(9), 70];
        uint256[2][2] memory rows = [[uint256(10_000), 60_000], [uint256(65_535), 10_000]];
        RootEpoch.Input memory x = _emptyRoot(2, 2);
        int256[] memory plain = RootEpoch.incentive(_fill(x, stakes[0], rows[0], 0, stakes[1], rows[1], 58_069));
        RootEpoch.Options memory o;
        o.hints = hex"02";
        x = _emptyRoot(2, 2);
        (int256[] memory hinted, ) = RootEpoch.incentive(
            _fill(x, stakes[0], rows[0], 0, stakes[1], rows[1], 58_069),
            o
        );
        assertEq(hinted[0], plain[0]);
        assertEq(hinted[1], plain[1]);
    }

    function _twoColumns(
        uint256[3] memory stakes,
        uint256[2][3] memory rows,
        uint256 kappa
    ) internal pure returns (RootEpoch.Input memory x) {
        x = _emptyRoot(3, 2);
        _fill(x, stakes[0], rows[0], 0, stakes[1], rows[1], kappa);
        _fill(x, stakes[2], rows[2], 2, 0, rows[2], kappa);
    }

    /// @dev Sets member `r` (and, when `stakeB` is not 0, member `r + 1`): stake, a full two-column row.
    function _fill(
        RootEpoch.Input memory x,
        uint256 stakeA,
        uint256[2] memory rowA,
        uint256 r,
        uint256 stakeB,
        uint256[2] memory rowB,
        uint256 kappa
    ) internal pure returns (RootEpoch.Input memory) {
        x.kappaU16 = kappa;
        x.stake[r] = stakeA;
        x.lastUpdate[r] = NOW;
        x.presence[r] = 3;
        x.words[r] = rowA[0] | (rowA[1] << 16);
        if (stakeB != 0) {
            x.stake[r + 1] = stakeB;
            x.lastUpdate[r + 1] = NOW;
            x.presence[r + 1] = 3;
            x.words[r + 1] = rowB[0] | (rowB[1] << 16);
        }
        return x;
    }

    /// @dev The bounds: 64 members over 256 subnets, once each for a dense and a sparse draw.
    function test_incentive_matchesTheWholeEpochAtTheBounds() public pure {
        _check(1, 64, 256);
        _check(2, 64, 256);
    }

    function test_incentive_noMembersOrNoVotersIsZero() public pure {
        RootEpoch.Input memory x = _emptyRoot(0, 3);
        int256[] memory incentive = RootEpoch.incentive(x);
        assertEq(incentive.length, 3);
        for (uint256 j = 0; j < 3; ++j) assertEq(incentive[j], 0);

        // One member, inactive: no voter, no rank.
        x = _emptyRoot(1, 3);
        x.stake[0] = 1e18;
        x.lastUpdate[0] = 1;
        x.presence[0] = 7;
        x.words[0] = 1 | (2 << 16) | (3 << 32);
        incentive = RootEpoch.incentive(x);
        for (uint256 j = 0; j < 3; ++j) assertEq(incentive[j], 0);
    }

    /// @dev Weights of 1 : 3 from a single member are the subnets' incentive 1/4 : 3/4 (in I32F32,
    /// truncated at each division).
    function test_incentive_singleMemberFollowsItsWeights() public pure {
        RootEpoch.Input memory x = _emptyRoot(1, 2);
        x.stake[0] = 1e18;
        x.lastUpdate[0] = NOW;
        x.presence[0] = 3;
        x.words[0] = 21_845 | (65_535 << 16);
        int256[] memory incentive = RootEpoch.incentive(x);
        assertApproxEqAbs(incentive[0], 2 ** 30, 2);
        assertApproxEqAbs(incentive[1], 3 * 2 ** 30, 2);
    }

    function test_incentive_rejectsBadShapes() public {
        RootEpoch.Input memory x = _emptyRoot(2, 20);
        x.words = new uint256[](3);
        vm.expectRevert(abi.encodeWithSelector(RootEpoch.RootInputShapeMismatch.selector, 2, 2, 2, 3));
        this.incentiveOf(x);

        x = _emptyRoot(1, 257);
        vm.expectRevert(abi.encodeWithSelector(RootEpoch.TooManyColumns.selector, 257, 256));
        this.incentiveOf(x);

        x = _emptyRoot(1, 2);
        x.kappaU16 = 65_536;
        vm.expectRevert(abi.encodeWithSelector(RootEpoch.KappaAboveU16.selector, 65_536));
        this.incentiveOf(x);
    }

    function incentiveOf(RootEpoch.Input memory x) external pure returns (int256[] memory) {
        return RootEpoch.incentive(x);
    }

    // ------------------------------------------------------------------------------------------

    function _check(uint256 seed, uint256 members, uint256 columns) internal pure {
        RootEpoch.Input memory x = _randomRoot(seed, members, columns);
        (YumaEpoch.Params memory p, YumaEpoch.Input memory whole) = _wholeEpoch(x);
        int256[] memory expected = YumaEpoch.runIncentive(p, whole);
        int256[] memory got = RootEpoch.incentive(x);
        assertEq(got.length, columns);
        for (uint256 j = 0; j < columns; ++j) {
            assertEq(got[j], expected[j], "subnet incentive");
        }
        for (uint256 j = columns; j < columns + members; ++j) {
            assertEq(expected[j], 0, "member column");
        }
    }

    function _emptyRoot(uint256 members, uint256 columns) internal pure returns (RootEpoch.Input memory x) {
        x.columns = columns;
        x.stake = new uint256[](members);
        x.lastUpdate = new uint256[](members);
        x.words = new uint256[](members * ((columns + 15) / 16));
        x.presence = new uint256[](members);
        x.activityCutoff = CUTOFF;
        x.currentBlock = NOW;
        x.kappaU16 = KAPPA;
    }

    function _randomRoot(
        uint256 seed,
        uint256 members,
        uint256 columns
    ) internal pure returns (RootEpoch.Input memory x) {
        x = _emptyRoot(members, columns);
        uint256 rowWords = (columns + 15) / 16;
        // One epoch in four runs before the cutoff has passed since block 0, where a member last
        // updated at block 0 is active but outdated against every subnet column.
        uint256 current = (seed >> 24) % 4 == 0 ? CUTOFF / 2 : NOW;
        x.currentBlock = current;
        // A small alphabet makes equal weights (and so ties in the median) common.
        bool fewValues = (seed >> 16) % 2 == 0;
        for (uint256 r = 0; r < members; ++r) {
            uint256 h = uint256(keccak256(abi.encode(seed, r)));
            uint256 kind = h % 16;
            x.stake[r] = kind == 0 ? 0 : (h >> 8) % (uint256(1) << (4 + ((h >> 80) % 56)));
            // Mostly active; some last updated at block 0 or 1, past the cutoff, or exactly at it.
            if (kind == 1) x.lastUpdate[r] = 0;
            else if (kind == 2) x.lastUpdate[r] = 1;
            else if (kind == 4) x.lastUpdate[r] = current > CUTOFF ? current - CUTOFF - 1 : 1;
            else if (kind == 5) x.lastUpdate[r] = current >= CUTOFF ? current - CUTOFF : 1;
            else x.lastUpdate[r] = current - ((h >> 96) % (current < CUTOFF ? current : CUTOFF));
            uint256 density = (h >> 112) % 4; // 0: empty row, else 1/3, 2/3, all
            for (uint256 j = 0; j < columns; ++j) {
                uint256 c = uint256(keccak256(abi.encode(h, j)));
                if (density == 0 || (density < 3 && c % 3 >= density)) continue;
                uint256 value = kind == 3 ? 0 : (fewValues ? ((c >> 8) % 4) * 21_845 : (c >> 8) % 65_536);
                x.presence[r] |= uint256(1) << j;
                x.words[r * rowWords + j / 16] |= value << ((j % 16) * 16);
            }
        }
    }

    /// @dev The root's full Yuma layout for `x`, as the root network laid it out before `RootEpoch`.
    function _wholeEpoch(
        RootEpoch.Input memory x
    ) internal pure returns (YumaEpoch.Params memory p, YumaEpoch.Input memory input) {
        uint256 columns = x.columns;
        uint256 members = x.stake.length;
        uint256 n = columns + members;
        uint256 rowWords = (columns + 15) / 16;
        p.kappaU16 = x.kappaU16;
        p.bondsPenaltyU16 = 65_535;
        p.bondsMovingAverage = 900_000;
        p.yuma3 = true;
        p.maxAllowedValidators = 64;
        p.activityCutoff = x.activityCutoff;
        p.currentBlock = x.currentBlock;
        input.n = n;
        input.stake = new uint256[](n);
        input.lastUpdate = new uint256[](n);
        input.blockAtRegistration = new uint256[](n);
        input.permit = new bool[](n);
        input.rowUids = new uint256[](members);
        input.weights = new int256[][](members);
        input.bonds = new int256[][](members);
        for (uint256 r = 0; r < members; ++r) {
            uint256 uid = columns + r;
            input.stake[uid] = x.stake[r];
            input.lastUpdate[uid] = x.lastUpdate[r];
            input.permit[uid] = true;
            input.rowUids[r] = uid;
            int256[] memory row = new int256[](n);
            int256[] memory bonds = new int256[](n);
            for (uint256 j = 0; j < n; ++j) {
                row[j] = -1;
                bonds[j] = -1;
                if (j < columns && (x.presence[r] >> j) & 1 == 1) {
                    row[j] = int256((x.words[r * rowWords + j / 16] >> ((j % 16) * 16)) & 0xffff);
                }
            }
            input.weights[r] = row;
            input.bonds[r] = bonds;
        }
    }
}
