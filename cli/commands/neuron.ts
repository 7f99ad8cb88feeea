import { isIPv4, isIPv6 } from "node:net";
import { getAddress, toHex, type Address } from "viem";
import { CliError, UsageError } from "../cli-error.ts";
import { parseCommand, parseInteger } from "../options.ts";
import { formatTable, formatTao, formatU16 } from "../output.ts";
import { Session } from "../session.ts";
import { parseAmount } from "./wallet.ts";

export const USAGE = `usage: taonet neuron COMMAND

  register --netuid N [--max-burn TAO]   register the wallet's hotkey (bound to its coldkey) in subnet N,
                                         burning the current price (shown; asks); fails above --max-burn
  endpoint --netuid N [--url URL] [--ip IP --port PORT]
                                         serve the hotkey's endpoint (sent by the hotkey); without
                                         --url/--ip, show it
  metagraph --netuid N                   UID, hotkey, stake, trust, validator trust, consensus,
                                         incentive, dividends, emission, permit, last update`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "register":
      return register(rest);
    case "endpoint":
      return endpoint(rest);
    case "metagraph":
      return metagraph(rest);
    default:
      throw new UsageError(command ? `unknown command neuron ${command}\n\n${USAGE}` : USAGE);
  }
}

const NETUID = { netuid: { type: "string" } } as const;

export function netuidOf(values: Record<string, unknown>): bigint {
  return parseInteger(values.netuid as string | undefined, "--netuid");
}

async function register(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { ...NETUID, "max-burn": { type: "string" } },
    usage: "usage: taonet neuron register --netuid N [--max-burn TAO] [--yes]",
  });
  const session = new Session(common);
  const netuid = netuidOf(values);
  const hotkey = session.hotkeyAddress();
  const [registered, uid] = await session.read<[boolean, bigint]>("NeuronRegistry", "uidOf", [netuid, hotkey]);
  if (registered) throw new CliError(`hotkey ${hotkey} is registered in subnet ${netuid} already (UID ${uid})`);
  const price = await session.read<bigint>("NeuronRegistry", "burnPrice", [netuid]);
  const maxBurn = values["max-burn"] === undefined ? price : parseAmount(values["max-burn"] as string);
  if (!common.json) console.log(`Burn price in subnet ${netuid}: ${formatTao(price)} TAO`);
  if (price > maxBurn)
    throw new CliError(`the burn price ${formatTao(price)} TAO is above --max-burn ${formatTao(maxBurn)} TAO`);
  const coldkey = await session.coldkey();
  await session.requireTao(coldkey.address, price);
  await session.confirm(`Register hotkey ${hotkey} in subnet ${netuid}, burning ${formatTao(price)} TAO?`);
  await session.approve(coldkey, "NeuronRegistry", price);
  await session.send(coldkey, "NeuronRegistry", "registerNeuron", [netuid, hotkey, maxBurn], "register neuron");
  const [, newUid] = await session.read<[boolean, bigint]>("NeuronRegistry", "uidOf", [netuid, hotkey]);
  session.print(
    { netuid, hotkey, uid: newUid, burned: price },
    () => `registered hotkey ${hotkey} in subnet ${netuid} as UID ${newUid}`,
  );
}

type Endpoint = {
  ip: `0x${string}`;
  port: number;
  ipType: number;
  protocol: number;
  version: number;
  updatedAtBlock: bigint;
  url: string;
};

async function endpoint(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: {
      ...NETUID,
      url: { type: "string" },
      ip: { type: "string" },
      port: { type: "string" },
      "hotkey-address": { type: "string" },
    },
    usage: "usage: taonet neuron endpoint --netuid N [--url URL] [--ip IP --port PORT] [--hotkey-address ADDRESS]",
  });
  const session = new Session(common);
  const netuid = netuidOf(values);
  if (values.url === undefined && values.ip === undefined) {
    const hotkey = values["hotkey-address"] ? getAddress(values["hotkey-address"] as string) : session.hotkeyAddress();
    const current = await session.read<Endpoint>("NeuronRegistry", "endpointOf", [netuid, hotkey]);
    session.print({ netuid, hotkey, endpoint: current }, () =>
      current.updatedAtBlock === 0n
        ? `hotkey ${hotkey} serves no endpoint in subnet ${netuid}`
        : session.fields({
            hotkey,
            url: current.url,
            ip: ipText(current),
            port: current.port,
            "updated at block": current.updatedAtBlock,
          }),
    );
    return;
  }
  const ip = (values.ip as string | undefined) ?? "";
  const ipType = ip === "" ? 0 : isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : -1;
  if (ipType < 0) throw new UsageError(`--ip ${ip}: not an IPv4 or IPv6 address`);
  const port = values.port === undefined ? 0 : Number(parseInteger(values.port as string, "--port"));
  const value: Omit<Endpoint, "updatedAtBlock"> & { updatedAtBlock: bigint } = {
    ip: ipBytes(ip, ipType),
    port,
    ipType,
    protocol: 0,
    version: 1,
    updatedAtBlock: 0n,
    url: (values.url as string | undefined) ?? "",
  };
  const hotkey = await session.hotkey();
  await session.send(hotkey, "NeuronRegistry", "serveEndpoint", [netuid, value], "serve endpoint");
  session.print(
    { netuid, hotkey: hotkey.address, endpoint: value },
    () => `hotkey ${hotkey.address} serves ${value.url || `${ip}:${port}`} in subnet ${netuid}`,
  );
}

