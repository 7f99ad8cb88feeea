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

    bytes32 private constant BIND_HOTKEY_TYPEHASH = keccak256(
        "BindHotkey(address hotkey,address coldkey,uint256 nonce,uint256 deadline)"
    );

    uint256 private constant WAD = 1e18;
    uint256 private constant BPS = 10_000;

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
        _distribute(hotkey, amount);
        _token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStaking
    function distributeRewards(address[] calldata hotkeys, uint256[] calldata amounts) external restricted {
        require(hotkeys.length == amounts.length, LengthMismatch(hotkeys.length, amounts.length));
        uint256 total;
        for (uint256 i = 0; i < hotkeys.length; ++i) {
            if (amounts[i] == 0) continue;
            _distribute(hotkeys[i], amounts[i]);
            total += amounts[i];
        }
        if (total != 0) _token.safeTransferFrom(msg.sender, address(this), total);
    }

    /// @inheritdoc IStaking
    function creditOperators(address[] calldata hotkeys, uint256[] calldata amounts) external restricted {
        require(hotkeys.length == amounts.length, LengthMismatch(hotkeys.length, amounts.length));
        uint256 total;
        for (uint256 i = 0; i < hotkeys.length; ++i) {
            uint256 amount = amounts[i];
            if (amount == 0) continue;
            address hotkey = hotkeys[i];
            address operator = _hotkeys[hotkey].coldkey;
            if (operator == address(0)) revert HotkeyNotBound(hotkey);
            Pool storage pool = _stakePools[hotkey];
            // Staked at the current price (rounded down, the dust staying with the pool), so other
            // stakers of the pool neither gain nor lose.
            uint256 shares = SharesMath.toShares(amount, pool.assets, pool.shares);
            pool.assets += amount;
            pool.shares += shares;
            uint256 held = _shares[hotkey][operator];
            _shares[hotkey][operator] = held + shares;
            // A position with shares is in the operator's set already (it leaves it with its last share).
            if (shares != 0 && held == 0) _positions[operator].add(hotkey);
            total += amount;
            emit OperatorCredited(hotkey, operator, amount, shares, pool.assets, pool.shares);
        }
        _totalAccounted += total;
        if (total != 0) _token.safeTransferFrom(msg.sender, address(this), total);
    }

    /// @dev The delegators' part raises the share price first; the take is then staked for the
    /// operator at the new price (rounded down, the remainder staying with the pool). A pool worth
    /// less than `MIN_STAKE` gives everything to the operator.
    function _distribute(address hotkey, uint256 amount) private {
        HotkeyInfo storage info = _hotkeys[hotkey];
        address operator = info.coldkey;
        // `if`/`revert`: runs once per hotkey of a settlement, and `require` would build the error each time.
        if (operator == address(0)) revert HotkeyNotBound(hotkey);
        Pool storage pool = _stakePools[hotkey];

        // A pool worth less than the minimum stake (empty, or a first tiny reward) does not raise its
        // price: next to the virtual shares, a price rise would mostly go to them and be locked for
        // good. The whole reward is then staked for the operator at the current price.
        uint256 take = pool.assets < MIN_STAKE ? amount : (amount * info.takeBps) / BPS;
        pool.assets += amount - take;
        uint256 operatorShares;
        if (take != 0) {
            operatorShares = SharesMath.toShares(take, pool.assets, pool.shares);
            pool.shares += operatorShares;
            uint256 held = _shares[hotkey][operator];
            _shares[hotkey][operator] = held + operatorShares;
            if (operatorShares != 0 && held == 0) _positions[operator].add(hotkey);
        }
        pool.assets += take;
        _totalAccounted += amount;
        emit RewardDistributed(hotkey, amount, take, operator, operatorShares, pool.assets, pool.shares);
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
        Pool storage pool = _stakePools[hotkey];
        return SharesMath.toAssets(_shares[hotkey][coldkey], pool.assets, pool.shares);
    }

    /// @inheritdoc IStaking
    function sharesOf(address coldkey, address hotkey) external view returns (uint256) {
        return _shares[hotkey][coldkey];
    }

    /// @inheritdoc IStaking
    function totalStake(address hotkey) external view returns (uint256) {
        return _stakePools[hotkey].assets;
    }

    /// @inheritdoc IStaking
    function totalStakes(address[] calldata hotkeys) external view returns (uint256[] memory stakes) {
        stakes = new uint256[](hotkeys.length);
        for (uint256 i = 0; i < hotkeys.length; ++i) {
            stakes[i] = _stakePools[hotkeys[i]].assets;
        }
    }

    /// @inheritdoc IStaking
    function poolTotals(address hotkey) external view returns (PoolTotals memory) {
        Pool storage pool = _stakePools[hotkey];
        Pool storage unbonding = _unbondingPools[hotkey];
        return PoolTotals(pool.assets, pool.shares, unbonding.assets, unbonding.shares);
    }

    /// @inheritdoc IStaking
    function totalAccounted() external view returns (uint256) {
        return _totalAccounted;
    }

    /// @inheritdoc IStaking
    function positionsOf(address coldkey) external view returns (Position[] memory positions) {
        EnumerableSet.AddressSet storage set = _positions[coldkey];
        uint256 n = set.length();
        positions = new Position[](n);
        for (uint256 i = 0; i < n; ++i) {
            address hotkey = set.at(i);
            positions[i] = Position(hotkey, _shares[hotkey][coldkey], stakeOf(coldkey, hotkey));
        }
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
