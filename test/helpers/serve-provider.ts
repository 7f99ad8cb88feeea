import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}
interface JsonRpcRequest {
  id?: number | string | null;
  method: string;
  params?: unknown[];
}

/**
 * Serves an EIP-1193 provider (an in-process chain) as JSON-RPC over HTTP on 127.0.0.1, single
 * and batched requests. Hardhat's own `network.createServer` serves a chain the test cannot deploy
 * to without Ignition journaling the deployment (it treats an HTTP network as persistent); serving
 * the in-process connection keeps the deployment ephemeral. A provider error becomes a JSON-RPC
 * error with its code, message and data (the revert bytes clients decode).
 */
export async function serveProvider(provider: Eip1193) {
  const answer = async ({ id = null, method, params }: JsonRpcRequest) => {
    try {
      return { jsonrpc: "2.0", id, result: (await provider.request({ method, params: params ?? [] })) ?? null };
    } catch (e) {
      const { code, message, data } = e as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id, error: { code: typeof code === "number" ? code : -32603, message, data } };
    }
  };
  const server = createServer((req, res) => {
    void body(req)
      .then(async (text) => {
        const parsed = JSON.parse(text) as JsonRpcRequest | JsonRpcRequest[];
        const reply = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
      })
      .catch((e: unknown) => {
        const error = { code: -32700, message: `parse error: ${(e as Error).message}` };
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id: null, error }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function body(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
