import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { maxUint256, parseEther, zeroAddress, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployTaonet, type Taonet } from "../helpers/taonet.ts";
import { Hyperparameter as H } from "../../workers/shared/hyperparameter.ts";

describe("Registry: subnets and neurons", () => {
  describe("a 256-UID subnet filled past capacity", () => {
    let t: Taonet;
    let netuid: bigint;
    const hotkeys: Address[] = [];

    async function bindAndRegister(): Promise<{ hotkey: Address; uid: bigint; price: bigint }> {
      const { alice } = t.accounts;
      const hotkey = privateKeyToAccount(generatePrivateKey());
      const deadline = BigInt(await t.networkHelpers.time.latest()) + 3600n;
      const signature = await t.signBinding(hotkey, alice.account.address, deadline);
      await t.staking.write.bindHotkey([hotkey.address, deadline, signature], { account: alice.account });
      const price = await t.neuronRegistry.read.burnPrice([netuid]);
      await t.neuronRegistry.write.registerNeuron([netuid, hotkey.address, price], { account: alice.account });
      const [registered, uid] = await t.neuronRegistry.read.uidOf([netuid, hotkey.address]);
      assert.ok(registered);
      return { hotkey: hotkey.address, uid, price };
    }

    before(async () => {
      t = await deployTaonet();
      const { alice, bob } = t.accounts;
      netuid = await t.createSubnet(bob, "vision");
      await t.setHyperparameters(bob, netuid, [
        [H.TargetRegistrationsPerInterval, 1024n],
        [H.ImmunityPeriod, 200n],
        [H.MaxBurn, parseEther("1")],
      ]);
      await t.tao.write.approve([t.neuronRegistry.address, maxUint256], { account: alice.account });
      for (let i = 0; i < 256; i++) hotkeys.push((await bindAndRegister()).hotkey);
    });

    it("fills UIDs 0..255 in order, with rising prices clamped to maxBurn", async () => {
      assert.equal(await t.neuronRegistry.read.neuronCount([netuid]), 256n);
      for (const uid of [0n, 17n, 255n]) {
        assert.equal(await t.neuronRegistry.read.hotkeyOf([netuid, uid]), t.address(hotkeys[Number(uid)]));
      }
      assert.equal(await t.neuronRegistry.read.burnPrice([netuid]), parseEther("1"));
    });

    it("replaces the lowest-emission non-immune neuron, never an immune one", async () => {
      const { settlement } = t.accounts;
      await t.grantSettlementRole();
      await t.mineBlocks(200); // every original neuron is now past its immunity
      // Every UID earned 10 except UIDs 7 and 3 (1 each): UID 3 registered earlier, so it goes first.
      const emissions = Array.from({ length: 256 }, (_, uid) => (uid === 3 || uid === 7 ? 1n : 10n));
      await t.neuronRegistry.write.recordNeuronEmissions([netuid, 0n, emissions], { account: settlement.account });

      const first = await bindAndRegister();
      assert.equal(first.uid, 3n);
      const [stillThere] = await t.neuronRegistry.read.uidOf([netuid, hotkeys[3]]);
      assert.equal(stillThere, false, "the pruned hotkey lost its UID");
      assert.equal(await t.neuronRegistry.read.neuronEmission([netuid, 3n]), 0n, "no emission leaks to the newcomer");
      assert.equal(await t.neuronRegistry.read.isImmune([netuid, 3n]), true);
      assert.equal((await bindAndRegister()).uid, 7n);

      // 42 more: the earliest-registered non-immune neurons with emission 10 (UIDs 0,1,2,4,5,6,8,...).
      const replaced: bigint[] = [];
      for (let i = 0; i < 42; i++) replaced.push((await bindAndRegister()).uid);
      const expected = Array.from({ length: 256 }, (_, uid) => BigInt(uid))
        .filter((uid) => uid !== 3n && uid !== 7n)
        .slice(0, 42);
      assert.deepEqual(replaced, expected);
      assert.equal(await t.neuronRegistry.read.neuronCount([netuid]), 256n);
      for (const uid of [3n, 7n, ...replaced]) assert.equal(await t.neuronRegistry.read.isImmune([netuid, uid]), true);
    });

    it("reads the whole metagraph in one call", async () => {
      const [page, total] = await t.metagraphLens.read.metagraph([netuid, 0n, 256n]);
      assert.equal(total, 256n);
      assert.equal(page.length, 256);
      for (const info of page) {
        const [, uid] = await t.neuronRegistry.read.uidOf([netuid, info.hotkey]);
        assert.equal(uid, info.uid);
        assert.equal(info.coldkey, t.address(t.accounts.alice.account.address));
        assert.equal(info.registeredAtBlock, await t.neuronRegistry.read.blockAtRegistration([netuid, info.uid]));
      }
      const [tail] = await t.metagraphLens.read.metagraph([netuid, 250n, 100n]);
      assert.deepEqual(
        tail.map((n) => n.uid),
        [250n, 251n, 252n, 253n, 254n, 255n],
      );
    });
  });

  describe("subnets", () => {
    it("locks the lock cost, doubles it for the next creation and returns it exactly once", async () => {
      const t = await deployTaonet();
      const { alice, bob } = t.accounts;
      assert.equal(await t.subnetRegistry.read.lockCost(), parseEther("1000"));
      const before = await t.tao.read.balanceOf([alice.account.address]);
      const netuid = await t.createSubnet(alice);
      assert.equal(await t.tao.read.balanceOf([alice.account.address]), before - parseEther("1000"));
      // Doubled, minus the first block of linear decay (1000 TAO / 604,800 blocks).
      const next = await t.subnetRegistry.read.lockCost();
      assert.ok(next > parseEther("1999.99") && next <= parseEther("2000"), `${next}`);

      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.subnetRegistry.write.dissolveSubnet([netuid], { account: bob.account }),
        t.subnetRegistry,
        "AccessManagedUnauthorized",
        [bob.account.address],
      );
      await t.subnetRegistry.write.dissolveSubnet([netuid], { account: alice.account });
      assert.equal(await t.tao.read.balanceOf([alice.account.address]), before);
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.subnetRegistry.write.dissolveSubnet([netuid], { account: alice.account }),
        t.subnetRegistry,
        "UnknownSubnet",
        [netuid],
      );
      assert.equal(await t.tao.read.balanceOf([alice.account.address]), before);
      assert.deepEqual(await t.subnetRegistry.read.activeSubnets(), []);
    });

    it("replaces the lowest-emission subnet past its immunity when the cap is reached", async () => {
      const t = await deployTaonet();
      const { alice, bob, carol, settlement } = t.accounts;
      const gov = await t.asTimelock();
      const registryAsGov = await t.viem.getContractAt("SubnetRegistry", t.subnetRegistry.address, {
        client: { wallet: gov },
      });
      await registryAsGov.write.setNetworkParameters([
        { maxSubnets: 2n, networkImmunityPeriod: 10n, lockReductionInterval: 604_800n, minLockCost: parseEther("10") },
      ]);
      await t.grantSettlementRole();
      const first = await t.createSubnet(alice);
      const second = await t.createSubnet(bob);
      await t.subnetRegistry.write.recordSubnetEmission([first, parseEther("5")], { account: settlement.account });
      await t.subnetRegistry.write.recordSubnetEmission([second, parseEther("3")], { account: settlement.account });

      // Both still immune: no room.
      const cost = await t.subnetRegistry.read.lockCost();
      await t.tao.write.approve([t.subnetRegistry.address, cost], { account: carol.account });
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.subnetRegistry.write.createSubnet([cost, { name: "c", repository: "", description: "" }], {
          account: carol.account,
        }),
        t.subnetRegistry,
        "SubnetLimitReached",
        [2n],
      );
      await t.mineBlocks(10);
      assert.equal(await t.subnetRegistry.read.subnetToReplace(), second);
      const bobBefore = await t.tao.read.balanceOf([bob.account.address]);
      const bobLock = (await t.subnetRegistry.read.subnet([second])).lockedAmount;
      const third = await t.createSubnet(carol);
      assert.deepEqual(await t.subnetRegistry.read.activeSubnets(), [first, third]);
      assert.equal(await t.tao.read.balanceOf([bob.account.address]), bobBefore + bobLock);
    });

    it("numbers the hyperparameters as the TypeScript side does", async () => {
      const t = await deployTaonet();
      const netuid = await t.createSubnet(t.accounts.alice);
      const record = (await t.subnetRegistry.read.hyperparameters([netuid])) as unknown as Record<
        string,
        bigint | boolean
      >;
      for (const [name, index] of Object.entries(H)) {
        const field = record[name[0].toLowerCase() + name.slice(1)];
        const value = await t.subnetRegistry.read.hyperparameter([netuid, index]);
        assert.equal(value, typeof field === "boolean" ? (field ? 1n : 0n) : field, name);
      }
      assert.equal(BigInt(Object.keys(H).length), await t.subnetRegistry.read.PARAMETER_COUNT());
    });

    it("lets the owner tune hyperparameters within governance's bounds, and hands ownership over in two steps", async () => {
      const t = await deployTaonet();
      const { alice, bob } = t.accounts;
      const netuid = await t.createSubnet(alice);
      await t.subnetRegistry.write.setHyperparameter([netuid, H.Tempo, 4_320n], { account: alice.account });
      assert.equal((await t.subnetRegistry.read.hyperparameters([netuid])).tempo, 4_320n);

      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.subnetRegistry.write.setHyperparameter([netuid, H.Tempo, 302_401n], { account: alice.account }),
        t.subnetRegistry,
        "HyperparameterOutOfBounds",
        // The test deployment lowers Tempo's minimum to 1 block (TEST_PARAMETERS).
        [H.Tempo, 302_401n, 1n, 302_400n],
      );
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.subnetRegistry.write.setHyperparameter([netuid, H.Kappa, 1n], { account: alice.account }),
        t.subnetRegistry,
        "HyperparameterGovernanceOnly",
        [H.Kappa],
      );
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.subnetRegistry.write.setHyperparameter([netuid, H.MaxAllowedValidators, 300n], { account: alice.account }),
        t.subnetRegistry,
        // At most 128 validators (MAX_VALIDATORS_HARD_CAP): the settlement's units cover them all.
        "HyperparameterOutOfBounds",
        [H.MaxAllowedValidators, 300n, 1n, 128n],
      );
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.subnetRegistry.write.setHyperparameter([netuid, H.Tempo, 4_320n], { account: bob.account }),
        t.subnetRegistry,
        "NotSubnetOwner",
        [netuid, bob.account.address, alice.account.address],
      );

      await t.subnetRegistry.write.transferSubnetOwnership([netuid, bob.account.address], { account: alice.account });
      assert.equal(await t.subnetRegistry.read.ownerOf([netuid]), t.address(alice.account.address));
      await t.subnetRegistry.write.acceptSubnetOwnership([netuid], { account: bob.account });
      assert.equal(await t.subnetRegistry.read.ownerOf([netuid]), t.address(bob.account.address));
    });
  });

  describe("neurons: bad input gets its custom error and changes nothing", () => {
    it("unknown netuid, foreign or duplicate hotkey, price above the maximum", async () => {
      const t = await deployTaonet();
      const { alice, bob } = t.accounts;
      const netuid = await t.createSubnet(alice);
      const { hotkey } = await t.registerNeuron(alice, netuid);
      const other = await t.newBoundHotkey(bob);
      await t.tao.write.approve([t.neuronRegistry.address, maxUint256], { account: alice.account });
      await t.tao.write.approve([t.neuronRegistry.address, maxUint256], { account: bob.account });
      const snapshot = async () => ({
        state: await t.neuronRegistry.read.registrationState([netuid]),
        supply: await t.tao.read.totalSupply(),
      });
      const before = await snapshot();

      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.neuronRegistry.write.registerNeuron([99n, other.address, maxUint256], { account: bob.account }),
        t.neuronRegistry,
        "UnknownSubnet",
        [99n],
      );
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.neuronRegistry.write.registerNeuron([netuid, other.address, maxUint256], { account: alice.account }),
        t.neuronRegistry,
        "NotHotkeyColdkey",
        [other.address, alice.account.address, bob.account.address],
      );
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.neuronRegistry.write.registerNeuron([netuid, hotkey.address, maxUint256], { account: alice.account }),
        t.neuronRegistry,
        "HotkeyAlreadyRegistered",
        [netuid, hotkey.address, 0n],
      );
      // The price decays a little each block: half of it is below it in any next block.
      const price = await t.neuronRegistry.read.burnPrice([netuid]);
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.neuronRegistry.write.registerNeuron([netuid, other.address, price / 2n], { account: bob.account }),
        t.neuronRegistry,
        "BurnAboveMaximum",
        [(actual: bigint) => actual <= price && actual > price / 2n, price / 2n],
      );
      assert.deepEqual(await snapshot(), before);
    });

    it("serves endpoints and commitments from registered hotkeys only, rate limited", async () => {
      const t = await deployTaonet();
      const { alice } = t.accounts;
      const netuid = await t.createSubnet(alice);
      const { hotkey, uid } = await t.registerNeuron(alice, netuid);
      const client = await t.viem.getWalletClient(t.accounts.deployer.account.address);
      await t.networkHelpers.setBalance(hotkey.address, parseEther("1"));
      const endpoint = {
        ip: `0x${"00".repeat(12)}7f000001` as `0x${string}`,
        port: 8091,
        ipType: 4,
        protocol: 4,
        version: 1,
        updatedAtBlock: 0n,
        url: "",
      };
      await t.neuronRegistry.write.serveEndpoint([netuid, endpoint], { account: hotkey });
      const stored = await t.neuronRegistry.read.endpointOf([netuid, hotkey.address]);
      assert.equal(stored.port, 8091);
      await t.viem.assertions.revertWithCustomError(
        t.neuronRegistry.write.serveEndpoint([netuid, endpoint], { account: hotkey }),
        t.neuronRegistry,
        "EndpointRateLimited",
      );
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.neuronRegistry.write.serveEndpoint([netuid, endpoint], { account: client.account }),
        t.neuronRegistry,
        "HotkeyNotRegistered",
        [netuid, client.account.address],
      );

      const digest = `0x${"ab".repeat(32)}` as `0x${string}`;
      await t.viem.assertions.emitWithArgs(
        t.neuronRegistry.write.commit([netuid, digest, "http://127.0.0.1:9000/model.onnx"], { account: hotkey }),
        t.neuronRegistry,
        "CommitmentSet",
        [netuid, hotkey.address, uid, digest, "http://127.0.0.1:9000/model.onnx", (b: bigint) => b > 0n, true],
      );
      const [firstBy] = await t.neuronRegistry.read.firstCommitment([netuid, digest]);
      assert.equal(firstBy, t.address(hotkey.address));
      await t.viem.assertions.revertWithCustomError(
        t.neuronRegistry.write.commit([netuid, digest, "x"], { account: hotkey }),
        t.neuronRegistry,
        "CommitmentRateLimited",
      );
      void zeroAddress;
    });
  });
});
