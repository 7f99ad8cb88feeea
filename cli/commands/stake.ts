import { getAddress, type Address } from "viem";
import { CliError, UsageError } from "../cli-error.ts";
import { parseCommand, parseInteger } from "../options.ts";
import { formatTable, formatTao } from "../output.ts";
import { Session } from "../session.ts";
import { parseAmount } from "./wallet.ts";

export const USAGE = `usage: taonet stake COMMAND

  add --amount TAO [--hotkey-address ADDRESS]     stake from the coldkey to a hotkey (default: the wallet's
                                                  hotkey; any validator's hotkey to delegate)
  remove (--amount TAO | --all) [--hotkey-address ADDRESS]
                                                  unstake: queues a withdrawal (slashable until unbonded)
  withdraw [--id ID]                              complete the coldkey's due withdrawals (or one)
  list [ADDRESS]                                  stake positions and pending withdrawals of a coldkey
  take [show | set BPS] [--hotkey-address ADDRESS] the hotkey's validator take in basis points`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "add":
      return add(rest);
    case "remove":
      return remove(rest);
    case "withdraw":
      return withdraw(rest);
    case "list":
      return list(rest);
    case "take":
      return take(rest);
    default:
      throw new UsageError(command ? `unknown command stake ${command}\n\n${USAGE}` : USAGE);
  }
}

const HOTKEY_ADDRESS = { "hotkey-address": { type: "string" } } as const;

function targetHotkey(session: Session, values: Record<string, unknown>): Address {
  const given = values["hotkey-address"] as string | undefined;
  if (given === undefined) return session.hotkeyAddress();
  if (!/^0x[0-9a-fA-F]{40}$/.test(given)) throw new UsageError(`--hotkey-address ${given}: not an address`);
  return getAddress(given);
}

async function add(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { ...HOTKEY_ADDRESS, amount: { type: "string" } },
    usage: "usage: taonet stake add --amount TAO [--hotkey-address ADDRESS]",
  });
  if (values.amount === undefined) throw new UsageError("stake add needs --amount TAO");
  const session = new Session(common);
  const amount = parseAmount(values.amount as string);
  const hotkey = targetHotkey(session, values);
  const coldkey = await session.coldkey();
  await session.approve(coldkey, "Staking", amount);
  await session.send(coldkey, "Staking", "addStake", [hotkey, amount], "add stake");
  const stake = await session.read<bigint>("Staking", "stakeOf", [coldkey.address, hotkey]);
  session.print(
    { coldkey: coldkey.address, hotkey, added: amount, stake },
    () => `staked ${formatTao(amount)} TAO to ${hotkey}; position now ${formatTao(stake)} TAO`,
  );
}

type PoolTotals = { stakeAssets: bigint; stakeShares: bigint };

async function remove(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { ...HOTKEY_ADDRESS, amount: { type: "string" }, all: { type: "boolean" } },
    usage: "usage: taonet stake remove (--amount TAO | --all) [--hotkey-address ADDRESS]",
  });
  if ((values.amount === undefined) === (values.all !== true))
    throw new UsageError("stake remove needs --amount TAO or --all");
  const session = new Session(common);
  const hotkey = targetHotkey(session, values);
  const coldkey = await session.coldkey();
  const owned = await session.read<bigint>("Staking", "sharesOf", [coldkey.address, hotkey]);
  let shares = owned;
  if (!values.all) {
    const amount = parseAmount(values.amount as string);
    const pool = await session.read<PoolTotals>("Staking", "poolTotals", [hotkey]);
    // Shares for `amount`, rounded up so the withdrawal is at least what was asked for.
    shares = pool.stakeAssets === 0n ? 0n : (amount * pool.stakeShares + pool.stakeAssets - 1n) / pool.stakeAssets;
    if (shares > owned) {
      const stake = await session.read<bigint>("Staking", "stakeOf", [coldkey.address, hotkey]);
      throw new CliError(
        `insufficient stake: ${coldkey.address} has ${formatTao(stake)} TAO staked to ${hotkey}, asked ${formatTao(amount)} TAO`,
      );
    }
  }
  if (shares === 0n) throw new CliError(`${coldkey.address} has no stake on ${hotkey}`);
  await session.send(coldkey, "Staking", "removeStake", [hotkey, shares], "remove stake");
  const pending = await session.read<PendingWithdrawal[]>("Staking", "pendingWithdrawalsOf", [coldkey.address]);
  const latest = pending.reduce<PendingWithdrawal | undefined>((a, b) => (a && a.id > b.id ? a : b), undefined);
  session.print({ coldkey: coldkey.address, hotkey, shares, withdrawal: latest }, () =>
    latest
      ? `withdrawal ${latest.id} queued: ${formatTao(latest.assets)} TAO, completable at ${new Date(Number(latest.completableAt) * 1000).toISOString()} (taonet stake withdraw)`
      : "withdrawal queued",
  );
}

