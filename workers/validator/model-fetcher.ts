import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export type FetchRejection = {
  readonly ok: false;
  readonly reason: "bad-uri" | "unreachable" | "http-error" | "too-large" | "timeout" | "hash-mismatch";
  readonly detail: string;
};

export type FetchedModel = { readonly ok: true; readonly bytes: Uint8Array; readonly cached: boolean };

export type ModelFetcherOptions = {
  /** Where fetched models are kept, one file per sha256. */
  readonly cacheDir: string;
  /** Largest model accepted (checked on the declared length and on the bytes as they arrive). */
  readonly maxBytes?: number;
  /** Time for the whole download. */
  readonly timeoutMs?: number;
};

/**
 * Fetches the model a miner committed (`NeuronRegistry.commit(netuid, digest, uri)`): http(s) only,
 * a size limit, a time limit, and the sha256 checked against the committed digest; kept in a local
 * cache by digest (written to a temporary file, then renamed, so a crash leaves no half file), and read
 * from it (hash checked again) before the network. Never throws for a bad miner: every failure is a
 * `FetchRejection` the validator scores zero.
 */
export class ModelFetcher {
  readonly #cacheDir: string;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;

  constructor(options: ModelFetcherOptions) {
    this.#cacheDir = options.cacheDir;
    this.#maxBytes = options.maxBytes ?? 16 * 2 ** 20;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async fetch(commitment: { readonly digest: string; readonly uri: string }): Promise<FetchedModel | FetchRejection> {
    const digest = commitment.digest.toLowerCase().replace(/^0x/, "");
    if (!/^[0-9a-f]{64}$/.test(digest)) return fail("bad-uri", `the digest ${commitment.digest} is not a sha256`);
    const file = path.join(this.#cacheDir, `${digest}.onnx`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached && sha256(cached) === digest) return { ok: true, bytes: new Uint8Array(cached), cached: true };

    let url: URL;
    try {
      url = new URL(commitment.uri);
    } catch {
      return fail("bad-uri", `not a URL: ${JSON.stringify(commitment.uri)}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return fail("bad-uri", `only http and https are fetched, not ${url.protocol}`);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      const bytes = await this.#download(url, controller.signal);
      if ("ok" in bytes) return bytes;
      const actual = sha256(bytes);
      if (actual !== digest)
        return fail("hash-mismatch", `the file's sha256 is ${actual}, the commitment says ${digest}`);
      await mkdir(this.#cacheDir, { recursive: true });
      const temporary = `${file}.${process.pid}.${Date.now()}.part`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
      return { ok: true, bytes, cached: false };
    } catch (error) {
      if (controller.signal.aborted) return fail("timeout", `no complete answer within ${this.#timeoutMs} ms`);
      return fail("unreachable", String((error as Error)?.cause ?? (error as Error)?.message ?? error));
    } finally {
      clearTimeout(timer);
    }
  }

  async #download(url: URL, signal: AbortSignal): Promise<Uint8Array | FetchRejection> {
    const response = await fetch(url, { signal, redirect: "error" });
    if (!response.ok) {
      await response.body?.cancel();
      return fail("http-error", `${url} answered ${response.status}`);
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > this.#maxBytes) {
      await response.body?.cancel();
      return fail("too-large", `declared ${declared} bytes, the limit is ${this.#maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > this.#maxBytes) {
        await response.body?.cancel().catch(() => {});
        return fail("too-large", `more than ${this.#maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function fail(reason: FetchRejection["reason"], detail: string): FetchRejection {
  return { ok: false, reason, detail };
}
