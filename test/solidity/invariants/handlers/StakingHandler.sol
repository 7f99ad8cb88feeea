// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {TAO} from "../../../../contracts/token/TAO.sol";
import {Staking} from "../../../../contracts/staking/Staking.sol";
import {Slashing} from "../../../../contracts/slashing/Slashing.sol";
import {ISlashing} from "../../../../contracts/interfaces/ISlashing.sol";
import {IStakingErrors, IStakingTypes} from "../../../../contracts/interfaces/IStaking.sol";
import {FaultProofDouble} from "../../../doubles/FaultProofDouble.sol";

/// @notice Drives Staking and Slashing through every money path with bounded, valid inputs, and
/// checks around each call what only a before/after comparison can see. Violations are counted in
/// ghost variables (a failed assertion inside a handler would only read as a revert, which the
/// invariant runner ignores); the invariant test asserts they stay zero.
contract StakingHandler is CommonBase, StdUtils {
    uint256 private constant WAD = 1e18;

    struct Snapshot {
        IStakingTypes.PoolTotals[] pools;
        uint256[] shares; // [coldkey][hotkey], flattened
        uint256[] values;
        uint256[] pendingIds;
        uint256[] pendingAssets;
    }

    TAO public tao;
    Staking public staking;
    Slashing public slashing;
    FaultProofDouble public faultProof;
    address public settlement;
    address public arbitrator;
    address public treasury;

    address[] public coldkeys;
    address[] public hotkeys;
    uint256[] public pendingWithdrawals;
    uint256[] public openDisputes;

    uint256 public currentTime;
    uint256 private _faultNonce;

    // ---- ghosts ----
    /// @notice TAO sent to Staking by plain transfer: not owed to anyone.
    uint256 public ghost_directTransfers;
    /// @notice A non-slash call lowered a share price or a holder's redeemable value.
    uint256 public ghost_valueDecreases;
    /// @notice A new stake was immediately worth more than was paid for it.
    uint256 public ghost_stakeOvervalued;
    /// @notice A slash applied more than was left of its window's cap, or not the same fraction of
    /// the pool and of the queued withdrawals.
    uint256 public ghost_slashCapViolations;
    /// @notice A slash moved another hotkey's pools.
    uint256 public ghost_otherPoolsChanged;
    /// @notice The reporter's pay plus the burn differed from what Staking gave up (plus the bond).
    uint256 public ghost_slashNotConserved;
    /// @notice A stake or a partial unstake left a position below the minimum stake, one that should
    /// have done so was not refused with StakeBelowMinimum and its exact values, or a refused one
    /// changed something.
    uint256 public ghost_minimumStakeViolations;
    /// @notice A dispute was opened on a hotkey that already had the maximum number open, or was not
    /// refused with TooManyOpenDisputes, or a refused one changed something.
    uint256 public ghost_disputeCapViolations;
    /// @dev Applications of accrued rewards that moved a pool, a share count or a value as viewed.
    uint256 public ghost_applyMovedViews;
    mapping(address hotkey => uint256) public ghost_windowStart;
    mapping(address hotkey => uint256) public ghost_windowUsedWad;
    mapping(bytes32 => uint256) public calls;

    constructor(
        TAO tao_,
        Staking staking_,
        Slashing slashing_,
        FaultProofDouble faultProof_,
        address settlement_,
        address arbitrator_,
        address treasury_,
        address[] memory coldkeys_,
        address[] memory hotkeys_
    ) {
        tao = tao_;
        staking = staking_;
        slashing = slashing_;
        faultProof = faultProof_;
        settlement = settlement_;
        arbitrator = arbitrator_;
        treasury = treasury_;
        coldkeys = coldkeys_;
        hotkeys = hotkeys_;
        currentTime = block.timestamp;
    }

    modifier useTime() {
        vm.warp(currentTime);
        _;
    }

    // ------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------

    function addStake(uint256 coldkeySeed, uint256 hotkeySeed, uint256 assets) external useTime {
        address coldkey = _coldkey(coldkeySeed);
        address hotkey = _hotkey(hotkeySeed);
        // A position must be worth at least the minimum stake: stake at least that much.
        uint256 minimum = staking.MIN_STAKE();
        assets = bound(assets, minimum, 10_000e18);
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkey);
        uint256 shares = (assets * (p.stakeShares + 1e6)) / (p.stakeAssets + 1);
        if (shares == 0) return;
        // The caller's whole position after the stake, at the pool's price after it.
        uint256 position =
            ((staking.sharesOf(coldkey, hotkey) + shares) * (p.stakeAssets + assets + 1)) /
                (p.stakeShares + shares + 1e6);

        _fund(coldkey, assets);
        Snapshot memory before = _snapshot();
        uint256 valueBefore = staking.stakeOf(coldkey, hotkey);
        vm.startPrank(coldkey);
        tao.approve(address(staking), assets);
        if (position < minimum) {
            // Rounding at a high share price can leave a deposit of about the minimum a few wei
            // short (a position slashed below it, more): refused, with nothing changed.
            bytes memory expected = abi.encodeWithSelector(
                IStakingErrors.StakeBelowMinimum.selector,
                position,
                minimum
            );
            try staking.addStake(hotkey, assets) {
                ++ghost_minimumStakeViolations;
            } catch (bytes memory reason) {
                if (keccak256(reason) != keccak256(expected) || !_unchanged(before)) ++ghost_minimumStakeViolations;
            }
            vm.stopPrank();
            ++calls["addStakeBelowMinimum"];
            return;
        }
        staking.addStake(hotkey, assets);
        vm.stopPrank();
        // What a staker can redeem right after staking never exceeds what it paid.
        if (staking.stakeOf(coldkey, hotkey) > valueBefore + assets) ++ghost_stakeOvervalued;
        if (staking.stakeOf(coldkey, hotkey) != position) ++ghost_minimumStakeViolations;
        _checkNoValueDecrease(before, 0);
        ++calls["addStake"];
    }

    function removeStake(uint256 coldkeySeed, uint256 hotkeySeed, uint256 fractionBps) external useTime {
        address coldkey = _coldkey(coldkeySeed);
        address hotkey = _hotkey(hotkeySeed);
        uint256 owned = staking.sharesOf(coldkey, hotkey);
        uint256 shares = (owned * bound(fractionBps, 1, 10_000)) / 10_000;
        if (shares == 0) return;
        if (staking.pendingWithdrawalsOf(coldkey).length >= staking.MAX_PENDING_WITHDRAWALS()) return;
        uint256 minimum = staking.MIN_STAKE();
        if (shares != owned) {
            // What stays, at the pool's price after the unstake.
            IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkey);
            uint256 assets = (shares * (p.stakeAssets + 1)) / (p.stakeShares + 1e6);
            uint256 remaining = ((owned - shares) * (p.stakeAssets - assets + 1)) / (p.stakeShares - shares + 1e6);
            if (remaining < minimum) {
                // A partial unstake that would leave dust is refused, with nothing changed; the
                // holder then unstakes everything, which is always allowed.
                bytes memory expected = abi.encodeWithSelector(
                    IStakingErrors.StakeBelowMinimum.selector,
                    remaining,
                    minimum
                );
                Snapshot memory unchanged = _snapshot();
                vm.prank(coldkey);
                try staking.removeStake(hotkey, shares) returns (uint256 queued) {
                    ++ghost_minimumStakeViolations;
                    pendingWithdrawals.push(queued);
                    return;
                } catch (bytes memory reason) {
                    if (keccak256(reason) != keccak256(expected) || !_unchanged(unchanged)) {
                        ++ghost_minimumStakeViolations;
                    }
                }
                shares = owned;
                ++calls["removeStakeDustRefused"];
            }
        }

        Snapshot memory before = _snapshot();
        vm.prank(coldkey);
        uint256 id = staking.removeStake(hotkey, shares);
        pendingWithdrawals.push(id);
        uint256 left = staking.stakeOf(coldkey, hotkey);
        if (shares == owned ? staking.sharesOf(coldkey, hotkey) != 0 : left < minimum) ++ghost_minimumStakeViolations;
        _checkNoValueDecrease(before, 0);
        ++calls["removeStake"];
    }

    function completeWithdrawal(uint256 idSeed) external useTime {
        if (pendingWithdrawals.length == 0) return;
        uint256 index = idSeed % pendingWithdrawals.length;
        uint256 id = pendingWithdrawals[index];
        IStakingTypes.Withdrawal memory w = staking.withdrawal(id);
        if (staking.hotkeyInfo(w.hotkey).openDisputes != 0) return;
        if (currentTime < w.completableAt) {
            currentTime = w.completableAt;
            vm.warp(currentTime);
        }

        Snapshot memory before = _snapshot();
        uint256 balanceBefore = tao.balanceOf(w.coldkey);
        uint256 owed = staking.withdrawalAssets(id);
        uint256 paid = staking.completeWithdrawal(id);
        if (paid != owed || tao.balanceOf(w.coldkey) != balanceBefore + paid) ++ghost_valueDecreases;
        pendingWithdrawals[index] = pendingWithdrawals[pendingWithdrawals.length - 1];
        pendingWithdrawals.pop();
        _checkNoValueDecrease(before, 0);
        ++calls["completeWithdrawal"];
    }

    function distributeReward(uint256 hotkeySeed, uint256 amount) external useTime {
        address hotkey = _hotkey(hotkeySeed);
        amount = bound(amount, 1, 10_000e18);
        _fund(settlement, amount);
        Snapshot memory before = _snapshot();
        vm.startPrank(settlement);
        tao.approve(address(staking), amount);
        staking.distributeReward(hotkey, amount);
        vm.stopPrank();
        _checkNoValueDecrease(before, 0);
        ++calls["distributeReward"];
    }

    /// @notice The settlement accrues an epoch's rewards for a hotkey: the pool's assets rise by exactly
    /// the amounts, and no value falls but by rounding. The views apply every accrual since the pool
    /// was last touched as one; the floors of that lumped application are not those of the one before
    /// it, so a view may fall by a wei, and a pool's price by a wei of its assets (when applied, every
    /// floor still favours the pool).
    function accrueRewards(uint256 hotkeySeed, uint256 toOperator, uint256 toPool) external useTime {
        address hotkey = _hotkey(hotkeySeed);
        toOperator = bound(toOperator, 0, 10_000e18);
        toPool = bound(toPool, 0, 10_000e18);
        _fund(settlement, toOperator + toPool);
        Snapshot memory before = _snapshot();
        uint256 stakeBefore = staking.totalStake(hotkey);
        address[] memory hotkeys_ = new address[](1);
        uint256[] memory toOperators = new uint256[](1);
        uint256[] memory toPools = new uint256[](1);
        (hotkeys_[0], toOperators[0], toPools[0]) = (hotkey, toOperator, toPool);
        vm.startPrank(settlement);
        tao.approve(address(staking), toOperator + toPool);
        staking.accrueRewards(hotkeys_, toOperators, toPools);
        vm.stopPrank();
        if (staking.totalStake(hotkey) != stakeBefore + toOperator + toPool) ++ghost_valueDecreases;
        _checkNoValueDecrease(before, 1);
        ++calls["accrueRewards"];
    }

    /// @notice Anyone applies a hotkey's accrued rewards: no view moves.
    function applyRewards(uint256 hotkeySeed) external useTime {
        address hotkey = _hotkey(hotkeySeed);
        Snapshot memory before = _snapshot();
        staking.applyRewards(hotkey);
        if (!_unchanged(before)) ++ghost_applyMovedViews;
        ++calls["applyRewards"];
    }

    /// @notice A donation by plain transfer: it must move no share price and no accounting.
    function donate(uint256 amount) external useTime {
        amount = bound(amount, 1, 10_000e18);
        Snapshot memory before = _snapshot();
        vm.prank(treasury);
        tao.transfer(address(staking), amount);
        ghost_directTransfers += amount;
        _checkNoValueDecrease(before, 0);
        ++calls["donate"];
    }

    function setTake(uint256 hotkeySeed, uint16 takeBps) external useTime {
        address hotkey = _hotkey(hotkeySeed);
        takeBps = uint16(bound(takeBps, 0, staking.MAX_TAKE_BPS()));
        IStakingTypes.HotkeyInfo memory info = staking.hotkeyInfo(hotkey);
        // Increases wait a cooldown after the previous one, the binding counting as the first.
        if (takeBps > info.takeBps && currentTime < info.lastTakeIncrease + staking.takeIncreaseCooldown()) return;
        vm.prank(info.coldkey);
        staking.setTake(hotkey, takeBps);
        ++calls["setTake"];
    }

    function warp(uint256 seconds_) external {
        currentTime += bound(seconds_, 1, 10 days);
        vm.warp(currentTime);
        ++calls["warp"];
    }

    function reportFault(uint256 hotkeySeed) external useTime {
        address hotkey = _hotkey(hotkeySeed);
        bytes32 faultId = bytes32(++_faultNonce);
        faultProof.markFault(hotkey, faultId);

        Snapshot memory before = _snapshot();
        uint256 usedBefore = _openWindow(hotkey);
        uint256 supplyBefore = tao.totalSupply();
        uint256 reporterBefore = tao.balanceOf(address(this));
        uint256 stakingBefore = tao.balanceOf(address(staking));
        uint256 slashed = slashing.reportFault(address(faultProof), abi.encode(hotkey, faultId));

        uint256 paid = tao.balanceOf(address(this)) - reporterBefore;
        uint256 burned = supplyBefore - tao.totalSupply();
        if (paid + burned != slashed || stakingBefore - tao.balanceOf(address(staking)) != slashed) {
            ++ghost_slashNotConserved;
        }
        _checkSlash(before, hotkey, usedBefore);
        ++calls["reportFault"];
    }

    function openDispute(uint256 hotkeySeed, uint256 bond) external useTime {
        address hotkey = _hotkey(hotkeySeed);
        bond = bound(bond, slashing.minDisputeBond(), 10 * slashing.minDisputeBond());
        _fund(address(this), bond);
        Snapshot memory before = _snapshot();
        tao.approve(address(slashing), bond);
        uint256 maxOpen = staking.MAX_OPEN_DISPUTES();
        if (staking.hotkeyInfo(hotkey).openDisputes >= maxOpen) {
            // The hotkey has as many open disputes as it may: refused, with nothing changed.
            bytes memory expected = abi.encodeWithSelector(
                IStakingErrors.TooManyOpenDisputes.selector,
                hotkey,
                maxOpen
            );
            uint256 countBefore = slashing.disputeCount();
            uint256 heldBefore = tao.balanceOf(address(slashing));
            try slashing.openDispute(hotkey, bond, bytes32(0), "") returns (uint256 opened) {
                ++ghost_disputeCapViolations;
                openDisputes.push(opened);
            } catch (bytes memory reason) {
                if (
                    keccak256(reason) != keccak256(expected) ||
                    slashing.disputeCount() != countBefore ||
                    tao.balanceOf(address(slashing)) != heldBefore ||
                    staking.hotkeyInfo(hotkey).openDisputes != maxOpen ||
                    !_unchanged(before)
                ) ++ghost_disputeCapViolations;
            }
            ++calls["openDisputeAtCap"];
            return;
        }
        uint256 id = slashing.openDispute(hotkey, bond, keccak256(abi.encode(hotkey, bond)), "ipfs://evidence");
        openDisputes.push(id);
        _checkNoValueDecrease(before, 0);
        ++calls["openDispute"];
    }

    function acceptDispute(uint256 disputeSeed, uint256 fractionWad) external useTime {
        (bool found, uint256 index, uint256 id) = _pickDispute(disputeSeed);
        if (!found) return;
        ISlashing.Dispute memory d = slashing.dispute(id);
        fractionWad = bound(fractionWad, 0, slashing.maxDisputeSlashWad());

        Snapshot memory before = _snapshot();
        uint256 usedBefore = _openWindow(d.hotkey);
        uint256 supplyBefore = tao.totalSupply();
        uint256 reporterBefore = tao.balanceOf(address(this));
        uint256 stakingBefore = tao.balanceOf(address(staking));
        uint256 slashingBefore = tao.balanceOf(address(slashing));
        vm.prank(arbitrator);
        uint256 slashed = slashing.acceptDispute(id, fractionWad);

        uint256 paid = tao.balanceOf(address(this)) - reporterBefore;
        uint256 burned = supplyBefore - tao.totalSupply();
        uint256 reward = (slashed * slashing.reporterRewardWad()) / WAD;
        if (
            paid != d.bond + reward ||
            paid + burned != slashed + d.bond ||
            stakingBefore - tao.balanceOf(address(staking)) != slashed ||
            slashingBefore - tao.balanceOf(address(slashing)) != d.bond
        ) ++ghost_slashNotConserved;
        _removeDispute(index);
        _checkSlash(before, d.hotkey, usedBefore);
        ++calls["acceptDispute"];
    }

    function rejectDispute(uint256 disputeSeed) external useTime {
        (bool found, uint256 index, uint256 id) = _pickDispute(disputeSeed);
        if (!found) return;
        Snapshot memory before = _snapshot();
        vm.prank(arbitrator);
        slashing.rejectDispute(id);
        _removeDispute(index);
        _checkNoValueDecrease(before, 0);
        ++calls["rejectDispute"];
    }

    function reclaimBond(uint256 disputeSeed) external useTime {
        if (openDisputes.length == 0) return;
        uint256 index = disputeSeed % openDisputes.length;
        uint256 id = openDisputes[index];
        uint256 deadline = slashing.dispute(id).deadline;
        if (currentTime <= deadline) {
            currentTime = deadline + 1;
            vm.warp(currentTime);
        }
        Snapshot memory before = _snapshot();
        slashing.reclaimBond(id);
        _removeDispute(index);
        _checkNoValueDecrease(before, 0);
        ++calls["reclaimBond"];
    }

    // ------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------

    function coldkeyCount() external view returns (uint256) {
        return coldkeys.length;
    }

    function hotkeyCount() external view returns (uint256) {
        return hotkeys.length;
    }

    function pendingWithdrawalCount() external view returns (uint256) {
        return pendingWithdrawals.length;
    }

    function openDisputeCount() external view returns (uint256) {
        return openDisputes.length;
    }

    // ------------------------------------------------------------------------------------------
    // Checks
    // ------------------------------------------------------------------------------------------

    /// @dev After any call that is not a slash: no share price (stake or unbonding) went down, no
    /// holder who did not unstake lost value, and no queued withdrawal lost value. The
    /// price check is exact: (A' + 1) / (S' + 1e6) >= (A + 1) / (S + 1e6), cross-multiplied.
    /// @dev `slack`: the wei by which a value, and a pool's price times its shares before the call,
    /// may fall (see `accrueRewards`; 0 everywhere else).
    function _checkNoValueDecrease(Snapshot memory before, uint256 slack) private {
        Snapshot memory afterwards = _snapshot();
        _comparePrices(before, afterwards, address(0), slack);
        for (uint256 c = 0; c < coldkeys.length; ++c) {
            for (uint256 h = 0; h < hotkeys.length; ++h) {
                uint256 k = c * hotkeys.length + h;
                if (afterwards.shares[k] < before.shares[k]) continue; // the holder unstaked
                if (afterwards.values[k] + slack < before.values[k]) ++ghost_valueDecreases;
            }
        }
        for (uint256 i = 0; i < before.pendingIds.length; ++i) {
            if (staking.withdrawal(before.pendingIds[i]).coldkey == address(0)) continue; // completed
            if (staking.withdrawalAssets(before.pendingIds[i]) < before.pendingAssets[i]) ++ghost_valueDecreases;
        }
    }

    /// @dev Whether no pool, share, value or queued withdrawal moved since `before`.
    function _unchanged(Snapshot memory before) private view returns (bool) {
        return keccak256(abi.encode(_snapshot())) == keccak256(abi.encode(before));
    }

    function _comparePrices(Snapshot memory before, Snapshot memory afterwards, address skip, uint256 slack) private {
        for (uint256 h = 0; h < hotkeys.length; ++h) {
            if (hotkeys[h] == skip) continue;
            IStakingTypes.PoolTotals memory p = before.pools[h];
            IStakingTypes.PoolTotals memory q = afterwards.pools[h];
            // The slack is in wei of the pool before the call: a price that falls by `slack / (shares
            // before)` loses the earlier holders `slack` wei in all. (Added to the pool after the call,
            // it would allow next to nothing once a large reward had grown the pool.)
            if ((q.stakeAssets + 1) * (p.stakeShares + 1e6) < (p.stakeAssets + 1 - slack) * (q.stakeShares + 1e6)) {
                ++ghost_valueDecreases;
            }
            if (
                (q.unbondingAssets + 1) * (p.unbondingShares + 1e6) <
                (p.unbondingAssets + 1) * (q.unbondingShares + 1e6)
            ) {
                ++ghost_valueDecreases;
            }
        }
    }

    /// @dev Mirrors the fixed slash window: it opens at the first slash after the previous one ended.
    function _openWindow(address hotkey) private returns (uint256 usedBefore) {
        if (currentTime >= ghost_windowStart[hotkey] + staking.slashWindow()) {
            ghost_windowStart[hotkey] = currentTime;
            ghost_windowUsedWad[hotkey] = 0;
        }
        return ghost_windowUsedWad[hotkey];
    }

    /// @dev After a slash of `hotkey`: the applied fraction fits what was left of the window's cap,
    /// both of its pools lost exactly that fraction (rounded down), its shares did not move, and no
    /// other hotkey's pools moved at all.
    function _checkSlash(Snapshot memory before, address hotkey, uint256 usedBefore) private {
        Snapshot memory afterwards = _snapshot();
        IStakingTypes.HotkeyInfo memory info = staking.hotkeyInfo(hotkey);
        uint256 cap = staking.maxSlashPerWindowWad();
        if (info.slashWindowStart != ghost_windowStart[hotkey] || info.slashedInWindowWad < usedBefore) {
            ++ghost_slashCapViolations;
            return;
        }
        uint256 applied = info.slashedInWindowWad - usedBefore;
        ghost_windowUsedWad[hotkey] = info.slashedInWindowWad;
        if (info.slashedInWindowWad > cap) ++ghost_slashCapViolations;

        for (uint256 h = 0; h < hotkeys.length; ++h) {
            IStakingTypes.PoolTotals memory p = before.pools[h];
            IStakingTypes.PoolTotals memory q = afterwards.pools[h];
            if (hotkeys[h] != hotkey) {
                if (keccak256(abi.encode(p)) != keccak256(abi.encode(q))) ++ghost_otherPoolsChanged;
                continue;
            }
            if (
                p.stakeAssets - q.stakeAssets != (p.stakeAssets * applied) / WAD ||
                p.unbondingAssets - q.unbondingAssets != (p.unbondingAssets * applied) / WAD ||
                p.stakeShares != q.stakeShares ||
                p.unbondingShares != q.unbondingShares
            ) ++ghost_slashCapViolations;
        }
        // Other hotkeys' holders and queued withdrawals keep every wei.
        _comparePrices(before, afterwards, hotkey, 0);
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    function _snapshot() private view returns (Snapshot memory s) {
        uint256 nh = hotkeys.length;
        uint256 nc = coldkeys.length;
        s.pools = new IStakingTypes.PoolTotals[](nh);
        s.shares = new uint256[](nc * nh);
        s.values = new uint256[](nc * nh);
        for (uint256 h = 0; h < nh; ++h) {
            s.pools[h] = staking.poolTotals(hotkeys[h]);
        }
        for (uint256 c = 0; c < nc; ++c) {
            for (uint256 h = 0; h < nh; ++h) {
                s.shares[c * nh + h] = staking.sharesOf(coldkeys[c], hotkeys[h]);
                s.values[c * nh + h] = staking.stakeOf(coldkeys[c], hotkeys[h]);
            }
        }
        uint256 np = pendingWithdrawals.length;
        s.pendingIds = new uint256[](np);
        s.pendingAssets = new uint256[](np);
        for (uint256 i = 0; i < np; ++i) {
            s.pendingIds[i] = pendingWithdrawals[i];
            s.pendingAssets[i] = staking.withdrawalAssets(pendingWithdrawals[i]);
        }
    }

    function _pickDispute(uint256 seed) private returns (bool found, uint256 index, uint256 id) {
        if (openDisputes.length == 0) return (false, 0, 0);
        index = seed % openDisputes.length;
        id = openDisputes[index];
        uint256 deadline = slashing.dispute(id).deadline;
        // Past its deadline it can only be reclaimed; leave it to reclaimBond.
        if (currentTime > deadline) return (false, 0, 0);
        vm.warp(currentTime);
        return (true, index, id);
    }

    function _removeDispute(uint256 index) private {
        openDisputes[index] = openDisputes[openDisputes.length - 1];
        openDisputes.pop();
    }

    function _fund(address to, uint256 amount) private {
        vm.prank(treasury);
        tao.transfer(to, amount);
    }

    function _coldkey(uint256 seed) private view returns (address) {
        return coldkeys[seed % coldkeys.length];
    }

    function _hotkey(uint256 seed) private view returns (address) {
        return hotkeys[seed % hotkeys.length];
    }
}
