// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Weights} from "../../../contracts/weights/Weights.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {IWeightsTypes, IWeightsErrors} from "../../../contracts/interfaces/IWeights.sol";
import {RegistryTest} from "../registry/RegistryTest.sol";
import {WeightRowsMirror} from "../settlement/WeightRowsMirror.sol";

/// @title WeightsTest
/// @notice Base of the Weights tests: the system of `RegistryTest` (AccessManager, TAO, Staking,
/// Slashing, SubnetRegistry, NeuronRegistry) plus `Weights` on its real registries and staking, wired
/// as `deploy/modules/Taonet.ts` wires it: `advanceEpoch` and `setSettling` mapped to SETTLEMENT (held
/// by the `settlement` actor, standing in for YumaSettlement), and Weights registered in Slashing as
/// the missed-reveal fault route.
/// @dev One subnet of `N` registered UIDs (hotkey `hotkeys[u]` holds UID `u`), all bound to `alice`.
/// UIDs below `VALIDATORS` are staked and hold validator permits. Commit-reveal is off and the rate
/// limit is 0 unless a test changes them; the other hyperparameters are the registry's defaults.
/// Logs are recorded from the start, so that `_storedRow` can read any row from its `WeightsSet` log
/// (the contract keeps only the row's hashes) and check it against the stored hashes.
abstract contract WeightsTest is RegistryTest, WeightRowsMirror {
    uint256 internal constant N = 40;
    uint256 internal constant VALIDATORS = 4;
    uint256 internal constant VALIDATOR_STAKE = 10e18;
    uint64 internal constant MISSED_REVEAL_PENALTY_WAD = 0.005e18;
    uint64 internal constant MISSED_REVEAL_TIP_WAD = 0.25e18;
    bytes32 internal constant SALT = keccak256("salt");

    Weights internal weights;
    uint256 internal netuid;
    address[] internal hotkeys;

    function setUp() public virtual override {
        super.setUp();
        weights = new Weights(address(manager), address(subnets), address(neurons), address(staking));
        vm.label(address(weights), "Weights");
        vm.startPrank(governance);
        manager.setTargetFunctionRole(
            address(weights),
            _selectors(Weights.advanceEpoch.selector, Weights.setSettling.selector),
            Roles.SETTLEMENT
        );
        slashing.setFaultRoute(address(weights), true, MISSED_REVEAL_PENALTY_WAD, MISSED_REVEAL_TIP_WAD);
        vm.stopPrank();

        netuid = _createSubnet(subnetOwner);
        _openRegistrations(netuid);
        hotkeys = _registerMany(netuid, alice, N);
        for (uint256 u = 0; u < VALIDATORS; ++u) {
            _stake(alice, hotkeys[u], VALIDATOR_STAKE);
        }
        _grantPermits(netuid, VALIDATORS);
        _setHyperparameter(netuid, Hyperparameter.CommitRevealEnabled, 0);
        _setHyperparameter(netuid, Hyperparameter.WeightsRateLimit, 0);
        _watchWeights();
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /// @dev Permits for UIDs `0 .. count - 1` of `netuid_`, as the settlement hands them out.
    function _grantPermits(uint256 netuid_, uint256 count) internal {
        uint256 n = neurons.neuronCount(netuid_);
        uint256[] memory bitmap = new uint256[]((n + 255) / 256);
        for (uint256 u = 0; u < count; ++u) {
            bitmap[u >> 8] |= 1 << (u & 0xff);
        }
        vm.prank(settlement);
        neurons.setValidatorPermits(netuid_, bitmap);
    }

    /// @dev Closes `netuid_`'s epoch now, as the settlement does.
    function _advanceEpoch(uint256 netuid_) internal {
        vm.prank(settlement);
        weights.advanceEpoch(netuid_);
    }

    function _enableCommitReveal() internal {
        _setHyperparameter(netuid, Hyperparameter.CommitRevealEnabled, 1);
    }

    /// @dev `abi.encodePacked(uint16 uid, uint16 value)` per entry: the packed entry points' format,
    /// built here independently of the contract.
    function _pack(uint16[] memory uids, uint16[] memory values) internal pure returns (bytes memory entries) {
        require(uids.length == values.length, "test: lengths");
        for (uint256 i = 0; i < uids.length; ++i) {
            entries = bytes.concat(entries, abi.encodePacked(uids[i], values[i]));
        }
    }

    /// @dev Submits directly through the array (`packed` false) or the packed entry point.
    function _set(
        bool packed,
        address hotkey,
        uint16[] memory uids,
        uint16[] memory values,
        uint64 versionKey
    ) internal {
        vm.prank(hotkey);
        if (packed) weights.setWeightsPacked(netuid, _pack(uids, values), versionKey);
        else weights.setWeights(netuid, uids, values, versionKey);
    }

    /// @dev Reveals through the array or the packed entry point.
    function _reveal(
        bool packed,
        address hotkey,
        uint16[] memory uids,
        uint16[] memory values,
        bytes32 salt,
        uint64 versionKey
    ) internal {
        vm.prank(hotkey);
        if (packed) weights.revealWeightsPacked(netuid, _pack(uids, values), salt, versionKey);
        else weights.revealWeights(netuid, uids, values, salt, versionKey);
    }

    /// @dev The commit hash of DESIGN.md, computed here from its definition.
    function _hashOf(
        uint256 netuid_,
        address hotkey,
        uint16[] memory uids,
        uint16[] memory values,
        bytes32 salt,
        uint64 versionKey
    ) internal view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(weights), netuid_, hotkey, uids, values, salt, versionKey));
    }

    /// @dev Commits `hotkey`'s weights; returns the hash and the epoch it belongs to.
    function _commit(
        address hotkey,
        uint16[] memory uids,
        uint16[] memory values,
        bytes32 salt
    ) internal returns (bytes32 commitHash, uint64 epoch) {
        commitHash = _hashOf(netuid, hotkey, uids, values, salt, 0);
        epoch = weights.currentEpoch(netuid);
        vm.prank(hotkey);
        weights.commitWeights(netuid, commitHash);
    }

    function _err(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }

    function _u16s(uint16 a) internal pure returns (uint16[] memory list) {
        list = new uint16[](1);
        list[0] = a;
    }

    function _u16s(uint16 a, uint16 b) internal pure returns (uint16[] memory list) {
        list = new uint16[](2);
        (list[0], list[1]) = (a, b);
    }

    function _u16s(uint16 a, uint16 b, uint16 c) internal pure returns (uint16[] memory list) {
        list = new uint16[](3);
        (list[0], list[1], list[2]) = (a, b, c);
    }

    /// @dev UIDs `0 .. count - 1` in order (a validator weighting every UID).
    function _allUids(uint256 count) internal pure returns (uint16[] memory uids) {
        uids = new uint16[](count);
        for (uint256 i = 0; i < count; ++i) {
            uids[i] = uint16(i);
        }
    }

    /// @dev `values.length` values, each 1 + i.
    function _ramp(uint256 count) internal pure returns (uint16[] memory values) {
        values = new uint16[](count);
        for (uint256 i = 0; i < count; ++i) {
            values[i] = uint16(i + 1);
        }
    }

    /// @dev subtensor's `vec_u16_max_upscale_to_u16` value by value, from YUMA.md section 4 point 12,
    /// in I32F32 (32 fractional bits; floor products, truncating quotients, round half away from zero).
    function _upscaleReference(uint16[] memory values) internal pure returns (uint16[] memory out) {
        out = new uint16[](values.length);
        uint256 max;
        for (uint256 i = 0; i < values.length; ++i) {
            if (values[i] > max) max = values[i];
        }
        if (max == 0) return out;
        for (uint256 i = 0; i < values.length; ++i) {
            uint256 v = uint256(values[i]) << 32;
            uint256 scaled;
            if (max > 32_768) {
                uint256 ratio = (uint256(65_535) << 64) / (max << 32); // I32F32 65535 / max
                scaled = (v * ratio) >> 32;
            } else {
                uint256 product = (v * (uint256(65_535) << 32)) >> 32; // I32F32 v * 65535
                scaled = (product << 32) / (max << 32); // I32F32 division
            }
            uint256 rounded = (scaled + (1 << 31)) >> 32;
            out[i] = rounded > 65_535 ? 65_535 : uint16(rounded);
        }
    }

    /// @dev The row `uids`/`values` should leave: length n, max-upscaled values by column.
    function _expectedRow(
        uint16[] memory uids,
        uint16[] memory values,
        uint256 n
    ) internal pure returns (uint16[] memory byColumn, bool[] memory present) {
        uint16[] memory stored = _upscaleReference(values);
        byColumn = new uint16[](n);
        present = new bool[](n);
        for (uint256 i = 0; i < uids.length; ++i) {
            byColumn[uids[i]] = stored[i];
            present[uids[i]] = true;
        }
    }

    function _assertRow(address hotkey, uint16[] memory uids, uint16[] memory values) internal {
        (bool registered, uint256 uid) = neurons.uidOf(netuid, hotkey);
        assertTrue(registered, "registered");
        uint256 n = neurons.neuronCount(netuid);
        (uint16[] memory expected, bool[] memory expectedPresent) = _expectedRow(uids, values, n);
        (uint16[] memory stored, bool[] memory present, uint64 writtenAt) = _storedRow(netuid, uid);
        assertEq(stored.length, n, "row length");
        assertEq(writtenAt, block.number, "written at");
        for (uint256 c = 0; c < n; ++c) {
            assertEq(stored[c], expected[c], "stored value");
            assertEq(present[c], expectedPresent[c], "presence");
        }
    }

    /// @dev The row of `uid` in `netuid_` as its `WeightsSet` log gives it, checked against the stored
    /// hashes (`WeightRowsMirror._loggedRow`): packed words, write block and length.
    function _packedRow(
        uint256 netuid_,
        uint256 uid
    ) internal returns (uint256[] memory words, uint256[] memory presence, uint64 writtenAt, uint32 length) {
        _syncWeightRows(address(weights));
        uint256 meta;
        (words, presence, meta) = _loggedRow(weights, netuid_, uid);
        return (words, presence, uint64(meta), uint32(meta >> 64));
    }

    /// @dev `_packedRow` as u16 values by column and which columns the row lists.
    function _storedRow(
        uint256 netuid_,
        uint256 uid
    ) internal returns (uint16[] memory values, bool[] memory present, uint64 writtenAt) {
        (uint256[] memory words, uint256[] memory presence, uint64 at, uint32 length) = _packedRow(netuid_, uid);
        values = new uint16[](length);
        present = new bool[](length);
        for (uint256 c = 0; c < length; ++c) {
            values[c] = uint16(words[c >> 4] >> ((c & 15) * 16));
            present[c] = (presence[c >> 8] >> (c & 0xff)) & 1 == 1;
        }
        writtenAt = at;
    }

    /// @dev The UID-and-hotkey pair of a validator, a non-validator, for readability.
    function _validator(uint256 i) internal view returns (address) {
        return hotkeys[i];
    }
}
