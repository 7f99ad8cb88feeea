/**
 * Gas of the registry's paid paths and of the metagraph read, on the in-process OP-Stack chain with
 * the production Ignition module. Prints a Markdown table (docs/gas.md records it).
 *
 *   npm run bench:registry
 */
import hre from "hardhat";
import { maxUint256, parseEther, type Address, type Hash } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployTaonet } from "../test/helpers/taonet.ts";
import { Hyperparameter } from "../workers/shared/hyperparameter.ts";

const GAS_CAP = 16_777_216n;
await hre.tasks.getTask("build").run({ quiet: true });

const t = await deployTaonet();
const { alice, bob } = t.accounts;
const rows: { operation: string; gas: bigint; note: string }[] = [];

async function measure(operation: string, note: string, send: () => Promise<Hash>) {
  const receipt = await t.publicClient.waitForTransactionReceipt({ hash: await send() });
  if (receipt.status !== "success") throw new Error(`${operation} reverted`);
  rows.push({ operation, gas: receipt.gasUsed, note });
  return receipt.gasUsed;
}

async function bindHotkey(): Promise<Address> {
  const hotkey = privateKeyToAccount(generatePrivateKey());
  const deadline = BigInt(await t.networkHelpers.time.latest()) + 3600n;
  const signature = await t.signBinding(hotkey, alice.account.address, deadline);
  await t.staking.write.bindHotkey([hotkey.address, deadline, signature], { account: alice.account });
  return hotkey.address;
}

/** A subnet of `uids` UIDs, full, every neuron past its immunity. */
async function fullSubnet(uids: bigint) {
  const lock = await t.subnetRegistry.read.lockCost();
  await t.tao.write.approve([t.subnetRegistry.address, lock], { account: bob.account });
  await t.subnetRegistry.write.createSubnet([lock, { name: `${uids} uids`, repository: "", description: "" }], {
    account: bob.account,
  });
  const netuid = await t.subnetRegistry.read.lastNetuid();
  for (const [parameter, value] of [
    [Hyperparameter.MaxAllowedUids, uids],
    [Hyperparameter.TargetRegistrationsPerInterval, 4096n],
    [Hyperparameter.ImmunityPeriod, 0n],
    [Hyperparameter.MaxBurn, parseEther("0.1")],
  ] as const) {
    await t.subnetRegistry.write.setHyperparameter([netuid, parameter, value], { account: bob.account });
  }
  for (let i = 0n; i < uids; i++) {
    await t.neuronRegistry.write.registerNeuron([netuid, await bindHotkey(), maxUint256], { account: alice.account });
  }
  return netuid;
}

await t.tao.write.approve([t.neuronRegistry.address, maxUint256], { account: alice.account });

// createSubnet
const lock = await t.subnetRegistry.read.lockCost();
await t.tao.write.approve([t.subnetRegistry.address, lock], { account: bob.account });
await measure("createSubnet", "locks TAO, writes 29 hyperparameters and metadata", () =>
  t.subnetRegistry.write.createSubnet(
    [lock, { name: "vision", repository: "https://github.com/example/vision", description: "MNIST classifiers" }],
    { account: bob.account },
  ),
);
const netuid = await t.subnetRegistry.read.lastNetuid();

// registerNeuron into an empty subnet, then serveEndpoint and commit from that neuron
const hotkeyAccount = privateKeyToAccount(generatePrivateKey());
{
  const deadline = BigInt(await t.networkHelpers.time.latest()) + 3600n;
  const signature = await t.signBinding(hotkeyAccount, alice.account.address, deadline);
  await t.staking.write.bindHotkey([hotkeyAccount.address, deadline, signature], { account: alice.account });
}
await measure("registerNeuron", "empty subnet: new UID, burn", () =>
  t.neuronRegistry.write.registerNeuron([netuid, hotkeyAccount.address, maxUint256], { account: alice.account }),
);
await t.networkHelpers.setBalance(hotkeyAccount.address, parseEther("1"));
await measure("serveEndpoint", "IPv4 + port, first time", () =>
  t.neuronRegistry.write.serveEndpoint(
    [
      netuid,
      {
        ip: `0x${"00".repeat(12)}7f000001`,
        port: 8091,
        ipType: 4,
        protocol: 4,
        version: 1,
        updatedAtBlock: 0n,
        url: "",
      },
    ],
    { account: hotkeyAccount },
  ),
);
await measure("commit", "model sha256 + 40-byte URI, first of its digest", () =>
  t.neuronRegistry.write.commit([netuid, `0x${"ab".repeat(32)}`, "http://127.0.0.1:9100/models/miner-0.onnx"], {
    account: hotkeyAccount,
  }),
);

// registerNeuron into full subnets: pruning scans n/2 packed words
for (const uids of [256n, 1024n]) {
  const full = await fullSubnet(uids);
  const hotkey = await bindHotkey();
  const gas = await measure(`registerNeuron`, `full ${uids}-UID subnet: prune scan + replace`, () =>
    t.neuronRegistry.write.registerNeuron([full, hotkey, maxUint256], { account: alice.account }),
  );
  if (gas > GAS_CAP) throw new Error(`registerNeuron at ${uids} UIDs uses ${gas} gas, above the ${GAS_CAP} cap`);
  if (uids === 256n) {
    const data = await t.publicClient.estimateContractGas({
      address: t.metagraphLens.address,
      abi: t.metagraphLens.abi,
      functionName: "metagraph",
      args: [full, 0n, 256n],
    });
    rows.push({ operation: "metagraph read (eth_call)", gas: data, note: "256 UIDs in one call, lens" });
  }
}

console.log("| operation | gas | case |");
console.log("|---|---:|---|");
for (const row of rows) console.log(`| ${row.operation} | ${row.gas.toLocaleString("en-US")} | ${row.note} |`);
await t.connection.close();
