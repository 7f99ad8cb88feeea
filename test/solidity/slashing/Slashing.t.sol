// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Slashing} from "../../../contracts/slashing/Slashing.sol";
import {ISlashing} from "../../../contracts/interfaces/ISlashing.sol";
import {IStakingErrors} from "../../../contracts/interfaces/IStaking.sol";
import {FaultProofDouble} from "../../doubles/FaultProofDouble.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

abstract contract SlashingTestBase is TaonetTest {
    bytes32 internal constant FAULT_ID = keccak256("missed reveal, epoch 7");
    uint256 internal queuedId;

    function setUp() public virtual override {
        super.setUp();
        _bind(hotkeyAKey, alice);
        _bind(hotkeyBKey, bob);
        uint256 shares = _stake(carol, hotkeyA, 100e18);
        queuedId = _unstake(carol, hotkeyA, shares / 5); // 80 TAO staked, 20 TAO unbonding
        _stake(bob, hotkeyB, 50e18);
    }

    function _evidence(address hotkey, bytes32 faultId) internal pure returns (bytes memory) {
        return abi.encode(hotkey, faultId);
    }
}

contract SlashingReportFaultTest is SlashingTestBase {
    function test_reportFault_slashesTipsReporterAndBurnsRest() public {
        faultProof.markFault(hotkeyA, FAULT_ID);
        uint256 supplyBefore = tao.totalSupply();
        // 1% of 80 + 20 TAO; 20% of it to the reporter.
        vm.expectEmit(true, true, true, true, address(slashing));
        emit ISlashing.FaultReported(
            address(faultProof),
            FAULT_ID,
            hotkeyA,
            reporter,
            FAULT_PENALTY_WAD,
            1e18,
            0.2e18,
            0.8e18
        );
        vm.prank(reporter);
        uint256 slashed = slashing.reportFault(address(faultProof), _evidence(hotkeyA, FAULT_ID));

        assertEq(slashed, 1e18);
        assertEq(tao.balanceOf(reporter), 0.2e18);
        assertEq(tao.totalSupply(), supplyBefore - 0.8e18);
        assertEq(tao.balanceOf(address(slashing)), 0);
        assertEq(staking.totalStake(hotkeyA), 79.2e18);
        assertEq(staking.withdrawalAssets(queuedId), 19.8e18);
        assertTrue(slashing.isFaultReported(address(faultProof), FAULT_ID));
        assertEq(staking.totalStake(hotkeyB), 50e18);
    }

    function test_reportFault_revertsWhenReportedTwice() public {
        faultProof.markFault(hotkeyA, FAULT_ID);
        slashing.reportFault(address(faultProof), _evidence(hotkeyA, FAULT_ID));
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.FaultAlreadyReported.selector, address(faultProof), FAULT_ID));
        vm.prank(reporter);
        slashing.reportFault(address(faultProof), _evidence(hotkeyA, FAULT_ID));
        assertEq(_systemState(), before);
    }

    function test_reportFault_revertsForUnknownFaultProof() public {
        FaultProofDouble unregistered = new FaultProofDouble();
        unregistered.markFault(hotkeyA, FAULT_ID);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.UnknownFaultProof.selector, address(unregistered)));
        slashing.reportFault(address(unregistered), _evidence(hotkeyA, FAULT_ID));
        vm.expectRevert(abi.encodeWithSelector(ISlashing.UnknownFaultProof.selector, address(0)));
        slashing.reportFault(address(0), _evidence(hotkeyA, FAULT_ID));
        assertEq(_systemState(), before);
    }

    function test_reportFault_revertsWhenRouteDisabled() public {
        faultProof.markFault(hotkeyA, FAULT_ID);
        vm.prank(timelock);
        slashing.setFaultRoute(address(faultProof), false, FAULT_PENALTY_WAD, FAULT_TIP_WAD);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.UnknownFaultProof.selector, address(faultProof)));
        slashing.reportFault(address(faultProof), _evidence(hotkeyA, FAULT_ID));
        assertEq(_systemState(), before);
        assertFalse(slashing.isFaultReported(address(faultProof), FAULT_ID));
    }

    function test_reportFault_revertsWhenEvidenceProvesNoFault() public {
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(FaultProofDouble.NotAFault.selector, hotkeyA, FAULT_ID));
        slashing.reportFault(address(faultProof), _evidence(hotkeyA, FAULT_ID));
        assertEq(_systemState(), before);
    }

    function test_reportFault_revertsForUnboundHotkey() public {
        faultProof.markFault(hotkeyC, FAULT_ID);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IStakingErrors.HotkeyNotBound.selector, hotkeyC));
        slashing.reportFault(address(faultProof), _evidence(hotkeyC, FAULT_ID));
        assertEq(_systemState(), before);
        assertFalse(slashing.isFaultReported(address(faultProof), FAULT_ID));
    }

    function test_reportFault_sameFaultIdUnderAnotherProofIsAnotherFault() public {
        FaultProofDouble other = new FaultProofDouble();
        vm.prank(timelock);
        slashing.setFaultRoute(address(other), true, FAULT_PENALTY_WAD, 0);
        faultProof.markFault(hotkeyA, FAULT_ID);
        other.markFault(hotkeyA, FAULT_ID);
        slashing.reportFault(address(faultProof), _evidence(hotkeyA, FAULT_ID));
        slashing.reportFault(address(other), _evidence(hotkeyA, FAULT_ID));
        assertEq(staking.hotkeyInfo(hotkeyA).slashedInWindowWad, 2 * FAULT_PENALTY_WAD);
    }

    function test_reportFault_respectsStakingWindowCap() public {
        vm.prank(timelock);
        slashing.setFaultRoute(address(faultProof), true, 0.1e18, FAULT_TIP_WAD);
        for (uint256 i = 0; i < 3; ++i) {
            bytes32 faultId = bytes32(i);
            faultProof.markFault(hotkeyA, faultId);
            slashing.reportFault(address(faultProof), _evidence(hotkeyA, faultId));
        }
        // One fault filled the window's 10% cap; the others slashed nothing but were recorded.
        assertEq(staking.totalStake(hotkeyA), 72e18);
        assertTrue(slashing.isFaultReported(address(faultProof), bytes32(uint256(2))));
    }

    function testFuzz_reportFault_tipPlusBurnEqualsSlashed(uint256 stake, uint64 penaltyWad, uint64 tipWad) public {
        stake = bound(stake, _minDeposit(hotkeyA), 500_000e18);
        penaltyWad = uint64(bound(penaltyWad, 0, 0.1e18));
        tipWad = uint64(bound(tipWad, 0, 1e18));
        vm.prank(timelock);
        slashing.setFaultRoute(address(faultProof), true, penaltyWad, tipWad);
        _stake(alice, hotkeyA, stake);
        faultProof.markFault(hotkeyA, FAULT_ID);

        uint256 supplyBefore = tao.totalSupply();
        uint256 stakingBefore = tao.balanceOf(address(staking));
        uint256 poolBefore = _poolValue(hotkeyA);
        vm.prank(reporter);
        uint256 slashed = slashing.reportFault(address(faultProof), _evidence(hotkeyA, FAULT_ID));

        uint256 tip = tao.balanceOf(reporter);
        uint256 burned = supplyBefore - tao.totalSupply();
        assertEq(tip + burned, slashed, "tip + burn != slashed");
        assertEq(tip, (slashed * tipWad) / 1e18);
        assertEq(stakingBefore - tao.balanceOf(address(staking)), slashed);
        assertEq(poolBefore - _poolValue(hotkeyA), slashed);
        assertLe(slashed * 1e18, poolBefore * penaltyWad);
        assertEq(tao.balanceOf(address(slashing)), 0);
        assertEq(tao.balanceOf(address(staking)), staking.totalAccounted());
    }
}

