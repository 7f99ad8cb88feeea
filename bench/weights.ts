/**
 * Gas of weight submission on the in-process OP-Stack chain with the production Ignition module:
 * setWeights, commitWeights, revealWeights (the `uint16[]` and the packed entry points, writing a
 * row first and overwriting it) and batch reveals over 4 subnets, with 256 values on 256-UID
 * subnets. Prints a Markdown table (docs/yuma.md records it).
 *
 *   npm run bench:weights
 */
import hre from "hardhat";
import { keccak256, maxUint256, parseEther, toHex, type Hash, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { benchChain, bindBenchHotkey, SHORT_TEMPO } from "./chain.ts";
import { Hyperparameter as H } from "../workers/shared/hyperparameter.ts";
import { packWeightEntries } from "../workers/shared/pack-weight-entries.ts";

const N = 256;
const SUBNETS = 4;
const VALIDATORS = 6;
await hre.tasks.getTask("build").run({ quiet: true });

const chain = await benchChain(SHORT_TEMPO);
const { connection, c, deployer, owner, publicClient, networkHelpers, provider, weightRows } = chain;
await c.tao.write.approve([c.neuronRegistry.address, maxUint256], { account: deployer.account });
await c.tao.write.approve([c.staking.address, maxUint256], { account: deployer.account });

// The same 256 hotkeys (deterministic keys) in every subnet; the first VALIDATORS are staked.
const hotkeys: PrivateKeyAccount[] = [];
for (let uid = 0; uid < N; uid++) hotkeys.push(await bindBenchHotkey(chain, uid));
for (let v = 0; v < VALIDATORS; v++) {
  await c.staking.write.addStake([hotkeys[v].address, parseEther(String(100 + v))], { account: deployer.account });
}

const netuids: bigint[] = [];
for (let s = 0; s < SUBNETS; s++) {
  const lock = await c.subnetRegistry.read.lockCost();
  await c.tao.write.approve([c.subnetRegistry.address, lock], { account: owner.account });
  await c.subnetRegistry.write.createSubnet([lock, { name: `bench ${s}`, repository: "", description: "" }], {
    account: owner.account,
  });
  const netuid = await c.subnetRegistry.read.lastNetuid();
  for (const [p, v] of [
    [H.MaxAllowedUids, BigInt(N)],
    [H.MaxAllowedValidators, BigInt(VALIDATORS)],
    [H.TargetRegistrationsPerInterval, 4096n],
    [H.MaxBurn, parseEther("0.1")],
    [H.CommitRevealEnabled, 0n],
    [H.WeightsRateLimit, 0n],
    [H.ActivityCutoff, 100_000n],
  ] as const) {
    await c.subnetRegistry.write.setHyperparameter([netuid, p, v], { account: owner.account });
  }
  for (const hotkey of hotkeys) {
    await c.neuronRegistry.write.registerNeuron([netuid, hotkey.address, maxUint256], {
      account: deployer.account,
      gas: 5_000_000n,
    });
  }
  netuids.push(netuid);
}

async function settle(netuid: bigint) {
  const next = await c.yumaSettlement.read.nextEpochBlock([netuid]);
  const head = await publicClient.getBlockNumber();
  for (let b = head + 1n; b < next; b++) await provider.request({ method: "evm_mine", params: [] });
  const receipt = await publicClient.waitForTransactionReceipt({
    hash: await c.yumaSettlement.write.settle([netuid, await weightRows(netuid)], { gas: 900_000_000n }),
  });
  if (receipt.status !== "success") throw new Error("settle reverted");
}
for (const netuid of netuids) await settle(netuid); // validator permits

type Row = { case: string; gas: bigint; note: string };
const rows: Row[] = [];
async function measure(label: string, note: string, send: () => Promise<Hash>) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await send() });
  if (receipt.status !== "success") throw new Error(`${label} reverted`);
  rows.push({ case: label, gas: receipt.gasUsed, note });
}

const uids = Array.from({ length: N }, (_, i) => i);
const first = uids.map((i) => 1 + ((i * 7919) % 65535));
const second = first.slice().reverse();
const packed = (values: number[]): Hex => packWeightEntries({ uids, values });
const gas = 30_000_000n;
const [netuid] = netuids;

// ---- direct submission (commit-reveal off) ----
await measure("setWeights", "256 values, first write of the row", () =>
  c.weights.write.setWeights([netuid, uids, first, 0n], { account: hotkeys[0], gas }),
);
await measure("setWeights", "256 values, overwriting the row", () =>
  c.weights.write.setWeights([netuid, uids, second, 0n], { account: hotkeys[0], gas }),
);
await measure("setWeightsPacked", "256 values, first write of the row", () =>
  c.weights.write.setWeightsPacked([netuid, packed(first), 0n], { account: hotkeys[1], gas }),
);
await measure("setWeightsPacked", "256 values, overwriting the row", () =>
  c.weights.write.setWeightsPacked([netuid, packed(second), 0n], { account: hotkeys[1], gas }),
);

