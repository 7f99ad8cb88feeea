/**
 * The local devnet: an in-process OP-Stack-simulated chain served on 127.0.0.1 (2 s blocks, like OP
 * Mainnet and Base), the whole protocol deployed by the Ignition module, the 20 test accounts funded
 * with TAO, subnet 1 "mnist" with validators and miners registered and the validators staked, then
 * the workers as separate processes: one miner daemon per miner (models of different quality), one
 * validator daemon per validator (evaluating the models, committing and revealing weights through
 * Redis-backed queues) and a keeper (settling every epoch). A metagraph table is printed as each
 * epoch settles.
 *
 *   npm run devnet                      # run until Ctrl-C
 *   npm run devnet -- --epochs 3        # stop after 3 epochs paid by the validators' weights, with a summary
 *   npm run devnet -- --validators 2 --miners 8 --tempo 20 --port 9545
 *   npm run devnet -- --exit            # deploy, create and register, print, stop (no workers)
 *   npm run devnet -- --app-port 3000   # serve the dApp (app/) there instead of on 5173
 *
 * Redis: the one `REDIS_URL` names, else a `redis-server` started here with its files in .devnet/redis.
 * Worker logs (JSON lines) are in .devnet/logs/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import hre from "hardhat";
import { Redis } from "ioredis";
import { bytesToHex, maxUint256, parseEther, parseEventLogs, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import TaonetModule from "../deploy/modules/Taonet.ts";
import { signHotkeyBinding } from "../workers/shared/sign-hotkey-binding.ts";
import { Hyperparameter as H } from "../workers/shared/hyperparameter.ts";
import { epochOutputs, type EpochOutputs } from "../workers/shared/epoch-outputs.ts";
import { withGasMargin } from "../workers/shared/settle-when-due.ts";
import { startDevnetApp } from "../app/server/start-devnet-app.ts";
import type { ServedApp } from "../app/server/serve-app.ts";
import { startRedisServer, RedisServerMissingError, type RedisServer } from "../workers/shared/redis-server.ts";
import type { EpochScores } from "../workers/validator/validator.ts";

/** Hardhat's public test mnemonic: the devnet's accounts and hotkeys derive from it. */
const MNEMONIC = "test test test test test test test test test test test junk";
/** Hotkey `i` of the devnet is the mnemonic's address index `HOTKEY_INDEX_BASE + i`. */
const HOTKEY_INDEX_BASE = 1000;
/** The pause between two workers' starts (see where they start). */
const WORKER_STAGGER_MS = 1_000;
/** Miner `i` trains a model of quality `QUALITIES[i % 4]` (seed i + 1): a visible spread of scores. */
const QUALITIES = ["strong", "medium", "weak", "medium"] as const;

const { values: flags } = parseArgs({
  options: {
    port: { type: "string", default: "8545" },
    host: { type: "string", default: "127.0.0.1" },
    exit: { type: "boolean", default: false },
    validators: { type: "string", default: "4" },
    miners: { type: "string", default: "16" },
    epochs: { type: "string", default: "0" },
    tempo: { type: "string", default: "10" },
    "block-time": { type: "string", default: "2000" },
    "app-port": { type: "string", default: "5173" },
  },
});
const port = intFlag("port", 1, 65535);
const validatorCount = intFlag("validators", 1, 64);
const minerCount = intFlag("miners", 1, 192);
const epochCount = intFlag("epochs", 0, 1000);
const tempo = intFlag("tempo", 10, 1000);
const blockTime = intFlag("block-time", 100, 60_000);
const appPort = intFlag("app-port", 0, 65535);

const root = path.resolve(import.meta.dirname, "..");
// What `shutdown` stops: set as they start.
let redisServer: RedisServer | undefined;
let redis: Redis | undefined;
const children: { name: string; child: ChildProcess }[] = [];
let dapp: ServedApp | undefined;
let stopping = false;
const state = path.join(root, ".devnet");
const parameters = path.join(root, "deploy/parameters/localhost.json");

// A fresh clone has no artifacts yet: compile first (a no-op when nothing changed).
await hre.tasks.getTask("build").run({ quiet: true });

