/**
 * The one place a seed becomes a random stream.
 *
 * Every draw in the toolkit goes through an {@link Rng} made here from a seed and a key path, so a
 * generation task's randomness depends only on what it generates, never on what ran before it.
 * Two families of streams live here; both are part of the determinism contract, stable across
 * versions (a change to either is a new generator version and new golden bytes):
 *
 * - {@link stream}: seedrandom's Alea (Baagøe) seeded with the JSON of `[seed, ...key]`. Chosen by
 *   `scratch`-style measurement on Node 20: about 5 ns a double and 1.3 µs to seed, versus 22 ns a
 *   double for seedrandom's default ARC4; it passes the usual statistical batteries and is
 *   deterministic across platforms (pure 32-bit arithmetic). NAICS and spec bytes depend on it.
 * - {@link keyedStreams}: for code that makes a stream per record, field and operator, where
 *   Alea's seeding dominates. The key is written as 32-bit words (below), hashed with
 *   MurmurHash3_x86_128 (Appleby, SMHasher; seed 0, words as little-endian bytes), and the 128-bit
 *   digest h1..h4 seeds sfc32 (Doty-Humphrey's Small Fast Counting generator, which passes
 *   PractRand and TestU01) as `a, b, c, counter`, of which 12 outputs are discarded, as PractRand's
 *   own seeding does. `uint32()` is one output, `next()` one output / 2^32, `double()` the top 27
 *   bits of one output and the top 26 of the next, / 2^53. A family caches the hash state of its
 *   prefix, so `.at(position, field, op)` hashes only the new parts. rng-battery.test.ts is the
 *   statistical evidence for adjacent keys; keyed-streams.test.ts pins the algorithm against a
 *   byte-wise reference checked by SMHasher's verification value.
 *
 * The key of a keyed stream is `(seed, ...parts)`, each part written as a header word and its
 * payload: a number as header 1 and its float64 bits (low word, then high word; -0 written as 0);
 * a string of n UTF-16 code units as header `4n + 2` and its code units two per word, the first in
 * the low half (an odd last unit alone). The header's low two bits say the type and a string's
 * header its length, so the words of different keys differ: `("a", "bc")` vs `("ab", "c")` and 2 vs
 * "2" are different keys by construction, not by luck. NaN and the infinities are refused (as by
 * `stream`, which cannot tell them apart).
 *
 * Why hand-written: no npm package gives keyed, prefix-cached streams at this cost (seedrandom and
 * pure-rand seed from a string or one integer). Measured by `npx tsx bench/rng.ts` (CPU time, Node
 * 20, a shared 2-core VM under load): making the stream of `(42, "entities", "corrupt", "crm", i,
 * field, op)` costs about 6 µs with `stream`, 200 ns with `keyedStreams(...).at()`, 85-100 ns with
 * `.at(i, field, op)` on a cached family and 45 ns with `.at(i)`; a draw costs 6 ns with either
 * (`double()` 7 ns against Alea's 11 ns).
 */
import seedrandom from "seedrandom";
import { SynthError } from "./errors.js";

/** A deterministic random stream. */
export interface Rng {
  /** Uniform on [0, 1) with 32 bits of resolution (the fast path for row sampling). */
  next(): number;
  /** Uniform on [0, 1) with 53 bits of resolution (for continuous samplers). */
  double(): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
}

/** A seed as users give it: a non-negative safe integer or a string. */
export type Seed = number | string;

/** One component of a stream key: a scenario name, a task name, a parent code, a block index. */
export type KeyPart = string | number;

/**
 * Makes the random stream for `(seed, ...key)`.
 *
 * The same seed and key always give the same sequence; any change to either gives an unrelated one.
 * Key parts are JSON-encoded together, so `("a", "bc")` and `("ab", "c")` differ; the number 2
 * and the string "2" differ too, while -0 and 0 are the same key.
 *
 * @throws SynthError `bad_stream_key` for a NaN or infinite key part.

 *
 * @example
 * const rng = stream(42, "naics", "tree", "1012");
 * rng.double(); // same value on every machine, every run
 */
export function stream(seed: Seed, ...key: readonly KeyPart[]): Rng {
  // JSON writes NaN and the infinities as null, so they would all share one stream: refuse them.
  for (const part of [seed, ...key]) {
    if (typeof part === "number" && !Number.isFinite(part)) {
      throw new SynthError("bad_stream_key", `a stream key part is ${part}`, { hint: "key parts are strings or finite numbers" });
    }
  }
  const prng = seedrandom.alea(JSON.stringify([seed, ...key]));
  return {
    next: () => prng(),
    double: () => prng.double(),
    uint32: () => prng.int32() >>> 0,
  };
}

