import { toFunctionSelector } from "viem";

/**
 * AccessManager role ids, mirrored from contracts/governance/Roles.sol. `docs/roles.md` has the
 * matrix of roles, functions and holders; `test/deploy.test.ts` checks it against the chain.
 */
export const ROLES = {
  ADMIN: 0n,
  SETTLEMENT: 1n,
  SLASHER: 2n,
  ARBITRATOR: 3n,
  ROOT_NETWORK: 4n,
} as const;

export type RoleName = keyof typeof ROLES;

/** Every function mapped to a role other than ADMIN, by contract. Unmapped restricted functions need ADMIN. */
export const FUNCTION_ROLES = {
  Emission: {
    SETTLEMENT: ["mint(address,uint256)"],
  },
  Staking: {
    SETTLEMENT: ["distributeReward(address,uint256)", "accrueRewards(address[],uint256[],uint256[])"],
    SLASHER: ["slash(address,uint256)", "freezeHotkey(address)", "unfreezeHotkey(address)"],
  },
  Slashing: {
    ARBITRATOR: ["acceptDispute(uint256,uint256)", "rejectDispute(uint256)"],
  },
  SubnetRegistry: {
    SETTLEMENT: ["recordSubnetEmission(uint256,uint256)"],
  },
  NeuronRegistry: {
    SETTLEMENT: ["setValidatorPermits(uint256,uint256[])", "recordNeuronEmissions(uint256,uint256,uint64[])"],
  },
  Weights: {
    SETTLEMENT: ["advanceEpoch(uint256)", "setSettling(uint256,bool)"],
  },
  YumaSettlement: {
    ROOT_NETWORK: ["setRootEmissionShares(uint256[],uint256[])"],
  },
} as const satisfies Record<string, Partial<Record<RoleName, readonly string[]>>>;

/** Functions restricted to ADMIN (the governance timelock), by contract: the parameter setters. */
export const ADMIN_FUNCTIONS = {
  TAO: ["setMinter(address)"],
  Staking: ["setUnbondingPeriod(uint64)", "setTakeParameters(uint16,uint64)", "setSlashParameters(uint64,uint64)"],
  Slashing: ["setFaultRoute(address,bool,uint64,uint64)", "setDisputeParameters(uint256,uint64,uint64,uint64)"],
  SubnetRegistry: [
    "setNeuronRegistry(address)",
    "setHyperparameterByGovernance(uint256,uint8,uint256)",
    "setHyperparameterBounds(uint8,uint256,uint256,uint256)",
    "setNetworkParameters((uint64,uint64,uint64,uint128))",
    "dissolveSubnet(uint256)",
  ],
  YumaSettlement: ["settleWithEmission(uint256,uint256,bytes)", "setEmissionShares(uint256[],uint256[])"],
  RootNetwork: ["setRootParameters((uint64,uint64,uint64,uint64,uint64))"],
} as const;

export function selectors(signatures: readonly string[]): `0x${string}`[] {
  return signatures.map((signature) => toFunctionSelector(`function ${signature}`));
}
