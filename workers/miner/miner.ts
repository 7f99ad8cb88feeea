import type { SplitDataset } from "../model/dataset.ts";
import { exportSoftmaxRegression, trainSoftmaxRegression } from "../model/softmax-regression.ts";
import type { ModelServer, PublishedModel } from "./model-server.ts";

/**
 * Demo miners of different quality, from a flag: how much of the training part they learn from and
 * for how long. On MNIST's evaluation part (measured, seed 1): "strong" 91.1%, "medium" 76.3%,
 * "weak" 37.8%.
 */
export const MINER_QUALITIES = {
  strong: { epochs: 3, learningRate: 0.5, samples: undefined },
  medium: { epochs: 1, learningRate: 0.5, samples: 1_000 },
  weak: { epochs: 1, learningRate: 0.5, samples: 200 },
} as const;

export type MinerQuality = keyof typeof MINER_QUALITIES;

/** Trains a model of the given quality on the training part and exports it as ONNX. */
export function trainMinerModel(params: { dataset: SplitDataset; quality: MinerQuality; seed?: number }): Uint8Array {
  const q = MINER_QUALITIES[params.quality];
  if (!q) throw new RangeError(`unknown miner quality "${params.quality}" (strong, medium or weak)`);
  return exportSoftmaxRegression(trainSoftmaxRegression({ set: params.dataset.train, ...q, seed: params.seed ?? 1 }));
}

/** How a miner reaches the chain (`NeuronRegistry.commit` as its hotkey). */
export interface MinerChain {
  commit(netuid: bigint, digest: `0x${string}`, uri: string): Promise<"success" | "reverted">;
}

export class CommitFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CommitFailedError";
  }
}

/**
 * Serves `model` and commits its digest and URI for `netuid`: the file is served before the commit
 * is sent, so a validator that sees the commitment can fetch it. Throws `CommitFailedError` when the
 * commit reverts (the subnet's `CommitmentRateLimit`, an unregistered hotkey).
 */
export async function publishAndCommit(params: {
  server: ModelServer;
  chain: MinerChain;
  netuid: bigint;
  model: Uint8Array;
}): Promise<PublishedModel> {
  const published = params.server.publish(params.model);
  let status: "success" | "reverted";
  try {
    status = await params.chain.commit(params.netuid, published.digest, published.uri);
  } catch (error) {
    // A node that refuses a transaction that would revert throws; viem's message names the custom
    // error on a line `Error: Name(...)`.
    const lines = String((error as Error)?.message ?? error)
      .split("\n")
      .map((line) => line.trim());
    const reason = lines.find((line) => /^Error: \w+\(/.test(line)) ?? lines[0];
    throw new CommitFailedError(`commit of ${published.digest} failed: ${reason}`, { cause: error });
  }
  if (status !== "success") throw new CommitFailedError(`commit of ${published.digest} reverted`);
  return published;
}
