/**
 * The contracts the subgraph indexes: the Ignition future id of the deployment, the compiled
 * artifact the ABI comes from, the mapping file and the events it handles (`handle<Event>`).
 */
export interface DataSourceSpec {
  /** The data source's name in the manifest, also the ABI's name. */
  name: string;
  /** The key in Ignition's deployed_addresses.json. */
  futureId: string;
  /** The artifact, relative to the repository's artifacts/ folder. */
  artifact: string;
  /** The mapping, relative to subgraph/. */
  mapping: string;
  /** Events handled by `handle<Event>` in the mapping. */
  events: string[];
  /** Entities the mapping writes. */
  entities: string[];
}

export const DATA_SOURCES: DataSourceSpec[] = [
  {
    name: "Staking",
    futureId: "Taonet#Staking",
    artifact: "contracts/staking/Staking.sol/Staking.json",
    mapping: "src/staking.ts",
    events: [
      "HotkeyBound",
      "StakeAdded",
      "WithdrawalQueued",
      "WithdrawalCompleted",
      "RewardDistributed",
      "OperatorCredited",
      "TakeSet",
      "Slashed",
      "HotkeyFrozen",
      "HotkeyUnfrozen",
      "UnbondingPeriodSet",
      "TakeParametersSet",
      "SlashParametersSet",
    ],
    entities: ["Protocol", "Hotkey", "Account", "StakePosition", "Withdrawal", "Slash", "HotkeyDay", "ProtocolDay"],
  },
  {
    name: "SubnetRegistry",
    futureId: "Taonet#SubnetRegistry",
    artifact: "contracts/registry/SubnetRegistry.sol/SubnetRegistry.json",
    mapping: "src/subnet-registry.ts",
    events: [
      "SubnetCreated",
      "SubnetDissolved",
      "SubnetReplaced",
      "SubnetOwnershipTransferred",
      "SubnetMetadataSet",
      "HyperparameterSet",
      "NetworkParametersSet",
    ],
    entities: ["Protocol", "Subnet", "Account", "GovernanceShare"],
  },
  {
    name: "NeuronRegistry",
    futureId: "Taonet#NeuronRegistry",
    artifact: "contracts/registry/NeuronRegistry.sol/NeuronRegistry.json",
    mapping: "src/neuron-registry.ts",
    events: ["NeuronRegistered"],
    entities: ["Protocol", "Subnet", "Neuron", "UidSlot", "Hotkey", "Account", "SubnetDay"],
  },
  {
    name: "Weights",
    futureId: "Taonet#Weights",
    artifact: "contracts/weights/Weights.sol/Weights.json",
    mapping: "src/weights.ts",
    events: ["WeightsCommitted", "WeightsRevealed", "CommitDropped", "WeightsSet"],
    entities: ["Commit", "Reveal", "CommitDrop", "CommitKey", "Hotkey", "WeightsRow"],
  },
  {
    name: "YumaSettlement",
    futureId: "Taonet#YumaSettlement",
    artifact: "contracts/settlement/YumaSettlement.sol/YumaSettlement.json",
    mapping: "src/yuma-settlement.ts",
    events: ["EpochSettled", "EpochOutputs", "EmissionSharesSet"],
    entities: [
      "Protocol",
      "Subnet",
      "Epoch",
      "NeuronEpoch",
      "Neuron",
      "Hotkey",
      "SubnetDay",
      "HotkeyDay",
      "GovernanceShare",
    ],
  },
  {
    name: "Slashing",
    futureId: "Taonet#Slashing",
    artifact: "contracts/slashing/Slashing.sol/Slashing.json",
    mapping: "src/slashing.ts",
    events: [
      "FaultRouteSet",
      "FaultReported",
      "DisputeOpened",
      "DisputeAccepted",
      "DisputeRejected",
      "DisputeBondReclaimed",
      "DisputeParametersSet",
    ],
    entities: ["Protocol", "Dispute", "FaultRoute", "FaultReport", "Hotkey", "Commit", "CommitKey"],
  },
  {
    name: "Emission",
    futureId: "Taonet#Emission",
    artifact: "contracts/emission/Emission.sol/Emission.json",
    mapping: "src/emission.ts",
    events: ["EmissionMinted"],
    entities: ["Protocol", "ProtocolDay"],
  },
  {
    name: "RootNetwork",
    futureId: "Taonet#RootNetwork",
    artifact: "contracts/root/RootNetwork.sol/RootNetwork.json",
    mapping: "src/root-network.ts",
    events: [
      "MemberRegistered",
      "MemberRemoved",
      "MemberMoved",
      "RootWeightsSet",
      "RootEpochSettled",
      "RootParametersSet",
    ],
    entities: ["Protocol", "Subnet", "Hotkey", "RootMember", "RootWeightVector", "RootEpoch", "RootShare"],
  },
];
