// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IEmission} from "../interfaces/IEmission.sol";
import {INeuronRegistry} from "../interfaces/INeuronRegistry.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {ISubnetRegistry, ISubnetRegistryTypes} from "../interfaces/ISubnetRegistry.sol";
import {ITAO} from "../interfaces/ITAO.sol";
import {IWeights} from "../interfaces/IWeights.sol";
import {IYumaSettlement} from "../interfaces/IYumaSettlement.sol";
import {SettlementStorage} from "./SettlementStorage.sol";
import {YumaEpochRunner} from "./YumaEpochRunner.sol";

/// @title YumaSettlement
/// @notice Runs each subnet's epoch (YUMA.md section 2, bit for bit as the `YumaEpoch` library) on the
/// registry's, staking's and the weights contract's state, keeps the bonds, and pays the emission.
/// An epoch that does not fit in one transaction settles in bounded chunks: `settle` starts a run and
/// every later `settle` (anyone's) continues it, until the last chunk pays and finishes the epoch.
/// While a run is open the subnet accepts no weights, and the state it runs on (stake, registrations,
/// hyperparameters) is the one captured when it started, so the chunks add up to the epoch one
/// transaction would have settled. The epoch itself runs in `YumaEpochRunner`, by `delegatecall`
/// (see `SettlementStorage`), which keeps this contract under the code size limit.
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
    /// @notice Gas kept back from the runner for finishing the epoch in the same call.
    uint256 private constant FINISH_GAS = 300_000;

    ITAO private immutable _token;
    IEmission private immutable _emission;
    IStaking private immutable _staking;
    ISubnetRegistry private immutable _subnets;
    INeuronRegistry private immutable _neurons;
    IWeights private immutable _weights;
    address private immutable _runner;

    mapping(uint256 netuid => uint256) private _shareWad;
    uint256 private _totalShareWad;
    uint256 private _sharedSubnets;

    constructor(
        address authority,
        address token_,
        address emission_,
        address staking_,
        address subnets_,
        address neurons_,
        address weights_,
        address runner_
    ) AccessManaged(authority) {
        _token = ITAO(token_);
        _emission = IEmission(emission_);
        _staking = IStaking(staking_);
        _subnets = ISubnetRegistry(subnets_);
        _neurons = INeuronRegistry(neurons_);
        _weights = IWeights(weights_);
        _runner = runner_;
    }

    // ------------------------------------------------------------------------------------------
    // Settlement
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IYumaSettlement
    function settle(uint256 netuid, bytes calldata weightRows) external returns (uint256 amount) {
        uint256 gasAtStart = gasleft();
        amount = _openIfDue(netuid, true);
        _advance(netuid, "", weightRows, gasAtStart);
    }

    /// @inheritdoc IYumaSettlement
    function settleWithHints(
        uint256 netuid,
        bytes calldata medianHints,
        bytes calldata weightRows
    ) external returns (uint256 amount) {
        uint256 gasAtStart = gasleft();
        amount = _openIfDue(netuid, true);
        _advance(netuid, medianHints, weightRows, gasAtStart);
    }

    /// @inheritdoc IYumaSettlement
    function quoteMedianHints(uint256 netuid, bytes calldata weightRows) external {
        // Before the due block too: a keeper quotes at the head and settles in the next block.
        _openIfDue(netuid, false);
        revert MedianHints(
            abi.decode(_delegate(abi.encodeCall(YumaEpochRunner.quoteHints, (netuid, weightRows))), (bytes))
        );
    }

    /// @dev Opens `netuid`'s epoch when none is open (checking that it is due when `checkDue`): mints
    /// its emission and pays the owner cut. Returns what it minted (0 when a run was already open).
    function _openIfDue(uint256 netuid, bool checkDue) private returns (uint256 amount) {
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        if (run.phase == SettlementStorage.Phase.Idle) {
            require(_subnets.isActive(netuid), UnknownSubnet(netuid));
            uint256 next = nextEpochBlock(netuid);
            require(!checkDue || block.number >= next, EpochNotDue(netuid, next, block.number));

            amount = _owed(netuid);
            SettlementStorage.layout().state[netuid].emissionIndex = _emission.cumulativeAccrued();
            uint256 tip = (amount * KEEPER_TIP_BPS) / 10_000;
            uint256 ownerCut =
                ((amount - tip) * _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.OwnerCut)) /
                    type(uint16).max;
            _start(netuid, amount, amount - tip - ownerCut, ownerCut, tip);
            if (amount != 0) _emission.mint(address(this), amount);
            if (ownerCut != 0) IERC20(address(_token)).safeTransfer(_subnets.ownerOf(netuid), ownerCut);
        }
    }

    /// @inheritdoc IYumaSettlement
    function settleWithEmission(uint256 netuid, uint256 amount, bytes calldata weightRows) external restricted {
        require(_subnets.isActive(netuid), UnknownSubnet(netuid));
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        require(run.phase == SettlementStorage.Phase.Idle, SettlementInProgress(netuid, uint8(run.phase)));
        uint256 gasAtStart = gasleft();
        _start(netuid, amount, amount, 0, 0);
        if (amount != 0) IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount);
        _advance(netuid, "", weightRows, gasAtStart);
    }

    /// @dev Opens a run: captures the hyperparameters and the epoch's block; the runner gathers the
    /// rest.
    function _start(uint256 netuid, uint256 minted, uint256 amount, uint256 ownerCut, uint256 tip) private {
        ISubnetRegistryTypes.Hyperparameters memory h = _subnets.hyperparameters(netuid);
        SettlementStorage.SubnetState storage state = SettlementStorage.layout().state[netuid];
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        run.phase = SettlementStorage.Phase.Gather;
        run.cursor = 0;
        run.n = uint32(_neurons.neuronCount(netuid));
        run.k = 0;
        run.voters = 0;
        run.startBlock = uint64(block.number);
        // YUMA.md 2.9 takes the block after the previous epoch (subtensor's epoch runs before the
        // block's extrinsics); here a UID may register in the epoch's block before or after the settle,
        // so bonds on a UID registered in that block are dropped too. Before any epoch, one tempo back.
        run.lastTempo = uint64(
            state.settledOnce ? uint256(state.lastEpochBlock) : (block.number > h.tempo ? block.number - h.tempo : 0)
        );
        run.kappa = uint16(h.kappa);
        run.bondsPenalty = uint16(h.bondsPenalty);
        run.bondsMovingAverage = uint32(h.bondsMovingAverage);
        run.alphaLow = uint16(h.alphaLow);
        run.alphaHigh = uint16(h.alphaHigh);
        run.alphaSteepness = uint16(h.alphaSigmoidSteepness);
        run.yuma3 = h.yuma3Enabled;
        run.liquidAlpha = h.liquidAlphaEnabled;
        run.commitReveal = h.commitRevealEnabled;
        run.anyConsensus = false;
        run.activityCutoff = uint64(h.activityCutoff);
        run.maxValidators = uint32(h.maxAllowedValidators);
        run.stakeThreshold = h.stakeThreshold > type(uint128).max ? type(uint128).max : uint128(h.stakeThreshold);
        run.stakeTotal = 0;
        run.minority = 0;
        run.rankSum = 0;
        run.activeSum = 0;
        run.incentiveSum = 0;
        run.emissionSum = 0;
        run.combinedTotal = 0;
        run.minted = minted;
        run.amount = amount;
        run.paid = 0;
        run.ownerCut = uint128(ownerCut);
        run.keeperTip = uint128(tip);
        run.weightsPaused = false;
        run.runGas = 0;
        run.tipPaid = 0;
        emit EpochStarted(netuid, state.epochIndex + 1, uint64(block.number), run.n);
    }

    /// @dev Runs as many units as the gas allows; finishes the epoch when the last one ran, else
    /// pauses the subnet's weights until it does and pays the call its share of the tip.
    function _advance(uint256 netuid, bytes memory medianHints, bytes calldata weightRows, uint256 gasAtStart) private {
        bytes memory result = _delegate(
            abi.encodeCall(
                YumaEpochRunner.advanceUntil,
                (netuid, FINISH_GAS, medianHints, weightRows, SettlementStorage.Phase.Done)
            )
        );
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        if (abi.decode(result, (bool))) {
            _finish(netuid, run, gasAtStart);
            return;
        }
        if (!run.weightsPaused) {
            run.weightsPaused = true;
            _weights.setSettling(netuid, true);
        }
        _tipPart(netuid, run, gasAtStart);
    }

    /// @dev A call that did not finish the run: `keeperTip * gas used / the previous run's gas`, at most
    /// what is left of the tip. A subnet's first run has no yardstick: its finisher takes the whole tip.
    function _tipPart(uint256 netuid, SettlementStorage.Run storage run, uint256 gasAtStart) private {
        SettlementStorage.SubnetState storage state = SettlementStorage.layout().state[netuid];
        uint256 used = _gasUsed(gasAtStart);
        run.runGas += uint64(used);
        uint256 yardstick = state.lastRunGas;
        uint256 share;
        if (yardstick != 0) {
            uint256 left = run.keeperTip - run.tipPaid;
            share = (uint256(run.keeperTip) * used) / yardstick; // rounds down
            if (share > left) share = left;
            run.tipPaid += uint128(share);
        }
        emit SettlementAdvanced(netuid, state.epochIndex + 1, msg.sender, used, share);
        if (share != 0) IERC20(address(_token)).safeTransfer(msg.sender, share);
    }

    /// @dev Gas this transaction has used so far, its base cost included (calldata is not counted).
    function _gasUsed(uint256 gasAtStart) private view returns (uint256) {
        return gasAtStart - gasleft() + 21_000;
    }

    /// @dev Runs `data` on the runner in this contract's storage; bubbles its revert.
    function _delegate(bytes memory data) private returns (bytes memory result) {
        bool ok;
        (ok, result) = _runner.delegatecall(data);
        if (!ok) LowLevelCall.bubbleRevert(result);
    }

    /// @dev The last chunk: burns the rounding dust (everything when nobody could be paid), records the
    /// epoch, and pays the caller what the earlier calls left of the tip.
    function _finish(uint256 netuid, SettlementStorage.Run storage run, uint256 gasAtStart) private {
        SettlementStorage.SubnetState storage state = SettlementStorage.layout().state[netuid];
        uint256 burned = run.amount - run.paid;
        uint256 tip = run.keeperTip;
        uint256 rest = tip - run.tipPaid;
        state.lastRunGas = uint64(run.runGas + _gasUsed(gasAtStart));
        state.lastRows = run.k;
        uint64 startBlock = run.startBlock;
        bool paused = run.weightsPaused;
        state.lastEpochBlock = startBlock;
        state.settledOnce = true;
        uint64 epochIndex = state.epochIndex + 1;
        state.epochIndex = epochIndex;
        run.phase = SettlementStorage.Phase.Idle;
        run.weightsPaused = false;

        if (_subnets.isActive(netuid)) _subnets.recordSubnetEmission(netuid, run.combinedTotal);
        _weights.advanceEpoch(netuid);
        if (paused) _weights.setSettling(netuid, false);
        emit EpochSettled(netuid, epochIndex, startBlock, run.minted, run.ownerCut, tip, burned, msg.sender);
        if (burned != 0) _token.burn(burned);
        if (rest != 0) IERC20(address(_token)).safeTransfer(msg.sender, rest);
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
        SettlementStorage.SubnetState storage state = SettlementStorage.layout().state[netuid];
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
        SettlementStorage.SubnetState storage state = SettlementStorage.layout().state[netuid];
        uint256 tempo = _subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.Tempo);
        uint256 last = state.settledOnce ? state.lastEpochBlock : _subnets.subnet(netuid).createdAtBlock;
        return last + tempo;
    }

    /// @inheritdoc IYumaSettlement
    function lastEpochBlock(uint256 netuid) external view returns (uint256) {
        return SettlementStorage.layout().state[netuid].lastEpochBlock;
    }

    /// @inheritdoc IYumaSettlement
    function lastRunGas(uint256 netuid) external view returns (uint256) {
        return SettlementStorage.layout().state[netuid].lastRunGas;
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
        uint256 n = SettlementStorage.layout().outputLength[netuid];
        consensus = _readU16(netuid, 0, n);
        incentive = _readU16(netuid, 1, n);
        dividends = _readU16(netuid, 2, n);
        validatorTrust = _readU16(netuid, 3, n);
    }

    /// @inheritdoc IYumaSettlement
    function epochTrust(uint256 netuid) external view returns (uint16[] memory trust) {
        trust = _readU16(netuid, 4, SettlementStorage.layout().outputLength[netuid]);
    }

    function _readU16(uint256 netuid, uint256 output, uint256 n) private view returns (uint16[] memory values) {
        values = new uint16[](n);
        for (uint256 i = 0; i < n; ++i) {
            values[i] = uint16(SettlementStorage.layout().outputs[netuid][output][i >> 4] >> ((i & 15) * 16));
        }
    }

    /// @inheritdoc IYumaSettlement
    function bondsOf(uint256 netuid, uint256 uid) external view returns (uint16[] memory bondsU16) {
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        uint256 n = _neurons.neuronCount(netuid);
        SettlementStorage.RowMeta memory meta = l.bondMeta[netuid][uid];
        uint256 registeredAt = _neurons.blockAtRegistration(netuid, uid);
        uint256 length = meta.writtenAtBlock > registeredAt ? meta.length : 0;
        if (length != 0 && meta.loggedAtBlock != 0) revert BondsInLog(netuid, uid, meta.loggedAtBlock);
        bondsU16 = new uint16[](n);
        for (uint256 c = 0; c < n && c < length; ++c) {
            uint256 word = l.bondWords[netuid][uid][c >> 4];
            bool present = (l.bondPresence[netuid][uid][c >> 8] >> (c & 0xff)) & 1 == 1;
            if (present) bondsU16[c] = uint16(word >> ((c & 15) * 16));
        }
    }

    /// @inheritdoc IYumaSettlement
    function bondRowCommitments(
        uint256 netuid,
        uint256[] calldata uids,
        uint256 first,
        uint256 count
    ) external view returns (uint256[] memory meta, bytes32[] memory hashes) {
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        meta = new uint256[](uids.length);
        hashes = new bytes32[](uids.length * count);
        for (uint256 i = 0; i < uids.length; ++i) {
            SettlementStorage.RowMeta memory row = l.bondMeta[netuid][uids[i]];
            meta[i] = uint256(row.writtenAtBlock) | (uint256(row.length) << 64) | (uint256(row.loggedAtBlock) << 96);
            if (row.loggedAtBlock == 0) continue;
            for (uint256 s = 0; s < count; ++s) {
                hashes[i * count + s] =
                    first + s == 0 ? bytes32(row.firstSegmentHash) : l.bondHash[netuid][uids[i]][first + s];
            }
        }
    }

    /// @inheritdoc IYumaSettlement
    function weightRowUids(
        uint256 netuid
    ) external view returns (uint256[] memory uids, uint256 n, uint256 nextSegment) {
        SettlementStorage.Layout storage l = SettlementStorage.layout();
        SettlementStorage.Run storage run = l.runs[netuid];
        nextSegment = SettlementStorage.nextRowSegment(run);
        // Before its rows' phases a run reads from segment 0 on; past them, none.
        if (nextSegment == SettlementStorage.NO_SEGMENT && run.phase < SettlementStorage.Phase.RowSums) {
            nextSegment = 0;
        }
        if (run.phase > SettlementStorage.Phase.Rank) {
            // The run's rows, as its Gather captured them (in storage between calls).
            n = run.n;
            uids = new uint256[](run.k);
            SettlementStorage.Scratch storage scratch = l.scratch[netuid];
            for (uint256 r = 0; r < uids.length; ++r) {
                uids[r] = scratch.rowInfo[r] & type(uint32).max;
            }
            return (uids, n, nextSegment);
        }
        n = run.phase == SettlementStorage.Phase.Idle ? _neurons.neuronCount(netuid) : run.n;
        uint256[] memory bitmap = _neurons.validatorPermits(netuid);
        uids = new uint256[](n);
        uint256 k;
        for (uint256 uid = 0; uid < n; ++uid) {
            if ((bitmap[uid >> 8] >> (uid & 0xff)) & 1 == 1) uids[k++] = uid;
        }
        assembly ("memory-safe") {
            mstore(uids, k) // shortened in place
        }
    }

    /// @inheritdoc IYumaSettlement
    function settlementProgress(
        uint256 netuid
    ) external view returns (uint8 phase, uint256 cursor, uint256 uids, uint256 rows, uint64 startBlock) {
        SettlementStorage.Run storage run = SettlementStorage.layout().runs[netuid];
        return (uint8(run.phase), run.cursor, run.n, run.k, run.startBlock);
    }
}
