/**
 * The evaluating process: one of `EvaluatorPool`'s children. It holds the epoch's batch and runs one
 * model at a time with onnxruntime-node, answering with accuracy, loss and a digest of the outputs,
 * or why the model failed. Anything that could take the validator down (a crash inside onnxruntime,
 * an endless graph, a runaway allocation) happens here; the pool kills and replaces this process.
 */
import { createHash } from "node:crypto";
import ort from "onnxruntime-node";

type Batch = { id: string; features: Float32Array; labels: Uint8Array; count: number; width: number; classes: number };
type Request =
  | { type: "batch"; batch: Batch }
  | { type: "evaluate"; id: number; model: Uint8Array; input: string; provider: "cpu" | "cuda" };

let batch: Batch | undefined;

// Requests run strictly in order (the pool may send the next one before this one is answered).
let queue: Promise<void> = Promise.resolve();
process.on("message", (message: Request) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: Request): Promise<void> {
  if (message.type === "batch") {
    batch = message.batch;
    return;
  }
  let result;
  try {
    result = await evaluate(message);
  } catch (error) {
    result = {
      ok: false,
      reason: "invalid-model",
      detail: `onnxruntime: ${String((error as Error)?.message ?? error)}`,
    };
  }
  process.send!({ id: message.id, ...result });
}

async function evaluate(request: Extract<Request, { type: "evaluate" }>) {
  if (!batch) throw new Error("no batch");
  const started = performance.now();
  const { session, provider, fallback } = await open(request.model, request.provider);
  try {
    const feeds = { [request.input]: new ort.Tensor("float32", batch.features, [batch.count, batch.width]) };
    const outputs = await session.run(feeds);
    const output = outputs[session.outputNames[0]!]!;
    const dims = output.dims.map(Number);
    if (output.type !== "float32" || dims.length !== 2 || dims[0] !== batch.count || dims[1] !== batch.classes)
      return fail(
        "wrong-output",
        `output is ${output.type} [${dims.join(", ")}], expected float32 [${batch.count}, ${batch.classes}]`,
      );
    const p = output.data as Float32Array;
    let correct = 0;
    let loss = 0;
    for (let s = 0; s < batch.count; s++) {
      const row = p.subarray(s * batch.classes, (s + 1) * batch.classes);
      let sum = 0;
      let best = 0;
      for (let k = 0; k < batch.classes; k++) {
        const v = row[k]!;
        if (!Number.isFinite(v)) return fail("non-finite-output", `sample ${s}, class ${k}: ${v}`);
        if (v < -1e-6 || v > 1 + 1e-6) return fail("not-probabilities", `sample ${s}, class ${k}: ${v}`);
        sum += v;
        if (v > row[best]!) best = k;
      }
      if (Math.abs(sum - 1) > 1e-3) return fail("not-probabilities", `sample ${s} sums to ${sum}`);
      const label = batch.labels[s]!;
      if (best === label) correct++;
      loss -= Math.log(Math.max(row[label]!, 1e-7));
    }
    return {
      ok: true,
      accuracy: correct / batch.count,
      loss: loss / batch.count,
      outputsDigest: createHash("sha256")
        .update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength))
        .digest("hex"),
      durationMs: performance.now() - started,
      provider,
      fallback,
    };
  } finally {
    await session.release();
  }
}

/** A session on CUDA when asked and available, else on the CPU (with why, for the pool to log once). */
async function open(model: Uint8Array, wanted: "cpu" | "cuda") {
  const options = { logSeverityLevel: 4 as const, intraOpNumThreads: 1, interOpNumThreads: 1 };
  let fallback: string | undefined;
  if (wanted === "cuda") {
    try {
      const session = await ort.InferenceSession.create(model, { ...options, executionProviders: ["cuda", "cpu"] });
      return { session, provider: "cuda", fallback };
    } catch (error) {
      // The CPU-only package throws here rather than falling back; a model error throws again below.
      fallback = String((error as Error)?.message ?? error);
    }
  }
  const session = await ort.InferenceSession.create(model, { ...options, executionProviders: ["cpu"] });
  return { session, provider: "cpu", fallback };
}

function fail(reason: string, detail: string) {
  return { ok: false, reason, detail };
}
