import { parseEventLogs, type Address } from "viem";
import { Hyperparameter, type HyperparameterName } from "../../workers/shared/hyperparameter.ts";
import { CliError, HelpShown, UsageError } from "../cli-error.ts";
import { parseCommand, parseInteger } from "../options.ts";
import { formatTable, formatTao, formatWadPercent } from "../output.ts";
import { Session } from "../session.ts";
import { parseAmount } from "./wallet.ts";

export const USAGE = `usage: taonet subnet COMMAND

  create --name NAME [--repository URL] [--description TEXT] [--max-lock-cost TAO]
                                   create a subnet owned by the wallet's coldkey (shows the lock cost, asks)
  list                             active subnets with their emission shares
  show NETUID                      one subnet: owner, lock, neurons, burn price, hyperparameters
  hyperparameters get NETUID [NAME]
  hyperparameters set NETUID NAME VALUE
                                   read or set (as the owner) a hyperparameter; NAME as in
                                   \`show\` (tempo, kappa, commitRevealEnabled, ...); booleans true/false
  dissolve NETUID                  dissolve the wallet's subnet (its lock is returned; asks)`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "create":
      return create(rest);
    case "list":
      return list(rest);
    case "show":
      return show(rest);
    case "hyperparameters":
    case "hparams":
      return hyperparameters(rest);
    case "dissolve":
      return dissolve(rest);
    default:
      throw new UsageError(command ? `unknown command subnet ${command}\n\n${USAGE}` : USAGE);
  }
}

type SubnetInfo = {
  netuid: bigint;
  subnet: { owner: Address; active: boolean; lockedAmount: bigint; lastEpochEmission: bigint; createdAtBlock: bigint };
  metadata: { name: string; repository: string; description: string };
  hyperparameters: Record<string, bigint | boolean>;
  neuronCount: bigint;
  burnPrice: bigint;
};

async function create(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: {
      name: { type: "string" },
      repository: { type: "string" },
      description: { type: "string" },
      "max-lock-cost": { type: "string" },
    },
    usage:
      "usage: taonet subnet create --name NAME [--repository URL] [--description TEXT] [--max-lock-cost TAO] [--yes]",
  });
  if (!values.name) throw new UsageError("subnet create needs --name");
  const session = new Session(common);
  const lockCost = await session.read<bigint>("SubnetRegistry", "lockCost");
  const maxLockCost = values["max-lock-cost"] ? parseAmount(values["max-lock-cost"] as string) : lockCost;
  if (lockCost > maxLockCost)
    throw new CliError(
      `the lock cost ${formatTao(lockCost)} TAO is above --max-lock-cost ${formatTao(maxLockCost)} TAO`,
    );
  if (!common.json) console.log(`Lock cost: ${formatTao(lockCost)} TAO (returned when the subnet is dissolved)`);
  const coldkey = await session.coldkey();
  await session.requireTao(coldkey.address, lockCost);
  await session.confirm(`Create subnet "${values.name}" locking ${formatTao(lockCost)} TAO?`);
  await session.approve(coldkey, "SubnetRegistry", lockCost);
  const sent = await session.send(
    coldkey,
    "SubnetRegistry",
    "createSubnet",
    [
      maxLockCost,
      {
        name: values.name,
        repository: (values.repository as string) ?? "",
        description: (values.description as string) ?? "",
      },
    ],
    "create subnet",
  );
  const chain = await session.chain();
  const [created] = parseEventLogs({
    abi: chain.contracts.SubnetRegistry.abi,
    logs: sent.receipt.logs,
    eventName: "SubnetCreated",
  }) as unknown as { args: { netuid: bigint } }[];
  const netuid = created?.args.netuid;
  session.print(
    { netuid, owner: coldkey.address, locked: lockCost },
    () => `created subnet ${netuid} (owner ${coldkey.address})`,
  );
}

async function list(argv: readonly string[]): Promise<void> {
  const { common } = parseCommand(argv, { usage: "usage: taonet subnet list" });
  const session = new Session(common);
  const infos = await session.read<SubnetInfo[]>("MetagraphLens", "subnetInfos");
  const shares = await Promise.all(
    infos.map((i) => session.read<bigint>("YumaSettlement", "emissionShare", [i.netuid])),
  );
  const subnets = infos.map((info, i) => ({
    netuid: info.netuid,
    name: info.metadata.name,
    owner: info.subnet.owner,
    neurons: info.neuronCount,
    maxUids: info.hyperparameters.maxAllowedUids,
    tempo: info.hyperparameters.tempo,
    locked: info.subnet.lockedAmount,
    burnPrice: info.burnPrice,
    emissionShareWad: shares[i]!,
    lastEpochEmission: info.subnet.lastEpochEmission,
  }));
  session.print({ subnets }, () =>
    formatTable(
      subnets.map((s) => ({
        NETUID: s.netuid,
        NAME: s.name,
        OWNER: s.owner,
        NEURONS: `${s.neurons}/${s.maxUids}`,
        TEMPO: s.tempo,
        "LOCKED TAO": formatTao(s.locked),
        "BURN TAO": formatTao(s.burnPrice),
        "EMISSION SHARE": formatWadPercent(s.emissionShareWad),
        "LAST EPOCH TAO": formatTao(s.lastEpochEmission),
      })),
    ),
  );
}