contract SlashingDisputeTest is SlashingTestBase {
    function test_openDispute_pullsBondFreezesHotkeyAndEmits() public {
        _fund(reporter, MIN_DISPUTE_BOND);
        vm.startPrank(reporter);
        tao.approve(address(slashing), MIN_DISPUTE_BOND);
        uint64 deadline = uint64(block.timestamp) + DISPUTE_PERIOD;
        vm.expectEmit(true, true, true, true, address(slashing));
        emit ISlashing.DisputeOpened(1, reporter, hotkeyA, MIN_DISPUTE_BOND, deadline, keccak256("e"), "ipfs://e");
        uint256 id = slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, keccak256("e"), "ipfs://e");
        vm.stopPrank();

        assertEq(id, 1);
        assertEq(slashing.disputeCount(), 1);
        ISlashing.Dispute memory d = slashing.dispute(id);
        assertEq(d.reporter, reporter);
        assertEq(d.hotkey, hotkeyA);
        assertEq(d.deadline, deadline);
        assertEq(uint8(d.status), uint8(ISlashing.DisputeStatus.Open));
        assertEq(d.bond, MIN_DISPUTE_BOND);
        assertEq(d.evidenceHash, keccak256("e"));
        assertEq(d.evidenceUri, "ipfs://e");
        assertEq(tao.balanceOf(address(slashing)), MIN_DISPUTE_BOND);
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, 1);
    }

    function test_openDispute_revertsWhenBondBelowMinimum() public {
        _fund(reporter, MIN_DISPUTE_BOND);
        vm.prank(reporter);
        tao.approve(address(slashing), MIN_DISPUTE_BOND);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(ISlashing.BondBelowMinimum.selector, MIN_DISPUTE_BOND - 1, MIN_DISPUTE_BOND)
        );
        vm.prank(reporter);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND - 1, bytes32(0), "");
        vm.expectRevert(abi.encodeWithSelector(ISlashing.BondBelowMinimum.selector, 0, MIN_DISPUTE_BOND));
        vm.prank(reporter);
        slashing.openDispute(hotkeyA, 0, bytes32(0), "");
        assertEq(_systemState(), before);
    }

    function test_openDispute_revertsWhenEvidenceUriTooLong() public {
        _fund(reporter, MIN_DISPUTE_BOND);
        vm.prank(reporter);
        tao.approve(address(slashing), MIN_DISPUTE_BOND);
        string memory uri = string(new bytes(513));
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.EvidenceUriTooLong.selector, 513, 512));
        vm.prank(reporter);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, bytes32(0), uri);
        assertEq(_systemState(), before);
        // 512 bytes is fine.
        vm.prank(reporter);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, bytes32(0), string(new bytes(512)));
    }

    function test_openDispute_revertsForUnboundHotkey() public {
        _fund(reporter, MIN_DISPUTE_BOND);
        vm.prank(reporter);
        tao.approve(address(slashing), MIN_DISPUTE_BOND);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.HotkeyNotBound.selector, hotkeyC));
        vm.prank(reporter);
        slashing.openDispute(hotkeyC, MIN_DISPUTE_BOND, bytes32(0), "");
        assertEq(_systemState(), before);
    }

    function test_openDispute_revertsAboveMaxOpenDisputesPerHotkey() public {
        uint256[] memory ids = new uint256[](MAX_OPEN_DISPUTES);
        for (uint256 i = 0; i < MAX_OPEN_DISPUTES; ++i) {
            ids[i] = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        }
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, MAX_OPEN_DISPUTES);

        // A ninth: the freeze reverts, and with it the whole dispute, bond included.
        _fund(reporter, MIN_DISPUTE_BOND);
        vm.prank(reporter);
        tao.approve(address(slashing), MIN_DISPUTE_BOND);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TooManyOpenDisputes.selector, hotkeyA, MAX_OPEN_DISPUTES)
        );
        vm.prank(reporter);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, keccak256("ninth"), "ipfs://ninth");
        assertEq(_systemState(), before);
        assertEq(slashing.disputeCount(), MAX_OPEN_DISPUTES);
        assertEq(tao.balanceOf(reporter), MIN_DISPUTE_BOND);
        assertEq(tao.balanceOf(address(slashing)), MAX_OPEN_DISPUTES * MIN_DISPUTE_BOND);

        // Another hotkey can still be disputed.
        _openDispute(carol, hotkeyB, MIN_DISPUTE_BOND);
        assertEq(staking.hotkeyInfo(hotkeyB).openDisputes, 1);

        // Once one is resolved, a ninth dispute can be opened, and the cap holds again after it.
        vm.prank(arbitrator);
        slashing.rejectDispute(ids[3]);
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, MAX_OPEN_DISPUTES - 1);
        vm.prank(reporter);
        uint256 ninth = slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, keccak256("ninth"), "ipfs://ninth");
        assertEq(ninth, MAX_OPEN_DISPUTES + 2);
        assertEq(uint8(slashing.dispute(ninth).status), uint8(ISlashing.DisputeStatus.Open));
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, MAX_OPEN_DISPUTES);
        _fund(reporter, MIN_DISPUTE_BOND);
        vm.prank(reporter);
        tao.approve(address(slashing), MIN_DISPUTE_BOND);
        before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TooManyOpenDisputes.selector, hotkeyA, MAX_OPEN_DISPUTES)
        );
        vm.prank(reporter);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, keccak256("tenth"), "ipfs://tenth");
        assertEq(_systemState(), before);
    }

    function test_openDispute_expiredDisputeFreesItsSlot() public {
        uint256 first = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        for (uint256 i = 1; i < MAX_OPEN_DISPUTES; ++i) {
            _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        }
        _fund(carol, MIN_DISPUTE_BOND);
        vm.prank(carol);
        tao.approve(address(slashing), MIN_DISPUTE_BOND);
        vm.expectRevert(
            abi.encodeWithSelector(IStakingErrors.TooManyOpenDisputes.selector, hotkeyA, MAX_OPEN_DISPUTES)
        );
        vm.prank(carol);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, bytes32(0), "");

        // An accepted dispute frees its slot as well; so does one whose bond was reclaimed.
        vm.prank(arbitrator);
        slashing.acceptDispute(first, 0.01e18);
        vm.prank(carol);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, bytes32(0), "");
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, MAX_OPEN_DISPUTES);
        vm.warp(slashing.dispute(2).deadline + 1);
        slashing.reclaimBond(2);
        _openDispute(stranger, hotkeyA, MIN_DISPUTE_BOND);
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, MAX_OPEN_DISPUTES);
    }

    function test_openDispute_revertsWithoutAllowance() public {
        _fund(reporter, MIN_DISPUTE_BOND);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector,
                address(slashing),
                0,
                MIN_DISPUTE_BOND
            )
        );
        vm.prank(reporter);
        slashing.openDispute(hotkeyA, MIN_DISPUTE_BOND, bytes32(0), "");
        assertEq(_systemState(), before);
    }

    // ---- acceptDispute ----

    function test_acceptDispute_paysReporterBondPlusRewardAndBurnsRest() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        uint256 supplyBefore = tao.totalSupply();
        // 10% of 80 + 20 TAO = 10 TAO; 10% of it to the reporter, with the bond back.
        vm.expectEmit(true, true, true, true, address(slashing));
        emit ISlashing.DisputeAccepted(id, hotkeyA, arbitrator, 0.1e18, 0.1e18, 10e18, 1e18, 9e18);
        vm.prank(arbitrator);
        uint256 slashed = slashing.acceptDispute(id, 0.1e18);

        assertEq(slashed, 10e18);
        assertEq(tao.balanceOf(reporter), MIN_DISPUTE_BOND + 1e18);
        assertEq(tao.totalSupply(), supplyBefore - 9e18);
        assertEq(tao.balanceOf(address(slashing)), 0);
        assertEq(uint8(slashing.dispute(id).status), uint8(ISlashing.DisputeStatus.Accepted));
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, 0);
        assertEq(staking.totalStake(hotkeyA), 72e18);
        assertEq(staking.withdrawalAssets(queuedId), 18e18);
    }

    function test_acceptDispute_byTimelockAsArbitrator() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.prank(timelock);
        slashing.acceptDispute(id, 0.05e18);
        assertEq(uint8(slashing.dispute(id).status), uint8(ISlashing.DisputeStatus.Accepted));
    }

    function test_acceptDispute_atDeadline() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.warp(slashing.dispute(id).deadline);
        vm.prank(arbitrator);
        slashing.acceptDispute(id, 0.05e18);
        assertEq(uint8(slashing.dispute(id).status), uint8(ISlashing.DisputeStatus.Accepted));
    }

    function test_acceptDispute_revertsAfterDeadline() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        uint256 deadline = slashing.dispute(id).deadline;
        vm.warp(deadline + 1);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.DisputeDeadlinePassed.selector, id, deadline, deadline + 1));
        vm.prank(arbitrator);
        slashing.acceptDispute(id, 0.05e18);
        assertEq(_systemState(), before);
    }

    function test_acceptDispute_revertsAboveSlashBound() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(ISlashing.SlashAboveBound.selector, MAX_DISPUTE_SLASH_WAD + 1, MAX_DISPUTE_SLASH_WAD)
        );
        vm.prank(arbitrator);
        slashing.acceptDispute(id, MAX_DISPUTE_SLASH_WAD + 1);
        assertEq(_systemState(), before);
    }

    function test_acceptDispute_revertsWhenNotOpen() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.prank(arbitrator);
        slashing.acceptDispute(id, 0.05e18);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(ISlashing.DisputeNotOpen.selector, id, ISlashing.DisputeStatus.Accepted)
        );
        vm.prank(arbitrator);
        slashing.acceptDispute(id, 0.05e18);
        vm.expectRevert(
            abi.encodeWithSelector(ISlashing.DisputeNotOpen.selector, id + 1, ISlashing.DisputeStatus.None)
        );
        vm.prank(arbitrator);
        slashing.acceptDispute(id + 1, 0.05e18);
        assertEq(_systemState(), before);
    }

    function test_acceptDispute_revertsWhenCallerIsNotArbitrator() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        bytes32 before = _systemState();
        address[5] memory callers = [stranger, reporter, settlement, alice, address(staking)];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            slashing.acceptDispute(id, 0.05e18);
        }
        assertEq(_systemState(), before);
    }

    function test_acceptDispute_whenWindowCapIsSpentReturnsBondOnly() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.prank(address(slashing));
        staking.slash(hotkeyA, MAX_SLASH_PER_WINDOW_WAD);
        uint256 supplyBefore = tao.totalSupply();
        vm.prank(arbitrator);
        uint256 slashed = slashing.acceptDispute(id, 0.1e18);
        assertEq(slashed, 0);
        assertEq(tao.balanceOf(reporter), MIN_DISPUTE_BOND);
        assertEq(tao.totalSupply(), supplyBefore);
    }

    /// @dev Accepting a dispute moves TAO only from the hotkey's pools and the bond to the reporter
    /// and to the burn: nothing is created and nothing stays in Slashing.
    function testFuzz_acceptDispute_conservesTotals(uint256 bond, uint256 fractionWad, uint64 rewardWad) public {
        bond = bound(bond, MIN_DISPUTE_BOND, 100_000e18);
        fractionWad = bound(fractionWad, 0, MAX_DISPUTE_SLASH_WAD);
        rewardWad = uint64(bound(rewardWad, 0, 1e18));
        vm.prank(timelock);
        slashing.setDisputeParameters(MIN_DISPUTE_BOND, DISPUTE_PERIOD, MAX_DISPUTE_SLASH_WAD, rewardWad);
        uint256 id = _openDispute(reporter, hotkeyA, bond);

        uint256 supplyBefore = tao.totalSupply();
        uint256 stakingBefore = tao.balanceOf(address(staking));
        uint256 slashingBefore = tao.balanceOf(address(slashing));
        uint256 poolBefore = _poolValue(hotkeyA);
        vm.prank(arbitrator);
        uint256 slashed = slashing.acceptDispute(id, fractionWad);

        uint256 reward = (slashed * rewardWad) / 1e18;
        uint256 burned = supplyBefore - tao.totalSupply();
        assertEq(tao.balanceOf(reporter), bond + reward, "reporter gets bond + reward");
        assertEq(burned, slashed - reward, "the rest is burned");
        assertEq(stakingBefore - tao.balanceOf(address(staking)), slashed);
        assertEq(poolBefore - _poolValue(hotkeyA), slashed);
        assertEq(slashingBefore - tao.balanceOf(address(slashing)), bond);
        assertEq(tao.balanceOf(address(slashing)), 0);
        // Conservation: what left Staking and Slashing is what the reporter got plus what was burned.
        assertEq(slashed + bond, tao.balanceOf(reporter) + burned);
        assertLe(slashed * 1e18, poolBefore * fractionWad);
    }

    // ---- rejectDispute ----

    function test_rejectDispute_burnsBondAndUnfreezes() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        uint256 supplyBefore = tao.totalSupply();
        vm.expectEmit(true, true, true, true, address(slashing));
        emit ISlashing.DisputeRejected(id, hotkeyA, arbitrator, MIN_DISPUTE_BOND);
        vm.prank(arbitrator);
        slashing.rejectDispute(id);
        assertEq(tao.totalSupply(), supplyBefore - MIN_DISPUTE_BOND);
        assertEq(tao.balanceOf(reporter), 0);
        assertEq(tao.balanceOf(address(slashing)), 0);
        assertEq(uint8(slashing.dispute(id).status), uint8(ISlashing.DisputeStatus.Rejected));
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, 0);
        assertEq(_poolValue(hotkeyA), 100e18);
    }

    function test_rejectDispute_revertsAfterDeadline() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        uint256 deadline = slashing.dispute(id).deadline;
        vm.warp(deadline + 1);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.DisputeDeadlinePassed.selector, id, deadline, deadline + 1));
        vm.prank(arbitrator);
        slashing.rejectDispute(id);
        assertEq(_systemState(), before);
    }

    function test_rejectDispute_revertsWhenNotOpen() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.prank(arbitrator);
        slashing.rejectDispute(id);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(ISlashing.DisputeNotOpen.selector, id, ISlashing.DisputeStatus.Rejected)
        );
        vm.prank(arbitrator);
        slashing.rejectDispute(id);
        assertEq(_systemState(), before);
    }

    function test_rejectDispute_revertsWhenCallerIsNotArbitrator() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        bytes32 before = _systemState();
        address[4] memory callers = [stranger, alice, settlement, address(staking)];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            slashing.rejectDispute(id);
        }
        assertEq(_systemState(), before);
    }

    // ---- reclaimBond ----

    function test_reclaimBond_revertsBeforeDeadline() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        uint256 deadline = slashing.dispute(id).deadline;
        vm.warp(deadline);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(ISlashing.DisputeDeadlineNotPassed.selector, id, deadline, deadline));
        slashing.reclaimBond(id);
        assertEq(_systemState(), before);
    }

    function test_reclaimBond_afterDeadlineReturnsBondToReporter() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.warp(slashing.dispute(id).deadline + 1);
        vm.expectEmit(true, true, false, true, address(slashing));
        emit ISlashing.DisputeBondReclaimed(id, reporter, MIN_DISPUTE_BOND);
        // Anyone may trigger it; the reporter is paid.
        vm.prank(stranger);
        slashing.reclaimBond(id);
        assertEq(tao.balanceOf(reporter), MIN_DISPUTE_BOND);
        assertEq(uint8(slashing.dispute(id).status), uint8(ISlashing.DisputeStatus.Expired));
        assertEq(staking.hotkeyInfo(hotkeyA).openDisputes, 0);

        vm.expectRevert(abi.encodeWithSelector(ISlashing.DisputeNotOpen.selector, id, ISlashing.DisputeStatus.Expired));
        slashing.reclaimBond(id);
        vm.expectRevert(abi.encodeWithSelector(ISlashing.DisputeNotOpen.selector, id, ISlashing.DisputeStatus.Expired));
        vm.prank(arbitrator);
        slashing.acceptDispute(id, 0.05e18);
    }

    function test_reclaimBond_revertsForResolvedDispute() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        vm.prank(arbitrator);
        slashing.rejectDispute(id);
        vm.warp(block.timestamp + DISPUTE_PERIOD + 1);
        bytes32 before = _systemState();
        vm.expectRevert(
            abi.encodeWithSelector(ISlashing.DisputeNotOpen.selector, id, ISlashing.DisputeStatus.Rejected)
        );
        slashing.reclaimBond(id);
        assertEq(_systemState(), before);
    }
}

