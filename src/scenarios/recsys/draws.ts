/**
 * The samplers of the recsys model, each over an {@link Rng} (so a draw depends only on its keyed
 * stream): gamma in log space (Dirichlet with small alphas never underflows to 0/0), Dirichlet,
 * Poisson, uniform integers, partial shuffles and the inverse-CDF lookup the softmax sampling uses.
 */
import { normal } from "../../core/distributions.js";
import type { Rng } from "../../core/rng.js";

/**
 * log of a Gamma(shape, 1) draw: Marsaglia and Tsang's squeeze method (2000) for shape >= 1, and
 * for shape < 1 their boost `G(a) = G(a + 1) * U^(1/a)` taken in logs, so a shape of 1e-3 gives a
 * finite log where the draw itself would underflow to 0.
 */
export function logGamma(rng: Rng, shape: number): number {
  if (shape < 1) return logGamma(rng, shape + 1) + Math.log(1 - rng.double()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - rng.double();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return Math.log(d * v);
  }
}

/**
 * Fills `out[0, alphas.length)` with a Dirichlet(alphas) draw: normalised gammas, through their logs
 * (a log-sum-exp), so the parts sum to 1 for any positive alphas.
 */
export function dirichletInto(rng: Rng, alphas: ArrayLike<number>, out: Float64Array): void {
  const n = alphas.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const g = logGamma(rng, alphas[i] as number);
    out[i] = g;
    if (g > max) max = g;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((out[i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / sum;
}

/** Dirichlet(1, ..., 1) over n parts: normalised standard exponentials. */
export function flatDirichletInto(rng: Rng, n: number, out: Float64Array, offset = 0): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = -Math.log(1 - rng.double());
    out[offset + i] = e;
    sum += e;
  }
  // Every exponential is 0 only with probability 0, but a 32-bit uniform of exactly 0 exists.
  if (!(sum > 0)) for (let i = 0; i < n; i++) out[offset + i] = 1 / n;
  else for (let i = 0; i < n; i++) out[offset + i] = (out[offset + i] as number) / sum;
}

/** Uniform integer in [lo, hi] (inclusive). */
export function uniformInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.double() * (hi - lo + 1));
}

/**
 * Poisson(lambda) by multiplication of uniforms (Knuth), in pieces of at most 500 so exp(-piece)
 * stays far from underflow: a sum of independent Poissons is Poisson. Costs about lambda draws,
 * which is what the interactions it counts cost anyway.
 */
export function poisson(rng: Rng, lambda: number): number {
  let k = 0;
  let rest = lambda;
  while (rest > 0) {
    const piece = Math.min(rest, 500);
    rest -= piece;
    const limit = Math.exp(-piece);
    let p = 1;
    for (;;) {
      p *= 1 - rng.double();
      if (p <= limit) break;
      k++;
    }
  }
  return k;
}

/** The first `k` entries of a uniformly random order of 0..n-1 (a partial Fisher-Yates), in `scratch`. */
export function partialShuffle(rng: Rng, n: number, k: number, scratch: Int32Array): Int32Array {
  for (let i = 0; i < n; i++) scratch[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.double() * (n - i));
    const t = scratch[i] as number;
    scratch[i] = scratch[j] as number;
    scratch[j] = t;
  }
  return scratch.subarray(0, k);
}

/**
 * The index of the first entry of the non-decreasing `cum[from, n)` greater than `x` (binary
 * search; `from` 0 unless given): with `x` uniform in [0, cum[n-1]), index i comes out with
 * probability (cum[i] - cum[i-1]) / total. Clamped to n - 1 against rounding at the top.
 */
export function searchCumulative(cum: Float64Array, n: number, x: number, from = 0): number {
  let lo = from;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
