// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IStakingErrors, IStakingEvents, IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {SharesMath} from "../../../contracts/libraries/SharesMath.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract StakingAddStakeTest is TaonetTest {
    function setUp() public override {
        super.setUp();
        _bind(hotkeyAKey, alice);
        _bind(hotkeyBKey, bob);
    }

    function test_addStake_firstStakeBuysVirtualOffsetShares() public {
        _fund(carol, 10e18);
        vm.startPrank(carol);
        tao.approve(address(staking), 10e18);
        vm.expectEmit(true, true, false, true, address(staking));
        emit IStakingEvents.StakeAdded(carol, hotkeyA, 10e18, 10e18 * 1e6, 10e18, 10e18 * 1e6);
        uint256 shares = staking.addStake(hotkeyA, 10e18);
        vm.stopPrank();

        assertEq(shares, 10e18 * SharesMath.VIRTUAL_SHARES);
        assertEq(staking.sharesOf(carol, hotkeyA), shares);
        assertEq(staking.stakeOf(carol, hotkeyA), 10e18);
        assertEq(staking.totalStake(hotkeyA), 10e18);
        assertEq(staking.totalAccounted(), 10e18);
        assertEq(tao.balanceOf(address(staking)), 10e18);
        assertEq(tao.balanceOf(carol), 0);
        IStakingTypes.Position[] memory positions = staking.positionsOf(carol);
        assertEq(positions.length, 1);
        assertEq(positions[0].hotkey, hotkeyA);
        assertEq(positions[0].shares, shares);
        assertEq(positions[0].assets, 10e18);
    }

    function test_addStake_delegatesIntoAnotherColdkeysHotkey() public {
        _stake(carol, hotkeyA, 5e18);
        _stake(carol, hotkeyB, 7e18);
        assertEq(staking.stakeOf(carol, hotkeyA), 5e18);
        assertEq(staking.stakeOf(carol, hotkeyB), 7e18);
        assertEq(staking.positionsOf(carol).length, 2);
        assertEq(staking.totalAccounted(), 12e18);
    }

    /// @notice `totalStakes` is `totalStake` of each hotkey, in the order given.
    function test_totalStakes_matchesTotalStake() public {
        _stake(carol, hotkeyA, 5e18);
        _stake(carol, hotkeyB, 7e18);
        address[] memory hotkeys = new address[](3);
        hotkeys[0] = hotkeyB;
        hotkeys[1] = hotkeyA;
        hotkeys[2] = stranger;
        uint256[] memory stakes = staking.totalStakes(hotkeys);
        assertEq(stakes.length, 3);
        assertEq(stakes[0], staking.totalStake(hotkeyB));
        assertEq(stakes[1], staking.totalStake(hotkeyA));
        assertEq(stakes[2], 0);
        assertGt(stakes[0], stakes[1]);
    }

    function test_addStake_revertsForZeroAmount() public {
        bytes32 before = _systemState();
        vm.expectRevert(IStakingErrors.ZeroAmount.selector);
        vm.prank(carol);
        staking.addStake(hotkeyA, 0);
        assertEq(_systemState(), before);
    }

    function test_addStake_revertsForUnboundHotkey() public {
        _fund(carol, 1e18);
        vm.prank(carol);
        tao.approve(address(staking), 1e18);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyC));
        vm.prank(carol);
        staking.addStake(hotkeyC, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, address(0)));
        vm.prank(carol);
        staking.addStake(address(0), 1e18);
        assertEq(_systemState(), before);
    }

    function test_addStake_revertsWithoutAllowance() public {
        _fund(carol, 1e18);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(staking), 0, 1e18)
        );
        vm.prank(carol);
        staking.addStake(hotkeyA, 1e18);
        assertEq(_systemState(), before);
    }

    function test_addStake_revertsWhenTooSmallToBuyAShare() public {
        // The minimum stake, then a large reward: each share is worth several wei.
        _stake(alice, hotkeyA, MIN_STAKE);
        _reward(hotkeyA, 10_000e18);
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        assertGt(p.stakeAssets + 1, p.stakeShares + 1e6, "a share is worth more than a wei");
        _fund(carol, 1);
        vm.prank(carol);
        tao.approve(address(staking), 1);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeTooSmall.selector, 1));
        vm.prank(carol);
        staking.addStake(hotkeyA, 1);
        assertEq(_systemState(), before);
    }

    function testFuzz_addStake_sharesRoundDown(uint256 seedStake, uint256 reward, uint256 assets) public {
        seedStake = bound(seedStake, MIN_STAKE, 100_000e18);
        reward = bound(reward, 0, 100_000e18);
        _stake(alice, hotkeyA, seedStake);
        if (reward != 0) _reward(hotkeyA, reward);
        assets = bound(assets, _minDeposit(hotkeyA), 100_000e18);

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        uint256 expected = (assets * (p.stakeShares + 1e6)) / (p.stakeAssets + 1);
        uint256 aliceValueBefore = staking.stakeOf(alice, hotkeyA);
        vm.assume(expected != 0);

        uint256 shares = _stake(carol, hotkeyA, assets);
        assertEq(shares, expected, "shares = floor(assets * (S + 1e6) / (A + 1))");
        // The new staker can never redeem more than it paid; earlier stakers lose nothing.
        assertLe(staking.stakeOf(carol, hotkeyA), assets);
        assertGe(staking.stakeOf(alice, hotkeyA), aliceValueBefore);
        assertEq(staking.totalStake(hotkeyA), p.stakeAssets + assets);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
    }

    // ---- the minimum stake ----

    function test_addStake_revertsBelowMinimumStake() public {
        assertEq(staking.MIN_STAKE(), MIN_STAKE);
        _fund(carol, MIN_STAKE);
        vm.prank(carol);
        tao.approve(address(staking), MIN_STAKE);
        bytes32 before = _systemState();
        // Into an empty pool a deposit buys a position worth exactly itself.
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, MIN_STAKE - 1, MIN_STAKE));
        vm.prank(carol);
        staking.addStake(hotkeyA, MIN_STAKE - 1);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, 1, MIN_STAKE));
        vm.prank(carol);
        staking.addStake(hotkeyA, 1);
        assertEq(_systemState(), before);
        assertEq(staking.positionsOf(carol).length, 0);

        vm.prank(carol);
        staking.addStake(hotkeyA, MIN_STAKE);
        assertEq(staking.stakeOf(carol, hotkeyA), MIN_STAKE);
        assertEq(tao.balanceOf(carol), 0);
    }

    function test_addStake_minimumAppliesToTheWholePosition() public {
        _stake(carol, hotkeyA, MIN_STAKE);
        // Carol's position is already a minimum one: she may add a single wei to it.
        _stake(carol, hotkeyA, 1);
        assertEq(staking.stakeOf(carol, hotkeyA), MIN_STAKE + 1);

        // Bob's position would be that one wei alone.
        _fund(bob, 1);
        vm.prank(bob);
        tao.approve(address(staking), 1);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, 1, MIN_STAKE));
        vm.prank(bob);
        staking.addStake(hotkeyA, 1);
        assertEq(_systemState(), before);
    }

    function test_addStake_slashedBelowMinimumPositionMustBeToppedUpToIt() public {
        _stake(carol, hotkeyA, MIN_STAKE);
        vm.prank(address(slashing));
        staking.slash(hotkeyA, 0.1e18);
        uint256 slashedValue = staking.stakeOf(carol, hotkeyA);
        assertLt(slashedValue, MIN_STAKE);

        // A wei more still leaves the position below the minimum.
        _fund(carol, 1e15);
        vm.prank(carol);
        tao.approve(address(staking), 1e15);
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        uint256 shares = (1 * (p.stakeShares + 1e6)) / (p.stakeAssets + 1);
        uint256 expected =
            ((staking.sharesOf(carol, hotkeyA) + shares) * (p.stakeAssets + 1 + 1)) / (p.stakeShares + shares + 1e6);
        assertLt(expected, MIN_STAKE);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, expected, MIN_STAKE));
        vm.prank(carol);
        staking.addStake(hotkeyA, 1);
        assertEq(_systemState(), before);

        // Enough to bring it back above the minimum is accepted.
        vm.prank(carol);
        staking.addStake(hotkeyA, 1e15);
        assertGe(staking.stakeOf(carol, hotkeyA), MIN_STAKE);
        assertApproxEqAbs(staking.stakeOf(carol, hotkeyA), slashedValue + 1e15, 2);
    }

    /// @dev A stake goes through exactly when the caller's resulting position (what it already holds
    /// plus the new shares, at the price after the stake) is worth at least MIN_STAKE, in pools of
    /// any price, whether the caller is new, holds a position or holds one slashed below the minimum.
    function testFuzz_addStake_revertsExactlyWhenPositionWouldBeBelowMinimum(
        uint256 seedStake,
        uint256 reward,
        uint256 carolStake,
        uint256 slashWad,
        uint256 assets
    ) public {
        seedStake = bound(seedStake, MIN_STAKE, 100_000e18);
        reward = bound(reward, 0, 100_000e18);
        _stake(alice, hotkeyA, seedStake);
        if (reward != 0) _reward(hotkeyA, reward);
        if (carolStake != 0) _stake(carol, hotkeyA, bound(carolStake, _minDeposit(hotkeyA), 4 * MIN_STAKE));
        slashWad = bound(slashWad, 0, MAX_SLASH_PER_WINDOW_WAD);
        vm.prank(address(slashing));
        staking.slash(hotkeyA, slashWad);
        assets = bound(assets, 1, 3 * MIN_STAKE);
        _fund(carol, assets);
        vm.prank(carol);
        tao.approve(address(staking), assets);

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        uint256 owned = staking.sharesOf(carol, hotkeyA);
        uint256 shares = (assets * (p.stakeShares + 1e6)) / (p.stakeAssets + 1);
        uint256 position = ((owned + shares) * (p.stakeAssets + assets + 1)) / (p.stakeShares + shares + 1e6);
        bytes32 before = _systemState();
        if (shares == 0) {
            vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeTooSmall.selector, assets));
            vm.prank(carol);
            staking.addStake(hotkeyA, assets);
            assertEq(_systemState(), before);
        } else if (position < MIN_STAKE) {
            vm.expectRevert(abi.encodeWithSelector(IStakingErrors.StakeBelowMinimum.selector, position, MIN_STAKE));
            vm.prank(carol);
            staking.addStake(hotkeyA, assets);
            assertEq(_systemState(), before);
        } else {
            vm.prank(carol);
            assertEq(staking.addStake(hotkeyA, assets), shares);
            assertEq(staking.stakeOf(carol, hotkeyA), position);
            assertGe(staking.stakeOf(carol, hotkeyA), MIN_STAKE);
        }
    }

    /// @dev `_minDeposit`, which other tests bound their deposits with, always buys a new staker a
    /// position of at least MIN_STAKE.
    function testFuzz_minDeposit_alwaysBuysAMinimumPosition(uint256 seedStake, uint256 reward) public {
        seedStake = bound(seedStake, MIN_STAKE, 100_000e18);
        reward = bound(reward, 0, 100_000e18);
        _stake(alice, hotkeyA, seedStake);
        if (reward != 0) _reward(hotkeyA, reward);
        _stake(carol, hotkeyA, _minDeposit(hotkeyA));
        assertGe(staking.stakeOf(carol, hotkeyA), MIN_STAKE);
    }

    // ---- addStakeWithPermit ----

    function test_addStakeWithPermit_stakesInOneCall() public {
        _fund(bob, 3e18);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(bobKey, 3e18, deadline);
        vm.prank(bob);
        uint256 shares = staking.addStakeWithPermit(hotkeyA, 3e18, deadline, v, r, s);
        assertEq(shares, 3e18 * 1e6);
        assertEq(staking.stakeOf(bob, hotkeyA), 3e18);
        assertEq(tao.nonces(bob), 1);
        assertEq(tao.allowance(bob, address(staking)), 0);
    }

    function test_addStakeWithPermit_revertsWhenPermitExpired() public {
        _fund(bob, 3e18);
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(bobKey, 3e18, deadline);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        vm.prank(bob);
        staking.addStakeWithPermit(hotkeyA, 3e18, deadline, v, r, s);
        assertEq(_systemState(), before);
    }

    function test_addStakeWithPermit_revertsWhenSignerIsNotCaller() public {
        _fund(carol, 3e18);
        uint256 deadline = block.timestamp + 1 hours;
        // Bob signs; Carol submits it as if it were hers.
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(bobKey, 3e18, deadline);
        // The token checks the signature against Carol's permit, so it recovers some other address.
        bytes32 carolDigest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                tao.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(PERMIT_TYPEHASH, carol, address(staking), 3e18, tao.nonces(carol), deadline))
            )
        );
        address recovered = ecrecover(carolDigest, v, r, s);
        assertTrue(recovered != carol);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, recovered, carol));
        vm.prank(carol);
        staking.addStakeWithPermit(hotkeyA, 3e18, deadline, v, r, s);
        assertEq(_systemState(), before);
    }

    function test_addStakeWithPermit_toleratesFrontRunPermit() public {
        _fund(bob, 3e18);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(bobKey, 3e18, deadline);
        // Someone submits the permit from the mempool first.
        vm.prank(stranger);
        tao.permit(bob, address(staking), 3e18, deadline, v, r, s);
        vm.prank(bob);
        staking.addStakeWithPermit(hotkeyA, 3e18, deadline, v, r, s);
        assertEq(staking.stakeOf(bob, hotkeyA), 3e18);
    }

    function test_addStakeWithPermit_revertsForUnboundHotkey() public {
        _fund(bob, 3e18);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(bobKey, 3e18, deadline);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyC));
        vm.prank(bob);
        staking.addStakeWithPermit(hotkeyC, 3e18, deadline, v, r, s);
        assertEq(_systemState(), before);
    }
}
