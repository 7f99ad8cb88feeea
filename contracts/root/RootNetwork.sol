// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IRootNetwork} from "../interfaces/IRootNetwork.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {IYumaSettlement} from "../interfaces/IYumaSettlement.sol";
import {WeightsMath} from "../libraries/WeightsMath.sol";
import {RootEpoch} from "../libraries/RootEpoch.sol";

/// @title RootNetwork
/// @notice The root network: staked hotkeys weight the active subnets, and the root epoch (Yuma
/// consensus, as in every subnet) turns their weights into the subnets' shares of emission, which it
/// hands to `YumaSettlement`.
/// @dev The epoch is one Yuma subnet of `n = S + M` UIDs: UIDs `0 .. S-1` are the active subnets (in
/// the registry's order; no stake, no permit, never a row) and UIDs `S .. S+M-1` the members (their
/// Staking stake, all permitted, each a row whose weights cover columns `0 .. S-1`). `RootEpoch`
/// computes that epoch's incentive, bit for bit, on the subnet columns alone (its notes say why that
/// is exact), in this contract's memory. The shares are the subnets' incentive over its sum, in WAD,
/// rounded down, so they sum to at most 1e18.
///
/// Kept out on purpose: bonds (the root pays no dividends: its only output is the subnets' incentive,
/// which Yuma computes from stake and clipped weights alone, so every epoch passes empty bonds rows
/// and stores none) and commit-reveal (root weights are public opinions about subnets, not scores of
/// miners' work that a lazy validator could copy for dividends, and the root pays no dividends to
/// copy for; direct submission with subtensor's rate limit is what subtensor's root had).
///
/// Bounds: members at most 64 (`MAX_MEMBERS_HARD_CAP`), columns at most the registry's hard cap of
/// 256 active subnets, a stored row at most 256 entries. Every loop of a paid path runs over one of
/// those.
contract RootNetwork is IRootNetwork, AccessManaged {
    /// @notice Root members can never be more than this; it bounds the replacement scan and the rows
    /// of the root epoch.
    uint64 public constant MAX_MEMBERS_HARD_CAP = 64;
    /// @notice The registry's hard cap on active subnets: the most columns a root epoch can have.
    uint64 public constant MAX_SUBNETS_HARD_CAP = 256;
    uint64 public constant MAX_TEMPO = 302_400;
    uint64 public constant MAX_WEIGHTS_RATE_LIMIT = 302_400;
    uint64 public constant MAX_ACTIVITY_CUTOFF = 1_209_600;

    /// @notice The root epoch's consensus majority: subtensor's default (YUMA.md section 3). The
    /// other Yuma settings only shape bonds and dividends, which the root does not compute.
    uint256 public constant ROOT_KAPPA_U16 = 32_767;
    uint256 private constant WAD = 1e18;
    /// @dev Transient-storage namespaces (EIP-1153), cleared before each function returns: the column
    /// of a netuid in the running epoch, and the netuids already seen in a weight vector.
    uint256 private constant COLUMN_NAMESPACE = 1 << 255;
    uint256 private constant SEEN_NAMESPACE = 1 << 254;

    IStaking private immutable _staking;
    ISubnetRegistry private immutable _subnets;
    IYumaSettlement private immutable _settlement;

    struct RowMeta {
        uint64 writtenAtBlock;
        uint32 length;
    }

    RootParameters private _parameters;
    address[] private _members;
    mapping(address hotkey => Member) private _memberOf;
    mapping(address hotkey => RowMeta) private _rowMeta;
    /// @dev Four entries per word, entry `i` at bits `64(i%4) .. 64(i%4)+63`: `netuid << 16 | valueU16`.
    mapping(address hotkey => mapping(uint256 word => uint256)) private _rowWords;
    uint64 private _lastEpochBlock;
    uint64 private _epochIndex;
    /// @dev The median hints the last root epoch found (see `settleRootWithHints`), used by the next one
    /// when it is given none: weights change slowly, so most columns keep their median voter.
    bytes private _lastHints;

    constructor(
        address authority,
        address staking_,
        address subnets_,
        address settlement_,
        RootParameters memory parameters
    ) AccessManaged(authority) {
        _staking = IStaking(staking_);
        _subnets = ISubnetRegistry(subnets_);
        _settlement = IYumaSettlement(settlement_);
        _setParameters(parameters);
        // The first root epoch is due one tempo after deployment.
        _lastEpochBlock = uint64(block.number);
    }

    // ------------------------------------------------------------------------------------------
    // Membership
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IRootNetwork
    function registerRoot(address hotkey) external returns (uint256 slot) {
        address coldkey = _staking.coldkeyOf(hotkey);
        require(coldkey != address(0), HotkeyNotBound(hotkey));
        require(msg.sender == hotkey || msg.sender == coldkey, NotHotkeyOrOperator(hotkey, msg.sender, coldkey));
        require(_memberOf[hotkey].slot == 0, AlreadyMember(hotkey));
        uint256 stake = _staking.totalStake(hotkey);
        require(stake != 0, ZeroStake(hotkey));

        address replaced;
        uint256 replacedStake;
        if (_members.length < _parameters.maxMembers) {
            slot = _members.length;
            _members.push(hotkey);
        } else {
            // Full: the member with the least stake goes, if the newcomer has more (at most 64 reads).
            (slot, replacedStake) = _smallestMember();
            replaced = _members[slot];
            require(stake > replacedStake, StakeTooLowToReplace(hotkey, stake, replaced, replacedStake));
            _removeMemberState(replaced, replacedStake);
            _members[slot] = hotkey;
        }
        _memberOf[hotkey] = Member(uint64(slot + 1), uint64(block.number), 0);
        emit MemberRegistered(hotkey, slot, stake, replaced, replacedStake, uint64(block.number));
    }

    /// @dev The slot and stake of the member with the least stake; ties go to the later slot, so the
    /// earlier members are kept.
    function _smallestMember() private view returns (uint256 slot, uint256 smallest) {
        uint256 count = _members.length;
        smallest = type(uint256).max;
        for (uint256 i = 0; i < count; ++i) {
            uint256 stake = _staking.totalStake(_members[i]);
            if (stake <= smallest) {
                smallest = stake;
                slot = i;
            }
        }
    }

    /// @dev Forgets a member's record and weights (the slot itself is reused or popped by the caller).
    function _removeMemberState(address hotkey, uint256 stake) private {
        delete _memberOf[hotkey];
        delete _rowMeta[hotkey];
        emit MemberRemoved(hotkey, stake, uint64(block.number));
    }

    // ------------------------------------------------------------------------------------------
    // Weights
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IRootNetwork
    /// @dev subtensor's `internal_set_weights` order where it applies to the root (YUMA.md section 4):
    /// lengths (2), count at most the active subnets (4), a member (5), rate limit (8), no duplicate
    /// and every netuid an active subnet (10), the minimum count with no self-weight exemption (11),
    /// max-upscaled storage (12), the last update (14). Not applied: the version key, the permit (every
    /// member is a root validator), the stake threshold (membership is by stake) and the max-weight
    /// limit (subtensor skips it at 65,535, its default).
    function setRootWeights(uint256[] calldata netuids, uint16[] calldata values) external {
        uint256 count = netuids.length;
        require(count == values.length, LengthMismatch(count, values.length));
        uint256 active = _subnets.subnetCount();
        require(count <= active, TooManyWeights(count, active));
        Member storage m = _memberOf[msg.sender];
        require(m.slot != 0, NotMember(msg.sender));
        // subtensor's `check_rate_limit`: free when never set (as `Weights` does in a UID's tenure).
        uint256 next = uint256(m.lastUpdateBlock) + _parameters.weightsRateLimit;
        require(m.lastUpdateBlock == 0 || block.number >= next, SettingWeightsTooFast(msg.sender, next));
        _checkNetuids(netuids);
        uint256 minimum = _parameters.minAllowedWeights < active ? _parameters.minAllowedWeights : active;
        require(count >= minimum, TooFewWeights(count, minimum));
        uint16[] memory stored = _maxUpscale(values);

        m.lastUpdateBlock = uint64(block.number);
        mapping(uint256 => uint256) storage words = _rowWords[msg.sender];
        uint256 word;
        for (uint256 i = 0; i < count; ++i) {
            // Checked above: every netuid is active, so below 2^48 (the registry counts from 1).
            word |= ((netuids[i] << 16) | stored[i]) << ((i & 3) * 64);
            if (i & 3 == 3 || i == count - 1) {
                words[i >> 2] = word;
                word = 0;
            }
        }
        _rowMeta[msg.sender] = RowMeta(uint64(block.number), uint32(count));
        emit RootWeightsSet(msg.sender, netuids, stored, uint64(block.number));
    }

    /// @dev No duplicate (a transient mark per netuid), then every netuid active, in subtensor's order.
    /// Netuids at or past 2^48 are not marked (no active subnet has one) and fail the second check.
    function _checkNetuids(uint256[] calldata netuids) private {
        uint256 count = netuids.length;
        uint256 duplicate;
        bool found;
        for (uint256 i = 0; i < count; ++i) {
            uint256 netuid = netuids[i];
            if (netuid >= 2 ** 48) continue;
            uint256 key = SEEN_NAMESPACE | netuid;
            uint256 seen;
            assembly ("memory-safe") {
                seen := tload(key)
                tstore(key, 1)
            }
            if (seen != 0 && !found) (duplicate, found) = (netuid, true);
        }
        for (uint256 i = 0; i < count; ++i) {
            uint256 key = SEEN_NAMESPACE | (netuids[i] & (2 ** 48 - 1));
            assembly ("memory-safe") {
                tstore(key, 0)
            }
        }
        if (found) revert DuplicateNetuid(duplicate);
        for (uint256 i = 0; i < count; ++i) {
            uint256 netuid = netuids[i];
            require(netuid < 2 ** 48 && _subnets.isActive(netuid), SubnetNotActive(netuid));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Root epoch
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IRootNetwork
    function settleRoot() external returns (uint256[] memory netuids, uint256[] memory sharesWad) {
        return _settleRoot("");
    }

    /// @inheritdoc IRootNetwork
    function settleRootWithHints(
        bytes calldata hints
    ) external returns (uint256[] memory netuids, uint256[] memory sharesWad) {
        return _settleRoot(hints);
    }

    /// @inheritdoc IRootNetwork
    function quoteRootMedianHints() external returns (bytes memory hints) {
        RootEpoch.Options memory o;
        o.recordHints = true;
        (, hints) = RootEpoch.incentive(_load(_subnets.activeSubnets()), o);
    }

    function _settleRoot(bytes memory hints) private returns (uint256[] memory netuids, uint256[] memory sharesWad) {
        uint256 next = nextRootEpochBlock();
        require(block.number >= next, RootEpochNotDue(next, block.number));
        _lastEpochBlock = uint64(block.number);
        uint64 epochIndex = ++_epochIndex;

        netuids = _subnets.activeSubnets();
        RootEpoch.Options memory o;
        o.hints = hints.length != 0 ? hints : _lastHints;
        o.recordHints = true;
        int256[] memory incentive;
        (incentive, o.hints) = RootEpoch.incentive(_load(netuids), o);
        _lastHints = o.hints;

        uint256 subnetCount = netuids.length;
        sharesWad = new uint256[](subnetCount);
        uint256 total;
        for (uint256 j = 0; j < subnetCount; ++j) {
            total += uint256(incentive[j]);
        }
        if (total != 0) {
            for (uint256 j = 0; j < subnetCount; ++j) {
                // Rounds down: the shares sum to at most 1e18. Each incentive is at most 2^32.
                sharesWad[j] = (uint256(incentive[j]) * WAD) / total;
            }
        }
        bool applied = total != 0;
        emit RootEpochSettled(
            epochIndex,
            uint64(block.number),
            netuids,
            sharesWad,
            _members.length,
            applied,
            msg.sender
        );
        _settlement.setRootEmissionShares(netuids, sharesWad);
    }

    /// @dev The root epoch's input (see the contract notes for the layout): each member's stake, last
    /// update (its registration block when it set no weights, YUMA 2.1) and stored row, its entries
    /// placed at their netuids' columns. Entries of subnets no longer active are dropped.
    function _load(uint256[] memory netuids) private returns (RootEpoch.Input memory x) {
        uint256 subnetCount = netuids.length;
        uint256 memberCount = _members.length;
        uint256 rowWords = (subnetCount + 15) / 16;
        x.columns = subnetCount;
        x.stake = new uint256[](memberCount);
        x.lastUpdate = new uint256[](memberCount);
        x.words = new uint256[](memberCount * rowWords);
        x.presence = new uint256[](memberCount);
        x.activityCutoff = _parameters.activityCutoff;
        x.currentBlock = block.number;
        x.kappaU16 = ROOT_KAPPA_U16;

        // Column of each netuid, plus one, in transient storage for the rows below (cleared at the end).
        for (uint256 j = 0; j < subnetCount; ++j) {
            uint256 key = COLUMN_NAMESPACE | netuids[j];
            uint256 column = j + 1;
            assembly ("memory-safe") {
                tstore(key, column)
            }
        }
        for (uint256 r = 0; r < memberCount; ++r) {
            address hotkey = _members[r];
            Member storage m = _memberOf[hotkey];
            x.stake[r] = _staking.totalStake(hotkey);
            x.lastUpdate[r] = m.lastUpdateBlock != 0 ? m.lastUpdateBlock : m.registeredAtBlock;
            x.presence[r] = _placeRow(hotkey, x.words, r * rowWords, netuids);
        }
        for (uint256 j = 0; j < subnetCount; ++j) {
            uint256 key = COLUMN_NAMESPACE | netuids[j];
            assembly ("memory-safe") {
                tstore(key, 0)
            }
        }
    }

    /// @dev Places a member's stored entries (four `netuid << 16 | value` a word) at their columns: the
    /// value into `words[offset + column / 16]`, lane `column % 16`; returns the presence word. Entry
    /// `i` is first tried at column `i` (a row listing the subnets in the registry's order, as
    /// `activeSubnets` returns them, needs nothing else), then looked up in the transient map.
    function _placeRow(
        address hotkey,
        uint256[] memory words,
        uint256 offset,
        uint256[] memory netuids
    ) private view returns (uint256 presence) {
        uint256 length = _rowMeta[hotkey].length;
        mapping(uint256 => uint256) storage stored = _rowWords[hotkey];
        // Runs once per stored entry of every member, so it is written out.
        assembly ("memory-safe") {
            let base := stored.slot
            let out := add(add(words, 0x20), shl(5, offset))
            let columns := mload(netuids)
            let word := 0
            for {
                let i := 0
            } lt(i, length) {
                i := add(i, 1)
            } {
                if iszero(and(i, 3)) {
                    mstore(0, shr(2, i))
                    mstore(0x20, base)
                    word := sload(keccak256(0, 0x40))
                }
                let entry := shr(shl(6, and(i, 3)), word)
                let netuid := and(shr(16, entry), 0xffffffffffff)
                let column := add(i, 1)
                if or(iszero(lt(i, columns)), iszero(eq(mload(add(netuids, shl(5, column))), netuid))) {
                    column := tload(or(COLUMN_NAMESPACE, netuid))
                }
                if column {
                    column := sub(column, 1)
                    let at := add(out, shl(5, shr(4, column)))
                    mstore(at, or(mload(at), shl(shl(4, and(column, 15)), and(entry, 0xffff))))
                    presence := or(presence, shl(column, 1))
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Governance
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IRootNetwork
    function setRootParameters(RootParameters calldata parameters) external restricted {
        _setParameters(parameters);
        uint256 count = _members.length;
        if (count > parameters.maxMembers) _evictSmallest(count - parameters.maxMembers);
    }

    function _setParameters(RootParameters memory q) private {
        _checkBounds("maxMembers", q.maxMembers, 1, MAX_MEMBERS_HARD_CAP);
        _checkBounds("tempo", q.tempo, 1, MAX_TEMPO);
        _checkBounds("weightsRateLimit", q.weightsRateLimit, 0, MAX_WEIGHTS_RATE_LIMIT);
        _checkBounds("activityCutoff", q.activityCutoff, 1, MAX_ACTIVITY_CUTOFF);
        _checkBounds("minAllowedWeights", q.minAllowedWeights, 0, MAX_SUBNETS_HARD_CAP);
        _parameters = q;
        emit RootParametersSet(q.maxMembers, q.tempo, q.weightsRateLimit, q.activityCutoff, q.minAllowedWeights);
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 minimum, uint256 maximum) private pure {
        require(value >= minimum && value <= maximum, ParameterOutOfBounds(name, value, minimum, maximum));
    }

    /// @dev Removes the `count` members with the least stake (ties: the later slot first). The last
    /// member moves into each freed slot. At most 64 stake reads; the selection runs in memory.
    function _evictSmallest(uint256 count) private {
        uint256 total = _members.length;
        uint256[] memory stakes = new uint256[](total);
        for (uint256 i = 0; i < total; ++i) {
            stakes[i] = _staking.totalStake(_members[i]);
        }
        for (uint256 e = 0; e < count; ++e) {
            uint256 length = _members.length;
            uint256 slot;
            uint256 smallest = type(uint256).max;
            for (uint256 i = 0; i < length; ++i) {
                if (stakes[i] <= smallest) (smallest, slot) = (stakes[i], i);
            }
            _removeMemberState(_members[slot], smallest);
            uint256 last = length - 1;
            if (slot != last) {
                address moved = _members[last];
                _members[slot] = moved;
                _memberOf[moved].slot = uint64(slot + 1);
                stakes[slot] = stakes[last];
                emit MemberMoved(moved, last, slot);
            }
            _members.pop();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IRootNetwork
    function rootParameters() external view returns (RootParameters memory) {
        return _parameters;
    }

    /// @inheritdoc IRootNetwork
    function members() external view returns (address[] memory) {
        return _members;
    }

    /// @inheritdoc IRootNetwork
    function member(address hotkey) external view returns (Member memory) {
        return _memberOf[hotkey];
    }

    /// @inheritdoc IRootNetwork
    function isMember(address hotkey) external view returns (bool) {
        return _memberOf[hotkey].slot != 0;
    }

    /// @inheritdoc IRootNetwork
    function rootWeightsOf(address hotkey) external view returns (uint256[] memory netuids, uint16[] memory valuesU16) {
        uint256 length = _rowMeta[hotkey].length;
        netuids = new uint256[](length);
        valuesU16 = new uint16[](length);
        for (uint256 i = 0; i < length; ++i) {
            uint256 entry = _rowWords[hotkey][i >> 2] >> ((i & 3) * 64);
            netuids[i] = (entry >> 16) & 0xffffffffffff;
            valuesU16[i] = uint16(entry);
        }
    }

    /// @inheritdoc IRootNetwork
    function nextRootEpochBlock() public view returns (uint256) {
        return uint256(_lastEpochBlock) + _parameters.tempo;
    }

    /// @inheritdoc IRootNetwork
    function lastRootEpochBlock() external view returns (uint256) {
        return _lastEpochBlock;
    }

    /// @inheritdoc IRootNetwork
    function rootEpochIndex() external view returns (uint64) {
        return _epochIndex;
    }

    /// @dev subtensor's stored form of a weight vector (`WeightsMath.maxUpscaleWords` on the packed
    /// values): the largest becomes 65,535.
    function _maxUpscale(uint16[] calldata values) private pure returns (uint16[] memory stored) {
        uint256 count = values.length;
        uint256[] memory words = new uint256[]((count + 15) / 16);
        uint256 max;
        for (uint256 i = 0; i < count; ++i) {
            words[i >> 4] |= uint256(values[i]) << ((i & 15) * 16);
            if (values[i] > max) max = values[i];
        }
        WeightsMath.maxUpscaleWords(words, max);
        stored = new uint16[](count);
        for (uint256 i = 0; i < count; ++i) {
            stored[i] = uint16(words[i >> 4] >> ((i & 15) * 16));
        }
    }
}
