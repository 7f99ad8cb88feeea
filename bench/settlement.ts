/**
 * Gas of epoch settlement, on the in-process OP-Stack chain with the production Ignition module.
 * Every validator weights every UID. Prints a Markdown table (docs/yuma.md records it; the weights
 * figures are in bench/weights.ts).
 *
 * Each settlement is sent in transactions of at most 16,777,216 gas (EIP-7825's cap) until the
 * epoch is settled; a row gives the total and, when it took several, the largest transaction.
 *
 *   npm run bench:settlement            # all sizes, up to (1024, 128)
 *   npm run bench:settlement -- --quick # (16, 4) and (64, 16) only
 *   npm run bench:settlement -- --size 256,64 --liquid off
 */
import { parseArgs } from "node:util";
import hre from "hardhat";
import { maxUint256, parseEther, type Hash, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { benchChain, bindBenchHotkey, SHORT_TEMPO } from "./chain.ts";
import { Hyperparameter as H } from "../workers/shared/hyperparameter.ts";
import { settleWhenDue, TX_GAS_CAP } from "../workers/shared/settle-when-due.ts";
import { QUOTE_GAS, quoteMedianHints } from "../workers/shared/quote-median-hints.ts";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    // One size only, e.g. `--size 256,64`; `--liquid on|off` keeps one liquid-alpha setting.
    size: { type: "string" },
    liquid: { type: "string" },
  },
});
await hre.tasks.getTask("build").run({ quiet: true });

type Row = { case: string; gas: bigint; note: string };
const settlementRows: Row[] = [];
const profileRows: Row[] = [];
/** `SettlementStorage.Phase`; a transaction that finds no open run starts one (Idle). */
const PHASES = ["open + Gather", "Gather", "Rank", "RowSums", "Consensus", "Bonds", "Finalize", "Pay"];

