// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {YumaEpoch} from "../../../contracts/libraries/YumaEpoch.sol";

/// @notice Decodes a case written by generate-differential.ts, runs it through `YumaEpoch.run` and
/// compares every output with the TypeScript reference's, exactly.
/// @dev Layout (big-endian): n u16, k u16; kappa u16, bondsPenalty u16, bma u32, flags u8 (1 yuma3,
/// 2 liquidAlpha, 4 commitReveal), alphaLow u16, alphaHigh u16, steepness u16, maxAllowedValidators
/// u16, activityCutoff u64, stakeThreshold u128, currentBlock u64, lastTempo u64, emission u128; per
/// uid: stake u128, lastUpdate u64, registered u64, commitBlock u64 (2^64-1: none), permit u8; rowUids
/// k x u16; weights and bonds k x n x u24 (0xffffff: absent); expected per uid: consensus, incentive,
/// dividends, validatorTrust, trust u16, newPermit u8, miner, validator, combined emission u128; expected
/// new bonds k x n x u24.
abstract contract YumaEpochDifferentialBase is Test {
    struct Cursor {
        bytes data;
        uint256 pos;
    }

    function _next(Cursor memory c, uint256 size) internal pure returns (uint256 value) {
        bytes memory data = c.data;
        uint256 pos = c.pos;
        require(pos + size <= data.length, "case truncated");
        assembly ("memory-safe") {
            value := shr(sub(256, mul(size, 8)), mload(add(add(data, 32), pos)))
        }
        c.pos = pos + size;
    }

    function _nextEntry(Cursor memory c) internal pure returns (int256) {
        uint256 v = _next(c, 3);
        return v == 0xffffff ? int256(-1) : int256(v);
    }

    function _decode(Cursor memory c) internal pure returns (YumaEpoch.Params memory p, YumaEpoch.Input memory input) {
        uint256 n = _next(c, 2);
        uint256 k = _next(c, 2);
        p.kappaU16 = _next(c, 2);
        p.bondsPenaltyU16 = _next(c, 2);
        p.bondsMovingAverage = _next(c, 4);
        uint256 flags = _next(c, 1);
        p.yuma3 = flags & 1 != 0;
        p.liquidAlpha = flags & 2 != 0;
        p.commitRevealEnabled = flags & 4 != 0;
        p.alphaLowU16 = _next(c, 2);
        p.alphaHighU16 = _next(c, 2);
        p.alphaSigmoidSteepness = _next(c, 2);
        p.maxAllowedValidators = _next(c, 2);
        p.activityCutoff = _next(c, 8);
        p.stakeThreshold = _next(c, 16);
        p.currentBlock = _next(c, 8);
        p.lastTempo = _next(c, 8);
        p.emission = _next(c, 16);
        input.n = n;
        input.stake = new uint256[](n);
        input.lastUpdate = new uint256[](n);
        input.blockAtRegistration = new uint256[](n);
        input.commitBlock = new uint256[](n);
        input.permit = new bool[](n);
        for (uint256 i = 0; i < n; ++i) {
            input.stake[i] = _next(c, 16);
            input.lastUpdate[i] = _next(c, 8);
            input.blockAtRegistration[i] = _next(c, 8);
            uint256 commit = _next(c, 8);
            input.commitBlock[i] = commit == type(uint64).max ? type(uint256).max : commit;
            input.permit[i] = _next(c, 1) != 0;
        }
        input.rowUids = new uint256[](k);
        for (uint256 r = 0; r < k; ++r) {
            input.rowUids[r] = _next(c, 2);
        }
        input.weights = _nextMatrix(c, k, n);
        input.bonds = _nextMatrix(c, k, n);
    }

    function _nextMatrix(Cursor memory c, uint256 k, uint256 n) internal pure returns (int256[][] memory rows) {
        rows = new int256[][](k);
        for (uint256 r = 0; r < k; ++r) {
            rows[r] = new int256[](n);
            for (uint256 j = 0; j < n; ++j) {
                rows[r][j] = _nextEntry(c);
            }
        }
    }

    function _check(bytes memory data) internal pure {
        Cursor memory c = Cursor(data, 0);
        (YumaEpoch.Params memory p, YumaEpoch.Input memory input) = _decode(c);
        uint256 n = input.n;
        uint256 k = input.rowUids.length;
        YumaEpoch.Output memory out = YumaEpoch.run(p, input);
        for (uint256 i = 0; i < n; ++i) {
            assertEq(out.consensus[i], _next(c, 2), string.concat("consensus ", vm.toString(i)));
            assertEq(out.incentive[i], _next(c, 2), string.concat("incentive ", vm.toString(i)));
            assertEq(out.dividends[i], _next(c, 2), string.concat("dividends ", vm.toString(i)));
            assertEq(out.validatorTrust[i], _next(c, 2), string.concat("validatorTrust ", vm.toString(i)));
            assertEq(out.trust[i], _next(c, 2), string.concat("trust ", vm.toString(i)));
            assertEq(out.newPermit[i], _next(c, 1) != 0, string.concat("newPermit ", vm.toString(i)));
            assertEq(out.minerEmission[i], _next(c, 16), string.concat("minerEmission ", vm.toString(i)));
            assertEq(out.validatorEmission[i], _next(c, 16), string.concat("validatorEmission ", vm.toString(i)));
            assertEq(out.combinedEmission[i], _next(c, 16), string.concat("combinedEmission ", vm.toString(i)));
        }
        for (uint256 r = 0; r < k; ++r) {
            for (uint256 j = 0; j < n; ++j) {
                int256 expected = _nextEntry(c);
                assertEq(
                    out.newBonds[r][j] < 0 ? int256(-1) : out.newBonds[r][j],
                    expected,
                    string.concat("bond ", vm.toString(input.rowUids[r]), ",", vm.toString(j))
                );
            }
        }
        assertEq(c.pos, data.length, "trailing bytes");
    }
}
