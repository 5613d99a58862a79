/**
 * Runs a spec's validation requirements over generated columns and gathers the report in the
 * shape users already consume: `{status, metrics, violations}` (a FAILED report keeps its metrics,
 * a PASSED one has an empty violations list).
 */

import { correlation, linearFit, mean, present, quantile, std } from "./column-stats.js";
import type { Requirement } from "./requirements.js";

/** The generated data a report is computed from. */
export interface CheckedData {
  readonly length: number;
  /** Every column as numbers (categorical: the category index; NaN: a null). */
  readonly numeric: ReadonlyMap<string, Float64Array>;
  /** The declared type of every column. */
  readonly types: ReadonlyMap<string, "float" | "int" | "bool" | "string">;
  /** Columns used by checks but not written (`hidden: true`). */
  readonly hidden?: ReadonlySet<string>;
}

/** The outcome of one requirement. */
export interface RequirementResult {
  readonly check: string;
  readonly metrics: Record<string, number>;
  readonly violations: Record<string, unknown>[];
}

/** A spec report: users' shape, plus each requirement's own result under `checks`. */
export interface ContractReport {
  readonly status: "PASSED" | "FAILED";
  readonly metrics: Record<string, number>;
  readonly violations: Record<string, unknown>[];
  readonly checks: readonly RequirementResult[];
}

/** Tests one column against a distribution (KS or chi-square); provided by the runner. */
export type DistributionTester = (
  values: Float64Array,
  req: Extract<Requirement, { check: "distribution_test" }>,
) => { statistic: number; p_value: number };

function columnOf(data: CheckedData, name: string, check: string, violations: Record<string, unknown>[]): Float64Array | null {
  const values = data.numeric.get(name);
  if (!values) violations.push({ check, column: name, problem: "no such column in the data" });
  return values ?? null;
}

function outside(observed: number, expected: number, tolerance: number): boolean {
  return !(Math.abs(observed - expected) <= tolerance);
}

