/**
 * The statistical tests' arithmetic against hand-computed statistics (each case's numbers are
 * worked out in its comment), where checks.test.ts checks pass/fail behaviour and agreement with
 * references. Written to kill the mutants `npm run mutate` found surviving in stats.ts.
 */

import betaCdfStd from "@stdlib/stats-base-dists-beta-cdf";
import normalCdfStd from "@stdlib/stats-base-dists-normal-cdf";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { binomialCdf, pKolmogorov } from "../core/stdlib/stats.js";
import {
  binomialTest,
  binomialUpperTail,
  chiSquareFit,
  chiSquareUniform,
  chiSquareUpperTail,
  KS_EXACT_MAX_N,
  kolmogorovPValue,
  ksDistanceSorted,
  ksTest,
  ONE_TAIL_ENOUGH,
} from "./stats.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 300);

describe("binomialTest: one tail when it is small enough", () => {
  /** Both tails, always: the definition the shortcut must equal. */
  const bothTails = (k: number, n: number, p: number) =>
    n === 0 ? 1 : Math.min(1, 2 * Math.min(binomialCdf(k, n, p), k === 0 ? 1 : 1 - binomialCdf(k - 1, n, p)));

  test("gives exactly the value of computing both tails, at any k, n and p", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, at, p) => {
          const k = Math.round(at * n);
          expect(binomialTest(k, n, p)).toBe(bothTails(k, n, p));
        },
      ),
      { numRuns },
    );
  });

  test("near the mean, where neither tail is small, both are computed", () => {
    // 50 of 100 at 1/2: each tail is about 0.54, above the margin, so the value is 1.
    expect(binomialCdf(50, 100, 0.5)).toBeGreaterThan(ONE_TAIL_ENOUGH);
    expect(binomialTest(50, 100, 0.5)).toBe(1);
    // 45 of 100 at 1/2: the lower tail 0.184 alone; 55 of 100: the upper tail alone, the same.
    expect(binomialTest(45, 100, 0.5)).toBeCloseTo(2 * 0.1841008086633486, 14);
    expect(binomialTest(55, 100, 0.5)).toBeCloseTo(2 * 0.1841008086633486, 14);
  });
});

describe("binomialUpperTail: P(K >= k), K ~ Binomial(10, 1/2)", () => {
  test.each([
    [-1, 1],
    [0, 1],
    [1, 1 - 1 / 1024],
    [9, 11 / 1024],
    [10, 1 / 1024],
    [11, 0],
  ])("k = %d: %d", (k, want) => {
    expect(binomialUpperTail(k, 10, 0.5)).toBeCloseTo(want, 14);
  });
});

describe("kolmogorovPValue", () => {
  test("Q(1) = 2 (e^-2 - e^-8 + e^-18 - ...) = 0.26999967 at the Stephens-corrected t = 1", () => {
    // n = 4: t = (2 + 0.12 + 0.11 / 2) d = 2.175 d.
    expect(kolmogorovPValue(1 / 2.175, 4)).toBeCloseTo(0.2699996716773546, 9);
    // t = 0.5: Q = 0.9639452436648751 (tables of the Kolmogorov distribution).
    expect(kolmogorovPValue(0.5 / 2.175, 4)).toBeCloseTo(0.9639452436648751, 9);
  });
  test("below t = 0.2 the value is 1; far out it is 0 but never negative", () => {
    expect(kolmogorovPValue(0.1 / 2.175, 4)).toBe(1);
    expect(kolmogorovPValue(5, 4)).toBeGreaterThanOrEqual(0);
    expect(kolmogorovPValue(5, 4)).toBeLessThan(1e-100);
  });
});

describe("ksTest", () => {
  const identity = (x: number) => x;
  test("exact path: D = max(D+, D-) by hand, order of the input irrelevant", () => {
    // Uniform CDF, values 0.1, 0.2, 0.9 (n = 3): D+ = max(1/3 - 0.1, 2/3 - 0.2, 1 - 0.9) = 0.4667,
    // D- = max(0.1, 0.2 - 1/3, 0.9 - 2/3) = 0.2333.
    const r = ksTest([0.9, 0.1, 0.2], identity);
    expect(r.statistic).toBeCloseTo(2 / 3 - 0.2, 14);
    expect(r.pValue).toBe(1 - pKolmogorov(r.statistic, 3));
    // D- the larger: values 0.5, 0.6, 0.95: D+ = max(1/3 - 0.5, 2/3 - 0.6, 1 - 0.95) = 0.0667,
    // D- = max(0.5, 0.6 - 1/3, 0.95 - 2/3) = 0.5.
    expect(ksTest([0.95, 0.5, 0.6], identity).statistic).toBeCloseTo(0.5, 14);
  });
  test("the exact p-value up to and at KS_EXACT_MAX_N values, the asymptotic one past it", () => {
    const at = Array.from({ length: KS_EXACT_MAX_N }, (_, i) => (i + 0.3) / KS_EXACT_MAX_N);
    const r = ksTest(at, identity);
    expect(r.pValue).toBe(1 - pKolmogorov(r.statistic, KS_EXACT_MAX_N));
    const n = KS_EXACT_MAX_N + 1;
    const past = ksTest(
      Array.from({ length: n }, (_, i) => (i + 0.3) / n),
      identity,
    );
    expect(past.pValue).toBe(kolmogorovPValue(past.statistic, n));
  });
  test("asymptotic path: values i / n on the uniform CDF give D = 1 / n (the step above each value)", () => {
    const n = 2000;
    expect(
      ksTest(
        Array.from({ length: n }, (_, i) => i / n),
        identity,
      ).statistic,
    ).toBeCloseTo(1 / n, 14);
  });
});

