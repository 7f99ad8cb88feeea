import type { Hex } from "viem";
import { CliError, UsageError } from "../cli-error.ts";
import { parseCommand } from "../options.ts";
import { formatFields, formatTable, formatTao, formatU16 } from "../output.ts";
import { Session } from "../session.ts";
import { netuidOf, readMetagraph } from "./neuron.ts";
import { quoteSubnetMedianHints, settleCall } from "../../workers/shared/quote-median-hints.ts";
import type { TaonetClient } from "../../workers/shared/taonet-client.ts";
import { subnetWeightRows, WeightRowsError } from "../../workers/shared/weight-rows.ts";
import { TX_GAS_CAP } from "../../workers/shared/settle-when-due.ts";

export const USAGE = `usage: taonet epoch COMMAND

  status --netuid N   the epoch clock: current epoch, blocks until the next settlement, pending emission
  settle --netuid N   settle the due epoch (anyone may; the keeper tip goes to the sender, the coldkey)
  show --netuid N     the last settled epoch's results per UID`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "status":
      return status(rest);
    case "settle":
      return settle(rest);
    case "show":
      return show(rest);
    default:
      throw new UsageError(command ? `unknown command epoch ${command}\n\n${USAGE}` : USAGE);
  }
}

const NETUID = { netuid: { type: "string" } } as const;

async function requireSubnet(session: Session, netuid: bigint): Promise<void> {
  if (!(await session.read<boolean>("SubnetRegistry", "isActive", [netuid])))
    throw new CliError(`subnet ${netuid} does not exist or was dissolved`);
}

async function status(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, { options: NETUID, usage: "usage: taonet epoch status --netuid N" });
  const session = new Session(common);
  const netuid = netuidOf(values);
  await requireSubnet(session, netuid);
  const chain = await session.chain();
  const [block, clock, nextEpochBlock, lastEpochBlock, pendingEmission, progress] = await Promise.all([
    chain.client.getBlockNumber(),
    session.read<{ epochIndex: bigint; lastEpochBlock: bigint; settling: boolean }>("Weights", "epochClock", [netuid]),
    session.read<bigint>("YumaSettlement", "nextEpochBlock", [netuid]),
    session.read<bigint>("YumaSettlement", "lastEpochBlock", [netuid]),
    session.read<bigint>("YumaSettlement", "pendingEmission", [netuid]),
    session.read<readonly [number, bigint, bigint, bigint, bigint]>("YumaSettlement", "settlementProgress", [netuid]),
  ]);
  const blocksUntil = nextEpochBlock > block ? nextEpochBlock - block : 0n;
  const data = {
    netuid,
    block,
    epoch: clock.epochIndex,
    lastEpochBlock,
    nextEpochBlock,
    blocksUntilSettlement: blocksUntil,
    due: blocksUntil === 0n,
    settlementPhase: progress[0],
    pendingEmission,
  };
  session.print(data, () =>
    formatFields({
      subnet: netuid,
      block,
      epoch: clock.epochIndex,
      "last settled at block": lastEpochBlock,
      "next settlement at block": nextEpochBlock,
      "blocks until settlement": blocksUntil === 0n ? "0 (due: taonet epoch settle)" : blocksUntil,
      "settlement in progress": progress[0] === 0 ? "no" : `yes (phase ${progress[0]})`,
      "pending emission TAO": formatTao(pendingEmission),
    }),
  );
}

async function settle(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, { options: NETUID, usage: "usage: taonet epoch settle --netuid N" });
  const session = new Session(common);
  const netuid = netuidOf(values);
  await requireSubnet(session, netuid);
  const account = await session.coldkey();
  const epochBefore = await session.read<{ epochIndex: bigint }>("Weights", "epochClock", [netuid]);
  const chain = await session.chain();
  // The epoch's median hints, as the keeper sends them (docs/yuma.md, "Median hints"): they change
  // the gas, never the result; without them (the node refuses the quote) it settles all the same.
  const hints = await quoteSubnetMedianHints(chain, netuid, account).catch(() => undefined);
  // A large subnet settles in chunks: every call continues it until no settlement is open, each
  // with the weights rows built for it.
  for (let call = 0; call < 64; call++) {
    const { functionName, args } = settleCall(netuid, hints, await rowsOf(chain, netuid));
    await session.send(
      account,
      "YumaSettlement",
      functionName,
      args,
      call === 0 ? "settle" : `settle (continued ${call})`,
      // The cap, as the keeper sends it: only the gas used is paid, and a call given less would
      // stop early and leave the rest to another transaction.
      { gas: TX_GAS_CAP },
    );
    const [phase] = await session.read<readonly [number]>("YumaSettlement", "settlementProgress", [netuid]);
    if (phase === 0) break;
  }
  const epochAfter = await session.read<{ epochIndex: bigint }>("Weights", "epochClock", [netuid]);
  session.print(
    { netuid, epochBefore: epochBefore.epochIndex, epoch: epochAfter.epochIndex, medianHints: hints !== undefined },
    () =>
      `subnet ${netuid} settled${hints === undefined ? " (without median hints: the node refused the quote)" : ""}: ` +
      `now in epoch ${epochAfter.epochIndex}`,
  );
}

/**
 * The weights rows a settlement of `netuid` takes (docs/yuma.md, "Weights rows as calldata"), from
 * the rows' logs; a node that no longer serves a row's log (pruned history) is a clear error.
 */
async function rowsOf(chain: TaonetClient, netuid: bigint): Promise<Hex> {
  try {
    return await subnetWeightRows(chain, netuid);
  } catch (error) {
    if (error instanceof WeightRowsError)
      throw new CliError(`cannot rebuild the weights rows of subnet ${netuid}: ${error.message}`, { cause: error });
    throw error;
  }
}

async function show(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, { options: NETUID, usage: "usage: taonet epoch show --netuid N" });
  const session = new Session(common);
  const netuid = netuidOf(values);
  await requireSubnet(session, netuid);
  const [lastEpochBlock, lastRunGas] = await Promise.all([
    session.read<bigint>("YumaSettlement", "lastEpochBlock", [netuid]),
    session.read<bigint>("YumaSettlement", "lastRunGas", [netuid]),
  ]);
  const neurons = await readMetagraph(session, netuid);
  session.print({ netuid, lastEpochBlock, lastRunGas, neurons }, () =>
    [
      `Last settled epoch of subnet ${netuid}: block ${lastEpochBlock}, settlement gas ${lastRunGas}`,
      formatTable(
        neurons.map((n) => ({
          UID: n.uid,
          HOTKEY: n.hotkey,
          CONSENSUS: formatU16(n.consensus),
          INCENTIVE: formatU16(n.incentive),
          DIVIDENDS: formatU16(n.dividends),
          TRUST: formatU16(n.trust),
          VTRUST: formatU16(n.validatorTrust),
          "EMISSION TAO": (Number(n.emissionNano) / 1e9).toFixed(4),
        })),
      ),
    ].join("\n"),
  );
}
