// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IWeightsTypes
interface IWeightsTypes {
    /// @notice A pending weights commit of a hotkey in a subnet.
    struct WeightCommit {
        bytes32 commitHash;
        uint64 epoch;
        uint64 blockNumber;
    }

    /// @notice One reveal of a batch (several subnets in one transaction).
    struct Reveal {
        uint256 netuid;
        uint16[] uids;
        uint16[] values;
        bytes32 salt;
        uint64 versionKey;
    }

    /// @notice One reveal of a packed batch: `entries` as in `revealWeightsPacked`.
    struct PackedReveal {
        uint256 netuid;
        bytes entries;
        bytes32 salt;
        uint64 versionKey;
    }

    /// @notice A subnet's epoch clock, advanced by the settlement.
    struct EpochClock {
        uint64 epochIndex;
        uint64 lastEpochBlock;
        bool settling;
    }
}

/// @title IWeightsErrors
interface IWeightsErrors {
    error UnknownSubnet(uint256 netuid);
    error RootWeightsNotSupported();
    error LengthMismatch(uint256 uids, uint256 values);
    error TooManyWeights(uint256 count, uint256 neurons);
    error HotkeyNotRegistered(uint256 netuid, address hotkey);
    error StakeBelowThreshold(uint256 stake, uint256 threshold);
    error IncorrectVersionKey(uint64 versionKey, uint64 required);
    error SettingWeightsTooFast(uint256 netuid, uint256 uid, uint256 nextAllowedBlock);
    error NoValidatorPermit(uint256 netuid, uint256 uid);
    error DuplicateUid(uint256 uid);
    error UidOutOfRange(uint256 uid, uint256 neurons);
    error TooFewWeights(uint256 count, uint256 minimum);
    error MaxWeightExceeded(uint256 maxWeightU16, uint256 limitU16);
    error CommitRevealEnabled(uint256 netuid);
    error CommitRevealDisabled(uint256 netuid);
    error TooManyPendingCommits(uint256 netuid, address hotkey, uint256 maximum);
    error CommitNotFound(uint256 netuid, address hotkey, bytes32 commitHash);
    error RevealTooEarly(uint256 commitEpoch, uint256 revealEpoch, uint256 currentEpoch);
    error RevealExpired(uint256 commitEpoch, uint256 revealEpoch, uint256 currentEpoch);
    error SubnetSettling(uint256 netuid);
    error NotAMissedReveal(uint256 netuid, address hotkey, bytes32 commitHash, uint64 commitEpoch);
    error EmptyCommit();
    /// @notice Packed entries are 4 bytes each; `length` is not a multiple of 4.
    error MalformedEntries(uint256 length);
    /// @notice A word of a `uint16[]` argument holds more than 16 bits (malformed ABI encoding).
    error NotAU16(uint256 word);
}

/// @title IWeightsEvents
interface IWeightsEvents {
    /// @notice A row was stored. It is given packed as stored (max-upscaled), not as padded u16
    /// arrays, so the log carries `32 * (ceil(length/16) + ceil(length/256))` bytes of words plus the
    /// ABI heads: value word `w` holds columns `16w..16w+15` (u16 each, column `16w` in the low bits),
    /// presence word `p` bit `c` marks column `256p + c` as listed by the row. An indexer decodes the
    /// data with the ABI and reads column `c < length` as `(valueWords[c >> 4] >> (16 * (c & 15))) & 0xffff`,
    /// listed when `(presenceWords[c >> 8] >> (c & 255)) & 1 == 1`. `length` is the subnet's size when
    /// the row was written (the row's width). The contract keeps only the row's commitment
    /// (`IWeights.rowCommitments`): segment `s` of a row is its value words `16s .. 16s + 15` (0 past the
    /// row's end) followed by presence word `s`, 17 words, and its hash is their keccak256. The
    /// settlement takes the rows as calldata, rebuilt from these logs and checked against the hashes.
    event WeightsSet(
        uint256 indexed netuid,
        uint256 indexed uid,
        address indexed hotkey,
        uint256[] valueWords,
        uint256[] presenceWords,
        uint32 length,
        uint64 blockNumber
    );
    event WeightsCommitted(
        uint256 indexed netuid,
        address indexed hotkey,
        uint256 indexed uid,
        bytes32 commitHash,
        uint64 epoch,
        uint64 blockNumber
    );
    /// @notice A commit was revealed. `stored` is false when the hotkey held no validator permit at
    /// the reveal (it lost it at a settlement since the commit, say): the commit is honoured, so it is
    /// no missed reveal, and its weights are dropped, as subtensor refuses them.
    event WeightsRevealed(
        uint256 indexed netuid,
        address indexed hotkey,
        uint256 indexed uid,
        bytes32 commitHash,
        uint64 commitEpoch,
        bool stored
    );
    /// @notice An unrevealed commit left the pending queue (superseded by a later reveal, or expired).
    event CommitDropped(uint256 indexed netuid, address indexed hotkey, bytes32 commitHash, uint64 epoch, bool expired);
    event EpochAdvanced(uint256 indexed netuid, uint64 epochIndex, uint64 blockNumber);
    event SettlingSet(uint256 indexed netuid, bool settling);
}

