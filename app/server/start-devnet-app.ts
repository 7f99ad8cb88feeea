import path from "node:path";
import { buildApp, DIST_DIR } from "./build-app.ts";
import { deploymentDocument } from "./deployment-document.ts";
import { serveApp, type ServedApp } from "./serve-app.ts";

/**
 * What `npm run devnet` calls once the protocol is deployed: builds the dApp when its sources
 * changed, serves it on `host:port` with the devnet's deployment, and prints its URL. The chain
 * matters more than the dApp: when the build fails or the port is taken it says so and returns
 * undefined, and the devnet goes on.
 */
export async function startDevnetApp(params: {
  readonly root: string;
  readonly chainId: number;
  readonly rpcUrl: string;
  readonly host: string;
  readonly port: number;
}): Promise<ServedApp | undefined> {
  try {
    if (await buildApp()) console.log("Built the dApp (app/dist)");
    const app = await serveApp({
      dist: DIST_DIR,
      deployment: deploymentDocument({
        record: path.join(params.root, "deploy/deployments", `chain-${params.chainId}`, "deployed_addresses.json"),
        chainId: params.chainId,
        rpcUrl: "rpc",
      }),
      chainRpcUrl: params.rpcUrl,
      host: params.host,
      port: params.port,
    });
    console.log(`dApp: ${app.url} (connect a browser wallet to ${params.rpcUrl}, chain id ${params.chainId})`);
    return app;
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "EADDRINUSE"
        ? `${params.host}:${params.port} is in use (pass --app-port)`
        : (error as Error).message;
    console.log(`dApp not served: ${reason}`);
    return undefined;
  }
}
