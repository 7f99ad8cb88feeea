// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title BurnPricing
/// @notice The neuron registration price: it decays exponentially with a half-life in blocks, rises
/// by a multiplier on each registration, and stays within [minBurn, maxBurn] (subtensor's rule since
/// its per-registration burn bump: `update_registration_prices_for_networks` applies a per-block
/// factor `f` with `f ^ BurnHalfLife = 1/2`; `bump_registration_price_after_registration` multiplies
/// by `BurnIncreaseMult`).
/// @dev subtensor multiplies the price by `f` once per block; here the same decay over `elapsed`
/// blocks is computed in one step as `price * 2^(-elapsed / halfLife)`: whole half-lives shift, the
/// fraction is taken to 20 binary digits (rounded down) and applied with the constants `2^(-2^-k)`
/// (k = 1..20, WAD, from 60-digit decimal arithmetic, rounded up). Every step rounds up, so the price
/// a registrant pays is never below the exact schedule (rounding against the user); the error is
/// below 1e-5 relative.
library BurnPricing {
    uint256 private constant WAD = 1e18;
    uint256 private constant FRACTION_BITS = 20;

    /// @notice `price * 2^(-elapsed / halfLife)`, rounded up. A zero half-life means no decay.
    function decay(uint256 price, uint256 elapsed, uint256 halfLife) internal pure returns (uint256) {
        if (halfLife == 0 || elapsed == 0 || price == 0) return price;
        uint256 halvings = elapsed / halfLife;
        if (halvings >= 256) return 0;
        // Rounded up: the shift drops at most one wei.
        uint256 shifted = price >> halvings;
        if ((shifted << halvings) != price) shifted += 1;
        uint256 fraction = ((elapsed % halfLife) << FRACTION_BITS) / halfLife;
        return _pow2Fraction(shifted, fraction);
    }

    /// @notice `price * multWad / 1e18`, rounded up.
    function bump(uint256 price, uint256 multWad) internal pure returns (uint256) {
        return Math.mulDiv(price, multWad, WAD, Math.Rounding.Ceil);
    }

    /// @notice `value` clamped to `[lo, hi]` (`lo` wins if the bounds cross).
    function clamp(uint256 value, uint256 lo, uint256 hi) internal pure returns (uint256) {
        if (value > hi) value = hi;
        if (value < lo) value = lo;
        return value;
    }

    /// @dev `x * 2^(-fraction / 2^20)`: one multiplication per set bit, rounded up. Each constant is
    /// `ceil(2^(-2^-k) * 1e18)`: a truncated one would put the result below the exact curve whenever
    /// the fraction is exact in 20 bits (a power-of-two half-life, or half a half-life of 2,160).
    function _pow2Fraction(uint256 x, uint256 fraction) private pure returns (uint256) {
        if (fraction & (1 << 19) != 0) x = _mulUp(x, 707106781186547525);
        if (fraction & (1 << 18) != 0) x = _mulUp(x, 840896415253714544);
        if (fraction & (1 << 17) != 0) x = _mulUp(x, 917004043204671232);
        if (fraction & (1 << 16) != 0) x = _mulUp(x, 957603280698573647);
        if (fraction & (1 << 15) != 0) x = _mulUp(x, 978572062087700135);
        if (fraction & (1 << 14) != 0) x = _mulUp(x, 989228013193975485);
        if (fraction & (1 << 13) != 0) x = _mulUp(x, 994599423483633176);
        if (fraction & (1 << 12) != 0) x = _mulUp(x, 997296056085470127);
        if (fraction & (1 << 11) != 0) x = _mulUp(x, 998647112890970174);
        if (fraction & (1 << 10) != 0) x = _mulUp(x, 999323327502650753);
        if (fraction & (1 << 9) != 0) x = _mulUp(x, 999661606496243684);
        if (fraction & (1 << 8) != 0) x = _mulUp(x, 999830788931929064);
        if (fraction & (1 << 7) != 0) x = _mulUp(x, 999915390886613498);
        if (fraction & (1 << 6) != 0) x = _mulUp(x, 999957694548431133);
        if (fraction & (1 << 5) != 0) x = _mulUp(x, 999978847050491930);
        if (fraction & (1 << 4) != 0) x = _mulUp(x, 999989423469314465);
        if (fraction & (1 << 3) != 0) x = _mulUp(x, 999994711720674284);
        if (fraction & (1 << 2) != 0) x = _mulUp(x, 999997355856841395);
        if (fraction & (1 << 1) != 0) x = _mulUp(x, 999998677927546760);
        if (fraction & 1 != 0) x = _mulUp(x, 999999338963554896);
        return x;
    }

    function _mulUp(uint256 x, uint256 factorWad) private pure returns (uint256) {
        return Math.mulDiv(x, factorWad, WAD, Math.Rounding.Ceil);
    }
}
