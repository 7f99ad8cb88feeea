// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWeightsErrors} from "../../../contracts/interfaces/IWeights.sol";
import {Weights} from "../../../contracts/weights/Weights.sol";
import {WeightsTest} from "./WeightsTest.sol";

/// @title WeightsSetWeightsTest
/// @notice Direct submission (`setWeights`, `setWeightsPacked`): subtensor's checks, each bad input
/// with its custom error and the offending values, through both entry points.
contract WeightsSetWeightsTest is WeightsTest {
    function test_setWeights_storesTheMaxUpscaledRow() public {
        for (uint256 k = 0; k < 2; ++k) {
            bool packed = k == 1;
            _set(packed, _validator(k), _u16s(2, 3), _u16s(43_690, 21_845), 0);
            _assertRow(_validator(k), _u16s(2, 3), _u16s(43_690, 21_845));
            (uint16[] memory stored, , ) = _storedRow(netuid, k);
            assertEq(stored[2], 65_535);
            assertEq(stored[3], 32_768);
            assertEq(weights.lastUpdate(netuid, k), block.number);
        }
    }

    /// @notice The settlement's batch views agree with the per-UID ones: `lastUpdates` with `lastUpdate`
    /// (0 for a UID that never set weights), `earliestActiveCommitBlocks` with
    /// `earliestActiveCommitBlock` (a commit, and none).
    function test_batchViews_matchThePerUidViews() public {
        _set(false, _validator(0), _u16s(1), _u16s(1), 0);
        _roll(3);
        _set(true, _validator(2), _u16s(1), _u16s(1), 0);
        uint64[] memory updated = weights.lastUpdates(netuid, 0, 4);
        assertEq(updated.length, 4);
        for (uint256 u = 0; u < 4; ++u) {
            assertEq(updated[u], weights.lastUpdate(netuid, u));
        }
        assertEq(updated[1], 0);
        assertEq(updated[2], block.number);
        assertGt(updated[2], updated[0]);
        // A range that starts inside a word (four UIDs a word).
        uint64[] memory tail = weights.lastUpdates(netuid, 1, 3);
        assertEq(tail.length, 3);
        for (uint256 u = 0; u < 3; ++u) {
            assertEq(tail[u], updated[1 + u]);
        }

        _enableCommitReveal();
        _commit(_validator(1), _u16s(1), _u16s(1), bytes32(uint256(7)));
        address[] memory hotkeys = new address[](2);
        hotkeys[0] = _validator(0);
        hotkeys[1] = _validator(1);
        uint256[] memory blocks = weights.earliestActiveCommitBlocks(netuid, hotkeys);
        assertEq(blocks[0], type(uint256).max);
        assertEq(blocks[1], block.number);
        for (uint256 i = 0; i < 2; ++i) {
            assertEq(blocks[i], weights.earliestActiveCommitBlock(netuid, hotkeys[i]));
        }
    }

    function test_setWeights_revertsWhenLengthsDiffer() public {
        vm.prank(_validator(0));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.LengthMismatch.selector, 2, 1));
        weights.setWeights(netuid, _u16s(1, 2), _u16s(1), 0);
    }

    function test_setWeightsPacked_revertsWhenEntriesAreNotWholeEntries() public {
        vm.prank(_validator(0));
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.MalformedEntries.selector, 6));
        weights.setWeightsPacked(netuid, hex"000100020003", 0);
    }

    function test_setWeights_revertsWhenAWordIsNotAU16() public {
        // A hand-made encoding: the second UID word is 0x10001.
        bytes memory data = abi.encodeCall(Weights.setWeights, (netuid, _u16s(1, 2), _u16s(5, 6), 0));
        uint256 word = 4 + 32 * 4 + 32 * 2; // selector, head, uids length, first UID
        assembly {
            mstore(add(add(data, 0x20), word), 0x10001)
        }
        vm.prank(_validator(0));
        (bool ok, bytes memory reason) = address(weights).call(data);
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(IWeightsErrors.NotAU16.selector, 0x10001));
    }

    function test_setWeights_revertsWhenUidOutOfRange() public {
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.UidOutOfRange.selector, N, N));
            _set(k == 1, _validator(0), _u16s(1, uint16(N)), _u16s(1, 1), 0);
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.UidOutOfRange.selector, 65_535, N));
            _set(k == 1, _validator(0), _u16s(65_535, 0), _u16s(1, 1), 0);
        }
    }

    function test_setWeights_revertsWhenUidRepeats() public {
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.DuplicateUid.selector, 3));
            _set(k == 1, _validator(0), _u16s(3, 1, 3), _u16s(1, 1, 1), 0);
            // subtensor's order: a duplicate is reported before an out-of-range UID, even one past n.
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.DuplicateUid.selector, 500));
            _set(k == 1, _validator(0), _u16s(uint16(N), 500, 500), _u16s(1, 1, 1), 0);
        }
    }

    function test_setWeights_revertsWhenMoreEntriesThanNeurons() public {
        uint16[] memory uids = _allUids(N + 1);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.TooManyWeights.selector, N + 1, N));
            _set(k == 1, _validator(0), uids, _ramp(N + 1), 0);
        }
    }

    function test_setWeights_revertsWhenTooFewWeights() public {
        _setHyperparameter(netuid, Hyperparameter.MinAllowedWeights, 3);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.TooFewWeights.selector, 2, 3));
            _set(k == 1, _validator(0), _u16s(1, 2), _u16s(1, 1), 0);
        }
        // The minimum is min(n, MinAllowedWeights): a larger setting asks for every UID only.
        _setHyperparameter(netuid, Hyperparameter.MinAllowedWeights, N + 10);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.TooFewWeights.selector, N - 1, N));
        _set(true, _validator(0), _allUids(N - 1), _ramp(N - 1), 0);
        _set(true, _validator(0), _allUids(N), _ramp(N), 0);
        // A lone self-weight is exempt.
        _set(false, _validator(1), _u16s(1), _u16s(7), 0);
    }

    function test_setWeights_revertsWhenMaxWeightAboveLimit() public {
        // 30000/65535 = 0.4578: two equal weights (0.5 each) exceed it, three (0.333) do not.
        _setHyperparameter(netuid, Hyperparameter.MaxWeightLimit, 30_000);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.MaxWeightExceeded.selector, 65_535, 30_000));
            _set(k == 1, _validator(0), _u16s(1, 2), _u16s(9, 9), 0);
            _set(k == 1, _validator(0), _u16s(1, 2, 3), _u16s(9, 9, 9), 0);
        }
        // A self-weight is exempt; so is an all-zero row.
        _set(false, _validator(1), _u16s(1), _u16s(9), 0);
        _set(false, _validator(1), _u16s(1, 2), _u16s(0, 0), 0);
    }

    function test_setWeights_revertsWithoutPermit() public {
        uint256 uid = VALIDATORS; // registered, staked nothing, no permit
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.NoValidatorPermit.selector, netuid, uid));
            _set(k == 1, hotkeys[uid], _u16s(0, 1), _u16s(1, 1), 0);
            // One entry on another UID is not a self-weight either.
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.NoValidatorPermit.selector, netuid, uid));
            _set(k == 1, hotkeys[uid], _u16s(0), _u16s(1), 0);
        }
        // A lone self-weight needs no permit.
        _set(true, hotkeys[uid], _u16s(uint16(uid)), _u16s(1), 0);
        _assertRow(hotkeys[uid], _u16s(uint16(uid)), _u16s(1));
    }

    function test_setWeights_revertsWhenRateLimited() public {
        _setHyperparameter(netuid, Hyperparameter.WeightsRateLimit, 100);
        _set(false, _validator(0), _u16s(1), _u16s(1), 0);
        uint256 next = block.number + 100;
        _roll(99);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.SettingWeightsTooFast.selector, netuid, 0, next));
            _set(k == 1, _validator(0), _u16s(1), _u16s(1), 0);
        }
        _roll(1);
        _set(true, _validator(0), _u16s(1), _u16s(1), 0);
    }

    function test_setWeights_revertsWhenVersionKeyIsOld() public {
        _setHyperparameter(netuid, Hyperparameter.WeightsVersionKey, 7);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.IncorrectVersionKey.selector, 6, 7));
            _set(k == 1, _validator(0), _u16s(1), _u16s(1), 6);
        }
        _set(false, _validator(0), _u16s(1), _u16s(1), 7);
        _set(true, _validator(0), _u16s(1), _u16s(1), 8);
    }

    function test_setWeights_revertsWhenStakeBelowThreshold() public {
        _setHyperparameter(netuid, Hyperparameter.StakeThreshold, VALIDATOR_STAKE + 1);
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IWeightsErrors.StakeBelowThreshold.selector,
                    VALIDATOR_STAKE,
                    VALIDATOR_STAKE + 1
                )
            );
            _set(k == 1, _validator(0), _u16s(1), _u16s(1), 0);
        }
        _setHyperparameter(netuid, Hyperparameter.StakeThreshold, VALIDATOR_STAKE);
        _set(true, _validator(0), _u16s(1), _u16s(1), 0);
    }

    function test_setWeights_revertsForAnUnregisteredHotkey() public {
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.HotkeyNotRegistered.selector, netuid, stranger));
            _set(k == 1, stranger, _u16s(1), _u16s(1), 0);
        }
    }

    function test_setWeights_revertsOnRootUnknownSettlingOrCommitRevealSubnets() public {
        vm.startPrank(_validator(0));
        vm.expectRevert(_err(IWeightsErrors.RootWeightsNotSupported.selector));
        weights.setWeightsPacked(0, hex"00010001", 0);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.UnknownSubnet.selector, 99));
        weights.setWeights(99, _u16s(1), _u16s(1), 0);
        vm.stopPrank();

        vm.prank(settlement);
        weights.setSettling(netuid, true);
        vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.SubnetSettling.selector, netuid));
        _set(true, _validator(0), _u16s(1), _u16s(1), 0);
        vm.prank(settlement);
        weights.setSettling(netuid, false);

        _enableCommitReveal();
        for (uint256 k = 0; k < 2; ++k) {
            vm.expectRevert(abi.encodeWithSelector(IWeightsErrors.CommitRevealEnabled.selector, netuid));
            _set(k == 1, _validator(0), _u16s(1), _u16s(1), 0);
        }
    }

    function test_setWeights_overwritesEveryColumn() public {
        _set(false, _validator(0), _allUids(N), _ramp(N), 0);
        _roll(1);
        _set(true, _validator(0), _u16s(5), _u16s(3), 0);
        _assertRow(_validator(0), _u16s(5), _u16s(3));
    }
}
