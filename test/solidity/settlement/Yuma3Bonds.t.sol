// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Yuma3Bonds} from "../../../contracts/settlement/Yuma3Bonds.sol";
import {BondsContext} from "../../../contracts/settlement/YumaBondsKernel.sol";

/// @notice `Yuma3Bonds.yuma3` under a fixed alpha (four columns to a word, branch-free products)
/// against the same step written one cell at a time from its formulas: W = w / sum, W~ = min(W, C) +
/// floor((1 - beta) * (W - min(W, C))), B = floor(b * 2^32 / 65535), B' = floor((1 - alpha) * B) +
/// floor(alpha * W~), the column sums, each row's sum_j floor(floor(B' * 2^32 / S_j) * I_j / 2^32),
/// and the new u16 words with their presence bits. Chunks are random, with the edge values drawn
/// often: alpha and beta 0 and 1, bonds of 65535 (B = 1, a lane's full 2^32), consensus 0 and 1,
/// weights 0, rows that sum to 0, and masks that leave lanes out.
contract Yuma3BondsTest is Test {
    uint256 private constant ONE = 1 << 32;

    struct Chunk {
        BondsContext b;
        uint256[] rowInfo;
        uint256[] rows;
        uint256[] dividends;
    }

    function testFuzz_yuma3_fixedAlpha_matchesCellByCell(uint256 seed, uint8 rowCount) public pure {
        _check(_chunk(seed, bound(rowCount, 1, 24)));
    }

    function test_yuma3_fixedAlpha_fullChunks_matchCellByCell() public pure {
        for (uint256 seed = 0; seed < 12; ++seed) {
            _check(_chunk(seed, 64));
        }
    }

    function _check(Chunk memory c) private pure {
        (uint256[] memory words, uint256[] memory present, uint256[] memory dividends) = _reference(c);
        uint256[] memory rows = Yuma3Bonds.yuma3(c.b, c.rowInfo, _copy(c.rows), c.dividends);
        for (uint256 r = 0; r < c.rowInfo.length; ++r) {
            assertEq(rows[4 * r + 2], words[r], "new bonds word");
            assertEq(rows[4 * r + 3], present[r], "new bonds lanes");
            assertEq(c.dividends[r], dividends[r], "dividend term");
        }
    }

    function _reference(
        Chunk memory c
    ) private pure returns (uint256[] memory words, uint256[] memory present, uint256[] memory dividends) {
        uint256 k = c.rowInfo.length;
        uint256[] memory ema = new uint256[](k * 16);
        uint256[] memory columnSum = new uint256[](16);
        for (uint256 r = 0; r < k; ++r) {
            for (uint256 t = 0; t < 16; ++t) {
                uint256 e = _cell(c, r, t);
                ema[r * 16 + t] = e;
                columnSum[t] += e;
            }
        }
        words = new uint256[](k);
        present = new uint256[](k);
        dividends = new uint256[](k);
        for (uint256 r = 0; r < k; ++r) {
            uint256 total;
            for (uint256 t = 0; t < 16; ++t) {
                uint256 e = ema[r * 16 + t];
                if (e == 0) continue;
                total += (((e << 32) / columnSum[t]) * c.b.incentive[t]) >> 32;
                words[r] |= ((e * 65535) >> 32) << (16 * t);
                present[r] |= 1 << t;
            }
            dividends[r] = c.dividends[r] + total;
        }
    }

    /// @dev B' of row r on column t.
    function _cell(Chunk memory c, uint256 r, uint256 t) private pure returns (uint256) {
        uint256 sum = (c.rowInfo[r] >> 32) & 0xffffffff;
        uint256 w;
        if ((c.rows[4 * r + 1] >> t) & 1 == 1 && sum != 0) w = (((c.rows[4 * r] >> (16 * t)) & 0xffff) << 32) / sum;
        uint256 consensus = c.b.consensus[t];
        uint256 low = w < consensus ? w : consensus;
        uint256 wt = low + (((ONE - uint256(c.b.beta)) * (w - low)) >> 32);
        uint256 bond;
        if ((c.rows[4 * r + 3] >> t) & 1 == 1) bond = (((c.rows[4 * r + 2] >> (16 * t)) & 0xffff) << 32) / 65535;
        return ((uint256(c.b.oneMinusAlpha) * bond) >> 32) + ((uint256(c.b.alpha) * wt) >> 32);
    }

    function _chunk(uint256 seed, uint256 k) private pure returns (Chunk memory c) {
        c.b.m = 16;
        c.b.t1 = 16;
        c.b.live = 0xffff;
        c.b.alpha = int256(_fraction(seed, "alpha"));
        c.b.oneMinusAlpha = int256(ONE) - c.b.alpha;
        c.b.beta = int256(_fraction(seed, "beta"));
        c.b.consensus = new uint256[](16);
        c.b.incentive = new uint256[](16);
        for (uint256 t = 0; t < 16; ++t) {
            c.b.consensus[t] = _fraction(uint256(keccak256(abi.encode(seed, t))), "consensus");
            c.b.incentive[t] = uint256(keccak256(abi.encode(seed, t, "incentive"))) % (ONE / 16 + 1);
        }
        c.rowInfo = new uint256[](k);
        c.rows = new uint256[](4 * k);
        c.dividends = new uint256[](k);
        for (uint256 r = 0; r < k; ++r) {
            uint256 x = uint256(keccak256(abi.encode(seed, r)));
            (uint256 word, uint256 largest) = _u16Word(x, "weights");
            uint256 keptWeights = x % 5 == 0 ? x >> 200 : 0xffff;
            uint256 keptBonds = x % 7 == 0 ? x >> 180 : 0xffff;
            (uint256 bonds, ) = _u16Word(x, "bonds");
            // A row's sum covers its other chunks too: at least its largest value here (W <= 1).
            uint256 sum = x % 11 == 0 ? 0 : largest + ((x >> 64) % 4 == 0 ? 0 : (x >> 80) % (1 << 24));
            if (sum == 0) word = 0;
            c.rowInfo[r] = (sum << 32) | r;
            c.rows[4 * r] = word;
            c.rows[4 * r + 1] = keptWeights & 0xffff;
            c.rows[4 * r + 2] = bonds;
            c.rows[4 * r + 3] = keptBonds & 0xffff;
            c.dividends[r] = (x >> 128) % ONE;
        }
    }

    /// @dev 0, 1 or a random I32F32 in (0, 1).
    function _fraction(uint256 seed, string memory salt) private pure returns (uint256) {
        uint256 x = uint256(keccak256(abi.encode(seed, salt)));
        if (x % 4 == 0) return 0;
        if (x % 4 == 1) return ONE;
        return 1 + ((x >> 8) % (ONE - 1));
    }

    /// @dev Sixteen u16, often 0 or 65535, and the largest of them.
    function _u16Word(uint256 seed, string memory salt) private pure returns (uint256 word, uint256 largest) {
        for (uint256 t = 0; t < 16; ++t) {
            uint256 x = uint256(keccak256(abi.encode(seed, salt, t)));
            uint256 value =
                x % 6 == 0
                    ? 0
                    : x % 6 == 1
                        ? 65535
                        : (x >> 8) % 65536;
            word |= value << (16 * t);
            if (value > largest) largest = value;
        }
    }

    function _copy(uint256[] memory a) private pure returns (uint256[] memory b) {
        b = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; ++i) b[i] = a[i];
    }
}
