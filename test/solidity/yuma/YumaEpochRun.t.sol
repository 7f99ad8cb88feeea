// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {YumaEpoch} from "../../../contracts/libraries/YumaEpoch.sol";
import {YumaEpochTestBase} from "./YumaEpochTestBase.sol";

/// @dev Exposes `run`'s reverts to `vm.expectRevert`.
contract YumaRunHarness {
    function run(
        YumaEpoch.Params memory p,
        YumaEpoch.Input memory input
    ) external pure returns (YumaEpoch.Output memory) {
        return YumaEpoch.run(p, input);
    }
}

/// @notice `YumaEpoch.run`: input checks, each mask of YUMA.md §2.6/§2.9 on a minimal network, the
/// in-place buffers, permits and the emission fallback. Values are worked out by hand in I32F32.
contract YumaEpochRunTest is YumaEpochTestBase {
    uint256 internal constant EMISSION = 1e9;
    YumaRunHarness internal harness;

    function setUp() public {
        harness = new YumaRunHarness();
    }

    /// @dev Two uids: validator 0 (stake, permit, updated at block 10) and miner 1 (registered at 0);
    /// epoch at block 20, lastTempo 11, Yuma3 without liquid alpha.
    function _pair() internal pure returns (YumaEpoch.Params memory p, YumaEpoch.Input memory input) {
        p = _defaultParams();
        p.yuma3 = true;
        p.currentBlock = 20;
        p.lastTempo = 11;
        p.emission = EMISSION;
        input = _emptyInput(2);
        input.stake[0] = 100e18;
        input.lastUpdate[0] = 10;
        input.permit[0] = true;
        _rowsForPermits(input);
        input.weights[0][1] = 65_535;
    }

    // ---- shapes and ranges ----

    function test_run_emptyNetwork() public pure {
        YumaEpoch.Output memory out = YumaEpoch.run(_defaultParams(), _emptyInput(0));
        assertEq(out.consensus.length, 0);
        assertEq(out.newPermit.length, 0);
        assertEq(out.newBonds.length, 0);
        assertEq(out.combinedEmission.length, 0);
    }

    function test_run_revertsOnTooManyUids() public {
        YumaEpoch.Input memory input;
        input.n = 2 ** 15;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.TooManyUids.selector, 2 ** 15));
        harness.run(_defaultParams(), input);
    }

    function test_run_revertsOnVectorLength() public {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.lastUpdate = new uint256[](3);
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.InputLengthMismatch.selector, 2, 3));
        harness.run(p, input);
    }

    function test_run_commitBlocksCheckedOnlyUnderCommitReveal() public {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.commitBlock = new uint256[](0);
        harness.run(p, input); // ignored while commit-reveal is off
        p.commitRevealEnabled = true;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.InputLengthMismatch.selector, 2, 0));
        harness.run(p, input);
    }

    function test_run_revertsOnRowShapes() public {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.bonds = new int256[][](0);
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.RowCountMismatch.selector, 1, 1, 0));
        harness.run(p, input);

        (p, input) = _pair();
        input.weights[0] = new int256[](1);
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.WeightsRowLengthMismatch.selector, 0, 2, 1));
        harness.run(p, input);

        (p, input) = _pair();
        input.bonds[0] = new int256[](3);
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.BondsRowLengthMismatch.selector, 0, 2, 3));
        harness.run(p, input);
    }

    function test_run_revertsOnRowUids() public {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.rowUids[0] = 2;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.RowUidOutOfRange.selector, 0, 2, 2));
        harness.run(p, input);

        (p, input) = _pair();
        input.rowUids = new uint256[](2);
        input.weights = new int256[][](2);
        input.bonds = new int256[][](2);
        for (uint256 r = 0; r < 2; ++r) {
            input.weights[r] = _absentRow(2);
            input.bonds[r] = _absentRow(2);
        }
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.RowUidsNotAscending.selector, 1, 0));
        harness.run(p, input);

        (p, input) = _pair();
        input.permit[1] = true; // permitted but no row
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.PermittedUidWithoutRow.selector, 1));
        harness.run(p, input);
    }

    function test_run_revertsOnEntriesAboveU16() public {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.weights[0][1] = 65_536;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.EntryAboveU16.selector, 0, 1, int256(65_536)));
        harness.run(p, input);

        (p, input) = _pair();
        input.bonds[0][1] = 70_000;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.EntryAboveU16.selector, 0, 1, int256(70_000)));
        harness.run(p, input);

        (p, input) = _pair();
        p.yuma3 = false;
        input.bonds[0][0] = 70_000;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.EntryAboveU16.selector, 0, 0, int256(70_000)));
        harness.run(p, input);
    }

    function test_run_revertsOnParameters() public {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        p.kappaU16 = 65_536;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.ParameterAboveU16.selector, 65_536));
        harness.run(p, input);

        (p, input) = _pair();
        p.alphaSigmoidSteepness = 32_768;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.SteepnessAboveI16.selector, 32_768));
        harness.run(p, input);

        (p, input) = _pair();
        p.bondsMovingAverage = 1_000_001;
        vm.expectRevert(abi.encodeWithSelector(YumaEpoch.BondsMovingAverageAboveMillion.selector, 1_000_001));
        harness.run(p, input);
    }

    // ---- one validator, one miner ----

    /// @dev W = 1 on the miner, C = 1, I = [0, 1]; Yuma3 with alpha 0.1 (bma 900000) and no bond yet:
    /// B' = floor(0.1 * 1) = 429496730 bits, stored floor(429496730 * 65535 / 2^32) = 6553; D = [1, 0];
    /// E = I + D sums to 2, so each side gets half the emission.
    function test_run_singleValidatorYuma3() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertEq(out.consensus[1], 65_535);
        assertEq(out.incentive[1], 65_535);
        assertEq(out.dividends[0], 65_535);
        assertEq(out.validatorTrust[0], 65_535);
        assertEq(out.trust[1], 65_535); // nothing clipped: R = P
        assertEq(out.trust[0], 0); // nobody weights the validator: P = 0
        assertEq(out.newBonds[0][1], 6_553);
        assertEq(out.newBonds[0][0], ABSENT);
        assertEq(out.minerEmission[1], EMISSION / 2);
        assertEq(out.validatorEmission[0], EMISSION / 2);
        assertEq(out.combinedEmission[0] + out.combinedEmission[1], EMISSION);
        assertTrue(out.newPermit[0]);
        assertFalse(out.newPermit[1]);
    }

    /// @dev Miner trust T = R / P. Validators 0 (stake 3) and 1 (stake 1): A = (0.75, 0.25). V0 splits
    /// its weight over miners 2 and 3 (0.5 each), V1 puts all of it on miner 2. Both columns' median is
    /// 0.5, so V1's weight on miner 2 is clipped from 1 to 0.5: R_2 = 0.75 * 0.5 + 0.25 * 0.5 = 0.5,
    /// P_2 = 0.75 * 0.5 + 0.25 * 1 = 0.625, T_2 = 0.8 = 3435973836 bits (floored), stored
    /// floor(3435973836 * 65535 / 2^32) = 52427. Miner 3 loses nothing: T_3 = 1.
    function test_run_minerTrustIsClippedRankOverPrerank() public pure {
        YumaEpoch.Params memory p = _defaultParams();
        p.yuma3 = true;
        p.currentBlock = 20;
        p.lastTempo = 11;
        YumaEpoch.Input memory input = _emptyInput(4);
        (input.stake[0], input.stake[1]) = (300e18, 100e18);
        (input.lastUpdate[0], input.lastUpdate[1]) = (10, 10);
        (input.permit[0], input.permit[1]) = (true, true);
        _rowsForPermits(input);
        (input.weights[0][2], input.weights[0][3]) = (65_535, 65_535);
        input.weights[1][2] = 65_535;
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertEq(out.consensus[2], 32_767);
        assertEq(out.consensus[3], 32_767);
        assertEq(out.trust[2], 52_427);
        assertEq(out.trust[3], 65_535);
        assertEq(out.trust[0], 0);
        assertEq(out.trust[1], 0);
    }

    function test_run_newBondsIsTheInputBondsBuffer() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        int256[][] memory bondsBuffer = input.bonds;
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        uint256 outPointer;
        uint256 inPointer;
        int256[][] memory newBonds = out.newBonds;
        assembly {
            outPointer := newBonds
            inPointer := bondsBuffer
        }
        assertEq(outPointer, inPointer);
    }

    /// @dev Yuma3: the existing bond of 0.5 decays by 0.9 and gains 0.1 * W: 0.45 + 0.1 = 0.55.
    /// A bond on a uid registered at or after lastTempo is dropped before the EMA.
    function test_run_yuma3BondEmaAndRegistrationMask() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.bonds[0][1] = 32_768; // 0.50000763
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        // B = floor(32768 * 2^32 / 65535) = 2147516416; 0.9 * B + 0.1 * 1 (floored products):
        // 1932764774 + 429496730 = 2362261504 -> u16 floor(2362261504 * 65535 / 2^32) = 36044.
        assertEq(out.newBonds[0][1], 36_044);

        (p, input) = _pair();
        input.bonds[0][1] = 32_768;
        input.blockAtRegistration[1] = 11; // registered at lastTempo: its old bond is a stale one
        input.lastUpdate[0] = 12; // keep the weight itself (last update after registration)
        out = YumaEpoch.run(p, input);
        assertEq(out.newBonds[0][1], 6_553); // only the 0.1 * W part
    }

    // ---- weight masks ----

    function test_run_selfWeightIsRemovedAndEmissionFallsBackToActiveStake() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.weights[0][1] = ABSENT;
        input.weights[0][0] = 65_535; // self-weight only
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertEq(out.validatorTrust[0], 0);
        assertEq(out.trust[0] | out.trust[1], 0);
        assertEq(out.incentive[0] | out.incentive[1], 0);
        // Sum of I + D is 0: validators are paid by active stake, miners nothing.
        assertEq(out.validatorEmission[0], EMISSION);
        assertEq(out.combinedEmission[0], EMISSION);
        assertEq(out.minerEmission[0] + out.minerEmission[1], 0);
    }

    function test_run_outdatedWeightsAreDropped() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.blockAtRegistration[1] = 10; // miner re-registered in the block of the validator's update
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertEq(out.consensus[1], 0, "last_update <= registered: dropped");
        assertEq(out.validatorEmission[0], EMISSION);

        (p, input) = _pair();
        input.blockAtRegistration[1] = 9;
        out = YumaEpoch.run(p, input);
        assertEq(out.consensus[1], 65_535, "registered before the update: kept");
    }

    function test_run_commitRevealMaskUsesTheCommitBlock() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.blockAtRegistration[1] = 5;
        input.commitBlock[0] = 4; // committed before the miner's registration
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertEq(out.consensus[1], 65_535, "mask off: kept");

        p.commitRevealEnabled = true;
        (, input) = _pair();
        input.blockAtRegistration[1] = 5;
        input.commitBlock[0] = 4;
        out = YumaEpoch.run(p, input);
        assertEq(out.consensus[1], 0, "commit_block < registered: dropped");

        (, input) = _pair();
        input.blockAtRegistration[1] = 5;
        input.commitBlock[0] = 5;
        out = YumaEpoch.run(p, input);
        assertEq(out.consensus[1], 65_535, "commit_block == registered: kept");
    }

    function test_run_activityCutoffIsStrict() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        p.activityCutoff = 10; // 10 + 10 == 20: still active
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertEq(out.dividends[0], 65_535);

        p.activityCutoff = 9; // 10 + 9 < 20: inactive, so no active stake and no consensus
        (, input) = _pair();
        out = YumaEpoch.run(p, input);
        assertEq(out.consensus[1], 0);
        assertEq(out.dividends[0], 0);
        // A is all zero: the fallback pays by stake S.
        assertEq(out.validatorEmission[0], EMISSION);
    }

    // ---- permits and rows ----

    function test_run_rowOfAUidLosingItsPermitIsEmptied() public pure {
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _pair();
        input.bonds[0][1] = 40_000;
        input.stake[0] = 0; // loses its permit this epoch (no stake)
        input.stake[1] = 1e18;
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertFalse(out.newPermit[0]);
        assertTrue(out.newPermit[1]);
        assertEq(out.newBonds[0][0], ABSENT);
        assertEq(out.newBonds[0][1], ABSENT);
    }

    function test_run_newPermitsAreTopKByStake() public pure {
        YumaEpoch.Params memory p = _defaultParams();
        p.maxAllowedValidators = 2;
        YumaEpoch.Input memory input = _emptyInput(4);
        (input.stake[0], input.stake[1], input.stake[2], input.stake[3]) = (5e18, 9e18, 5e18, 1e18);
        _rowsForPermits(input);
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        // 9 wins; of the two 5s, uid 0 sorts first and is turned off.
        assertFalse(out.newPermit[0]);
        assertTrue(out.newPermit[1]);
        assertTrue(out.newPermit[2]);
        assertFalse(out.newPermit[3]);
    }

    function test_run_stakeThresholdRemovesStake() public pure {
        YumaEpoch.Params memory p = _defaultParams();
        p.stakeThreshold = 2e18;
        YumaEpoch.Input memory input = _emptyInput(3);
        (input.stake[0], input.stake[1], input.stake[2]) = (1e18, 3e18, 0);
        _rowsForPermits(input);
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        assertFalse(out.newPermit[0]);
        assertTrue(out.newPermit[1]);
        // Nothing weighted and nobody permitted before: emission follows S = [0, 1, 0].
        assertEq(out.validatorEmission[1], p.emission);
        assertEq(out.validatorEmission[0], 0);
    }
}
