/**
 * Power statements of the statistical checks: the smallest deviation a check detects 80% of the
 * time at its level and sample size, computed from the sizes of this run (never a constant), so a
 * user knows what a PASSED means.
 *
 * - binomial tests: the normal approximation, delta = (z_{1-a/2} + z_{0.8}) sqrt(p (1 - p) / n);
 * - chi-square tests: the noncentrality lambda at which a noncentral chi-square exceeds the
 *   critical value 80% of the time (Patnaik's two-moment approximation, c chi2(nu) with
 *   c = (k + 2 lambda) / (k + lambda), nu = (k + lambda)^2 / (k + 2 lambda)), turned into the
 *   deviation of a parameter by each check;
 * - Kolmogorov-Smirnov: a CDF off by Delta at some point is detected at least 80% of the time when
 *   Delta >= (c_a + z_{0.8} / 2) / sqrt(n), since the empirical CDF there has sd <= 1 / (2 sqrt(n))
 *   and c_a / sqrt(n) is the asymptotic critical distance, c_a = sqrt(-ln(a / 2) / 2).
 */

import { normalCdf } from "../core/stdlib/stats.js";
import { chiSquareUpperTail } from "./stats.js";

/** The power the statements are made at. */
export const POWER = 0.8;

function bisect(f: (x: number) => number, lo: number, hi: number, iterations = 100): number {
  // f increasing; returns x with f(x) ~ 0
  for (let i = 0; i < iterations; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The standard normal quantile (bisection on @stdlib's CDF; accurate to 1e-12). */
export function normalQuantile(p: number): number {
  return bisect((x) => normalCdf(x, 0, 1) - p, -40, 40, 200);
}

/** Smallest |p' - p| a two-sided binomial test at level `alpha` on `n` trials detects 80% of the time. */
export function binomialDelta(p: number, n: number, alpha: number): number | null {
  if (n === 0) return null;
  return (normalQuantile(1 - alpha / 2) + normalQuantile(POWER)) * Math.sqrt(Math.max(p * (1 - p), 1 / (4 * n * n)) / n);
}

/** The critical value of a chi-square test with `df` degrees of freedom at level `alpha`. */
export function chiSquareCritical(df: number, alpha: number): number {
  return bisect((x) => alpha - chiSquareUpperTail(x, df), 0, 10 * df + 1000);
}

/** The noncentrality detected 80% of the time by a chi-square test with `df` at level `alpha`. */
export function chiSquareLambda(df: number, alpha: number): number {
  const crit = chiSquareCritical(df, alpha);
  const power = (lambda: number) => {
    const c = (df + 2 * lambda) / (df + lambda);
    const nu = (df + lambda) ** 2 / (df + 2 * lambda);
    return chiSquareUpperTail(crit / c, nu);
  };
  return bisect((l) => power(l) - POWER, 0, 1e6);
}

/** Smallest CDF distance a KS test on `n` values at level `alpha` detects at least 80% of the time. */
export function ksDelta(n: number, alpha: number): number | null {
  if (n === 0) return null;
  return (Math.sqrt(-Math.log(alpha / 2) / 2) + normalQuantile(POWER) / 2) / Math.sqrt(n);
}

/**
 * The smallest `x` in [lo, hi] whose noncentrality `lambdaOf(x)` (increasing in x) reaches
 * `target`, or null when even `hi` does not.
 */
export function smallestDetected(lambdaOf: (x: number) => number, target: number, lo: number, hi: number): number | null {
  if (!(lambdaOf(hi) >= target)) return null;
  return bisect((x) => lambdaOf(x) - target, lo, hi, 60);
}
