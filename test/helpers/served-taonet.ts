import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { CONTRACTS } from "../../workers/shared/taonet-client.ts";
import { serveProvider } from "./serve-provider.ts";
import { deployTaonet, type TEST_PARAMETERS } from "./taonet.ts";

/**
 * The test deployment on a chain served over HTTP on 127.0.0.1, for tests of the worker daemons
 * (separate processes that reach the chain by RPC). Deployment mines one block per transaction;
 * `intervalMining()` then switches to a block every `blockIntervalMs` only, transactions waiting
 * for it as on the rollup. `deployment` is a deployment record (the format `connectTaonet` reads)
 * in a temporary directory, so tests never touch the devnet's.
 */
export async function servedTaonet({
  blockIntervalMs = 500,
  overrides = {},
}: { blockIntervalMs?: number; overrides?: Partial<typeof TEST_PARAMETERS> } = {}) {
  const connection = await network.create({
    network: "default",
    override: { allowBlocksWithSameTimestamp: true, mining: { auto: true, interval: blockIntervalMs } },
  });
  const t = await deployTaonet(overrides, connection);
  const server = await serveProvider(connection.provider);
  const { url } = server;
  const dir = await mkdtemp(path.join(tmpdir(), "taonet-served-"));
  const deployment = path.join(dir, "deployed_addresses.json");
  const byName: Record<(typeof CONTRACTS)[number], `0x${string}`> = {
    TAO: t.tao.address,
    Staking: t.staking.address,
    SubnetRegistry: t.subnetRegistry.address,
    NeuronRegistry: t.neuronRegistry.address,
    Weights: t.weights.address,
    YumaSettlement: t.yumaSettlement.address,
    Slashing: t.slashing.address,
    MetagraphLens: t.metagraphLens.address,
  };
  await writeFile(
    deployment,
    JSON.stringify(Object.fromEntries(Object.entries(byName).map(([name, address]) => [`Taonet#${name}`, address]))),
  );
  return {
    t,
    url,
    deployment,
    dir,
    intervalMining: () => connection.provider.request({ method: "evm_setAutomine", params: [false] }),
    close: async () => {
      await server.close();
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
