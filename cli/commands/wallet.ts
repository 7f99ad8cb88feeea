import { existsSync, readFileSync } from "node:fs";
import {
  bytesToHex,
  createWalletClient,
  formatEther,
  getAddress,
  http,
  isAddress,
  parseEther,
  type Address,
  type Hex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { signHotkeyBinding } from "../../workers/shared/sign-hotkey-binding.ts";
import { CliError, UsageError } from "../cli-error.ts";
import { decryptKeystore, type Keystore } from "../keystore.ts";
import { parseCommand, parseInteger } from "../options.ts";
import { formatTable, formatTao } from "../output.ts";
import { readSecret } from "../prompt.ts";
import { Session } from "../session.ts";

export const USAGE = `usage: taonet wallet COMMAND

  create [coldkey|hotkey]    new random key(s): the wallet's coldkey and/or hotkey (default: both missing ones)
  import coldkey|hotkey      import a key: $TAONET_PRIVATE_KEY, --mnemonic-index N ($TAONET_MNEMONIC),
                             --keystore FILE (a v3 key file and its password), else a prompt
  list                       wallets, their coldkeys and hotkeys
  bind                       bind the wallet's hotkey to its coldkey (the hotkey signs its consent)
  balance [ADDRESS]          ETH, TAO, staked and unbonding TAO (default: the wallet's coldkey)
  transfer TO AMOUNT         send TAO (or ETH with --eth) from the coldkey; TO is an address,
                             a wallet name (its coldkey) or WALLET/HOTKEY
  export-key coldkey|hotkey  print the decrypted private key (for a worker daemon's TAONET_HOTKEY_KEY)

  --scrypt-n N               (create, import) scrypt work factor of new key files (default 262144;
                             small values only for tests)`;

export async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "create":
      return create(rest);
    case "import":
      return importKey(rest);
    case "list":
      return list(rest);
    case "bind":
      return bind(rest);
    case "balance":
      return balance(rest);
    case "transfer":
      return transfer(rest);
    case "export-key":
      return exportKey(rest);
    default:
      throw new UsageError(command ? `unknown command wallet ${command}\n\n${USAGE}` : USAGE);
  }
}

const KEY_OPTIONS = { "scrypt-n": { type: "string" } } as const;

async function newPassword(session: Session, what: string): Promise<string> {
  const env = session.common.env;
  const fromEnv = what.startsWith("hotkey") ? (env.TAONET_HOTKEY_PASSWORD ?? env.TAONET_PASSWORD) : env.TAONET_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  const password = await readSecret(`New password for ${what}: `);
  if ((await readSecret("Repeat it: ")) !== password) throw new CliError("the passwords differ");
  return password;
}

function scryptN(values: Record<string, unknown>): number | undefined {
  return values["scrypt-n"] === undefined
    ? undefined
    : Number(parseInteger(values["scrypt-n"] as string, "--scrypt-n"));
}

async function create(argv: readonly string[]): Promise<void> {
  const { values, positionals, common } = parseCommand(argv, {
    options: KEY_OPTIONS,
    positionals: ["KIND"],
    optional: 1,
    usage: "usage: taonet wallet create [coldkey|hotkey] [--wallet NAME] [--hotkey NAME]",
  });
  const kind = positionals[0];
  if (kind !== undefined && kind !== "coldkey" && kind !== "hotkey")
    throw new UsageError(`kind must be coldkey or hotkey (got ${kind})`);
  const session = new Session(common);
  const { wallets } = session;
  const created: { kind: string; name: string; address: Address; file: string }[] = [];
  const wantColdkey = kind === "coldkey" || (kind === undefined && !existsSync(wallets.coldkeyFile(common.wallet)));
  const wantHotkey =
    kind === "hotkey" || (kind === undefined && !existsSync(wallets.hotkeyFile(common.wallet, common.hotkey)));
  if (!wantColdkey && !wantHotkey)
    throw new CliError(`wallet ${common.wallet} has its coldkey and hotkey ${common.hotkey} already`);
  for (const [want, which, file, name] of [
    [wantColdkey, "coldkey", wallets.coldkeyFile(common.wallet), common.wallet],
    [wantHotkey, "hotkey", wallets.hotkeyFile(common.wallet, common.hotkey), `${common.wallet}/${common.hotkey}`],
  ] as const) {
    if (!want) continue;
    if (existsSync(file)) throw new CliError(`${file} exists already: not overwritten`);
    const password = await newPassword(session, `${which} ${name}`);
    const privateKey = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
    created.push({ kind: which, name, address: wallets.write(file, privateKey, password, scryptN(values)), file });
  }
  session.print({ created }, () => formatTable(created, ["kind", "name", "address", "file"]));
}