const server = await hre.network.createServer(
  {
    network: "default",
    // Under a second per block, timestamps may repeat (Hardhat refuses such an interval otherwise).
    // Setup mines one block per transaction and nothing else: an interval block landing between a
    // transaction's gas estimate and its mining can change its path (a registration interval
    // rolling over) and run it out of gas. Interval mining starts after the setup.
    override: { mining: { auto: true, interval: 0 }, allowBlocksWithSameTimestamp: blockTime < 1000 },
  },
  flags.host,
  port,
);
let listening: { address: string; port: number };
try {
  listening = await server.listen();
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  fail(
    code === "EADDRINUSE"
      ? `${flags.host}:${port} is in use; stop what runs there or pass --port`
      : `cannot listen on ${flags.host}:${port}: ${(error as Error).message}`,
  );
}
const rpcUrl = `http://${listening.address}:${listening.port}`;

// Every start is a fresh chain: records, journals and queues of an earlier devnet would not match it.
const connection = await hre.network.create({ network: "localhost", override: { url: rpcUrl } });
const chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
rmSync(path.join(root, "deploy/deployments", `chain-${chainId}`), { recursive: true, force: true });
rmSync(state, { recursive: true, force: true });
const deployed = await connection.ignition.deploy(TaonetModule, { parameters, displayUi: false });

// ---- subnet 1: owner account 0; neuron i's coldkey is account 1 + i % 18; account 19 keeps ----
const wallets = await connection.viem.getWalletClients();
const publicClient = await connection.viem.getPublicClient();
const { tao, staking, subnetRegistry, neuronRegistry, yumaSettlement, metagraphLens } = deployed;
const owner = wallets[0]!.account;
const lock = await subnetRegistry.read.lockCost();
await tao.write.approve([subnetRegistry.address, lock], { account: owner });
await subnetRegistry.write.createSubnet(
  [lock, { name: "mnist", repository: "https://github.com/taonet/taonet", description: "MNIST digit classifiers" }],
  { account: owner },
);
const netuid = await subnetRegistry.read.lastNetuid();
for (const [parameter, value] of [
  [H.Tempo, tempo],
  [H.CommitRevealEnabled, 1],
  [H.RevealPeriod, 1],
  [H.MaxAllowedValidators, validatorCount],
] as const) {
  await subnetRegistry.write.setHyperparameter([netuid, parameter, BigInt(value)], { account: owner });
}

type Neuron = {
  uid: number;
  role: "validator" | "miner";
  quality?: (typeof QUALITIES)[number];
  hotkey: Address;
  key: `0x${string}`;
  coldkey: Address;
};
const neurons: Neuron[] = [];
for (let i = 0; i < validatorCount + minerCount; i++) {
  const coldkey = wallets[1 + (i % 18)]!;
  const hotkey = mnemonicToAccount(MNEMONIC, { addressIndex: HOTKEY_INDEX_BASE + i });
  const deadline = BigInt((await publicClient.getBlock()).timestamp) + 3600n;
  const signature = await signHotkeyBinding({
    hotkey,
    coldkey: coldkey.account.address,
    nonce: await staking.read.nonces([hotkey.address]),
    deadline,
    chainId,
    staking: staking.address,
  });
  await staking.write.bindHotkey([hotkey.address, deadline, signature], { account: coldkey.account });
  await tao.write.approve([neuronRegistry.address, maxUint256], { account: coldkey.account });
  const price = await neuronRegistry.read.burnPrice([netuid]);
  const registration = [netuid, hotkey.address, price * 2n] as const;
  // Not the bare estimate: blocks here may share a timestamp, and a registration mined in a later
  // second than its estimate writes a new TAO supply checkpoint (`withGasMargin`).
  const estimate = await neuronRegistry.estimateGas.registerNeuron(registration, { account: coldkey.account });
  await neuronRegistry.write.registerNeuron(registration, { account: coldkey.account, gas: withGasMargin(estimate) });
  const [, uid] = await neuronRegistry.read.uidOf([netuid, hotkey.address]);
  const validator = i < validatorCount;
  if (validator) {
    // Validators 0, 1, ... stake 1,000, 900, ... TAO from their coldkeys.
    const amount = parseEther(String(1000 - 100 * (i % 9)));
    await tao.write.approve([staking.address, amount], { account: coldkey.account });
    await staking.write.addStake([hotkey.address, amount], { account: coldkey.account });
  }
  // Hotkeys pay gas for their commits and reveals.
  await connection.networkHelpers.setBalance(hotkey.address, parseEther("10"));
  neurons.push({
    uid: Number(uid),
    role: validator ? "validator" : "miner",
    quality: validator ? undefined : QUALITIES[(i - validatorCount) % QUALITIES.length],
    hotkey: hotkey.address,
    key: bytesToHex(hotkey.getHdKey().privateKey!),
    coldkey: coldkey.account.address,
  });
}