// ---- commit-reveal ----
for (const n of netuids) {
  await c.subnetRegistry.write.setHyperparameter([n, H.CommitRevealEnabled, 1n], { account: owner.account });
}
const salt = keccak256(toHex("bench"));
const hashOf = (n: bigint, v: PrivateKeyAccount, values: number[], columns = uids) =>
  c.weights.read.commitHashOf([n, v.address, columns, values, salt, 0n]);
const commit = async (n: bigint, v: PrivateKeyAccount, values: number[], columns = uids) =>
  c.weights.write.commitWeights([n, await hashOf(n, v, values, columns)], { account: v });

/** One commit-reveal round: commits (the first measured if `commitNote`), one epoch, then `reveal`. */
async function round(
  commits: [bigint, PrivateKeyAccount, number[], number[]?][],
  reveal: () => Promise<void>,
  commitNote?: string,
) {
  const subnets = new Set(commits.map(([n]) => n));
  // Settle first, so no epoch is due when committing (a due epoch makes the commit the next epoch's).
  for (const n of subnets) await settle(n);
  for (const [i, [n, v, values, columns]] of commits.entries()) {
    if (i === 0 && commitNote) await measure("commitWeights", commitNote, () => commit(n, v, values, columns));
    else await commit(n, v, values, columns);
  }
  for (const n of subnets) await settle(n);
  await reveal();
}

const [, , a, b, d] = hotkeys;
await round(
  [[netuid, a, first]],
  () =>
    measure("revealWeights", "256 values, first write of the row", () =>
      c.weights.write.revealWeights([netuid, uids, first, salt, 0n], { account: a, gas }),
    ),
  "one hash, first commit of the hotkey (new storage)",
);
await round(
  [[netuid, a, second]],
  () =>
    measure("revealWeights", "256 values, overwriting the row", () =>
      c.weights.write.revealWeights([netuid, uids, second, salt, 0n], { account: a, gas }),
    ),
  "one hash, a later commit (storage reused)",
);
await round([[netuid, b, first]], () =>
  measure("revealWeightsPacked", "256 values, first write of the row", () =>
    c.weights.write.revealWeightsPacked([netuid, packed(first), salt, 0n], { account: b, gas }),
  ),
);
await round([[netuid, b, second]], () =>
  measure("revealWeightsPacked", "256 values, overwriting the row", () =>
    c.weights.write.revealWeightsPacked([netuid, packed(second), salt, 0n], { account: b, gas }),
  ),
);
// Already max-upscaled values (what subtensor stores; the largest is 65535): no scaling pass.
const upscaled = first.map((v) => Math.round((v * 65535) / Math.max(...first)));
await round([[netuid, b, upscaled]], () =>
  measure("revealWeightsPacked", "256 values already max-upscaled, overwriting the row", () =>
    c.weights.write.revealWeightsPacked([netuid, packed(upscaled), salt, 0n], { account: b, gas }),
  ),
);

// The same entries in a shuffled UID order take the general path (no dense shortcut).
const order = uids.map((i) => (i * 97) % N); // 97 is coprime with 256: a permutation
const orderValues = order.map((u) => second[u]);
const shuffled = packWeightEntries({ uids: order, values: orderValues });
await round([[netuid, b, orderValues, order]], () =>
  measure("revealWeightsPacked", "256 values in shuffled UID order, overwriting the row", () =>
    c.weights.write.revealWeightsPacked([netuid, shuffled, salt, 0n], { account: b, gas }),
  ),
);

// ---- batch reveals over 4 subnets ----
const batch = async (values: number[]) =>
  c.weights.write.batchRevealWeightsPacked(
    [netuids.map((n) => ({ netuid: n, entries: packed(values), salt, versionKey: 0n }))],
    { account: d, gas },
  );
await round(
  netuids.map((n) => [n, d, first]),
  () => measure("batchRevealWeightsPacked", "4 subnets x 256 values, first writes of the rows", () => batch(first)),
);
await round(
  netuids.map((n) => [n, d, second]),
  () => measure("batchRevealWeightsPacked", "4 subnets x 256 values, overwriting the rows", () => batch(second)),
);
await round(
  netuids.map((n) => [n, d, first]),
  () =>
    measure("batchRevealWeights", "4 subnets x 256 values, overwriting the rows", () =>
      c.weights.write.batchRevealWeights(
        [netuids.map((n) => ({ netuid: n, uids, values: first, salt, versionKey: 0n }))],
        { account: d, gas },
      ),
    ),
);
await connection.close();

console.log(`\nWeights (${N}-UID subnets, ${N} values)\n\n| case | gas | note |\n|---|---:|---|`);
for (const r of rows) console.log(`| ${r.case} | ${r.gas.toLocaleString("en-US")} | ${r.note} |`);
