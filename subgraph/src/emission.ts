import { EmissionMinted } from "../generated/Emission/Emission";
import { createOrLoadProtocol, createOrLoadProtocolDay } from "./helpers";

export function handleEmissionMinted(event: EmissionMinted): void {
  const protocol = createOrLoadProtocol();
  protocol.totalEmissionMinted = protocol.totalEmissionMinted.plus(event.params.amount);
  protocol.save();
  const day = createOrLoadProtocolDay(protocol, event);
  day.emissionMinted = day.emissionMinted.plus(event.params.amount);
  day.save();
}
