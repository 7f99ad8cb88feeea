// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Weights} from "../../../contracts/weights/Weights.sol";
import {ISubnetRegistryTypes} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";
import {SettlementTest} from "./SettlementTest.sol";
import {SettlementProbe} from "./SettlementProbe.sol";

/// @dev The handler lives in this file: Hardhat hands EDR the artifacts of the test files it runs,
/// and a handler compiled from another file is not recognised as an invariant target.

/// @notice The settlement's money paths under random sequences of registrations (subnets fill up
/// and prune), stakes and unstakes, direct and commit-reveal weights, time, and settlements of two
/// small subnets with governance shares of emission that do not divide evenly. Each settlement is
/// checked by `SettlementProbe` inside the handler (violations are counted per property, since a
/// failed assertion in a handler would only read as a revert); the invariants assert the counts stay
/// zero and check what spans epochs.
/// forge-config: default.invariant.runs = 32
/// forge-config: default.invariant.depth = 64
contract YumaSettlementInvariants is SettlementTest {
    uint256 internal constant POOL = 12;
    /// @dev Shares that round: the subnets' owed amounts are never exact.
    uint256 internal constant SHARE_DIRECT = 0.6e18 - 7;
    uint256 internal constant SHARE_COMMIT_REVEAL = uint256(1e18) / 3;

    SettlementHandler internal handler;
    uint256 internal direct;
    uint256 internal commitReveal;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        direct = _createSettlementSubnet(subnetOwner, 3, 6, 3);
        commitReveal = _createSettlementSubnet(otherOwner, 5, 5, 2);
        _setHyperparameter(commitReveal, Hyperparameter.CommitRevealEnabled, 1);
        _setHyperparameter(commitReveal, Hyperparameter.Yuma3Enabled, 0);
        _setHyperparameter(direct, Hyperparameter.LiquidAlphaEnabled, 1);
        _setHyperparameter(direct, Hyperparameter.ImmunityPeriod, 12);
        _setHyperparameter(commitReveal, Hyperparameter.ImmunityPeriod, 20);
        uint256[] memory netuids = new uint256[](2);
        uint256[] memory shares = new uint256[](2);
        (netuids[0], netuids[1]) = (direct, commitReveal);
        (shares[0], shares[1]) = (SHARE_DIRECT, SHARE_COMMIT_REVEAL);
        vm.prank(governance);
        yuma.setEmissionShares(netuids, shares);

        address[] memory pool = new address[](POOL);
        uint256[] memory keys = new uint256[](POOL);
        for (uint256 i = 0; i < POOL; ++i) {
            (pool[i], keys[i]) = _newHotkey();
        }
        handler = new SettlementHandler(_system(), weights, netuids, pool, [keeper, subnetOwner, stranger]);
        for (uint256 i = 0; i < POOL; ++i) {
            _bind(keys[i], address(handler));
        }
        _fund(address(handler), 200_000e18);
        vm.startPrank(address(handler));
        tao.approve(address(neurons), type(uint256).max);
        tao.approve(address(staking), type(uint256).max);
        vm.stopPrank();
        // Start with a few neurons in each subnet, through the handler so that its model knows them.
        for (uint256 i = 0; i < 3; ++i) {
            handler.register(0, i);
            handler.register(1, i + 3);
            handler.stake(i, 100e18 + i);
        }

        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = SettlementHandler.register.selector;
        selectors[1] = SettlementHandler.stake.selector;
        selectors[2] = SettlementHandler.unstake.selector;
        selectors[3] = SettlementHandler.setWeights.selector;
        selectors[4] = SettlementHandler.setWeights.selector;
        selectors[5] = SettlementHandler.commitWeights.selector;
        selectors[6] = SettlementHandler.revealWeights.selector;
        selectors[7] = SettlementHandler.roll.selector;
        selectors[8] = SettlementHandler.roll.selector;
        selectors[9] = SettlementHandler.settle.selector;
        selectors[10] = SettlementHandler.settle.selector;
        selectors[11] = SettlementHandler.settle.selector;
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @notice The handler's actions do what the invariants rely on: with `failOnRevert: false` a
    /// handler call that reverts is dropped silently, so a broken path (a settlement refused for rows
    /// the handler did not mirror, say) would leave every invariant passing on runs that settle
    /// nothing. Weights set, then each subnet settled twice, each settlement counted and paid,
    /// breaking no property.
    function test_handler_setsWeightsAndSettlesEachSubnet() public {
        for (uint256 round = 0; round < 2; ++round) {
            for (uint256 v = 0; v < 4; ++v) {
                handler.setWeights(v, 6, round * 4 + v);
            }
            handler.settle(0, 0); // an even keeper seed waits for the epoch
            handler.settle(1, 0);
        }
        assertGt(handler.directWeights(), 0, "weights set");
        assertEq(handler.settlements(), 4, "each subnet settled twice");
        assertGt(handler.paidSettlements(), 0, "settlements paid");
        for (uint256 c = 0; c <= uint256(type(SettlementHandler.Check).max); ++c) {
            assertEq(handler.violations(SettlementHandler.Check(c)), 0, handler.lastViolation());
        }
    }

    /// @notice What each subnet was minted is its share of what the schedule accrued between its
    /// first epoch and its last, rounded down at each epoch: never more, and less by at most a wei
    /// per paid epoch. Every TAO Emission minted was minted by a settlement, and never more than
    /// accrued. Each single settlement minted exactly `pendingEmission`, the share of the accrual
    /// since the subnet's last epoch (nothing at its first), once.
    function invariant_mintedIsTheAccrualOwed() public view {
        assertEq(handler.violations(SettlementHandler.Check.Mint), 0, handler.lastViolation());
        uint256[2] memory shares = [SHARE_DIRECT, SHARE_COMMIT_REVEAL];
        uint256 minted;
        for (uint256 i = 0; i < 2; ++i) {
            uint256 netuid = handler.netuids(i);
            uint256 owed = ((handler.lastIndex(netuid) - handler.firstIndex(netuid)) * shares[i]) / WAD;
            assertLe(handler.minted(netuid), owed, "minted more than the share of the accrual");
            assertGe(handler.minted(netuid) + handler.paidEpochs(netuid), owed, "minted less than rounding explains");
            minted += handler.minted(netuid);
        }
        assertEq(emission.cumulativeMinted(), minted, "Emission minted outside settlements");
        assertLe(emission.cumulativeMinted(), emission.cumulativeAccrued());
    }

    /// @notice Per epoch, what was paid to miners and validators plus the owner cut, the keeper tip
    /// and the burn is what was minted, as balances, Staking's accounting and the supply confirm;
    /// only rounding dust is burned while anyone holds stake; and the settlement holds no TAO.
    function invariant_everyMintedWeiIsAccounted() public view {
        assertEq(handler.violations(SettlementHandler.Check.Accounting), 0, handler.lastViolation());
        assertEq(tao.balanceOf(address(yuma)), 0, "the settlement holds TAO");
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted(), "Staking holds other than it accounts");
    }

    /// @notice No UID (no hotkey) is paid twice in an epoch: at most one miner and one validator
    /// payment per hotkey, each its UID's output, and its stake up by exactly that; an epoch is not
    /// settled twice in a block.
    function invariant_noUidPaidTwiceInAnEpoch() public view {
        assertEq(handler.violations(SettlementHandler.Check.Payment), 0, handler.lastViolation());
    }

    /// @notice Incentive and dividends (u16) each sum to 65,535 within rounding, or to 0, at every
    /// epoch and as stored now; stored outputs match the event.
    function invariant_incentiveAndDividendsSumToOneOrZero() public view {
        assertEq(handler.violations(SettlementHandler.Check.Output), 0, handler.lastViolation());
        for (uint256 i = 0; i < 2; ++i) {
            (, uint16[] memory incentive, uint16[] memory dividends, ) = yuma.epochOutputs(handler.netuids(i));
            assertTrue(_sumsToOneOrZero(incentive), "incentive");
            assertTrue(_sumsToOneOrZero(dividends), "dividends");
        }
    }

    /// @notice A replaced UID inherits nothing: its bonds row reads empty from its registration; after
    /// each epoch, a UID whose holder has written no weights row has no validator trust, no bonds and
    /// no dividends from bonds, and no validator holds bonds in (or gives incentive to) a UID it has
    /// not weighted since that UID's registration.
    function invariant_replacedUidsInheritNothing() public view {
        assertEq(handler.violations(SettlementHandler.Check.Inheritance), 0, handler.lastViolation());
    }

    /// @notice `settle` before the tempo always reverts with `EpochNotDue(netuid, next, block)`.
    function invariant_settleRefusedBeforeTempo() public view {
        assertEq(handler.violations(SettlementHandler.Check.NotDue), 0, handler.lastViolation());
    }
}

