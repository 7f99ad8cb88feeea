import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes, randomUUID, scryptSync } from "node:crypto";
import { bytesToHex, hexToBytes, keccak256, type Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { scryptFallback } from "./scrypt.ts";

/** A key file in the Web3 Secret Storage format, version 3 (what geth, MetaMask and Foundry read). */
export type Keystore = {
  readonly version: 3;
  readonly id: string;
  /** The key's address, lower case without 0x, as geth writes it: lets `wallet list` work without a password. */
  readonly address?: string;
  readonly crypto: {
    readonly cipher: "aes-128-ctr";
    readonly cipherparams: { readonly iv: string };
    readonly ciphertext: string;
    readonly kdf: "scrypt" | "pbkdf2";
    readonly kdfparams: ScryptParams | Pbkdf2Params;
    readonly mac: string;
  };
};
type ScryptParams = {
  readonly dklen: number;
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
};
type Pbkdf2Params = { readonly dklen: number; readonly c: number; readonly prf: "hmac-sha256"; readonly salt: string };

/** The key file's password is wrong (its MAC does not match), or the file is not a v3 key file. */
export class KeystoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeystoreError";
  }
}

/** scrypt's standard work factor (geth's "standard" preset): about a second and 256 MiB per key file. */
export const STANDARD_SCRYPT_N = 262_144;

export type EncryptKeystoreParameters = {
  readonly privateKey: Hex;
  readonly password: string;
  /** scrypt's N (default `STANDARD_SCRYPT_N`); tests pass a small one to stay fast. */
  readonly scryptN?: number;
};

/** Encrypts `privateKey` with scrypt (r 8, p 1) and AES-128-CTR; the MAC is keccak256(dk[16..32] ++ ciphertext). */
export function encryptKeystore(params: EncryptKeystoreParameters): Keystore {
  const n = params.scryptN ?? STANDARD_SCRYPT_N;
  if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0)
    throw new KeystoreError(`scrypt N must be a power of 2 (got ${n})`);
  const kdfparams: ScryptParams = { dklen: 32, n, r: 8, p: 1, salt: randomBytes(32).toString("hex") };
  const derived = deriveKey("scrypt", kdfparams, params.password);
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(params.privateKey)), cipher.final()]);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAddress(params.privateKey).slice(2).toLowerCase(),
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: iv.toString("hex") },
      ciphertext: ciphertext.toString("hex"),
      kdf: "scrypt",
      kdfparams,
      mac: macOf(derived, ciphertext).slice(2),
    },
  };
}

/** The private key of a v3 key file (scrypt or PBKDF2, AES-128-CTR); `KeystoreError` on a wrong password. */
export function decryptKeystore(keystore: Keystore, password: string): Hex {
  if (keystore?.version !== 3 || !keystore.crypto) throw new KeystoreError("not a version 3 key file");
  const { cipher, cipherparams, ciphertext, kdf, kdfparams, mac } = keystore.crypto;
  if (cipher !== "aes-128-ctr") throw new KeystoreError(`unsupported cipher ${String(cipher)}`);
  const derived = deriveKey(kdf, kdfparams, password);
  const encrypted = Buffer.from(ciphertext, "hex");
  if (macOf(derived, encrypted).slice(2) !== mac.toLowerCase()) throw new KeystoreError("wrong password");
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), Buffer.from(cipherparams.iv, "hex"));
  return bytesToHex(Buffer.concat([decipher.update(encrypted), decipher.final()]));
}

function deriveKey(kdf: string, kdfparams: ScryptParams | Pbkdf2Params, password: string): Buffer {
  const salt = Buffer.from(kdfparams.salt, "hex");
  if (kdf === "scrypt") {
    const { n, r, p, dklen } = kdfparams as ScryptParams;
    // OpenSSL enforces RFC 7914's N < 2^(16 r): files written with r = 1 and a large N (the
    // specification's own scrypt example) are derived in TypeScript instead.
    if (n >= 2 ** (16 * r)) return scryptFallback(password.normalize("NFKC"), salt, n, r, p, dklen);
    // Node's default memory cap (32 MiB) is below what the standard parameters need (128 * N * r bytes and more).
    return scryptSync(password.normalize("NFKC"), salt, dklen, { N: n, r, p, maxmem: 256 * n * r + 64 * 1024 * 1024 });
  }
  if (kdf === "pbkdf2") {
    const { c, dklen, prf } = kdfparams as Pbkdf2Params;
    if (prf !== "hmac-sha256") throw new KeystoreError(`unsupported PBKDF2 function ${String(prf)}`);
    return pbkdf2Sync(password.normalize("NFKC"), salt, c, dklen, "sha256");
  }
  throw new KeystoreError(`unsupported key derivation ${String(kdf)}`);
}

function macOf(derived: Buffer, ciphertext: Buffer): Hex {
  return keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext]));
}
