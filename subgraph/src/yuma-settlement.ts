import { Address, BigInt, Bytes } from "@graphprotocol/graph-ts";
import { EmissionSharesSet, EpochOutputs, EpochSettled } from "../generated/YumaSettlement/YumaSettlement";
import { Epoch, GovernanceShare, Neuron, NeuronEpoch, Subnet, UidSlot } from "../generated/schema";
import {
  ZERO,
  createOrLoadHotkey,
  createOrLoadHotkeyDay,
  createOrLoadProtocol,
  createOrLoadSubnetDay,
  loadSubnet,
} from "./helpers";

function createOrLoadEpoch(subnet: Subnet, epochIndex: BigInt): Epoch {
  const id = subnet.id + "-" + epochIndex.toString();
  let epoch = Epoch.load(id);
  if (epoch == null) {
    epoch = new Epoch(id);
    epoch.subnet = subnet.id;
    epoch.epochIndex = epochIndex;
    epoch.totalIncentiveEmission = ZERO;
    epoch.totalDividendEmission = ZERO;
    epoch.uids = 0;
  }
  return epoch;
}

export function handleEpochSettled(event: EpochSettled): void {
  const subnet = loadSubnet(event.params.netuid);
  const epoch = createOrLoadEpoch(subnet, event.params.epochIndex);
  epoch.blockNumber = event.params.blockNumber;
  epoch.timestamp = event.block.timestamp;
  epoch.emission = event.params.emission;
  epoch.ownerCut = event.params.ownerCut;
  epoch.keeperTip = event.params.keeperTip;
  epoch.burned = event.params.burned;
  epoch.keeper = event.params.keeper;
  epoch.save();

  subnet.totalEmission = subnet.totalEmission.plus(event.params.emission);
  subnet.epochCount += 1;
  subnet.save();
  const day = createOrLoadSubnetDay(subnet, event);
  day.emission = day.emission.plus(event.params.emission);
  day.epochs += 1;
  day.save();
  const protocol = createOrLoadProtocol();
  protocol.totalEpochEmission = protocol.totalEpochEmission.plus(event.params.emission);
  protocol.epochCount += 1;
  protocol.save();
}

/**
 * One NeuronEpoch per UID; the UID's tenure and hotkey add the epoch's emission to their totals, and
 * the hotkey's accrued rewards grow by it. The settlement pays each UID's hotkey exactly these amounts
 * with Staking.accrueRewards (minerEmission to be staked for the operator, validatorEmission into the
 * pool), whose RewardsAccrued event carries only the total: the per-hotkey amounts come from here.
 * EpochOutputs ends the run's Finalize phase and the accrual is its Pay phase, in the same transaction
 * unless the settlement is chunked; the pool applies them later (see staking.ts, takeAccrued).
 */
const FRACTIONS_RECORD_BYTES = 11;

/** The big-endian u16 at byte `at` of `bytes`. */
function u16At(bytes: Bytes, at: i32): i32 {
  return ((bytes[at] as i32) << 8) | (bytes[at + 1] as i32);
}

export function handleEpochOutputs(event: EpochOutputs): void {
  const subnet = loadSubnet(event.params.netuid);
  const epoch = createOrLoadEpoch(subnet, event.params.epochIndex);
  // 11 bytes a UID: consensus, incentive, dividends, validator trust, miner trust (big-endian u16),
  // then the new permit (IYumaSettlement.EpochOutputs).
  const fractions = event.params.fractions;
  const minerEmission = event.params.minerEmission;
  const validatorEmission = event.params.validatorEmission;
  let totalIncentive = ZERO;
  let totalDividends = ZERO;
  let accrued = ZERO;
  for (let uid = 0; uid < minerEmission.length; uid++) {
    const at = uid * FRACTIONS_RECORD_BYTES;
    const row = new NeuronEpoch(epoch.id + "-" + uid.toString());
    row.epoch = epoch.id;
    row.subnet = subnet.id;
    row.uid = uid;
    row.consensus = u16At(fractions, at);
    row.incentive = u16At(fractions, at + 2);
    row.dividends = u16At(fractions, at + 4);
    row.validatorTrust = u16At(fractions, at + 6);
    row.trust = u16At(fractions, at + 8);
    row.validatorPermit = fractions[at + 10] == 1;
    row.incentiveEmission = minerEmission[uid];
    row.dividendEmission = validatorEmission[uid];
    row.emission = minerEmission[uid].plus(validatorEmission[uid]);
    row.timestamp = event.block.timestamp;
    totalIncentive = totalIncentive.plus(minerEmission[uid]);
    totalDividends = totalDividends.plus(validatorEmission[uid]);

    const slot = UidSlot.load(subnet.id + "-" + uid.toString());
    if (slot != null) {
      const neuron = Neuron.load(slot.neuron)!;
      row.neuron = neuron.id;
      row.hotkey = neuron.hotkey;
      neuron.totalIncentiveEmission = neuron.totalIncentiveEmission.plus(minerEmission[uid]);
      neuron.totalDividendEmission = neuron.totalDividendEmission.plus(validatorEmission[uid]);
      neuron.save();
      const hotkey = createOrLoadHotkey(Address.fromBytes(neuron.hotkey));
      hotkey.totalIncentiveEmission = hotkey.totalIncentiveEmission.plus(minerEmission[uid]);
      hotkey.totalDividendEmission = hotkey.totalDividendEmission.plus(validatorEmission[uid]);
      hotkey.accruedToOperator = hotkey.accruedToOperator.plus(minerEmission[uid]);
      hotkey.accruedToPool = hotkey.accruedToPool.plus(validatorEmission[uid]);
      hotkey.accruedRewards = hotkey.accruedToOperator.plus(hotkey.accruedToPool);
      hotkey.save();
      accrued = accrued.plus(minerEmission[uid]).plus(validatorEmission[uid]);
      const day = createOrLoadHotkeyDay(hotkey, event);
      day.incentiveEmission = day.incentiveEmission.plus(minerEmission[uid]);
      day.dividendEmission = day.dividendEmission.plus(validatorEmission[uid]);
      day.save();
    }
    row.save();
  }
  epoch.totalIncentiveEmission = totalIncentive;
  epoch.totalDividendEmission = totalDividends;
  epoch.uids = minerEmission.length;
  epoch.save();
  if (accrued.gt(ZERO)) {
    const protocol = createOrLoadProtocol();
    protocol.accruedRewards = protocol.accruedRewards.plus(accrued);
    protocol.save();
  }
}

/**
 * Governance's shares: each listed netuid's share replaces its previous one (the contract keeps the
 * others), and the protocol's total moves by the difference, as `_totalShareWad` does.
 */
export function handleEmissionSharesSet(event: EmissionSharesSet): void {
  const protocol = createOrLoadProtocol();
  const netuids = event.params.netuids;
  const shares = event.params.sharesWad;
  for (let i = 0; i < netuids.length; i++) {
    const id = netuids[i].toString();
    let share = GovernanceShare.load(id);
    if (share == null) {
      share = new GovernanceShare(id);
      share.shareWad = ZERO;
    }
    protocol.governanceShareTotalWad = protocol.governanceShareTotalWad.minus(share.shareWad).plus(shares[i]);
    share.shareWad = shares[i];
    share.updatedAtBlock = event.block.number;
    share.save();
    const subnet = Subnet.load(id);
    if (subnet != null) {
      subnet.governanceShareWad = shares[i];
      subnet.save();
    }
  }
  protocol.save();
}
