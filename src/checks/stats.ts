/**
 * Statistical tests used by checks. Distribution functions come from @stdlib (maintained,
 * numerically careful); only the glue is here.
 */

import { stdlibGammaIncIsInaccurate, temmeGammaInc } from "../core/samplers/gamma-temme.js";
import { binomialCdf, chisquareCdf, normalCdf, pKolmogorov } from "../core/stdlib/stats.js";

/**
 * One-sided exact binomial test: P(K >= k) for K ~ Binomial(n, p), the chance of `k` or more
 * failures when each fails with probability `p` (small: too many failures).
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  return k <= 0 ? 1 : Math.max(0, 1 - binomialCdf(k - 1, n, p));
}

/**
 * Two-sided exact binomial test of `k` successes in `n` trials against probability `p`:
 * `min(1, 2 min(P(K <= k), P(K >= k)))`.
 *
 * The two tails sum to 1 + P(K = k), so when the tail on `k`'s side of the mean is at most
 * {@link ONE_TAIL_ENOUGH} the other is at least 1 - that, and is not computed: one CDF instead of
 * two for nine tests in ten under the null (a naics run tests every code, 2,660 at the default
 * tree). The margin below 1/2 is far wider than the CDF's rounding, so the value is the same as
 * computing both.
 */
export function binomialTest(k: number, n: number, p: number): number {
  if (n === 0) return 1;
  const lowerTail = () => binomialCdf(k, n, p);
  const upperTail = () => (k === 0 ? 1 : 1 - binomialCdf(k - 1, n, p));
  const [near, far] = k < n * p ? [lowerTail, upperTail] : [upperTail, lowerTail];
  const first = near();
  const smaller = first <= ONE_TAIL_ENOUGH ? first : Math.min(first, far());
  return Math.min(1, 2 * smaller);
}

/** A tail at most this needs no other (see {@link binomialTest}). */
export const ONE_TAIL_ENOUGH = 0.45;

/**
 * Above this sample size the KS p-value comes from the asymptotic Kolmogorov distribution.
 * @stdlib's kstest always uses the exact Marsaglia–Tsang–Wang method, which costs
 * O((n D)^3 log n) where the data fit (it answers at once only for p below about 0.001): about
 * 50 ms at n = 5,000 (a usage run's per-event cost check; 0.09 s of a naics run), minutes at
 * n = 800,000 (a probability-mode tree with many redraws hung a property sweep that way). With
 * Stephens' correction the asymptotic p-value is within 1.6% of the exact one at n = 1,000 and
 * 0.8% at n = 5,000 (worst over D from 0.5 to 2.1 over sqrt(n), at p near 3e-4), far finer than
 * any alpha here; the exact method costs about 5 ms at n = 1,000.
 */
export const KS_EXACT_MAX_N = 1_000;

/**
 * Kolmogorov's limiting survival function Q(t) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 t^2), at the
 * Stephens-corrected t = (sqrt(n) + 0.12 + 0.11 / sqrt(n)) D. Hand-written: no maintained package
 * exposes it (see KS_EXACT_MAX_N for why kstest's exact method cannot be used here).
 */
export function kolmogorovPValue(d: number, n: number): number {
  const t = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  if (t < 0.2) return 1; // the series converges slowly here and its value is 1 to 1e-15
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * t * t);
    sum += j % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** One-sample Kolmogorov–Smirnov test against Normal(0, 1). */
export function ksStandardNormal(values: ArrayLike<number>): { statistic: number; pValue: number } {
  return ksTest(values, (x) => normalCdf(x, 0, 1));
}

/**
 * One-sample two-sided Kolmogorov–Smirnov test against a continuous CDF: @stdlib's exact p-value
 * up to {@link KS_EXACT_MAX_N} values, the asymptotic one beyond.
 */
export function ksTest(values: ArrayLike<number>, cdf: (x: number) => number): { statistic: number; pValue: number } {
  const n = values.length;
  if (n === 0) return { statistic: 0, pValue: 1 };
  if (n <= KS_EXACT_MAX_N) {
    // kstest's own arithmetic, step for step (so the statistic keeps its last bits): x_i = F(x_(i))
    // - i/n, D = max(max x_i, max (1/n - x_i)), p = 1 - P(D_n < D). Equal to kstest's in every
    // bit over 3,000 random samples of 2 to 300 values; at n = 1 kstest takes max x_i only (its
    // two-sided max reads n = 1 entries of a pair), so D = F(x) where it is max(F, 1 - F).
    const x = Array.from(values).sort((a, b) => a - b);
    let up = Number.NEGATIVE_INFINITY;
    let down = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const xi = cdf(x[i] as number) - i / n;
      if (xi > up) up = xi;
      if (1 / n - xi > down) down = 1 / n - xi;
    }
    const statistic = Math.max(up, down);
    return { statistic, pValue: 1 - pKolmogorov(statistic, n) };
  }
  const d = ksDistanceSorted(Float64Array.from(values).sort(), cdf);
  return { statistic: d, pValue: kolmogorovPValue(d, n) };
}

/** Points between two evaluated ones below which every point is evaluated rather than bounded. */
const KS_LEAF = 8;
/** Slack for a computed CDF that is monotone only to rounding: a stretch is skipped only with its bound this far below D. */
const KS_MONOTONE_SLACK = 1e-9;

