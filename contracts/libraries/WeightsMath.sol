// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title WeightsMath
/// @notice subtensor's weight-vector transforms at submission, bit for bit: `vec_u16_max_upscale_to_u16`
/// and `check_vec_max_limited` (pallets/subtensor/src/epoch/math.rs), in I32F32 arithmetic, on rows
/// packed 16 u16 values per word (column `16w + k` at bits `16k..16k+15` of word `w`).
/// @dev I32F32 keeps 32 fractional bits: a u16 `v` is `v << 32`; a product drops 32 bits (floor),
/// a quotient is `(a << 32) / b` (truncation), `safe_div` by zero gives 0, `round()` is half away
/// from zero. Values here are non-negative, so floor and truncation agree and rounding half away
/// from zero is `(x + 2^31) >> 32`.
library WeightsMath {
    /// @dev 0xffff in the low 16 bits of each 64-bit lane: four u16 values spaced 64 bits apart.
    uint256 private constant LANES = 0x000000000000ffff000000000000ffff000000000000ffff000000000000ffff;
    /// @dev One half (2^31, I32F32) in each 64-bit lane.
    uint256 private constant HALVES = 0x0000000080000000000000008000000000000000800000000000000080000000;
    uint256 private constant U16_MAX = 65_535;

    /// @notice Scales the packed row `words` in place so its largest value `maxU16` becomes 65,535
    /// (subtensor's stored form). A zero row stays zero.
    /// @dev For `maxU16 > 32768`: `round(v * (65535 / max))`, the ratio truncated to 32 fractional
    /// bits first. For `maxU16 <= 32768`: `round((v * 65535) / max)`, the product exact, the quotient
    /// truncated to 32 fractional bits. `maxU16 = 65535` is the identity (the ratio is exactly 1), so
    /// a row submitted already upscaled costs nothing here. `maxU16` must be the row's largest value:
    /// then every result is at most 65,535 and no lane overflows into the next.
    function maxUpscaleWords(uint256[] memory words, uint256 maxU16) internal pure {
        if (maxU16 == 0 || maxU16 == U16_MAX) return;
        if (maxU16 > 32_768) {
            // ratio = floor(65535 * 2^32 / max) < 2^33, so v * ratio + 2^31 < 2^50 stays inside its
            // 64-bit lane: four values are scaled by one multiplication.
            uint256 ratio = (U16_MAX << 32) / maxU16;
            assembly ("memory-safe") {
                // The masks in locals: the optimizer would fetch each use from code (CODECOPY).
                let lanes := LANES
                let halves := HALVES
                let base := add(words, 0x20)
                let end := add(base, shl(5, mload(words)))
                for {
                    let p := base
                } lt(p, end) {
                    p := add(p, 0x20)
                } {
                    let w := mload(p)
                    let out := and(shr(32, add(mul(and(w, lanes), ratio), halves)), lanes)
                    out := or(out, shl(16, and(shr(32, add(mul(and(shr(16, w), lanes), ratio), halves)), lanes)))
                    out := or(out, shl(32, and(shr(32, add(mul(and(shr(32, w), lanes), ratio), halves)), lanes)))
                    out := or(out, shl(48, and(shr(32, add(mul(and(shr(48, w), lanes), ratio), halves)), lanes)))
                    mstore(p, out)
                }
            }
        } else {
            uint256 divisor = maxU16 << 32;
            assembly ("memory-safe") {
                let base := add(words, 0x20)
                let end := add(base, shl(5, mload(words)))
                for {
                    let p := base
                } lt(p, end) {
                    p := add(p, 0x20)
                } {
                    let w := mload(p)
                    if w {
                        let out := 0
                        for {
                            let s := 0
                        } lt(s, 256) {
                            s := add(s, 16)
                        } {
                            // (v * 65535 << 64) / (max << 32) = v * 65535 / max with 32 fractional bits.
                            let q := div(shl(64, mul(and(shr(s, w), 0xffff), U16_MAX)), divisor)
                            out := or(out, shl(s, shr(32, add(q, 0x80000000))))
                        }
                        mstore(p, out)
                    }
                }
            }
        }
    }

    /// @notice The sum of every u16 value of a packed row.
    function sumWords(uint256[] memory words) internal pure returns (uint256 sum) {
        assembly ("memory-safe") {
            // Each 64-bit lane adds four u16 values per word: below 2^30 for any row of at most
            // 2^12 words (65,536 columns), so no lane carries into the next.
            let acc := 0
            let base := add(words, 0x20)
            let end := add(base, shl(5, mload(words)))
            for {
                let p := base
            } lt(p, end) {
                p := add(p, 0x20)
            } {
                let w := mload(p)
                acc := add(
                    acc,
                    add(add(and(w, LANES), and(shr(16, w), LANES)), add(and(shr(32, w), LANES), and(shr(48, w), LANES)))
                )
            }
            let m := 0xffffffffffffffff
            sum := add(add(and(acc, m), and(shr(64, acc), m)), add(and(shr(128, acc), m), shr(192, acc)))
        }
    }

    /// @notice Whether the largest stored value, normalised by the row's sum, is at most
    /// `limit / 65535` (subtensor's `check_vec_max_limited`). An empty or zero row is within.
    function maxWeightWithin(uint256 maxU16, uint256 sum, uint256 limit) internal pure returns (bool) {
        if (sum == 0) return true;
        uint256 limitBits = (limit << 32) / U16_MAX; // I32F32(limit) / I32F32(65535), truncated
        uint256 maxNormalizedBits = (maxU16 << 32) / sum; // I32F32 normalisation, truncated
        return maxNormalizedBits <= limitBits;
    }
}
