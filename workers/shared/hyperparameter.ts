/**
 * Indices of the `Hyperparameter` enum of contracts/interfaces/ISubnetRegistry.sol, for calls to
 * `setHyperparameter(netuid, parameter, value)` and `hyperparameter(netuid, parameter)`.
 * `test/integration/registry.test.ts` checks the order against the deployed contract.
 */
export const Hyperparameter = {
  Tempo: 0,
  MaxAllowedUids: 1,
  MaxAllowedValidators: 2,
  ImmunityPeriod: 3,
  ActivityCutoff: 4,
  MinAllowedWeights: 5,
  MaxWeightLimit: 6,
  WeightsVersionKey: 7,
  WeightsRateLimit: 8,
  CommitRevealEnabled: 9,
  RevealPeriod: 10,
  Kappa: 11,
  BondsMovingAverage: 12,
  BondsPenalty: 13,
  Yuma3Enabled: 14,
  LiquidAlphaEnabled: 15,
  AlphaLow: 16,
  AlphaHigh: 17,
  AlphaSigmoidSteepness: 18,
  MinBurn: 19,
  MaxBurn: 20,
  BurnHalfLife: 21,
  BurnIncreaseMult: 22,
  TargetRegistrationsPerInterval: 23,
  RegistrationAllowed: 24,
  StakeThreshold: 25,
  OwnerCut: 26,
  ServingRateLimit: 27,
  CommitmentRateLimit: 28,
} as const;

export type HyperparameterName = keyof typeof Hyperparameter;
