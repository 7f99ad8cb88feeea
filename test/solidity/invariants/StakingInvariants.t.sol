// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {ISlashing} from "../../../contracts/interfaces/ISlashing.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";
import {StakingHandler} from "./handlers/StakingHandler.sol";

/// @notice The deployment the Staking invariants run on: three bound hotkeys, four coldkeys and the
/// handler that drives them.
abstract contract StakingHandlerSetup is TaonetTest {
    StakingHandler internal handler;
    address internal dave = makeAddr("dave");

    function setUp() public virtual override {
        super.setUp();
        // A fault route that fills the window's cap in two reports, so the cap is exercised.
        vm.prank(timelock);
        slashing.setFaultRoute(address(faultProof), true, 0.06e18, FAULT_TIP_WAD);

        _bind(hotkeyAKey, alice);
        _bind(hotkeyBKey, bob);
        _bind(hotkeyCKey, carol);
        address[] memory coldkeys = new address[](4);
        (coldkeys[0], coldkeys[1], coldkeys[2], coldkeys[3]) = (alice, bob, carol, dave);
        address[] memory hotkeys = new address[](3);
        (hotkeys[0], hotkeys[1], hotkeys[2]) = (hotkeyA, hotkeyB, hotkeyC);
        handler = new StakingHandler(
            tao,
            staking,
            slashing,
            faultProof,
            settlement,
            arbitrator,
            treasury,
            coldkeys,
            hotkeys
        );
    }
}

