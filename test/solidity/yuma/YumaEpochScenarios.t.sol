// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {YumaEpoch} from "../../../contracts/libraries/YumaEpoch.sol";
import {YumaEpochTestBase} from "./YumaEpochTestBase.sol";

/// @notice `YumaEpoch.run` on the single-epoch scenarios of /work/shared/yuma/scenarios (from
/// subtensor's `epoch_logs.rs`), with the library inputs derived by hand from each scenario:
/// registration at block 0, a preliminary epoch at block 0 (permits = non-zero stake, since
/// maxAllowedValidators 100 > n), weights set and the epoch run at block 1 (so lastTempo = 0 + 1),
/// activity cutoff 138, original Yuma, kappa 32767, bonds penalty 65535, bma 900000, no bonds.
/// Expected values are the scenario's, checked within its tolerance (1e-4).
contract YumaEpochScenariosTest is YumaEpochTestBase {
    uint256 internal constant TOLERANCE = 1e14; // 1e-4 in wad
    uint256 internal constant EMISSION = 1e9;

    function _scenarioParams() internal pure returns (YumaEpoch.Params memory p) {
        p = _defaultParams();
        p.maxAllowedValidators = 100;
        p.activityCutoff = 138;
        p.currentBlock = 1;
        p.lastTempo = 1;
        p.emission = EMISSION;
    }

    /// @dev Five uids, stake [1, 1, 1, 0, 0] tokens, validators 0..2 permitted and updated at block 1.
    function _threeValidatorsTwoServers() internal pure returns (YumaEpoch.Input memory input) {
        input = _emptyInput(5);
        for (uint256 i = 0; i < 3; ++i) {
            input.stake[i] = 1e18;
            input.lastUpdate[i] = 1;
            input.permit[i] = true;
        }
        _rowsForPermits(input);
    }

    /// @dev logs_two_validators_agree_one_dissents (epoch_logs.rs::test_validators_weight_two_distinct_servers):
    /// uids 0 and 2 weight server 3 only, uid 1 weights server 4 only.
    function test_run_twoValidatorsAgreeOneDissents() public pure {
        YumaEpoch.Input memory input = _threeValidatorsTwoServers();
        input.weights[0][3] = 65_535;
        input.weights[0][4] = 0;
        input.weights[1][3] = 0;
        input.weights[1][4] = 65_535;
        input.weights[2][3] = 65_535;
        input.weights[2][4] = 0;

        YumaEpoch.Output memory out = YumaEpoch.run(_scenarioParams(), input);

        uint256[5] memory consensus = [uint256(0), 0, 0, 1e18, 0];
        uint256[5] memory trust = [uint256(1e18), 0, 1e18, 0, 0];
        uint256[5] memory dividends = [uint256(0.5e18), 0, 0.5e18, 0, 0];
        uint256[5] memory minerEmission = [uint256(0), 0, 0, 500_000_000, 0];
        uint256[5] memory validatorEmission = [uint256(250_000_000), 0, 250_000_000, 0, 0];
        for (uint256 i = 0; i < 5; ++i) {
            _assertFraction(out.consensus[i], consensus[i], TOLERANCE, "consensus");
            _assertFraction(out.validatorTrust[i], trust[i], TOLERANCE, "validatorTrust");
            _assertFraction(out.dividends[i], dividends[i], TOLERANCE, "dividends");
            _assertEmission(out.minerEmission[i], minerEmission[i], EMISSION, TOLERANCE, "minerEmission");
            _assertEmission(out.validatorEmission[i], validatorEmission[i], EMISSION, TOLERANCE, "validatorEmission");
            assertEq(out.newPermit[i], i < 3, "permit");
        }
        // Exact where the arithmetic is: the median picks observed scores, 1.0 and 0.
        assertEq(out.consensus[3], 65_535);
        assertEq(out.consensus[4], 0);
        // Upstream asserts the combined emission [0.25, 0, 0.25, 0.5, 0].
        _assertEmission(out.combinedEmission[0], 250_000_000, EMISSION, TOLERANCE, "combined 0");
        _assertEmission(out.combinedEmission[3], 500_000_000, EMISSION, TOLERANCE, "combined 3");
        // Bonds: the agreeing validators hold all of server 3's (max-upscaled to 1); the dissenter's
        // weight on 4 was clipped to 0 (C_4 = 0), so it keeps no bond at all.
        assertEq(out.newBonds[0][3], 65_535);
        assertEq(out.newBonds[2][3], 65_535);
        for (uint256 j = 0; j < 5; ++j) {
            assertEq(out.newBonds[1][j], ABSENT, "dissenter has no bonds");
            if (j != 3) {
                assertEq(out.newBonds[0][j], ABSENT);
                assertEq(out.newBonds[2][j], ABSENT);
            }
        }
    }

    /// @dev logs_validator_splits_weight (epoch_logs.rs::test_validator_splits_weight_across_two_servers):
    /// uid 0 weights server 3, uid 1 server 4, uid 2 both equally.
    function test_run_validatorSplitsWeight() public pure {
        YumaEpoch.Input memory input = _threeValidatorsTwoServers();
        input.weights[0][3] = 65_535;
        input.weights[0][4] = 0;
        input.weights[1][3] = 0;
        input.weights[1][4] = 65_535;
        input.weights[2][3] = 65_535;
        input.weights[2][4] = 65_535;

        YumaEpoch.Output memory out = YumaEpoch.run(_scenarioParams(), input);

        uint256[5] memory dividends = [uint256(0.25e18), 0.25e18, 0.5e18, 0, 0];
        uint256[5] memory minerEmission = [uint256(0), 0, 0, 250_000_000, 250_000_000];
        uint256[5] memory validatorEmission = [uint256(125_000_000), 125_000_000, 250_000_000, 0, 0];
        for (uint256 i = 0; i < 5; ++i) {
            _assertFraction(out.dividends[i], dividends[i], TOLERANCE, "dividends");
            _assertEmission(out.minerEmission[i], minerEmission[i], EMISSION, TOLERANCE, "minerEmission");
            _assertEmission(out.validatorEmission[i], validatorEmission[i], EMISSION, TOLERANCE, "validatorEmission");
        }
        // Not asserted upstream, but follows: each server's median is 0.5 (uid 2's half weight).
        _assertFraction(out.consensus[3], 0.5e18, TOLERANCE, "consensus 3");
        _assertFraction(out.consensus[4], 0.5e18, TOLERANCE, "consensus 4");
        _assertFraction(out.incentive[3], 0.5e18, TOLERANCE, "incentive 3");
        _assertFraction(out.incentive[4], 0.5e18, TOLERANCE, "incentive 4");
    }
}