type PendingWithdrawal = {
  id: bigint;
  hotkey: Address;
  completableAt: bigint;
  unbondingShares: bigint;
  assets: bigint;
};

async function withdraw(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { id: { type: "string" } },
    usage: "usage: taonet stake withdraw [--id ID]",
  });
  const session = new Session(common);
  const coldkey = await session.coldkey();
  const chain = await session.chain();
  const now = (await chain.client.getBlock()).timestamp;
  const pending = await session.read<PendingWithdrawal[]>("Staking", "pendingWithdrawalsOf", [coldkey.address]);
  const wanted = values.id === undefined ? undefined : parseInteger(values.id as string, "--id");
  const candidates = pending.filter((w) => wanted === undefined || w.id === wanted);
  if (wanted !== undefined && candidates.length === 0)
    throw new CliError(`no pending withdrawal ${wanted} of ${coldkey.address}`);
  const due = candidates.filter((w) => w.completableAt <= now);
  if (due.length === 0) {
    const next = candidates.reduce<bigint | undefined>(
      (m, w) => (m === undefined || w.completableAt < m ? w.completableAt : m),
      undefined,
    );
    throw new CliError(
      next === undefined
        ? `${coldkey.address} has no pending withdrawals`
        : `no withdrawal is due yet: the next one is completable at ${new Date(Number(next) * 1000).toISOString()} (chain time ${new Date(Number(now) * 1000).toISOString()})`,
    );
  }
  let total = 0n;
  for (const w of due) {
    await session.send(coldkey, "Staking", "completeWithdrawal", [w.id], `complete withdrawal ${w.id}`);
    total += w.assets;
  }
  session.print(
    { completed: due.map((w) => w.id), assets: total },
    () => `completed ${due.length} withdrawal(s): ${formatTao(total)} TAO`,
  );
}

async function list(argv: readonly string[]): Promise<void> {
  const { positionals, common } = parseCommand(argv, {
    positionals: ["ADDRESS"],
    optional: 1,
    usage: "usage: taonet stake list [ADDRESS] (default: the wallet's coldkey)",
  });
  const session = new Session(common);
  const coldkey = positionals[0] ? getAddress(positionals[0]) : session.coldkeyAddress();
  const chain = await session.chain();
  const now = (await chain.client.getBlock()).timestamp;
  const positions = await session.read<{ hotkey: Address; shares: bigint; assets: bigint }[]>(
    "Staking",
    "positionsOf",
    [coldkey],
  );
  const pending = await session.read<PendingWithdrawal[]>("Staking", "pendingWithdrawalsOf", [coldkey]);
  session.print({ coldkey, positions, pendingWithdrawals: pending }, () =>
    [
      `Stake of ${coldkey}:`,
      formatTable(positions.map((p) => ({ HOTKEY: p.hotkey, "STAKE TAO": formatTao(p.assets), SHARES: p.shares }))),
      "",
      "Pending withdrawals:",
      formatTable(
        pending.map((w) => ({
          ID: w.id,
          HOTKEY: w.hotkey,
          TAO: formatTao(w.assets),
          "COMPLETABLE AT": new Date(Number(w.completableAt) * 1000).toISOString(),
          DUE: w.completableAt <= now ? "yes" : "no",
        })),
      ),
    ].join("\n"),
  );
}

async function take(argv: readonly string[]): Promise<void> {
  const { values, positionals, common } = parseCommand(argv, {
    options: HOTKEY_ADDRESS,
    positionals: ["ACTION", "BPS"],
    optional: 2,
    usage: "usage: taonet stake take [show | set BPS] [--hotkey-address ADDRESS]",
  });
  const session = new Session(common);
  const hotkey = targetHotkey(session, values);
  const action = positionals[0] ?? "show";
  if (action === "set") {
    const bps = parseInteger(positionals[1], "BPS");
    const coldkey = await session.coldkey();
    await session.send(coldkey, "Staking", "setTake", [hotkey, Number(bps)], "set take");
  } else if (action !== "show" || positionals[1] !== undefined) {
    throw new UsageError("usage: taonet stake take [show | set BPS]");
  }
  const info = await session.read<{ coldkey: Address; takeBps: number; lastTakeIncrease: bigint }>(
    "Staking",
    "hotkeyInfo",
    [hotkey],
  );
  if (info.coldkey === "0x0000000000000000000000000000000000000000")
    throw new CliError(`hotkey ${hotkey} is not bound to a coldkey`);
  session.print(
    { hotkey, coldkey: info.coldkey, takeBps: info.takeBps },
    () => `take of ${hotkey}: ${info.takeBps} bps (${(info.takeBps / 100).toFixed(2)}%)`,
  );
}