describe("chiSquareFit: statistics by hand", () => {
  // A distribution on 0..3 with P = 0.4, 0.3, 0.125, 0.175.
  const probs = [0.4, 0.3, 0.125, 0.175];
  const pmf = (k: number) => probs[k] ?? 0;
  const cdf = (k: number) => probs.slice(0, Math.max(0, Math.floor(k) + 1)).reduce((a, b) => a + b, 0);
  const values = (counts: number[]) => counts.flatMap((c, k) => Array<number>(c).fill(k));

  test("every bin expects at least 5 (one exactly 5): four bins", () => {
    // n = 40, expected 16, 12, 5, 7; observed 18, 10, 4, 8 (given in reverse order):
    // 4/16 + 4/12 + 1/5 + 1/7.
    const r = chiSquareFit(values([18, 10, 4, 8]).reverse(), pmf, cdf);
    expect(r.df).toBe(3);
    expect(r.statistic).toBeCloseTo(4 / 16 + 4 / 12 + 1 / 5 + 1 / 7, 12);
    expect(r.pValue).toBeCloseTo(chiSquareUpperTail(r.statistic, 3), 14);
  });
  test("bins close once they expect 5, also at a value never observed", () => {
    // n = 20, expected 8, 6, 2.5, 3.5: bins (8), (6), then 2.5 + 3.5 = 6 together;
    // observed 10, 4, 3 + 3: 4/8 + 4/6 + 0.
    const r = chiSquareFit(values([10, 4, 3, 3]), pmf, cdf);
    expect(r.df).toBe(2);
    expect(r.statistic).toBeCloseTo(0.5 + 4 / 6, 12);
    expect(r.pValue).toBeCloseTo(Math.exp(-r.statistic / 2), 12);
    // P = 0.1, 0.5, 0.4 on 0..2, n = 20: 0 and 2 observed (3 and 17 times), 1 never. The first bin
    // closes at 1 (expects 2 + 10), the second is 2 alone (expects 8): 9^2 / 12 + 9^2 / 8.
    const p3 = [0.1, 0.5, 0.4];
    const gap = chiSquareFit(
      [...Array<number>(17).fill(2), 0, 0, 0],
      (k) => p3[k] ?? 0,
      (k) => p3.slice(0, Math.max(0, Math.floor(k) + 1)).reduce((a, b) => a + b, 0),
    );
    expect(gap.df).toBe(1);
    expect(gap.statistic).toBeCloseTo(81 / 12 + 81 / 8, 12);
  });
  test("a last bin expecting under 5 merges into the one before it", () => {
    // P = 0.5, 0.35, 0.15 on 0..2, n = 20: expected 10, 7, 3; the 3 joins the 7.
    // Observed 12, 5, 3: (12 - 10)^2 / 10 + (8 - 10)^2 / 10 = 0.8 on 1 df.
    const p3 = [0.5, 0.35, 0.15];
    const r = chiSquareFit(
      values([12, 5, 3]),
      (k) => p3[k] ?? 0,
      (k) => p3.slice(0, Math.max(0, Math.floor(k) + 1)).reduce((a, b) => a + b, 0),
    );
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo(0.8, 12);
  });
  test("observed values above 0 fold the lower tail into the first bin", () => {
    // Only 1..3 observed, n = 20: first bin expects n (cdf(0) + pmf(1)) = 20 * 0.7 = 14,
    // then 2.5 (merged into) + 3.5 = 6; observed 14, 6: statistic 0.
    const r = chiSquareFit(values([0, 14, 3, 3]), pmf, cdf);
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo(0, 12);
    // Observed 16, 4 instead: (2^2) / 14 + (2^2) / 6.
    expect(chiSquareFit(values([0, 16, 2, 2]), pmf, cdf).statistic).toBeCloseTo(4 / 14 + 4 / 6, 12);
  });
  test("one bin: df 0, p 1 when it fits (it always does: observed n, expected n)", () => {
    expect(chiSquareFit([2, 2, 2], pmf, cdf)).toEqual({ statistic: 0, df: 0, pValue: 1 });
  });

  test("wide path: bins at observed values in value order, the mass above the largest folded into it", () => {
    // Mass 0.25 at 0, 0.5 at 2e6, 0.2 at 4e6, 0.05 at 6e6 (never observed). n = 40, given unsorted:
    // expected 10, 20, 40 (1 - 0.75) = 10; observed 12, 18, 10: 4/10 + 4/20 + 0.
    const wideCdf = (k: number) => (k < 0 ? 0 : k < 2e6 ? 0.25 : k < 4e6 ? 0.75 : k < 6e6 ? 0.95 : 1);
    const v = [...Array<number>(10).fill(4e6), ...Array<number>(12).fill(0), ...Array<number>(18).fill(2e6)];
    const r = chiSquareFit(v, () => Number.NaN, wideCdf);
    expect(r.df).toBe(2);
    expect(r.statistic).toBeCloseTo(0.6, 12);
  });
  test("extremes CHI_SQUARE_MAX_STEPS apart (the narrow path's limit): a bin at each end", () => {
    // 0 and 1e6 observed, uniform mass on 0..1e6 is too spread to test; use all mass at the two ends:
    // the narrow loop gives bins at 0 (expected 10) and at 1e6 (everything from 1 up: 10).
    const endsCdf = (k: number) => (k < 0 ? 0 : k < 1e6 ? 0.5 : 1);
    const endsPmf = (k: number) => (k === 0 || k === 1e6 ? 0.5 : 0);
    const r = chiSquareFit([...Array<number>(12).fill(0), ...Array<number>(8).fill(1e6)], endsPmf, endsCdf);
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo(0.8, 12);
  });
});

