/**
 * A statistical battery on the output of `keyedStreams`, the evidence issue 9 asks for before a
 * hash-keyed stream may carry the determinism contract.
 *
 * The risk of a hash-keyed generator is not one long stream (sfc32 passes PractRand to 2^40+ bytes
 * on its own) but streams of adjacent keys: positions 0, 1, 2, ... of one family, the fields and
 * operators of one record, adjacent seeds. A weak key hash shows as correlated or biased *first*
 * draws across those streams. So the battery reads five sequences:
 * - `positions`: the first draw of `at(i)`, i = 0..N-1, in one family (how records are keyed);
 * - `fields`: the first draw of `at(i, field, op)` over positions, fields and operators, in that
 *   order (how corruption is keyed);
 * - `seeds`: the first draw of `keyedStreams(s).at("x")`, s = 0..N-1;
 * - `second draws`: the second draw of each `at(i)` (the generator just after its warm-up);
 * - `long stream`: 2^21 consecutive draws of one stream;
 * and runs on each: bit frequency per bit position, byte-value chi-square, serial pairs
 * chi-square, and a gap test. Across streams it also tests the correlation of adjacent keys'
 * first draws and the bit balance of their XOR (a flipped input bit must flip each output bit
 * half the time), and `double()`'s uniformity and low bits.
 *
 * False failures: every test below fails a perfect generator with probability at most ALPHA =
 * 1e-6 (tests with several statistics split ALPHA between them, Bonferroni). The inputs are fixed
 * seeds and keys, so the battery's verdict never changes from run to run: a correct generator
 * that passes once passes forever, and with p-value bounds this strict a pass was not luck. A real
 * defect gives p-values far below ALPHA at these sample sizes. Weakened on purpose, the battery
 * fails: with MurmurHash3's fmix32 finaliser removed and sfc32's warm-up cut to 1, 2 or 3 rounds,
 * 10, 10 and 5 of its 30 tests fail (serial pairs and gaps over positions and seeds, the XOR
 * balance of adjacent seeds); a `double()` of 32 bits fails the low-bits test. Each layer alone
 * passes (full MurmurHash3 with no warm-up at all; 6 or 12 sfc32 rounds over a hash with no
 * multiplications or finaliser): the two are redundant on purpose.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { describe, expect, test } from "vitest";
import { chiSquareUniform, chiSquareUpperTail, ksTest } from "../checks/stats.js";
import { keyedStreams } from "./rng.js";

/** The chance that one test below fails a perfect generator. */
const ALPHA = 1e-6;
/** Streams of adjacent keys per sequence. */
const N = 1 << 17;
/** Draws of the long stream. */
const LONG = 1 << 21;
const FIELDS = ["first_name", "last_name", "email", "phone"] as const;
const OPS = ["typo", "case_change"] as const;

const family = keyedStreams(2024, "entities", "record", "crm");
const corrupt = keyedStreams(2024, "entities", "corrupt", "crm");

/** Adds `by` to a counter (typed arrays index as possibly undefined under noUncheckedIndexedAccess). */
function bump(counts: Float64Array, at: number, by = 1): void {
  counts[at] = (counts[at] as number) + by;
}

function sequence(n: number, draw: (i: number) => number): Uint32Array {
  const xs = new Uint32Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw(i);
  return xs;
}

const sequences: Record<string, () => Uint32Array> = {
  positions: () => sequence(N, (i) => family.at(i).uint32()),
  fields: () =>
    sequence(N, (k) => {
      const op = OPS[k % OPS.length] as string;
      const field = FIELDS[Math.floor(k / OPS.length) % FIELDS.length] as string;
      return corrupt.at(Math.floor(k / (OPS.length * FIELDS.length)), field, op).uint32();
    }),
  seeds: () => sequence(N, (s) => keyedStreams(s).at("x").uint32()),
  "second draws": () =>
    sequence(N, (i) => {
      const rng = family.at(i);
      rng.uint32();
      return rng.uint32();
    }),
  "long stream": () => {
    const rng = keyedStreams(2024).at("long");
    return sequence(LONG, () => rng.uint32());
  },
};

const memo = new Map<string, Uint32Array>();
function read(name: string): Uint32Array {
  let xs = memo.get(name);
  if (xs === undefined) {
    xs = (sequences[name] as () => Uint32Array)();
    memo.set(name, xs);
  }
  return xs;
}

/** Two-sided p-value of a standard normal statistic (exact to ~1e-16 absolute, ample at 1e-8). */
const normalP = (z: number) => 2 * (1 - normalCdf(Math.abs(z), 0, 1));

/** The smallest of `ps`, Bonferroni-corrected: the chance any of them is this small under the null. */
const bonferroni = (ps: readonly number[]) => Math.min(1, Math.min(...ps) * ps.length);

/** Each of the 32 bit positions is 1 half the time: a binomial z per position. */
function bitFrequency(xs: Uint32Array): number {
  const ones = new Float64Array(32);
  for (const x of xs) for (let b = 0; b < 32; b++) bump(ones, b, (x >>> b) & 1);
  const n = xs.length;
  return bonferroni(Array.from(ones, (k) => normalP((2 * k - n) / Math.sqrt(n))));
}

/** The four bytes of every draw are uniform on 0..255: Pearson chi-square, 255 df. */
function byteValues(xs: Uint32Array): number {
  const counts = new Float64Array(256);
  for (const x of xs) {
    bump(counts, x & 255);
    bump(counts, (x >>> 8) & 255);
    bump(counts, (x >>> 16) & 255);
    bump(counts, x >>> 24);
  }
  return chiSquareUniform(counts).pValue;
}

