/**
 * Fills a column with draws from a {@link NamedDistribution}. The gamma, beta, lognormal,
 * exponential and Poisson draws come from @stdlib's maintained samplers, fed by the injected
 * {@link Rng} through their `prng` option; binomial is built on @stdlib's beta and gamma
 * samplers (see `binomial` and `betaSampler` below for the @stdlib bugs this routes around); the
 * rest are a line each here.
 */

import { normal } from "../distributions.js";
import type { Rng } from "../rng.js";
import { betaRandom, exponentialRandom, gammaRandom, lognormalRandom, poissonRandom } from "../stdlib/dists.js";
import type { DistributionOf, NamedDistribution } from "./distribution.js";
import { validateParams } from "./validate.js";

/**
 * Fills `out` with independent draws from `spec`, using only `rng`. A categorical column holds
 * category indices (see {@link categoryLabels}); bernoulli holds 0 and 1; integer, poisson and
 * binomial hold whole numbers. The values depend only on `spec`, `rng`'s state and `out.length`:
 * nothing is kept between calls.
 *
 * @throws InputError when `spec` describes no distribution (see `validateParams`).
 * @example
 * const column = new Float64Array(1000);
 * sampleInto({ distribution: "gamma", params: { shape: 2, scale: 3 } }, stream(42, "rows", 0, "x"), column);
 */
export function sampleInto(spec: NamedDistribution, rng: Rng, out: Float64Array): void {
  validateParams(spec);
  // @stdlib calls a given prng as is and reads no seed or state from it (its generator's seed and
  // state then read null); the prng must return uniforms on [0, 1), as double() does. The
  // normal-based ones (gamma, beta, lognormal; binomial through beta) also seed a private MT19937
  // from one prng draw when made.
  const prng = () => rng.double();
  const n = out.length;
  switch (spec.distribution) {
    case "uniform": {
      const { min, max } = spec.params;
      for (let i = 0; i < n; i++) out[i] = min + (max - min) * rng.double();
      return;
    }
    case "normal": {
      const { mean, sd } = spec.params;
      for (let i = 0; i < n; i++) out[i] = normal(rng, mean, sd);
      return;
    }
    case "lognormal":
      fill(out, lognormalRandom.factory(spec.params.meanlog, spec.params.sdlog, { prng }));
      return;
    case "exponential":
      fill(out, exponentialRandom.factory(spec.params.rate, { prng }));
      return;
    case "gamma": {
      // @stdlib's second gamma parameter is a rate; draw with rate 1 and scale exactly.
      const { shape, scale } = spec.params;
      const draw = gammaRandom.factory(shape, 1, { prng });
      for (let i = 0; i < n; i++) out[i] = scale * draw();
      return;
    }
    case "beta": {
      const { alpha, beta } = spec.params;
      const draw = betaSampler(prng);
      for (let i = 0; i < n; i++) out[i] = draw(alpha, beta);
      return;
    }
    case "poisson":
      fill(out, poissonRandom.factory(spec.params.lambda, { prng }));
      return;
    case "binomial": {
      const { n: trials, p } = spec.params;
      const beta = betaSampler(prng);
      for (let i = 0; i < n; i++) out[i] = binomial(rng, beta, trials, p);
      return;
    }
    case "bernoulli": {
      const { p } = spec.params;
      // double() < 1 always and >= 0 always, so p = 1 and p = 0 are exact.
      for (let i = 0; i < n; i++) out[i] = rng.double() < p ? 1 : 0;
      return;
    }
    case "categorical":
      sampleCategorical(spec, rng, out);
      return;
    case "integer": {
      const { min, max } = spec.params;
      for (let i = 0; i < n; i++) out[i] = min + uniformBelow(rng, max - min + 1);
      return;
    }
    case "constant":
      out.fill(spec.params.value);
      return;
  }
}

/**
 * The labels of a categorical spec, in index order: a categorical column's value `i` stands for
 * `categoryLabels(spec)[i]`.
 *
 * @throws InputError when `spec` describes no distribution.
 * @example categoryLabels({ distribution: "categorical", params: { categories: ["a", "b"], weights: [1, 3] } }) // ["a", "b"]
 */
export function categoryLabels(spec: DistributionOf<"categorical">): readonly (string | number)[] {
  validateParams(spec);
  return spec.params.categories;
}

function fill(out: Float64Array, draw: () => number): void {
  for (let i = 0; i < out.length; i++) out[i] = draw();
}

