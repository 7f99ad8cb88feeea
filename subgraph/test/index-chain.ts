/**
 * Feeds a chain's logs to the compiled mappings the way graph-node would: the data sources and
 * their event handlers are read from graph build's manifest (build/subgraph.yaml), every log of a
 * data source's contract whose event signature has a handler goes to that handler, in block and
 * log order, with its block and transaction.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  decodeEventLog,
  toEventSelector,
  type Abi,
  type AbiEvent,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { eventSignature } from "../scripts/manifest.ts";
import { GraphHost, type Trigger } from "./graph-host.ts";

/** The data sources of the built manifest: address, start block and (event signature -> handler). */
export function manifestDataSources(buildDir: string) {
  const manifest = readFileSync(path.join(buildDir, "subgraph.yaml"), "utf8");
  return manifest
    .split(/\n\s*- kind: ethereum\n/)
    .slice(1)
    .map((block) => {
      const field = (name: string) => {
        const match = new RegExp(`^\\s*${name}: "?([^"\\n]+)"?$`, "m").exec(block);
        if (!match) throw new Error(`a data source of the built manifest has no ${name}`);
        return match[1]!;
      };
      const handlers = new Map<string, string>();
      for (const match of block.matchAll(/- event: ([\s\S]*?)\n\s+handler: (\w+)/g)) {
        handlers.set(match[1]!.replace(/\s*\n\s*/g, " "), match[2]!);
      }
      return {
        name: field("name"),
        address: field("address") as Address,
        startBlock: BigInt(field("startBlock")),
        handlers,
      };
    });
}

export interface IndexChainParameters {
  buildDir: string;
  toBlock?: bigint;
}

/** Runs every handled log of the chain through the mappings; returns the host with its store. */
export async function indexChain(client: PublicClient, { buildDir, toBlock }: IndexChainParameters) {
  const host = new GraphHost(buildDir);
  const sources = manifestDataSources(buildDir).map(({ name, address, startBlock, handlers }) => {
    const abi = JSON.parse(readFileSync(path.join(buildDir, name, `${name}.json`), "utf8")) as Abi;
    const bySelector = new Map<Hex, { event: AbiEvent; handler: string }>();
    for (const item of abi) {
      if (item.type !== "event") continue;
      const handler = handlers.get(eventSignature(item));
      if (handler) bySelector.set(toEventSelector(item), { event: item, handler });
    }
    return { name, address: address.toLowerCase(), startBlock, bySelector };
  });
  const last = toBlock ?? (await client.getBlockNumber());
  const fromBlock = sources.reduce((min, s) => (s.startBlock < min ? s.startBlock : min), last);
  const logs = (
    await client.getLogs({ address: sources.map((s) => s.address as Address), fromBlock, toBlock: last })
  ).filter((log) => log.blockNumber! >= sources.find((s) => s.address === log.address.toLowerCase())!.startBlock);
  logs.sort((a, b) => Number(a.blockNumber! - b.blockNumber!) || a.logIndex! - b.logIndex!);

  const blocks = new Map<bigint, Awaited<ReturnType<PublicClient["getBlock"]>>>();
  const transactions = new Map<Hex, Awaited<ReturnType<PublicClient["getTransaction"]>>>();
  const receipts = new Map<Hex, Awaited<ReturnType<PublicClient["getTransactionReceipt"]>>>();
  const counts = new Map<string, number>();
  for (const log of logs) {
    const source = sources.find((s) => s.address === log.address.toLowerCase())!;
    const route = source.bySelector.get(log.topics[0]!);
    if (!route) continue;
    const decoded = decodeEventLog({ abi: [route.event], data: log.data, topics: log.topics });
    const args = route.event.inputs.map((input, i) =>
      Array.isArray(decoded.args) ? decoded.args[i] : (decoded.args as Record<string, unknown>)[input.name!],
    );
    let block = blocks.get(log.blockNumber!);
    if (!block) blocks.set(log.blockNumber!, (block = await client.getBlock({ blockNumber: log.blockNumber! })));
    let transaction = transactions.get(log.transactionHash!);
    if (!transaction) {
      transaction = await client.getTransaction({ hash: log.transactionHash! });
      transactions.set(log.transactionHash!, transaction);
    }
    let receipt = receipts.get(log.transactionHash!);
    if (!receipt) {
      receipt = await client.getTransactionReceipt({ hash: log.transactionHash! });
      receipts.set(log.transactionHash!, receipt);
    }
    const trigger: Trigger = {
      block: { ...block, hash: block.hash!, number: block.number!, miner: block.miner },
      transaction: { ...transaction, transactionIndex: transaction.transactionIndex ?? 0 },
      log: {
        address: log.address,
        logIndex: log.logIndex!,
        transactionLogIndex: receipt.logs.findIndex((l) => l.logIndex === log.logIndex),
      },
      event: route.event,
      args,
    };
    host.run(source.name, route.handler, trigger);
    const key = `${source.name}.${route.handler}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { host, counts };
}
