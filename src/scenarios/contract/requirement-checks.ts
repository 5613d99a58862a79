/**
 * A spec's validation requirements as checks: one function per requirement kind, each returning
 * the shared {@link CheckResult}, looked up by kind and gathered into the shared {@link Report}.
 * `report.json` is a view of that report (public-report.ts).
 *
 * Violations: a spec check lists every one it finds (`violations.first` holds all `count` of
 * them). That stays small because a requirement names at most a few figures per column it
 * names (a missing column, a wrong type, a figure out of tolerance), never one per row: row-level
 * problems (non-finite values) are one violation carrying their count and first rows.
 *
 * Non-finite values: a NaN or an infinity (from an expression: `log(-1)`, `x / 0`) in a column a
 * check reads is a violation of that check, with the count and first rows, unless the column
 * has `allow_non_finite: true`. Either way statistics are taken over finite values only. A null
 * is not a non-finite value: the engine never makes one (code generators must return finite
 * numbers, distributions draw finite ones), and only a file read by `validateDataFile` has them
 * (an empty cell), marked in {@link CheckedData.nulls}; `null_check` counts those alone.
 */

import { type CheckResult, check, type Report, report, ViolationList } from "../../checks/result.js";
import { correlation, finite, linearFit, mean, quantile, std } from "./column-stats.js";
import type { Requirement } from "./requirements.js";

export type { ContractReport } from "./public-report.js";

/** The data a report is computed from. */
export interface CheckedData {
  readonly length: number;
  /** Every column as numbers (categorical: the category index; a null: NaN, marked in `nulls`). */
  readonly numeric: ReadonlyMap<string, Float64Array>;
  /** The declared type of every column. */
  readonly types: ReadonlyMap<string, "float" | "int" | "bool" | "string">;
  /** Columns used by checks but not written (`hidden: true`). */
  readonly hidden?: ReadonlySet<string>;
  /** Per column, 1 at each row that holds a null. A column without a mask has none. */
  readonly nulls?: ReadonlyMap<string, Uint8Array>;
  /** Columns whose spec allows NaN and infinities (`allow_non_finite: true`). */
  readonly allowNonFinite?: ReadonlySet<string>;
  /** Hidden columns `verify` regenerated from the spec (they are not in the file); checks on them say so. */
  readonly regenerated?: ReadonlySet<string>;
}

/** Tests one column against a distribution (KS or chi-square); provided by the runner. */
export type DistributionTester = (
  values: Float64Array,
  req: Extract<Requirement, { check: "distribution_test" }>,
) => { statistic: number; p_value: number };

/** What every check sees. */
interface CheckContext {
  readonly data: CheckedData;
  readonly testDistribution: DistributionTester;
  /** Every requirement of the spec (noise_mean_check borrows the relationship's columns). */
  readonly all: readonly Requirement[];
}

type Kind = Requirement["check"];
type RequirementOf<K extends Kind> = Extract<Requirement, { check: K }>;
type RequirementCheck<K extends Kind> = (req: RequirementOf<K>, ctx: CheckContext) => CheckResult;

/** Rows a non-finite violation lists. */
export const NON_FINITE_ROWS_SHOWN = 5;

/** Keeps every violation: a requirement finds a handful at most (see the module comment). */
export class AllViolations extends ViolationList {
  override add(v: Record<string, unknown>): void {
    this.count++;
    this.first.push(v);
  }
}

/** A short name for a requirement: its check and the columns it looks at. */
export function requirementLabel(r: Requirement): string {
  switch (r.check) {
    case "schema_check":
    case "null_check":
      return `${r.check}(${r.columns.join(", ")})`;
    case "correlation_check":
      return `${r.check}(${r.columns[0]}, ${r.columns[1]})`;
    case "distribution_test":
      return `${r.check}(${r.column}, ${r.test})`;
    case "relationship_check":
      return `${r.check}(${r.dependent} ~ ${r.independent})`;
    case "noise_mean_check":
      return r.dependent !== undefined && r.independent !== undefined ? `${r.check}(${r.dependent} ~ ${r.independent})` : r.check;
    default:
      return `${r.check}(${r.column})`;
  }
}

