/**
 * Gas of the root network on the in-process OP-Stack chain with the production Ignition module:
 * `settleRoot` for (members, subnets) = (16, 8), (64, 32), (64, 64), (64, 128) and (64, 256) (the
 * bounds: 64 members, the registry's 256 active subnets), every member weighting every subnet, and the
 * member-side calls around it. Prints a Markdown table (docs/yuma.md records it).
 *
 *   npm run bench:root                      # every size
 *   npm run bench:root -- --size 64,128     # one
 */
import hre from "hardhat";
import { maxUint256, parseEther, type Hash } from "viem";
import { benchChain, bindBenchHotkey } from "./chain.ts";

const GAS_CAP = 16_777_216n;
await hre.tasks.getTask("build").run({ quiet: true });

type Row = { case: string; gas: bigint; note: string };
const rows: Row[] = [];

async function measure(memberCount: number, subnetCount: number) {
  const chain = await benchChain({
    genesisAmounts: [parseEther("1000000"), parseEther("1000000")],
    // The lock falls back to its floor a block after each creation: many subnets are cheap.
    minLockCost: parseEther("100"),
    lockReductionInterval: 1n,
    rootMaxMembers: BigInt(memberCount),
    rootTempo: 10n,
    rootWeightsRateLimit: 0n,
    rootActivityCutoff: 100_000n,
    maxSubnets: BigInt(Math.max(subnetCount, 1)),
  });
  const { connection, c, deployer, owner, publicClient, provider } = chain;
  const send = async (fn: () => Promise<Hash>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await fn() });
    if (receipt.status !== "success") throw new Error("transaction reverted");
    return receipt.gasUsed;
  };

  await c.tao.write.approve([c.subnetRegistry.address, maxUint256], { account: owner.account });
  for (let s = 0; s < subnetCount; s++) {
    await c.subnetRegistry.write.createSubnet([maxUint256, { name: `bench ${s}`, repository: "", description: "" }], {
      account: owner.account,
    });
  }
  const netuids = await c.subnetRegistry.read.activeSubnets();

  await c.tao.write.approve([c.staking.address, maxUint256], { account: deployer.account });
  const bind = async (label: string, stake: bigint) => {
    const hotkey = await bindBenchHotkey(chain, label);
    await c.staking.write.addStake([hotkey.address, stake], { account: deployer.account });
    return hotkey;
  };
  const values = (m: number) => netuids.map((_, j) => 1 + ((m * 7919 + j * 104_729) % 65_535));

  let lastRegister = 0n;
  let firstWeights = 0n;
  let overwriteWeights = 0n;
  for (let m = 0; m < memberCount; m++) {
    const hotkey = await bind(`bench-root-member-${m}`, parseEther(String(100 + m)));
    lastRegister = await send(() =>
      c.rootNetwork.write.registerRoot([hotkey.address], { account: deployer.account, gas: 5_000_000n }),
    );
    const gas = await send(() =>
      c.rootNetwork.write.setRootWeights([netuids, values(m)], { account: hotkey, gas: 10_000_000n }),
    );
    if (m === 0) {
      firstWeights = gas;
      overwriteWeights = await send(() =>
        c.rootNetwork.write.setRootWeights([netuids, values(m + 1)], { account: hotkey, gas: 10_000_000n }),
      );
    }
  }
  // The root is full: a newcomer with more stake than the smallest member replaces it.
  const newcomer = await bind(`bench-root-newcomer-${memberCount}`, parseEther("1000"));
  const replace = await send(() =>
    c.rootNetwork.write.registerRoot([newcomer.address], { account: deployer.account, gas: 5_000_000n }),
  );
  await send(() => c.rootNetwork.write.setRootWeights([netuids, values(0)], { account: newcomer, gas: 10_000_000n }));

  const settleRoot = async (withHints = false) => {
    const next = await c.rootNetwork.read.nextRootEpochBlock();
    const head = await publicClient.getBlockNumber();
    for (let b = head + 1n; b < next; b++) await provider.request({ method: "evm_mine", params: [] });
    if (!withHints) return send(() => c.rootNetwork.write.settleRoot({ gas: 900_000_000n }));
    // A keeper quotes the hints by eth_call in the block before, then sends them.
    const { result: hints } = await c.rootNetwork.simulate.quoteRootMedianHints({ gas: 900_000_000n });
    return send(() => c.rootNetwork.write.settleRootWithHints([hints], { gas: 900_000_000n }));
  };
  // The first root epoch writes every subnet's root share (and the stored hints) from zero; run it
  // once with quoted hints, then again from the same state without.
  const snapshot = await provider.request({ method: "evm_snapshot", params: [] });
  const firstHinted = await settleRoot(true);
  await provider.request({ method: "evm_revert", params: [snapshot] });
  const first = await settleRoot();
  const steady = await settleRoot(); // overwrites them, from the hints the first epoch stored
  const hinted = await settleRoot(true);

  const label = `(${memberCount}, ${subnetCount})`;
  const cap = (g: bigint) => (g > GAS_CAP ? "over the 16,777,216 cap" : "under the cap");
  rows.push({
    case: `settleRoot ${label}`,
    gas: first,
    note: `first root epoch (shares and hints written from zero, no hints): ${cap(first)}`,
  });
  rows.push({
    case: `settleRootWithHints ${label}`,
    gas: firstHinted,
    note: `first root epoch, median hints quoted by \`quoteRootMedianHints\`: ${cap(firstHinted)}`,
  });
  rows.push({
    case: `settleRoot ${label}`,
    gas: steady,
    note: `steady state (the previous epoch's hints, stored): ${cap(steady)}`,
  });
  rows.push({
    case: `settleRootWithHints ${label}`,
    gas: hinted,
    note: `steady state, median hints quoted by \`quoteRootMedianHints\`: ${cap(hinted)}`,
  });
  rows.push({
    case: `setRootWeights ${label}`,
    gas: firstWeights,
    note: `${subnetCount} subnets, first write of the row`,
  });
  rows.push({
    case: `setRootWeights ${label}`,
    gas: overwriteWeights,
    note: `${subnetCount} subnets, overwriting the row`,
  });
  rows.push({ case: `registerRoot ${label}`, gas: lastRegister, note: "the last free slot" });
  rows.push({
    case: `registerRoot ${label}`,
    gas: replace,
    note: `full: scans ${memberCount} stakes, replaces the smallest`,
  });
  await connection.close();
}

const SIZES: (readonly [number, number])[] = [
  [16, 8],
  [64, 32],
  [64, 64],
  [64, 128],
  [64, 256],
];
const sizeArg = process.argv.indexOf("--size");
const sizes =
  sizeArg === -1 ? SIZES : [process.argv[sizeArg + 1].split(",").map(Number) as unknown as readonly [number, number]];
console.log(`\n| case | gas | note |\n|---|---:|---|`);
for (const [members, subnets] of sizes) {
  await measure(members, subnets);
  // Each case's rows as it ends: the larger cases take minutes.
  for (const r of rows.splice(0)) console.log(`| ${r.case} | ${r.gas.toLocaleString("en-US")} | ${r.note} |`);
}
