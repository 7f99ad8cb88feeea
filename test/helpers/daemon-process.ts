import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** One JSON log line of a worker daemon. */
export type LogLine = { readonly msg: string; readonly level: string; readonly [field: string]: unknown };

/**
 * A worker daemon (`workers/<role>/main.ts`) run as its own process, as an operator runs it: its JSON
 * log lines are collected, and a test can wait for one, kill it (SIGKILL: a crash) or stop it.
 */
export class DaemonProcess {
  readonly name: string;
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | string>;
  #waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];

  constructor(name: string, script: string, args: readonly string[], env: Record<string, string>) {
    this.name = name;
    this.#child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#exited = new Promise((resolve) => this.#child.once("exit", (code, signal) => resolve(signal ?? code ?? -1)));
    createInterface({ input: this.#child.stdout! }).on("line", (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { msg: text, level: "raw" };
      }
      this.lines.push(line);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.predicate(line)) return true;
        w.resolve(line);
        return false;
      });
    });
    createInterface({ input: this.#child.stderr! }).on("line", (text) => this.stderr.push(text));
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The first log line (already seen or to come) that `predicate` accepts. */
  waitFor(predicate: (line: LogLine) => boolean, timeoutMs = 60_000, what = "a log line"): Promise<LogLine> {
    const seen = this.lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(new Error(`${this.name}: no ${what} in ${timeoutMs} ms; last lines:\n${this.tail()}`));
      }, timeoutMs);
      const done = (line: LogLine) => {
        clearTimeout(timer);
        resolve(line);
      };
      this.#waiters.push({ predicate, resolve: done });
    });
  }

  tail(count = 15): string {
    return [...this.lines.slice(-count).map((l) => JSON.stringify(l)), ...this.stderr.slice(-5)].join("\n");
  }

  /** SIGKILL: the process dies at once, as in a crash. */
  async kill(): Promise<void> {
    if (this.alive) this.#child.kill("SIGKILL");
    await this.#exited;
  }

  /** SIGTERM, then the exit code (0 for a clean stop). */
  async stop(): Promise<number | string> {
    if (this.alive) this.#child.kill("SIGTERM");
    return this.#exited;
  }
}