/** NaN and infinities in a column the data has (nulls are not counted): how many, and the first rows. */
function nonFinite(data: CheckedData, name: string): { count: number; first: { row: number; value: string }[] } {
  const values = data.numeric.get(name) as Float64Array;
  const nulls = data.nulls?.get(name);
  let count = 0;
  const first: { row: number; value: string }[] = [];
  for (let row = 0; row < values.length; row++) {
    const v = values[row] as number;
    if (Number.isFinite(v) || nulls?.[row] === 1) continue;
    count++;
    if (first.length < NON_FINITE_ROWS_SHOWN) first.push({ row, value: String(v) });
  }
  return { count, first };
}

/**
 * A column a check reads: null (and a violation) when the data has none; a violation too when it
 * holds NaN or infinities its spec does not allow.
 */
function columnOf(ctx: CheckContext, name: string, kind: Kind, violations: ViolationList): Float64Array | null {
  const values = ctx.data.numeric.get(name);
  if (!values) {
    violations.add({ check: kind, column: name, problem: "no such column in the data" });
    return null;
  }
  if (!ctx.data.allowNonFinite?.has(name)) {
    const bad = nonFinite(ctx.data, name);
    if (bad.count > 0)
      violations.add({
        check: kind,
        column: name,
        problem: "non-finite values (NaN or infinity)",
        non_finite: bad.count,
        first_rows: bad.first,
        hint: "fix the expression that makes them, or set `allow_non_finite: true` on the column (statistics then skip them)",
      });
  }
  return values;
}

function outside(observed: number, expected: number, tolerance: number): boolean {
  return !(Math.abs(observed - expected) <= tolerance);
}

/** `description` with a note on regenerated hidden columns, so a verify report says what it re-checked. */
function described(ctx: CheckContext, columns: readonly (string | undefined)[], text: string): string {
  const regenerated = columns.filter((c): c is string => c !== undefined && ctx.data.regenerated?.has(c) === true);
  return regenerated.length === 0
    ? text
    : `${text} (hidden ${regenerated.join(", ")} regenerated from the spec's seed, not read from the file: this re-proves the generator, not the file)`;
}

const TOLERANCE = "a tolerance check (no stated false-failure rate)";

const schemaCheck: RequirementCheck<"schema_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const { data } = ctx;
  for (const name of req.columns) {
    if (!data.numeric.has(name)) violations.add({ check: req.check, column: name, problem: "missing column" });
    else if (data.hidden?.has(name))
      violations.add({ check: req.check, column: name, problem: "hidden column: checks use it, the data file does not have it" });
    const want = req.types[name];
    const got = data.types.get(name);
    if (want !== undefined && got !== undefined && want !== got)
      violations.add({ check: req.check, column: name, expected_type: want, observed_type: got });
  }
  return check(
    requirementLabel(req),
    `the data file has columns ${req.columns.join(", ")}, each of its stated type`,
    { columns: data.numeric.size },
    violations,
  );
};

const distributionTest: RequirementCheck<"distribution_test"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  const values = columnOf(ctx, req.column, req.check, violations);
  if (values) {
    const { statistic, p_value } = ctx.testDistribution(finite(values), req);
    metrics[`${req.test}_statistic_${req.column}`] = statistic;
    metrics[`${req.test}_p_value_${req.column}`] = p_value;
    if (!(p_value >= req.alpha)) violations.add({ check: req.check, column: req.column, test: req.test, p_value, alpha: req.alpha });
  }
  const test = req.test === "ks" ? "Kolmogorov-Smirnov" : "chi-square goodness-of-fit";
  return check(
    requirementLabel(req),
    described(
      ctx,
      [req.column],
      `${req.column} is drawn from ${req.distribution} ${JSON.stringify(req.params)} by a ${test} test: a correct column fails it at rate alpha`,
    ),
    metrics,
    violations,
    req.alpha,
  );
};

const relationshipCheck: RequirementCheck<"relationship_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  const x = columnOf(ctx, req.independent, req.check, violations);
  const y = columnOf(ctx, req.dependent, req.check, violations);
  if (x && y) {
    const fit = linearFit(x, y);
    metrics.estimated_slope = fit.slope;
    metrics.estimated_intercept = fit.intercept;
    metrics.r_squared = fit.rSquared;
    if (outside(fit.slope, req.expected_slope, req.tolerance))
      violations.add({ check: req.check, expected_slope: req.expected_slope, observed_slope: fit.slope, tolerance: req.tolerance });
    if (req.expected_intercept !== undefined && outside(fit.intercept, req.expected_intercept, req.tolerance))
      violations.add({
        check: req.check,
        expected_intercept: req.expected_intercept,
        observed_intercept: fit.intercept,
        tolerance: req.tolerance,
      });
  }
  const intercept = req.expected_intercept === undefined ? "" : ` and intercept ${req.expected_intercept}`;
  return check(
    requirementLabel(req),
    described(
      ctx,
      [req.dependent, req.independent],
      `the least-squares fit of ${req.dependent} on ${req.independent} has slope ${req.expected_slope}${intercept}, within ${req.tolerance}: ${TOLERANCE}`,
    ),
    metrics,
    violations,
  );
};

