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
        _yuma3Ema(b, rowInfo, rows, emas, columnSum, new uint256[](12));
        _yuma3Dividends(emas, columnSum, b.incentive, rows, dividends);
        return rows;
    }

    /// @dev B' of every row on columns [t0, t1), into `emas` (four words a row, column t in lane
    /// t / 4 of word t % 4, 64 bits a lane; 0 where absent), and its column sums, from the words of
    /// `rows` (see `_bondRows`); `lanes` is 12 words of scratch for the bma pass (see `bmaRow`). W~
    /// (ABSENT where none): W for beta = 0, clip(W) for beta = 1, else
    /// W + floor(beta * (clip(W) - W)) (an absent clip is 0) kept when > 0; clip(W) is min(W, C),
    /// absent when C = 0 < W.
    /// - bma alpha (`mat_ema_sparse`): B' = alpha * W~ + (1 - alpha) * B, absent sides 0, kept when > 0.
    /// - liquid alpha (`mat_ema_alpha_sparse` with `alpha_sigmoid`, as YumaEpoch.alphaSigmoid and
    ///   emaAlphaSparse, bit for bit): only cells present in W~; d = W~ >= B ? clamp(W~ - C, 0, 1) :
    ///   clamp(B - W~, 0, 1); alpha = clamp(low + floor(sigma * (high - low)), low, high) with
    ///   sigma = 1 / (1 + exp_safe(floor(slope * (d - 1/2)))); B' = min(1, (1 - alpha) * B + alpha * W~).
    ///   Every value is an I32F32 in [0, 1] and the slope's product is below 2^80: nothing saturates.
    function _yuma3Ema(
        BondsContext memory b,
        uint256[] memory rowInfo,
        uint256[] memory rows,
        uint256[] memory emas,
        uint256[] memory columnSum,
        uint256[] memory lanes
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
            // The 16-bit lanes of a word that `mask` keeps (bit t: lane t).
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
            // floor(a * x / 2^32) on each 64-bit lane of x, for a (a unit's alpha, 1 - alpha or
            // 1 - beta) at most 2^32 and lanes at most 2^32: below 2^32 no lane's product reaches 2^64,
            // and at 2^32 the floored product is x itself.
            function scaled(a, x, low32) -> p {
                switch lt(a, 0x100000000)
                case 1 {
                    p := and(shr(32, mul(a, x)), low32)
                }
                default {
                    p := x
                }
            }
            // B' on four columns at once (see `bmaRow`): `x` and `y` hold the weights' and the bonds'
            // u16 of the group's columns at bits 0, 64, 128 and 192, `c` their consensus, `k` the
            // unit's words (`lanes`). B = floor(b * 2^32 / 65535) = b * 65537 + (b == 65535); W = w /
            // sum; W~ = min(W, C) + floor((1 - beta) * (W - min(W, C))), which is W where W <= C and
            // else W - ceil(beta * (W - C)) = W + floor(beta * (C - W)); B' = floor((1 - alpha) * B) +
            // floor(alpha * W~), at most 2^32 (the two factors sum to 1).
            function bmaGroup(x, y, sum, c, k) -> ema {
                let ones := mload(add(k, 0x160))
                let low32 := mul(ones, 0xffffffff)
                y := and(y, mul(ones, 0xffff))
                ema := scaled(mload(add(k, 0x100)), add(mul(y, 65537), and(shr(16, add(y, ones)), ones)), low32)
                let w := or(
                    or(div(shl(32, and(x, 0xffff)), sum), shl(64, div(shl(32, and(shr(64, x), 0xffff)), sum))),
                    or(
                        shl(128, div(shl(32, and(shr(128, x), 0xffff)), sum)),
                        shl(192, div(shl(32, and(shr(192, x), 0xffff)), sum))
                    )
                )
                let high := shl(63, ones)
                // Lanes where C >= W: the top bit of (C | 2^63) - W (no borrow crosses lanes).
                let keep := mul(shr(63, and(sub(or(c, high), w), high)), 0xffffffffffffffff)
                let low := or(and(w, keep), and(c, not(keep)))
                ema := add(
                    ema,
                    scaled(mload(add(k, 0x120)), add(low, scaled(mload(add(k, 0x140)), sub(w, low), low32)), low32)
                )
            }
            // `liquidRow` under the bma alpha (liquid alpha off), four columns to a word: column t is
            // lane t / 4 (64 bits each) of word t % 4, so that a group's u16 fields of a stored word
            // are one shift and mask away. A lane that is not kept reads as a weight and a bond of 0,
            // which gives what leaving it out gives (B' = the other term, absent when both are 0), so
            // every lane runs the same code. An absent W~ (C = 0 < W) weighs as 0 here, as the min
            // gives; a row that sums to 0 has only weights of 0 (w / 0 is 0 in the EVM, as w is). The
            // column sums gather in lanes (`k` words 4 to 7; a lane's sum is at most k * 2^32).
            function bmaRow(row, sum, out, k) {
                let word := and(mload(row), laneBits(mload(add(row, 0x20))))
                let bondWord := and(mload(add(row, 0x40)), laneBits(mload(add(row, 0x60))))
                let high := shl(63, mload(add(k, 0x160)))
                let present := 0
                for {
                    let g := 0
                } lt(g, 4) {
                    g := add(g, 1)
                } {
                    let s := shl(4, g)
                    let ema := bmaGroup(shr(s, word), shr(s, bondWord), sum, mload(add(k, shl(5, g))), k)
                    mstore(add(out, shl(5, g)), ema)
                    let at := add(k, add(0x80, shl(5, g)))
                    mstore(at, add(mload(at), ema))
                    // Lanes with B' > 0 (the top bit of B' + 2^63 - 1), to bits 4m + g.
                    let p := shr(63, and(add(ema, sub(high, mload(add(k, 0x160)))), high))
                    p := or(or(and(p, 1), and(shr(60, p), 0x10)), or(and(shr(120, p), 0x100), and(shr(180, p), 0x1000)))
                    present := or(present, shl(g, p))
                }
                mstore(add(row, 0x60), present)
            }
            mstore(0x00, add(columnSum, 0x20))
            mstore(0x20, add(mload(add(b, 0x140)), 0x20)) // the chunk's consensus
            let liquid := mload(add(b, 0x100))
            // The bma pass's words: the consensus by lanes (column t in lane t / 4 of word t % 4), the
            // column sums by lanes, 1 - alpha, alpha, 1 - beta, and 1 in every lane.
            let k := add(lanes, 0x20)
            if iszero(liquid) {
                let consensus := mload(0x20)
                for {
                    let t := 0
                } lt(t, 16) {
                    t := add(t, 1)
                } {
                    let at := add(k, shl(5, and(t, 3)))
                    mstore(at, or(mload(at), shl(shl(6, shr(2, t)), mload(add(consensus, shl(5, t))))))
                }
                mstore(add(k, 0x100), mload(add(b, 0xc0)))
                mstore(add(k, 0x120), mload(add(b, 0xa0)))
                mstore(add(k, 0x140), sub(0x100000000, mload(add(b, 0x80))))
                mstore(add(k, 0x160), 0x0000000000000001000000000000000100000000000000010000000000000001)
            }
            let info := add(rowInfo, 0x20)
            for {
                let r := 0
            } lt(r, mload(rowInfo)) {
                r := add(r, 1)
            } {
                let row := add(add(rows, 0x20), shl(7, r))
                let sum := and(shr(32, mload(add(info, shl(5, r)))), U32)
                let out := add(add(emas, 0x20), shl(7, r))
                switch liquid
                case 0 {
                    bmaRow(row, sum, out, k)
                }
                default {
                    liquidRow(row, sum, out, b)
                }
            }
            if iszero(liquid) {
                let sums := mload(0x00)
                for {
                    let t := 0
                } lt(t, 16) {
                    t := add(t, 1)
                } {
                    let lane := and(
                        shr(shl(6, shr(2, t)), mload(add(k, add(0x80, shl(5, and(t, 3)))))),
                        0xffffffffffffffff
                    )
                    mstore(add(sums, shl(5, t)), lane)
                }
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
            let sums := add(columnSum, 0x20)
            let inc := add(incentive, 0x20)
            for {
                let r := 0
            } lt(r, mload(dividends)) {
                r := add(r, 1)
            } {
                let ema := add(add(emas, 0x20), shl(7, r))
                let row := add(add(rows, 0x60), shl(7, r)) // words 2 and 3 of the row
                let total := 0
                let word := 0
                // Every lane: one where B' is absent holds 0 in `emas` and adds nothing (0 / 0 is 0 in
                // the EVM), so none is tested. Column t is lane t / 4 of word t % 4 (see `bmaRow`).
                for {
                    let g := 0
                } lt(g, 4) {
                    g := add(g, 1)
                } {
                    let e := mload(add(ema, shl(5, g)))
                    // The u16 of every lane at once: B' is at most 2^32, so floor(B' * 65535 / 2^32) is
                    // at most 65535 and the product stays in its lane; lane m is field 4m + g.
                    word := or(word, shl(shl(4, g), and(shr(32, mul(e, 65535)), fields)))
                    let at := add(sums, shl(5, g))
                    let to := add(inc, shl(5, g))
                    for {
                        let s := 0
                    } lt(s, 256) {
                        s := add(s, 64)
                    } {
                        let lane := and(shr(s, e), 0xffffffffffffffff)
                        total := add(total, shr(32, mul(div(shl(32, lane), mload(at)), mload(to))))
                        at := add(at, 0x80)
                        to := add(to, 0x80)
                    }
                }
                let at := add(add(dividends, 0x20), shl(5, r))
                mstore(at, add(mload(at), total))
                mstore(row, word)
            }
        }
    }
}
