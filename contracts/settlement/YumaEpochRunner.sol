// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {IWeights} from "../interfaces/IWeights.sol";
import {IYumaSettlement} from "../interfaces/IYumaSettlement.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {YumaEpoch} from "../libraries/YumaEpoch.sol";
import {SettlementStorage} from "./SettlementStorage.sol";
import {BondsContext, YumaBondsKernel} from "./YumaBondsKernel.sol";
import {Yuma3Bonds} from "./Yuma3Bonds.sol";
import {YumaEpochLedger} from "./YumaEpochLedger.sol";
import {YumaRunnerBase} from "./YumaRunnerBase.sol";

/// @title YumaEpochRunner
/// @notice Runs a subnet's Yuma epoch (YUMA.md section 2, bit for bit as `YumaEpoch.run`) in bounded
/// units across as many transactions as it needs. Called only by `YumaSettlement`, by `delegatecall`,
/// so it reads and writes the settlement's storage (`SettlementStorage`) and pays from its balance.
/// @dev The epoch is cut by columns. Every per-cell step of Yuma either needs all rows of one column
/// (the stake-weighted median, column sums and maxima of the bonds) or accumulates along a row (validator
/// trust, dividends), and row normalisation needs only a row's sum; so after the per-UID and per-row
/// preparation, two passes over chunks of 16 columns (one storage word of u16 per row) compute
/// everything:
/// - Gather (64 UIDs a unit): hotkey, stake, registration, last update, commit block, permit.
/// - Rank (one unit): stake weights S, the new permits (top-k), active stake A, voters and `minority`.
/// - RowSums (16 rows a unit): each permitted row's masked sum.
/// - Consensus (one chunk a unit): normalised weights, the weighted median C of each column (checked
///   against the caller's hint when there is one, searched for otherwise), ranks
///   R = sum_i A_i * clip(W)_ij and validator trust (row sums of clip(W)).
/// - Bonds (one chunk a unit, a quarter of one under liquid alpha): incentive I = R / sum(R), W~, the
///   bonds EMA of the subnet's variant, the new bonds (stored) and each row's dividend accumulator
///   `sum_j colnorm(B')_ij * I_j`; the per-cell arithmetic is `Yuma3Bonds` (inline) for Yuma3 and
///   `YumaBondsKernel` (a call) for original Yuma.
/// - Finalize (one unit): dividends, the u16 outputs, permits, bonds rows' metadata, `EpochOutputs`.
/// - Pay (64 UIDs a unit): emission amounts, staked for miners and paid into validators' pools.
/// Gather, Finalize and Pay, the phases that read and write other contracts per UID, and Rank (once an
/// epoch; its top-k selection is large code) run in `YumaEpochLedger` (deployed with the runner,
/// called by `delegatecall`).
/// Sums along rows and columns are of integers (I32F32 bits), so cutting them across units changes no
/// bit. Each unit's gas is bounded by (n, k); `advanceUntil` starts a unit only while the gas left
/// covers it (the last unit of the same phase measured in this call or an earlier one, but no less
/// than what an earlier call of the same run learned of the phase: its last unit, or the bound of a
/// unit that ran out of gas; a conservative guess when nothing is known), and runs the last units of a
/// call in sub-calls so that one running out of gas ends the call with its progress.
contract YumaEpochRunner is YumaRunnerBase {
    uint256 private constant CHUNK = 16;
    /// @dev Rows a RowSums unit sums. A row in the usual case reads two words of its weights row
    /// (its meta word, with the row's sum, and its own column's word); one under other masks reads its
    /// n / 16 weights words cold (about 80k gas in all at 256 UIDs, 300k at 1024). A unit run in a
    /// sub-call pays about 100k more to load and write back the rows.
    uint256 private constant ROW_SUM_BATCH = SettlementStorage.ROW_SUM_BATCH;
    uint256 private constant ABSENT = type(uint256).max;
    /// @dev A segment of a weights row as the caller passes it (`Weights`): 16 value words and a
    /// presence word, 256 columns.
    uint256 private constant SEGMENT_BYTES = 17 * 32;
    /// @dev Four 64-bit lanes in a word (`_weightsLanes`): 1 in each lane.
    uint256 private constant LANE_ONES = 0x0000000000000001000000000000000100000000000000010000000000000001;
    /// @dev In `_checkMedians`, a voter's count (above) and stake (below) in one lane.
    uint256 private constant VOTER_COUNT = 1 << 40;
    uint256 private constant STAKE_BITS = (1 << 40) - 1;
    /// @dev keccak256("taonet.settlement.weightsCache"): the seed of `_weightsCache`'s transient slots.
    bytes32 private constant WEIGHTS_CACHE = keccak256("taonet.settlement.weightsCache");
    uint256 private constant CACHE_MARK = 511;
    /// @dev Units per chunk in the Bonds phase under liquid alpha: its per-cell sigmoid costs about
    /// 3.2k gas, and a part of 4 columns at 128 rows 5M to 8.5M (12.9M when it writes the chunk's bonds
    /// from zero, in a subnet's first epochs).
    uint256 private constant LIQUID_PARTS = SettlementStorage.LIQUID_PARTS;
    /// @dev Margin for the frame's own work between units (the sub-call, the loop).
    uint256 private constant SAFETY_GAS = 100_000;
    /// @dev What a unit of a phase not yet measured in the call is assumed to cost, and the least gas
    /// left for running any unit in this frame. Units up to (1024, 128) cost less (a first payment
    /// batch, Finalize's event), but for a liquid-alpha part writing bonds from zero (12.9M at 128
    /// rows); a unit runs in this frame only with three times its estimate left, so 24M for an
    /// unmeasured one, which never happens under the 16,777,216 cap: there units start in sub-calls,
    /// where running out of gas only ends the call.
    uint256 private constant UNMEASURED_UNIT_GAS = 8_000_000;

    IWeights private immutable _weights;
    YumaBondsKernel private immutable _kernel;
    YumaEpochLedger private immutable _ledger;

    constructor(address token_, address staking_, address neurons_, address weights_) {
        _weights = IWeights(weights_);
        // Deployed here (their creation code is part of this contract's, not of its runtime code), so
        // that the runner, its kernel and its ledger always come together.
        _kernel = new YumaBondsKernel();
        _ledger = new YumaEpochLedger(token_, staking_, neurons_, weights_);
    }

    /// @notice Runs units of `netuid`'s run until it reaches phase `until` (Done: the end) or the gas
    /// left would not cover one more unit plus `reserve`; the Consensus units use the median `hints`
    /// (`IYumaSettlement.settleWithHints`). Returns whether the run is done.
    /// @dev While the gas left is well above a unit's estimate, units run in this frame and share
    /// their memory (rows loaded once, written back once). Near the end of the budget, each unit runs
    /// in a sub-call (`unit`, by `delegatecall` to this code) with all but `reserve` of the gas: a unit
    /// that runs out of gas there is undone alone and the call ends with the progress made so far, so
    /// an estimate that falls short never reverts a transaction's earlier units. Reverts with
    /// `InsufficientGasForUnit` when not even the first unit completes, and bubbles any other error.
    function advanceUntil(
        uint256 netuid,
        uint256 reserve,
        bytes memory hints,
        bytes memory weightRows,
        SettlementStorage.Phase until
    ) external returns (bool done) {
        _onlyDelegated();
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        _chooseScratch(netuid, run, reserve);
        Ctx memory c = _context(netuid, run);
        c.hints = hints;
        c.weightRows = weightRows;
        done = _advance(run, c, reserve, until);
        if (c.live) {
            if (!done) _spill(run, netuid);
            _endLive();
        }
    }

    /// @dev At the start of a run: keeps its scratch in transient storage (see `_live`) when the gas
    /// left covers the subnet's last run (scaled by the square of its growth in UIDs since), copying
    /// every scratch word to storage at its worst price (at the last run's count of rows), and
    /// `reserve`. A run that does not fit after all still ends the call safely: `_advance` keeps the
    /// spill's gas back all along, at the run's own count of rows. A subnet's first run, with no
    /// forecast, keeps its scratch in storage.
    function _chooseScratch(uint256 netuid, SettlementStorage.Run storage run, uint256 reserve) private {
        if (run.phase != SettlementStorage.Phase.Gather || run.cursor != 0) return;
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        SettlementStorage.SubnetState storage state = l.state[netuid];
        uint256 forecast = state.lastRunGas;
        uint256 last = l.outputLength[netuid];
        uint256 n = run.n;
        if (forecast == 0 || last == 0) return;
        if (n > last) forecast = (forecast * n * n) / (last * last) + 1;
        if (gasleft() > forecast + _spillGas(n, state.lastRows, state.scratchUids) + reserve + SAFETY_GAS) {
            assembly ("memory-safe") {
                tstore(LIVE_SLOT, add(netuid, 1))
            }
        }
    }

    function _endLive() private {
        assembly ("memory-safe") {
            tstore(LIVE_SLOT, 0)
        }
    }

    /// @dev Ends the transient scratch of `c`'s run in the middle of a call: the rows and the scratch
    /// copied to storage, the rest of the call (and its sub-calls) on storage.
    function _demote(SettlementStorage.Run storage run, Ctx memory c) private {
        _flushRows(c);
        c.rowsLoaded = false;
        _spill(run, c.netuid);
        _endLive();
        c.live = false;
        c.spillGas = 0;
    }

    /// @dev An upper bound on the gas of `_spill` for `n` UIDs and `k` rows, when UIDs [0, known)
    /// have their per-UID words in storage (`SubnetState.scratchUids`): those rewritten (at most
    /// 5,000 with the slot cold), every other word written from zero (22,100, and 2,100 for the cold
    /// slot: a row, column or permits word may be 0), each with its keccak and the loop.
    function _spillGas(uint256 n, uint256 k, uint256 known) private pure returns (uint256) {
        if (known > n) known = n;
        uint256 rewritten = 2 * known + (known + 3) / 4;
        return 20_000 + rewritten * 5_300 + (_scratchWords(n, k) - rewritten) * 24_500;
    }

    /// @dev The scratch words of a run of `n` UIDs and `k` rows: `uidInfo`, `uidStake`, `registered`,
    /// `rowInfo`, `rowDividend`, `columns`, `newPermits`.
    function _scratchWords(uint256 n, uint256 k) private pure returns (uint256) {
        return 2 * n + (n + 3) / 4 + 2 * k + (n + 1) / 2 + (n + 255) / 256;
    }

    /// @dev Copies the run's scratch from transient storage to storage, for the calls after this one:
    /// the per-UID words Gather has written (so that every word below `SubnetState.scratchUids` stays
    /// nonzero), and every word of the other regions for the run's rows and UIDs, written or not yet
    /// (a word the run has not reached yet is written before the run reads it).
    function _spill(SettlementStorage.Run storage run, uint256 netuid) private {
        uint256 n = run.n;
        uint256 k = run.k;
        uint256 gathered = run.phase == SettlementStorage.Phase.Gather ? run.cursor : n;
        uint256 base = _scratchBase(netuid);
        bool bondsRun = run.phase == SettlementStorage.Phase.Bonds || run.phase == SettlementStorage.Phase.Finalize;
        if (bondsRun && n >= LOGGED_BONDS_MIN_UIDS) _rewindBonds(run, base + ROW_DIVIDEND, k);
        _spillRegion(base + UID_INFO, gathered);
        _spillRegion(base + UID_STAKE, gathered);
        _spillRegion(base + REGISTERED, (gathered + 3) / 4);
        _markScratchUids(netuid, gathered);
        _spillRegion(base + ROW_INFO, k);
        _spillRegion(base + ROW_DIVIDEND, k);
        _spillRegion(base + COLUMNS, (n + 1) / 2);
        _spillRegion(base + NEW_PERMITS, (n + 255) / 256);
    }

    /// @dev Undoes this call's Bonds units before the scratch is copied to storage: they wrote the new
    /// bonds in transient storage (`_writeBondWords`, at `LOGGED_BONDS_MIN_UIDS` UIDs or more), which
    /// ends with the transaction. Their inputs
    /// (the bonds rows read, the columns) are unchanged until Finalize, so the run's later calls run
    /// them again, on storage: the dividend accumulators (transient rows at `rowDividendSlot`) and the
    /// incentive sum restart from zero, and the phase from its first unit. A run's scratch is transient
    /// from its first call only, so no Bonds unit ran before this call.
    function _rewindBonds(SettlementStorage.Run storage run, uint256 rowDividendSlot, uint256 k) private {
        assembly ("memory-safe") {
            mstore(0x20, rowDividendSlot)
            for {
                let r := 0
            } lt(r, k) {
                r := add(r, 1)
            } {
                mstore(0x00, r)
                let slot := keccak256(0x00, 0x40)
                tstore(slot, and(tload(slot), not(0xffffffffffffffffffffffffffffffff)))
            }
        }
        run.phase = SettlementStorage.Phase.Bonds;
        run.cursor = 0;
        run.incentiveSum = 0;
    }

    /// @dev Entries [0, count) of the scratch mapping at `mappingSlot`, transient storage to storage.
    function _spillRegion(uint256 mappingSlot, uint256 count) private {
        assembly ("memory-safe") {
            mstore(0x20, mappingSlot)
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                mstore(0x00, i)
                let slot := keccak256(0x00, 0x40)
                sstore(slot, tload(slot))
            }
        }
    }

    function _advance(
        SettlementStorage.Run storage run,
        Ctx memory c,
        uint256 reserve,
        SettlementStorage.Phase until
    ) private returns (bool done) {
        uint256 measured; // gas of the last unit of the current phase in this call
        SettlementStorage.Phase measuredPhase;
        bool progressed;
        // What earlier calls learned of each phase's units (see `Run.unitGas`, written back only at
        // the end), updated as units run; what earlier calls of this run learned is also a floor
        // (none in a run's first call, whose figures are the last epoch's).
        uint256 learned = run.unitGas;
        // Fixed while the scratch is transient (only a copy to storage, which ends that, raises it).
        if (c.live) c.storedUids = SettlementStorage.layout().state[c.netuid].scratchUids;
        while (run.phase < until) {
            SettlementStorage.Phase phase = run.phase;
            // A unit whose segment of the weights rows the caller did not pass ends the call.
            if (!_hasRowsFor(run, c)) {
                if (!progressed) {
                    revert IYumaSettlement.WeightRowsMissing(
                        SettlementStorage.nextRowSegment(run),
                        c.firstSegment,
                        c.segmentCount
                    );
                }
                break;
            }
            // A Bonds unit reads the logged bonds rows: a call that passed none (a keeper passes them
            // only to calls that start in the Bonds phase, or open the run) ends before it, or, with
            // nothing done yet, reverts in the unit's check (`MalformedBondRows(0, logged)`).
            if (
                progressed &&
                phase == SettlementStorage.Phase.Bonds &&
                c.bondRowCount == 0 &&
                !c.bondsChecked &&
                _anyLoggedBondRow(c)
            ) break;
            uint256 estimate = _estimate(
                learned,
                run.runGas != 0 ? run.unitGas : 0,
                phase,
                measuredPhase == phase ? measured : 0
            );
            // Writing the rows back (see `_loadRows`), and the scratch when it is transient.
            uint256 flush = c.rowsLoaded ? c.flushGas : 0;
            c.spillGas = c.live ? _spillGas(c.n, run.k, c.storedUids) : 0;
            uint256 before = gasleft();
            // In this frame only while the gas left covers the largest unit and three of the last
            // measured one (a phase's units differ: a payment batch of new stake positions, say).
            // The spill's reserve may serve as part of that margin: a unit that overruns three times its
            // estimate into it ends the call as it would have without the spill.
            uint256 inFrame =
                3 * estimate + c.spillGas > UNMEASURED_UNIT_GAS ? 3 * estimate + c.spillGas : UNMEASURED_UNIT_GAS;
            if (before > inFrame + flush + reserve + SAFETY_GAS) {
                // What a unit allocates is garbage once it returns, except the rows and registered
                // blocks it may load: load those first, then free the unit's memory after it, so
                // memory (whose price grows with its size) stays one unit's worth for the call.
                if (phase >= SettlementStorage.Phase.RowSums && phase <= SettlementStorage.Phase.Bonds) {
                    _loadRows(c);
                    _loadRegistered(c);
                    _checkWeightRows(c);
                    if (phase == SettlementStorage.Phase.Bonds) _checkBondRows(c);
                }
                uint256 freeMemory;
                assembly ("memory-safe") {
                    freeMemory := mload(0x40)
                }
                _unit(run, c, phase);
                assembly ("memory-safe") {
                    mstore(0x40, freeMemory)
                }
            } else {
                // A run that no longer fits in the call with its scratch transient continues in
                // storage: the scratch is copied there now (at its real price, not the bound kept).
                if (c.live && before < estimate + flush + c.spillGas + reserve + SAFETY_GAS) {
                    _demote(run, c);
                    continue;
                }
                // A unit with an estimate (measured in this call or an earlier one) that would not fit
                // is not tried, nor is one within the sub-call's own cost of it (loading and writing
                // back the rows: a unit measured in this frame costs that much more in a sub-call);
                // one without is tried (running out of gas in the sub-call only ends the call).
                if (
                    progressed &&
                    estimate != UNMEASURED_UNIT_GAS &&
                    before < estimate + flush + c.spillGas + reserve + SAFETY_GAS
                ) break;
                if (before < reserve + c.spillGas + flush + SAFETY_GAS) {
                    if (!progressed) revert IYumaSettlement.InsufficientGasForUnit(uint8(phase), estimate, before);
                    break;
                }
                // The sub-call reads and writes the rows in storage.
                _flushRows(c);
                c.rowsLoaded = false;
                if (!_protectedUnit(c, reserve + c.spillGas)) {
                    if (!progressed) revert IYumaSettlement.InsufficientGasForUnit(uint8(phase), estimate, before);
                    // It needs more than it had: later calls do not try it with as little.
                    if (before + before / 4 > _lane(learned, phase))
                        learned = _withLane(learned, phase, before + before / 4);
                    break;
                }
            }
            measured = before - gasleft();
            measuredPhase = phase;
            progressed = true;
            learned = _withLane(learned, phase, measured);
        }
        if (learned != run.unitGas) run.unitGas = uint224(learned);
        _flushRows(c);
        return run.phase == SettlementStorage.Phase.Done;
    }

    /// @dev A unit of `phase`: the last one `measured` in this call (0 for none), else what `learned`
    /// knows, but no less than `floors` (what earlier calls of the run learned: a phase whose units
    /// alternate between dear and cheap ones, such as a liquid-alpha chunk's first quarter, which
    /// writes the chunk's bonds from zero, and its other three, would otherwise try a dear one on a
    /// cheap one's figure and burn the gas); UNMEASURED_UNIT_GAS when nothing is known.
    function _estimate(
        uint256 learned,
        uint256 floors,
        SettlementStorage.Phase phase,
        uint256 measured
    ) private pure returns (uint256 estimate) {
        estimate = measured != 0 ? measured : _lane(learned, phase);
        uint256 floor = _lane(floors, phase);
        if (estimate < floor) estimate = floor;
        if (estimate == 0) estimate = UNMEASURED_UNIT_GAS;
    }

    /// @dev `phase`'s lane of `learned` (0: nothing known).
    function _lane(uint256 learned, SettlementStorage.Phase phase) private pure returns (uint256) {
        return (learned >> ((uint256(phase) - 1) * 32)) & U32;
    }

    /// @dev `learned` with `phase`'s lane set to `gas` (saturating at 2^32 - 1).
    function _withLane(uint256 learned, SettlementStorage.Phase phase, uint256 gas) private pure returns (uint256) {
        uint256 lane = (uint256(phase) - 1) * 32;
        if (gas > U32) gas = U32;
        return (learned & ~(U32 << lane)) | (gas << lane);
    }

    /// @dev Runs `unit` with all the gas but `reserve`; false when it ran out of gas (its writes undone).
    /// The call's encoding (the rows, some tens of KB) is freed after it, so that sub-calls do not grow
    /// this frame's memory.
    function _protectedUnit(Ctx memory c, uint256 reserve) private returns (bool ok) {
        uint256 left = gasleft();
        if (left <= reserve + SAFETY_GAS) return false;
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        bytes memory result;
        (ok, result) = _self.delegatecall{gas: left - reserve - SAFETY_GAS / 2}(
            abi.encodeCall(this.unit, (c.netuid, c.hints, c.weightRows))
        );
        if (!ok && result.length != 0) LowLevelCall.bubbleRevert(result);
        assembly ("memory-safe") {
            mstore(0x40, freeMemory)
        }
    }

    /// @notice One unit of `netuid`'s run, in a frame of its own (see `advanceUntil`).
    function unit(uint256 netuid, bytes calldata hints, bytes calldata weightRows) external {
        _onlyDelegated();
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        Ctx memory c = _context(netuid, run);
        c.hints = hints;
        c.weightRows = weightRows;
        _unit(run, c, run.phase);
        _flushRows(c);
    }

    /// @notice The median hints of `netuid`'s run (`IYumaSettlement.quoteMedianHints`): runs it to the end
    /// of its Consensus phase with all the gas, recording for each column 1 + the first voter row whose
    /// score is the median (0: none, or a column the call did not reach or ran in a sub-call).
    function quoteHints(uint256 netuid, bytes memory weightRows) external returns (bytes memory) {
        _onlyDelegated();
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        _chooseScratch(netuid, run, 0);
        Ctx memory c = _context(netuid, run);
        c.weightRows = weightRows;
        c.recording = true;
        c.hints = new bytes(c.n);
        // The quote's call reverts: its scratch need not outlive it.
        _advance(run, c, 0, SettlementStorage.Phase.Bonds);
        if (c.live) _endLive();
        return c.hints;
    }

    function _unit(SettlementStorage.Run storage run, Ctx memory c, SettlementStorage.Phase phase) private {
        if (phase == SettlementStorage.Phase.RowSums) _rowSum(run, c);
        else if (phase == SettlementStorage.Phase.Consensus) _consensusChunk(run, c);
        else if (phase == SettlementStorage.Phase.Bonds) _bondsChunk(run, c);
        else _ledgerUnit(c);
    }

    /// @dev A unit of Gather, Rank, Finalize or Pay, in the ledger (by `delegatecall`, in this context). It
    /// reads and writes the rows in storage: the memory copy is written back first and reloaded after.
    function _ledgerUnit(Ctx memory c) private {
        _flushRows(c);
        c.rowsLoaded = false;
        (bool ok, bytes memory result) = address(_ledger).delegatecall(
            abi.encodeCall(YumaEpochLedger.unit, (c.netuid))
        );
        if (!ok) LowLevelCall.bubbleRevert(result);
    }

    // ------------------------------------------------------------------------------------------
    // Row sums (YUMA 2.6)
    // ------------------------------------------------------------------------------------------

    /// @dev rowInfo: uid [0, 32), masked row sum [32, 64), A [64, 112), voter stake [112, 160), validator
    /// trust [160, 208), weights row length [208, 240) (0: no valid row), new permit (bit 240).
    /// rowDividend: dividend accumulator [0, 128), normalised dividend [128, 192), bonds row length
    /// [192, 224) (0: no valid row).
    function _rowSum(SettlementStorage.Run storage run, Ctx memory c) private {
        _loadRows(c);
        _loadRegistered(c);
        _checkWeightRows(c);
        // The cursor counts (batch of rows, segment) pairs, batch-major (`nextRowSegment`). A batch
        // of plain rows (each summed from its meta word) is done with its segment 0: it skips the
        // others, so that a keeper passing one segment a call does not spend a call on each.
        uint256 segments = (c.n + 255) >> 8;
        uint256 segment = run.cursor % segments;
        uint256 r0 = (run.cursor / segments) * ROW_SUM_BATCH;
        uint256 r1 = r0 + ROW_SUM_BATCH < c.k ? r0 + ROW_SUM_BATCH : c.k;
        bool plain = true;
        for (uint256 r = r0; r < r1; ++r) {
            plain = _rowSumOne(c, r, segment) && plain;
        }
        c.rowsDirty = true;
        uint256 next = segment == 0 && plain ? run.cursor + segments : run.cursor + 1;
        if (r1 == c.k && next % segments == 0) _nextPhase(run, SettlementStorage.Phase.Consensus);
        else run.cursor = uint32(next);
    }

    /// @dev Row `r`'s masked weights sum and length, and its bonds row's length, on segment `segment`'s
    /// unit; whether the row is plain. The row's meta word (`c.rowMeta`, from
    /// `Weights.rowCommitments`) gives its write block, length, sum and own value: a plain row (`c.plainRows`: it keeps every column of its length but
    /// its own) no longer than n sums to its stored sum less its own value, at segment 0, without its
    /// words; any other is summed column by column under its masks, a segment per unit.
    function _rowSumOne(Ctx memory c, uint256 r, uint256 segment) private view returns (bool plain) {
        uint256 meta = c.rowMeta[r];
        uint256 uid = c.rowUids[r];
        uint256 info = _read(c, UID_INFO, uid);
        // As for bonds: only a row written after the registration block is the holder's.
        uint256 stored = (meta & U64) > (info & U64) ? (meta >> 64) & U32 : 0;
        uint256 length = stored > c.n ? c.n : stored;
        plain = (c.plainRows >> r) & 1 == 1 && stored <= c.n;
        uint256 sum = segment == 0 ? 0 : (c.rowInfo[r] >> 32) & U32;
        if (!plain) sum += _maskedRowSum(c, r, segment, length);
        else if (segment == 0 && length != 0) sum = ((meta >> 96) & U32) - ((meta >> 128) & 0xffff);
        c.rowInfo[r] = (c.rowInfo[r] & ~((U32 << 32) | (U32 << 208))) | (sum << 32) | (length << 208);
        if (segment != 0) return plain;

        SettlementStorage.Layout storage l = SettlementStorage.layout();

        SettlementStorage.RowMeta storage bondsMeta = l.bondMeta[c.netuid][uid];
        uint256 word; // `RowMeta`: written block [0, 40), length [40, 56), log block [56, 96)
        assembly ("memory-safe") {
            word := sload(bondsMeta.slot)
        }
        // Strictly after the registration: a row written in the block a UID changed hands may be the
        // predecessor's (same-block order is not known), so it counts as empty.
        uint256 bondsLength = (word & U40) > (info & U64) ? (word >> 40) & 0xffff : 0;
        if (bondsLength > c.n) bondsLength = c.n;
        // A logged row is passed by the caller whatever its holder (`_checkBondRows`).
        c.rowDividend[r] = (bondsLength << 192) | ((word >> 56) & U40 != 0 ? LOGGED_BONDS_BIT : 0);
    }

    /// @dev Row `r`'s weights on segment `segment`'s columns below `length`, summed over its kept
    /// columns (`_keptLanes`; its length already in `c.rowInfo`), from its words in the caller's rows.
    function _maskedRowSum(
        Ctx memory c,
        uint256 r,
        uint256 segment,
        uint256 length
    ) private view returns (uint256 sum) {
        for (uint256 w = segment * CHUNK; w < (segment + 1) * CHUNK && w * CHUNK < length; ++w) {
            (uint256 word, uint256 presence) = _rowWord(c, r, w);
            sum += _laneSum(word, presence & _keptLanes(c, w * CHUNK, r));
        }
    }

    // ------------------------------------------------------------------------------------------
    // The caller's weights rows
    // ------------------------------------------------------------------------------------------

    /// @dev The segments the caller's rows hold (`c.weightRows`: a header word, the first segment `s0`
    /// below bit 128 and the number b of bonds rows above, then for each row the segments
    /// `s0 .. s0 + m - 1`, 17 words each, row-major, then the same of b bonds rows), read once per
    /// call: `c.firstSegment`, `c.segmentCount` (m) and `c.bondRowCount` (b), for the run's `k` rows.
    /// Empty rows hold none. Reverts with `MalformedWeightRows` when the length is not a word and whole
    /// segments of every row and of b <= k bonds rows, or the segments run past the run's
    /// `ceil(n / 256)`.
    function _parseWeightRows(Ctx memory c, uint256 k) private pure {
        if (c.rowsParsed) return;
        c.rowsParsed = true;
        bytes memory rows = c.weightRows;
        if (rows.length == 0) return;
        uint256 segments = (c.n + 255) >> 8;
        uint256 header;
        if (rows.length >= 32) {
            assembly ("memory-safe") {
                header := mload(add(rows, 0x20))
            }
        }
        uint256 first = header & type(uint128).max;
        uint256 bondRows = header >> 128;
        uint256 rowBytes = (k + bondRows) * SEGMENT_BYTES;
        uint256 count = rowBytes == 0 || rows.length < 32 ? 0 : (rows.length - 32) / rowBytes;
        require(
            rows.length >= 32 &&
                bondRows <= k &&
                32 + count * rowBytes == rows.length &&
                first <= segments &&
                count <= segments - first,
            IYumaSettlement.MalformedWeightRows(k, segments, rows.length)
        );
        c.firstSegment = first;
        c.segmentCount = count;
        c.bondRowCount = bondRows;
    }

    /// @dev Whether the caller's rows hold the segment the run's next unit reads (or it reads none).
    function _hasRowsFor(SettlementStorage.Run storage run, Ctx memory c) private view returns (bool) {
        uint256 segment = SettlementStorage.nextRowSegment(run);
        if (segment == SettlementStorage.NO_SEGMENT) return true;
        _parseWeightRows(c, run.k);
        return segment >= c.firstSegment && segment < c.firstSegment + c.segmentCount;
    }

    /// @dev Checks the caller's weights rows against `Weights.rowCommitments` (once per call, after the
    /// Rank phase fixed the rows): each segment passed must hash to its stored hash, or be all zero
    /// where none is stored (a segment the row does not reach, or a row never written). Keeps the
    /// rows' meta words in `c.rowMeta`.
    function _checkWeightRows(Ctx memory c) private view {
        if (c.rowsChecked) return;
        _parseWeightRows(c, c.k);
        (uint256[] memory meta, bytes32[] memory hashes) = _weights.rowCommitments(
            c.netuid,
            c.rowUids,
            c.firstSegment,
            c.segmentCount
        );
        bytes memory rows = c.weightRows;
        for (uint256 i = 0; i < hashes.length; ++i) {
            if (!_segmentMatches(rows, i, hashes[i], 0)) {
                revert IYumaSettlement.WeightRowMismatch(
                    c.rowUids[i / c.segmentCount],
                    c.firstSegment + (i % c.segmentCount)
                );
            }
        }
        c.rowMeta = meta;
        c.rowsChecked = true;
    }

    /// @dev Checks the caller's bonds rows (once per call, before its first Bonds unit): every row whose
    /// bonds row is logged (`LOGGED_BONDS_BIT`, from its meta in RowSums) has its segments passed, in
    /// row order after the weights rows, each matching its stored commitment (the first segment's in
    /// the row's meta word; all zero where none is stored); no other row has any. Sets `c.bondAt`.
    function _checkBondRows(Ctx memory c) private view {
        if (c.bondsChecked) return;
        _parseWeightRows(c, c.k);
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        mapping(uint256 => mapping(uint256 => bytes32)) storage stored = l.bondHash[c.netuid];
        mapping(uint256 => SettlementStorage.RowMeta) storage metas = l.bondMeta[c.netuid];
        uint256 hashesSlot;
        uint256 metasSlot;
        assembly ("memory-safe") {
            hashesSlot := stored.slot
            metasSlot := metas.slot
        }
        uint256 count = c.segmentCount;
        uint256[] memory at = new uint256[](c.k);
        uint256 next = c.k * count;
        uint256 logged;
        for (uint256 r = 0; r < c.k; ++r) {
            if (c.rowDividend[r] & LOGGED_BONDS_BIT == 0) continue;
            ++logged;
            if (logged > c.bondRowCount) continue; // reverts below
            at[r] = next;
            uint256 uid = c.rowUids[r];
            for (uint256 i = 0; i < count; ++i) {
                uint256 s = c.firstSegment + i;
                bytes32 commitment;
                // The first segment's in the meta word (above its 96 bits), a later one's in `bondHash`.
                assembly ("memory-safe") {
                    mstore(0x00, uid)
                    mstore(0x20, metasSlot)
                    commitment := and(sload(keccak256(0x00, 0x40)), not(META_BITS))
                    if s {
                        mstore(0x20, hashesSlot)
                        mstore(0x20, keccak256(0x00, 0x40))
                        mstore(0x00, s)
                        commitment := sload(keccak256(0x00, 0x40))
                    }
                }
                if (!_segmentMatches(c.weightRows, next + i, commitment, META_BITS)) {
                    revert IYumaSettlement.BondRowMismatch(uid, s);
                }
            }
            next += count;
        }
        require(logged == c.bondRowCount, IYumaSettlement.MalformedBondRows(c.bondRowCount, logged));
        c.bondAt = at;
        c.bondsChecked = true;
    }

    /// @dev Whether any of the run's rows has its bonds row in a log (`LOGGED_BONDS_BIT`).
    function _anyLoggedBondRow(Ctx memory c) private view returns (bool any) {
        _loadRows(c);
        for (uint256 r = 0; r < c.k; ++r) {
            any = any || c.rowDividend[r] & LOGGED_BONDS_BIT != 0;
        }
    }

    /// @dev Whether the caller's segment `index` (counted from the first after the header) hashes to
    /// `stored` but for the bits of `dropped` (those of a truncated hash), or is all zero when `stored`
    /// is 0 (nothing stored).
    function _segmentMatches(
        bytes memory rows,
        uint256 index,
        bytes32 stored,
        uint256 dropped
    ) private pure returns (bool ok) {
        assembly ("memory-safe") {
            let at := add(add(rows, 0x40), mul(index, SEGMENT_BYTES))
            switch stored
            case 0 {
                let any := 0
                for {
                    let w := 0
                } lt(w, SEGMENT_BYTES) {
                    w := add(w, 0x20)
                } {
                    any := or(any, mload(add(at, w)))
                }
                ok := iszero(any)
            }
            default {
                ok := eq(and(keccak256(at, SEGMENT_BYTES), not(dropped)), stored)
            }
        }
    }

    /// @dev Value word `w` of row `r` (columns 16w .. 16w + 15) and its 16 presence bits, from the
    /// caller's rows (checked, and holding the word's segment: `_hasRowsFor`).
    function _rowWord(Ctx memory c, uint256 r, uint256 w) private pure returns (uint256 word, uint256 presence) {
        bytes memory rows = c.weightRows;
        uint256 index = r * c.segmentCount + (w >> 4) - c.firstSegment;
        assembly ("memory-safe") {
            let at := add(add(rows, 0x40), mul(index, SEGMENT_BYTES))
            word := mload(add(at, shl(5, and(w, 15))))
            presence := and(shr(shl(4, and(w, 15)), mload(add(at, 0x200))), 0xffff)
        }
    }

    /// @dev Value word `q` of every row and its presence bits: `out[2r]` and `out[2r + 1]` (the caller
    /// masks past each row's length).
    function _rowWords(Ctx memory c, uint256 q) private pure returns (uint256[] memory out) {
        uint256 k = c.k;
        out = new uint256[](2 * k);
        bytes memory rows = c.weightRows;
        uint256 stride = c.segmentCount * SEGMENT_BYTES;
        uint256 segmentAt = ((q >> 4) - c.firstSegment) * SEGMENT_BYTES;
        assembly ("memory-safe") {
            let base := add(add(rows, 0x40), segmentAt)
            let at := add(base, shl(5, and(q, 15)))
            let presenceAt := add(base, 0x200)
            let shift := shl(4, and(q, 15))
            let o := add(out, 0x20)
            for {
                let r := 0
            } lt(r, k) {
                r := add(r, 1)
            } {
                mstore(o, mload(at))
                mstore(add(o, 0x20), and(shr(shift, mload(presenceAt)), 0xffff))
                at := add(at, stride)
                presenceAt := add(presenceAt, stride)
                o := add(o, 0x40)
            }
        }
    }

    /// @dev The sum of the 16-bit lanes of `word` whose bit is set in `mask`; a full mask in four
    /// steps of lane pairs (16-bit lanes, then 32, 64 and 128: no lane overflows).
    function _laneSum(uint256 word, uint256 mask) private pure returns (uint256 sum) {
        assembly ("memory-safe") {
            switch mask
            case 0xffff {
                let m := 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff
                let x := add(and(word, m), and(shr(16, word), m))
                m := 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff
                x := add(and(x, m), and(shr(32, x), m))
                m := 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff
                x := add(and(x, m), and(shr(64, x), m))
                sum := add(and(x, 0xffffffffffffffffffffffffffffffff), shr(128, x))
            }
            default {
                for {
                    let t := 0
                } mask {
                    t := add(t, 16)
                } {
                    if and(mask, 1) {
                        sum := add(sum, and(shr(t, word), 0xffff))
                    }
                    mask := shr(1, mask)
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Column chunks
    // ------------------------------------------------------------------------------------------

    /// @dev The normalised weights W (I32F32, or ABSENT) of every row on the 16 columns of chunk `q`,
    /// row-major `k x 16`: masks of YUMA 2.6 (diagonal, outdated, commit-reveal), then w / row sum.
    function _weightsChunk(Ctx memory c, uint256 q) private view returns (uint256[] memory cells) {
        uint256 k = c.k;
        cells = new uint256[](k * CHUNK);
        if (k == 0) return cells;
        uint256[] memory words = _rowWords(c, q);
        for (uint256 r = 0; r < k; ++r) {
            _weightsRow(c, cells, r, q * CHUNK, words[2 * r], words[2 * r + 1]);
        }
    }

    /// @dev Row `r` of `_weightsChunk` from its stored `word` and presence `mask`.
    function _weightsRow(
        Ctx memory c,
        uint256[] memory cells,
        uint256 r,
        uint256 j0,
        uint256 word,
        uint256 mask
    ) private view {
        uint256 rowInfo = c.rowInfo[r];
        uint256 kept = mask & _keptLanes(c, j0, r);
        assembly ("memory-safe") {
            let sum := and(shr(32, rowInfo), U32)
            let out := add(add(cells, 0x20), shl(9, r)) // r * 16 words
            // Written out lane by lane (a loop cost about 170 gas a lane): w / sum where the lane is
            // kept, ABSENT (all ones) elsewhere. A row whose kept weights sum to 0 has only weights of 0
            // kept, which stay 0 (w / 0 is 0 in the EVM).
            mstore(out, or(div(shl(32, and(word, 0xffff)), sum), sub(0, iszero(and(kept, 0x1)))))
            mstore(add(out, 0x20), or(div(shl(32, and(shr(16, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x2)))))
            mstore(add(out, 0x40), or(div(shl(32, and(shr(32, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x4)))))
            mstore(add(out, 0x60), or(div(shl(32, and(shr(48, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x8)))))
            mstore(add(out, 0x80), or(div(shl(32, and(shr(64, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x10)))))
            mstore(add(out, 0xa0), or(div(shl(32, and(shr(80, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x20)))))
            mstore(add(out, 0xc0), or(div(shl(32, and(shr(96, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x40)))))
            mstore(add(out, 0xe0), or(div(shl(32, and(shr(112, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x80)))))
            mstore(
                add(out, 0x100),
                or(div(shl(32, and(shr(128, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x100))))
            )
            mstore(
                add(out, 0x120),
                or(div(shl(32, and(shr(144, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x200))))
            )
            mstore(
                add(out, 0x140),
                or(div(shl(32, and(shr(160, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x400))))
            )
            mstore(
                add(out, 0x160),
                or(div(shl(32, and(shr(176, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x800))))
            )
            mstore(
                add(out, 0x180),
                or(div(shl(32, and(shr(192, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x1000))))
            )
            mstore(
                add(out, 0x1a0),
                or(div(shl(32, and(shr(208, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x2000))))
            )
            mstore(
                add(out, 0x1c0),
                or(div(shl(32, and(shr(224, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x4000))))
            )
            mstore(
                add(out, 0x1e0),
                or(div(shl(32, and(shr(240, word), 0xffff)), sum), sub(0, iszero(and(kept, 0x8000))))
            )
        }
    }

    /// @dev Consensus for chunk `q`: per column the stake-weighted median over the voters (rows with
    /// A > 0, in UID order, absent entries scoring 0), then clip, ranks and validator trust. Every
    /// step works on the chunk's normalised weights four columns to a word (`_weightsLanes`).
    function _consensusChunk(SettlementStorage.Run storage run, Ctx memory c) private {
        _loadRows(c);
        _loadRegistered(c);
        _checkWeightRows(c);
        uint256 q = run.cursor;
        uint256 m = c.n - q * CHUNK < CHUNK ? c.n - q * CHUNK : CHUNK;
        uint256[] memory lanes = _weightsLanes(c, q);
        c.minority = run.minority;
        uint256[] memory consensus = new uint256[](CHUNK / 4);
        if (run.voters != 0) _medians(c, lanes, q, m, run.voters, consensus);
        uint256[] memory ranks = _clipChunk(c.rowInfo, lanes, consensus);
        uint256 rankSum = run.rankSum;
        uint256[] memory columnWords = new uint256[](CHUNK / 2);
        for (uint256 t = 0; t < m; ++t) {
            uint256 value = (consensus[t & 3] >> ((t >> 2) * 64)) & U64;
            uint256 rank = ranks[t];
            uint256 prerank = ranks[CHUNK + t];
            if (value != 0 && !run.anyConsensus) run.anyConsensus = true;
            rankSum += rank;
            // Miner trust T = R / P (I32F32 division, truncating; 0 when P is), as its u16.
            uint256 trust = prerank == 0 ? 0 : _toU16((rank << 32) / prerank);
            columnWords[t >> 1] |= (value | (rank << 40) | (trust << 104)) << ((t & 1) * 128);
        }
        for (uint256 w = 0; w * 2 < m; ++w) {
            _write(c, COLUMNS, q * (CHUNK / 2) + w, columnWords[w]);
        }
        c.rowsDirty = true;
        run.rankSum = uint128(rankSum);
        if (q * CHUNK + m == c.n) _nextPhase(run, SettlementStorage.Phase.Bonds);
        else run.cursor = uint32(q + 1);
    }

    /// @dev The normalised weights W (I32F32) of every row on the 16 columns of chunk `q`, four
    /// columns to a word: `lanes[4r + g]` holds row r's columns g, g + 4, g + 8 and g + 12 of the
    /// chunk in 64-bit lanes (column 4l + g in lane l, from the low bits), so that a group's u16
    /// fields of a stored word are one shift away (`Yuma3Bonds` uses the same layout). A lane is
    /// w / row sum where the masks of YUMA 2.6 keep the weight, 0 elsewhere: for the median, an
    /// absent entry scores 0, and clipping an absent entry adds nothing to ranks or trust, as a
    /// weight of 0 does. W is at most 2^32 (the row's sum is of the kept weights), so every lane
    /// has its top bit free for `_checkMedians` and `_clipChunk`.
    function _weightsLanes(Ctx memory c, uint256 q) private returns (uint256[] memory lanes) {
        uint256 k = c.k;
        lanes = new uint256[](4 * k);
        if (k == 0) return lanes;
        uint256[] memory words = _rowWords(c, q);
        uint256[] memory rowInfo = c.rowInfo;
        uint256 plain = c.plainRows;
        uint256 j0 = q * CHUNK;
        // In a run whose scratch is transient (one that fits its call), the Bonds units of this chunk
        // will run in the same transaction: each row's kept word and lanes are left for them in
        // transient storage, and the chunk marked (see `_bondRows`). Any other run clears the mark,
        // so that its Bonds units cannot take what an earlier run in the transaction left.
        uint256 cache = _weightsCache(c.netuid, q);
        if (!c.live) {
            assembly ("memory-safe") {
                tstore(add(cache, CACHE_MARK), 0)
            }
            cache = 0;
        }
        for (uint256 r = 0; r < k; ++r) {
            uint256 word;
            uint256 present;
            uint256 info;
            assembly ("memory-safe") {
                word := mload(add(add(words, 0x20), shl(6, r)))
                present := mload(add(words, shl(6, add(r, 1))))
                info := mload(add(add(rowInfo, 0x20), shl(5, r)))
            }
            // `_keptLanes`'s plain-row test inline, here and in `_bondRows`: one call less a row and
            // chunk (0.1M at (256, 64)).
            uint256 kept = present & ((plain >> r) & 1 == 1 ? _plainLanes(info, j0) : _keptLanes(c, j0, r));
            if (kept != 0xffff) word &= Yuma3Bonds.laneBits(kept);
            if (cache != 0) {
                assembly ("memory-safe") {
                    tstore(add(cache, shl(1, r)), word)
                    tstore(add(cache, add(shl(1, r), 1)), kept)
                }
            }
            if (word == 0) continue;
            assembly ("memory-safe") {
                let sum := and(shr(32, info), U32)
                let out := add(add(lanes, 0x20), shl(7, r)) // r * 4 words
                // Four columns at a time (a loop over single lanes costs about three times as much):
                // fields g, g + 4, g + 8 and g + 12 are 64 bits apart, and field g + 4l (bits 16g + 64l)
                // is moved to bit 32 of lane l by one shift and a mask. Written out over the four words.
                mstore(
                    out,
                    or(
                        or(
                            div(and(shl(32, word), 0xffff00000000), sum),
                            shl(64, div(and(shr(32, word), 0xffff00000000), sum))
                        ),
                        or(
                            shl(128, div(and(shr(96, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(160, word), 0xffff00000000), sum))
                        )
                    )
                )
                mstore(
                    add(out, 0x20),
                    or(
                        or(
                            div(and(shl(16, word), 0xffff00000000), sum),
                            shl(64, div(and(shr(48, word), 0xffff00000000), sum))
                        ),
                        or(
                            shl(128, div(and(shr(112, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(176, word), 0xffff00000000), sum))
                        )
                    )
                )
                mstore(
                    add(out, 0x40),
                    or(
                        or(div(and(word, 0xffff00000000), sum), shl(64, div(and(shr(64, word), 0xffff00000000), sum))),
                        or(
                            shl(128, div(and(shr(128, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(192, word), 0xffff00000000), sum))
                        )
                    )
                )
                mstore(
                    add(out, 0x60),
                    or(
                        or(
                            div(and(shr(16, word), 0xffff00000000), sum),
                            shl(64, div(and(shr(80, word), 0xffff00000000), sum))
                        ),
                        or(
                            shl(128, div(and(shr(144, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(208, word), 0xffff00000000), sum))
                        )
                    )
                )
            }
        }
        if (cache != 0) {
            assembly ("memory-safe") {
                tstore(add(cache, CACHE_MARK), 1)
            }
        }
    }

    /// @dev The weighted median C of the chunk's columns into `consensus` (lanes as in
    /// `_weightsLanes`), as `YumaEpoch.weightedMedianPacked`: the smallest score x whose voters' stake
    /// at or below it exceeds `minority`, or the largest score when none does. A column's hinted
    /// row's score when `_checkMedians` confirms it, else searched for (`_searchMedian`).
    function _medians(
        Ctx memory c,
        uint256[] memory lanes,
        uint256 q,
        uint256 m,
        uint256 voters,
        uint256[] memory consensus
    ) private pure {
        uint256 hinted;
        if (!c.recording) {
            bytes memory hints = c.hints;
            uint256[] memory rowInfo = c.rowInfo;
            assembly ("memory-safe") {
                // Column t's hint (a byte: 1 + a row), within `hints` and the rows, of a voter (A > 0:
                // only a voter's score can be the median): that row's score is the candidate.
                let rows := mload(rowInfo)
                let end := sub(mload(hints), mul(q, CHUNK))
                if gt(end, m) {
                    end := m
                }
                if gt(mul(q, CHUNK), mload(hints)) {
                    end := 0
                }
                let at := add(add(hints, 0x20), mul(q, CHUNK))
                for {
                    let t := 0
                } lt(t, end) {
                    t := add(t, 1)
                } {
                    let hint := byte(0, mload(add(at, t)))
                    if and(iszero(iszero(hint)), iszero(gt(hint, rows))) {
                        if and(shr(64, mload(add(rowInfo, shl(5, hint)))), U48) {
                            let shift := shl(6, shr(2, t))
                            let word := add(add(consensus, 0x20), shl(5, and(t, 3)))
                            let lane := mload(add(lanes, shl(5, add(shl(2, sub(hint, 1)), add(and(t, 3), 1)))))
                            mstore(word, or(mload(word), shl(shift, and(shr(shift, lane), U64))))
                            hinted := or(hinted, shl(t, 1))
                        }
                    }
                }
            }
            if (hinted != 0) hinted = _checkMedians(c.rowInfo, lanes, consensus, c.minority, hinted);
        }
        uint256[] memory packed;
        for (uint256 t = 0; t < m; ++t) {
            if ((hinted >> t) & 1 == 1) continue;
            if (packed.length == 0) packed = new uint256[](voters);
            uint256 shift = (t >> 2) * 64;
            uint256 value = _searchMedian(c, lanes, q * CHUNK + t, packed);
            consensus[t & 3] = (consensus[t & 3] & ~(U64 << shift)) | (value << shift);
        }
    }

    /// @dev Which of the `hinted` columns' candidates in `consensus` (a voter's score on each) is the
    /// column's median, four columns at a time: per column, the stake of the voters scoring below the
    /// candidate x is at most `minority` (or none scores below), and that of those scoring at most x
    /// exceeds it (or none scores above). That x is then the smallest score whose stake at or below it
    /// exceeds `minority`, or the largest score when none does: what the search returns.
    /// @dev Per lane, `(x | 2^63) - w` keeps its top bit exactly when w <= x (both below 2^63: no
    /// borrow crosses lanes), and `(w | 2^63) - x` when w >= x. A voter adds its stake (at most 2^32,
    /// the voters' stakes summing to at most 2^32) plus 2^40 to each lane it falls in, so a lane's
    /// sum is the stake below 2^40 and the count of voters above it.
    function _checkMedians(
        uint256[] memory rowInfo,
        uint256[] memory lanes,
        uint256[] memory consensus,
        int256 minority,
        uint256 hinted
    ) private pure returns (uint256 ok) {
        // A local, not a constant in the loop: the optimizer would load a 32-byte constant from code
        // at every use (about 30 gas each), to keep the code small.
        uint256 ones = LANE_ONES;
        assembly ("memory-safe") {
            // Scratch past the free memory pointer: per word g (columns g, g + 4, g + 8, g + 12), the
            // lanes' stake and count at or below the candidate (`acc` + 32g) and below it (`acc` +
            // 0x80 + 32g), and the candidates with each lane's top bit set (`xs` + 32g). A row's four
            // words are written out, not looped over: a quarter less gas.
            let acc := mload(0x40)
            let high := shl(63, ones)
            let xs := add(acc, 0x100)
            let cand := add(consensus, 0x20)
            for {
                let i := 0
            } lt(i, 0x80) {
                i := add(i, 0x20)
            } {
                mstore(add(acc, i), 0)
                mstore(add(add(acc, 0x80), i), 0)
                mstore(add(xs, i), or(mload(add(cand, i)), high))
            }
            let voters := 0
            let at := add(rowInfo, 0x20)
            let cell := add(lanes, 0x20)
            for {
                let end := add(at, shl(5, mload(rowInfo)))
            } lt(at, end) {
                at := add(at, 0x20)
                cell := add(cell, 0x80)
            } {
                let ri := mload(at)
                if and(shr(64, ri), 0xffffffffffff) {
                    let v := or(and(shr(112, ri), 0xffffffffffff), 0x10000000000) // stake + 2^40
                    {
                        let w := mload(cell)
                        let p := acc
                        mstore(p, add(mload(p), mul(shr(63, and(sub(mload(xs), w), high)), v)))
                        p := add(p, 0x80)
                        mstore(p, add(mload(p), mul(shr(63, and(not(sub(or(w, high), mload(cand))), high)), v)))
                    }
                    {
                        let w := mload(add(cell, 0x20))
                        let p := add(acc, 0x20)
                        mstore(p, add(mload(p), mul(shr(63, and(sub(mload(add(xs, 0x20)), w), high)), v)))
                        p := add(p, 0x80)
                        mstore(
                            p,
                            add(mload(p), mul(shr(63, and(not(sub(or(w, high), mload(add(cand, 0x20)))), high)), v))
                        )
                    }
                    {
                        let w := mload(add(cell, 0x40))
                        let p := add(acc, 0x40)
                        mstore(p, add(mload(p), mul(shr(63, and(sub(mload(add(xs, 0x40)), w), high)), v)))
                        p := add(p, 0x80)
                        mstore(
                            p,
                            add(mload(p), mul(shr(63, and(not(sub(or(w, high), mload(add(cand, 0x40)))), high)), v))
                        )
                    }
                    {
                        let w := mload(add(cell, 0x60))
                        let p := add(acc, 0x60)
                        mstore(p, add(mload(p), mul(shr(63, and(sub(mload(add(xs, 0x60)), w), high)), v)))
                        p := add(p, 0x80)
                        mstore(
                            p,
                            add(mload(p), mul(shr(63, and(not(sub(or(w, high), mload(add(cand, 0x60)))), high)), v))
                        )
                    }
                    voters := add(voters, 1)
                }
            }
            for {
                let t := 0
            } lt(t, 16) {
                t := add(t, 1)
            } {
                let shift := shl(6, shr(2, t))
                let g := shl(5, and(t, 3))
                let atMost := and(shr(shift, mload(add(acc, g))), U64)
                let under := and(shr(shift, mload(add(add(acc, 0x80), g))), U64)
                let good := and(
                    or(iszero(shr(40, under)), iszero(sgt(and(under, STAKE_BITS), minority))),
                    or(eq(shr(40, atMost), voters), sgt(and(atMost, STAKE_BITS), minority))
                )
                ok := or(ok, shl(t, good))
            }
            ok := and(ok, hinted)
        }
    }

    /// @dev Column j's median searched for (`YumaEpoch.weightedMedianPacked` over the voters' scores);
    /// when recording, the first voter row scoring it is written as the column's hint.
    function _searchMedian(
        Ctx memory c,
        uint256[] memory lanes,
        uint256 j,
        uint256[] memory packed
    ) private pure returns (uint256 median) {
        uint256[] memory rowInfo = c.rowInfo;
        uint256 g = j & 3;
        uint256 shift = ((j % CHUNK) >> 2) * 64;
        assembly ("memory-safe") {
            let info := add(rowInfo, 0x20)
            let cell := add(add(lanes, 0x20), shl(5, g))
            let out := add(packed, 0x20)
            let v := 0
            for {
                let r := 0
            } lt(r, mload(rowInfo)) {
                r := add(r, 1)
            } {
                let ri := mload(add(info, shl(5, r)))
                if and(shr(64, ri), U48) {
                    // score << 128 | voter stake; exactly `voters` rows have A > 0.
                    let w := and(shr(shift, mload(add(cell, shl(7, r)))), U64)
                    mstore(add(out, shl(5, v)), or(shl(128, w), and(shr(112, ri), U48)))
                    v := add(v, 1)
                }
            }
        }
        median = uint256(YumaEpoch.weightedMedianPacked(packed, packed.length, c.minority));
        if (c.recording) {
            bytes memory hints = c.hints;
            // The median is a voter's score: 1 + the first such row.
            assembly ("memory-safe") {
                let info := add(rowInfo, 0x20)
                let cell := add(add(lanes, 0x20), shl(5, g))
                for {
                    let r := 0
                } lt(r, mload(rowInfo)) {
                    r := add(r, 1)
                } {
                    if and(shr(64, mload(add(info, shl(5, r)))), U48) {
                        if eq(and(shr(shift, mload(add(cell, shl(7, r)))), U64), median) {
                            mstore8(add(add(hints, 0x20), j), add(r, 1))
                            break
                        }
                    }
                }
            }
        }
    }

    /// @dev Clips the chunk's weights at their column's consensus (a weight above it becomes it,
    /// or is dropped when it is 0, which is the same as clipping it to 0), adds each row's clipped
    /// weights to its validator trust and returns each column t's rank `sum_i floor(A_i * clip(W)_it)`
    /// at `ranks[t]` and prerank `sum_i floor(A_i * W_it)` at `ranks[16 + t]` (miner trust is R / P).
    /// @dev Four columns a word: per lane, min(w, c) from the top bit of `(c | 2^63) - w`; A * w on all
    /// four lanes in one multiplication, each lane floored by the shift and a mask of its low 32 bits
    /// (A is the row's active stake normalised by the total, so at most 2^32; below 2^32 each lane's
    /// product stays under 2^64, and at 2^32 the floored product is w); a row's clipped lanes summed
    /// by one multiplication (each at most 2^32).
    function _clipChunk(
        uint256[] memory rowInfo,
        uint256[] memory lanes,
        uint256[] memory consensus
    ) private pure returns (uint256[] memory ranks) {
        ranks = new uint256[](2 * CHUNK);
        uint256 ones = LANE_ONES; // see `_checkMedians`
        assembly ("memory-safe") {
            // Scratch past the free memory pointer: per word g, the preranks' lanes (`acc` + 32g) and
            // the ranks' (`acc` + 0x80 + 32g). A row's four words are written out, with its product
            // by A branch-free: floor(A * w / 2^32) by lanes is (A * w >> 32) & low32 | w & gate, the
            // gate 2^32 in every lane when A is 2^32 (the shift gives w back, the mask drops a lane's
            // 2^32) and 0 otherwise; a row's clipped lanes summed into its trust by one product.
            let acc := mload(0x40)
            for {
                let i := 0
            } lt(i, 0x100) {
                i := add(i, 0x20)
            } {
                mstore(add(acc, i), 0)
            }
            let cons := add(consensus, 0x20)
            let high := shl(63, ones)
            let low32 := mul(ones, 0xffffffff)
            let at := add(rowInfo, 0x20)
            let cell := add(lanes, 0x20)
            for {
                let end := add(at, shl(5, mload(rowInfo)))
            } lt(at, end) {
                at := add(at, 0x20)
                cell := add(cell, 0x80)
            } {
                let ri := mload(at)
                let a := and(shr(64, ri), 0xffffffffffff)
                let gate := mul(eq(a, 0x100000000), shl(32, ones))
                let t := 0
                {
                    let w := mload(cell)
                    let c := mload(cons)
                    let clipped := xor(
                        c,
                        and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff))
                    )
                    t := add(t, clipped)
                    let p := acc
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, w)), low32), and(w, gate))))
                    p := add(p, 0x80)
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, clipped)), low32), and(clipped, gate))))
                }
                {
                    let w := mload(add(cell, 0x20))
                    let c := mload(add(cons, 0x20))
                    let clipped := xor(
                        c,
                        and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff))
                    )
                    t := add(t, clipped)
                    let p := add(acc, 0x20)
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, w)), low32), and(w, gate))))
                    p := add(p, 0x80)
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, clipped)), low32), and(clipped, gate))))
                }
                {
                    let w := mload(add(cell, 0x40))
                    let c := mload(add(cons, 0x40))
                    let clipped := xor(
                        c,
                        and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff))
                    )
                    t := add(t, clipped)
                    let p := add(acc, 0x40)
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, w)), low32), and(w, gate))))
                    p := add(p, 0x80)
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, clipped)), low32), and(clipped, gate))))
                }
                {
                    let w := mload(add(cell, 0x60))
                    let c := mload(add(cons, 0x60))
                    let clipped := xor(
                        c,
                        and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff))
                    )
                    t := add(t, clipped)
                    let p := add(acc, 0x60)
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, w)), low32), and(w, gate))))
                    p := add(p, 0x80)
                    mstore(p, add(mload(p), or(and(shr(32, mul(a, clipped)), low32), and(clipped, gate))))
                }
                mstore(at, add(ri, shl(160, shr(192, mul(t, ones)))))
            }
            let out := add(ranks, 0x20)
            for {
                let t := 0
            } lt(t, 16) {
                t := add(t, 1)
            } {
                let shift := shl(6, shr(2, t))
                let g := shl(5, and(t, 3))
                mstore(add(out, shl(5, t)), and(shr(shift, mload(add(add(acc, 0x80), g))), U64))
                mstore(add(out, shl(5, add(t, 16))), and(shr(shift, mload(add(acc, g))), U64))
            }
        }
    }

    /// @dev Bonds for chunk `q` (YUMA 2.8 - 2.9): incentive, W~, the EMA of the subnet's variant, the
    /// new bonds words and each row's dividend accumulator.
    function _bondsChunk(SettlementStorage.Run storage run, Ctx memory c) private {
        _loadRows(c);
        _loadRegistered(c);
        _checkWeightRows(c);
        _checkBondRows(c);
        // Under liquid alpha a chunk takes four units of 4 columns: the cursor counts parts.
        uint256 parts = run.yuma3 && run.liquidAlpha && run.anyConsensus ? LIQUID_PARTS : 1;
        uint256 cursor = run.cursor;
        uint256 q = cursor / parts;
        BondsContext memory b = _bondsContext(run, c, q, cursor % parts, parts);

        if (run.yuma3) {
            _yuma3Bonds(c, b, q);
        } else {
            (uint256[] memory bonds, uint256[] memory dividends) = _kernel.original(
                b,
                c.rowInfo,
                _weightsChunk(c, q),
                _loadBondsChunk(c, q)
            );
            _addDividends(c, dividends);
            _storeBondsChunk(c, q, bonds);
        }

        c.rowsDirty = true;
        if (b.t1 < b.m)
            run.cursor = uint32(cursor + 1); // the next part of this chunk
        else if (b.j0 + b.m == c.n) _nextPhase(run, SettlementStorage.Phase.Finalize);
        else run.cursor = uint32((q + 1) * parts);
    }

    /// @dev Part `part` of `parts` of chunk `q` (see `_bondsChunk`).
    function _bondsContext(
        SettlementStorage.Run storage run,
        Ctx memory c,
        uint256 q,
        uint256 part,
        uint256 parts
    ) private returns (BondsContext memory b) {
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        b.j0 = q * CHUNK;
        b.m = c.n - b.j0 < CHUNK ? c.n - b.j0 : CHUNK;
        // Part `part` of `parts`: columns [t0, t1) of the chunk.
        b.t0 = (part * CHUNK) / parts;
        b.t1 = ((part + 1) * CHUNK) / parts;
        if (b.t1 > b.m) b.t1 = b.m;
        b.beta = FixedPoint.fromU16Proportion(run.bondsPenalty);
        b.alpha = YumaEpoch.disabledLiquidAlpha(run.bondsMovingAverage);
        b.oneMinusAlpha = FixedPoint.saturatingSub(FixedPoint.ONE, b.alpha);
        for (uint256 t = 0; t < b.m; ++t) {
            if (run.lastTempo > c.registered[b.j0 + t]) b.live |= 1 << t;
        }
        b.liquid = run.yuma3 && run.liquidAlpha && run.anyConsensus;
        b.sigmoid = YumaEpoch.alphaSigmoidParams(run.alphaLow, run.alphaHigh, int256(uint256(run.alphaSteepness)));
        b.consensus = new uint256[](CHUNK);
        b.incentive = new uint256[](CHUNK);
        uint256 rankSum = run.rankSum;
        uint256 incentiveSum = run.incentiveSum;
        uint256 consensusWord;
        uint256 incentiveWord;
        for (uint256 t = 0; t < b.m; ++t) {
            uint256 j = b.j0 + t;
            uint256 column = _column(c, j);
            uint256 consensus = column & ((1 << 40) - 1);
            uint256 rank = (column >> 40) & U64;
            uint256 incentive = rankSum == 0 ? rank : uint256(FixedPoint.safeDiv(int256(rank), int256(rankSum)));
            b.consensus[t] = consensus;
            b.incentive[t] = incentive;
            if (t >= b.t0 && t < b.t1) incentiveSum += incentive;
            consensusWord |= uint256(FixedPoint.toU16Proportion(int256(consensus))) << (t * 16);
            incentiveWord |= uint256(FixedPoint.toU16Proportion(int256(incentive))) << (t * 16);
        }
        run.incentiveSum = uint128(incentiveSum);
        l.outputs[c.netuid][0][q] = consensusWord;
        l.outputs[c.netuid][1][q] = incentiveWord;
    }

    /// @dev The stored bonds (u16, or ABSENT) of every row on chunk `q`, row-major `k x 16`.
    function _loadBondsChunk(Ctx memory c, uint256 q) private view returns (uint256[] memory bonds) {
        uint256[] memory stored = new uint256[](2 * c.k);
        _readBondWords(c, q, stored, 2, 0);
        bonds = new uint256[](c.k * CHUNK);
        for (uint256 r = 0; r < c.k; ++r) {
            _unpackWord(bonds, r, stored[2 * r], stored[2 * r + 1]);
        }
    }

    /// @dev Yuma3 (YUMA 2.9b) on columns [t0, t1) of chunk `q`, fused into two passes over the stored
    /// words (no per-step matrices): per cell, W = w / row sum under the masks of YUMA 2.6, W~ =
    /// interpolate(W, clip(W), beta), B = floor(b * 2^32 / 65535) under the registration mask, and B'
    /// with its column sums; then per row `sum_j colnorm(B')_j * I_j` (truncating division, floored
    /// products) into the dividend accumulator, and B' as u16 (`fixed_proportion_to_u16`) written for
    /// the rows kept. Each step's arithmetic is that of original Yuma's step-by-step path
    /// (`_weightsRow`, the kernel's `_interpolateChunk`, `_loadBondsChunk`).
    function _yuma3Bonds(Ctx memory c, BondsContext memory b, uint256 q) private {
        uint256 lanes = _lowBits(b.t1) & ~_lowBits(b.t0);
        uint256[] memory rows = Yuma3Bonds.yuma3(b, c.rowInfo, _bondRows(c, b, q, lanes), c.rowDividend);
        _writeBondWords(c, q, _wordAt(rows, 2), 4, lanes);
    }

    /// @dev Adds a bonds unit's dividend terms to the rows' accumulators.
    function _addDividends(Ctx memory c, uint256[] memory dividends) private pure {
        for (uint256 r = 0; r < c.k; ++r) {
            c.rowDividend[r] += dividends[r];
        }
    }

    /// @dev For `_yuma3Bonds`, four words a row: the row's stored weights word on chunk `q` and the
    /// lanes of it kept (present, and surviving the masks of YUMA 2.6), then its stored bonds word
    /// and the lanes of it kept (present, inside the row's length, on a column registered before the
    /// last epoch: YUMA 2.9b's registration mask); only lanes in `lanes`.
    function _bondRows(
        Ctx memory c,
        BondsContext memory b,
        uint256 q,
        uint256 lanes
    ) private view returns (uint256[] memory rows) {
        rows = new uint256[](4 * c.k);
        _readBondWords(c, q, rows, 4, 2);
        uint256 live = b.live & lanes;
        uint256 cache = _weightsCache(c.netuid, q);
        uint256 cached;
        assembly ("memory-safe") {
            cached := tload(add(cache, CACHE_MARK))
        }
        if (cached != 0) {
            // Left by this run's Consensus unit of the chunk, in this transaction (see `_weightsLanes`).
            assembly ("memory-safe") {
                let row := add(rows, 0x20)
                for {
                    let r := 0
                } lt(r, mload(rows)) {
                    r := add(r, 4)
                } {
                    let at := add(cache, shr(1, r))
                    mstore(row, tload(at))
                    mstore(add(row, 0x20), and(tload(add(at, 1)), lanes))
                    mstore(add(row, 0x60), and(mload(add(row, 0x60)), live))
                    row := add(row, 0x80)
                }
            }
            return rows;
        }
        uint256[] memory words = _rowWords(c, q);
        uint256[] memory rowInfo = c.rowInfo;
        uint256 plain = c.plainRows;
        for (uint256 r = 0; r < c.k; ++r) {
            uint256 info;
            assembly ("memory-safe") {
                info := mload(add(add(rowInfo, 0x20), shl(5, r)))
            }
            uint256 kept = (plain >> r) & 1 == 1 ? _plainLanes(info, b.j0) : _keptLanes(c, b.j0, r);
            assembly ("memory-safe") {
                let row := add(add(rows, 0x20), shl(7, r))
                let stored := add(add(words, 0x20), shl(6, r))
                mstore(row, mload(stored))
                mstore(add(row, 0x20), and(and(mload(add(stored, 0x20)), lanes), kept))
                mstore(add(row, 0x60), and(mload(add(row, 0x60)), live))
            }
        }
    }

    /// @dev The transient slots where chunk `q`'s Consensus unit leaves each row's kept weights word and
    /// lanes for its Bonds units (row r at +2r and +2r + 1, fewer than 256 rows) and, at `CACHE_MARK`,
    /// 1 once it has.
    function _weightsCache(uint256 netuid, uint256 q) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(WEIGHTS_CACHE, netuid))) + (q << 9);
    }

    /// @dev Bit t set where column j0 + t of row `r` survives the masks of YUMA 2.6: inside the row's
    /// length (at most n), not the diagonal, not outdated (`last_update > registered`), not
    /// registered after the row's earliest active commit. A plain row (`c.plainRows`: updated
    /// after every registration, no commit before any; the usual case) keeps every column in its
    /// length but its own, without reading its UID word or testing each column (j0 is a multiple
    /// of 16).
    function _keptLanes(Ctx memory c, uint256 j0, uint256 r) private view returns (uint256 kept) {
        uint256 rowInfo = c.rowInfo[r];
        if ((c.plainRows >> r) & 1 == 0) {
            return _testedLanes(c, j0, rowInfo, _read(c, UID_INFO, rowInfo & U32));
        }
        return _plainLanes(rowInfo, j0);
    }

    /// @dev `_keptLanes` of a plain row (`rowInfo`): every column inside its length but its own.
    function _plainLanes(uint256 rowInfo, uint256 j0) private pure returns (uint256 kept) {
        assembly ("memory-safe") {
            let length := and(shr(208, rowInfo), U32)
            if gt(length, j0) {
                kept := 0xffff
                if lt(sub(length, j0), 16) {
                    kept := sub(shl(sub(length, j0), 1), 1)
                }
            }
            let uid := and(rowInfo, U32)
            if eq(shr(4, uid), shr(4, j0)) {
                kept := and(kept, not(shl(and(uid, 15), 1)))
            }
        }
    }

    /// @dev `_keptLanes` of a row that is not plain (`rowInfo`, its UID's `info`), column by column.
    function _testedLanes(Ctx memory c, uint256 j0, uint256 rowInfo, uint256 info) private pure returns (uint256 kept) {
        uint256[] memory registered = c.registered;
        assembly ("memory-safe") {
            let length := and(shr(208, rowInfo), U32)
            let uid := and(rowInfo, U32)
            let updated := and(shr(64, info), U64)
            let committed := and(shr(128, info), U64)
            let reg := add(registered, 0x20)
            for {
                let t := 0
            } and(lt(t, 16), lt(add(j0, t), length)) {
                t := add(t, 1)
            } {
                let j := add(j0, t)
                let rg := mload(add(reg, shl(5, j)))
                if and(and(iszero(eq(j, uid)), gt(updated, rg)), iszero(lt(committed, rg))) {
                    kept := or(kept, shl(t, 1))
                }
            }
        }
    }

    /// @dev Every row's bonds word on chunk `q` and the lanes of it present inside the row's length
    /// (nothing past it: the rest of a row is an earlier holder's; both 0 for a row that ends before the
    /// chunk), into `out` at `stride` words a row from word `offset`: the word, then its lanes. A logged
    /// row's (`LOGGED_BONDS_BIT`) from the caller's rows (checked: `_checkBondRows`), any other's from
    /// storage.
    function _readBondWords(
        Ctx memory c,
        uint256 q,
        uint256[] memory out,
        uint256 stride,
        uint256 offset
    ) private view {
        (uint256 wordsBase, uint256 presenceBase) = _bondBases(c.netuid);
        uint256[] memory rowDividend = c.rowDividend;
        uint256[] memory uids = c.rowUids;
        assembly ("memory-safe") {
            // keccak256(index . keccak256(uid . base)): `base`'s mapping at [uid][index].
            function slotOf(base, uid, index) -> slot {
                mstore(0x00, uid)
                mstore(0x20, base)
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, index)
                slot := keccak256(0x00, 0x40)
            }
            let j0 := shl(4, q)
            for {
                let r := 0
            } lt(r, mload(uids)) {
                r := add(r, 1)
            } {
                let length := and(shr(192, mload(add(add(rowDividend, 0x20), shl(5, r)))), U32)
                // A logged row's words are the caller's (`_readLoggedBondWords`).
                if and(gt(length, j0), iszero(and(mload(add(add(rowDividend, 0x20), shl(5, r))), LOGGED_BONDS_BIT))) {
                    let at := add(add(out, 0x20), shl(5, add(mul(r, stride), offset)))
                    let uid := mload(add(add(uids, 0x20), shl(5, r)))
                    mstore(at, sload(slotOf(wordsBase, uid, q)))
                    let lanes := and(shr(shl(4, and(q, 15)), sload(slotOf(presenceBase, uid, shr(4, q)))), 0xffff)
                    let rest := sub(length, j0)
                    if lt(rest, 16) {
                        lanes := and(lanes, sub(shl(rest, 1), 1))
                    }
                    mstore(add(at, 0x20), lanes)
                }
            }
        }
        if (c.bondRowCount != 0) _readLoggedBondWords(c, q, _wordAt(out, offset), stride);
    }

    /// @dev `_readBondWords` of the logged rows, from the caller's rows: row r's at memory address
    /// `first + 32 * stride * r`.
    function _readLoggedBondWords(Ctx memory c, uint256 q, uint256 first, uint256 stride) private pure {
        uint256[] memory rowDividend = c.rowDividend;
        uint256[] memory bondAt = c.bondAt;
        bytes memory rows = c.weightRows;
        // The caller's segment of chunk q of a row with `bondAt` 0 (a row's is `bondAt[r]` further).
        uint256 data;
        assembly ("memory-safe") {
            data := add(rows, 0x40)
        }
        data += ((q >> 4) - c.firstSegment) * SEGMENT_BYTES;
        assembly ("memory-safe") {
            for {
                let r := 0
            } lt(r, mload(rowDividend)) {
                r := add(r, 1)
            } {
                let info := mload(add(add(rowDividend, 0x20), shl(5, r)))
                let rest := sub(and(shr(192, info), U32), shl(4, q))
                if and(sgt(rest, 0), iszero(iszero(and(info, LOGGED_BONDS_BIT)))) {
                    let segment := add(data, mul(mload(add(add(bondAt, 0x20), shl(5, r))), SEGMENT_BYTES))
                    let at := add(first, shl(5, mul(r, stride)))
                    mstore(at, mload(add(segment, shl(5, and(q, 15)))))
                    let lanes := and(shr(shl(4, and(q, 15)), mload(add(segment, 0x200))), 0xffff)
                    if lt(rest, 16) {
                        lanes := and(lanes, sub(shl(rest, 1), 1))
                    }
                    mstore(add(at, 0x20), lanes)
                }
            }
        }
    }

    /// @dev The memory address of word `offset` of `out`.
    function _wordAt(uint256[] memory out, uint256 offset) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := add(add(out, 0x20), shl(5, offset))
        }
    }

    /// @dev Writes the `lanes` (bit t: column 16q + t) of every kept row's bonds word on chunk `q` and
    /// of its presence bits, from memory at `first`, `stride` words a row (the word, then its lanes):
    /// to storage, or in a run whose scratch is transient (of at least `LOGGED_BONDS_MIN_UIDS` UIDs) to
    /// transient storage, flat from the mappings' `[netuid]` slots (`SettlementStorage.Layout.bondWords`),
    /// which Finalize hashes and logs (`YumaEpochLedger`). Rows not kept are emptied by their
    /// metadata in `_finalize`.
    function _writeBondWords(Ctx memory c, uint256 q, uint256 first, uint256 stride, uint256 lanes) private {
        (uint256 wordsBase, uint256 presenceBase) = _bondBases(c.netuid);
        uint256[] memory rowInfo = c.rowInfo;
        uint256 laneBits = Yuma3Bonds.laneBits(lanes);
        // To transient storage only where Finalize logs the rows.
        bool live = c.live && c.n >= LOGGED_BONDS_MIN_UIDS;
        assembly ("memory-safe") {
            // In transient storage the row's words are flat from `base + (uid << 9)` (see
            // `SettlementStorage.Layout.bondWords`): no keccak256 a word.
            function slotOf(base, uid, index, flat) -> slot {
                if flat {
                    slot := add(add(base, shl(9, uid)), index)
                    leave
                }
                mstore(0x00, uid)
                mstore(0x20, base)
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, index)
                slot := keccak256(0x00, 0x40)
            }
            function load(slot, transient) -> value {
                switch transient
                case 0 {
                    value := sload(slot)
                }
                default {
                    value := tload(slot)
                }
            }
            function store(slot, value, transient) {
                switch transient
                case 0 {
                    sstore(slot, value)
                }
                default {
                    tstore(slot, value)
                }
            }
            let shift := shl(4, and(q, 15))
            for {
                let r := 0
            } lt(r, mload(rowInfo)) {
                r := add(r, 1)
            } {
                let info := mload(add(add(rowInfo, 0x20), shl(5, r)))
                if and(info, NEW_PERMIT_BIT) {
                    let at := add(first, shl(5, mul(r, stride)))
                    let slot := slotOf(wordsBase, and(info, U32), q, live)
                    let word := mload(at)
                    if iszero(eq(lanes, 0xffff)) {
                        word := or(and(load(slot, live), not(laneBits)), and(word, laneBits))
                    }
                    store(slot, word, live)
                    slot := slotOf(presenceBase, and(info, U32), shr(4, q), live)
                    let old := load(slot, live)
                    let updated := or(and(old, not(shl(shift, lanes))), shl(shift, and(mload(add(at, 0x20)), lanes)))
                    if iszero(eq(updated, old)) {
                        store(slot, updated, live)
                    }
                }
            }
        }
    }

    /// @dev The slots of `netuid`'s bonds mappings (`bondWords[netuid]`, `bondPresence[netuid]`): a
    /// row's word on chunk q is at [uid][q], its presence bits at [uid][q >> 4], 16 a chunk.
    function _bondBases(uint256 netuid) private view returns (uint256 wordsBase, uint256 presenceBase) {
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        mapping(uint256 => mapping(uint256 => uint256)) storage words = l.bondWords[netuid];
        mapping(uint256 => mapping(uint256 => uint256)) storage presence = l.bondPresence[netuid];
        assembly ("memory-safe") {
            wordsBase := words.slot
            presenceBase := presence.slot
        }
    }

    /// @dev Writes chunk `q` of every kept row's bonds (`_writeBondWords`) from a `k x 16` chunk.
    function _storeBondsChunk(Ctx memory c, uint256 q, uint256[] memory bonds) private {
        uint256[] memory packed = new uint256[](2 * c.k);
        for (uint256 r = 0; r < c.k; ++r) {
            (packed[2 * r], packed[2 * r + 1]) = _packWord(bonds, r);
        }
        _writeBondWords(c, q, _wordAt(packed, 0), 2, 0xffff);
    }

    /// @dev Row `r` of a `k x 16` chunk from a stored word: the u16 where `mask` has the bit, ABSENT
    /// elsewhere.
    function _unpackWord(uint256[] memory cells, uint256 r, uint256 word, uint256 mask) private pure {
        assembly ("memory-safe") {
            let out := add(add(cells, 0x20), shl(9, r))
            for {
                let t := 0
            } lt(t, 16) {
                t := add(t, 1)
            } {
                let value := not(0)
                if and(shr(t, mask), 1) {
                    value := and(shr(shl(4, t), word), 0xffff)
                }
                mstore(add(out, shl(5, t)), value)
            }
        }
    }

    /// @dev The stored word and presence mask of row `r` of a `k x 16` chunk of u16 (or ABSENT).
    function _packWord(uint256[] memory cells, uint256 r) private pure returns (uint256 word, uint256 mask) {
        assembly ("memory-safe") {
            let row := add(add(cells, 0x20), shl(9, r))
            for {
                let t := 0
            } lt(t, 16) {
                t := add(t, 1)
            } {
                let value := mload(add(row, shl(5, t)))
                if iszero(eq(value, not(0))) {
                    word := or(word, shl(shl(4, t), value))
                    mask := or(mask, shl(t, 1))
                }
            }
        }
    }

    /// @dev A mask of the low `count` bits of 16 (all 16 when `count` >= 16).
    function _lowBits(uint256 count) private pure returns (uint256) {
        return count >= 16 ? 0xffff : (1 << count) - 1;
    }

    /// @dev fixed_proportion_to_u16 of a value in [0, 1.0].
    function _toU16(uint256 x) private pure returns (uint256 y) {
        y = (x * 65535) >> 32;
        if (y > 65535) y = 65535;
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------
}