/// @title IWeights
/// @notice Validators' weight vectors: direct submission where a subnet turns commit-reveal off, and
/// commit-reveal where it is on, with subtensor's checks (`internal_set_weights`) and storage rule
/// (max-upscaled u16). Rows are stored dense and packed, 16 values per storage word, with a presence
/// bitmap, so the settlement reads a 256-UID row in 18 words. Also the subnets' epoch clocks, and the
/// proof of a missed reveal for the Slashing contract's objective-fault route.
interface IWeights is IWeightsTypes, IWeightsErrors, IWeightsEvents {
    /// @notice Sets the caller's (a registered hotkey's) weights in `netuid`. Commit-reveal must be off.
    function setWeights(uint256 netuid, uint16[] calldata uids, uint16[] calldata values, uint64 versionKey) external;

    /// @notice `setWeights` with the entries packed: entry `i` is bytes `4i..4i+3` of `entries`, the
    /// UID then the value, each a big-endian u16 (`abi.encodePacked(uint16 uid, uint16 value)` per
    /// entry). A quarter of the calldata of the `uint16[]` form, same checks, same stored row.
    function setWeightsPacked(uint256 netuid, bytes calldata entries, uint64 versionKey) external;

    /// @notice Commits the hash of weights to reveal in epoch `currentEpoch + revealPeriod`.
    /// @dev `commitHash = keccak256(abi.encode(block.chainid, address(this), netuid, hotkey, uids, values, salt, versionKey))`
    /// with `uids` and `values` as `uint16[]` (see `commitHashOf`).
    function commitWeights(uint256 netuid, bytes32 commitHash) external;

    /// @notice Reveals committed weights, in the commit's reveal epoch only.
    function revealWeights(
        uint256 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) external;

    /// @notice `revealWeights` with the entries packed as in `setWeightsPacked`. The commit hash is
    /// the same as for the `uint16[]` form of the same entries (`commitHashOf` = `commitHashOfPacked`),
    /// so a commit can be revealed through either entry point.
    function revealWeightsPacked(uint256 netuid, bytes calldata entries, bytes32 salt, uint64 versionKey) external;

    /// @notice Reveals in several subnets in one transaction.
    function batchRevealWeights(Reveal[] calldata reveals) external;

    /// @notice Reveals packed entries in several subnets in one transaction.
    function batchRevealWeightsPacked(PackedReveal[] calldata reveals) external;

    /// @notice Records that `netuid`'s epoch settled at this block. Settlement.
    function advanceEpoch(uint256 netuid) external;

    /// @notice Marks `netuid` as settling (weights refused) across a chunked settlement. Settlement.
    function setSettling(uint256 netuid, bool settling) external;

    // ---- views ----

    function commitHashOf(
        uint256 netuid,
        address hotkey,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) external view returns (bytes32);
    /// @notice The commit hash of packed entries: equal to `commitHashOf` of the same entries as arrays.
    function commitHashOfPacked(
        uint256 netuid,
        address hotkey,
        bytes calldata entries,
        bytes32 salt,
        uint64 versionKey
    ) external view returns (bytes32);
    function pendingCommits(uint256 netuid, address hotkey) external view returns (WeightCommit[] memory);
    /// @notice The block of the hotkey's earliest commit that has not expired, or `type(uint256).max`
    /// (the settlement's commit-reveal mask, YUMA.md 2.6 step 5).
    function earliestActiveCommitBlock(uint256 netuid, address hotkey) external view returns (uint256);
    /// @notice `earliestActiveCommitBlock` of each hotkey (the settlement's capture).
    function earliestActiveCommitBlocks(
        uint256 netuid,
        address[] calldata hotkeys
    ) external view returns (uint256[] memory blocks);
    function epochClock(uint256 netuid) external view returns (EpochClock memory);
    /// @notice The epoch a commit or reveal sent now belongs to: the epoch counter, plus one when an
    /// epoch is due (subtensor's `current_epoch_with_lookahead`).
    function currentEpoch(uint256 netuid) external view returns (uint64);
    /// @notice The block of the uid's last weights (its commit block under commit-reveal), 0 if none.
    function lastUpdate(uint256 netuid, uint256 uid) external view returns (uint64);
    /// @notice `lastUpdate` of UIDs `start .. start + count - 1` (the settlement's capture).
    function lastUpdates(uint256 netuid, uint256 start, uint256 count) external view returns (uint64[] memory updated);
    /// @notice What the contract keeps of each row of `uids`: its meta word and its commitment, one
    /// hash per segment of 256 columns, for the `count` segments from `firstSegment` on. `meta[r]` is row
    /// `uids[r]`'s write block (bits 0..63, 0: never written), length (64..95, the subnet's size when it
    /// was written), the sum of its values (96..127) and its value on its own column `uids[r]` (128..143,
    /// 0 where absent or past its length). `hashes[r * count + i]` is the keccak256 of segment
    /// `firstSegment + i`'s 17 words (see `WeightsSet`), 0 for a segment at or past the row's length.
    /// Raw as stored: no check of the writer's tenure (compare the write block with the UID's
    /// registration block).
    /// @dev The values themselves are not stored: they are in the row's `WeightsSet` log (at its write
    /// block), and the settlement takes them as calldata checked against these hashes.
    function rowCommitments(
        uint256 netuid,
        uint256[] calldata uids,
        uint256 firstSegment,
        uint256 count
    ) external view returns (uint256[] memory meta, bytes32[] memory hashes);
}
