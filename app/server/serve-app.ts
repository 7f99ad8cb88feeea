import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { DeploymentDocument } from "./deployment-document.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export type ServedApp = { readonly url: string; readonly server: Server; readonly close: () => Promise<void> };

/**
 * Serves the built dApp (`dist`) on `host:port` (0: any free port), with `/deployment.json` from
 * `deployment` and `/rpc` forwarded to `chainRpcUrl`, so that the browser reaches the chain on the
 * app's own origin (no CORS needed; the document's `rpcUrl` is then "rpc").
 */
export async function serveApp(params: {
  readonly dist: string;
  readonly deployment: DeploymentDocument;
  readonly chainRpcUrl: string;
  readonly host?: string;
  readonly port?: number;
}): Promise<ServedApp> {
  const deploymentJson = JSON.stringify(params.deployment);
  const root = path.resolve(params.dist);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://app").pathname);
    if (pathname === "/rpc" && req.method === "POST") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        fetch(params.chainRpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: Buffer.concat(chunks),
        })
          .then(async (answer) => {
            res.writeHead(answer.status, { "content-type": "application/json" });
            res.end(Buffer.from(await answer.arrayBuffer()));
          })
          .catch((error: Error) => {
            res.writeHead(502, { "content-type": "text/plain" });
            res.end(`chain RPC unreachable: ${error.message}`);
          });
      });
      return;
    }
    if (pathname === "/deployment.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(deploymentJson);
      return;
    }
    const file = path.join(root, pathname === "/" ? "index.html" : pathname);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(params.port ?? 0, params.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
