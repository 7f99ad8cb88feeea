import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { parseEther, zeroAddress } from "viem";
import { DAY, deployTaonet, type Taonet } from "../helpers/taonet.ts";

describe("Staking with viem on an OP-simulated chain", () => {
  let t: Taonet;
  beforeEach(async () => {
    t = await deployTaonet();
  });

  it("stakes with a permit in one transaction", async () => {
    const { alice } = t.accounts;
    const hotkey = await t.newBoundHotkey(alice);
    const amount = parseEther("250");
    const deadline = BigInt(await t.networkHelpers.time.latest()) + 600n;
    const { r, s, v } = await import("viem").then(async ({ parseSignature }) =>
      parseSignature(await t.signPermit(alice, t.staking.address, amount, deadline)),
    );
    assert.equal(await t.tao.read.allowance([alice.account.address, t.staking.address]), 0n);

    const hash = await t.staking.write.addStakeWithPermit([hotkey.address, amount, deadline, Number(v), r, s], {
      account: alice.account,
    });
    const receipt = await t.publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    assert.equal(await t.staking.read.stakeOf([alice.account.address, hotkey.address]), amount);
    assert.equal(await t.staking.read.totalStake([hotkey.address]), amount);
    assert.equal(await t.tao.read.balanceOf([t.staking.address]), amount);
  });

  it("pays delegators their share of a reward after the operator's take", async () => {
    const { alice, bob, carol, settlement } = t.accounts;
    await t.grantSettlementRole();
    const hotkey = await t.newBoundHotkey(alice); // alice operates the hotkey, take 18%
    await t.stake(alice, hotkey.address, parseEther("100"));
    await t.stake(bob, hotkey.address, parseEther("300")); // bob delegates

    const reward = parseEther("40");
    await t.tao.write.transfer([settlement.account.address, reward], { account: carol.account });
    await t.tao.write.approve([t.staking.address, reward], { account: settlement.account });
    await t.viem.assertions.emitWithArgs(
      t.staking.write.distributeReward([hotkey.address, reward], { account: settlement.account }),
      t.staking,
      "RewardDistributed",
      [
        hotkey.address,
        reward,
        parseEther("7.2"),
        alice.account.address,
        (shares: bigint) => shares > 0n,
        parseEther("440"),
        (shares: bigint) => shares > 0n,
      ],
    );

    // Delegators split the 32.8 TAO after take pro rata (1:3); alice also gets the 7.2 TAO take.
    const bobStake = await t.staking.read.stakeOf([bob.account.address, hotkey.address]);
    const aliceStake = await t.staking.read.stakeOf([alice.account.address, hotkey.address]);
    assert.ok(parseEther("324.6") - bobStake <= 2n, `bob ${bobStake}`);
    assert.ok(parseEther("115.4") - aliceStake <= 2n, `alice ${aliceStake}`);
    assert.ok(bobStake <= parseEther("324.6") && aliceStake <= parseEther("115.4"), "rounds down");
    assert.equal(await t.staking.read.totalStake([hotkey.address]), parseEther("440"));
  });

  it("accrues a miner's incentive for its operator alone, not for delegators of its pool", async () => {
    const { alice, bob, carol, settlement } = t.accounts;
    await t.grantSettlementRole();
    const miner = await t.newBoundHotkey(alice);
    await t.stake(bob, miner.address, parseEther("10")); // bob delegates to the miner's pool
    await t.tao.write.transfer([settlement.account.address, parseEther("5")], { account: carol.account });
    await t.tao.write.approve([t.staking.address, parseEther("5")], { account: settlement.account });
    await t.staking.write.accrueRewards([[miner.address], [parseEther("5")], [0n]], { account: settlement.account });

    // The views count the accrued credit before the pool applies it, and applying it moves none of them.
    const views = () =>
      Promise.all([
        t.staking.read.stakeOf([bob.account.address, miner.address]),
        t.staking.read.stakeOf([alice.account.address, miner.address]),
        t.staking.read.totalStake([miner.address]),
        t.staking.read.poolTotals([miner.address]),
      ]);
    const [bobStake, aliceStake, total] = await views();
    assert.equal(bobStake, parseEther("10"));
    assert.ok(parseEther("5") - aliceStake <= 1n, `alice ${aliceStake}`);
    assert.equal(total, parseEther("15"));
    assert.equal(await t.tao.read.balanceOf([t.staking.address]), await t.staking.read.totalAccounted());
    const before = await views();
    await t.viem.assertions.emitWithArgs(
      t.staking.write.applyRewards([miner.address], { account: bob.account }),
      t.staking,
      "OperatorCredited",
      [
        t.address(miner.address),
        t.address(alice.account.address),
        parseEther("5"),
        before[3].stakeShares - parseEther("10") * 1_000_000n,
        parseEther("15"),
        before[3].stakeShares,
      ],
    );
    assert.deepEqual(await views(), before);
    assert.deepEqual(await t.staking.read.accruedRewards([miner.address]), [0n, 0n]);
  });

  it("does not let the virtual shares take a reward after a first tiny one", async () => {
    const { alice, carol, settlement } = t.accounts;
    await t.grantSettlementRole();
    const hotkey = await t.newBoundHotkey(alice);
    await t.tao.write.transfer([settlement.account.address, parseEther("101")], { account: carol.account });
    await t.tao.write.approve([t.staking.address, parseEther("101")], { account: settlement.account });
    await t.staking.write.distributeReward([hotkey.address, 1n], { account: settlement.account });
    await t.staking.write.distributeReward([hotkey.address, parseEther("100")], { account: settlement.account });
    // The pool was worth 1 wei: the 100 TAO are staked for the operator at the current price.
    const aliceStake = await t.staking.read.stakeOf([alice.account.address, hotkey.address]);
    assert.ok(parseEther("100") - aliceStake <= 2n, `alice ${aliceStake}`);
  });

  it("withdraws after the unbonding period, once", async () => {
    const { alice, bob } = t.accounts;
    const hotkey = await t.newBoundHotkey(alice);
    await t.stake(bob, hotkey.address, parseEther("50"));
    const shares = await t.staking.read.sharesOf([bob.account.address, hotkey.address]);
    await t.staking.write.removeStake([hotkey.address, shares], { account: bob.account });

    const [pending] = await t.staking.read.pendingWithdrawalsOf([bob.account.address]);
    assert.equal(pending.assets, parseEther("50"));
    assert.deepEqual(await t.staking.read.positionsOf([bob.account.address]), []);

    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.completeWithdrawal([pending.id], { account: bob.account }),
      t.staking,
      "WithdrawalNotDue",
      [pending.id, pending.completableAt, (now: bigint) => now < pending.completableAt],
    );
    await t.networkHelpers.time.increaseTo(pending.completableAt);
    const before = await t.tao.read.balanceOf([bob.account.address]);
    await t.staking.write.completeWithdrawal([pending.id], { account: bob.account });
    assert.equal(await t.tao.read.balanceOf([bob.account.address]), before + parseEther("50"));
    assert.deepEqual(await t.staking.read.pendingWithdrawalsOf([bob.account.address]), []);

    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.completeWithdrawal([pending.id], { account: bob.account }),
      t.staking,
      "UnknownWithdrawal",
      [pending.id],
    );
    assert.equal(await t.staking.read.totalAccounted(), 0n);
  });

  it("limits take increases and bounds the take", async () => {
    const { alice, bob } = t.accounts;
    const hotkey = await t.newBoundHotkey(alice);
    const boundAt = (await t.staking.read.hotkeyInfo([hotkey.address])).lastTakeIncrease;
    await t.staking.write.setTake([hotkey.address, 500], { account: alice.account }); // decreases are free
    // Lowering the take to attract delegators does not allow raising it straight back.
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.setTake([hotkey.address, 900], { account: alice.account }),
      t.staking,
      "TakeIncreaseRateLimited",
      [hotkey.address, boundAt + 30n * DAY, (now: bigint) => now < boundAt + 30n * DAY],
    );
    await t.networkHelpers.time.increaseTo(boundAt + 30n * DAY);
    await t.staking.write.setTake([hotkey.address, 900], { account: alice.account });
    const info = await t.staking.read.hotkeyInfo([hotkey.address]);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.setTake([hotkey.address, 1_000], { account: alice.account }),
      t.staking,
      "TakeIncreaseRateLimited",
      [hotkey.address, info.lastTakeIncrease + 30n * DAY, (now: bigint) => now > 0n],
    );
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.setTake([hotkey.address, 1_801], { account: alice.account }),
      t.staking,
      "TakeAboveMaximum",
      [1_801n, 1_800n],
    );
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.setTake([hotkey.address, 100], { account: bob.account }),
      t.staking,
      "NotHotkeyOperator",
      [hotkey.address, bob.account.address, alice.account.address],
    );
    await t.staking.write.setTake([hotkey.address, 100], { account: alice.account });
    assert.equal((await t.staking.read.hotkeyInfo([hotkey.address])).takeBps, 100);
  });

  it("refuses positions below the minimum stake", async () => {
    const { alice, bob } = t.accounts;
    const hotkey = await t.newBoundHotkey(alice);
    const minimum = await t.staking.read.MIN_STAKE();
    await t.tao.write.approve([t.staking.address, parseEther("1")], { account: bob.account });
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.addStake([hotkey.address, minimum - 1n], { account: bob.account }),
      t.staking,
      "StakeBelowMinimum",
      [minimum - 1n, minimum],
    );
    await t.staking.write.addStake([hotkey.address, minimum * 2n], { account: bob.account });
    const shares = await t.staking.read.sharesOf([bob.account.address, hotkey.address]);
    await t.viem.assertions.revertWithCustomError(
      t.staking.write.removeStake([hotkey.address, shares - 1_000n], { account: bob.account }),
      t.staking,
      "StakeBelowMinimum",
    );
    await t.staking.write.removeStake([hotkey.address, shares], { account: bob.account }); // all of it is fine
    assert.equal(await t.staking.read.sharesOf([bob.account.address, hotkey.address]), 0n);
  });

  describe("bad input gets its custom error and changes nothing", () => {
    async function snapshot() {
      const { alice, bob } = t.accounts;
      return {
        accounted: await t.staking.read.totalAccounted(),
        balance: await t.tao.read.balanceOf([t.staking.address]),
        alice: await t.tao.read.balanceOf([alice.account.address]),
        bob: await t.tao.read.balanceOf([bob.account.address]),
        nextNonceAlice: await t.tao.read.nonces([alice.account.address]),
      };
    }

    it("zero amounts", async () => {
      const { alice } = t.accounts;
      const hotkey = await t.newBoundHotkey(alice);
      const before = await snapshot();
      await t.viem.assertions.revertWithCustomError(
        t.staking.write.addStake([hotkey.address, 0n], { account: alice.account }),
        t.staking,
        "ZeroAmount",
      );
      await t.viem.assertions.revertWithCustomError(
        t.staking.write.removeStake([hotkey.address, 0n], { account: alice.account }),
        t.staking,
        "ZeroAmount",
      );
      assert.deepEqual(await snapshot(), before);
    });

    it("unknown and unbound hotkeys", async () => {
      const { alice, reporter } = t.accounts;
      const stranger = (await import("viem/accounts")).privateKeyToAccount(
        (await import("viem/accounts")).generatePrivateKey(),
      );
      await t.tao.write.approve([t.staking.address, parseEther("1")], { account: alice.account });
      const before = await snapshot();
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.staking.write.addStake([stranger.address, parseEther("1")], { account: alice.account }),
        t.staking,
        "HotkeyNotBound",
        [stranger.address],
      );
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.staking.write.setTake([stranger.address, 0], { account: alice.account }),
        t.staking,
        "HotkeyNotBound",
        [stranger.address],
      );
      await t.tao.write.approve([t.slashing.address, parseEther("100")], { account: reporter.account });
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.slashing.write.openDispute([stranger.address, parseEther("100"), `0x${"11".repeat(32)}`, "ipfs://x"], {
          account: reporter.account,
        }),
        t.slashing,
        "HotkeyNotBound",
        [stranger.address],
      );
      assert.deepEqual(await snapshot(), before);
    });

    it("replayed, foreign and expired binding signatures", async () => {
      const { alice, bob } = t.accounts;
      const { generatePrivateKey, privateKeyToAccount } = await import("viem/accounts");
      const hotkey = privateKeyToAccount(generatePrivateKey());
      const deadline = BigInt(await t.networkHelpers.time.latest()) + 3600n;
      const signature = await t.signBinding(hotkey, alice.account.address, deadline);

      // Bob cannot bind a hotkey that signed for Alice.
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.staking.write.bindHotkey([hotkey.address, deadline, signature], { account: bob.account }),
        t.staking,
        "InvalidHotkeySignature",
        [hotkey.address, bob.account.address],
      );
      await t.staking.write.bindHotkey([hotkey.address, deadline, signature], { account: alice.account });
      // The same signature cannot be used again.
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.staking.write.bindHotkey([hotkey.address, deadline, signature], { account: alice.account }),
        t.staking,
        "HotkeyAlreadyBound",
        [hotkey.address, alice.account.address],
      );
      assert.equal(await t.staking.read.nonces([hotkey.address]), 1n);

      // An old-nonce signature for a fresh hotkey is a replay: it no longer verifies.
      const other = privateKeyToAccount(generatePrivateKey());
      const first = await t.signBinding(other, alice.account.address, deadline, 0n);
      const expired = BigInt(await t.networkHelpers.time.latest()) - 1n;
      const stale = await t.signBinding(other, bob.account.address, expired);
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.staking.write.bindHotkey([other.address, expired, stale], { account: bob.account }),
        t.staking,
        "BindingExpired",
        [expired, (now: bigint) => now > expired],
      );
      await t.staking.write.bindHotkey([other.address, deadline, first], { account: alice.account });
      assert.equal(await t.staking.read.coldkeyOf([other.address]), t.address(alice.account.address));
      assert.deepEqual(
        (await t.staking.read.hotkeysOf([alice.account.address])).map(t.address),
        [hotkey.address, other.address].map(t.address),
      );
    });

    it("expired permits", async () => {
      const { alice } = t.accounts;
      const hotkey = await t.newBoundHotkey(alice);
      const { parseSignature } = await import("viem");
      const deadline = BigInt(await t.networkHelpers.time.latest()) - 1n;
      const { r, s, v } = parseSignature(await t.signPermit(alice, t.staking.address, parseEther("5"), deadline));
      const before = await snapshot();
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.staking.write.addStakeWithPermit([hotkey.address, parseEther("5"), deadline, Number(v), r, s], {
          account: alice.account,
        }),
        t.tao,
        "ERC2612ExpiredSignature",
        [deadline],
      );
      assert.deepEqual(await snapshot(), before);
    });

    it("unauthorised callers", async () => {
      const { alice, bob } = t.accounts;
      const hotkey = await t.newBoundHotkey(alice);
      await t.stake(alice, hotkey.address, parseEther("10"));
      const before = await snapshot();
      const denied = [
        [t.staking, () => t.staking.write.distributeReward([hotkey.address, 1n], { account: bob.account })],
        [t.staking, () => t.staking.write.slash([hotkey.address, 1n], { account: bob.account })],
        [t.staking, () => t.staking.write.freezeHotkey([hotkey.address], { account: bob.account })],
        [t.staking, () => t.staking.write.setUnbondingPeriod([0n], { account: bob.account })],
        [t.emission, () => t.emission.write.mint([bob.account.address, 1n], { account: bob.account })],
        [t.slashing, () => t.slashing.write.acceptDispute([1n, 1n], { account: bob.account })],
        [t.slashing, () => t.slashing.write.setFaultRoute([zeroAddress, true, 1n, 1n], { account: bob.account })],
      ] as const;
      for (const [contract, call] of denied) {
        await t.viem.assertions.revertWithCustomErrorWithArgs(call(), contract, "AccessManagedUnauthorized", [
          bob.account.address,
        ]);
      }
      await t.viem.assertions.revertWithCustomErrorWithArgs(
        t.tao.write.mint([bob.account.address, 1n], { account: bob.account }),
        t.tao,
        "UnauthorizedMinter",
        [bob.account.address, t.emission.address],
      );
      assert.deepEqual(await snapshot(), before);
    });

    it("double completion and a foreign withdrawal id", async () => {
      const { alice } = t.accounts;
      const hotkey = await t.newBoundHotkey(alice);
      await t.stake(alice, hotkey.address, parseEther("10"));
      await t.staking.write.removeStake([hotkey.address, 1_000_000n], { account: alice.account });
      const [w] = await t.staking.read.pendingWithdrawalsOf([alice.account.address]);
      await t.networkHelpers.time.increaseTo(w.completableAt);
      await t.staking.write.completeWithdrawal([w.id]);
      const before = await snapshot();
      for (const id of [w.id, 999n]) {
        await t.viem.assertions.revertWithCustomErrorWithArgs(
          t.staking.write.completeWithdrawal([id]),
          t.staking,
          "UnknownWithdrawal",
          [id],
        );
      }
      assert.deepEqual(await snapshot(), before);
    });
  });
});
