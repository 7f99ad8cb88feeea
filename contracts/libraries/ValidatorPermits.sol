// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ValidatorPermits
/// @notice Validator permits as subtensor grants them: the `k` UIDs with the highest stake, among
/// those with non-zero stake. Ties go to the higher UID: subtensor's `is_topk_nonzero` sorts UIDs
/// by stake with a stable ascending sort and turns off the first `n - k`, so of equal stakes the
/// lower UIDs are turned off first.
/// @dev Selection keeps a min-heap of the best `k` seen so far: O(n log k) time and O(k) memory.
/// The result is a bitmap, bit `uid % 256` of word `uid / 256`.
library ValidatorPermits {
    /// @notice Permit bitmap for `stakes` (indexed by UID) and `k` permits.
    function topK(uint256[] memory stakes, uint256 k) internal pure returns (uint256[] memory bitmap) {
        uint256 n = stakes.length;
        bitmap = new uint256[]((n + 255) / 256);
        if (k == 0 || n == 0) return bitmap;
        if (k > n) k = n;
        // heap[i] = uid; the root is the worst of the kept: lowest stake, and among equal stakes
        // the highest UID (which loses the tie).
        uint256[] memory heap = new uint256[](k);
        uint256 size;
        for (uint256 uid = 0; uid < n; ++uid) {
            uint256 stake = stakes[uid];
            if (stake == 0) continue;
            if (size < k) {
                heap[size] = uid;
                _siftUp(heap, stakes, size);
                ++size;
            } else if (_better(stakes, uid, heap[0])) {
                heap[0] = uid;
                _siftDown(heap, stakes, size);
            }
        }
        for (uint256 i = 0; i < size; ++i) {
            uint256 uid = heap[i];
            bitmap[uid >> 8] |= uint256(1) << (uid & 0xff);
        }
    }

    /// @notice Whether `uid` holds a permit in `bitmap`.
    function has(uint256[] memory bitmap, uint256 uid) internal pure returns (bool) {
        uint256 word = uid >> 8;
        return word < bitmap.length && (bitmap[word] >> (uid & 0xff)) & 1 == 1;
    }

    /// @dev `a` ranks above `b`: more stake, or equal stake and a higher UID.
    function _better(uint256[] memory stakes, uint256 a, uint256 b) private pure returns (bool) {
        return stakes[a] > stakes[b] || (stakes[a] == stakes[b] && a > b);
    }

    function _siftUp(uint256[] memory heap, uint256[] memory stakes, uint256 i) private pure {
        while (i > 0) {
            uint256 parent = (i - 1) / 2;
            if (!_better(stakes, heap[parent], heap[i])) break;
            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    function _siftDown(uint256[] memory heap, uint256[] memory stakes, uint256 size) private pure {
        uint256 i = 0;
        while (true) {
            uint256 left = 2 * i + 1;
            if (left >= size) break;
            uint256 worst = left;
            uint256 right = left + 1;
            if (right < size && _better(stakes, heap[left], heap[right])) worst = right;
            if (!_better(stakes, heap[i], heap[worst])) break;
            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }
}
