import path from "node:path";
import { buildApp, DIST_DIR } from "./build-app.ts";
import { deploymentDocument } from "./deployment-document.ts";
import { serveApp, type ServedApp } from "./serve-app.ts";

/**
 * What `npm run devnet` calls once the protocol is deployed: builds the dApp when its sources
 * changed, serves it on `host:port` with the devnet's deployment, and prints its URL.
 */
export async function startDevnetApp(params: {
  readonly root: string;
  readonly chainId: number;
  readonly rpcUrl: string;
  readonly host: string;
  readonly port: number;
}): Promise<ServedApp> {
  if (await buildApp()) console.log("Built the dApp (app/dist)");
  const deployment = deploymentDocument({
    record: path.join(params.root, "deploy/deployments", `chain-${params.chainId}`, "deployed_addresses.json"),
    chainId: params.chainId,
    rpcUrl: "rpc",
  });
  const app = await serveApp({
    dist: DIST_DIR,
    deployment,
    chainRpcUrl: params.rpcUrl,
    host: params.host,
    port: params.port,
  });
  console.log(`dApp: ${app.url} (connect a browser wallet to ${params.rpcUrl}, chain id ${params.chainId})`);
  return app;
}
