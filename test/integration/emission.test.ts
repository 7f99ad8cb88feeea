import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { deployTaonet, GENESIS_PER_ACCOUNT } from "../helpers/taonet.ts";

describe("Emission: accrual by chain time, minting by the settlement role", () => {
  it("mints exactly what accrued at 1 TAO per 12 s, never more", async () => {
    const t = await deployTaonet();
    const { settlement, bob } = t.accounts;
    await t.grantSettlementRole();
    const start = await t.emission.read.startTime();
    assert.equal(await t.emission.read.genesisSupply(), 10n * GENESIS_PER_ACCOUNT);
    assert.equal(await t.emission.read.currentRatePerSecond(), parseEther("1") / 12n);

    await t.networkHelpers.time.setNextBlockTimestamp(start + 1_200n); // the mint lands at start + 1200 s
    await t.emission.write.mint([bob.account.address, parseEther("100")], { account: settlement.account });
    assert.equal(await t.emission.read.cumulativeAccrued(), parseEther("100"));
    assert.equal(await t.emission.read.mintable(), 0n);

    await t.viem.assertions.revertWithCustomErrorWithArgs(
      t.emission.write.mint([bob.account.address, parseEther("1")], { account: settlement.account }),
      t.emission,
      "InsufficientAccrued",
      // One more second has passed by the next block: 1/12 TAO is available, not 1.
      [parseEther("1"), (available: bigint) => available <= parseEther("1") / 12n],
    );
    assert.equal(await t.tao.read.totalSupply(), 10n * GENESIS_PER_ACCOUNT + parseEther("100"));
  });
});