/**
 * `max_i max((i + 1) / n - F(x_i), F(x_i) - i / n)` over sorted `x`, evaluating F only where it can
 * decide the maximum: between two evaluated points every F lies between theirs (F is monotone),
 * which bounds the stretch's terms, and a stretch whose bound is below the D found so far (by
 * {@link KS_MONOTONE_SLACK}) is skipped, else split in two. The result is the full computation's
 * D, bit for bit (a skipped term is below it; a max is exact), from a fraction of the CDF calls: 5,543
 * of 120,000 for recsys's twelve Beta marginals at 10,000 users (the incomplete beta, most of
 * that check's time: 51 ms against 110 ms, 2026-12-07).
 */
export function ksDistanceSorted(x: Float64Array, cdf: (x: number) => number): number {
  const n = x.length;
  const f = new Float64Array(n);
  let d = 0;
  const evaluate = (i: number) => {
    const v = cdf(x[i] as number);
    f[i] = v;
    d = Math.max(d, (i + 1) / n - v, v - i / n);
  };
  // Evaluated ends s < e: the terms of s + 1 .. e - 1 are at most max(e / n - F(s), F(e) - (s + 1) / n).
  const visit = (s: number, e: number): void => {
    if (e - s <= 1) return;
    const bound = Math.max(e / n - (f[s] as number), (f[e] as number) - (s + 1) / n);
    if (bound + KS_MONOTONE_SLACK <= d) return;
    if (e - s <= KS_LEAF) {
      for (let i = s + 1; i < e; i++) evaluate(i);
      return;
    }
    const m = (s + e) >>> 1;
    evaluate(m);
    visit(s, m);
    visit(m, e);
  };
  // A coarse grid first, so D is near its final value before any stretch is judged.
  const step = Math.max(1, Math.floor(n / 64));
  const grid: number[] = [];
  for (let i = 0; i < n; i += step) grid.push(i);
  if (grid[grid.length - 1] !== n - 1) grid.push(n - 1);
  for (const i of grid) evaluate(i);
  for (let g = 1; g < grid.length; g++) visit(grid[g - 1] as number, grid[g] as number);
  return d;
}

/** Widest value range binned one integer at a time in {@link chiSquareFit}. */
export const CHI_SQUARE_MAX_STEPS = 1_000_000;

/**
 * Pearson chi-square goodness of fit of integer-valued `values` to a discrete distribution given
 * by its `pmf` and `cdf`: one bin per value from the smallest to the largest observed (the tails
 * beyond them folded into the end bins), adjacent bins merged until each expects at least 5. Past
 * {@link CHI_SQUARE_MAX_STEPS} integers between the extremes, bins end only at observed values.
 */
export function chiSquareFit(
  values: ArrayLike<number>,
  pmf: (k: number) => number,
  cdf: (k: number) => number,
): { statistic: number; df: number; pValue: number } {
  const n = values.length;
  if (n === 0) return { statistic: 0, df: 0, pValue: 1 };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, values[i] as number);
    hi = Math.max(hi, values[i] as number);
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(values[i] as number, (counts.get(values[i] as number) ?? 0) + 1);
  const bins: { observed: number; expected: number }[] = [];
  let cur = { observed: 0, expected: n * cdf(lo - 1) };
  if (Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && hi - lo <= CHI_SQUARE_MAX_STEPS) {
    for (let k = lo; k <= hi; k++) {
      cur.observed += counts.get(k) ?? 0;
      cur.expected += n * (k === hi ? 1 - cdf(hi - 1) : pmf(k));
      if (cur.expected >= 5 && k < hi) {
        bins.push(cur);
        cur = { observed: 0, expected: 0 };
      }
    }
  } else {
    // A wide range (or values past 2^53, where k + 1 === k): bins end at observed values only, each
    // taking the mass since the previous one from the CDF, so the work grows with the distinct
    // values, not with the range (an integer loop over 0..1e12 would take hours).
    const distinct = [...counts.keys()].sort((a, b) => a - b);
    cur = { observed: 0, expected: 0 };
    let below = 0; // cdf at the previous observed value
    distinct.forEach((v, i) => {
      const last = i === distinct.length - 1;
      const at = last ? 1 : cdf(v);
      cur.observed += counts.get(v) as number;
      cur.expected += n * Math.max(0, at - below);
      below = at;
      if (cur.expected >= 5 && !last) {
        bins.push(cur);
        cur = { observed: 0, expected: 0 };
      }
    });
  }
  if (cur.expected < 5 && bins.length > 0) {
    const last = bins.pop() as { observed: number; expected: number };
    cur = { observed: last.observed + cur.observed, expected: last.expected + cur.expected };
  }
  bins.push(cur);
  let statistic = 0;
  for (const b of bins)
    statistic += b.expected > 0 ? (b.observed - b.expected) ** 2 / b.expected : b.observed > 0 ? Number.POSITIVE_INFINITY : 0;
  const df = bins.length - 1;
  return { statistic, df, pValue: df === 0 ? (statistic === 0 ? 1 : 0) : chiSquareUpperTail(statistic, df) };
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
  return { statistic: stat, df: k - 1, pValue: chiSquareUpperTail(stat, k - 1) };
}

/**
 * P(X > x) for X ~ chi-square(df): Q(df / 2, x / 2). @stdlib's incomplete gamma is wrong for
 * x / 2 > 1000 near the mean (trees with more than ~2,000 leaves), where Temme's expansion is
 * used instead (see src/core/samplers/gamma-temme.ts).
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (stdlibGammaIncIsInaccurate(df / 2, x / 2)) return temmeGammaInc(df / 2, x / 2).upper;
  return 1 - chisquareCdf(x, df);
}
