/** Each spec check passes on data that meets it and fails, naming the figures, on data that does not. */
import { describe, expect, test } from "vitest";
import { normal } from "../../core/distributions.js";
import { stream } from "../../core/rng.js";
import { correlation, linearFit, mean, quantile, std } from "./column-stats.js";
import { publicReport } from "./public-report.js";
import { type CheckedData, contractReport as sharedReport } from "./requirement-checks.js";
import { type Requirement, requirementSchema } from "./requirements.js";

const N = 20_000;
const rng = stream(1, "spec-checks-test");
const x = Float64Array.from({ length: N }, () => rng.double());
const noise = Float64Array.from({ length: N }, () => normal(rng));
const y = x.map((v, i) => 2 * v + (noise[i] as number));
const y15 = x.map((v, i) => 1.5 * v + (noise[i] as number));
const ids = Float64Array.from({ length: N }, (_, i) => i);
const withNull = Float64Array.from([1, Number.NaN, 3, 4]);

const data: CheckedData = {
  length: N,
  numeric: new Map([
    ["x", x],
    ["noise", noise],
    ["y", y],
    ["y15", y15],
    ["id", ids],
  ]),
  types: new Map([
    ["x", "float"],
    ["noise", "float"],
    ["y", "float"],
    ["y15", "float"],
    ["id", "int"],
  ]),
};
const noTest = () => ({ statistic: 0.01, p_value: 0.5 });
/** The users' view of the shared report, as report.json shows it. */
const contractReport = (...args: Parameters<typeof sharedReport>) => publicReport(sharedReport(...args));
const run = (reqs: unknown[]) => contractReport(reqs.map((r) => requirementSchema.parse(r)) as Requirement[], data, noTest);

describe("the users' example", () => {
  const reqs = [
    { check: "schema_check", columns: ["x", "y"], types: { x: "float", y: "float" } },
    { check: "relationship_check", type: "linear_regression", dependent: "y", independent: "x", expected_slope: 2.0, tolerance: 0.2 },
    { check: "noise_mean_check", expected_mean: 0.0, tolerance: 0.2 },
  ];
  // Slope standard error for n = 20,000, x ~ U(0,1), unit noise: 1 / sqrt(n var(x)) = 0.0245, so
  // a tolerance of 0.2 is 8 standard errors (false failure ~1e-15); the fitted intercept's
  // standard error is 0.014 (tolerance 0.2 is 14 of them). Fixed seed: deterministic.
  test("y = 2x + N(0,1) PASSES with the figures as metrics", () => {
    const r = run(reqs);
    expect(r.status).toBe("PASSED");
    expect(r.violations).toEqual([]);
    expect(r.metrics.estimated_slope).toBeCloseTo(2, 0);
    expect(Math.abs(r.metrics.noise_mean as number)).toBeLessThan(0.1);
  });
  test("slope 1.5 data FAILS with the users' violation shape, and keeps its metrics", () => {
    const r = run(reqs.map((q) => (q.check === "relationship_check" ? { ...q, dependent: "y15" } : q)));
    expect(r.status).toBe("FAILED");
    expect(r.violations[0]).toEqual({
      check: "relationship_check",
      expected_slope: 2,
      observed_slope: r.metrics.estimated_slope,
      tolerance: 0.2,
    });
    expect(Math.abs((r.metrics.estimated_slope as number) - 1.5)).toBeLessThan(0.1);
  });
});

