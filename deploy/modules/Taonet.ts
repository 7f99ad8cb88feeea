import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { Future } from "@nomicfoundation/ignition-core";
import { keccak256, toHex, zeroAddress } from "viem";
import { FUNCTION_ROLES, ROLES, selectors } from "../roles.ts";

const DEFAULT_ADMIN_ROLE = `0x${"00".repeat(32)}` as const;
const PROPOSER_ROLE = keccak256(toHex("PROPOSER_ROLE"));
const CANCELLER_ROLE = keccak256(toHex("CANCELLER_ROLE"));

/**
 * Deploys and wires the whole protocol: AccessManager, TAO, Emission, Staking, Slashing,
 * SubnetRegistry, NeuronRegistry, MetagraphLens, Weights, YumaSettlement, RootNetwork,
 * TimelockController and TaoGovernor. The deployer administers the AccessManager and the timelock
 * only while wiring, then renounces both: at the end the timelock (driven by the Governor) is the
 * sole admin. Parameters per network live in `deploy/parameters/<network>.json`.
 */
export default buildModule("Taonet", (m) => {
  const deployer = m.getAccount(0);

  // ---- parameters (seconds, basis points, WAD = 1e18 for fractions) ----
  const genesisRecipients = m.getParameter<string[]>("genesisRecipients", []);
  const genesisAmounts = m.getParameter<bigint[]>("genesisAmounts", []);
  const emissionStartTime = m.getParameter("emissionStartTime", 0n);
  const unbondingPeriod = m.getParameter("unbondingPeriod", 7n * 24n * 3600n);
  const defaultTakeBps = m.getParameter("defaultTakeBps", 1_800n);
  const takeIncreaseCooldown = m.getParameter("takeIncreaseCooldown", 30n * 24n * 3600n);
  const maxSlashPerWindowWad = m.getParameter("maxSlashPerWindowWad", 10n ** 17n);
  const slashWindow = m.getParameter("slashWindow", 7n * 24n * 3600n);
  const minDisputeBond = m.getParameter("minDisputeBond", 100n * 10n ** 18n);
  const disputePeriod = m.getParameter("disputePeriod", 14n * 24n * 3600n);
  const maxDisputeSlashWad = m.getParameter("maxDisputeSlashWad", 10n ** 17n);
  const reporterRewardWad = m.getParameter("reporterRewardWad", 10n ** 17n);
  const timelockMinDelay = m.getParameter("timelockMinDelay", 2n * 24n * 3600n);
  const votingDelay = m.getParameter("votingDelay", 24n * 3600n);
  const votingPeriod = m.getParameter("votingPeriod", 5n * 24n * 3600n);
  const proposalThreshold = m.getParameter("proposalThreshold", 1_000n * 10n ** 18n);
  const quorumPercent = m.getParameter("quorumPercent", 4n);
  const arbitrator = m.getParameter("arbitrator", deployer);
  // Subnets: cap, subnet immunity and lock decay in 2 s rollup blocks (subtensor's x6), lock floor.
  const maxSubnets = m.getParameter("maxSubnets", 128n);
  const networkImmunityPeriod = m.getParameter("networkImmunityPeriod", 7_776_000n);
  const lockReductionInterval = m.getParameter("lockReductionInterval", 604_800n);
  const minLockCost = m.getParameter("minLockCost", 1_000n * 10n ** 18n);
  const initialBurn = m.getParameter("initialBurn", 10n ** 17n);
  // Hyperparameters whose built-in bounds and default a network changes (indices of the enum).
  const hyperparameterOverrides = m.getParameter<bigint[]>("hyperparameterOverrides", []);
  const hyperparameterMinimums = m.getParameter<bigint[]>("hyperparameterMinimums", []);
  const hyperparameterMaximums = m.getParameter<bigint[]>("hyperparameterMaximums", []);
  const hyperparameterDefaults = m.getParameter<bigint[]>("hyperparameterDefaults", []);

  // Root network: members, tempo, weights rate limit and activity cutoff (2 s blocks: subtensor's
  // 360-block tempo, 100-block rate limit and 5,000-block cutoff, x6), fewest subnets per vector.
  const rootMaxMembers = m.getParameter("rootMaxMembers", 64n);
  const rootTempo = m.getParameter("rootTempo", 2_160n);
  const rootWeightsRateLimit = m.getParameter("rootWeightsRateLimit", 600n);
  const rootActivityCutoff = m.getParameter("rootActivityCutoff", 30_000n);
  const rootMinAllowedWeights = m.getParameter("rootMinAllowedWeights", 1n);

  // ---- contracts ----
  const manager = m.contract("AccessManager", [deployer]);
  const tao = m.contract("TAO", [manager, genesisRecipients, genesisAmounts]);
  const emission = m.contract("Emission", [manager, tao, emissionStartTime]);
  const staking = m.contract("Staking", [
    manager,
    tao,
    unbondingPeriod,
    defaultTakeBps,
    takeIncreaseCooldown,
    maxSlashPerWindowWad,
    slashWindow,
  ]);
  const slashing = m.contract("Slashing", [
    manager,
    tao,
    staking,
    minDisputeBond,
    disputePeriod,
    maxDisputeSlashWad,
    reporterRewardWad,
  ]);
  const subnetRegistry = m.contract("SubnetRegistry", [
    manager,
    tao,
    { maxSubnets, networkImmunityPeriod, lockReductionInterval, minLockCost },
    hyperparameterOverrides,
    hyperparameterMinimums,
    hyperparameterMaximums,
    hyperparameterDefaults,
  ]);
  const neuronRegistry = m.contract("NeuronRegistry", [manager, tao, staking, subnetRegistry, initialBurn]);
  const metagraphLens = m.contract("MetagraphLens", [subnetRegistry, neuronRegistry, staking]);
  const weights = m.contract("Weights", [manager, subnetRegistry, neuronRegistry, staking]);
  // The settlement runs epochs in this contract by delegatecall (its storage, its balance).
  const yumaEpochRunner = m.contract("YumaEpochRunner", [tao, staking, neuronRegistry, weights]);
  const yumaSettlement = m.contract("YumaSettlement", [
    manager,
    tao,
    emission,
    staking,
    subnetRegistry,
    neuronRegistry,
    weights,
    yumaEpochRunner,
  ]);
  const rootNetwork = m.contract("RootNetwork", [
    manager,
    staking,
    subnetRegistry,
    yumaSettlement,
    {
      maxMembers: rootMaxMembers,
      tempo: rootTempo,
      weightsRateLimit: rootWeightsRateLimit,
      activityCutoff: rootActivityCutoff,
      minAllowedWeights: rootMinAllowedWeights,
    },
  ]);
  // Missed reveals are an objective fault: a small penalty, a quarter of it to the reporter.
  const missedRevealPenaltyWad = m.getParameter("missedRevealPenaltyWad", 5n * 10n ** 15n);
  const missedRevealTipWad = m.getParameter("missedRevealTipWad", 25n * 10n ** 16n);
  const timelock = m.contract("TimelockController", [timelockMinDelay, [], [zeroAddress], deployer]);
  const governor = m.contract("TaoGovernor", [
    tao,
    timelock,
    votingDelay,
    votingPeriod,
    proposalThreshold,
    quorumPercent,
  ]);

  // ---- wiring, done by the deployer as temporary admin ----
  const minterSet = m.call(tao, "setMinter", [emission]);
  const neuronsWired = m.call(subnetRegistry, "setNeuronRegistry", [neuronRegistry]);
  const targets = {
    Emission: emission,
    Staking: staking,
    Slashing: slashing,
    SubnetRegistry: subnetRegistry,
    NeuronRegistry: neuronRegistry,
    Weights: weights,
    YumaSettlement: yumaSettlement,
    RootNetwork: rootNetwork,
  };
  const wiring: Future[] = [minterSet, neuronsWired];
  for (const [contractName, byRole] of Object.entries(FUNCTION_ROLES)) {
    for (const [role, signatures] of Object.entries(byRole)) {
      wiring.push(
        m.call(
          manager,
          "setTargetFunctionRole",
          [targets[contractName as keyof typeof targets], selectors(signatures), ROLES[role as keyof typeof ROLES]],
          { id: `map_${contractName}_${role}` },
        ),
      );
    }
  }
  for (const [role, label] of [
    [ROLES.SETTLEMENT, "SETTLEMENT"],
    [ROLES.SLASHER, "SLASHER"],
    [ROLES.ARBITRATOR, "ARBITRATOR"],
    [ROLES.ROOT_NETWORK, "ROOT_NETWORK"],
  ] as const) {
    wiring.push(m.call(manager, "labelRole", [role, label], { id: `label_${label}` }));
  }
  wiring.push(m.call(manager, "grantRole", [ROLES.SLASHER, slashing, 0n], { id: "grant_SLASHER_slashing" }));
  wiring.push(
    m.call(manager, "grantRole", [ROLES.SETTLEMENT, yumaSettlement, 0n], { id: "grant_SETTLEMENT_settlement" }),
  );
  wiring.push(
    m.call(manager, "grantRole", [ROLES.ROOT_NETWORK, rootNetwork, 0n], { id: "grant_ROOT_NETWORK_rootNetwork" }),
  );
  wiring.push(
    m.call(slashing, "setFaultRoute", [weights, true, missedRevealPenaltyWad, missedRevealTipWad], {
      id: "faultRoute_missedReveal",
    }),
  );
  wiring.push(m.call(manager, "grantRole", [ROLES.ARBITRATOR, arbitrator, 0n], { id: "grant_ARBITRATOR_arbitrator" }));
  wiring.push(m.call(manager, "grantRole", [ROLES.ARBITRATOR, timelock, 0n], { id: "grant_ARBITRATOR_timelock" }));
  wiring.push(m.call(manager, "grantRole", [ROLES.ADMIN, timelock, 0n], { id: "grant_ADMIN_timelock" }));
  wiring.push(m.call(timelock, "grantRole", [PROPOSER_ROLE, governor], { id: "timelock_proposer_governor" }));
  wiring.push(m.call(timelock, "grantRole", [CANCELLER_ROLE, governor], { id: "timelock_canceller_governor" }));

  // ---- hand over: the deployer keeps no power ----
  m.call(manager, "renounceRole", [ROLES.ADMIN, deployer], { id: "renounce_ADMIN_deployer", after: wiring });
  m.call(timelock, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
    id: "renounce_timelockAdmin_deployer",
    after: wiring,
  });

  return {
    manager,
    tao,
    emission,
    staking,
    slashing,
    subnetRegistry,
    neuronRegistry,
    metagraphLens,
    weights,
    yumaEpochRunner,
    yumaSettlement,
    rootNetwork,
    timelock,
    governor,
  };
});
