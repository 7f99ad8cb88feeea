// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title FixedPoint
/// @notice substrate-fixed v0.6.0's `I32F32` arithmetic, bit for bit, on raw bits held in `int256`,
/// plus the few subtensor conversions (`pallets/subtensor/src/epoch/math.rs`) that the Yuma epoch uses.
/// @dev An I32F32 value `x` is the integer `x * 2^32`, a signed 64-bit integer. Every function takes
/// and returns such bits in an `int256`; inputs are expected inside the i64 range, and every result
/// is either brought back into it (saturating, checked or safe variants) or documented as exact.
/// Rounding, as substrate-fixed does it (`arith.rs`, `mul_div_widen`):
/// - products `(a * b) >> 32`: the shift is arithmetic, so they round toward negative infinity;
/// - quotients `(a << 32) / b`: integer division, rounding toward zero;
/// - conversions that drop fractional bits (I64F64 to I32F32, fixed to integer): floor.
/// The 512-bit intermediates of substrate-fixed are never needed: |a|, |b| < 2^63 gives |a * b| < 2^126
/// and |a << 32| < 2^95, far inside int256.
library FixedPoint {
    /// @notice 1.0 in I32F32.
    int256 internal constant ONE = 1 << 32;
    /// @notice 0.5 in I32F32 (`I32F32::from_num(0.5)`, exact).
    int256 internal constant HALF = 1 << 31;
    /// @notice The largest I32F32 (`I32F32::max_value()`), as bits.
    int256 internal constant MAX = type(int64).max;
    /// @notice The smallest I32F32, as bits.
    int256 internal constant MIN = type(int64).min;
    /// @notice `u16::MAX`, the denominator of every u16 proportion.
    uint256 internal constant U16_MAX = 65_535;
    /// @notice e as substrate-fixed's `transcendental::E`, an I9F23 constant (floor(e * 2^23) =
    /// 22,802,600), widened to I32F32. `exp(1)` returns exactly this value.
    int256 internal constant E = 22_802_600 << 9;
    /// @notice subtensor's `exp_safe` clamps its input to [-20, 20].
    int256 internal constant EXP_SAFE_LIMIT = 20 << 32;

    /// @notice Clamps bits to the I32F32 range (what every `saturating_` operation does last).
    function saturate(int256 bits) internal pure returns (int256) {
        if (bits > MAX) return MAX;
        if (bits < MIN) return MIN;
        return bits;
    }

    /// @notice Whether bits lie in the I32F32 range (what every `checked_` operation tests).
    function fits(int256 bits) internal pure returns (bool) {
        return bits >= MIN && bits <= MAX;
    }

    // Every operation below takes I32F32 bits (|x| <= 2^63) and computes in int256 without overflow:
    // sums and differences stay below 2^65, products below 2^126, `a << 32` below 2^95. Hence the
    // `unchecked` blocks; each result is then saturated, checked or proven in range.

    /// @notice `a.saturating_add(b)`.
    function saturatingAdd(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            return saturate(a + b); // |a + b| < 2^65: no int256 overflow
        }
    }

    /// @notice `a.saturating_sub(b)`.
    function saturatingSub(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            return saturate(a - b); // |a - b| < 2^65: no int256 overflow
        }
    }

    /// @notice `a.saturating_mul(b)`: `(a * b) >> 32`, rounded toward negative infinity, then clamped.
    function saturatingMul(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            return saturate((a * b) >> 32); // |a * b| < 2^126: no int256 overflow
        }
    }

    /// @notice `a.checked_mul(b)`: `(a * b) >> 32`, rounded toward negative infinity.
    /// @return ok False where the product leaves the I32F32 range (substrate-fixed returns `None`).
    /// @return productBits The product, meaningful only when `ok`.
    function checkedMul(int256 a, int256 b) internal pure returns (bool ok, int256 productBits) {
        unchecked {
            productBits = (a * b) >> 32; // |a * b| < 2^126: no int256 overflow
        }
        ok = fits(productBits);
    }

    /// @notice `a.checked_div(b)`: `(a << 32) / b`, rounded toward zero.
    /// @return ok False on division by zero or where the quotient leaves the I32F32 range.
    /// @return quotientBits The quotient, meaningful only when `ok`.
    function checkedDiv(int256 a, int256 b) internal pure returns (bool ok, int256 quotientBits) {
        if (b == 0) return (false, 0);
        unchecked {
            // |a << 32| < 2^95, and b != 0 with |b| <= 2^63 rules out the int256 MIN / -1 case.
            quotientBits = (a << 32) / b;
        }
        ok = fits(quotientBits);
    }

    /// @notice subtensor's `safe_div` (`checked_div().unwrap_or_default()`): `(a << 32) / b`, rounded
    /// toward zero, and 0 both on division by zero and when the quotient overflows.
    function safeDiv(int256 a, int256 b) internal pure returns (int256 quotientBits) {
        if (b == 0) return 0;
        unchecked {
            quotientBits = (a << 32) / b; // as in checkedDiv
        }
        if (quotientBits > MAX || quotientBits < MIN) return 0;
    }

    /// @notice `a.saturating_div(b)`: `(a << 32) / b`, rounded toward zero, then clamped.
    /// @dev substrate-fixed panics on a zero divisor; this reverts with the compiler's division panic.
    function saturatingDiv(int256 a, int256 b) internal pure returns (int256) {
        if (b == 0) return (a << 32) / b; // the division panic (0x12), as substrate-fixed panics
        unchecked {
            return saturate((a << 32) / b); // as in checkedDiv
        }
    }

    /// @notice `I32F32::from_num(x)` for an integer `x` inside the range (exact).
    function fromInt(int256 x) internal pure returns (int256) {
        return x << 32;
    }

    /// @notice subtensor's `u16_proportion_to_fixed(u)` = `I32F32(u) / I32F32(65535)`:
    /// floor(u * 2^32 / 65535) (non-negative, so truncation is floor). Also how subtensor turns kappa,
    /// the bonds penalty and the liquid-alpha bounds into fractions.
    function fromU16Proportion(uint256 valueU16) internal pure returns (int256) {
        // Cannot overflow: valueU16 <= 65535 in every caller, and even 2^200 << 32 fits in int256.
        return int256((valueU16 << 32) / U16_MAX);
    }

    /// @notice subtensor's `fixed_proportion_to_u16(x)`: `x.saturating_mul(65535)` then
    /// `saturating_to_num::<u16>()`, i.e. clamp(floor(x * 65535 / 2^32), 0, 65535).
    function toU16Proportion(int256 bits) internal pure returns (uint16) {
        if (bits <= 0) return 0;
        // The I32F32 product first saturates at MAX; floor(MAX / 2^32) > 65535, so the u16 clamp
        // below absorbs it.
        int256 scaledBits = bits * int256(U16_MAX);
        int256 whole = scaledBits >> 32;
        if (whole >= int256(U16_MAX)) return type(uint16).max;
        return uint16(uint256(whole));
    }

    /// @notice substrate-fixed's `transcendental::exp::<I32F32, I32F32>` (v0.6.0).
    /// @dev `exp(0) = 1` and `exp(1) = E` are special-cased. Otherwise, over |x|:
    /// `result = 1 + |x|`, then for i = 2..31: `term = (term * |x|) / i` (product floored, quotient
    /// truncated) and `result += term`; for negative x the answer is `1 / result` (truncated). Note that
    /// `exp(-1)` goes through the series, not through `E`. Any overflow makes substrate-fixed return
    /// `Err`, reported here as `ok = false`.
    /// @return ok False where substrate-fixed's `exp` returns `Err`.
    /// @return resultBits e^x as substrate-fixed computes it, meaningful only when `ok`.
    function exp(int256 xBits) internal pure returns (bool ok, int256 resultBits) {
        if (xBits == 0) return (true, ONE);
        if (xBits == ONE) return (true, E);
        bool negative = xBits < 0;
        int256 operand = negative ? -xBits : xBits;
        if (operand > MAX) return (false, 0); // checked_neg of the minimum
        if (operand > MAX - ONE) return (false, 0); // 1 + |x| overflows
        assembly ("memory-safe") {
            // 0 <= operand < 2^63 and, until an overflow stops the loop, 0 <= term, result < 2^63, so
            // `term * operand` < 2^126 and `result + term` < 2^64: no 256-bit overflow. All values are
            // non-negative, so `shr` is the floor and `div` the truncation substrate-fixed applies.
            resultBits := add(operand, 0x100000000)
            ok := 1
            let term := operand
            // Terms i = 2..31: substrate-fixed's loop runs `for i in 2..frac_nbits` with 32 fraction bits.
            for {
                let i := 2
            } lt(i, 32) {
                i := add(i, 1)
            } {
                term := shr(32, mul(term, operand))
                if gt(term, 0x7fffffffffffffff) {
                    ok := 0
                    break
                }
                // (term << 32) / (i << 32) equals term / i: both truncate the same exact rational.
                term := div(term, i)
                resultBits := add(resultBits, term)
                if gt(resultBits, 0x7fffffffffffffff) {
                    ok := 0
                    break
                }
            }
        }
        if (!ok) return (false, 0);
        if (negative) return checkedDiv(ONE, resultBits);
        return (true, resultBits);
    }

    /// @notice subtensor's `exp_safe`: clamps x to [-20, 20], then `exp` (whose `Err` fallbacks, 0 for
    /// x <= 0 and the I32F32 maximum otherwise, cannot happen inside the clamp). Equals
    /// `exp(clamp(x))` bit for bit.
    /// @dev The truncated series makes exp(20) = 481,239,357.67 (bits 2,066,907,302,758,576,256) against
    /// the true 485,165,195.41, and exp(-20) = 8 bits (1.86e-9); for |x| <= 8 the relative error stays
    /// below about 1e-9.
    function expSafe(int256 xBits) internal pure returns (int256 resultBits) {
        if (xBits == 0) return ONE;
        if (xBits == ONE) return E;
        bool negative = xBits < 0;
        int256 operand = negative ? -xBits : xBits;
        if (operand > EXP_SAFE_LIMIT) operand = EXP_SAFE_LIMIT;
        // Inside the clamp `exp` never fails (its largest term, 20^21/20! ~ 8.6e8, and its sum, ~4.8e8,
        // stay below 2^31), so the series runs without checks. Same steps as `exp`: terms i = 2..31,
        // each `term = floor(term * x / 2^32) / i` (truncating), unrolled by six. All values are
        // non-negative and below 2^63, products below 2^126: no overflow.
        assembly ("memory-safe") {
            resultBits := add(operand, 0x100000000)
            let term := operand
            for {
                let i := 2
            } lt(i, 32) {
                i := add(i, 6)
            } {
                term := div(shr(32, mul(term, operand)), i)
                resultBits := add(resultBits, term)
                term := div(shr(32, mul(term, operand)), add(i, 1))
                resultBits := add(resultBits, term)
                term := div(shr(32, mul(term, operand)), add(i, 2))
                resultBits := add(resultBits, term)
                term := div(shr(32, mul(term, operand)), add(i, 3))
                resultBits := add(resultBits, term)
                term := div(shr(32, mul(term, operand)), add(i, 4))
                resultBits := add(resultBits, term)
                term := div(shr(32, mul(term, operand)), add(i, 5))
                resultBits := add(resultBits, term)
            }
        }
        if (negative) {
            unchecked {
                resultBits = (ONE << 32) / resultBits; // 1 / result, truncating; result >= 1 + |x| > 0
            }
        }
    }
}