const accounts = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
const balances = await Promise.all(accounts.map((account) => tao.read.balanceOf([account])));
console.log(`\ntaonet devnet on ${rpcUrl} (chain id ${chainId}, OP Stack simulation, ${blockTime / 1000} s blocks)\n`);
console.table(
  Object.fromEntries(Object.entries(deployed).map(([name, contract]) => [name, { address: contract.address }])),
);
console.log("Test accounts (keys: Hardhat's default mnemonic 'test test ... junk'):");
console.table(accounts.map((account, i) => ({ account, TAO: Number(balances[i]! / 10n ** 18n) })));
console.log(
  `Subnet ${netuid} "mnist" (owner ${accounts[0]}, locked ${formatTao(lock)} TAO, tempo ${tempo} blocks) with ` +
    `${neurons.length} neurons (hotkeys: mnemonic indexes ${HOTKEY_INDEX_BASE}..):`,
);
console.table(
  neurons.map(({ uid, role, quality, hotkey, coldkey }) => ({ uid, role: quality ?? role, hotkey, coldkey })),
);
console.log(`Deployment record: deploy/deployments/chain-${chainId}/deployed_addresses.json`);
if (flags.exit) await shutdown(0);
dapp = await startDevnetApp({ root, chainId, rpcUrl, host: flags.host!, port: appPort });

// From here on blocks come every --block-time only, many transactions each, as on the rollup (the
// setup above mined one block per transaction to be quick).
await connection.provider.request({ method: "evm_setIntervalMining", params: [blockTime] });
await connection.provider.request({ method: "evm_setAutomine", params: [false] });

// ---- Redis, then the workers, each a process with its log in .devnet/logs ----
let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  const dir = path.join(state, "redis");
  mkdirSync(dir, { recursive: true });
  try {
    redisServer = await startRedisServer({ dir, persistence: true });
  } catch (error) {
    if (error instanceof RedisServerMissingError) fail(error.message);
    throw error;
  }
  redisUrl = redisServer.url;
}
const namespace = `devnet-${Date.now()}`;
redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const logs = path.join(state, "logs");
mkdirSync(logs, { recursive: true });
const startWorker = (name: string, script: string, args: string[], key: `0x${string}`) => {
  const out = openSync(path.join(logs, `${name}.log`), "a");
  const child = spawn(process.execPath, [path.join(root, script), "--rpc", rpcUrl, ...args], {
    cwd: root,
    env: { ...process.env, TAONET_HOTKEY_KEY: key },
    stdio: ["ignore", out, out],
  });
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`devnet: ${name} exited (${signal ?? code}); see .devnet/logs/${name}.log`);
  });
  children.push({ name, child });
};
// One worker a second: started all at once, their imports (onnxruntime, viem, BullMQ) kept a small
// machine's CPUs busy for long enough that the chain, which runs in this process, answered no request
// within the workers' and this script's RPC timeouts, and every one of them gave up (2 CPUs, 21 workers).
for (const n of neurons) {
  if (children.length > 0) await sleep(WORKER_STAGGER_MS);
  if (n.role === "miner")
    startWorker(
      `miner-${n.uid}`,
      "workers/miner/main.ts",
      ["--netuid", `${netuid}`, "--quality", n.quality!, "--seed", `${n.uid + 1}`, "--metrics-port", "0"],
      n.key,
    );
  else
    startWorker(
      `validator-${n.uid}`,
      "workers/validator/main.ts",
      [
        ...["--netuid", `${netuid}`, "--redis", redisUrl, "--namespace", namespace],
        ...["--data-dir", path.join(state, `validator-${n.uid}`), "--metrics-port", "0"],
      ],
      n.key,
    );
}
await sleep(WORKER_STAGGER_MS);
const keeperKey = bytesToHex(mnemonicToAccount(MNEMONIC, { addressIndex: 19 }).getHdKey().privateKey!);
startWorker("keeper", "workers/keeper/main.ts", ["--metrics-port", "0"], keeperKey);
console.log(
  `Workers: ${minerCount} miners, ${validatorCount} validators, 1 keeper (logs in .devnet/logs, Redis ${redisUrl}).` +
    (epochCount > 0
      ? ` Running until ${epochCount} epochs are paid by the validators' weights.`
      : " Press Ctrl-C to stop."),
);
process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));

