/**
 * Shared fixture of the integration tests: a fresh in-process OP-Stack chain with the whole
 * protocol deployed by the production Ignition module, and helpers for the actions every test
 * needs (binding hotkeys with real EIP-712 signatures, acting as the governance timelock).
 */
import { network } from "hardhat";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { getAddress, parseEther, type Address } from "viem";
import TaonetModule from "../../deploy/modules/Taonet.ts";
import { ROLES } from "../../deploy/roles.ts";
import { signHotkeyBinding } from "../../workers/shared/sign-hotkey-binding.ts";
import { Hyperparameter as HYPERPARAMETER } from "../../workers/shared/hyperparameter.ts";
import { withGasMargin, type SettlementChain } from "../../workers/shared/settle-when-due.ts";
import { bondsRow, loggedRow, weightRows, type WeightRowsParameters } from "../../workers/shared/weight-rows.ts";

export const DAY = 24n * 3600n;

/** Parameters of the test deployment: production-like periods, and TAO for the first ten accounts. */
export const TEST_PARAMETERS = {
  minLockCost: parseEther("1000"),
  // Tempo may go down to 1 block in tests (index 0 of the Hyperparameter enum).
  hyperparameterOverrides: [0n],
  hyperparameterMinimums: [1n],
  hyperparameterMaximums: [302_400n],
  hyperparameterDefaults: [2_160n],
  unbondingPeriod: 7n * DAY,
  defaultTakeBps: 1_800n,
  takeIncreaseCooldown: 30n * DAY,
  maxSlashPerWindowWad: parseEther("0.1"),
  slashWindow: 7n * DAY,
  minDisputeBond: parseEther("100"),
  disputePeriod: 14n * DAY,
  maxDisputeSlashWad: parseEther("0.1"),
  reporterRewardWad: parseEther("0.1"),
  timelockMinDelay: 2n * DAY,
  votingDelay: DAY,
  votingPeriod: 5n * DAY,
  proposalThreshold: parseEther("1000"),
  quorumPercent: 4n,
};

export const GENESIS_PER_ACCOUNT = parseEther("100000");

/** A network connection: in-process by default, or one to a served chain (`servedTaonet`). */
export type TestConnection = Awaited<ReturnType<typeof network.create>>;