/// @notice Staking and Slashing under random sequences of stakes, unstakes, withdrawals, rewards,
/// donations, take changes, fault reports and disputes (see StakingHandler).
contract StakingInvariantsTest is StakingHandlerSetup {
    function setUp() public override {
        super.setUp();
        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = StakingHandler.addStake.selector;
        selectors[1] = StakingHandler.removeStake.selector;
        selectors[2] = StakingHandler.completeWithdrawal.selector;
        selectors[3] = StakingHandler.distributeReward.selector;
        selectors[4] = StakingHandler.donate.selector;
        selectors[5] = StakingHandler.setTake.selector;
        selectors[6] = StakingHandler.warp.selector;
        selectors[7] = StakingHandler.reportFault.selector;
        selectors[8] = StakingHandler.openDispute.selector;
        selectors[9] = StakingHandler.acceptDispute.selector;
        selectors[10] = StakingHandler.rejectDispute.selector;
        selectors[11] = StakingHandler.reclaimBond.selector;
        selectors[12] = StakingHandler.accrueRewards.selector;
        selectors[13] = StakingHandler.applyRewards.selector;
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @notice Staking holds exactly what it owes plus what was sent to it by plain transfer, and
    /// what it owes is the sum over hotkeys of their active and unbonding pools.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_balanceEqualsPoolsPlusDonations() public view {
        uint256 sum;
        for (uint256 h = 0; h < handler.hotkeyCount(); ++h) {
            IStakingTypes.PoolTotals memory p = staking.poolTotals(handler.hotkeys(h));
            sum += p.stakeAssets + p.unbondingAssets;
        }
        assertEq(sum, staking.totalAccounted(), "sum of pools != totalAccounted");
        assertEq(
            tao.balanceOf(address(staking)),
            staking.totalAccounted() + handler.ghost_directTransfers(),
            "balance != totalAccounted + direct transfers"
        );
    }

    /// @notice Every pool can pay every holder and every queued withdrawal at once: claims, each
    /// rounded down, never add up to more than the pool, and shares add up to the pool's shares.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_poolsAreSolvent() public view {
        for (uint256 h = 0; h < handler.hotkeyCount(); ++h) {
            address hotkey = handler.hotkeys(h);
            IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkey);
            uint256 shares;
            uint256 claims;
            for (uint256 c = 0; c < handler.coldkeyCount(); ++c) {
                shares += staking.sharesOf(handler.coldkeys(c), hotkey);
                claims += staking.stakeOf(handler.coldkeys(c), hotkey);
            }
            assertEq(shares, p.stakeShares, "stake shares");
            assertLe(claims, p.stakeAssets, "stake claims exceed pool");

            uint256 unbondingShares;
            uint256 unbondingClaims;
            for (uint256 i = 0; i < handler.pendingWithdrawalCount(); ++i) {
                uint256 id = handler.pendingWithdrawals(i);
                if (staking.withdrawal(id).hotkey != hotkey) continue;
                unbondingShares += staking.withdrawal(id).unbondingShares;
                unbondingClaims += staking.withdrawalAssets(id);
            }
            assertEq(unbondingShares, p.unbondingShares, "unbonding shares");
            assertLe(unbondingClaims, p.unbondingAssets, "queued claims exceed unbonding pool");
        }
    }

    /// @notice Outside slashing, no share price falls and nobody's redeemable value (stake or queued
    /// withdrawal) decreases: a donation or a reward never lets a later staker take from earlier
    /// ones, and a new stake is never worth more than it paid. (An accrual of rewards may lower a value
    /// as the views show it by a wei of rounding, see `StakingHandler.accrueRewards`; applying it
    /// moves no view at all.)
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_earlierStakersValueNeverDecreasesExceptBySlashing() public view {
        assertEq(handler.ghost_valueDecreases(), 0, "value decreased without a slash");
        assertEq(handler.ghost_applyMovedViews(), 0, "applying accrued rewards moved a view");
        assertEq(handler.ghost_stakeOvervalued(), 0, "new stake worth more than it paid");
    }

    /// @notice A slash never exceeds what is left of its window's cap, takes the same fraction of
    /// the pool and of the queued withdrawals, and never changes another hotkey's pools.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_slashRespectsWindowCapAndTouchesOnlyItsHotkey() public view {
        assertEq(handler.ghost_slashCapViolations(), 0, "slash above window cap or uneven");
        assertEq(handler.ghost_otherPoolsChanged(), 0, "slash changed another hotkey's pools");
        for (uint256 h = 0; h < handler.hotkeyCount(); ++h) {
            assertLe(staking.hotkeyInfo(handler.hotkeys(h)).slashedInWindowWad, staking.maxSlashPerWindowWad());
        }
    }

    /// @notice Slashed TAO and bonds are conserved: reporters' pay plus burns equal what Staking gave
    /// up plus the bond; Slashing holds nothing but the bonds of open disputes, and each hotkey's
    /// freeze count is its number of open disputes, never above MAX_OPEN_DISPUTES (a dispute beyond
    /// it is refused with TooManyOpenDisputes and changes nothing).
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_slashingHoldsExactlyOpenBonds() public view {
        assertEq(handler.ghost_slashNotConserved(), 0, "slash proceeds not conserved");
        assertEq(handler.ghost_disputeCapViolations(), 0, "dispute opened above the cap, or refused wrongly");
        uint256 bonds;
        uint256[] memory open = new uint256[](handler.hotkeyCount());
        for (uint256 id = 1; id <= slashing.disputeCount(); ++id) {
            ISlashing.Dispute memory d = slashing.dispute(id);
            if (d.status != ISlashing.DisputeStatus.Open) continue;
            bonds += d.bond;
            for (uint256 h = 0; h < open.length; ++h) {
                if (handler.hotkeys(h) == d.hotkey) ++open[h];
            }
        }
        assertEq(tao.balanceOf(address(slashing)), bonds, "Slashing holds more than open bonds");
        for (uint256 h = 0; h < open.length; ++h) {
            assertEq(staking.hotkeyInfo(handler.hotkeys(h)).openDisputes, open[h], "freeze count");
            assertLe(open[h], MAX_OPEN_DISPUTES, "more open disputes than the cap");
        }
    }

    /// @notice No stake and no partial unstake leaves a position below the minimum stake (only a slash
    /// can): those that would are refused with StakeBelowMinimum and its exact values, and change
    /// nothing, and a holder can always leave with everything.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_positionsStayAboveMinimumStake() public view {
        assertEq(handler.ghost_minimumStakeViolations(), 0, "position left below the minimum, or refused wrongly");
    }

    /// @notice Burns only ever lower the supply; nothing here mints.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_totalSupplyNeverExceedsCap() public view {
        assertLe(tao.totalSupply(), tao.cap());
        assertLe(tao.totalSupply(), GENESIS_SUPPLY);
    }
}

/// @notice Sequences the invariant runs found, replayed on the same deployment as plain tests (in a
/// contract with no invariants, so that none of them runs a campaign twice).
contract StakingHandlerRegressionTest is StakingHandlerSetup {
    /// @notice A sequence the invariant run once found: a pool below the minimum stake takes a slash,
    /// then two accruals, the second of 1e22 wei. The view of the first, applied alone, floors its
    /// shares differently from the two applied as one, so the price seen afterwards is lower by about
    /// 1.6e-15 of itself: under a wei of the pool's assets before the call, which is the slack the
    /// handler allows (and many wei of the pool after it, which it once wrongly measured against).
    function test_accrualsAfterSlashOfSmallPool_priceFallsUnderAWeiOfThePool() public {
        handler.accrueRewards(277943729451709450003169952695536483881211389, 80836, 309276764);
        handler.reportFault(399);
        handler.accrueRewards(10266, 2322, 7742);
        handler.accrueRewards(1461501637330902918203684832716283019651637575680, 21195, 999999999999999990100556);
        assertEq(handler.ghost_valueDecreases(), 0, "value decreased without a slash");
        assertEq(handler.ghost_slashCapViolations(), 0, "slash");
    }
}