/**
 * Draws Beta(a, b) with @stdlib's beta sampler, except for a = b > 1.5. There
 * @stdlib/random-base-beta 0.2.2 takes a symmetric sampler whose "upper squeeze" is not an upper
 * bound, so it rejects points it should accept: Beta(1.51, 1.51) comes out with a quarter of its
 * variance, Beta(2, 2) fails KS at 400,000 draws. There X = G / (G + G') with G, G' ~ Gamma(a)
 * from @stdlib's gamma sampler, which is exact.
 */
function betaSampler(prng: () => number): (a: number, b: number) => number {
  const beta = betaRandom.factory({ prng });
  const gamma = gammaRandom.factory({ prng });
  return (a, b) => {
    if (a !== b || a <= 1.5) return beta(a, b);
    const g = gamma(a, 1);
    return g / (g + gamma(b, 1));
  };
}

/**
 * Binomial(n, p), exactly, in O(log n) beta draws plus O(10) uniforms.
 *
 * Not @stdlib/random-base-binomial: its 0.2.2 is biased whenever n min(p, 1 - p) >= 10 (mean 40.45
 * and variance 22.5 for n = 100, p = 0.4, against 40 and 24), because the recursive-evaluation
 * step of its Hörmann BTRD multiplies one pmf ratio too many (its loops start at m and k, not at
 * m + 1 and k + 1). Below mean 10 it sums n Bernoulli draws, a million uniforms a value for
 * n = 1e6, p = 1e-6.
 *
 * Instead, Knuth's recursion (TAOCP 2, 3.4.1): the a-th smallest of n uniforms is X ~ Beta(a, n + 1 - a).
 * If X >= p, the successes are the a - 1 uniforms below X that fall below p: Binomial(a - 1, p / X).
 * Else all a are successes and the n - a above X add Binomial(n - a, (p - X) / (1 - X)). Halving
 * n until the mean is below 10, inversion finishes.
 */
function binomial(rng: Rng, beta: (a: number, b: number) => number, n: number, p: number): number {
  let successes = 0;
  while (n * Math.min(p, 1 - p) >= 10) {
    const a = 1 + Math.floor(n / 2);
    const x = beta(a, n + 1 - a);
    if (x >= p) {
      n = a - 1;
      p /= x;
    } else {
      successes += a;
      n -= a;
      p = (p - x) / (1 - x);
    }
  }
  // 1 - p is exact for p in [0.5, 1] (Sterbenz), so the flip loses nothing.
  return successes + (p > 0.5 ? n - binomialInversion(rng, n, 1 - p) : binomialInversion(rng, n, p));
}

/**
 * Binomial(n, p) for p <= 0.5 and n p < 10 by sequential inversion (Kachitvichyanukul and
 * Schmeiser's BINV): walks the pmf up from 0 by its ratio recurrence, about n p + 1 steps.
 * q^n > exp(-14) here (-log(1 - p) <= 2 ln(2) p for p <= 0.5), so nothing underflows.
 */
function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  let r = Math.exp(n * Math.log1p(-p));
  let u = rng.double();
  let x = 0;
  // x < n guards against rounding leaving u above the last mass.
  while (u >= r && x < n) {
    u -= r;
    x++;
    r *= a / x - s;
  }
  return x;
}

const TWO_32 = 2 ** 32;
const TWO_53 = 2 ** 53;

/** A uniform integer in [0, span), span <= 2^53, exactly (rejection, no modulo bias). */
function uniformBelow(rng: Rng, span: number): number {
  if (span <= TWO_32) {
    const limit = TWO_32 - (TWO_32 % span);
    for (;;) {
      const x = rng.uint32();
      if (x < limit) return x % span;
    }
  }
  const limit = TWO_53 - (TWO_53 % span);
  for (;;) {
    // 32 high bits and 21 low bits make a uniform 53-bit integer; every step is exact in a double.
    const x = rng.uint32() * 2 ** 21 + (rng.uint32() >>> 11);
    if (x < limit) return x % span;
  }
}

function sampleCategorical(spec: DistributionOf<"categorical">, rng: Rng, out: Float64Array): void {
  const { weights } = spec.params;
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  let last = 0; // the last category with a positive weight
  for (const [i, w] of weights.entries()) {
    total += w;
    cumulative[i] = total;
    if (w > 0) last = i;
  }
  for (let i = 0; i < out.length; i++) {
    const u = rng.double() * total;
    // The first index whose cumulative weight exceeds u; zero-weight categories never qualify.
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
}
