/**
 * A second, deliberately plain implementation of `keyedStreams` for tests to compare against: the
 * key written out as bytes with a DataView, MurmurHash3_x86_128 transliterated byte for byte from
 * SMHasher's MurmurHash3.cpp (checked by SMHasher's own verification value), and sfc32 as in
 * PractRand. It shares no code with rng.ts, so a slip in the fast path's word handling, its prefix
 * caching or its tail cannot hide.
 */
import type { KeyPart, Rng, Seed } from "../core/rng.js";

const mul = (a: number, b: number) => Math.imul(a, b) >>> 0;
const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
const add = (...xs: number[]) => xs.reduce((s, x) => (s + x) >>> 0, 0);

function fmix32(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = mul(h, 0x85ebca6b);
  h = (h ^ (h >>> 13)) >>> 0;
  h = mul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** MurmurHash3_x86_128(key, len, seed), as four unsigned 32-bit words h1..h4. */
export function murmur3x86_128(key: Uint8Array, seed: number): [number, number, number, number] {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  const len = key.length;
  const nblocks = Math.floor(len / 16);
  let [h1, h2, h3, h4] = [seed >>> 0, seed >>> 0, seed >>> 0, seed >>> 0];
  const block = (i: number) => (key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)) >>> 0;
  for (let b = 0; b < nblocks; b++) {
    let k1 = block(16 * b);
    let k2 = block(16 * b + 4);
    let k3 = block(16 * b + 8);
    let k4 = block(16 * b + 12);
    k1 = mul(rotl(mul(k1, c1), 15), c2);
    h1 = (h1 ^ k1) >>> 0;
    h1 = add(mul(add(rotl(h1, 19), h2), 5), 0x561ccd1b);
    k2 = mul(rotl(mul(k2, c2), 16), c3);
    h2 = (h2 ^ k2) >>> 0;
    h2 = add(mul(add(rotl(h2, 17), h3), 5), 0x0bcaa747);
    k3 = mul(rotl(mul(k3, c3), 17), c4);
    h3 = (h3 ^ k3) >>> 0;
    h3 = add(mul(add(rotl(h3, 15), h4), 5), 0x96cd1c35);
    k4 = mul(rotl(mul(k4, c4), 18), c1);
    h4 = (h4 ^ k4) >>> 0;
    h4 = add(mul(add(rotl(h4, 13), h1), 5), 0x32ac3b17);
  }
  const tail = 16 * nblocks;
  const t = (i: number) => key[tail + i]!;
  let [k1, k2, k3, k4] = [0, 0, 0, 0];
  const rest = len & 15;
  // The reference's switch falls through from case 15 down to case 1.
  if (rest >= 15) k4 ^= t(14) << 16;
  if (rest >= 14) k4 ^= t(13) << 8;
  if (rest >= 13) {
    k4 ^= t(12);
    h4 = (h4 ^ mul(rotl(mul(k4 >>> 0, c4), 18), c1)) >>> 0;
  }
  if (rest >= 12) k3 ^= t(11) << 24;
  if (rest >= 11) k3 ^= t(10) << 16;
  if (rest >= 10) k3 ^= t(9) << 8;
  if (rest >= 9) {
    k3 ^= t(8);
    h3 = (h3 ^ mul(rotl(mul(k3 >>> 0, c3), 17), c4)) >>> 0;
  }
  if (rest >= 8) k2 ^= t(7) << 24;
  if (rest >= 7) k2 ^= t(6) << 16;
  if (rest >= 6) k2 ^= t(5) << 8;
  if (rest >= 5) {
    k2 ^= t(4);
    h2 = (h2 ^ mul(rotl(mul(k2 >>> 0, c2), 16), c3)) >>> 0;
  }
  if (rest >= 4) k1 ^= t(3) << 24;
  if (rest >= 3) k1 ^= t(2) << 16;
  if (rest >= 2) k1 ^= t(1) << 8;
  if (rest >= 1) {
    k1 ^= t(0);
    h1 = (h1 ^ mul(rotl(mul(k1 >>> 0, c1), 15), c2)) >>> 0;
  }
  [h1, h2, h3, h4] = [h1, h2, h3, h4].map((h) => (h ^ len) >>> 0) as [number, number, number, number];
  h1 = add(h1, h2, h3, h4);
  [h2, h3, h4] = [add(h2, h1), add(h3, h1), add(h4, h1)];
  [h1, h2, h3, h4] = [fmix32(h1), fmix32(h2), fmix32(h3), fmix32(h4)];
  h1 = add(h1, h2, h3, h4);
  [h2, h3, h4] = [add(h2, h1), add(h3, h1), add(h4, h1)];
  return [h1, h2, h3, h4];
}

/**
 * SMHasher's VerificationTest for a 128-bit hash: hash the keys [0], [0, 1], ... [0..254] (and the
 * empty key) with seeds 256 - length, hash the concatenated digests with seed 0, and read the first
 * four bytes little-endian. SMHasher lists 0xB3ECE62A for MurmurHash3_x86_128.
 */
export function smhasherVerification(): number {
  const key = Uint8Array.from({ length: 256 }, (_, i) => i);
  const hashes = new Uint8Array(256 * 16);
  const view = new DataView(hashes.buffer);
  for (let i = 0; i < 256; i++) {
    const digest = murmur3x86_128(key.subarray(0, i), 256 - i);
    for (let j = 0; j < 4; j++) view.setUint32(16 * i + 4 * j, digest[j] as number, true);
  }
  return murmur3x86_128(hashes, 0)[0];
}

/** The key's bytes as the module comment of rng.ts defines them: header and payload words, little-endian. */
export function keyBytes(seed: Seed, parts: readonly KeyPart[]): Uint8Array {
  const bytes: number[] = [];
  const word = (w: number) => {
    const v = new DataView(new ArrayBuffer(4));
    v.setUint32(0, w >>> 0, true);
    bytes.push(...new Uint8Array(v.buffer));
  };
  for (const p of [seed, ...parts]) {
    if (typeof p === "number") {
      if (!Number.isFinite(p)) throw new Error(`reference: ${p} is no key part`);
      const v = new DataView(new ArrayBuffer(8));
      v.setFloat64(0, Object.is(p, -0) ? 0 : p, true);
      word(1);
      word(v.getUint32(0, true));
      word(v.getUint32(4, true));
    } else {
      word(4 * p.length + 2);
      for (let i = 0; i < p.length; i += 2) word(p.charCodeAt(i) + (i + 1 < p.length ? p.charCodeAt(i + 1) * 65536 : 0));
    }
  }
  return Uint8Array.from(bytes);
}

/** sfc32 seeded with (a, b, c, counter), 12 outputs discarded; draws mapped to [0, 1) as rng.ts documents. */
export function referenceSfc32(seed: readonly [number, number, number, number]): Rng {
  let [a, b, c, d] = seed;
  const raw = () => {
    const t = add(a, b, d);
    d = add(d, 1);
    a = (b ^ (b >>> 9)) >>> 0;
    b = add(c, mul(c, 8));
    c = add(rotl(c, 21), t);
    return t;
  };
  for (let i = 0; i < 12; i++) raw();
  return {
    uint32: raw,
    next: () => raw() / 2 ** 32,
    double: () => (Math.floor(raw() / 32) * 2 ** 26 + Math.floor(raw() / 64)) / 2 ** 53,
  };
}

/** The stream `keyedStreams(seed).at(...parts)` must be. */
export function referenceKeyedStream(seed: Seed, parts: readonly KeyPart[]): Rng {
  return referenceSfc32(murmur3x86_128(keyBytes(seed, parts), 0));
}
