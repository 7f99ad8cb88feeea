// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWeightsTypes, IWeightsErrors, IWeightsEvents} from "../../../contracts/interfaces/IWeights.sol";
import {WeightsTest} from "./WeightsTest.sol";

/// @title WeightsCommitRevealTest
/// @notice `commitWeights`, `revealWeights`, `revealWeightsPacked` and the batch reveals: the reveal
/// window, the hash binding, the pending-commit limit, and the submission checks applied at reveal.
contract WeightsCommitRevealTest is WeightsTest {
    uint16[] internal uids;
    uint16[] internal values;

    function setUp() public override {
        super.setUp();
        _enableCommitReveal();
        uids = _u16s(2, 3, 4);
        values = _u16s(1, 2, 3);
    }

    function test_reveal_storesTheRowThroughEitherEntryPoint() public {
        for (uint256 k = 0; k < 4; ++k) {
            // The commit hash is computed once, from arrays; the reveal goes through either form.
            bool packed = k % 2 == 1;
            address v = _validator(k);
            (bytes32 commitHash, uint64 epoch) = _commit(v, uids, values, SALT);
            assertEq(commitHash, weights.commitHashOf(netuid, v, uids, values, SALT, 0));
            assertEq(commitHash, weights.commitHashOfPacked(netuid, v, _pack(uids, values), SALT, 0));
            _advanceEpoch(netuid);
            vm.expectEmit(address(weights));
            emit IWeightsEvents.WeightsRevealed(netuid, v, k, commitHash, epoch, true);
            _reveal(packed, v, uids, values, SALT, 0);
            _assertRow(v, uids, values);
            assertEq(weights.pendingCommits(netuid, v).length, 0);
        }
    }

    function test_reveal_revertsWithWrongSalt() public {
        _commit(_validator(0), uids, values, SALT);
        _advanceEpoch(netuid);
        bytes32 wrongSalt = keccak256("wrong");
        bytes32 wrongHash = _hashOf(netuid, _validator(0), uids, values, wrongSalt, 0);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(
                abi.encodeWithSelector(IWeightsErrors.CommitNotFound.selector, netuid, _validator(0), wrongHash)
            );
            _reveal(k == 1, _validator(0), uids, values, wrongSalt, 0);
        }
    }

    function test_reveal_revertsWithOtherValuesOrVersionKey() public {
        (bytes32 committed, ) = _commit(_validator(0), uids, values, SALT);
        _advanceEpoch(netuid);
        uint16[] memory other = _u16s(1, 2, 4);
        bytes32 otherHash = _hashOf(netuid, _validator(0), uids, other, SALT, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IWeightsErrors.CommitNotFound.selector, netuid, _validator(0), otherHash)
        );
        _reveal(true, _validator(0), uids, other, SALT, 0);
        bytes32 keyHash = _hashOf(netuid, _validator(0), uids, values, SALT, 1);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.CommitNotFound.selector, netuid, _validator(0), keyHash));
        _reveal(false, _validator(0), uids, values, SALT, 1);
        assertEq(weights.pendingCommits(netuid, _validator(0))[0].commitHash, committed);
    }

    function test_reveal_revertsTooEarly() public {
        (, uint64 epoch) = _commit(_validator(0), uids, values, SALT);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.RevealTooEarly.selector, epoch, epoch + 1, epoch));
            _reveal(k == 1, _validator(0), uids, values, SALT, 0);
        }
        // With a reveal period of 3 epochs, two epochs later is still early.
        _setHyperparameter(netuid, Hyperparameter.RevealPeriod, 3);
        _advanceEpoch(netuid);
        _advanceEpoch(netuid);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.RevealTooEarly.selector, epoch, epoch + 3, epoch + 2));
        _reveal(true, _validator(0), uids, values, SALT, 0);
        _advanceEpoch(netuid);
        _reveal(true, _validator(0), uids, values, SALT, 0);
    }

    function test_reveal_revertsTooLate() public {
        (, uint64 epoch) = _commit(_validator(0), uids, values, SALT);
        _advanceEpoch(netuid);
        _advanceEpoch(netuid);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.RevealExpired.selector, epoch, epoch + 1, epoch + 2));
            _reveal(k == 1, _validator(0), uids, values, SALT, 0);
        }
    }

    function test_reveal_looksAheadWhenAnEpochIsDue() public {
        // Once the tempo has run, a commit belongs to the coming epoch (subtensor's look-ahead).
        _roll(subnets.hyperparameter(netuid, Hyperparameter.Tempo));
        (, uint64 epoch) = _commit(_validator(0), uids, values, SALT);
        assertEq(epoch, 1);
        _advanceEpoch(netuid); // epoch 1 settles: the reveal epoch 2 has not begun
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.RevealTooEarly.selector, 1, 2, 1));
        _reveal(true, _validator(0), uids, values, SALT, 0);
        _advanceEpoch(netuid);
        _reveal(true, _validator(0), uids, values, SALT, 0);
    }

    function test_reveal_revertsForAnotherHotkeysCommit() public {
        _commit(_validator(0), uids, values, SALT);
        _advanceEpoch(netuid);
        // The hash binds the hotkey: validator 1 revealing validator 0's data finds no commit of its own.
        bytes32 asOther = _hashOf(netuid, _validator(1), uids, values, SALT, 0);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(
                abi.encodeWithSelector(IWeightsErrors.CommitNotFound.selector, netuid, _validator(1), asOther)
            );
            _reveal(k == 1, _validator(1), uids, values, SALT, 0);
        }
        // Nor can anyone reveal it into another subnet, where the hash differs too.
        _reveal(false, _validator(0), uids, values, SALT, 0);
    }

    function test_reveal_revertsWhenReplayed() public {
        (bytes32 commitHash, ) = _commit(_validator(0), uids, values, SALT);
        _advanceEpoch(netuid);
        _reveal(true, _validator(0), uids, values, SALT, 0);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(
                abi.encodeWithSelector(IWeightsErrors.CommitNotFound.selector, netuid, _validator(0), commitHash)
            );
            _reveal(k == 1, _validator(0), uids, values, SALT, 0);
        }
    }

    function test_commit_revertsWhenTooManyPending() public {
        for (uint256 i = 0; i < weights.MAX_PENDING_COMMITS(); ++i) {
            _commit(_validator(0), uids, values, bytes32(i + 1));
        }
        vm.prank(_validator(0));
        vm.expectRevert(
            abi.encodeWithSelector(IWeightsErrors.TooManyPendingCommits.selector, netuid, _validator(0), 4)
        );
        weights.commitWeights(netuid, keccak256("fifth"));
        // Expired commits leave the queue (as missed reveals) and make room.
        _advanceEpoch(netuid);
        _advanceEpoch(netuid);
        _commit(_validator(0), uids, values, SALT);
        assertEq(weights.pendingCommits(netuid, _validator(0)).length, 1);
    }

    function test_commit_revertsWhenRateLimited() public {
        _setHyperparameter(netuid, Hyperparameter.WeightsRateLimit, 50);
        _commit(_validator(0), uids, values, SALT);
        vm.prank(_validator(0));
        vm.expectRevert(
            abi.encodeWithSelector(IWeightsErrors.SettingWeightsTooFast.selector, netuid, 0, block.number + 50)
        );
        weights.commitWeights(netuid, keccak256("again"));
        // The reveal itself is not rate limited.
        _advanceEpoch(netuid);
        _reveal(true, _validator(0), uids, values, SALT, 0);
    }

    function test_commit_revertsWhenDisabledEmptyOrUnregistered() public {
        vm.prank(_validator(0));
        vm.expectRevert(_err(IWeightsErrors.EmptyCommit.selector));
        weights.commitWeights(netuid, bytes32(0));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.HotkeyNotRegistered.selector, netuid, stranger));
        weights.commitWeights(netuid, keccak256("x"));
        _setHyperparameter(netuid, Hyperparameter.CommitRevealEnabled, 0);
        vm.prank(_validator(0));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.CommitRevealDisabled.selector, netuid));
        weights.commitWeights(netuid, keccak256("x"));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.CommitRevealDisabled.selector, netuid));
        _reveal(true, _validator(0), uids, values, SALT, 0);
    }

    function test_reveal_dropsEarlierCommits() public {
        (bytes32 first, uint64 epoch) = _commit(_validator(0), uids, values, keccak256("first"));
        _commit(_validator(0), uids, values, SALT);
        _advanceEpoch(netuid);
        vm.expectEmit(address(weights));
        emit IWeightsEvents.CommitDropped(netuid, _validator(0), first, epoch, false);
        _reveal(true, _validator(0), uids, values, SALT, 0);
        assertEq(weights.pendingCommits(netuid, _validator(0)).length, 0);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.CommitNotFound.selector, netuid, _validator(0), first));
        _reveal(true, _validator(0), uids, values, keccak256("first"), 0);
    }

    function test_commit_reusesTheQueueInOrder() public {
        // Commit, reveal, commit, ... and commits across epochs keep their order in `pendingCommits`.
        for (uint256 round = 0; round < 6; ++round) {
            _commit(_validator(0), uids, values, bytes32(round));
            _commit(_validator(0), uids, values, bytes32(round + 100));
            IWeightsTypes.WeightCommit[] memory pending = weights.pendingCommits(netuid, _validator(0));
            assertEq(pending.length, 2);
            assertEq(pending[0].commitHash, _hashOf(netuid, _validator(0), uids, values, bytes32(round), 0));
            assertEq(pending[1].commitHash, _hashOf(netuid, _validator(0), uids, values, bytes32(round + 100), 0));
            assertEq(weights.earliestActiveCommitBlock(netuid, _validator(0)), block.number);
            _advanceEpoch(netuid);
            _reveal(round % 2 == 0, _validator(0), uids, values, bytes32(round), 0);
            assertEq(weights.pendingCommits(netuid, _validator(0)).length, 1);
            _reveal(round % 2 == 1, _validator(0), uids, values, bytes32(round + 100), 0);
            assertEq(weights.earliestActiveCommitBlock(netuid, _validator(0)), type(uint256).max);
            _roll(1);
        }
    }

    // ---- the submission checks, applied at reveal ----

    function _commitAndOpen(address v, uint16[] memory u, uint16[] memory w) internal {
        _commit(v, u, w, SALT);
        _advanceEpoch(netuid);
    }

    function test_reveal_revertsWhenUidsRepeatOrAreOutOfRange() public {
        _commitAndOpen(_validator(0), _u16s(3, 3), _u16s(1, 1));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.DuplicateUid.selector, 3));
        _reveal(true, _validator(0), _u16s(3, 3), _u16s(1, 1), SALT, 0);
        _commitAndOpen(_validator(1), _u16s(1, uint16(N + 5)), _u16s(1, 1));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.UidOutOfRange.selector, N + 5, N));
        _reveal(false, _validator(1), _u16s(1, uint16(N + 5)), _u16s(1, 1), SALT, 0);
    }

    function test_reveal_revertsWhenLengthsDiffer() public {
        _commitAndOpen(_validator(0), uids, values);
        vm.prank(_validator(0));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.LengthMismatch.selector, 3, 2));
        weights.revealWeights(netuid, uids, _u16s(1, 2), SALT, 0);
        vm.prank(_validator(0));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.MalformedEntries.selector, 5));
        weights.revealWeightsPacked(netuid, hex"0002000100", SALT, 0);
    }

    function test_reveal_revertsWhenTooFewOrMaxWeightExceeded() public {
        _setHyperparameter(netuid, Hyperparameter.MinAllowedWeights, 4);
        _commitAndOpen(_validator(0), uids, values);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.TooFewWeights.selector, 3, 4));
        _reveal(true, _validator(0), uids, values, SALT, 0);
        _setHyperparameter(netuid, Hyperparameter.MinAllowedWeights, 0);
        _setHyperparameter(netuid, Hyperparameter.MaxWeightLimit, 30_000);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.MaxWeightExceeded.selector, 65_535, 30_000));
        _reveal(false, _validator(0), uids, values, SALT, 0);
    }

    /// @dev A hotkey without a permit (one that lost it at a settlement since its commit, say) reveals:
    /// the commit is honoured, no row is stored, and no missed reveal can be proven afterwards.
    function test_reveal_withoutPermitHonoursTheCommitAndDropsTheWeights() public {
        address miner = hotkeys[VALIDATORS];
        (bytes32 commitHash, uint64 epoch) = _commit(miner, uids, values, SALT);
        _advanceEpoch(netuid);
        vm.expectEmit(address(weights));
        emit IWeightsEvents.WeightsRevealed(netuid, miner, VALIDATORS, commitHash, epoch, false);
        _reveal(true, miner, uids, values, SALT, 0);
        (uint16[] memory stored, , uint64 writtenAt) = _storedRow(netuid, VALIDATORS);
        assertEq(stored.length, 0, "no row stored");
        assertEq(writtenAt, 0);
        assertEq(weights.pendingCommits(netuid, miner).length, 0, "the commit is consumed");
        _advanceEpoch(netuid);
        bytes memory evidence = abi.encode(netuid, miner, commitHash, epoch);
        vm.expectRevert(
            abi.encodeWithSelector(IWeightsErrors.NotAMissedReveal.selector, netuid, miner, commitHash, epoch)
        );
        weights.verifyFault(evidence);
        // (setWeights without a permit still reverts NoValidatorPermit: WeightsSetWeights.t.sol.)
    }

    function test_reveal_revertsWithAnOldVersionKey() public {
        _setHyperparameter(netuid, Hyperparameter.WeightsVersionKey, 2);
        _commit(_validator(0), uids, values, SALT);
        _advanceEpoch(netuid);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.IncorrectVersionKey.selector, 0, 2));
        _reveal(false, _validator(0), uids, values, SALT, 0);
    }

    // ---- batches ----

    function test_batchReveal_revealsInSeveralSubnets() public {
        uint256 second = _createSubnet(otherOwner);
        _openRegistrations(second);
        _register(second, alice, _validator(0));
        _register(second, alice, _validator(1));
        _grantPermits(second, 2);
        _setHyperparameter(second, Hyperparameter.WeightsRateLimit, 0);

        for (uint256 k = 0; k < 2; ++k) {
            bool packed = k == 1;
            address v = _validator(k);
            bytes32 h1 = _hashOf(netuid, v, uids, values, SALT, 0);
            bytes32 h2 = _hashOf(second, v, _u16s(1), _u16s(9), SALT, 0);
            vm.startPrank(v);
            weights.commitWeights(netuid, h1);
            weights.commitWeights(second, h2);
            vm.stopPrank();
            _advanceEpoch(netuid);
            _advanceEpoch(second);
            vm.prank(v);
            if (packed) {
                IWeightsTypes.PackedReveal[] memory batch = new IWeightsTypes.PackedReveal[](2);
                batch[0] = IWeightsTypes.PackedReveal(netuid, _pack(uids, values), SALT, 0);
                batch[1] = IWeightsTypes.PackedReveal(second, _pack(_u16s(1), _u16s(9)), SALT, 0);
                weights.batchRevealWeightsPacked(batch);
            } else {
                IWeightsTypes.Reveal[] memory batch = new IWeightsTypes.Reveal[](2);
                batch[0] = IWeightsTypes.Reveal(netuid, uids, values, SALT, 0);
                batch[1] = IWeightsTypes.Reveal(second, _u16s(1), _u16s(9), SALT, 0);
                weights.batchRevealWeights(batch);
            }
            _assertRow(v, uids, values);
            (uint16[] memory row, , ) = _storedRow(second, k);
            assertEq(row.length, 2);
            assertEq(row[1], 65_535);
        }
    }

    function test_batchReveal_revertsAsAWholeWhenOneRevealFails() public {
        _commitAndOpen(_validator(0), uids, values);
        IWeightsTypes.PackedReveal[] memory batch = new IWeightsTypes.PackedReveal[](2);
        batch[0] = IWeightsTypes.PackedReveal(netuid, _pack(uids, values), SALT, 0);
        batch[1] = IWeightsTypes.PackedReveal(netuid, _pack(uids, values), SALT, 0); // a replay of the first
        bytes32 commitHash = _hashOf(netuid, _validator(0), uids, values, SALT, 0);
        vm.prank(_validator(0));
        vm.expectRevert(
            abi.encodeWithSelector(IWeightsErrors.CommitNotFound.selector, netuid, _validator(0), commitHash)
        );
        weights.batchRevealWeightsPacked(batch);
        assertEq(weights.pendingCommits(netuid, _validator(0)).length, 1);
    }
}