contract SlashingParametersTest is SlashingTestBase {
    function test_constructor_setsParameters() public view {
        assertEq(slashing.minDisputeBond(), MIN_DISPUTE_BOND);
        assertEq(slashing.disputePeriod(), DISPUTE_PERIOD);
        assertEq(slashing.maxDisputeSlashWad(), MAX_DISPUTE_SLASH_WAD);
        assertEq(slashing.reporterRewardWad(), REPORTER_REWARD_WAD);
        ISlashing.FaultRoute memory route = slashing.faultRoute(address(faultProof));
        assertTrue(route.enabled);
        assertEq(route.penaltyWad, FAULT_PENALTY_WAD);
        assertEq(route.reporterTipWad, FAULT_TIP_WAD);
    }

    function test_constructor_revertsForOutOfBoundsParameters() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("minDisputeBond"),
                0,
                1,
                type(uint256).max
            )
        );
        new Slashing(address(manager), address(tao), address(staking), 0, 1 days, 0, 0);
    }

    function test_setFaultRoute_setsAndEmits() public {
        address proof = makeAddr("proof");
        vm.expectEmit(true, false, false, true, address(slashing));
        emit ISlashing.FaultRouteSet(proof, true, 0.1e18, 1e18);
        vm.prank(timelock);
        slashing.setFaultRoute(proof, true, 0.1e18, 1e18);
        ISlashing.FaultRoute memory route = slashing.faultRoute(proof);
        assertTrue(route.enabled);
        assertEq(route.penaltyWad, 0.1e18);
        assertEq(route.reporterTipWad, 1e18);
    }

    function test_setFaultRoute_revertsOutOfBounds() public {
        address proof = makeAddr("proof");
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("penaltyWad"),
                0.1e18 + 1,
                0,
                0.1e18
            )
        );
        vm.prank(timelock);
        slashing.setFaultRoute(proof, true, 0.1e18 + 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("reporterTipWad"),
                1e18 + 1,
                0,
                1e18
            )
        );
        vm.prank(timelock);
        slashing.setFaultRoute(proof, true, 0, 1e18 + 1);
        assertFalse(slashing.faultRoute(proof).enabled);
    }

    function test_setFaultRoute_revertsWhenCallerIsNotAdmin() public {
        address[4] memory callers = [stranger, arbitrator, settlement, reporter];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            slashing.setFaultRoute(callers[i], true, 0.1e18, 1e18);
        }
        assertFalse(slashing.faultRoute(stranger).enabled);
    }

    function test_setDisputeParameters_setsAndEmits() public {
        vm.expectEmit(false, false, false, true, address(slashing));
        emit ISlashing.DisputeParametersSet(1, 60 days, 0.5e18, 1e18);
        vm.prank(timelock);
        slashing.setDisputeParameters(1, 60 days, 0.5e18, 1e18);
        assertEq(slashing.minDisputeBond(), 1);
        assertEq(slashing.disputePeriod(), 60 days);
        assertEq(slashing.maxDisputeSlashWad(), 0.5e18);
        assertEq(slashing.reporterRewardWad(), 1e18);
    }

    function test_setDisputeParameters_revertsOutOfBounds() public {
        bytes32 before = _systemState();
        vm.startPrank(timelock);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("minDisputeBond"),
                0,
                1,
                type(uint256).max
            )
        );
        slashing.setDisputeParameters(0, 1 days, 0.1e18, 0.1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("disputePeriod"),
                1 hours - 1,
                1 hours,
                60 days
            )
        );
        slashing.setDisputeParameters(1, 1 hours - 1, 0.1e18, 0.1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("disputePeriod"),
                60 days + 1,
                1 hours,
                60 days
            )
        );
        slashing.setDisputeParameters(1, 60 days + 1, 0.1e18, 0.1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("maxDisputeSlashWad"),
                0.5e18 + 1,
                0,
                0.5e18
            )
        );
        slashing.setDisputeParameters(1, 1 days, 0.5e18 + 1, 0.1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISlashing.ParameterOutOfBounds.selector,
                bytes32("reporterRewardWad"),
                1e18 + 1,
                0,
                1e18
            )
        );
        slashing.setDisputeParameters(1, 1 days, 0.1e18, 1e18 + 1);
        vm.stopPrank();
        assertEq(_systemState(), before);
    }

    function test_setDisputeParameters_revertsWhenCallerIsNotAdmin() public {
        vm.expectRevert(_unauthorized(arbitrator));
        vm.prank(arbitrator);
        slashing.setDisputeParameters(1, 1 days, 0.1e18, 0.1e18);
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        slashing.setDisputeParameters(1, 1 days, 0.1e18, 0.1e18);
        assertEq(slashing.minDisputeBond(), MIN_DISPUTE_BOND);
    }

    function test_setDisputeParameters_doNotMoveOpenDisputesDeadline() public {
        uint256 id = _openDispute(reporter, hotkeyA, MIN_DISPUTE_BOND);
        uint64 deadline = slashing.dispute(id).deadline;
        vm.prank(timelock);
        slashing.setDisputeParameters(MIN_DISPUTE_BOND, 60 days, MAX_DISPUTE_SLASH_WAD, REPORTER_REWARD_WAD);
        assertEq(slashing.dispute(id).deadline, deadline);
    }
}