/** A family of keyed streams sharing a key prefix, whose hash is computed once. */
export interface StreamFamily {
  /**
   * The stream of `(seed, ...prefix, ...parts)`: the same parts always give the same stream.
   *
   * @throws SynthError `bad_stream_key` for a NaN or infinite part.
   * @example keyedStreams(42, "entities", "corrupt", "crm").at(17, "email", "typo").next()
   */
  at(...parts: readonly KeyPart[]): Rng;
  /**
   * The family whose prefix is `(...prefix, ...parts)`.
   *
   * @throws SynthError `bad_stream_key` for a NaN or infinite part.
   * @example keyedStreams(42, "entities").child("corrupt", "crm").at(17, "email", "typo")
   */
  child(...parts: readonly KeyPart[]): StreamFamily;
}

/**
 * Fast keyed streams (sfc32 seeded by MurmurHash3_x86_128 of the key; see the module comment for the
 * exact key encoding, which is part of the determinism contract).
 *
 * Keys mean what they mean for {@link stream}: the number 2 and the string "2" differ,
 * `("a", "bc")` and `("ab", "c")` differ, -0 and 0 are the same. Only where the key is split
 * differs nothing: `keyedStreams(s, "a", "b").at(1)`, `keyedStreams(s, "a").child("b").at(1)` and
 * `keyedStreams(s).at("a", "b", 1)` are one stream. The draws differ from `stream(s, "a", "b", 1)`'s:
 * this is another algorithm.
 *
 * @param seed - the run's seed: a number or a string.
 * @param prefix - key parts every stream of the family starts with.
 * @throws SynthError `bad_stream_key` for a NaN or infinite seed or part.
 * @example
 * const corrupt = keyedStreams(42, "entities", "corrupt", "crm"); // hash the prefix once
 * const rng = corrupt.at(17, "email", "typo"); // then ~100 ns a stream
 * rng.double(); // same value on every machine, every run
 */
export function keyedStreams(seed: Seed, ...prefix: readonly KeyPart[]): StreamFamily {
  const state = new Int32Array(STATE_WORDS);
  const n = encode(seed, 0, "keyedStreams() seed", 0);
  absorb(state, encodeParts(prefix, "keyedStreams() prefix", n));
  releaseWords();
  return new KeyedFamily(state);
}

/**
 * A family is the hash state after its prefix: MurmurHash3_x86_128's h1..h4 after the prefix's
 * full 16-byte blocks, the 0-3 words of an unfinished block, and the number of words so far.
 */
const STATE_WORDS = 8;
const N = 7;

class KeyedFamily implements StreamFamily {
  readonly #state: Int32Array;

  constructor(state: Int32Array) {
    this.#state = state;
  }

  at(...parts: readonly KeyPart[]): Rng {
    const s = SCRATCH_STATE;
    const from = this.#state;
    for (let i = 0; i < STATE_WORDS; i++) s[i] = from[i] as number; // faster than set() for 8 words
    absorb(s, encodeParts(parts, "at()", 0));
    releaseWords();
    return digest(s);
  }

  child(...parts: readonly KeyPart[]): StreamFamily {
    const s = this.#state.slice();
    absorb(s, encodeParts(parts, "child()", 0));
    releaseWords();
    return new KeyedFamily(s);
  }
}

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

// A number's float64 bits, read little-endian whatever the platform's byte order (V8 compiles
// DataView accesses to plain loads and stores).
const F64 = new DataView(new ArrayBuffer(8));

// The words of the parts being hashed, and the state `at()` finishes: reused, because encoding
// and hashing are synchronous and call out to nothing, so no two uses ever overlap.
let WORDS = new Int32Array(1024);
const SCRATCH_STATE = new Int32Array(STATE_WORDS);

/** Writes the words of `parts` into WORDS from `at`; returns the end. Throws for a non-finite number. */
function encodeParts(parts: readonly KeyPart[], where: string, at: number): number {
  for (let i = 0; i < parts.length; i++) at = encode(parts[i] as KeyPart, at, where, i);
  return at;
}

