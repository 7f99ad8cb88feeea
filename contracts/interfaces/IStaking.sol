// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IStakingTypes
/// @notice Structs returned by the staking views.
interface IStakingTypes {
    /// @notice A coldkey's stake in one hotkey's pool.
    struct Position {
        address hotkey;
        uint256 shares;
        uint256 assets;
    }

    /// @notice A queued withdrawal. Its value is held as shares of the hotkey's unbonding pool, so a
    /// slash of the hotkey reaches it until it completes.
    struct Withdrawal {
        address coldkey;
        address hotkey;
        uint64 completableAt;
        uint256 unbondingShares;
    }

    /// @notice A pending withdrawal as a wallet shows it.
    struct PendingWithdrawal {
        uint256 id;
        address hotkey;
        uint64 completableAt;
        uint256 unbondingShares;
        uint256 assets;
    }

    /// @notice A hotkey's binding and operator settings.
    struct HotkeyInfo {
        address coldkey;
        uint16 takeBps;
        uint64 lastTakeIncrease;
        uint32 openDisputes;
        uint64 slashWindowStart;
        uint64 slashedInWindowWad;
    }

    /// @notice Totals of a hotkey's active and unbonding pools.
    struct PoolTotals {
        uint256 stakeAssets;
        uint256 stakeShares;
        uint256 unbondingAssets;
        uint256 unbondingShares;
    }
}

/// @title IStakingErrors
interface IStakingErrors {
    /// @notice An amount or share count of zero.
    error ZeroAmount();
    /// @notice The hotkey is not bound to any coldkey.
    error HotkeyNotBound(address hotkey);
    /// @notice The hotkey is already bound.
    error HotkeyAlreadyBound(address hotkey, address coldkey);
    /// @notice The hotkey's binding signature is past its deadline.
    error BindingExpired(uint256 deadline, uint256 timestamp);
    /// @notice The binding signature was not made by the hotkey for this coldkey and nonce.
    error InvalidHotkeySignature(address hotkey, address coldkey);
    /// @notice The zero address cannot be a hotkey.
    error InvalidHotkey();
    /// @notice The caller is not the hotkey's coldkey (its operator).
    error NotHotkeyOperator(address hotkey, address caller, address coldkey);
    /// @notice Fewer shares than asked for.
    error InsufficientShares(address hotkey, uint256 requested, uint256 owned);
    /// @notice The stake is too small to buy even one share.
    error StakeTooSmall(uint256 assets);
    /// @notice A position would be left, or created, below the minimum stake.
    error StakeBelowMinimum(uint256 positionAssets, uint256 minimum);
    /// @notice The hotkey already has the maximum number of open disputes.
    error TooManyOpenDisputes(address hotkey, uint256 maximum);
    /// @notice No withdrawal with this id is pending.
    error UnknownWithdrawal(uint256 id);
    /// @notice The withdrawal's unbonding period has not passed.
    error WithdrawalNotDue(uint256 id, uint256 completableAt, uint256 timestamp);
    /// @notice The hotkey is under an open dispute: its withdrawals wait for the outcome.
    error HotkeyUnderDispute(address hotkey, uint256 openDisputes);
    /// @notice The coldkey already has the maximum number of pending withdrawals.
    error TooManyPendingWithdrawals(address coldkey, uint256 maximum);
    /// @notice A take above the protocol maximum.
    error TakeAboveMaximum(uint256 takeBps, uint256 maximumBps);
    /// @notice A take increase before the cooldown since the last one has passed.
    error TakeIncreaseRateLimited(address hotkey, uint256 nextIncreaseAt, uint256 timestamp);
    /// @notice A slash fraction above 100%, or a cap above the protocol's hard bound.
    error InvalidSlashFraction(uint256 fractionWad, uint256 maximumWad);
    /// @notice A governance parameter outside its bounds.
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 minimum, uint256 maximum);
    /// @notice Arrays of different lengths.
    error LengthMismatch(uint256 a, uint256 b);
    /// @notice Unfreezing a hotkey that has no open dispute.
    error NoOpenDispute(address hotkey);
    /// @notice A hotkey's accrued rewards would not fit their word (more TAO than exists).
    error AccrualOverflow(address hotkey);
}

