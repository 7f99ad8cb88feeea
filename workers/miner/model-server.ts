import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type PublishedModel = {
  /** sha256 of the file, 0x-prefixed: the `digest` a miner commits on chain. */
  readonly digest: `0x${string}`;
  /** Where validators fetch it: the `uri` a miner commits on chain. */
  readonly uri: string;
};

/** A model file's digest as miners commit it (`NeuronRegistry.commit`): its sha256, 0x-prefixed. */
export function modelDigest(bytes: Uint8Array): `0x${string}` {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * A miner's model files over HTTP: `GET /models/<sha256 hex>.onnx` answers the file with its length
 * and an immutable cache header; anything else is 404. Files are kept by digest, so a retrained
 * model is a new URI and a validator's cache never goes stale.
 */
export class ModelServer {
  readonly #files = new Map<string, Uint8Array>();
  readonly #server: Server;
  readonly #host: string;
  #base = "";

  constructor(host = "127.0.0.1") {
    this.#host = host;
    this.#server = createServer((request, response) => {
      const match = /^\/models\/([0-9a-f]{64})\.onnx$/.exec(request.url ?? "");
      const file = match && request.method === "GET" ? this.#files.get(match[1]!) : undefined;
      if (!file) {
        response.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      response.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": file.length,
        "cache-control": "public, max-age=31536000, immutable",
      });
      response.end(file);
    });
  }

  /** Listens on `port` (0: any free one); returns the base URL. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, this.#host, () => resolve());
    });
    const address = this.#server.address() as AddressInfo;
    this.#base = `http://${this.#host}:${address.port}`;
    return this.#base;
  }

  /** Serves `bytes`; returns the digest and URI to commit. */
  publish(bytes: Uint8Array): PublishedModel {
    if (!this.#base) throw new Error("ModelServer: listen() first");
    const digest = modelDigest(bytes);
    const hex = digest.slice(2);
    this.#files.set(hex, bytes);
    return { digest, uri: `${this.#base}/models/${hex}.onnx` };
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
