// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console} from "forge-std/console.sol";
import {YumaEpoch} from "../../../contracts/libraries/YumaEpoch.sol";
import {YumaEpochTestBase} from "./YumaEpochTestBase.sol";

/// @notice Gas of `YumaEpoch.run` on synthetic dense epochs: validators are uids 0..k-1 (all
/// permitted, active, staked), every validator weights every uid, and every validator already holds
/// a bond on every uid (steady state). Measured with gasleft() around the call, so the figure
/// includes the memory expansion `run` itself causes on top of the inputs already in memory.
/// @dev Snapshot (solc 0.8.30, optimizer 200 runs, cancun, Hardhat EDR), gas of `run`:
///
/// | n   | k  | Yuma3      | Yuma3 + liquid alpha | original Yuma |
/// |-----|----|------------|----------------------|---------------|
/// | 64  | 16 |  2,628,146 |  6,474,022           |  3,167,166    |
/// | 256 | 64 | 38,554,875 | 100,858,068          | 47,170,534    |
///
/// Each test fails if its figure grows by more than 10% over the snapshot.
contract YumaEpochGasTest is YumaEpochTestBase {
    function _denseInput(uint256 n, uint256 k) internal pure returns (YumaEpoch.Input memory input) {
        input = _emptyInput(n);
        for (uint256 i = 0; i < n; ++i) {
            input.lastUpdate[i] = 100;
        }
        for (uint256 i = 0; i < k; ++i) {
            input.stake[i] = (1_000 + (uint256(keccak256(abi.encode("stake", i))) % 9_000)) * 1e18;
            input.permit[i] = true;
        }
        _rowsForPermits(input);
        for (uint256 r = 0; r < k; ++r) {
            for (uint256 j = 0; j < n; ++j) {
                uint256 h = uint256(keccak256(abi.encode(r, j)));
                input.weights[r][j] = int256(1 + (h % 65_535));
                input.bonds[r][j] = int256((h >> 128) % 65_536);
            }
        }
    }

    function _params(bool yuma3, bool liquidAlpha) internal pure returns (YumaEpoch.Params memory p) {
        p = _defaultParams();
        p.yuma3 = yuma3;
        p.liquidAlpha = liquidAlpha;
        p.currentBlock = 200;
        p.lastTempo = 101;
        p.emission = 1e18;
    }

    function _measure(uint256 n, uint256 k, bool yuma3, bool liquidAlpha) internal view returns (uint256 used) {
        YumaEpoch.Input memory input = _denseInput(n, k);
        YumaEpoch.Params memory p = _params(yuma3, liquidAlpha);
        uint256 before = gasleft();
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        used = before - gasleft();
        assertEq(out.consensus.length, n);
    }

    function _assertWithinSnapshot(uint256 used, uint256 snapshot) internal pure {
        assertLt(used, snapshot + snapshot / 10, "gas grew more than 10% over the snapshot");
    }

    function test_gas_run_n64_k16_yuma3() public view {
        uint256 used = _measure(64, 16, true, false);
        console.log("run n=64 k=16 yuma3", used);
        _assertWithinSnapshot(used, 2_628_146);
    }

    function test_gas_run_n64_k16_yuma3LiquidAlpha() public view {
        uint256 used = _measure(64, 16, true, true);
        console.log("run n=64 k=16 yuma3 liquid alpha", used);
        _assertWithinSnapshot(used, 6_474_022);
    }

    function test_gas_run_n64_k16_original() public view {
        uint256 used = _measure(64, 16, false, false);
        console.log("run n=64 k=16 original Yuma", used);
        _assertWithinSnapshot(used, 3_167_166);
    }

    function test_gas_run_n256_k64_yuma3() public view {
        uint256 used = _measure(256, 64, true, false);
        console.log("run n=256 k=64 yuma3", used);
        _assertWithinSnapshot(used, 38_554_875);
    }

    function test_gas_run_n256_k64_yuma3LiquidAlpha() public view {
        uint256 used = _measure(256, 64, true, true);
        console.log("run n=256 k=64 yuma3 liquid alpha", used);
        _assertWithinSnapshot(used, 100_858_068);
    }

    function test_gas_run_n256_k64_original() public view {
        uint256 used = _measure(256, 64, false, false);
        console.log("run n=256 k=64 original Yuma", used);
        _assertWithinSnapshot(used, 47_170_534);
    }
}
