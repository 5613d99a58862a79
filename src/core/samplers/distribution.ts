/**
 * The distributions a spec-driven column can be drawn from. The names and parameter keys are part
 * of the user-facing spec format: renaming one breaks users' files.
 */

/** A named distribution with its parameters, as a user writes it in a spec. */
export type NamedDistribution =
  /** Continuous uniform on [min, max]; needs min < max. */
  | { readonly distribution: "uniform"; readonly params: { readonly min: number; readonly max: number } }
  /** Normal with mean `mean` and standard deviation `sd` > 0. */
  | { readonly distribution: "normal"; readonly params: { readonly mean: number; readonly sd: number } }
  /** exp(Normal(meanlog, sdlog)); sdlog > 0. */
  | { readonly distribution: "lognormal"; readonly params: { readonly meanlog: number; readonly sdlog: number } }
  /** Exponential with rate > 0 (mean 1 / rate). */
  | { readonly distribution: "exponential"; readonly params: { readonly rate: number } }
  /** Gamma with shape k > 0 and scale θ > 0 (mean kθ); a scale, not a rate. */
  | { readonly distribution: "gamma"; readonly params: { readonly shape: number; readonly scale: number } }
  /** Beta on [0, 1] with shapes alpha > 0 and beta > 0. */
  | { readonly distribution: "beta"; readonly params: { readonly alpha: number; readonly beta: number } }
  /** Poisson with mean lambda > 0. */
  | { readonly distribution: "poisson"; readonly params: { readonly lambda: number } }
  /** Successes in n >= 1 independent trials of probability p in [0, 1]. */
  | { readonly distribution: "binomial"; readonly params: { readonly n: number; readonly p: number } }
  /** 1 with probability p in [0, 1], else 0. */
  | { readonly distribution: "bernoulli"; readonly params: { readonly p: number } }
  /**
   * One of `categories` (all strings or all numbers, distinct) with probability proportional to
   * `weights` (>= 0, not all zero, need not sum to 1). Columns hold the category's index.
   */
  | {
      readonly distribution: "categorical";
      readonly params: { readonly categories: readonly string[] | readonly number[]; readonly weights: readonly number[] };
    }
  /** Uniform on the integers min..max, both ends included. */
  | { readonly distribution: "integer"; readonly params: { readonly min: number; readonly max: number } }
  /** Always `value`. */
  | { readonly distribution: "constant"; readonly params: { readonly value: number } };

/** The name of a distribution: "uniform", "normal", ... */
export type DistributionName = NamedDistribution["distribution"];

/** The spec of one named distribution, e.g. `DistributionOf<"gamma">`. */
export type DistributionOf<K extends DistributionName> = Extract<NamedDistribution, { distribution: K }>;

/** The distributions whose values are counts, indices or a single point: tested by chi-square. */
export type DiscreteDistribution = DistributionOf<"poisson" | "binomial" | "bernoulli" | "categorical" | "integer" | "constant">;

/** The distributions with a continuous CDF: tested by Kolmogorov–Smirnov. */
export type ContinuousDistribution = Exclude<NamedDistribution, DiscreteDistribution>;

/**
 * Every distribution name with its parameter keys, in the order the docs list them. A config schema
 * can build itself from this and reject unknown keys.
 */
export const PARAM_KEYS: { readonly [K in DistributionName]: readonly (keyof DistributionOf<K>["params"])[] } = {
  uniform: ["min", "max"],
  normal: ["mean", "sd"],
  lognormal: ["meanlog", "sdlog"],
  exponential: ["rate"],
  gamma: ["shape", "scale"],
  beta: ["alpha", "beta"],
  poisson: ["lambda"],
  binomial: ["n", "p"],
  bernoulli: ["p"],
  categorical: ["categories", "weights"],
  integer: ["min", "max"],
  constant: ["value"],
};

/** Every distribution name, in the order of {@link PARAM_KEYS}. */
export const DISTRIBUTION_NAMES = Object.keys(PARAM_KEYS) as readonly DistributionName[];

/**
 * True for the distributions whose columns take isolated values (counts, category indices,
 * integers, a constant): check them with `pmf` and chi-square; the rest have a continuous
 * `cdf` and take KS.
 *
 * @example isDiscrete({ distribution: "poisson", params: { lambda: 3 } }) // true
 */
export function isDiscrete(spec: NamedDistribution): spec is DiscreteDistribution {
  switch (spec.distribution) {
    case "poisson":
    case "binomial":
    case "bernoulli":
    case "categorical":
    case "integer":
    case "constant":
      return true;
    default:
      return false;
  }
}
