import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  encodeAbiParameters,
  getAddress,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { deployTaonet, DAY, type Taonet } from "../helpers/taonet.ts";
import { Hyperparameter } from "../../workers/shared/hyperparameter.ts";
import { settleWhenDue } from "../../workers/shared/settle-when-due.ts";
import { DATA_SOURCES } from "../../subgraph/scripts/data-sources.ts";
import { graphBuild } from "../../subgraph/scripts/graph-build.ts";
import { renderManifest, SUBGRAPH_DIR, type NetworkConfig } from "../../subgraph/scripts/manifest.ts";
import { indexChain } from "../../subgraph/test/index-chain.ts";
import type { EntityStore } from "../../subgraph/test/entity-store.ts";

/**
 * The compiled subgraph mappings (graph build's wasm) run on the logs the real contracts emit on the
 * in-process chain, through subgraph/test/graph-host.ts (graph-node's host functions and memory
 * layout). The resulting entities are checked against the chain's own state: stake positions against
 * Staking.sharesOf, pools against Staking.poolTotals, emission against the TAO minted (TAO's
 * Transfer logs, which the subgraph does not index), a withdrawal against the coldkey's balance,
 * disputes against Slashing.dispute, commits against Weights.pendingCommits and verifyFault, the fault
 * report against Slashing.isFaultReported and the stake it took, root members and epochs against
 * RootNetwork's views and the subnets' root shares against YumaSettlement.emissionShare.
 */
