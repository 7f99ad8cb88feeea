// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWeightsErrors} from "../../../contracts/interfaces/IWeights.sol";
import {segmentHash} from "../settlement/WeightRowsMirror.sol";
import {WeightsTest} from "./WeightsTest.sol";

/// @title WeightsFuzzTest
/// @notice Random rows through every entry point: what is logged and committed is the reference
/// max-upscale of what was sent, whichever entry point sent it; `rowCommitments` holds each row's
/// write block, length, sum and own value and the hashes of its logged segments; the commit hash of
/// the packed form is the one of the arrays; and a commit left unrevealed is a provable fault exactly
/// when its reveal epoch has passed.
contract WeightsFuzzTest is WeightsTest {
    function setUp() public override {
        super.setUp();
        // Rows of any size, the empty one included.
        _setHyperparameter(netuid, Hyperparameter.MinAllowedWeights, 0);
    }

    /// @dev A random row of at most `n` entries: distinct UIDs below `n` in random order (or in
    /// order, half the time, which takes the contract's dense path when they are 0..count-1), values
    /// anywhere in u16 with a good share of zeros and of small maxima.
    function _randomRow(uint256 seed, uint256 n) internal pure returns (uint16[] memory uids, uint16[] memory values) {
        uint256 count = _bound(uint256(keccak256(abi.encode(seed, "count"))), 0, n);
        uint16[] memory all = _allUids(n);
        bool shuffled = uint256(keccak256(abi.encode(seed, "order"))) % 2 == 0;
        bool prefix = uint256(keccak256(abi.encode(seed, "prefix"))) % 2 == 0;
        if (shuffled || !prefix) {
            for (uint256 i = n; i > 1; --i) {
                uint256 j = uint256(keccak256(abi.encode(seed, "swap", i))) % i;
                (all[i - 1], all[j]) = (all[j], all[i - 1]);
            }
        }
        uids = new uint16[](count);
        for (uint256 i = 0; i < count; ++i) {
            uids[i] = all[i];
        }
        if (!shuffled) _sort(uids);
        uint256 scale = uint256(keccak256(abi.encode(seed, "scale"))) % 4; // max near 65535, 32768, 255 or 1
        uint256 top = [uint256(65_535), 32_768, 255, 1][scale];
        values = new uint16[](count);
        for (uint256 i = 0; i < count; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, "value", i)));
            values[i] = r % 5 == 0 ? 0 : uint16(r % (top + 1));
        }
    }

    function _sort(uint16[] memory list) internal pure {
        for (uint256 i = 1; i < list.length; ++i) {
            uint16 x = list[i];
            uint256 j = i;
            while (j > 0 && list[j - 1] > x) {
                list[j] = list[j - 1];
                --j;
            }
            list[j] = x;
        }
    }

    function _assertSameRow(uint256 uidA, uint256 uidB) internal {
        (uint256[] memory wordsA, uint256[] memory presenceA, uint64 atA, uint32 lengthA) = _packedRow(netuid, uidA);
        (uint256[] memory wordsB, uint256[] memory presenceB, uint64 atB, uint32 lengthB) = _packedRow(netuid, uidB);
        assertEq(wordsA, wordsB, "value words");
        assertEq(presenceA, presenceB, "presence words");
        assertEq(atA, atB, "written at");
        assertEq(lengthA, lengthB, "length");
    }

    function testFuzz_setWeights_arrayAndPackedEntryPointsStoreTheSameRow(uint256 seed) public {
        (uint16[] memory uids, uint16[] memory values) = _randomRow(seed, N);
        _set(false, _validator(0), uids, values, 0);
        _set(true, _validator(1), uids, values, 0);
        _assertRow(_validator(0), uids, values);
        _assertSameRow(0, 1);
    }

    function testFuzz_setWeights_entryOrderDoesNotMatter(uint256 seed) public {
        (uint16[] memory uids, uint16[] memory values) = _randomRow(seed, N);
        // The same entries sorted by UID (the dense path when they are 0..count-1).
        uint16[] memory sortedUids = new uint16[](uids.length);
        uint16[] memory sortedValues = new uint16[](uids.length);
        uint256 k;
        for (uint256 c = 0; c < N; ++c) {
            for (uint256 i = 0; i < uids.length; ++i) {
                if (uids[i] == c) (sortedUids[k], sortedValues[k++]) = (uids[i], values[i]);
            }
        }
        _set(true, _validator(0), uids, values, 0);
        _set(true, _validator(1), sortedUids, sortedValues, 0);
        _assertSameRow(0, 1);
    }

    /// @dev Rows that list 0..count-1 in order but one UID (anywhere: a full word of entries or the
    /// last, partial one) replaced by `count`: not dense, so the general decode stores them, by UID.
    /// The row's largest value sits at a random entry, in any lane of the dense path's running
    /// maximum, and decides the upscale.
    function testFuzz_setWeights_almostDenseRowsAndTheMaximumAnywhere(
        uint256 count,
        uint256 position,
        uint256 peak,
        uint256 seed,
        bool breakOrder
    ) public {
        count = _bound(count, 1, N - 1);
        position = _bound(position, 0, count - 1);
        peak = _bound(peak, 0, count - 1);
        uint16[] memory uids = _allUids(count);
        if (breakOrder) uids[position] = uint16(count);
        uint16[] memory values = new uint16[](count);
        uint256 top = _bound(seed, 1, 65_535);
        for (uint256 i = 0; i < count; ++i) {
            values[i] = uint16(uint256(keccak256(abi.encode(seed, i))) % top);
        }
        values[peak] = uint16(top);
        _set(true, _validator(0), uids, values, 0);
        _assertRow(_validator(0), uids, values);
    }

    /// @dev A 300-UID subnet: rows span two presence words and two segments, and the dense path crosses
    /// into the second; each segment's hash covers its own words, zero past the row's end.
    function test_wideRows_spanSeveralPresenceWords() public {
        uint256 wide = _createSubnet(otherOwner);
        _openRegistrations(wide);
        vm.prank(otherOwner);
        subnets.setHyperparameter(wide, Hyperparameter.MaxAllowedUids, 512);
        vm.prank(otherOwner);
        subnets.setHyperparameter(wide, Hyperparameter.CommitRevealEnabled, 0);
        for (uint256 u = 0; u < VALIDATORS; ++u) {
            _register(wide, alice, hotkeys[u]);
        }
        _registerMany(wide, alice, 296);
        _grantPermits(wide, 2);
        uint256 n = neurons.neuronCount(wide);
        assertEq(n, 300);

        uint16[] memory dense = _allUids(270);
        uint16[] memory values = _ramp(270);
        vm.prank(hotkeys[0]);
        weights.setWeightsPacked(wide, _pack(dense, values), 0);
        // The same entries in reverse order take the general path.
        uint16[] memory reversedUids = new uint16[](270);
        uint16[] memory reversedValues = new uint16[](270);
        for (uint256 i = 0; i < 270; ++i) {
            (reversedUids[i], reversedValues[i]) = (dense[269 - i], values[269 - i]);
        }
        vm.prank(hotkeys[1]);
        weights.setWeights(wide, reversedUids, reversedValues, 0);

        (uint256[] memory wordsA, uint256[] memory presenceA, , uint32 lengthA) = _packedRow(wide, 0);
        (uint256[] memory wordsB, uint256[] memory presenceB, , ) = _packedRow(wide, 1);
        assertEq(lengthA, 300);
        assertEq(wordsA.length, 19);
        assertEq(presenceA.length, 2);
        assertEq(wordsA, wordsB);
        assertEq(presenceA, presenceB);
        assertEq(presenceA[0], type(uint256).max);
        assertEq(presenceA[1], (uint256(1) << 14) - 1);
        (uint16[] memory expected, ) = _expectedRow(dense, values, n);
        (uint16[] memory stored, bool[] memory present, ) = _storedRow(wide, 0);
        for (uint256 c = 0; c < n; ++c) {
            assertEq(stored[c], expected[c]);
            assertEq(present[c], c < 270);
        }

        _assertWideRange(wide, wordsA);
    }

    /// @dev Both rows' hashes: segment 0 is words 0..15 and presence word 0, segment 1 words 16..18,
    /// thirteen zero words and presence word 1, and a third segment (past the rows' 300 columns) has none.
    function _assertWideRange(uint256 wide, uint256[] memory stored) internal view {
        uint256[] memory rows = new uint256[](2);
        (rows[0], rows[1]) = (0, 1);
        (, bytes32[] memory hashes) = weights.rowCommitments(wide, rows, 0, 3);
        uint256[17] memory first;
        uint256[17] memory second;
        for (uint256 j = 0; j < 16; ++j) {
            first[j] = stored[j];
            if (16 + j < 19) second[j] = stored[16 + j];
        }
        first[16] = type(uint256).max;
        second[16] = (uint256(1) << 14) - 1;
        for (uint256 r = 0; r < 2; ++r) {
            assertEq(hashes[3 * r], segmentHash(first), "segment 0");
            assertEq(hashes[3 * r + 1], segmentHash(second), "segment 1");
            assertEq(hashes[3 * r + 2], bytes32(0), "no segment 2");
        }
    }

    function testFuzz_setWeights_overwriteLeavesOnlyTheNewRow(uint256 seedA, uint256 seedB) public {
        (uint16[] memory uidsA, uint16[] memory valuesA) = _randomRow(seedA, N);
        (uint16[] memory uidsB, uint16[] memory valuesB) = _randomRow(seedB, N);
        _set(seedA % 2 == 0, _validator(0), uidsA, valuesA, 0);
        _roll(1);
        _set(seedB % 2 == 0, _validator(0), uidsB, valuesB, 0);
        _assertRow(_validator(0), uidsB, valuesB);
    }

    function testFuzz_reveal_roundTripsThroughEitherEntryPoint(uint256 seed, bool packedReveal) public {
        _enableCommitReveal();
        (uint16[] memory uids, uint16[] memory values) = _randomRow(seed, N);
        bytes32 salt = keccak256(abi.encode(seed));
        _commit(_validator(2), uids, values, salt);
        _advanceEpoch(netuid);
        _reveal(packedReveal, _validator(2), uids, values, salt, 0);
        _assertRow(_validator(2), uids, values);
    }

    function testFuzz_commitHashOfPacked_equalsTheArrayHash(
        uint256 netuid_,
        address hotkey,
        uint16[] memory uids,
        uint256 valueSeed,
        bytes32 salt,
        uint64 versionKey
    ) public view {
        vm.assume(uids.length <= 300);
        uint16[] memory values = new uint16[](uids.length);
        for (uint256 i = 0; i < values.length; ++i) {
            values[i] = uint16(uint256(keccak256(abi.encode(valueSeed, i))));
        }
        bytes32 expected = _hashOf(netuid_, hotkey, uids, values, salt, versionKey);
        assertEq(weights.commitHashOf(netuid_, hotkey, uids, values, salt, versionKey), expected);
        assertEq(weights.commitHashOfPacked(netuid_, hotkey, _pack(uids, values), salt, versionKey), expected);
    }

    /// @notice `rowCommitments` gives each row's write block, length, the sum of its values and its
    /// value on its own column, and the hash of each segment of its logged row (none past its length),
    /// whatever the row was before (an overwrite clears what it omits), for rows in any order and a
    /// UID without a row.
    function testFuzz_rowCommitments_commitToTheLoggedRows(uint256 seed, uint256 seedBefore, uint256 segments) public {
        segments = _bound(segments, 0, 3);
        for (uint256 v = 0; v < VALIDATORS; ++v) {
            (uint16[] memory uids, uint16[] memory values) = _randomRow(
                uint256(keccak256(abi.encode(seedBefore, v))),
                N
            );
            _set(v % 2 == 0, _validator(v), uids, values, 0);
        }
        _roll(1);
        for (uint256 v = 0; v < VALIDATORS; v += 2) {
            (uint16[] memory uids, uint16[] memory values) = _randomRow(uint256(keccak256(abi.encode(seed, v))), N);
            _set(v % 4 == 0, _validator(v), uids, values, 0);
        }
        uint256[] memory rows = new uint256[](VALIDATORS + 1);
        for (uint256 r = 0; r < rows.length; ++r) {
            rows[r] = rows.length - 1 - r; // reverse order, and a UID with no row
        }
        (uint256[] memory meta, bytes32[] memory hashes) = weights.rowCommitments(netuid, rows, 0, segments);
        assertEq(meta.length, rows.length);
        assertEq(hashes.length, rows.length * segments);
        for (uint256 r = 0; r < rows.length; ++r) {
            (uint256[] memory words, uint256[] memory presence, uint64 writtenAt, uint32 length) = _packedRow(
                netuid,
                rows[r]
            );
            (uint16[] memory stored, , ) = _storedRow(netuid, rows[r]);
            uint256 sum;
            for (uint256 c = 0; c < stored.length; ++c) {
                sum += stored[c];
            }
            assertEq(meta[r] & type(uint64).max, writtenAt, "write block");
            assertEq((meta[r] >> 64) & type(uint32).max, length, "length");
            assertEq((meta[r] >> 96) & type(uint32).max, sum, "sum");
            assertEq(meta[r] >> 128, rows[r] < stored.length ? stored[rows[r]] : 0, "own value");
            for (uint256 s = 0; s < segments; ++s) {
                bytes32 expected;
                if (s * 256 < length) {
                    uint256[17] memory segment;
                    for (uint256 j = 0; j < 16; ++j) {
                        if (16 * s + j < words.length) segment[j] = words[16 * s + j];
                    }
                    segment[16] = presence[s];
                    expected = segmentHash(segment);
                }
                assertEq(hashes[r * segments + s], expected, "segment hash");
            }
        }
    }

    /// @dev A commit left unrevealed is a fault once its reveal epoch is over, whether it still sits
    /// in the queue or a later commit pushed it out as expired; never before, never once revealed.
    function testFuzz_verifyFault_provesExactlyTheMissedReveals(
        uint8 epochsLater,
        bool pushedOut,
        bool revealed
    ) public {
        _enableCommitReveal();
        uint256 skipped = _bound(epochsLater, 0, 4);
        uint16[] memory uids = _u16s(1, 2);
        uint16[] memory values = _u16s(5, 6);
        (bytes32 commitHash, uint64 epoch) = _commit(_validator(0), uids, values, SALT);
        bytes memory evidence = abi.encode(netuid, _validator(0), commitHash, epoch);
        for (uint256 i = 0; i < skipped; ++i) {
            _advanceEpoch(netuid);
            if (revealed && i == 0) _reveal(true, _validator(0), uids, values, SALT, 0);
        }
        if (pushedOut) _commit(_validator(0), uids, values, keccak256("later"));
        bool missed = skipped >= 2 && !(revealed && skipped >= 1);
        if (missed) {
            (address hotkey, bytes32 faultId) = weights.verifyFault(evidence);
            assertEq(hotkey, _validator(0));
            assertEq(faultId, keccak256(abi.encode("taonet.missed-reveal", netuid, _validator(0), commitHash, epoch)));
            // The Slashing contract punishes it once.
            uint256 stakeBefore = staking.totalStake(_validator(0));
            vm.prank(reporter);
            slashing.reportFault(address(weights), evidence);
            assertLt(staking.totalStake(_validator(0)), stakeBefore);
            vm.prank(reporter);
            vm.expectRevert();
            slashing.reportFault(address(weights), evidence);
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IWeightsErrors.NotAMissedReveal.selector,
                    netuid,
                    _validator(0),
                    commitHash,
                    epoch
                )
            );
            weights.verifyFault(evidence);
        }
    }
}
