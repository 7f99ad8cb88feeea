// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {SharesMath} from "../libraries/SharesMath.sol";

/// @title Staking
/// @notice Coldkeys bind hotkeys and stake TAO into per-hotkey pools, their own or others'
/// (delegation). Rewards raise a pool's share price after the operator's take. Unstaking queues a
/// withdrawal that stays slashable through the unbonding period.
/// @dev Each hotkey has two pools. The active pool holds stake and earns rewards. The unbonding
/// pool holds queued withdrawals as shares, so a slash takes the same fraction of both pools in
/// O(1), pro rata over every staker and every queued withdrawal, with no loop (EigenLayer's
/// slashable queue, by shares instead of a scaling factor). The contract's TAO balance equals the
/// sum of both pools over all hotkeys (`totalAccounted`); tokens sent to it directly are not
/// counted and move no share price.
contract Staking is IStaking, AccessManaged, EIP712, Nonces {
    using SafeERC20 for IERC20;
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.UintSet;

    struct Pool {
        uint256 assets;
        uint256 shares;
    }

    /// @dev What `_applied` does to a pool: the pool reward (its take, the take's shares, and the pool
    /// after it), then the operator's credit (its shares, and the pool after it).
    struct Applied {
        uint256 take;
        uint256 takeShares;
        uint256 rewardedAssets;
        uint256 rewardedShares;
        uint256 creditShares;
        uint256 assets;
        uint256 shares;
    }

    bytes32 private constant BIND_HOTKEY_TYPEHASH = keccak256(
        "BindHotkey(address hotkey,address coldkey,uint256 nonce,uint256 deadline)"
    );

    uint256 private constant WAD = 1e18;
    uint256 private constant BPS = 10_000;
    /// @dev A hotkey's accrued-rewards word: bit 255 set once the slot is written (so that accruing
    /// into it after it was applied rewrites a nonzero slot, 2,900 gas instead of 20,000), bits 128 ..
    /// 254 the TAO to stake for the operator, bits 0 .. 127 the TAO to pay into the pool.
    uint256 private constant ACCRUED_MARK = 1 << 255;
    uint256 private constant ACCRUED_OPERATOR_MAX = (1 << 127) - 1;
    uint256 private constant ACCRUED_POOL_MAX = (1 << 128) - 1;

    /// @notice The highest take an operator may set: 18%, Bittensor's default delegate take.
    uint16 public constant MAX_TAKE_BPS = 1_800;
    /// @notice Bounds of the unbonding period.
    uint64 public constant MAX_UNBONDING_PERIOD = 90 days;
    /// @notice The slash cap per window can never exceed half the pool.
    uint64 public constant MAX_SLASH_PER_WINDOW_WAD = 0.5e18;
    /// @notice Bounds of the slash window and of the take-increase cooldown.
    uint64 public constant MIN_SLASH_WINDOW = 1 hours;
    uint64 public constant MAX_SLASH_WINDOW = 365 days;
    uint64 public constant MAX_TAKE_INCREASE_COOLDOWN = 90 days;
    /// @notice Pending withdrawals per coldkey, so that views stay bounded.
    uint256 public constant MAX_PENDING_WITHDRAWALS = 32;
    /// @notice Open disputes per hotkey: bounds how many freezes can be stacked on one hotkey.
    uint32 public constant MAX_OPEN_DISPUTES = 8;
    /// @notice The smallest position a coldkey may hold in a pool (subtensor's minimum stake is
    /// 0.002 TAO); keeps the virtual shares negligible next to any real position.
    uint256 public constant MIN_STAKE = 0.002e18;

    IERC20 private immutable _token;

    uint64 private _unbondingPeriod;
    uint64 private _takeIncreaseCooldown;
    uint64 private _maxSlashPerWindowWad;
    uint64 private _slashWindow;
    uint16 private _defaultTakeBps;

    uint256 private _totalAccounted;
    uint256 private _nextWithdrawalId = 1;

    mapping(address hotkey => HotkeyInfo) private _hotkeys;
    mapping(address hotkey => Pool) private _stakePools;
    mapping(address hotkey => Pool) private _unbondingPools;
    mapping(address hotkey => mapping(address coldkey => uint256)) private _shares;
    mapping(address coldkey => EnumerableSet.AddressSet) private _positions;
    mapping(address coldkey => EnumerableSet.AddressSet) private _boundHotkeys;
    mapping(uint256 id => Withdrawal) private _withdrawals;
    mapping(address coldkey => EnumerableSet.UintSet) private _pendingWithdrawals;
    /// @dev Per hotkey: rewards the settlement has paid in that its pool has not applied yet (see
    /// `ACCRUED_MARK`). Counted in `_totalAccounted` and in every view of the pool.
    mapping(address hotkey => uint256) private _accrued;

    /// @param authority The AccessManager.
    /// @param token_ The TAO token.
    /// @param unbondingPeriod_ Seconds between queueing and completing a withdrawal.
    /// @param defaultTakeBps_ The take a hotkey starts with.
    /// @param takeIncreaseCooldown_ Seconds between two take increases of one hotkey.
    /// @param maxSlashPerWindowWad_ Fraction of a hotkey's stake slashable per window (1e18 = 100%).
    /// @param slashWindow_ Length of a slash window in seconds.
    constructor(
        address authority,
        address token_,
        uint64 unbondingPeriod_,
        uint16 defaultTakeBps_,
        uint64 takeIncreaseCooldown_,
        uint64 maxSlashPerWindowWad_,
        uint64 slashWindow_
    ) AccessManaged(authority) EIP712("taonet Staking", "1") {
        _token = IERC20(token_);
        _setUnbondingPeriod(unbondingPeriod_);
        _setTakeParameters(defaultTakeBps_, takeIncreaseCooldown_);
        _setSlashParameters(maxSlashPerWindowWad_, slashWindow_);
    }

    // ------------------------------------------------------------------------------------------
    // Hotkeys
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IStaking
    function bindHotkey(address hotkey, uint256 deadline, bytes calldata signature) external {
        require(hotkey != address(0), InvalidHotkey());
        address bound = _hotkeys[hotkey].coldkey;
        require(bound == address(0), HotkeyAlreadyBound(hotkey, bound));
        require(block.timestamp <= deadline, BindingExpired(deadline, block.timestamp));
        uint256 nonce = _useNonce(hotkey);
        bytes32 digest = _bindingDigest(hotkey, msg.sender, nonce, deadline);
        require(
            SignatureChecker.isValidSignatureNow(hotkey, digest, signature),
            InvalidHotkeySignature(hotkey, msg.sender)
        );

        uint16 take = _defaultTakeBps;
        _hotkeys[hotkey] = HotkeyInfo({
            coldkey: msg.sender,
            takeBps: take,
            // The cooldown runs from the binding: an operator that lowers its take to attract
            // delegators cannot raise it straight back.
            lastTakeIncrease: uint64(block.timestamp),
            openDisputes: 0,
            slashWindowStart: 0,
            slashedInWindowWad: 0
        });
        _boundHotkeys[msg.sender].add(hotkey);
        emit HotkeyBound(hotkey, msg.sender, nonce, take);
    }

    /// @inheritdoc IStaking
    function setTake(address hotkey, uint16 takeBps) external {
        HotkeyInfo storage info = _hotkeys[hotkey];
        require(info.coldkey != address(0), HotkeyNotBound(hotkey));
        require(msg.sender == info.coldkey, NotHotkeyOperator(hotkey, msg.sender, info.coldkey));
        require(takeBps <= MAX_TAKE_BPS, TakeAboveMaximum(takeBps, MAX_TAKE_BPS));
        // Rewards accrued under the old take are applied under it.
        _applyAccrued(hotkey);
        uint16 old = info.takeBps;
        if (takeBps > old) {
            uint256 nextAt = uint256(info.lastTakeIncrease) + _takeIncreaseCooldown;
            require(block.timestamp >= nextAt, TakeIncreaseRateLimited(hotkey, nextAt, block.timestamp));
            info.lastTakeIncrease = uint64(block.timestamp);
        }
        info.takeBps = takeBps;
        emit TakeSet(hotkey, old, takeBps);
    }

    // ------------------------------------------------------------------------------------------
    // Stake
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IStaking
    function addStake(address hotkey, uint256 assets) public returns (uint256 shares) {
        require(assets != 0, ZeroAmount());
        require(_hotkeys[hotkey].coldkey != address(0), HotkeyNotBound(hotkey));
        _applyAccrued(hotkey);
        Pool storage pool = _stakePools[hotkey];
        shares = SharesMath.toShares(assets, pool.assets, pool.shares);
        require(shares != 0, StakeTooSmall(assets));
        uint256 position = _shares[hotkey][msg.sender] + shares;
        uint256 positionAssets = SharesMath.toAssets(position, pool.assets + assets, pool.shares + shares);
        require(positionAssets >= MIN_STAKE, StakeBelowMinimum(positionAssets, MIN_STAKE));

        pool.assets += assets;
        pool.shares += shares;
        _totalAccounted += assets;
        _shares[hotkey][msg.sender] += shares;
        _positions[msg.sender].add(hotkey);
        emit StakeAdded(msg.sender, hotkey, assets, shares, pool.assets, pool.shares);

        _token.safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc IStaking
    function addStakeWithPermit(
        address hotkey,
        uint256 assets,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 shares) {
        // A front-runner may submit the permit first; then the allowance is already there and the
        // stake goes on. Any other failure of the permit is re-raised with its own error.
        try IERC20Permit(address(_token)).permit(msg.sender, address(this), assets, deadline, v, r, s) {} catch (
            bytes memory reason
        ) {
            if (_token.allowance(msg.sender, address(this)) < assets) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
        return addStake(hotkey, assets);
    }

    /// @inheritdoc IStaking
    function removeStake(address hotkey, uint256 shares) external returns (uint256 id) {
        require(shares != 0, ZeroAmount());
        // A hotkey with shares is bound (only `addStake` and `_apply` create shares, both for bound ones).
        _applyAccrued(hotkey);
        uint256 owned = _shares[hotkey][msg.sender];
        require(shares <= owned, InsufficientShares(hotkey, shares, owned));
        EnumerableSet.UintSet storage pending = _pendingWithdrawals[msg.sender];
        require(
            pending.length() < MAX_PENDING_WITHDRAWALS,
            TooManyPendingWithdrawals(msg.sender, MAX_PENDING_WITHDRAWALS)
        );

        Pool storage pool = _stakePools[hotkey];
        uint256 assets = SharesMath.toAssets(shares, pool.assets, pool.shares);
        if (shares != owned) {
            // What stays must remain a real position, not dust next to the virtual shares.
            uint256 remaining = SharesMath.toAssets(owned - shares, pool.assets - assets, pool.shares - shares);
            require(remaining >= MIN_STAKE, StakeBelowMinimum(remaining, MIN_STAKE));
        }
        Pool storage unbonding = _unbondingPools[hotkey];
        uint256 unbondingShares = SharesMath.toShares(assets, unbonding.assets, unbonding.shares);

        // Cannot underflow: `shares <= owned <= pool.shares`, and `assets` rounds down from a
        // fraction of `pool.assets`.
        unchecked {
            _shares[hotkey][msg.sender] = owned - shares;
            pool.shares -= shares;
            pool.assets -= assets;
        }
        if (owned == shares) _positions[msg.sender].remove(hotkey);
        unbonding.assets += assets;
        unbonding.shares += unbondingShares;

        id = _nextWithdrawalId++;
        uint64 completableAt = uint64(block.timestamp) + _unbondingPeriod;
        _withdrawals[id] = Withdrawal({
            coldkey: msg.sender,
            hotkey: hotkey,
            completableAt: completableAt,
            unbondingShares: unbondingShares
        });
        pending.add(id);
        emit WithdrawalQueued(
            id,
            msg.sender,
            hotkey,
            shares,
            assets,
            unbondingShares,
            completableAt,
            pool.assets,
            pool.shares
        );
    }

    /// @inheritdoc IStaking
    function completeWithdrawal(uint256 id) external returns (uint256 assets) {
        Withdrawal memory w = _withdrawals[id];
        require(w.coldkey != address(0), UnknownWithdrawal(id));
        require(block.timestamp >= w.completableAt, WithdrawalNotDue(id, w.completableAt, block.timestamp));
        uint256 disputes = _hotkeys[w.hotkey].openDisputes;
        require(disputes == 0, HotkeyUnderDispute(w.hotkey, disputes));

        Pool storage unbonding = _unbondingPools[w.hotkey];
        assets = SharesMath.toAssets(w.unbondingShares, unbonding.assets, unbonding.shares);
        // Cannot underflow: the withdrawal's shares are part of the pool's, and `assets` rounds down.
        unchecked {
            unbonding.shares -= w.unbondingShares;
            unbonding.assets -= assets;
            _totalAccounted -= assets;
        }
        delete _withdrawals[id];
        _pendingWithdrawals[w.coldkey].remove(id);
        emit WithdrawalCompleted(id, w.coldkey, w.hotkey, w.unbondingShares, assets);

        if (assets != 0) _token.safeTransfer(w.coldkey, assets);
    }

    // ------------------------------------------------------------------------------------------
    // Rewards
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IStaking
    function distributeReward(address hotkey, uint256 amount) external restricted {
        require(amount != 0, ZeroAmount());
        HotkeyInfo storage info = _hotkeys[hotkey];
        address operator = info.coldkey;
        require(operator != address(0), HotkeyNotBound(hotkey));
        _applyAccrued(hotkey);
        _apply(hotkey, operator, info.takeBps, 0, amount);
        _totalAccounted += amount;
        _token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStaking
    function accrueRewards(
        address[] calldata hotkeys,
        uint256[] calldata toOperators,
        uint256[] calldata toPools
    ) external restricted {
        require(hotkeys.length == toOperators.length, LengthMismatch(hotkeys.length, toOperators.length));
        require(hotkeys.length == toPools.length, LengthMismatch(hotkeys.length, toPools.length));
        uint256 total;
        bool overflow;
        address overflowed;
        // No binding check here (it would be a second cold slot a hotkey): the settlement pays
        // registered hotkeys, and registration requires a binding, which is permanent. In assembly:
        // the settlement pays every UID through this each epoch, and the Solidity loop (checked
        // calldata indexing and arithmetic) cost about 1k gas a hotkey beyond its write.
        assembly ("memory-safe") {
            for {
                let i := 0
            } lt(i, hotkeys.length) {
                i := add(i, 1)
            } {
                let toOperator := calldataload(add(toOperators.offset, shl(5, i)))
                let toPool := calldataload(add(toPools.offset, shl(5, i)))
                if iszero(or(toOperator, toPool)) {
                    continue
                }
                let hotkey := calldataload(add(hotkeys.offset, shl(5, i)))
                // Not an address: the ABI decoder's revert.
                if shr(160, hotkey) {
                    revert(0, 0)
                }
                // `_unpackAccrued` plus the new amounts; an amount past its field's maximum
                // (ACCRUED_OPERATOR_MAX, ACCRUED_POOL_MAX) overflows on its own, and below them the
                // sums stay under 2^129.
                if or(
                    gt(toOperator, 0x7fffffffffffffffffffffffffffffff),
                    gt(toPool, 0xffffffffffffffffffffffffffffffff)
                ) {
                    overflow := 1
                    overflowed := hotkey
                    break
                }
                mstore(0x00, hotkey)
                mstore(0x20, _accrued.slot)
                let slot := keccak256(0x00, 0x40)
                let word := sload(slot)
                let operatorSum := add(and(shr(128, word), 0x7fffffffffffffffffffffffffffffff), toOperator)
                let poolSum := add(and(word, 0xffffffffffffffffffffffffffffffff), toPool)
                if or(
                    gt(operatorSum, 0x7fffffffffffffffffffffffffffffff),
                    gt(poolSum, 0xffffffffffffffffffffffffffffffff)
                ) {
                    overflow := 1
                    overflowed := hotkey
                    break
                }
                // ACCRUED_MARK | operatorSum << 128 | poolSum
                sstore(slot, or(shl(255, 1), or(shl(128, operatorSum), poolSum)))
                total := add(total, add(toOperator, toPool))
            }
        }
        if (overflow) revert AccrualOverflow(overflowed);
        if (total == 0) return;
        _totalAccounted += total;
        emit RewardsAccrued(msg.sender, hotkeys.length, total);
        _token.safeTransferFrom(msg.sender, address(this), total);
    }

    /// @inheritdoc IStaking
    function applyRewards(address hotkey) external {
        require(_hotkeys[hotkey].coldkey != address(0), HotkeyNotBound(hotkey));
        _applyAccrued(hotkey);
    }

    /// @dev Applies `hotkey`'s accrued rewards to its pool (the caller has checked the binding). Every
    /// path that reads or moves the pool's price calls this first, so the accrued TAO is priced as if
    /// it had been paid in when it accrued, except that rewards accrued over several epochs are applied
    /// as one (see `accrueRewards`).
    function _applyAccrued(address hotkey) private {
        uint256 word = _accrued[hotkey];
        if (word & ~ACCRUED_MARK == 0) return;
        _accrued[hotkey] = ACCRUED_MARK;
        HotkeyInfo storage info = _hotkeys[hotkey];
        (uint256 toOperator, uint256 toPool) = _unpackAccrued(word);
        _apply(hotkey, info.coldkey, info.takeBps, toOperator, toPool);
    }

    /// @dev The two amounts of an accrued word (see `_accrued`): what is owed to the operator (bits
    /// 128 .. 254) and to the pool (bits 0 .. 127); the mark (bit 255) is neither.
    function _unpackAccrued(uint256 word) private pure returns (uint256 toOperator, uint256 toPool) {
        toOperator = (word >> 128) & ACCRUED_OPERATOR_MAX;
        toPool = word & ACCRUED_POOL_MAX;
    }

    /// @dev Pays `toPool` into the pool, then stakes `toOperator` for the operator (see `_applied`),
    /// with the events of each. Does not count the TAO in `_totalAccounted`.
    function _apply(address hotkey, address operator, uint16 takeBps, uint256 toOperator, uint256 toPool) private {
        Pool storage pool = _stakePools[hotkey];
        Applied memory a = _applied(pool.assets, pool.shares, takeBps, toOperator, toPool);
        pool.assets = a.assets;
        pool.shares = a.shares;
        uint256 gained = a.creditShares + a.takeShares;
        if (gained != 0) {
            uint256 held = _shares[hotkey][operator];
            _shares[hotkey][operator] = held + gained;
            // A position with shares is in the operator's set already (it leaves it with its last share).
            if (held == 0) _positions[operator].add(hotkey);
        }
        if (toPool != 0)
            emit RewardDistributed(hotkey, toPool, a.take, operator, a.takeShares, a.rewardedAssets, a.rewardedShares);
        if (toOperator != 0) emit OperatorCredited(hotkey, operator, toOperator, a.creditShares, a.assets, a.shares);
    }

    /// @dev A pool of `assets` and `shares` after `toPool` is paid in, then `toOperator` is staked for the
    /// operator. The pool reward: the delegators' part raises the share price first, and the take is
    /// then staked for the operator at the new price (rounded down, the remainder staying with the
    /// pool); a pool worth less than `MIN_STAKE` gives the whole reward to the operator (next to the
    /// virtual shares, a price rise would mostly go to them and be locked for good). The credit: staked
    /// at the price after the reward (rounded down, the dust staying with the pool), so that other
    /// stakers neither gain nor lose by it. In this order a later accrual never lowers what an earlier
    /// one gave anyone: a credit accrued after a reward does not share in it.
    function _applied(
        uint256 assets,
        uint256 shares,
        uint16 takeBps,
        uint256 toOperator,
        uint256 toPool
    ) private pure returns (Applied memory a) {
        if (toPool != 0) {
            a.take = assets < MIN_STAKE ? toPool : (toPool * takeBps) / BPS;
            assets += toPool - a.take;
            if (a.take != 0) {
                a.takeShares = SharesMath.toShares(a.take, assets, shares);
                shares += a.takeShares;
            }
            assets += a.take;
        }
        a.rewardedAssets = assets;
        a.rewardedShares = shares;
        if (toOperator != 0) {
            a.creditShares = SharesMath.toShares(toOperator, assets, shares);
            assets += toOperator;
            shares += a.creditShares;
        }
        a.assets = assets;
        a.shares = shares;
    }

    /// @dev `hotkey`'s pool as `_applyAccrued` would leave it, and the shares it would stake for the
    /// operator.
    function _appliedView(
        address hotkey
    ) private view returns (uint256 assets, uint256 shares, address operator, uint256 operatorShares) {
        Pool storage pool = _stakePools[hotkey];
        assets = pool.assets;
        shares = pool.shares;
        uint256 word = _accrued[hotkey];
        if (word & ~ACCRUED_MARK == 0) return (assets, shares, address(0), 0);
        HotkeyInfo storage info = _hotkeys[hotkey];
        (uint256 toOperator, uint256 toPool) = _unpackAccrued(word);
        Applied memory a = _applied(assets, shares, info.takeBps, toOperator, toPool);
        return (a.assets, a.shares, info.coldkey, a.creditShares + a.takeShares);
    }

    // ------------------------------------------------------------------------------------------
    // Slashing
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IStaking
    function slash(
        address hotkey,
        uint256 fractionWad
    ) external restricted returns (uint256 appliedWad, uint256 amount) {
        require(fractionWad <= WAD, InvalidSlashFraction(fractionWad, WAD));
        HotkeyInfo storage info = _hotkeys[hotkey];
        require(info.coldkey != address(0), HotkeyNotBound(hotkey));
        // Accrued rewards are stake: applied first, they are slashed with the rest of the pool.
        _applyAccrued(hotkey);

        if (block.timestamp >= uint256(info.slashWindowStart) + _slashWindow) {
            info.slashWindowStart = uint64(block.timestamp);
            info.slashedInWindowWad = 0;
        }
        uint256 used = info.slashedInWindowWad;
        uint256 cap = _maxSlashPerWindowWad;
        // Slashes in one window compound on what is left, so their combined loss
        // 1 - prod(1 - f_i) never exceeds sum(f_i) <= cap.
        appliedWad = used >= cap ? 0 : Math.min(fractionWad, cap - used);
        info.slashedInWindowWad = uint64(used + appliedWad);

        Pool storage pool = _stakePools[hotkey];
        Pool storage unbonding = _unbondingPools[hotkey];
        uint256 fromStake = (pool.assets * appliedWad) / WAD;
        uint256 fromUnbonding = (unbonding.assets * appliedWad) / WAD;
        pool.assets -= fromStake;
        unbonding.assets -= fromUnbonding;
        amount = fromStake + fromUnbonding;
        _totalAccounted -= amount;
        emit Slashed(
            hotkey,
            fractionWad,
            appliedWad,
            fromStake,
            fromUnbonding,
            msg.sender,
            pool.assets,
            unbonding.assets
        );

        if (amount != 0) _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IStaking
    function freezeHotkey(address hotkey) external restricted {
        HotkeyInfo storage info = _hotkeys[hotkey];
        require(info.coldkey != address(0), HotkeyNotBound(hotkey));
        uint32 open = info.openDisputes + 1;
        require(open <= MAX_OPEN_DISPUTES, TooManyOpenDisputes(hotkey, MAX_OPEN_DISPUTES));
        info.openDisputes = open;
        emit HotkeyFrozen(hotkey, open);
    }

    /// @inheritdoc IStaking
    function unfreezeHotkey(address hotkey) external restricted {
        HotkeyInfo storage info = _hotkeys[hotkey];
        require(info.openDisputes != 0, NoOpenDispute(hotkey));
        uint32 open = info.openDisputes - 1;
        info.openDisputes = open;
        emit HotkeyUnfrozen(hotkey, open);
    }

    // ------------------------------------------------------------------------------------------
    // Governance
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IStaking
    function setUnbondingPeriod(uint64 unbondingPeriod_) external restricted {
        _setUnbondingPeriod(unbondingPeriod_);
    }

    /// @inheritdoc IStaking
    function setTakeParameters(uint16 defaultTakeBps_, uint64 takeIncreaseCooldown_) external restricted {
        _setTakeParameters(defaultTakeBps_, takeIncreaseCooldown_);
    }

    /// @inheritdoc IStaking
    function setSlashParameters(uint64 maxSlashPerWindowWad_, uint64 slashWindow_) external restricted {
        _setSlashParameters(maxSlashPerWindowWad_, slashWindow_);
    }

    function _setUnbondingPeriod(uint64 value) private {
        require(value <= MAX_UNBONDING_PERIOD, ParameterOutOfBounds("unbondingPeriod", value, 0, MAX_UNBONDING_PERIOD));
        _unbondingPeriod = value;
        emit UnbondingPeriodSet(value);
    }

    function _setTakeParameters(uint16 defaultTake, uint64 cooldown) private {
        require(defaultTake <= MAX_TAKE_BPS, ParameterOutOfBounds("defaultTakeBps", defaultTake, 0, MAX_TAKE_BPS));
        require(
            cooldown <= MAX_TAKE_INCREASE_COOLDOWN,
            ParameterOutOfBounds("takeIncreaseCooldown", cooldown, 0, MAX_TAKE_INCREASE_COOLDOWN)
        );
        _defaultTakeBps = defaultTake;
        _takeIncreaseCooldown = cooldown;
        emit TakeParametersSet(defaultTake, cooldown);
    }

    function _setSlashParameters(uint64 maxPerWindowWad, uint64 window) private {
        require(
            maxPerWindowWad <= MAX_SLASH_PER_WINDOW_WAD,
            InvalidSlashFraction(maxPerWindowWad, MAX_SLASH_PER_WINDOW_WAD)
        );
        require(
            window >= MIN_SLASH_WINDOW && window <= MAX_SLASH_WINDOW,
            ParameterOutOfBounds("slashWindow", window, MIN_SLASH_WINDOW, MAX_SLASH_WINDOW)
        );
        _maxSlashPerWindowWad = maxPerWindowWad;
        _slashWindow = window;
        emit SlashParametersSet(maxPerWindowWad, window);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IStaking
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IStaking
    function unbondingPeriod() external view returns (uint64) {
        return _unbondingPeriod;
    }

    /// @inheritdoc IStaking
    function defaultTakeBps() external view returns (uint16) {
        return _defaultTakeBps;
    }

    /// @inheritdoc IStaking
    function takeIncreaseCooldown() external view returns (uint64) {
        return _takeIncreaseCooldown;
    }

    /// @inheritdoc IStaking
    function maxSlashPerWindowWad() external view returns (uint64) {
        return _maxSlashPerWindowWad;
    }

    /// @inheritdoc IStaking
    function slashWindow() external view returns (uint64) {
        return _slashWindow;
    }

    /// @inheritdoc IStaking
    function coldkeyOf(address hotkey) external view returns (address) {
        return _hotkeys[hotkey].coldkey;
    }

    /// @inheritdoc IStaking
    function hotkeyInfo(address hotkey) external view returns (HotkeyInfo memory) {
        return _hotkeys[hotkey];
    }

    /// @inheritdoc IStaking
    function hotkeysOf(address coldkey) external view returns (address[] memory) {
        return _boundHotkeys[coldkey].values();
    }

    /// @inheritdoc IStaking
    function stakeOf(address coldkey, address hotkey) public view returns (uint256) {
        (uint256 assets, uint256 shares, uint256 owned) = _position(coldkey, hotkey);
        return SharesMath.toAssets(owned, assets, shares);
    }

    /// @inheritdoc IStaking
    function sharesOf(address coldkey, address hotkey) external view returns (uint256 owned) {
        (, , owned) = _position(coldkey, hotkey);
    }

    /// @inheritdoc IStaking
    function totalStake(address hotkey) public view returns (uint256) {
        // Applying the accrued rewards adds exactly their sum to the pool's assets.
        (uint256 toOperator, uint256 toPool) = _unpackAccrued(_accrued[hotkey]);
        return _stakePools[hotkey].assets + toOperator + toPool;
    }

    /// @inheritdoc IStaking
    function totalStakes(address[] calldata hotkeys) external view returns (uint256[] memory stakes) {
        stakes = new uint256[](hotkeys.length);
        // `totalStake` of each hotkey, in assembly: one keccak256 a mapping read. The Solidity loop
        // cost about 900 gas a hotkey beyond its two cold reads; the settlement's Gather reads every
        // UID's stake through this view each epoch.
        assembly ("memory-safe") {
            let out := add(stakes, 0x20)
            for {
                let i := 0
            } lt(i, hotkeys.length) {
                i := add(i, 1)
            } {
                let hotkey := calldataload(add(hotkeys.offset, shl(5, i)))
                // Not an address: the ABI decoder's revert.
                if shr(160, hotkey) {
                    revert(0, 0)
                }
                mstore(0x00, hotkey)
                mstore(0x20, _accrued.slot)
                let word := sload(keccak256(0x00, 0x40))
                mstore(0x20, _stakePools.slot)
                // `Pool.assets`, the struct's first slot.
                let assets := sload(keccak256(0x00, 0x40))
                // `_unpackAccrued`: the two sums are below 2^129, so only `assets` can carry.
                // (ACCRUED_OPERATOR_MAX above the mark bit, ACCRUED_POOL_MAX below).
                let stake := add(
                    assets,
                    add(
                        and(shr(128, word), 0x7fffffffffffffffffffffffffffffff),
                        and(word, 0xffffffffffffffffffffffffffffffff)
                    )
                )
                if lt(stake, assets) {
                    mstore(0x00, 0x4e487b71) // Panic(0x11), as checked arithmetic
                    mstore(0x20, 0x11)
                    revert(0x1c, 0x24)
                }
                mstore(add(out, shl(5, i)), stake)
            }
        }
    }

    /// @inheritdoc IStaking
    function poolTotals(address hotkey) external view returns (PoolTotals memory) {
        (uint256 assets, uint256 shares, , ) = _appliedView(hotkey);
        Pool storage unbonding = _unbondingPools[hotkey];
        return PoolTotals(assets, shares, unbonding.assets, unbonding.shares);
    }

    /// @inheritdoc IStaking
    function accruedRewards(address hotkey) external view returns (uint256 toOperator, uint256 toPool) {
        return _unpackAccrued(_accrued[hotkey]);
    }

    /// @inheritdoc IStaking
    function totalAccounted() external view returns (uint256) {
        return _totalAccounted;
    }

    /// @inheritdoc IStaking
    function positionsOf(address coldkey) external view returns (Position[] memory positions) {
        EnumerableSet.AddressSet storage set = _positions[coldkey];
        EnumerableSet.AddressSet storage bound = _boundHotkeys[coldkey];
        uint256 n = set.length();
        // The coldkey's own hotkeys whose accrued rewards would open a position it does not hold yet.
        address[] memory opened = new address[](bound.length());
        uint256 extra;
        for (uint256 i = 0; i < opened.length; ++i) {
            address hotkey = bound.at(i);
            if (_shares[hotkey][coldkey] != 0) continue;
            (, , , uint256 operatorShares) = _appliedView(hotkey);
            if (operatorShares != 0) opened[extra++] = hotkey;
        }
        positions = new Position[](n + extra);
        for (uint256 i = 0; i < n + extra; ++i) {
            address hotkey = i < n ? set.at(i) : opened[i - n];
            (uint256 assets, uint256 shares, uint256 owned) = _position(coldkey, hotkey);
            positions[i] = Position(hotkey, owned, SharesMath.toAssets(owned, assets, shares));
        }
    }

    /// @dev `hotkey`'s pool and `coldkey`'s shares in it, with the accrued rewards applied.
    function _position(
        address coldkey,
        address hotkey
    ) private view returns (uint256 assets, uint256 shares, uint256 owned) {
        address operator;
        uint256 operatorShares;
        (assets, shares, operator, operatorShares) = _appliedView(hotkey);
        owned = _shares[hotkey][coldkey];
        if (coldkey == operator) owned += operatorShares;
    }

    /// @inheritdoc IStaking
    function pendingWithdrawalsOf(address coldkey) external view returns (PendingWithdrawal[] memory list) {
        EnumerableSet.UintSet storage set = _pendingWithdrawals[coldkey];
        uint256 n = set.length();
        list = new PendingWithdrawal[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = set.at(i);
            Withdrawal storage w = _withdrawals[id];
            list[i] = PendingWithdrawal(id, w.hotkey, w.completableAt, w.unbondingShares, withdrawalAssets(id));
        }
    }

    /// @inheritdoc IStaking
    function withdrawal(uint256 id) external view returns (Withdrawal memory) {
        return _withdrawals[id];
    }

    /// @inheritdoc IStaking
    function withdrawalAssets(uint256 id) public view returns (uint256) {
        Withdrawal storage w = _withdrawals[id];
        Pool storage unbonding = _unbondingPools[w.hotkey];
        return SharesMath.toAssets(w.unbondingShares, unbonding.assets, unbonding.shares);
    }

    /// @inheritdoc IStaking
    function bindingDigest(
        address hotkey,
        address coldkey,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32) {
        return _bindingDigest(hotkey, coldkey, nonce, deadline);
    }

    function _bindingDigest(
        address hotkey,
        address coldkey,
        uint256 nonce,
        uint256 deadline
    ) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(BIND_HOTKEY_TYPEHASH, hotkey, coldkey, nonce, deadline)));
    }
}
