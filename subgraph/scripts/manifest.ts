import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi, AbiEvent, AbiParameter } from "viem";
import { DATA_SOURCES } from "./data-sources.ts";
import { NETWORKS } from "./networks.ts";

export const SUBGRAPH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = path.resolve(SUBGRAPH_DIR, "..");

/** Where one data source's contract lives on a network. */
export interface DataSourcePlacement {
  address: string;
  startBlock: number;
}

/** config/<network>.json: what the manifest template is filled with. */
export interface NetworkConfig {
  network: string;
  chainId: number;
  /** Where the values came from (the deployment record's folder, relative to the repository). */
  source: string;
  dataSources: Record<string, DataSourcePlacement>;
}

/** The reason no config can be made for a network (no deployment record), as an error. */
export class NoDeploymentRecordError extends Error {}

/**
 * Reads Ignition's record of a deployment: the addresses from deployed_addresses.json and, for each
 * contract, the block of its deployment receipt from journal.jsonl (the start block, so the
 * subgraph sees the contract's first event and scans nothing before it).
 */
export function networkConfigFromRecords(
  networkName: string,
  deploymentsDir = path.join(REPO_DIR, "deploy/deployments"),
) {
  const network = NETWORKS[networkName];
  if (!network) throw new Error(`Unknown network "${networkName}" (known: ${Object.keys(NETWORKS).join(", ")})`);
  const dir = path.join(deploymentsDir, `chain-${network.chainId}`);
  const addressesFile = path.join(dir, "deployed_addresses.json");
  const journalFile = path.join(dir, "journal.jsonl");
  if (!existsSync(addressesFile) || !existsSync(journalFile)) {
    throw new NoDeploymentRecordError(
      `No deployment record for ${networkName} (chain ${network.chainId}): ${path.relative(REPO_DIR, addressesFile)} ` +
        `and journal.jsonl are missing. Deploy with Ignition first (npx hardhat ignition deploy deploy/modules/Taonet.ts ` +
        `--network ${networkName} --parameters deploy/parameters/${networkName}.json).`,
    );
  }
  const addresses = JSON.parse(readFileSync(addressesFile, "utf8")) as Record<string, string>;
  const blocks = deploymentBlocks(readFileSync(journalFile, "utf8"));
  const dataSources: Record<string, DataSourcePlacement> = {};
  for (const source of DATA_SOURCES) {
    const address = addresses[source.futureId];
    const startBlock = blocks.get(source.futureId);
    if (!address || startBlock === undefined) {
      throw new NoDeploymentRecordError(
        `The ${networkName} deployment record has no ${source.futureId} (address or receipt)`,
      );
    }
    dataSources[source.name] = { address, startBlock };
  }
  return {
    network: network.graphNetwork,
    chainId: network.chainId,
    source: path.relative(REPO_DIR, dir),
    dataSources,
  } satisfies NetworkConfig;
}

/** The block of each future's deployment receipt in an Ignition journal (the first confirmed one). */
export function deploymentBlocks(journal: string) {
  const blocks = new Map<string, number>();
  for (const line of journal.split("\n")) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as {
      futureId?: string;
      receipt?: { blockNumber?: number; contractAddress?: string };
    };
    if (entry.futureId && entry.receipt?.contractAddress && entry.receipt.blockNumber !== undefined) {
      if (!blocks.has(entry.futureId)) blocks.set(entry.futureId, entry.receipt.blockNumber);
    }
  }
  return blocks;
}

/** The ABI of each data source, as the compiled artifact has it (events only are needed, all kept). */
export function artifactAbis(artifactsDir = path.join(REPO_DIR, "artifacts")) {
  const abis: Record<string, Abi> = {};
  for (const source of DATA_SOURCES) {
    const file = path.join(artifactsDir, source.artifact);
    if (!existsSync(file)) throw new Error(`No artifact ${path.relative(REPO_DIR, file)}: run npx hardhat build`);
    abis[source.name] = (JSON.parse(readFileSync(file, "utf8")) as { abi: Abi }).abi;
  }
  return abis;
}

/** The text of subgraph/abis/<Name>.json for an ABI (stable, formatted as Prettier would). */
export function abiFileText(abi: Abi) {
  return JSON.stringify(abi, null, 2) + "\n";
}

/**
 * Compares subgraph/abis/ with the compiled artifacts. Returns the names whose committed ABI differs
 * (stale) or is missing; with `write`, rewrites them.
 */
export function syncAbis({ write }: { write: boolean }) {
  const stale: string[] = [];
  for (const [name, abi] of Object.entries(artifactAbis())) {
    const file = path.join(SUBGRAPH_DIR, "abis", `${name}.json`);
    const text = abiFileText(abi);
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
      stale.push(name);
      if (write) writeFileSync(file, text);
    }
  }
  return stale;
}

/** `StakeAdded(indexed address,indexed address,uint256,...)`, graph-node's event signature. */
export function eventSignature(event: AbiEvent) {
  const type = (p: AbiParameter): string =>
    p.type.startsWith("tuple")
      ? `(${((p as { components?: AbiParameter[] }).components ?? []).map(type).join(",")})${p.type.slice(5)}`
      : p.type;
  return `${event.name}(${event.inputs.map((p) => `${"indexed" in p && p.indexed ? "indexed " : ""}${type(p)}`).join(",")})`;
}

/** The manifest (subgraph.yaml) for a network config, from the template and the ABIs. */
export function renderManifest(config: NetworkConfig, abis: Record<string, Abi> = artifactAbis()) {
  const template = readFileSync(path.join(SUBGRAPH_DIR, "subgraph.template.yaml"), "utf8");
  const match = /^( *# begin dataSource\n)([\s\S]*?)( *# end dataSource\n)/m.exec(template);
  if (!match) throw new Error("subgraph.template.yaml has no '# begin dataSource' ... '# end dataSource' block");
  const block = match[2]!;
  const rendered = DATA_SOURCES.map((source) => {
    const placement = config.dataSources[source.name];
    if (!placement) throw new Error(`config for ${config.network} has no ${source.name}`);
    const handlers = source.events.map((eventName) => {
      const event = abis[source.name]!.find(
        (item): item is AbiEvent => item.type === "event" && item.name === eventName,
      );
      if (!event) throw new Error(`${source.name}'s ABI has no event ${eventName}`);
      return `        - event: ${eventSignature(event)}\n          handler: handle${eventName}`;
    });
    const values: Record<string, string> = {
      name: source.name,
      network: config.network,
      address: placement.address,
      startBlock: String(placement.startBlock),
      mapping: source.mapping,
      entities: source.entities.map((e) => `        - ${e}`).join("\n"),
      eventHandlers: handlers.join("\n"),
    };
    return block.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      if (!(key in values)) throw new Error(`unknown placeholder {{${key}}} in subgraph.template.yaml`);
      return values[key]!;
    });
  }).join("");
  return template.slice(0, match.index) + rendered + template.slice(match.index + match[0].length);
}
