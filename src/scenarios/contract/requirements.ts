/**
 * The `validation_requirements` of a spec: the shape users already have (keys and values as in
 * their existing files), one zod schema per check kind. Unknown keys are rejected.
 */
import { z } from "../../core/stdlib/zod.js";

const column = z.string().min(1, "a column name cannot be empty");
const tolerance = z.number().nonnegative("a tolerance cannot be negative");
const alpha = z.number().gt(0).lt(1).default(0.05).describe("false-failure rate of this statistical test");

/** Every check a spec may ask for, discriminated by `check`. */
export const requirementSchema = z.discriminatedUnion("check", [
  z.strictObject({
    check: z.literal("schema_check"),
    columns: z.array(column).min(1),
    types: z.record(column, z.enum(["float", "int", "bool", "string"])).default({}),
  }),
  z.strictObject({
    check: z.literal("distribution_test"),
    column,
    distribution: z.string(),
    params: z.record(z.string(), z.unknown()).default({}),
    test: z.enum(["ks", "chi2"]),
    alpha,
  }),
  z.strictObject({
    check: z.literal("relationship_check"),
    type: z.literal("linear_regression"),
    dependent: column,
    independent: column,
    expected_slope: z.number(),
    tolerance,
    expected_intercept: z.number().optional(),
  }),
  z.strictObject({
    check: z.literal("noise_mean_check"),
    expected_mean: z.number(),
    tolerance,
    dependent: column.optional(),
    independent: column.optional(),
  }),
  z.strictObject({ check: z.literal("mean_check"), column, expected_mean: z.number(), tolerance }),
  z.strictObject({ check: z.literal("std_check"), column, expected_std: z.number().nonnegative(), tolerance }),
  z.strictObject({ check: z.literal("range_check"), column, min: z.number().optional(), max: z.number().optional() }),
  z.strictObject({
    check: z.literal("quantile_check"),
    column,
    quantile: z.number().min(0).max(1),
    expected: z.number(),
    tolerance,
  }),
  z.strictObject({
    check: z.literal("correlation_check"),
    columns: z.tuple([column, column]),
    expected: z.number().min(-1).max(1),
    tolerance,
  }),
  z.strictObject({ check: z.literal("null_check"), columns: z.array(column).min(1), max_fraction: z.number().min(0).max(1).default(0) }),
  z.strictObject({ check: z.literal("unique_check"), column }),
]);

export type Requirement = z.output<typeof requirementSchema>;
export type RequirementInput = z.input<typeof requirementSchema>;