/** Evaluates one requirement. */
export function runRequirement(
  req: Requirement,
  data: CheckedData,
  testDistribution: DistributionTester,
  all: readonly Requirement[],
): RequirementResult {
  const metrics: Record<string, number> = {};
  const violations: Record<string, unknown>[] = [];
  const check = req.check;
  switch (req.check) {
    case "schema_check": {
      for (const name of req.columns) {
        if (!data.numeric.has(name)) violations.push({ check, column: name, problem: "missing column" });
        else if (data.hidden?.has(name))
          violations.push({ check, column: name, problem: "hidden column: checks use it, the data file does not have it" });
        const want = req.types[name];
        const got = data.types.get(name);
        if (want !== undefined && got !== undefined && want !== got)
          violations.push({ check, column: name, expected_type: want, observed_type: got });
      }
      metrics.columns = data.numeric.size;
      break;
    }
    case "distribution_test": {
      const values = columnOf(data, req.column, check, violations);
      if (!values) break;
      const { statistic, p_value } = testDistribution(present(values), req);
      metrics[`${req.test}_statistic_${req.column}`] = statistic;
      metrics[`${req.test}_p_value_${req.column}`] = p_value;
      if (!(p_value >= req.alpha)) violations.push({ check, column: req.column, test: req.test, p_value, alpha: req.alpha });
      break;
    }
    case "relationship_check": {
      const x = columnOf(data, req.independent, check, violations);
      const y = columnOf(data, req.dependent, check, violations);
      if (!x || !y) break;
      const fit = linearFit(x, y);
      metrics.estimated_slope = fit.slope;
      metrics.estimated_intercept = fit.intercept;
      metrics.r_squared = fit.rSquared;
      if (outside(fit.slope, req.expected_slope, req.tolerance)) {
        violations.push({ check, expected_slope: req.expected_slope, observed_slope: fit.slope, tolerance: req.tolerance });
      }
      if (req.expected_intercept !== undefined && outside(fit.intercept, req.expected_intercept, req.tolerance)) {
        violations.push({ check, expected_intercept: req.expected_intercept, observed_intercept: fit.intercept, tolerance: req.tolerance });
      }
      break;
    }
    case "noise_mean_check": {
      // The relationship: the check's own columns, else the spec's (first) linear regression.
      const rel = all.find((r): r is Extract<Requirement, { check: "relationship_check" }> => r.check === "relationship_check");
      const dependent = req.dependent ?? rel?.dependent;
      const independent = req.independent ?? rel?.independent;
      if (dependent === undefined || independent === undefined) {
        violations.push({
          check,
          problem: "no relationship to take residuals from: add a relationship_check or give dependent and independent",
        });
        break;
      }
      const x = columnOf(data, independent, check, violations);
      const y = columnOf(data, dependent, check, violations);
      if (!x || !y) break;
      // Residuals of the fitted slope around the relationship's stated intercept (0 when none):
      // their mean is the fitted intercept minus the stated one, which is where a noise term's
      // mean ends up in y = a + b x + noise. (Residuals around the fitted intercept average to 0
      // by construction, and a check on them could never fail.)
      const fit = linearFit(x, y);
      const noiseMean = fit.intercept - (rel?.expected_intercept ?? 0);
      metrics.noise_mean = noiseMean;
      if (outside(noiseMean, req.expected_mean, req.tolerance)) {
        violations.push({ check, expected_mean: req.expected_mean, observed_mean: noiseMean, tolerance: req.tolerance });
      }
      break;
    }
    case "mean_check":
    case "std_check": {
      const values = columnOf(data, req.column, check, violations);
      if (!values) break;
      const observed = req.check === "mean_check" ? mean(present(values)) : std(present(values));
      const expected = req.check === "mean_check" ? req.expected_mean : req.expected_std;
      const word = req.check === "mean_check" ? "mean" : "std";
      metrics[`${word}_${req.column}`] = observed;
      if (outside(observed, expected, req.tolerance)) {
        violations.push({
          check,
          column: req.column,
          [`expected_${word}`]: expected,
          [`observed_${word}`]: observed,
          tolerance: req.tolerance,
        });
      }
      break;
    }
    case "range_check": {
      const values = columnOf(data, req.column, check, violations);
      if (!values) break;
      const v = present(values);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let below = 0;
      let above = 0;
      for (const x of v) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        if (req.min !== undefined && x < req.min) below++;
        if (req.max !== undefined && x > req.max) above++;
      }
      metrics[`min_${req.column}`] = lo;
      metrics[`max_${req.column}`] = hi;
      if (below + above > 0)
        violations.push({
          check,
          column: req.column,
          min: req.min ?? null,
          max: req.max ?? null,
          observed_min: lo,
          observed_max: hi,
          rows_outside: below + above,
        });
      break;
    }
    case "quantile_check": {
      const values = columnOf(data, req.column, check, violations);
      if (!values) break;
      const observed = quantile(present(values), req.quantile);
      metrics[`quantile_${req.quantile}_${req.column}`] = observed;
      if (outside(observed, req.expected, req.tolerance)) {
        violations.push({ check, column: req.column, quantile: req.quantile, expected: req.expected, observed, tolerance: req.tolerance });
      }
      break;
    }
    case "correlation_check": {
      const [a, b] = req.columns;
      const x = columnOf(data, a, check, violations);
      const y = columnOf(data, b, check, violations);
      if (!x || !y) break;
      const r = correlation(x, y);
      metrics[`correlation_${a}_${b}`] = r;
      if (outside(r, req.expected, req.tolerance))
        violations.push({ check, columns: [a, b], expected: req.expected, observed: r, tolerance: req.tolerance });
      break;
    }
    case "null_check": {
      for (const name of req.columns) {
        const values = columnOf(data, name, check, violations);
        if (!values) continue;
        const fraction = values.length === 0 ? 0 : 1 - present(values).length / values.length;
        metrics[`null_fraction_${name}`] = fraction;
        if (fraction > req.max_fraction)
          violations.push({ check, column: name, max_fraction: req.max_fraction, observed_fraction: fraction });
      }
      break;
    }
    case "unique_check": {
      const values = columnOf(data, req.column, check, violations);
      if (!values) break;
      const distinct = new Set(values).size;
      metrics[`unique_fraction_${req.column}`] = values.length === 0 ? 1 : distinct / values.length;
      if (distinct !== values.length)
        violations.push({ check, column: req.column, rows: values.length, distinct, duplicates: values.length - distinct });
      break;
    }
  }
  return { check, metrics, violations };
}

/** Runs every requirement and gathers the report. */
export function contractReport(
  requirements: readonly Requirement[],
  data: CheckedData,
  testDistribution: DistributionTester,
): ContractReport {
  const checks = requirements.map((r) => runRequirement(r, data, testDistribution, requirements));
  const metrics: Record<string, number> = {};
  for (const c of checks) Object.assign(metrics, c.metrics);
  const violations = checks.flatMap((c) => c.violations);
  return { status: violations.length === 0 ? "PASSED" : "FAILED", metrics, violations, checks };
}
