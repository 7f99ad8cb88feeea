import {
  HyperparameterSet,
  NetworkParametersSet,
  SubnetCreated,
  SubnetDissolved,
  SubnetMetadataSet,
  SubnetOwnershipTransferred,
  SubnetReplaced,
} from "../generated/SubnetRegistry/SubnetRegistry";
import { GovernanceShare, Subnet } from "../generated/schema";
import { ZERO, createOrLoadAccount, createOrLoadProtocol, loadSubnet } from "./helpers";

/** ISubnetRegistryTypes.Hyperparameter.Tempo */
const HYPERPARAMETER_TEMPO = 0;

export function handleSubnetCreated(event: SubnetCreated): void {
  createOrLoadAccount(event.params.owner);
  const subnet = new Subnet(event.params.netuid.toString());
  subnet.netuid = event.params.netuid;
  subnet.owner = event.params.owner;
  subnet.name = "";
  subnet.repository = "";
  subnet.lockedAmount = event.params.lockedAmount;
  subnet.createdAtBlock = event.block.number;
  subnet.createdAt = event.block.timestamp;
  subnet.active = true;
  subnet.totalEmission = ZERO;
  subnet.totalRegistrationBurn = ZERO;
  subnet.epochCount = 0;
  subnet.registrationCount = 0;
  subnet.rootShareWad = ZERO;
  // Governance may have set the netuid's share before the subnet existed.
  const share = GovernanceShare.load(subnet.id);
  subnet.governanceShareWad = share != null ? share.shareWad : ZERO;
  subnet.save();
  const protocol = createOrLoadProtocol();
  protocol.subnetCount += 1;
  protocol.save();
}

function deactivate(subnet: Subnet): void {
  if (!subnet.active) return;
  subnet.active = false;
  subnet.save();
  const protocol = createOrLoadProtocol();
  protocol.subnetCount -= 1;
  protocol.save();
}

export function handleSubnetDissolved(event: SubnetDissolved): void {
  deactivate(loadSubnet(event.params.netuid));
}

export function handleSubnetReplaced(event: SubnetReplaced): void {
  deactivate(loadSubnet(event.params.oldNetuid));
}

export function handleSubnetOwnershipTransferred(event: SubnetOwnershipTransferred): void {
  createOrLoadAccount(event.params.newOwner);
  const subnet = loadSubnet(event.params.netuid);
  subnet.owner = event.params.newOwner;
  subnet.save();
}

export function handleSubnetMetadataSet(event: SubnetMetadataSet): void {
  const subnet = loadSubnet(event.params.netuid);
  subnet.name = event.params.name;
  subnet.repository = event.params.repository;
  subnet.save();
}

export function handleHyperparameterSet(event: HyperparameterSet): void {
  if (event.params.parameter != HYPERPARAMETER_TEMPO) return;
  const subnet = loadSubnet(event.params.netuid);
  subnet.tempo = event.params.value;
  subnet.save();
}

export function handleNetworkParametersSet(event: NetworkParametersSet): void {
  const protocol = createOrLoadProtocol();
  protocol.maxSubnets = event.params.maxSubnets;
  protocol.minLockCost = event.params.minLockCost;
  protocol.save();
}
