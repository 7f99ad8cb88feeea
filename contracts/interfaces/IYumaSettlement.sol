// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IYumaSettlement
/// @notice Settles subnet epochs: runs Yuma consensus (YUMA.md section 2) on a subnet's stake, weights
/// and bonds, stores bonds and per-UID outputs, and pays the epoch's emission: the owner cut to the
/// subnet owner, miners' incentive staked for the miners, validators' dividends into their pools
/// (take to the operator, the rest to delegators), and a keeper tip to the caller.
interface IYumaSettlement {
    error UnknownSubnet(uint256 netuid);
    error EpochNotDue(uint256 netuid, uint256 nextEpochBlock, uint256 blockNumber);
    error SharesExceedOne(uint256 totalWad);
    error LengthMismatch(uint256 a, uint256 b);
    /// @notice `settleWithEmission` while a chunked settlement of `netuid` is open (at `phase`).
    error SettlementInProgress(uint256 netuid, uint8 phase);
    /// @notice The transaction's gas does not cover one more unit of the open settlement's `phase`:
    /// `needed` (the unit and what must follow it in the call), `available` left.
    error InsufficientGasForUnit(uint8 phase, uint256 needed, uint256 available);
    /// @notice `quoteMedianHints`'s result (it always reverts).
    error MedianHints(bytes hints);
    /// @notice The weights rows passed (`length` bytes) are not a word (the first segment) followed by
    /// whole segments (544 bytes) of each of the run's `rows` rows, or run past its `segments` segments.
    error MalformedWeightRows(uint256 rows, uint256 segments, uint256 length);
    /// @notice The open run's next unit reads segment `segment` of the weights rows, and the call passed
    /// segments `firstSegment .. firstSegment + segmentCount - 1` only (none when `segmentCount` is 0).
    error WeightRowsMissing(uint256 segment, uint256 firstSegment, uint256 segmentCount);
    /// @notice Segment `segment` of the weights row of `uid` passed does not hash to what `Weights`
    /// stored for it (`Weights.rowCommitments`), or is not all zero where it stored none.
    error WeightRowMismatch(uint256 uid, uint256 segment);
    /// @notice The rows passed carry the bonds rows of `passed` rows (the rows' header word), where the
    /// run has `logged` rows whose bonds are in a log (`bondRowCommitments`).
    error MalformedBondRows(uint256 passed, uint256 logged);
    /// @notice Segment `segment` of the bonds row of `uid` passed does not match its stored commitment
    /// (`bondRowCommitments`), or is not all zero where none is stored.
    error BondRowMismatch(uint256 uid, uint256 segment);
    /// @notice `bondsOf` for a row whose words are in the `BondsSet` log of block `blockNumber`.
    error BondsInLog(uint256 netuid, uint256 uid, uint256 blockNumber);

    /// @notice A settlement opened: the epoch's state is captured at `blockNumber` for `uids` UIDs. The
    /// epoch ends with `EpochSettled`, in this transaction or a later one.
    event EpochStarted(uint256 indexed netuid, uint64 indexed epochIndex, uint64 blockNumber, uint256 uids);

    /// @notice A call that ran part of `netuid`'s open epoch without finishing it: the gas it spent
    /// (as measured inside the call, plus the 21,000 of a transaction) and its share of the keeper tip,
    /// `keeperTip * gasUsed / (the gas of the subnet's previous run)`, at most what is left of the tip
    /// (0 before the subnet has a previous run).
    event SettlementAdvanced(
        uint256 indexed netuid,
        uint64 indexed epochIndex,
        address indexed keeper,
        uint256 gasUsed,
        uint256 tip
    );