async function importKey(argv: readonly string[]): Promise<void> {
  const { values, positionals, common } = parseCommand(argv, {
    options: { ...KEY_OPTIONS, "mnemonic-index": { type: "string" }, keystore: { type: "string" } },
    positionals: ["KIND"],
    usage:
      "usage: taonet wallet import coldkey|hotkey [--mnemonic-index N | --keystore FILE] [--wallet NAME] [--hotkey NAME]\n" +
      "  the key: $TAONET_PRIVATE_KEY, or the mnemonic in $TAONET_MNEMONIC, or a prompt",
  });
  const kind = positionals[0];
  if (kind !== "coldkey" && kind !== "hotkey") throw new UsageError(`kind must be coldkey or hotkey (got ${kind})`);
  const session = new Session(common);
  const env = common.env;
  let privateKey: Hex;
  if (values.keystore !== undefined) {
    const file = values.keystore as string;
    if (!existsSync(file)) throw new CliError(`no key file ${file}`);
    const password = env.TAONET_IMPORT_PASSWORD ?? (await readSecret(`Password of ${file}: `));
    try {
      privateKey = decryptKeystore(JSON.parse(readFileSync(file, "utf8")) as Keystore, password);
    } catch (error) {
      throw new CliError(`${file}: ${(error as Error).message}`);
    }
  } else if (values["mnemonic-index"] !== undefined) {
    const index = Number(parseInteger(values["mnemonic-index"] as string, "--mnemonic-index"));
    const mnemonic = env.TAONET_MNEMONIC ?? (await readSecret("Mnemonic: "));
    const key = mnemonicToAccount(mnemonic.trim(), { addressIndex: index }).getHdKey().privateKey;
    if (!key) throw new CliError("the mnemonic gave no key");
    privateKey = bytesToHex(key);
  } else {
    privateKey = (env.TAONET_PRIVATE_KEY ?? (await readSecret("Private key (0x...): "))).trim() as Hex;
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(privateKey)) throw new CliError("the private key must be 32 bytes of hex, 0x...");
  const file =
    kind === "coldkey"
      ? session.wallets.coldkeyFile(common.wallet)
      : session.wallets.hotkeyFile(common.wallet, common.hotkey);
  const name = kind === "coldkey" ? common.wallet : `${common.wallet}/${common.hotkey}`;
  if (existsSync(file)) throw new CliError(`${file} exists already: not overwritten`);
  const address = session.wallets.write(
    file,
    privateKey,
    await newPassword(session, `${kind} ${name}`),
    scryptN(values),
  );
  session.print({ imported: { kind, name, address, file } }, () => formatTable([{ kind, name, address, file }]));
}

async function list(argv: readonly string[]): Promise<void> {
  const { common } = parseCommand(argv, { usage: "usage: taonet wallet list [--wallet-dir DIR]" });
  const session = new Session(common);
  const wallets = session.wallets.list();
  const rows = wallets.flatMap((w) => [
    { wallet: w.wallet, key: "coldkey", address: w.coldkey ?? "(none)" },
    ...w.hotkeys.map((h) => ({ wallet: w.wallet, key: `hotkey ${h.name}`, address: h.address })),
  ]);
  session.print({ walletDir: common.walletDir, wallets }, () =>
    rows.length ? formatTable(rows) : `no wallets in ${common.walletDir} (taonet wallet create)`,
  );
}

async function bind(argv: readonly string[]): Promise<void> {
  const { common } = parseCommand(argv, { usage: "usage: taonet wallet bind [--wallet NAME] [--hotkey NAME]" });
  const session = new Session(common);
  const chain = await session.chain();
  const coldkey = await session.coldkey();
  const hotkey = await session.hotkey();
  const bound = await session.read<Address>("Staking", "coldkeyOf", [hotkey.address]);
  if (getAddress(bound) === getAddress(coldkey.address)) {
    session.print(
      { hotkey: hotkey.address, coldkey: coldkey.address, alreadyBound: true },
      () => `hotkey ${hotkey.address} is bound to ${coldkey.address} already`,
    );
    return;
  }
  const nonce = await session.read<bigint>("Staking", "nonces", [hotkey.address]);
  const block = await chain.client.getBlock();
  const deadline = block.timestamp + 3600n;
  const signature = await signHotkeyBinding({
    hotkey,
    coldkey: coldkey.address,
    nonce,
    deadline,
    chainId: chain.chainId,
    staking: chain.contracts.Staking.address,
  });
  await session.send(coldkey, "Staking", "bindHotkey", [hotkey.address, deadline, signature], "bind hotkey");
  session.print(
    { hotkey: hotkey.address, coldkey: coldkey.address },
    () => `hotkey ${hotkey.address} bound to coldkey ${coldkey.address}`,
  );
}

