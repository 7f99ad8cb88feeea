// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStakingErrors, IStakingEvents, IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract StakingRewardsTest is TaonetTest {
    function setUp() public override {
        super.setUp();
        _bind(hotkeyAKey, alice);
        _bind(hotkeyBKey, bob);
    }

    function _fundSettlement(uint256 amount) internal {
        _fund(settlement, amount);
        vm.prank(settlement);
        tao.approve(address(staking), type(uint256).max);
    }

    // ---- distributeReward ----

    function test_distributeReward_stakesTakeForOperatorAndRaisesSharePrice() public {
        _stake(carol, hotkeyA, 100e18);
        _fundSettlement(10e18);
        // 18% take: 1.8 TAO staked for Alice at the new price, 8.2 TAO to Carol's shares.
        uint256 newPoolAssets = 100e18 + 8.2e18;
        uint256 carolShares = 100e18 * 1e6;
        uint256 operatorShares = (1.8e18 * (carolShares + 1e6)) / (newPoolAssets + 1);
        vm.expectEmit(true, true, false, true, address(staking));
        emit IStakingEvents.RewardDistributed(
            hotkeyA,
            10e18,
            1.8e18,
            alice,
            operatorShares,
            110e18,
            carolShares + operatorShares
        );
        vm.prank(settlement);
        staking.distributeReward(hotkeyA, 10e18);

        assertEq(staking.sharesOf(alice, hotkeyA), operatorShares);
        assertApproxEqAbs(staking.stakeOf(alice, hotkeyA), 1.8e18, 1);
        assertApproxEqAbs(staking.stakeOf(carol, hotkeyA), 108.2e18, 1);
        assertEq(staking.totalStake(hotkeyA), 110e18);
        assertEq(staking.totalAccounted(), 110e18);
        assertEq(tao.balanceOf(address(staking)), 110e18);
        assertEq(staking.positionsOf(alice).length, 1);
    }

    function test_distributeReward_toPoolWithoutSharesGoesToOperator() public {
        _fundSettlement(5e18);
        vm.prank(settlement);
        staking.distributeReward(hotkeyA, 5e18);
        assertEq(staking.stakeOf(alice, hotkeyA), 5e18);
        assertEq(staking.sharesOf(alice, hotkeyA), 5e18 * 1e6);
    }

    function test_distributeReward_withZeroTakeGivesEverythingToStakers() public {
        vm.prank(alice);
        staking.setTake(hotkeyA, 0);
        _stake(carol, hotkeyA, 100e18);
        _reward(hotkeyA, 10e18);
        assertEq(staking.sharesOf(alice, hotkeyA), 0);
        assertEq(staking.positionsOf(alice).length, 0);
        assertApproxEqAbs(staking.stakeOf(carol, hotkeyA), 110e18, 1);
    }

    function test_distributeReward_revertsForZeroAmount() public {
        _fundSettlement(1e18);
        bytes32 before = _systemState();
        vm.expectRevert(IStakingErrors.ZeroAmount.selector);
        vm.prank(settlement);
        staking.distributeReward(hotkeyA, 0);
        assertEq(_systemState(), before);
    }

    function test_distributeReward_revertsForUnboundHotkey() public {
        _fundSettlement(1e18);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyC));
        vm.prank(settlement);
        staking.distributeReward(hotkeyC, 1e18);
        assertEq(_systemState(), before);
    }

    function test_distributeReward_revertsWhenCallerIsNotSettlement() public {
        _fund(stranger, 1e18);
        bytes32 before = _systemState();
        address[5] memory callers = [stranger, timelock, arbitrator, address(slashing), alice];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            staking.distributeReward(hotkeyA, 1e18);
        }
        assertEq(_systemState(), before);
    }

    // ---- accrueRewards ----

    function _accrue(address hotkey, uint256 toOperator, uint256 toPool) internal {
        address[] memory hotkeys = new address[](1);
        uint256[] memory toOperators = new uint256[](1);
        uint256[] memory toPools = new uint256[](1);
        (hotkeys[0], toOperators[0], toPools[0]) = (hotkey, toOperator, toPool);
        vm.prank(settlement);
        staking.accrueRewards(hotkeys, toOperators, toPools);
    }

    /// @dev Every view of `hotkeyA`'s pool and of its stakers Alice (the operator) and Carol.
    function _poolViews() internal view returns (bytes memory) {
        return
            abi.encode(
                staking.poolTotals(hotkeyA),
                staking.totalStake(hotkeyA),
                staking.sharesOf(alice, hotkeyA),
                staking.stakeOf(alice, hotkeyA),
                staking.sharesOf(carol, hotkeyA),
                staking.stakeOf(carol, hotkeyA),
                staking.positionsOf(alice),
                staking.positionsOf(carol)
            );
    }

    function test_accrueRewards_paysManyHotkeysWithOneTransfer() public {
        _stake(carol, hotkeyA, 10e18);
        _stake(carol, hotkeyB, 10e18);
        _fundSettlement(6e18);
        address[] memory hotkeys = new address[](3);
        uint256[] memory toOperators = new uint256[](3);
        uint256[] memory toPools = new uint256[](3);
        (hotkeys[0], hotkeys[1], hotkeys[2]) = (hotkeyA, hotkeyC, hotkeyB);
        // Zero amounts are skipped, even for a hotkey nobody bound.
        (toOperators[0], toPools[0], toPools[2]) = (1e18, 1e18, 4e18);
        vm.expectEmit(true, false, false, true, address(staking));
        emit IStakingEvents.RewardsAccrued(settlement, 3, 6e18);
        vm.prank(settlement);
        staking.accrueRewards(hotkeys, toOperators, toPools);
        assertEq(staking.totalStake(hotkeyA), 12e18);
        assertEq(staking.totalStake(hotkeyB), 14e18);
        // The settlement's batch view (assembly) counts both accrued parts as `totalStake` does.
        uint256[] memory stakes = staking.totalStakes(hotkeys);
        assertEq(stakes.length, 3);
        for (uint256 i = 0; i < 3; ++i) {
            assertEq(stakes[i], staking.totalStake(hotkeys[i]));
        }
        assertEq(stakes[0], 12e18);
        assertEq(stakes[1], 0);
        (uint256 toOperator, uint256 toPool) = staking.accruedRewards(hotkeyA);
        assertEq(toOperator, 1e18);
        assertEq(toPool, 1e18);
        assertEq(tao.balanceOf(settlement), 0);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
        assertEq(staking.totalAccounted(), 26e18);
    }

    /// @dev The pool reward goes as `distributeReward` pays it, then Alice's credit is staked at the
    /// price after it: the views show both before they are applied, and applying them changes no view.
    function test_accrueRewards_viewsCountThemAndApplyingChangesNoView() public {
        _stake(carol, hotkeyA, 10e18);
        _fundSettlement(3e18);
        _accrue(hotkeyA, 1e18, 2e18);
        bytes memory viewed = _poolViews();
        assertEq(staking.positionsOf(alice).length, 1, "the operator's first shares open a position");

        uint256 take = (2e18 * 1_800) / 10_000;
        uint256 takeShares = (take * (10e24 + 1e6)) / (10e18 + 2e18 - take + 1);
        uint256 creditShares = (1e18 * (10e24 + takeShares + 1e6)) / (12e18 + 1);
        vm.expectEmit(true, true, false, true, address(staking));
        emit IStakingEvents.RewardDistributed(hotkeyA, 2e18, take, alice, takeShares, 12e18, 10e24 + takeShares);
        vm.expectEmit(true, true, false, true, address(staking));
        emit IStakingEvents.OperatorCredited(
            hotkeyA,
            alice,
            1e18,
            creditShares,
            13e18,
            10e24 + takeShares + creditShares
        );
        vm.prank(stranger);
        staking.applyRewards(hotkeyA);
        assertEq(keccak256(_poolViews()), keccak256(viewed));
        (uint256 toOperator, uint256 toPool) = staking.accruedRewards(hotkeyA);
        assertEq(toOperator + toPool, 0);
        assertEq(staking.sharesOf(alice, hotkeyA), creditShares + takeShares);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
    }

    /// @dev One epoch's accrual, applied, leaves the pool and the operator exactly where paying the pool
    /// reward (as `distributeReward` does) and then staking the credit at the new price would.
    function testFuzz_accrueRewards_appliedEqualsPaidAtOnce(
        uint256 carolStake,
        uint256 toOperator,
        uint256 toPool,
        uint16 takeBps,
        bool setTake
    ) public {
        carolStake = bound(carolStake, MIN_STAKE, 100_000e18);
        toOperator = bound(toOperator, 0, 100_000e18);
        toPool = bound(toPool, 1, 100_000e18);
        takeBps = uint16(bound(takeBps, 0, 1_800));
        vm.prank(alice);
        staking.setTake(hotkeyA, takeBps);
        _stake(carol, hotkeyA, carolStake);
        _fundSettlement(toOperator + toPool);
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);

        _accrue(hotkeyA, toOperator, toPool);
        bytes memory viewed = _poolViews();
        // Any touch of the pool applies the accrual first; a take change applies it under the old take.
        if (setTake) {
            vm.prank(alice);
            staking.setTake(hotkeyA, 0);
        } else {
            staking.applyRewards(hotkeyA);
        }
        assertEq(keccak256(_poolViews()), keccak256(viewed), "applying changed a view");

        uint256 take = (toPool * takeBps) / 10_000;
        uint256 takeShares = (take * (p.stakeShares + 1e6)) / (p.stakeAssets + toPool - take + 1);
        uint256 assets = p.stakeAssets + toPool;
        uint256 shares = p.stakeShares + takeShares;
        uint256 creditShares = (toOperator * (shares + 1e6)) / (assets + 1);
        IStakingTypes.PoolTotals memory q = staking.poolTotals(hotkeyA);
        assertEq(q.stakeAssets, assets + toOperator);
        assertEq(q.stakeShares, shares + creditShares);
        assertEq(staking.sharesOf(alice, hotkeyA), takeShares + creditShares);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
    }

    /// @dev Epochs accrued between two touches add up in the pool's assets exactly.
    function testFuzz_accrueRewards_severalEpochsAddUp(
        uint256[4] memory toOperators,
        uint256[4] memory toPools
    ) public {
        _stake(carol, hotkeyA, 10e18);
        _fundSettlement(800_000e18);
        uint256 total;
        for (uint256 e = 0; e < 4; ++e) {
            toOperators[e] = bound(toOperators[e], 0, 100_000e18);
            toPools[e] = bound(toPools[e], 0, 100_000e18);
            _accrue(hotkeyA, toOperators[e], toPools[e]);
            total += toOperators[e] + toPools[e];
            assertEq(staking.totalStake(hotkeyA), 10e18 + total);
        }
        staking.applyRewards(hotkeyA);
        assertEq(staking.poolTotals(hotkeyA).stakeAssets, 10e18 + total);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
    }

    /// @dev A staker joining after an accrual buys at the price with the accrual applied: it does not
    /// share in rewards of epochs before it joined.
    function test_accrueRewards_aLaterStakerBuysAtTheAppliedPrice() public {
        vm.prank(alice);
        staking.setTake(hotkeyA, 0);
        _stake(carol, hotkeyA, 10e18);
        _fundSettlement(10e18);
        _accrue(hotkeyA, 0, 10e18);
        _stake(bob, hotkeyA, 20e18);
        assertApproxEqAbs(staking.stakeOf(bob, hotkeyA), 20e18, 1);
        assertApproxEqAbs(staking.stakeOf(carol, hotkeyA), 20e18, 1);
    }

    /// @dev The take in force when the rewards accrued is the one applied to them.
    function test_accrueRewards_aTakeChangeAppliesToLaterRewardsOnly() public {
        _stake(carol, hotkeyA, 100e18);
        _fundSettlement(20e18);
        _accrue(hotkeyA, 0, 10e18);
        vm.prank(alice);
        staking.setTake(hotkeyA, 0);
        assertApproxEqAbs(staking.stakeOf(alice, hotkeyA), 1.8e18, 1);
        _accrue(hotkeyA, 0, 10e18);
        staking.applyRewards(hotkeyA);
        assertApproxEqAbs(staking.stakeOf(alice, hotkeyA), (uint256(1.8e18) * 120) / 110, 2);
    }

    /// @dev Accrued rewards are stake: a slash takes its fraction of them too.
    function test_accrueRewards_areSlashedWithThePool() public {
        _stake(carol, hotkeyA, 90e18);
        _fundSettlement(10e18);
        _accrue(hotkeyA, 4e18, 6e18);
        vm.prank(address(slashing));
        (, uint256 amount) = staking.slash(hotkeyA, 0.1e18);
        assertEq(amount, 10e18);
        assertEq(staking.totalStake(hotkeyA), 90e18);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
    }

    /// @dev An operator can unstake shares it holds only through its accrued credit.
    function test_accrueRewards_operatorCanRemoveAccruedShares() public {
        _stake(carol, hotkeyA, 10e18);
        _fundSettlement(5e18);
        _accrue(hotkeyA, 5e18, 0);
        uint256 shares = staking.sharesOf(alice, hotkeyA);
        assertGt(shares, 0);
        vm.prank(alice);
        staking.removeStake(hotkeyA, shares);
        assertEq(staking.sharesOf(alice, hotkeyA), 0);
        assertEq(staking.positionsOf(alice).length, 0);
        assertApproxEqAbs(staking.pendingWithdrawalsOf(alice)[0].assets, 5e18, 1);
    }

    function test_accrueRewards_revertsOnLengthMismatch() public {
        _fundSettlement(1e18);
        bytes32 before = _systemState();
        vm.startPrank(settlement);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.LengthMismatch.selector, 2, 1));
        staking.accrueRewards(new address[](2), new uint256[](1), new uint256[](2));
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.LengthMismatch.selector, 2, 3));
        staking.accrueRewards(new address[](2), new uint256[](2), new uint256[](3));
        vm.stopPrank();
        assertEq(_systemState(), before);
    }

    function test_accrueRewards_revertsWhenTheWordWouldOverflow() public {
        address[] memory hotkeys = new address[](1);
        uint256[] memory toOperators = new uint256[](1);
        uint256[] memory toPools = new uint256[](1);
        (hotkeys[0], toOperators[0]) = (hotkeyA, 1 << 127);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.AccrualOverflow.selector, hotkeyA));
        vm.prank(settlement);
        staking.accrueRewards(hotkeys, toOperators, toPools);
        // The pool's field likewise, and an amount near 2^256 does not wrap past the check.
        (toOperators[0], toPools[0]) = (0, 1 << 128);
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.AccrualOverflow.selector, hotkeyA));
        vm.prank(settlement);
        staking.accrueRewards(hotkeys, toOperators, toPools);
        toPools[0] = type(uint256).max;
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.AccrualOverflow.selector, hotkeyA));
        vm.prank(settlement);
        staking.accrueRewards(hotkeys, toOperators, toPools);
    }

    function test_accrueRewards_revertsWhenCallerIsNotSettlement() public {
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        staking.accrueRewards(new address[](1), new uint256[](1), new uint256[](1));
        vm.expectRevert(_unauthorized(timelock));
        vm.prank(timelock);
        staking.accrueRewards(new address[](1), new uint256[](1), new uint256[](1));
    }

    function test_applyRewards_revertsForUnboundHotkey() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyC));
        staking.applyRewards(hotkeyC);
    }

    // ---- fuzz: the split of a reward ----

    /// @dev The operator's take is staked for it at the post-reward price (worth the take, within
    /// rounding); the rest raises every share's value pro rata to its shares: Carol's value becomes
    /// her shares times (A + amount - take + 1) / (S + 1e6), the pool's price with its virtual
    /// shares, before the take's shares (rounded down, so only ever in her favour) are minted.
    function testFuzz_distributeReward_splitsTakeExactly(
        uint256 carolStake,
        uint256 operatorStake,
        uint256 amount,
        uint16 takeBps
    ) public {
        carolStake = bound(carolStake, MIN_STAKE, 100_000e18);
        amount = bound(amount, 1, 100_000e18);
        takeBps = uint16(bound(takeBps, 0, 1_800));
        vm.prank(alice);
        staking.setTake(hotkeyA, takeBps);
        _stake(carol, hotkeyA, carolStake);
        // Zero: the operator holds no stake of its own; otherwise at least a minimum position.
        if (operatorStake != 0) {
            operatorStake = bound(operatorStake, _minDeposit(hotkeyA), 100_000e18);
            _stake(alice, hotkeyA, operatorStake);
        }

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        uint256 carolShares = staking.sharesOf(carol, hotkeyA);
        uint256 carolBefore = staking.stakeOf(carol, hotkeyA);
        uint256 aliceSharesBefore = staking.sharesOf(alice, hotkeyA);
        uint256 take = (amount * takeBps) / 10_000;

        _reward(hotkeyA, amount);
        IStakingTypes.PoolTotals memory q = staking.poolTotals(hotkeyA);
        uint256 sharePriceCeil = (q.stakeAssets + 1) / (q.stakeShares + 1e6) + 1;

        // The pool grows by exactly the reward.
        assertEq(q.stakeAssets, p.stakeAssets + amount);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
        // Carol's value rises pro rata to her shares by the delegators' part.
        uint256 carolExpected = (carolShares * (p.stakeAssets + amount - take + 1)) / (p.stakeShares + 1e6);
        uint256 carolAfter = staking.stakeOf(carol, hotkeyA);
        assertGe(carolAfter, carolBefore);
        assertGe(carolAfter, carolExpected, "delegator below pro rata");
        assertLe(carolAfter - carolExpected, sharePriceCeil + 1, "delegator above pro rata beyond rounding");
        // The operator's new shares are worth its take (rounded down, never above).
        uint256 newShares = staking.sharesOf(alice, hotkeyA) - aliceSharesBefore;
        uint256 takeValue = (newShares * (q.stakeAssets + 1)) / (q.stakeShares + 1e6);
        assertLe(takeValue, take, "operator's take overpaid");
        assertLe(take - takeValue, sharePriceCeil + 1, "operator's take underpaid beyond rounding");
    }

    // ---- donations ----

    function test_directTransfer_movesNoSharePrice() public {
        _stake(carol, hotkeyA, 100e18);
        _fund(stranger, 50e18);
        vm.prank(stranger);
        tao.transfer(address(staking), 50e18);
        assertEq(staking.stakeOf(carol, hotkeyA), 100e18);
        assertEq(staking.totalAccounted(), 100e18);
        assertEq(tao.balanceOf(address(staking)), 150e18);
    }

    /// @dev The classic inflation attack: the first staker stakes as little as it may (dust is
    /// refused now; the minimum stake), a reward lands in the pool, a victim stakes. With virtual
    /// shares the victim keeps its deposit (within rounding) and the attacker gets no more than its
    /// deposit plus the reward.
    function testFuzz_reward_firstStakerCannotStealFromLaterStaker(
        uint256 attackerStake,
        uint256 reward,
        uint256 victimStake
    ) public {
        attackerStake = bound(attackerStake, MIN_STAKE, 1e18);
        reward = bound(reward, 1, 100_000e18);
        vm.prank(alice);
        staking.setTake(hotkeyA, 0);
        _stake(stranger, hotkeyA, attackerStake);
        _reward(hotkeyA, reward);

        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        victimStake = bound(victimStake, _minDeposit(hotkeyA), 100_000e18);
        _stake(carol, hotkeyA, victimStake);

        uint256 victimValue = staking.stakeOf(carol, hotkeyA);
        uint256 attackerValue = staking.stakeOf(stranger, hotkeyA);
        uint256 sharePriceCeil = (p.stakeAssets + 1) / (p.stakeShares + 1e6) + 1;
        assertLe(victimValue, victimStake);
        assertLe(victimStake - victimValue, sharePriceCeil, "victim lost more than one share's rounding");
        assertLe(attackerValue, attackerStake + reward, "attacker extracted more than it put in plus the reward");
    }

    /// @dev The 1e6 virtual shares take their part of every reward like real ones, and nobody can
    /// redeem it. Against a dust position (one wei buys 1e6 shares, as many as the virtual ones)
    /// they took half of the delegators' part of a reward, and the dust staker the other half: a
    /// reward that would have been the operator's alone (a pool without shares pays everything to
    /// it) was captured for one wei. With the minimum stake a staker's position in an empty pool
    /// holds at least 2e21 shares, so the virtual shares' part of any reward is below 1e-9 of it
    /// (about 5e-16 at most), and the real holders get all the rest but rounding.
    function testFuzz_reward_virtualSharesPartIsNegligibleAboveMinimumStake(
        uint256 stake,
        uint256 amount,
        uint16 takeBps
    ) public {
        stake = bound(stake, MIN_STAKE, 100_000e18);
        amount = bound(amount, 1, 100_000e18);
        takeBps = uint16(bound(takeBps, 0, 1_800));
        vm.prank(alice);
        staking.setTake(hotkeyA, takeBps);
        // A staker joins the operator's empty pool; the operator holds no stake of its own.
        _stake(carol, hotkeyA, stake);
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkeyA);
        // The virtual holder's claim, 1e6 * (A + 1) / (S + 1e6), is exactly its one virtual wei.
        assertEq(1e6 * (p.stakeAssets + 1), p.stakeShares + 1e6);

        _reward(hotkeyA, amount);
        IStakingTypes.PoolTotals memory q = staking.poolTotals(hotkeyA);
        // Its part of the reward, 1e6 * (A' + 1) / (S' + 1e6) - 1, is below amount / 1e9:
        // 1e9 * (1e6 * (A' + 1) - (S' + 1e6)) < amount * (S' + 1e6), with no rounding.
        assertGe(1e6 * (q.stakeAssets + 1), q.stakeShares + 1e6, "the virtual claim fell");
        assertLt(
            1e15 * (q.stakeAssets + 1) - 1e9 * (q.stakeShares + 1e6),
            amount * (q.stakeShares + 1e6),
            "virtual shares took 1e-9 of the reward or more"
        );
        // The real holders, the staker and the operator, redeem the rest, less a wei of rounding each.
        uint256 real = staking.stakeOf(carol, hotkeyA) + staking.stakeOf(alice, hotkeyA);
        assertLe(real, stake + amount);
        assertGe(real + amount / 1e9 + 2, stake + amount, "real holders got less than the reward");
    }
}
