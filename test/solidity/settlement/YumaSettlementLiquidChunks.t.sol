// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChunkedSettlementBase} from "./YumaSettlementChunks.t.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";

/// @notice The chunked settlement under liquid alpha, whose Bonds chunks run as four units each: the
/// epoch ends as in one call whatever gas each call has, and a call never begins a chunk it does not
/// end (its parts share the chunk's words, which the next call would read cold again).
contract YumaSettlementLiquidChunksTest is ChunkedSettlementBase {
    uint8 private constant BONDS = 5;
    uint256 private constant PARTS = 4;

    function _liquidAlpha() internal pure override returns (bool) {
        return true;
    }

    function testFuzz_settle_liquidChunksAreNotSplitByACallThatBeganThem(uint256 seed) public {
        uint256 snapshot = vm.snapshotState();
        vm.prank(keeper);
        yuma.settle(netuid);
        bytes32 expected = _state();
        vm.revertToState(snapshot);

        for (uint256 calls = 0; ; ++calls) {
            assertLt(calls, 400, "the run finishes");
            seed = uint256(keccak256(abi.encode(seed)));
            (uint8 phaseBefore, uint256 cursorBefore, , , ) = yuma.settlementProgress(netuid);
            vm.prank(keeper);
            try yuma.settle{gas: 400_000 + (seed % 3_000_000)}(netuid) {} catch (bytes memory reason) {
                assertEq(bytes4(reason), IYumaSettlement.InsufficientGasForUnit.selector, "only too little gas");
                continue;
            }
            (uint8 phase, uint256 cursor, , , ) = yuma.settlementProgress(netuid);
            if (phase == 0) break;
            if (phase != BONDS || cursor % PARTS == 0) continue;
            // The call ended inside a chunk: the one it was in when it began (its first unit may
            // begin a chunk it cannot end; no later unit may).
            assertEq(phaseBefore, BONDS, "a call that reached Bonds ended at a chunk's start");
            uint256 began = cursorBefore % PARTS == 0 ? cursorBefore : cursorBefore - (cursorBefore % PARTS);
            assertEq(cursor / PARTS, began / PARTS, "a call began a chunk it did not end");
        }
        assertEq(_state(), expected, "outputs, bonds and stakes as in one call");
    }
}
