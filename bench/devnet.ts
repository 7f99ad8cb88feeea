/**
 * Devnet figures (issue #5): the wall time of an epoch with the devnet's defaults (4 validators, 16
 * miners, tempo 10 blocks of 2 s) on this machine, and how long the validators take within one: from
 * the epoch's start (the validator sees the new epoch and enqueues its evaluations) to its weights
 * committed on chain, and to its reveal. Runs `scripts/devnet.ts --epochs N` as a user would, times
 * the "Epoch N settled" lines as they arrive, then reads the validators' JSON logs of this run.
 *
 *   node bench/devnet.ts                 # 3 epochs paid by weights, defaults
 *   node bench/devnet.ts --epochs 5 -- --validators 2 --miners 8   # flags after -- go to the devnet
 */
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { freePort } from "../workers/shared/free-port.ts";

const { values, positionals } = parseArgs({
  options: { epochs: { type: "string", default: "3" } },
  allowPositionals: true,
});
const root = path.resolve(import.meta.dirname, "..");
const port = await freePort();
const benchStarted = Date.now();
const devnet = spawn(
  process.execPath,
  [path.join(root, "scripts/devnet.ts"), "--port", `${port}`, "--epochs", values.epochs, ...positionals],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
);
let workersAt = 0;
const settled: { epoch: bigint; at: number; byWeights: boolean }[] = [];
for await (const line of createInterface({ input: devnet.stdout })) {
  if (line.startsWith("Workers:")) workersAt = Date.now();
  const m = /^Epoch (\d+) settled at block (\d+) \((paid by weights|no weights)/.exec(line);
  if (m) {
    settled.push({ epoch: BigInt(m[1]!), at: Date.now(), byWeights: m[3] === "paid by weights" });
    process.stderr.write(`epoch ${m[1]} settled after ${((Date.now() - benchStarted) / 1000).toFixed(1)} s\n`);
  }
}
const code = await new Promise<number | null>((resolve) => devnet.once("close", resolve));
if (code !== 0) throw new Error(`the devnet exited with ${code}`);
const ended = Date.now();

// The validators' logs of this run: the epoch's evaluation start, its commit and its reveal.
type Line = { time: string; msg: string; epoch?: string };
const latency = { commit: [] as number[], reveal: [] as number[] };
const logs = path.join(root, ".devnet", "logs");
for (const file of (await readdir(logs)).filter((f) => f.startsWith("validator-"))) {
  const lines = (await readFile(path.join(logs, file), "utf8"))
    .split("\n")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Line];
      } catch {
        return [];
      }
    })
    .filter((l) => Date.parse(l.time) >= benchStarted);
  const at = (msg: string, epoch: string) => lines.find((l) => l.msg === msg && l.epoch === epoch);
  for (const start of lines.filter((l) => l.msg === "epoch evaluation started")) {
    const commit = at("weights committed", start.epoch!);
    const reveal = at("weights revealed", start.epoch!);
    if (commit) latency.commit.push(Date.parse(commit.time) - Date.parse(start.time));
    if (reveal) latency.reveal.push(Date.parse(reveal.time) - Date.parse(start.time));
  }
}
const intervals = settled.slice(1).map((s, i) => s.at - settled[i]!.at);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`| figure | value |\n|---|---:|`);
console.log(`| whole run (setup, ${settled.length} settled epochs, summary) | ${seconds(ended - benchStarted)} |`);
console.log(
  `| setup (chain, deployment, subnet, neurons) until the workers start | ${seconds(workersAt - benchStarted)} |`,
);
console.log(`| epoch wall time (between settlements), median of ${intervals.length} | ${seconds(median(intervals))} |`);
console.log(
  `| validator: epoch start to weights committed, median (max) of ${latency.commit.length} | ${seconds(median(latency.commit))} (${seconds(Math.max(...latency.commit))}) |`,
);
console.log(
  `| validator: epoch start to weights revealed (next epoch), median of ${latency.reveal.length} | ${seconds(median(latency.reveal))} |`,
);
