/**
 * Writes the dApp's deployment.json for a static host, beside the built index.html:
 *
 *   node app/server/write-deployment.ts --record deploy/deployments/chain-11155420/deployed_addresses.json \
 *     --chain-id 11155420 --rpc-url https://sepolia.optimism.io [--chain-name "OP Sepolia"] [--out app/dist/deployment.json]
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { deploymentDocument } from "./deployment-document.ts";

const { values } = parseArgs({
  options: {
    record: { type: "string" },
    "chain-id": { type: "string" },
    "rpc-url": { type: "string" },
    "chain-name": { type: "string" },
    out: { type: "string", default: path.resolve(import.meta.dirname, "../dist/deployment.json") },
  },
});
if (!values.record || !values["chain-id"] || !values["rpc-url"]) {
  console.error("usage: write-deployment.ts --record FILE --chain-id N --rpc-url URL [--chain-name NAME] [--out FILE]");
  process.exit(2);
}
const document = deploymentDocument({
  record: values.record,
  chainId: Number(values["chain-id"]),
  rpcUrl: values["rpc-url"],
  chainName: values["chain-name"],
});
writeFileSync(values.out!, JSON.stringify(document));
console.log(`wrote ${values.out} (chain ${document.chainId}, RPC ${document.rpcUrl})`);
