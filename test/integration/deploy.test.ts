import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { getContractAddress } from "viem";
import { ADMIN_FUNCTIONS, FUNCTION_ROLES, ROLES, selectors } from "../../deploy/roles.ts";
import { deployTaonet } from "../helpers/taonet.ts";
import { freePort } from "../../workers/shared/free-port.ts";

const root = path.resolve(import.meta.dirname, "../..");

describe("Deployment", () => {
  it("maps every privileged function to the role the roles matrix says", async () => {
    const t = await deployTaonet();
    const targets = {
      TAO: t.tao,
      Emission: t.emission,
      Staking: t.staking,
      Slashing: t.slashing,
      SubnetRegistry: t.subnetRegistry,
      NeuronRegistry: t.neuronRegistry,
      Weights: t.weights,
      YumaSettlement: t.yumaSettlement,
      RootNetwork: t.rootNetwork,
    } as const;
    for (const [name, byRole] of Object.entries(FUNCTION_ROLES)) {
      for (const [role, signatures] of Object.entries(byRole)) {
        for (const selector of selectors(signatures)) {
          const onChain = await t.manager.read.getTargetFunctionRole([
            targets[name as keyof typeof targets].address,
            selector,
          ]);
          assert.equal(onChain, ROLES[role as keyof typeof ROLES], `${name}.${selector} -> ${role}`);
        }
      }
    }
    for (const [name, signatures] of Object.entries(ADMIN_FUNCTIONS)) {
      for (const selector of selectors(signatures)) {
        const onChain = await t.manager.read.getTargetFunctionRole([
          targets[name as keyof typeof targets].address,
          selector,
        ]);
        assert.equal(onChain, ROLES.ADMIN, `${name}.${selector} -> ADMIN`);
      }
    }
    const [slashingIsSlasher] = await t.manager.read.hasRole([ROLES.SLASHER, t.slashing.address]);
    const [arbitratorHolds] = await t.manager.read.hasRole([ROLES.ARBITRATOR, t.accounts.arbitrator.account.address]);
    const [timelockArbitrates] = await t.manager.read.hasRole([ROLES.ARBITRATOR, t.timelock.address]);
    const [rootSetsShares] = await t.manager.read.hasRole([ROLES.ROOT_NETWORK, t.rootNetwork.address]);
    assert.ok(slashingIsSlasher && arbitratorHolds && timelockArbitrates && rootSetsShares);
  });

  it("fits every contract in OP Mainnet's 24,576-byte code limit", async () => {
    const t = await deployTaonet();
    for (const [name, address] of Object.entries({
      TAO: t.tao.address,
      Emission: t.emission.address,
      Staking: t.staking.address,
      Slashing: t.slashing.address,
      SubnetRegistry: t.subnetRegistry.address,
      NeuronRegistry: t.neuronRegistry.address,
      MetagraphLens: t.metagraphLens.address,
      Weights: t.weights.address,
      YumaSettlement: t.yumaSettlement.address,
      YumaEpochRunner: t.yumaEpochRunner.address,
      // Deployed by the runner's constructor, its first CREATE (a contract's nonce starts at 1).
      YumaBondsKernel: getContractAddress({ from: t.yumaEpochRunner.address, nonce: 1n }),
      RootNetwork: t.rootNetwork.address,
      TaoGovernor: t.governor.address,
      TimelockController: t.timelock.address,
      AccessManager: t.manager.address,
    })) {
      const code = await t.publicClient.getCode({ address });
      const size = (code!.length - 2) / 2;
      assert.ok(size > 0 && size <= 24_576, `${name} is ${size} bytes`);
    }
  });

  it("runs the README's devnet command: chain up, protocol deployed, accounts funded, addresses printed", async () => {
    const port = await freePort();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, "scripts/devnet.ts"), "--exit", "--port", String(port)],
      { cwd: root, timeout: 120_000 },
    );
    assert.match(stdout, new RegExp(`taonet devnet on http://127.0.0.1:${port} \\(chain id 31337`));
    for (const name of [
      "manager",
      "tao",
      "emission",
      "staking",
      "slashing",
      "subnetRegistry",
      "neuronRegistry",
      "metagraphLens",
      "weights",
      "yumaEpochRunner",
      "yumaSettlement",
      "timelock",
      "governor",
    ]) {
      assert.match(stdout, new RegExp(`${name}\\s*│ '0x[0-9a-fA-F]{40}'`), name);
    }
    // Funded with 10,000 TAO; the neurons' coldkeys have since paid registration burns and gas.
    assert.match(stdout, /0x8626f6940e2eb28930efb4cef49b2d1f2c9c1199' │ 10000/);
    assert.match(
      stdout,
      /Subnet 1 "mnist" \(owner 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266, locked 100 TAO, tempo 10 blocks\) with 20 neurons/,
    );
    // Defaults: 4 validators (UIDs 0-3) then 16 miners whose qualities cycle strong, medium, weak, medium.
    assert.match(stdout, /│ 3\s+│ 3\s+│ 'validator' │ '0x[0-9a-fA-F]{40}' │/);
    assert.match(stdout, /│ 4\s+│ 4\s+│ 'strong'\s+│ '0x[0-9a-fA-F]{40}' │/);
    assert.match(stdout, /│ 19\s+│ 19\s+│ 'medium'\s+│ '0x[0-9a-fA-F]{40}' │/);
    const record = JSON.parse(
      await readFile(path.join(root, "deploy/deployments/chain-31337/deployed_addresses.json"), "utf8"),
    ) as Record<string, string>;
    assert.ok(stdout.includes(record["Taonet#Staking"]), "printed addresses match the deployment record");
  });

  it("runs the README's devnet command with --epochs: the workers earn and it exits 0", async () => {
    // The README's `npm run devnet -- --epochs 3`, smaller and faster: 2 validators, 4 miners,
    // blocks every 500 ms, 2 epochs paid by weights. Redis: REDIS_URL when set, else its own.
    const port = await freePort();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        path.join(root, "scripts/devnet.ts"),
        ...["--port", String(port), "--epochs", "2", "--validators", "2", "--miners", "4", "--block-time", "500"],
      ],
      { cwd: root, timeout: 240_000, maxBuffer: 16 * 2 ** 20 },
    );
    assert.match(stdout, /Workers: 4 miners, 2 validators, 1 keeper/);
    assert.match(stdout, /Epoch \d+ settled at block \d+ \(paid by weights: 2 of 2\)/);
    assert.match(stdout, /Summary: 2 epochs paid by weights\./);
    const earned = /Miners earned ([\d.,]+) TAO, validators ([\d.,]+) TAO\./.exec(stdout);
    assert.ok(earned, "the summary names what miners and validators earned");
    assert.ok(Number(earned[1]!.replaceAll(",", "")) > 0 && Number(earned[2]!.replaceAll(",", "")) > 0, earned[0]);
  });
});
