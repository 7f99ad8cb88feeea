// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {TAO} from "../../../../contracts/token/TAO.sol";
import {Emission} from "../../../../contracts/emission/Emission.sol";

/// @notice Drives Emission across centuries: time passes in leaps of up to 40 years, the
/// settlement mints any part of what has accrued, holders burn, anyone checkpoints.
contract EmissionHandler is CommonBase, StdUtils {
    TAO public tao;
    Emission public emission;
    address public settlement;
    address public recipient;

    uint256 public currentTime;
    uint256 public ghost_minted;
    uint256 public ghost_burned;
    /// @notice Calls that changed the accrual checkpoint or minted: each may round away a wei or two.
    uint256 public ghost_steps;
    /// @notice A checkpoint's accrual differed from what the view said was accrued just before.
    uint256 public ghost_viewMismatches;

    constructor(TAO tao_, Emission emission_, address settlement_, address recipient_) {
        tao = tao_;
        emission = emission_;
        settlement = settlement_;
        recipient = recipient_;
        currentTime = block.timestamp;
    }

    modifier useTime() {
        vm.warp(currentTime);
        _;
    }

    function warp(uint256 seconds_) external {
        currentTime += bound(seconds_, 1, 40 * 365 days);
        vm.warp(currentTime);
    }

    function mint(uint256 amount) external useTime {
        uint256 available = emission.mintable();
        if (available == 0) return;
        amount = bound(amount, 1, available);
        uint256 viewed = emission.cumulativeAccrued();
        vm.prank(settlement);
        emission.mint(recipient, amount);
        if (emission.cumulativeAccrued() != viewed) ++ghost_viewMismatches;
        ghost_minted += amount;
        ++ghost_steps;
    }

    function burn(uint256 amount) external useTime {
        uint256 balance = tao.balanceOf(recipient);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(recipient);
        tao.burn(amount);
        ghost_burned += amount;
    }

    function accrue() external useTime {
        uint256 viewed = emission.cumulativeAccrued();
        uint256 before = emission.cumulativeMinted();
        emission.accrue();
        if (emission.cumulativeAccrued() != viewed || emission.cumulativeMinted() != before) ++ghost_viewMismatches;
        ++ghost_steps;
    }
}
