// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BondsContext} from "./YumaBondsKernel.sol";

/// @title Yuma3Bonds
/// @notice The per-cell arithmetic of a Yuma3 Bonds unit of `YumaEpochRunner` (YUMA 2.8 - 2.9b): W~,
/// the bonds EMA (fixed alpha, or liquid alpha's sigmoid), the new bonds words and each row's
/// dividend term, from a chunk's stored words. Internal, so it runs in the runner's frame: the
/// arrays are not ABI-encoded for a call (original Yuma's arithmetic, rarer, stays in
/// `YumaBondsKernel`).
library Yuma3Bonds {
    uint256 private constant U32 = 0xffffffff;
    uint256 private constant CHUNK = 16;
    uint256 private constant ABSENT = type(uint256).max;
    /// @dev 2^20 + 2^80 + 2^140 + 2^200. Multiplying a word whose set bits are among 64m + g (m, g < 4)
    /// moves bit 64m + g to 200 + 4m + g through the term 2^(200 - 60m): bits 200 .. 215 of the product
    /// are then the bits 4m + g. Every other pair of a bit and a term lands at 20 + 64m + 60m' + g with
    /// m' != 3 - m, outside bits 200 .. 215, and no two pairs land on the same bit (64a + 60b =
    /// 4(16a + 15b) differs for every a, b < 4), so the product carries nothing.
    uint256 private constant GATHER = (1 << 20) | (1 << 80) | (1 << 140) | (1 << 200);

    /// @notice The 16-bit fields of a word that a 16-bit mask selects: field t is all ones where bit t
    /// of `mask` is set. Branch-free: the mask's bits are spread 16 apart in four halving steps (bits
    /// 8..15 to 128.., then 4 apart by 64, 2 by 32, 1 by 16), then each becomes 0xffff.
    /// @dev `_yuma3Ema` has its own Yul `laneBits` (inline assembly cannot call this).
    function laneBits(uint256 mask) internal pure returns (uint256 bits) {
        assembly ("memory-safe") {
            let x := and(mask, 0xffff)
            x := and(or(x, shl(120, x)), 0x000000000000000000000000000000ff000000000000000000000000000000ff)
            x := and(or(x, shl(60, x)), 0x000000000000000f000000000000000f000000000000000f000000000000000f)
            x := and(or(x, shl(30, x)), 0x0000000300000003000000030000000300000003000000030000000300000003)
            x := and(or(x, shl(15, x)), 0x0001000100010001000100010001000100010001000100010001000100010001)
            bits := mul(x, 0xffff)
        }
    }

    /// @notice One Yuma3 bonds unit on columns [t0, t1) of a chunk.
    /// @param b The unit's context (consensus and incentive of the chunk's columns, alpha, beta, ...).
    /// @param rowInfo The runner's row words: the row sum of row r is bits 32..63 of `rowInfo[r]`.
    /// @param rows Four words a row (see `YumaEpochRunner._bondRows`): weights word, kept weight
    /// lanes, bonds word, kept bond lanes.
    /// @param dividends The runner's dividend accumulators (`rowDividend`, low 128 bits): each row's
    /// `sum_j colnorm(B')_j * I_j` over the unit's columns is added to its word.
    /// @return newRows `rows` with each row's words 2 and 3 replaced by its new bonds word and lanes.
    function yuma3(
        BondsContext memory b,
        uint256[] memory rowInfo,
        uint256[] memory rows,
        uint256[] memory dividends
    ) internal pure returns (uint256[] memory newRows) {
        uint256[] memory emas = new uint256[](rowInfo.length * 4);
        uint256[] memory columnSum = new uint256[](CHUNK);
        if (b.liquid) _liquidEma(b, rowInfo, rows, emas, columnSum);
        else _bmaEma(b, rowInfo, rows, emas, columnSum, new uint256[](16));
        _yuma3Dividends(emas, columnSum, b.incentive, rows, dividends);
        return rows;
    }

    /// @dev B' of every row on columns [t0, t1), into `emas` (four words a row, column t in lane
    /// t / 4 of word t % 4, 64 bits a lane; 0 where absent), and its column sums, from the words of
    /// `rows` (see `_bondRows`), under liquid alpha (`_bmaEma` under a fixed alpha). W~
    /// (ABSENT where none): W for beta = 0, clip(W) for beta = 1, else
    /// W + floor(beta * (clip(W) - W)) (an absent clip is 0) kept when > 0; clip(W) is min(W, C),
    /// absent when C = 0 < W. `mat_ema_alpha_sparse` with `alpha_sigmoid`, as YumaEpoch.alphaSigmoid
    /// and emaAlphaSparse, bit for bit: only cells present in W~; d = W~ >= B ? clamp(W~ - C, 0, 1) :
    /// clamp(B - W~, 0, 1); alpha = clamp(low + floor(sigma * (high - low)), low, high) with
    /// sigma = 1 / (1 + exp_safe(floor(slope * (d - 1/2)))); B' = min(1, (1 - alpha) * B + alpha * W~).
    /// Every value is an I32F32 in [0, 1] and the slope's product is below 2^80: nothing saturates.
    function _liquidEma(
        BondsContext memory b,
        uint256[] memory rowInfo,
        uint256[] memory rows,
        uint256[] memory emas,
        uint256[] memory columnSum
    ) private pure {
        assembly ("memory-safe") {
            // FixedPoint.expSafe: x clamped to [-20, 20]; 1 + |x| + the terms i = 2..31, each
            // floor(term * |x| / 2^32) / i; 1 / that for x < 0 (truncating); exp(0) = 1, exp(1) = E.
            // A copy in Yul on purpose: inline assembly cannot call the library, and the cell written
            // in Solidity around the library's calls cost 4.9k gas against this one's 3.2k. The
            // liquid-alpha differential cases hold the two equal (the engine uses the library's).
            function expSafe(x) -> r {
                switch x
                case 0 {
                    r := 0x100000000
                }
                case 0x100000000 {
                    r := 11674931200 // FixedPoint.E
                }
                default {
                    let operand := x
                    if slt(x, 0) {
                        operand := sub(0, x)
                    }
                    if gt(operand, 0x1400000000) {
                        operand := 0x1400000000
                    }
                    r := add(operand, 0x100000000)
                    let term := operand
                    // Six terms a round (i, i + 1, ..., i + 5); a round stops the loop once its last
                    // term is 0, since every later term is then 0 too.
                    for {
                        let i := 2
                    } lt(i, 32) {
                        i := add(i, 6)
                    } {
                        term := div(shr(32, mul(term, operand)), i)
                        r := add(r, term)
                        term := div(shr(32, mul(term, operand)), add(i, 1))
                        r := add(r, term)
                        term := div(shr(32, mul(term, operand)), add(i, 2))
                        r := add(r, term)
                        term := div(shr(32, mul(term, operand)), add(i, 3))
                        r := add(r, term)
                        term := div(shr(32, mul(term, operand)), add(i, 4))
                        r := add(r, term)
                        term := div(shr(32, mul(term, operand)), add(i, 5))
                        r := add(r, term)
                        if iszero(term) {
                            break
                        }
                    }
                    if slt(x, 0) {
                        r := div(shl(64, 1), r)
                    }
                }
            }
            // BondsContext `ctx`: j0, m, t0, t1, beta, alpha, oneMinusAlpha, lastTempo, liquid, sigmoid
            // (low, high, slope), consensus, incentive: one word each. One liquid-alpha cell's B'
            // from W~ `wt` (present), B `bond` (0 when absent) and column `t`.
            function liquidCell(wt, bond, t, ctx) -> ema {
                let d := 0
                switch lt(wt, bond)
                case 0 {
                    let cv := mload(add(add(mload(add(ctx, 0x140)), 0x20), shl(5, t)))
                    if gt(wt, cv) {
                        d := sub(wt, cv)
                    }
                }
                default {
                    d := sub(bond, wt)
                }
                if gt(d, 0x100000000) {
                    d := 0x100000000
                }
                let s := mload(add(ctx, 0x120))
                let low := mload(s)
                let high := mload(add(s, 0x20))
                let e := expSafe(sar(32, mul(mload(add(s, 0x40)), sub(d, 0x80000000))))
                let a := add(low, sar(32, mul(div(shl(64, 1), add(0x100000000, e)), sub(high, low))))
                if sgt(a, high) {
                    a := high
                }
                if slt(a, low) {
                    a := low
                }
                ema := add(shr(32, mul(sub(0x100000000, a), bond)), shr(32, mul(a, wt)))
                if gt(ema, 0x100000000) {
                    ema := 0x100000000
                }
            }
            // W~ of the u16 `value` (present) of row sum `sum` at column t.
            function weightForBonds(value, sum, t, ctx) -> wt {
                if sum {
                    value := div(shl(32, value), sum)
                }
                let cv := mload(add(add(mload(add(ctx, 0x140)), 0x20), shl(5, t)))
                let clipped := value
                if lt(cv, value) {
                    clipped := cv
                    if iszero(cv) {
                        clipped := not(0)
                    }
                }
                let beta := mload(add(ctx, 0x80))
                switch beta
                case 0 {
                    wt := value
                }
                case 0x100000000 {
                    wt := clipped
                }
                default {
                    if eq(clipped, not(0)) {
                        clipped := 0
                    }
                    // clipped - value <= 0: `sar` floors the signed product, as substrate-fixed does.
                    wt := add(value, sar(32, mul(beta, sub(clipped, value))))
                    if iszero(sgt(wt, 0)) {
                        wt := not(0)
                    }
                }
            }
            // Row `row` (its four words of `rows`; `sum`, its row sum) under liquid alpha into `out`,
            // lane by lane from the lowest while a weight or a bond is left, with the column sums at
            // mload(0x00); the lanes where B' is present replace the row's kept bond lanes (word 3).
            // Only a cell with a W~ gets a B' (an absent W~ is not a W~ of 0 here).
            function liquidRow(row, sum, out, ctx) {
                let word := mload(row)
                let mask := mload(add(row, 0x20))
                let bondWord := mload(add(row, 0x40))
                let bondMask := mload(add(row, 0x60))
                let present := 0
                for {
                    let t := 0
                } or(mask, bondMask) {
                    t := add(t, 1)
                } {
                    let wt := not(0)
                    if and(mask, 1) {
                        wt := weightForBonds(and(word, 0xffff), sum, t, ctx)
                    }
                    let e := 0
                    if iszero(eq(wt, not(0))) {
                        let bond := 0
                        if and(bondMask, 1) {
                            bond := div(shl(32, and(bondWord, 0xffff)), 65535)
                        }
                        e := liquidCell(wt, bond, t, ctx)
                    }
                    if e {
                        // Column t is lane t / 4 of word t % 4 (see `bmaRow`); e is at most 2^32.
                        let lane := add(out, shl(5, and(t, 3)))
                        mstore(lane, or(mload(lane), shl(shl(6, shr(2, t)), e)))
                        let at := add(mload(0x00), shl(5, t))
                        mstore(at, add(mload(at), e))
                        present := or(present, shl(t, 1))
                    }
                    word := shr(16, word)
                    mask := shr(1, mask)
                    bondWord := shr(16, bondWord)
                    bondMask := shr(1, bondMask)
                }
                mstore(add(row, 0x60), present)
            }
            mstore(0x00, add(columnSum, 0x20))
            let info := add(rowInfo, 0x20)
            for {
                let r := 0
            } lt(r, mload(rowInfo)) {
                r := add(r, 1)
            } {
                liquidRow(
                    add(add(rows, 0x20), shl(7, r)),
                    and(shr(32, mload(add(info, shl(5, r)))), U32),
                    add(add(emas, 0x20), shl(7, r)),
                    b
                )
            }
        }
    }

    /// @dev `_liquidEma` under a fixed alpha (`mat_ema_sparse`: B' = alpha * W~ + (1 - alpha) * B, absent
    /// sides 0, kept when > 0), four columns to a word: column t is lane t / 4 (64 bits each) of word
    /// t % 4, so that the u16 fields g, g + 4, g + 8 and g + 12 of a stored word are one shift and
    /// mask away. A lane that is not kept reads as a weight and a bond of 0, which gives what leaving
    /// it out gives (B' = the other term, absent when both are 0), so every lane runs the same code.
    /// Per lane: B = floor(b * 2^32 / 65535) = b * 65537 + (b == 65535); W = w / sum (a row that sums
    /// to 0 has only weights of 0, and w / 0 is 0 in the EVM); W~ = min(W, C) + floor((1 - beta) *
    /// (W - min(W, C))), which is W where W <= C and else W + floor(beta * (C - W)); an absent W~
    /// (C = 0 < W) weighs as 0, as the min gives; B' = floor((1 - alpha) * B) + floor(alpha * W~), at
    /// most 2^32 (the two factors sum to 1). `k` (16 words of `lanes`): the consensus by lanes (words 0
    /// to 3), the column sums by lanes (4 to 7; a lane's sum is at most rows * 2^32), each factor
    /// (1 - alpha, alpha, 1 - beta) with its gate (8 to 13), 1 in every lane (14) and `GATHER` (15).
    /// @dev Written out for the four words of a row, with the factors' products branch-free: the loop
    /// over the words and a `switch` in each product cost about 40% more (a 64-row chunk: 295,895 gas
    /// before, 173,114 now, its outputs equal on random chunks of every kind).
    function _bmaEma(
        BondsContext memory b,
        uint256[] memory rowInfo,
        uint256[] memory rows,
        uint256[] memory emas,
        uint256[] memory columnSum,
        uint256[] memory lanes
    ) private pure {
        assembly ("memory-safe") {
            // The 16-bit lanes of a word that `mask` keeps (bit t: lane t); a copy of `laneBits` with
            // a shortcut for the usual full mask.
            function laneBits(mask) -> bits {
                switch mask
                case 0xffff {
                    bits := not(0)
                }
                default {
                    for {
                        let t := 0
                    } mask {
                        t := add(t, 16)
                        mask := shr(1, mask)
                    } {
                        if and(mask, 1) {
                            bits := or(bits, shl(t, 0xffff))
                        }
                    }
                }
            }
            // B' of one row's kept weights (`word`) and bonds (`bondWord`), row sum `sum`, into `out`
            // (four words), adding to the column sums; returns the columns where B' > 0. A factor's
            // product by lanes, floor(a * x / 2^32), is (a * x >> 32) & low32 | x & gate: below 2^32
            // no lane's product reaches 2^64; at 2^32 the shift gives x back and the mask drops a
            // lane's 2^32, which the gate (2^32 in every lane then, 0 otherwise) puts back. A word's
            // field g + 4m (bits 16g + 64m) is moved to bit 32 of lane m by one shift and a mask.
            function bmaRow(word, bondWord, sum, out, k) -> p {
                let ones := mload(add(k, 0x1c0))
                let high := shl(63, ones)
                let low32 := mul(ones, 0xffffffff)
                // Word g = 0: columns 0, 4, 8, 12.
                {
                    let y := and(bondWord, mul(ones, 0xffff))
                    y := add(mul(y, 65537), and(shr(16, add(y, ones)), ones))
                    let c := mload(k)
                    let w := or(
                        or(
                            div(and(shl(32, word), 0xffff00000000), sum),
                            shl(64, div(and(shr(32, word), 0xffff00000000), sum))
                        ),
                        or(
                            shl(128, div(and(shr(96, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(160, word), 0xffff00000000), sum))
                        )
                    )
                    let low := xor(c, and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff)))
                    w := sub(w, low)
                    low := add(low, or(and(shr(32, mul(mload(add(k, 0x180)), w)), low32), and(w, mload(add(k, 0x1a0)))))
                    y := add(
                        or(and(shr(32, mul(mload(add(k, 0x100)), y)), low32), and(y, mload(add(k, 0x120)))),
                        or(and(shr(32, mul(mload(add(k, 0x140)), low)), low32), and(low, mload(add(k, 0x160))))
                    )
                    mstore(out, y)
                    mstore(add(k, 0x80), add(mload(add(k, 0x80)), y))
                    p := or(p, shr(63, and(add(y, sub(high, ones)), high)))
                }
                // Word 1: columns 1, 5, 9, 13.
                {
                    let y := and(shr(16, bondWord), mul(ones, 0xffff))
                    y := add(mul(y, 65537), and(shr(16, add(y, ones)), ones))
                    let c := mload(add(k, 0x20))
                    let w := or(
                        or(
                            div(and(shl(16, word), 0xffff00000000), sum),
                            shl(64, div(and(shr(48, word), 0xffff00000000), sum))
                        ),
                        or(
                            shl(128, div(and(shr(112, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(176, word), 0xffff00000000), sum))
                        )
                    )
                    let low := xor(c, and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff)))
                    w := sub(w, low)
                    low := add(low, or(and(shr(32, mul(mload(add(k, 0x180)), w)), low32), and(w, mload(add(k, 0x1a0)))))
                    y := add(
                        or(and(shr(32, mul(mload(add(k, 0x100)), y)), low32), and(y, mload(add(k, 0x120)))),
                        or(and(shr(32, mul(mload(add(k, 0x140)), low)), low32), and(low, mload(add(k, 0x160))))
                    )
                    mstore(add(out, 0x20), y)
                    mstore(add(k, 0xa0), add(mload(add(k, 0xa0)), y))
                    p := or(p, shr(62, and(add(y, sub(high, ones)), high)))
                }
                // Word 2: columns 2, 6, 10, 14.
                {
                    let y := and(shr(32, bondWord), mul(ones, 0xffff))
                    y := add(mul(y, 65537), and(shr(16, add(y, ones)), ones))
                    let c := mload(add(k, 0x40))
                    let w := or(
                        or(div(and(word, 0xffff00000000), sum), shl(64, div(and(shr(64, word), 0xffff00000000), sum))),
                        or(
                            shl(128, div(and(shr(128, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(192, word), 0xffff00000000), sum))
                        )
                    )
                    let low := xor(c, and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff)))
                    w := sub(w, low)
                    low := add(low, or(and(shr(32, mul(mload(add(k, 0x180)), w)), low32), and(w, mload(add(k, 0x1a0)))))
                    y := add(
                        or(and(shr(32, mul(mload(add(k, 0x100)), y)), low32), and(y, mload(add(k, 0x120)))),
                        or(and(shr(32, mul(mload(add(k, 0x140)), low)), low32), and(low, mload(add(k, 0x160))))
                    )
                    mstore(add(out, 0x40), y)
                    mstore(add(k, 0xc0), add(mload(add(k, 0xc0)), y))
                    p := or(p, shr(61, and(add(y, sub(high, ones)), high)))
                }
                // Word 3: columns 3, 7, 11, 15.
                {
                    let y := and(shr(48, bondWord), mul(ones, 0xffff))
                    y := add(mul(y, 65537), and(shr(16, add(y, ones)), ones))
                    let c := mload(add(k, 0x60))
                    let w := or(
                        or(
                            div(and(shr(16, word), 0xffff00000000), sum),
                            shl(64, div(and(shr(80, word), 0xffff00000000), sum))
                        ),
                        or(
                            shl(128, div(and(shr(144, word), 0xffff00000000), sum)),
                            shl(192, div(and(shr(208, word), 0xffff00000000), sum))
                        )
                    )
                    let low := xor(c, and(xor(w, c), mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff)))
                    w := sub(w, low)
                    low := add(low, or(and(shr(32, mul(mload(add(k, 0x180)), w)), low32), and(w, mload(add(k, 0x1a0)))))
                    y := add(
                        or(and(shr(32, mul(mload(add(k, 0x100)), y)), low32), and(y, mload(add(k, 0x120)))),
                        or(and(shr(32, mul(mload(add(k, 0x140)), low)), low32), and(low, mload(add(k, 0x160))))
                    )
                    mstore(add(out, 0x60), y)
                    mstore(add(k, 0xe0), add(mload(add(k, 0xe0)), y))
                    p := or(p, shr(60, and(add(y, sub(high, ones)), high)))
                }
                // Lanes with B' > 0 (the top bit of B' + 2^63 - 1) are at bits 64m + g, gathered to
                // bit 4m + g (column 4m + g) by one product.
                p := and(shr(200, mul(p, mload(add(k, 0x1e0)))), 0xffff)
            }
            let k := add(lanes, 0x20)
            let consensus := add(mload(add(b, 0x140)), 0x20)
            for {
                let t := 0
            } lt(t, 16) {
                t := add(t, 1)
            } {
                let at := add(k, shl(5, and(t, 3)))
                mstore(at, or(mload(at), shl(shl(6, shr(2, t)), mload(add(consensus, shl(5, t))))))
            }
            let ones := 0x0000000000000001000000000000000100000000000000010000000000000001
            let a := mload(add(b, 0xc0)) // 1 - alpha
            mstore(add(k, 0x100), a)
            mstore(add(k, 0x120), mul(eq(a, 0x100000000), shl(32, ones)))
            a := mload(add(b, 0xa0)) // alpha
            mstore(add(k, 0x140), a)
            mstore(add(k, 0x160), mul(eq(a, 0x100000000), shl(32, ones)))
            a := sub(0x100000000, mload(add(b, 0x80))) // 1 - beta
            mstore(add(k, 0x180), a)
            mstore(add(k, 0x1a0), mul(eq(a, 0x100000000), shl(32, ones)))
            mstore(add(k, 0x1c0), ones)
            mstore(add(k, 0x1e0), GATHER)
            let info := add(rowInfo, 0x20)
            for {
                let r := 0
            } lt(r, mload(rowInfo)) {
                r := add(r, 1)
            } {
                let row := add(add(rows, 0x20), shl(7, r))
                // The lanes where B' is present replace the row's kept bond lanes (word 3).
                mstore(
                    add(row, 0x60),
                    bmaRow(
                        and(mload(row), laneBits(mload(add(row, 0x20)))),
                        and(mload(add(row, 0x40)), laneBits(mload(add(row, 0x60)))),
                        and(shr(32, mload(add(info, shl(5, r)))), U32),
                        add(add(emas, 0x20), shl(7, r)),
                        k
                    )
                )
            }
            let sums := add(columnSum, 0x20)
            for {
                let t := 0
            } lt(t, 16) {
                t := add(t, 1)
            } {
                let lane := and(shr(shl(6, shr(2, t)), mload(add(k, add(0x80, shl(5, and(t, 3)))))), 0xffffffffffffffff)
                mstore(add(sums, shl(5, t)), lane)
            }
        }
    }

    /// @dev Yuma3 per row: `sum_j colnorm(B')_j * I_j` (truncating division, floored products) added to
    /// its word of `dividends`, and the row's new bonds word on the lanes where B' is present (the u16 of B',
    /// `fixed_proportion_to_u16`) in place of its old one (word 2 of the row in `rows`).
    function _yuma3Dividends(
        uint256[] memory emas,
        uint256[] memory columnSum,
        uint256[] memory incentive,
        uint256[] memory rows,
        uint256[] memory dividends
    ) private pure {
        // 0xffff in every 64-bit lane; a local, so that the loop does not load the constant from code.
        uint256 fields = 0x000000000000ffff000000000000ffff000000000000ffff000000000000ffff;
        assembly ("memory-safe") {
            // sum over the lanes l of word `e` (columns 4l + g) of floor(floor(B' * 2^32 / S) * I / 2^32),
            // with S and I of lane 0 at `at` and `to`, four words apart a lane. Unrolled: a loop over
            // the lanes cost twice as much.
            function group(e, at, to) -> total {
                let m := 0xffffffffffffffff
                total := add(
                    add(
                        shr(32, mul(div(shl(32, and(e, m)), mload(at)), mload(to))),
                        shr(32, mul(div(shl(32, and(shr(64, e), m)), mload(add(at, 0x80))), mload(add(to, 0x80))))
                    ),
                    add(
                        shr(32, mul(div(shl(32, and(shr(128, e), m)), mload(add(at, 0x100))), mload(add(to, 0x100)))),
                        shr(32, mul(div(shl(32, shr(192, e)), mload(add(at, 0x180))), mload(add(to, 0x180))))
                    )
                )
            }
            let sums := add(columnSum, 0x20)
            let inc := add(incentive, 0x20)
            let ema := add(emas, 0x20)
            let row := add(rows, 0x60) // words 2 and 3 of the row
            let out := add(dividends, 0x20)
            for {
                let end := add(out, shl(5, mload(dividends)))
            } lt(out, end) {
                out := add(out, 0x20)
                ema := add(ema, 0x80)
                row := add(row, 0x80)
            } {
                // Every lane: one where B' is absent holds 0 in `emas` and adds nothing (0 / 0 is 0 in
                // the EVM), so none is tested. Column t is lane t / 4 of word t % 4 (see `bmaRow`).
                let e0 := mload(ema)
                let e1 := mload(add(ema, 0x20))
                let e2 := mload(add(ema, 0x40))
                let e3 := mload(add(ema, 0x60))
                mstore(
                    out,
                    add(
                        mload(out),
                        add(
                            add(group(e0, sums, inc), group(e1, add(sums, 0x20), add(inc, 0x20))),
                            add(group(e2, add(sums, 0x40), add(inc, 0x40)), group(e3, add(sums, 0x60), add(inc, 0x60)))
                        )
                    )
                )
                // The u16 of every lane at once: B' is at most 2^32, so floor(B' * 65535 / 2^32) is at
                // most 65535 and the product stays in its lane; lane m of word g is field 4m + g.
                mstore(
                    row,
                    or(
                        or(and(shr(32, mul(e0, 65535)), fields), shl(16, and(shr(32, mul(e1, 65535)), fields))),
                        or(shl(32, and(shr(32, mul(e2, 65535)), fields)), shl(48, and(shr(32, mul(e3, 65535)), fields)))
                    )
                )
            }
        }
    }
}
