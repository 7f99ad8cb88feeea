/**
 * The local devnet: an in-process OP-Stack-simulated chain served on 127.0.0.1 (2 s blocks, like OP
 * Mainnet and Base), with the whole protocol deployed by the Ignition module, the 20 test accounts
 * funded with TAO, and a first subnet with registered neurons.
 *
 *   npm run devnet                   # serve until Ctrl-C
 *   npm run devnet -- --port 9545    # another port
 *   npm run devnet -- --neurons 16   # how many neurons to register in subnet 1 (default 8)
 *   npm run devnet -- --epochs 0     # paid epochs to run before serving (default 2)
 *   npm run devnet -- --exit         # set up, print, stop (used by the tests)
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import hre from "hardhat";
import { maxUint256, parseEther } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import TaonetModule from "../deploy/modules/Taonet.ts";
import { signHotkeyBinding } from "../workers/shared/sign-hotkey-binding.ts";
import { Hyperparameter } from "../workers/shared/hyperparameter.ts";
import { settleWhenDue as settleEpoch, type SettlementChain } from "../workers/shared/settle-when-due.ts";

/** Hardhat's public test mnemonic: the devnet's accounts and hotkeys derive from it. */
const MNEMONIC = "test test test test test test test test test test test junk";
/** Hotkey `i` of the devnet is the mnemonic's address index `HOTKEY_INDEX_BASE + i`. */
const HOTKEY_INDEX_BASE = 1000;

const { values: flags } = parseArgs({
  options: {
    port: { type: "string", default: "8545" },
    host: { type: "string", default: "127.0.0.1" },
    exit: { type: "boolean", default: false },
    neurons: { type: "string", default: "8" },
    epochs: { type: "string", default: "2" },
  },
});
const neuronCount = Number(flags.neurons);
if (!Number.isInteger(neuronCount) || neuronCount < 0 || neuronCount > 256) {
  console.error(`devnet: --neurons must be an integer in 0..256, got "${flags.neurons}"`);
  process.exit(2);
}

const port = Number(flags.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`devnet: --port must be an integer in 1..65535, got "${flags.port}"`);
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const parameters = path.join(root, "deploy/parameters/localhost.json");

// A fresh clone has no artifacts yet: compile first (a no-op when nothing changed).
await hre.tasks.getTask("build").run({ quiet: true });

// Blocks every 2 s as on the rollup (subnet tempos count blocks), and at once for transactions.
const epochCount = Number(flags.epochs);
if (!Number.isInteger(epochCount) || epochCount < 0 || epochCount > 100) {
  console.error(`devnet: --epochs must be an integer in 0..100, got "${flags.epochs}"`);
  process.exit(2);
}

const server = await hre.network.createServer(
  { network: "default", override: { mining: { auto: true, interval: 2000 } } },
  flags.host,
  port,
);
let listening: { address: string; port: number };
try {
  listening = await server.listen();
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === "EADDRINUSE"
      ? `devnet: ${flags.host}:${port} is in use; stop what runs there or pass --port`
      : `devnet: cannot listen on ${flags.host}:${port}: ${(error as Error).message}`,
  );
  process.exit(1);
}
const rpcUrl = `http://${listening.address}:${listening.port}`;

// Every start is a fresh chain: records of an earlier devnet chain would not match it.
const connection = await hre.network.create({ network: "localhost", override: { url: rpcUrl } });
const chainId = await connection.provider.request({ method: "eth_chainId" });
await rm(path.join(root, "deploy/deployments", `chain-${Number(chainId)}`), { recursive: true, force: true });

const deployed = await connection.ignition.deploy(TaonetModule, { parameters, displayUi: false });

// ---- subnet 1 with neurons: owner account 0; neuron i's coldkey is account 1 + i % 19 ----
const wallets = await connection.viem.getWalletClients();
const publicClient = await connection.viem.getPublicClient();
const { tao, staking, subnetRegistry, neuronRegistry } = deployed;
const lock = await subnetRegistry.read.lockCost();
await tao.write.approve([subnetRegistry.address, lock], { account: wallets[0].account });
await subnetRegistry.write.createSubnet(
  [lock, { name: "mnist", repository: "https://github.com/taonet/taonet", description: "MNIST digit classifiers" }],
  { account: wallets[0].account },
);
const netuid = await subnetRegistry.read.lastNetuid();
const neurons: { uid: number; hotkey: string; coldkey: string; burned: string }[] = [];
for (let i = 0; i < neuronCount; i++) {
  const coldkey = wallets[1 + (i % 19)];
  const hotkey = mnemonicToAccount(MNEMONIC, { addressIndex: HOTKEY_INDEX_BASE + i });
  const deadline = BigInt((await publicClient.getBlock()).timestamp) + 3600n;
  const nonce = await staking.read.nonces([hotkey.address]);
  const signature = await signHotkeyBinding({
    hotkey,
    coldkey: coldkey.account.address,
    nonce,
    deadline,
    chainId: Number(chainId),
    staking: staking.address,
  });
  await staking.write.bindHotkey([hotkey.address, deadline, signature], { account: coldkey.account });
  const price = await neuronRegistry.read.burnPrice([netuid]);
  await tao.write.approve([neuronRegistry.address, maxUint256], { account: coldkey.account });
  await neuronRegistry.write.registerNeuron([netuid, hotkey.address, price * 2n], { account: coldkey.account });
  const [, uid] = await neuronRegistry.read.uidOf([netuid, hotkey.address]);
  neurons.push({
    uid: Number(uid),
    hotkey: hotkey.address,
    coldkey: coldkey.account.address,
    burned: formatTao(price),
  });
}

