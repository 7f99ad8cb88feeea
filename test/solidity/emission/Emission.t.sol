// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {TAO} from "../../../contracts/token/TAO.sol";
import {Emission} from "../../../contracts/emission/Emission.sol";
import {IEmission} from "../../../contracts/interfaces/IEmission.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {EmissionSchedule} from "../../../contracts/libraries/EmissionSchedule.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

contract EmissionTest is TaonetTest {
    uint256 internal constant CAP = EmissionSchedule.CAP;

    function _mint(address to, uint256 amount) internal {
        vm.prank(settlement);
        emission.mint(to, amount);
    }

    /// @dev A TAO and an Emission of their own, wired like production, with `genesis` TAO at
    /// deployment and emission starting at `startTime_` (0 = now).
    function _deployEmission(uint256 genesis, uint256 startTime_) internal returns (TAO token, Emission em) {
        AccessManager m = new AccessManager(address(this));
        address[] memory recipients = new address[](genesis == 0 ? 0 : 1);
        uint256[] memory amounts = new uint256[](genesis == 0 ? 0 : 1);
        if (genesis != 0) (recipients[0], amounts[0]) = (treasury, genesis);
        token = new TAO(address(m), recipients, amounts);
        em = new Emission(address(m), address(token), startTime_);
        token.setMinter(address(em));
        m.setTargetFunctionRole(address(em), _selectors(Emission.mint.selector), Roles.SETTLEMENT);
        m.grantRole(Roles.SETTLEMENT, settlement, 0);
    }

    // ---- deployment ----

    function test_constructor_recordsGenesisAndStart() public view {
        assertEq(emission.token(), address(tao));
        assertEq(emission.genesisSupply(), GENESIS_SUPPLY);
        assertEq(emission.startTime(), START_TIME);
        assertEq(emission.cumulativeAccrued(), 0);
        assertEq(emission.cumulativeMinted(), 0);
        assertEq(emission.mintable(), 0);
        assertEq(emission.issuance(), GENESIS_SUPPLY);
        assertEq(emission.currentEra(), 0);
        assertEq(emission.currentRatePerSecond(), uint256(1e18) / 12);
    }

    // ---- accrue ----

    function test_accrue_returnsZeroWhenNoTimePassed() public {
        assertEq(emission.accrue(), 0);
        assertEq(emission.cumulativeAccrued(), 0);
    }

    function test_accrue_checkpointsAndEmits() public {
        vm.warp(START_TIME + 120);
        vm.expectEmit(false, false, false, true, address(emission));
        emit IEmission.EmissionAccrued(10e18, 10e18, GENESIS_SUPPLY + 10e18, START_TIME + 120);
        assertEq(emission.accrue(), 10e18);
        assertEq(emission.cumulativeAccrued(), 10e18);
        assertEq(emission.accrue(), 0);
    }

    function testFuzz_accrue_viewMatchesCheckpoint(uint256 dt1, uint256 dt2) public {
        dt1 = bound(dt1, 0, 20 * 365 days);
        dt2 = bound(dt2, 0, 20 * 365 days);
        vm.warp(START_TIME + dt1);
        uint256 viewed = emission.cumulativeAccrued();
        emission.accrue();
        assertEq(emission.cumulativeAccrued(), viewed);
        vm.warp(START_TIME + dt1 + dt2);
        viewed = emission.cumulativeAccrued();
        uint256 mintableBefore = emission.mintable();
        emission.accrue();
        assertEq(emission.cumulativeAccrued(), viewed);
        assertEq(emission.mintable(), mintableBefore);
        assertEq(emission.issuance(), GENESIS_SUPPLY + viewed);
    }

    // ---- mint ----

    function test_mint_afterWarpMintsExactlyWhatAccrued() public {
        vm.warp(START_TIME + 1 days);
        assertEq(emission.mintable(), 7_200e18);
        vm.expectEmit(true, true, false, true, address(emission));
        emit IEmission.EmissionMinted(alice, 7_200e18, settlement, 7_200e18);
        _mint(alice, 7_200e18);
        assertEq(tao.balanceOf(alice), 7_200e18);
        assertEq(tao.totalSupply(), GENESIS_SUPPLY + 7_200e18);
        assertEq(emission.cumulativeMinted(), 7_200e18);
        assertEq(emission.mintable(), 0);

        vm.expectRevert(abi.encodeWithSelector(IEmission.InsufficientAccrued.selector, 1, 0));
        vm.prank(settlement);
        emission.mint(alice, 1);
    }

    function test_mint_revertsBeyondAccrued() public {
        vm.warp(START_TIME + 12);
        bytes32 before = _systemState();
        vm.expectRevert(abi.encodeWithSelector(IEmission.InsufficientAccrued.selector, 1e18 + 1, 1e18));
        vm.prank(settlement);
        emission.mint(alice, 1e18 + 1);
        assertEq(_systemState(), before);
        assertEq(emission.mintable(), 1e18);
    }

    function test_mint_inPartsUpToAccrued() public {
        vm.warp(START_TIME + 24);
        _mint(alice, 0.5e18);
        _mint(bob, 1.5e18);
        vm.expectRevert(abi.encodeWithSelector(IEmission.InsufficientAccrued.selector, 1, 0));
        vm.prank(settlement);
        emission.mint(alice, 1);
        assertEq(tao.balanceOf(alice), 0.5e18);
        assertEq(tao.balanceOf(bob), 1.5e18);
    }

    function test_mint_revertsForZeroRecipient() public {
        vm.warp(START_TIME + 12);
        bytes32 before = _systemState();
        vm.expectRevert(IEmission.InvalidRecipient.selector);
        vm.prank(settlement);
        emission.mint(address(0), 1);
        assertEq(_systemState(), before);
    }

    function test_mint_revertsForZeroAmount() public {
        vm.warp(START_TIME + 12);
        bytes32 before = _systemState();
        vm.expectRevert(IEmission.ZeroAmount.selector);
        vm.prank(settlement);
        emission.mint(alice, 0);
        assertEq(_systemState(), before);
    }

    function test_mint_revertsWhenCallerIsNotSettlement() public {
        vm.warp(START_TIME + 1 days);
        bytes32 before = _systemState();
        address[4] memory callers = [stranger, timelock, arbitrator, address(slashing)];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_unauthorized(callers[i]));
            vm.prank(callers[i]);
            emission.mint(callers[i], 1e18);
        }
        assertEq(_systemState(), before);
    }

    function testFuzz_mint_manyStepsNeverExceedOneAccrual(uint256 seed) public {
        uint256 steps = 1 + (seed % 16);
        uint256 t = START_TIME;
        for (uint256 i = 0; i < steps; ++i) {
            t += uint256(keccak256(abi.encode(seed, i))) % (400 days);
            vm.warp(t);
            uint256 available = emission.mintable();
            if (available != 0) _mint(alice, available);
        }
        uint256 once = EmissionSchedule.accrue(GENESIS_SUPPLY, t - START_TIME);
        assertEq(emission.cumulativeMinted(), tao.balanceOf(alice));
        assertLe(emission.cumulativeMinted(), once);
        assertLe(once - emission.cumulativeMinted(), 2 * steps);
    }

    // ---- genesis and issuance ----

    function test_genesisSupply_countsTowardIssuance() public {
        // One TAO short of the first threshold: the next 12 s end era 0, then the rate halves.
        (TAO token, Emission em) = _deployEmission(10_500_000e18 - 1e18, 0);
        assertEq(em.genesisSupply(), 10_500_000e18 - 1e18);
        assertEq(em.currentEra(), 0);
        vm.warp(block.timestamp + 12);
        assertEq(em.issuance(), 10_500_000e18);
        assertEq(em.currentEra(), 1);
        assertEq(em.currentRatePerSecond(), uint256(1e18) / 24);
        vm.warp(block.timestamp + 24);
        assertEq(em.cumulativeAccrued(), 2e18);
        vm.prank(settlement);
        em.mint(alice, 2e18);
        assertEq(token.totalSupply(), 10_500_000e18 + 1e18);
    }

    function test_genesisSupply_atCapLeavesNothingToEmit() public {
        (TAO token, Emission em) = _deployEmission(CAP, 0);
        vm.warp(block.timestamp + 1e10);
        assertEq(em.mintable(), 0);
        assertEq(em.currentRatePerSecond(), 0);
        vm.expectRevert(abi.encodeWithSelector(IEmission.InsufficientAccrued.selector, 1, 0));
        vm.prank(settlement);
        em.mint(alice, 1);
        assertEq(token.totalSupply(), CAP);
    }

    function test_burn_doesNotReopenEmission() public {
        vm.warp(START_TIME + 1 days);
        uint256 issuanceBefore = emission.issuance();
        vm.prank(treasury);
        tao.burn(500_000e18);
        assertEq(emission.issuance(), issuanceBefore);
        assertEq(emission.mintable(), 7_200e18);
    }

    function test_mint_afterCenturiesStopsAtCap() public {
        vm.warp(START_TIME + 1e12);
        uint256 available = emission.mintable();
        assertEq(emission.issuance(), CAP);
        assertEq(available, CAP - GENESIS_SUPPLY);
        _mint(alice, available);
        assertEq(tao.totalSupply(), CAP);
        vm.warp(block.timestamp + 1e12);
        assertEq(emission.mintable(), 0);
        assertEq(emission.currentEra(), EmissionSchedule.MAX_ERA + 1);
    }

    // ---- future start ----

    function test_startTime_inTheFutureAccruesNothingBeforeIt() public {
        uint256 start = block.timestamp + 1 days;
        (TAO token, Emission em) = _deployEmission(0, start);
        assertEq(em.startTime(), start);
        vm.warp(start - 1);
        assertEq(em.cumulativeAccrued(), 0);
        assertEq(em.accrue(), 0);
        vm.expectRevert(abi.encodeWithSelector(IEmission.InsufficientAccrued.selector, 1, 0));
        vm.prank(settlement);
        em.mint(alice, 1);
        vm.warp(start);
        assertEq(em.mintable(), 0);
        vm.warp(start + 12);
        assertEq(em.mintable(), 1e18);
        vm.prank(settlement);
        em.mint(alice, 1e18);
        assertEq(token.balanceOf(alice), 1e18);
    }

    // ---- past start ----

    function test_constructor_revertsForStartTimeInThePast() public {
        vm.warp(START_TIME + 30 days);
        // Where the next contract this test deploys would live.
        address next = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        bytes32 before = _systemState();
        // Starting a second before deployment would mint for time already past.
        vm.expectRevert(
            abi.encodeWithSelector(IEmission.StartTimeInPast.selector, START_TIME + 30 days - 1, START_TIME + 30 days)
        );
        new Emission(address(manager), address(tao), START_TIME + 30 days - 1);
        vm.expectRevert(abi.encodeWithSelector(IEmission.StartTimeInPast.selector, 1, START_TIME + 30 days));
        new Emission(address(manager), address(tao), 1);
        assertEq(_systemState(), before);
        assertEq(next.code.length, 0, "an Emission was deployed");
        assertEq(tao.minter(), address(emission));
    }

    function test_constructor_acceptsStartTimeNowAndZeroForNow() public {
        vm.warp(START_TIME + 30 days);
        (, Emission atNow) = _deployEmission(0, block.timestamp);
        (, Emission zero) = _deployEmission(0, 0);
        assertEq(atNow.startTime(), START_TIME + 30 days);
        assertEq(zero.startTime(), START_TIME + 30 days);
        vm.warp(block.timestamp + 12);
        assertEq(atNow.mintable(), 1e18);
        assertEq(zero.mintable(), 1e18);
    }

    function testFuzz_constructor_acceptsStartTimeExactlyWhenNotInThePast(uint256 elapsed, uint256 start) public {
        elapsed = bound(elapsed, 0, 100 * 365 days);
        vm.warp(START_TIME + elapsed);
        start = bound(start, 1, block.timestamp + 365 days);
        if (start < block.timestamp) {
            vm.expectRevert(abi.encodeWithSelector(IEmission.StartTimeInPast.selector, start, block.timestamp));
            new Emission(address(manager), address(tao), start);
        } else {
            Emission em = new Emission(address(manager), address(tao), start);
            assertEq(em.startTime(), start);
            assertEq(em.cumulativeAccrued(), 0);
        }
    }

    function test_emissionOver_isTheSchedule() public view {
        assertEq(emission.emissionOver(0, 12), 1e18);
        assertEq(emission.emissionOver(10_500_000e18, 24), 1e18);
        assertEq(emission.emissionOver(CAP, 1e12), 0);
    }
}
