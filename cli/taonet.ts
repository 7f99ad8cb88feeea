#!/usr/bin/env node
/**
 * The taonet command line (btcli's job): wallets and keys, subnets, neurons and the metagraph,
 * stake, weights, models, epochs, disputes, the local devnet and Yuma scenario replay.
 *
 *   taonet wallet create                       # a coldkey and a hotkey in ~/.taonet/wallets/default
 *   taonet subnet list --network devnet
 *   taonet neuron metagraph --netuid 1 --json
 *   taonet yuma replay FILE [--check]
 *
 * Each group lives in cli/commands/<group>.ts, loaded only when used. A failure prints one line
 * `taonet: <message>` on stderr and exits 1 (2 for a wrong command line).
 */
import { CliError, HelpShown, UsageError } from "./cli-error.ts";

const GROUPS = {
  wallet: {
    load: () => import("./commands/wallet.ts"),
    about: "create, import, list keys; bind a hotkey; balance; transfer",
  },
  subnet: {
    load: () => import("./commands/subnet.ts"),
    about: "create, list, show, hyperparameters get/set, dissolve",
  },
  neuron: { load: () => import("./commands/neuron.ts"), about: "register, endpoint, metagraph" },
  stake: { load: () => import("./commands/stake.ts"), about: "add, remove, withdraw, list, take" },
  weights: { load: () => import("./commands/weights.ts"), about: "commit, reveal, status" },
  model: { load: () => import("./commands/model.ts"), about: "train a model, serve it, commit it, show" },
  epoch: { load: () => import("./commands/epoch.ts"), about: "status, settle, show" },
  dispute: { load: () => import("./commands/dispute.ts"), about: "open, show, resolve (arbitrator)" },
  devnet: { load: () => import("./commands/devnet.ts"), about: "run the local devnet (scripts/devnet.ts)" },
  yuma: {
    load: () => import("./commands/yuma.ts"),
    about: "replay FILE [--check]: a Yuma scenario on an in-process chain",
  },
} as const;

const USAGE = `usage: taonet GROUP COMMAND [options]   (taonet GROUP --help for a group's commands)

${Object.entries(GROUPS)
  .map(([name, group]) => `  ${name.padEnd(9)} ${group.about}`)
  .join("\n")}

Every command takes --network, --rpc, --deployment, --json, --wallet, --hotkey, --wallet-dir, --yes, --help.`;

async function main(argv: readonly string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (group === undefined || group === "--help" || group === "-h" || group === "help") {
    console.log(USAGE);
    return group === undefined ? 2 : 0;
  }
  if (!(group in GROUPS)) {
    console.error(`taonet: unknown group ${group}\n\n${USAGE}`);
    return 2;
  }
  const module = await GROUPS[group as keyof typeof GROUPS].load();
  if (rest[0] === "--help" || rest[0] === "-h") {
    console.log(module.USAGE);
    return 0;
  }
  return (await module.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof HelpShown) process.exit(0);
    if (error instanceof CliError) {
      // One line for a failure; a usage error goes on with the usage.
      console.error(`taonet: ${error instanceof UsageError ? error.message : error.message.split("\n")[0]}`);
      process.exit(error.exitCode);
    }
    console.error(`taonet: ${(error as Error)?.message ?? String(error)}`);
    process.exit(1);
  },
);
