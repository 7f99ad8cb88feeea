// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {EmissionSchedule} from "../../../contracts/libraries/EmissionSchedule.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";
import {EmissionHandler} from "./handlers/EmissionHandler.sol";

/// @notice TAO supply and Emission under random leaps of time, mints and burns (see EmissionHandler).
contract EmissionInvariantsTest is TaonetTest {
    EmissionHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new EmissionHandler(tao, emission, settlement, makeAddr("recipient"));
        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = EmissionHandler.warp.selector;
        selectors[1] = EmissionHandler.mint.selector;
        selectors[2] = EmissionHandler.burn.selector;
        selectors[3] = EmissionHandler.accrue.selector;
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_totalSupplyNeverExceedsCap() public view {
        assertLe(tao.totalSupply(), tao.cap());
        assertLe(emission.issuance(), EmissionSchedule.CAP, "issuance past cap");
    }

    /// @notice Supply is genesis plus minted minus burned; only accrued emission is ever minted.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_supplyIsGenesisPlusMintedMinusBurned() public view {
        assertEq(emission.cumulativeMinted(), handler.ghost_minted());
        assertEq(tao.totalSupply(), GENESIS_SUPPLY + handler.ghost_minted() - handler.ghost_burned());
        assertLe(emission.cumulativeMinted(), emission.cumulativeAccrued(), "minted more than accrued");
        assertEq(emission.mintable(), emission.cumulativeAccrued() - emission.cumulativeMinted());
    }

    /// @notice However the accrual is checkpointed, it never gets ahead of the schedule accrued in
    /// one step from the start, and falls behind it by at most a few wei per checkpoint. Burns do
    /// not re-open emission: issuance only depends on what was accrued.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_accrualFollowsTheSchedule() public view {
        uint256 once = EmissionSchedule.accrue(GENESIS_SUPPLY, block.timestamp - emission.startTime());
        uint256 accrued = emission.cumulativeAccrued();
        assertLe(accrued, once, "checkpointed accrual ahead of the schedule");
        assertLe(once - accrued, 2 * (handler.ghost_steps() + 1), "checkpointed accrual lost more than rounding");
        assertEq(emission.issuance(), GENESIS_SUPPLY + accrued);
        assertEq(handler.ghost_viewMismatches(), 0, "view and checkpoint disagree");
    }
}
