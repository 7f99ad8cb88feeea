import {
  DisputeAccepted,
  DisputeBondReclaimed,
  DisputeOpened,
  DisputeParametersSet,
  DisputeRejected,
} from "../generated/Slashing/Slashing";
import { Dispute } from "../generated/schema";
import { createOrLoadHotkey, createOrLoadProtocol } from "./helpers";

export function handleDisputeOpened(event: DisputeOpened): void {
  createOrLoadHotkey(event.params.hotkey);
  const dispute = new Dispute(event.params.id.toString());
  dispute.hotkey = event.params.hotkey;
  dispute.reporter = event.params.reporter;
  dispute.bond = event.params.bond;
  dispute.deadline = event.params.deadline;
  dispute.evidenceHash = event.params.evidenceHash;
  dispute.evidenceUri = event.params.evidenceUri;
  dispute.status = "OPEN";
  dispute.openedAt = event.block.timestamp;
  dispute.save();
}

export function handleDisputeAccepted(event: DisputeAccepted): void {
  const dispute = Dispute.load(event.params.id.toString())!;
  dispute.status = "ACCEPTED";
  dispute.arbitrator = event.params.arbitrator;
  dispute.slashed = event.params.slashed;
  dispute.reporterReward = event.params.reporterReward;
  dispute.resolvedAt = event.block.timestamp;
  dispute.save();
}

export function handleDisputeRejected(event: DisputeRejected): void {
  const dispute = Dispute.load(event.params.id.toString())!;
  dispute.status = "REJECTED";
  dispute.arbitrator = event.params.arbitrator;
  dispute.resolvedAt = event.block.timestamp;
  dispute.save();
}

export function handleDisputeBondReclaimed(event: DisputeBondReclaimed): void {
  const dispute = Dispute.load(event.params.id.toString())!;
  dispute.status = "EXPIRED";
  dispute.resolvedAt = event.block.timestamp;
  dispute.save();
}

export function handleDisputeParametersSet(event: DisputeParametersSet): void {
  const protocol = createOrLoadProtocol();
  protocol.minDisputeBond = event.params.minDisputeBond;
  protocol.disputePeriod = event.params.disputePeriod;
  protocol.save();
}