/**
 * Non-overlapping pairs of successive draws fill the 64 x 64 grid evenly, once for their top 6
 * bits and once for their low 6 bits: two chi-squares of 4095 df.
 */
function serialPairs(xs: Uint32Array): number {
  const high = new Float64Array(4096);
  const low = new Float64Array(4096);
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const a = xs[i] as number;
    const b = xs[i + 1] as number;
    bump(high, ((a >>> 26) << 6) | (b >>> 26));
    bump(low, ((a & 63) << 6) | (b & 63));
  }
  return bonferroni([chiSquareUniform(high).pValue, chiSquareUniform(low).pValue]);
}

/**
 * Knuth's gap test: the gaps between draws falling in [0.3, 0.4) are geometric with p = 0.1.
 * Gaps of 0..39 get a bin each and longer gaps share one (expected share 0.9^40 = 1.5%).
 */
function gaps(xs: Uint32Array): number {
  const p = 0.1;
  const bins = 40;
  const counts = new Float64Array(bins + 1);
  let gap = 0;
  let total = 0;
  for (const x of xs) {
    const u = x / 2 ** 32;
    if (u >= 0.3 && u < 0.4) {
      bump(counts, Math.min(gap, bins));
      total++;
      gap = 0;
    } else gap++;
  }
  let stat = 0;
  for (let r = 0; r <= bins; r++) {
    const e = total * (r < bins ? p * (1 - p) ** r : (1 - p) ** bins);
    stat += ((counts[r] as number) - e) ** 2 / e;
  }
  return chiSquareUpperTail(stat, bins);
}

/** Pearson correlation of two samples, as a z statistic (r sqrt(n) is close to N(0, 1) when independent). */
function correlationZ(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = xs.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return (sxy / Math.sqrt(sxx * syy)) * Math.sqrt(n);
}

/** The draws of adjacent keys, as disjoint pairs (key 2k, key 2k + 1), so the pairs are independent. */
function adjacentPairs(xs: Uint32Array): [Uint32Array, Uint32Array] {
  const a = new Uint32Array(xs.length >> 1);
  const b = new Uint32Array(xs.length >> 1);
  for (let k = 0; k < a.length; k++) {
    a[k] = xs[2 * k] as number;
    b[k] = xs[2 * k + 1] as number;
  }
  return [a, b];
}

const battery: readonly [string, (xs: Uint32Array) => number][] = [
  ["bit frequency per bit position (32 binomial tests)", bitFrequency],
  ["byte values (chi-square, 255 df)", byteValues],
  ["serial pairs of top and low 6 bits (2 chi-squares, 4095 df)", serialPairs],
  ["gap test on [0.3, 0.4) (chi-square, 40 df)", gaps],
];

describe(`keyedStreams battery (each test fails a perfect generator with probability <= ${ALPHA})`, () => {
  describe.each(Object.keys(sequences))("%s", (name) => {
    test.each(battery)("%s", (_, run) => {
      expect(run(read(name))).toBeGreaterThan(ALPHA);
    });
  });

  describe.each(["positions", "fields", "seeds"])("adjacent keys: %s", (name) => {
    test("first draws of adjacent keys are uncorrelated, as draws and in their top and low bytes (3 z tests)", () => {
      const [a, b] = adjacentPairs(read(name));
      const z = [
        correlationZ(a, b),
        correlationZ(
          a.map((x) => x >>> 24),
          b.map((x) => x >>> 24),
        ),
        correlationZ(
          a.map((x) => x & 255),
          b.map((x) => x & 255),
        ),
      ];
      expect(bonferroni(z.map(normalP))).toBeGreaterThan(ALPHA);
    });
    test("the XOR of adjacent keys' first draws has every bit set half the time (32 binomial tests)", () => {
      const [a, b] = adjacentPairs(read(name));
      expect(bitFrequency(a.map((x, k) => x ^ (b[k] as number)))).toBeGreaterThan(ALPHA);
    });
  });

  test("a stream's first and second draws are uncorrelated (z test)", () => {
    expect(normalP(correlationZ(read("positions"), read("second draws")))).toBeGreaterThan(ALPHA);
  });

  test("successive draws of the long stream are uncorrelated at lags 1 to 8 (8 z tests)", () => {
    const xs = read("long stream");
    const n = xs.length - 8;
    const z = Array.from({ length: 8 }, (_, lag) => correlationZ(xs.subarray(0, n), xs.subarray(lag + 1, lag + 1 + n)));
    expect(bonferroni(z.map(normalP))).toBeGreaterThan(ALPHA);
  });

  describe("double()", () => {
    const rng = keyedStreams(2024).at("doubles");
    const long = Float64Array.from({ length: 1 << 20 }, () => rng.double());
    const first = Float64Array.from({ length: N }, (_, i) => family.child("double").at(i).double());
    test("is uniform on [0, 1): Kolmogorov-Smirnov on 2^20 draws of one stream and first draws of 2^17 adjacent keys (2 tests)", () => {
      expect(bonferroni([ksTest(long, (u) => u).pValue, ksTest(first, (u) => u).pValue])).toBeGreaterThan(ALPHA);
    });
    test("has 53 random bits: the low 16 bits of double() x 2^53 are uniform (chi-square, 65535 df)", () => {
      const counts = new Float64Array(1 << 16);
      for (const d of long) bump(counts, (d * 2 ** 53) % 65536);
      expect(chiSquareUniform(counts).pValue).toBeGreaterThan(ALPHA);
    });
  });
});
