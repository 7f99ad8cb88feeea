// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {Vm} from "forge-std/Vm.sol";
import {TAO} from "../../../contracts/token/TAO.sol";
import {Emission} from "../../../contracts/emission/Emission.sol";
import {Staking} from "../../../contracts/staking/Staking.sol";
import {SubnetRegistry} from "../../../contracts/registry/SubnetRegistry.sol";
import {NeuronRegistry} from "../../../contracts/registry/NeuronRegistry.sol";
import {YumaSettlement} from "../../../contracts/settlement/YumaSettlement.sol";
import {Weights} from "../../../contracts/weights/Weights.sol";
import {IEmission} from "../../../contracts/interfaces/IEmission.sol";
import {IStakingEvents} from "../../../contracts/interfaces/IStaking.sol";
import {ISubnetRegistryTypes} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";
import {WeightRowsMirror} from "./WeightRowsMirror.sol";

/// @title SettlementProbe
/// @notice Settles a subnet and checks the money paths of that one transaction from the outside:
/// the settlement's events and views, the token's, Emission's and Staking's views and events. Shared
/// by the fuzz tests (which assert that no violation is found) and the invariant handler (which
/// counts them), so both check exactly the same properties.
/// @dev Only `settle`, `pendingEmission`, `emissionShare`, `nextEpochBlock`, `epochOutputs` and the
/// two settlement events are used of the settlement, so the probe holds across rewrites of its
/// internals. A check returns the first property that failed, as a sentence, or "" when all held.
abstract contract SettlementProbe is CommonBase, WeightRowsMirror {
    uint256 private constant WAD = 1e18;
    uint256 private constant TIP_BPS = 10;
    uint256 private constant U16_ONE = type(uint16).max;

    /// @notice The contracts a settlement touches.
    struct System {
        TAO tao;
        Emission emission;
        Staking staking;
        SubnetRegistry subnets;
        NeuronRegistry neurons;
        YumaSettlement yuma;
        Weights weights;
    }

    /// @notice The state a settlement may change, read just before it, and what the caller knows of
    /// the subnet's previous settlements (`clockStarted`, `previousIndex`, `previousEpochIndex`: the
    /// caller tracks them from earlier probes).
    struct Before {
        uint256 netuid;
        address keeper;
        address owner;
        uint256 n;
        address[] hotkeys;
        uint256[] stakes;
        /// @dev Each UID's hotkey's accrued rewards before the settlement (`Staking.accruedRewards`).
        uint256[] accruedOperator;
        uint256[] accruedPool;
        bool anyStake;
        uint256 pending;
        uint256 share;
        uint256 accrued;
        uint256 mintable;
        uint256 cumulativeMinted;
        uint256 supply;
        uint256 accounted;
        uint256 ownerBalance;
        uint256 keeperBalance;
        uint256 settlementBalance;
        uint256 ownerCutU16;
        uint256 tempo;
        bool clockStarted;
        uint256 previousIndex;
        uint64 previousEpochIndex;
    }

    /// @notice What one `settle` transaction reported, read from its logs, and what followed it.
    struct Settled {
        uint256 netuid;
        uint256 returned;
        uint64 epochIndex;
        uint256 emission;
        uint256 ownerCut;
        uint256 keeperTip;
        uint256 burned;
        address keeper;
        uint16[] consensus;
        uint16[] incentive;
        uint16[] dividends;
        uint16[] validatorTrust;
        uint16[] trust;
        bool[] validatorPermit;
        uint256[] minerEmission;
        uint256[] validatorEmission;
        uint256 settledEvents;
        uint256 outputEvents;
        uint256 mintEvents;
        uint256 minted;
        /// @dev The revert data of a second `settle` in the same block.
        bytes again;
    }

    function _probeBefore(System memory sys, uint256 netuid, address keeper_) internal view returns (Before memory b) {
        b.netuid = netuid;
        b.keeper = keeper_;
        b.owner = sys.subnets.ownerOf(netuid);
        b.n = sys.neurons.neuronCount(netuid);
        b.hotkeys = new address[](b.n);
        b.stakes = new uint256[](b.n);
        b.accruedOperator = new uint256[](b.n);
        b.accruedPool = new uint256[](b.n);
        uint256 threshold = sys.subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.StakeThreshold);
        for (uint256 uid = 0; uid < b.n; ++uid) {
            b.hotkeys[uid] = sys.neurons.hotkeyOf(netuid, uid);
            b.stakes[uid] = sys.staking.totalStake(b.hotkeys[uid]);
            (b.accruedOperator[uid], b.accruedPool[uid]) = sys.staking.accruedRewards(b.hotkeys[uid]);
            if (b.stakes[uid] != 0 && b.stakes[uid] >= threshold) b.anyStake = true;
        }
        b.pending = sys.yuma.pendingEmission(netuid);
        b.share = sys.yuma.emissionShare(netuid);
        b.accrued = sys.emission.cumulativeAccrued();
        b.mintable = sys.emission.mintable();
        b.cumulativeMinted = sys.emission.cumulativeMinted();
        b.supply = sys.tao.totalSupply();
        b.accounted = sys.staking.totalAccounted();
        b.ownerBalance = sys.tao.balanceOf(b.owner);
        b.keeperBalance = sys.tao.balanceOf(keeper_);
        b.settlementBalance = sys.tao.balanceOf(address(sys.yuma));
        b.ownerCutU16 = sys.subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.OwnerCut);
        b.tempo = sys.subnets.hyperparameter(netuid, ISubnetRegistryTypes.Hyperparameter.Tempo);
    }

    /// @dev `settle`'s weights rows for `netuid` (`WeightRowsMirror`).
    function _weightRows(System memory sys, uint256 netuid) internal view returns (bytes memory) {
        return _weightRows(sys.yuma, sys.weights, netuid);
    }

    /// @dev `keeper_` settles `netuid`, then tries again in the same block.
    function _probeSettle(System memory sys, uint256 netuid, address keeper_) internal returns (Settled memory s) {
        bytes memory rows = _weightRows(sys, netuid);
        vm.recordLogs();
        vm.prank(keeper_);
        s.returned = sys.yuma.settle(netuid, rows);
        s.netuid = netuid;
        Vm.Log[] memory logs = vm.getRecordedLogs();
        _mirrorLogs(logs, address(0));
        _readLogs(sys, s, logs);
        vm.prank(keeper_);
        (bool ok, bytes memory data) = address(sys.yuma).call(
            abi.encodeCall(IYumaSettlement.settle, (netuid, _weightRows(sys, netuid)))
        );
        s.again = ok ? bytes("settled twice") : data;
    }

    function _readLogs(System memory sys, Settled memory s, Vm.Log[] memory logs) private pure {
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            bytes32 topic = log.topics[0];
            if (log.emitter == address(sys.yuma) && topic == IYumaSettlement.EpochSettled.selector) {
                ++s.settledEvents;
                s.epochIndex = uint64(uint256(log.topics[2]));
                (, s.emission, s.ownerCut, s.keeperTip, s.burned, s.keeper) = abi.decode(
                    log.data,
                    (uint64, uint256, uint256, uint256, uint256, address)
                );
            } else if (log.emitter == address(sys.yuma) && topic == IYumaSettlement.EpochOutputs.selector) {
                ++s.outputEvents;
                _readOutputs(s, log.data);
            } else if (log.emitter == address(sys.emission) && topic == IEmission.EmissionMinted.selector) {
                ++s.mintEvents;
                (uint256 amount, ) = abi.decode(log.data, (uint256, uint256));
                s.minted += amount;
            }
        }
    }

    /// @dev `EpochOutputs`' data: the packed fractions (11 bytes a UID: five big-endian u16, then the
    /// permit) unpacked into one array per output, and the amounts.
    function _readOutputs(Settled memory s, bytes memory data) private pure {
        bytes memory fractions;
        (fractions, s.minerEmission, s.validatorEmission) = abi.decode(data, (bytes, uint256[], uint256[]));
        uint256 n = s.minerEmission.length;
        require(fractions.length == 11 * n, "EpochOutputs: not 11 bytes of fractions a UID");
        s.consensus = new uint16[](n);
        s.incentive = new uint16[](n);
        s.dividends = new uint16[](n);
        s.validatorTrust = new uint16[](n);
        s.trust = new uint16[](n);
        s.validatorPermit = new bool[](n);
        for (uint256 uid = 0; uid < n; ++uid) {
            uint256 at = 11 * uid;
            s.consensus[uid] = _u16At(fractions, at);
            s.incentive[uid] = _u16At(fractions, at + 2);
            s.dividends[uid] = _u16At(fractions, at + 4);
            s.validatorTrust[uid] = _u16At(fractions, at + 6);
            s.trust[uid] = _u16At(fractions, at + 8);
            require(uint8(fractions[at + 10]) <= 1, "EpochOutputs: a permit byte neither 0 nor 1");
            s.validatorPermit[uid] = fractions[at + 10] == 0x01;
        }
    }

    function _u16At(bytes memory b, uint256 at) private pure returns (uint16) {
        return (uint16(uint8(b[at])) << 8) | uint16(uint8(b[at + 1]));
    }

    // ------------------------------------------------------------------------------------------
    // Checks
    // ------------------------------------------------------------------------------------------

    /// @notice Every property of one settlement, in order; the first that fails, or "".
    function _settlementViolation(
        System memory sys,
        Before memory b,
        Settled memory s
    ) internal view returns (string memory) {
        string memory failure = _mintViolation(sys, b, s);
        if (bytes(failure).length == 0) failure = _accountingViolation(sys, b, s);
        if (bytes(failure).length == 0) failure = _paymentViolation(sys, b, s);
        if (bytes(failure).length == 0) failure = _outputViolation(sys, b, s);
        return failure;
    }

    /// @dev What was minted: exactly the subnet's share of what the schedule accrued since its last
    /// epoch (rounded down, capped by what is mintable), nothing on the first epoch, once, as
    /// `pendingEmission` said and as the events and the return value report.
    function _mintViolation(
        System memory sys,
        Before memory b,
        Settled memory s
    ) internal view returns (string memory) {
        if (s.settledEvents != 1 || s.outputEvents != 1) return "not exactly one EpochSettled and one EpochOutputs";
        if (s.epochIndex != b.previousEpochIndex + 1) return "epoch index did not advance by one";
        uint256 owed = b.clockStarted ? ((b.accrued - b.previousIndex) * b.share) / WAD : 0;
        if (owed > b.mintable) owed = b.mintable;
        if (s.minted != owed) return "minted other than the subnet's share of the accrual";
        if (s.mintEvents != (owed == 0 ? 0 : 1)) return "more than one mint";
        if (s.emission != s.minted || s.returned != s.minted) return "EpochSettled or settle() misreport the mint";
        if (b.pending != s.minted) return "pendingEmission just before differs from the mint";
        if (sys.emission.cumulativeMinted() != b.cumulativeMinted + s.minted) return "Emission minted something else";
        if (sys.emission.cumulativeAccrued() != b.accrued) return "settle changed the accrual";
        return "";
    }

    /// @dev Where the minted TAO went: paid + owner cut + tip + burned == minted, each part as the
    /// contracts' balances, Staking's accounting and the supply say, and nothing left behind.
    function _accountingViolation(
        System memory sys,
        Before memory b,
        Settled memory s
    ) internal view returns (string memory) {
        uint256 paid = _paidBy(s);
        if (s.minerEmission.length != b.n || s.validatorEmission.length != b.n) return "outputs not one per UID";
        if (s.keeperTip != (s.minted * TIP_BPS) / 10_000) return "keeper tip is not 0.1%";
        if (s.ownerCut != ((s.minted - s.keeperTip) * b.ownerCutU16) / U16_ONE) return "owner cut is not OwnerCut";
        if (s.keeper != b.keeper) return "EpochSettled names another keeper";
        if (paid > s.minted - s.keeperTip - s.ownerCut) return "paid more than minted less cut and tip";
        if (paid + s.ownerCut + s.keeperTip + s.burned != s.minted) return "paid + cut + tip + burned != minted";
        if (sys.tao.balanceOf(address(sys.yuma)) != b.settlementBalance) return "the settlement kept TAO";
        if (sys.tao.balanceOf(address(sys.yuma)) != 0) return "the settlement holds TAO";
        if (sys.tao.totalSupply() != b.supply + s.minted - s.burned)
            return "supply moved by other than minted - burned";
        if (sys.staking.totalAccounted() != b.accounted + paid) return "Staking accounted other than what was paid";
        if (b.keeper == b.owner) {
            if (sys.tao.balanceOf(b.owner) != b.ownerBalance + s.ownerCut + s.keeperTip) return "owner-keeper balance";
        } else {
            if (sys.tao.balanceOf(b.owner) != b.ownerBalance + s.ownerCut) return "owner did not get exactly the cut";
            if (sys.tao.balanceOf(b.keeper) != b.keeperBalance + s.keeperTip) return "keeper did not get the tip";
        }
        uint256 amount = s.minted - s.keeperTip - s.ownerCut;
        if (b.anyStake) {
            if (s.burned > _dustBound(amount, b.n)) return "burned more than rounding dust";
        } else if (paid != 0) {
            return "paid although no UID holds stake";
        }
        return "";
    }

    /// @dev Who was paid: each UID's hotkey accrued exactly its UID's outputs (the miner's emission to
    /// stake for its operator, the validator's into its pool), once, and its stake rose by exactly that.
    /// With `totalAccounted` up by exactly what was paid (`_accountingViolation`), no other hotkey got any.
    function _paymentViolation(
        System memory sys,
        Before memory b,
        Settled memory s
    ) internal view returns (string memory) {
        for (uint256 uid = 0; uid < b.n; ++uid) {
            (uint256 toOperator, uint256 toPool) = sys.staking.accruedRewards(b.hotkeys[uid]);
            if (toOperator != b.accruedOperator[uid] + s.minerEmission[uid])
                return "miners: paid other than the UID's output";
            if (toPool != b.accruedPool[uid] + s.validatorEmission[uid])
                return "validators: paid other than the UID's output";
            uint256 earned = s.minerEmission[uid] + s.validatorEmission[uid];
            if (sys.staking.totalStake(b.hotkeys[uid]) != b.stakes[uid] + earned)
                return "stake moved by other than earned";
        }
        return "";
    }

    /// @dev The stored outputs: as the event says, incentive and dividends each summing to one (u16,
    /// within rounding) or to zero, and the epoch closed: not due again until a tempo has passed.
    function _outputViolation(
        System memory sys,
        Before memory b,
        Settled memory s
    ) internal view returns (string memory) {
        (uint16[] memory consensus, uint16[] memory incentive, uint16[] memory dividends, uint16[] memory trust) = sys
            .yuma
            .epochOutputs(b.netuid);
        if (
            keccak256(abi.encode(consensus, incentive, dividends, trust)) !=
            keccak256(abi.encode(s.consensus, s.incentive, s.dividends, s.validatorTrust))
        ) return "epochOutputs differs from EpochOutputs";
        if (keccak256(abi.encode(sys.yuma.epochTrust(b.netuid))) != keccak256(abi.encode(s.trust)))
            return "epochTrust differs from EpochOutputs";
        if (incentive.length != b.n) return "not one output per UID";
        if (!_sumsToOneOrZero(incentive)) return "incentive sums to neither ~65535 nor 0";
        if (!_sumsToOneOrZero(dividends)) return "dividends sum to neither ~65535 nor 0";
        uint256 next = block.number + b.tempo;
        if (sys.yuma.nextEpochBlock(b.netuid) != next) return "nextEpochBlock is not a tempo later";
        bytes memory notDue = abi.encodeWithSelector(
            IYumaSettlement.EpochNotDue.selector,
            b.netuid,
            next,
            block.number
        );
        if (keccak256(s.again) != keccak256(notDue)) return "a second settle in the block did not revert EpochNotDue";
        return "";
    }

    /// @dev A u16 vector that is a normalised fraction: each entry floor(x * 65535) of I32F32 parts
    /// summing to 1 less under 2^-32 each, so the sum is within n + 1 below 65535; or all zero.
    function _sumsToOneOrZero(uint16[] memory values) internal pure returns (bool) {
        uint256 total;
        for (uint256 i = 0; i < values.length; ++i) {
            total += values[i];
        }
        return total == 0 || (total <= U16_ONE && total + values.length + 1 >= U16_ONE);
    }

    function _paidBy(Settled memory s) internal pure returns (uint256 paid) {
        for (uint256 uid = 0; uid < s.minerEmission.length; ++uid) {
            paid += s.minerEmission[uid] + s.validatorEmission[uid];
        }
    }

    /// @dev The most rounding may burn of an epoch splitting `amount` over `n` UIDs. Each UID's miner
    /// and validator shares are I32F32 quotients of normalised vectors, each step losing under 2^-32
    /// per UID, and each payment is floored to the wei: about 2n * amount / 2^32 + 2n (docs/yuma.md);
    /// allowed here with a margin of four.
    function _dustBound(uint256 amount, uint256 n) internal pure returns (uint256) {
        return ((8 * n * amount) >> 32) + 2 * n + 1;
    }
}
