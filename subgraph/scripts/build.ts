/**
 * npm run subgraph:build [-- --network devnet] [-- --write-abis] [-- --no-compile]
 *
 * 1. Checks subgraph/abis/ against the compiled artifacts and fails when one is stale (with
 *    --write-abis, rewrites them instead).
 * 2. Writes config/<network>.json from the deployment record and subgraph.yaml from the template,
 *    for --network (default devnet), and reports the other networks' records (a network without
 *    one is named, not an error). For the devnet without a record (a clean clone), deploys the
 *    Ignition module on Hardhat's in-process chain with --write-localhost-deployment, which writes
 *    the same record `npm run devnet` writes (same accounts, same nonces, same addresses).
 * 3. Runs graph codegen and graph build (unless --no-compile).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { graphBuild } from "./graph-build.ts";
import { NETWORKS } from "./networks.ts";
import {
  NoDeploymentRecordError,
  REPO_DIR,
  SUBGRAPH_DIR,
  networkConfigFromRecords,
  renderManifest,
  syncAbis,
} from "./manifest.ts";

const { values } = parseArgs({
  options: {
    network: { type: "string", default: "devnet" },
    "write-abis": { type: "boolean", default: false },
    "no-compile": { type: "boolean", default: false },
  },
});
const network = values.network!;

const stale = syncAbis({ write: values["write-abis"]! });
if (stale.length > 0 && !values["write-abis"]) {
  console.error(
    `Stale ABIs in subgraph/abis/ (they differ from artifacts/): ${stale.join(", ")}. ` +
      `Run npm run subgraph:build -- --write-abis and commit them.`,
  );
  process.exit(1);
}
console.log(stale.length > 0 ? `Rewrote ABIs: ${stale.join(", ")}` : "ABIs match the compiled artifacts");

for (const name of Object.keys(NETWORKS)) {
  if (name === network) continue;
  try {
    networkConfigFromRecords(name);
    console.log(`${name}: deployment record found (npm run subgraph:build -- --network ${name})`);
  } catch (error) {
    if (!(error instanceof NoDeploymentRecordError)) throw error;
    console.log(`${name}: ${error.message}`);
  }
}

let config;
try {
  config = networkConfigFromRecords(network);
} catch (error) {
  if (!(error instanceof NoDeploymentRecordError) || network !== "devnet") {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log("No devnet deployment record: deploying the Ignition module on the in-process chain to write one");
  execFileSync(
    "npx",
    [
      "hardhat",
      "ignition",
      "deploy",
      "deploy/modules/Taonet.ts",
      "--parameters",
      "deploy/parameters/localhost.json",
      "--write-localhost-deployment",
    ],
    { cwd: REPO_DIR, stdio: "inherit" },
  );
  config = networkConfigFromRecords(network);
}
mkdirSync(path.join(SUBGRAPH_DIR, "config"), { recursive: true });
writeFileSync(path.join(SUBGRAPH_DIR, "config", `${network}.json`), JSON.stringify(config, null, 2) + "\n");
writeFileSync(path.join(SUBGRAPH_DIR, "subgraph.yaml"), renderManifest(config));
console.log(`Wrote subgraph/config/${network}.json and subgraph/subgraph.yaml from ${config.source}`);

if (!values["no-compile"]) graphBuild({ manifest: "subgraph.yaml", outputDir: "build" });
