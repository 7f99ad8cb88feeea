/**
 * Writes the dApp's deployment.json for a static host, beside the built index.html:
 *
 *   node app/server/write-deployment.ts --record deploy/deployments/chain-11155420/deployed_addresses.json \
 *     --chain-id 11155420 --rpc-url https://sepolia.optimism.io [--chain-name "OP Sepolia"] \
 *     [--from-block N] [--out app/dist/deployment.json]
 *
 * --from-block: the deployment's first block, where the dApp's log queries (epochs, stake history)
 * start; public RPCs refuse or time out on queries from block 0 of a long chain.
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
    "from-block": { type: "string", default: "0" },
    out: { type: "string", default: path.resolve(import.meta.dirname, "../dist/deployment.json") },
  },
});
if (!values.record || !values["chain-id"] || !values["rpc-url"]) {
  console.error(
    "usage: write-deployment.ts --record FILE --chain-id N --rpc-url URL [--chain-name NAME] [--from-block N] [--out FILE]",
  );
  process.exit(2);
}
const document = deploymentDocument({
  record: values.record,
  chainId: Number(values["chain-id"]),
  rpcUrl: values["rpc-url"],
  chainName: values["chain-name"],
  fromBlock: Number(values["from-block"]),
});
writeFileSync(values.out!, JSON.stringify(document));
console.log(`wrote ${values.out} (chain ${document.chainId}, RPC ${document.rpcUrl})`);
