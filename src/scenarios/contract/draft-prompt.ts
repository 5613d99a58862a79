/**
 * The system prompt of `spec draft`: the spec format described from the schema's own lists, so
 * the model is told exactly what `spec check` accepts.
 */
import { DISTRIBUTION_NAMES, isDiscrete, type NamedDistribution, PARAM_KEYS } from "../../core/samplers/index.js";
import { z } from "../../core/stdlib/zod.js";
import { MAX_SAMPLES } from "./contract-schema.js";
import { FUNCTIONS } from "./expr/index.js";
import { requirementSchema } from "./requirements.js";

/** A valid spec shown to the model (a test checks it stays valid). */
export const EXAMPLE = `num_samples: 10000
seed: 7
columns:
  x: {distribution: uniform, params: {min: 0, max: 1}}
  noise: {distribution: normal, params: {mean: 0, sd: 1}, hidden: true}
  y: {expr: "2 * x + noise"}
validation_requirements:
  - {check: distribution_test, column: x, distribution: uniform, params: {min: 0, max: 1}, test: ks}
  - {check: relationship_check, type: linear_regression, dependent: y, independent: x, expected_slope: 2, tolerance: 0.2}
  - {check: std_check, column: noise, expected_std: 1, tolerance: 0.05}`;

interface FieldSchema {
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly type?: string;
  readonly maxItems?: number;
  readonly additionalProperties?: FieldSchema;
}

/** `check_name: key, key: a|b, optional_key?` for every requirement kind, read off its schema. */
function requirementLines(): string[] {
  const json = z.toJSONSchema(requirementSchema, { io: "input" }) as {
    oneOf: { properties: Record<string, FieldSchema>; required: string[] }[];
  };
  return json.oneOf.map(({ properties, required }) => {
    const { check, ...fields } = properties;
    const keys = Object.entries(fields).map(([key, field]) => {
      const name = `${key}${required.includes(key) ? "" : "?"}`;
      if (field.const !== undefined) return `${name}: ${String(field.const)}`;
      if (field.enum) return `${name}: ${field.enum.join("|")}`;
      if (field.type === "array") return `${name}: [${field.maxItems === 2 ? "a, b" : "..."}]`;
      const values = field.additionalProperties?.enum;
      return values ? `${name}: {<column>: ${values.join("|")}}` : name;
    });
    return `- ${String(check?.const)}: ${keys.join(", ")}`;
  });
}

/**
 * The system prompt: the spec format, generated from the schema's own lists (distributions and
 * their parameters, expression functions, requirement kinds), so it cannot drift from what
 * `spec check` accepts. It ends with a valid example spec in a ```yaml block.
 *
 * @example draftSystemPrompt().includes("- gamma: shape, scale (continuous: test ks)") // true
 */
export function draftSystemPrompt(): string {
  const distributions = DISTRIBUTION_NAMES.map((name) => {
    // isDiscrete looks at the name only.
    const test = isDiscrete({ distribution: name } as NamedDistribution) ? "discrete: test chi2" : "continuous: test ks";
    return `- ${name}: ${PARAM_KEYS[name].join(", ")} (${test})`;
  });
  const functions = Object.values(FUNCTIONS).map((f) => f.signature);
  return [
    "You write dataset specs for synthproof, which generates synthetic data with known ground truth and then checks it.",
    "Reply with exactly one complete spec in a single ```yaml fenced block and nothing else.",
    "",
    "A spec is a YAML mapping with these keys and no others:",
    `- num_samples: whole number of rows, 1 to ${MAX_SAMPLES}`,
    "- seed: whole number >= 0",
    "- columns: mapping of column name (a letter or _, then letters, digits, _) to exactly one of",
    '  {distribution: <name>, params: {...}} to draw values, or {expr: "<expression>"} to compute them from columns defined above it;',
    "  add hidden: true to a column that later columns or checks use but the output should not contain (e.g. noise).",
    "- validation_requirements: list of checks, each a mapping with `check` and the keys below (? = optional).",
    "",
    "Distributions and their params (all params required):",
    ...distributions,
    "",
    `Expressions: numbers, names of earlier columns, + - * / ^ (power), comparisons < <= > >= == != (1 or 0), and ${functions.join(", ")}.`,
    "",
    "Checks:",
    ...requirementLines(),
    "",
    "Example, for the request 'x uniform on (0,1), y = 2x plus standard normal noise':",
    "```yaml",
    EXAMPLE,
    "```",
  ].join("\n");
}