// ---- epochs: the first two neurons validate (staked by their coldkeys), the others mine ----
const { weights, yumaSettlement } = deployed;
const epochRows: Record<string, string | number>[] = [];
if (epochCount > 0 && neurons.length >= 3) {
  const owner = wallets[0];
  // The devnet shows direct weights; validator workers use commit-reveal on real subnets.
  await subnetRegistry.write.setHyperparameter([netuid, Hyperparameter.CommitRevealEnabled, 0n], {
    account: owner.account,
  });
  const validatorUids = [0, 1];
  for (const uid of validatorUids) {
    const coldkey = wallets[1 + (uid % 19)];
    await tao.write.approve([staking.address, parseEther("1000")], { account: coldkey.account });
    await staking.write.addStake([neurons[uid].hotkey as `0x${string}`, parseEther(String(1000 - 200 * uid))], {
      account: coldkey.account,
    });
  }
  const keeper = wallets[19].account;
  const settlement: SettlementChain = {
    nextEpochBlock: () => yumaSettlement.read.nextEpochBlock([netuid]),
    blockNumber: () => publicClient.getBlockNumber(),
    advance: async (blocks) => {
      for (let b = 0; b < blocks; b++) await connection.provider.request({ method: "evm_mine", params: [] });
    },
    settle: async (gas) =>
      publicClient.waitForTransactionReceipt({
        hash: await yumaSettlement.write.settle([netuid], { account: keeper, gas }),
      }),
    openPhase: async () => (await yumaSettlement.read.settlementProgress([netuid]))[0],
  };
  const settleWhenDue = () => settleEpoch(settlement);
  await settleWhenDue(); // the first epoch hands out permits and starts the subnet's emission clock
  const minerUids = neurons.slice(2).map((n) => n.uid);
  const stakeOf = async (uid: number) =>
    staking.read.stakeOf([neurons[uid].coldkey as `0x${string}`, neurons[uid].hotkey as `0x${string}`]);
  const before = await Promise.all(neurons.map((n) => stakeOf(n.uid)));
  for (let epoch = 0; epoch < epochCount; epoch++) {
    for (const uid of validatorUids) {
      const hotkey = mnemonicToAccount(MNEMONIC, { addressIndex: HOTKEY_INDEX_BASE + uid });
      await connection.networkHelpers.setBalance(hotkey.address, parseEther("1"));
      // Better-numbered miners get more weight: a visible incentive gradient.
      await weights.write.setWeights([netuid, minerUids, minerUids.map((m) => 1000 * m), 0n], { account: hotkey });
    }
    await settleWhenDue();
  }
  const after = await Promise.all(neurons.map((n) => stakeOf(n.uid)));
  const [, incentive, dividends] = await yumaSettlement.read.epochOutputs([netuid]);
  for (const n of neurons) {
    epochRows.push({
      uid: n.uid,
      role: validatorUids.includes(n.uid) ? "validator" : "miner",
      incentive: incentive[n.uid] / 65535,
      dividends: dividends[n.uid] / 65535,
      "stake before": formatTao(before[n.uid]),
      "stake after": formatTao(after[n.uid]),
    });
  }
}

const accounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
const balances = await Promise.all(accounts.map((account) => deployed.tao.read.balanceOf([account as `0x${string}`])));

console.log(`\ntaonet devnet on ${rpcUrl} (chain id ${Number(chainId)}, OP Stack simulation)\n`);
console.table(
  Object.fromEntries(Object.entries(deployed).map(([name, contract]) => [name, { address: contract.address }])),
);
console.log("Test accounts (keys: Hardhat's default mnemonic 'test test ... junk'):");
console.table(accounts.map((account, i) => ({ account, TAO: Number(balances[i] / 10n ** 18n) })));
console.log(
  `Subnet ${netuid} "mnist" (owner ${accounts[0]}, locked ${formatTao(lock)} TAO) with ${neurons.length} neurons` +
    ` (hotkeys: mnemonic indexes ${HOTKEY_INDEX_BASE}..):`,
);
if (neurons.length > 0) console.table(neurons);
if (epochRows.length > 0) {
  console.log(`Subnet ${netuid} after ${epochCount} paid epochs (weights set by UIDs 0 and 1, settled by the keeper):`);
  console.table(epochRows);
}
console.log(`Deployment record: deploy/deployments/chain-${Number(chainId)}/deployed_addresses.json`);

function formatTao(wei: bigint): string {
  return (Number(wei / 10n ** 12n) / 1e6).toString();
}

async function stop(): Promise<void> {
  await connection.close();
  await server.close();
  process.exit(0);
}

if (flags.exit) {
  await stop();
} else {
  console.log("Press Ctrl-C to stop.");
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