describe("every check can pass and fail", () => {
  const cases: { name: string; pass: unknown; fail: unknown; violation: Record<string, unknown> }[] = [
    {
      name: "schema_check",
      pass: { check: "schema_check", columns: ["id"], types: { id: "int" } },
      fail: { check: "schema_check", columns: ["id", "zz"], types: { id: "float" } },
      violation: { column: "id", expected_type: "float", observed_type: "int" },
    },
    {
      name: "mean_check",
      pass: { check: "mean_check", column: "x", expected_mean: 0.5, tolerance: 0.02 },
      fail: { check: "mean_check", column: "x", expected_mean: 0.6, tolerance: 0.02 },
      violation: { column: "x", expected_mean: 0.6 },
    },
    {
      name: "std_check",
      pass: { check: "std_check", column: "noise", expected_std: 1, tolerance: 0.03 },
      fail: { check: "std_check", column: "noise", expected_std: 2, tolerance: 0.03 },
      violation: { column: "noise", expected_std: 2 },
    },
    {
      name: "range_check",
      pass: { check: "range_check", column: "x", min: 0, max: 1 },
      fail: { check: "range_check", column: "x", min: 0, max: 0.9 },
      violation: { column: "x", max: 0.9 },
    },
    {
      name: "quantile_check",
      pass: { check: "quantile_check", column: "x", quantile: 0.9, expected: 0.9, tolerance: 0.02 },
      fail: { check: "quantile_check", column: "x", quantile: 0.9, expected: 0.5, tolerance: 0.02 },
      violation: { column: "x", quantile: 0.9, expected: 0.5 },
    },
    {
      name: "correlation_check",
      pass: { check: "correlation_check", columns: ["x", "y"], expected: 0.5, tolerance: 0.05 },
      fail: { check: "correlation_check", columns: ["x", "noise"], expected: 0.5, tolerance: 0.05 },
      violation: { columns: ["x", "noise"], expected: 0.5 },
    },
    {
      name: "unique_check",
      pass: { check: "unique_check", column: "id" },
      fail: { check: "unique_check", column: "id15" },
      violation: { column: "id15", problem: "no such column in the data" },
    },
    {
      name: "noise_mean_check with its own columns",
      pass: { check: "noise_mean_check", dependent: "y", independent: "x", expected_mean: 0, tolerance: 0.1 },
      fail: { check: "noise_mean_check", dependent: "y", independent: "x", expected_mean: 1, tolerance: 0.1 },
      violation: { expected_mean: 1 },
    },
    {
      name: "distribution_test (tester's p-value against alpha)",
      pass: { check: "distribution_test", column: "x", distribution: "uniform", test: "ks", alpha: 0.05 },
      fail: { check: "distribution_test", column: "x", distribution: "uniform", test: "ks", alpha: 0.9 },
      violation: { column: "x", test: "ks", p_value: 0.5 },
    },
  ];
  test.each(cases)("$name", ({ pass, fail, violation }) => {
    expect(run([pass]).status).toBe("PASSED");
    const r = run([fail]);
    expect(r.status).toBe("FAILED");
    expect(r.violations[0]).toMatchObject(violation);
  });
  test("null_check counts the nulls of the null mask; unique_check skips nulls and counts duplicates", () => {
    const small: CheckedData = {
      length: 4,
      numeric: new Map([["a", withNull]]),
      types: new Map([["a", "float"]]),
      nulls: new Map([["a", Uint8Array.from([0, 1, 0, 0])]]),
    };
    const r = contractReport(
      [
        requirementSchema.parse({ check: "null_check", columns: ["a"] }),
        requirementSchema.parse({ check: "unique_check", column: "a" }),
      ] as Requirement[],
      small,
      noTest,
    );
    expect(r.violations).toEqual([{ check: "null_check", column: "a", max_fraction: 0, observed_fraction: 0.25 }]);
    expect(r.metrics.unique_fraction_a).toBe(1);
    const dup: CheckedData = { length: 3, numeric: new Map([["a", Float64Array.from([1, 1, 2])]]), types: new Map([["a", "int"]]) };
    expect(
      contractReport([requirementSchema.parse({ check: "unique_check", column: "a" })] as Requirement[], dup, noTest).violations[0],
    ).toMatchObject({ duplicates: 1 });
  });
  test("noise_mean_check with no relationship to use explains itself", () => {
    expect(run([{ check: "noise_mean_check", expected_mean: 0, tolerance: 1 }]).violations[0]).toMatchObject({
      problem: expect.stringMatching(/no relationship/),
    });
  });
  test("relationship_check with an intercept; checks on missing columns say so", () => {
    const r = run([
      {
        check: "relationship_check",
        type: "linear_regression",
        dependent: "y",
        independent: "x",
        expected_slope: 2,
        expected_intercept: 1,
        tolerance: 0.2,
      },
    ]);
    expect(r.violations[0]).toMatchObject({ expected_intercept: 1 });
    for (const req of [
      { check: "relationship_check", type: "linear_regression", dependent: "q", independent: "x", expected_slope: 2, tolerance: 1 },
      { check: "noise_mean_check", dependent: "q", independent: "x", expected_mean: 0, tolerance: 1 },
      { check: "mean_check", column: "q", expected_mean: 0, tolerance: 1 },
      { check: "range_check", column: "q" },
      { check: "quantile_check", column: "q", quantile: 0.5, expected: 0, tolerance: 1 },
      { check: "correlation_check", columns: ["q", "x"], expected: 0, tolerance: 1 },
      { check: "null_check", columns: ["q"] },
      { check: "distribution_test", column: "q", distribution: "normal", test: "ks" },
    ]) {
      expect(run([req]).violations[0]).toMatchObject({ column: "q", problem: "no such column in the data" });
    }
  });
});

