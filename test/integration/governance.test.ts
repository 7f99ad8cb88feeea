import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, keccak256, toHex } from "viem";
import { DAY, deployTaonet } from "../helpers/taonet.ts";
import { ROLES } from "../../deploy/roles.ts";

describe("Governance: TAO votes, Governor, timelock, AccessManager", () => {
  it("changes a staking parameter through a proposal: vote, queue, execute", async () => {
    const t = await deployTaonet();
    const { alice, bob } = t.accounts;
    await t.tao.write.delegate([alice.account.address], { account: alice.account });
    await t.networkHelpers.time.increase(1);

    const calldata = encodeFunctionData({
      abi: t.staking.abi,
      functionName: "setUnbondingPeriod",
      args: [3n * DAY],
    });
    const description = "Shorten unbonding to 3 days";
    const descriptionHash = keccak256(toHex(description));
    const proposal = [[t.staking.address], [0n], [calldata]] as const;

    // Bob has no delegated votes: below the proposal threshold.
    await t.viem.assertions.revertWithCustomError(
      t.governor.write.propose([...proposal, description], { account: bob.account }),
      t.governor,
      "GovernorInsufficientProposerVotes",
    );

    await t.governor.write.propose([...proposal, description], { account: alice.account });
    const id = await t.governor.read.hashProposal([...proposal, descriptionHash]);
    assert.equal(await t.governor.read.state([id]), 0); // Pending

    await t.networkHelpers.time.increase(DAY + 1n);
    await t.governor.write.castVote([id, 1], { account: alice.account });
    await t.networkHelpers.time.increase(5n * DAY + 1n);
    assert.equal(await t.governor.read.state([id]), 4); // Succeeded

    await t.governor.write.queue([...proposal, descriptionHash], { account: bob.account });
    assert.equal(await t.governor.read.state([id]), 5); // Queued
    // Not before the timelock's delay.
    await t.viem.assertions.revertWithCustomError(
      t.governor.write.execute([...proposal, descriptionHash], { account: bob.account }),
      t.timelock,
      "TimelockUnexpectedOperationState",
    );

    await t.networkHelpers.time.increase(2n * DAY + 1n);
    await t.governor.write.execute([...proposal, descriptionHash], { account: bob.account });
    assert.equal(await t.governor.read.state([id]), 7); // Executed
    assert.equal(await t.staking.read.unbondingPeriod(), 3n * DAY);
  });

  it("leaves the deployer without power and the timelock as sole admin", async () => {
    const t = await deployTaonet();
    const { deployer } = t.accounts;
    const [deployerIsAdmin] = await t.manager.read.hasRole([ROLES.ADMIN, deployer.account.address]);
    const [timelockIsAdmin] = await t.manager.read.hasRole([ROLES.ADMIN, t.timelock.address]);
    assert.equal(deployerIsAdmin, false);
    assert.equal(timelockIsAdmin, true);
    const timelockAdminRole = await t.timelock.read.DEFAULT_ADMIN_ROLE();
    assert.equal(await t.timelock.read.hasRole([timelockAdminRole, deployer.account.address]), false);
    assert.equal(await t.timelock.read.hasRole([await t.timelock.read.PROPOSER_ROLE(), t.governor.address]), true);
    assert.equal(await t.tao.read.minter(), t.address(t.emission.address));

    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.staking.write.setUnbondingPeriod([0n], { account: deployer.account }),
      t.staking,
      "AccessManagedUnauthorized",
      [deployer.account.address],
    );
    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.tao.write.setMinter([deployer.account.address], { account: deployer.account }),
      t.tao,
      "AccessManagedUnauthorized",
      [deployer.account.address],
    );
  });
});
