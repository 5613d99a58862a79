/** Check results as data, and the statistical tests against known values. */
import { describe, expect, test } from "vitest";
import { check, report, VIOLATIONS_SHOWN, ViolationList } from "./result.js";
import {
  binomialTest,
  CHI_SQUARE_MAX_STEPS,
  chiSquareFit,
  chiSquareUniform,
  chiSquareUpperTail,
  KS_EXACT_MAX_N,
  kolmogorovPValue,
  ksStandardNormal,
} from "./stats.js";

describe("results", () => {
  test("a check fails exactly when it has a violation; a report fails when any check does", () => {
    const ok = check("a", "d", { m: 1 }, new ViolationList(), 0.01);
    const v = new ViolationList();
    for (let i = 0; i < 25; i++) v.add({ row: i });
    const bad = check("b", "d", {}, v);
    expect(ok).toMatchObject({ check: "a", status: "PASSED", alpha: 0.01, violations: { count: 0, first: [] } });
    expect(bad.status).toBe("FAILED");
    expect(bad.violations.count).toBe(25);
    expect(bad.violations.first).toHaveLength(VIOLATIONS_SHOWN);
    expect("alpha" in bad).toBe(false);
    expect(report([ok]).status).toBe("PASSED");
    expect("summary" in report([ok])).toBe(false);
    expect(report([ok, bad], { s: 1 })).toMatchObject({ status: "FAILED", summary: { s: 1 } });
  });
});

describe("statistics", () => {
  test("binomial test: known two-sided p-values", () => {
    // 5 heads in 10 fair flips is the most likely outcome; 0 of 10 has p = 2 / 1024.
    expect(binomialTest(5, 10, 0.5)).toBe(1);
    expect(binomialTest(0, 10, 0.5)).toBeCloseTo(2 / 1024, 12);
    expect(binomialTest(10, 10, 0.5)).toBeCloseTo(2 / 1024, 12);
    expect(binomialTest(0, 0, 0.3)).toBe(1);
  });
  test("KS against N(0, 1): normal quantiles pass, shifted ones fail", () => {
    const q = Array.from({ length: 200 }, (_, i) => Math.SQRT2 * inverseErf((2 * (i + 0.5)) / 200 - 1));
    expect(ksStandardNormal(q).pValue).toBeGreaterThan(0.99);
    expect(ksStandardNormal(q.map((x) => x + 1)).pValue).toBeLessThan(1e-6);
    expect(ksStandardNormal([])).toEqual({ statistic: 0, pValue: 1 });
  });
  test("KS exact: hand-counted statistics and p-values (one value: D = max(F, 1 - F), P(D >= d) = 2(1 - d))", () => {
    // One value at the median: D = 0.5, p = 1; at x with F(x) = 0.9 (x = 1.2815515655446004): D = 0.9, p = 0.2.
    expect(ksStandardNormal([0])).toEqual({ statistic: 0.5, pValue: 1 });
    const one = ksStandardNormal([1.2815515655446004]);
    expect(one.statistic).toBeCloseTo(0.9, 12);
    expect(one.pValue).toBeCloseTo(0.2, 9);
    // The mirror image: F = 0.1 gives the same D (the lower side counts too).
    expect(ksStandardNormal([-1.2815515655446004]).statistic).toBeCloseTo(0.9, 12);
    // Two values at the quartiles: F = 0.25, 0.75, D = max(0.25 - 0, 0.75 - 0.5, 0.5 - 0.25, 1 - 0.75) = 0.25;
    // P(D_2 >= 0.25) = 1 (D_2 is at least 1/4 always).
    const two = ksStandardNormal([-0.6744897501960817, 0.6744897501960817]);
    expect(two.statistic).toBeCloseTo(0.25, 12);
    expect(two.pValue).toBeCloseTo(1, 12);
  });
  test("KS beyond the exact method's range: the asymptotic p-value agrees with the exact one, and is fast", () => {
    // Same statistic, both methods, at the largest size the exact one is used for: within 2% of each other.
    const n = KS_EXACT_MAX_N;
    const q = Array.from({ length: n }, (_, i) => Math.SQRT2 * inverseErf((2 * (i + 0.5)) / n - 1) + 0.1);
    const exact = ksStandardNormal(q);
    expect(kolmogorovPValue(exact.statistic, n)).toBeCloseTo(exact.pValue, 2);
    expect(exact.pValue).toBeGreaterThan(0.001);
    expect(exact.pValue).toBeLessThan(0.5);
    expect(Math.abs(kolmogorovPValue(exact.statistic, n) / exact.pValue - 1)).toBeLessThan(0.02);
    // One value more and the asymptotic one answers.
    const more = [...q, 0];
    expect(ksStandardNormal(more).pValue).toBe(kolmogorovPValue(ksStandardNormal(more).statistic, n + 1));
    // 200,000 values take milliseconds (the exact method would take minutes); a shift of 0.01 sd
    // is detected, normal quantiles are not rejected.
    const big = Array.from({ length: 200_000 }, (_, i) => Math.SQRT2 * approxInverseErf((2 * (i + 0.5)) / 200_000 - 1));
    expect(ksStandardNormal(big).pValue).toBeGreaterThan(0.99);
    expect(ksStandardNormal(big.map((x) => x + 0.02)).pValue).toBeLessThan(1e-10);
    expect(kolmogorovPValue(0, 10)).toBe(1);
  });
  test("chi-square upper tail for large df agrees with the Wilson–Hilferty approximation", () => {
    // Wilson–Hilferty: (X/df)^(1/3) ~ Normal(1 - 2/(9 df), 2/(9 df)); accurate to ~1e-4 at df 5000.
    for (const [df, x] of [
      [4999, 4999],
      [4999, 5300],
      [20_000, 19_500],
    ] as const) {
      const v = 2 / (9 * df);
      const z = ((x / df) ** (1 / 3) - (1 - v)) / Math.sqrt(v);
      const wh = 1 - 0.5 * (1 + erf(z / Math.SQRT2));
      expect(Math.abs(chiSquareUpperTail(x, df) - wh)).toBeLessThan(1e-3);
    }
    expect(chiSquareUpperTail(3, 4)).toBeCloseTo(0.5578254, 6);
  });
  test("chi-square uniformity: equal counts pass, lopsided fail", () => {
    expect(chiSquareUniform([100, 100, 100]).pValue).toBeCloseTo(1, 12);
    expect(chiSquareUniform([10, 100, 190]).pValue).toBeLessThan(1e-12);
    expect(chiSquareUniform([5])).toEqual({ statistic: 0, df: 0, pValue: 1 });
    expect(chiSquareUniform([0, 0])).toEqual({ statistic: 0, df: 1, pValue: 1 });
  });
});

