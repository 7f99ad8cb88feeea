// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {Vm} from "forge-std/Vm.sol";
import {IWeights, IWeightsEvents} from "../../../contracts/interfaces/IWeights.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";

/// @dev keccak256 of a segment's 17 words, as `Weights` hashes it.
function segmentHash(uint256[17] memory words) pure returns (bytes32) {
    return keccak256(abi.encodePacked(words));
}

/// @title WeightRowsMirror
/// @notice The tests' keeper side of the weights rows: `Weights` keeps only each row's hashes, so a
/// settlement takes the rows as calldata, rebuilt from their `WeightsSet` logs. The tests record the
/// logs of every weights submission (`_watchWeights` before it, `_syncWeightRows` after), keep the last
/// row of each (subnet, UID) as the logs give it, and build `settle`'s `weightRows` from them as the
/// TypeScript keeper does (`workers/shared/weight-rows.ts`). A row the mirror lacks fails the test
/// here, not with the settlement's `WeightRowMismatch`.
abstract contract WeightRowsMirror is CommonBase {
    uint256 private constant SEGMENT_WORDS = 17;

    struct MirroredRow {
        uint256[] valueWords;
        uint256[] presenceWords;
    }

    mapping(uint256 netuid => mapping(uint256 uid => MirroredRow)) private _mirroredRows;

    /// @dev Starts recording logs (a weights submission follows).
    function _watchWeights() internal {
        vm.recordLogs();
    }

    /// @dev Keeps the rows of the `WeightsSet` logs recorded since `_watchWeights`.
    function _syncWeightRows(address weights) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.emitter != weights || log.topics[0] != IWeightsEvents.WeightsSet.selector) continue;
            (uint256[] memory valueWords, uint256[] memory presenceWords, , ) = abi.decode(
                log.data,
                (uint256[], uint256[], uint32, uint64)
            );
            _mirroredRows[uint256(log.topics[1])][uint256(log.topics[2])] = MirroredRow(valueWords, presenceWords);
        }
    }

    /// @dev `settle`'s `weightRows` for `netuid`'s run (open, or as it would open now), every segment.
    function _weightRows(IYumaSettlement yuma, IWeights weights, uint256 netuid) internal view returns (bytes memory) {
        (, uint256 n, ) = yuma.weightRowUids(netuid);
        return _weightRows(yuma, weights, netuid, 0, (n + 255) / 256);
    }

    /// @dev `settle`'s `weightRows` for `netuid`'s run with segments `first .. first + count - 1`.
    function _weightRows(
        IYumaSettlement yuma,
        IWeights weights,
        uint256 netuid,
        uint256 first,
        uint256 count
    ) internal view returns (bytes memory rows) {
        (uint256[] memory uids, , ) = yuma.weightRowUids(netuid);
        (, bytes32[] memory hashes) = weights.rowCommitments(netuid, uids, first, count);
        rows = new bytes(32 + uids.length * count * SEGMENT_WORDS * 32);
        assembly ("memory-safe") {
            mstore(add(rows, 0x20), first)
        }
        for (uint256 r = 0; r < uids.length; ++r) {
            MirroredRow storage row = _mirroredRows[netuid][uids[r]];
            for (uint256 i = 0; i < count; ++i) {
                bytes32 stored = hashes[r * count + i];
                if (stored == bytes32(0)) continue; // all zero
                uint256[SEGMENT_WORDS] memory words = _segment(row, first + i);
                uint256 at = 64 + (r * count + i) * SEGMENT_WORDS * 32;
                for (uint256 j = 0; j < SEGMENT_WORDS; ++j) {
                    uint256 word = words[j];
                    assembly ("memory-safe") {
                        mstore(add(rows, add(at, shl(5, j))), word)
                    }
                }
                bytes32 hash = segmentHash(words);
                require(hash == stored, "WeightRowsMirror: a weights row was written without _syncWeightRows");
            }
        }
    }

    /// @dev Segment `s` of a mirrored row as `Weights` hashes it: its 16 value words (0 past the row's
    /// end), then its presence word.
    function _segment(MirroredRow storage row, uint256 s) private view returns (uint256[SEGMENT_WORDS] memory words) {
        for (uint256 j = 0; j < 16; ++j) {
            uint256 w = 16 * s + j;
            if (w < row.valueWords.length) words[j] = row.valueWords[w];
        }
        if (s < row.presenceWords.length) words[16] = row.presenceWords[s];
    }

    /// @dev The row of `uid` as its last `WeightsSet` log gave it, checked against what `Weights`
    /// stored: every segment of the row's length hashes to its stored hash. Empty arrays for a row
    /// never written. `meta` is the row's meta word (`rowCommitments`).
    function _loggedRow(
        IWeights weights,
        uint256 netuid,
        uint256 uid
    ) internal view returns (uint256[] memory valueWords, uint256[] memory presenceWords, uint256 meta) {
        uint256[] memory one = new uint256[](1);
        one[0] = uid;
        (uint256[] memory metas, ) = weights.rowCommitments(netuid, one, 0, 0);
        meta = metas[0];
        uint256 segments = (((meta >> 64) & type(uint32).max) + 255) / 256;
        (, bytes32[] memory hashes) = weights.rowCommitments(netuid, one, 0, segments);
        MirroredRow storage row = _mirroredRows[netuid][uid];
        if (uint64(meta) == 0) return (valueWords, presenceWords, meta);
        for (uint256 s = 0; s < segments; ++s) {
            require(
                segmentHash(_segment(row, s)) == hashes[s],
                "WeightRowsMirror: the logged row is not the stored one"
            );
        }
        return (row.valueWords, row.presenceWords, meta);
    }
}
