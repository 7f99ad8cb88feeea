import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import {
  HotkeyBound,
  HotkeyFrozen,
  HotkeyUnfrozen,
  OperatorCredited,
  RewardDistributed,
  SlashParametersSet,
  Slashed,
  StakeAdded,
  TakeParametersSet,
  TakeSet,
  UnbondingPeriodSet,
  WithdrawalCompleted,
  WithdrawalQueued,
} from "../generated/Staking/Staking";
import { Hotkey, Slash, StakePosition, Withdrawal } from "../generated/schema";
import {
  ZERO,
  createOrLoadAccount,
  createOrLoadHotkey,
  createOrLoadHotkeyDay,
  createOrLoadProtocol,
  createOrLoadProtocolDay,
  eventId,
} from "./helpers";

function createOrLoadPosition(coldkey: Address, hotkey: Address): StakePosition {
  const id = coldkey.toHexString() + "-" + hotkey.toHexString();
  let position = StakePosition.load(id);
  if (position == null) {
    createOrLoadAccount(coldkey);
    position = new StakePosition(id);
    position.coldkey = coldkey;
    position.hotkey = hotkey;
    position.shares = ZERO;
    position.principal = ZERO;
    position.realisedRewards = ZERO;
    position.totalStaked = ZERO;
    position.totalWithdrawn = ZERO;
  }
  return position;
}

/** Sets a pool's totals from an event and moves the protocol's total stake by the change. */
function setPool(hotkey: Hotkey, poolAssets: BigInt, poolShares: BigInt, event: ethereum.Event): void {
  const protocol = createOrLoadProtocol();
  protocol.totalStaked = protocol.totalStaked.plus(poolAssets).minus(hotkey.poolAssets);
  hotkey.poolAssets = poolAssets;
  hotkey.poolShares = poolShares;
  hotkey.save();
  protocol.save();
  createOrLoadHotkeyDay(hotkey, event).save();
  createOrLoadProtocolDay(protocol, event).save();
}

function setUnbonding(hotkey: Hotkey, unbondingAssets: BigInt): void {
  const protocol = createOrLoadProtocol();
  protocol.totalUnbonding = protocol.totalUnbonding.plus(unbondingAssets).minus(hotkey.unbondingAssets);
  hotkey.unbondingAssets = unbondingAssets;
  protocol.save();
}

export function handleHotkeyBound(event: HotkeyBound): void {
  createOrLoadAccount(event.params.coldkey);
  const hotkey = createOrLoadHotkey(event.params.hotkey);
  hotkey.coldkey = event.params.coldkey;
  hotkey.takeBps = event.params.takeBps;
  hotkey.save();
}

export function handleStakeAdded(event: StakeAdded): void {
  const account = createOrLoadAccount(event.params.coldkey);
  account.totalStaked = account.totalStaked.plus(event.params.assets);
  account.save();
  const position = createOrLoadPosition(event.params.coldkey, event.params.hotkey);
  position.shares = position.shares.plus(event.params.shares);
  position.principal = position.principal.plus(event.params.assets);
  position.totalStaked = position.totalStaked.plus(event.params.assets);
  position.save();
  const hotkey = createOrLoadHotkey(event.params.hotkey);
  setPool(hotkey, event.params.poolAssets, event.params.poolShares, event);
  const protocol = createOrLoadProtocol();
  const day = createOrLoadProtocolDay(protocol, event);
  day.staked = day.staked.plus(event.params.assets);
  day.save();
}

