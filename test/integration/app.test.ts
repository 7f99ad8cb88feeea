import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { parseEther, type Address } from "viem";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { buildApp } from "../../app/server/build-app.ts";
import { deploymentDocument } from "../../app/server/deployment-document.ts";
import { serveApp, type ServedApp } from "../../app/server/serve-app.ts";
import { injectTestWallet, type TestWallet } from "../helpers/test-wallet.ts";
import { servedTaonet } from "../helpers/served-taonet.ts";
import { signHotkeyBinding } from "../../workers/shared/sign-hotkey-binding.ts";
import { DAY } from "../helpers/taonet.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTEFACTS = path.resolve(import.meta.dirname, "../../test-artifacts/app");
const MNEMONIC = "test test test test test test test test test test test junk";
/** A funded account of the test deployment that no helper uses: the browser wallet's key. */
const WALLET_INDEX = 8;

/**
 * The dApp in real Chromium (Debian's package, driven by playwright-core) against a served test
 * deployment, with a test wallet injected as an EIP-1193 provider (announced by EIP-6963) that
 * signs with a devnet key in Node. Screenshots of each page go to test-artifacts/app/.
 */
describe("dApp in Chromium", { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM} (apt-get install -y chromium)` }, () => {
  let served: Awaited<ReturnType<typeof servedTaonet>>;
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let wallet: TestWallet;
  let validator: Address;
  let dist: string;
  let netuid: bigint;
  const user = mnemonicToAccount(MNEMONIC, { addressIndex: WALLET_INDEX });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
  const balance = () => served.t.tao.read.balanceOf([user.address]);
  const stake = () => served.t.staking.read.stakeOf([user.address, validator]);
  const rpc = (method: string, params: unknown[] = []) => served.t.connection.provider.request({ method, params });
  const open = async (route: string) => {
    await page.goto(`${app.url}#${route}`);
    await page.locator("main").waitFor();
  };

  before(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    // A fresh build of the sources as they are, in a directory of this test's own.
    dist = mkdtempSync(path.join(tmpdir(), "taonet-app-"));
    await buildApp({ force: true, outDir: dist });
    served = await servedTaonet();
    const { t } = served;
    // Subnet 1 of alice's with one neuron of bob's, staked 100 TAO: the validator to delegate to.
    netuid = await t.createSubnet(t.accounts.alice, "mnist");
    const { hotkey } = await t.registerNeuron(t.accounts.bob, netuid);
    validator = hotkey.address;
    await t.stake(t.accounts.bob, validator, parseEther("100"));
    app = await serveApp({
      dist,
      chainRpcUrl: served.url,
      deployment: deploymentDocument({ record: served.deployment, chainId: t.chainId, rpcUrl: "rpc" }),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => console.error(`dApp page error: ${error.message}`));
    // The wallet starts on another chain: the dApp must offer the switch.
    wallet = await injectTestWallet(page, { account: user, rpcUrl: served.url, startChainId: 1 });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await served?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it("connects the wallet found by EIP-6963 and switches it to the devnet", async () => {
    await open("/");
    await page.getByRole("link", { name: "mnist" }).waitFor();
    await shot("overview");
    await page.getByRole("button", { name: "Connect Taonet Test Wallet" }).click();
    await page.getByText("Wrong network (chain 1)").waitFor();
    await page.getByRole("button", { name: "Switch to taonet devnet" }).click();
    await page.getByTestId("network").getByText("taonet devnet (chain 31337)").waitFor();
    assert.equal(wallet.chainId, 31337);
    assert.match((await page.getByTestId("address").textContent())!, new RegExp(user.address.slice(0, 6)));
  });

  it("shows a subnet's metagraph and hyperparameters", async () => {
    await open(`/subnet/${netuid}`);
    await page.getByRole("heading", { name: /Subnet 1: mnist/ }).waitFor();
    await page.getByTestId("metagraph").getByText(validator.slice(0, 6)).waitFor();
    await page.getByText("maxAllowedUids").waitFor();
    await page.getByRole("columnheader", { name: "stake" }).click();
    await page.getByRole("columnheader", { name: /stake ▼/ }).waitFor();
    await shot("subnet");
  });

  it("stakes to a validator with one permit signature and one transaction", async () => {
    await open("/validators");
    await page.getByTestId("validators").getByText(validator.slice(0, 6)).waitFor();
    await shot("validators");
    const before = { balance: await balance(), sign: wallet.calls.eth_signTypedData_v4 ?? 0 };
    const sent = wallet.calls.eth_sendTransaction ?? 0;
    await page.locator('select[name="hotkey"]').selectOption(validator);
    await page.locator('input[name="amount"]').fill("250");
    await page.getByRole("button", { name: "Stake with permit" }).click();
    await page.locator(".tx-mined", { hasText: "Stake 250 TAO" }).waitFor();
    assert.equal(await stake(), parseEther("250"));
    assert.equal(await balance(), before.balance - parseEther("250"));
    assert.equal((wallet.calls.eth_signTypedData_v4 ?? 0) - before.sign, 1);
    assert.equal((wallet.calls.eth_sendTransaction ?? 0) - sent, 1);
  });

  it("shows a clear message and changes nothing when the permit signature is rejected", async () => {
    const before = {
      balance: await balance(),
      stake: await stake(),
      nonce: await served.t.tao.read.nonces([user.address]),
    };
    const sent = wallet.calls.eth_sendTransaction ?? 0;
    wallet.rejecting = true;
    try {
      await page.locator('input[name="amount"]').fill("10");
      await page.getByRole("button", { name: "Stake with permit" }).click();
      await page.locator(".tx-failed", { hasText: "Rejected in the wallet: nothing was signed or sent." }).waitFor();
      await shot("rejected-signature");
    } finally {
      wallet.rejecting = false;
    }
    assert.equal(await balance(), before.balance);
    assert.equal(await stake(), before.stake);
    assert.equal(await served.t.tao.read.nonces([user.address]), before.nonce);
    assert.equal(wallet.calls.eth_sendTransaction ?? 0, sent);
  });

  it("shows the position in my account", async () => {
    await open("/account");
    const row = page.getByTestId("positions").locator(`tr[data-hotkey="${validator}"]`);
    await row.getByText("250").first().waitFor();
    await page.getByTestId("staked").getByText("250").waitFor();
    await shot("account");
  });

  it("unstakes; completing before it is due reverts with a decoded error and changes nothing", async () => {
    const row = page.getByTestId("positions").locator(`tr[data-hotkey="${validator}"]`);
    await row.locator('input[name="unstake-amount"]').fill("100");
    await row.getByRole("button", { name: "Unstake" }).click();
    await page.locator(".tx-mined", { hasText: "Unstake 100 TAO" }).waitFor();
    assert.equal(await stake(), parseEther("150"));
    const [pending] = await served.t.staking.read.pendingWithdrawalsOf([user.address]);
    assert.equal(pending!.assets, parseEther("100"));

    const before = { balance: await balance(), sent: wallet.calls.eth_sendTransaction ?? 0 };
    await page.getByTestId("withdrawals").getByRole("button", { name: "Complete (not due yet)" }).click();
    await page
      .locator(".tx-failed", { hasText: `Reverted: WithdrawalNotDue(id: ${pending!.id}, completableAt:` })
      .waitFor();
    await shot("withdrawal-not-due");
    assert.equal(await balance(), before.balance);
    assert.equal(wallet.calls.eth_sendTransaction ?? 0, before.sent, "nothing was sent");
    assert.equal((await served.t.staking.read.pendingWithdrawalsOf([user.address])).length, 1);
  });

  it("completes the withdrawal once the unbonding period has passed", async () => {
    await rpc("evm_increaseTime", [Number(7n * DAY + 1n)]);
    await rpc("evm_mine");
    const before = await balance();
    const complete = page.getByTestId("withdrawals").getByRole("button", { name: "Complete", exact: true });
    await complete.click();
    await page.locator(".tx-mined", { hasText: "Complete withdrawal" }).waitFor();
    assert.equal(await balance(), before + parseEther("100"));
    assert.equal((await served.t.staking.read.pendingWithdrawalsOf([user.address])).length, 0);
    await page.getByText("None.").waitFor();
    await shot("account-after-withdrawal");
  });

  it("creates a subnet after showing and confirming the lock cost", async () => {
    const cost = await served.t.subnetRegistry.read.lockCost();
    const last = await served.t.subnetRegistry.read.lastNetuid();
    await open("/create");
    await page.getByTestId("lock-cost").getByText(/TAO/).waitFor();
    await page.locator('input[name="name"]').fill("vision");
    await page.getByRole("button", { name: "Create subnet…" }).click();
    await page.getByText(/Lock [\d,.]+ TAO to create “vision”\?/).waitFor();
    await shot("create-confirm");
    const before = await balance();
    await page.getByRole("button", { name: /Confirm and lock/ }).click();
    await page.locator(".tx-mined", { hasText: 'Create subnet "vision"' }).waitFor();
    assert.equal(await served.t.subnetRegistry.read.lastNetuid(), last + 1n);
    assert.equal(await served.t.subnetRegistry.read.ownerOf([last + 1n]), user.address);
    const paid = before - (await balance());
    assert.ok(paid > 0n && paid <= cost, `locked ${paid}, at most the confirmed ${cost}`);
    await open("/");
    await page.getByRole("link", { name: "vision" }).waitFor();
    await shot("overview-after-create");
  });

  it("binds a new hotkey with its signature and registers its neuron", async () => {
    const hotkey = privateKeyToAccount(generatePrivateKey());
    const block = await served.t.publicClient.getBlock();
    const deadline = block.timestamp + 3600n;
    const signature = await signHotkeyBinding({
      hotkey,
      coldkey: user.address,
      nonce: 0n,
      deadline,
      chainId: served.t.chainId,
      staking: served.t.staking.address,
    });
    await open("/create");
    await page.locator('select[name="netuid"]').selectOption(String(netuid));
    await page.locator('input[name="hotkey"]').fill(hotkey.address);
    await page.locator('input[name="deadline"]').fill(String(deadline));
    await page.locator('input[name="signature"]').fill(signature);
    await page.getByRole("button", { name: /^Register \(burns/ }).click();
    await page.locator(".tx-mined", { hasText: `Register ${hotkey.address} in subnet ${netuid}` }).waitFor();
    assert.equal(await served.t.staking.read.coldkeyOf([hotkey.address]), user.address);
    const [registered] = await served.t.neuronRegistry.read.uidOf([netuid, hotkey.address]);
    assert.ok(registered);
    await shot("register-neuron");
  });

  it("shows the decoded error of a transaction that reverts on chain after a front-runner", async () => {
    // A due withdrawal of 10 TAO; bob (anyone may) completes it between the dApp's simulation and
    // its transaction, which then reverts in its block.
    await open("/account");
    const row = page.getByTestId("positions").locator(`tr[data-hotkey="${validator}"]`);
    await row.locator('input[name="unstake-amount"]').fill("10");
    await row.getByRole("button", { name: "Unstake" }).click();
    await page.locator(".tx-mined", { hasText: "Unstake 10 TAO" }).waitFor();
    const [pending] = await served.t.staking.read.pendingWithdrawalsOf([user.address]);
    await rpc("evm_increaseTime", [Number(7n * DAY + 1n)]);
    await rpc("evm_mine");
    // From here blocks come every 500 ms only, as on the rollup: the transaction is accepted, then
    // mined reverted, and the dApp learns why from its receipt and a replay of the call.
    await served.intervalMining();
    const { bob } = served.t.accounts;
    wallet.beforeNextTransaction = async () => {
      const hash = await served.t.staking.write.completeWithdrawal([pending!.id], { account: bob.account });
      await served.t.publicClient.waitForTransactionReceipt({ hash });
    };
    await page.getByTestId("withdrawals").getByRole("button", { name: "Complete", exact: true }).click();
    await page.locator(".tx-pending", { hasText: "Complete withdrawal: pending 0x" }).waitFor();
    await page
      .locator(".tx-failed", {
        hasText: `Complete withdrawal ${pending!.id} failed: Reverted: UnknownWithdrawal(id: ${pending!.id})`,
      })
      .waitFor();
    await shot("reverted-on-chain");
    // The dApp's transaction went out and was mined, reverted, after bob's.
    const latest = await served.t.publicClient.getBlockNumber();
    const mine = [];
    for (let n = latest; n > latest - 40n && n > 0n; n--) {
      const block = await served.t.publicClient.getBlock({ blockNumber: n, includeTransactions: true });
      mine.push(...block.transactions.filter((tx) => tx.from.toLowerCase() === user.address.toLowerCase()));
      if (mine.length > 0) break;
    }
    const receipt = await served.t.publicClient.getTransactionReceipt({ hash: mine[0]!.hash });
    assert.equal(receipt.status, "reverted");
  });
});
