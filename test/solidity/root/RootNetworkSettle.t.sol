// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRootNetworkErrors, IRootNetworkEvents} from "../../../contracts/interfaces/IRootNetwork.sol";
import {RootTest} from "./RootTest.sol";

/// @notice `settleRoot`: the root epoch through `RootEpoch`, the shares it hands to the settlement,
/// and the fallback to governance's shares.
contract RootNetworkSettleTest is RootTest, IRootNetworkEvents {
    uint256[] internal netuids;

    function setUp() public override {
        super.setUp();
        netuids = _createSubnets(2);
    }

    function test_settleRoot_revertsBeforeTheTempo() public {
        uint256 next = root.nextRootEpochBlock();
        assertEq(next, root.lastRootEpochBlock() + ROOT_TEMPO);
        vm.roll(next - 1);
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.RootEpochNotDue.selector, next, next - 1));
        root.settleRoot();

        vm.roll(next);
        root.settleRoot();
        vm.expectRevert(abi.encodeWithSelector(IRootNetworkErrors.RootEpochNotDue.selector, next + ROOT_TEMPO, next));
        root.settleRoot();
    }

    function test_settleRoot_sharesFollowTheWeights() public {
        address a = _member(10e18);
        address b = _member(10e18);
        _setRootWeights(a, netuids, _pair16(3, 1));
        _setRootWeights(b, netuids, _pair16(3, 1));
        vm.roll(block.number + 1);
        (uint256[] memory listed, uint256[] memory shares) = _settleRoot();
        assertEq(listed, netuids);
        assertApproxEqAbs(shares[0], 0.75e18, 1e10);
        assertApproxEqAbs(shares[1], 0.25e18, 1e10);
        assertLe(_sum(shares), 1e18);
        assertTrue(yuma.rootSharesApply());
        assertEq(yuma.emissionShare(netuids[0]), shares[0]);
        assertEq(yuma.emissionShare(netuids[1]), shares[1]);
        assertEq(root.rootEpochIndex(), 1);
    }

    function test_settleRoot_emitsTheShares() public {
        address a = _member(10e18);
        _setRootWeights(a, netuids, _pair16(1, 1));
        _rollToRootEpoch();
        uint256[] memory expected = _pair(0.5e18, 0.5e18);
        vm.expectEmit(address(root));
        emit RootEpochSettled(1, uint64(block.number), netuids, expected, 1, true, stranger);
        vm.prank(stranger);
        root.settleRoot();
    }

    /// @dev The same Yuma consensus as a subnet's: a minority's weight is clipped to the consensus.
    function test_settleRoot_clipsWeightsOutsideConsensus() public {
        address majority = _member(70e18);
        address minority = _member(30e18);
        _setRootWeights(majority, _one(netuids[0]), _one16(1));
        _setRootWeights(minority, _one(netuids[1]), _one16(1));
        vm.roll(block.number + 1);
        (, uint256[] memory shares) = _settleRoot();
        assertEq(shares[0], 1e18);
        assertEq(shares[1], 0);
    }

    /// @dev Stake counts at epoch time, read from Staking.
    function test_settleRoot_readsStakeAtEpochTime() public {
        address a = _member(10e18);
        address b = _member(10e18);
        _setRootWeights(a, _one(netuids[0]), _one16(1));
        _setRootWeights(b, _pair(netuids[0], netuids[1]), _pair16(1, 1));
        vm.roll(block.number + 1);
        (, uint256[] memory before) = _settleRoot();
        _stake(rootColdkey, b, 90e18); // b now holds 90% of the root's stake
        (, uint256[] memory afterStake) = _settleRoot();
        assertGt(afterStake[1], before[1]);
    }

    function test_settleRoot_ignoresDissolvedSubnets() public {
        uint256 third = _createSubnets(1)[0];
        address a = _member(10e18);
        _setRootWeights(a, _pair(netuids[0], third), _pair16(1, 1));
        vm.prank(subnetOwner);
        subnets.dissolveSubnet(third);
        vm.roll(block.number + 1);
        (uint256[] memory listed, uint256[] memory shares) = _settleRoot();
        assertEq(listed.length, 2);
        assertEq(shares[0], 1e18);
        assertEq(yuma.emissionShare(third), 0);
    }

    function test_settleRoot_withoutMembersKeepsGovernanceShares() public {
        _setGovernanceShares(0.6e18, 0.4e18);
        (, uint256[] memory shares) = _settleRoot();
        assertEq(_sum(shares), 0);
        assertFalse(yuma.rootSharesApply());
        assertEq(yuma.emissionShare(netuids[0]), 0.6e18);
        assertEq(yuma.emissionShare(netuids[1]), 0.4e18);
    }

    function test_settleRoot_membersWithoutWeightsKeepGovernanceShares() public {
        _setGovernanceShares(0.6e18, 0.4e18);
        _member(10e18);
        _member(20e18);
        (, uint256[] memory shares) = _settleRoot();
        assertEq(_sum(shares), 0);
        assertEq(yuma.emissionShare(netuids[0]), 0.6e18);
    }

    function test_settleRoot_noGovernanceSharesSplitsEquallyUntilTheRootHasValidators() public {
        _settleRoot();
        assertEq(yuma.emissionShare(netuids[0]), 0.5e18);
        assertEq(yuma.emissionShare(netuids[1]), 0.5e18);
    }

    function test_settleRoot_rootSharesTakeOverThenFallBackWhenMembersGoInactive() public {
        _setGovernanceShares(0.6e18, 0.4e18);
        address a = _member(10e18);
        _setRootWeights(a, netuids, _pair16(1, 3));
        vm.roll(block.number + 1);
        _settleRoot();
        assertApproxEqAbs(yuma.emissionShare(netuids[0]), 0.25e18, 1e10);
        assertApproxEqAbs(yuma.emissionShare(netuids[1]), 0.75e18, 1e10);

        // Past the activity cutoff the member's stake no longer counts: no incentive, governance again.
        vm.roll(block.number + ROOT_ACTIVITY_CUTOFF + 1);
        (, uint256[] memory shares) = root.settleRoot();
        assertEq(_sum(shares), 0);
        assertEq(yuma.emissionShare(netuids[0]), 0.6e18);
        assertEq(yuma.emissionShare(netuids[1]), 0.4e18);
    }

    /// @dev A later root epoch replaces every share of the previous one, including subnets it no
    /// longer weights.
    function test_settleRoot_replacesThePreviousShares() public {
        address a = _member(10e18);
        _setRootWeights(a, netuids, _pair16(1, 1));
        vm.roll(block.number + 1);
        _settleRoot();
        vm.roll(block.number + ROOT_RATE_LIMIT);
        _setRootWeights(a, _one(netuids[1]), _one16(1));
        vm.roll(block.number + 1);
        _settleRoot();
        assertEq(yuma.emissionShare(netuids[0]), 0);
        assertEq(yuma.emissionShare(netuids[1]), 1e18);
    }

    /// @dev For any members, stakes, weights and subnets: the shares sum to at most 1e18, and to 1e18
    /// less at most one wei per subnet of rounding when the epoch produced incentive.
    function testFuzz_settleRoot_sharesSumToAtMostOne(uint256 seed, uint8 memberSeed, uint8 subnetSeed) public {
        uint256[] memory all = _randomRoot(seed, memberSeed, subnetSeed);
        (uint256[] memory got, uint256[] memory shares) = _settleRoot();
        assertEq(got.length, all.length);
        uint256 total = _sum(shares);
        assertLe(total, 1e18);
        if (yuma.rootSharesApply()) assertGe(total, 1e18 - all.length);
        uint256 settled;
        for (uint256 i = 0; i < all.length; ++i) settled += yuma.emissionShare(all[i]);
        assertLe(settled, 1e18);
    }

    /// @dev Median hints change no share: none (a lone 0 byte), the previous epoch's (stored, after a
    /// member's weights and another's stake changed), quoted, or random. Quoting changes no state.
    function testFuzz_settleRootWithHints_sameShares(uint256 seed, uint8 memberSeed, uint8 subnetSeed) public {
        uint256[] memory all = _randomRoot(seed, memberSeed, subnetSeed);
        _settleRoot(); // stores its hints for the next epoch
        address[] memory members = root.members();
        vm.roll(block.number + ROOT_RATE_LIMIT);
        _setRootWeights(members[seed % members.length], _one(all[(seed >> 8) % all.length]), _one16(1));
        _stake(rootColdkey, members[(seed >> 16) % members.length], 1 + ((seed >> 24) % 500e18));
        _rollToRootEpoch();
        uint256 snapshot = vm.snapshotState();
        (, uint256[] memory plain) = root.settleRootWithHints(hex"00");
        vm.revertToState(snapshot);
        (, uint256[] memory stored) = root.settleRoot();
        vm.revertToState(snapshot);

        bytes memory quoted = root.quoteRootMedianHints();
        assertEq(quoted.length, all.length);
        assertEq(root.rootEpochIndex(), 1, "quoting changes no state");
        (, uint256[] memory hinted) = root.settleRootWithHints(quoted);
        vm.revertToState(snapshot);

        bytes memory random = abi.encodePacked(keccak256(abi.encode(seed, "hints")));
        (, uint256[] memory randomly) = root.settleRootWithHints(random);
        for (uint256 j = 0; j < all.length; ++j) {
            assertEq(stored[j], plain[j], "stored hints");
            assertEq(hinted[j], plain[j], "quoted hints");
            assertEq(randomly[j], plain[j], "random hints");
        }
    }

    /// @dev 1 to 8 members with random stakes, each weighting a random run of the 2 to 6 subnets.
    function _randomRoot(uint256 seed, uint8 memberSeed, uint8 subnetSeed) internal returns (uint256[] memory all) {
        uint256 extra = bound(subnetSeed, 0, 4);
        uint256[] memory created = _createSubnets(extra);
        all = new uint256[](2 + extra);
        (all[0], all[1]) = (netuids[0], netuids[1]);
        for (uint256 i = 0; i < extra; ++i) all[2 + i] = created[i];

        uint256 memberCount = bound(memberSeed, 1, 8);
        for (uint256 m = 0; m < memberCount; ++m) {
            seed = uint256(keccak256(abi.encode(seed, m)));
            address hotkey = _member(bound(seed, 0.01e18, 1_000e18));
            uint256 count = 1 + ((seed >> 64) % all.length);
            uint256[] memory listed = new uint256[](count);
            uint16[] memory values = new uint16[](count);
            uint256 offset = (seed >> 128) % all.length;
            for (uint256 i = 0; i < count; ++i) {
                listed[i] = all[(offset + i) % all.length];
                values[i] = uint16(uint256(keccak256(abi.encode(seed, i))));
            }
            _setRootWeights(hotkey, listed, values);
        }
        vm.roll(block.number + 1);
    }

    function _setGovernanceShares(uint256 a, uint256 b) internal {
        vm.prank(governance);
        yuma.setEmissionShares(netuids, _pair(a, b));
    }
}