async function setup(n: number, k: number, liquidAlpha: boolean) {
  const chain = await benchChain(SHORT_TEMPO);
  const { connection, c, deployer, owner, publicClient, networkHelpers, provider, weightRows } = chain;
  const lock = await c.subnetRegistry.read.lockCost();
  await c.tao.write.approve([c.subnetRegistry.address, lock], { account: owner.account });
  await c.subnetRegistry.write.createSubnet([lock, { name: "bench", repository: "", description: "" }], {
    account: owner.account,
  });
  const netuid = await c.subnetRegistry.read.lastNetuid();
  for (const [p, v] of [
    [H.MaxAllowedUids, BigInt(Math.max(n, 64))],
    [H.MaxAllowedValidators, BigInt(k)],
    [H.TargetRegistrationsPerInterval, 4096n],
    [H.MaxBurn, parseEther("0.1")],
    [H.CommitRevealEnabled, 0n],
    [H.WeightsRateLimit, 0n],
    [H.ActivityCutoff, 100_000n],
    [H.LiquidAlphaEnabled, liquidAlpha ? 1n : 0n],
  ] as const) {
    await c.subnetRegistry.write.setHyperparameter([netuid, p, v], { account: owner.account });
  }
  await c.tao.write.approve([c.neuronRegistry.address, maxUint256], { account: deployer.account });
  await c.tao.write.approve([c.staking.address, maxUint256], { account: deployer.account });
  const hotkeys: PrivateKeyAccount[] = [];
  for (let uid = 0; uid < n; uid++) {
    const hotkey = await bindBenchHotkey(chain, uid);
    await c.neuronRegistry.write.registerNeuron([netuid, hotkey.address, maxUint256], {
      account: deployer.account,
      gas: 5_000_000n,
    });
    hotkeys.push(hotkey);
  }
  for (let uid = 0; uid < k; uid++) {
    await c.staking.write.addStake([hotkeys[uid].address, parseEther(String(100 + uid))], {
      account: deployer.account,
    });
  }
  /**
   * Settles the due epoch in transactions of at most `limit` gas (the 16,777,216 cap by default),
   * with median hints (`settleWithHints`, quoted once before the epoch opens) when `hinted`: the gas
   * of each, and the phase each started in.
   */
  const settle = async (limit = TX_GAS_CAP, phases: number[] = [], hinted = false): Promise<bigint[]> => {
    let hints: Hex | undefined;
    const openPhase = async () => (await c.yumaSettlement.read.settlementProgress([netuid]))[0];
    return settleWhenDue(
      {
        nextEpochBlock: () => c.yumaSettlement.read.nextEpochBlock([netuid]),
        blockNumber: () => publicClient.getBlockNumber(),
        advance: async (blocks) => {
          for (let b = 0; b < blocks; b++) await provider.request({ method: "evm_mine", params: [] });
        },
        settle: async (gas) => {
          const phase = await openPhase();
          phases.push(phase);
          if (phase === 0) {
            // The epoch opens a minute after the previous block: every paid epoch mints the same,
            // so the figures do not depend on how fast the machine mines.
            const latest = await publicClient.getBlock();
            await networkHelpers.time.setNextBlockTimestamp(latest.timestamp + 60n);
          }
          // The weights rows, built for this transaction as a keeper builds them.
          const rows = await weightRows(netuid);
          let hash: Hash;
          if (hinted) {
            // Quoted once per epoch, before it opens: every transaction of the run takes the same.
            if (phase === 0 || hints === undefined) {
              // Every segment of the rows, as the keeper quotes (the quote runs the phases in one call).
              const all = await weightRows(netuid, Number.POSITIVE_INFINITY);
              hints = await quoteMedianHints({
                // With the keeper daemon's gas for the call (geth's default RPC call gas cap).
                simulate: () => c.yumaSettlement.simulate.quoteMedianHints([netuid, all], { gas: QUOTE_GAS }),
              });
            }
            hash = await c.yumaSettlement.write.settleWithHints([netuid, hints, rows], { gas });
          } else {
            hash = await c.yumaSettlement.write.settle([netuid, rows], { gas });
          }
          return publicClient.waitForTransactionReceipt({ hash });
        },
        openPhase,
      },
      { gas: limit },
    );
  };
  const uids = Array.from({ length: n }, (_, i) => i);
  const values = uids.map((i) => 1 + ((i * 7919) % 65535));
  const setAllWeights = async () => {
    for (let v = 0; v < k; v++) {
      await c.weights.write.setWeights([netuid, uids, values, 0n], { account: hotkeys[v], gas: 30_000_000n });
    }
  };
  return { connection, c, netuid, hotkeys, settle, setAllWeights, uids, values, publicClient, owner };
}