describe("column statistics", () => {
  test("textbook values on small inputs", () => {
    const v = Float64Array.from([1, 2, 3, 4]);
    expect(mean(v)).toBe(2.5);
    expect(std(v)).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(quantile(v, 0.5)).toBe(2.5);
    expect(quantile(v, 1)).toBe(4);
    expect(quantile(new Float64Array(0), 0.5)).toBeNaN();
    expect(mean(new Float64Array(0))).toBeNaN();
    expect(std(Float64Array.from([1]))).toBeNaN();
    expect(
      linearFit(
        v,
        v.map((a) => 3 * a + 1),
      ),
    ).toMatchObject({ slope: 3, intercept: 1, rSquared: 1, n: 4 });
    expect(
      correlation(
        v,
        v.map((a) => -a),
      ),
    ).toBeCloseTo(-1, 14);
    expect(linearFit(Float64Array.from([1, Number.NaN, 2]), Float64Array.from([1, 5, 2])).n).toBe(2);
  });
});

describe("edges", () => {
  test("a range with only a minimum says max null; an empty column has no nulls and no duplicates", () => {
    expect(run([{ check: "range_check", column: "x", min: 0.5 }]).violations[0]).toMatchObject({ min: 0.5, max: null });
    const empty: CheckedData = { length: 0, numeric: new Map([["e", new Float64Array(0)]]), types: new Map([["e", "float"]]) };
    const r = contractReport(
      [
        { check: "null_check", columns: ["e"] },
        { check: "unique_check", column: "e" },
      ].map((q) => requirementSchema.parse(q)) as Requirement[],
      empty,
      noTest,
    );
    expect(r).toMatchObject({ status: "PASSED", metrics: { null_fraction_e: 0, unique_fraction_e: 1 } });
  });
});

describe("non-finite values", () => {
  // Finite: 1, 3, 5, 7, 9, 11 (mean 6, range 1..11); non-finite at rows 1, 3, 5, 7, 10, 11.
  const N = Number.NaN;
  const column = Float64Array.from([1, N, 3, Number.POSITIVE_INFINITY, 5, Number.NEGATIVE_INFINITY, 7, N, 9, 11, N, N]);
  const base: CheckedData = { length: 12, numeric: new Map([["v", column]]), types: new Map([["v", "float"]]) };
  const reqs = [
    { check: "mean_check", column: "v", expected_mean: 6, tolerance: 0.01 },
    { check: "range_check", column: "v", min: 0, max: 20 },
    { check: "null_check", columns: ["v"] },
  ].map((r) => requirementSchema.parse(r)) as Requirement[];

  test("fail every check reading the column, with the count and the first rows; statistics skip them", () => {
    const r = contractReport(reqs, base, noTest);
    expect(r.status).toBe("FAILED");
    expect(r.violations.map((v) => v.check)).toEqual(["mean_check", "range_check", "null_check"]);
    // Six rows are non-finite; the first five (NON_FINITE_ROWS_SHOWN) are listed.
    for (const v of r.violations)
      expect(v).toMatchObject({
        column: "v",
        problem: "non-finite values (NaN or infinity)",
        non_finite: 6,
        first_rows: [
          { row: 1, value: "NaN" },
          { row: 3, value: "Infinity" },
          { row: 5, value: "-Infinity" },
          { row: 7, value: "NaN" },
          { row: 10, value: "NaN" },
        ],
      });
    // NaN is not a null.
    expect(r.metrics).toMatchObject({ mean_v: 6, min_v: 1, max_v: 11, null_fraction_v: 0 });
  });

  test("pass when the column allows them (allow_non_finite), and a null stays a null", () => {
    const allowed = { ...base, allowNonFinite: new Set(["v"]) };
    expect(contractReport(reqs, allowed, noTest)).toMatchObject({ status: "PASSED", violations: [] });
    const withNull = { ...allowed, nulls: new Map([["v", Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]]) };
    const r = contractReport(reqs, withNull, noTest);
    expect(r.violations).toEqual([{ check: "null_check", column: "v", max_fraction: 0, observed_fraction: 1 / 12 }]);
    // Without the allowance, the null at row 1 is not counted as non-finite: 5 rows are.
    const strict = contractReport(reqs.slice(0, 1), { ...withNull, allowNonFinite: new Set<string>() }, noTest);
    expect(strict.violations[0]).toMatchObject({
      non_finite: 5,
      first_rows: [{ row: 3 }, { row: 5 }, { row: 7 }, { row: 10 }, { row: 11 }],
    });
  });
});
