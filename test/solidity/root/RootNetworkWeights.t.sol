// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRootNetworkErrors, IRootNetworkEvents} from "../../../contracts/interfaces/IRootNetwork.sol";
import {RootTest} from "./RootTest.sol";

/// @notice `setRootWeights`: subtensor's submission rules as they apply to the root, with the
/// offending values in the errors.
contract RootNetworkWeightsTest is RootTest, IRootNetworkEvents {
    uint256[] internal netuids;
    address internal hotkey;

    function setUp() public override {
        super.setUp();
        netuids = _createSubnets(3);
        hotkey = _member(10e18);
    }

    function test_setRootWeights_storesMaxUpscaled() public {
        uint256[] memory listed = _pair(netuids[2], netuids[0]);
        uint16[] memory stored = _pair16(65535, 32768);
        vm.expectEmit(address(root));
        emit RootWeightsSet(hotkey, listed, stored, uint64(block.number));
        _setRootWeights(hotkey, listed, _pair16(43690, 21845));
        (uint256[] memory got, uint16[] memory values) = root.rootWeightsOf(hotkey);
        assertEq(got, listed);
        assertEq(values[0], 65535);
        assertEq(values[1], 32768);
        assertEq(root.member(hotkey).lastUpdateBlock, block.number);
    }

    function test_setRootWeights_overwritesTheRow() public {
        _setRootWeights(hotkey, netuids, _three16(1, 2, 3));
        vm.roll(block.number + ROOT_RATE_LIMIT);
        _setRootWeights(hotkey, _one(netuids[1]), _one16(7));
        (uint256[] memory got, uint16[] memory values) = root.rootWeightsOf(hotkey);
        assertEq(got.length, 1);
        assertEq(got[0], netuids[1]);
        assertEq(values[0], 65535);
    }

    function test_setRootWeights_revertsOnLengthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.LengthMismatch.selector, 2, 1));
        _setRootWeights(hotkey, _pair(netuids[0], netuids[1]), _one16(1));
    }

    function test_setRootWeights_revertsWhenMoreEntriesThanSubnets() public {
        uint256[] memory four = new uint256[](4);
        uint16[] memory values = new uint16[](4);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.TooManyWeights.selector, 4, 3));
        _setRootWeights(hotkey, four, values);
    }

    function test_setRootWeights_revertsForNonMember() public {
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.NotMember.selector, stranger));
        _setRootWeights(stranger, _one(netuids[0]), _one16(1));
    }

    function test_setRootWeights_revertsOnDuplicate() public {
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.DuplicateNetuid.selector, netuids[1]));
        _setRootWeights(hotkey, _three(netuids[1], netuids[0], netuids[1]), _three16(1, 1, 1));
    }

    /// @dev subtensor's order: a duplicate is reported before an unknown netuid.
    function test_setRootWeights_reportsDuplicateBeforeInactive() public {
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.DuplicateNetuid.selector, netuids[0]));
        _setRootWeights(hotkey, _three(999, netuids[0], netuids[0]), _three16(1, 1, 1));
    }

    function test_setRootWeights_revertsOnUnknownOrDissolvedSubnet() public {
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.SubnetNotActive.selector, 999));
        _setRootWeights(hotkey, _pair(netuids[0], 999), _pair16(1, 1));

        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.SubnetNotActive.selector, 0));
        _setRootWeights(hotkey, _one(0), _one16(1));

        vm.prank(subnetOwner);
        subnets.dissolveSubnet(netuids[2]);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.SubnetNotActive.selector, netuids[2]));
        _setRootWeights(hotkey, _one(netuids[2]), _one16(1));
    }

    function test_setRootWeights_revertsBelowTheMinimumCount() public {
        RootParameters memory p = _defaultParameters();
        p.minAllowedWeights = 2;
        _setRootParameters(p);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.TooFewWeights.selector, 1, 2));
        _setRootWeights(hotkey, _one(netuids[0]), _one16(1));

        // The minimum is capped by the active subnets.
        p.minAllowedWeights = 10;
        _setRootParameters(p);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.TooFewWeights.selector, 2, 3));
        _setRootWeights(hotkey, _pair(netuids[0], netuids[1]), _pair16(1, 1));
        _setRootWeights(hotkey, netuids, _three16(1, 1, 1));
    }

    function test_setRootWeights_isRateLimited() public {
        _setRootWeights(hotkey, _one(netuids[0]), _one16(1));
        uint256 next = block.number + ROOT_RATE_LIMIT;
        vm.roll(next - 1);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.SettingWeightsTooFast.selector, hotkey, next));
        _setRootWeights(hotkey, _one(netuids[0]), _one16(1));
        vm.roll(next);
        _setRootWeights(hotkey, _one(netuids[0]), _one16(1));
    }

    /// @dev Any netuid that is not an active subnet is refused with its value.
    function testFuzz_setRootWeights_refusesInactiveNetuids(uint256 netuid) public {
        vm.assume(netuid != netuids[0] && netuid != netuids[1] && netuid != netuids[2]);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.SubnetNotActive.selector, netuid));
        _setRootWeights(hotkey, _one(netuid), _one16(1));
    }

    /// @dev The stored vector is max-upscaled: its largest entry is 65,535 (unless all are zero) and the
    /// order of the entries is kept.
    function testFuzz_setRootWeights_storesLargestAsU16Max(uint16 a, uint16 b, uint16 c) public {
        _setRootWeights(hotkey, netuids, _three16(a, b, c));
        (uint256[] memory got, uint16[] memory values) = root.rootWeightsOf(hotkey);
        assertEq(got, netuids);
        uint256 max = values[0] > values[1] ? values[0] : values[1];
        if (values[2] > max) max = values[2];
        assertEq(max, a == 0 && b == 0 && c == 0 ? 0 : 65535);
    }

    function _three(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory v) {
        v = new uint256[](3);
        (v[0], v[1], v[2]) = (a, b, c);
    }

    function _three16(uint16 a, uint16 b, uint16 c) internal pure returns (uint16[] memory v) {
        v = new uint16[](3);
        (v[0], v[1], v[2]) = (a, b, c);
    }
}
