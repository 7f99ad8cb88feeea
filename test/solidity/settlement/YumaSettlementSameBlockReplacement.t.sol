// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SettlementTest} from "./SettlementTest.sol";

/// @notice A UID replaced in the same block as its predecessor's last weights, or as the subnet's
/// last settlement, inherits neither. Block numbers cannot order a registration against another
/// transaction of its block, so the settlement counts a row as the holder's only when written after
/// its registration block, and drops bonds on a UID registered in (or after) the last epoch's block.
/// (Found by the invariant test; the handler there registers in fresh blocks, this covers the rest.)
contract YumaSettlementSameBlockReplacementTest is SettlementTest {
    uint256 internal netuid;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, 4, 2);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, 100_000);
    }

    /// @notice Validator V sets weights and the epoch settles in block b; a newcomer replaces V in
    /// block b. The newcomer reads V's bonds at once, and once it holds a permit it validates with
    /// V's weights (trust, dividends and bonds) without ever setting weights.
    function test_replacedInSameBlock_validatorInheritsNoBondsOrWeights() public {
        (address v, uint256 vUid) = _registerNew(netuid, alice);
        uint256 registeredV = block.number;
        _roll(5);
        (address w, ) = _registerNew(netuid, bob);
        _registerMany(netuid, carol, 2);
        _stake(alice, v, 1_000e18);
        _stake(bob, w, 1_000e18);
        _settleNext(netuid, 12);
        for (uint256 epoch = 0; epoch < 3; ++epoch) {
            _setWeights(netuid, v, _u16s(2, 3), _u16s(100, 200));
            _setWeights(netuid, w, _u16s(2, 3), _u16s(200, 100));
            _settleNext(netuid, 12);
        }

        // Block b: V sets weights, the epoch settles, and a newcomer takes V's UID.
        _rollToEpoch(netuid);
        _setWeights(netuid, v, _u16s(2, 3), _u16s(100, 200));
        _settle(netuid, keeper);
        address newcomer = _newBoundHotkey(bob);
        _stake(bob, newcomer, 5_000e18);
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, block.number - registeredV);
        assertEq(_register(netuid, bob, newcomer), vUid);
        uint256 bondsAtRegistration = _sum(_bondsOf(yuma, netuid, vUid));

        Settled memory s = _settleNext(netuid, 12);
        assertTrue(s.validatorPermit[vUid]);
        s = _settleNext(netuid, 12);
        assertEq(s.validatorTrust[vUid], 0, "trust from V's weights"); // 65534 today
        assertEq(s.dividends[vUid], 0, "dividends from V's weights"); // 41381 today
        assertEq(bondsAtRegistration, 0, "bondsOf: V's row read as the newcomer's"); // 17757 today
    }

    /// @notice Validators bond with miner M; the epoch settles in block b and a newcomer replaces M
    /// in block b. The validators' bonds toward M carry over to the newcomer (decaying), although no
    /// validator ever weights it.
    function test_replacedInSameBlockAsSettlement_minerColumnInheritsNoBonds() public {
        (, uint256 mUid) = _registerNew(netuid, carol);
        uint256 registeredM = block.number;
        _roll(5);
        (address v, ) = _registerNew(netuid, alice);
        (address w, ) = _registerNew(netuid, bob);
        _registerNew(netuid, carol);
        _stake(alice, v, 1_000e18);
        _stake(bob, w, 1_000e18);
        _settleNext(netuid, 12);
        for (uint256 epoch = 0; epoch < 3; ++epoch) {
            _setWeights(netuid, v, _u16s(0, 3), _u16s(200, 100));
            _setWeights(netuid, w, _u16s(0, 3), _u16s(200, 100));
            _settleNext(netuid, 12);
        }
        _settleNext(netuid, 12);
        assertGt(_bondsOf(yuma, netuid, 1)[mUid], 0);

        // Same block as that settlement: a newcomer takes M's UID.
        _setHyperparameter(netuid, Hyperparameter.ImmunityPeriod, block.number - registeredM);
        (, uint256 uid) = _registerNew(netuid, bob);
        assertEq(uid, mUid);
        Settled memory s = _settleNext(netuid, 12);
        assertEq(s.incentive[mUid], 0);
        assertEq(_bondsOf(yuma, netuid, 1)[mUid], 0, "V's bond toward M carried to the newcomer"); // 14954 today
    }

    function _sum(uint16[] memory values) internal pure returns (uint256 total) {
        for (uint256 i = 0; i < values.length; ++i) {
            total += values[i];
        }
    }
}