async function show(argv: readonly string[]): Promise<void> {
  const { positionals, common } = parseCommand(argv, {
    positionals: ["NETUID"],
    usage: "usage: taonet subnet show NETUID",
  });
  const session = new Session(common);
  const netuid = parseInteger(positionals[0], "NETUID");
  const info = await subnetInfo(session, netuid);
  const share = await session.read<bigint>("YumaSettlement", "emissionShare", [netuid]);
  session.print({ ...info, emissionShareWad: share }, () =>
    [
      session.fields({
        netuid,
        name: info.metadata.name,
        repository: info.metadata.repository,
        description: info.metadata.description,
        owner: info.subnet.owner,
        "created at block": info.subnet.createdAtBlock,
        "locked TAO": formatTao(info.subnet.lockedAmount),
        neurons: info.neuronCount,
        "burn price TAO": formatTao(info.burnPrice),
        "emission share": formatWadPercent(share),
        "last epoch emission TAO": formatTao(info.subnet.lastEpochEmission),
      }),
      "",
      formatTable(
        Object.entries(info.hyperparameters).map(([name, value]) => ({ HYPERPARAMETER: name, VALUE: String(value) })),
      ),
    ].join("\n"),
  );
}

async function subnetInfo(session: Session, netuid: bigint): Promise<SubnetInfo> {
  const info = await session.read<SubnetInfo>("MetagraphLens", "subnetInfo", [netuid]);
  if (!info.subnet.active) throw new CliError(`subnet ${netuid} does not exist or was dissolved`);
  return info;
}

/** The enum name of a hyperparameter from `tempo`, `Tempo` or `TEMPO`. */
function hyperparameterNamed(text: string): HyperparameterName {
  const found = Object.keys(Hyperparameter).find((name) => name.toLowerCase() === text.toLowerCase());
  if (!found)
    throw new UsageError(
      `unknown hyperparameter ${text} (one of ${Object.keys(Hyperparameter).map(camel).join(", ")})`,
    );
  return found as HyperparameterName;
}

const camel = (name: string) => name[0]!.toLowerCase() + name.slice(1);

async function hyperparameters(argv: readonly string[]): Promise<void> {
  const [action, ...rest] = argv;
  const usage = "usage: taonet subnet hyperparameters get NETUID [NAME] | set NETUID NAME VALUE";
  if (action === "get") {
    const { positionals, common } = parseCommand(rest, { positionals: ["NETUID", "NAME"], optional: 1, usage });
    const session = new Session(common);
    const netuid = parseInteger(positionals[0], "NETUID");
    const info = await subnetInfo(session, netuid);
    const entries = Object.entries(info.hyperparameters).filter(
      ([name]) => positionals[1] === undefined || name === camel(hyperparameterNamed(positionals[1])),
    );
    session.print({ netuid, hyperparameters: Object.fromEntries(entries) }, () =>
      formatTable(entries.map(([name, value]) => ({ HYPERPARAMETER: name, VALUE: String(value) }))),
    );
    return;
  }
  if (action === "set") {
    const { positionals, common } = parseCommand(rest, { positionals: ["NETUID", "NAME", "VALUE"], usage });
    const session = new Session(common);
    const netuid = parseInteger(positionals[0], "NETUID");
    const name = hyperparameterNamed(positionals[1]!);
    const text = positionals[2]!;
    const value = text === "true" ? 1n : text === "false" ? 0n : parseInteger(text, "VALUE");
    await subnetInfo(session, netuid);
    const coldkey = await session.coldkey();
    await session.send(
      coldkey,
      "SubnetRegistry",
      "setHyperparameter",
      [netuid, Hyperparameter[name], value],
      `set ${camel(name)}`,
    );
    const now = await session.read<bigint>("SubnetRegistry", "hyperparameter", [netuid, Hyperparameter[name]]);
    session.print({ netuid, name: camel(name), value: now }, () => `subnet ${netuid}: ${camel(name)} = ${now}`);
    return;
  }
  if (action === "--help" || action === "-h") {
    console.log(usage);
    throw new HelpShown();
  }
  throw new UsageError(usage);
}

async function dissolve(argv: readonly string[]): Promise<void> {
  const { positionals, common } = parseCommand(argv, {
    positionals: ["NETUID"],
    usage: "usage: taonet subnet dissolve NETUID [--yes]",
  });
  const session = new Session(common);
  const netuid = parseInteger(positionals[0], "NETUID");
  const info = await subnetInfo(session, netuid);
  const coldkey = await session.coldkey();
  await session.confirm(`Dissolve subnet ${netuid} "${info.metadata.name}" (${info.neuronCount} neurons)?`);
  await session.send(coldkey, "SubnetRegistry", "dissolveSubnet", [netuid], "dissolve subnet");
  session.print({ netuid, dissolved: true }, () => `subnet ${netuid} dissolved`);
}
