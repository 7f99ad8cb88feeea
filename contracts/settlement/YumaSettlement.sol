// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IEmission} from "../interfaces/IEmission.sol";
import {INeuronRegistry} from "../interfaces/INeuronRegistry.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ISubnetRegistry, ISubnetRegistryTypes} from "../interfaces/ISubnetRegistry.sol";
import {ITAO} from "../interfaces/ITAO.sol";
import {IWeights} from "../interfaces/IWeights.sol";
import {IYumaSettlement} from "../interfaces/IYumaSettlement.sol";
import {YumaEpoch} from "../libraries/YumaEpoch.sol";
import {YumaEngine} from "./YumaEngine.sol";

/// @title YumaSettlement
/// @notice Runs each subnet's epoch (the `YumaEpoch` library) on the registry's, staking's and the
/// weights contract's state, keeps the bonds, and pays the emission.
/// @dev Emission: `Emission.cumulativeAccrued()` is an index of all TAO the schedule has accrued; a
/// subnet is owed `(index now - index at its last epoch) * share`, capped by what is mintable. Shares
/// are governance's (WAD); subnets without one split what the set shares leave, equally among the
/// active subnets at settlement time (an approximation when the set changes between epochs, bounded
/// by the cap). Bonds rows are stored packed like weights (16 u16 per word, a presence bitmap, and
/// the block they were written at, so a new holder of a UID never reads its predecessor's row).
contract YumaSettlement is IYumaSettlement, AccessManaged {
    using SafeERC20 for IERC20;

    uint256 private constant WAD = 1e18;
    /// @notice The keeper's tip: 0.1% of the epoch's emission.
    uint256 public constant KEEPER_TIP_BPS = 10;

    ITAO private immutable _token;
    IEmission private immutable _emission;
    IStaking private immutable _staking;
    ISubnetRegistry private immutable _subnets;
    INeuronRegistry private immutable _neurons;
    IWeights private immutable _weights;
    YumaEngine private immutable _engine;

    struct SubnetState {
        uint64 lastEpochBlock;
        uint64 epochIndex;
        bool settledOnce;
        uint256 emissionIndex;
    }

    struct RowMeta {
        uint64 writtenAtBlock;
        uint32 length;
    }

    mapping(uint256 netuid => SubnetState) private _state;
    mapping(uint256 netuid => uint256) private _shareWad;
    uint256 private _totalShareWad;
    uint256 private _sharedSubnets;

    mapping(uint256 netuid => mapping(uint256 uid => RowMeta)) private _bondMeta;
    mapping(uint256 netuid => mapping(uint256 uid => mapping(uint256 word => uint256))) private _bondWords;
    mapping(uint256 netuid => mapping(uint256 uid => mapping(uint256 word => uint256))) private _bondPresence;
    /// @dev consensus, incentive, dividends, validator trust: 16 u16 per word each.
    mapping(uint256 netuid => mapping(uint256 output => mapping(uint256 word => uint256))) private _outputs;
    mapping(uint256 netuid => uint256) private _outputLength;

    constructor(
        address authority,
        address token_,
        address emission_,
        address staking_,
        address subnets_,
        address neurons_,
        address weights_,
        address engine_
    ) AccessManaged(authority) {
        _token = ITAO(token_);
        _emission = IEmission(emission_);
        _staking = IStaking(staking_);
        _subnets = ISubnetRegistry(subnets_);
        _neurons = INeuronRegistry(neurons_);
        _weights = IWeights(weights_);
        _engine = YumaEngine(engine_);
    }

    // ------------------------------------------------------------------------------------------
    // Settlement
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IYumaSettlement
    function settle(uint256 netuid) external returns (uint256 amount) {
        require(_subnets.isActive(netuid), UnknownSubnet(netuid));
        uint256 next = nextEpochBlock(netuid);
        require(block.number >= next, EpochNotDue(netuid, next, block.number));

        amount = _owed(netuid);
        _state[netuid].emissionIndex = _emission.cumulativeAccrued();
        if (amount != 0) _emission.mint(address(this), amount);

        uint256 tip = (amount * KEEPER_TIP_BPS) / 10_000;
        uint256 ownerCut =
            ((amount - tip) * _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.OwnerCut)) /
                type(uint16).max;
        uint256 burned = _runEpoch(netuid, amount - tip - ownerCut);
        emit EpochSettled(
            netuid,
            _state[netuid].epochIndex,
            uint64(block.number),
            amount,
            ownerCut,
            tip,
            burned,
            msg.sender
        );

        if (ownerCut != 0) IERC20(address(_token)).safeTransfer(_subnets.ownerOf(netuid), ownerCut);
        if (tip != 0) IERC20(address(_token)).safeTransfer(msg.sender, tip);
    }

    /// @inheritdoc IYumaSettlement
    function settleWithEmission(uint256 netuid, uint256 amount) external restricted {
        require(_subnets.isActive(netuid), UnknownSubnet(netuid));
        if (amount != 0) IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount);
        uint256 burned = _runEpoch(netuid, amount);
        emit EpochSettled(netuid, _state[netuid].epochIndex, uint64(block.number), amount, 0, 0, burned, msg.sender);
    }

    /// @dev Loads the subnet, runs the epoch, stores its outputs and pays `amount` (held by this
    /// contract) to miners and validators. Returns what was burned: rounding dust, and everything
    /// when nobody can be paid (no stake at all).
    function _runEpoch(uint256 netuid, uint256 amount) private returns (uint256 burned) {
        ISubnetRegistryTypes.Hyperparameters memory h = _subnets.hyperparameters(netuid);
        SubnetState storage state = _state[netuid];
        (YumaEpoch.Params memory p, YumaEngine.PackedInput memory input, address[] memory hotkeys) = _load(
            netuid,
            h,
            state,
            amount
        );
        YumaEngine.PackedOutput memory out = _engine.runPacked(p, input);

        state.lastEpochBlock = uint64(block.number);
        state.settledOnce = true;
        state.epochIndex += 1;
        _storeOutputs(netuid, input, out);
        _weights.advanceEpoch(netuid);

        uint256 paid = _pay(hotkeys, out);
        burned = amount - paid;
        emit EpochOutputs(
            netuid,
            state.epochIndex,
            out.consensus,
            out.incentive,
            out.dividends,
            out.validatorTrust,
            out.newPermit,
            out.minerEmission,
            out.validatorEmission
        );
        if (burned != 0) _token.burn(burned);
    }

    function _load(
        uint256 netuid,
        ISubnetRegistryTypes.Hyperparameters memory h,
        SubnetState storage state,
        uint256 amount
    ) private view returns (YumaEpoch.Params memory p, YumaEngine.PackedInput memory input, address[] memory hotkeys) {
        uint256 n = _neurons.neuronCount(netuid);
        p.kappaU16 = h.kappa;
        p.bondsPenaltyU16 = h.bondsPenalty;
        p.bondsMovingAverage = h.bondsMovingAverage;
        p.yuma3 = h.yuma3Enabled;
        p.liquidAlpha = h.liquidAlphaEnabled;
        p.alphaLowU16 = h.alphaLow;
        p.alphaHighU16 = h.alphaHigh;
        p.alphaSigmoidSteepness = h.alphaSigmoidSteepness;
        p.maxAllowedValidators = h.maxAllowedValidators;
        p.activityCutoff = h.activityCutoff;
        p.stakeThreshold = h.stakeThreshold;
        p.currentBlock = block.number;
        // YUMA.md 2.9: the block after the previous epoch; before any, one tempo back.
        p.lastTempo =
            state.settledOnce
                ? uint256(state.lastEpochBlock) + 1
                : (block.number > h.tempo ? block.number - h.tempo : 0);
        p.commitRevealEnabled = h.commitRevealEnabled;
        p.emission = amount;

        input.n = n;
        input.stake = new uint256[](n);
        input.lastUpdate = new uint256[](n);
        input.blockAtRegistration = new uint256[](n);
        input.commitBlock = new uint256[](n);
        input.permit = new bool[](n);
        hotkeys = new address[](n);
        uint256 rows;
        for (uint256 uid = 0; uid < n; ++uid) {
            address hotkey = _neurons.hotkeyOf(netuid, uid);
            hotkeys[uid] = hotkey;
            uint256 registeredAt = _neurons.blockAtRegistration(netuid, uid);
            input.blockAtRegistration[uid] = registeredAt;
            input.stake[uid] = _staking.totalStake(hotkey);
            uint256 updated = _weights.lastUpdate(netuid, uid);
            // A UID that has not set weights in its tenure was last updated at its registration.
            input.lastUpdate[uid] = updated >= registeredAt ? updated : registeredAt;
            input.commitBlock[uid] =
                h.commitRevealEnabled ? _weights.earliestActiveCommitBlock(netuid, hotkey) : type(uint256).max;
            if (_neurons.hasValidatorPermit(netuid, uid)) {
                input.permit[uid] = true;
                ++rows;
            }
        }
        input.rowUids = new uint256[](rows);
        input.weights = _newRows(rows);
        input.bonds = _newRows(rows);
        uint256 r;
        for (uint256 uid = 0; uid < n; ++uid) {
            if (!input.permit[uid]) continue;
            input.rowUids[r] = uid;
            _loadWeightsRow(input.weights, r, netuid, uid, input.blockAtRegistration[uid]);
            _loadBondsRow(input.bonds, r, netuid, uid, input.blockAtRegistration[uid]);
            ++r;
        }
    }

    function _newRows(uint256 k) private pure returns (YumaEngine.PackedRows memory rows) {
        rows.words = new uint256[][](k);
        rows.presence = new uint256[][](k);
        rows.lengths = new uint256[](k);
    }

    /// @dev The row as `Weights` stores it; a row written before the UID's registration is a previous
    /// holder's and counts as empty.
    function _loadWeightsRow(
        YumaEngine.PackedRows memory rows,
        uint256 r,
        uint256 netuid,
        uint256 uid,
        uint256 registeredAt
    ) private view {
        (uint256[] memory words, uint256[] memory presence, uint64 writtenAt, uint32 length) = _weights.packedRow(
            netuid,
            uid
        );
        rows.words[r] = words;
        rows.presence[r] = presence;
        rows.lengths[r] = writtenAt >= registeredAt && writtenAt != 0 ? length : 0;
    }

    /// @dev The bonds row as stored here, empty when written before the UID's registration.
    function _loadBondsRow(
        YumaEngine.PackedRows memory rows,
        uint256 r,
        uint256 netuid,
        uint256 uid,
        uint256 registeredAt
    ) private view {
        RowMeta memory meta = _bondMeta[netuid][uid];
        uint256 length = meta.writtenAtBlock >= registeredAt && meta.writtenAtBlock != 0 ? meta.length : 0;
        uint256[] memory words = new uint256[]((length + 15) / 16);
        uint256[] memory presence = new uint256[]((length + 255) / 256);
        for (uint256 w = 0; w < words.length; ++w) {
            words[w] = _bondWords[netuid][uid][w];
        }
        for (uint256 q = 0; q < presence.length; ++q) {
            presence[q] = _bondPresence[netuid][uid][q];
        }
        rows.words[r] = words;
        rows.presence[r] = presence;
        rows.lengths[r] = length;
    }

    function _storeOutputs(
        uint256 netuid,
        YumaEngine.PackedInput memory input,
        YumaEngine.PackedOutput memory out
    ) private {
        uint256 n = input.n;
        _storeU16(netuid, 0, out.consensus);
        _storeU16(netuid, 1, out.incentive);
        _storeU16(netuid, 2, out.dividends);
        _storeU16(netuid, 3, out.validatorTrust);
        _outputLength[netuid] = n;

        // Bonds: rows of uids holding the new permit; every other row becomes empty.
        for (uint256 r = 0; r < input.rowUids.length; ++r) {
            uint256 uid = input.rowUids[r];
            if (out.newPermit[uid]) _storeBondsRow(netuid, uid, out.newBondWords[r], out.newBondPresence[r], n);
            else _bondMeta[netuid][uid] = RowMeta(uint64(block.number), 0);
        }
        uint256[] memory bitmap = new uint256[]((n + 255) / 256);
        uint64[] memory emissionsNano = new uint64[](n);
        uint256 total;
        for (uint256 uid = 0; uid < n; ++uid) {
            if (out.newPermit[uid]) {
                bitmap[uid >> 8] |= uint256(1) << (uid & 0xff);
                // A new permit without a row: its bonds row starts empty.
                if (!input.permit[uid]) _bondMeta[netuid][uid] = RowMeta(uint64(block.number), 0);
            }
            uint256 nano = out.combinedEmission[uid] / 1e9;
            emissionsNano[uid] = nano > type(uint64).max ? type(uint64).max : uint64(nano);
            total += out.combinedEmission[uid];
        }
        _neurons.setValidatorPermits(netuid, bitmap);
        if (n != 0) _neurons.recordNeuronEmissions(netuid, 0, emissionsNano);
        _subnets.recordSubnetEmission(netuid, total);
    }

    function _storeBondsRow(
        uint256 netuid,
        uint256 uid,
        uint256[] memory words,
        uint256[] memory presence,
        uint256 n
    ) private {
        for (uint256 w = 0; w < words.length; ++w) {
            _bondWords[netuid][uid][w] = words[w];
        }
        for (uint256 q = 0; q < presence.length; ++q) {
            _bondPresence[netuid][uid][q] = presence[q];
        }
        _bondMeta[netuid][uid] = RowMeta(uint64(block.number), uint32(n));
    }

    function _storeU16(uint256 netuid, uint256 output, uint16[] memory values) private {
        uint256 wordCount = (values.length + 15) / 16;
        for (uint256 w = 0; w < wordCount; ++w) {
            uint256 word;
            for (uint256 k = 0; k < 16 && w * 16 + k < values.length; ++k) {
                word |= uint256(values[w * 16 + k]) << (k * 16);
            }
            _outputs[netuid][output][w] = word;
        }
    }

    /// @dev Miners' incentive is staked for each miner's operator; validators' dividends go into their
    /// pools. Returns the total paid.
    function _pay(address[] memory hotkeys, YumaEngine.PackedOutput memory out) private returns (uint256 paid) {
        uint256 n = hotkeys.length;
        uint256[] memory toPools = new uint256[](n);
        uint256[] memory toOperators = new uint256[](n);
        for (uint256 uid = 0; uid < n; ++uid) {
            toOperators[uid] = out.minerEmission[uid];
            toPools[uid] = out.validatorEmission[uid];
            paid += toOperators[uid] + toPools[uid];
        }
        if (paid == 0) return 0;
        IERC20(address(_token)).forceApprove(address(_staking), paid);
        _staking.creditOperators(hotkeys, toOperators);
        _staking.distributeRewards(hotkeys, toPools);
    }

    // ------------------------------------------------------------------------------------------
    // Emission shares
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IYumaSettlement
    function setEmissionShares(uint256[] calldata netuids, uint256[] calldata sharesWad) external restricted {
        require(netuids.length == sharesWad.length, LengthMismatch(netuids.length, sharesWad.length));
        for (uint256 i = 0; i < netuids.length; ++i) {
            uint256 old = _shareWad[netuids[i]];
            if (old == 0 && sharesWad[i] != 0) ++_sharedSubnets;
            if (old != 0 && sharesWad[i] == 0) --_sharedSubnets;
            _totalShareWad = _totalShareWad - old + sharesWad[i];
            _shareWad[netuids[i]] = sharesWad[i];
        }
        require(_totalShareWad <= WAD, SharesExceedOne(_totalShareWad));
        emit EmissionSharesSet(netuids, sharesWad);
    }

    /// @dev Root shares: `update << 192 | shareWad` per netuid, counted only when stamped with the
    /// root's latest update, so a new set replaces the old without a clearing loop.
    mapping(uint256 netuid => uint256) private _rootShare;
    uint64 private _rootUpdate;
    bool private _rootSharesApply;

    /// @inheritdoc IYumaSettlement
    function setRootEmissionShares(uint256[] calldata netuids, uint256[] calldata sharesWad) external restricted {
        require(netuids.length == sharesWad.length, LengthMismatch(netuids.length, sharesWad.length));
        uint64 update = ++_rootUpdate;
        uint256 total;
        for (uint256 i = 0; i < netuids.length; ++i) {
            total += sharesWad[i];
            // A share of 2^192 or more makes `total` exceed one, which reverts below.
            if (sharesWad[i] != 0) _rootShare[netuids[i]] = (uint256(update) << 192) | sharesWad[i];
        }
        require(total <= WAD, SharesExceedOne(total));
        _rootSharesApply = total != 0;
        emit RootEmissionSharesSet(update, netuids, sharesWad, total != 0);
    }

    /// @inheritdoc IYumaSettlement
    function rootSharesApply() external view returns (bool) {
        return _rootSharesApply;
    }

    /// @inheritdoc IYumaSettlement
    /// @dev The root's shares while its last epoch produced incentive (they sum to at most 1, and a
    /// subnet it did not list gets 0); otherwise governance's, with the rest split equally.
    function emissionShare(uint256 netuid) public view returns (uint256) {
        if (_rootSharesApply) {
            uint256 root = _rootShare[netuid];
            return root >> 192 == _rootUpdate ? uint192(root) : 0;
        }
        uint256 set = _shareWad[netuid];
        if (set != 0) return set;
        uint256 active = _subnets.subnetCount();
        uint256 unshared = active > _sharedSubnets ? active - _sharedSubnets : 0;
        return unshared == 0 ? 0 : (WAD - _totalShareWad) / unshared;
    }

    function _owed(uint256 netuid) private view returns (uint256 amount) {
        SubnetState storage state = _state[netuid];
        uint256 index = _emission.cumulativeAccrued();
        // A subnet's first epoch starts its emission clock; it is owed nothing for the time before.
        if (!state.settledOnce) return 0;
        amount = ((index - state.emissionIndex) * emissionShare(netuid)) / WAD;
        uint256 mintable = _emission.mintable();
        if (amount > mintable) amount = mintable;
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IYumaSettlement
    function nextEpochBlock(uint256 netuid) public view returns (uint256) {
        SubnetState storage state = _state[netuid];
        uint256 tempo = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.Tempo);
        uint256 last = state.settledOnce ? state.lastEpochBlock : _subnets.subnet(netuid).createdAtBlock;
        return last + tempo;
    }

    /// @inheritdoc IYumaSettlement
    function lastEpochBlock(uint256 netuid) external view returns (uint256) {
        return _state[netuid].lastEpochBlock;
    }

    /// @inheritdoc IYumaSettlement
    function pendingEmission(uint256 netuid) external view returns (uint256) {
        return _owed(netuid);
    }

    /// @inheritdoc IYumaSettlement
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
        )
    {
        uint256 n = _outputLength[netuid];
        consensus = _readU16(netuid, 0, n);
        incentive = _readU16(netuid, 1, n);
        dividends = _readU16(netuid, 2, n);
        validatorTrust = _readU16(netuid, 3, n);
    }

    function _readU16(uint256 netuid, uint256 output, uint256 n) private view returns (uint16[] memory values) {
        values = new uint16[](n);
        for (uint256 i = 0; i < n; ++i) {
            values[i] = uint16(_outputs[netuid][output][i >> 4] >> ((i & 15) * 16));
        }
    }

    /// @inheritdoc IYumaSettlement
    function bondsOf(uint256 netuid, uint256 uid) external view returns (uint16[] memory bondsU16) {
        uint256 n = _neurons.neuronCount(netuid);
        YumaEngine.PackedRows memory rows = _newRows(1);
        _loadBondsRow(rows, 0, netuid, uid, _neurons.blockAtRegistration(netuid, uid));
        bondsU16 = new uint16[](n);
        uint256 length = rows.lengths[0];
        for (uint256 c = 0; c < n && c < length; ++c) {
            bondsU16[c] = uint16(rows.words[0][c >> 4] >> ((c & 15) * 16));
        }
    }
}