/// @title IStakingEvents
/// @dev Events carry pool totals after the change so an indexer can follow share prices without
/// calling the contract.
interface IStakingEvents {
    event HotkeyBound(address indexed hotkey, address indexed coldkey, uint256 nonce, uint16 takeBps);
    event StakeAdded(
        address indexed coldkey,
        address indexed hotkey,
        uint256 assets,
        uint256 shares,
        uint256 poolAssets,
        uint256 poolShares
    );
    event WithdrawalQueued(
        uint256 indexed id,
        address indexed coldkey,
        address indexed hotkey,
        uint256 shares,
        uint256 assets,
        uint256 unbondingShares,
        uint64 completableAt,
        uint256 poolAssets,
        uint256 poolShares
    );
    event WithdrawalCompleted(
        uint256 indexed id,
        address indexed coldkey,
        address indexed hotkey,
        uint256 unbondingShares,
        uint256 assets
    );
    event RewardDistributed(
        address indexed hotkey,
        uint256 amount,
        uint256 take,
        address indexed operator,
        uint256 operatorShares,
        uint256 poolAssets,
        uint256 poolShares
    );
    event OperatorCredited(
        address indexed hotkey,
        address indexed operator,
        uint256 amount,
        uint256 shares,
        uint256 poolAssets,
        uint256 poolShares
    );
    /// @notice The settlement `from` accrued `total` TAO of rewards over `hotkeys` hotkeys (see
    /// `accrueRewards`); each pool's `OperatorCredited` and `RewardDistributed` follow when it applies them.
    event RewardsAccrued(address indexed from, uint256 hotkeys, uint256 total);
    event TakeSet(address indexed hotkey, uint16 oldTakeBps, uint16 newTakeBps);
    event Slashed(
        address indexed hotkey,
        uint256 requestedWad,
        uint256 appliedWad,
        uint256 fromStake,
        uint256 fromUnbonding,
        address indexed recipient,
        uint256 poolAssets,
        uint256 unbondingAssets
    );
    event HotkeyFrozen(address indexed hotkey, uint256 openDisputes);
    event HotkeyUnfrozen(address indexed hotkey, uint256 openDisputes);
    event UnbondingPeriodSet(uint64 unbondingPeriod);
    event TakeParametersSet(uint16 defaultTakeBps, uint64 takeIncreaseCooldown);
    event SlashParametersSet(uint64 maxSlashPerWindowWad, uint64 slashWindow);
}

/// @title IStaking
/// @notice Hotkey binding, per-hotkey stake pools with delegation, unbonding withdrawals that stay
/// slashable, operator take, reward distribution and slashing.
interface IStaking is IStakingTypes, IStakingErrors, IStakingEvents {
    /// @notice Binds `hotkey` to the caller (its coldkey), with the hotkey's EIP-712 signature of
    /// `BindHotkey(address hotkey,address coldkey,uint256 nonce,uint256 deadline)`.
    /// @dev The nonce is the hotkey's current `nonces(hotkey)`; a signature is usable once. EOAs sign
    /// with ECDSA; contract hotkeys answer ERC-1271.
    function bindHotkey(address hotkey, uint256 deadline, bytes calldata signature) external;

    /// @notice Stakes `assets` TAO of the caller into `hotkey`'s pool; the caller must have approved it.
    /// @return shares The pool shares minted to the caller (rounded down).
    function addStake(address hotkey, uint256 assets) external returns (uint256 shares);

    /// @notice `addStake` with an EIP-2612 permit, in one transaction from a wallet.
    /// @dev A permit already used by a front-runner is tolerated when the allowance suffices.
    function addStakeWithPermit(
        address hotkey,
        uint256 assets,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 shares);

    /// @notice Burns `shares` of the caller's stake in `hotkey` and queues their value for
    /// withdrawal after `unbondingPeriod`. The queued value remains slashable until it completes.
    /// @return id The withdrawal id.
    function removeStake(address hotkey, uint256 shares) external returns (uint256 id);

    /// @notice Pays a due withdrawal to its coldkey. Anyone may call it.
    /// @return assets The TAO paid.
    function completeWithdrawal(uint256 id) external returns (uint256 assets);

    /// @notice Sets the take of `hotkey` in basis points. Only its coldkey. Decreases apply at once;
    /// increases at most once per `takeIncreaseCooldown`.
    function setTake(address hotkey, uint16 takeBps) external;

    /// @notice Pays `amount` TAO, pulled from the caller, into `hotkey`'s pool now (its accrued rewards
    /// applied first): the take is staked for the operator, the rest raises the share price of every
    /// staker. Gated to the settlement.
    function distributeReward(address hotkey, uint256 amount) external;