function encode(p: KeyPart, at: number, where: string, index: number): number {
  if (typeof p === "string") {
    const n = p.length;
    if (at + 1 + (n >>> 1) + 1 > WORDS.length) grow(at + 2 + (n >>> 1));
    const w = WORDS;
    w[at++] = n * 4 + 2;
    let i = 0;
    for (; i + 1 < n; i += 2) w[at++] = p.charCodeAt(i) | (p.charCodeAt(i + 1) << 16);
    if (i < n) w[at++] = p.charCodeAt(i);
    return at;
  }
  if (typeof p === "number" && Number.isFinite(p)) {
    if (at + 3 > WORDS.length) grow(at + 3);
    F64.setFloat64(0, p === 0 ? 0 : p, true); // -0 is 0
    WORDS[at] = 1;
    WORDS[at + 1] = F64.getInt32(0, true);
    WORDS[at + 2] = F64.getInt32(4, true);
    return at + 3;
  }
  const which = where.endsWith("seed") ? where : `${where} part ${index}`;
  throw new SynthError("bad_stream_key", `a stream key part is ${String(p)} (${which})`, {
    hint: "key parts are strings or finite numbers",
  });
}

/** Above this many words, the buffer a long key needed is dropped after use rather than kept for good. */
const WORDS_KEPT = 1 << 16;

function releaseWords(): void {
  if (WORDS.length > WORDS_KEPT) WORDS = new Int32Array(1024);
}

function grow(size: number): void {
  const bigger = new Int32Array(Math.max(size, 2 * WORDS.length));
  bigger.set(WORDS);
  WORDS = bigger;
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Feeds WORDS[0, end) to MurmurHash3_x86_128 (seed 0) after the words `s` has absorbed, as if they
 * were little-endian bytes appended to the same input: the state's unfinished block is completed
 * first, full blocks are folded in, and the last 0-3 words wait in the state for more words or
 * {@link digest}. keyed-streams.test.ts checks the result against a byte-wise reference of
 * SMHasher's code.
 */
function absorb(s: Int32Array, end: number): void {
  const w = WORDS;
  let h1 = s[0] as number;
  let h2 = s[1] as number;
  let h3 = s[2] as number;
  let h4 = s[3] as number;
  let k1 = s[4] as number;
  let k2 = s[5] as number;
  let k3 = s[6] as number;
  const n = s[N] as number;
  let pending = n & 3;
  let i = 0;
  while (i < end) {
    // Fill the block's words in order; on the fourth, fold the block in.
    const x = w[i++] as number;
    if (pending === 0) k1 = x;
    else if (pending === 1) k2 = x;
    else if (pending === 2) k3 = x;
    else {
      h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
      h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
      h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
      h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
      h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
      h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
      h4 ^= Math.imul(rotl(Math.imul(x, C4), 18), C1);
      h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
      pending = -1;
    }
    pending++;
  }
  s[0] = h1;
  s[1] = h2;
  s[2] = h3;
  s[3] = h4;
  s[4] = k1;
  s[5] = k2;
  s[6] = k3;
  s[N] = n + end;
}

/** Finishes the hash of `s` (tail, length, avalanche) and returns the sfc32 stream its digest seeds. */
function digest(s: Int32Array): Rng {
  let h1 = s[0] as number;
  let h2 = s[1] as number;
  let h3 = s[2] as number;
  let h4 = s[3] as number;
  const n = s[N] as number;
  // The tail: whole words only, so the reference's byte cases collapse to one per word.
  const tail = n & 3;
  if (tail === 3) h3 ^= Math.imul(rotl(Math.imul(s[6] as number, C3), 17), C4);
  if (tail >= 2) h2 ^= Math.imul(rotl(Math.imul(s[5] as number, C2), 16), C3);
  if (tail >= 1) h1 ^= Math.imul(rotl(Math.imul(s[4] as number, C1), 15), C2);
  const len = Math.imul(n, 4); // the reference's int len, modulo 2^32
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return new Sfc32(h1, h2, h3, h4);
}

/** sfc32 outputs discarded after seeding: PractRand's sfc32 seeding discards 12. */
const SFC32_WARMUP = 12;

/**
 * sfc32 (Chris Doty-Humphrey, PractRand): 128 bits of state, of which a 32-bit counter guarantees
 * a period of at least 2^32 from any state; the expected period is about 2^127.
 */
class Sfc32 implements Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(a: number, b: number, c: number, d: number) {
    for (let i = 0; i < SFC32_WARMUP; i++) {
      const t = (a + b + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }

  /** One sfc32 output, as a signed 32-bit integer. */
  #step(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (a + b + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t;
  }

  next(): number {
    return (this.#step() >>> 0) / 4294967296;
  }

  double(): number {
    // 27 high bits of one output and 26 of the next, as in MT19937's genrand_res53.
    const hi = this.#step() >>> 5;
    const lo = this.#step() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uint32(): number {
    return this.#step() >>> 0;
  }
}
