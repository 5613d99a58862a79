/**
 * Spec-driven generation end to end (in memory): the users' example passes, broken data fails
 * with the expected violation, bad specs are rejected at the right key path, and generation is
 * reproducible with columns independent of each other.
 */
import { describe, expect, test } from "vitest";

import { type ConfigError, checkConfig } from "../../core/config.js";
import { type ContractInput, contractSchema } from "./contract-schema.js";
import { checkedData, generateColumns, testDistribution } from "./generate-columns.js";
import { publicReport } from "./public-report.js";
import { contractReport } from "./requirement-checks.js";

const example = (overrides: Partial<ContractInput> = {}): ContractInput => ({
  num_samples: 10_000,
  seed: 7,
  columns: {
    x: { distribution: "uniform", params: { min: 0, max: 1 } },
    noise: { distribution: "normal", params: { mean: 0, sd: 1 }, hidden: true },
    y: { expr: "2 * x + noise" },
  },
  validation_requirements: [
    { check: "schema_check", columns: ["x", "y"], types: { x: "float", y: "float" } },
    { check: "distribution_test", column: "x", distribution: "uniform", params: { min: 0.0, max: 1.0 }, test: "ks", alpha: 0.05 },
    { check: "relationship_check", type: "linear_regression", dependent: "y", independent: "x", expected_slope: 2.0, tolerance: 0.2 },
    { check: "noise_mean_check", expected_mean: 0.0, tolerance: 0.2 },
  ],
  ...overrides,
});

function run(input: ContractInput) {
  const spec = checkConfig(contractSchema, input, undefined, "spec");
  const columns = generateColumns(spec);
  return {
    columns,
    report: publicReport(contractReport(spec.validation_requirements, checkedData(columns, spec.num_samples), testDistribution)),
  };
}

describe("the users' example", () => {
  // Fixed seed, so deterministic; the KS test at alpha 0.05 is the only statistical risk, and
  // this seed's p-value is far from it (asserted below).
  test("uniform x, y = 2x + N(0,1) PASSES", () => {
    const { report } = run(example());
    expect(report.status).toBe("PASSED");
    expect(report.violations).toEqual([]);
    expect(report.metrics.ks_p_value_x).toBeGreaterThan(0.2);
    expect(report.metrics.estimated_slope).toBeGreaterThan(1.9);
  });
  test("slope 1.5 data FAILS with the relationship violation", () => {
    const { report } = run(example({ columns: { ...example().columns, y: { expr: "1.5 * x + noise" } } }));
    expect(report.status).toBe("FAILED");
    expect(report.violations).toEqual([
      { check: "relationship_check", expected_slope: 2, observed_slope: report.metrics.estimated_slope, tolerance: 0.2 },
    ]);
  });
  test("x from a normal FAILS the uniform KS test", () => {
    const { report } = run(example({ columns: { ...example().columns, x: { distribution: "normal", params: { mean: 0.5, sd: 0.29 } } } }));
    expect(report.violations).toContainEqual(expect.objectContaining({ check: "distribution_test", column: "x", test: "ks" }));
  });
  test("hidden columns are generated and checkable but marked hidden", () => {
    const { columns } = run(example());
    expect(columns.map((c) => [c.name, c.hidden, c.type])).toEqual([
      ["x", false, "float"],
      ["noise", true, "float"],
      ["y", false, "float"],
    ]);
  });
});

describe("reproducibility", () => {
  test("the same spec gives the same columns; another seed does not", () => {
    const a = run(example()).columns;
    const b = run(example()).columns;
    const c = run(example({ seed: 8 })).columns;
    expect(a.map((col) => Array.from(col.values.slice(0, 5)))).toEqual(b.map((col) => Array.from(col.values.slice(0, 5))));
    expect(Array.from(a[0]?.values.slice(0, 5) ?? [])).not.toEqual(Array.from(c[0]?.values.slice(0, 5) ?? []));
  });
  test("adding a column changes no other column", () => {
    const a = run(example()).columns;
    const b = run(example({ columns: { extra: { distribution: "poisson", params: { lambda: 3 } }, ...example().columns } })).columns;
    for (const name of ["x", "noise", "y"]) {
      expect(b.find((c) => c.name === name)?.values).toEqual(a.find((c) => c.name === name)?.values);
    }
  });
});