    /// @notice Accrues an epoch's rewards, pulled from the caller in one transfer: `toOperators[i]` TAO
    /// to be staked for the operator (coldkey) of `hotkeys[i]` at the pool's price (a miner's
    /// incentive is the miner's, not its delegators'), and `toPools[i]` to be paid into its pool (the
    /// take staked for the operator, the rest raising the share price). Gated to the settlement.
    /// @dev One storage word a hotkey instead of the pool's and the operator's slots: the rewards are
    /// applied when the pool is next touched (`addStake`, `removeStake`, `setTake`, `slash`,
    /// `distributeReward`, `applyRewards`), the pool reward first and then the credit, and every view
    /// counts them as applied. Rewards of several epochs accrued between two touches are applied as
    /// one: the pool's assets are exactly the same, but the operator's shares from one epoch (its take
    /// and its credit) do not earn a later epoch's pool reward before they are applied (anyone can
    /// apply them each epoch with `applyRewards`); in exchange, no accrual lowers any staker's value as
    /// the views show it. The hotkeys must be bound (registered neurons are); an unbound one is not
    /// checked here.
    function accrueRewards(
        address[] calldata hotkeys,
        uint256[] calldata toOperators,
        uint256[] calldata toPools
    ) external;

    /// @notice Applies `hotkey`'s accrued rewards to its pool now. Anyone may call it; the views count
    /// them either way.
    function applyRewards(address hotkey) external;

    /// @notice `hotkey`'s rewards accrued and not applied yet: to stake for the operator, to pay into
    /// the pool.
    function accruedRewards(address hotkey) external view returns (uint256 toOperator, uint256 toPool);

    /// @notice Takes `fractionWad` (1e18 = 100%) of `hotkey`'s pool and of its queued withdrawals,
    /// pro rata, capped by what is left of the window's slash cap, and sends it to the caller.
    /// Gated to the Slashing contract. Amounts round down, so the cap is a hard bound.
    /// @return appliedWad The fraction actually applied after the cap.
    /// @return amount The TAO sent to the caller.
    function slash(address hotkey, uint256 fractionWad) external returns (uint256 appliedWad, uint256 amount);

    /// @notice Counts an open dispute against `hotkey`: its withdrawals cannot complete meanwhile.
    function freezeHotkey(address hotkey) external;

    /// @notice Ends one open dispute against `hotkey`.
    function unfreezeHotkey(address hotkey) external;

    /// @notice Sets the unbonding period (seconds). Governance.
    function setUnbondingPeriod(uint64 unbondingPeriod_) external;

    /// @notice Sets the take new hotkeys start with and the cooldown between take increases. Governance.
    function setTakeParameters(uint16 defaultTakeBps_, uint64 takeIncreaseCooldown_) external;

    /// @notice Sets the cap on the fraction slashed per hotkey per window, and the window. Governance.
    function setSlashParameters(uint64 maxSlashPerWindowWad_, uint64 slashWindow_) external;

    // ---- views ----

    function token() external view returns (address);
    function unbondingPeriod() external view returns (uint64);
    function defaultTakeBps() external view returns (uint16);
    function takeIncreaseCooldown() external view returns (uint64);
    function maxSlashPerWindowWad() external view returns (uint64);
    function slashWindow() external view returns (uint64);

    /// @notice The coldkey `hotkey` is bound to, or zero.
    function coldkeyOf(address hotkey) external view returns (address);
    function hotkeyInfo(address hotkey) external view returns (HotkeyInfo memory);
    /// @notice The hotkeys a coldkey has bound.
    function hotkeysOf(address coldkey) external view returns (address[] memory);
    /// @notice TAO value of `coldkey`'s stake in `hotkey` (rounded down). This view and the ones below
    /// count the pool's accrued rewards as applied (see `accrueRewards`).
    function stakeOf(address coldkey, address hotkey) external view returns (uint256);
    function sharesOf(address coldkey, address hotkey) external view returns (uint256);
    /// @notice TAO staked in `hotkey`'s active pool (queued withdrawals excluded).
    function totalStake(address hotkey) external view returns (uint256);
    /// @notice `totalStake` of each hotkey (the settlement's capture).
    function totalStakes(address[] calldata hotkeys) external view returns (uint256[] memory stakes);
    function poolTotals(address hotkey) external view returns (PoolTotals memory);
    /// @notice All pools' active stake (accrued rewards included) plus all queued withdrawals: what the
    /// contract owes.
    function totalAccounted() external view returns (uint256);
    /// @notice Every hotkey `coldkey` holds shares in, with their value (including a hotkey of its own
    /// whose accrued rewards would give it its first shares).
    function positionsOf(address coldkey) external view returns (Position[] memory);
    /// @notice The coldkey's queued withdrawals with their current value.
    function pendingWithdrawalsOf(address coldkey) external view returns (PendingWithdrawal[] memory);
    function withdrawal(uint256 id) external view returns (Withdrawal memory);
    /// @notice Current value of a pending withdrawal (after any slash).
    function withdrawalAssets(uint256 id) external view returns (uint256);
    /// @notice The EIP-712 digest a hotkey signs to bind to `coldkey`.
    function bindingDigest(
        address hotkey,
        address coldkey,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);
}
