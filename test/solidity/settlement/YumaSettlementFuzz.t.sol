// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";
import {SettlementTest} from "./SettlementTest.sol";

/// @notice `settle` on random subnets: when it refuses (before the tempo, unknown subnets), that
/// every settlement of a random stake and weight configuration pays no more than it minted (and the
/// rest of the probe's money properties), and that a replaced UID inherits nothing of its
/// predecessor: no bonds row, no weights row, no bonds or incentive in its column.
/// forge-config: default.fuzz.runs = 64
contract YumaSettlementFuzzTest is SettlementTest {
    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
    }

    // ------------------------------------------------------------------------------------------
    // Refusals
    // ------------------------------------------------------------------------------------------

    /// @notice Before its tempo has elapsed (from creation, or from the last epoch), a subnet's epoch
    /// is refused with `EpochNotDue(netuid, next, block.number)`; at the due block it settles.
    function testFuzz_settle_revertsWithEpochNotDueBeforeTempo(
        uint256 tempo,
        uint256 early,
        uint256 epochsBefore
    ) public {
        tempo = bound(tempo, 1, 5_000);
        epochsBefore = bound(epochsBefore, 0, 2);
        uint256 netuid = _createSettlementSubnet(subnetOwner, tempo, 8, 4);
        (address hotkey, ) = _registerNew(netuid, alice);
        _stake(alice, hotkey, 10e18);
        for (uint256 i = 0; i < epochsBefore; ++i) {
            _settleNext(netuid, 12);
        }
        uint256 last = block.number;
        uint256 next = yuma.nextEpochBlock(netuid);
        assertEq(next, last + tempo, "next epoch a tempo after creation or the last epoch");

        vm.roll(last + bound(early, 0, tempo - 1));
        vm.warp(block.timestamp + 60);
        uint256 minted = emission.cumulativeMinted();
        bytes memory rows = _rows(netuid);
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.EpochNotDue.selector, netuid, next, block.number));
        vm.prank(keeper);
        yuma.settle(netuid, rows);
        assertEq(emission.cumulativeMinted(), minted);

        vm.roll(next);
        _settle(netuid, keeper);
    }

    /// @notice A netuid that is not an active subnet (the root, never created, or dissolved after
    /// it had epochs) is refused with `UnknownSubnet(netuid)`, and nothing is minted.
    function testFuzz_settle_revertsForUnknownSubnet(uint256 netuidSeed, uint8 kind) public {
        uint256 live = _createSettlementSubnet(subnetOwner, 2, 8, 4);
        uint256 dead = _createSettlementSubnet(otherOwner, 2, 8, 4);
        (address hotkey, ) = _registerNew(dead, alice);
        _stake(alice, hotkey, 10e18);
        _settleNext(dead, 12);
        _settleNext(dead, 12);
        vm.prank(otherOwner);
        subnets.dissolveSubnet(dead);

        uint256 netuid;
        if (kind % 3 == 0) netuid = 0;
        else if (kind % 3 == 1) netuid = dead;
        else netuid = bound(netuidSeed, subnets.lastNetuid() + 1, type(uint256).max);
        vm.roll(block.number + 100);
        vm.warp(block.timestamp + 1 hours);

        uint256 supply = tao.totalSupply();
        uint256 minted = emission.cumulativeMinted();
        uint256 tips = tao.balanceOf(keeper);
        bytes memory rows = _rows(netuid);
        vm.expectRevert(abi.encodeWithSelector(IYumaSettlement.UnknownSubnet.selector, netuid));
        vm.prank(keeper);
        yuma.settle(netuid, rows);
        assertEq(tao.totalSupply(), supply);
        assertEq(emission.cumulativeMinted(), minted);
        assertEq(tao.balanceOf(keeper), tips);
        // The live subnet is unaffected.
        _settleNext(live, 1);
    }

    // ------------------------------------------------------------------------------------------
    // Payment
    // ------------------------------------------------------------------------------------------

    /// @notice For any stakes (some zero, some below the threshold), any validators' weights, Yuma3 or
    /// original, liquid alpha or not, any kappa, bonds penalty, owner cut and time between epochs:
    /// each settlement mints the subnet's accrual, pays at most what it minted less the owner cut and
    /// the tip, accounts for every wei, pays each UID once and burns only rounding dust (everything
    /// when nobody holds stake). `_settle` runs every check of `SettlementProbe`.
    function testFuzz_settle_paysNoMoreThanMinted(uint256 seed, uint256 uidCount, uint256 validatorCount) public {
        uint256 n = bound(uidCount, 2, 10);
        uint256 k = bound(validatorCount, 1, n);
        uint256 netuid = _createSettlementSubnet(subnetOwner, 3, n, k);
        _randomHyperparameters(netuid, seed);

        address[] memory hotkeys = new address[](n);
        for (uint256 uid = 0; uid < n; ++uid) {
            address coldkey = uid % 2 == 0 ? alice : bob;
            (hotkeys[uid], ) = _registerNew(netuid, coldkey);
            uint256 roll = _draw(seed, "stake", uid) % 8;
            if (roll == 0) continue; // no stake at all
            uint256 amount = MIN_STAKE + (_draw(seed, "amount", uid) % (roll < 3 ? 1e18 : 50_000e18));
            _stake(roll % 2 == 0 ? carol : coldkey, hotkeys[uid], amount);
        }

        // The first epoch hands out permits and starts the subnet's emission clock.
        _settleNext(netuid, 1 + (_draw(seed, "seconds", 0) % 1 days));
        for (uint256 epoch = 1; epoch <= 3; ++epoch) {
            _randomWeights(netuid, hotkeys, seed, epoch);
            Settled memory s = _settleNext(netuid, 1 + (_draw(seed, "seconds", epoch) % 30 days));
            assertLe(_paidBy(s) + s.ownerCut + s.keeperTip, s.minted, "paid more than minted");
        }
    }

    /// @notice Median hints change no output, right or wrong: on a random subnet (as above, with more
    /// columns) an epoch settled with the hints `quoteMedianHints` gives, and one settled with random
    /// bytes as hints, store the same consensus, incentive, dividends, validator trust and bonds as
    /// `settle`; the quoted hints name a row for every column (every column has voters here).
    function testFuzz_settleWithHints_changesNoOutput(uint256 seed, uint256 uidCount, uint256 validatorCount) public {
        uint256 n = bound(uidCount, 2, 24);
        uint256 k = bound(validatorCount, 1, n < 8 ? n : 8);
        uint256 netuid = _createSettlementSubnet(subnetOwner, 3, n, k);
        _randomHyperparameters(netuid, seed);
        // Every validator votes (weights from all of them, none under a threshold): a median per column.
        _setHyperparameter(netuid, Hyperparameter.StakeThreshold, 0);
        address[] memory hotkeys = new address[](n);
        for (uint256 uid = 0; uid < n; ++uid) {
            (hotkeys[uid], ) = _registerNew(netuid, uid % 2 == 0 ? alice : bob);
            _stake(uid % 2 == 0 ? alice : bob, hotkeys[uid], MIN_STAKE + (_draw(seed, "amount", uid) % 50_000e18));
        }
        _settleNext(netuid, 1 days);
        _randomWeights(netuid, hotkeys, seed, 1);
        _settleNext(netuid, 1 days);
        _randomWeights(netuid, hotkeys, seed, 2);
        _rollToEpoch(netuid);
        vm.warp(block.timestamp + 1 days);

        bytes memory quoted = _quoteHints(netuid);
        assertEq(quoted.length, n, "a byte per column");

        uint256 snapshot = vm.snapshotState();
        bytes memory rows = _rows(netuid);
        vm.prank(keeper);
        _settleMirrored(yuma, netuid, rows);
        bytes32 plain = _outputsHash(netuid, n);
        vm.revertToState(snapshot);
        rows = _rows(netuid);
        vm.prank(keeper);
        _settleWithHintsMirrored(yuma, netuid, quoted, rows);
        assertEq(_outputsHash(netuid, n), plain, "quoted hints");
        // Random rows (0 to k, where 0 is no hint; a row past k is ignored too): mostly wrong ones.
        bytes memory random = new bytes(n);
        for (uint256 j = 0; j < n; ++j) {
            random[j] = bytes1(uint8(_draw(seed, "hint", j) % (k + 2)));
        }
        vm.revertToState(snapshot);
        rows = _rows(netuid);
        vm.prank(keeper);
        _settleWithHintsMirrored(yuma, netuid, random, rows);
        assertEq(_outputsHash(netuid, n), plain, "random hints");
        for (uint256 j = 0; j < n; ++j) {
            assertTrue(quoted[j] != 0 && uint8(quoted[j]) <= k, "every column hinted");
        }
    }

    /// @notice Quoted hints are taken, not only harmless: with a voter's score named for every column, the
    /// searches are skipped, so a (64, 16) epoch settles for less gas than without hints (about 15% at
    /// the time of writing; asserted at 5%), with the same outputs. Hints that the check wrongly
    /// refused would fall back to the search and change nothing else.
    function test_settleWithHints_quotedHintsSkipTheSearch() public {
        uint256 n = 64;
        uint256 netuid = _createSettlementSubnet(subnetOwner, 3, n, 16);
        _setHyperparameter(netuid, Hyperparameter.StakeThreshold, 0);
        address[] memory hotkeys = new address[](n);
        for (uint256 uid = 0; uid < n; ++uid) {
            (hotkeys[uid], ) = _registerNew(netuid, uid % 2 == 0 ? alice : bob);
            _stake(uid % 2 == 0 ? alice : bob, hotkeys[uid], MIN_STAKE + (_draw(7, "amount", uid) % 1_000e18));
        }
        _settleNext(netuid, 1 days);
        _randomWeights(netuid, hotkeys, 7, 1);
        _settleNext(netuid, 1 days);
        _randomWeights(netuid, hotkeys, 7, 2);
        _rollToEpoch(netuid);
        vm.warp(block.timestamp + 1 days);
        bytes memory quoted = _quoteHints(netuid);

        uint256 snapshot = vm.snapshotState();
        bytes memory rows = _rows(netuid);
        vm.prank(keeper);
        uint256 gas = gasleft();
        yuma.settle(netuid, rows);
        uint256 plainGas = gas - gasleft();
        bytes32 plain = _outputsHash(netuid, n);
        vm.revertToState(snapshot);
        rows = _rows(netuid);
        vm.prank(keeper);
        gas = gasleft();
        yuma.settleWithHints(netuid, quoted, rows);
        uint256 hintedGas = gas - gasleft();
        assertEq(_outputsHash(netuid, n), plain, "same outputs");
        assertLt(hintedGas, (plainGas * 95) / 100, "the hints spared the searches");
    }

    function _quoteHints(uint256 netuid) internal returns (bytes memory quoted) {
        bytes memory rows = _rows(netuid);
        try yuma.quoteMedianHints(netuid, rows) {
            revert("quoteMedianHints returned");
        } catch (bytes memory data) {
            assertEq(bytes4(data), IYumaSettlement.MedianHints.selector, "reverts with MedianHints");
            assembly ("memory-safe") {
                mstore(add(data, 4), sub(mload(data), 4))
                data := add(data, 4)
            }
            quoted = abi.decode(data, (bytes));
        }
    }

    function _outputsHash(uint256 netuid, uint256 n) internal returns (bytes32 h) {
        _syncWeightRows(address(weights)); // the bonds rows logged since `_rows`
        (uint16[] memory c, uint16[] memory i, uint16[] memory d, uint16[] memory t) = yuma.epochOutputs(netuid);
        h = keccak256(abi.encode(c, i, d, t));
        for (uint256 uid = 0; uid < n; ++uid) {
            h = keccak256(abi.encode(h, _bondsOf(yuma, netuid, uid)));
        }
    }

    function _randomHyperparameters(uint256 netuid, uint256 seed) internal {
        _setHyperparameter(netuid, Hyperparameter.Yuma3Enabled, _draw(seed, "yuma3", 0) % 4 == 0 ? 0 : 1);
        _setHyperparameter(netuid, Hyperparameter.LiquidAlphaEnabled, _draw(seed, "liquid", 0) % 2);
        _setHyperparameter(netuid, Hyperparameter.BondsPenalty, _draw(seed, "penalty", 0) % 65_536);
        _setHyperparameter(netuid, Hyperparameter.OwnerCut, _draw(seed, "cut", 0) % 11_797);
        _setHyperparameter(netuid, Hyperparameter.BondsMovingAverage, _draw(seed, "bma", 0) % 975_001);
        if (_draw(seed, "threshold", 0) % 4 == 0) {
            _setHyperparameter(netuid, Hyperparameter.StakeThreshold, _draw(seed, "threshold", 1) % 100e18);
        }
        _setHyperparameterByGovernance(netuid, Hyperparameter.Kappa, _draw(seed, "kappa", 0) % 65_536);
    }

    /// @dev Every permitted validator with enough stake weights a random subset of the UIDs (itself
    /// included sometimes: the epoch removes the diagonal).
    function _randomWeights(uint256 netuid, address[] memory hotkeys, uint256 seed, uint256 epoch) internal {
        uint256 n = hotkeys.length;
        uint256 threshold = subnets.hyperparameter(netuid, Hyperparameter.StakeThreshold);
        for (uint256 uid = 0; uid < n; ++uid) {
            if (!neurons.hasValidatorPermit(netuid, uid) || staking.totalStake(hotkeys[uid]) < threshold) continue;
            uint256 mask = _draw(seed, "columns", uid * 16 + epoch) | 1;
            uint256 count;
            for (uint256 c = 0; c < n; ++c) {
                if ((mask >> c) & 1 == 1) ++count;
            }
            uint16[] memory uids = new uint16[](count);
            uint16[] memory values = new uint16[](count);
            uint256 j;
            for (uint256 c = 0; c < n; ++c) {
                if ((mask >> c) & 1 == 0) continue;
                uids[j] = uint16(c);
                values[j] = uint16(_draw(seed, "value", (uid * 16 + c) * 16 + epoch) % 65_536);
                ++j;
            }
            values[0] = values[0] | 1; // not all zero
            _setWeights(netuid, hotkeys[uid], uids, values);
        }
    }

    function _draw(uint256 seed, string memory what, uint256 index) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, what, index)));
    }

    // ------------------------------------------------------------------------------------------
    // Replaced UIDs
    // ------------------------------------------------------------------------------------------

    /// @notice A validator's UID replaced by a newcomer: the newcomer reads an empty bonds row at
    /// once, gets no validator trust, dividends or bonds from the predecessor's weights row (still
    /// in storage, written before its registration) once it holds a permit, whatever the stakes and
    /// weights were, under Yuma3 or original Yuma.
    function testFuzz_replacedValidator_inheritsNoBondsAndNoWeights(uint256 seed, bool yuma3) public {
        uint256 netuid = _createSettlementSubnet(subnetOwner, 4, 6, 2);
        _setHyperparameter(netuid, Hyperparameter.Yuma3Enabled, yuma3 ? 1 : 0);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, 100_000);
        // UID 0, the validator to be replaced, registers first; the rest later, so that only it
        // leaves its immunity period when the period is shortened below.
        (address v, uint256 vUid) = _registerNew(netuid, alice);
        uint256 registeredV = block.number;
        _roll(5);
        (address w, ) = _registerNew(netuid, bob);
        _registerMany(netuid, carol, 4);
        _stake(alice, v, 100e18 + (_draw(seed, "stake", 0) % 100_000e18));
        _stake(bob, w, 100e18 + (_draw(seed, "stake", 1) % 100_000e18));

        _settleNext(netuid, 12);
        assertTrue(neurons.hasValidatorPermit(netuid, vUid), "V holds a permit");
        for (uint256 epoch = 0; epoch < 3; ++epoch) {
            _weightMiners(netuid, v, seed, epoch);
            _weightMiners(netuid, w, ~seed, epoch);
            _settleNext(netuid, 12);
        }
        Settled memory s = _settleNext(netuid, 12);
        // The setup can see inheritance: V holds bonds and trust before it goes.
        assertGt(_sum(_bondsOf(yuma, netuid, vUid)), 0, "V has bonds");
        assertGt(s.validatorTrust[vUid], 0, "V has validator trust");

        // A newcomer with a large stake takes V's UID.
        address newcomer = _newBoundHotkey(bob);
        _stake(bob, newcomer, 1_000e18 + (_draw(seed, "stake", 2) % 100_000e18));
        _roll(1);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, block.number - registeredV);
        assertEq(_register(netuid, bob, newcomer), vUid, "the newcomer takes V's UID");
        assertEq(_sum(_bondsOf(yuma, netuid, vUid)), 0, "bonds row inherited at registration");
        // V's weights row is still stored: only its age says it is not the newcomer's.
        (uint256[] memory staleMeta, bytes32[] memory staleHashes) = weights.rowCommitments(
            netuid,
            _uint256s(vUid),
            0,
            1
        );
        assertGt((staleMeta[0] >> 96) & type(uint32).max, 0, "V's row is still in storage");
        assertTrue(staleHashes[0] != bytes32(0), "V's row's hash is still in storage");
        assertLt(uint64(staleMeta[0]), block.number);

        // First epoch: no permit yet (the previous epoch's permits apply); it earns one by stake.
        s = _settleNext(netuid, 12);
        assertTrue(s.validatorPermit[vUid], "the newcomer earns a permit");
        assertEq(s.validatorTrust[vUid], 0, "trust from the predecessor");
        assertEq(_sum(_bondsOf(yuma, netuid, vUid)), 0, "bonds after the first epoch");
        // Second epoch: with a permit, its row is loaded; V's stale weights must count as none.
        _weightMiners(netuid, w, seed, 7);
        s = _settleNext(netuid, 12);
        assertEq(s.validatorTrust[vUid], 0, "trust from the predecessor's weights");
        assertEq(s.dividends[vUid], 0, "dividends from the predecessor's weights or bonds");
        assertEq(_sum(_bondsOf(yuma, netuid, vUid)), 0, "bonds from the predecessor's weights");
    }

    /// @notice A miner's UID replaced by a newcomer: validators' bonds and weights meant for the
    /// predecessor do not carry over; until a validator weights the newcomer, its column holds no
    /// bonds and it earns no incentive.
    function testFuzz_replacedMiner_inheritsNoBondsOrIncentive(uint256 seed, bool yuma3) public {
        uint256 netuid = _createSettlementSubnet(subnetOwner, 4, 5, 2);
        _setHyperparameter(netuid, Hyperparameter.Yuma3Enabled, yuma3 ? 1 : 0);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, 100_000);
        // UID 0, the miner to be replaced, registers first.
        (, uint256 mUid) = _registerNew(netuid, carol);
        uint256 registeredM = block.number;
        _roll(5);
        (address v, ) = _registerNew(netuid, alice);
        (address w, ) = _registerNew(netuid, bob);
        _registerMany(netuid, carol, 2);
        _stake(alice, v, 100e18 + (_draw(seed, "stake", 0) % 100_000e18));
        _stake(bob, w, 100e18 + (_draw(seed, "stake", 1) % 100_000e18));

        _settleNext(netuid, 12);
        for (uint256 epoch = 0; epoch < 3; ++epoch) {
            _weightAll(netuid, v, mUid, seed, epoch);
            _weightAll(netuid, w, mUid, ~seed, epoch);
            _settleNext(netuid, 12);
        }
        Settled memory s = _settleNext(netuid, 12);
        assertGt(s.incentive[mUid], 0, "the miner earns incentive");
        assertGt(
            uint256(_bondsOf(yuma, netuid, 1)[mUid]) + _bondsOf(yuma, netuid, 2)[mUid],
            0,
            "validators hold bonds in it"
        );

        _roll(1);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, block.number - registeredM);
        (, uint256 newUid) = _registerNew(netuid, bob);
        assertEq(newUid, mUid, "the newcomer takes the miner's UID");

        // Validators keep their rows, written before the newcomer registered: nothing reaches it.
        for (uint256 epoch = 0; epoch < 2; ++epoch) {
            s = _settleNext(netuid, 12);
            assertEq(s.incentive[mUid], 0, "incentive from weights set for the predecessor");
            assertEq(s.consensus[mUid], 0, "consensus from weights set for the predecessor");
            for (uint256 row = 1; row <= 2; ++row) {
                assertEq(_bondsOf(yuma, netuid, row)[mUid], 0, "bonds toward the predecessor carried over");
            }
        }
    }

    /// @dev `validator` weights the miners (UIDs 2..5) with random non-zero values.
    function _weightMiners(uint256 netuid, address validator, uint256 seed, uint256 epoch) internal {
        uint16[] memory uids = new uint16[](4);
        uint16[] memory values = new uint16[](4);
        for (uint256 i = 0; i < 4; ++i) {
            uids[i] = uint16(2 + i);
            values[i] = uint16(1 + (_draw(seed, "miner weight", epoch * 4 + i) % 65_535));
        }
        _setWeights(netuid, validator, uids, values);
    }

    /// @dev `validator` weights every UID of the 5 but the validators (1, 2), `favourite` most.
    function _weightAll(uint256 netuid, address validator, uint256 favourite, uint256 seed, uint256 epoch) internal {
        uint16[] memory uids = _u16s(0, 3, 4);
        uint16[] memory values = new uint16[](3);
        for (uint256 i = 0; i < 3; ++i) {
            values[i] = uint16(1 + (_draw(seed, "weight", epoch * 4 + i) % 30_000));
            if (uids[i] == favourite) values[i] = 65_535;
        }
        _setWeights(netuid, validator, uids, values);
    }

    function _sum(uint16[] memory values) internal pure returns (uint256 total) {
        for (uint256 i = 0; i < values.length; ++i) {
            total += values[i];
        }
    }

    function _uint256s(uint256 a) private pure returns (uint256[] memory values) {
        values = new uint256[](1);
        values[0] = a;
    }
}