// ---- follow the epochs: one metagraph table per settled epoch ----
const started = await stakes();
const earned = new Map<number, bigint>();
let scanned = await publicClient.getBlockNumber();
let paid = 0;
const outputs = new Map<bigint, EpochOutputs>();
let lastProgress = Date.now();
const stallMs = Math.max(180_000, 8 * tempo * blockTime);
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const head = await publicClient.getBlockNumber();
  if (head <= scanned) continue;
  // An epoch's outputs come with its first transaction, its end (everything paid) with its last.
  const logs = await publicClient.getLogs({ address: yumaSettlement.address, fromBlock: scanned + 1n, toBlock: head });
  scanned = head;
  for (const event of parseEventLogs({ abi: yumaSettlement.abi, logs })) {
    if (event.eventName === "EpochOutputs") outputs.set(event.args.epochIndex, epochOutputs(event.args));
    if (event.eventName !== "EpochSettled") continue;
    const out = outputs.get(event.args.epochIndex);
    if (!out) continue; // began before the devnet watched
    outputs.delete(event.args.epochIndex);
    const { incentive, dividends, minerEmission, validatorEmission } = out;
    const byWeights = incentive.some((x) => x > 0);
    if (byWeights) paid++;
    lastProgress = Date.now();
    const now = await stakes();
    const scores = await validatorScores();
    const rows = neurons.map((n) => {
      const emission = (minerEmission[n.uid] ?? 0n) + (validatorEmission[n.uid] ?? 0n);
      earned.set(n.uid, (earned.get(n.uid) ?? 0n) + emission);
      const score = scores.get(n.uid);
      return {
        uid: n.uid,
        role: n.quality ? `miner (${n.quality})` : "validator",
        stake: formatTao(now[n.uid]!),
        score: score === undefined ? "" : score.toFixed(3),
        incentive: (incentive[n.uid]! / 65535).toFixed(4),
        dividends: (dividends[n.uid]! / 65535).toFixed(4),
        emission: formatTao(emission),
      };
    });
    console.log(
      `\nEpoch ${event.args.epochIndex} settled at block ${event.blockNumber}` +
        (byWeights
          ? ` (paid by weights: ${paid}${epochCount ? ` of ${epochCount}` : ""})`
          : " (no weights revealed yet)"),
    );
    console.table(rows);
  }
  if (epochCount > 0 && paid >= epochCount) break;
  if (Date.now() - lastProgress > stallMs) {
    console.error(`devnet: no epoch settled for ${Math.round(stallMs / 1000)} s; see the logs in .devnet/logs`);
    await shutdown(1);
  }
}

// ---- summary ----
const ended = await stakes();
const total = (role: Neuron["role"]) =>
  neurons.filter((n) => n.role === role).reduce((sum, n) => sum + (earned.get(n.uid) ?? 0n), 0n);
console.log(`\nSummary: ${paid} epochs paid by weights.`);
console.table(
  neurons.map((n) => ({
    uid: n.uid,
    role: n.quality ? `miner (${n.quality})` : "validator",
    "stake before": formatTao(started[n.uid]!),
    "stake after": formatTao(ended[n.uid]!),
    earned: formatTao(earned.get(n.uid) ?? 0n),
  })),
);
const miners = total("miner");
const validators = total("validator");
console.log(`Miners earned ${formatTao(miners)} TAO, validators ${formatTao(validators)} TAO.`);
if (miners === 0n || validators === 0n) {
  console.error("devnet: miners and validators should both have earned; see the logs in .devnet/logs");
  await shutdown(1);
}
await shutdown(0);

async function stakes(): Promise<bigint[]> {
  const [page] = await metagraphLens.read.metagraph([netuid, 0n, maxUint256]);
  return page.map((n) => n.stake);
}

/** Miner accuracies as the first validator scored them in its last epoch. */
async function validatorScores(): Promise<Map<number, number>> {
  const first = neurons.find((n) => n.role === "validator")!;
  const raw = await redis!.hget(`${namespace}:${chainId}:${first.hotkey.toLowerCase()}:scores`, `${netuid}`);
  const scores = new Map<number, number>();
  if (raw)
    for (const s of (JSON.parse(raw) as EpochScores).scores)
      if (s.accuracy !== undefined) scores.set(s.uid, s.accuracy);
  return scores;
}

async function shutdown(code: number): Promise<never> {
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  await dapp?.close();
  redis?.disconnect();
  await redisServer?.stop();
  await connection.close();
  await server.close();
  process.exit(code);
}

function intFlag(name: keyof typeof flags, min: number, max: number): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`--${name} must be an integer in ${min}..${max}, got "${flags[name]}"`);
  return value;
}

function fail(message: string): never {
  console.error(`devnet: ${message}`);
  process.exit(2);
}

function formatTao(wei: bigint): string {
  return (Number(wei / 10n ** 12n) / 1e6).toString();
}
