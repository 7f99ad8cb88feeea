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
/// fraction is taken to 20 binary digits and applied with the constants `2^(-2^-k)` (k = 1..20, WAD,
/// from 60-digit decimal arithmetic). Every step rounds up, so the price a registrant pays is never
/// below the exact schedule (rounding against the user); the error is below 1e-5 relative.
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

    /// @dev `x * 2^(-fraction / 2^20)`: one multiplication per set bit, rounded up.
    function _pow2Fraction(uint256 x, uint256 fraction) private pure returns (uint256) {
        if (fraction & (1 << 19) != 0) x = _mulUp(x, 707106781186547524);
        if (fraction & (1 << 18) != 0) x = _mulUp(x, 840896415253714543);
        if (fraction & (1 << 17) != 0) x = _mulUp(x, 917004043204671231);
        if (fraction & (1 << 16) != 0) x = _mulUp(x, 957603280698573646);
        if (fraction & (1 << 15) != 0) x = _mulUp(x, 978572062087700134);
        if (fraction & (1 << 14) != 0) x = _mulUp(x, 989228013193975484);
        if (fraction & (1 << 13) != 0) x = _mulUp(x, 994599423483633175);
        if (fraction & (1 << 12) != 0) x = _mulUp(x, 997296056085470126);
        if (fraction & (1 << 11) != 0) x = _mulUp(x, 998647112890970173);
        if (fraction & (1 << 10) != 0) x = _mulUp(x, 999323327502650752);
        if (fraction & (1 << 9) != 0) x = _mulUp(x, 999661606496243683);
        if (fraction & (1 << 8) != 0) x = _mulUp(x, 999830788931929063);
        if (fraction & (1 << 7) != 0) x = _mulUp(x, 999915390886613497);
        if (fraction & (1 << 6) != 0) x = _mulUp(x, 999957694548431132);
        if (fraction & (1 << 5) != 0) x = _mulUp(x, 999978847050491929);
        if (fraction & (1 << 4) != 0) x = _mulUp(x, 999989423469314464);
        if (fraction & (1 << 3) != 0) x = _mulUp(x, 999994711720674283);
        if (fraction & (1 << 2) != 0) x = _mulUp(x, 999997355856841394);
        if (fraction & (1 << 1) != 0) x = _mulUp(x, 999998677927546759);
        if (fraction & 1 != 0) x = _mulUp(x, 999999338963554895);
        return x;
    }

    function _mulUp(uint256 x, uint256 factorWad) private pure returns (uint256) {
        return Math.mulDiv(x, factorWad, WAD, Math.Rounding.Ceil);
    }
}