export function handleWithdrawalQueued(event: WithdrawalQueued): void {
  const position = createOrLoadPosition(event.params.coldkey, event.params.hotkey);
  // The principal leaves with the shares, pro rata; what the shares fetched beyond it is realised.
  let principalOut = ZERO;
  if (position.shares.gt(ZERO)) principalOut = position.principal.times(event.params.shares).div(position.shares);
  const realised = event.params.assets.minus(principalOut);
  position.shares = position.shares.minus(event.params.shares);
  position.principal = position.principal.minus(principalOut);
  position.realisedRewards = position.realisedRewards.plus(realised);
  position.totalWithdrawn = position.totalWithdrawn.plus(event.params.assets);
  position.save();
  const account = createOrLoadAccount(event.params.coldkey);
  account.realisedRewards = account.realisedRewards.plus(realised);
  account.save();

  const withdrawal = new Withdrawal(event.params.id.toString());
  withdrawal.coldkey = event.params.coldkey;
  withdrawal.hotkey = event.params.hotkey;
  withdrawal.shares = event.params.shares;
  withdrawal.unbondingShares = event.params.unbondingShares;
  withdrawal.queuedAssets = event.params.assets;
  withdrawal.completableAt = event.params.completableAt;
  withdrawal.status = "QUEUED";
  withdrawal.slashed = false;
  withdrawal.queuedAtBlock = event.block.number;
  withdrawal.save();

  const hotkey = createOrLoadHotkey(event.params.hotkey);
  hotkey.unbondingShares = hotkey.unbondingShares.plus(event.params.unbondingShares);
  setUnbonding(hotkey, hotkey.unbondingAssets.plus(event.params.assets));
  setPool(hotkey, event.params.poolAssets, event.params.poolShares, event);
  const protocol = createOrLoadProtocol();
  const day = createOrLoadProtocolDay(protocol, event);
  day.withdrawn = day.withdrawn.plus(event.params.assets);
  day.save();
}

export function handleWithdrawalCompleted(event: WithdrawalCompleted): void {
  const withdrawal = Withdrawal.load(event.params.id.toString())!;
  withdrawal.status = "COMPLETED";
  withdrawal.completedAssets = event.params.assets;
  withdrawal.slashed = event.params.assets.lt(withdrawal.queuedAssets);
  withdrawal.completedAtBlock = event.block.number;
  withdrawal.save();
  const hotkey = createOrLoadHotkey(event.params.hotkey);
  hotkey.unbondingShares = hotkey.unbondingShares.minus(event.params.unbondingShares);
  setUnbonding(hotkey, hotkey.unbondingAssets.minus(event.params.assets));
  hotkey.save();
}

/**
 * What a RewardDistributed (`toPool`) or an OperatorCredited (`!toPool`) of `amount` took out of the
 * hotkey's accrued rewards: `min(amount, accrued)` of the matching part, which it subtracts (from the
 * protocol's total too).
 *
 * Staking applies a hotkey's accrued rewards whole, the pool reward's RewardDistributed first and then
 * the operator's OperatorCredited, and every path that touches a pool applies them before anything
 * else (`_applyAccrued`). So while a part is accrued, the hotkey's next event of that kind is its
 * application and its amount equals the part; the accrued settlement rewards are the only source of
 * OperatorCredited. A direct `distributeReward` (the settlement's role, no accrual behind it) applies
 * the accrued rewards first, so its own RewardDistributed comes after, with nothing left accrued to
 * the pool, and takes nothing. (EpochOutputs adds an epoch's rewards before the settlement's Pay phase
 * accrues them; only a direct distributeReward to the hotkey between the two, in a settlement chunked
 * over several transactions, would be mistaken for their application.)
 */
function takeAccrued(hotkey: Hotkey, amount: BigInt, toPool: boolean): void {
  const accrued = toPool ? hotkey.accruedToPool : hotkey.accruedToOperator;
  const taken = amount.lt(accrued) ? amount : accrued;
  if (taken.equals(ZERO)) return;
  if (toPool) hotkey.accruedToPool = accrued.minus(taken);
  else hotkey.accruedToOperator = accrued.minus(taken);
  hotkey.accruedRewards = hotkey.accruedToOperator.plus(hotkey.accruedToPool);
  const protocol = createOrLoadProtocol();
  protocol.accruedRewards = protocol.accruedRewards.minus(taken);
  protocol.save();
}

/**
 * A reward applied to a hotkey's pool (RewardDistributed, or OperatorCredited when the whole amount
 * is the operator's): what it took of the accrued rewards, the operator's new shares, the hotkey's and
 * the protocol's reward totals, and the pool after it.
 */
