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

/// @dev A logged bonds segment's commitment (`IYumaSettlement.bondRowCommitments`): the first 20 bytes
/// of its hash, the other 12 zero.
function bondSegmentCommitment(uint256[17] memory words) pure returns (bytes32) {
    return segmentHash(words) & ~bytes32(uint256(type(uint96).max));
}

/// @title WeightRowsMirror
/// @notice The tests' keeper side of the weights rows: `Weights` keeps only each row's hashes, so a
/// settlement takes the rows as calldata, rebuilt from their `WeightsSet` logs. The tests record the
/// logs of every weights submission (`_watchWeights` before it, `_syncWeightRows` after), keep the last
/// row of each (subnet, UID) as the logs give it, and build `settle`'s `weightRows` from them as the
/// TypeScript keeper does (`workers/shared/weight-rows.ts`). A row the mirror lacks fails the test
/// here, not with the settlement's `WeightRowMismatch`. The same for the bonds rows that a settlement
/// run in one transaction logs (`IYumaSettlement.BondsSet`): settle through `_settleMirrored` (or
/// record and sync around the call), read bonds with `_bondsOf`.
abstract contract WeightRowsMirror is CommonBase {
    uint256 private constant SEGMENT_WORDS = 17;

    struct MirroredRow {
        uint256[] valueWords;
        uint256[] presenceWords;
    }

    mapping(uint256 netuid => mapping(uint256 uid => MirroredRow)) private _mirroredRows;
    /// @dev The last `BondsSet` words of each (subnet, UID).
    mapping(uint256 netuid => mapping(uint256 uid => uint256[])) private _mirroredBonds;

    /// @dev Starts recording logs (a weights submission follows), after keeping the bonds rows of the
    /// logs recorded so far (restarting the recording drops them).
    function _watchWeights() internal {
        _mirrorLogs(vm.getRecordedLogs(), address(0));
        vm.recordLogs();
    }

    /// @dev Keeps the rows of the `WeightsSet` logs of `weights` and of every `BondsSet` log recorded
    /// since `_watchWeights`.
    function _syncWeightRows(address weights) internal {
        _mirrorLogs(vm.getRecordedLogs(), weights);
    }

    /// @dev Keeps the rows of `logs` (see `_syncWeightRows`).
    function _mirrorLogs(Vm.Log[] memory logs, address weights) internal {
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.topics.length == 3 && log.topics[0] == IYumaSettlement.BondsSet.selector) {
                _mirroredBonds[uint256(log.topics[1])][uint256(log.topics[2])] = abi.decode(log.data, (uint256[]));
            }
            if (log.emitter != weights || log.topics[0] != IWeightsEvents.WeightsSet.selector) continue;
            (uint256[] memory valueWords, uint256[] memory presenceWords, , ) = abi.decode(
                log.data,
                (uint256[], uint256[], uint32, uint64)
            );
            _mirroredRows[uint256(log.topics[1])][uint256(log.topics[2])] = MirroredRow(valueWords, presenceWords);
        }
    }

    /// @dev `yuma.settle(netuid, rows)`, keeping the bonds rows it logs.
    function _settleMirrored(IYumaSettlement yuma, uint256 netuid, bytes memory rows) internal returns (uint256) {
        vm.recordLogs();
        uint256 minted = yuma.settle(netuid, rows);
        _syncWeightRows(address(0));
        return minted;
    }

    /// @dev `yuma.settleWithHints(netuid, hints, rows)`, keeping the bonds rows it logs.
    function _settleWithHintsMirrored(
        IYumaSettlement yuma,
        uint256 netuid,
        bytes memory hints,
        bytes memory rows
    ) internal returns (uint256 minted) {
        vm.recordLogs();
        minted = yuma.settleWithHints(netuid, hints, rows);
        _syncWeightRows(address(0));
    }

    /// @dev `yuma.bondsOf(netuid, uid)`, or for a logged row the mirrored one (as long: the subnet's
    /// UID count when no run is open).
    function _bondsOf(IYumaSettlement yuma, uint256 netuid, uint256 uid) internal view returns (uint16[] memory bonds) {
        try yuma.bondsOf(netuid, uid) returns (uint16[] memory stored) {
            return stored;
        } catch (bytes memory reason) {
            require(bytes4(reason) == IYumaSettlement.BondsInLog.selector, "WeightRowsMirror: bondsOf failed");
        }
        (, uint256 n, ) = yuma.weightRowUids(netuid);
        uint256[] memory one = new uint256[](1);
        one[0] = uid;
        (uint256[] memory meta, ) = yuma.bondRowCommitments(netuid, one, 0, 0);
        uint256 length = (meta[0] >> 64) & type(uint32).max;
        uint256[] storage words = _mirroredBonds[netuid][uid];
        bonds = new uint16[](n);
        for (uint256 column = 0; column < n && column < length; ++column) {
            uint256 segment = column >> 8;
            uint256 word = words[segment * SEGMENT_WORDS + ((column >> 4) & 15)];
            uint256 presence = words[segment * SEGMENT_WORDS + 16];
            if ((presence >> (column & 0xff)) & 1 == 1) bonds[column] = uint16(word >> ((column & 15) * 16));
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
        (uint256[] memory bondMeta, bytes32[] memory bondHashes) = yuma.bondRowCommitments(netuid, uids, first, count);
        uint256 logged;
        for (uint256 r = 0; r < uids.length; ++r) {
            if (bondMeta[r] >> 96 != 0) ++logged;
        }
        rows = new bytes(32 + (uids.length + logged) * count * SEGMENT_WORDS * 32);
        uint256 header = first | (logged << 128);
        assembly ("memory-safe") {
            mstore(add(rows, 0x20), header)
        }
        _appendWeightRows(rows, weights, netuid, uids, first, count);
        _appendBondRows(rows, netuid, uids, bondMeta, bondHashes, first, count);
    }

    /// @dev Writes the weights rows' segments after the header word of `rows`, checked against their
    /// stored hashes.
    function _appendWeightRows(
        bytes memory rows,
        IWeights weights,
        uint256 netuid,
        uint256[] memory uids,
        uint256 first,
        uint256 count
    ) private view {
        (, bytes32[] memory hashes) = weights.rowCommitments(netuid, uids, first, count);
        for (uint256 r = 0; r < uids.length; ++r) {
            MirroredRow storage row = _mirroredRows[netuid][uids[r]];
            for (uint256 i = 0; i < count; ++i) {
                bytes32 stored = hashes[r * count + i];
                if (stored == bytes32(0)) continue; // all zero
                uint256[SEGMENT_WORDS] memory words = _segment(row, first + i);
                _put(rows, 64 + (r * count + i) * SEGMENT_WORDS * 32, words);
                require(
                    segmentHash(words) == stored,
                    "WeightRowsMirror: a weights row was written without _syncWeightRows"
                );
            }
        }
    }

    /// @dev Writes the logged bonds rows' segments after the weights rows in `rows`, checked against
    /// their stored hashes.
    function _appendBondRows(
        bytes memory rows,
        uint256 netuid,
        uint256[] memory uids,
        uint256[] memory bondMeta,
        bytes32[] memory bondHashes,
        uint256 first,
        uint256 count
    ) private view {
        uint256 at = 64 + uids.length * count * SEGMENT_WORDS * 32;
        for (uint256 r = 0; r < uids.length; ++r) {
            if (bondMeta[r] >> 96 == 0) continue;
            uint256[] storage words = _mirroredBonds[netuid][uids[r]];
            require(
                words.length >= (first + count) * SEGMENT_WORDS || bondHashes[r * count + count - 1] == bytes32(0),
                "WeightRowsMirror: a bonds row was logged without _syncWeightRows"
            );
            for (uint256 i = 0; i < count; ++i) {
                uint256[SEGMENT_WORDS] memory segment;
                if (bondHashes[r * count + i] != bytes32(0)) {
                    for (uint256 j = 0; j < SEGMENT_WORDS; ++j) {
                        segment[j] = words[(first + i) * SEGMENT_WORDS + j];
                    }
                    require(
                        bondSegmentCommitment(segment) == bondHashes[r * count + i],
                        "WeightRowsMirror: a bonds row was logged without _syncWeightRows"
                    );
                }
                _put(rows, at, segment);
                at += SEGMENT_WORDS * 32;
            }
        }
    }

    /// @dev Copies a segment's words into `rows` at byte `at` (counting the length word).
    function _put(bytes memory rows, uint256 at, uint256[SEGMENT_WORDS] memory words) private pure {
        for (uint256 j = 0; j < SEGMENT_WORDS; ++j) {
            uint256 word = words[j];
            assembly ("memory-safe") {
                mstore(add(rows, add(at, shl(5, j))), word)
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
