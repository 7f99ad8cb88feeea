import { createServer, type Server } from "node:http";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/**
 * A worker's Prometheus metrics: the process defaults (CPU, memory, event loop lag) with a
 * `taonet_` prefix, and the counters every worker shares: transactions sent by outcome and the gas
 * they spent. Workers add their own (`registry` is open to them).
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  /** Transactions by what they did (`commitWeights`, `settle`, ...) and outcome (`success`, `reverted`, `error`). */
  readonly transactions: Counter<"what" | "outcome">;
  readonly gasUsed: Counter<"what">;
  /** Failed attempts that were retried or given up on (`rpc`, `redis`, ...). */
  readonly failures: Counter<"what">;

  constructor(component: string) {
    this.registry.setDefaultLabels({ component });
    collectDefaultMetrics({ register: this.registry, prefix: "taonet_process_" });
    this.transactions = this.counter("taonet_transactions_total", "Transactions sent, by function and outcome", [
      "what",
      "outcome",
    ]);
    this.gasUsed = this.counter("taonet_gas_used_total", "Gas used by mined transactions, by function", ["what"]);
    this.failures = this.counter("taonet_failures_total", "Failed attempts (retried or given up), by kind", ["what"]);
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: readonly L[] = [],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** Serves `GET /metrics` (Prometheus text format) on `host:port` (port 0: any free one). */
  async serve(port: number, host = "127.0.0.1"): Promise<{ url: string; close: () => Promise<void> }> {
    const server: Server = createServer(async (request, response) => {
      if (request.method !== "GET" || request.url !== "/metrics") {
        response.writeHead(404).end("not found: GET /metrics\n");
        return;
      }
      try {
        const body = await this.registry.metrics();
        response.writeHead(200, { "content-type": this.registry.contentType }).end(body);
      } catch (error) {
        response.writeHead(500).end(String(error));
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    const address = server.address();
    const bound = typeof address === "object" && address ? address.port : port;
    return {
      url: `http://${host}:${bound}/metrics`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}
