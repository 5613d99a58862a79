/**
 * Statistical tests used by checks. Distribution functions come from @stdlib (maintained,
 * numerically careful); only the glue is here.
 */
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import kstest from "@stdlib/stats-kstest";

/** Two-sided exact binomial test of `k` successes in `n` trials against probability `p`. */
export function binomialTest(k: number, n: number, p: number): number {
  if (n === 0) return 1;
  const lower = binomialCdf(k, n, p);
  const upper = k === 0 ? 1 : 1 - binomialCdf(k - 1, n, p);
  return Math.min(1, 2 * Math.min(lower, upper));
}

/** One-sample Kolmogorov–Smirnov test against Normal(0, 1). */
export function ksStandardNormal(values: ArrayLike<number>): { statistic: number; pValue: number } {
  if (values.length === 0) return { statistic: 0, pValue: 1 };
  const out = kstest(Array.from(values), "normal", 0, 1);
  return { statistic: out.statistic, pValue: out.pValue };
}

/** Pearson chi-square test that `counts` are equally likely categories. */
export function chiSquareUniform(counts: ArrayLike<number>): { statistic: number; df: number; pValue: number } {
  const k = counts.length;
  let n = 0;
  for (let i = 0; i < k; i++) n += counts[i] as number;
  if (k < 2 || n === 0) return { statistic: 0, df: Math.max(0, k - 1), pValue: 1 };
  const e = n / k;
  let stat = 0;
  for (let i = 0; i < k; i++) stat += ((counts[i] as number) - e) ** 2 / e;
  return { statistic: stat, df: k - 1, pValue: 1 - chisquareCdf(stat, k - 1) };
}
