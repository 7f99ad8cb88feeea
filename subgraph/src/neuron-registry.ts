import { NeuronRegistered } from "../generated/NeuronRegistry/NeuronRegistry";
import { Neuron, UidSlot } from "../generated/schema";
import {
  ZERO,
  createOrLoadAccount,
  createOrLoadHotkey,
  createOrLoadProtocol,
  createOrLoadSubnetDay,
  eventId,
  loadSubnet,
} from "./helpers";

/** A registration starts a tenure on the UID and ends the one it replaces. */
export function handleNeuronRegistered(event: NeuronRegistered): void {
  const subnet = loadSubnet(event.params.netuid);
  const slotId = subnet.id + "-" + event.params.uid.toString();
  let slot = UidSlot.load(slotId);
  if (slot != null) {
    const previous = Neuron.load(slot.neuron)!;
    previous.active = false;
    previous.replacedAtBlock = event.block.number;
    previous.save();
  } else {
    slot = new UidSlot(slotId);
  }
  createOrLoadAccount(event.params.coldkey);
  createOrLoadHotkey(event.params.hotkey);
  const neuron = new Neuron(slotId + "-" + eventId(event));
  neuron.subnet = subnet.id;
  neuron.uid = event.params.uid.toI32();
  neuron.hotkey = event.params.hotkey;
  neuron.coldkey = event.params.coldkey;
  neuron.burned = event.params.burned;
  neuron.registeredAtBlock = event.block.number;
  neuron.registeredAt = event.block.timestamp;
  neuron.active = true;
  neuron.totalIncentiveEmission = ZERO;
  neuron.totalDividendEmission = ZERO;
  neuron.save();
  slot.neuron = neuron.id;
  slot.save();

  subnet.registrationCount += 1;
  subnet.totalRegistrationBurn = subnet.totalRegistrationBurn.plus(event.params.burned);
  subnet.save();
  const day = createOrLoadSubnetDay(subnet, event);
  day.registrations += 1;
  day.save();
  const protocol = createOrLoadProtocol();
  protocol.registrationCount += 1;
  protocol.totalRegistrationBurn = protocol.totalRegistrationBurn.plus(event.params.burned);
  protocol.save();
}
