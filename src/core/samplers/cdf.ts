/**
 * Distribution functions of a {@link NamedDistribution}, for goodness-of-fit checks: `cdf` for KS on
 * the continuous distributions, `pmf` (and `cdf`) for chi-square on the discrete ones. The
 * continuous CDFs and the Poisson and binomial ones come from @stdlib, except where @stdlib's
 * incomplete gamma is wrong (large gamma shapes and Poisson means; see gamma-temme.ts).
 *
 * Measured limits (against scipy and 40-digit mpmath): @stdlib's binomial CDF (its incomplete
 * beta) is good to about 1e-10 up to n = 3e7, but off by 3e-6 at n = 1e8 and by 2% at n = 1e9;
 * its beta CDF is good to about 1e-10 up to alpha, beta = 1e7, and off by 6% at 1e9. Beyond those
 * sizes a goodness-of-fit check against these CDFs would fail correct columns.
 */
import { betaCdf, exponentialCdf, gammaCdf, lognormalCdf, poissonCdf, uniformCdf } from "../stdlib/dists.js";
import { binomialCdf, normalCdf } from "../stdlib/stats.js";
import type { DiscreteDistribution, DistributionOf, NamedDistribution } from "./distribution.js";
import { stdlibGammaIncIsInaccurate, temmeGammaInc } from "./gamma-temme.js";
import { validateParams } from "./validate.js";

/**
 * P(X <= x) for a column drawn from `spec`. For categorical, x is a category index. Discrete
 * distributions give a step function (x is floored first, except for constant, whose step is at
 * `value`).
 *
 * @throws InputError when `spec` describes no distribution.
 * @example cdf({ distribution: "exponential", params: { rate: 2 } }, Math.LN2 / 2) // 0.5
 */
export function cdf(spec: NamedDistribution, x: number): number {
  validateParams(spec);
  if (Number.isNaN(x)) return Number.NaN;
  switch (spec.distribution) {
    case "uniform":
      return uniformCdf(x, spec.params.min, spec.params.max);
    case "normal":
      return normalCdf(x, spec.params.mean, spec.params.sd);
    case "lognormal":
      return lognormalCdf(x, spec.params.meanlog, spec.params.sdlog);
    case "exponential":
      return exponentialCdf(x, spec.params.rate);
    case "gamma": {
      // @stdlib's second parameter is a rate: scale x instead of passing 1 / scale.
      const { shape } = spec.params;
      const z = x / spec.params.scale;
      return stdlibGammaIncIsInaccurate(shape, z) ? temmeGammaInc(shape, z).lower : gammaCdf(z, shape, 1);
    }
    case "beta":
      return betaCdf(x, spec.params.alpha, spec.params.beta);
    case "poisson": {
      // P(X <= k) = Q(k + 1, lambda), the upper regularized incomplete gamma.
      const { lambda } = spec.params;
      const k = Math.floor(x);
      return k >= 0 && stdlibGammaIncIsInaccurate(k + 1, lambda) ? temmeGammaInc(k + 1, lambda).upper : poissonCdf(k, lambda);
    }
    case "binomial":
      // Floored here: @stdlib floors x + 1e-7, which would put 2.99999999 at 3.
      return binomialCdf(Math.floor(x), spec.params.n, spec.params.p);
    case "bernoulli":
      return x < 0 ? 0 : x < 1 ? 1 - spec.params.p : 1;
    case "categorical":
      return categoricalMass(spec, Math.floor(x), true);
    case "integer": {
      const { min, max } = spec.params;
      const k = Math.floor(x);
      return k < min ? 0 : k >= max ? 1 : (k - min + 1) / (max - min + 1);
    }
    case "constant":
      return x >= spec.params.value ? 1 : 0;
  }
}

/**
 * P(X = x) for a discrete spec: 0 off the support (negative, non-integer, out of range). For
 * categorical, x is a category index; for constant, the support is `value` alone.
 *
 * Poisson and binomial masses are differences of @stdlib CDF values: accurate to about 1e-16
 * absolutely, so a mass far in the upper tail (where the CDF is near 1) has few correct digits.
 * That is ample for chi-square, which pools cells with small expected counts anyway.
 *
 * @throws InputError when `spec` describes no distribution.
 * @example pmf({ distribution: "binomial", params: { n: 2, p: 0.5 } }, 1) // 0.5
 */
export function pmf(spec: DiscreteDistribution, x: number): number {
  validateParams(spec);
  if (spec.distribution === "constant") return x === spec.params.value ? 1 : 0;
  if (!Number.isInteger(x)) return 0;
  switch (spec.distribution) {
    case "poisson":
    case "binomial":
      // The CDFs are monotone only to rounding: a far-tail difference can come out -1e-16.
      return x < 0 ? 0 : x === 0 ? cdf(spec, 0) : Math.max(0, cdf(spec, x) - cdf(spec, x - 1));
    case "bernoulli":
      return x === 0 ? 1 - spec.params.p : x === 1 ? spec.params.p : 0;
    case "categorical":
      return x < 0 ? 0 : categoricalMass(spec, x, false);
    case "integer": {
      const { min, max } = spec.params;
      return x >= min && x <= max ? 1 / (max - min + 1) : 0;
    }
  }
}

/** Weight of index k (or of indices <= k when `cumulative`) over the total weight. */
function categoricalMass(spec: DistributionOf<"categorical">, k: number, cumulative: boolean): number {
  let total = 0;
  let upTo = 0;
  for (const [i, w] of spec.params.weights.entries()) {
    total += w;
    if (i === k || (cumulative && i < k)) upTo += w;
  }
  return upTo / total;
}
