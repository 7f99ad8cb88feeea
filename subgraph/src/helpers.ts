// createOrLoad helpers for the entities several mappings touch, kept in one place.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Account, Hotkey, HotkeyDay, Protocol, ProtocolDay, Subnet, SubnetDay } from "../generated/schema";

export const PROTOCOL_ID = "taonet";
export const SECONDS_PER_DAY = 86400;
export const ZERO = BigInt.zero();

/** `<txHash>-<logIndex>`: the id of an immutable event entity. */
export function eventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + "-" + event.logIndex.toString();
}

export function dayNumber(event: ethereum.Event): i32 {
  return event.block.timestamp.toI32() / SECONDS_PER_DAY;
}

export function createOrLoadProtocol(): Protocol {
  let protocol = Protocol.load(PROTOCOL_ID);
  if (protocol == null) {
    protocol = new Protocol(PROTOCOL_ID);
    protocol.unbondingPeriod = ZERO;
    protocol.defaultTakeBps = 0;
    protocol.maxSlashPerWindowWad = ZERO;
    protocol.slashWindow = ZERO;
    protocol.maxSubnets = ZERO;
    protocol.minLockCost = ZERO;
    protocol.minDisputeBond = ZERO;
    protocol.disputePeriod = ZERO;
    protocol.totalStaked = ZERO;
    protocol.totalUnbonding = ZERO;
    protocol.accruedRewards = ZERO;
    protocol.totalEmissionMinted = ZERO;
    protocol.totalEpochEmission = ZERO;
    protocol.totalRewards = ZERO;
    protocol.totalSlashed = ZERO;
    protocol.totalRegistrationBurn = ZERO;
    protocol.subnetCount = 0;
    protocol.registrationCount = 0;
    protocol.epochCount = 0;
    protocol.rootMaxMembers = ZERO;
    protocol.rootTempo = ZERO;
    protocol.rootWeightsRateLimit = ZERO;
    protocol.rootActivityCutoff = ZERO;
    protocol.rootMinAllowedWeights = ZERO;
    protocol.rootMemberCount = 0;
    protocol.rootEpochCount = 0;
    protocol.rootSharesApply = false;
    protocol.governanceShareTotalWad = ZERO;
  }
  return protocol;
}

export function createOrLoadAccount(address: Address): Account {
  let account = Account.load(address);
  if (account == null) {
    account = new Account(address);
    account.totalStaked = ZERO;
    account.realisedRewards = ZERO;
    account.save();
  }
  return account;
}

export function createOrLoadHotkey(address: Address): Hotkey {
  let hotkey = Hotkey.load(address);
  if (hotkey == null) {
    hotkey = new Hotkey(address);
    hotkey.takeBps = 0;
    hotkey.poolAssets = ZERO;
    hotkey.poolShares = ZERO;
    hotkey.unbondingAssets = ZERO;
    hotkey.unbondingShares = ZERO;
    hotkey.openDisputes = 0;
    hotkey.accruedRewards = ZERO;
    hotkey.accruedToOperator = ZERO;
    hotkey.accruedToPool = ZERO;
    hotkey.totalRewards = ZERO;
    hotkey.totalTake = ZERO;
    hotkey.totalIncentiveEmission = ZERO;
    hotkey.totalDividendEmission = ZERO;
    hotkey.totalSlashed = ZERO;
    hotkey.save();
  }
  return hotkey;
}

/** The subnet of `netuid`; the registry emits SubnetCreated before any other event of a subnet. */
export function loadSubnet(netuid: BigInt): Subnet {
  return Subnet.load(netuid.toString())!;
}

export function createOrLoadSubnetDay(subnet: Subnet, event: ethereum.Event): SubnetDay {
  const day = dayNumber(event);
  const id = subnet.id + "-" + day.toString();
  let snapshot = SubnetDay.load(id);
  if (snapshot == null) {
    snapshot = new SubnetDay(id);
    snapshot.subnet = subnet.id;
    snapshot.dayNumber = day;
    snapshot.date = day * SECONDS_PER_DAY;
    snapshot.emission = ZERO;
    snapshot.epochs = 0;
    snapshot.registrations = 0;
  }
  snapshot.totalEmission = subnet.totalEmission;
  return snapshot;
}

export function createOrLoadHotkeyDay(hotkey: Hotkey, event: ethereum.Event): HotkeyDay {
  const day = dayNumber(event);
  const id = hotkey.id.toHexString() + "-" + day.toString();
  let snapshot = HotkeyDay.load(id);
  if (snapshot == null) {
    snapshot = new HotkeyDay(id);
    snapshot.hotkey = hotkey.id;
    snapshot.dayNumber = day;
    snapshot.date = day * SECONDS_PER_DAY;
    snapshot.dividendEmission = ZERO;
    snapshot.incentiveEmission = ZERO;
    snapshot.rewards = ZERO;
    snapshot.slashed = ZERO;
  }
  snapshot.poolAssets = hotkey.poolAssets;
  return snapshot;
}

export function createOrLoadProtocolDay(protocol: Protocol, event: ethereum.Event): ProtocolDay {
  const day = dayNumber(event);
  const id = PROTOCOL_ID + "-" + day.toString();
  let snapshot = ProtocolDay.load(id);
  if (snapshot == null) {
    snapshot = new ProtocolDay(id);
    snapshot.dayNumber = day;
    snapshot.date = day * SECONDS_PER_DAY;
    snapshot.emissionMinted = ZERO;
    snapshot.staked = ZERO;
    snapshot.withdrawn = ZERO;
    snapshot.slashed = ZERO;
  }
  snapshot.totalStaked = protocol.totalStaked;
  snapshot.totalEmissionMinted = protocol.totalEmissionMinted;
  return snapshot;
}

export function bytesId(address: Bytes): string {
  return address.toHexString();
}
