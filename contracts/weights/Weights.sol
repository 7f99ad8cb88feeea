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
/// @dev Every entry point (`uint16[]` arrays or packed bytes) turns its input into packed entries
/// (4 bytes each: UID then value, big-endian u16) and runs one implementation: `_scan` decodes the
/// entries in one pass (commit hash buffer, presence bitmap, packed row, maximum), `_apply` runs
/// subtensor's checks in subtensor's order and stores the row.
///
/// Storage per row, at `base = keccak256(abi.encode(ROW_SEED, netuid, uid))`: a meta word at `base`
/// (write block in bits 0..63, length `n` in bits 64..95, the sum of the row's values in bits 96..127,
/// which the settlement's row normalisation starts from, and the row's value on its own column in bits
/// 128..143) and, at `base + 1 + s`, the keccak256 of segment `s` (columns `256s .. 256s + 255`: the 16
/// value words of those columns, u16 per column, column `16w + k` of word `w` at bits `16k..16k+15`,
/// then the presence word, bit `c` marking column `256s + c`; words past the row's end are 0). The
/// values themselves are only logged (`WeightsSet`): a row costs two slots, not `ceil(n/16) +
/// ceil(n/256) + 1`, and the settlement takes the rows as calldata checked against the hashes
/// (`rowCommitments`). Hashes past a shorter row's segments are left as they were and never read. A
/// row written by a previous holder of the UID (written before the UID's registration block) is stale
/// and the settlement ignores it; so is a last-update block older than the registration.
contract Weights is IWeights, IFaultProof, AccessManaged {
    /// @notice Unrevealed commits a hotkey may have pending per subnet.
    uint256 public constant MAX_PENDING_COMMITS = 4;

    uint256 private constant ROW_SEED = uint256(keccak256("taonet.weights.row"));
    /// @dev A segment of a row: 16 value words and a presence word (256 columns).
    uint256 private constant SEGMENT_BYTES = 17 * 32;
    /// @dev Eight packed entries fill a word, entry k at bits `224 - 32k .. 255 - 32k` (UID in the top
    /// half): the UID halves, 1 in each UID half, and UIDs 0..7.
    uint256 private constant DENSE_MASK = 0xffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000;
    uint256 private constant DENSE_ONES = 0x0001000000010000000100000001000000010000000100000001000000010000;
    uint256 private constant DENSE_UIDS = 0x0000000000010000000200000003000000040000000500000006000000070000;
    /// @dev The value halves of a word of eight packed entries; 1 in each 32-bit lane; bit 16 of each.
    uint256 private constant VALUE_LANES = 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff;
    uint256 private constant LANE_ONES = 0x0000000100000001000000010000000100000001000000010000000100000001;
    uint256 private constant LANE_BIT16 = 0x0001000000010000000100000001000000010000000100000001000000010000;

    ISubnetRegistry private immutable _subnets;
    INeuronRegistry private immutable _neurons;
    IStaking private immutable _staking;

    /// @dev A ring of pending commits, oldest at `head`. Slots outside the ring keep their old
    /// contents, and `used` keeps the header word nonzero once a commit was made: a later commit
    /// rewrites them at the price of a changed slot (5,000 gas), not a new one (22,100).
    struct CommitQueue {
        uint64 head;
        uint64 count;
        bool used;
        WeightCommit[MAX_PENDING_COMMITS] entries;
    }

    /// @dev A submission decoded against the subnet's size `n` in one pass. `bad` records a
    /// duplicate or out-of-range UID; which error it is, in subtensor's order, is worked out only
    /// when the submission reaches that check (`_revertColumns`).
    struct Scan {
        uint256 netuid;
        uint256 n;
        uint256 count;
        uint256 firstUid;
        uint256 maxValue;
        bool bad;
        bool registered;
        uint256 uid;
        bool permit;
        bytes32 commitHash;
        bytes entries;
        uint256[] words;
        uint256[] presence;
    }

    /// @dev Four u64 last-update blocks per word.
    mapping(uint256 netuid => mapping(uint256 word => uint256)) private _lastUpdate;
    mapping(uint256 netuid => EpochClock) private _clocks;
    mapping(uint256 netuid => mapping(address hotkey => CommitQueue)) private _queues;
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
        _setWeights(_checkDirect(netuid), netuid, _packArrays(uids, values), versionKey);
    }

    /// @inheritdoc IWeights
    function setWeightsPacked(uint256 netuid, bytes calldata entries, uint64 versionKey) external {
        _setWeights(_checkDirect(netuid), netuid, entries, versionKey);
    }

    /// @inheritdoc IWeights
    function commitWeights(uint256 netuid, bytes32 commitHash) external {
        ISubnetRegistryTypes.SubmissionParameters memory p = _checkCommitReveal(netuid);
        require(commitHash != bytes32(0), EmptyCommit());
        uint256 uid = _uidOf(netuid, msg.sender);
        _checkRateLimit(netuid, uid, p.weightsRateLimit);
        uint64 epoch = _currentEpoch(netuid, p.tempo);
        CommitQueue storage queue = _queues[netuid][msg.sender];
        uint256 revealPeriod = p.revealPeriod;
        (uint256 head, uint256 count) = _dropExpired(netuid, msg.sender, queue, epoch, revealPeriod);
        require(count < MAX_PENDING_COMMITS, TooManyPendingCommits(netuid, msg.sender, MAX_PENDING_COMMITS));
        queue.entries[(head + count) % MAX_PENDING_COMMITS] = WeightCommit(commitHash, epoch, uint64(block.number));
        // head < 4 and count <= 4: both fit.
        (queue.head, queue.count, queue.used) = (uint64(head), uint64(count + 1), true);
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
        _reveal(_checkCommitReveal(netuid), netuid, _packArrays(uids, values), salt, versionKey);
    }

    /// @inheritdoc IWeights
    function revealWeightsPacked(uint256 netuid, bytes calldata entries, bytes32 salt, uint64 versionKey) external {
        _reveal(_checkCommitReveal(netuid), netuid, entries, salt, versionKey);
    }

    /// @inheritdoc IWeights
    function batchRevealWeights(Reveal[] calldata reveals) external {
        for (uint256 i = 0; i < reveals.length; ++i) {
            Reveal calldata r = reveals[i];
            _reveal(_checkCommitReveal(r.netuid), r.netuid, _packArrays(r.uids, r.values), r.salt, r.versionKey);
        }
    }

    /// @inheritdoc IWeights
    function batchRevealWeightsPacked(PackedReveal[] calldata reveals) external {
        for (uint256 i = 0; i < reveals.length; ++i) {
            PackedReveal calldata r = reveals[i];
            _reveal(_checkCommitReveal(r.netuid), r.netuid, r.entries, r.salt, r.versionKey);
        }
    }

    function _setWeights(
        ISubnetRegistryTypes.SubmissionParameters memory p,
        uint256 netuid,
        bytes memory entries,
        uint64 versionKey
    ) private {
        Scan memory s = _scanSubmission(netuid, entries, bytes32(0), 0, false);
        _apply(s, p, versionKey, true);
    }

    /// @dev The commit is looked up (and its epoch checked) before the checks of `internal_set_weights`,
    /// as subtensor's `do_reveal_weights` does; the sender's UID is fetched with the subnet's size
    /// (`_scanSubmission`) and checked by `_apply`.
    function _reveal(
        ISubnetRegistryTypes.SubmissionParameters memory p,
        uint256 netuid,
        bytes memory entries,
        bytes32 salt,
        uint64 versionKey
    ) private {
        Scan memory s = _scanSubmission(netuid, entries, salt, versionKey, true);
        uint64 commitEpoch = _consumeCommit(netuid, msg.sender, s.commitHash, p);
        (uint256 uid, bool stored) = _apply(s, p, versionKey, false);
        emit WeightsRevealed(netuid, msg.sender, uid, s.commitHash, commitEpoch, stored);
    }

    /// @dev Finds the commit, checks the reveal epoch, and drops it with every earlier queued commit
    /// (subtensor drops those as superseded; an earlier one already past its reveal epoch is
    /// remembered as a missed reveal, as `_dropExpired` would have). Returns the commit's epoch.
    function _consumeCommit(
        uint256 netuid,
        address hotkey,
        bytes32 commitHash,
        ISubnetRegistryTypes.SubmissionParameters memory p
    ) private returns (uint64 commitEpoch) {
        CommitQueue storage queue = _queues[netuid][hotkey];
        (uint256 head, uint256 count) = (queue.head, queue.count);
        uint256 found = type(uint256).max;
        for (uint256 i = 0; i < count; ++i) {
            if (queue.entries[(head + i) % MAX_PENDING_COMMITS].commitHash == commitHash) {
                found = i;
                break;
            }
        }
        require(found != type(uint256).max, CommitNotFound(netuid, hotkey, commitHash));
        commitEpoch = queue.entries[(head + found) % MAX_PENDING_COMMITS].epoch;
        uint64 current = _currentEpoch(netuid, p.tempo);
        uint256 revealPeriod = p.revealPeriod;
        uint256 revealEpoch = uint256(commitEpoch) + revealPeriod;
        require(current >= revealEpoch, RevealTooEarly(commitEpoch, revealEpoch, current));
        require(current == revealEpoch, RevealExpired(commitEpoch, revealEpoch, current));
        if (found != 0) _dropSuperseded(netuid, hotkey, queue, head, found, current, revealPeriod);
        // found < count <= 4: both fit. An emptied queue restarts at entry 0, so the usual commit,
        // reveal, commit, ... cycle keeps rewriting the same two slots.
        count -= found + 1;
        (queue.head, queue.count) = (count == 0 ? 0 : uint64((head + found + 1) % MAX_PENDING_COMMITS), uint64(count));
    }

    /// @dev The `count` commits from `head` on are dropped by a later one's reveal.
    function _dropSuperseded(
        uint256 netuid,
        address hotkey,
        CommitQueue storage queue,
        uint256 head,
        uint256 count,
        uint64 current,
        uint256 revealPeriod
    ) private {
        for (uint256 i = 0; i < count; ++i) {
            WeightCommit memory c = queue.entries[(head + i) % MAX_PENDING_COMMITS];
            bool expired = current > uint256(c.epoch) + revealPeriod;
            if (expired) _missed[_faultId(netuid, hotkey, c.commitHash, c.epoch)] = true;
            emit CommitDropped(netuid, hotkey, c.commitHash, c.epoch, expired);
        }
    }

    /// @dev subtensor's `internal_set_weights` from check 4 on, in its order of checks (which decides
    /// the error). `direct` submissions are rate limited and update the last-update block; reveals
    /// do neither. Returns the sender's UID and whether the row was stored: a reveal by a hotkey
    /// without a validator permit (lost at a settlement since its commit, say) honours the commit, so
    /// that it is no missed reveal to slash, and drops the weights, which subtensor refuses and the
    /// epoch would mask; a direct submission without one reverts.
    function _apply(
        Scan memory s,
        ISubnetRegistryTypes.SubmissionParameters memory p,
        uint64 versionKey,
        bool direct
    ) private returns (uint256 uid, bool stored) {
        uint256 netuid = s.netuid;
        require(s.count <= s.n, TooManyWeights(s.count, s.n));
        require(s.registered, HotkeyNotRegistered(netuid, msg.sender));
        uid = s.uid;
        uint256 threshold = p.stakeThreshold;
        if (threshold != 0) {
            // Any stake meets a zero threshold: the call is skipped then.
            uint256 stake = _staking.totalStake(msg.sender);
            require(stake >= threshold, StakeBelowThreshold(stake, threshold));
        }
        uint256 requiredKey = p.weightsVersionKey;
        require(requiredKey == 0 || versionKey >= requiredKey, IncorrectVersionKey(versionKey, uint64(requiredKey)));
        if (direct) {
            _checkRateLimit(netuid, uid, p.weightsRateLimit);
        }
        bool selfWeight = s.count == 1 && s.firstUid == uid;
        if (!selfWeight && !s.permit) {
            require(!direct, NoValidatorPermit(netuid, uid));
            return (uid, false);
        }
        if (s.bad) _revertColumns(s);
        if (!selfWeight) {
            uint256 minAllowed = p.minAllowedWeights;
            uint256 minimum = minAllowed < s.n ? minAllowed : s.n;
            require(s.count >= minimum, TooFewWeights(s.count, minimum));
        }
        WeightsMath.maxUpscaleWords(s.words, s.maxValue);
        if (!selfWeight) _checkMaxWeight(s, p.maxWeightLimit);
        if (direct) _setLastUpdate(netuid, uid, uint64(block.number));
        _storeRow(netuid, uid, s);
        stored = true;
    }

    /// @dev subtensor's `check_rate_limit`: `rateLimit` blocks since the last update in this tenure.
    function _checkRateLimit(uint256 netuid, uint256 uid, uint256 rateLimit) private view {
        uint256 last = _effectiveLastUpdate(netuid, uid);
        if (last != 0) {
            uint256 next = last + rateLimit;
            require(block.number >= next, SettingWeightsTooFast(netuid, uid, next));
        }
    }

    /// @dev `check_vec_max_limited` on the stored (upscaled) row, whose largest value is 65,535
    /// unless the row is all zero.
    function _checkMaxWeight(Scan memory s, uint256 limit) private pure {
        if (limit == type(uint16).max) return;
        uint256 maxU16 = s.maxValue == 0 ? 0 : type(uint16).max;
        require(
            WeightsMath.maxWeightWithin(maxU16, WeightsMath.sumWords(s.words), limit),
            MaxWeightExceeded(maxU16, limit)
        );
    }

    /// @dev `_scan` of the sender's submission, with what the registry says of the sender (one call).
    function _scanSubmission(
        uint256 netuid,
        bytes memory entries,
        bytes32 salt,
        uint64 versionKey,
        bool hashing
    ) private view returns (Scan memory s) {
        (uint256 n, bool registered, uint256 uid, bool permit) = _neurons.submitterOf(netuid, msg.sender);
        s = _scan(netuid, n, entries, hashing ? msg.sender : address(0), salt, versionKey, hashing);
        (s.registered, s.uid, s.permit) = (registered, uid, permit);
    }

    /// @dev Decodes packed entries against the subnet's size `n` in one pass: the presence bitmap and
    /// packed row of the in-range, first-seen columns (raw values, upscaled later), the largest value,
    /// whether any UID is out of range or repeated, and, when `hashing`, the commit hash of
    /// DESIGN.md: `keccak256(abi.encode(chainid, this, netuid, hotkey, uids, values, salt, versionKey))`
    /// with `uids` and `values` as `uint16[]`, whose encoding is built in free memory.
    function _scan(
        uint256 netuid,
        uint256 n,
        bytes memory entries,
        address hotkey,
        bytes32 salt,
        uint64 versionKey,
        bool hashing
    ) private view returns (Scan memory s) {
        require(entries.length % 4 == 0, MalformedEntries(entries.length));
        s.netuid = netuid;
        s.n = n;
        s.count = entries.length / 4;
        s.entries = entries;
        // At least one word each, so `_decode` may park out-of-range columns on column 0.
        s.words = new uint256[](n == 0 ? 1 : (n + 15) / 16);
        s.presence = new uint256[](n == 0 ? 1 : (n + 255) / 256);
        uint256 buffer;
        // Scratch space for the hash preimage (written even when not hashed): nothing is allocated
        // until it is hashed below.
        assembly ("memory-safe") {
            buffer := mload(0x40)
        }
        if (s.count != 0 && s.count <= n && _isDense(entries)) {
            s.maxValue = _decodeDense(entries, s.words, s.presence, buffer);
        } else {
            (s.maxValue, s.bad) = _decode(entries, n, s.words, s.presence, buffer);
        }
        if (hashing) s.commitHash = _hashPreimage(buffer, netuid, hotkey, salt, versionKey, s.count);
        if (s.count != 0) s.firstUid = _entryUid(entries, 0);
    }

    /// @dev Whether the entries list UIDs 0, 1, ..., count - 1 in that order (a validator weighting
    /// every UID), checked eight entries (one word) at a time: the UID halves of word c must equal
    /// `DENSE_UIDS + 8c * DENSE_ONES`. The differences are or-ed together over the full words (no
    /// branch per word; a UID half stays under 2^16 as the caller checks count <= n <= 4096), then the
    /// last, partial word under a mask of its entries.
    function _isDense(bytes memory entries) private pure returns (bool dense) {
        assembly ("memory-safe") {
            let count := shr(2, mload(entries))
            let p := add(entries, 0x20)
            let end := add(p, shl(5, shr(3, count)))
            let expected := DENSE_UIDS
            let eight := shl(3, DENSE_ONES)
            let mask := DENSE_MASK
            let diff := 0
            for {} lt(p, end) {
                p := add(p, 0x20)
            } {
                diff := or(diff, xor(and(mload(p), mask), expected))
                expected := add(expected, eight)
            }
            let left := and(count, 7)
            if left {
                // Only the first `left` entries of the last word count.
                diff := or(diff, and(xor(mload(p), expected), and(mask, not(sub(shl(sub(256, shl(5, left)), 1), 1)))))
            }
            dense := iszero(diff)
        }
    }

    /// @dev `_decode` for entries `_isDense` accepted, with `count <= n`: no UID can repeat or be out
    /// of range, presence is the first `count` bits, and each value word is assembled in a register,
    /// sixteen entries (two words of entries) per unrolled step, then the tail entry by entry. The
    /// largest value is kept eight lanes at a time over the unrolled steps (no compare per entry).
    function _decodeDense(
        bytes memory entries,
        uint256[] memory words,
        uint256[] memory presence,
        uint256 buffer
    ) private pure returns (uint256 maxValue) {
        assembly ("memory-safe") {
            // Lane by lane, the larger of `x` and `y` (32-bit lanes holding values under 2^16): in
            // `(x | 2^16) - y` no lane borrows from the next, and bit 16 of a lane is set where x >= y.
            function laneMax(x, y, bit16, ones) -> r {
                let keep := mul(and(shr(16, sub(or(x, bit16), y)), ones), 0xffff)
                r := or(and(x, keep), and(y, not(keep)))
            }
            // The masks in locals: the optimizer would fetch each use from code (CODECOPY).
            let valueLanes := VALUE_LANES
            let bit16 := LANE_BIT16
            let ones := LANE_ONES
            let count := shr(2, mload(entries))
            let p := add(entries, 0x20)
            let uidsOut := add(buffer, 0x120)
            let valuesOut := add(uidsOut, shl(5, add(count, 1)))
            let wordOut := add(words, 0x20)
            let i := 0
            let lanes := 0
            for {} lt(i, and(count, not(15))) {
                i := add(i, 16)
                p := add(p, 0x40)
                uidsOut := add(uidsOut, 0x200)
                valuesOut := add(valuesOut, 0x200)
                wordOut := add(wordOut, 0x20)
            } {
                let a := mload(p)
                let b := mload(add(p, 0x20))
                // The largest value so far, lane by lane: each entry's value is the low half of its
                // 32-bit lane, so `and` with VALUE_LANES lines up eight values for `_laneMax`.
                lanes := laneMax(lanes, and(a, valueLanes), bit16, ones)
                lanes := laneMax(lanes, and(b, valueLanes), bit16, ones)
                let v := 0
                let word := 0
                v := and(shr(224, a), 0xffff)
                mstore(valuesOut, v)
                mstore(uidsOut, i)
                word := v
                v := and(shr(192, a), 0xffff)
                mstore(add(valuesOut, 0x20), v)
                mstore(add(uidsOut, 0x20), add(i, 1))
                word := or(word, shl(16, v))
                v := and(shr(160, a), 0xffff)
                mstore(add(valuesOut, 0x40), v)
                mstore(add(uidsOut, 0x40), add(i, 2))
                word := or(word, shl(32, v))
                v := and(shr(128, a), 0xffff)
                mstore(add(valuesOut, 0x60), v)
                mstore(add(uidsOut, 0x60), add(i, 3))
                word := or(word, shl(48, v))
                v := and(shr(96, a), 0xffff)
                mstore(add(valuesOut, 0x80), v)
                mstore(add(uidsOut, 0x80), add(i, 4))
                word := or(word, shl(64, v))
                v := and(shr(64, a), 0xffff)
                mstore(add(valuesOut, 0xa0), v)
                mstore(add(uidsOut, 0xa0), add(i, 5))
                word := or(word, shl(80, v))
                v := and(shr(32, a), 0xffff)
                mstore(add(valuesOut, 0xc0), v)
                mstore(add(uidsOut, 0xc0), add(i, 6))
                word := or(word, shl(96, v))
                v := and(a, 0xffff)
                mstore(add(valuesOut, 0xe0), v)
                mstore(add(uidsOut, 0xe0), add(i, 7))
                word := or(word, shl(112, v))
                v := and(shr(224, b), 0xffff)
                mstore(add(valuesOut, 0x100), v)
                mstore(add(uidsOut, 0x100), add(i, 8))
                word := or(word, shl(128, v))
                v := and(shr(192, b), 0xffff)
                mstore(add(valuesOut, 0x120), v)
                mstore(add(uidsOut, 0x120), add(i, 9))
                word := or(word, shl(144, v))
                v := and(shr(160, b), 0xffff)
                mstore(add(valuesOut, 0x140), v)
                mstore(add(uidsOut, 0x140), add(i, 10))
                word := or(word, shl(160, v))
                v := and(shr(128, b), 0xffff)
                mstore(add(valuesOut, 0x160), v)
                mstore(add(uidsOut, 0x160), add(i, 11))
                word := or(word, shl(176, v))
                v := and(shr(96, b), 0xffff)
                mstore(add(valuesOut, 0x180), v)
                mstore(add(uidsOut, 0x180), add(i, 12))
                word := or(word, shl(192, v))
                v := and(shr(64, b), 0xffff)
                mstore(add(valuesOut, 0x1a0), v)
                mstore(add(uidsOut, 0x1a0), add(i, 13))
                word := or(word, shl(208, v))
                v := and(shr(32, b), 0xffff)
                mstore(add(valuesOut, 0x1c0), v)
                mstore(add(uidsOut, 0x1c0), add(i, 14))
                word := or(word, shl(224, v))
                v := and(b, 0xffff)
                mstore(add(valuesOut, 0x1e0), v)
                mstore(add(uidsOut, 0x1e0), add(i, 15))
                word := or(word, shl(240, v))
                mstore(wordOut, word)
            }
            for {
                let shift := 0
            } lt(shift, 256) {
                shift := add(shift, 32)
            } {
                let v := and(shr(shift, lanes), 0xffff)
                if gt(v, maxValue) {
                    maxValue := v
                }
            }
            if lt(i, count) {
                let word := 0
                for {
                    let shift := 0
                } lt(i, count) {
                    i := add(i, 1)
                    shift := add(shift, 16)
                } {
                    let v := shr(240, shl(16, mload(p)))
                    mstore(uidsOut, i)
                    mstore(valuesOut, v)
                    p := add(p, 4)
                    uidsOut := add(uidsOut, 0x20)
                    valuesOut := add(valuesOut, 0x20)
                    if gt(v, maxValue) {
                        maxValue := v
                    }
                    word := or(word, shl(shift, v))
                }
                mstore(wordOut, word)
            }
            let presenceOut := add(presence, 0x20)
            for {} gt(count, 255) {
                count := sub(count, 256)
            } {
                mstore(presenceOut, not(0))
                presenceOut := add(presenceOut, 0x20)
            }
            if count {
                mstore(presenceOut, sub(shl(count, 1), 1))
            }
        }
    }

    /// @dev The pass over the entries. Entry i is the top 4 bytes of the word at `entries + 32 + 4i`
    /// (reading past the end is harmless: the extra bytes are dropped). The UIDs and values are
    /// written where `abi.encode` puts the two `uint16[]` of the commit preimage (UID i at
    /// `buffer + 0x120 + 32i`, value i at `buffer + 0x140 + 32(count + i)`), each column's bit is set
    /// in `presence` and its value or-ed into `words`. Branch-free checks: a column at or above n sets
    /// `bad` and is redirected to column 0 (so it stays inside `presence` and `words`, which hold at
    /// least one word each); a repeated column sets no new bit, so fewer bits than entries means a
    /// duplicate. Either way the row is refused later, so what the pass wrote for it does not matter.
    function _decode(
        bytes memory entries,
        uint256 n,
        uint256[] memory words,
        uint256[] memory presence,
        uint256 buffer
    ) private pure returns (uint256 maxValue, bool bad) {
        assembly ("memory-safe") {
            let count := shr(2, mload(entries))
            let p := add(entries, 0x20)
            let end := add(p, shl(2, count))
            let uidsOut := add(buffer, 0x120)
            let valuesOut := add(uidsOut, shl(5, add(count, 1)))
            let wordsBase := add(words, 0x20)
            let presenceBase := add(presence, 0x20)
            for {} lt(p, end) {
                p := add(p, 4)
            } {
                let x := shr(224, mload(p))
                let uid := shr(16, x)
                x := and(x, 0xffff)
                mstore(uidsOut, uid)
                mstore(valuesOut, x)
                uidsOut := add(uidsOut, 0x20)
                valuesOut := add(valuesOut, 0x20)
                if gt(x, maxValue) {
                    maxValue := x
                }
                let inRange := lt(uid, n)
                bad := or(bad, iszero(inRange))
                uid := mul(uid, inRange)
                let slot := add(presenceBase, shl(5, shr(8, uid)))
                mstore(slot, or(mload(slot), shl(and(uid, 0xff), 1)))
                slot := add(wordsBase, shl(5, shr(4, uid)))
                mstore(slot, or(mload(slot), shl(shl(4, and(uid, 15)), x)))
            }
            if iszero(bad) {
                // Population count of the presence words (SWAR), against the number of entries.
                let bits := 0
                let q := presenceBase
                for {
                    end := add(q, shl(5, mload(presence)))
                } lt(q, end) {
                    q := add(q, 0x20)
                } {
                    let v := mload(q)
                    v := sub(v, and(shr(1, v), 0x5555555555555555555555555555555555555555555555555555555555555555))
                    v := add(
                        and(v, 0x3333333333333333333333333333333333333333333333333333333333333333),
                        and(shr(2, v), 0x3333333333333333333333333333333333333333333333333333333333333333)
                    )
                    v := and(add(v, shr(4, v)), 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f)
                    v := and(add(v, shr(8, v)), 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff)
                    // Each 16-bit lane holds at most 16; the multiply sums the 16 lanes into the top
                    // one (at most 256, no overflow).
                    bits := add(
                        bits,
                        shr(240, mul(v, 0x0001000100010001000100010001000100010001000100010001000100010001))
                    )
                }
                bad := lt(bits, count)
            }
        }
    }

    /// @dev Completes the preimage `_decode` started at `buffer` (the head words and the two array
    /// lengths) and hashes it: `abi.encode(chainid, this, netuid, hotkey, uids, values, salt, versionKey)`.
    function _hashPreimage(
        uint256 buffer,
        uint256 netuid,
        address hotkey,
        bytes32 salt,
        uint64 versionKey,
        uint256 count
    ) private view returns (bytes32 commitHash) {
        assembly ("memory-safe") {
            mstore(buffer, chainid())
            mstore(add(buffer, 0x20), address())
            mstore(add(buffer, 0x40), netuid)
            mstore(add(buffer, 0x60), hotkey)
            mstore(add(buffer, 0x80), 0x100) // offset of uids
            mstore(add(buffer, 0xa0), add(0x120, shl(5, count))) // offset of values
            mstore(add(buffer, 0xc0), salt)
            mstore(add(buffer, 0xe0), versionKey)
            mstore(add(buffer, 0x100), count)
            mstore(add(buffer, add(0x120, shl(5, count))), count)
            commitHash := keccak256(buffer, add(0x140, shl(6, count)))
        }
    }

    /// @dev The error of a row with a repeated or out-of-range UID, in subtensor's order: any
    /// duplicate first (over every UID), then the first UID at or above n.
    function _revertColumns(Scan memory s) private pure {
        uint256[] memory seen = new uint256[](256); // one bit per possible u16 UID
        for (uint256 i = 0; i < s.count; ++i) {
            uint256 uid = _entryUid(s.entries, i);
            uint256 bit = 1 << (uid & 0xff);
            require(seen[uid >> 8] & bit == 0, DuplicateUid(uid));
            seen[uid >> 8] |= bit;
        }
        for (uint256 i = 0; i < s.count; ++i) {
            uint256 uid = _entryUid(s.entries, i);
            require(uid < s.n, UidOutOfRange(uid, s.n));
        }
    }

    function _entryUid(bytes memory entries, uint256 i) private pure returns (uint256 uid) {
        assembly ("memory-safe") {
            uid := shr(240, mload(add(add(entries, 0x20), shl(2, i))))
        }
    }

    /// @dev The packed entries of two `uint16[]` arguments. Their words are read unvalidated, so a
    /// word above 65,535 (possible only with a hand-made encoding) reverts here.
    function _packArrays(uint16[] calldata uids, uint16[] calldata values) private pure returns (bytes memory entries) {
        uint256 count = uids.length;
        require(count == values.length, LengthMismatch(count, values.length));
        entries = new bytes(count * 4);
        uint256 badWord;
        bool bad;
        assembly ("memory-safe") {
            let out := add(entries, 0x20)
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                let u := calldataload(add(uids.offset, shl(5, i)))
                let v := calldataload(add(values.offset, shl(5, i)))
                if gt(or(u, v), 0xffff) {
                    bad := 1
                    badWord := u
                    if lt(u, 0x10000) {
                        badWord := v
                    }
                    break
                }
                // Entries are written in order, so the 28 bytes each store spills past its entry are
                // overwritten by the next one (or lie past the end of `entries`, in free memory).
                mstore(add(out, shl(2, i)), shl(224, or(shl(16, u), v)))
            }
        }
        require(!bad, NotAU16(badWord));
    }

    /// @dev Stores the row's meta word and segment hashes (see the contract's notes) and logs the row.
    function _storeRow(uint256 netuid, uint256 uid, Scan memory s) private {
        uint256 base = _rowBase(netuid, uid);
        uint256[] memory words = s.words;
        uint256[] memory presence = s.presence;
        uint256 n = s.n;
        uint256 meta = block.number | (n << 64);
        assembly ("memory-safe") {
            let p := add(words, 0x20)
            let end := add(p, shl(5, mload(words)))
            // The row's sum: each word's 16-bit lanes added in pairs into eight 32-bit lanes, summed
            // over the words (at most 2^12 words of two values under 2^16 a lane: no lane overflows),
            // then the eight lanes folded once. At most 2^16 values under 2^16: it fits 32 bits.
            let m := 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff
            let acc := 0
            for {} lt(p, end) {
                p := add(p, 0x20)
            } {
                let word := mload(p)
                acc := add(acc, add(and(word, m), and(shr(16, word), m)))
            }
            m := 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff
            acc := add(and(acc, m), and(shr(32, acc), m))
            m := 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff
            acc := add(and(acc, m), and(shr(64, acc), m))
            acc := add(and(acc, 0xffffffffffffffffffffffffffffffff), shr(128, acc))
            meta := or(meta, shl(96, acc))
            // The value on the row's own column, where the row reaches it.
            if lt(uid, n) {
                let word := mload(add(add(words, 0x20), shl(5, shr(4, uid))))
                meta := or(meta, shl(128, and(shr(shl(4, and(uid, 15)), word), 0xffff)))
            }
            sstore(base, meta)
            // Segment hashes: 17 words assembled in free memory (not allocated: scratch), the value
            // words past the row's end left 0.
            let buffer := mload(0x40)
            let wordCount := mload(words)
            let segments := shr(8, add(n, 255))
            for {
                let seg := 0
            } lt(seg, segments) {
                seg := add(seg, 1)
            } {
                let first := shl(4, seg)
                for {
                    let j := 0
                } lt(j, 16) {
                    j := add(j, 1)
                } {
                    let w := add(first, j)
                    let value := 0
                    if lt(w, wordCount) {
                        value := mload(add(add(words, 0x20), shl(5, w)))
                    }
                    mstore(add(buffer, shl(5, j)), value)
                }
                mstore(add(buffer, 0x200), mload(add(add(presence, 0x20), shl(5, seg))))
                sstore(add(base, add(1, seg)), keccak256(buffer, SEGMENT_BYTES))
            }
        }
        emit WeightsSet(netuid, uid, msg.sender, words, presence, uint32(n), uint64(block.number));
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
        (uint256 tempo, uint256 revealPeriod) = _epochParameters(netuid);
        if (_currentEpoch(netuid, tempo) > uint256(commitEpoch) + revealPeriod) {
            CommitQueue storage queue = _queues[netuid][hotkey];
            (uint256 head, uint256 count) = (queue.head, queue.count);
            for (uint256 i = 0; i < count; ++i) {
                WeightCommit storage c = queue.entries[(head + i) % MAX_PENDING_COMMITS];
                if (c.commitHash == commitHash && c.epoch == commitEpoch) return (hotkey, faultId);
            }
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

    /// @dev Moves expired commits out of the queue, remembering them as missed reveals. Returns the
    /// queue's new head and count, which the caller writes back.
    function _dropExpired(
        uint256 netuid,
        address hotkey,
        CommitQueue storage queue,
        uint64 current,
        uint256 revealPeriod
    ) private returns (uint256 head, uint256 count) {
        (head, count) = (queue.head, queue.count);
        while (count != 0) {
            WeightCommit memory c = queue.entries[head];
            if (current <= uint256(c.epoch) + revealPeriod) break;
            _missed[_faultId(netuid, hotkey, c.commitHash, c.epoch)] = true;
            emit CommitDropped(netuid, hotkey, c.commitHash, c.epoch, true);
            head = (head + 1) % MAX_PENDING_COMMITS;
            --count;
        }
        if (count == 0) head = 0;
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    /// @dev Check 1 of `internal_set_weights` and the subnet checks, for a subnet with commit-reveal off.
    function _checkDirect(uint256 netuid) private view returns (ISubnetRegistryTypes.SubmissionParameters memory p) {
        p = _checkSubnet(netuid);
        require(!p.commitRevealEnabled, CommitRevealEnabled(netuid));
    }

    /// @dev The subnet checks, for a subnet with commit-reveal on.
    function _checkCommitReveal(
        uint256 netuid
    ) private view returns (ISubnetRegistryTypes.SubmissionParameters memory p) {
        p = _checkSubnet(netuid);
        require(p.commitRevealEnabled, CommitRevealDisabled(netuid));
    }

    /// @dev The subnet checks, and what a submission reads of the registry, in one call.
    function _checkSubnet(uint256 netuid) private view returns (ISubnetRegistryTypes.SubmissionParameters memory p) {
        require(netuid != 0, RootWeightsNotSupported());
        p = _subnets.submissionParameters(netuid);
        require(p.active, UnknownSubnet(netuid));
        require(!_clocks[netuid].settling, SubnetSettling(netuid));
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

    /// @dev Tempo and reveal period for the views (the settlement's Gather reads the commit window of
    /// every 64 UIDs): two parameters that share a registry slot, rather than the submission's five slots.
    function _epochParameters(uint256 netuid) private view returns (uint256 tempo, uint256 revealPeriod) {
        tempo = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.Tempo);
        revealPeriod = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.RevealPeriod);
    }

    function _effectiveLastUpdate(uint256 netuid, uint256 uid) private view returns (uint256) {
        uint256 stored = _storedLastUpdate(netuid, uid);
        return stored >= _neurons.blockAtRegistration(netuid, uid) ? stored : 0;
    }

    /// @dev The last-update block stored for `uid`, whoever held it then.
    function _storedLastUpdate(uint256 netuid, uint256 uid) private view returns (uint64) {
        return uint64(_lastUpdate[netuid][uid >> 2] >> ((uid & 3) * 64));
    }

    function _setLastUpdate(uint256 netuid, uint256 uid, uint64 blockNumber) private {
        uint256 shift = (uid & 3) * 64;
        uint256 word = _lastUpdate[netuid][uid >> 2];
        _lastUpdate[netuid][uid >> 2] =
            (word & ~(uint256(type(uint64).max) << shift)) | (uint256(blockNumber) << shift);
    }

    function _rowBase(uint256 netuid, uint256 uid) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(ROW_SEED, netuid, uid)));
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
        return keccak256(abi.encode(block.chainid, address(this), netuid, hotkey, uids, values, salt, versionKey));
    }

    /// @inheritdoc IWeights
    function commitHashOfPacked(
        uint256 netuid,
        address hotkey,
        bytes calldata entries,
        bytes32 salt,
        uint64 versionKey
    ) external view returns (bytes32) {
        // With n = 0 the scan only builds the hash (every column counts as out of range).
        return _scan(netuid, 0, entries, hotkey, salt, versionKey, true).commitHash;
    }

    /// @inheritdoc IWeights
    function pendingCommits(uint256 netuid, address hotkey) external view returns (WeightCommit[] memory commits) {
        CommitQueue storage queue = _queues[netuid][hotkey];
        (uint256 head, uint256 count) = (queue.head, queue.count);
        commits = new WeightCommit[](count);
        for (uint256 i = 0; i < count; ++i) {
            commits[i] = queue.entries[(head + i) % MAX_PENDING_COMMITS];
        }
    }

    /// @inheritdoc IWeights
    function earliestActiveCommitBlock(uint256 netuid, address hotkey) external view returns (uint256) {
        (uint64 current, uint256 revealPeriod) = _revealWindow(netuid);
        return _earliestActive(_queues[netuid][hotkey], current, revealPeriod);
    }

    /// @inheritdoc IWeights
    function earliestActiveCommitBlocks(
        uint256 netuid,
        address[] calldata hotkeys
    ) external view returns (uint256[] memory blocks) {
        (uint64 current, uint256 revealPeriod) = _revealWindow(netuid);
        blocks = new uint256[](hotkeys.length);
        for (uint256 i = 0; i < hotkeys.length; ++i) {
            blocks[i] = _earliestActive(_queues[netuid][hotkeys[i]], current, revealPeriod);
        }
    }

    /// @dev The current epoch and the reveal period: a commit of epoch e is revealable until epoch
    /// e + revealPeriod.
    function _revealWindow(uint256 netuid) private view returns (uint64 current, uint256 revealPeriod) {
        uint256 tempo;
        (tempo, revealPeriod) = _epochParameters(netuid);
        current = _currentEpoch(netuid, tempo);
    }

    /// @dev The block of the first commit in `queue` still revealable in epoch `current` or later, or
    /// `type(uint256).max`.
    function _earliestActive(
        CommitQueue storage queue,
        uint64 current,
        uint256 revealPeriod
    ) private view returns (uint256) {
        (uint256 head, uint256 count) = (queue.head, queue.count);
        for (uint256 i = 0; i < count; ++i) {
            // The queue is in commit order: the first unexpired one is the earliest.
            WeightCommit storage c = queue.entries[(head + i) % MAX_PENDING_COMMITS];
            if (current <= uint256(c.epoch) + revealPeriod) return c.blockNumber;
        }
        return type(uint256).max;
    }

    /// @inheritdoc IWeights
    function epochClock(uint256 netuid) external view returns (EpochClock memory) {
        return _clocks[netuid];
    }

    /// @inheritdoc IWeights
    function currentEpoch(uint256 netuid) external view returns (uint64) {
        (uint256 tempo, ) = _epochParameters(netuid);
        return _currentEpoch(netuid, tempo);
    }

    /// @inheritdoc IWeights
    function lastUpdate(uint256 netuid, uint256 uid) external view returns (uint64) {
        return _storedLastUpdate(netuid, uid);
    }

    /// @inheritdoc IWeights
    function lastUpdates(uint256 netuid, uint256 start, uint256 count) external view returns (uint64[] memory updated) {
        updated = new uint64[](count);
        mapping(uint256 => uint256) storage words = _lastUpdate[netuid];
        // In assembly: each word (four UIDs) read once. The Solidity loop (a mapping lookup a UID,
        // checked indexing) cost about 670 gas a UID beyond the cold reads; the settlement's Gather
        // reads every UID through this view each epoch.
        assembly ("memory-safe") {
            let word := 0
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                let uid := add(start, i)
                if or(iszero(i), iszero(and(uid, 3))) {
                    mstore(0x00, shr(2, uid))
                    mstore(0x20, words.slot)
                    word := sload(keccak256(0x00, 0x40))
                }
                // `_storedLastUpdate`: UID u in bits 64 * (u % 4) ..
                mstore(add(add(updated, 0x20), shl(5, i)), and(shr(shl(6, and(uid, 3)), word), 0xffffffffffffffff))
            }
        }
    }

    /// @inheritdoc IWeights
    function rowCommitments(
        uint256 netuid,
        uint256[] calldata uids,
        uint256 firstSegment,
        uint256 count
    ) external view returns (uint256[] memory meta, bytes32[] memory hashes) {
        uint256 rows = uids.length;
        meta = new uint256[](rows);
        hashes = new bytes32[](rows * count);
        uint256 end = firstSegment + count;
        uint256 seed = ROW_SEED;
        assembly ("memory-safe") {
            // Each row's base is keccak256(abi.encode(ROW_SEED, netuid, uid)) (`_rowBase`), hashed in
            // free memory (not allocated: scratch).
            let scratch := mload(0x40)
            mstore(scratch, seed)
            mstore(add(scratch, 0x20), netuid)
            let out := add(hashes, 0x20)
            for {
                let r := 0
            } lt(r, rows) {
                r := add(r, 1)
            } {
                mstore(add(scratch, 0x40), calldataload(add(uids.offset, shl(5, r))))
                let base := keccak256(scratch, 0x60)
                let m := sload(base)
                mstore(add(meta, shl(5, add(r, 1))), m)
                // The row's own segments; any further one reads 0.
                let own := shr(8, add(and(shr(64, m), 0xffffffff), 255))
                for {
                    let seg := firstSegment
                } lt(seg, end) {
                    seg := add(seg, 1)
                } {
                    if lt(seg, own) {
                        mstore(out, sload(add(base, add(1, seg))))
                    }
                    out := add(out, 0x20)
                }
            }
        }
    }
}
