// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {WeightsMath} from "../../../contracts/libraries/WeightsMath.sol";

/// @title WeightsMathTest
/// @notice The storage rule on packed rows: `maxUpscaleWords` against subtensor's
/// `vec_u16_max_upscale_to_u16` value by value (YUMA.md section 4 point 12), and the max-weight
/// check `check_vec_max_limited` (point 13).
contract WeightsMathTest is Test {
    function _pack(uint16[] memory values) internal pure returns (uint256[] memory words) {
        words = new uint256[]((values.length + 15) / 16);
        for (uint256 i = 0; i < values.length; ++i) {
            words[i >> 4] |= uint256(values[i]) << ((i & 15) * 16);
        }
    }

    function _unpack(uint256[] memory words, uint256 count) internal pure returns (uint16[] memory values) {
        values = new uint16[](count);
        for (uint256 i = 0; i < count; ++i) {
            values[i] = uint16(words[i >> 4] >> ((i & 15) * 16));
        }
    }

    function _max(uint16[] memory values) internal pure returns (uint256 max) {
        for (uint256 i = 0; i < values.length; ++i) {
            if (values[i] > max) max = values[i];
        }
    }

    function _upscaled(uint16[] memory values) internal pure returns (uint16[] memory) {
        uint256[] memory words = _pack(values);
        WeightsMath.maxUpscaleWords(words, _max(values));
        return _unpack(words, values.length);
    }

    /// @dev The reference, in I32F32 as subtensor computes it.
    function _reference(uint256 v, uint256 max) internal pure returns (uint256) {
        if (max == 0) return 0;
        uint256 scaledBits =
            max > 32_768
                ? ((v << 32) * ((uint256(65_535) << 64) / (max << 32))) >> 32
                : ((((v << 32) * (uint256(65_535) << 32)) >> 32) << 32) / (max << 32);
        uint256 rounded = (scaledBits + (1 << 31)) >> 32;
        return rounded > 65_535 ? 65_535 : rounded;
    }

    function _list(uint16 a, uint16 b) internal pure returns (uint16[] memory l) {
        l = new uint16[](2);
        (l[0], l[1]) = (a, b);
    }

    function test_maxUpscale_yumaExample() public pure {
        // YUMA.md: [43690, 21845] is stored as [65535, 32768].
        uint16[] memory out = _upscaled(_list(43_690, 21_845));
        assertEq(out[0], 65_535);
        assertEq(out[1], 32_768);
    }

    function test_maxUpscale_smallMaximumRoundsHalfAwayFromZero() public pure {
        // max <= 32768 path: 1 * 65535 / 2 = 32767.5 rounds to 32768.
        uint16[] memory out = _upscaled(_list(1, 2));
        assertEq(out[0], 32_768);
        assertEq(out[1], 65_535);
        // 32768 itself takes the same path: 16384 * 65535 / 32768 = 32767.5.
        out = _upscaled(_list(16_384, 32_768));
        assertEq(out[0], 32_768);
        assertEq(out[1], 65_535);
    }

    function test_maxUpscale_largeMaximumTruncatesTheRatioFirst() public pure {
        // max = 32769: ratio = floor(65535 * 2^32 / 32769) / 2^32, so 32768 * ratio rounds to 65533,
        // where the exact quotient would give 65533.000...; 1 becomes round(1.99993) = 2.
        uint16[] memory out = _upscaled(_list(32_768, 32_769));
        assertEq(out[0], _reference(32_768, 32_769));
        assertEq(out[1], 65_535);
        out = _upscaled(_list(1, 32_769));
        assertEq(out[0], 2);
    }

    function test_maxUpscale_zeroAndFullRowsAreUnchanged() public pure {
        uint16[] memory zeros = new uint16[](20);
        uint16[] memory out = _upscaled(zeros);
        for (uint256 i = 0; i < out.length; ++i) {
            assertEq(out[i], 0);
        }
        out = _upscaled(_list(65_535, 7));
        assertEq(out[0], 65_535);
        assertEq(out[1], 7);
    }

    function testFuzz_maxUpscale_matchesTheReference(uint256 seed, uint8 count, uint8 scale) public pure {
        uint256 n = _bound(count, 1, 80);
        uint256 top = [uint256(65_535), 40_000, 32_768, 32_767, 1_000, 3][scale % 6];
        uint16[] memory values = new uint16[](n);
        for (uint256 i = 0; i < n; ++i) {
            values[i] = uint16(uint256(keccak256(abi.encode(seed, i))) % (top + 1));
        }
        uint256 max = _max(values);
        uint16[] memory out = _upscaled(values);
        for (uint256 i = 0; i < n; ++i) {
            assertEq(out[i], _reference(values[i], max));
        }
    }

    function test_sumWords_addsEveryLane() public pure {
        uint16[] memory values = new uint16[](300);
        uint256 expected;
        for (uint256 i = 0; i < values.length; ++i) {
            values[i] = uint16(65_535 - i);
            expected += values[i];
        }
        assertEq(WeightsMath.sumWords(_pack(values)), expected);
    }

    function testFuzz_maxWeightWithin_matchesTheDefinition(uint256 seed, uint16 limit) public pure {
        uint16[] memory values = new uint16[](_bound(seed, 1, 40));
        for (uint256 i = 0; i < values.length; ++i) {
            values[i] = uint16(uint256(keccak256(abi.encode(seed, i))));
        }
        uint16[] memory stored = _upscaled(values);
        uint256 sum;
        for (uint256 i = 0; i < stored.length; ++i) {
            sum += stored[i];
        }
        uint256 maxU16 = _max(stored);
        assertEq(WeightsMath.sumWords(_pack(stored)), sum);
        // I32F32: max / sum against limit / 65535, both truncated.
        bool within = sum == 0 || ((maxU16 << 32) / sum) <= ((uint256(limit) << 32) / 65_535);
        assertEq(WeightsMath.maxWeightWithin(maxU16, sum, limit), within);
    }

    function test_maxWeightWithin_boundary() public pure {
        // Two equal weights are 0.5 each: within a limit of 32768/65535 (0.50000763), not of 32767.
        assertTrue(WeightsMath.maxWeightWithin(65_535, 131_070, 32_768));
        assertFalse(WeightsMath.maxWeightWithin(65_535, 131_070, 32_767));
        assertTrue(WeightsMath.maxWeightWithin(0, 0, 0));
    }
}
