/**
 * The local devnet: an in-process OP-Stack-simulated chain served on 127.0.0.1, with the whole
 * protocol deployed by the Ignition module and the 20 test accounts funded with TAO.
 *
 *   npm run devnet                 # serve until Ctrl-C
 *   npm run devnet -- --port 9545  # another port
 *   npm run devnet -- --exit       # deploy, print, stop (used by the tests)
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import hre from "hardhat";
import TaonetModule from "../deploy/modules/Taonet.ts";

const { values: flags } = parseArgs({
  options: {
    port: { type: "string", default: "8545" },
    host: { type: "string", default: "127.0.0.1" },
    exit: { type: "boolean", default: false },
  },
});

const port = Number(flags.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`devnet: --port must be an integer in 1..65535, got "${flags.port}"`);
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const parameters = path.join(root, "deploy/parameters/localhost.json");

// A fresh clone has no artifacts yet: compile first (a no-op when nothing changed).
await hre.tasks.getTask("build").run({ quiet: true });

const server = await hre.network.createServer("default", flags.host, port);
let listening: { address: string; port: number };
try {
  listening = await server.listen();
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === "EADDRINUSE"
      ? `devnet: ${flags.host}:${port} is in use; stop what runs there or pass --port`
      : `devnet: cannot listen on ${flags.host}:${port}: ${(error as Error).message}`,
  );
  process.exit(1);
}
const rpcUrl = `http://${listening.address}:${listening.port}`;

// Every start is a fresh chain: records of an earlier devnet chain would not match it.
const connection = await hre.network.create({ network: "localhost", override: { url: rpcUrl } });
const chainId = await connection.provider.request({ method: "eth_chainId" });
await rm(path.join(root, "deploy/deployments", `chain-${Number(chainId)}`), { recursive: true, force: true });

const deployed = await connection.ignition.deploy(TaonetModule, { parameters, displayUi: false });

const accounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
const balances = await Promise.all(accounts.map((account) => deployed.tao.read.balanceOf([account as `0x${string}`])));

console.log(`\ntaonet devnet on ${rpcUrl} (chain id ${Number(chainId)}, OP Stack simulation)\n`);
console.table(
  Object.fromEntries(Object.entries(deployed).map(([name, contract]) => [name, { address: contract.address }])),
);
console.log("Test accounts (keys: Hardhat's default mnemonic 'test test ... junk'):");
console.table(accounts.map((account, i) => ({ account, TAO: Number(balances[i] / 10n ** 18n) })));
console.log(`Deployment record: deploy/deployments/chain-${Number(chainId)}/deployed_addresses.json`);

async function stop(): Promise<void> {
  await connection.close();
  await server.close();
  process.exit(0);
}

if (flags.exit) {
  await stop();
} else {
  console.log("Press Ctrl-C to stop.");
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
