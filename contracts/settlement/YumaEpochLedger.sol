// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {INeuronRegistry} from "../interfaces/INeuronRegistry.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {IWeights} from "../interfaces/IWeights.sol";
import {IYumaSettlement} from "../interfaces/IYumaSettlement.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {YumaEpoch} from "../libraries/YumaEpoch.sol";
import {SettlementStorage} from "./SettlementStorage.sol";
import {YumaRunnerBase} from "./YumaRunnerBase.sol";

/// @title YumaEpochLedger
/// @notice The per-UID phases of `YumaEpochRunner`'s runs: Gather (the UIDs' state captured from the
/// registries, staking and weights), Rank (stake weights, the new permits, active stake), Finalize
/// (dividends, the stored outputs, the new permits and `EpochOutputs`; in a run whose scratch is
/// transient, every UID's payment too) and Pay (a run on storage: emission amounts, miners staked,
/// validators' pools paid). The runner calls
/// it by `delegatecall` for one unit of those phases, so it too runs in `YumaSettlement`'s context,
/// on its storage and its balance; it is deployed by the runner, as a pair.
/// @dev Split from the runner so that both stay under the EIP-170 code size limit.
contract YumaEpochLedger is YumaRunnerBase {
    using SafeERC20 for IERC20;

    /// @dev UIDs a Gather unit captures: about 11k gas each at (256, 64) (two scratch words written,
    /// three batch views' cold reads), more under commit-reveal (a fourth view).
    uint256 private constant GATHER_BATCH = 64;
    uint256 private constant PAY_BATCH = 64;
    uint256 private constant STAKE_CAP = 2 ** 96 - 1;

    IERC20 private immutable _token;
    IStaking private immutable _staking;
    INeuronRegistry private immutable _neurons;
    IWeights private immutable _weights;

    constructor(address token_, address staking_, address neurons_, address weights_) {
        _token = IERC20(token_);
        _staking = IStaking(staking_);
        _neurons = INeuronRegistry(neurons_);
        _weights = IWeights(weights_);
    }

    /// @notice One unit of `netuid`'s run, whose phase is Gather, Rank, Finalize or Pay.
    function unit(uint256 netuid) external {
        _onlyDelegated();
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        Ctx memory c = _context(netuid, run);
        SettlementStorage.Phase phase = run.phase;
        if (phase == SettlementStorage.Phase.Gather) _gather(run, c);
        else if (phase == SettlementStorage.Phase.Rank) _rank(run, c);
        else if (phase == SettlementStorage.Phase.Finalize) _finalize(run, c);
        else _pay(run, c);
    }

    // ------------------------------------------------------------------------------------------
    // Gather: the per-UID state the whole run uses, captured once
    // ------------------------------------------------------------------------------------------

    /// @dev What a Gather unit reads of its UIDs, one batch view per source.
    struct Capture {
        address[] hotkeys;
        uint64[] registeredAt;
        bool[] permitted;
        uint64[] updates;
        uint256[] commits; // empty without commit-reveal
        uint256[] stakes;
    }

    /// @dev Captures UIDs [cursor, cursor + GATHER_BATCH): per UID the `uidInfo` word (registration,
    /// effective last update, earliest active commit, row index + 1 for a permit from the previous
    /// epoch) and the `uidStake` word (hotkey, stake), the registration blocks four to a word, and the
    /// rows (permitted UIDs in order).
    function _gather(SettlementStorage.Run storage run, Ctx memory c) private {
        uint256 netuid = c.netuid;
        uint256 start = run.cursor;
        uint256 end = start + GATHER_BATCH < c.n ? start + GATHER_BATCH : c.n;
        Capture memory cap = _capture(netuid, start, end - start, run.commitReveal);
        // The rows so far, the stake total so far, the stake threshold.
        uint256[3] memory acc = [uint256(run.k), run.stakeTotal, run.stakeThreshold];
        _captureWords(c, cap, start, acc);
        run.k = uint32(acc[0]);
        run.stakeTotal = uint128(acc[1]);
        if (!c.live) _markScratchUids(netuid, end);
        if (end == c.n) _nextPhase(run, SettlementStorage.Phase.Rank);
        else run.cursor = uint32(end);
    }

    /// @dev The scratch words of the UIDs from `start` that `cap` holds, after `acc[0]` rows and a stake
    /// total of `acc[1]` (UIDs with at least `acc[2]`), both updated in place.
    /// @dev In assembly (the Solidity loop, with `_write` and checked indexing, cost about 1.8k gas a
    /// UID): per UID its `UID_INFO` word (registration; last update, no earlier than the registration;
    /// earliest active commit, 2^64 - 1 for none; row index + 1 for a permit), its `UID_STAKE` word
    /// (hotkey, stake capped at STAKE_CAP), a `ROW_INFO` entry for a permitted UID, and the
    /// registration blocks four to a `REGISTERED` word. The stakes sum below 2^96 * 2^32: no carry.
    function _captureWords(Ctx memory c, Capture memory cap, uint256 start, uint256[3] memory acc) private {
        assembly ("memory-safe") {
            // `_write` of `c` (scratch base, then the live flag): entry `key` of region `region`.
            function put(ctx, region, key, value) {
                mstore(0x00, key)
                mstore(0x20, add(mload(ctx), region))
                let slot := keccak256(0x00, 0x40)
                switch mload(add(ctx, 0x20))
                case 0 {
                    sstore(slot, value)
                }
                default {
                    tstore(slot, value)
                }
            }
            // `Capture`'s arrays by field (hotkeys, registeredAt, permitted, updates, commits, stakes):
            // entry `at` (bytes past the length word) of the UID's `UID_INFO` word, without the row.
            function uidInfo(capture, at) -> info {
                let registered := mload(add(mload(add(capture, 0x20)), at))
                let updated := mload(add(mload(add(capture, 0x60)), at))
                if lt(updated, registered) {
                    updated := registered
                }
                let committed := U64
                let commits := mload(add(capture, 0x80))
                if mload(commits) {
                    if lt(mload(add(commits, at)), U64) {
                        committed := mload(add(commits, at))
                    }
                }
                info := or(registered, or(shl(64, updated), shl(128, committed)))
            }
            let k := mload(acc)
            let stakeTotal := mload(add(acc, 0x20))
            let end := add(start, mload(mload(cap)))
            let registeredWord := 0
            for {
                let uid := start
            } lt(uid, end) {
                uid := add(uid, 1)
            } {
                let at := shl(5, add(sub(uid, start), 1))
                let info := uidInfo(cap, at)
                if mload(add(mload(add(cap, 0x40)), at)) {
                    put(c, ROW_INFO, k, uid)
                    k := add(k, 1)
                    info := or(info, shl(192, k))
                }
                put(c, UID_INFO, uid, info)
                let stake := mload(add(mload(add(cap, 0xa0)), at))
                if gt(stake, 0xffffffffffffffffffffffff) {
                    stake := 0xffffffffffffffffffffffff // STAKE_CAP
                }
                put(c, UID_STAKE, uid, or(mload(add(mload(cap), at)), shl(160, stake)))
                if iszero(lt(stake, mload(add(acc, 0x40)))) {
                    stakeTotal := add(stakeTotal, stake)
                }
                registeredWord := or(registeredWord, shl(shl(6, and(uid, 3)), and(info, U64)))
                if or(eq(and(uid, 3), 3), eq(add(uid, 1), end)) {
                    put(c, REGISTERED, shr(2, uid), registeredWord)
                    registeredWord := 0
                }
            }
            mstore(acc, k)
            mstore(add(acc, 0x20), stakeTotal)
        }
    }

    function _capture(
        uint256 netuid,
        uint256 start,
        uint256 count,
        bool commitReveal
    ) private view returns (Capture memory cap) {
        (cap.hotkeys, cap.registeredAt, cap.permitted) = _neurons.neuronRange(netuid, start, count);
        cap.updates = _weights.lastUpdates(netuid, start, count);
        if (commitReveal) cap.commits = _weights.earliestActiveCommitBlocks(netuid, cap.hotkeys);
        cap.stakes = _staking.totalStakes(cap.hotkeys);
    }

    // ------------------------------------------------------------------------------------------
    // Rank: stake weights, new permits, active stake, voters (YUMA 2.3 - 2.5, 2.7), one unit
    // ------------------------------------------------------------------------------------------

    /// @dev The Rank phase, one unit: S, the new permits, the plain rows, A and the voters' stake of every
    /// row, and the median's `minority`. In the ledger rather than the runner for its size (the top-k
    /// selection), not its gas: it runs once an epoch.
    function _rank(SettlementStorage.Run storage run, Ctx memory c) private {
        (int256[] memory stake, bool[] memory newPermit) = _newPermits(run, c);
        _loadRows(c);
        _loadRegistered(c);
        c.plainRows = _plainRows(c);
        run.plainRows = c.plainRows;
        (int256[] memory active, int256 activeSum) = _activeStake(run, c, stake);
        int256 voterSum;
        int256 normalizedActiveSum;
        for (uint256 r = 0; r < c.k; ++r) {
            if (activeSum != 0) active[r] = FixedPoint.safeDiv(active[r], activeSum);
            if (active[r] > 0) voterSum += active[r];
            normalizedActiveSum += active[r];
        }
        // Voters: rows with A > 0; their stake re-normalised (truncating) for the median.
        int256 normalizedVoterSum;
        uint256 voters;
        for (uint256 r = 0; r < c.k; ++r) {
            uint256 info = c.rowUids[r] | (uint256(active[r]) << 64);
            if (active[r] > 0) {
                int256 voterStake = FixedPoint.safeDiv(active[r], voterSum);
                normalizedVoterSum += voterStake;
                info |= uint256(voterStake) << 112;
                ++voters;
            }
            if (newPermit[c.rowUids[r]]) info |= NEW_PERMIT_BIT;
            c.rowInfo[r] = info;
            c.rowDividend[r] = 0;
        }
        c.rowsDirty = true;
        run.activeSum = uint128(uint256(normalizedActiveSum));
        run.voters = uint32(voters);
        run.minority = int128(FixedPoint.saturatingSub(normalizedVoterSum, FixedPoint.fromU16Proportion(run.kappa)));
        _nextPhase(run, SettlementStorage.Phase.RowSums);
        _flushRows(c);
    }

    /// @dev S for every UID and the new permits (top-k by S, YUMA 2.4), stored as a bitmap.
    function _newPermits(
        SettlementStorage.Run storage run,
        Ctx memory c
    ) private returns (int256[] memory stake, bool[] memory newPermit) {
        uint256 n = c.n;
        stake = _stakeWeights(run, c);
        newPermit = YumaEpoch.isTopkNonzero(stake, run.maxValidators);
        uint256[] memory bitmap = new uint256[]((n + 255) / 256);
        for (uint256 uid = 0; uid < n; ++uid) {
            if (newPermit[uid]) bitmap[uid >> 8] |= 1 << (uid & 0xff);
        }
        for (uint256 w = 0; w < bitmap.length; ++w) {
            _write(c, NEW_PERMITS, w, bitmap[w]);
        }
    }

    /// @dev Active stake of each row, before normalisation: S of permitted UIDs updated within the
    /// activity cutoff (`last_update + activity_cutoff < current_block` is inactive), and its sum.
    function _activeStake(
        SettlementStorage.Run storage run,
        Ctx memory c,
        int256[] memory stake
    ) private view returns (int256[] memory active, int256 activeSum) {
        uint256 cutoff = run.activityCutoff;
        uint256 current = run.startBlock;
        active = new int256[](c.k);
        for (uint256 r = 0; r < c.k; ++r) {
            uint256 uid = c.rowUids[r];
            uint256 updated = (_read(c, UID_INFO, uid) >> 64) & U64;
            if (updated + cutoff < current) continue; // u64 values: no overflow
            active[r] = stake[uid];
            activeSum += stake[uid];
        }
    }

    /// @dev The plain rows (see `YumaEpochRunner._keptLanes`): updated after every registration, no commit before any.
    function _plainRows(Ctx memory c) private view returns (uint256 plain) {
        uint256 latest;
        for (uint256 j = 0; j < c.n; ++j) {
            if (c.registered[j] > latest) latest = c.registered[j];
        }
        for (uint256 r = 0; r < c.k && r < 256; ++r) {
            uint256 info = _read(c, UID_INFO, c.rowUids[r]);
            if (((info >> 64) & U64) > latest && ((info >> 128) & U64) >= latest) plain |= 1 << r;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Finalize and pay
    // ------------------------------------------------------------------------------------------

    /// @dev The per-UID outputs the event and the payments need.
    struct Outputs {
        uint16[] consensus;
        uint16[] incentive;
        uint16[] dividends;
        uint16[] validatorTrust;
        uint16[] trust;
        bool[] newPermit;
        uint256[] minerEmission;
        uint256[] validatorEmission;
    }

    /// @dev The UIDs `_uidOutputs` computes, `start ..`: their normalised dividends (0 without a row)
    /// and, when the run falls back to them (no incentive and no dividends), their fallback shares
    /// (otherwise empty), entry `i` for UID `start + i`.
    struct Batch {
        uint256 start;
        int256[] dividend;
        int256[] fallbackShares;
    }

    /// @dev A batch of UIDs' payment (`_uidOutputs` fills it when its `hotkeys` are allocated): each
    /// UID's hotkey and emission for the registry's pruning score (nanoTAO, saturating at u64, of its
    /// miner and validator amounts computed together on their summed shares, YUMA 2.10), and the sums.
    struct Payment {
        address[] hotkeys;
        uint64[] emissionsNano;
        uint256 paid;
        uint256 combinedTotal;
    }

    function _finalize(SettlementStorage.Run storage run, Ctx memory c) private {
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        _loadRows(c);
        uint256 netuid = c.netuid;
        uint256 n = c.n;
        uint256 k = c.k;

        // Dividends (YUMA 2.9): Yuma3 D_i = tb_i * A_i (checked, 0 on overflow), original D_i = tb_i;
        // then normalised.
        int256[] memory dividends = new int256[](k);
        int256 dividendSum;
        for (uint256 r = 0; r < k; ++r) {
            int256 tb = int256(c.rowDividend[r] & type(uint128).max);
            int256 d = tb;
            if (run.yuma3) {
                (bool ok, int256 product) = FixedPoint.checkedMul(tb, int256((c.rowInfo[r] >> 64) & U48));
                d = ok ? product : int256(0);
            }
            dividends[r] = d;
            dividendSum += d;
        }
        int256 emissionSum = int256(uint256(run.incentiveSum));
        for (uint256 r = 0; r < k; ++r) {
            int256 d = dividendSum != 0 ? FixedPoint.safeDiv(dividends[r], dividendSum) : dividends[r];
            c.rowDividend[r] = (c.rowDividend[r] & ~(U64 << 128)) | (uint256(d) << 128);
            emissionSum += d;
        }
        run.emissionSum = uint128(uint256(emissionSum));
        c.rowsDirty = true;

        // A run whose scratch is transient ends in this call: every UID is paid now, in one batch, from
        // the amounts computed for the event (a chunked run's Pay units compute them again, by batch).
        Payment memory pay = c.live ? _newPayment(n) : _newPayment(0);
        Outputs memory out = _outputs(run, c, pay);
        _storeU16(netuid, 2, out.dividends);
        _storeU16(netuid, 3, out.validatorTrust);
        _storeU16(netuid, 4, out.trust);
        l.outputLength[netuid] = n;

        // Blocks fit 40 bits for some 70,000 years at 2 s a block (`RowMeta`).
        uint40 startBlock = uint40(run.startBlock);
        _writeBondMeta(c, startBlock);
        // UIDs registered after the run started (past `n`) hold no permit until the next epoch.
        uint256[] memory bitmap = new uint256[]((_neurons.neuronCount(netuid) + 255) / 256);
        for (uint256 uid = 0; uid < n; ++uid) {
            if (!out.newPermit[uid]) continue;
            bitmap[uid >> 8] |= 1 << (uid & 0xff);
            if (_rowOf(c, uid) == 0) {
                l.bondMeta[netuid][uid] = SettlementStorage.RowMeta(startBlock, 0, 0, bytes20(0));
            }
        }
        _neurons.setValidatorPermits(netuid, bitmap);
        emit IYumaSettlement.EpochOutputs(
            netuid,
            l.state[netuid].epochIndex + 1,
            _fractions(out),
            out.minerEmission,
            out.validatorEmission
        );
        // Pay reads the rows from storage.
        _flushRows(c);
        if (c.live) {
            _credit(run, c, 0, out, pay);
            _nextPhase(run, SettlementStorage.Phase.Done);
        } else _nextPhase(run, SettlementStorage.Phase.Pay);
    }

    /// @dev The `fractions` of `EpochOutputs`: 11 bytes a UID (five big-endian u16, then the permit).
    function _fractions(Outputs memory out) private pure returns (bytes memory fractions) {
        uint16[] memory consensus = out.consensus;
        uint16[] memory incentive = out.incentive;
        uint16[] memory dividends = out.dividends;
        uint16[] memory validatorTrust = out.validatorTrust;
        uint16[] memory trust = out.trust;
        bool[] memory permit = out.newPermit;
        assembly ("memory-safe") {
            let n := mload(consensus)
            fractions := mload(0x40)
            mstore(fractions, mul(n, 11))
            let at := add(fractions, 0x20)
            for {
                let i := 0x20
            } lt(i, add(shl(5, n), 0x20)) {
                i := add(i, 0x20)
            } {
                // 88 bits, written at the top of a word: each record overwrites the zeros the one
                // before left past its 11 bytes.
                let record := or(
                    or(shl(72, mload(add(consensus, i))), shl(56, mload(add(incentive, i)))),
                    or(
                        or(shl(40, mload(add(dividends, i))), shl(24, mload(add(validatorTrust, i)))),
                        or(shl(8, mload(add(trust, i))), mload(add(permit, i)))
                    )
                )
                mstore(at, shl(168, record))
                at := add(at, 11)
            }
            // The last record's word ends 21 bytes past the data; all of it is allocated.
            mstore(0x40, and(add(at, 52), not(31)))
        }
    }

    /// @dev The bonds rows' meta words: kept rows were rewritten (in transient storage when the scratch
    /// is and the subnet has more than 64 UIDs: they are hashed and logged now); every other permitted
    /// row starts empty (as does every new permit without a row, in `_finalize`). Rows are marked
    /// written at the epoch's block.
    function _writeBondMeta(Ctx memory c, uint40 startBlock) private {
        mapping(uint256 => SettlementStorage.RowMeta) storage metas = SettlementStorage.layout().bondMeta[c.netuid];
        uint256 n = c.n;
        uint40 logged = c.live && n >= LOGGED_BONDS_MIN_UIDS ? uint40(block.number) : 0;
        for (uint256 r = 0; r < c.k; ++r) {
            uint256 uid = c.rowUids[r];
            bool keep = c.rowInfo[r] & NEW_PERMIT_BIT != 0;
            bytes20 firstHash = keep && logged != 0 ? _logBondsRow(c.netuid, uid, n) : bytes20(0);
            metas[uid] = SettlementStorage.RowMeta(startBlock, keep ? uint16(n) : 0, keep ? logged : 0, firstHash);
        }
    }

    /// @dev Hashes and logs the new bonds row of `uid` (`n` columns) that this run's Bonds units left in
    /// transient storage, flat from the slots of `bondWords[netuid]` and `bondPresence[netuid]` plus
    /// `uid << 9` (see `SettlementStorage.Layout.bondWords`): each 256-column segment's 17 words (16
    /// value words, the presence word; columns past `n` cleared: transient storage keeps what an
    /// earlier run of the transaction wrote there) committed to (`SettlementStorage.META_BITS`),
    /// the first segment's returned for the row's meta word and later ones into `bondHash`, the whole
    /// row into `BondsSet`.
    function _logBondsRow(uint256 netuid, uint256 uid, uint256 n) private returns (bytes20 firstHash) {
        mapping(uint256 => bytes32) storage hashes = SettlementStorage.layout().bondHash[netuid][uid];
        (uint256 values, uint256 presenceAt) = _bondScratch(netuid, uid);
        uint256 segments = (n + 255) >> 8;
        uint256[] memory words = new uint256[](segments * 17);
        assembly ("memory-safe") {
            let wordCount := shr(4, add(n, 15))
            for {
                let s := 0
            } lt(s, segments) {
                s := add(s, 1)
            } {
                let segment := add(add(words, 0x20), mul(s, 544))
                for {
                    let j := 0
                } lt(j, 16) {
                    j := add(j, 1)
                } {
                    let w := add(shl(4, s), j)
                    if lt(w, wordCount) {
                        let word := tload(add(values, w))
                        // The last word's lanes past n.
                        if and(eq(w, sub(wordCount, 1)), and(n, 15)) {
                            word := and(word, sub(shl(shl(4, and(n, 15)), 1), 1))
                        }
                        mstore(add(segment, shl(5, j)), word)
                    }
                }
                let presence := tload(add(presenceAt, s))
                let columns := sub(n, shl(8, s))
                if lt(columns, 256) {
                    presence := and(presence, sub(shl(columns, 1), 1))
                }
                mstore(add(segment, 0x200), presence)
                let commitment := and(keccak256(segment, 544), not(META_BITS))
                switch s
                case 0 {
                    firstHash := commitment
                }
                default {
                    mstore(0x00, s)
                    mstore(0x20, hashes.slot)
                    sstore(keccak256(0x00, 0x40), commitment)
                }
            }
        }
        emit IYumaSettlement.BondsSet(netuid, uid, words);
    }

    /// @dev The transient slots of row `uid`'s first new bonds word and first presence word.
    function _bondScratch(uint256 netuid, uint256 uid) private view returns (uint256 values, uint256 presence) {
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        mapping(uint256 => mapping(uint256 => uint256)) storage valueWords = l.bondWords[netuid];
        mapping(uint256 => mapping(uint256 => uint256)) storage presenceWords = l.bondPresence[netuid];
        assembly ("memory-safe") {
            values := add(valueWords.slot, shl(9, uid))
            presence := add(presenceWords.slot, shl(9, uid))
        }
    }

    /// @dev What every UID's emission amounts share (YUMA 2.10), read from the run once per unit: the
    /// per-UID loops of Finalize and Pay read it from memory, not from the run's storage words.
    struct Totals {
        int256 emissionSum;
        int256 rankSum;
        uint256 amount;
        // With no incentive and no dividends, validators' emission follows A, or S when A sums to 0.
        bool byActive;
        uint256 stakeThreshold;
        uint256 stakeTotal;
    }

    function _totals(SettlementStorage.Run storage run) private view returns (Totals memory t) {
        t.emissionSum = int256(uint256(run.emissionSum));
        t.rankSum = int256(uint256(run.rankSum));
        t.amount = run.amount;
        t.byActive = run.activeSum != 0;
        t.stakeThreshold = run.stakeThreshold;
        t.stakeTotal = run.stakeTotal;
    }

    /// @dev Every UID's outputs from the stored columns and rows (Finalize), and `pay` when allocated.
    function _outputs(
        SettlementStorage.Run storage run,
        Ctx memory c,
        Payment memory pay
    ) private view returns (Outputs memory out) {
        uint256 n = c.n;
        out = _newOutputs(n);
        int256[] memory active = new int256[](n);
        int256[] memory dividend = new int256[](n);
        for (uint256 r = 0; r < c.k; ++r) {
            uint256 uid = c.rowUids[r];
            active[uid] = int256((c.rowInfo[r] >> 64) & U48);
            dividend[uid] = int256((c.rowDividend[r] >> 128) & U64);
            out.dividends[uid] = FixedPoint.toU16Proportion(dividend[uid]);
            out.validatorTrust[uid] = FixedPoint.toU16Proportion(int256((c.rowInfo[r] >> 160) & U48));
        }
        Totals memory t = _totals(run);
        _uidOutputs(c, t, Batch(0, dividend, _fallbackShares(run, c, t, active)), out, pay);
    }

    /// @dev Outputs for `count` UIDs, zeroed.
    function _newOutputs(uint256 count) private pure returns (Outputs memory out) {
        out.consensus = new uint16[](count);
        out.incentive = new uint16[](count);
        out.dividends = new uint16[](count);
        out.validatorTrust = new uint16[](count);
        out.trust = new uint16[](count);
        out.newPermit = new bool[](count);
        out.minerEmission = new uint256[](count);
        out.validatorEmission = new uint256[](count);
    }

    /// @dev A payment of `count` UIDs (none: `_uidOutputs` pays nothing).
    function _newPayment(uint256 count) private pure returns (Payment memory pay) {
        pay.hotkeys = new address[](count);
        pay.emissionsNano = new uint64[](count);
    }

    /// @dev The column outputs, permit and amounts of UIDs `batch.start ..` (as many as `out`'s arrays
    /// hold, entry `i` for UID `start + i`, as in the batch's arrays) into `out`, and when
    /// `pay.hotkeys` is allocated (as long as `out`'s) their payment into `pay`. The one computation
    /// of what a UID is paid: Finalize runs it over every UID, Pay units over their batch. In assembly
    /// (the Solidity loop, eight checked array writes and a dozen calls a UID, cost about 3.7k gas a
    /// UID at (256, 64)), with `FixedPoint`'s `safeDiv`, `saturatingAdd` and `toU16Proportion`.
    function _uidOutputs(
        Ctx memory c,
        Totals memory t,
        Batch memory batch,
        Outputs memory out,
        Payment memory pay
    ) private view {
        assembly ("memory-safe") {
            // `_read` of `c` (scratch base, then the live flag): entry `key` of region `region`.
            function get(ctx, region, key) -> value {
                mstore(0x00, key)
                mstore(0x20, add(mload(ctx), region))
                let slot := keccak256(0x00, 0x40)
                switch mload(add(ctx, 0x20))
                case 0 {
                    value := sload(slot)
                }
                default {
                    value := tload(slot)
                }
            }
            // FixedPoint.safeDiv: (a << 32) / b, truncating; 0 for b = 0 or a quotient past I32F32.
            function safeDiv(a, b) -> q {
                if b {
                    q := sdiv(shl(32, a), b)
                    if or(sgt(q, 0x7fffffffffffffff), slt(q, not(0x7fffffffffffffff))) {
                        q := 0
                    }
                }
            }
            // FixedPoint.toU16Proportion: 0 for bits <= 0, else min(floor(bits * 65535 / 2^32), 65535).
            function u16(bits) -> y {
                if sgt(bits, 0) {
                    y := shr(32, mul(bits, 65535))
                    if gt(y, 65535) {
                        y := 65535
                    }
                }
            }
            // floor(share * amount / 2^32) for a share > 0, else 0.
            function part(share, amount) -> a {
                if sgt(share, 0) {
                    a := shr(32, mul(share, amount))
                }
            }
            // `Outputs` by field: consensus, incentive, dividends, validatorTrust, trust, newPermit,
            // minerEmission, validatorEmission; entry at `at` bytes past the length. Returns the UID's
            // incentive I = R / sum R (I32F32; R itself when the ranks sum to 0). `Totals`:
            // emissionSum, rankSum, amount, ...
            function columnOutputs(o, totals, at, column, permit) -> incentive {
                mstore(add(mload(o), at), u16(and(column, 0xffffffffff)))
                mstore(add(mload(add(o, 0x80)), at), and(shr(104, column), 0xffff))
                incentive := and(shr(40, column), 0xffffffffffffffff)
                if mload(add(totals, 0x20)) {
                    incentive := safeDiv(incentive, mload(add(totals, 0x20)))
                }
                mstore(add(mload(add(o, 0x20)), at), u16(incentive))
                mstore(add(mload(add(o, 0xa0)), at), permit)
            }
            // The amounts (YUMA 2.10): shares over the plain sum of I + D (truncating), or I and the
            // fallback share when it is 0, times the run's amount / 2^32. Returns `combined`: the amount
            // of the two shares together, on I + D saturating at the I32F32 bounds (the fallback share
            // when the sum is 0).
            function amounts(o, totals, at, incentive, d, fallbackShare) -> combined {
                let combinedShare := fallbackShare
                let sum := mload(totals)
                let minerShare := incentive
                let validatorShare := fallbackShare
                if sum {
                    minerShare := safeDiv(incentive, sum)
                    validatorShare := safeDiv(d, sum)
                    let both := add(incentive, d)
                    if sgt(both, 0x7fffffffffffffff) {
                        both := 0x7fffffffffffffff
                    }
                    if slt(both, not(0x7fffffffffffffff)) {
                        both := not(0x7fffffffffffffff)
                    }
                    combinedShare := safeDiv(both, sum)
                }
                let amount := mload(add(totals, 0x40))
                mstore(add(mload(add(o, 0xc0)), at), part(minerShare, amount))
                mstore(add(mload(add(o, 0xe0)), at), part(validatorShare, amount))
                combined := part(combinedShare, amount)
            }
            // `Payment`: hotkeys, emissionsNano, paid, combinedTotal; the UID's entries at `at` (its
            // amounts in `Outputs` `o`), its `UID_STAKE` word `stakeWord`. Each amount is at most the
            // run's, below 2^128: no sum carries.
            function payment(p, o, at, stakeWord, combined) {
                mstore(add(mload(p), at), and(stakeWord, 0xffffffffffffffffffffffffffffffffffffffff))
                let paid := add(mload(add(mload(add(o, 0xc0)), at)), mload(add(mload(add(o, 0xe0)), at)))
                mstore(add(p, 0x40), add(mload(add(p, 0x40)), paid))
                mstore(add(p, 0x60), add(mload(add(p, 0x60)), combined))
                let nano := div(combined, 1000000000)
                if gt(nano, 0xffffffffffffffff) {
                    nano := 0xffffffffffffffff
                }
                mstore(add(mload(add(p, 0x20)), at), nano)
            }
            // Entry `at` of `shares`, 0 when it is empty.
            function entry(shares, at) -> value {
                if mload(shares) {
                    value := mload(add(shares, at))
                }
            }
            let start := mload(batch)
            let columns := 0
            let permits := 0
            for {
                let uid := start
            } lt(uid, add(start, mload(mload(out)))) {
                uid := add(uid, 1)
            } {
                // The columns' words hold two columns (`start` is even: 0, or a multiple of
                // PAY_BATCH), the new permits' 256.
                if iszero(and(uid, 1)) {
                    columns := get(c, COLUMNS, shr(1, uid))
                }
                if or(eq(uid, start), iszero(and(uid, 0xff))) {
                    permits := get(c, NEW_PERMITS, shr(8, uid))
                }
                let at := shl(5, add(sub(uid, start), 1))
                let incentive := columnOutputs(
                    out,
                    t,
                    at,
                    shr(shl(7, and(uid, 1)), columns),
                    and(shr(and(uid, 0xff), permits), 1)
                )
                let combined := amounts(
                    out,
                    t,
                    at,
                    incentive,
                    mload(add(mload(add(batch, 0x20)), at)),
                    entry(mload(add(batch, 0x40)), at)
                )
                if mload(mload(pay)) {
                    payment(pay, out, at, get(c, UID_STAKE, uid), combined)
                }
            }
        }
    }

    /// @dev With no incentive and no dividends, validators' emission follows A, or S when A sums to 0
    /// (YUMA 2.10). Empty when not needed.
    function _fallbackShares(
        SettlementStorage.Run storage run,
        Ctx memory c,
        Totals memory t,
        int256[] memory active
    ) private view returns (int256[] memory shares) {
        if (t.emissionSum != 0) return shares;
        if (t.byActive) return active;
        return _stakeWeights(run, c);
    }

    /// @dev Pays UIDs [cursor, cursor + PAY_BATCH): miners' incentive staked for their operators,
    /// validators' dividends into their pools; records each UID's emission.
    function _pay(SettlementStorage.Run storage run, Ctx memory c) private {
        uint256 start = run.cursor;
        uint256 end = start + PAY_BATCH < c.n ? start + PAY_BATCH : c.n;
        uint256 count = end - start;
        Totals memory t = _totals(run);
        int256[] memory dividend = new int256[](count);
        int256[] memory fallbackShares = new int256[](t.emissionSum != 0 ? 0 : count);
        for (uint256 i = 0; i < count; ++i) {
            (int256 d, int256 fallbackShare) = _rowShares(c, t, start + i);
            dividend[i] = d;
            if (fallbackShares.length != 0) fallbackShares[i] = fallbackShare;
        }
        Outputs memory out = _newOutputs(count);
        Payment memory pay = _newPayment(count);
        _uidOutputs(c, t, Batch(start, dividend, fallbackShares), out, pay);
        _credit(run, c, start, out, pay);
        if (end == c.n) _nextPhase(run, SettlementStorage.Phase.Done);
        else run.cursor = uint32(end);
    }

    /// @dev Pays a batch of UIDs from `start` (`_uidOutputs`'s `out` and `pay`): their emissions
    /// recorded in the registry, miners' amounts staked for their operators and validators' paid into
    /// their pools (`accrueRewards`), and the run's totals counted.
    function _credit(
        SettlementStorage.Run storage run,
        Ctx memory c,
        uint256 start,
        Outputs memory out,
        Payment memory pay
    ) private {
        uint256 paid = pay.paid;
        run.paid += paid;
        run.combinedTotal += uint128(pay.combinedTotal);
        if (pay.hotkeys.length != 0) _neurons.recordNeuronEmissions(c.netuid, start, pay.emissionsNano);
        if (paid != 0) {
            _token.forceApprove(address(_staking), paid);
            _staking.accrueRewards(pay.hotkeys, out.minerEmission, out.validatorEmission);
        }
    }

    /// @dev A UID's normalised dividend (0 without a row) and, when the run falls back (no incentive,
    /// no dividends), its fallback share: A (0 without a row), or S from its captured stake. The rows'
    /// words are read only where needed (a chunked run's Pay reads them from storage).
    function _rowShares(
        Ctx memory c,
        Totals memory t,
        uint256 uid
    ) private view returns (int256 dividend, int256 fallbackShare) {
        uint256 row = _rowOf(c, uid);
        if (row != 0) dividend = int256((_read(c, ROW_DIVIDEND, row - 1) >> 128) & U64);
        if (t.emissionSum != 0) return (dividend, 0);
        if (!t.byActive) {
            return (dividend, _stakeWeight(_read(c, UID_STAKE, uid) >> 160, t.stakeThreshold, t.stakeTotal));
        }
        if (row != 0) fallbackShare = int256((_read(c, ROW_INFO, row - 1) >> 64) & U48);
    }

    /// @dev A UID's row index + 1 (0: no permit from the previous epoch, no row).
    function _rowOf(Ctx memory c, uint256 uid) private view returns (uint256) {
        return (_read(c, UID_INFO, uid) >> 192) & U32;
    }

    /// @dev Stores `values` as `outputs[netuid][output]`, sixteen u16 a word from the low bits.
    function _storeU16(uint256 netuid, uint256 output, uint16[] memory values) private {
        mapping(uint256 => uint256) storage words = SettlementStorage.layout().outputs[netuid][output];
        // In assembly: the packing loop in Solidity (checked indices, a bound check a value) cost about
        // 550 gas a value, three times the words' writes at (256, 64).
        assembly ("memory-safe") {
            let n := mload(values)
            for {
                let first := 0
            } lt(first, n) {
                first := add(first, 16)
            } {
                let count := sub(n, first)
                if gt(count, 16) {
                    count := 16
                }
                let at := add(add(values, 0x20), shl(5, first))
                let word := 0
                for {
                    let i := 0
                } lt(i, count) {
                    i := add(i, 1)
                } {
                    word := or(word, shl(shl(4, i), mload(add(at, shl(5, i)))))
                }
                mstore(0x00, shr(4, first))
                mstore(0x20, words.slot)
                sstore(keccak256(0x00, 0x40), word)
            }
        }
    }
}
