// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TaoGovernor} from "../../../contracts/governance/TaoGovernor.sol";
import {Staking} from "../../../contracts/staking/Staking.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {ITAO} from "../../../contracts/interfaces/ITAO.sol";
import {TaonetTest} from "../utils/TaonetTest.sol";

/// @notice A TAO-holder proposal changing a protocol parameter through the real Governor, the real
/// TimelockController and the AccessManager (the end-to-end TypeScript test covers deployment).
contract TaoGovernorTest is TaonetTest {
    uint48 internal constant VOTING_DELAY = 1 hours;
    uint32 internal constant VOTING_PERIOD = 1 days;
    uint256 internal constant PROPOSAL_THRESHOLD = 1_000e18;
    uint256 internal constant MIN_DELAY = 2 days;

    TimelockController internal timelockController;
    TaoGovernor internal governor;

    function setUp() public override {
        super.setUp();
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        timelockController = new TimelockController(MIN_DELAY, none, anyone, address(this));
        governor = new TaoGovernor(
            IVotes(address(tao)),
            timelockController,
            VOTING_DELAY,
            VOTING_PERIOD,
            PROPOSAL_THRESHOLD,
            4
        );
        timelockController.grantRole(timelockController.PROPOSER_ROLE(), address(governor));
        timelockController.grantRole(timelockController.CANCELLER_ROLE(), address(governor));
        timelockController.renounceRole(timelockController.DEFAULT_ADMIN_ROLE(), address(this));
        // The stand-in timelock hands ADMIN to the real one, as the deployment does.
        vm.prank(timelock);
        manager.grantRole(Roles.ADMIN, address(timelockController), 0);

        vm.prank(treasury);
        tao.delegate(treasury);
        vm.warp(block.timestamp + 1);
    }

    function _proposal(
        bytes memory call
    ) internal view returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) {
        targets = new address[](1);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        (targets[0], calldatas[0]) = (address(staking), call);
    }

    function _passAndQueue(
        bytes memory call,
        string memory description
    ) internal returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) {
        (targets, values, calldatas) = _proposal(call);
        vm.prank(treasury);
        uint256 id = governor.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(treasury);
        governor.castVote(id, 1);
        vm.warp(block.timestamp + VOTING_PERIOD);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Succeeded));
        governor.queue(targets, values, calldatas, keccak256(bytes(description)));
    }

    function test_clock_isTimestamp() public view {
        assertEq(governor.clock(), block.timestamp);
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(governor.votingDelay(), VOTING_DELAY);
        assertEq(governor.votingPeriod(), VOTING_PERIOD);
    }

    function test_proposal_setsUnbondingPeriodThroughTimelock() public {
        bytes memory call = abi.encodeCall(Staking.setUnbondingPeriod, (14 days));
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _passAndQueue(
            call,
            "Unbonding period: 14 days"
        );

        // The timelock's delay holds.
        vm.expectRevert();
        governor.execute(targets, values, calldatas, keccak256("Unbonding period: 14 days"));
        vm.warp(block.timestamp + MIN_DELAY);
        governor.execute(targets, values, calldatas, keccak256("Unbonding period: 14 days"));
        assertEq(staking.unbondingPeriod(), 14 days);
    }

    function test_proposal_cannotMintOutsideTheSchedule() public {
        address[] memory targets = new address[](1);
        uint256[] memory values = new uint256[](1);
        bytes[] memory calldatas = new bytes[](1);
        (targets[0], calldatas[0]) = (address(tao), abi.encodeCall(ITAO.mint, (treasury, 1e18)));
        string memory description = "Mint 1 TAO";
        vm.prank(treasury);
        uint256 id = governor.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(treasury);
        governor.castVote(id, 1);
        vm.warp(block.timestamp + VOTING_PERIOD);
        governor.queue(targets, values, calldatas, keccak256(bytes(description)));
        vm.warp(block.timestamp + MIN_DELAY);
        uint256 supply = tao.totalSupply();
        vm.expectRevert(
            abi.encodeWithSelector(ITAO.UnauthorizedMinter.selector, address(timelockController), address(emission))
        );
        governor.execute(targets, values, calldatas, keccak256(bytes(description)));
        assertEq(tao.totalSupply(), supply);
    }

    function test_propose_revertsBelowThreshold() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(
            abi.encodeCall(Staking.setUnbondingPeriod, (1 days))
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorInsufficientProposerVotes.selector,
                stranger,
                0,
                PROPOSAL_THRESHOLD
            )
        );
        vm.prank(stranger);
        governor.propose(targets, values, calldatas, "no votes");
    }

    function test_quorum_isFourPercentOfPastSupply() public view {
        assertEq(governor.quorum(block.timestamp - 1), (GENESIS_SUPPLY * 4) / 100);
    }
}
