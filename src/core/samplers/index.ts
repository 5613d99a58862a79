/** Spec-driven column samplers: distribution specs, their validation, samplers, CDFs and moments. */
export { cdf, pmf } from "./cdf.js";
export { mean, variance } from "./moments.js";
export { categoryLabels, sampleInto } from "./sample.js";
export {
  type ContinuousSpec,
  DISTRIBUTION_NAMES,
  type DiscreteSpec,
  type DistributionName,
  type DistributionSpec,
  isDiscrete,
  PARAM_KEYS,
  type SpecOf,
} from "./spec.js";
export { findParamProblem, type ParamProblem, validateParams } from "./validate.js";
