/**
 * Bounded summaries for reports: what a plot is drawn from, so a page over 100M rows costs what a
 * page over a thousand does. A histogram keeps a fixed number of bins, quantiles come from a
 * sorted sample of bounded size, and funnel limits are exact binomial quantiles (not the normal
 * approximation, which is wrong exactly where a funnel plot matters: small codes and rates near 0
 * or 1).
 */
import { binomialCdf, normalCdf } from "../core/stdlib/stats.js";

/** Counts of values in equal-width bins over `[lo, hi]`; values outside are counted apart, NaN is skipped. */
export class Histogram {
  readonly counts: Float64Array;
  below = 0;
  above = 0;
  readonly width: number;

  /**
   * @throws RangeError when `bins` is not a positive integer or `[lo, hi]` is empty or not finite.
   * @example const h = new Histogram(0, 1, 20); h.add(0.3);
   */
  constructor(
    readonly lo: number,
    readonly hi: number,
    bins: number,
  ) {
    if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`a histogram needs a positive whole number of bins, got ${bins}`);
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo))
      throw new RangeError(`a histogram needs finite lo < hi, got [${lo}, ${hi}]`);
    this.counts = new Float64Array(bins);
    this.width = (hi - lo) / bins;
  }

  /** Adds one value; `hi` itself falls in the last bin (bins are `[a, b)`, the last `[a, hi]`). */
  add(x: number, weight = 1): void {
    if (Number.isNaN(x)) return;
    if (x < this.lo) this.below += weight;
    else if (x > this.hi) this.above += weight;
    else this.counts[Math.min(this.counts.length - 1, Math.floor((x - this.lo) / this.width))]! += weight;
  }

  /** The bins as rows for a chart: `{start, end, count}`. */
  rows(): { start: number; end: number; count: number }[] {
    return Array.from(this.counts, (count, i) => ({ start: this.lo + i * this.width, end: this.lo + (i + 1) * this.width, count }));
  }
}

/**
 * The `p`-quantile of an ascending sample, interpolated between order statistics (Hyndman and
 * Fan's type 7, R's and numpy's default).
 *
 * @throws RangeError for an empty sample or `p` outside [0, 1].
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError("the quantile of an empty sample is undefined");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a quantile's probability is in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const a = sorted[i] as number;
  return i + 1 < sorted.length ? a + (h - i) * ((sorted[i + 1] as number) - a) : a;
}

/**
 * The standard normal quantile Φ⁻¹(p): Acklam's rational approximation (relative error 1.15e-9)
 * polished by one Halley step on the normal CDF, so it agrees with `normalCdf` to machine precision.
 *
 * @example normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (p >= 1) return p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  let x: number;
  if (p < 0.02425) x = tail(Math.sqrt(-2 * Math.log(p)));
  else if (p > 1 - 0.02425) x = -tail(Math.sqrt(-2 * Math.log(1 - p)));
  else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  const e = normalCdf(x, 0, 1) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** A normal Q-Q summary: at most `points` (theoretical, sample) pairs, and the KS distance to N(0, 1). */
export interface NormalQq {
  readonly n: number;
  readonly points: { theoretical: number; sample: number }[];
  /** sup |F_n(x) - Φ(x)| over the whole sample. */
  readonly ksStatistic: number;
}

/**
 * Q-Q points of a sample against the standard normal. With more than `points` values the sample
 * is summarised by `points` evenly spaced quantiles (plotting positions (i - 0.5) / points), so a
 * page stays small; the KS statistic always uses every value.
 *
 * @example normalQq([-1.2, 0.1, 0.4], 100).ksStatistic
 */
export function normalQq(sample: readonly number[], points = 500): NormalQq {
  const sorted = Float64Array.from(sample.filter((x) => Number.isFinite(x))).sort();
  const n = sorted.length;
  let ks = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf(sorted[i] as number, 0, 1);
    ks = Math.max(ks, (i + 1) / n - f, f - i / n);
  }
  const m = Math.min(n, points);
  const out: { theoretical: number; sample: number }[] = [];
  for (let i = 0; i < m; i++) {
    const p = (i + 0.5) / m;
    out.push({ theoretical: normalQuantile(p), sample: m === n ? (sorted[i] as number) : quantileSorted(sorted, p) });
  }
  return { n, points: out, ksStatistic: ks };
}

/**
 * The exact binomial limits of an observed rate: for `n` trials of probability `p`, the rates
 * k_lo / n and k_hi / n where k_lo is the `(1 - coverage) / 2` quantile of Binomial(n, p) and k_hi
 * the `(1 + coverage) / 2` quantile (the smallest k whose CDF reaches it). A funnel plot draws
 * them against n; a code outside them is surprising at that coverage.
 *
 * @throws RangeError when `n` is not a non-negative integer, `p` not in [0, 1] or `coverage` not in (0, 1).
 * @example binomialLimits(100, 0.3, 0.95) // { lower: 0.21, upper: 0.39 }
 */
export function binomialLimits(n: number, p: number, coverage: number): { lower: number; upper: number } {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial limits need a whole number of trials, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial limits need a probability in [0, 1], got ${p}`);
  if (!(coverage > 0 && coverage < 1)) throw new RangeError(`binomial limits need a coverage in (0, 1), got ${coverage}`);
  if (n === 0) return { lower: p, upper: p };
  return { lower: binomialQuantile(n, p, (1 - coverage) / 2) / n, upper: binomialQuantile(n, p, (1 + coverage) / 2) / n };
}

/** Smallest k with P(X <= k) >= q for X ~ Binomial(n, p), by bisection on the CDF (monotone in k). */
function binomialQuantile(n: number, p: number, q: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    // A tiny slack: the CDF summed in floating point can fall a rounding error short of q.
    if (binomialCdf(mid, n, p) >= q - 1e-12) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
