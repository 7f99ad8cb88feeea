/**
 * Screenshots of the dApp served by a running devnet, for the docs:
 *
 *   npm run devnet                      # in one terminal; wait for a few settled epochs
 *   node app/scripts/screenshot.ts [--url http://127.0.0.1:5173/] [--rpc http://127.0.0.1:8545] [--out docs/images]
 *
 * It connects the test wallet (account 1 of the devnet mnemonic) and writes app-overview.png
 * (subnet 1's page: chart and metagraph) and app-subnets.png.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { mnemonicToAccount } from "viem/accounts";
import { injectTestWallet } from "../../test/helpers/test-wallet.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:5173/" },
    rpc: { type: "string", default: "http://127.0.0.1:8545" },
    out: { type: "string", default: path.resolve(import.meta.dirname, "../../docs/images") },
  },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const account = mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 1 });
  await injectTestWallet(page, { account, rpcUrl: values.rpc!, startChainId: 31337 });
  await page.goto(values.url!);
  await page.getByRole("button", { name: "Connect Taonet Test Wallet" }).click();
  await page.getByTestId("network").waitFor();
  await page.getByTestId("subnets").waitFor();
  await page.screenshot({ path: path.join(values.out!, "app-subnets.png") });
  await page.goto(`${values.url}#/subnet/1`);
  await page.getByTestId("epoch-chart").waitFor();
  await page.getByRole("columnheader", { name: "emission (last epoch)" }).click();
  await page.screenshot({ path: path.join(values.out!, "app-overview.png") });
  console.log(`wrote ${values.out}/app-overview.png and app-subnets.png`);
} finally {
  await browser.close();
}
