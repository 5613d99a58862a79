/**
 * What the JSON Schema of a spec (`synthproof schema spec`) says about a column beyond its keys:
 * each distribution's params with their types, and that a column has exactly one of
 * `distribution` or `expr`. Editors complete and check a spec from it; the validator
 * (`findParamProblem` in core/samplers and the spec schema's refinements) stays the authority, so
 * these fragments describe the same rules in JSON Schema's words and never replace them.
 */
import { DISTRIBUTION_NAMES, type DistributionName, PARAM_KEYS } from "../../core/samplers/index.js";

/** A JSON Schema fragment. */
type JsonSchema = Readonly<Record<string, unknown>>;

const anyNumber: JsonSchema = { type: "number" };
const positive: JsonSchema = { type: "number", exclusiveMinimum: 0 };
const probability: JsonSchema = { type: "number", minimum: 0, maximum: 1 };
const safeInteger: JsonSchema = { type: "integer", minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

/** Each distribution's parameters as JSON Schema; the keys are exactly those of PARAM_KEYS (the type says so). */
const PARAMS: { readonly [K in DistributionName]: { readonly [P in (typeof PARAM_KEYS)[K][number]]: JsonSchema } } = {
  uniform: { min: anyNumber, max: { ...anyNumber, description: "greater than min" } },
  normal: { mean: anyNumber, sd: { ...positive, description: "the standard deviation" } },
  lognormal: { meanlog: anyNumber, sdlog: { ...positive, description: "the standard deviation of the log" } },
  exponential: { rate: { ...positive, description: "events per unit; the mean is 1 / rate" } },
  gamma: { shape: { ...positive, description: "k; the mean is shape * scale" }, scale: { ...positive, description: "theta, not a rate" } },
  beta: { alpha: positive, beta: positive },
  poisson: { lambda: { ...positive, description: "the mean" } },
  binomial: { n: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "trials" }, p: probability },
  bernoulli: { p: probability },
  categorical: {
    categories: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { type: ["string", "number"] },
      description: "distinct labels, all strings or all numbers; a column holds the index of its category",
    },
    weights: {
      type: "array",
      items: { type: "number", minimum: 0 },
      description: "one per category, >= 0, not all zero; they need not sum to 1",
    },
  },
  integer: { min: safeInteger, max: { ...safeInteger, description: "at least min; both ends are included" } },
  constant: { value: anyNumber },
};

/**
 * The JSON Schema keywords added to a column's object schema: `oneOf` (exactly one of
 * `distribution` or `expr`) and `allOf` (no `params` with `expr`; for each distribution, an
 * `if`/`then` giving its params).
 *
 * @example columnJsonSchemaRules().allOf[1] // { if: {... distribution: {const: "uniform"} }, then: {... params: {min, max} } }
 */
export function columnJsonSchemaRules(): { oneOf: JsonSchema[]; allOf: JsonSchema[] } {
  const byDistribution = DISTRIBUTION_NAMES.map((name) => {
    const properties = PARAMS[name] as Readonly<Record<string, JsonSchema>>;
    return {
      if: { properties: { distribution: { const: name } }, required: ["distribution"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
      then: {
        properties: {
          params: { type: "object", properties, required: [...PARAM_KEYS[name]], additionalProperties: false },
        },
        required: ["params"],
      },
    };
  });
  return {
    oneOf: [{ required: ["distribution"] }, { required: ["expr"] }],
    allOf: [
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
      { if: { required: ["expr"] }, then: { not: { required: ["params"] } } },
      ...byDistribution,
    ],
  };
}
