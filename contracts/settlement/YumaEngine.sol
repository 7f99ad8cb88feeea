// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {YumaEpoch} from "../libraries/YumaEpoch.sol";

/// @title YumaEngine
/// @notice The Yuma epoch (`YumaEpoch.run`) as a stateless contract, so that the settlement, which
/// holds the storage and pays, stays under the 24,576-byte code limit. Pure: it reads nothing and
/// holds no role.
/// @dev `runPacked` takes and returns weights and bonds rows as stored (16 u16 per word plus presence
/// bitmaps), so only packed words cross the call: the k x n int256 matrices live in this contract's
/// memory alone, once.
contract YumaEngine {
    /// @notice Rows as stored: `words[r]` holds columns `16w..16w+15` of row `r` (u16 each, column
    /// `16w` in the low bits), `presence[r]` bit `c` of word `p` marks column `256p + c`. A row
    /// whose `lengths[r]` is 0 is empty; columns at or past `lengths[r]` are absent.
    struct PackedRows {
        uint256[][] words;
        uint256[][] presence;
        uint256[] lengths;
    }

    /// @notice `YumaEpoch.Input` with packed rows.
    struct PackedInput {
        uint256 n;
        uint256[] stake;
        uint256[] lastUpdate;
        uint256[] blockAtRegistration;
        uint256[] commitBlock;
        bool[] permit;
        uint256[] rowUids;
        PackedRows weights;
        PackedRows bonds;
    }

    /// @notice `YumaEpoch.Output` with the new bonds packed (length `n` for every row; a row whose
    /// uid holds no new permit is all absent).
    struct PackedOutput {
        uint16[] consensus;
        uint16[] incentive;
        uint16[] dividends;
        uint16[] validatorTrust;
        bool[] newPermit;
        uint256[][] newBondWords;
        uint256[][] newBondPresence;
        uint256[] minerEmission;
        uint256[] validatorEmission;
        uint256[] combinedEmission;
    }

    /// @notice One Yuma consensus epoch (`YumaEpoch.run`) on packed rows.
    function runPacked(
        YumaEpoch.Params calldata p,
        PackedInput calldata packed
    ) external pure returns (PackedOutput memory out) {
        uint256 n = packed.n;
        YumaEpoch.Input memory input;
        input.n = n;
        input.stake = packed.stake;
        input.lastUpdate = packed.lastUpdate;
        input.blockAtRegistration = packed.blockAtRegistration;
        input.commitBlock = packed.commitBlock;
        input.permit = packed.permit;
        input.rowUids = packed.rowUids;
        input.weights = _unpack(packed.weights, n);
        input.bonds = _unpack(packed.bonds, n);
        YumaEpoch.Output memory result = YumaEpoch.run(p, input);

        out.consensus = result.consensus;
        out.incentive = result.incentive;
        out.dividends = result.dividends;
        out.validatorTrust = result.validatorTrust;
        out.newPermit = result.newPermit;
        out.minerEmission = result.minerEmission;
        out.validatorEmission = result.validatorEmission;
        out.combinedEmission = result.combinedEmission;
        (out.newBondWords, out.newBondPresence) = _pack(result.newBonds, n);
    }

    /// @dev Dense rows of `n` columns: the u16 value where present, -1 (`YumaEpoch.ABSENT`) elsewhere.
    function _unpack(PackedRows calldata rows, uint256 n) private pure returns (int256[][] memory dense) {
        uint256 k = rows.lengths.length;
        dense = new int256[][](k);
        for (uint256 r = 0; r < k; ++r) {
            int256[] memory row = new int256[](n);
            uint256 length = rows.lengths[r];
            uint256[] calldata words = rows.words[r];
            uint256[] calldata presence = rows.presence[r];
            for (uint256 c = 0; c < n; ++c) {
                if (c < length && (presence[c >> 8] >> (c & 0xff)) & 1 == 1) {
                    row[c] = int256(uint256(uint16(words[c >> 4] >> ((c & 15) * 16))));
                } else {
                    row[c] = -1;
                }
            }
            dense[r] = row;
        }
    }

    /// @dev The inverse of `_unpack` for rows of `n` columns (negative entries absent).
    function _pack(
        int256[][] memory dense,
        uint256 n
    ) private pure returns (uint256[][] memory words, uint256[][] memory presence) {
        uint256 k = dense.length;
        words = new uint256[][](k);
        presence = new uint256[][](k);
        for (uint256 r = 0; r < k; ++r) {
            int256[] memory row = dense[r];
            uint256[] memory w = new uint256[]((n + 15) / 16);
            uint256[] memory p = new uint256[]((n + 255) / 256);
            for (uint256 c = 0; c < n; ++c) {
                int256 value = row[c];
                if (value < 0) continue;
                w[c >> 4] |= uint256(value) << ((c & 15) * 16);
                p[c >> 8] |= uint256(1) << (c & 0xff);
            }
            words[r] = w;
            presence[r] = p;
        }
    }
}
