// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title WeightsMath
/// @notice subtensor's weight-vector transforms at submission, bit for bit: `vec_u16_max_upscale_to_u16`
/// and `check_vec_max_limited` (pallets/subtensor/src/epoch/math.rs), in I32F32 arithmetic.
/// @dev I32F32 keeps 32 fractional bits: a u16 `v` is `v << 32`; a product drops 32 bits (floor),
/// a quotient is `(a << 32) / b` (truncation), `safe_div` by zero gives 0, `round()` is half away
/// from zero. Values here are non-negative, so floor and truncation agree.
library WeightsMath {
    /// @notice A value does not fit in a u16.
    error ValueOutOfRange();

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
        // The loops read the calldata words directly; `values` comes from an ABI-decoded uint16[]
        // whose words the caller range-checks here (a word above 65535 reverts, as the decoder would).
        bool bad;
        assembly ("memory-safe") {
            for {
                let i := 0
            } lt(i, n) {
                i := add(i, 1)
            } {
                let v := calldataload(add(values.offset, shl(5, i)))
                if gt(v, 0xffff) {
                    bad := 1
                }
                if gt(v, max) {
                    max := v
                }
            }
        }
        require(!bad, ValueOutOfRange());
        if (max == 0) return out;
        assembly ("memory-safe") {
            let outBase := add(out, 0x20)
            switch gt(max, 32768)
            case 1 {
                // round(v * (65535 / max)): the ratio truncated to 32 fractional bits first.
                let ratioBits := div(shl(64, 65535), shl(32, max))
                for {
                    let i := 0
                } lt(i, n) {
                    i := add(i, 1)
                } {
                    let v := calldataload(add(values.offset, shl(5, i)))
                    let rounded := shr(32, add(mul(v, ratioBits), 0x80000000))
                    if gt(rounded, 0xffff) {
                        rounded := 0xffff
                    }
                    mstore(add(outBase, shl(5, i)), rounded)
                }
            }
            default {
                // round((v * 65535) / max): the product exact, the quotient truncated to 32 bits.
                let divisor := shl(32, max)
                for {
                    let i := 0
                } lt(i, n) {
                    i := add(i, 1)
                } {
                    let v := calldataload(add(values.offset, shl(5, i)))
                    let rounded := shr(32, add(div(shl(64, mul(v, 65535)), divisor), 0x80000000))
                    if gt(rounded, 0xffff) {
                        rounded := 0xffff
                    }
                    mstore(add(outBase, shl(5, i)), rounded)
                }
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