describe("chiSquareUniform", () => {
  test("counts 10, 20, 30: e = 20, statistic (100 + 0 + 100) / 20 = 10 on 2 df", () => {
    expect(chiSquareUniform([10, 20, 30])).toEqual({ statistic: 10, df: 2, pValue: chiSquareUpperTail(10, 2) });
    expect(chiSquareUniform([10, 20, 30]).pValue).toBeCloseTo(Math.exp(-5), 14);
  });
  test("two categories are tested; one is not", () => {
    expect(chiSquareUniform([0, 10]).pValue).toBeLessThan(0.01);
    expect(chiSquareUniform([10])).toEqual({ statistic: 0, df: 0, pValue: 1 });
  });
});

describe("ksDistanceSorted", () => {
  /** A small linear congruential generator: enough to scatter test samples. */
  const lcg = (seed: number) => {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s + 0.5) / 2 ** 32;
    };
  };
  /** The full computation: every point's CDF. */
  const full = (x: Float64Array, cdf: (v: number) => number) => {
    let d = 0;
    for (let i = 0; i < x.length; i++) {
      const f = cdf(x[i] as number);
      d = Math.max(d, (i + 1) / x.length - f, f - i / x.length);
    }
    return d;
  };
  const beta = (v: number) => betaCdfStd(v, 0.3, 3.3);
  test("the full computation's D bit for bit, for samples near and far from the CDF, of any size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom("beta", "shifted beta", "uniform", "normal", "lumpy"),
        (n, seed, kind) => {
          const u = lcg(seed);
          const x = Float64Array.from({ length: n }, () => {
            const p = u();
            if (kind === "uniform") return p;
            if (kind === "normal") return Math.sqrt(-2 * Math.log(p)) * Math.cos(2 * Math.PI * u());
            if (kind === "lumpy") return Math.round(p * 20) / 20;
            // Beta(0.3, 3.3) by inversion's cheap stand-in: p^(1/0.3) / 3 is near it; "shifted" moves it far off.
            return kind === "beta" ? p ** (1 / 0.3) / 3 : Math.min(1, 0.2 + p ** (1 / 0.3));
          }).sort();
          const cdf =
            kind === "uniform" || kind === "lumpy"
              ? (v: number) => Math.min(1, Math.max(0, v))
              : kind === "normal"
                ? (v: number) => normalCdfStd(v, 0, 1)
                : beta;
          expect(Object.is(ksDistanceSorted(x, cdf), full(x, cdf))).toBe(true);
        },
      ),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 100) },
    );
  });
  test("a sample from the CDF itself needs a fraction of the CDF calls", () => {
    const n = 10_000;
    // A Uniform(0, 1) sample against its own CDF (D about 1 / sqrt(n)).
    const u = lcg(7);
    const x = Float64Array.from({ length: n }, () => u()).sort();
    let calls = 0;
    const cdf = (v: number) => {
      calls++;
      return v;
    };
    expect(ksDistanceSorted(x, cdf)).toBe(full(x, (v) => v));
    expect(calls).toBeLessThan(n / 4);
  });
});