const noiseMeanCheck: RequirementCheck<"noise_mean_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  // The relationship: the check's own columns, else the spec's (first) linear regression.
  const rel = ctx.all.find((r): r is RequirementOf<"relationship_check"> => r.check === "relationship_check");
  const dependent = req.dependent ?? rel?.dependent;
  const independent = req.independent ?? rel?.independent;
  if (dependent === undefined || independent === undefined) {
    violations.add({
      check: req.check,
      problem: "no relationship to take residuals from: add a relationship_check or give dependent and independent",
    });
  } else {
    const x = columnOf(ctx, independent, req.check, violations);
    const y = columnOf(ctx, dependent, req.check, violations);
    if (x && y) {
      // Residuals of the fitted slope around the relationship's stated intercept (0 when none):
      // their mean is the fitted intercept minus the stated one, which is where a noise term's
      // mean ends up in y = a + b x + noise. (Residuals around the fitted intercept average to 0
      // by construction, and a check on them could never fail.)
      const noiseMean = linearFit(x, y).intercept - (rel?.expected_intercept ?? 0);
      metrics.noise_mean = noiseMean;
      if (outside(noiseMean, req.expected_mean, req.tolerance))
        violations.add({ check: req.check, expected_mean: req.expected_mean, observed_mean: noiseMean, tolerance: req.tolerance });
    }
  }
  return check(
    requirementLabel(req),
    described(
      ctx,
      [dependent, independent],
      `the noise around the linear relationship averages ${req.expected_mean}, within ${req.tolerance}: ${TOLERANCE}`,
    ),
    metrics,
    violations,
  );
};

/** mean_check and std_check: one statistic of one column against its expected value. */
function statisticCheck(word: "mean" | "std", statistic: (v: Float64Array) => number) {
  return (req: RequirementOf<"mean_check"> | RequirementOf<"std_check">, ctx: CheckContext): CheckResult => {
    const violations = new AllViolations();
    const metrics: Record<string, number> = {};
    const expected = req.check === "mean_check" ? req.expected_mean : req.expected_std;
    const values = columnOf(ctx, req.column, req.check, violations);
    if (values) {
      const observed = statistic(finite(values));
      metrics[`${word}_${req.column}`] = observed;
      if (outside(observed, expected, req.tolerance))
        violations.add({
          check: req.check,
          column: req.column,
          [`expected_${word}`]: expected,
          [`observed_${word}`]: observed,
          tolerance: req.tolerance,
        });
    }
    const what = word === "mean" ? "sample mean" : "sample standard deviation";
    return check(
      requirementLabel(req),
      described(ctx, [req.column], `the ${what} of ${req.column} is ${expected}, within ${req.tolerance}: ${TOLERANCE}`),
      metrics,
      violations,
    );
  };
}

const rangeCheck: RequirementCheck<"range_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  const values = columnOf(ctx, req.column, req.check, violations);
  if (values) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let out = 0;
    for (const x of finite(values)) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      if ((req.min !== undefined && x < req.min) || (req.max !== undefined && x > req.max)) out++;
    }
    metrics[`min_${req.column}`] = lo;
    metrics[`max_${req.column}`] = hi;
    if (out > 0)
      violations.add({
        check: req.check,
        column: req.column,
        min: req.min ?? null,
        max: req.max ?? null,
        observed_min: lo,
        observed_max: hi,
        rows_outside: out,
      });
  }
  return check(
    requirementLabel(req),
    described(ctx, [req.column], `every value of ${req.column} lies in [${req.min ?? "-inf"}, ${req.max ?? "inf"}]: an exact check`),
    metrics,
    violations,
  );
};

const quantileCheck: RequirementCheck<"quantile_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  const values = columnOf(ctx, req.column, req.check, violations);
  if (values) {
    const observed = quantile(finite(values), req.quantile);
    metrics[`quantile_${req.quantile}_${req.column}`] = observed;
    if (outside(observed, req.expected, req.tolerance))
      violations.add({
        check: req.check,
        column: req.column,
        quantile: req.quantile,
        expected: req.expected,
        observed,
        tolerance: req.tolerance,
      });
  }
  return check(
    requirementLabel(req),
    described(
      ctx,
      [req.column],
      `the ${req.quantile} sample quantile of ${req.column} is ${req.expected}, within ${req.tolerance}: ${TOLERANCE}`,
    ),
    metrics,
    violations,
  );
};

