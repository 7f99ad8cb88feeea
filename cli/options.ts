import { homedir } from "node:os";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { HelpShown, UsageError } from "./cli-error.ts";

/** The networks `--network` names, with their public RPC (overridden by `--rpc`). */
export const NETWORKS = {
  devnet: "http://127.0.0.1:8545",
  localhost: "http://127.0.0.1:8545",
  opSepolia: "https://sepolia.optimism.io",
  baseSepolia: "https://sepolia.base.org",
} as const;
export type NetworkName = keyof typeof NETWORKS;

/** What every command takes: built once from the flags, then the environment, then defaults. */
export type Common = {
  readonly network: NetworkName;
  readonly rpcUrl: string;
  /** A `deployed_addresses.json` to use instead of the network's record. */
  readonly deployment?: string;
  readonly json: boolean;
  readonly walletDir: string;
  readonly wallet: string;
  readonly hotkey: string;
  /** Skip confirmations (needed when stdin is not a terminal). */
  readonly yes: boolean;
  /** Environment the passwords and keys are read from. */
  readonly env: NodeJS.ProcessEnv;
};

const COMMON_OPTIONS = {
  network: { type: "string" },
  rpc: { type: "string" },
  deployment: { type: "string" },
  json: { type: "boolean" },
  "wallet-dir": { type: "string" },
  wallet: { type: "string", short: "w" },
  hotkey: { type: "string" },
  yes: { type: "boolean", short: "y" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

export const COMMON_HELP = `common options:
  --network NAME     devnet (default), localhost, opSepolia or baseSepolia
  --rpc URL          the JSON-RPC endpoint (default: the network's; devnet http://127.0.0.1:8545)
  --deployment FILE  a deployed_addresses.json (default deploy/deployments/chain-<id>/)
  --json             machine-readable output on stdout
  --wallet-dir DIR   where key files live (default $TAONET_WALLET_DIR or ~/.taonet/wallets)
  -w, --wallet NAME  the wallet (coldkey) to use (default "default")
  --hotkey NAME      the wallet's hotkey to use (default "default")
  -y, --yes          do not ask for confirmation
  -h, --help         this help
passwords: $TAONET_PASSWORD (coldkey; also hotkeys unless $TAONET_HOTKEY_PASSWORD is set), else a prompt`;

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses one command's arguments: its own flags plus the common ones. `--help` prints `usage` and
 * throws `HelpShown`; an unknown flag or a wrong number of positionals is a `UsageError` with the usage.
 */
export function parseCommand<const O extends Options>(
  argv: readonly string[],
  spec: {
    readonly options?: O;
    readonly positionals?: readonly string[];
    readonly optional?: number;
    readonly usage: string;
  },
  env: NodeJS.ProcessEnv = process.env,
) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...COMMON_OPTIONS, ...(spec.options ?? {}) } as typeof COMMON_OPTIONS & O,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${spec.usage}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(`${spec.usage}\n\n${COMMON_HELP}`);
    throw new HelpShown();
  }
  const wanted = spec.positionals ?? [];
  const required = wanted.length - (spec.optional ?? 0);
  if (parsed.positionals.length < required || parsed.positionals.length > wanted.length)
    throw new UsageError(`expected ${wanted.join(" ") || "no arguments"}\n\n${spec.usage}`);
  const network = (values.network as string | undefined) ?? "devnet";
  if (!(network in NETWORKS))
    throw new UsageError(`unknown network ${network} (one of ${Object.keys(NETWORKS).join(", ")})`);
  const common: Common = {
    network: network as NetworkName,
    rpcUrl: (values.rpc as string | undefined) ?? NETWORKS[network as NetworkName],
    deployment: values.deployment as string | undefined,
    json: values.json === true,
    walletDir:
      (values["wallet-dir"] as string | undefined) ??
      env.TAONET_WALLET_DIR ??
      path.join(homedir(), ".taonet", "wallets"),
    wallet: (values.wallet as string | undefined) ?? "default",
    hotkey: (values.hotkey as string | undefined) ?? "default",
    yes: values.yes === true,
    env,
  };
  return { values: parsed.values, positionals: parsed.positionals, common };
}

/** `text` as a non-negative integer, or a `UsageError` naming `what`. */
export function parseInteger(text: string | undefined, what: string): bigint {
  if (text === undefined || !/^\d+$/.test(text))
    throw new UsageError(`${what} must be a non-negative integer (got ${text ?? "nothing"})`);
  return BigInt(text);
}

/** An address, or a `UsageError`. */
export function parseAddress(text: string | undefined, what: string): `0x${string}` {
  if (text === undefined || !/^0x[0-9a-fA-F]{40}$/.test(text))
    throw new UsageError(`${what} must be an address 0x... (got ${text ?? "nothing"})`);
  return text as `0x${string}`;
}
