// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {TAO} from "../../../contracts/token/TAO.sol";
import {Emission} from "../../../contracts/emission/Emission.sol";
import {Staking} from "../../../contracts/staking/Staking.sol";
import {Slashing} from "../../../contracts/slashing/Slashing.sol";
import {Roles} from "../../../contracts/governance/Roles.sol";
import {IStakingTypes} from "../../../contracts/interfaces/IStaking.sol";
import {FaultProofDouble} from "../../doubles/FaultProofDouble.sol";

/// @title TaonetTest
/// @notice Base of every taonet Solidity test: deploys the whole system behind a real OpenZeppelin
/// AccessManager and wires it exactly as `deploy/modules/Taonet.ts` does (same function-to-role
/// map, same grants, the deployer renouncing ADMIN at the end). The timelock is stood in for by
/// the `timelock` actor, which holds ADMIN; the Yuma settlement by the `settlement` actor, which
/// holds SETTLEMENT (production grants it once the settlement contract exists).
/// @dev Parameters are the deployment module's defaults, so tests exercise production values.
abstract contract TaonetTest is Test {
    // ---- parameters: the defaults of deploy/modules/Taonet.ts ----
    uint256 internal constant GENESIS_SUPPLY = 1_000_000e18;
    uint64 internal constant UNBONDING_PERIOD = 7 days;
    uint16 internal constant DEFAULT_TAKE_BPS = 1_800;
    uint64 internal constant TAKE_INCREASE_COOLDOWN = 30 days;
    uint64 internal constant MAX_SLASH_PER_WINDOW_WAD = 0.1e18;
    uint64 internal constant SLASH_WINDOW = 7 days;
    uint256 internal constant MIN_DISPUTE_BOND = 100e18;
    uint64 internal constant DISPUTE_PERIOD = 14 days;
    uint64 internal constant MAX_DISPUTE_SLASH_WAD = 0.1e18;
    uint64 internal constant REPORTER_REWARD_WAD = 0.1e18;
    /// @dev The fault route the base registers for the test double (no route exists at deployment).
    uint64 internal constant FAULT_PENALTY_WAD = 0.01e18;
    uint64 internal constant FAULT_TIP_WAD = 0.2e18;

    // ---- protocol constants, mirrored (StakingParametersTest checks they match) ----
    uint256 internal constant MIN_STAKE = 0.002e18;
    uint256 internal constant MAX_OPEN_DISPUTES = 8;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant START_TIME = 1_750_000_000;

    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    // ---- system ----
    AccessManager internal manager;
    TAO internal tao;
    Emission internal emission;
    Staking internal staking;
    Slashing internal slashing;
    FaultProofDouble internal faultProof;

    // ---- actors ----
    address internal timelock = makeAddr("timelock");
    address internal settlement = makeAddr("settlement");
    address internal arbitrator = makeAddr("arbitrator");
    address internal treasury = makeAddr("treasury");
    address internal reporter = makeAddr("reporter");
    address internal stranger = makeAddr("stranger");
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal carol = makeAddr("carol");

    /// @dev Hotkeys are EOAs whose keys sign their bindings.
    address internal hotkeyA;
    uint256 internal hotkeyAKey;
    address internal hotkeyB;
    uint256 internal hotkeyBKey;
    address internal hotkeyC;
    uint256 internal hotkeyCKey;

    function setUp() public virtual {
        vm.warp(START_TIME);
        (alice, aliceKey) = makeAddrAndKey("alice");
        (bob, bobKey) = makeAddrAndKey("bob");
        (hotkeyA, hotkeyAKey) = makeAddrAndKey("hotkey A");
        (hotkeyB, hotkeyBKey) = makeAddrAndKey("hotkey B");
        (hotkeyC, hotkeyCKey) = makeAddrAndKey("hotkey C");
        _deploy();
    }

    function _deploy() internal {
        manager = new AccessManager(address(this));

        address[] memory recipients = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        recipients[0] = treasury;
        amounts[0] = GENESIS_SUPPLY;
        tao = new TAO(address(manager), recipients, amounts);
        emission = new Emission(address(manager), address(tao), 0);
        staking = new Staking(
            address(manager),
            address(tao),
            UNBONDING_PERIOD,
            DEFAULT_TAKE_BPS,
            TAKE_INCREASE_COOLDOWN,
            MAX_SLASH_PER_WINDOW_WAD,
            SLASH_WINDOW
        );
        slashing = new Slashing(
            address(manager),
            address(tao),
            address(staking),
            MIN_DISPUTE_BOND,
            DISPUTE_PERIOD,
            MAX_DISPUTE_SLASH_WAD,
            REPORTER_REWARD_WAD
        );

        // Wiring, as the deployer while it is the temporary admin.
        tao.setMinter(address(emission));
        manager.setTargetFunctionRole(address(emission), _selectors(Emission.mint.selector), Roles.SETTLEMENT);
        manager.setTargetFunctionRole(
            address(staking),
            _selectors(Staking.distributeReward.selector, Staking.accrueRewards.selector),
            Roles.SETTLEMENT
        );
        manager.setTargetFunctionRole(
            address(staking),
            _selectors(Staking.slash.selector, Staking.freezeHotkey.selector, Staking.unfreezeHotkey.selector),
            Roles.SLASHER
        );
        manager.setTargetFunctionRole(
            address(slashing),
            _selectors(Slashing.acceptDispute.selector, Slashing.rejectDispute.selector),
            Roles.ARBITRATOR
        );
        manager.labelRole(Roles.SETTLEMENT, "SETTLEMENT");
        manager.labelRole(Roles.SLASHER, "SLASHER");
        manager.labelRole(Roles.ARBITRATOR, "ARBITRATOR");
        manager.grantRole(Roles.SLASHER, address(slashing), 0);
        manager.grantRole(Roles.ARBITRATOR, arbitrator, 0);
        manager.grantRole(Roles.ARBITRATOR, timelock, 0);
        manager.grantRole(Roles.ADMIN, timelock, 0);
        manager.grantRole(Roles.SETTLEMENT, settlement, 0);
        // Hand over: the deployer keeps no power.
        manager.renounceRole(Roles.ADMIN, address(this));

        // Governance registers the objective-fault route of the test double.
        faultProof = new FaultProofDouble();
        vm.prank(timelock);
        slashing.setFaultRoute(address(faultProof), true, FAULT_PENALTY_WAD, FAULT_TIP_WAD);

        vm.label(address(manager), "AccessManager");
        vm.label(address(tao), "TAO");
        vm.label(address(emission), "Emission");
        vm.label(address(staking), "Staking");
        vm.label(address(slashing), "Slashing");
        vm.label(address(faultProof), "FaultProofDouble");
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    function _selectors(bytes4 a) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](1);
        s[0] = a;
    }

    function _selectors(bytes4 a, bytes4 b) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](2);
        (s[0], s[1]) = (a, b);
    }

    function _selectors(bytes4 a, bytes4 b, bytes4 c) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](3);
        (s[0], s[1], s[2]) = (a, b, c);
    }

    /// @dev The revert data of an AccessManaged function called by `caller` without the role.
    function _unauthorized(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    /// @dev Sends `amount` TAO from the genesis treasury to `to`.
    function _fund(address to, uint256 amount) internal {
        vm.prank(treasury);
        tao.transfer(to, amount);
    }

    /// @dev The hotkey's EIP-712 signature binding it to `coldkey`, with its current nonce.
    function _signBinding(uint256 hotkeyKey, address coldkey, uint256 deadline) internal view returns (bytes memory) {
        address hotkey = vm.addr(hotkeyKey);
        return _signBinding(hotkeyKey, hotkey, coldkey, staking.nonces(hotkey), deadline);
    }

    function _signBinding(
        uint256 signerKey,
        address hotkey,
        address coldkey,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, staking.bindingDigest(hotkey, coldkey, nonce, deadline));
        return abi.encodePacked(r, s, v);
    }

    /// @dev Binds the hotkey of `hotkeyKey` to `coldkey` with a real signature; returns the hotkey.
    function _bind(uint256 hotkeyKey, address coldkey) internal returns (address hotkey) {
        hotkey = vm.addr(hotkeyKey);
        bytes memory signature = _signBinding(hotkeyKey, coldkey, block.timestamp + 1 hours);
        vm.prank(coldkey);
        staking.bindHotkey(hotkey, block.timestamp + 1 hours, signature);
    }

    /// @dev Funds `coldkey` with `assets` and stakes them into `hotkey`'s pool.
    function _stake(address coldkey, address hotkey, uint256 assets) internal returns (uint256 shares) {
        _fund(coldkey, assets);
        vm.startPrank(coldkey);
        tao.approve(address(staking), assets);
        shares = staking.addStake(hotkey, assets);
        vm.stopPrank();
    }

    /// @dev The smallest deposit that surely leaves a staker of `hotkey` with a position worth at
    /// least MIN_STAKE: the minimum plus what rounding may cost, less than one share's price. (The
    /// position is worth at least floor(shares * (A + 1) / (S + 1e6)) after the stake, because the
    /// stake cannot lower the price, and the shares fall short of the deposit by under one share.)
    function _minDeposit(address hotkey) internal view returns (uint256) {
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkey);
        return MIN_STAKE + (p.stakeAssets + 1) / (p.stakeShares + 1e6) + 1;
    }

    /// @dev The fewest shares of `hotkey` that stay worth at least MIN_STAKE after any unstake from
    /// it (an unstake rounds in the pool's favour, so it cannot lower the price).
    function _minKeptShares(address hotkey) internal view returns (uint256) {
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkey);
        return Math.mulDiv(MIN_STAKE, p.stakeShares + 1e6, p.stakeAssets + 1, Math.Rounding.Ceil);
    }

    /// @dev `seed` bounded to shares `coldkey` may unstake from `hotkey`: a partial unstake that
    /// keeps a position worth at least MIN_STAKE or, at the top of the range, the whole position
    /// (the only choice when what it holds is worth less than the minimum).
    function _boundUnstake(address coldkey, address hotkey, uint256 seed) internal view returns (uint256) {
        uint256 owned = staking.sharesOf(coldkey, hotkey);
        uint256 keep = _minKeptShares(hotkey);
        if (owned <= keep) return owned;
        uint256 shares = bound(seed, 1, owned - keep + 1);
        return shares > owned - keep ? owned : shares;
    }

    /// @dev Has the settlement pay `amount` TAO of reward into `hotkey`'s pool.
    function _reward(address hotkey, uint256 amount) internal {
        _fund(settlement, amount);
        vm.startPrank(settlement);
        tao.approve(address(staking), amount);
        staking.distributeReward(hotkey, amount);
        vm.stopPrank();
    }

    /// @dev `coldkey` unstakes `shares` from `hotkey`; returns the withdrawal id.
    function _unstake(address coldkey, address hotkey, uint256 shares) internal returns (uint256 id) {
        vm.prank(coldkey);
        id = staking.removeStake(hotkey, shares);
    }

    /// @dev Funds `reporter_` with `bond` and opens a dispute against `hotkey`.
    function _openDispute(address reporter_, address hotkey, uint256 bond) internal returns (uint256 id) {
        _fund(reporter_, bond);
        vm.startPrank(reporter_);
        tao.approve(address(slashing), bond);
        id = slashing.openDispute(hotkey, bond, keccak256("evidence"), "ipfs://evidence");
        vm.stopPrank();
    }

    /// @dev An EIP-2612 permit signature of `ownerKey` for Staking.
    function _signPermit(
        uint256 ownerKey,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        address owner = vm.addr(ownerKey);
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, owner, address(staking), value, tao.nonces(owner), deadline)
        );
        return vm.sign(ownerKey, keccak256(abi.encodePacked("\x19\x01", tao.DOMAIN_SEPARATOR(), structHash)));
    }

    /// @dev The redeemable value of everything staked in and queued from `hotkey`.
    function _poolValue(address hotkey) internal view returns (uint256) {
        IStakingTypes.PoolTotals memory p = staking.poolTotals(hotkey);
        return p.stakeAssets + p.unbondingAssets;
    }

    /// @dev A digest of the state any failed call could have touched: balances, pools, accounting,
    /// bindings, nonces, emission and slashing bookkeeping. Revert tests compare it before and after.
    function _systemState() internal view returns (bytes32) {
        address[6] memory accounts = [alice, bob, carol, reporter, settlement, treasury];
        address[3] memory hotkeys = [hotkeyA, hotkeyB, hotkeyC];
        bytes memory packed = abi.encode(
            tao.totalSupply(),
            tao.balanceOf(address(staking)),
            tao.balanceOf(address(slashing)),
            staking.totalAccounted(),
            emission.cumulativeMinted(),
            slashing.disputeCount()
        );
        for (uint256 i = 0; i < accounts.length; ++i) {
            packed = abi.encode(packed, tao.balanceOf(accounts[i]), tao.nonces(accounts[i]));
            for (uint256 j = 0; j < hotkeys.length; ++j) {
                packed = abi.encode(packed, staking.sharesOf(accounts[i], hotkeys[j]));
            }
            packed = abi.encode(packed, staking.pendingWithdrawalsOf(accounts[i]));
        }
        for (uint256 j = 0; j < hotkeys.length; ++j) {
            packed = abi.encode(
                packed,
                staking.hotkeyInfo(hotkeys[j]),
                staking.poolTotals(hotkeys[j]),
                staking.nonces(hotkeys[j])
            );
        }
        packed = abi.encode(
            packed,
            staking.unbondingPeriod(),
            staking.defaultTakeBps(),
            staking.takeIncreaseCooldown(),
            staking.maxSlashPerWindowWad(),
            staking.slashWindow(),
            slashing.minDisputeBond(),
            slashing.disputePeriod(),
            slashing.maxDisputeSlashWad(),
            slashing.reporterRewardWad(),
            slashing.faultRoute(address(faultProof))
        );
        for (uint256 id = 1; id <= slashing.disputeCount(); ++id) {
            packed = abi.encode(packed, slashing.dispute(id));
        }
        return keccak256(packed);
    }
}