async function measureSettlement(n: number, k: number, liquidAlpha: boolean) {
  const s = await setup(n, k, liquidAlpha);
  await s.settle(); // permits
  await s.setAllWeights();
  const first = await s.settle(); // first epoch with weights: bonds written from zero, first credits
  // Bonds already written. The epoch after the first is settled once before the one measured: a run
  // keeps its scratch in transient storage when its forecast (the last run's gas) fits the call, and
  // the first epoch's is not that of a steady one.
  const afterFirst = await s.settle();
  const steady = await s.settle();
  // The same, with median hints. Not at 1024 UIDs: the quote is an eth_call of some hundreds of
  // millions of gas, for which the in-process chain's call (which keeps a trace of every step for its
  // revert) ran out of this machine's 24 GB; an RPC node's eth_call keeps no such trace.
  const hinted = n <= 256 ? await s.settle(TX_GAS_CAP, [], true) : undefined;
  const label = `(${n}, ${k})${liquidAlpha ? " liquid alpha" : ""}`;
  const describe = (txs: bigint[]) => {
    const max = txs.reduce((a, b) => (a > b ? a : b));
    return txs.length === 1
      ? "one transaction"
      : `${txs.length} transactions, the largest ${max.toLocaleString("en-US")}`;
  };
  const total = (txs: bigint[]) => txs.reduce((a, b) => a + b);
  settlementRows.push({ case: label, gas: total(first), note: `first epoch with weights: ${describe(first)}` });
  settlementRows.push({ case: label, gas: total(steady), note: `steady state: ${describe(steady)}` });
  settlementRows.push({
    case: label,
    gas: total(afterFirst),
    note: `the epoch after the first (forecast from it): ${describe(afterFirst)}`,
  });
  if (hinted) {
    settlementRows.push({
      case: label,
      gas: total(hinted),
      note: `steady state, median hints (\`settleWithHints\`): ${describe(hinted)}`,
    });
  }
  if (n === 256 && !liquidAlpha) {
    // The work itself: a steady-state epoch in one transaction without the cap (not a transaction
    // any chain that enforces EIP-7825 accepts; the in-process chain does not enforce it). The capped
    // epochs before ran in several transactions and stored their bonds rows; an epoch run in one
    // transaction logs them, and the next takes them as calldata: one such epoch first.
    await s.settle(1_000_000_000n);
    const [one] = await s.settle(1_000_000_000n);
    profileRows.push({ case: `(${n}, ${k})`, gas: one!, note: "steady state, one uncapped transaction" });
    const [oneHinted] = await s.settle(1_000_000_000n, [], true);
    profileRows.push({
      case: `(${n}, ${k})`,
      gas: oneHinted!,
      note: "steady state with median hints, one uncapped transaction",
    });
    // Where a steady-state epoch's gas goes: settled again in small transactions, each charged to
    // the phase it started in (a transaction may run into the next phase: a rough breakdown).
    const phases: number[] = [];
    const txs = await s.settle(6_000_000n, phases);
    const byPhase = new Map<number, bigint>();
    txs.forEach((g, i) => byPhase.set(phases[i]!, (byPhase.get(phases[i]!) ?? 0n) + g));
    for (const [phase, gas] of byPhase) {
      profileRows.push({ case: `(${n}, ${k}) ${PHASES[phase]}`, gas, note: `${txs.length} transactions in all` });
    }
  }
  await s.connection.close();
}

/** Bad flags: one line on stderr and exit status 2. */
function usage(message: string): never {
  console.error(`bench:settlement: ${message}`);
  process.exit(2);
}
/** `--size N,K`: N UIDs and K validators, positive integers with K <= N. */
function parseSize(text: string): [number, number] {
  const [n, k, ...rest] = text.split(",").map(Number);
  if (rest.length || !Number.isInteger(n) || !Number.isInteger(k) || k! < 1 || n! < k!) {
    usage(`--size ${text}: expected N,K with 1 <= K <= N, as in --size 256,64`);
  }
  return [n!, k!];
}
if (flags.liquid !== undefined && flags.liquid !== "on" && flags.liquid !== "off") {
  usage(`--liquid ${flags.liquid}: expected on or off`);
}

const sizes: [number, number][] = flags.size
  ? [parseSize(flags.size)]
  : flags.quick
    ? [
        [16, 4],
        [64, 16],
      ]
    : [
        [16, 4],
        [64, 16],
        [256, 64],
        [1024, 128],
      ];
for (const [n, k] of sizes) {
  for (const liquidAlpha of flags.liquid === undefined ? [false, true] : [flags.liquid === "on"]) {
    const first = settlementRows.length;
    try {
      await measureSettlement(n, k, liquidAlpha);
    } catch (error) {
      // A case that fails is reported in the table, and the others still run.
      const reason =
        String(error)
          .split("\n")
          .find((l) => l.includes("Details")) ?? String(error).split("\n")[0];
      settlementRows.push({
        case: `(${n}, ${k})${liquidAlpha ? " liquid alpha" : ""}`,
        gas: 0n,
        note: `FAILED: ${reason}`,
      });
    }
    // As each case ends: a later case that fails does not lose them.
    for (const row of settlementRows.slice(first)) console.error(`| ${row.case} | ${row.gas} | ${row.note} |`);
  }
}
const print = (title: string, rows: Row[]) => {
  console.log(`\n${title}\n\n| case | gas | note |\n|---|---:|---|`);
  for (const r of rows) console.log(`| ${r.case} | ${r.gas.toLocaleString("en-US")} | ${r.note} |`);
};
print("Settlement (every validator weights every UID)", settlementRows);
if (profileRows.length)
  print("Steady-state (256, 64): one uncapped transaction, and by phase (transactions of 6,000,000 gas)", profileRows);