describe("discrete columns and chi-square", () => {
  test("poisson, binomial and categorical columns pass their own chi-square test and fail another's", () => {
    const { report } = run({
      num_samples: 20_000,
      seed: 3,
      columns: {
        k: { distribution: "poisson", params: { lambda: 4 } },
        b: { distribution: "binomial", params: { n: 10, p: 0.3 } },
        c: { distribution: "categorical", params: { categories: ["a", "b", "c"], weights: [1, 2, 7] } },
      },
      validation_requirements: [
        { check: "distribution_test", column: "k", distribution: "poisson", params: { lambda: 4 }, test: "chi2", alpha: 0.001 },
        { check: "distribution_test", column: "b", distribution: "binomial", params: { n: 10, p: 0.3 }, test: "chi2", alpha: 0.001 },
        {
          check: "distribution_test",
          column: "c",
          distribution: "categorical",
          params: { categories: ["a", "b", "c"], weights: [1, 2, 7] },
          test: "chi2",
          alpha: 0.001,
        },
        { check: "distribution_test", column: "k", distribution: "poisson", params: { lambda: 4.3 }, test: "chi2", alpha: 0.001 },
        { check: "schema_check", columns: ["k", "c"], types: { k: "int", c: "string" } },
      ],
    });
    expect(report.violations.map((v) => [v.check, v.column])).toEqual([["distribution_test", "k"]]);
    expect(report.violations[0]).toMatchObject({ test: "chi2" });
  });
});

describe("bad specs are rejected at the right key path", () => {
  const bad: { name: string; input: unknown; message: RegExp }[] = [
    {
      name: "unknown distribution",
      input: example({ columns: { x: { distribution: "zipf", params: {} } } }),
      message: /columns\.x\.distribution|distribution is "zipf"/,
    },
    {
      name: "negative sd",
      input: example({ columns: { ...example().columns, noise: { distribution: "normal", params: { mean: 0, sd: -1 } } } }),
      message: /normal\.sd is -1/,
    },
    {
      name: "an expression naming a later column",
      input: example({ columns: { y: { expr: "2 * x" }, x: { distribution: "uniform", params: { min: 0, max: 1 } } } }),
      message: /column "x" is defined at or after this one/,
    },
    {
      name: "an expression naming an unknown column",
      input: example({ columns: { ...example().columns, y: { expr: "2 * z + noise" } } }),
      message: /unknown column "z"/,
    },
    {
      name: "a self-reference (the smallest cycle)",
      input: example({ columns: { ...example().columns, y: { expr: "y + 1" } } }),
      message: /column "y" is defined at or after this one/,
    },
    {
      name: "both distribution and expr",
      input: example({ columns: { x: { distribution: "uniform", params: { min: 0, max: 1 }, expr: "1" } } }),
      message: /exactly one of/,
    },
    {
      name: "a check on an undefined column",
      input: example({ validation_requirements: [{ check: "mean_check", column: "q", expected_mean: 0, tolerance: 1 }] }),
      message: /mean_check names column "q"/,
    },
    {
      name: "chi2 on a continuous distribution",
      input: example({
        validation_requirements: [
          { check: "distribution_test", column: "x", distribution: "uniform", params: { min: 0, max: 1 }, test: "chi2" },
        ],
      }),
      message: /use ks for continuous/,
    },
    {
      name: "an unknown check",
      input: example({ validation_requirements: [{ check: "vibes_check" }] as never }),
      message: /validation_requirements\[0\]/,
    },
    { name: "an unknown key", input: { ...example(), colour: "blue" }, message: /unknown key "colour"/ },
    {
      name: "an unknown parameter of a distribution_test",
      input: example({
        validation_requirements: [
          { check: "distribution_test", column: "x", distribution: "uniform", params: { min: 0, max: 1, mode: 1 }, test: "ks" },
        ],
      }),
      message: /uniform has no parameter "mode" \(its parameters: min, max\)/,
    },
  ];
  test.each(bad)("$name", ({ input, message }) => {
    expect(() => checkConfig(contractSchema, input, undefined, "spec")).toThrow(message);
  });

  test("long names are quoted cut (80 characters and the length), and at most 20 columns are listed", () => {
    const long = "w".repeat(1000);
    const columns = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`c${i}`, { distribution: "constant", params: { value: i } }]));
    const input = example({
      columns: { ...columns, y: { expr: `${long} + 1` } },
      validation_requirements: [{ check: "mean_check", column: long, expected_mean: 0, tolerance: 1 }],
    });
    let problems: string[] = [];
    try {
      checkConfig(contractSchema, input, undefined, "spec");
    } catch (error) {
      problems = (error as ConfigError).problems.map((p) => p.message);
    }
    const cut = `"${"w".repeat(80)}"... (1000 characters)`;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(`unknown column ${cut}`);
    expect(problems[1]).toBe(
      `mean_check names column ${cut}, which the spec does not define (columns: ${Object.keys(columns).slice(0, 20).join(", ")}, ... (26 in all))`,
    );
    for (const p of problems) expect(p.length).toBeLessThan(800);
  });
});

