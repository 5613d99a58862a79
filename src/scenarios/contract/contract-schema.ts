/**
 * The spec file: `num_samples`, `seed`, `columns` (each drawn from a distribution or derived by
 * an expression over earlier columns, optionally `hidden`) and `validation_requirements`. One
 * zod schema checks it all at the boundary, so `spec check` reports every problem at once with
 * its key path (and line, through the YAML locator).
 */
import { DISTRIBUTION_NAMES, findParamProblem, isDiscrete, type NamedDistribution, PARAM_KEYS } from "../../core/samplers/index.js";
import { z } from "../../core/stdlib/zod.js";

import { codeContractSchema } from "./code/code-contract.js";
import { columnJsonSchemaRules } from "./column-json-schema.js";
import { listNames, parseExpression, quote } from "./expr/index.js";
import { type Requirement, requirementSchema } from "./requirements.js";

/** Largest `num_samples`: columns are held in memory, 8 bytes a value. */
export const MAX_SAMPLES = 50_000_000;

const columnSchema = z
  .strictObject({
    // The names are checked with the params (findParamProblem), so that an unknown one does not stop
    // the spec's other checks; the enum is for the JSON Schema.
    distribution: z
      .string()
      .optional()
      .meta({ description: `one of: ${DISTRIBUTION_NAMES.join(", ")}`, enum: [...DISTRIBUTION_NAMES] }),
    params: z.record(z.string(), z.unknown()).optional().describe("the distribution's parameters, e.g. {mean: 0, sd: 1} for normal"),
    expr: z.string().optional().describe("arithmetic over earlier columns: + - * / ^, comparisons, abs log exp sqrt min max clip where"),
    hidden: z.boolean().default(false).describe("used by later columns and checks, not written"),
    allow_non_finite: z
      .boolean()
      .optional()
      .describe(
        "allow NaN and infinities (from an expression: log of a negative, x / 0); without it a check reading the column fails on them. Statistics skip them either way; CSV writes NaN as an empty cell",
      ),
  })
  .superRefine((c, ctx) => {
    if ((c.distribution === undefined) === (c.expr === undefined)) {
      ctx.addIssue({ code: "custom", message: "a column needs exactly one of `distribution` (with `params`) or `expr`" });
    }
    if (c.expr !== undefined && c.params !== undefined)
      ctx.addIssue({ code: "custom", path: ["params"], message: "`params` goes with `distribution`, not `expr`" });
  })
  // The rules above and each distribution's params, in JSON Schema's words, for editors.
  .meta(columnJsonSchemaRules());

/** Requirement fields that name columns, with the key path (inside the requirement) of each. */
function requirementColumns(r: Requirement): [(string | number)[], string][] {
  switch (r.check) {
    case "schema_check":
      return [];
    case "relationship_check":
      return [
        [["dependent"], r.dependent],
        [["independent"], r.independent],
      ];
    case "noise_mean_check":
      return (
        [
          [["dependent"], r.dependent],
          [["independent"], r.independent],
        ] as [(string | number)[], string | undefined][]
      ).filter((e): e is [(string | number)[], string] => e[1] !== undefined);
    case "correlation_check":
    case "null_check":
      return r.columns.map((c, j) => [["columns", j], c]);
    default:
      return [[["column"], r.column]];
  }
}

/**
 * Where the CDF behind a goodness-of-fit test stops being accurate (see core/samplers/cdf.ts):
 * past these sizes a correct column would fail its own test.
 */
const CDF_LIMITS: Readonly<Record<string, readonly [string, number, string][]>> = {
  beta: [
    ["alpha", 1e7, "the beta CDF is accurate to 1e-10 up to 1e7 and 6% off at 1e9"],
    ["beta", 1e7, "the beta CDF is accurate to 1e-10 up to 1e7 and 6% off at 1e9"],
  ],
  binomial: [["n", 3e7, "the binomial CDF is accurate to 1e-10 up to n = 3e7 and 2% off at 1e9"]],
};

/** Parameter keys a distribution does not take (a typo would otherwise be ignored). */
function unknownParams(distribution: string, params: Record<string, unknown>): string[] {
  // Own keys only: "constructor" must not find Object's.
  if (!Object.hasOwn(PARAM_KEYS, distribution)) return [];
  const known = (PARAM_KEYS as Record<string, readonly string[]>)[distribution] as readonly string[];
  return Object.keys(params).filter((k) => !known.includes(k));
}

