/**
 * The spec file: `num_samples`, `seed`, `columns` (each drawn from a distribution or derived by
 * an expression over earlier columns, optionally `hidden`) and `validation_requirements`. One
 * zod schema checks it all at the boundary, so `spec check` reports every problem at once with
 * its key path (and line, through the YAML locator).
 */
import { z } from "zod";
import { DISTRIBUTION_NAMES, type DistributionSpec, findParamProblem, isDiscrete } from "../../core/samplers/index.js";

import { codeContractSchema } from "./code/index.js";
import { parseExpression } from "./expr/index.js";
import { type Requirement, requirementSchema } from "./requirements.js";

/** Largest `num_samples`: columns are held in memory, 8 bytes a value. */
export const MAX_SAMPLES = 50_000_000;

const columnSchema = z
  .strictObject({
    distribution: z
      .string()
      .optional()
      .describe(`one of: ${DISTRIBUTION_NAMES.join(", ")}`),
    params: z.record(z.string(), z.unknown()).optional(),
    expr: z.string().optional().describe("arithmetic over earlier columns: + - * / ^, comparisons, abs log exp sqrt min max clip where"),
    hidden: z.boolean().default(false).describe("used by later columns and checks, not written"),
  })
  .superRefine((c, ctx) => {
    if ((c.distribution === undefined) === (c.expr === undefined)) {
      ctx.addIssue({ code: "custom", message: "a column needs exactly one of `distribution` (with `params`) or `expr`" });
    }
    if (c.expr !== undefined && c.params !== undefined)
      ctx.addIssue({ code: "custom", path: ["params"], message: "`params` goes with `distribution`, not `expr`" });
  });

/** Requirement fields that name columns. */
function requirementColumns(r: Requirement): string[] {
  switch (r.check) {
    case "schema_check":
      return [];
    case "relationship_check":
      return [r.dependent, r.independent];
    case "noise_mean_check":
      return [r.dependent, r.independent].filter((c): c is string => c !== undefined);
    case "correlation_check":
      return [...r.columns];
    case "null_check":
      return [...r.columns];
    default:
      return [r.column];
  }
}

/** Zod schema of a spec. */
export const specSchema = z
  .strictObject({
    num_samples: z.number().int("num_samples must be a whole number").min(1).max(MAX_SAMPLES),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    columns: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a column name is a letter or _ then letters, digits or _"), columnSchema)
      .optional(),
    code: z
      .string()
      .min(1)
      .optional()
      .describe("a JavaScript generator file (relative to the spec), instead of columns; needs code_contract"),
    code_contract: codeContractSchema.optional().describe("what the code generator must be and produce"),
    validation_requirements: z.array(requirementSchema).default([]),
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
        const problem = findParamProblem({ distribution: col.distribution, params: col.params ?? {} } as unknown as DistributionSpec);
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
            ? `column ${JSON.stringify(later)} is defined at or after this one; an expression may use only earlier columns`
            : e.hint;
          ctx.addIssue({ code: "custom", path: ["columns", name, "expr"], message: `${e.message}${hint ? ` (${hint})` : ""}` });
        }
      }
    });
    spec.validation_requirements.forEach((r, i) => {
      for (const c of requirementColumns(r)) {
        if (!names.includes(c)) {
          ctx.addIssue({
            code: "custom",
            path: ["validation_requirements", i],
            message: `${r.check} names column ${JSON.stringify(c)}, which the spec does not define (columns: ${names.join(", ")})`,
          });
        }
      }
      if (r.check === "distribution_test") {
        const dspec = { distribution: r.distribution, params: r.params } as unknown as DistributionSpec;
        const problem = findParamProblem(dspec);
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

export type SpecInput = z.input<typeof specSchema>;
export type Spec = z.output<typeof specSchema>;
