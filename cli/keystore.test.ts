import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decryptKeystore, encryptKeystore, KeystoreError, type Keystore } from "./keystore.ts";

// The test vectors of the Web3 Secret Storage Definition (ethereum.org, "Test vectors"): password
// "testpassword", the same private key encrypted under PBKDF2-SHA-256 and under scrypt.
const PRIVATE_KEY = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
const PBKDF2_VECTOR = {
  version: 3,
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
    ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    kdf: "pbkdf2",
    kdfparams: {
      c: 262144,
      dklen: 32,
      prf: "hmac-sha256",
      salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd",
    },
    mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
  },
} as Keystore;
const SCRYPT_VECTOR = {
  version: 3,
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "83dbcc02d8ccb40e466191a123791e0e" },
    ciphertext: "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    kdf: "scrypt",
    kdfparams: {
      dklen: 32,
      n: 262144,
      p: 8,
      r: 1,
      salt: "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19",
    },
    mac: "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
  },
} as Keystore;

describe("keystore (Web3 Secret Storage v3)", () => {
  it("decrypts the specification's PBKDF2 and scrypt test vectors", () => {
    assert.equal(decryptKeystore(PBKDF2_VECTOR, "testpassword"), PRIVATE_KEY);
    // r 1 with N 2^18 is outside what OpenSSL computes: this goes through cli/scrypt.ts.
    assert.equal(decryptKeystore(SCRYPT_VECTOR, "testpassword"), PRIVATE_KEY);
  });

  it("refuses a wrong password", () => {
    assert.throws(() => decryptKeystore(PBKDF2_VECTOR, "testpassworD"), KeystoreError);
  });

  it("round-trips a key through encryption with the address recorded", () => {
    const keystore = encryptKeystore({ privateKey: PRIVATE_KEY, password: "pw", scryptN: 1024 });
    assert.equal(keystore.address, "008aeeda4d805471df9b2a5b0f38a0c3bcba786b");
    assert.equal(decryptKeystore(JSON.parse(JSON.stringify(keystore)), "pw"), PRIVATE_KEY);
    assert.throws(() => decryptKeystore(keystore, "other"), /wrong password/);
  });
});
