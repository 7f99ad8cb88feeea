import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { commitHashOf } from "../../workers/validator/commit-reveal.ts";
import { Hyperparameter } from "../../workers/shared/hyperparameter.ts";
import { CliError, UsageError } from "../cli-error.ts";
import { parseCommand } from "../options.ts";
import { formatTable } from "../output.ts";
import { describeError, Session } from "../session.ts";
import { netuidOf } from "./neuron.ts";

export const USAGE = `usage: taonet weights COMMAND

  commit --netuid N --weights UID:W,UID:W,...   the hotkey's weights: a commit (salt and values kept in
                                                the wallet's commits/ folder) where commit-reveal is on,
                                                else set directly. W are relative (scaled to u16, max 65535)
  reveal --netuid N                             reveal the kept commits whose reveal window is open
  status --netuid N                             the hotkey's pending commits and their reveal epochs`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "commit":
      return commit(rest);
    case "reveal":
      return reveal(rest);
    case "status":
      return status(rest);
    default:
      throw new UsageError(command ? `unknown command weights ${command}\n\n${USAGE}` : USAGE);
  }
}

/** What `reveal` needs, written before the commit is sent. */
type KeptCommit = {
  chainId: number;
  netuid: string;
  hotkey: `0x${string}`;
  epoch: string;
  uids: number[];
  values: number[];
  salt: `0x${string}`;
  versionKey: string;
  hash: `0x${string}`;
  revealed?: `0x${string}`;
};

/** `0:1,3:2.5` as u16 values by UID, the largest scaled to 65535 (subtensor's max-upscaling). */
export function parseWeights(text: string): { uids: number[]; values: number[] } {
  const entries = text.split(",").map((pair) => {
    const match = /^\s*(\d+)\s*:\s*(\d+(\.\d+)?)\s*$/.exec(pair);
    if (!match) throw new UsageError(`--weights: "${pair}" is not UID:WEIGHT`);
    return { uid: Number(match[1]), weight: Number(match[2]) };
  });
  const uids = entries.map((e) => e.uid);
  if (new Set(uids).size !== uids.length) throw new UsageError("--weights: a UID appears twice");
  const max = Math.max(...entries.map((e) => e.weight));
  if (!(max > 0)) throw new UsageError("--weights: at least one weight must be positive");
  const kept = entries.filter((e) => e.weight > 0).sort((a, b) => a.uid - b.uid);
  return { uids: kept.map((e) => e.uid), values: kept.map((e) => Math.round((e.weight / max) * 65535)) };
}

function commitDir(session: Session): string {
  return path.join(session.common.walletDir, session.common.wallet, "commits");
}

function keptCommits(
  session: Session,
  chainId: number,
  netuid: bigint,
  hotkey: string,
): { file: string; record: KeptCommit }[] {
  const dir = commitDir(session);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({
      file: path.join(dir, f),
      record: JSON.parse(readFileSync(path.join(dir, f), "utf8")) as KeptCommit,
    }))
    .filter(
      ({ record }) =>
        record.chainId === chainId &&
        record.netuid === netuid.toString() &&
        record.hotkey.toLowerCase() === hotkey.toLowerCase(),
    );
}