const correlationCheck: RequirementCheck<"correlation_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  const [a, b] = req.columns;
  const x = columnOf(ctx, a, req.check, violations);
  const y = columnOf(ctx, b, req.check, violations);
  if (x && y) {
    const r = correlation(x, y);
    metrics[`correlation_${a}_${b}`] = r;
    if (outside(r, req.expected, req.tolerance))
      violations.add({ check: req.check, columns: [a, b], expected: req.expected, observed: r, tolerance: req.tolerance });
  }
  return check(
    requirementLabel(req),
    described(ctx, [a, b], `the Pearson correlation of ${a} and ${b} is ${req.expected}, within ${req.tolerance}: ${TOLERANCE}`),
    metrics,
    violations,
  );
};

const nullCheck: RequirementCheck<"null_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  for (const name of req.columns) {
    const values = columnOf(ctx, name, req.check, violations);
    if (!values) continue;
    const nulls = ctx.data.nulls?.get(name);
    let count = 0;
    if (nulls) for (const n of nulls) count += n;
    const fraction = values.length === 0 ? 0 : count / values.length;
    metrics[`null_fraction_${name}`] = fraction;
    if (fraction > req.max_fraction)
      violations.add({ check: req.check, column: name, max_fraction: req.max_fraction, observed_fraction: fraction });
  }
  return check(
    requirementLabel(req),
    described(
      ctx,
      req.columns,
      `at most ${req.max_fraction} of the rows of ${req.columns.join(", ")} are null (NaN is not null): an exact check`,
    ),
    metrics,
    violations,
  );
};

const uniqueCheck: RequirementCheck<"unique_check"> = (req, ctx) => {
  const violations = new AllViolations();
  const metrics: Record<string, number> = {};
  const values = columnOf(ctx, req.column, req.check, violations);
  if (values) {
    // Nulls are not values (as in SQL's UNIQUE): they neither repeat nor count.
    const nulls = ctx.data.nulls?.get(req.column);
    const seen = nulls ? values.filter((_, i) => nulls[i] !== 1) : values;
    const distinct = new Set(seen).size;
    metrics[`unique_fraction_${req.column}`] = seen.length === 0 ? 1 : distinct / seen.length;
    if (distinct !== seen.length)
      violations.add({ check: req.check, column: req.column, rows: seen.length, distinct, duplicates: seen.length - distinct });
  }
  return check(
    requirementLabel(req),
    described(ctx, [req.column], `no value of ${req.column} repeats: an exact check`),
    metrics,
    violations,
  );
};

/** The check of each requirement kind. */
const CHECKS: { readonly [K in Kind]: RequirementCheck<K> } = {
  schema_check: schemaCheck,
  distribution_test: distributionTest,
  relationship_check: relationshipCheck,
  noise_mean_check: noiseMeanCheck,
  mean_check: statisticCheck("mean", mean),
  std_check: statisticCheck("std", std),
  range_check: rangeCheck,
  quantile_check: quantileCheck,
  correlation_check: correlationCheck,
  null_check: nullCheck,
  unique_check: uniqueCheck,
};

/** Evaluates one requirement. */
export function runRequirement(
  req: Requirement,
  data: CheckedData,
  testDistribution: DistributionTester,
  all: readonly Requirement[],
): CheckResult {
  return (CHECKS[req.check] as RequirementCheck<Kind>)(req as RequirementOf<Kind>, { data, testDistribution, all });
}

/** The checks of every requirement, in order. */
export function requirementResults(
  requirements: readonly Requirement[],
  data: CheckedData,
  testDistribution: DistributionTester,
): CheckResult[] {
  return requirements.map((r) => runRequirement(r, data, testDistribution, requirements));
}

/**
 * Runs every requirement and gathers the shared report (PASSED when every check passed); the
 * users' `{status, metrics, violations}` is `publicReport(contractReport(...))`.
 *
 * @example publicReport(contractReport(spec.validation_requirements, checkedData(columns, n), testDistribution)).status
 */
export function contractReport(requirements: readonly Requirement[], data: CheckedData, testDistribution: DistributionTester): Report {
  return report(requirementResults(requirements, data, testDistribution));
}