describe("Subgraph mappings on the real contracts' events", () => {
  let t: Taonet;
  let store: EntityStore;
  let counts: Map<string, number>;
  let netuid: bigint;
  let validator: Address;
  let withdrawalId: bigint;
  let carolPaid: bigint;
  let crowded: bigint;
  /** The validator's commits after the first, by what became of them. */
  type CommitFate = "superseded" | "revealed" | "expired" | "pending";
  const commits = {} as Record<CommitFate, { hash: Hex; salt: Hex }>;
  let expiredEpoch: bigint;
  let faultReport: { hash: Hex; stakeBefore: bigint; stakeAfter: bigint; tip: bigint; evidence: Hex };
  let newcomer: Address;
  let replacedMember: Address;
  let movedMember: Address;
  /** The settlement's direct distributeReward to the validator, with the validator's accrued rewards just before it. */
  let direct: { hash: Hex; amount: bigint; accruedToOperator: bigint; accruedToPool: bigint };
  /** Hotkeys left with rewards accrued and not applied (the validator, a miner); the others' were applied. */
  let unapplied: Address[];
  /** The miners whose accrued incentive applyRewards applied. */
  let appliedMiners: Address[];
  const manifest = "subgraph.test.yaml";
  const outputDir = "build-test";

  before(async () => {
    t = await deployTaonet();
    const { alice, bob, carol, dave, reporter, arbitrator } = t.accounts;
    const subnet = await t.commitRevealSubnet({ validators: 1n });
    netuid = subnet.netuid;
    const hotkeys = subnet.hotkeys;
    validator = hotkeys[0]!.address;
    const settle = () => settleWhenDue(t.settlementChain(netuid, dave.account.address));

    await t.stake(carol, validator, parseEther("200")); // a delegator
    await t.stake(alice, hotkeys[1]!.address, parseEther("50"));
    await settle(); // epoch 1: UID 0 gets the validator permit

    const salt = keccak256(toHex("subgraph salt"));
    const uids = [1, 2, 3];
    const values = [65_535, 30_000, 10_000];
    const commitHash = await t.weights.read.commitHashOf([netuid, validator, uids, values, salt, 0n]);
    await t.weights.write.commitWeights([netuid, commitHash], { account: hotkeys[0]! });
    await settle(); // the reveal epoch begins
    await t.weights.write.revealWeights([netuid, uids, values, salt, 0n], { account: hotkeys[0]! });
    await settle(); // weights in consensus: miners' incentive and the validator's dividends
    await settle();

    // Carol withdraws half her shares; the withdrawal unbonds, slashable.
    const shares = await t.staking.read.sharesOf([carol.account.address, validator]);
    const removal = await t.staking.write.removeStake([validator, shares / 2n], { account: carol.account });
    const [queued] = parseEventLogs({
      abi: t.staking.abi,
      logs: (await t.publicClient.getTransactionReceipt({ hash: removal })).logs,
      eventName: "WithdrawalQueued",
    });
    withdrawalId = queued!.args.id;

    // A dispute accepted (a slash of the pool and of the unbonding withdrawal), one rejected.
    const evidence = keccak256(toHex("copied weights"));
    for (let i = 0; i < 2; i++) {
      await t.tao.write.approve([t.slashing.address, parseEther("100")], { account: reporter.account });
      await t.slashing.write.openDispute([validator, parseEther("100"), evidence, `ipfs://evidence-${i}`], {
        account: reporter.account,
      });
    }
    await t.slashing.write.acceptDispute([1n, parseEther("0.05")], { account: arbitrator.account });
    await t.slashing.write.rejectDispute([2n], { account: arbitrator.account });

    await t.networkHelpers.time.increase(8n * DAY);
    const before = await t.tao.read.balanceOf([carol.account.address]);
    await t.staking.write.completeWithdrawal([withdrawalId], { account: bob.account });
    carolPaid = (await t.tao.read.balanceOf([carol.account.address])) - before;

    // A full subnet (64 UIDs, no immunity): a 65th registration takes a UID, ending a tenure.
    crowded = await t.createSubnet(dave, "crowded");
    for (const [parameter, value] of [
      [Hyperparameter.MaxAllowedUids, 64n],
      [Hyperparameter.ImmunityPeriod, 0n],
      [Hyperparameter.TargetRegistrationsPerInterval, 1024n],
      [Hyperparameter.MaxBurn, parseEther("1")],
    ] as const) {
      await t.subnetRegistry.write.setHyperparameter([crowded, parameter, value], { account: dave.account });
    }
    await t.tao.write.approve([t.neuronRegistry.address, maxUint256], { account: dave.account });
    for (let i = 0; i < 65; i++) {
      const hotkey = await t.newBoundHotkey(dave);
      const price = await t.neuronRegistry.read.burnPrice([crowded]);
      await t.neuronRegistry.write.registerNeuron([crowded, hotkey.address, price], { account: dave.account });
    }

    // Commit-reveal's other exits. Two commits in one epoch, the later revealed: the earlier is
    // dropped as superseded. A third never revealed: its reveal epoch passes and the next commit drops
    // it as expired, then its missed reveal is reported (an objective fault, slashing the validator).
    const commitWeights = async (tag: CommitFate) => {
      const commitSalt = keccak256(toHex(`subgraph ${tag}`));
      const hash = await t.weights.read.commitHashOf([netuid, validator, uids, values, commitSalt, 0n]);
      await t.weights.write.commitWeights([netuid, hash], { account: hotkeys[0]! });
      commits[tag] = { hash, salt: commitSalt };
    };
    await settle(); // a fresh epoch clock: the commits below are in the epoch this settlement began
    await commitWeights("superseded");
    await commitWeights("revealed");
    await settle();
    await t.weights.write.revealWeights([netuid, uids, values, commits.revealed.salt, 0n], { account: hotkeys[0]! });
    await commitWeights("expired");
    [{ epoch: expiredEpoch }] = await t.weights.read.pendingCommits([netuid, validator]);
    await settle();
    await settle(); // the expired commit's reveal epoch has passed
    await commitWeights("pending");
    const faultEvidence = encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "bytes32" }, { type: "uint64" }],
      [netuid, validator, commits.expired.hash, expiredEpoch],
    );
    const stakeBefore = await t.staking.read.totalStake([validator]);
    const reporterBefore = await t.tao.read.balanceOf([reporter.account.address]);
    const reportHash = await t.slashing.write.reportFault([t.weights.address, faultEvidence], {
      account: reporter.account,
    });
    faultReport = {
      hash: reportHash,
      stakeBefore,
      stakeAfter: await t.staking.read.totalStake([validator]),
      tip: (await t.tao.read.balanceOf([reporter.account.address])) - reporterBefore,
      evidence: faultEvidence,
    };

    // The root network: governance sets a short tempo and two seats; root epoch 1 runs with no
    // members (no shares). The validator and a new 50 TAO hotkey of alice's join; carol's new
    // 100 TAO hotkey replaces the latter. Both weight the subnets (the validator twice), root epoch 2
    // turns that into shares, then governance cuts the seats to one, evicting carol's hotkey. Then
    // three seats, two more hotkeys of alice's (10 and 20 TAO), and two seats: the 10 TAO one (slot 1)
    // is evicted and the 20 TAO one moves from slot 2 into its place (MemberMoved).
    const gov = await t.asTimelock();
    const rootAsGov = await t.viem.getContractAt("RootNetwork", t.rootNetwork.address, { client: { wallet: gov } });
    // Governance's emission shares: the two subnets, and a netuid no subnet holds yet; then the
    // crowded subnet's share again (a later set replaces only what it lists).
    const yumaAsGov = await t.viem.getContractAt("YumaSettlement", t.yumaSettlement.address, {
      client: { wallet: gov },
    });
    await yumaAsGov.write.setEmissionShares([
      [netuid, crowded, 99n],
      [parseEther("0.3"), parseEther("0.2"), parseEther("0.05")],
    ]);
    await yumaAsGov.write.setEmissionShares([[crowded], [parseEther("0.1")]]);
    const rootParameters = {
      maxMembers: 2n,
      tempo: 10n,
      weightsRateLimit: 0n,
      activityCutoff: 1_000n,
      minAllowedWeights: 1n,
    };
    await rootAsGov.write.setRootParameters([rootParameters]);
    await t.rootNetwork.write.settleRoot({ account: dave.account });
    await t.rootNetwork.write.registerRoot([validator], { account: bob.account });
    replacedMember = (await t.newBoundHotkey(alice)).address;
    await t.stake(alice, replacedMember, parseEther("50"));
    await t.rootNetwork.write.registerRoot([replacedMember], { account: alice.account });
    const carolHotkey = await t.newBoundHotkey(carol);
    newcomer = carolHotkey.address;
    await t.networkHelpers.setBalance(newcomer, parseEther("1"));
    await t.stake(carol, newcomer, parseEther("100"));
    await t.rootNetwork.write.registerRoot([newcomer], { account: carol.account });
    await t.rootNetwork.write.setRootWeights(
      [
        [netuid, crowded],
        [1, 3],
      ],
      { account: hotkeys[0]! },
    );
    await t.rootNetwork.write.setRootWeights(
      [
        [crowded, netuid],
        [2, 1],
      ],
      { account: hotkeys[0]! },
    );
    await t.rootNetwork.write.setRootWeights([[netuid], [5]], { account: carolHotkey });
    const rootDue = await t.rootNetwork.read.nextRootEpochBlock();
    const head = await t.publicClient.getBlockNumber();
    if (head + 1n < rootDue) await t.mineBlocks(Number(rootDue - head - 1n));
    await t.rootNetwork.write.settleRoot({ account: dave.account });
    await rootAsGov.write.setRootParameters([{ ...rootParameters, maxMembers: 1n }]);
    await rootAsGov.write.setRootParameters([{ ...rootParameters, maxMembers: 3n }]);
    for (const [stake, keep] of [
      [parseEther("10"), false],
      [parseEther("20"), true],
    ] as const) {
      const hotkey = (await t.newBoundHotkey(alice)).address;
      await t.stake(alice, hotkey, stake);
      await t.rootNetwork.write.registerRoot([hotkey], { account: alice.account });
      if (keep) movedMember = hotkey;
    }
    await rootAsGov.write.setRootParameters([{ ...rootParameters, maxMembers: 2n }]);

    // Accrued rewards. The settlements above accrued each epoch's rewards to the hotkeys, and a pool
    // applied them when it was next touched (carol's removeStake and the slashes applied the
    // validator's; the miners' were never applied). One more epoch accrues the validator's dividends;
    // a direct distributeReward (the settlement's role, granted to the `settlement` account) applies
    // them and then pays itself, both as RewardDistributed in one transaction; another epoch accrues
    // again. applyRewards (anyone may call it) applies two miners'; the validator's and the third
    // miner's stay accrued.
    await settle();
    await t.grantSettlementRole();
    const { settlement } = t.accounts;
    const [accruedToOperator, accruedToPool] = await t.staking.read.accruedRewards([validator]);
    const directAmount = parseEther("3");
    await t.tao.write.approve([t.staking.address, directAmount], { account: settlement.account });
    direct = {
      hash: await t.staking.write.distributeReward([validator, directAmount], { account: settlement.account }),
      amount: directAmount,
      accruedToOperator,
      accruedToPool,
    };
    await settle();
    appliedMiners = [hotkeys[1]!.address, hotkeys[2]!.address];
    for (const miner of appliedMiners) await t.staking.write.applyRewards([miner], { account: dave.account });
    unapplied = [validator, hotkeys[3]!.address];

    // The manifest for this chain, made by the same generator as the devnet's, then graph codegen
    // and graph build: the test runs what `graph build` made from the current sources.
    const config: NetworkConfig = {
      network: "devnet",
      chainId: t.chainId,
      source: "the test's in-process deployment",
      dataSources: Object.fromEntries(
        DATA_SOURCES.map((s) => [s.name, { address: contractOf(t, s.name).address, startBlock: 0 }]),
      ),
    };
    writeFileSync(path.join(SUBGRAPH_DIR, manifest), renderManifest(config));
    const buildDir = graphBuild({ manifest, outputDir, quiet: true });
    ({
      host: { store },
      counts,
    } = await indexChain(t.publicClient, { buildDir }));
  });

  after(() => {
    rmSync(path.join(SUBGRAPH_DIR, manifest), { force: true });
    rmSync(path.join(SUBGRAPH_DIR, outputDir), { recursive: true, force: true });
  });

  it("runs every kind of handler the scenario produces", () => {
    for (const handler of [
      "Staking.handleHotkeyBound",
      "Staking.handleStakeAdded",
      "Staking.handleWithdrawalQueued",
      "Staking.handleWithdrawalCompleted",
      "Staking.handleRewardDistributed",
      "Staking.handleOperatorCredited",
      "Staking.handleSlashed",
      "Staking.handleHotkeyFrozen",
      "Staking.handleHotkeyUnfrozen",
      "SubnetRegistry.handleSubnetCreated",
      "SubnetRegistry.handleSubnetMetadataSet",
      "SubnetRegistry.handleHyperparameterSet",
      "NeuronRegistry.handleNeuronRegistered",
      "Weights.handleWeightsCommitted",
      "Weights.handleWeightsRevealed",
      "Weights.handleWeightsSet",
      "YumaSettlement.handleEpochSettled",
      "YumaSettlement.handleEpochOutputs",
      "Slashing.handleDisputeOpened",
      "Slashing.handleDisputeAccepted",
      "Slashing.handleDisputeRejected",
      "Emission.handleEmissionMinted",
      "Weights.handleCommitDropped",
      "Slashing.handleFaultReported",
      "Slashing.handleFaultRouteSet",
      "RootNetwork.handleMemberRegistered",
      "RootNetwork.handleMemberRemoved",
      "RootNetwork.handleMemberMoved",
      "YumaSettlement.handleEmissionSharesSet",
      "RootNetwork.handleRootWeightsSet",
      "RootNetwork.handleRootEpochSettled",
      "RootNetwork.handleRootParametersSet",
    ]) {
      assert.ok((counts.get(handler) ?? 0) > 0, `${handler} ran (${JSON.stringify([...counts])})`);
    }
  });

  it("keeps every pool's totals, accrued rewards and stake positions equal to the Staking contract's", async () => {
    // Staking's views count accrued rewards as applied; the subgraph's pool is the one the pool's last
    // event left, and the accrued rewards are apart. The assets add up exactly; the shares that
    // applying the rewards will mint (all the operator's) are missing from the pool and from the
    // operator's position, by the same number.
    const pools = new Map<string, { h: Record<string, unknown>; chainShares: bigint; accrued: bigint }>();
    let poolAssets = 0n;
    let stakeAssets = 0n;
    let accruedTotal = 0n;
    let totalUnbonding = 0n;
    for (const h of store.all("Hotkey")) {
      const hotkey = getAddress(h.id as Hex);
      const [toOperator, toPool] = await t.staking.read.accruedRewards([hotkey]);
      assert.deepEqual(
        [h.accruedToOperator, h.accruedToPool, h.accruedRewards],
        [toOperator, toPool, toOperator + toPool],
        `accrued rewards of ${h.id}`,
      );
      const pool = await t.staking.read.poolTotals([hotkey]);
      const accrued = toOperator + toPool;
      assert.equal((h.poolAssets as bigint) + accrued, pool.stakeAssets, `pool assets of ${h.id}`);
      assert.equal((h.poolAssets as bigint) + accrued, await t.staking.read.totalStake([hotkey]));
      if (accrued === 0n) assert.equal(h.poolShares, pool.stakeShares, `pool shares of ${h.id}`);
      else assert.ok((h.poolShares as bigint) <= pool.stakeShares, `pool shares of ${h.id}, rewards unapplied`);
      assert.equal(h.unbondingAssets, pool.unbondingAssets, `unbonding assets of ${h.id}`);
      assert.equal(h.unbondingShares, pool.unbondingShares, `unbonding shares of ${h.id}`);
      pools.set(h.id as string, { h, chainShares: pool.stakeShares, accrued });
      poolAssets += h.poolAssets as bigint;
      stakeAssets += pool.stakeAssets;
      accruedTotal += accrued;
      totalUnbonding += pool.unbondingAssets;
    }
    const protocol = store.one("Protocol", "taonet")!;
    assert.equal(protocol.totalStaked, poolAssets);
    assert.equal(protocol.accruedRewards, accruedTotal);
    assert.equal((protocol.totalStaked as bigint) + (protocol.accruedRewards as bigint), stakeAssets);
    assert.equal(protocol.totalUnbonding, totalUnbonding);

    // The validator's dividends and a miner's incentive are accrued; every other hotkey's are applied.
    const [, validatorToPool] = await t.staking.read.accruedRewards([validator]);
    assert.ok(validatorToPool > 0n, "the validator's dividends are accrued");
    const [minerToOperator] = await t.staking.read.accruedRewards([unapplied[1]!]);
    assert.ok(minerToOperator > 0n, "the miner's incentive is accrued");
    for (const [id, { accrued }] of pools) {
      assert.equal(
        accrued > 0n,
        unapplied.some((a) => a.toLowerCase() === id),
        `rewards of ${id} accrued or applied`,
      );
    }

    const positions = store.all("StakePosition");
    assert.ok(positions.length >= 3);
    for (const p of positions) {
      const hotkey = getAddress(p.hotkey as Hex);
      const shares = await t.staking.read.sharesOf([getAddress(p.coldkey as Hex), hotkey]);
      const { h, chainShares, accrued } = pools.get(p.hotkey as string)!;
      const unminted = accrued !== 0n && p.coldkey === h.coldkey ? chainShares - (h.poolShares as bigint) : 0n;
      assert.equal((p.shares as bigint) + unminted, shares, `shares of ${p.id}`);
    }
    // An unapplied hotkey's operator, with or without a position in the subgraph yet (the miner's
    // operator has none: its incentive was never applied).
    for (const hotkey of unapplied) {
      const { h, chainShares } = pools.get(hotkey.toLowerCase())!;
      const operator = await t.staking.read.coldkeyOf([hotkey]);
      assert.equal(h.coldkey, operator.toLowerCase());
      const position = store.one("StakePosition", `${operator.toLowerCase()}-${hotkey.toLowerCase()}`);
      const held = (position?.shares as bigint | undefined) ?? 0n;
      assert.ok(chainShares > (h.poolShares as bigint), `applying ${hotkey}'s rewards mints shares`);
      assert.equal(held + chainShares - (h.poolShares as bigint), await t.staking.read.sharesOf([operator, hotkey]));
    }
    assert.equal(
      store.one("StakePosition", `${t.accounts.bob.account.address.toLowerCase()}-${unapplied[1]!.toLowerCase()}`),
      undefined,
      "no OperatorCredited yet for the unapplied miner",
    );
  });

  it("accrues each epoch's rewards to its hotkeys and takes out what a pool applies, a direct distributeReward apart", async () => {
    // The direct payment's transaction: the validator's accrued dividends applied first, then the payment.
    const logs = parseEventLogs({
      abi: t.staking.abi,
      logs: (await t.publicClient.getTransactionReceipt({ hash: direct.hash })).logs,
    });
    const applied = logs.filter((l) => l.eventName === "RewardDistributed" || l.eventName === "OperatorCredited");
    assert.ok(direct.accruedToPool > 0n, "the validator had dividends accrued before the payment");
    assert.deepEqual(
      applied.map((l) => [l.eventName, l.args.amount]),
      [
        ["RewardDistributed", direct.accruedToPool],
        ...(direct.accruedToOperator > 0n ? [["OperatorCredited", direct.accruedToOperator]] : []),
        ["RewardDistributed", direct.amount],
      ],
    );

    // Every reward a hotkey earned in an epoch is applied (in totalRewards) or still accrued; the
    // validator's totalRewards also has the direct payment.
    const hotkeys = store.all("Hotkey");
    let earned = 0n;
    for (const h of hotkeys) {
      const payments = h.id === validator.toLowerCase() ? direct.amount : 0n;
      assert.equal(
        (h.totalRewards as bigint) + (h.accruedRewards as bigint),
        (h.totalIncentiveEmission as bigint) + (h.totalDividendEmission as bigint) + payments,
        `rewards of ${h.id}`,
      );
      const days = store.all("HotkeyDay").filter((d) => d.hotkey === h.id);
      assert.equal(
        days.reduce((s, d) => s + (d.rewards as bigint), 0n),
        h.totalRewards,
      );
      earned += (h.totalIncentiveEmission as bigint) + (h.totalDividendEmission as bigint);
    }
    const protocol = store.one("Protocol", "taonet")!;
    const epochs = store.all("Epoch");
    assert.equal(
      epochs.reduce((s, e) => s + (e.totalIncentiveEmission as bigint) + (e.totalDividendEmission as bigint), 0n),
      earned,
    );
    assert.equal(
      protocol.totalRewards,
      hotkeys.reduce((s, h) => s + (h.totalRewards as bigint), 0n),
    );
    assert.equal((protocol.totalRewards as bigint) + (protocol.accruedRewards as bigint), earned + direct.amount);
    // The applied miners' incentive, all of it applied, was staked for their operator (OperatorCredited).
    for (const miner of appliedMiners) {
      const h = store.one("Hotkey", miner.toLowerCase())!;
      assert.ok((h.totalIncentiveEmission as bigint) > 0n, `${miner} earned incentive`);
      assert.equal(h.accruedRewards, 0n);
      assert.equal(h.totalRewards, (h.totalIncentiveEmission as bigint) + (h.totalDividendEmission as bigint));
      const position = store.one("StakePosition", `${(h.coldkey as string).toLowerCase()}-${miner.toLowerCase()}`)!;
      assert.ok((position.shares as bigint) > 0n, `the operator's shares in ${miner}`);
    }
  });

  it("counts the delegator's principal and realised rewards, and the slashed withdrawal's payment", () => {
    const carol = t.accounts.carol.account.address.toLowerCase();
    const position = store.one("StakePosition", `${carol}-${validator.toLowerCase()}`)!;
    assert.equal(position.totalStaked, parseEther("200"));
    const withdrawal = store.one("Withdrawal", withdrawalId.toString())!;
    assert.equal(withdrawal.status, "COMPLETED");
    assert.equal(withdrawal.completedAssets, carolPaid, "what the withdrawal paid, by carol's TAO balance");
    assert.equal(withdrawal.slashed, true, "the accepted dispute slashed it while it unbonded");
    // Half the shares took half the principal; rewards had raised the share price before the slash.
    assert.equal(position.principal, parseEther("100"));
    assert.equal(position.realisedRewards, (withdrawal.queuedAssets as bigint) - parseEther("100"));
    assert.ok((position.realisedRewards as bigint) > 0n, "the delegator earned dividends before withdrawing");
    assert.equal(store.one("Account", carol)!.realisedRewards, position.realisedRewards);
  });

  it("records each settled epoch's emission as the TAO minted for it, and per-UID results that add up", async () => {
    const epochs = store.all("Epoch").filter((e) => e.subnet === netuid.toString());
    const settled = await t.publicClient.getContractEvents({
      address: t.yumaSettlement.address,
      abi: t.yumaSettlement.abi,
      eventName: "EpochSettled",
      fromBlock: 0n,
    });
    assert.equal(epochs.length, settled.length);
    assert.ok(epochs.length >= 4);
    // TAO minted: Transfer logs from the zero address to the settlement (the subgraph does not index TAO).
    const mints = await t.publicClient.getContractEvents({
      address: t.tao.address,
      abi: t.tao.abi,
      eventName: "Transfer",
      args: { from: zeroAddress, to: t.yumaSettlement.address },
      fromBlock: 0n,
    });
    const minted = mints.reduce((sum, log) => sum + log.args.value!, 0n);
    const protocol = store.one("Protocol", "taonet")!;
    assert.ok(minted > 0n);
    assert.equal(protocol.totalEmissionMinted, minted);
    assert.equal(
      epochs.reduce((sum, e) => sum + (e.emission as bigint), 0n),
      minted,
    );
    assert.equal(store.one("Subnet", netuid.toString())!.totalEmission, minted);
    for (const log of mints) {
      const epoch = epochs.find((e) => e.emission === log.args.value);
      assert.ok(epoch, `an epoch for the mint in block ${log.blockNumber}`);
    }

    const rows = store.all("NeuronEpoch");
    for (const epoch of epochs) {
      const own = rows.filter((r) => r.epoch === epoch.id);
      assert.equal(own.length, epoch.uids);
      assert.equal(
        own.reduce((s, r) => s + (r.incentiveEmission as bigint), 0n),
        epoch.totalIncentiveEmission,
      );
      assert.equal(
        own.reduce((s, r) => s + (r.dividendEmission as bigint), 0n),
        epoch.totalDividendEmission,
      );
    }
    const validatorRows = rows.filter((r) => r.hotkey === validator.toLowerCase());
    const hotkey = store.one("Hotkey", validator.toLowerCase())!;
    assert.ok((hotkey.totalDividendEmission as bigint) > 0n, "the validator earned dividends");
    assert.equal(
      validatorRows.reduce((s, r) => s + (r.dividendEmission as bigint), 0n),
      hotkey.totalDividendEmission,
    );
    const days = store.all("HotkeyDay").filter((d) => d.hotkey === validator.toLowerCase());
    assert.equal(
      days.reduce((s, d) => s + (d.dividendEmission as bigint), 0n),
      hotkey.totalDividendEmission,
    );
    assert.ok(rows.some((r) => (r.incentive as number) > 0 && (r.consensus as number) > 0));

    // The last epoch's rows hold what the settlement stored for it, miner and validator trust included.
    const last = epochs.reduce((a, b) => ((a.epochIndex as bigint) > (b.epochIndex as bigint) ? a : b));
    const [consensus, incentive, dividends, validatorTrust] = await t.yumaSettlement.read.epochOutputs([netuid]);
    const trust = await t.yumaSettlement.read.epochTrust([netuid]);
    const lastRows = rows.filter((r) => r.epoch === last.id);
    assert.equal(lastRows.length, trust.length);
    for (const r of lastRows) {
      const uid = r.uid as number;
      assert.deepEqual(
        [r.consensus, r.incentive, r.dividends, r.trust, r.validatorTrust],
        [consensus[uid], incentive[uid], dividends[uid], trust[uid], validatorTrust[uid]],
        `NeuronEpoch ${r.id}`,
      );
    }
    assert.ok(lastRows.some((r) => (r.trust as number) > 0 && (r.validatorTrust as number) === 0));
    assert.ok(lastRows.some((r) => (r.validatorTrust as number) > 0));
  });

  it("has one tenure per registration with the registry's UIDs, the commit and reveal, the slash and the disputes", async () => {
    const neurons = store.all("Neuron").filter((n) => n.subnet === netuid.toString());
    assert.equal(neurons.length, 4);
    for (const n of neurons) {
      const [registered, uid] = await t.neuronRegistry.read.uidOf([netuid, getAddress(n.hotkey as Hex)]);
      assert.ok(registered && n.active);
      assert.equal(BigInt(n.uid as number), uid);
    }
    const [commit] = store.all("Commit");
    const [reveal] = store.all("Reveal");
    assert.equal(commit!.commitHash, reveal!.commitHash);
    assert.equal(commit!.hotkey, validator.toLowerCase());
    assert.equal(reveal!.stored, true, "the validator held its permit: the weights were stored");

    const [slash] = store.all("Slash").filter((s) => s.transactionHash !== faultReport.hash);
    assert.ok((slash!.fromUnbonding as bigint) > 0n && (slash!.fromStake as bigint) > 0n);
    const accepted = store.one("Dispute", "1")!;
    const rejected = store.one("Dispute", "2")!;
    assert.equal(accepted.status, "ACCEPTED");
    assert.equal(accepted.slashed, (slash!.fromStake as bigint) + (slash!.fromUnbonding as bigint));
    assert.equal(rejected.status, "REJECTED");
    const statuses = ["NONE", "OPEN", "ACCEPTED", "REJECTED", "EXPIRED"];
    for (const d of [accepted, rejected]) {
      assert.equal(statuses[(await t.slashing.read.dispute([BigInt(d.id as string)])).status], d.status);
    }
    assert.equal(store.one("Hotkey", validator.toLowerCase())!.openDisputes, 0);

    const subnet = store.one("Subnet", netuid.toString())!;
    assert.equal(subnet.name, "test subnet");
    assert.equal(subnet.owner, t.accounts.alice.account.address.toLowerCase());
    assert.equal(subnet.tempo, 8n);
    assert.equal(subnet.registrationCount, 4);
  });

  it("holds the protocol's parameters as the contracts have them (set by their constructors' events)", async () => {
    const protocol = store.one("Protocol", "taonet")!;
    const network = await t.subnetRegistry.read.networkParameters();
    assert.equal(protocol.unbondingPeriod, BigInt(await t.staking.read.unbondingPeriod()));
    assert.equal(protocol.defaultTakeBps, await t.staking.read.defaultTakeBps());
    assert.equal(protocol.maxSlashPerWindowWad, BigInt(await t.staking.read.maxSlashPerWindowWad()));
    assert.equal(protocol.slashWindow, BigInt(await t.staking.read.slashWindow()));
    assert.equal(protocol.minDisputeBond, await t.slashing.read.minDisputeBond());
    assert.equal(protocol.disputePeriod, BigInt(await t.slashing.read.disputePeriod()));
    assert.equal(protocol.maxSubnets, BigInt(network.maxSubnets));
    assert.equal(protocol.minLockCost, BigInt(network.minLockCost));
    assert.equal(protocol.subnetCount, 2);
  });

  it("ends a tenure when a registration takes its UID, and starts the newcomer's", async () => {
    const neurons = store.all("Neuron").filter((n) => n.subnet === crowded.toString());
    assert.equal(neurons.length, 65);
    const ended = neurons.filter((n) => !n.active);
    assert.equal(ended.length, 1, "one tenure ended");
    const uid = ended[0]!.uid as number;
    const [stillRegistered] = await t.neuronRegistry.read.uidOf([crowded, getAddress(ended[0]!.hotkey as Hex)]);
    assert.equal(stillRegistered, false, "the pruned hotkey has no UID on the chain");
    assert.ok((ended[0]!.replacedAtBlock as bigint) > (ended[0]!.registeredAtBlock as bigint));
    const holder = store.one("UidSlot", `${crowded}-${uid}`)!;
    const current = store.one("Neuron", holder.neuron as string)!;
    assert.equal(current.active, true);
    assert.equal(current.hotkey, (await t.neuronRegistry.read.hotkeyOf([crowded, BigInt(uid)])).toLowerCase());
    for (const n of neurons.filter((n) => n.active)) {
      const [registered, chainUid] = await t.neuronRegistry.read.uidOf([crowded, getAddress(n.hotkey as Hex)]);
      assert.ok(registered);
      assert.equal(BigInt(n.uid as number), chainUid);
    }
    assert.equal(store.one("Subnet", crowded.toString())!.registrationCount, 65);
  });

  it("keeps each weights row as its last WeightsSet log gave it: the words and the decoded columns of the stored row", async () => {
    const rows = store.all("WeightsRow").filter((r) => r.subnet === netuid.toString());
    assert.equal(rows.length, 1, "one validator revealed weights");
    const row = rows[0]!;
    assert.equal(row.id, `${netuid}-${row.uid}`);
    assert.equal(row.hotkey, validator.toLowerCase());
    assert.equal((row.writes as number) >= 2, true, "revealed in two rounds");
    const stored = await t.storedRow(netuid, BigInt(row.uid as number));
    assert.equal(row.blockNumber, stored.writtenAt);
    assert.equal(row.length, stored.values.length);
    const columns = stored.present.flatMap((present, c) => (present ? [c] : []));
    assert.deepEqual(row.uids, columns);
    assert.deepEqual(
      row.weights,
      columns.map((c) => stored.values[c]),
    );
    assert.deepEqual(row.uids, [1, 2, 3]);
    assert.equal((row.weights as number[])[0], 65_535, "max-upscaled as stored");
    // The words are the log's: the stored segment hash is theirs.
    const words = [...(row.valueWords as bigint[])];
    while (words.length < 16) words.push(0n);
    const segment = encodeAbiParameters(
      [{ type: "uint256[17]" }],
      [[...words.slice(0, 16), (row.presenceWords as bigint[])[0]!] as never],
    );
    const [, hashes] = await t.weights.read.rowCommitments([netuid, [BigInt(row.uid as number)], 0n, 1n]);
    assert.equal(keccak256(segment), hashes[0]);
  });

  it("follows each commit out of the pending queue: revealed, superseded, dropped as expired, still pending", async () => {
    const mine = store.all("Commit").filter((c) => c.hotkey === validator.toLowerCase());
    const byHash = (hash: Hex) => mine.find((c) => c.commitHash === hash.toLowerCase())!;
    assert.equal(mine.length, 5);
    assert.equal(byHash(commits.revealed.hash).status, "REVEALED");
    assert.equal(byHash(commits.superseded.hash).status, "SUPERSEDED");
    assert.equal(byHash(commits.expired.hash).status, "EXPIRED");
    assert.equal(byHash(commits.pending.hash).status, "PENDING");
    assert.deepEqual(
      mine.filter((c) => c.status === "REVEALED").map((c) => store.one("Reveal", c.reveal as string)!.commit),
      mine.filter((c) => c.status === "REVEALED").map((c) => c.id),
      "each revealed commit and its reveal point at each other",
    );
    // What is still pending is the contract's queue.
    const queue = await t.weights.read.pendingCommits([netuid, validator]);
    assert.deepEqual(
      mine.filter((c) => c.status === "PENDING").map((c) => [c.commitHash, c.epoch]),
      queue.map((q) => [q.commitHash, q.epoch]),
    );
    const drops = await t.publicClient.getContractEvents({
      address: t.weights.address,
      abi: t.weights.abi,
      eventName: "CommitDropped",
      fromBlock: 0n,
    });
    assert.equal(store.all("CommitDrop").length, drops.length);
    assert.equal(drops.length, 2);
    for (const c of mine.filter((c) => c.status === "SUPERSEDED" || c.status === "EXPIRED")) {
      const drop = store.one("CommitDrop", c.drop as string)!;
      assert.equal(drop.commit, c.id);
      assert.equal(drop.expired, c.status === "EXPIRED");
      assert.equal(drop.epoch, c.epoch);
      assert.equal(c.closedAtBlock, drop.blockNumber);
    }
    assert.equal(byHash(commits.expired.hash).epoch, expiredEpoch);
    // The hand-made abi.encode of the fault id is the Weights contract's own.
    for (const c of mine.filter((c) => c.status === "EXPIRED")) {
      const evidence = encodeAbiParameters(
        [{ type: "uint256" }, { type: "address" }, { type: "bytes32" }, { type: "uint64" }],
        [netuid, validator, c.commitHash as Hex, c.epoch as bigint],
      );
      const [, faultId] = await t.weights.read.verifyFault([evidence]);
      assert.equal(c.missedRevealFaultId, faultId);
    }
  });

  it("records the reported missed reveal as a FaultReport of its commit, with the slash the chain shows", async () => {
    const [report, ...others] = store.all("FaultReport");
    assert.equal(others.length, 0);
    assert.equal(report!.transactionHash, faultReport.hash);
    assert.equal(report!.hotkey, validator.toLowerCase());
    assert.equal(report!.proof, t.weights.address.toLowerCase());
    assert.equal(report!.reporter, t.accounts.reporter.account.address.toLowerCase());
    const [, faultId] = await t.weights.read.verifyFault([faultReport.evidence]);
    assert.equal(report!.faultId, faultId);
    assert.equal(await t.slashing.read.isFaultReported([t.weights.address, faultId]), true);
    const commit = store.one("Commit", report!.commit as string)!;
    assert.equal(commit.commitHash, commits.expired.hash.toLowerCase());
    assert.equal(commit.status, "EXPIRED");
    assert.equal(report!.subnet, netuid.toString());
    assert.equal(report!.slashed, faultReport.stakeBefore - faultReport.stakeAfter, "the validator's stake lost");
    assert.equal(report!.tip, faultReport.tip, "the reporter's TAO gained");
    assert.equal(report!.burned, (report!.slashed as bigint) - (report!.tip as bigint));
    assert.equal(report!.appliedWad, BigInt((await t.slashing.read.faultRoute([t.weights.address])).penaltyWad));
    const slash = store.all("Slash").find((s) => s.transactionHash === faultReport.hash)!;
    assert.equal((slash.fromStake as bigint) + (slash.fromUnbonding as bigint), report!.slashed);

    // The route, as the deployment set it (FaultRouteSet) and as the Slashing contract has it.
    const route = store.one("FaultRoute", t.weights.address.toLowerCase())!;
    const onChain = await t.slashing.read.faultRoute([t.weights.address]);
    assert.deepEqual(
      [route.enabled, route.penaltyWad, route.reporterTipWad],
      [onChain.enabled, BigInt(onChain.penaltyWad), BigInt(onChain.reporterTipWad)],
    );
    assert.equal(report!.route, route.id);
    assert.equal(route.reportCount, 1);
    assert.equal(route.totalSlashed, report!.slashed);
  });

  it("records root members and their weights as RootNetwork has them, the replaced and the evicted", async () => {
    const protocol = store.one("Protocol", "taonet")!;
    const parameters = await t.rootNetwork.read.rootParameters();
    assert.equal(protocol.rootMaxMembers, parameters.maxMembers);
    assert.equal(protocol.rootTempo, parameters.tempo);
    assert.equal(protocol.rootWeightsRateLimit, parameters.weightsRateLimit);
    assert.equal(protocol.rootActivityCutoff, parameters.activityCutoff);
    assert.equal(protocol.rootMinAllowedWeights, parameters.minAllowedWeights);
    const onChain = await t.rootNetwork.read.members();
    assert.equal(protocol.rootMemberCount, onChain.length);

    const members = store.all("RootMember");
    assert.equal(members.length, 5);
    for (const m of members) {
      const hotkey = getAddress(m.id as Hex);
      assert.equal(m.active, await t.rootNetwork.read.isMember([hotkey]), `membership of ${hotkey}`);
      assert.equal(
        m.registeredStake,
        await t.staking.read.totalStake([hotkey], { blockNumber: m.registeredAtBlock as bigint }),
      );
      const [netuids, valuesU16] = await t.rootNetwork.read.rootWeightsOf([hotkey]);
      if (m.active) {
        const record = await t.rootNetwork.read.member([hotkey]);
        assert.equal(BigInt(m.slot as number), record.slot - 1n);
        assert.equal(m.registeredAtBlock, record.registeredAtBlock);
        assert.equal(m.removedAtBlock, null);
        if (m.weights === null) {
          assert.equal(netuids.length, 0, "a member without weights in the subgraph has none on chain");
          continue;
        }
        const weights = store.one("RootWeightVector", m.weights as string)!;
        assert.deepEqual(weights.netuids, [...netuids]);
        assert.deepEqual(weights.valuesU16, [...valuesU16]);
        assert.deepEqual(
          weights.subnets,
          netuids.map((n) => n.toString()),
        );
        assert.equal(weights.blockNumber, record.lastUpdateBlock);
      } else {
        assert.equal(m.weights, null, "the contract forgot the weights of a removed member");
        assert.equal(netuids.length, 0);
        assert.equal(
          m.removedStake,
          await t.staking.read.totalStake([hotkey], { blockNumber: m.removedAtBlock as bigint }),
        );
      }
    }
    assert.deepEqual(
      members.filter((m) => m.active).map((m) => m.id),
      onChain.map((a) => a.toLowerCase()),
    );
    const alices = store.one("RootMember", replacedMember.toLowerCase())!;
    const carols = store.one("RootMember", newcomer.toLowerCase())!;
    assert.equal(alices.replacedBy, carols.id, "replaced by carol's hotkey, which had more stake");
    assert.equal(carols.replaced, alices.id);
    assert.equal(carols.active, false);
    assert.equal(carols.replacedBy, null, "evicted by governance, not replaced");
    const moved = store.one("RootMember", movedMember.toLowerCase())!;
    assert.equal(moved.slot, 1, "moved from slot 2 into the evicted member's slot 1");
    const history = store.all("RootWeightVector").filter((w) => w.member === validator.toLowerCase());
    assert.equal(history.length, 2, "both of the validator's weight vectors are kept");
  });

  it("records governance's emission shares, a netuid's before its subnet exists", () => {
    assert.equal(store.one("Subnet", netuid.toString())!.governanceShareWad, parseEther("0.3"));
    assert.equal(store.one("Subnet", crowded.toString())!.governanceShareWad, parseEther("0.1"));
    assert.equal(store.one("Subnet", "99"), undefined);
    assert.equal(store.one("GovernanceShare", "99")!.shareWad, parseEther("0.05"));
    assert.equal(store.one("Protocol", "taonet")!.governanceShareTotalWad, parseEther("0.45"));
  });

  it("records each root epoch, and each subnet's share as YumaSettlement applies it", async () => {
    const protocol = store.one("Protocol", "taonet")!;
    const epochs = store.all("RootEpoch");
    assert.equal(BigInt(epochs.length), BigInt(await t.rootNetwork.read.rootEpochIndex()));
    assert.equal(protocol.rootEpochCount, epochs.length);
    const last = store.one("RootEpoch", protocol.lastRootEpoch as string)!;
    assert.equal(last.blockNumber, await t.rootNetwork.read.lastRootEpochBlock());
    const [first, second] = [store.one("RootEpoch", "1")!, store.one("RootEpoch", "2")!];
    assert.equal(first.applied, false, "no members, no incentive");
    assert.equal(first.members, 0);
    assert.ok((first.sharesWad as bigint[]).every((share) => share === 0n));
    assert.equal(second.applied, true);
    assert.equal(second.members, 2);
    assert.equal(last.id, second.id);

    const active = await t.subnetRegistry.read.activeSubnets();
    assert.deepEqual(second.netuids, [...active]);
    assert.ok((second.sharesWad as bigint[]).reduce((a, b) => a + b, 0n) <= 10n ** 18n);
    assert.equal(protocol.rootSharesApply, await t.yumaSettlement.read.rootSharesApply());
    assert.equal(protocol.rootSharesApply, true);
    for (const netuidOf of active) {
      const subnet = store.one("Subnet", netuidOf.toString())!;
      assert.equal(subnet.rootShareWad, await t.yumaSettlement.read.emissionShare([netuidOf]), `share of ${netuidOf}`);
      const share = store.one("RootShare", `2-${netuidOf}`)!;
      assert.equal(share.shareWad, subnet.rootShareWad);
      assert.equal(share.epoch, "2");
    }
    assert.ok((store.one("Subnet", crowded.toString())!.rootShareWad as bigint) > 0n, "the root weighted it most");
  });
});