export async function deployTaonet(overrides: Partial<typeof TEST_PARAMETERS> = {}, given?: TestConnection) {
  const connection = given ?? (await network.create());
  const { viem, ignition, networkHelpers } = connection;
  const wallets = await viem.getWalletClients();
  const [deployer, alice, bob, carol, dave, reporter, arbitrator, settlement] = wallets;
  const funded = wallets.slice(0, 10).map((w) => w.account.address);

  const contracts = await ignition.deploy(TaonetModule, {
    parameters: {
      Taonet: {
        ...TEST_PARAMETERS,
        ...overrides,
        genesisRecipients: funded,
        genesisAmounts: funded.map(() => GENESIS_PER_ACCOUNT),
        arbitrator: arbitrator.account.address,
      },
    },
  });
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  const {
    tao,
    staking,
    slashing,
    manager,
    timelock,
    emission,
    governor,
    subnetRegistry,
    neuronRegistry,
    metagraphLens,
    weights,
    yumaEpochRunner,
    yumaSettlement,
    rootNetwork,
  } = contracts;

  /** A client acting as the governance timelock (impersonated), for setup that governance would do. */
  async function asTimelock() {
    await networkHelpers.impersonateAccount(timelock.address);
    await networkHelpers.setBalance(timelock.address, parseEther("10"));
    return viem.getWalletClient(timelock.address);
  }

  /** Grants the SETTLEMENT role to the `settlement` test account, as governance will for the Yuma contract. */
  async function grantSettlementRole() {
    const client = await asTimelock();
    const asAdmin = await viem.getContractAt("AccessManager", manager.address, { client: { wallet: client } });
    await asAdmin.write.grantRole([ROLES.SETTLEMENT, settlement.account.address, 0]);
  }

  /** Signs the hotkey's EIP-712 binding to `coldkey`. */
  async function signBinding(hotkey: PrivateKeyAccount, coldkey: Address, deadline: bigint, nonce?: bigint) {
    const n = nonce ?? (await staking.read.nonces([hotkey.address]));
    return signHotkeyBinding({ hotkey, coldkey, nonce: n, deadline, chainId, staking: staking.address });
  }

  /** Creates a new hotkey and binds it to `coldkey` (a wallet client). */
  /** A new hotkey (of `key`, else a random one) bound to `coldkey`; its key is kept as `privateKey`. */
  async function newBoundHotkey(coldkey: (typeof wallets)[number], key = generatePrivateKey()) {
    const hotkey = Object.assign(privateKeyToAccount(key), { privateKey: key });
    const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
    const signature = await signBinding(hotkey, coldkey.account.address, deadline);
    await staking.write.bindHotkey([hotkey.address, deadline, signature], { account: coldkey.account });
    return hotkey;
  }

  /** Approves and stakes `amount` from `coldkey` into `hotkey`. */
  async function stake(coldkey: (typeof wallets)[number], hotkey: Address, amount: bigint) {
    await tao.write.approve([staking.address, amount], { account: coldkey.account });
    await staking.write.addStake([hotkey, amount], { account: coldkey.account });
  }

  /** Signs an EIP-2612 permit of `owner` for `spender`. */
  async function signPermit(owner: (typeof wallets)[number], spender: Address, value: bigint, deadline: bigint) {
    const nonce = await tao.read.nonces([owner.account.address]);
    return owner.signTypedData({
      account: owner.account,
      domain: { name: "TAO", version: "1", chainId, verifyingContract: tao.address },
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: { owner: owner.account.address, spender, value, nonce, deadline },
    });
  }

  /**
   * Mines `blocks` empty blocks one by one. (EDR's OP chain type panics on `hardhat_mine` for more
   * than a few blocks at once, "Extra data should have at least 1 byte for version", which is what
   * `networkHelpers.mine` sends; `evm_mine` builds every block for real.)
   */
  async function mineBlocks(blocks: number) {
    for (let i = 0; i < blocks; i++) await connection.provider.request({ method: "evm_mine", params: [] });
  }

  /**
   * The weights rows `settle` of `netuid` takes now (`workers/shared/weight-rows.ts`), from the rows'
   * logs: build them right before each settlement transaction. `maxBytes` as `weightRows` takes it
   * (`Number.POSITIVE_INFINITY` for every segment, as a quote needs).
   */
  function rows(netuid: bigint, options: Pick<WeightRowsParameters, "blockNumber" | "maxBytes"> = {}) {
    return weightRows({
      client: publicClient,
      settlement: yumaSettlement.address,
      weights: weights.address,
      netuid,
      ...options,
    });
  }

  /** `uid`'s stored weights row in `netuid` (at `blockNumber`), decoded from its log (`loggedRow`). */
  function storedRow(netuid: bigint, uid: bigint, blockNumber?: bigint) {
    return loggedRow({ client: publicClient, weights: weights.address, netuid, uid, blockNumber });
  }

  /**
   * `uid`'s bonds row in `netuid` (at `blockNumber`), as `bondsOf` gives it, from storage or from the
   * `BondsSet` log of an epoch that ran in one transaction (`bondsRow`).
   */
  function bonds(netuid: bigint, uid: bigint, blockNumber?: bigint) {
    return bondsRow({ client: publicClient, settlement: yumaSettlement.address, netuid, uid, blockNumber });
  }

  /** The settlement of `netuid` as the keeper loop of `workers/shared/settle-when-due.ts` sees it. */
  function settlementChain(netuid: bigint, keeper: Address): SettlementChain {
    return {
      nextEpochBlock: () => yumaSettlement.read.nextEpochBlock([netuid]),
      blockNumber: () => publicClient.getBlockNumber(),
      advance: mineBlocks,
      settle: async (gas) => {
        const hash = await yumaSettlement.write.settle([netuid, await rows(netuid)], { account: keeper, gas });
        return publicClient.getTransactionReceipt({ hash });
      },
      openPhase: async () => (await yumaSettlement.read.settlementProgress([netuid]))[0],
    };
  }

  /** Creates a subnet owned by `owner`, paying the current lock cost. Returns its netuid. */
  async function createSubnet(owner: (typeof wallets)[number], name = "test subnet") {
    const cost = await subnetRegistry.read.lockCost();
    await tao.write.approve([subnetRegistry.address, cost], { account: owner.account });
    await subnetRegistry.write.createSubnet([cost, { name, repository: "https://example.org/repo", description: "" }], {
      account: owner.account,
    });
    return await subnetRegistry.read.lastNetuid();
  }

  /** Binds a new hotkey to `coldkey` and registers it in `netuid` at the current price. */
  async function registerNeuron(coldkey: (typeof wallets)[number], netuid: bigint) {
    const hotkey = await newBoundHotkey(coldkey);
    const price = await neuronRegistry.read.burnPrice([netuid]);
    await tao.write.approve([neuronRegistry.address, price], { account: coldkey.account });
    // Not the bare estimate: a served chain's blocks may share a timestamp (`withGasMargin`).
    const args = [netuid, hotkey.address, price] as const;
    const estimate = await neuronRegistry.estimateGas.registerNeuron(args, { account: coldkey.account });
    await neuronRegistry.write.registerNeuron(args, { account: coldkey.account, gas: withGasMargin(estimate) });
    const [, uid] = await neuronRegistry.read.uidOf([netuid, hotkey.address]);
    return { hotkey, uid, price };
  }

  /** Sets hyperparameters of `netuid`, one transaction each, from its owner. */
  async function setHyperparameters(
    owner: (typeof wallets)[number],
    netuid: bigint,
    values: readonly (readonly [number, bigint])[],
  ) {
    for (const [parameter, value] of values) {
      await subnetRegistry.write.setHyperparameter([netuid, parameter, value], { account: owner.account });
    }
  }

  /**
   * A small commit-reveal subnet owned by alice: tempo `tempo`, no weights rate limit, `validators`
   * permits, and four neurons of bob's (with gas money), the first staked 300 TAO.
   */
  async function commitRevealSubnet({ tempo = 8n, validators = 1n }: { tempo?: bigint; validators?: bigint } = {}) {
    const netuid = await createSubnet(alice!);
    await setHyperparameters(alice!, netuid, [
      [HYPERPARAMETER.Tempo, tempo],
      [HYPERPARAMETER.CommitRevealEnabled, 1n],
      [HYPERPARAMETER.WeightsRateLimit, 0n],
      [HYPERPARAMETER.ActivityCutoff, 1000n],
      [HYPERPARAMETER.MaxAllowedValidators, validators],
      [HYPERPARAMETER.TargetRegistrationsPerInterval, 64n],
    ]);
    const hotkeys: (PrivateKeyAccount & { privateKey: `0x${string}` })[] = [];
    for (let i = 0; i < 4; i++) hotkeys.push((await registerNeuron(bob!, netuid)).hotkey);
    for (const h of hotkeys) await networkHelpers.setBalance(h.address, parseEther("1"));
    await stake(bob!, hotkeys[0]!.address, parseEther("300"));
    return { netuid, hotkeys };
  }

  return {
    connection,
    viem,
    networkHelpers,
    publicClient,
    chainId,
    accounts: { deployer, alice, bob, carol, dave, reporter, arbitrator, settlement },
    tao,
    emission,
    staking,
    slashing,
    manager,
    timelock,
    governor,
    subnetRegistry,
    neuronRegistry,
    metagraphLens,
    weights,
    yumaEpochRunner,
    yumaSettlement,
    rootNetwork,
    asTimelock,
    grantSettlementRole,
    signBinding,
    newBoundHotkey,
    stake,
    signPermit,
    createSubnet,
    registerNeuron,
    commitRevealSubnet,
    setHyperparameters,
    mineBlocks,
    weightRows: rows,
    storedRow,
    bonds,
    settlementChain,
    address: getAddress,
  };
}

export type Taonet = Awaited<ReturnType<typeof deployTaonet>>;
