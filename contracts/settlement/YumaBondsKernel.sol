// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPoint} from "../libraries/FixedPoint.sol";
import {YumaEpoch} from "../libraries/YumaEpoch.sol";

/// @dev What a bonds unit of `YumaEpochRunner` computes on besides the cells: chunk columns
/// [j0, j0 + m), of which it computes [j0 + t0, j0 + t1).
struct BondsContext {
    uint256 j0;
    uint256 m;
    // The columns of the chunk this unit computes, [t0, t1): all of them, or a quarter under
    // liquid alpha (whose sigmoid per cell makes a whole chunk too dear at 128 validators).
    uint256 t0;
    uint256 t1;
    int256 beta;
    int256 alpha;
    int256 oneMinusAlpha;
    // Bit t set where column j0 + t was registered before the last epoch (YUMA 2.9b's registration
    // mask: the bonds of a column registered since start from nothing).
    uint256 live;
    bool liquid;
    YumaEpoch.AlphaSigmoidParams sigmoid;
    uint256[] consensus;
    uint256[] incentive;
}

/// @title YumaBondsKernel
/// @notice The per-cell arithmetic of `YumaEpochRunner`'s Bonds units under original Yuma (YUMA 2.8 -
/// 2.9a): W~, the bonds EMA with its column normalisation, the new bonds and each row's dividend term.
/// Stateless and pure; the runner deploys it in its constructor and calls it for every original-Yuma
/// Bonds unit (the runner and this code together exceed the 24,576-byte limit of one contract).
/// Yuma3's arithmetic is `Yuma3Bonds`, inside the runner.
contract YumaBondsKernel {
    uint256 private constant CHUNK = 16;
    uint256 private constant U48 = 0xffffffffffff;
    uint256 private constant NEW_PERMIT_BIT = 1 << 240;
    uint256 private constant ABSENT = type(uint256).max;

    /// @notice One original-Yuma bonds unit on a whole chunk.
    /// @param b The unit's context.
    /// @param rowInfo The runner's row words (active stake in bits 64..111, the new-permit bit).
    /// @param cells The normalised weights W of the chunk, row-major `k x 16` (I32F32, or ABSENT).
    /// @param bonds The stored bonds of the chunk, row-major `k x 16` (u16, or ABSENT).
    /// @return newBonds The new bonds (u16 to store for rows kept, ABSENT elsewhere), in place.
    /// @return dividends Each row's `sum_j I_j * colnorm(EMA)_j` over the chunk.
    function original(
        BondsContext memory b,
        uint256[] memory rowInfo,
        uint256[] memory cells,
        uint256[] memory bonds
    ) external pure returns (uint256[] memory newBonds, uint256[] memory dividends) {
        _interpolateChunk(b, rowInfo.length, cells);
        dividends = new uint256[](rowInfo.length);
        _originalChunk(b, rowInfo, cells, bonds, dividends);
        return (bonds, dividends);
    }

    /// @dev W~ = interpolate(W, clip(W), beta) per cell of columns [t0, t1) (YumaEpoch `_clipRow`);
    /// original Yuma's delta needs W~ only, so nothing else is kept.
    function _interpolateChunk(BondsContext memory b, uint256 k, uint256[] memory cells) private pure {
        int256 beta = b.beta;
        uint256[] memory consensus = b.consensus;
        uint256 t0 = b.t0;
        uint256 t1 = b.t1;
        assembly ("memory-safe") {
            let data := add(cells, 0x20)
            let cons := add(consensus, 0x20)
            for {
                let r := 0
            } lt(r, k) {
                r := add(r, 1)
            } {
                for {
                    let t := t0
                } lt(t, t1) {
                    t := add(t, 1)
                } {
                    let at := add(data, shl(5, add(shl(4, r), t)))
                    let w := mload(at)
                    if eq(w, not(0)) {
                        continue
                    }
                    let cv := mload(add(cons, shl(5, t)))
                    let clipped := w
                    if lt(cv, w) {
                        clipped := cv
                        if iszero(cv) {
                            clipped := not(0)
                        }
                    }
                    switch beta
                    case 0 {}
                    case 0x100000000 {
                        mstore(at, clipped)
                    }
                    default {
                        let c2 := clipped
                        if eq(c2, not(0)) {
                            c2 := 0
                        }
                        // c2 - w <= 0: `sar` floors the signed product, as substrate-fixed does.
                        let mixed := add(w, sar(32, mul(beta, sub(c2, w))))
                        if iszero(sgt(mixed, 0)) {
                            mixed := not(0)
                        }
                        mstore(at, mixed)
                    }
                }
            }
        }
    }

    /// @dev Original Yuma (YUMA 2.9a): B = I32F32(u16) with the registration mask, colnorm(B),
    /// delta = colnorm(W~ * A), EMA with the bma alpha, colnorm of the EMA, each row's `sum_j I_j * B_j`,
    /// column max-upscale and the u16 for rows kept.
    function _originalChunk(
        BondsContext memory b,
        uint256[] memory rowInfo,
        uint256[] memory cells,
        uint256[] memory bonds,
        uint256[] memory dividends
    ) private pure {
        (uint256[] memory bondSum, uint256[] memory deltaSum) = _originalMask(b, rowInfo, cells, bonds);
        uint256[] memory emaSum = _originalEma(b, rowInfo.length, cells, bonds, bondSum, deltaSum);
        uint256[] memory columnMax = _originalDividends(b, bonds, emaSum, dividends);
        for (uint256 r = 0; r < rowInfo.length; ++r) {
            bool keep = rowInfo[r] & NEW_PERMIT_BIT != 0;
            for (uint256 t = 0; t < b.m; ++t) {
                uint256 at = r * CHUNK + t;
                uint256 bond = bonds[at];
                if (bond == ABSENT) continue;
                if (!keep) {
                    bonds[at] = ABSENT;
                    continue;
                }
                if (columnMax[t] != 0) bond = (bond << 32) / columnMax[t];
                bonds[at] = _toU16(bond);
            }
        }
    }

    /// @dev Original Yuma, step 1: B = u16 << 32 with the registration mask and its column sums; the
    /// bonds delta W~ * A (floored) in place of W~ and its column sums.
    function _originalMask(
        BondsContext memory b,
        uint256[] memory rowInfo,
        uint256[] memory cells,
        uint256[] memory bonds
    ) private pure returns (uint256[] memory bondSum, uint256[] memory deltaSum) {
        bondSum = new uint256[](CHUNK);
        deltaSum = new uint256[](CHUNK);
        for (uint256 r = 0; r < rowInfo.length; ++r) {
            uint256 a = (rowInfo[r] >> 64) & U48;
            for (uint256 t = 0; t < b.m; ++t) {
                uint256 at = r * CHUNK + t;
                uint256 bond = bonds[at];
                if (bond != ABSENT) {
                    if ((b.live >> t) & 1 == 1) {
                        bond = bond << 32;
                        bondSum[t] += bond;
                        bonds[at] = bond;
                    } else {
                        bonds[at] = ABSENT;
                    }
                }
                uint256 wt = cells[at];
                if (wt != ABSENT) {
                    uint256 delta = (wt * a) >> 32;
                    cells[at] = delta;
                    deltaSum[t] += delta;
                }
            }
        }
    }

    /// @dev Original Yuma, step 2: `mat_ema_sparse(colnorm(delta), colnorm(B), alpha)` in place of the
    /// bonds (kept when > 0), and its column sums.
    function _originalEma(
        BondsContext memory b,
        uint256 k,
        uint256[] memory cells,
        uint256[] memory bonds,
        uint256[] memory bondSum,
        uint256[] memory deltaSum
    ) private pure returns (uint256[] memory emaSum) {
        uint256 alpha = uint256(b.alpha);
        uint256 oneMinusAlpha = uint256(FixedPoint.ONE) - alpha; // alpha in [0, 1.0] (bma <= 1e6)
        emaSum = new uint256[](CHUNK);
        for (uint256 r = 0; r < k; ++r) {
            for (uint256 t = 0; t < b.m; ++t) {
                uint256 at = r * CHUNK + t;
                uint256 acc;
                uint256 delta = cells[at];
                if (delta != ABSENT) {
                    if (deltaSum[t] != 0) delta = (delta << 32) / deltaSum[t];
                    acc = (alpha * delta) >> 32;
                }
                uint256 bond = bonds[at];
                if (bond != ABSENT) {
                    if (bondSum[t] != 0) bond = (bond << 32) / bondSum[t];
                    acc += (oneMinusAlpha * bond) >> 32;
                }
                if (acc == 0) {
                    bonds[at] = ABSENT;
                } else {
                    bonds[at] = acc;
                    emaSum[t] += acc;
                }
            }
        }
    }

    /// @dev Original Yuma, step 3: colnorm of the EMA in place, each row's `sum_j I_j * B_j` added to
    /// its accumulator, and the column maxima.
    function _originalDividends(
        BondsContext memory b,
        uint256[] memory bonds,
        uint256[] memory emaSum,
        uint256[] memory dividends
    ) private pure returns (uint256[] memory columnMax) {
        columnMax = new uint256[](CHUNK);
        for (uint256 r = 0; r < dividends.length; ++r) {
            uint256 dividend;
            for (uint256 t = 0; t < b.m; ++t) {
                uint256 at = r * CHUNK + t;
                uint256 bond = bonds[at];
                if (bond == ABSENT) continue;
                if (emaSum[t] != 0) bond = (bond << 32) / emaSum[t];
                bonds[at] = bond;
                dividend += (b.incentive[t] * bond) >> 32;
                if (columnMax[t] < bond) columnMax[t] = bond;
            }
            dividends[r] = dividend;
        }
    }

    /// @dev fixed_proportion_to_u16 of a value in [0, 1.0].
    function _toU16(uint256 x) private pure returns (uint256 y) {
        y = (x * 65535) >> 32;
        if (y > 65535) y = 65535;
    }
}
