import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { getAddress } from "viem";
import { CliError, UsageError } from "../cli-error.ts";
import { parseCommand } from "../options.ts";
import { Session } from "../session.ts";
import { netuidOf } from "./neuron.ts";

export const USAGE = `usage: taonet model COMMAND

  commit FILE --netuid N --uri URI   commit the model file's sha256 and the URI validators fetch it from
                                     (sent by the wallet's hotkey; serve the file at URI yourself)
  show --netuid N [--hotkey-address ADDRESS]
                                     the hotkey's committed model`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "commit") return commit(rest);
  if (command === "show") return show(rest);
  throw new UsageError(command ? `unknown command model ${command}\n\n${USAGE}` : USAGE);
}

async function commit(argv: readonly string[]): Promise<void> {
  const { values, positionals, common } = parseCommand(argv, {
    options: { netuid: { type: "string" }, uri: { type: "string" } },
    positionals: ["FILE"],
    usage: "usage: taonet model commit FILE --netuid N --uri URI",
  });
  if (!values.uri) throw new UsageError("model commit needs --uri URI (where validators download the file)");
  const file = positionals[0]!;
  if (!existsSync(file)) throw new CliError(`no model file ${file}`);
  const session = new Session(common);
  const netuid = netuidOf(values);
  const digest = `0x${createHash("sha256").update(readFileSync(file)).digest("hex")}` as const;
  const hotkey = await session.hotkey();
  await session.send(hotkey, "NeuronRegistry", "commit", [netuid, digest, values.uri], "commit model");
  session.print(
    { netuid, hotkey: hotkey.address, digest, uri: values.uri },
    () => `committed model ${digest} (${values.uri}) for ${hotkey.address} in subnet ${netuid}`,
  );
}

async function show(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { netuid: { type: "string" }, "hotkey-address": { type: "string" } },
    usage: "usage: taonet model show --netuid N [--hotkey-address ADDRESS]",
  });
  const session = new Session(common);
  const netuid = netuidOf(values);
  const hotkey = values["hotkey-address"] ? getAddress(values["hotkey-address"] as string) : session.hotkeyAddress();
  const commitment = await session.read<{ digest: `0x${string}`; committedAtBlock: bigint; uri: string }>(
    "NeuronRegistry",
    "commitmentOf",
    [netuid, hotkey],
  );
  if (commitment.committedAtBlock === 0n)
    throw new CliError(`hotkey ${hotkey} has no model committed in subnet ${netuid}`);
  session.print({ netuid, hotkey, ...commitment }, () =>
    session.fields({
      hotkey,
      sha256: commitment.digest,
      uri: commitment.uri,
      "committed at block": commitment.committedAtBlock,
    }),
  );
}
