import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, type Address, type Hex } from "viem";
import { CliError, UsageError } from "./cli-error.ts";
import { decryptKeystore, encryptKeystore, KeystoreError, type Keystore } from "./keystore.ts";

/**
 * Key files on disk, btcli's layout: `<dir>/<wallet>/coldkey.json` and
 * `<dir>/<wallet>/hotkeys/<hotkey>.json`, each a Web3 Secret Storage v3 file (mode 0600).
 */
export class WalletStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  coldkeyFile(wallet: string): string {
    return path.join(this.dir, checkName(wallet, "wallet"), "coldkey.json");
  }

  hotkeyFile(wallet: string, hotkey: string): string {
    return path.join(this.dir, checkName(wallet, "wallet"), "hotkeys", `${checkName(hotkey, "hotkey")}.json`);
  }

  /** Writes a new key file; refuses to overwrite one. */
  write(file: string, privateKey: Hex, password: string, scryptN?: number): Address {
    if (existsSync(file)) throw new CliError(`${file} exists already: not overwritten`);
    const keystore = encryptKeystore({ privateKey, password, scryptN });
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600 });
    return getAddress(`0x${keystore.address}`);
  }

  /** The address a key file records (no password needed). */
  address(file: string): Address {
    const keystore = this.#read(file);
    if (!keystore.address) throw new CliError(`${file} records no address`);
    return getAddress(`0x${keystore.address}`);
  }

  /** The key file's private key; `CliError` for a wrong password. */
  unlock(file: string, password: string): Hex {
    try {
      return decryptKeystore(this.#read(file), password);
    } catch (error) {
      if (error instanceof KeystoreError) throw new CliError(`${file}: ${error.message}`);
      throw error;
    }
  }

  /** Every wallet with its coldkey (when present) and hotkeys. */
  list(): { wallet: string; coldkey?: Address; hotkeys: { name: string; address: Address }[] }[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => {
        const coldkeyFile = path.join(this.dir, entry.name, "coldkey.json");
        const hotkeyDir = path.join(this.dir, entry.name, "hotkeys");
        const hotkeys = existsSync(hotkeyDir)
          ? readdirSync(hotkeyDir)
              .filter((f) => f.endsWith(".json"))
              .map((f) => ({ name: f.slice(0, -5), address: this.address(path.join(hotkeyDir, f)) }))
          : [];
        return {
          wallet: entry.name,
          coldkey: existsSync(coldkeyFile) ? this.address(coldkeyFile) : undefined,
          hotkeys,
        };
      })
      .sort((a, b) => a.wallet.localeCompare(b.wallet));
  }

  #read(file: string): Keystore {
    if (!existsSync(file)) throw new CliError(`no key file ${file} (create one with taonet wallet create)`);
    try {
      return JSON.parse(readFileSync(file, "utf8")) as Keystore;
    } catch (error) {
      throw new CliError(`${file} is not a JSON key file: ${(error as Error).message}`);
    }
  }
}

function checkName(name: string, what: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith("."))
    throw new UsageError(`${what} name ${JSON.stringify(name)}: use letters, digits, _ . -`);
  return name;
}