/** Zod schema of a spec. */
export const contractSchema = z
  .strictObject({
    num_samples: z
      .number()
      .int("num_samples must be a whole number")
      .min(1)
      .max(MAX_SAMPLES)
      .describe(`rows to generate, 1 to ${MAX_SAMPLES}`),
    seed: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .default(0)
      .describe("random seed: the same spec and seed give the same bytes"),
    columns: z
      .preprocess(
        // z.record skips an own "__proto__" key without a word, silently losing that column. A
        // preprocess, not a guard piped into the record, so that the JSON Schema shows the record.
        (v, ctx) => {
          if (typeof v === "object" && v !== null && Object.hasOwn(v, "__proto__"))
            ctx.addIssue({ code: "custom", path: ["__proto__"], message: "a column cannot be named __proto__ (choose another name)" });
          return v;
        },
        z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a column name is a letter or _ then letters, digits or _"), columnSchema),
      )
      .optional()
      .describe(
        "the columns in order: name -> {distribution, params} to draw, or {expr} over earlier columns; hidden: true leaves one out of the output",
      ),
    code: z
      .string()
      .min(1)
      .optional()
      .describe("a JavaScript generator file (relative to the spec), instead of columns; needs code_contract"),
    code_contract: codeContractSchema.optional().describe("what the code generator must be and produce"),
    validation_requirements: z
      .array(requirementSchema)
      .default([])
      .describe("checks run on the generated data, each a mapping with `check` and its keys"),
  })
  .superRefine((spec, ctx) => {
    if (spec.code !== undefined || spec.code_contract !== undefined) {
      if (spec.columns !== undefined)
        ctx.addIssue({ code: "custom", path: ["code"], message: "a spec has either `columns` or `code` (with `code_contract`), not both" });
      if (spec.code === undefined)
        ctx.addIssue({ code: "custom", path: ["code"], message: "`code_contract` needs `code: path/to/generator.js`" });
      if (spec.code_contract === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["code_contract"],
          message: "`code` needs a `code_contract` (function, inputs, outputs, imports, constraints; `synthproof schema spec` shows it)",
        });
      const bounds = spec.code_contract?.inputs.num_samples;
      if (bounds && (spec.num_samples < bounds.min || spec.num_samples > bounds.max))
        ctx.addIssue({
          code: "custom",
          path: ["num_samples"],
          message: `num_samples ${spec.num_samples} is outside the code contract's inputs.num_samples range ${bounds.min}..${bounds.max}`,
        });
    } else if (spec.columns === undefined)
      ctx.addIssue({ code: "custom", path: ["columns"], message: "a spec needs `columns` (or `code` with `code_contract`)" });
    const columns = spec.columns ?? {};
    const names = spec.columns ? Object.keys(columns) : Object.keys(spec.code_contract?.outputs ?? {});
    if (spec.columns && names.length === 0)
      ctx.addIssue({ code: "custom", path: ["columns"], message: "a spec needs at least one column" });
    Object.keys(columns).forEach((name, i) => {
      const col = columns[name];
      if (!col) return;
      if (col.distribution !== undefined) {
        for (const k of unknownParams(col.distribution, col.params ?? {}))
          ctx.addIssue({
            code: "custom",
            path: ["columns", name, "params", k],
            message: `${col.distribution} has no parameter ${quote(k)} (its parameters: ${(PARAM_KEYS as Record<string, readonly string[]>)[col.distribution]?.join(", ")})`,
          });
        const problem = findParamProblem({ distribution: col.distribution, params: col.params ?? {} } as unknown as NamedDistribution);
        if (problem)
          ctx.addIssue({ code: "custom", path: ["columns", name, ...problem.path], message: `${problem.message} (${problem.hint})` });
      }
      if (col.expr !== undefined) {
        const earlier = names.slice(0, i);
        try {
          parseExpression(col.expr, earlier);
        } catch (error) {
          const e = error as Error & { hint?: string };
          const later = names.slice(i).find((n) => new RegExp(`\\b${n}\\b`).test(col.expr as string));
          const hint = later
            ? `column ${quote(later)} is defined at or after this one; an expression may use only earlier columns`
            : e.hint;
          ctx.addIssue({ code: "custom", path: ["columns", name, "expr"], message: `${e.message}${hint ? ` (${hint})` : ""}` });
        }
      }
    });
    spec.validation_requirements.forEach((r, i) => {
      for (const [at, c] of requirementColumns(r)) {
        if (!names.includes(c)) {
          ctx.addIssue({
            code: "custom",
            path: ["validation_requirements", i, ...at],
            message: `${r.check} names column ${quote(c)}, which the spec does not define (columns: ${listNames(names)})`,
          });
        }
      }
      if (r.check === "distribution_test") {
        const dspec = { distribution: r.distribution, params: r.params } as unknown as NamedDistribution;
        const problem = findParamProblem(dspec);
        for (const k of unknownParams(r.distribution, r.params))
          ctx.addIssue({
            code: "custom",
            path: ["validation_requirements", i, "params", k],
            message: `${r.distribution} has no parameter ${quote(k)} (its parameters: ${(PARAM_KEYS as Record<string, readonly string[]>)[r.distribution]?.join(", ")})`,
          });
        for (const [key, limit, why] of Object.hasOwn(CDF_LIMITS, r.distribution)
          ? (CDF_LIMITS[r.distribution] as readonly [string, number, string][])
          : []) {
          const v = r.params[key];
          if (typeof v === "number" && v > limit)
            ctx.addIssue({
              code: "custom",
              path: ["validation_requirements", i, "params", key],
              message: `${r.distribution}.${key} is ${v}: a ${r.test} test cannot be trusted above ${limit} (${why}), so correct data would fail it`,
            });
        }
        if (problem)
          ctx.addIssue({
            code: "custom",
            path: ["validation_requirements", i, ...problem.path],
            message: `${problem.message} (${problem.hint})`,
          });
        else if ((r.test === "chi2") !== isDiscrete(dspec)) {
          ctx.addIssue({
            code: "custom",
            path: ["validation_requirements", i, "test"],
            message: `test ${r.test} does not fit ${r.distribution}: use ks for continuous distributions and chi2 for discrete ones`,
          });
        }
      }
    });
  });

/** A spec as written (before defaults); `columns` is typed by its record, not the guard in front. */
export type ContractInput = Omit<z.input<typeof contractSchema>, "columns"> & { columns?: Record<string, z.input<typeof columnSchema>> };
export type Contract = z.output<typeof contractSchema>;
