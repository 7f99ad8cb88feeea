// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ValidatorPermits} from "../../../../contracts/libraries/ValidatorPermits.sol";

/// @notice `ValidatorPermits.topK` (a heap, O(n log k)) against the plain O(n x k) selection:
/// k rounds, each taking the best remaining UID with non-zero stake (most stake, then highest UID,
/// as subtensor's stable ascending sort turns the lower of equal stakes off first).
contract ValidatorPermitsTest is Test {
    using ValidatorPermits for uint256[];

    function test_topK_picksHighestStakesTiesToHigherUid() public pure {
        uint256[] memory stakes = _stakes([uint256(5), 9, 0, 5, 5, 1]);
        assertEq(stakes.topK(3)[0], _bits(1, 3, 4));
        assertEq(stakes.topK(1)[0], _bit(1));
        assertEq(stakes.topK(0)[0], 0);
        assertEq(stakes.topK(6)[0], _bits(0, 1, 3) | _bit(4) | _bit(5), "never the zero stake");
        assertEq(stakes.topK(100)[0], _bits(0, 1, 3) | _bit(4) | _bit(5), "k above n");
    }

    function test_topK_ofNothingIsEmpty() public pure {
        assertEq(new uint256[](0).topK(5).length, 0);
        uint256[] memory zeros = new uint256[](3);
        uint256[] memory bitmap = zeros.topK(3);
        assertEq(bitmap.length, 1);
        assertEq(bitmap[0], 0);
    }

    function test_topK_spansWords() public pure {
        uint256[] memory stakes = new uint256[](513);
        stakes[0] = 1;
        stakes[255] = 3;
        stakes[256] = 3;
        stakes[512] = 2;
        uint256[] memory bitmap = stakes.topK(3);
        assertEq(bitmap.length, 3);
        assertEq(bitmap[0], _bit(255));
        assertEq(bitmap[1], _bit(0));
        assertEq(bitmap[2], _bit(0));
        assertTrue(bitmap.has(255));
        assertTrue(bitmap.has(256));
        assertTrue(bitmap.has(512));
        assertFalse(bitmap.has(0));
        assertFalse(bitmap.has(513), "past the bitmap");
        assertFalse(bitmap.has(100_000));
    }

    /// @dev Small subnets with many ties and zeros: stakes drawn from 0..7.
    function testFuzz_topK_matchesReferenceSelection(uint256 seed, uint256 n, uint256 k) public pure {
        n = bound(n, 0, 48);
        k = bound(k, 0, n + 4);
        uint256[] memory stakes = _randomStakes(seed, n, 8);
        assertEq(stakes.topK(k), _reference(stakes, k));
    }

    /// forge-config: default.fuzz.runs = 48
    function testFuzz_topK_matchesReferenceAcrossWords(uint256 seed, uint256 n, uint256 k, uint256 range) public pure {
        n = bound(n, 250, 300);
        k = bound(k, 1, 24);
        range = bound(range, 2, type(uint128).max);
        uint256[] memory stakes = _randomStakes(seed, n, range);
        assertEq(stakes.topK(k), _reference(stakes, k));
    }

    function testFuzz_topK_grantsMinOfKAndNonZeroCount(uint256 seed, uint256 n, uint256 k) public pure {
        n = bound(n, 0, 64);
        k = bound(k, 0, 80);
        uint256[] memory stakes = _randomStakes(seed, n, 3);
        uint256[] memory bitmap = stakes.topK(k);
        uint256 nonZero;
        uint256 granted;
        for (uint256 uid = 0; uid < n; ++uid) {
            if (stakes[uid] != 0) ++nonZero;
            if (bitmap.has(uid)) {
                ++granted;
                assertGt(stakes[uid], 0, "a zero stake holds a permit");
            }
        }
        assertEq(granted, k < nonZero ? k : nonZero);
    }

    // ---- reference ----

    function _reference(uint256[] memory stakes, uint256 k) internal pure returns (uint256[] memory bitmap) {
        uint256 n = stakes.length;
        bitmap = new uint256[]((n + 255) / 256);
        bool[] memory taken = new bool[](n);
        for (uint256 round = 0; round < k; ++round) {
            bool found;
            uint256 best;
            for (uint256 uid = 0; uid < n; ++uid) {
                if (taken[uid] || stakes[uid] == 0) continue;
                // More stake wins; of equal stakes the later (higher) UID.
                if (!found || stakes[uid] >= stakes[best]) (found, best) = (true, uid);
            }
            if (!found) break;
            taken[best] = true;
            bitmap[best / 256] |= 1 << (best % 256);
        }
    }

    function _randomStakes(uint256 seed, uint256 n, uint256 range) internal pure returns (uint256[] memory stakes) {
        stakes = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            stakes[i] = uint256(keccak256(abi.encode(seed, i))) % range;
        }
    }

    function _stakes(uint256[6] memory values) internal pure returns (uint256[] memory stakes) {
        stakes = new uint256[](6);
        for (uint256 i = 0; i < 6; ++i) {
            stakes[i] = values[i];
        }
    }

    function _bit(uint256 i) internal pure returns (uint256) {
        return 1 << i;
    }

    function _bits(uint256 a, uint256 b, uint256 c) internal pure returns (uint256) {
        return (1 << a) | (1 << b) | (1 << c);
    }
}
