// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title WeightsMath
/// @notice subtensor's weight-vector transforms at submission, bit for bit: `vec_u16_max_upscale_to_u16`
/// and `check_vec_max_limited` (pallets/subtensor/src/epoch/math.rs), in I32F32 arithmetic.
/// @dev I32F32 keeps 32 fractional bits: a u16 `v` is `v << 32`; a product drops 32 bits (floor),
/// a quotient is `(a << 32) / b` (truncation), `safe_div` by zero gives 0, `round()` is half away
/// from zero. Values here are non-negative, so floor and truncation agree.
library WeightsMath {
    uint256 private constant ONE = 1 << 32;
    uint256 private constant HALF = 1 << 31;
    uint256 private constant U16_MAX = 65_535;

    /// @notice Scales `values` so the largest becomes 65,535 (subtensor's stored form).
    /// @dev For `max <= 32768`: `round((v * 65535) / max)`, the product exact, the quotient truncated
    /// to 32 fractional bits. For larger `max`: `round(v * (65535 / max))`, the ratio truncated first.
    /// A zero vector stays zero.
    function maxUpscaleU16(uint16[] calldata values) internal pure returns (uint16[] memory out) {
        uint256 n = values.length;
        out = new uint16[](n);
        uint256 max;
        for (uint256 i = 0; i < n; ++i) {
            if (values[i] > max) max = values[i];
        }
        if (max == 0) return out;
        if (max > 32_768) {
            uint256 ratioBits = (U16_MAX << 64) / (max << 32); // I32F32(65535) / I32F32(max)
            for (uint256 i = 0; i < n; ++i) {
                out[i] = _roundToU16(uint256(values[i]) * ratioBits);
            }
        } else {
            for (uint256 i = 0; i < n; ++i) {
                uint256 scaledBits = (uint256(values[i]) * U16_MAX) << 32; // exact: v * 65535 < 2^31
                out[i] = _roundToU16((scaledBits << 32) / (max << 32));
            }
        }
    }

    /// @notice Whether the largest of `stored`, normalised by their sum, is at most `limit / 65535`.
    /// @return within The check's outcome.
    /// @return maxU16 The largest value (for the error message).
    function maxWeightWithin(
        uint16[] memory stored,
        uint256 limit
    ) internal pure returns (bool within, uint256 maxU16) {
        uint256 sum;
        for (uint256 i = 0; i < stored.length; ++i) {
            sum += stored[i];
            if (stored[i] > maxU16) maxU16 = stored[i];
        }
        if (stored.length == 0 || sum == 0) return (true, maxU16);
        uint256 limitBits = (limit << 32) / U16_MAX; // I32F32(limit) / I32F32(65535)
        uint256 maxNormalizedBits = (maxU16 << 32) / sum; // I32F32 normalisation (safe_div)
        return (maxNormalizedBits <= limitBits, maxU16);
    }

    /// @dev `round()` (half away from zero) of an I32F32 value, saturated to u16.
    function _roundToU16(uint256 bits) private pure returns (uint16) {
        uint256 rounded = (bits + HALF) >> 32;
        return rounded > U16_MAX ? type(uint16).max : uint16(rounded);
    }
}
