// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title SettlementStorage
/// @notice The storage `YumaSettlement` shares with `YumaEpochRunner`, which runs in the settlement's
/// context by `delegatecall`. One namespaced struct (ERC-7201, namespace
/// `taonet.storage.YumaSettlement`), so the two contracts agree on the layout whatever else they
/// declare.
/// @dev An epoch is settled as a run of phases, each made of bounded units, so a settlement that does
/// not fit in one transaction continues in the next (see `YumaEpochRunner`). Between transactions the
/// run keeps its progress here: per-UID scratch gathered at the start (so later changes of stake,
/// registrations or hyperparameters do not reach a run in progress), per-row accumulators and
/// per-column results. Scratch slots are reused by every epoch of the subnet and never cleared, so
/// after a subnet's first epoch they are rewritten, not created.
library SettlementStorage {
    /// @notice Phases of a run, in order. `Idle`: no run; `Done`: every unit ran, the settlement
    /// finishes the epoch and returns to `Idle` in the same call.
    enum Phase {
        Idle,
        Gather,
        Rank,
        RowSums,
        Consensus,
        Bonds,
        Finalize,
        Pay,
        Done
    }

    struct SubnetState {
        uint64 lastEpochBlock;
        uint64 epochIndex;
        bool settledOnce;
        /// @dev The gas the last finished run took over all its calls: the keeper tip's yardstick.
        uint64 lastRunGas;
        /// @dev The rows (validator permits) of the last finished run: with `lastRunGas`, the next run's
        /// forecast (`YumaEpochRunner._chooseScratch`).
        uint32 lastRows;
        /// @dev UIDs [0, scratchUids) have their per-UID scratch words (`Scratch.uidInfo`, `uidStake`,
        /// `registered`) in storage, all nonzero (a registration block, a hotkey): rewriting one costs
        /// at most 5,000 gas, not 22,100 (`YumaEpochRunner._spillGas`).
        uint24 scratchUids;
        uint256 emissionIndex;
    }

    /// @notice A UID's bonds row: written at the run's block, `length` columns. Its words are either in
    /// `bondWords` and `bondPresence` (`loggedAtBlock` 0: a run on storage wrote them) or in the
    /// `IYumaSettlement.BondsSet` log of block `loggedAtBlock` (a run that kept its scratch in
    /// transient storage, see `YumaEpochRunner`), committed to by each 256-column segment's hash (see
    /// `META_BITS`): the first segment's here, in the same slot (a run writes the meta word of
    /// every row anyway, so the commitment of a row of at most 256 columns costs no slot of its own),
    /// later ones in `bondHash`. A settlement then takes the row as calldata, beside the weights rows.
    /// Blocks in 40 bits last 2^40 blocks (some 70,000 years at 2 s); a length is at most 4,096.
    struct RowMeta {
        uint40 writtenAtBlock;
        uint16 length;
        uint40 loggedAtBlock;
        bytes20 firstSegmentHash;
    }

    /// @dev The low 96 bits of a word: a `RowMeta` word's blocks and length, below its hash. A logged
    /// bonds row's segment is committed to by its keccak256 (of the 17 words: 16 value words, then the
    /// presence word) with these bits cleared, its first 20 bytes. The settlement writes the rows, so
    /// passing another segment for one needs a second preimage of 160 bits (2^160 work); a collision
    /// (2^80) is of no use. (`YumaRunnerBase.META_BITS` repeats it for inline assembly.)
    uint256 internal constant META_BITS = (1 << 96) - 1;

    /// @notice A run in progress. Hyperparameters and the epoch's block are captured when it starts.
    /// Sums are I32F32 bits unless named otherwise.
    struct Run {
        // slot 0
        Phase phase;
        uint32 cursor;
        uint32 n;
        uint32 k;
        uint32 voters;
        uint64 startBlock;
        uint64 lastTempo;
        // slot 1
        uint16 kappa;
        uint16 bondsPenalty;
        uint32 bondsMovingAverage;
        uint16 alphaLow;
        uint16 alphaHigh;
        uint16 alphaSteepness;
        bool yuma3;
        bool liquidAlpha;
        bool commitReveal;
        bool anyConsensus;
        uint64 activityCutoff;
        uint32 maxValidators;
        // slot 2
        uint128 stakeThreshold;
        uint128 stakeTotal;
        // slot 3
        int128 minority;
        uint128 rankSum;
        // slot 4
        uint128 activeSum;
        uint128 incentiveSum;
        // slot 5
        uint128 emissionSum;
        uint128 combinedTotal;
        // slots 6 - 9: what was minted, what Yuma splits, what has been paid of it
        uint256 minted;
        uint256 amount;
        uint256 paid;
        uint128 ownerCut;
        uint128 keeperTip;
        // slot 10
        bool weightsPaused;
        // Per phase (Gather .. Pay, 32 bits each from the low end), the gas its last unit took in the
        // latest call that ran one (or a bound it is known to exceed): a call's estimate of a unit
        // of the phase not yet measured in it, and the least it estimates one at when the call
        // before was of the same run. Kept across epochs.
        uint224 unitGas;
        // slot 11: this run's gas so far (its calls that did not finish it) and the tip they took.
        uint64 runGas;
        uint128 tipPaid;
        // slot 12: bit r set where row r (r < 256) keeps every column of its length but its own
        // (`YumaEpochRunner._keptLanes`), from the captured blocks: set once, in Rank.
        uint256 plainRows;
    }

    /// @notice A run's per-UID, per-row and per-column scratch. In storage between the calls of a run;
    /// in transient storage, at the same slots, while a run that started in the call runs in it
    /// (`YumaRunnerBase._live`). Member i's mapping is at the struct's slot + i (`YumaRunnerBase`'s
    /// region constants).
    struct Scratch {
        /// @dev Per UID: registered block [0, 64), effective last update [64, 128), earliest active
        /// commit block [128, 192) (all ones: none), row index + 1 [192, 224) (0: no permit, no row).
        mapping(uint256 uid => uint256) uidInfo;
        /// @dev Per UID: hotkey [0, 160), raw stake [160, 256) (capped at 2^96 - 1).
        mapping(uint256 uid => uint256) uidStake;
        /// @dev Registered blocks, four u64 per word (UID 4w in the low bits): the column masks' input.
        mapping(uint256 word => uint256) registered;
        /// @dev Per row (permitted UIDs in ascending order): see `YumaEpochRunner` for the fields.
        mapping(uint256 row => uint256) rowInfo;
        mapping(uint256 row => uint256) rowDividend;
        /// @dev Per column, two per word (128 bits each): consensus [0, 40), rank [40, 104),
        /// miner trust as u16 [104, 120).
        mapping(uint256 word => uint256) columns;
        /// @dev New validator permits, one bit per UID.
        mapping(uint256 word => uint256) newPermits;
    }

    struct Layout {
        mapping(uint256 netuid => SubnetState) state;
        mapping(uint256 netuid => mapping(uint256 uid => RowMeta)) bondMeta;
        /// @dev A stored row's words (16 u16 a word) and presence bits (256 a word). A run that logs its
        /// rows leaves them in transient storage, flat: row `uid`'s word w at this mapping's
        /// `[netuid]` slot + (uid << 9) + w, and its presence word s likewise from `bondPresence`'s
        /// (no keccak256 a word; w < 256 and s < 16 under the 4,096-UID cap).
        mapping(uint256 netuid => mapping(uint256 uid => mapping(uint256 word => uint256))) bondWords;
        mapping(uint256 netuid => mapping(uint256 uid => mapping(uint256 word => uint256))) bondPresence;
        /// @dev 0 consensus, 1 incentive, 2 dividends, 3 validator trust, 4 miner trust: 16 u16 per word each.
        mapping(uint256 netuid => mapping(uint256 output => mapping(uint256 word => uint256))) outputs;
        mapping(uint256 netuid => uint256) outputLength;
        mapping(uint256 netuid => Run) runs;
        /// @dev Per subnet, the run's scratch (see `Scratch`).
        mapping(uint256 netuid => Scratch) scratch;
        /// @dev The commitment (`META_BITS`) of each segment but the first (in its `RowMeta`) of
        /// a logged bonds row (`RowMeta.loggedAtBlock`); 0 past the row's length.
        mapping(uint256 netuid => mapping(uint256 uid => mapping(uint256 segment => bytes32))) bondHash;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("taonet.storage.YumaSettlement")) - 1)) & ~0xff
    bytes32 private constant LOCATION = 0x2adab12f2134ec6b80293dd327276d1c29bb2e92e929700f714b528ae35a4c00;

    /// @dev Rows a RowSums unit sums (`YumaEpochRunner`).
    uint256 internal constant ROW_SUM_BATCH = 16;
    /// @dev Units per column chunk in the Bonds phase under liquid alpha (`YumaEpochRunner`).
    uint256 internal constant LIQUID_PARTS = 4;
    /// @dev No segment of the weights rows (`nextRowSegment`).
    uint256 internal constant NO_SEGMENT = type(uint256).max;

    /// @dev The segment of the weights rows (256 columns) that `run`'s next unit reads: RowSums' cursor
    /// counts (batch of rows, segment) pairs, batch-major (a batch of plain rows takes segment 0
    /// only: `YumaEpochRunner._rowSum`); Consensus' counts chunks of 16 columns, Bonds' the chunks'
    /// parts (four a chunk under liquid alpha once a consensus exists). `NO_SEGMENT` for a unit that
    /// reads none (the other phases, or no rows).
    function nextRowSegment(Run storage run) internal view returns (uint256) {
        Phase phase = run.phase;
        uint256 cursor = run.cursor;
        if (run.k == 0 || phase < Phase.RowSums || phase > Phase.Bonds) return NO_SEGMENT;
        if (phase == Phase.RowSums) return cursor % ((uint256(run.n) + 255) >> 8);
        if (phase == Phase.Bonds && run.yuma3 && run.liquidAlpha && run.anyConsensus) cursor /= LIQUID_PARTS;
        return cursor >> 4;
    }

    function layout() internal pure returns (Layout storage l) {
        assembly ("memory-safe") {
            l.slot := LOCATION
        }
    }
}