function ipBytes(ip: string, ipType: number): `0x${string}` {
  if (ipType === 4) return toHex(Uint8Array.from([...new Uint8Array(12), ...ip.split(".").map(Number)]));
  if (ipType === 6) {
    const [head = "", tail = ""] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
    return `0x${groups.map((g) => g.padStart(4, "0")).join("")}`;
  }
  return `0x${"00".repeat(16)}`;
}

function ipText(endpoint: Endpoint): string {
  if (endpoint.ipType === 4) return [...Buffer.from(endpoint.ip.slice(-8), "hex")].join(".");
  if (endpoint.ipType === 6) return endpoint.ip.slice(2).match(/.{4}/g)!.join(":");
  return "";
}

type NeuronInfo = {
  uid: bigint;
  hotkey: Address;
  coldkey: Address;
  stake: bigint;
  registeredAtBlock: bigint;
  immune: boolean;
  validatorPermit: boolean;
  lastEpochEmissionNano: bigint;
};

/** The metagraph rows of subnet `netuid` (per UID: the lens, the last epoch's outputs, last update). */
export async function readMetagraph(session: Session, netuid: bigint) {
  const [page] = await session.read<[NeuronInfo[], bigint]>("MetagraphLens", "metagraph", [netuid, 0n, 4096n]);
  const [[consensus, incentive, dividends, validatorTrust], trust] = await Promise.all([
    session.read<[number[], number[], number[], number[]]>("YumaSettlement", "epochOutputs", [netuid]),
    session.read<number[]>("YumaSettlement", "epochTrust", [netuid]),
  ]);
  const lastUpdates = await Promise.all(
    page.map((n) => session.read<bigint>("Weights", "lastUpdate", [netuid, n.uid])),
  );
  return page.map((n, i) => ({
    uid: Number(n.uid),
    hotkey: n.hotkey,
    coldkey: n.coldkey,
    stake: n.stake,
    trust: trust[i] ?? 0,
    validatorTrust: validatorTrust[i] ?? 0,
    consensus: consensus[i] ?? 0,
    incentive: incentive[i] ?? 0,
    dividends: dividends[i] ?? 0,
    emissionNano: n.lastEpochEmissionNano,
    validatorPermit: n.validatorPermit,
    immune: n.immune,
    lastUpdate: lastUpdates[i]!,
    registeredAtBlock: n.registeredAtBlock,
  }));
}

async function metagraph(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: NETUID,
    usage: "usage: taonet neuron metagraph --netuid N",
  });
  const session = new Session(common);
  const netuid = netuidOf(values);
  const active = await session.read<boolean>("SubnetRegistry", "isActive", [netuid]);
  if (!active) throw new CliError(`subnet ${netuid} does not exist or was dissolved`);
  const neurons = await readMetagraph(session, netuid);
  const block = await (await session.chain()).client.getBlockNumber();
  session.print({ netuid, block, neurons }, () =>
    [
      `Metagraph of subnet ${netuid} at block ${block}: ${neurons.length} neurons (u16 outputs of the last settled epoch as fractions)`,
      formatTable(
        neurons.map((n) => ({
          UID: n.uid,
          HOTKEY: n.hotkey,
          "STAKE TAO": formatTao(n.stake),
          TRUST: formatU16(n.trust),
          VTRUST: formatU16(n.validatorTrust),
          CONSENSUS: formatU16(n.consensus),
          INCENTIVE: formatU16(n.incentive),
          DIVIDENDS: formatU16(n.dividends),
          "EMISSION TAO": (Number(n.emissionNano) / 1e9).toFixed(4),
          PERMIT: n.validatorPermit ? "yes" : "",
          "LAST UPDATE": n.lastUpdate === 0n ? "" : n.lastUpdate,
        })),
      ),
    ].join("\n"),
  );
}
