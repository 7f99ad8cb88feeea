// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChunkedSettlementBase} from "./YumaSettlementChunks.t.sol";
import {IYumaSettlement} from "../../../contracts/interfaces/IYumaSettlement.sol";

/// @notice The chunked settlement under liquid alpha, whose Bonds chunks run as four units each (a
/// chunk's first quarter dearer than the others): whatever gas each call has, a `settle` makes
/// progress or reverts with `InsufficientGasForUnit`, and the epoch ends as in one call.
contract YumaSettlementLiquidChunksTest is ChunkedSettlementBase {
    function _liquidAlpha() internal pure override returns (bool) {
        return true;
    }

    function testFuzz_settle_liquidChunksInCallsOfAnyGas_endAsInOneCall(uint256 seed) public {
        bytes32 expected = _digestOfOneCall(netuid, hotkeys);
        // Every call below has less gas than the whole epoch took in one (measured, so that the test
        // keeps splitting the epoch as the settlement gets cheaper).
        uint256 snapshot = vm.snapshotState();
        bytes memory oneCallRows = _rows(netuid);
        vm.prank(keeper);
        uint256 before = gasleft();
        yuma.settle(netuid, oneCallRows);
        uint256 oneCall = before - gasleft();
        vm.revertToState(snapshot);
        assertGt(oneCall, 1_000_000);

        uint256 unfinished;
        for (uint256 calls = 0; ; ++calls) {
            assertLt(calls, 400, "the run finishes");
            seed = uint256(keccak256(abi.encode(seed)));
            bytes memory rows = _rows(netuid);
            vm.prank(keeper);
            try yuma.settle{gas: 400_000 + (seed % (oneCall - 400_000))}(netuid, rows) {} catch (bytes memory reason) {
                assertEq(bytes4(reason), IYumaSettlement.InsufficientGasForUnit.selector, "only too little gas");
                continue;
            }
            (uint8 phase, , , , ) = yuma.settlementProgress(netuid);
            if (phase == 0) break;
            ++unfinished;
        }
        assertGt(unfinished, 0, "the epoch took several calls");
        assertEq(_state(), expected, "outputs, bonds and stakes as in one call");
    }
}
