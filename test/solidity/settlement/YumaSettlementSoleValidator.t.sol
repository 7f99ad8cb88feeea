// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SettlementTest} from "./SettlementTest.sol";

/// @notice A subnet whose one active validator holds all the active stake: its normalised active stake
/// A is exactly 1 (2^32 in I32F32), the one value at which the settlement's four-lane products
/// (A * W on four columns in one multiplication) would not fit their lanes and take their own path.
/// The lone voter's scores are the consensus, so nothing is clipped: every weighted miner's trust
/// (rank over prerank) is exactly 1 and the incentive is its share of the validator's weights.
contract YumaSettlementSoleValidatorTest is SettlementTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, 4, 2);
    }

    function test_soleValidator_ranksEqualPreranks() public {
        (address v, uint256 vUid) = _soleValidator();
        _setWeights(netuid, v, _u16s(1, 2, 3), _u16s(100, 300, 0));
        _settleNext(netuid, 12);
        Settled memory s = _settleNext(netuid, 12);

        assertEq(s.validatorPermit.length, 4);
        assertTrue(s.validatorPermit[vUid]);
        assertEq(s.trust[1], 65535, "miner 1: R / P");
        assertEq(s.trust[2], 65535, "miner 2: R / P");
        assertEq(s.trust[3], 0, "miner 3: weighted 0");
        // Consensus and incentive are the validator's normalised weights, 1/4 and 3/4.
        assertApproxEqAbs(s.consensus[1], 16384, 1);
        assertApproxEqAbs(s.consensus[2], 49151, 1);
        assertApproxEqAbs(s.incentive[1], 16384, 1);
        assertApproxEqAbs(s.incentive[2], 49151, 1);
        assertEq(s.validatorTrust[vUid], 65535, "nothing clipped");
    }

    /// @dev All of the weight on one miner: W = 1 there, the lane value at which A * W (A = 1 too) needs
    /// the lone-stake path whole (the product's 2^64 overflows a 64-bit lane).
    function test_soleValidator_allWeightOnOneMiner() public {
        (address v, uint256 vUid) = _soleValidator();
        _setWeights(netuid, v, _u16s(2), _u16s(500));
        _settleNext(netuid, 12);
        Settled memory s = _settleNext(netuid, 12);

        assertTrue(s.validatorPermit[vUid]);
        assertEq(s.consensus[2], 65535, "consensus: the validator's weight, 1");
        assertEq(s.trust[2], 65535, "R / P");
        assertEq(s.incentive[2], 65535, "all of the incentive");
        assertEq(s.incentive[1] + s.incentive[3], 0);
        assertEq(s.validatorTrust[vUid], 65535, "nothing clipped");
    }

    /// @dev UID 0 the one staked validator (its permit settled), UIDs 1 to 3 miners.
    function _soleValidator() internal returns (address v, uint256 vUid) {
        (v, vUid) = _registerNew(netuid, alice);
        _registerMany(netuid, carol, 3);
        _stake(alice, v, 1_000e18);
        _settleNext(netuid, 12); // permits
    }
}