/** The deployed contract behind a data source. */
function contractOf(t: Taonet, name: string): { address: Address } {
  const key = (name[0]!.toLowerCase() + name.slice(1)) as keyof Taonet;
  const contract = t[key] as { address?: Address } | undefined;
  if (!contract?.address) throw new Error(`no deployed contract for data source ${name}`);
  return { address: contract.address };
}

describe("Subgraph test host's store", () => {
  it("refuses what graph-node refuses: a missing non-null field, an unknown enum value, an immutable entity written twice", async () => {
    const { readFileSync } = await import("node:fs");
    const { EntityStore, StoreKind } = await import("../../subgraph/test/entity-store.ts");
    const store = new EntityStore(readFileSync(path.join(SUBGRAPH_DIR, "schema.graphql"), "utf8"));
    const text = (value: string) => ({ kind: StoreKind.STRING, value }) as const;
    const big = (value: bigint) => ({ kind: StoreKind.BIGINT, value }) as const;
    const dispute = new Map<string, import("../../subgraph/test/entity-store.ts").StoreValue>([
      ["id", text("1")],
      ["hotkey", { kind: StoreKind.BYTES, value: new Uint8Array(20) }],
      ["reporter", { kind: StoreKind.BYTES, value: new Uint8Array(20) }],
      ["bond", big(1n)],
      ["deadline", big(2n)],
      ["evidenceHash", { kind: StoreKind.BYTES, value: new Uint8Array(32) }],
      ["evidenceUri", text("ipfs://x")],
      ["status", text("OPEN")],
      ["openedAt", big(3n)],
    ]);
    store.set("Dispute", "1", dispute);
    assert.throws(
      () => store.set("Dispute", "1", new Map([...dispute, ["status", text("WON")]])),
      /not a DisputeStatus/,
    );
    const withoutBond = new Map(dispute);
    withoutBond.delete("bond");
    assert.throws(() => store.set("Dispute", "1", withoutBond), /missing required field bond/);
    assert.throws(() => store.set("Dispute", "1", new Map([...dispute, ["bond", text("1")]])), /bond \(BigInt\)/);
    const slash = new Map([...dispute].filter(([k]) => k === "id" || k === "hotkey"));
    assert.throws(() => store.set("Slash", "1", slash), /missing required field/);
    for (const field of [
      "requestedWad",
      "appliedWad",
      "fromStake",
      "fromUnbonding",
      "poolAssetsAfter",
      "blockNumber",
    ]) {
      slash.set(field, big(1n));
    }
    slash.set("timestamp", big(1n));
    slash.set("recipient", { kind: StoreKind.BYTES, value: new Uint8Array(20) });
    slash.set("transactionHash", { kind: StoreKind.BYTES, value: new Uint8Array(32) });
    store.set("Slash", "1", slash);
    assert.throws(() => store.set("Slash", "1", slash), /immutable/);
  });
});

