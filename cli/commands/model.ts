import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { getAddress } from "viem";
import { MINER_QUALITIES, trainMinerModel, type MinerQuality } from "../../workers/miner/miner.ts";
import { ModelServer, modelDigest } from "../../workers/miner/model-server.ts";
import { loadDataset, MNIST } from "../../workers/model/dataset.ts";
import { CliError, UsageError } from "../cli-error.ts";
import { parseCommand, parseInteger } from "../options.ts";
import { Session } from "../session.ts";
import { netuidOf } from "./neuron.ts";

export const USAGE = `usage: taonet model COMMAND

  train --out FILE [--quality strong|medium|weak] [--seed N]
                                     train a model for the MNIST subnet on its training part and
                                     write it as ONNX (the demo miners' trainer; no chain needed)
  serve FILE [--port P] [--host H]   serve the file over HTTP until Ctrl-C; prints the URI to commit
  commit FILE --netuid N --uri URI   commit the model file's sha256 and the URI validators fetch it from
                                     (sent by the wallet's hotkey; serve the file at URI yourself)
  show --netuid N [--hotkey-address ADDRESS]
                                     the hotkey's committed model`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "train") return train(rest);
  if (command === "serve") return serve(rest);
  if (command === "commit") return commit(rest);
  if (command === "show") return show(rest);
  throw new UsageError(command ? `unknown command model ${command}\n\n${USAGE}` : USAGE);
}

async function train(argv: readonly string[]): Promise<void> {
  const { values, common } = parseCommand(argv, {
    options: { out: { type: "string" }, quality: { type: "string" }, seed: { type: "string" } },
    usage: "usage: taonet model train --out FILE [--quality strong|medium|weak] [--seed N]",
  });
  if (!values.out) throw new UsageError("model train needs --out FILE (where the ONNX model is written)");
  const quality = (values.quality ?? "strong") as MinerQuality;
  if (!Object.hasOwn(MINER_QUALITIES, quality))
    throw new UsageError(`--quality must be one of ${Object.keys(MINER_QUALITIES).join(", ")} (got ${quality})`);
  const seed = values.seed === undefined ? 1 : Number(parseInteger(values.seed, "--seed"));
  const started = performance.now();
  const model = trainMinerModel({ dataset: loadDataset(MNIST), quality, seed });
  try {
    writeFileSync(values.out, model);
  } catch (error) {
    throw new CliError(`cannot write ${values.out}: ${(error as Error).message}`, { cause: error });
  }
  const seconds = (performance.now() - started) / 1000;
  const session = new Session(common);
  const digest = modelDigest(model);
  session.print({ file: values.out, quality, seed, bytes: model.length, sha256: digest }, () =>
    [
      `trained a ${quality} model (seed ${seed}) in ${seconds.toFixed(1)} s: ${values.out}`,
      session.fields({ bytes: model.length, sha256: digest }),
    ].join("\n"),
  );
}

async function serve(argv: readonly string[]): Promise<void> {
  const { values, positionals, common } = parseCommand(argv, {
    options: { port: { type: "string" }, host: { type: "string" } },
    positionals: ["FILE"],
    usage: "usage: taonet model serve FILE [--port P] [--host H]",
  });
  const file = positionals[0]!;
  if (!existsSync(file)) throw new CliError(`no model file ${file}`);
  const port = values.port === undefined ? 0 : Number(parseInteger(values.port, "--port"));
  if (port > 65535) throw new UsageError(`--port must be at most 65535 (got ${port})`);
  const host = values.host ?? "127.0.0.1";
  const server = new ModelServer(host);
  try {
    await server.listen(port);
  } catch (error) {
    throw new CliError(`cannot listen on ${host}:${port}: ${(error as Error).message}`, { cause: error });
  }
  const published = server.publish(readFileSync(file));
  const session = new Session(common);
  session.print({ file, ...published }, () =>
    [
      `serving ${file} until Ctrl-C`,
      session.fields({ uri: published.uri, sha256: published.digest }),
      `commit it with: taonet model commit ${file} --netuid N --uri ${published.uri}`,
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
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
  const digest = modelDigest(readFileSync(file));
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
