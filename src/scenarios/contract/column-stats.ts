/**
 * Plain statistics over numeric columns. Statistics are taken over finite values only: a null
 * (NaN in the column, marked in its null mask) and an allowed NaN or infinity are both left out;
 * whether non-finite values are allowed at all is the checks' business. Small enough to keep
 * here; each is the textbook formula (sample standard deviation uses n - 1).
 */

/** The finite values (the column itself, not a copy, when all are finite). */
export function finite(values: Float64Array): Float64Array {
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) n++;
  if (n === values.length) return values;
  const out = new Float64Array(n);
  let i = 0;
  for (const v of values) if (Number.isFinite(v)) out[i++] = v;
  return out;
}

export function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length === 0 ? Number.NaN : s / values.length;
}

/** Sample standard deviation (n - 1 in the denominator). */
export function std(values: Float64Array): number {
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return values.length < 2 ? Number.NaN : Math.sqrt(s / (values.length - 1));
}

/** Quantile q by linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Ordinary least squares of y on x: slope, intercept and R^2, over rows where both are finite. */
export function linearFit(x: Float64Array, y: Float64Array): { slope: number; intercept: number; rSquared: number; n: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    n++;
    sx += a;
    sy += b;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    sxx += (a - mx) ** 2;
    sxy += (a - mx) * (b - my);
    syy += (b - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, rSquared: (sxy * sxy) / (sxx * syy), n };
}

/** Pearson correlation over rows where both are finite. */
export function correlation(x: Float64Array, y: Float64Array): number {
  const { slope, rSquared } = linearFit(x, y);
  return Math.sign(slope) * Math.sqrt(rSquared);
}
