/** Spec-driven column samplers: distribution specs, their validation, samplers, CDFs and moments. */
export { cdf, pmf } from "./cdf.js";
export {
  type ContinuousDistribution,
  DISTRIBUTION_NAMES,
  type DiscreteDistribution,
  type DistributionName,
  type DistributionOf,
  isDiscrete,
  type NamedDistribution,
  PARAM_KEYS,
} from "./distribution.js";
export { mean, variance } from "./moments.js";
export { categoryLabels, sampleInto } from "./sample.js";
export { findParamProblem, type ParamProblem, validateParams } from "./validate.js";
