import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ModelServer } from "../miner/model-server.ts";
import { ModelFetcher } from "./model-fetcher.ts";

const sha = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

/** A miner's model server and misbehaving ones, over real HTTP on local ports. */
describe("ModelFetcher", () => {
  const model = new Uint8Array(50_000).map((_, i) => (i * 31) % 251);
  const miner = new ModelServer();
  const servers: Server[] = [];
  let cacheDir: string;

  const serve = async (handler: RequestListener) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  /** A fetcher with the shared cache, or (`fresh`) an empty one of its own. */
  const fetcher = (options: { maxBytes?: number; timeoutMs?: number; fresh?: boolean } = {}) =>
    new ModelFetcher({
      cacheDir:
        options.fresh === false || options.fresh === undefined ? cacheDir : path.join(cacheDir, `fresh-${++freshDirs}`),
      timeoutMs: 2_000,
      ...options,
    });
  let freshDirs = 0;
  const why = (result: { ok: boolean; reason?: string; detail?: string }) =>
    result.ok ? "ok" : `${result.reason}: ${result.detail}`;

  before(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), "taonet-models-"));
    await miner.listen();
  });
  after(async () => {
    await miner.close();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("fetches a published model, checks its hash, then serves it from the cache", async () => {
    const published = miner.publish(model);
    assert.equal(published.digest, sha(model));
    const first = await fetcher().fetch(published);
    assert.ok(first.ok && !first.cached);
    assert.deepEqual(first.bytes, model);
    const second = await fetcher().fetch({ ...published, uri: "http://127.0.0.1:9/unreachable" });
    assert.ok(second.ok && second.cached, "from the cache, without the network");
    assert.deepEqual(
      (await readdir(cacheDir)).filter((f) => f.endsWith(".part")),
      [],
      "no half file",
    );
  });

  it("refetches a cache file that no longer matches its digest", async () => {
    const other = new Uint8Array(1_000).fill(7);
    const published = miner.publish(other);
    await writeFile(path.join(cacheDir, `${published.digest.slice(2)}.onnx`), new Uint8Array([1, 2, 3]));
    const result = await fetcher().fetch(published);
    assert.ok(result.ok && !result.cached);
    assert.deepEqual(result.bytes, other);
  });

  it("refuses bytes that do not match the commitment", async () => {
    const published = miner.publish(model);
    const result = await fetcher({ fresh: true }).fetch({ digest: sha(new Uint8Array([9])), uri: published.uri });
    assert.equal(result.ok === false && result.reason, "hash-mismatch", why(result));
  });

  it("refuses files over the limit, declared or not", async () => {
    const published = miner.publish(model);
    const declared = await fetcher({ maxBytes: 10_000, fresh: true }).fetch(published);
    assert.equal(declared.ok === false && declared.reason, "too-large", why(declared));
    const chunked = await serve((_, response) => {
      response.writeHead(200); // no content-length: chunked
      for (let i = 0; i < 20; i++) response.write(new Uint8Array(1_000));
      response.end();
    });
    const streamed = await fetcher({ maxBytes: 10_000, fresh: true }).fetch({
      digest: sha(model),
      uri: `${chunked}/m.onnx`,
    });
    assert.equal(streamed.ok === false && streamed.reason, "too-large", why(streamed));
  });

  it("gives up on a server that stalls", async () => {
    const stalling = await serve((_, response) => {
      response.writeHead(200, { "content-length": "1000" });
      response.write(new Uint8Array(10)); // and never the rest
    });
    const started = Date.now();
    const result = await fetcher({ timeoutMs: 300, fresh: true }).fetch({
      digest: sha(model),
      uri: `${stalling}/m.onnx`,
    });
    assert.equal(result.ok === false && result.reason, "timeout", why(result));
    assert.ok(Date.now() - started < 2_000);
  });

  it("reports HTTP errors, unreachable hosts and URIs it will not fetch", async () => {
    const cases: [string, string][] = [
      [`${miner.publish(new Uint8Array([5])).uri.replace(/[0-9a-f]{64}/, "0".repeat(64))}`, "http-error"],
      ["http://127.0.0.1:9/m.onnx", "unreachable"],
      ["file:///etc/passwd", "bad-uri"],
      ["not a uri", "bad-uri"],
    ];
    for (const [uri, reason] of cases) {
      const result = await fetcher({ fresh: true }).fetch({ digest: sha(model), uri });
      assert.equal(result.ok === false && result.reason, reason, `${uri}: ${why(result)}`);
    }
    const badDigest = await fetcher().fetch({ digest: "0x1234", uri: "http://127.0.0.1:9/m.onnx" });
    assert.equal(badDigest.ok === false && badDigest.reason, "bad-uri");
  });
});
