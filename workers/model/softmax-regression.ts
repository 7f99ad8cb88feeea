import type { LabelledSet } from "./dataset.ts";
import { ElementType, encodeModel } from "./onnx-graph.ts";
import { seededRandom } from "../yuma/seeded-random.ts";

/** A linear classifier: `probabilities = softmax(x W + b)`, W row-major `width x classes`. */
export type SoftmaxRegression = {
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly width: number;
  readonly classes: number;
};

export type TrainSoftmaxRegressionParameters = {
  readonly set: LabelledSet;
  /** Passes over the samples used. */
  readonly epochs: number;
  readonly learningRate: number;
  readonly batchSize?: number;
  /** Train on the first `samples` samples only (a weaker miner); all by default. */
  readonly samples?: number;
  /** Seeds the order of each pass: the same parameters train the same model. */
  readonly seed?: number;
};

/**
 * Multinomial logistic regression by mini-batch gradient descent on the cross-entropy loss: the
 * small, dependency-free trainer the demo miners use. Deterministic for given parameters. On MNIST's
 * training part, 3 passes at learning rate 0.5 reach about 90% accuracy (see the tests).
 */
export function trainSoftmaxRegression(params: TrainSoftmaxRegressionParameters): SoftmaxRegression {
  const { set, epochs, learningRate } = params;
  const batchSize = params.batchSize ?? 32;
  const count = Math.min(params.samples ?? set.count, set.count);
  const { width, classes } = set;
  const weights = new Float32Array(width * classes);
  const bias = new Float32Array(classes);
  const random = seededRandom({ seed: params.seed ?? 1 });
  const order = [...Array(count).keys()];
  const gradW = new Float64Array(width * classes);
  const gradB = new Float64Array(classes);
  const p = new Float64Array(classes);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(start + batchSize, count);
      gradW.fill(0);
      gradB.fill(0);
      for (let b = start; b < end; b++) {
        const s = order[b]!;
        const x = set.features.subarray(s * width, (s + 1) * width);
        forward(weights, bias, x, width, classes, p);
        p[set.labels[s]!]! -= 1; // d loss / d logits
        for (let k = 0; k < classes; k++) gradB[k]! += p[k]!;
        for (let f = 0; f < width; f++) {
          const xf = x[f]!;
          if (xf === 0) continue;
          const row = f * classes;
          for (let k = 0; k < classes; k++) gradW[row + k]! += xf * p[k]!;
        }
      }
      const step = learningRate / (end - start);
      for (let i = 0; i < weights.length; i++) weights[i]! -= step * gradW[i]!;
      for (let k = 0; k < classes; k++) bias[k]! -= step * gradB[k]!;
    }
  }
  return { weights, bias, width, classes };
}

/** Softmax probabilities of one sample, into `out` (stable: the largest logit is subtracted first). */
export function forward(
  weights: Float32Array,
  bias: Float32Array,
  x: Float32Array,
  width: number,
  classes: number,
  out: Float64Array,
): Float64Array {
  for (let k = 0; k < classes; k++) out[k] = bias[k]!;
  for (let f = 0; f < width; f++) {
    const xf = x[f]!;
    if (xf === 0) continue;
    const row = f * classes;
    for (let k = 0; k < classes; k++) out[k]! += xf * weights[row + k]!;
  }
  let max = -Infinity;
  for (let k = 0; k < classes; k++) max = Math.max(max, out[k]!);
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += out[k] = Math.exp(out[k]! - max);
  for (let k = 0; k < classes; k++) out[k]! /= sum;
  return out;
}

/**
 * The model as ONNX, in the shape every model of the subnet type must have: input `pixels`
 * float32 `[batch, width]`, output `probabilities` float32 `[batch, classes]` (Gemm then Softmax).
 */
export function exportSoftmaxRegression(model: SoftmaxRegression): Uint8Array {
  return encodeModel({
    name: "softmax-regression",
    inputs: [{ name: "pixels", type: ElementType.float, dims: ["batch", model.width] }],
    outputs: [{ name: "probabilities", type: ElementType.float, dims: ["batch", model.classes] }],
    initializers: [
      { name: "W", type: ElementType.float, dims: [model.width, model.classes], floats: model.weights },
      { name: "B", type: ElementType.float, dims: [model.classes], floats: model.bias },
    ],
    nodes: [
      { op: "Gemm", inputs: ["pixels", "W", "B"], outputs: ["logits"] },
      { op: "Softmax", inputs: ["logits"], outputs: ["probabilities"], attributes: { axis: 1 } },
    ],
  });
}
