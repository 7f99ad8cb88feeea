// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SettlementTest} from "./SettlementTest.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";

/// @notice Settlement in chunks, whatever gas each keeper sends: a `settle` either makes progress or
/// reverts with `InsufficientGasForUnit` (never a panic, never a stuck run), and the epoch ends with
/// the same outputs, bonds and stakes as when settled in one call.
contract YumaSettlementChunksTest is SettlementTest {
    uint256 internal netuid;
    address[] internal hotkeys;

    function setUp() public override {
        super.setUp();
        _allowSmallSubnets(2);
        netuid = _createSettlementSubnet(subnetOwner, 4, 24, 4);
        hotkeys = _registerMany(netuid, carol, 20);
        for (uint256 v = 0; v < 4; ++v) {
            _stake(alice, hotkeys[v], (1_000 + 100 * v) * 1e18);
        }
        _settleNext(netuid, 12); // permits
        _weightAll(1);
        _settleNext(netuid, 12); // bonds
        _weightAll(2);
        _rollToEpoch(netuid);
        vm.warp(block.timestamp + 60);
    }

    function _weightAll(uint256 round) internal {
        uint16[] memory uids = new uint16[](20);
        uint16[] memory values = new uint16[](20);
        for (uint256 v = 0; v < 4; ++v) {
            for (uint256 j = 0; j < 20; ++j) {
                uids[j] = uint16(j);
                values[j] = uint16(1 + ((j * (v + 3) + round * 7) % 23));
            }
            _setWeights(netuid, hotkeys[v], uids, values);
        }
    }

    /// @notice Random gas per call, from too little for any unit to plenty.
    function testFuzz_settle_inChunksOfAnyGas_endsAsInOneCall(uint256 seed) public {
        uint256 snapshot = vm.snapshotState();
        vm.prank(keeper);
        yuma.settle(netuid);
        bytes32 expected = _state();
        vm.revertToState(snapshot);

        uint256 calls;
        uint256 progressed;
        while (true) {
            seed = uint256(keccak256(abi.encode(seed)));
            uint256 gas = 300_000 + (seed % 4_000_000);
            (uint8 phaseBefore, uint256 cursorBefore, , , ) = yuma.settlementProgress(netuid);
            vm.prank(keeper);
            try yuma.settle{gas: gas}(netuid) {
                (uint8 phase, uint256 cursor, , , ) = yuma.settlementProgress(netuid);
                assertTrue(phase != phaseBefore || cursor != cursorBefore || phase == 0, "a call makes progress");
                ++progressed;
                if (phase == 0) break;
            } catch (bytes memory reason) {
                assertEq(bytes4(reason), IYumaSettlement.InsufficientGasForUnit.selector, "only too little gas");
            }
            assertLt(++calls, 400, "the run finishes");
        }
        assertGt(progressed, 0);
        assertEq(_state(), expected, "outputs, bonds and stakes as in one call");
    }

    /// @dev A digest of what a settlement leaves: stored outputs, bonds rows, stakes, supply.
    function _state() internal view returns (bytes32) {
        (uint16[] memory c, uint16[] memory i, uint16[] memory d, uint16[] memory t) = yuma.epochOutputs(netuid);
        bytes memory all = abi.encode(c, i, d, t, tao.totalSupply());
        for (uint256 uid = 0; uid < hotkeys.length; ++uid) {
            all = abi.encode(all, yuma.bondsOf(netuid, uid), staking.totalStake(hotkeys[uid]));
        }
        return keccak256(all);
    }
}
