// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SettlementStorage} from "./SettlementStorage.sol";

/// @title YumaRunnerBase
/// @notice What `YumaEpochRunner` and `YumaEpochLedger` share: both run in `YumaSettlement`'s context
/// by `delegatecall` (the ledger called by the runner), on the run state of `SettlementStorage`. The
/// per-call memory (`Ctx`), the rows' load and write-back, phase changes and subtensor's stake vector.
abstract contract YumaRunnerBase {
    /// @dev A bonds row meta word's blocks and length, below its first segment's hash (`RowMeta`).
    uint256 internal constant META_BITS = (1 << 96) - 1;
    uint256 internal constant U32 = 0xffffffff;
    uint256 internal constant U40 = 0xffffffffff;
    uint256 internal constant U48 = 0xffffffffffff;
    uint256 internal constant U64 = 0xffffffffffffffff;
    uint256 internal constant NEW_PERMIT_BIT = 1 << 240;
    /// @dev In a row's `rowDividend` word: its bonds row is in a `BondsSet` log, and the caller passes it.
    uint256 internal constant LOGGED_BONDS_BIT = 1 << 224;
    /// @dev The fewest UIDs for which a run on transient scratch logs its bonds rows instead of storing
    /// them: a row of 64 columns or fewer (four words) costs less to read and rewrite in storage than
    /// to hash, log and pass back as calldata (docs/yuma.md, "Bonds rows in logs").
    uint256 internal constant LOGGED_BONDS_MIN_UIDS = 65;
    /// @dev The regions of `SettlementStorage.Scratch`, in member order.
    uint256 internal constant UID_INFO = 0;
    uint256 internal constant UID_STAKE = 1;
    uint256 internal constant REGISTERED = 2;
    uint256 internal constant ROW_INFO = 3;
    uint256 internal constant ROW_DIVIDEND = 4;
    uint256 internal constant COLUMNS = 5;
    uint256 internal constant NEW_PERMITS = 6;
    /// @dev Transient slot of the flag "this call's run keeps its scratch in transient storage"
    /// (`_live`), ERC-7201's formula on a namespace of its own:
    /// keccak256(abi.encode(uint256(keccak256("taonet.transient.YumaSettlement.live")) - 1)) & ~0xff.
    uint256 internal constant LIVE_SLOT = 0x6674e63e25027368264d6e527eaf3faeca66095cbc8f50ccf55486c8327ad700;

    /// @dev This contract's own address: code that must only run by `delegatecall` checks it.
    address internal immutable _self;

    /// @notice The code was called directly; it only runs inside the settlement.
    error OnlyDelegateCall();

    /// @dev Per-call memory: where the run's scratch is, the rows (loaded at most once per call,
    /// written back once) and the registered blocks of every UID (loaded when a phase needs them).
    struct Ctx {
        // The slot of the run's `SettlementStorage.Scratch` (`_scratchBase`), and whether the scratch
        // is in transient storage in this call (`_live`), at the same slots as in storage. These two
        // stay the first fields: `_read` and `_write` load them by offset (0 and 32).
        uint256 scratch;
        bool live;
        uint256 netuid;
        uint256 n;
        uint256 k;
        bool rowsLoaded;
        bool rowsDirty;
        uint256[] rowInfo;
        uint256[] rowDividend;
        uint256[] rowUids;
        uint256[] registered;
        // An upper bound on the gas of writing the rows back (`_flushRows`), from the loaded values.
        uint256 flushGas;
        // Bit r set where row r (r < 256) keeps every column of its length but its own: updated after
        // every registration, no active commit before any (`Run.plainRows`, set in Rank; loaded with
        // the registration blocks).
        uint256 plainRows;
        // The caller's median hints (`IYumaSettlement.settleWithHints`).
        bytes hints;
        // The caller's weights rows (`IYumaSettlement.settle`): a header (the first segment passed, and
        // `bondRowCount` above bit 128), then row r's segment `firstSegment + i` (17 words, see
        // `Weights`) at word `1 + 17 (r * segmentCount + i)`, then the logged bonds rows' segments;
        // parsed once per call (`rowsParsed`), checked against `Weights.rowCommitments` once per call
        // (`rowsChecked`), which also gives each row's meta word (`rowMeta`), and the bonds rows
        // against `SettlementStorage.Layout.bondHash` before the call's first Bonds unit
        // (`bondsChecked`): row r's bonds segment `firstSegment + i` is the caller's segment
        // `bondAt[r] + i` (counted from the first weights segment) when its bonds are logged.
        bytes weightRows;
        bool rowsParsed;
        uint256 firstSegment;
        uint256 segmentCount;
        uint256 bondRowCount;
        bool rowsChecked;
        bool bondsChecked;
        uint256[] rowMeta;
        uint256[] bondAt;
        // The run's `minority` (for the medians).
        int256 minority;
        // Whether the medians are searched for and recorded in `hints` (`quoteHints`).
        bool recording;
        // While `live`: the gas that copying the scratch to storage may take (`YumaEpochRunner._spill`),
        // and the UIDs whose per-UID words storage already holds (`SubnetState.scratchUids`).
        uint256 spillGas;
        uint256 storedUids;
    }

    constructor() {
        _self = address(this);
    }

    /// @dev Reverts unless running by `delegatecall` (in another contract's context).
    function _onlyDelegated() internal view {
        if (address(this) == _self) revert OnlyDelegateCall();
    }

    /// @dev A fresh context for `netuid`'s run.
    function _context(uint256 netuid, SettlementStorage.Run storage run) internal view returns (Ctx memory c) {
        c.netuid = netuid;
        c.n = run.n;
        c.live = _live(netuid);
        c.scratch = _scratchBase(netuid);
    }

    /// @dev Whether this call's run of `netuid` keeps its scratch in transient storage: a run that is
    /// expected to finish in the call it starts in writes it there (100 gas a word instead of 2,900 to
    /// 22,100), and copies it to storage only when the call ends before the run does
    /// (`YumaEpochRunner`). The flag holds the subnet's netuid + 1, and is cleared as the call ends.
    function _live(uint256 netuid) internal view returns (bool live) {
        assembly ("memory-safe") {
            live := eq(tload(LIVE_SLOT), add(netuid, 1))
        }
    }

    /// @dev The slot of `netuid`'s `SettlementStorage.Scratch`: region i's mapping is at it + i.
    function _scratchBase(uint256 netuid) internal view returns (uint256 base) {
        mapping(uint256 => SettlementStorage.Scratch) storage scratch = SettlementStorage.layout().scratch;
        assembly ("memory-safe") {
            mstore(0x00, netuid)
            mstore(0x20, scratch.slot)
            base := keccak256(0x00, 0x40)
        }
    }

    /// @dev Entry `key` of scratch region `region` of `c`'s run: from transient storage when `c.live`.
    function _read(Ctx memory c, uint256 region, uint256 key) internal view returns (uint256 value) {
        // Written in assembly (fields by offset, no checked addition): it runs for every UID of
        // several phases, where the plain Solidity accessor cost about 125 gas more a call.
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, add(mload(c), region))
            let slot := keccak256(0x00, 0x40)
            switch mload(add(c, 0x20))
            case 0 {
                value := sload(slot)
            }
            default {
                value := tload(slot)
            }
        }
    }

    /// @dev Sets entry `key` of scratch region `region` of `c`'s run: in transient storage when `c.live`.
    function _write(Ctx memory c, uint256 region, uint256 key, uint256 value) internal {
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, add(mload(c), region))
            let slot := keccak256(0x00, 0x40)
            switch mload(add(c, 0x20))
            case 0 {
                sstore(slot, value)
            }
            default {
                tstore(slot, value)
            }
        }
    }

    /// @dev Column `j`'s half word of the run (`Scratch.columns`, two columns a word).
    function _column(Ctx memory c, uint256 j) internal view returns (uint256) {
        return _read(c, COLUMNS, j >> 1) >> ((j & 1) * 128);
    }

    /// @dev Records that UIDs [0, uids) of `netuid` have their per-UID scratch words in storage
    /// (`SubnetState.scratchUids`).
    function _markScratchUids(uint256 netuid, uint256 uids) internal {
        SettlementStorage.SubnetState storage state = SettlementStorage.layout().state[netuid];
        if (uids > state.scratchUids) state.scratchUids = uids > type(uint24).max ? type(uint24).max : uint24(uids);
    }

    function _nextPhase(SettlementStorage.Run storage run, SettlementStorage.Phase phase) internal {
        run.phase = phase;
        run.cursor = 0;
        // Phases without work are skipped: no rows, no row sums; no UIDs, nothing before Finalize.
        if (phase == SettlementStorage.Phase.RowSums && run.k == 0) run.phase = SettlementStorage.Phase.Consensus;
        if (run.n == 0 && phase < SettlementStorage.Phase.Finalize) run.phase = SettlementStorage.Phase.Finalize;
    }

    function _loadRows(Ctx memory c) internal view {
        if (c.rowsLoaded) return;
        uint256 k = SettlementStorage.layout().runs[c.netuid].k;
        c.k = k;
        uint256[] memory rowInfo = new uint256[](k);
        uint256[] memory rowDividend = new uint256[](k);
        uint256[] memory rowUids = new uint256[](k);
        (uint256 infoSlot, uint256 dividendSlot) = (c.scratch + ROW_INFO, c.scratch + ROW_DIVIDEND);
        uint256 zeros;
        // This runs in every sub-call unit, so it is written out, a loop per opcode (the choice inside
        // the loop cost about 80 gas a row).
        assembly ("memory-safe") {
            let end := shl(5, add(k, 1))
            switch mload(add(c, 0x20))
            case 0 {
                for {
                    let at := 0x20
                } lt(at, end) {
                    at := add(at, 0x20)
                } {
                    mstore(0x00, sub(shr(5, at), 1))
                    mstore(0x20, infoSlot)
                    let info := sload(keccak256(0x00, 0x40))
                    mstore(0x20, dividendSlot)
                    let dividend := sload(keccak256(0x00, 0x40))
                    mstore(add(rowInfo, at), info)
                    mstore(add(rowDividend, at), dividend)
                    mstore(add(rowUids, at), and(info, U32))
                    zeros := add(zeros, add(iszero(info), iszero(dividend)))
                }
            }
            default {
                for {
                    let at := 0x20
                } lt(at, end) {
                    at := add(at, 0x20)
                } {
                    mstore(0x00, sub(shr(5, at), 1))
                    mstore(0x20, infoSlot)
                    let info := tload(keccak256(0x00, 0x40))
                    mstore(0x20, dividendSlot)
                    let dividend := tload(keccak256(0x00, 0x40))
                    mstore(add(rowInfo, at), info)
                    mstore(add(rowDividend, at), dividend)
                    mstore(add(rowUids, at), and(info, U32))
                    zeros := add(zeros, add(iszero(info), iszero(dividend)))
                }
            }
        }
        c.rowInfo = rowInfo;
        c.rowDividend = rowDividend;
        c.rowUids = rowUids;
        // Writing a slot loaded in this transaction back costs at most 20,000 gas where it held 0 and
        // 2,900 otherwise (EIP-2200 and EIP-2929; one already written in the transaction costs 100),
        // plus the slots' keccaks and the loop: at most 1,000 a row.
        c.flushGas = 30_000 + k * (2 * 2_900 + 1_000) + zeros * (20_000 - 2_900);
        c.rowsLoaded = true;
    }

    function _flushRows(Ctx memory c) internal {
        if (!c.rowsDirty) return;
        c.rowsDirty = false;
        (uint256 infoSlot, uint256 dividendSlot) = (c.scratch + ROW_INFO, c.scratch + ROW_DIVIDEND);
        uint256[] memory rowInfo = c.rowInfo;
        uint256[] memory rowDividend = c.rowDividend;
        // A loop per opcode, as in `_loadRows`.
        assembly ("memory-safe") {
            let end := shl(5, add(mload(rowInfo), 1))
            switch mload(add(c, 0x20))
            case 0 {
                for {
                    let at := 0x20
                } lt(at, end) {
                    at := add(at, 0x20)
                } {
                    mstore(0x00, sub(shr(5, at), 1))
                    mstore(0x20, infoSlot)
                    sstore(keccak256(0x00, 0x40), mload(add(rowInfo, at)))
                    mstore(0x20, dividendSlot)
                    sstore(keccak256(0x00, 0x40), mload(add(rowDividend, at)))
                }
            }
            default {
                for {
                    let at := 0x20
                } lt(at, end) {
                    at := add(at, 0x20)
                } {
                    mstore(0x00, sub(shr(5, at), 1))
                    mstore(0x20, infoSlot)
                    tstore(keccak256(0x00, 0x40), mload(add(rowInfo, at)))
                    mstore(0x20, dividendSlot)
                    tstore(keccak256(0x00, 0x40), mload(add(rowDividend, at)))
                }
            }
        }
    }

    /// @dev subtensor's stake vector S (I32F32): stakes below the threshold count as 0, then
    /// floor(s * 2^64 / total) >> 32 (YumaEpoch.stakeWeights).
    function _stakeWeights(
        SettlementStorage.Run storage run,
        Ctx memory c
    ) internal view returns (int256[] memory stake) {
        uint256 threshold = run.stakeThreshold;
        uint256 total = run.stakeTotal;
        stake = new int256[](c.n);
        for (uint256 uid = 0; uid < c.n; ++uid) {
            stake[uid] = _stakeWeight(_read(c, UID_STAKE, uid) >> 160, threshold, total);
        }
    }

    /// @dev One entry of `_stakeWeights`: S of a UID with stake `s`, given the run's stake threshold
    /// and total (read once by a caller looping over UIDs).
    function _stakeWeight(uint256 s, uint256 threshold, uint256 total) internal pure returns (int256) {
        if (total == 0 || s < threshold || s == 0) return 0;
        return int256(((s << 64) / total) >> 32);
    }

    /// @dev The registered blocks of every UID (four u64 a stored word), and the run's plain rows.
    function _loadRegistered(Ctx memory c) internal view {
        if (c.registered.length != 0 || c.n == 0) return;
        uint256 wordsSlot = c.scratch + REGISTERED;
        uint256 n = c.n;
        uint256[] memory registered = new uint256[](n);
        // This runs in every sub-call unit, so it is written out; a loop per opcode (see `_loadRows`).
        assembly ("memory-safe") {
            mstore(0x20, wordsSlot)
            let out := add(registered, 0x20)
            switch mload(add(c, 0x20))
            case 0 {
                for {
                    let i := 0
                } lt(i, n) {
                    i := add(i, 4)
                } {
                    mstore(0x00, shr(2, i))
                    let word := sload(keccak256(0x00, 0x40))
                    for {
                        let j := i
                    } and(lt(j, n), lt(j, add(i, 4))) {
                        j := add(j, 1)
                    } {
                        mstore(add(out, shl(5, j)), and(word, 0xffffffffffffffff))
                        word := shr(64, word)
                    }
                }
            }
            default {
                for {
                    let i := 0
                } lt(i, n) {
                    i := add(i, 4)
                } {
                    mstore(0x00, shr(2, i))
                    let word := tload(keccak256(0x00, 0x40))
                    for {
                        let j := i
                    } and(lt(j, n), lt(j, add(i, 4))) {
                        j := add(j, 1)
                    } {
                        mstore(add(out, shl(5, j)), and(word, 0xffffffffffffffff))
                        word := shr(64, word)
                    }
                }
            }
        }
        c.registered = registered;
        c.plainRows = SettlementStorage.layout().runs[c.netuid].plainRows;
    }
}