    /// @notice Emitted once per settled epoch with every per-UID output, so an indexer needs no call.
    /// `keeperTip` is the epoch's whole tip: `keeper` (who ran the last chunk) got what the earlier
    /// calls' `SettlementAdvanced` shares left of it.
    event EpochSettled(
        uint256 indexed netuid,
        uint64 indexed epochIndex,
        uint64 blockNumber,
        uint256 emission,
        uint256 ownerCut,
        uint256 keeperTip,
        uint256 burned,
        address keeper
    );
    /// @notice The epoch's per-UID results: u16 fractions and permits packed in `fractions`, and the
    /// amounts paid (wei), one entry a UID. `fractions` holds 11 bytes a UID, in UID order: consensus,
    /// incentive, dividends, validator trust and miner trust (u16 each, big-endian, as
    /// `fixed_proportion_to_u16` gives them), then the new validator permit (1 or 0); UID i's record is
    /// at byte 11 i, and there are `minerEmission.length` of them. Miner trust is T = R / P, the share of
    /// a miner's pre-clip rank that survived clipping (1 when no validator weighted it above consensus).
    /// Packed because the ABI spends 32 bytes on each u16 or bool, and a log pays 8 gas a byte: at 256
    /// UIDs, six arrays of them were 49 KB (about 0.4M gas) where the records are 2.8 KB.
    event EpochOutputs(
        uint256 indexed netuid,
        uint64 indexed epochIndex,
        bytes fractions,
        uint256[] minerEmission,
        uint256[] validatorEmission
    );
    /// @notice The bonds row of `uid` written by an epoch that ran in one transaction: its segments of
    /// 256 columns, 17 words each (16 value words of u16, column 16w + t at bits 16t of word w, then
    /// the presence word, bit c for column 256s + c), as the settlement hashes them
    /// (`bondRowCommitments`) and takes them back in the next epoch's rows.
    event BondsSet(uint256 indexed netuid, uint256 indexed uid, uint256[] words);
    event EmissionSharesSet(uint256[] netuids, uint256[] sharesWad);
    /// @notice The root network's shares, numbered by `update`; `applied` is false when they are all
    /// zero, and governance's shares then apply.
    event RootEmissionSharesSet(uint64 indexed update, uint256[] netuids, uint256[] sharesWad, bool applied);

    /// @notice Settles `netuid`'s epoch once its tempo has elapsed, as far as the transaction's gas
    /// goes: the first call opens the epoch (mints its emission and pays the owner cut), later calls
    /// (anyone's) continue it in bounded chunks. The keeper tip is shared by gas: a call that does not
    /// finish the epoch takes `tip * its gas / the gas of the subnet's previous run` (see
    /// `SettlementAdvanced`), and the call that runs the last chunk takes the rest. Returns what the
    /// call minted (0 for a continuation).
    /// @param weightRows The weights rows of the run (`Weights` keeps only their hashes), rebuilt from
    /// the rows' `WeightsSet` logs: a header word (the first segment `s0` passed in its low 128 bits,
    /// the number `b` of bonds rows passed above), then for each row (the UIDs holding a validator
    /// permit when the epoch opens, in UID order: `weightRowUids`) its segments `s0 .. s0 + m - 1` of
    /// 256 columns, each the 17 words `Weights.rowCommitments` hashes (16 value words, then the
    /// presence word; all zero where no hash is stored); then, for each of those rows whose bonds row
    /// is in a log (`bondRowCommitments`: a nonzero log block; `b` of them), the same segments of its
    /// bonds row from its `BondsSet` log. A subnet of at most 256 UIDs has one segment; a bigger one's
    /// calls may pass only the segments of the columns they reach. Checked once per call that reads
    /// them (`MalformedWeightRows`, `WeightRowMismatch`; the bonds rows before the first Bonds unit:
    /// `MalformedBondRows`, `BondRowMismatch`); a unit whose segment is not passed ends the call
    /// (`WeightRowsMissing` if it is the call's first), and a call that runs no RowSums, Consensus or
    /// Bonds unit may pass none.
    function settle(uint256 netuid, bytes calldata weightRows) external returns (uint256 emission);

    /// @notice `settle`, with hints that spare the consensus its median searches: byte j is 1 + the row
    /// (0 .. k-1, in UID order among the rows with a validator permit) of a voter whose weight on
    /// column j is the column's stake-weighted median; 0, or no byte, gives none. Each hint is checked
    /// in one pass over the column and a wrong one is ignored (the median is then searched for), so
    /// hints change the gas only, never the result. `quoteMedianHints` computes them.
    function settleWithHints(
        uint256 netuid,
        bytes calldata medianHints,
        bytes calldata weightRows
    ) external returns (uint256 emission);

    /// @notice Computes the median hints of `netuid`'s open epoch, or of the next one as if it opened
    /// now (due or not), and reverts with them as `MedianHints(hints)`: for `eth_call` only (it runs
    /// the epoch's first phases in the call, which may take tens of millions of gas, and reverts every
    /// change). Byte j is 0 where there is no
    /// median to hint (no voters, or the run is past its Consensus phase).
    function quoteMedianHints(uint256 netuid, bytes calldata weightRows) external;

