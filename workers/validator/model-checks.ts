import { decodeModel } from "../model/onnx-graph.ts";

/** Why a model scored zero: a stable code for logs and metrics, and a human detail. */
export type Rejection = { readonly ok: false; readonly reason: RejectionReason; readonly detail: string };

export type RejectionReason =
  | "too-large"
  | "malformed"
  | "external-data"
  | "tensor-too-large"
  | "wrong-input"
  | "invalid-model"
  | "wrong-output"
  | "non-finite-output"
  | "not-probabilities"
  | "timeout"
  | "memory-limit"
  | "crashed"
  /** The model could not be fetched from its commitment's URI (see `ModelFetcher`). */
  | "unfetchable";

export type ModelLimits = {
  /** Largest model file accepted. */
  readonly maxModelBytes: number;
  /** Largest tensor a model may declare (an initializer's element count times its element size). */
  readonly maxTensorBytes: number;
  /** Wall time one evaluation may take, session creation included. */
  readonly timeoutMs: number;
  /** Resident memory the evaluating process may reach. */
  readonly maxResidentBytes: number;
};

export const DEFAULT_LIMITS: ModelLimits = {
  maxModelBytes: 16 * 2 ** 20,
  maxTensorBytes: 64 * 2 ** 20,
  timeoutMs: 10_000,
  maxResidentBytes: 1024 * 2 ** 20,
};

/** Bytes per element of ONNX's element types (`TensorProto.DataType`); unknown types count as 8. */
const ELEMENT_BYTES: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  16: 2,
};

/**
 * What can be checked without running the model, in the validator's own process and before any
 * onnxruntime code sees the bytes: the size, that the bytes are an ONNX ModelProto with a graph, no
 * tensor stored outside the file, no declared tensor above the limit (a model cannot make the
 * validator allocate gigabytes by declaring them), and one input `[batch, width]` of float32.
 * Returns the input's name, or the rejection.
 */
export function checkModel(
  bytes: Uint8Array,
  width: number,
  limits: ModelLimits,
): { readonly ok: true; readonly input: string } | Rejection {
  if (bytes.length > limits.maxModelBytes)
    return reject("too-large", `${bytes.length} bytes, the limit is ${limits.maxModelBytes}`);
  let model;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    return reject("malformed", `not an ONNX model: ${(error as Error).message}`);
  }
  const graph = model.graph;
  if (!graph?.node?.length) return reject("malformed", "no graph, or a graph without nodes");
  const initializers = new Set<string>();
  for (const tensor of graph.initializer ?? []) {
    const name = tensor.name ?? "";
    initializers.add(name);
    if (tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0)
      return reject("external-data", `tensor "${name}" is stored outside the model file`);
    const elements = (tensor.dims ?? []).reduce((n: number, d) => n * Math.max(Number(d), 0), 1);
    const size = elements * (ELEMENT_BYTES[tensor.dataType ?? 0] ?? 8);
    if (size > limits.maxTensorBytes)
      return reject(
        "tensor-too-large",
        `tensor "${name}" declares ${size} bytes, the limit is ${limits.maxTensorBytes}`,
      );
  }
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name ?? ""));
  if (inputs.length !== 1) return reject("wrong-input", `${inputs.length} inputs, expected one [batch, ${width}]`);
  const input = inputs[0]!;
  const tensorType = input.type?.tensorType;
  const dims = tensorType?.shape?.dim ?? [];
  if (tensorType?.elemType !== 1 || dims.length !== 2 || Number(dims[1]!.dimValue) !== width)
    return reject(
      "wrong-input",
      `input "${input.name}" is ${describe(tensorType?.elemType, dims)}, expected float32 [batch, ${width}]`,
    );
  return { ok: true, input: input.name ?? "" };
}

export function reject(reason: RejectionReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

function describe(
  elemType: number | null | undefined,
  dims: readonly { dimValue?: unknown; dimParam?: string | null }[],
) {
  const shape = dims.map((d) => (d.dimParam ? d.dimParam : String(d.dimValue ?? "?"))).join(", ");
  return `element type ${elemType ?? "?"} [${shape}]`;
}
