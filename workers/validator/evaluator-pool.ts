import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { checkModel, DEFAULT_LIMITS, reject, type ModelLimits, type Rejection } from "./model-checks.ts";

/** The epoch's evaluation batch, sent once to each evaluating process (by `id`). */
export type EvaluationBatch = {
  readonly id: string;
  readonly features: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly width: number;
  readonly classes: number;
};

export type Scored = {
  readonly ok: true;
  /** Share of the batch classified right (the arg-max of the probabilities). */
  readonly accuracy: number;
  /** Mean cross-entropy, `-log(max(p[label], 1e-7))`. */
  readonly loss: number;
  /** sha256 of the output tensor's bytes: equal outputs mark a copied model. */
  readonly outputsDigest: string;
  readonly durationMs: number;
  readonly provider: "cpu" | "cuda";
};

export type Evaluation = Scored | Rejection;

export type EvaluatorPoolOptions = {
  /** Evaluating processes; one per core by default is the caller's choice (default 1). */
  readonly size?: number;
  readonly limits?: Partial<ModelLimits>;
  /** `cuda` tries the CUDA execution provider first and falls back to the CPU. */
  readonly executionProvider?: "cpu" | "cuda";
  /** Called once, the first time CUDA was asked for and the CPU had to be used. */
  readonly onFallback?: (detail: string) => void;
};

type Job = {
  readonly model: Uint8Array;
  readonly input: string;
  readonly batch: EvaluationBatch;
  readonly resolve: (evaluation: Evaluation) => void;
};

type Running = Job & { readonly id: number };

/** A child and its jobs in flight, in the order it runs them: the first one is running. */
type Slot = { child: ChildProcess; batchId?: string; inflight: Running[]; timers: NodeJS.Timeout[] };

const CHILD = new URL("./evaluation-process.ts", import.meta.url);
const RSS_POLL_MS = 20;
/** Jobs sent to a child ahead of its answers, so that the messages overlap the work. */
const IN_FLIGHT = 2;

/**
 * Scores ONNX models on a batch in long-lived child processes (`evaluation-process.ts`), one model
 * at a time each, so that a malformed or hostile model costs at most its own evaluation: the bytes are
 * checked here first (`checkModel`), and a child that overruns the time limit, grows past the memory
 * limit (its resident set, polled every 20 ms from /proc) or dies is killed and replaced, and the
 * model scored zero with the reason. Never rejects: every model gets an `Evaluation`.
 */
export class EvaluatorPool {
  readonly limits: ModelLimits;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #provider: "cpu" | "cuda";
  readonly #onFallback?: (detail: string) => void;
  #fellBack = false;
  #nextId = 0;
  #closed = false;

  constructor(options: EvaluatorPoolOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#provider = options.executionProvider ?? "cpu";
    this.#onFallback = options.onFallback;
    for (let i = 0; i < (options.size ?? 1); i++) this.#slots.push(this.#spawn());
  }

  /** Scores `model` on `batch`. */
  evaluate(model: Uint8Array, batch: EvaluationBatch): Promise<Evaluation> {
    if (this.#closed) return Promise.reject(new Error("EvaluatorPool is closed"));
    const checked = checkModel(model, batch.width, this.limits);
    if (!checked.ok) return Promise.resolve(checked);
    return new Promise((resolve) => {
      this.#queue.push({ model, input: checked.input, batch, resolve });
      this.#dispatch();
    });
  }

  /** The evaluating processes' ids (for metrics and tests). */
  get pids(): number[] {
    return this.#slots.map((slot) => slot.child.pid!).filter((pid) => pid !== undefined);
  }

  /** Stops every evaluating process; pending evaluations are not answered. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      this.#slots.map(
        (slot) =>
          new Promise<void>((done) => {
            slot.timers.forEach(clearTimeout);
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return done();
            slot.child.once("exit", () => done());
            slot.child.kill("SIGKILL");
          }),
      ),
    );
  }

  #spawn(): Slot {
    const child = fork(CHILD, [], { serialization: "advanced", stdio: ["ignore", "ignore", "ignore", "ipc"] });
    const slot: Slot = { child, inflight: [], timers: [] };
    child.on(
      "message",
      (message: { id: number } & (Omit<Scored, "provider"> | Rejection) & { provider?: string; fallback?: string }) => {
        const job = slot.inflight[0];
        if (!job || message.id !== job.id) return;
        if (message.ok && message.fallback && !this.#fellBack) {
          this.#fellBack = true;
          this.#onFallback?.(message.fallback);
        }
        const { id: _id, fallback: _fallback, ...evaluation } = message;
        this.#settle(slot, evaluation as Evaluation);
      },
    );
    child.on("exit", (code, signal) => {
      if (this.#closed) return;
      if (slot.inflight.length > 0)
        this.#settle(slot, reject("crashed", `the evaluating process exited (${signal ?? `code ${code}`})`), true);
      else this.#replace(slot);
    });
    // A send to a process that just died: its exit answers the job.
    child.on("error", () => {});
    return slot;
  }

  #dispatch() {
    for (const slot of this.#slots) {
      while (slot.inflight.length < IN_FLIGHT && this.#queue.length > 0) {
        const job = { ...this.#queue.shift()!, id: this.#nextId++ };
        slot.inflight.push(job);
        if (slot.batchId !== job.batch.id) {
          slot.child.send({ type: "batch", batch: job.batch });
          slot.batchId = job.batch.id;
        }
        slot.child.send({ type: "evaluate", id: job.id, model: job.model, input: job.input, provider: this.#provider });
        if (slot.inflight.length === 1) this.#watch(slot);
      }
    }
  }

  /** Limits the slot's running job (the first in flight): its time, and the child's memory. */
  #watch(slot: Slot) {
    slot.timers.push(
      setTimeout(
        () => this.#kill(slot, reject("timeout", `no answer within ${this.limits.timeoutMs} ms`)),
        this.limits.timeoutMs,
      ),
    );
    const pid = slot.child.pid;
    slot.timers.push(
      setInterval(() => {
        const rss = residentBytes(pid);
        if (rss > this.limits.maxResidentBytes)
          this.#kill(
            slot,
            reject(
              "memory-limit",
              `resident memory reached ${rss} bytes, the limit is ${this.limits.maxResidentBytes}`,
            ),
          );
      }, RSS_POLL_MS),
    );
  }

  /**
   * Answers the slot's running job. With `replace` (the child is dead or killed), the jobs queued
   * behind it go back to the front of the queue, and a fresh child takes the slot.
   */
  #settle(slot: Slot, evaluation: Evaluation, replace = false) {
    const job = slot.inflight.shift()!;
    slot.timers.forEach(clearTimeout);
    slot.timers = [];
    if (replace) {
      this.#queue.unshift(...slot.inflight.map(({ id: _id, ...queued }) => queued));
      this.#replace(slot);
    } else if (slot.inflight.length > 0) {
      // The child has started the next one as it answered this one.
      this.#watch(slot);
    }
    job.resolve(evaluation);
    this.#dispatch();
  }

  /** A fresh child in the slot's place (its process is dead or killed; its events no longer count). */
  #replace(slot: Slot) {
    slot.child.removeAllListeners();
    this.#slots[this.#slots.indexOf(slot)] = this.#spawn();
  }

  #kill(slot: Slot, evaluation: Rejection) {
    if (slot.inflight.length === 0) return;
    slot.child.kill("SIGKILL");
    this.#settle(slot, evaluation, true);
  }
}

/** A process's resident set in bytes (Linux /proc), 0 once it is gone. */
function residentBytes(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
