import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { describe, expect, test } from "vitest";
import { stream } from "../core/rng.js";
import { binomialLimits, Histogram, normalQq, normalQuantile, quantileSorted } from "./summaries.js";

/** P(X <= k) for X ~ Binomial(n, p), summed term by term in log space: the direct computation. */
function directCdf(k: number, n: number, p: number): number {
  let logC = 0;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  return sum;
}

describe("Histogram", () => {
  test("counts every value in the bin a direct floor computes, hi in the last bin, outside apart", () => {
    const rng = stream(7, "summaries", "histogram");
    const values = Array.from({ length: 5000 }, () => rng.double() * 12 - 1);
    const h = new Histogram(0, 10, 20);
    for (const x of values) h.add(x);
    h.add(10);
    h.add(Number.NaN);
    const direct = new Array(20).fill(0);
    for (const x of [...values, 10]) if (x >= 0 && x <= 10) direct[Math.min(19, Math.floor(x / 0.5))]++;
    expect(Array.from(h.counts)).toEqual(direct);
    expect(h.below).toBe(values.filter((x) => x < 0).length);
    expect(h.above).toBe(values.filter((x) => x > 10).length);
    expect(h.rows()[3]).toEqual({ start: 1.5, end: 2, count: direct[3] });
  });

  test.each([
    [0, 1, 0, "positive whole number of bins, got 0"],
    [0, 1, 2.5, "positive whole number of bins, got 2.5"],
    [1, 1, 3, "finite lo < hi, got [1, 1]"],
    [0, Number.POSITIVE_INFINITY, 3, "finite lo < hi, got [0, Infinity]"],
  ])("refuses lo %s, hi %s, bins %s", (lo, hi, bins, message) => {
    expect(() => new Histogram(lo, hi, bins)).toThrow(RangeError);
    expect(() => new Histogram(lo, hi, bins)).toThrow(message);
  });
  test("one bin is enough; values below lo, above hi and NaN are counted apart or dropped", () => {
    const h = new Histogram(2, 4, 1);
    for (const x of [Number.NaN, 1, 2, 3, 4, 5, 5]) h.add(x);
    expect(h.rows()).toEqual([{ start: 2, end: 4, count: 3 }]);
    expect([h.below, h.above]).toEqual([1, 2]);
    // Bins start at lo, not at 0: [2, 3) and [3, 4].
    const two = new Histogram(2, 4, 2);
    for (const x of [2, 2.5, 3, 3.5, 4]) two.add(x);
    expect(two.rows()).toEqual([
      { start: 2, end: 3, count: 2 },
      { start: 3, end: 4, count: 3 },
    ]);
  });
});

describe("quantileSorted", () => {
  test.each([
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 1, 4],
    [[10, 20, 30, 40, 50], 0.25, 20],
    [[10, 20, 30, 40, 50], 0.1, 14],
    [[5], 0.7, 5],
  ])("type-7 quantile of %j at %s is %s", (sample, p, expected) => {
    expect(quantileSorted(sample, p)).toBeCloseTo(expected, 12);
  });

  test("refuses an empty sample and p outside [0, 1]", () => {
    expect(() => quantileSorted([], 0.5)).toThrow("the quantile of an empty sample is undefined");
    expect(() => quantileSorted([1], 1.5)).toThrow("a quantile's probability is in [0, 1], got 1.5");
    expect(() => quantileSorted([1], -0.5)).toThrow(RangeError);
  });
});

describe("normalQuantile", () => {
  test.each([1e-10, 1e-4, 0.01, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-9])("Φ(Φ⁻¹(%s)) round-trips", (p) => {
    expect(normalCdf(normalQuantile(p), 0, 1)).toBeCloseTo(p, 14);
  });

  test("known values and the ends", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(-1)).toBeNaN();
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe("normalQq", () => {
  test("the KS statistic is the direct sup over the sample, and points are its quantiles", () => {
    const rng = stream(3, "summaries", "qq");
    const sample = Array.from({ length: 2000 }, () => normalQuantile(rng.double()) * 1.1 + 0.05);
    const qq = normalQq(sample, 200);
    const sorted = [...sample].sort((a, b) => a - b);
    let direct = 0;
    sorted.forEach((x, i) => {
      direct = Math.max(direct, Math.abs((i + 1) / sorted.length - normalCdf(x, 0, 1)), Math.abs(i / sorted.length - normalCdf(x, 0, 1)));
    });
    expect(qq.ksStatistic).toBeCloseTo(direct, 14);
    expect(qq.n).toBe(2000);
    expect(qq.points).toHaveLength(200);
    expect(qq.points[0]?.theoretical).toBeCloseTo(normalQuantile(0.5 / 200), 12);
    expect(qq.points[100]?.sample).toBeCloseTo(quantileSorted(sorted, 100.5 / 200), 12);
  });

  test("a sample no larger than the points is plotted value by value", () => {
    const qq = normalQq([0.3, -1, 2, Number.NaN], 10);
    expect(qq.points.map((p) => p.sample)).toEqual([-1, 0.3, 2]);
  });
});

describe("binomialLimits", () => {
  test.each([
    [100, 0.3, 0.95],
    [20, 0.05, 0.998],
    [1000, 0.5, 0.95],
    [7, 0.9, 0.95],
    [350, 0.02, 0.998],
  ])("n %s, p %s, coverage %s: the smallest k whose direct CDF reaches each tail", (n, p, coverage) => {
    const { lower, upper } = binomialLimits(n, p, coverage);
    const kOf = (q: number) => {
      let k = 0;
      while (directCdf(k, n, p) < q - 1e-12) k++;
      return k;
    };
    expect(lower * n).toBe(kOf((1 - coverage) / 2));
    expect(upper * n).toBe(kOf((1 + coverage) / 2));
    expect(lower).toBeLessThanOrEqual(p);
    expect(upper).toBeGreaterThanOrEqual(p);
  });

  test("no trials: both limits at p; bad inputs refused", () => {
    expect(binomialLimits(0, 0.4, 0.95)).toEqual({ lower: 0.4, upper: 0.4 });
    expect(() => binomialLimits(2.5, 0.4, 0.95)).toThrow("binomial limits need a whole number of trials, got 2.5");
    expect(() => binomialLimits(-1, 0.4, 0.95)).toThrow("whole number of trials, got -1");
    expect(() => binomialLimits(10, 1.4, 0.95)).toThrow("binomial limits need a probability in [0, 1], got 1.4");
    expect(() => binomialLimits(10, -0.1, 0.95)).toThrow("got -0.1");
    expect(() => binomialLimits(10, 0.4, 1)).toThrow("binomial limits need a coverage in (0, 1), got 1");
    expect(() => binomialLimits(10, 0.4, 0)).toThrow("coverage in (0, 1), got 0");
    // The ends of [0, 1] are probabilities: every trial fails, or every trial succeeds.
    expect(binomialLimits(10, 0, 0.95)).toEqual({ lower: 0, upper: 0 });
    expect(binomialLimits(10, 1, 0.95)).toEqual({ lower: 1, upper: 1 });
  });
});
