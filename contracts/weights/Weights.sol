// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IFaultProof} from "../interfaces/IFaultProof.sol";
import {INeuronRegistry} from "../interfaces/INeuronRegistry.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ISubnetRegistry, ISubnetRegistryTypes} from "../interfaces/ISubnetRegistry.sol";
import {IWeights} from "../interfaces/IWeights.sol";
import {WeightsMath} from "../libraries/WeightsMath.sol";

/// @title Weights
/// @notice Weight vectors of validators, by direct submission or commit-reveal, and each subnet's
/// epoch clock. Also the proof contract of the "missed reveal" objective fault.
/// @dev Storage per row: a meta word (write block, length), `ceil(n/16)` value words (u16 per column,
/// column `16w + k` at bits `16k..16k+15` of word `w`) and `ceil(n/256)` presence words. A row written
/// by a previous holder of the UID (written before the UID's registration block) is stale and the
/// settlement ignores it; so is a last-update block older than the registration.
contract Weights is IWeights, IFaultProof, AccessManaged {
    /// @notice Unrevealed commits a hotkey may have pending per subnet.
    uint256 public constant MAX_PENDING_COMMITS = 4;

    ISubnetRegistry private immutable _subnets;
    INeuronRegistry private immutable _neurons;
    IStaking private immutable _staking;

    struct RowMeta {
        uint64 writtenAtBlock;
        uint32 length;
    }

    mapping(uint256 netuid => mapping(uint256 uid => RowMeta)) private _rowMeta;
    mapping(uint256 netuid => mapping(uint256 uid => mapping(uint256 word => uint256))) private _rowWords;
    mapping(uint256 netuid => mapping(uint256 uid => mapping(uint256 word => uint256))) private _rowPresence;
    /// @dev Four u64 last-update blocks per word.
    mapping(uint256 netuid => mapping(uint256 word => uint256)) private _lastUpdate;
    mapping(uint256 netuid => EpochClock) private _clocks;
    mapping(uint256 netuid => mapping(address hotkey => WeightCommit[])) private _commits;
    mapping(bytes32 faultId => bool) private _missed;

    constructor(address authority, address subnets_, address neurons_, address staking_) AccessManaged(authority) {
        _subnets = ISubnetRegistry(subnets_);
        _neurons = INeuronRegistry(neurons_);
        _staking = IStaking(staking_);
    }

    // ------------------------------------------------------------------------------------------
    // Submission
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IWeights
    function setWeights(uint256 netuid, uint16[] calldata uids, uint16[] calldata values, uint64 versionKey) external {
        ISubnetRegistryTypes.Hyperparameters memory h = _checkSubnet(netuid);
        require(!h.commitRevealEnabled, CommitRevealEnabled(netuid));
        _applyWeights(netuid, h, msg.sender, uids, values, versionKey, true);
    }

    /// @inheritdoc IWeights
    function commitWeights(uint256 netuid, bytes32 commitHash) external {
        ISubnetRegistryTypes.Hyperparameters memory h = _checkSubnet(netuid);
        require(h.commitRevealEnabled, CommitRevealDisabled(netuid));
        require(commitHash != bytes32(0), EmptyCommit());
        uint256 uid = _uidOf(netuid, msg.sender);
        _checkRateLimit(netuid, uid, h.weightsRateLimit);
        uint64 epoch = _currentEpoch(netuid, h.tempo);
        WeightCommit[] storage queue = _commits[netuid][msg.sender];
        _dropExpired(netuid, msg.sender, queue, epoch, h.revealPeriod);
        require(queue.length < MAX_PENDING_COMMITS, TooManyPendingCommits(netuid, msg.sender, MAX_PENDING_COMMITS));
        queue.push(WeightCommit(commitHash, epoch, uint64(block.number)));
        _setLastUpdate(netuid, uid, uint64(block.number));
        emit WeightsCommitted(netuid, msg.sender, uid, commitHash, epoch, uint64(block.number));
    }

    /// @inheritdoc IWeights
    function revealWeights(
        uint256 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) external {
        _reveal(netuid, uids, values, salt, versionKey);
    }

    /// @inheritdoc IWeights
    function batchRevealWeights(Reveal[] calldata reveals) external {
        for (uint256 i = 0; i < reveals.length; ++i) {
            Reveal calldata r = reveals[i];
            _reveal(r.netuid, r.uids, r.values, r.salt, r.versionKey);
        }
    }

    function _reveal(
        uint256 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) private {
        ISubnetRegistryTypes.Hyperparameters memory h = _checkSubnet(netuid);
        require(h.commitRevealEnabled, CommitRevealDisabled(netuid));
        bytes32 commitHash = _commitHash(netuid, msg.sender, uids, values, salt, versionKey);
        uint64 commitEpoch = _consumeCommit(netuid, msg.sender, commitHash, h.tempo, h.revealPeriod);
        emit WeightsRevealed(netuid, msg.sender, _uidOf(netuid, msg.sender), commitHash, commitEpoch);
        _applyWeights(netuid, h, msg.sender, uids, values, versionKey, false);
    }

    /// @dev Finds the commit, checks the reveal epoch, and drops it with every earlier queued commit
    /// (subtensor drops those as superseded). Returns the commit's epoch.
    function _consumeCommit(
        uint256 netuid,
        address hotkey,
        bytes32 commitHash,
        uint256 tempo,
        uint256 revealPeriod
    ) private returns (uint64 commitEpoch) {
        WeightCommit[] storage queue = _commits[netuid][hotkey];
        uint256 n = queue.length;
        uint256 found = type(uint256).max;
        for (uint256 i = 0; i < n; ++i) {
            if (queue[i].commitHash == commitHash) {
                found = i;
                break;
            }
        }
        require(found != type(uint256).max, CommitNotFound(netuid, hotkey, commitHash));
        commitEpoch = queue[found].epoch;
        uint64 current = _currentEpoch(netuid, tempo);
        uint256 revealEpoch = uint256(commitEpoch) + revealPeriod;
        require(current >= revealEpoch, RevealTooEarly(commitEpoch, revealEpoch, current));
        require(current == revealEpoch, RevealExpired(commitEpoch, revealEpoch, current));
        for (uint256 i = 0; i < found; ++i) {
            emit CommitDropped(netuid, hotkey, queue[i].commitHash, queue[i].epoch, false);
        }
        _removePrefix(queue, found + 1);
    }

    /// @dev subtensor's `internal_set_weights`, in its order of checks (which decides the error).
    /// `direct` submissions are rate limited and update the last-update block; reveals do neither.
    function _applyWeights(
        uint256 netuid,
        ISubnetRegistryTypes.Hyperparameters memory h,
        address hotkey,
        uint16[] calldata uids,
        uint16[] calldata values,
        uint64 versionKey,
        bool direct
    ) private {
        (uint256 n, uint256 uid) = _checkSender(netuid, h, hotkey, uids, values, versionKey, direct);
        bool selfWeight = uids.length == 1 && uids[0] == uid;
        require(selfWeight || _neurons.hasValidatorPermit(netuid, uid), NoValidatorPermit(netuid, uid));
        uint256[] memory presence = _checkColumns(uids, n);
        if (!selfWeight) _checkCount(values.length, h.minAllowedWeights, n);
        uint16[] memory stored = WeightsMath.maxUpscaleU16(values);
        if (!selfWeight) _checkMaxWeight(stored, h.maxWeightLimit);
        if (direct) _setLastUpdate(netuid, uid, uint64(block.number));
        _storeRow(netuid, uid, hotkey, n, uids, stored, presence);
    }

    /// @dev Checks 2 to 9 of `internal_set_weights`: lengths, registration, stake, version, rate.
    function _checkSender(
        uint256 netuid,
        ISubnetRegistryTypes.Hyperparameters memory h,
        address hotkey,
        uint16[] calldata uids,
        uint16[] calldata values,
        uint64 versionKey,
        bool direct
    ) private view returns (uint256 n, uint256 uid) {
        require(uids.length == values.length, LengthMismatch(uids.length, values.length));
        n = _neurons.neuronCount(netuid);
        require(uids.length <= n, TooManyWeights(uids.length, n));
        uid = _uidOf(netuid, hotkey);
        uint256 stake = _staking.totalStake(hotkey);
        require(stake >= h.stakeThreshold, StakeBelowThreshold(stake, h.stakeThreshold));
        require(
            h.weightsVersionKey == 0 || versionKey >= h.weightsVersionKey,
            IncorrectVersionKey(versionKey, h.weightsVersionKey)
        );
        if (direct) _checkRateLimit(netuid, uid, h.weightsRateLimit);
    }

    /// @dev subtensor's `check_rate_limit`: `rateLimit` blocks since the last update in this tenure.
    function _checkRateLimit(uint256 netuid, uint256 uid, uint256 rateLimit) private view {
        uint256 last = _effectiveLastUpdate(netuid, uid);
        if (last != 0) {
            uint256 next = last + rateLimit;
            require(block.number >= next, SettingWeightsTooFast(netuid, uid, next));
        }
    }

    function _checkCount(uint256 count, uint256 minAllowed, uint256 n) private pure {
        uint256 minimum = minAllowed < n ? minAllowed : n;
        require(count >= minimum, TooFewWeights(count, minimum));
    }

    function _checkMaxWeight(uint16[] memory stored, uint256 limit) private pure {
        if (limit == type(uint16).max) return;
        (bool within, uint256 maxU16) = WeightsMath.maxWeightWithin(stored, limit);
        require(within, MaxWeightExceeded(maxU16, limit));
    }

    /// @dev No duplicate column, every column a UID; returns the presence bitmap of the row.
    function _checkColumns(uint16[] calldata uids, uint256 n) private pure returns (uint256[] memory presence) {
        presence = new uint256[]((n + 255) / 256);
        uint256 count = uids.length;
        bool duplicate;
        uint256 outOfRange = type(uint256).max;
        uint256 column;
        // Hot loops in assembly: a calldata uint16[] holds one ABI word per value (the decoder has
        // not validated them, so the range check below is what bounds them); `presence` has
        // ceil(n/256) words, and only columns below n touch it. subtensor's order: duplicates first,
        // then out-of-range UIDs.
        assembly ("memory-safe") {
            let base := add(presence, 0x20)
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                column := calldataload(add(uids.offset, shl(5, i)))
                if lt(column, n) {
                    let slot := add(base, shl(5, shr(8, column)))
                    let bit := shl(and(column, 0xff), 1)
                    let word := mload(slot)
                    if and(word, bit) {
                        duplicate := 1
                        break
                    }
                    mstore(slot, or(word, bit))
                }
            }
            if iszero(duplicate) {
                for {
                    let i := 0
                } lt(i, count) {
                    i := add(i, 1)
                } {
                    let c := calldataload(add(uids.offset, shl(5, i)))
                    if iszero(lt(c, n)) {
                        outOfRange := c
                        break
                    }
                }
            }
        }
        if (duplicate) revert DuplicateUid(column);
        if (outOfRange != type(uint256).max) revert UidOutOfRange(outOfRange, n);
    }

    function _storeRow(
        uint256 netuid,
        uint256 uid,
        address hotkey,
        uint256 n,
        uint16[] calldata uids,
        uint16[] memory stored,
        uint256[] memory presence
    ) private {
        // Every word of the row is written, so columns the new row omits are cleared.
        uint256 wordCount = (n + 15) / 16;
        uint256[] memory words = new uint256[](wordCount);
        uint256 count = uids.length;
        // Every column is below n (checked before) and `stored` has `count` entries: build the
        // packed words in assembly.
        assembly ("memory-safe") {
            let wordsBase := add(words, 0x20)
            let storedBase := add(stored, 0x20)
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                let column := calldataload(add(uids.offset, shl(5, i)))
                let slot := add(wordsBase, shl(5, shr(4, column)))
                let value := mload(add(storedBase, shl(5, i)))
                mstore(slot, or(mload(slot), shl(shl(4, and(column, 15)), value)))
            }
        }
        mapping(uint256 => uint256) storage rowWords = _rowWords[netuid][uid];
        for (uint256 w = 0; w < wordCount; ++w) {
            rowWords[w] = words[w];
        }
        mapping(uint256 => uint256) storage rowPresence = _rowPresence[netuid][uid];
        for (uint256 p = 0; p < presence.length; ++p) {
            rowPresence[p] = presence[p];
        }
        _rowMeta[netuid][uid] = RowMeta(uint64(block.number), uint32(n));
        emit WeightsSet(netuid, uid, hotkey, words, presence, uint64(block.number));
    }

    // ------------------------------------------------------------------------------------------
    // Epoch clock (settlement)
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IWeights
    function advanceEpoch(uint256 netuid) external restricted {
        EpochClock storage clock = _clocks[netuid];
        clock.epochIndex += 1;
        clock.lastEpochBlock = uint64(block.number);
        emit EpochAdvanced(netuid, clock.epochIndex, uint64(block.number));
    }

    /// @inheritdoc IWeights
    function setSettling(uint256 netuid, bool settling) external restricted {
        _clocks[netuid].settling = settling;
        emit SettlingSet(netuid, settling);
    }

    // ------------------------------------------------------------------------------------------
    // Missed reveals (objective fault)
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IFaultProof
    /// @dev Evidence: `abi.encode(netuid, hotkey, commitHash, commitEpoch)`. A fault when that commit
    /// expired unrevealed: it is still pending past its reveal epoch, or it was dropped as expired.
    function verifyFault(bytes calldata evidence) external view returns (address hotkey, bytes32 faultId) {
        uint256 netuid;
        bytes32 commitHash;
        uint64 commitEpoch;
        (netuid, hotkey, commitHash, commitEpoch) = abi.decode(evidence, (uint256, address, bytes32, uint64));
        faultId = _faultId(netuid, hotkey, commitHash, commitEpoch);
        if (_missed[faultId]) return (hotkey, faultId);
        uint256 revealPeriod = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.RevealPeriod);
        uint256 tempo = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.Tempo);
        uint64 current = _currentEpoch(netuid, tempo);
        WeightCommit[] storage queue = _commits[netuid][hotkey];
        for (uint256 i = 0; i < queue.length; ++i) {
            if (
                queue[i].commitHash == commitHash &&
                queue[i].epoch == commitEpoch &&
                current > uint256(commitEpoch) + revealPeriod
            ) return (hotkey, faultId);
        }
        revert NotAMissedReveal(netuid, hotkey, commitHash, commitEpoch);
    }

    function _faultId(
        uint256 netuid,
        address hotkey,
        bytes32 commitHash,
        uint64 commitEpoch
    ) private pure returns (bytes32) {
        return keccak256(abi.encode("taonet.missed-reveal", netuid, hotkey, commitHash, commitEpoch));
    }

    /// @dev Moves expired commits out of the queue, remembering them as missed reveals.
    function _dropExpired(
        uint256 netuid,
        address hotkey,
        WeightCommit[] storage queue,
        uint64 current,
        uint256 revealPeriod
    ) private {
        uint256 n = queue.length;
        uint256 expired;
        while (expired < n && current > uint256(queue[expired].epoch) + revealPeriod) {
            WeightCommit memory c = queue[expired];
            _missed[_faultId(netuid, hotkey, c.commitHash, c.epoch)] = true;
            emit CommitDropped(netuid, hotkey, c.commitHash, c.epoch, true);
            ++expired;
        }
        if (expired != 0) _removePrefix(queue, expired);
    }

    function _removePrefix(WeightCommit[] storage queue, uint256 count) private {
        uint256 n = queue.length;
        for (uint256 i = count; i < n; ++i) {
            queue[i - count] = queue[i];
        }
        for (uint256 i = 0; i < count; ++i) {
            queue.pop();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    function _checkSubnet(uint256 netuid) private view returns (ISubnetRegistryTypes.Hyperparameters memory) {
        require(netuid != 0, RootWeightsNotSupported());
        require(_subnets.isActive(netuid), UnknownSubnet(netuid));
        require(!_clocks[netuid].settling, SubnetSettling(netuid));
        return _subnets.hyperparameters(netuid);
    }

    function _uidOf(uint256 netuid, address hotkey) private view returns (uint256) {
        (bool registered, uint256 uid) = _neurons.uidOf(netuid, hotkey);
        require(registered, HotkeyNotRegistered(netuid, hotkey));
        return uid;
    }

    function _currentEpoch(uint256 netuid, uint256 tempo) private view returns (uint64) {
        EpochClock storage clock = _clocks[netuid];
        uint256 last = clock.lastEpochBlock;
        if (last == 0) last = _subnets.subnet(netuid).createdAtBlock;
        return block.number >= last + tempo ? clock.epochIndex + 1 : clock.epochIndex;
    }

    function _effectiveLastUpdate(uint256 netuid, uint256 uid) private view returns (uint256) {
        uint256 stored = uint64(_lastUpdate[netuid][uid >> 2] >> ((uid & 3) * 64));
        return stored >= _neurons.blockAtRegistration(netuid, uid) ? stored : 0;
    }

    function _setLastUpdate(uint256 netuid, uint256 uid, uint64 blockNumber) private {
        uint256 shift = (uid & 3) * 64;
        uint256 word = _lastUpdate[netuid][uid >> 2];
        _lastUpdate[netuid][uid >> 2] =
            (word & ~(uint256(type(uint64).max) << shift)) | (uint256(blockNumber) << shift);
    }

    function _commitHash(
        uint256 netuid,
        address hotkey,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) private view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), netuid, hotkey, uids, values, salt, versionKey));
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IWeights
    function commitHashOf(
        uint256 netuid,
        address hotkey,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) external view returns (bytes32) {
        return _commitHash(netuid, hotkey, uids, values, salt, versionKey);
    }

    /// @inheritdoc IWeights
    function pendingCommits(uint256 netuid, address hotkey) external view returns (WeightCommit[] memory) {
        return _commits[netuid][hotkey];
    }

    /// @inheritdoc IWeights
    function earliestActiveCommitBlock(uint256 netuid, address hotkey) external view returns (uint256) {
        uint256 revealPeriod = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.RevealPeriod);
        uint256 tempo = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.Tempo);
        uint64 current = _currentEpoch(netuid, tempo);
        WeightCommit[] storage queue = _commits[netuid][hotkey];
        for (uint256 i = 0; i < queue.length; ++i) {
            // The queue is in commit order: the first unexpired one is the earliest.
            if (current <= uint256(queue[i].epoch) + revealPeriod) return queue[i].blockNumber;
        }
        return type(uint256).max;
    }

    /// @inheritdoc IWeights
    function epochClock(uint256 netuid) external view returns (EpochClock memory) {
        return _clocks[netuid];
    }

    /// @inheritdoc IWeights
    function currentEpoch(uint256 netuid) external view returns (uint64) {
        return _currentEpoch(netuid, _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.Tempo));
    }

    /// @inheritdoc IWeights
    function lastUpdate(uint256 netuid, uint256 uid) external view returns (uint64) {
        return uint64(_lastUpdate[netuid][uid >> 2] >> ((uid & 3) * 64));
    }

    /// @inheritdoc IWeights
    function packedRow(
        uint256 netuid,
        uint256 uid
    ) public view returns (uint256[] memory words, uint256[] memory presence, uint64 writtenAtBlock, uint32 length) {
        RowMeta memory meta = _rowMeta[netuid][uid];
        words = new uint256[]((uint256(meta.length) + 15) / 16);
        presence = new uint256[]((uint256(meta.length) + 255) / 256);
        for (uint256 w = 0; w < words.length; ++w) {
            words[w] = _rowWords[netuid][uid][w];
        }
        for (uint256 p = 0; p < presence.length; ++p) {
            presence[p] = _rowPresence[netuid][uid][p];
        }
        return (words, presence, meta.writtenAtBlock, meta.length);
    }

    /// @inheritdoc IWeights
    function packedRows(
        uint256 netuid,
        uint256[] calldata uids,
        uint256 firstWord,
        uint256 wordCount
    )
        external
        view
        returns (uint256[] memory words, uint256[] memory presence, uint64[] memory writtenAt, uint32[] memory lengths)
    {
        uint256 rows = uids.length;
        words = new uint256[](rows * wordCount);
        presence = new uint256[](rows * wordCount);
        writtenAt = new uint64[](rows);
        lengths = new uint32[](rows);
        for (uint256 r = 0; r < rows; ++r) {
            RowMeta memory meta = _rowMeta[netuid][uids[r]];
            writtenAt[r] = meta.writtenAtBlock;
            lengths[r] = meta.length;
            uint256 stored = (uint256(meta.length) + 15) / 16;
            uint256 end = firstWord + wordCount < stored ? firstWord + wordCount : stored;
            _copySlice(netuid, uids[r], firstWord, end, r * wordCount, words, presence);
        }
    }

    /// @dev Copies words `firstWord .. end` of a row into `words` and their 16-bit presence masks into
    /// `presence`, from index `at`.
    function _copySlice(
        uint256 netuid,
        uint256 uid,
        uint256 firstWord,
        uint256 end,
        uint256 at,
        uint256[] memory words,
        uint256[] memory presence
    ) private view {
        mapping(uint256 => uint256) storage rowWords = _rowWords[netuid][uid];
        mapping(uint256 => uint256) storage rowPresence = _rowPresence[netuid][uid];
        uint256 presenceIndex = type(uint256).max;
        uint256 presenceWord;
        for (uint256 word = firstWord; word < end; ++word) {
            if (word >> 4 != presenceIndex) {
                presenceIndex = word >> 4;
                presenceWord = rowPresence[presenceIndex];
            }
            words[at] = rowWords[word];
            presence[at] = (presenceWord >> ((word & 15) * 16)) & 0xffff;
            ++at;
        }
    }

    /// @inheritdoc IWeights
    function weightsOf(
        uint256 netuid,
        uint256 uid
    ) external view returns (uint16[] memory valuesU16, bool[] memory present, uint64 writtenAtBlock) {
        (uint256[] memory words, uint256[] memory presence, uint64 written, uint32 length) = packedRow(netuid, uid);
        valuesU16 = new uint16[](length);
        present = new bool[](length);
        for (uint256 c = 0; c < length; ++c) {
            valuesU16[c] = uint16(words[c >> 4] >> ((c & 15) * 16));
            present[c] = (presence[c >> 8] >> (c & 0xff)) & 1 == 1;
        }
        writtenAtBlock = written;
    }
}