async function commit(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { netuid: { type: "string" }, weights: { type: "string" } },
    usage: "usage: taonet weights commit --netuid N --weights UID:W,UID:W,...",
  });
  if (!values.weights) throw new UsageError("weights commit needs --weights UID:W,...");
  const session = new Session(common);
  const netuid = netuidOf(values);
  const { uids, values: u16 } = parseWeights(values.weights as string);
  const chain = await session.chain();
  const hotkey = await session.hotkey();
  const [commitReveal, versionKey] = await Promise.all([
    session.read<bigint>("SubnetRegistry", "hyperparameter", [netuid, Hyperparameter.CommitRevealEnabled]),
    session.read<bigint>("SubnetRegistry", "hyperparameter", [netuid, Hyperparameter.WeightsVersionKey]),
  ]);
  if (commitReveal === 0n) {
    await session.send(hotkey, "Weights", "setWeights", [netuid, uids, u16, versionKey], "set weights");
    session.print(
      { netuid, hotkey: hotkey.address, uids, values: u16, committed: false },
      () => `weights set directly (subnet ${netuid} has commit-reveal off)`,
    );
    return;
  }
  const salt = `0x${randomBytes(32).toString("hex")}` as const;
  const hash = commitHashOf({
    chainId: chain.chainId,
    weights: chain.contracts.Weights.address,
    netuid,
    hotkey: hotkey.address,
    uids,
    values: u16,
    salt,
    versionKey,
  });
  const epoch = await session.read<bigint>("Weights", "currentEpoch", [netuid]);
  const record: KeptCommit = {
    chainId: chain.chainId,
    netuid: netuid.toString(),
    hotkey: hotkey.address,
    epoch: epoch.toString(),
    uids,
    values: u16,
    salt,
    versionKey: versionKey.toString(),
    hash,
  };
  try {
    await chain.client.simulateContract({
      ...chain.contracts.Weights,
      functionName: "commitWeights",
      args: [netuid, hash],
      account: hotkey,
    } as never);
  } catch (error) {
    throw new CliError(`commit weights reverted: ${describeError(error)}`);
  }
  // Kept before the commit is sent: a commit whose salt is lost can never be revealed (and is slashable).
  mkdirSync(commitDir(session), { recursive: true, mode: 0o700 });
  const file = path.join(commitDir(session), `${chain.chainId}-${netuid}-${hash}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await session.send(hotkey, "Weights", "commitWeights", [netuid, hash], "commit weights");
  const revealPeriod = await session.read<bigint>("SubnetRegistry", "hyperparameter", [
    netuid,
    Hyperparameter.RevealPeriod,
  ]);
  session.print(
    { netuid, hotkey: hotkey.address, hash, epoch, revealEpoch: epoch + revealPeriod, uids, values: u16, file },
    () =>
      `committed ${hash} in epoch ${epoch}: reveal in epoch ${epoch + revealPeriod} with taonet weights reveal --netuid ${netuid} (salt kept in ${file})`,
  );
}

async function reveal(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { netuid: { type: "string" } },
    usage: "usage: taonet weights reveal --netuid N",
  });
  const session = new Session(common);
  const netuid = netuidOf(values);
  const chain = await session.chain();
  const hotkey = await session.hotkey();
  const pending = await session.read<{ commitHash: `0x${string}`; epoch: bigint }[]>("Weights", "pendingCommits", [
    netuid,
    hotkey.address,
  ]);
  const onChain = new Set(pending.map((c) => c.commitHash.toLowerCase()));
  const kept = keptCommits(session, chain.chainId, netuid, hotkey.address).filter(
    ({ record }) => !record.revealed && onChain.has(record.hash.toLowerCase()),
  );
  if (kept.length === 0)
    throw new CliError(`no pending commit of ${hotkey.address} in subnet ${netuid} with a kept salt to reveal`);
  const revealed: string[] = [];
  const waiting: { hash: string; reason: string }[] = [];
  for (const { file, record } of kept) {
    const args = [netuid, record.uids, record.values, record.salt, BigInt(record.versionKey)];
    try {
      await chain.client.simulateContract({
        ...chain.contracts.Weights,
        functionName: "revealWeights",
        args,
        account: hotkey,
      } as never);
    } catch (error) {
      waiting.push({ hash: record.hash, reason: describeError(error) });
      continue;
    }
    const sent = await session.send(hotkey, "Weights", "revealWeights", args, "reveal weights");
    writeFileSync(file, `${JSON.stringify({ ...record, revealed: sent.hash }, null, 2)}\n`, { mode: 0o600 });
    revealed.push(record.hash);
  }
  session.print({ netuid, revealed, waiting }, () =>
    [...revealed.map((h) => `revealed ${h}`), ...waiting.map((w) => `not revealable now: ${w.hash}: ${w.reason}`)].join(
      "\n",
    ),
  );
  if (revealed.length === 0) throw new CliError(`nothing revealed: ${waiting.map((w) => w.reason).join("; ")}`);
}

async function status(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { netuid: { type: "string" }, "hotkey-address": { type: "string" } },
    usage: "usage: taonet weights status --netuid N [--hotkey-address ADDRESS]",
  });
  const session = new Session(common);
  const netuid = netuidOf(values);
  const chain = await session.chain();
  const hotkey = (values["hotkey-address"] as `0x${string}` | undefined) ?? session.hotkeyAddress();
  const [pending, current, revealPeriod, tempo, nextEpochBlock, block] = await Promise.all([
    session.read<{ commitHash: `0x${string}`; epoch: bigint; blockNumber: bigint }[]>("Weights", "pendingCommits", [
      netuid,
      hotkey,
    ]),
    session.read<bigint>("Weights", "currentEpoch", [netuid]),
    session.read<bigint>("SubnetRegistry", "hyperparameter", [netuid, Hyperparameter.RevealPeriod]),
    session.read<bigint>("SubnetRegistry", "hyperparameter", [netuid, Hyperparameter.Tempo]),
    session.read<bigint>("YumaSettlement", "nextEpochBlock", [netuid]),
    chain.client.getBlockNumber(),
  ]);
  const kept = new Set(
    keptCommits(session, chain.chainId, netuid, hotkey).map(({ record }) => record.hash.toLowerCase()),
  );
  const commits = pending.map((c) => {
    const revealEpoch = c.epoch + revealPeriod;
    const state = current < revealEpoch ? "waiting" : current === revealEpoch ? "reveal now" : "expired";
    // The reveal epoch starts when the epoch before it is settled: about `tempo` blocks per epoch from the next one.
    const opensInBlocks =
      current < revealEpoch
        ? (nextEpochBlock > block ? nextEpochBlock - block : 0n) + (revealEpoch - current - 1n) * tempo
        : 0n;
    return {
      hash: c.commitHash,
      commitEpoch: c.epoch,
      commitBlock: c.blockNumber,
      revealEpoch,
      state,
      opensInBlocks,
      saltKept: kept.has(c.commitHash.toLowerCase()),
    };
  });
  session.print({ netuid, hotkey, currentEpoch: current, block, commits }, () =>
    [
      `Commits of ${hotkey} in subnet ${netuid} (current epoch ${current}, block ${block}, reveal period ${revealPeriod}):`,
      formatTable(
        commits.map((c) => ({
          HASH: c.hash,
          "COMMIT EPOCH": c.commitEpoch,
          "REVEAL EPOCH": c.revealEpoch,
          STATE: c.state,
          "OPENS IN ~BLOCKS": c.state === "waiting" ? c.opensInBlocks : "",
          "SALT KEPT": c.saltKept ? "yes" : "no",
        })),
      ),
    ].join("\n"),
  );
}