    /// @notice Runs an epoch now with `emission` TAO pulled from the caller as the amount Yuma splits
    /// (no owner cut, no tip, no tempo check). Governance: manual epochs and scenario replays.
    function settleWithEmission(uint256 netuid, uint256 emission, bytes calldata weightRows) external;

    /// @notice Sets subnets' shares of emission (WAD, summing to at most 1). Governance. Subnets
    /// without a set share split what the set shares leave, equally.
    function setEmissionShares(uint256[] calldata netuids, uint256[] calldata sharesWad) external;

    /// @notice Sets the root network's shares (WAD, summing to at most 1), replacing its previous set;
    /// subnets not listed get none. The RootNetwork contract. While the last set is all zero,
    /// governance's shares apply.
    function setRootEmissionShares(uint256[] calldata netuids, uint256[] calldata sharesWad) external;

    /// @notice Whether the root's shares are the ones that apply (its last epoch produced incentive).
    function rootSharesApply() external view returns (bool);

    function nextEpochBlock(uint256 netuid) external view returns (uint256);
    function lastEpochBlock(uint256 netuid) external view returns (uint256);
    /// @notice The gas the subnet's last finished run took over all its calls (0 before any): the
    /// yardstick of the keeper tip's shares (`SettlementAdvanced`).
    function lastRunGas(uint256 netuid) external view returns (uint256);
    function emissionShare(uint256 netuid) external view returns (uint256 shareWad);
    /// @notice Emission the subnet would be paid if settled now.
    function pendingEmission(uint256 netuid) external view returns (uint256);
    /// @notice The last epoch's outputs as stored (u16 fractions).
    function epochOutputs(
        uint256 netuid
    )
        external
        view
        returns (
            uint16[] memory consensus,
            uint16[] memory incentive,
            uint16[] memory dividends,
            uint16[] memory validatorTrust
        );
    /// @notice The last epoch's miner trust T = R / P (u16 fractions; see `EpochOutputs`).
    function epochTrust(uint256 netuid) external view returns (uint16[] memory trust);
    /// @notice The rows `settle` takes (`weightRows`): the UIDs whose weights rows the run of `netuid`
    /// uses, in order, `n`, the run's number of UIDs (the row width: `ceil(n / 256)` segments a row),
    /// and the segment the run's next unit reads (0 before it reads any, `type(uint256).max` once no
    /// unit left reads them: a call then needs no rows): where a call passing only some segments
    /// starts. The UIDs are those the open run captured once its Rank phase is done;
    /// before that (no run open, or one still gathering), the UIDs holding a validator permit now,
    /// which the run captures unless a permit changes hands in between.
    function weightRowUids(
        uint256 netuid
    ) external view returns (uint256[] memory uids, uint256 n, uint256 nextSegment);
    /// @notice Where an open settlement stands (`phase` 0: none open; see `SettlementStorage.Phase`).
    function settlementProgress(
        uint256 netuid
    ) external view returns (uint8 phase, uint256 cursor, uint256 uids, uint256 rows, uint64 startBlock);
    /// @notice The bonds row of `uid` (u16 by column; absent columns read 0), valid for its current
    /// tenure, when its words are in storage; reverts with `BondsInLog` when they are in a log (an
    /// epoch that ran in one transaction writes them so: read its `BondsSet` log).
    function bondsOf(uint256 netuid, uint256 uid) external view returns (uint16[] memory bondsU16);
    /// @notice For each of `uids`, its bonds row's meta word (written block [0, 64), length [64, 96),
    /// block of its `BondsSet` log [96, 160), 0 when its words are in storage) and, for a logged row,
    /// the commitments of its segments `first .. first + count - 1` (row-major; 0 past the row's
    /// length and for a row in storage): what the settlement checks the bonds rows passed against. A
    /// segment's commitment is the first 20 bytes of the keccak256 of its 17 words, the other 12 zero.
    function bondRowCommitments(
        uint256 netuid,
        uint256[] calldata uids,
        uint256 first,
        uint256 count
    ) external view returns (uint256[] memory meta, bytes32[] memory hashes);
}