/** Inverse error function by Newton's method on Math's erf approximation (test-only helper). */
function inverseErf(y: number): number {
  let x = 0;
  for (let i = 0; i < 60; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for a KS p-value near 1; integrate instead.
  const n = 2000;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = ((i + 0.5) * x) / n;
    s += Math.exp(-t * t);
  }
  return ((2 / Math.sqrt(Math.PI)) * s * x) / n;
}

/** Giles' single-precision approximation of erfinv (relative error about 1e-7), enough for quantile samples. */
function approxInverseErf(y: number): number {
  const w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    const v = w - 2.5;
    let p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941])
      p = c + p * v;
    x = p * y;
  } else {
    const v = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682])
      p = c + p * v;
    x = p * y;
  }
  return x;
}

describe("chiSquareFit over wide ranges", () => {
  test("a range wider than CHI_SQUARE_MAX_STEPS bins at observed values: no loop over every integer", () => {
    const values = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0 : 1e12));
    const r = chiSquareFit(
      values,
      () => 0,
      (k) => (k < 1e12 ? 0.5 : 1),
    );
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo(0, 12);
    expect(r.pValue).toBeCloseTo(1, 12);
    expect(CHI_SQUARE_MAX_STEPS).toBe(1_000_000);
    // The same data against a distribution that puts 90% at 0: rejected.
    expect(
      chiSquareFit(
        values,
        () => 0,
        (k) => (k < 1e12 ? 0.9 : 1),
      ).pValue,
    ).toBeLessThan(1e-10);
  });
  test("values at and past 2^53 (where k + 1 === k) give a result instead of looping forever", () => {
    const r = chiSquareFit(
      [2 ** 53, 2 ** 53 + 2, 2 ** 53 + 2],
      () => 0,
      (k) => (k < 2 ** 53 + 2 ? 1 / 3 : 1),
    );
    expect(r).toMatchObject({ df: 0, statistic: 0, pValue: 1 });
  });
  test("the narrow path is unchanged: a fair die", () => {
    const values = Array.from({ length: 600 }, (_, i) => 1 + (i % 6));
    const die = chiSquareFit(
      values,
      (k) => (k >= 1 && k <= 6 ? 1 / 6 : 0),
      (k) => Math.min(1, Math.max(0, Math.floor(k) / 6)),
    );
    expect(die.df).toBe(5);
    expect(die.statistic).toBeCloseTo(0, 9);
    expect(die.pValue).toBeCloseTo(1, 9);
  });
});
