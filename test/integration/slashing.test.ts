import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { encodeAbiParameters, keccak256, parseEther, toHex } from "viem";
import { DAY, deployTaonet, type Taonet } from "../helpers/taonet.ts";

const EVIDENCE = keccak256(toHex("validator copied weights in epoch 42"));

describe("Slashing: disputes and objective faults", () => {
  let t: Taonet;
  let hotkey: `0x${string}`;

  beforeEach(async () => {
    t = await deployTaonet();
    const { alice, bob } = t.accounts;
    hotkey = (await t.newBoundHotkey(alice)).address; // alice operates, bob delegates
    await t.stake(alice, hotkey, parseEther("100"));
    await t.stake(bob, hotkey, parseEther("100"));
  });

  async function openDispute(bond = parseEther("100")) {
    const { reporter } = t.accounts;
    await t.tao.write.approve([t.slashing.address, bond], { account: reporter.account });
    await t.slashing.write.openDispute([hotkey, bond, EVIDENCE, "ipfs://bafy-evidence"], { account: reporter.account });
    return await t.slashing.read.disputeCount();
  }

  it("slashes a queued withdrawal pro rata when a dispute is accepted", async () => {
    const { bob, reporter, arbitrator } = t.accounts;
    const bobShares = await t.staking.read.sharesOf([bob.account.address, hotkey]);
    await t.staking.write.removeStake([hotkey, bobShares / 2n], { account: bob.account });
    const [queued] = await t.staking.read.pendingWithdrawalsOf([bob.account.address]);
    assert.equal(queued.assets, parseEther("50"));

    const id = await openDispute();
    // The withdrawal cannot escape the dispute, even once due.
    await t.networkHelpers.time.increaseTo(queued.completableAt);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.completeWithdrawal([queued.id]),
      t.staking,
      "HotkeyUnderDispute",
      [hotkey, 1n],
    );

    const supplyBefore = await t.tao.read.totalSupply();
    const reporterBefore = await t.tao.read.balanceOf([reporter.account.address]);
    await t.viem.assertions.emitWithArgs(
      t.slashing.write.acceptDispute([id, parseEther("0.1")], { account: arbitrator.account }),
      t.slashing,
      "DisputeAccepted",
      [
        id,
        hotkey,
        arbitrator.account.address,
        parseEther("0.1"),
        parseEther("0.1"),
        parseEther("20"),
        parseEther("2"),
        parseEther("18"),
      ],
    );
    // 10% of the 150 TAO pool and 10% of the 50 TAO queued withdrawal.
    const totals = await t.staking.read.poolTotals([hotkey]);
    assert.equal(totals.stakeAssets, parseEther("135"));
    assert.equal(totals.unbondingAssets, parseEther("45"));
    assert.equal(await t.staking.read.withdrawalAssets([queued.id]), parseEther("45"));
    // Reporter: bond back plus 10% of the 20 slashed; the other 18 burned.
    assert.equal(await t.tao.read.balanceOf([reporter.account.address]), reporterBefore + parseEther("102"));
    assert.equal(await t.tao.read.totalSupply(), supplyBefore - parseEther("18"));

    const bobBefore = await t.tao.read.balanceOf([bob.account.address]);
    await t.staking.write.completeWithdrawal([queued.id]);
    assert.equal(await t.tao.read.balanceOf([bob.account.address]), bobBefore + parseEther("45"));
    assert.equal(await t.tao.read.balanceOf([t.staking.address]), await t.staking.read.totalAccounted());
  });

  it("burns the bond of a rejected dispute and releases the hotkey", async () => {
    const { reporter, arbitrator, bob } = t.accounts;
    const id = await openDispute();
    const supplyBefore = await t.tao.read.totalSupply();
    await t.slashing.write.rejectDispute([id], { account: arbitrator.account });

    assert.equal((await t.slashing.read.dispute([id])).status, 3); // Rejected
    assert.equal(await t.tao.read.totalSupply(), supplyBefore - parseEther("100"));
    assert.equal(await t.tao.read.balanceOf([t.slashing.address]), 0n);
    assert.equal((await t.staking.read.hotkeyInfo([hotkey])).openDisputes, 0);
    assert.equal(await t.staking.read.totalStake([hotkey]), parseEther("200"));
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.slashing.write.acceptDispute([id, 1n], { account: arbitrator.account }),
      t.slashing,
      "DisputeNotOpen",
      [id, 3],
    );
    // Withdrawals flow again.
    await t.staking.write.removeStake([hotkey, 1_000_000n], { account: bob.account });
    const [w] = await t.staking.read.pendingWithdrawalsOf([bob.account.address]);
    await t.networkHelpers.time.increaseTo(w.completableAt);
    await t.staking.write.completeWithdrawal([w.id]);
    void reporter;
  });

  it("returns the bond after the deadline when the arbitrator did not act", async () => {
    const { reporter, arbitrator } = t.accounts;
    const before = await t.tao.read.balanceOf([reporter.account.address]);
    const id = await openDispute();
    const { deadline } = await t.slashing.read.dispute([id]);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.slashing.write.reclaimBond([id]),
      t.slashing,
      "DisputeDeadlineNotPassed",
      [id, deadline, (now: bigint) => now <= deadline],
    );
    await t.networkHelpers.time.increaseTo(deadline + 1n);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.slashing.write.acceptDispute([id, 1n], { account: arbitrator.account }),
      t.slashing,
      "DisputeDeadlinePassed",
      [id, deadline, (now: bigint) => now > deadline],
    );
    await t.slashing.write.reclaimBond([id]);
    assert.equal(await t.tao.read.balanceOf([reporter.account.address]), before);
    assert.equal((await t.staking.read.hotkeyInfo([hotkey])).openDisputes, 0);
  });

  it("caps slashes per window and leaves other hotkeys alone", async () => {
    const { alice, carol, arbitrator } = t.accounts;
    const other = (await t.newBoundHotkey(carol)).address;
    await t.stake(carol, other, parseEther("500"));
    const first = await openDispute();
    const second = await openDispute();
    await t.slashing.write.acceptDispute([first, parseEther("0.1")], { account: arbitrator.account });
    await t.viem.assertions.emitWithArgs(
      t.slashing.write.acceptDispute([second, parseEther("0.1")], { account: arbitrator.account }),
      t.slashing,
      "DisputeAccepted",
      [second, hotkey, arbitrator.account.address, parseEther("0.1"), 0n, 0n, 0n, 0n],
    );
    assert.equal(await t.staking.read.totalStake([hotkey]), parseEther("180"));
    assert.equal(await t.staking.read.totalStake([other]), parseEther("500"));

    // A new window re-opens the cap.
    await t.networkHelpers.time.increase(7n * DAY);
    const third = await openDispute();
    await t.slashing.write.acceptDispute([third, parseEther("0.05")], { account: arbitrator.account });
    assert.equal(await t.staking.read.totalStake([hotkey]), parseEther("171"));
    void alice;
  });

  it("slashes a proven objective fault once, tipping the reporter", async () => {
    const { reporter } = t.accounts;
    const proof = await t.viem.deployContract("FaultProofDouble");
    const timelock = await t.asTimelock();
    const slashingAsGov = await t.viem.getContractAt("Slashing", t.slashing.address, { client: { wallet: timelock } });
    await slashingAsGov.write.setFaultRoute([proof.address, true, parseEther("0.01"), parseEther("0.25")]);

    const faultId = keccak256(toHex("missed reveal: netuid 1, epoch 7"));
    const evidence = encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [hotkey, faultId]);
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.slashing.write.reportFault([proof.address, evidence], { account: reporter.account }),
      proof,
      "NotAFault",
      [hotkey, faultId],
    );
    await proof.write.markFault([hotkey, faultId]);

    const before = await t.tao.read.balanceOf([reporter.account.address]);
    await t.slashing.write.reportFault([proof.address, evidence], { account: reporter.account });
    // 1% of 200 TAO = 2 TAO: 0.5 to the reporter, 1.5 burned.
    assert.equal(await t.tao.read.balanceOf([reporter.account.address]), before + parseEther("0.5"));
    assert.equal(await t.staking.read.totalStake([hotkey]), parseEther("198"));
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.slashing.write.reportFault([proof.address, evidence], { account: reporter.account }),
      t.slashing,
      "FaultAlreadyReported",
      [proof.address, faultId],
    );
    const unknown = await t.viem.deployContract("FaultProofDouble");
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.slashing.write.reportFault([unknown.address, evidence], { account: reporter.account }),
      t.slashing,
      "UnknownFaultProof",
      [unknown.address],
    );
  });

  it("refuses a bond below the minimum", async () => {
    const { reporter } = t.accounts;
    const bond = parseEther("99");
    await t.tao.write.approve([t.slashing.address, bond], { account: reporter.account });
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.slashing.write.openDispute([hotkey, bond, EVIDENCE, "ipfs://x"], { account: reporter.account }),
      t.slashing,
      "BondBelowMinimum",
      [bond, parseEther("100")],
    );
    assert.equal(await t.slashing.read.disputeCount(), 0n);
  });
});
