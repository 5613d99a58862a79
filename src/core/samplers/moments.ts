/**
 * Exact mean and variance of each distribution, for calibration checks. They describe the values
 * `sampleInto` writes: for categorical that is the category index, not the label.
 */
import type { DistributionOf, NamedDistribution } from "./distribution.js";
import { validateParams } from "./validate.js";

/**
 * E[X] for a column drawn from `spec`. Every listed distribution has a finite mean, though
 * lognormal's can overflow a double to Infinity for a large meanlog or sdlog.
 *
 * @throws InputError when `spec` describes no distribution.
 * @example mean({ distribution: "gamma", params: { shape: 2, scale: 3 } }) // 6
 */
export function mean(spec: NamedDistribution): number {
  validateParams(spec);
  switch (spec.distribution) {
    case "uniform":
    case "integer":
      return spec.params.min / 2 + spec.params.max / 2; // halves first: min + max may overflow
    case "normal":
      return spec.params.mean;
    case "lognormal":
      return Math.exp(spec.params.meanlog + spec.params.sdlog ** 2 / 2);
    case "exponential":
      return 1 / spec.params.rate;
    case "gamma":
      return spec.params.shape * spec.params.scale;
    case "beta":
      return spec.params.alpha / (spec.params.alpha + spec.params.beta);
    case "poisson":
      return spec.params.lambda;
    case "binomial":
      return spec.params.n * spec.params.p;
    case "bernoulli":
      return spec.params.p;
    case "categorical":
      return categoricalMoments(spec).mean;
    case "constant":
      return spec.params.value;
  }
}

/**
 * Var[X] for a column drawn from `spec`.
 *
 * @throws InputError when `spec` describes no distribution.
 * @example variance({ distribution: "gamma", params: { shape: 2, scale: 3 } }) // 18
 */
export function variance(spec: NamedDistribution): number {
  validateParams(spec);
  switch (spec.distribution) {
    case "uniform":
      return (spec.params.max - spec.params.min) ** 2 / 12;
    case "normal":
      return spec.params.sd ** 2;
    case "lognormal": {
      const s2 = spec.params.sdlog ** 2;
      // expm1 keeps the digits of exp(s2) - 1 when sdlog is small.
      return Math.expm1(s2) * Math.exp(2 * spec.params.meanlog + s2);
    }
    case "exponential":
      return 1 / spec.params.rate ** 2;
    case "gamma":
      return spec.params.shape * spec.params.scale ** 2;
    case "beta": {
      const { alpha: a, beta: b } = spec.params;
      return (a * b) / ((a + b) ** 2 * (a + b + 1));
    }
    case "poisson":
      return spec.params.lambda;
    case "binomial":
      return spec.params.n * spec.params.p * (1 - spec.params.p);
    case "bernoulli":
      return spec.params.p * (1 - spec.params.p);
    case "categorical":
      return categoricalMoments(spec).variance;
    case "integer": {
      // m equally likely consecutive integers: (m^2 - 1) / 12.
      const m = spec.params.max - spec.params.min + 1;
      return (m * m - 1) / 12;
    }
    case "constant":
      return 0;
  }
}

/** Mean and variance of the category index; the variance in the centred form, for accuracy. */
function categoricalMoments(spec: DistributionOf<"categorical">): { mean: number; variance: number } {
  const { weights } = spec.params;
  let total = 0;
  let first = 0;
  for (const [i, w] of weights.entries()) {
    total += w;
    first += i * w;
  }
  const m = first / total;
  let second = 0;
  for (const [i, w] of weights.entries()) second += w * (i - m) ** 2;
  return { mean: m, variance: second / total };
}
