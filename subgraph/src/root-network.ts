import { Address } from "@graphprotocol/graph-ts";
import {
  MemberMoved,
  MemberRegistered,
  MemberRemoved,
  RootEpochSettled,
  RootParametersSet,
  RootWeightsSet,
} from "../generated/RootNetwork/RootNetwork";
import { RootEpoch, RootMember, RootShare, RootWeightVector, Subnet } from "../generated/schema";
import { ZERO, createOrLoadHotkey, createOrLoadProtocol, eventId } from "./helpers";

export function handleMemberRegistered(event: MemberRegistered): void {
  createOrLoadHotkey(event.params.hotkey);
  let member = RootMember.load(event.params.hotkey);
  if (member == null) {
    member = new RootMember(event.params.hotkey);
    member.hotkey = event.params.hotkey;
    member.registrations = 0;
  }
  member.active = true;
  member.slot = event.params.slot.toI32();
  member.registeredStake = event.params.stake;
  member.registeredAtBlock = event.block.number;
  member.registeredAt = event.block.timestamp;
  member.removedStake = null;
  member.removedAtBlock = null;
  member.removedAt = null;
  member.replacedBy = null;
  member.weights = null;
  member.registrations += 1;
  // A replacement: MemberRemoved of the replaced member came first, in the same transaction.
  const replaced = event.params.replaced;
  if (!replaced.equals(Address.zero())) {
    member.replaced = replaced;
    const previous = RootMember.load(replaced);
    if (previous != null) {
      previous.replacedBy = member.id;
      previous.save();
    }
  } else {
    member.replaced = null;
  }
  member.save();
  const protocol = createOrLoadProtocol();
  protocol.rootMemberCount += 1;
  protocol.save();
}

export function handleMemberRemoved(event: MemberRemoved): void {
  const member = RootMember.load(event.params.hotkey)!;
  member.active = false;
  member.removedStake = event.params.stake;
  member.removedAtBlock = event.block.number;
  member.removedAt = event.block.timestamp;
  // The contract forgets the member's weights with its membership.
  member.weights = null;
  member.save();
  const protocol = createOrLoadProtocol();
  protocol.rootMemberCount -= 1;
  protocol.save();
}

/** The last member took an evicted member's slot (governance lowered maxMembers). */
export function handleMemberMoved(event: MemberMoved): void {
  const member = RootMember.load(event.params.hotkey)!;
  member.slot = event.params.to.toI32();
  member.save();
}

export function handleRootWeightsSet(event: RootWeightsSet): void {
  const weights = new RootWeightVector(eventId(event));
  weights.member = event.params.hotkey;
  weights.hotkey = event.params.hotkey;
  const netuids = event.params.netuids;
  const subnets: string[] = [];
  for (let i = 0; i < netuids.length; i++) subnets.push(netuids[i].toString());
  weights.netuids = netuids;
  weights.subnets = subnets;
  weights.valuesU16 = event.params.valuesU16;
  weights.blockNumber = event.block.number;
  weights.timestamp = event.block.timestamp;
  weights.transactionHash = event.transaction.hash;
  weights.save();
  const member = RootMember.load(event.params.hotkey)!;
  member.weights = weights.id;
  member.save();
}

export function handleRootEpochSettled(event: RootEpochSettled): void {
  const epoch = new RootEpoch(event.params.epochIndex.toString());
  epoch.epochIndex = event.params.epochIndex;
  epoch.blockNumber = event.params.blockNumber;
  epoch.timestamp = event.block.timestamp;
  epoch.netuids = event.params.netuids;
  epoch.sharesWad = event.params.sharesWad;
  epoch.members = event.params.members.toI32();
  epoch.applied = event.params.applied;
  epoch.keeper = event.params.keeper;
  epoch.transactionHash = event.transaction.hash;
  epoch.save();

  const protocol = createOrLoadProtocol();
  // A subnet the previous epoch listed and this one does not (no longer active) has no share now.
  if (protocol.lastRootEpoch != null) {
    const previous = RootEpoch.load(protocol.lastRootEpoch!)!;
    const listed = previous.netuids;
    for (let i = 0; i < listed.length; i++) {
      const subnet = Subnet.load(listed[i].toString());
      if (subnet == null) continue;
      subnet.rootShareWad = ZERO;
      subnet.save();
    }
  }
  const netuids = event.params.netuids;
  const shares = event.params.sharesWad;
  for (let i = 0; i < netuids.length; i++) {
    const share = new RootShare(epoch.id + "-" + netuids[i].toString());
    share.epoch = epoch.id;
    share.subnet = netuids[i].toString();
    share.shareWad = shares[i];
    share.applied = epoch.applied;
    share.blockNumber = epoch.blockNumber;
    share.timestamp = epoch.timestamp;
    share.save();
    const subnet = Subnet.load(netuids[i].toString());
    if (subnet == null) continue;
    subnet.rootShareWad = shares[i];
    subnet.save();
  }
  protocol.rootEpochCount += 1;
  protocol.rootSharesApply = event.params.applied;
  protocol.lastRootEpoch = epoch.id;
  protocol.save();
}

export function handleRootParametersSet(event: RootParametersSet): void {
  const protocol = createOrLoadProtocol();
  protocol.rootMaxMembers = event.params.maxMembers;
  protocol.rootTempo = event.params.tempo;
  protocol.rootWeightsRateLimit = event.params.weightsRateLimit;
  protocol.rootActivityCutoff = event.params.activityCutoff;
  protocol.rootMinAllowedWeights = event.params.minAllowedWeights;
  protocol.save();
}