/** An address, a wallet name (its coldkey) or WALLET/HOTKEY. */
function resolveAddress(session: Session, text: string): Address {
  if (isAddress(text)) return getAddress(text);
  const [wallet, hotkey, extra] = text.split("/");
  if (!wallet || extra !== undefined) throw new UsageError(`${text}: not an address, a wallet or WALLET/HOTKEY`);
  return hotkey ? session.hotkeyAddress(wallet, hotkey) : session.coldkeyAddress(wallet);
}

async function balance(argv: readonly string[]): Promise<void> {
  const { positionals, common } = parseCommand(argv, {
    positionals: ["ADDRESS"],
    optional: 1,
    usage: "usage: taonet wallet balance [ADDRESS | WALLET | WALLET/HOTKEY] (default: the wallet's coldkey)",
  });
  const session = new Session(common);
  const address = resolveAddress(session, positionals[0] ?? common.wallet);
  const chain = await session.chain();
  const [eth, tao, positions, pending] = await Promise.all([
    chain.client.getBalance({ address }),
    session.read<bigint>("TAO", "balanceOf", [address]),
    session.read<{ assets: bigint }[]>("Staking", "positionsOf", [address]),
    session.read<{ assets: bigint }[]>("Staking", "pendingWithdrawalsOf", [address]),
  ]);
  const staked = positions.reduce((sum, p) => sum + p.assets, 0n);
  const unbonding = pending.reduce((sum, p) => sum + p.assets, 0n);
  session.print({ address, eth, tao, staked, unbonding }, () =>
    session.fields({
      address,
      ETH: formatEther(eth),
      "TAO free": formatTao(tao),
      "TAO staked": formatTao(staked),
      "TAO unbonding": formatTao(unbonding),
      "TAO total": formatTao(tao + staked + unbonding),
    }),
  );
}

async function transfer(argv: readonly string[]): Promise<void> {
  const { values, positionals, common } = parseCommand(argv, {
    options: { eth: { type: "boolean" } },
    positionals: ["TO", "AMOUNT"],
    usage: "usage: taonet wallet transfer TO AMOUNT [--eth]   (AMOUNT in TAO, or ETH with --eth)",
  });
  const session = new Session(common);
  const to = resolveAddress(session, positionals[0]!);
  const amount = parseAmount(positionals[1]!);
  const chain = await session.chain();
  const coldkey = await session.coldkey();
  if (values.eth) {
    const have = await chain.client.getBalance({ address: coldkey.address });
    if (have < amount)
      throw new CliError(
        `insufficient ETH balance: ${coldkey.address} has ${formatEther(have)} ETH, needs ${formatEther(amount)} ETH`,
      );
    const wallet = createWalletClient({ account: coldkey, transport: http(common.rpcUrl, { retryCount: 0 }) });
    const hash = await wallet.sendTransaction({ to, value: amount, chain: null });
    const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 250 });
    session.transactions.push({ what: "transfer ETH", hash, gasUsed: receipt.gasUsed, block: receipt.blockNumber });
    if (!common.json) console.log(`transfer ETH: ${hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`);
  } else {
    await session.requireTao(coldkey.address, amount);
    await session.send(coldkey, "TAO", "transfer", [to, amount], "transfer TAO");
  }
  session.print(
    { from: coldkey.address, to, amount, asset: values.eth ? "ETH" : "TAO" },
    () => `sent ${values.eth ? formatEther(amount) : formatTao(amount)} ${values.eth ? "ETH" : "TAO"} to ${to}`,
  );
}

/** A decimal amount of TAO (or ETH) in wei. */
export function parseAmount(text: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(text)) throw new UsageError(`amount ${text}: a decimal number like 12.5`);
  return parseEther(text);
}

async function exportKey(argv: readonly string[]): Promise<void> {
  const { positionals, common } = parseCommand(argv, {
    positionals: ["KIND"],
    usage: "usage: taonet wallet export-key coldkey|hotkey [--wallet NAME] [--hotkey NAME]   (prints the private key)",
  });
  const kind = positionals[0];
  if (kind !== "coldkey" && kind !== "hotkey") throw new UsageError(`kind must be coldkey or hotkey (got ${kind})`);
  const session = new Session(common);
  const file =
    kind === "coldkey"
      ? session.wallets.coldkeyFile(common.wallet)
      : session.wallets.hotkeyFile(common.wallet, common.hotkey);
  const env = common.env;
  const password =
    (kind === "hotkey" ? env.TAONET_HOTKEY_PASSWORD : undefined) ??
    env.TAONET_PASSWORD ??
    (await readSecret(`Password of ${kind} ${common.wallet}${kind === "hotkey" ? `/${common.hotkey}` : ""}: `));
  session.wallets.address(file);
  const privateKey = session.wallets.unlock(file, password);
  if (process.stdout.isTTY) console.error("taonet: this is the unencrypted private key: keep it off screens and logs");
  session.print({ kind, privateKey }, () => privateKey);
}