function creditReward(
  hotkeyAddress: Address,
  operator: Address,
  operatorShares: BigInt,
  amount: BigInt,
  take: BigInt,
  toPool: boolean,
  poolAssets: BigInt,
  poolShares: BigInt,
  event: ethereum.Event,
): void {
  const position = createOrLoadPosition(operator, hotkeyAddress);
  position.shares = position.shares.plus(operatorShares);
  position.save();
  const hotkey = createOrLoadHotkey(hotkeyAddress);
  takeAccrued(hotkey, amount, toPool);
  hotkey.totalRewards = hotkey.totalRewards.plus(amount);
  hotkey.totalTake = hotkey.totalTake.plus(take);
  setPool(hotkey, poolAssets, poolShares, event);
  const day = createOrLoadHotkeyDay(hotkey, event);
  day.rewards = day.rewards.plus(amount);
  day.save();
  const protocol = createOrLoadProtocol();
  protocol.totalRewards = protocol.totalRewards.plus(amount);
  protocol.save();
}

export function handleRewardDistributed(event: RewardDistributed): void {
  const p = event.params;
  creditReward(p.hotkey, p.operator, p.operatorShares, p.amount, p.take, true, p.poolAssets, p.poolShares, event);
}

export function handleOperatorCredited(event: OperatorCredited): void {
  const p = event.params;
  creditReward(p.hotkey, p.operator, p.shares, p.amount, p.amount, false, p.poolAssets, p.poolShares, event);
}

export function handleTakeSet(event: TakeSet): void {
  const hotkey = createOrLoadHotkey(event.params.hotkey);
  hotkey.takeBps = event.params.newTakeBps;
  hotkey.save();
}

export function handleSlashed(event: Slashed): void {
  const slash = new Slash(eventId(event));
  slash.hotkey = event.params.hotkey;
  slash.requestedWad = event.params.requestedWad;
  slash.appliedWad = event.params.appliedWad;
  slash.fromStake = event.params.fromStake;
  slash.fromUnbonding = event.params.fromUnbonding;
  slash.recipient = event.params.recipient;
  slash.poolAssetsAfter = event.params.poolAssets;
  slash.blockNumber = event.block.number;
  slash.timestamp = event.block.timestamp;
  slash.transactionHash = event.transaction.hash;
  slash.save();

  const amount = event.params.fromStake.plus(event.params.fromUnbonding);
  const hotkey = createOrLoadHotkey(event.params.hotkey);
  hotkey.totalSlashed = hotkey.totalSlashed.plus(amount);
  setUnbonding(hotkey, event.params.unbondingAssets);
  setPool(hotkey, event.params.poolAssets, hotkey.poolShares, event);
  const hotkeyDay = createOrLoadHotkeyDay(hotkey, event);
  hotkeyDay.slashed = hotkeyDay.slashed.plus(amount);
  hotkeyDay.save();
  const protocol = createOrLoadProtocol();
  protocol.totalSlashed = protocol.totalSlashed.plus(amount);
  protocol.save();
  const protocolDay = createOrLoadProtocolDay(protocol, event);
  protocolDay.slashed = protocolDay.slashed.plus(amount);
  protocolDay.save();
}

export function handleHotkeyFrozen(event: HotkeyFrozen): void {
  const hotkey = createOrLoadHotkey(event.params.hotkey);
  hotkey.openDisputes = event.params.openDisputes.toI32();
  hotkey.save();
}

export function handleHotkeyUnfrozen(event: HotkeyUnfrozen): void {
  const hotkey = createOrLoadHotkey(event.params.hotkey);
  hotkey.openDisputes = event.params.openDisputes.toI32();
  hotkey.save();
}

export function handleUnbondingPeriodSet(event: UnbondingPeriodSet): void {
  const protocol = createOrLoadProtocol();
  protocol.unbondingPeriod = event.params.unbondingPeriod;
  protocol.save();
}

export function handleTakeParametersSet(event: TakeParametersSet): void {
  const protocol = createOrLoadProtocol();
  protocol.defaultTakeBps = event.params.defaultTakeBps;
  protocol.save();
}

export function handleSlashParametersSet(event: SlashParametersSet): void {
  const protocol = createOrLoadProtocol();
  protocol.maxSlashPerWindowWad = event.params.maxSlashPerWindowWad;
  protocol.slashWindow = event.params.slashWindow;
  protocol.save();
}