describe("schema_check and hidden columns", () => {
  test("a hidden column named by schema_check is a violation: the data file does not have it", () => {
    const spec = checkConfig(
      contractSchema,
      example({ validation_requirements: [{ check: "schema_check", columns: ["x", "noise"], types: { noise: "float" } }] }),
      undefined,
      "spec",
    );
    const r = publicReport(
      contractReport(spec.validation_requirements, checkedData(generateColumns(spec), spec.num_samples), testDistribution),
    );
    expect(r.status).toBe("FAILED");
    expect(r.violations).toEqual([
      expect.objectContaining({ check: "schema_check", column: "noise", problem: expect.stringMatching(/hidden column/) }),
    ]);
  });
});

describe("non-finite values from expressions", () => {
  const spec = (allow?: boolean) =>
    example({
      num_samples: 2000,
      columns: {
        x: { distribution: "normal", params: { mean: 0, sd: 1 } },
        l: { expr: "log(x)", ...(allow === undefined ? {} : { allow_non_finite: allow }) },
        r: { expr: "1 / (x - x)" },
      },
      validation_requirements: [
        { check: "mean_check", column: "l", expected_mean: -0.64, tolerance: 0.2 },
        { check: "null_check", columns: ["l"] },
      ],
    });
  // Fixed seed: about half of 2000 normal draws are negative, so log gives ~1000 NaN. E[log|Z|] for
  // Z > 0 is -0.635; the tolerance 0.2 is ~6 standard errors of the mean of ~1000 values.
  test("log of negative values fails the checks on the column, with the count and first rows", () => {
    const { report } = run(spec());
    expect(report.status).toBe("FAILED");
    expect(report.violations).toEqual([
      expect.objectContaining({ check: "mean_check", column: "l", problem: "non-finite values (NaN or infinity)" }),
      expect.objectContaining({ check: "null_check", column: "l", problem: "non-finite values (NaN or infinity)" }),
    ]);
    const count = report.violations[0]?.non_finite as number;
    expect(count).toBeGreaterThan(800);
    expect(count).toBeLessThan(1200);
    expect(report.metrics.null_fraction_l).toBe(0);
  });
  test("allow_non_finite: true lets them through; the statistics use the finite values", () => {
    const { report, columns } = run(spec(true));
    expect(report).toMatchObject({ status: "PASSED", violations: [] });
    expect(Math.abs((report.metrics.mean_l as number) + 0.635)).toBeLessThan(0.2);
    expect(columns.find((c) => c.name === "l")?.allowNonFinite).toBe(true);
    // x / 0 is an infinity (or NaN for 0 / 0): no check reads r, so nothing fails on it.
    expect(columns.find((c) => c.name === "r")?.values.every((v) => !Number.isFinite(v))).toBe(true);
  });
  test("allow_non_finite must be a boolean, and is not written into specs that do not set it", () => {
    expect(() => checkConfig(contractSchema, spec("yes" as never), undefined, "spec")).toThrow(/allow_non_finite/);
    expect(checkConfig(contractSchema, example(), undefined, "spec").columns?.x).toEqual({
      distribution: "uniform",
      params: { min: 0, max: 1 },
      hidden: false,
    });
  });
});
