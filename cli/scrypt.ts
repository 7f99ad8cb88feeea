import { pbkdf2Sync } from "node:crypto";

/**
 * scrypt (RFC 7914) in plain TypeScript, for the parameters OpenSSL refuses: it enforces
 * N < 2^(16 r), which key files with r = 1 and a large N break (the Web3 Secret Storage
 * specification's own scrypt example among them). node:crypto's scrypt is used for everything else;
 * this one is slower (about a second for N 2^18, r 1, p 8) and only decrypts.
 */
export function scryptFallback(
  password: string,
  salt: Uint8Array,
  n: number,
  r: number,
  p: number,
  dkLen: number,
): Buffer {
  const blockWords = 32 * r; // 128 r bytes
  const b = pbkdf2Sync(password, salt, 1, p * 128 * r, "sha256");
  const words = new Uint32Array(p * blockWords);
  for (let i = 0; i < words.length; i++) words[i] = b.readUInt32LE(i * 4);
  const v = new Uint32Array(n * blockWords);
  const x = new Uint32Array(blockWords);
  const y = new Uint32Array(blockWords);
  const scratch = new Uint32Array(16);
  for (let chunk = 0; chunk < p; chunk++) {
    const offset = chunk * blockWords;
    x.set(words.subarray(offset, offset + blockWords));
    for (let i = 0; i < n; i++) {
      v.set(x, i * blockWords);
      blockMix(x, y, scratch, r);
    }
    for (let i = 0; i < n; i++) {
      // Integerify: the first word of the last 64-byte block; N is a power of 2 below 2^32.
      const j = x[(2 * r - 1) * 16]! & (n - 1);
      for (let k = 0; k < blockWords; k++) x[k]! ^= v[j * blockWords + k]!;
      blockMix(x, y, scratch, r);
    }
    words.set(x, offset);
  }
  const mixed = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) mixed.writeUInt32LE(words[i]!, i * 4);
  return pbkdf2Sync(password, mixed, 1, dkLen, "sha256");
}

/** scryptBlockMix: `b` (2r blocks of 16 words) replaced by its mix; `y` is working space. */
function blockMix(b: Uint32Array, y: Uint32Array, t: Uint32Array, r: number): void {
  t.set(b.subarray((2 * r - 1) * 16, 2 * r * 16));
  for (let i = 0; i < 2 * r; i++) {
    for (let k = 0; k < 16; k++) t[k]! ^= b[i * 16 + k]!;
    salsa20_8(t);
    // Even blocks go to the first half, odd ones to the second.
    y.set(t, ((i & 1) * r + (i >> 1)) * 16);
  }
  b.set(y);
}

/** The Salsa20/8 core, in place on 16 words. */
function salsa20_8(b: Uint32Array): void {
  let x0 = b[0]!,
    x1 = b[1]!,
    x2 = b[2]!,
    x3 = b[3]!,
    x4 = b[4]!,
    x5 = b[5]!,
    x6 = b[6]!,
    x7 = b[7]!;
  let x8 = b[8]!,
    x9 = b[9]!,
    x10 = b[10]!,
    x11 = b[11]!,
    x12 = b[12]!,
    x13 = b[13]!,
    x14 = b[14]!,
    x15 = b[15]!;
  const rotl = (a: number, s: number) => (a << s) | (a >>> (32 - s));
  for (let round = 0; round < 8; round += 2) {
    x4 ^= rotl((x0 + x12) | 0, 7);
    x8 ^= rotl((x4 + x0) | 0, 9);
    x12 ^= rotl((x8 + x4) | 0, 13);
    x0 ^= rotl((x12 + x8) | 0, 18);
    x9 ^= rotl((x5 + x1) | 0, 7);
    x13 ^= rotl((x9 + x5) | 0, 9);
    x1 ^= rotl((x13 + x9) | 0, 13);
    x5 ^= rotl((x1 + x13) | 0, 18);
    x14 ^= rotl((x10 + x6) | 0, 7);
    x2 ^= rotl((x14 + x10) | 0, 9);
    x6 ^= rotl((x2 + x14) | 0, 13);
    x10 ^= rotl((x6 + x2) | 0, 18);
    x3 ^= rotl((x15 + x11) | 0, 7);
    x7 ^= rotl((x3 + x15) | 0, 9);
    x11 ^= rotl((x7 + x3) | 0, 13);
    x15 ^= rotl((x11 + x7) | 0, 18);
    x1 ^= rotl((x0 + x3) | 0, 7);
    x2 ^= rotl((x1 + x0) | 0, 9);
    x3 ^= rotl((x2 + x1) | 0, 13);
    x0 ^= rotl((x3 + x2) | 0, 18);
    x6 ^= rotl((x5 + x4) | 0, 7);
    x7 ^= rotl((x6 + x5) | 0, 9);
    x4 ^= rotl((x7 + x6) | 0, 13);
    x5 ^= rotl((x4 + x7) | 0, 18);
    x11 ^= rotl((x10 + x9) | 0, 7);
    x8 ^= rotl((x11 + x10) | 0, 9);
    x9 ^= rotl((x8 + x11) | 0, 13);
    x10 ^= rotl((x9 + x8) | 0, 18);
    x12 ^= rotl((x15 + x14) | 0, 7);
    x13 ^= rotl((x12 + x15) | 0, 9);
    x14 ^= rotl((x13 + x12) | 0, 13);
    x15 ^= rotl((x14 + x13) | 0, 18);
  }
  b[0] = (b[0]! + x0) | 0;
  b[1] = (b[1]! + x1) | 0;
  b[2] = (b[2]! + x2) | 0;
  b[3] = (b[3]! + x3) | 0;
  b[4] = (b[4]! + x4) | 0;
  b[5] = (b[5]! + x5) | 0;
  b[6] = (b[6]! + x6) | 0;
  b[7] = (b[7]! + x7) | 0;
  b[8] = (b[8]! + x8) | 0;
  b[9] = (b[9]! + x9) | 0;
  b[10] = (b[10]! + x10) | 0;
  b[11] = (b[11]! + x11) | 0;
  b[12] = (b[12]! + x12) | 0;
  b[13] = (b[13]! + x13) | 0;
  b[14] = (b[14]! + x14) | 0;
  b[15] = (b[15]! + x15) | 0;
}
