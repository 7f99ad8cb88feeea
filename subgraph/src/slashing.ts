import { Bytes } from "@graphprotocol/graph-ts";
import {
  DisputeAccepted,
  DisputeBondReclaimed,
  DisputeOpened,
  DisputeParametersSet,
  DisputeRejected,
  FaultReported,
  FaultRouteSet,
} from "../generated/Slashing/Slashing";
import { Commit, CommitKey, Dispute, FaultReport, FaultRoute } from "../generated/schema";
import { ZERO, createOrLoadHotkey, createOrLoadProtocol, eventId } from "./helpers";

/** A route's parameters as governance set them last. */
export function handleFaultRouteSet(event: FaultRouteSet): void {
  let route = FaultRoute.load(event.params.proof);
  if (route == null) {
    route = new FaultRoute(event.params.proof);
    route.reportCount = 0;
    route.totalSlashed = ZERO;
  }
  route.enabled = event.params.enabled;
  route.penaltyWad = event.params.penaltyWad;
  route.reporterTipWad = event.params.reporterTipWad;
  route.updatedAtBlock = event.block.number;
  route.save();
}

/**
 * The commit whose missed reveal has this fault id (the Weights contract's proof), or null: a fault
 * of another proof has an id no commit has. Among commits with the same key, the first not revealed
 * nor superseded.
 */
function missedRevealCommit(faultId: Bytes): Commit | null {
  const commitKey = CommitKey.load(faultId.toHexString());
  if (commitKey == null) return null;
  const ids = commitKey.commits;
  for (let i = 0; i < ids.length; i++) {
    const commit = Commit.load(ids[i])!;
    if (commit.status == "EXPIRED" || commit.status == "PENDING") return commit;
  }
  return null;
}

export function handleFaultReported(event: FaultReported): void {
  createOrLoadHotkey(event.params.hotkey);
  const report = new FaultReport(eventId(event));
  report.proof = event.params.proof;
  report.faultId = event.params.faultId;
  report.hotkey = event.params.hotkey;
  report.reporter = event.params.reporter;
  report.appliedWad = event.params.appliedWad;
  report.slashed = event.params.slashed;
  report.tip = event.params.tip;
  report.burned = event.params.burned;
  const route = FaultRoute.load(event.params.proof);
  if (route != null) {
    report.route = route.id;
    route.reportCount += 1;
    route.totalSlashed = route.totalSlashed.plus(event.params.slashed);
    route.save();
  }
  const commit = missedRevealCommit(event.params.faultId);
  if (commit != null) {
    report.commit = commit.id;
    report.subnet = commit.subnet;
  }
  report.blockNumber = event.block.number;
  report.timestamp = event.block.timestamp;
  report.transactionHash = event.transaction.hash;
  report.save();
}

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
