/**
 * Gas of the foundation's paid paths, measured from receipts on the in-process OP-Stack chain with
 * the production Ignition module. Prints a Markdown table (docs/gas.md records it).
 *
 *   npm run bench:gas
 */
import hre from "hardhat";
import { encodeAbiParameters, keccak256, parseEther, parseSignature, toHex, type Hash } from "viem";
import { deployTaonet } from "../test/helpers/taonet.ts";

await hre.tasks.getTask("build").run({ quiet: true });

const t = await deployTaonet();
const { alice, bob, carol, settlement, reporter, arbitrator } = t.accounts;
const rows: { operation: string; gas: bigint; note: string }[] = [];

async function measure(operation: string, note: string, send: () => Promise<Hash>) {
  const receipt = await t.publicClient.waitForTransactionReceipt({ hash: await send() });
  if (receipt.status !== "success") throw new Error(`${operation} reverted`);
  rows.push({ operation, gas: receipt.gasUsed, note });
}

// bind hotkey
const { generatePrivateKey, privateKeyToAccount } = await import("viem/accounts");
const hotkey = privateKeyToAccount(generatePrivateKey());
const deadline = BigInt(await t.networkHelpers.time.latest()) + 3600n;
const signature = await t.signBinding(hotkey, alice.account.address, deadline);
await measure("bindHotkey", "EIP-712 signature by the hotkey", () =>
  t.staking.write.bindHotkey([hotkey.address, deadline, signature], { account: alice.account }),
);

// addStake: first position in a new pool, then another coldkey's first position, then a top-up
await t.tao.write.approve([t.staking.address, parseEther("1000")], { account: alice.account });
await measure("addStake", "first stake of a new pool", () =>
  t.staking.write.addStake([hotkey.address, parseEther("100")], { account: alice.account }),
);
await measure("addStake", "top-up of an existing position", () =>
  t.staking.write.addStake([hotkey.address, parseEther("100")], { account: alice.account }),
);

// addStakeWithPermit: a delegator's first position, approval included
const permitDeadline = BigInt(await t.networkHelpers.time.latest()) + 3600n;
const { v, r, s } = parseSignature(await t.signPermit(bob, t.staking.address, parseEther("300"), permitDeadline));
await measure("addStakeWithPermit", "new delegator, permit + stake in one tx", () =>
  t.staking.write.addStakeWithPermit([hotkey.address, parseEther("300"), permitDeadline, Number(v), r, s], {
    account: bob.account,
  }),
);

// reward distribution to a pool (take staked for the operator)
await t.grantSettlementRole();
await t.tao.write.transfer([settlement.account.address, parseEther("1000")], { account: carol.account });
await t.tao.write.approve([t.staking.address, parseEther("1000")], { account: settlement.account });
await measure("distributeReward", "one pool, take to the operator", () =>
  t.staking.write.distributeReward([hotkey.address, parseEther("10")], { account: settlement.account }),
);
const hotkeys = [hotkey.address];
for (let i = 0; i < 15; i++) {
  const h = privateKeyToAccount(generatePrivateKey());
  const d = BigInt(await t.networkHelpers.time.latest()) + 3600n;
  await t.staking.write.bindHotkey([h.address, d, await t.signBinding(h, carol.account.address, d)], {
    account: carol.account,
  });
  await t.stake(carol, h.address, parseEther("10"));
  hotkeys.push(h.address);
}
const ones = hotkeys.map(() => parseEther("1"));
await measure("accrueRewards (16 pools, first accrual)", "per pool: divide by 16", () =>
  t.staking.write.accrueRewards([hotkeys, ones, ones], { account: settlement.account }),
);
await measure("accrueRewards (16 pools, accrued before)", "per pool: divide by 16", () =>
  t.staking.write.accrueRewards([hotkeys, ones, ones], { account: settlement.account }),
);
await measure("applyRewards", "one pool: a reward and a credit", () =>
  t.staking.write.applyRewards([hotkeys[1]!], { account: carol.account }),
);
await measure("accrueRewards (16 pools, applied before)", "per pool: divide by 16", () =>
  t.staking.write.accrueRewards([hotkeys, ones, ones], { account: settlement.account }),
);

// removeStake and completeWithdrawal
const shares = await t.staking.read.sharesOf([bob.account.address, hotkey.address]);
await measure("removeStake", "queues a withdrawal", () =>
  t.staking.write.removeStake([hotkey.address, shares / 2n], { account: bob.account }),
);
const [pending] = await t.staking.read.pendingWithdrawalsOf([bob.account.address]);

// slash: through a dispute (the arbitrated route) and through an objective-fault proof
await t.tao.write.approve([t.slashing.address, parseEther("100")], { account: reporter.account });
await t.slashing.write.openDispute([hotkey.address, parseEther("100"), keccak256(toHex("e")), "ipfs://e"], {
  account: reporter.account,
});
const disputeId = await t.slashing.read.disputeCount();
await measure("acceptDispute (slash)", "slash pool + queued withdrawals, reward reporter, burn rest", () =>
  t.slashing.write.acceptDispute([disputeId, parseEther("0.05")], { account: arbitrator.account }),
);
const proof = await t.viem.deployContract("FaultProofDouble");
const gov = await t.asTimelock();
const slashingAsGov = await t.viem.getContractAt("Slashing", t.slashing.address, { client: { wallet: gov } });
await slashingAsGov.write.setFaultRoute([proof.address, true, parseEther("0.01"), parseEther("0.25")]);
const faultId = keccak256(toHex("fault"));
await proof.write.markFault([hotkey.address, faultId]);
await measure("reportFault (slash)", "proof check (test double) + slash + tip + burn", () =>
  t.slashing.write.reportFault(
    [proof.address, encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [hotkey.address, faultId])],
    { account: reporter.account },
  ),
);

await t.networkHelpers.time.increaseTo(pending.completableAt);
await measure("completeWithdrawal", "after the unbonding period", () =>
  t.staking.write.completeWithdrawal([pending.id], { account: bob.account }),
);

console.log("| operation | gas | case |");
console.log("|---|---:|---|");
for (const row of rows) console.log(`| ${row.operation} | ${row.gas.toLocaleString("en-US")} | ${row.note} |`);
await t.connection.close();