describe("Subgraph manifest generation", () => {
  it("finds the committed ABIs equal to the compiled artifacts' (the staleness check)", async () => {
    const { syncAbis } = await import("../../subgraph/scripts/manifest.ts");
    assert.deepEqual(syncAbis({ write: false }), []);
  });

  it("takes addresses and start blocks from an Ignition record, and names a network that has none", async () => {
    const { mkdtempSync, mkdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { networkConfigFromRecords, NoDeploymentRecordError } = await import("../../subgraph/scripts/manifest.ts");
    const dir = mkdtempSync(path.join(tmpdir(), "subgraph-records-"));
    try {
      assert.throws(
        () => networkConfigFromRecords("opSepolia", dir),
        (e: unknown) => e instanceof NoDeploymentRecordError && /No deployment record for opSepolia/.test(e.message),
      );
      const record = path.join(dir, "chain-31337");
      mkdirSync(record);
      const addresses = Object.fromEntries(
        DATA_SOURCES.map((s, i) => [s.futureId, getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`)]),
      );
      writeFileSync(path.join(record, "deployed_addresses.json"), JSON.stringify(addresses));
      const journal = DATA_SOURCES.flatMap((s, i) => [
        JSON.stringify({ futureId: s.futureId, type: "TRANSACTION_SEND" }),
        JSON.stringify({
          futureId: s.futureId,
          receipt: { blockNumber: 10 + i, contractAddress: addresses[s.futureId] },
        }),
      ]);
      writeFileSync(path.join(record, "journal.jsonl"), journal.join("\n") + "\n");
      const config = networkConfigFromRecords("devnet", dir);
      DATA_SOURCES.forEach((s, i) => {
        assert.deepEqual(config.dataSources[s.name], { address: addresses[s.futureId], startBlock: 10 + i });
      });
      const yaml = renderManifest(config);
      for (const s of DATA_SOURCES) {
        for (const event of s.events) assert.match(yaml, new RegExp(`handler: handle${event}\\n`));
      }
      assert.doesNotMatch(yaml, /\{\{/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
