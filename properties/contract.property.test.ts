import { describe, expect, test } from "vitest";
import { specRunProperties } from "./contract-run.properties.js";
import { specProblems, specSchemaProperties } from "./contract-schema.properties.js";

// The calibration and power tests are in spec-calibration.property.test.ts, so the files run in parallel.
describe("spec: the validator", () => {
  for (const p of specSchemaProperties) test(`${p.title} [${p.id}]`, () => p.check());
});

describe("spec: runs, keyed columns and expressions", () => {
  for (const p of specRunProperties) test(`${p.title} [${p.id}]`, () => p.check());
});

/** Gaps the properties found in the validator, each now closed; these pin the fixes. */
describe("spec: validator gaps found by the properties, closed", () => {
  const base = {
    num_samples: 10,
    columns: { x: { distribution: "normal", params: { mean: 0, sd: 1 } } as Record<string, unknown> },
  };

  // spec.schema.rejects-corruption-at-its-path checks this for every kind of requirement; here it is in one line.
  test("a requirement naming a missing column is reported at the field that names it", () => {
    const problems = specProblems({
      ...base,
      validation_requirements: [{ check: "mean_check", column: "q", expected_mean: 0, tolerance: 1 }],
    });
    expect(problems?.map((p) => p.path)).toEqual([["validation_requirements", 0, "column"]]);
  });

  // A typo'd or foreign parameter key used to be ignored (the corruption property adds such keys too).
  test("an unknown parameter key is refused at its key path", () => {
    const problems = specProblems({ ...base, columns: { x: { distribution: "normal", params: { mean: 0, sd: 1, rate: 2 } } } });
    expect(problems?.map((p) => p.path)).toEqual([["columns", "x", "params", "rate"]]);
  });

  // z.record would assign it as a prototype and silently drop the column, so the validator refuses
  // the name instead (the corruption property also adds such a column to random specs).
  test('a column named "__proto__" is refused at its key path, not silently dropped', () => {
    const input = JSON.parse('{"num_samples": 3, "columns": {"a": {"expr": "1"}, "__proto__": {"expr": "2"}}}') as unknown;
    expect(specProblems(input as never)?.map((p) => p.message)).toEqual([expect.stringMatching(/cannot be named __proto__/)]);
  });

  // cdf.ts documents @stdlib's beta CDF as 6% off at alpha = beta = 1e9: a KS test of such a column
  // would fail correct data (D ~ 0.06 at every seed tried), so the validator refuses the test.
  test("a distribution_test whose CDF cannot be trusted (beta shapes above 1e7) is refused at the parameter", () => {
    const params = { alpha: 1e9, beta: 1e9 };
    const problems = specProblems({
      num_samples: 5000,
      seed: 1,
      columns: { v: { distribution: "beta", params } },
      validation_requirements: [{ check: "distribution_test", column: "v", distribution: "beta", params, test: "ks", alpha: 1e-6 }],
    } as never);
    expect(problems?.map((p) => p.path)).toEqual([
      ["validation_requirements", 0, "params", "alpha"],
      ["validation_requirements", 0, "params", "beta"],
    ]);
  });
});
