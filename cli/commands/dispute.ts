import { existsSync, readFileSync } from "node:fs";
import { getAddress, keccak256, parseEther, parseEventLogs, type Address } from "viem";
import { CliError, UsageError } from "../cli-error.ts";
import { parseCommand, parseInteger } from "../options.ts";
import { formatFields, formatTao } from "../output.ts";
import { Session } from "../session.ts";
import { parseAmount } from "./wallet.ts";

export const USAGE = `usage: taonet dispute COMMAND

  open --hotkey-address ADDRESS --evidence FILE --evidence-uri URI [--bond TAO]
                        open a dispute against a hotkey (a copied model, a falsified evaluation):
                        the bond (default: the minimum) is pulled from the coldkey; the evidence
                        file's keccak256 is recorded with the URI where it is published
  show ID               a dispute: reporter, hotkey, bond, deadline, status, evidence
  resolve ID (--accept FRACTION | --reject)
                        the arbitrator's decision: slash FRACTION (e.g. 0.05) of the hotkey's
                        stake, or reject (the bond is burned)`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "open":
      return open(rest);
    case "show":
      return show(rest);
    case "resolve":
      return resolve(rest);
    default:
      throw new UsageError(command ? `unknown command dispute ${command}\n\n${USAGE}` : USAGE);
  }
}

const STATUS = ["none", "open", "accepted", "rejected", "expired"];

type Dispute = {
  reporter: Address;
  hotkey: Address;
  deadline: bigint;
  status: number;
  bond: bigint;
  evidenceHash: `0x${string}`;
  evidenceUri: string;
};

async function open(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: {
      "hotkey-address": { type: "string" },
      evidence: { type: "string" },
      "evidence-uri": { type: "string" },
      bond: { type: "string" },
    },
    usage: "usage: taonet dispute open --hotkey-address ADDRESS --evidence FILE --evidence-uri URI [--bond TAO]",
  });
  if (!values["hotkey-address"] || !values.evidence || !values["evidence-uri"])
    throw new UsageError("dispute open needs --hotkey-address, --evidence FILE and --evidence-uri URI");
  const evidence = values.evidence as string;
  if (!existsSync(evidence)) throw new CliError(`no evidence file ${evidence}`);
  const session = new Session(common);
  const hotkey = getAddress(values["hotkey-address"] as string);
  const minimum = await session.read<bigint>("Slashing", "minDisputeBond");
  const bond = values.bond === undefined ? minimum : parseAmount(values.bond as string);
  const coldkey = await session.coldkey();
  await session.approve(coldkey, "Slashing", bond);
  const sent = await session.send(
    coldkey,
    "Slashing",
    "openDispute",
    [hotkey, bond, keccak256(readFileSync(evidence)), values["evidence-uri"]],
    "open dispute",
  );
  const chain = await session.chain();
  const [opened] = parseEventLogs({
    abi: chain.contracts.Slashing.abi,
    logs: sent.receipt.logs,
    eventName: "DisputeOpened",
  }) as unknown as {
    args: { id: bigint; deadline: bigint };
  }[];
  session.print(
    { id: opened?.args.id, hotkey, bond, deadline: opened?.args.deadline },
    () =>
      `dispute ${opened?.args.id} opened against ${hotkey} (bond ${formatTao(bond)} TAO; decided by ${new Date(Number(opened?.args.deadline ?? 0n) * 1000).toISOString()})`,
  );
}

async function show(argv: readonly string[]): Promise<void> {
  const { positionals, common } = parseCommand(argv, { positionals: ["ID"], usage: "usage: taonet dispute show ID" });
  const session = new Session(common);
  const id = parseInteger(positionals[0], "ID");
  const dispute = await session.read<Dispute>("Slashing", "dispute", [id]);
  if (dispute.status === 0) throw new CliError(`no dispute ${id}`);
  session.print({ id, ...dispute, status: STATUS[dispute.status] }, () =>
    formatFields({
      dispute: id,
      status: STATUS[dispute.status],
      hotkey: dispute.hotkey,
      reporter: dispute.reporter,
      "bond TAO": formatTao(dispute.bond),
      deadline: new Date(Number(dispute.deadline) * 1000).toISOString(),
      "evidence keccak256": dispute.evidenceHash,
      "evidence URI": dispute.evidenceUri,
    }),
  );
}

async function resolve(argv: readonly string[]): Promise<void> {
  const { values, positionals, common } = parseCommand(argv, {
    options: { accept: { type: "string" }, reject: { type: "boolean" } },
    positionals: ["ID"],
    usage: "usage: taonet dispute resolve ID (--accept FRACTION | --reject)   (the arbitrator's coldkey)",
  });
  if ((values.accept === undefined) === (values.reject !== true))
    throw new UsageError("dispute resolve needs --accept FRACTION or --reject");
  const session = new Session(common);
  const id = parseInteger(positionals[0], "ID");
  const account = await session.coldkey();
  if (values.reject) {
    await session.send(account, "Slashing", "rejectDispute", [id], "reject dispute");
  } else {
    const text = values.accept as string;
    if (!/^(0(\.\d{1,18})?|1(\.0+)?)$/.test(text)) throw new UsageError(`--accept ${text}: a fraction between 0 and 1`);
    await session.send(account, "Slashing", "acceptDispute", [id, parseEther(text)], "accept dispute");
  }
  const dispute = await session.read<Dispute>("Slashing", "dispute", [id]);
  session.print({ id, status: STATUS[dispute.status] }, () => `dispute ${id}: ${STATUS[dispute.status]}`);
}
