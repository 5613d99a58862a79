/**
 * Power statements against values computed by hand from published constants (z_0.975 =
 * 1.959963984540054, z_0.8 = 0.8416212335729143, chi-square table quantiles) and, for the
 * chi-square noncentrality, against the exact power of a 1-df test, which has a closed form.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { describe, expect, test } from "vitest";
import { binomialDelta, chiSquareCritical, chiSquareLambda, ksDelta, normalQuantile, POWER, smallestDetected } from "./power.js";
import { chiSquareUpperTail } from "./stats.js";

const Z975 = 1.959963984540054;
const Z80 = 0.8416212335729143;

describe("normalQuantile", () => {
  test.each([
    [0.975, Z975],
    [0.8, Z80],
    [0.025, -Z975],
    [0.5, 0],
  ])("p = %d: %d", (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 12);
  });
});

describe("binomialDelta", () => {
  test("(z_{1-a/2} + z_0.8) sqrt(p (1 - p) / n)", () => {
    expect(binomialDelta(0.5, 100, 0.05)).toBeCloseTo((Z975 + Z80) * 0.05, 12);
    expect(binomialDelta(0.1, 400, 0.05)).toBeCloseTo((Z975 + Z80) * Math.sqrt(0.09 / 400), 12);
    expect(POWER).toBe(0.8);
  });
  test("p = 0 or 1: the variance floor 1 / (4 n^2), not a zero width", () => {
    const floor = (Z975 + Z80) * Math.sqrt(1 / (4 * 10 * 10) / 10);
    expect(binomialDelta(0, 10, 0.05)).toBeCloseTo(floor, 12);
    expect(binomialDelta(1, 10, 0.05)).toBeCloseTo(floor, 12);
  });
  test("no trials: null", () => {
    expect(binomialDelta(0.5, 0, 0.05)).toBeNull();
  });
});

describe("chiSquareCritical", () => {
  test.each([
    [1, 0.05, 3.841458820694124],
    [10, 0.01, 23.209251158954356],
  ])("df %d at alpha %d: %d (tables)", (df, alpha, crit) => {
    expect(chiSquareCritical(df, alpha)).toBeCloseTo(crit, 9);
  });
  test("df 200 at alpha 1e-6: the upper tail there is alpha, near Wilson-Hilferty's 310.0", () => {
    const got = chiSquareCritical(200, 1e-6);
    expect(chiSquareUpperTail(got, 200) / 1e-6).toBeCloseTo(1, 9);
    expect(Math.abs(got - 310)).toBeLessThan(1);
  });
  test("df 5000: a critical value far above 1000 (the search range grows with df)", () => {
    // Wilson-Hilferty: 5000 (1 - 2 / 45000 + 1.644854 sqrt(2 / 45000))^3 = 5165.
    const got = chiSquareCritical(5000, 0.05);
    expect(chiSquareUpperTail(got, 5000)).toBeCloseTo(0.05, 9);
    expect(Math.abs(got - 5165)).toBeLessThan(2);
  });
});

describe("chiSquareLambda", () => {
  test("df 1: the exact power of (Z + sqrt(lambda))^2 > crit at the returned lambda is within 0.02 of 0.8", () => {
    // Patnaik's two-moment approximation: at df 1, alpha 0.05 the exact lambda for power 0.8 is 7.849.
    const lambda = chiSquareLambda(1, 0.05);
    const c = Math.sqrt(chiSquareCritical(1, 0.05));
    const exact = 1 - normalCdf(c - Math.sqrt(lambda), 0, 1) + normalCdf(-c - Math.sqrt(lambda), 0, 1);
    expect(lambda).toBeGreaterThan(7.4);
    expect(lambda).toBeLessThan(7.85);
    expect(Math.abs(exact - POWER)).toBeLessThan(0.02);
  });
  test("the approximate power at the returned lambda is 0.8, and grows with lambda", () => {
    for (const [df, alpha] of [
      [1, 0.05],
      [10, 0.01],
      [50, 1e-6],
    ] as const) {
      const crit = chiSquareCritical(df, alpha);
      const power = (l: number) => chiSquareUpperTail(crit / ((df + 2 * l) / (df + l)), (df + l) ** 2 / (df + 2 * l));
      const lambda = chiSquareLambda(df, alpha);
      expect(power(lambda)).toBeCloseTo(POWER, 9);
      expect(power(lambda * 0.9)).toBeLessThan(POWER);
      expect(power(lambda * 1.1)).toBeGreaterThan(POWER);
    }
    expect(chiSquareLambda(10, 0.01)).toBeGreaterThan(chiSquareLambda(1, 0.05));
  });
});

describe("ksDelta", () => {
  test("(sqrt(-ln(a / 2) / 2) + z_0.8 / 2) / sqrt(n)", () => {
    expect(ksDelta(100, 0.05)).toBeCloseTo((Math.sqrt(-Math.log(0.025) / 2) + Z80 / 2) / 10, 12);
    expect(ksDelta(10_000, 1e-6)).toBeCloseTo((Math.sqrt(-Math.log(5e-7) / 2) + Z80 / 2) / 100, 12);
  });
  test("no values: null", () => {
    expect(ksDelta(0, 0.05)).toBeNull();
  });
});

describe("smallestDetected", () => {
  test("the x in [lo, hi] where an increasing lambda reaches the target", () => {
    expect(smallestDetected((x) => x * x, 4, 0, 10)).toBeCloseTo(2, 12);
    expect(smallestDetected((x) => 3 * x + 1, 1, 0, 5)).toBeCloseTo(0, 12);
    expect(smallestDetected((x) => x, 10, 0, 10)).toBeCloseTo(10, 12);
  });
  test("null when even hi falls short, or lambda is NaN there", () => {
    expect(smallestDetected((x) => x, 20, 0, 10)).toBeNull();
    expect(smallestDetected(() => Number.NaN, 1, 0, 10)).toBeNull();
  });
});
