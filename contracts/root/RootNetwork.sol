// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IRootNetwork} from "../interfaces/IRootNetwork.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {IYumaSettlement} from "../interfaces/IYumaSettlement.sol";
import {WeightsMath} from "../libraries/WeightsMath.sol";
import {YumaEpoch} from "../libraries/YumaEpoch.sol";
import {YumaEngine} from "../settlement/YumaEngine.sol";

/// @title RootNetwork
/// @notice The root network: staked hotkeys weight the active subnets, and the root epoch (the same
/// Yuma epoch as every subnet's, run by `YumaEngine`) turns their weights into the subnets' shares of
/// emission, which it hands to `YumaSettlement`.
/// @dev The epoch is laid out as one Yuma subnet of `n = S + M` UIDs: UIDs `0 .. S-1` are the active
/// subnets (in the registry's order; no stake, no permit, never a row) and UIDs `S .. S+M-1` the
/// members (their Staking stake, all permitted, each a row whose weights cover columns `0 .. S-1`).
/// Subnets and members never share a UID, so the diagonal mask never touches a root weight. The
/// subnets' incentive is read through `minerEmission` with a nominal emission of 2^128, which makes
/// each amount the I32F32 incentive share shifted left by 96 bits, exactly; the shares are those
/// amounts over their sum, in WAD, rounded down, so they sum to at most 1e18.
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

    /// @notice Yuma settings of the root epoch: subtensor's defaults (YUMA.md section 3). Kappa and
    /// the bonds penalty shape the incentive; the others only touch bonds, which the root discards.
    uint256 public constant ROOT_KAPPA_U16 = 32_767;
    uint256 public constant ROOT_BONDS_PENALTY_U16 = 65_535;
    uint256 private constant ROOT_BONDS_MOVING_AVERAGE = 900_000;
    /// @dev The nominal emission the subnets' incentive is read through: 2^128 makes
    /// `floor(share * 2^128 / 2^32)` exact (a share is at most 2^32 bits).
    uint256 private constant NOMINAL_EMISSION = 1 << 128;
    uint256 private constant WAD = 1e18;
    /// @dev Transient-storage namespaces (EIP-1153), cleared before each function returns: the column
    /// of a netuid in the running epoch, and the netuids already seen in a weight vector.
    uint256 private constant COLUMN_NAMESPACE = 1 << 255;
    uint256 private constant SEEN_NAMESPACE = 1 << 254;

    IStaking private immutable _staking;
    ISubnetRegistry private immutable _subnets;
    YumaEngine private immutable _engine;
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

    constructor(
        address authority,
        address staking_,
        address subnets_,
        address engine_,
        address settlement_,
        RootParameters memory parameters
    ) AccessManaged(authority) {
        _staking = IStaking(staking_);
        _subnets = ISubnetRegistry(subnets_);
        _engine = YumaEngine(engine_);
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
        uint256 next = nextRootEpochBlock();
        require(block.number >= next, RootEpochNotDue(next, block.number));
        uint256 previousEpochBlock = _lastEpochBlock;
        _lastEpochBlock = uint64(block.number);
        uint64 epochIndex = ++_epochIndex;

        netuids = _subnets.activeSubnets();
        (YumaEpoch.Params memory p, YumaEngine.PackedInput memory input) = _load(netuids, previousEpochBlock);
        YumaEngine.PackedOutput memory out = _engine.runPacked(p, input);

        uint256 subnetCount = netuids.length;
        sharesWad = new uint256[](subnetCount);
        uint256 total;
        for (uint256 j = 0; j < subnetCount; ++j) {
            total += out.minerEmission[j];
        }
        if (total != 0) {
            for (uint256 j = 0; j < subnetCount; ++j) {
                // Rounds down: the shares sum to at most 1e18. Each amount is below 2^129, so the
                // product stays below 2^189.
                sharesWad[j] = (out.minerEmission[j] * WAD) / total;
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

    /// @dev The root epoch as one Yuma subnet (see the contract notes for the layout).
    function _load(
        uint256[] memory netuids,
        uint256 previousEpochBlock
    ) private returns (YumaEpoch.Params memory p, YumaEngine.PackedInput memory input) {
        uint256 subnetCount = netuids.length;
        uint256 memberCount = _members.length;
        uint256 n = subnetCount + memberCount;

        p.kappaU16 = ROOT_KAPPA_U16;
        p.bondsPenaltyU16 = ROOT_BONDS_PENALTY_U16;
        p.bondsMovingAverage = ROOT_BONDS_MOVING_AVERAGE;
        p.yuma3 = true;
        p.maxAllowedValidators = MAX_MEMBERS_HARD_CAP;
        p.activityCutoff = _parameters.activityCutoff;
        p.currentBlock = block.number;
        p.lastTempo = previousEpochBlock + 1;
        p.emission = NOMINAL_EMISSION;

        input.n = n;
        input.stake = new uint256[](n);
        input.lastUpdate = new uint256[](n);
        input.blockAtRegistration = new uint256[](n);
        input.permit = new bool[](n);
        input.rowUids = new uint256[](memberCount);
        input.weights = _newRows(memberCount);
        input.bonds = _newRows(memberCount);

        // Column of each netuid, in transient storage for the rows below (cleared at the end).
        for (uint256 j = 0; j < subnetCount; ++j) {
            uint256 key = COLUMN_NAMESPACE | netuids[j];
            uint256 column = j + 1;
            assembly ("memory-safe") {
                tstore(key, column)
            }
        }
        uint256 wordCount = (subnetCount + 15) / 16;
        uint256 presenceCount = (subnetCount + 255) / 256;
        for (uint256 r = 0; r < memberCount; ++r) {
            address hotkey = _members[r];
            uint256 uid = subnetCount + r;
            Member storage m = _memberOf[hotkey];
            input.stake[uid] = _staking.totalStake(hotkey);
            // A member that has not set weights was last updated at its registration (YUMA.md 2.1).
            input.lastUpdate[uid] = m.lastUpdateBlock != 0 ? m.lastUpdateBlock : m.registeredAtBlock;
            input.blockAtRegistration[uid] = m.registeredAtBlock;
            input.permit[uid] = true;
            input.rowUids[r] = uid;
            (input.weights.words[r], input.weights.presence[r]) = _packedRow(hotkey, wordCount, presenceCount);
            input.weights.lengths[r] = subnetCount;
        }
        for (uint256 j = 0; j < subnetCount; ++j) {
            uint256 key = COLUMN_NAMESPACE | netuids[j];
            assembly ("memory-safe") {
                tstore(key, 0)
            }
        }
    }

    function _newRows(uint256 k) private pure returns (YumaEngine.PackedRows memory rows) {
        rows.words = new uint256[][](k);
        rows.presence = new uint256[][](k);
        rows.lengths = new uint256[](k);
        for (uint256 r = 0; r < k; ++r) {
            rows.words[r] = new uint256[](0);
            rows.presence[r] = new uint256[](0);
        }
    }

    /// @dev A member's stored entries placed at their netuids' columns, packed as the engine reads
    /// rows (16 u16 per word, a presence bitmap). Entries of subnets no longer active are dropped.
    function _packedRow(
        address hotkey,
        uint256 wordCount,
        uint256 presenceCount
    ) private view returns (uint256[] memory words, uint256[] memory presence) {
        words = new uint256[](wordCount);
        presence = new uint256[](presenceCount);
        uint256 length = _rowMeta[hotkey].length;
        mapping(uint256 => uint256) storage stored = _rowWords[hotkey];
        uint256 word;
        for (uint256 i = 0; i < length; ++i) {
            if (i & 3 == 0) word = stored[i >> 2];
            uint256 entry = word >> ((i & 3) * 64);
            uint256 key = COLUMN_NAMESPACE | ((entry >> 16) & 0xffffffffffff);
            uint256 column;
            assembly ("memory-safe") {
                column := tload(key)
            }
            if (column == 0) continue;
            column -= 1;
            words[column >> 4] |= (entry & 0xffff) << ((column & 15) * 16);
            presence[column >> 8] |= uint256(1) << (column & 0xff);
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