/// @title SettlementHandler
/// @notice Drives two subnets through registrations (with pruning once full), stakes, unstakes,
/// weights (direct on one subnet, commit-reveal on the other), time and settlements. Keeps a model
/// of each UID's tenure (when its holder registered, last updated and last wrote a weights row) to
/// check inheritance, and runs `SettlementProbe` on each settlement.
/// @dev The handler is the coldkey of every hotkey of its pool. Each registration opens a new block,
/// so that the tenure model can tell holders apart by block; replacement in the very block of the
/// predecessor's weights or of a settlement is covered by `YumaSettlementSameBlockReplacement.t.sol`.
contract SettlementHandler is SettlementProbe, StdUtils {
    enum Check {
        Mint,
        Accounting,
        Payment,
        Output,
        Inheritance,
        NotDue
    }

    struct PendingCommit {
        uint256 netuid;
        address hotkey;
        uint16[] uids;
        uint16[] values;
        bytes32 salt;
        uint64 epoch;
    }

    System internal sys;
    Weights internal immutable weights;
    uint256[] public netuids;
    address[] public pool;
    address[3] internal keepers;
    address internal immutable delegator = address(uint160(uint256(keccak256("taonet settlement delegator"))));

    uint256 public currentBlock;
    uint256 public currentTime;
    uint256 public calls;
    // ---- what happened (for reading a run; a UID replaced, a weights row revealed, ...) ----
    uint256 public settlements;
    uint256 public paidSettlements;
    uint256 public replacements;
    uint256 public reveals;
    uint256 public directWeights;
    PendingCommit[] internal pending;
    uint256 internal saltNonce;

    // ---- the model ----
    mapping(uint256 netuid => mapping(uint256 uid => uint256)) public lastUpdateOf;
    mapping(uint256 netuid => mapping(uint256 uid => uint256)) public rowWrittenAt;
    mapping(uint256 netuid => uint64) public epochIndexOf;
    mapping(uint256 netuid => bool) public clockStarted;
    mapping(uint256 netuid => uint256) public firstIndex;
    mapping(uint256 netuid => uint256) public lastIndex;
    mapping(uint256 netuid => uint256) public minted;
    mapping(uint256 netuid => uint256) public paidEpochs;

    // ---- what went wrong ----
    mapping(Check => uint256) public violations;
    string public lastViolation;

    constructor(
        System memory sys_,
        Weights weights_,
        uint256[] memory netuids_,
        address[] memory pool_,
        address[3] memory keepers_
    ) {
        sys = sys_;
        weights = weights_;
        netuids = netuids_;
        pool = pool_;
        keepers = keepers_;
        currentBlock = block.number;
        currentTime = block.timestamp;
    }

    /// @dev The invariant runner does not carry block number and time from one call to the next.
    modifier onChain() {
        vm.roll(currentBlock);
        vm.warp(currentTime);
        ++calls;
        _;
    }

    // ------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------

    function register(uint256 subnetSeed, uint256 hotkeySeed) external onChain {
        _advance(1, 2);
        uint256 netuid = netuids[subnetSeed % netuids.length];
        address hotkey = pool[hotkeySeed % pool.length];
        (bool registered, ) = sys.neurons.uidOf(netuid, hotkey);
        if (registered) return;
        uint256 before = sys.neurons.neuronCount(netuid);
        uint256 price = sys.neurons.burnPrice(netuid);
        try sys.neurons.registerNeuron(netuid, hotkey, price) returns (uint256 uid) {
            lastUpdateOf[netuid][uid] = 0;
            rowWrittenAt[netuid][uid] = 0;
            if (uid < before) ++replacements;
            if (uid < before && _sum(_bondsOf(sys.yuma, netuid, uid)) != 0) {
                _violate(Check.Inheritance, "a replaced UID's bonds row is not empty at registration");
            }
        } catch {}
    }

    /// @dev The operator (the handler) or a delegator stakes into a hotkey of the pool.
    function stake(uint256 hotkeySeed, uint256 assets) public onChain {
        address hotkey = pool[hotkeySeed % pool.length];
        address staker = _staker(assets);
        assets = _bound(assets, 0.01e18, 20_000e18);
        if (staker != address(this)) sys.tao.transfer(staker, assets);
        vm.startPrank(staker);
        sys.tao.approve(address(sys.staking), assets);
        sys.staking.addStake(hotkey, assets);
        vm.stopPrank();
    }

    /// @dev The operator or the delegator unstakes part of its position, or all of it where a part
    /// would leave less than the minimum.
    function unstake(uint256 hotkeySeed, uint256 shares) external onChain {
        address hotkey = pool[hotkeySeed % pool.length];
        address staker = _staker(shares);
        uint256 owned = sys.staking.sharesOf(staker, hotkey);
        if (owned == 0) return;
        shares = _bound(shares, 1, owned);
        vm.prank(staker);
        try sys.staking.removeStake(hotkey, shares) {} catch {
            vm.prank(staker);
            sys.staking.removeStake(hotkey, owned);
        }
    }

    function setWeights(uint256 hotkeySeed, uint256 columns, uint256 valueSeed) external onChain {
        uint256 netuid = netuids[0];
        (address hotkey, uint256 uid, bool found) = _registeredHotkey(netuid, hotkeySeed);
        if (!found) return;
        (uint16[] memory uids, uint16[] memory values) = _row(netuid, uid, columns, valueSeed);
        _watchWeights();
        vm.prank(hotkey);
        try weights.setWeights(netuid, uids, values, 0) {
            lastUpdateOf[netuid][uid] = block.number;
            rowWrittenAt[netuid][uid] = block.number;
            ++directWeights;
        } catch {}
        _syncWeightRows(address(weights));
    }

    function commitWeights(uint256 hotkeySeed, uint256 columns, uint256 valueSeed) external onChain {
        uint256 netuid = netuids[1];
        (address hotkey, uint256 uid, bool found) = _registeredHotkey(netuid, hotkeySeed);
        if (!found) return;
        (uint16[] memory uids, uint16[] memory values) = _row(netuid, uid, columns, valueSeed);
        bytes32 salt = bytes32(++saltNonce);
        bytes32 commitHash = weights.commitHashOf(netuid, hotkey, uids, values, salt, 0);
        uint64 epoch = weights.currentEpoch(netuid);
        vm.prank(hotkey);
        try weights.commitWeights(netuid, commitHash) {
            lastUpdateOf[netuid][uid] = block.number;
            pending.push(PendingCommit(netuid, hotkey, uids, values, salt, epoch));
        } catch {}
    }

    function revealWeights(uint256 indexSeed) external onChain {
        if (pending.length == 0) return;
        uint256 index = indexSeed % pending.length;
        PendingCommit memory c = pending[index];
        uint256 revealEpoch =
            uint256(c.epoch) + sys.subnets.hyperparameter(c.netuid, ISubnetRegistryTypes.Hyperparameter.RevealPeriod);
        uint256 current = weights.currentEpoch(c.netuid);
        if (current < revealEpoch) return;
        pending[index] = pending[pending.length - 1];
        pending.pop();
        (bool registered, uint256 uid) = sys.neurons.uidOf(c.netuid, c.hotkey);
        if (current > revealEpoch || !registered) return;
        _watchWeights();
        vm.prank(c.hotkey);
        try weights.revealWeights(c.netuid, c.uids, c.values, c.salt, 0) {
            rowWrittenAt[c.netuid][uid] = block.number;
            ++reveals;
        } catch {}
        _syncWeightRows(address(weights));
    }

    function roll(uint256 blocks, uint256 seconds_) external onChain {
        _advance(_bound(blocks, 1, 6), _bound(seconds_, 1, 2 hours));
    }

    function settle(uint256 subnetSeed, uint256 keeperSeed) external onChain {
        uint256 netuid = netuids[subnetSeed % netuids.length];
        address keeper = keepers[keeperSeed % keepers.length];
        uint256 next = sys.yuma.nextEpochBlock(netuid);
        // Half the early calls wait for the epoch (a keeper's usual way), half try it early.
        if (block.number < next && keeperSeed % 2 == 0) {
            _advance(next - block.number, _bound(keeperSeed, 1, 2 hours));
        }
        if (block.number < next) {
            bytes memory rows = _weightRows(sys, netuid);
            vm.prank(keeper);
            try sys.yuma.settle(netuid, rows) {
                _violate(Check.NotDue, "settled before the tempo");
            } catch (bytes memory reason) {
                bytes memory expected = abi.encodeWithSelector(
                    IYumaSettlement.EpochNotDue.selector,
                    netuid,
                    next,
                    block.number
                );
                if (keccak256(reason) != keccak256(expected)) _violate(Check.NotDue, "early settle: wrong error");
            }
            return;
        }

        Before memory b = _probeBefore(sys, netuid, keeper);
        b.clockStarted = clockStarted[netuid];
        b.previousIndex = lastIndex[netuid];
        b.previousEpochIndex = epochIndexOf[netuid];
        Settled memory s = _probeSettle(sys, netuid, keeper);
        ++settlements;
        _record(Check.Mint, _mintViolation(sys, b, s));
        _record(Check.Accounting, _accountingViolation(sys, b, s));
        _record(Check.Payment, _paymentViolation(sys, b, s));
        _record(Check.Output, _outputViolation(sys, b, s));
        _checkInheritance(netuid, s);

        if (!clockStarted[netuid]) firstIndex[netuid] = b.accrued;
        clockStarted[netuid] = true;
        lastIndex[netuid] = b.accrued;
        epochIndexOf[netuid] = s.epochIndex;
        minted[netuid] += s.minted;
        if (b.clockStarted) ++paidEpochs[netuid];
        if (_paidBy(s) != 0) ++paidSettlements;
    }

    // ------------------------------------------------------------------------------------------
    // Checks across epochs
    // ------------------------------------------------------------------------------------------

    /// @dev Right after an epoch every bonds row is fresh. A UID's holder that wrote no weights row
    /// has no trust and no bonds; a bond of row i in column j, and any incentive of j, need a
    /// validator whose last update in its tenure (or its registration) came after j registered.
    function _checkInheritance(uint256 netuid, Settled memory s) private {
        uint256 n = s.incentive.length;
        uint256[] memory registeredAt = new uint256[](n);
        uint256[] memory updatedAt = new uint256[](n);
        for (uint256 uid = 0; uid < n; ++uid) {
            registeredAt[uid] = sys.neurons.blockAtRegistration(netuid, uid);
            uint256 updated = lastUpdateOf[netuid][uid];
            // A holder that wrote a row has its row counted from its last update or registration.
            updatedAt[uid] =
                rowWrittenAt[netuid][uid] == 0 ? 0 : (updated > registeredAt[uid] ? updated : registeredAt[uid]);
        }
        for (uint256 i = 0; i < n; ++i) {
            uint16[] memory bonds = _bondsOf(sys.yuma, netuid, i);
            if (updatedAt[i] == 0) {
                if (s.validatorTrust[i] != 0) _violate(Check.Inheritance, "trust without a weights row of its own");
                if (_sum(bonds) != 0) _violate(Check.Inheritance, "bonds without a weights row of its own");
                continue;
            }
            for (uint256 j = 0; j < n; ++j) {
                if (bonds[j] != 0 && updatedAt[i] <= registeredAt[j]) {
                    _violate(Check.Inheritance, "bonds in a UID not weighted since its registration");
                }
            }
        }
        for (uint256 j = 0; j < n; ++j) {
            if (s.incentive[j] == 0) continue;
            bool weighted;
            for (uint256 i = 0; i < n; ++i) {
                if (updatedAt[i] > registeredAt[j]) weighted = true;
            }
            if (!weighted) _violate(Check.Inheritance, "incentive for a UID nobody weighted since it registered");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    function _staker(uint256 seed) private view returns (address) {
        return seed % 3 == 0 ? delegator : address(this);
    }

    function _advance(uint256 blocks, uint256 seconds_) private {
        currentBlock += blocks;
        currentTime += seconds_;
        vm.roll(currentBlock);
        vm.warp(currentTime);
    }

    function _registeredHotkey(
        uint256 netuid,
        uint256 seed
    ) private view returns (address hotkey, uint256 uid, bool found) {
        hotkey = pool[seed % pool.length];
        (found, uid) = sys.neurons.uidOf(netuid, hotkey);
    }

    /// @dev A random row: a subset of the UIDs when the UID holds a permit, else its self-weight.
    function _row(
        uint256 netuid,
        uint256 uid,
        uint256 columns,
        uint256 valueSeed
    ) private view returns (uint16[] memory uids, uint16[] memory values) {
        uint256 n = sys.neurons.neuronCount(netuid);
        if (!sys.neurons.hasValidatorPermit(netuid, uid)) {
            uids = new uint16[](1);
            values = new uint16[](1);
            (uids[0], values[0]) = (uint16(uid), 1);
            return (uids, values);
        }
        columns |= uint256(1) << ((uid + 1) % n);
        uint256 count;
        for (uint256 c = 0; c < n; ++c) {
            if ((columns >> c) & 1 == 1) ++count;
        }
        uids = new uint16[](count);
        values = new uint16[](count);
        uint256 k;
        for (uint256 c = 0; c < n; ++c) {
            if ((columns >> c) & 1 == 0) continue;
            uids[k] = uint16(c);
            values[k] = uint16(1 + (uint256(keccak256(abi.encode(valueSeed, c))) % 65_535));
            ++k;
        }
    }

    function _record(Check check, string memory failure) private {
        if (bytes(failure).length != 0) _violate(check, failure);
    }

    function _violate(Check check, string memory failure) private {
        ++violations[check];
        lastViolation = failure;
    }

    function _sum(uint16[] memory values) private pure returns (uint256 total) {
        for (uint256 i = 0; i < values.length; ++i) {
            total += values[i];
        }
    }
}
