import { WeightsCommitted, WeightsRevealed } from "../generated/Weights/Weights";
import { Commit, Reveal } from "../generated/schema";
import { createOrLoadHotkey, eventId } from "./helpers";

export function handleWeightsCommitted(event: WeightsCommitted): void {
  createOrLoadHotkey(event.params.hotkey);
  const commit = new Commit(eventId(event));
  commit.subnet = event.params.netuid.toString();
  commit.hotkey = event.params.hotkey;
  commit.uid = event.params.uid.toI32();
  commit.commitHash = event.params.commitHash;
  commit.epoch = event.params.epoch;
  commit.blockNumber = event.block.number;
  commit.timestamp = event.block.timestamp;
  commit.transactionHash = event.transaction.hash;
  commit.save();
}

export function handleWeightsRevealed(event: WeightsRevealed): void {
  createOrLoadHotkey(event.params.hotkey);
  const reveal = new Reveal(eventId(event));
  reveal.subnet = event.params.netuid.toString();
  reveal.hotkey = event.params.hotkey;
  reveal.uid = event.params.uid.toI32();
  reveal.commitHash = event.params.commitHash;
  reveal.commitEpoch = event.params.commitEpoch;
  reveal.blockNumber = event.block.number;
  reveal.timestamp = event.block.timestamp;
  reveal.transactionHash = event.transaction.hash;
  reveal.save();
}
