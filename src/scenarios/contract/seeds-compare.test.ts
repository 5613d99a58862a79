/**
 * `--seeds` summaries (a calibrated spec passes, a miscalibrated test and a too-tight tolerance
 * fail), Parquet data equal to the CSV data, and `spec compare` of two run folders.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { readParquetBatches } from "../../io/parquet.js";
import { compareRuns, formatComparison } from "./compare.js";
import { type ContractInput, contractSchema } from "./contract-schema.js";
import { type RequirementInput, requirementSchema } from "./requirements.js";
import { contractHash, runContract } from "./run-contract.js";
import { formatSeedsSummary, requirementLabel, runSeeds } from "./seeds.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-seeds-"));
let counter = 0;
const dir = (name: string) => path.join(root, `${name}-${counter++}`, "run");
const clock = () => 0;

const linear = (over: Partial<ContractInput> = {}): ContractInput => ({
  num_samples: 2000,
  seed: 3,
  columns: {
    x: { distribution: "uniform", params: { min: 0, max: 1 } },
    noise: { distribution: "normal", params: { mean: 0, sd: 1 }, hidden: true },
    y: { expr: "2 * x + noise" },
  },
  validation_requirements: [
    { check: "distribution_test", column: "x", distribution: "uniform", params: { min: 0, max: 1 }, test: "ks", alpha: 0.05 },
    { check: "relationship_check", type: "linear_regression", dependent: "y", independent: "x", expected_slope: 2, tolerance: 0.5 },
  ],
  ...over,
});
const parse = (input: ContractInput) => checkConfig(contractSchema, input, undefined, "spec");

describe("spec run --seeds", () => {
  test("a calibrated spec passes: the KS test fails on about alpha of the seeds, the tolerance check on none", async () => {
    const progress: number[] = [];
    const s = await runSeeds(parse(linear()), 60, (d) => progress.push(d));
    expect(progress).toHaveLength(60);
    expect(s.status).toBe("PASSED");
    expect(s.runs.map((r) => r.seed)).toEqual(Array.from({ length: 60 }, (_, i) => 3 + i));
    const [ks, rel] = s.checks;
    expect(ks).toMatchObject({ label: "distribution_test(x, ks)", alpha: 0.05, consistent: true, runs: 60 });
    expect(ks?.p_value).toBeGreaterThanOrEqual(0.001);
    expect(rel).toMatchObject({ label: "relationship_check(y ~ x)", alpha: null, p_value: null, passes: 60, pass_rate: 1 });
    const slope = rel?.metrics.estimated_slope;
    expect(slope?.mean).toBeCloseTo(2, 1);
    expect(slope?.min).toBeLessThanOrEqual(slope?.max as number);
    expect(slope?.sd).toBeGreaterThan(0);
    expect(formatSeedsSummary(s)).toMatch(/60 seeds from 3, 2000 samples each: PASSED/);
  });

  test("a test that fails on every seed and a tolerance tighter than the noise both FAIL the summary", async () => {
    const spec = parse(
      linear({
        validation_requirements: [
          { check: "distribution_test", column: "y", distribution: "uniform", params: { min: 0, max: 1 }, test: "ks" },
          { check: "mean_check", column: "x", expected_mean: 0.5, tolerance: 0.004 },
        ],
      }),
    );
    const s = await runSeeds(spec, 30);
    expect(s.status).toBe("FAILED");
    expect(s.checks[0]).toMatchObject({ passes: 0, consistent: false });
    expect(s.checks[1]?.consistent).toBe(false);
    expect(s.checks[1]?.passes).toBeGreaterThan(0);
    const text = formatSeedsSummary(s);
    expect(text).toMatch(/FAILS too often \(p = /);
    expect(text).toMatch(/tolerance is tighter than sampling noise/);
    // One seed: the spread of a metric has no standard deviation.
    expect((await runSeeds(spec, 1)).checks[1]?.metrics.mean_x?.sd).toBe(0);
  });

  test("every requirement kind has a label naming its columns", () => {
    const labels = (
      [
        { check: "schema_check", columns: ["a", "b"] },
        { check: "null_check", columns: ["a"] },
        { check: "correlation_check", columns: ["a", "b"], expected: 0, tolerance: 0.1 },
        { check: "noise_mean_check", expected_mean: 0, tolerance: 0.1 },
        { check: "noise_mean_check", expected_mean: 0, tolerance: 0.1, dependent: "y", independent: "x" },
        { check: "unique_check", column: "a" },
      ] as RequirementInput[]
    ).map((r) => requirementLabel(requirementSchema.parse(r)));
    expect(labels).toEqual([
      "schema_check(a, b)",
      "null_check(a)",
      "correlation_check(a, b)",
      "noise_mean_check",
      "noise_mean_check(y ~ x)",
      "unique_check(a)",
    ]);
  });
});

describe("spec run --format parquet", () => {
  test("the Parquet file holds the CSV's values: floats, Int32 counts, categorical labels, nulls", async () => {
    const spec = parse({
      num_samples: 3000,
      seed: 11,
      columns: {
        x: { distribution: "normal", params: { mean: 0, sd: 1 } },
        k: { distribution: "poisson", params: { lambda: 4 } },
        c: { distribution: "categorical", params: { categories: ["red", "green"], weights: [0.3, 0.7] } },
        l: { expr: "log(x)" },
      },
    });
    const csvDir = dir("csv");
    const pqDir = dir("pq");
    const csv = await runContract(spec, csvDir, clock);
    const pq = await runContract(spec, pqDir, clock, { format: "parquet" });
    expect(pq.files).toEqual(["data.parquet", "report.json", "experiment.json", "manifest.json"]);
    expect(csv.experiment.data).toBe("data.csv");
    const lines = fs.readFileSync(path.join(csvDir, "data.csv"), "utf8").trim().split("\n");
    const rows: string[] = [];
    for await (const b of readParquetBatches(path.join(pqDir, "data.parquet"))) {
      expect(b.names).toEqual(["x", "k", "c", "l"]);
      for (let i = 0; i < b.length; i++) rows.push(b.columns.map((col) => col(i) ?? "").join(","));
    }
    expect(rows).toEqual(lines.slice(1));
    expect(rows.some((r) => r.endsWith(","))).toBe(true); // log of a negative: a null
    expect(fs.readFileSync(path.join(csvDir, "report.json"), "utf8")).toBe(fs.readFileSync(path.join(pqDir, "report.json"), "utf8"));
  });

  test("a spec with more rows than a row group is written in several groups", async () => {
    const spec = parse({ num_samples: 1_100_000, seed: 1, columns: { i: { distribution: "integer", params: { min: 0, max: 9 } } } });
    const out = dir("big");
    await runContract(spec, out, clock, { format: "parquet" });
    let rows = 0;
    let batches = 0;
    for await (const b of readParquetBatches(path.join(out, "data.parquet"))) {
      rows += b.length;
      batches++;
    }
    expect(rows).toBe(1_100_000);
    expect(batches).toBeGreaterThan(1);
  });
});

describe("spec compare", () => {
  test("runs of one spec at two seeds share its hash; compare lists every metric and its change", async () => {
    const a = dir("a");
    const b = dir("b");
    const broken = parse(linear({ seed: 4, columns: { ...linear().columns, y: { expr: "1.5 * x + noise" } } }));
    await runContract(parse(linear()), a, clock);
    await runContract(broken, b, clock);
    expect(contractHash(parse(linear()))).toBe(contractHash(parse(linear({ seed: 99 }))));
    const c = compareRuns(a, b);
    expect(c.same_spec).toBe(false);
    expect(c.same_seed).toBe(false);
    expect(c.a.status).toBe("PASSED");
    expect(c.metrics.map((m) => m.name)).toContain("estimated_slope");
    const slope = c.metrics.find((m) => m.name === "estimated_slope");
    expect(slope?.diff).toBeCloseTo((slope?.b as number) - (slope?.a as number), 12);
    const same = compareRuns(a, a);
    expect(same).toMatchObject({ same_spec: true, same_seed: true });
    expect(same.metrics.every((m) => m.diff === 0)).toBe(true);
    const text = formatComparison(c);
    expect(text).toMatch(/different specs, seeds 3 and 4/);
    expect(formatComparison(same)).toMatch(/same spec, same seed \(3\)/);
  });

  test("metrics only one side has, a zero baseline, and folders without an experiment record", () => {
    const a = dir("ma");
    const b = dir("mb");
    for (const [d, metrics] of [
      [a, { m: 0, only_a: 1 }],
      [b, { m: 2, only_b: 3 }],
    ] as const) {
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, "report.json"), JSON.stringify({ status: "FAILED", metrics, violations: [{ check: "x" }] }));
    }
    const c = compareRuns(a, b);
    expect(c.metrics).toEqual([
      { name: "m", a: 0, b: 2, diff: 2, relative: null },
      { name: "only_a", a: 1, b: null, diff: null, relative: null },
      { name: "only_b", a: null, b: 3, diff: null, relative: null },
    ]);
    expect(c).toMatchObject({ same_spec: false, same_seed: false });
    const text = formatComparison(c);
    expect(text).toMatch(/seeds \? and \?/);
    expect(text).toMatch(/violation in B: \{"check":"x"\}/);
  });

  /** The InputError that comparing the folder `name`, holding `files`, throws. */
  function refusal(name: string, files: Record<string, string | null>): InputError {
    const d = dir(name);
    fs.mkdirSync(d, { recursive: true });
    // null: a folder where the file should be.
    for (const [file, text] of Object.entries(files)) {
      if (text === null) fs.mkdirSync(path.join(d, file));
      else fs.writeFileSync(path.join(d, file), text);
    }
    try {
      compareRuns(d, d);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return error as InputError;
    }
    throw new Error(`${name} was compared`);
  }

  const report = JSON.stringify({ status: "PASSED", metrics: {}, violations: [] });
  test.each<[string, Record<string, string | null>, string, RegExp]>([
    ["a folder without report.json", {}, "not_a_run", /^cannot read report\.json .*report\.json: it does not exist \(ENOENT\)$/],
    ["a report.json that is not JSON", { "report.json": "{oops" }, "bad_json", /report\.json is not valid JSON: /],
    ["a report.json that is a list", { "report.json": "[1]" }, "bad_json", /report\.json is not a JSON object$/],
    [
      "a report.json that is a folder",
      { "report.json": null },
      "not_a_file",
      /cannot read report\.json .*report\.json: it is a folder, not a regular file$/,
    ],
    ["a report.json without its keys", { "report.json": '{"status": "PASSED"}' }, "bad_run_file", /lacks status, metrics or violations$/],
    [
      "an experiment.json that is not JSON",
      { "report.json": report, "experiment.json": "{" },
      "bad_json",
      /experiment\.json is not valid JSON/,
    ],
  ])("%s: InputError %s naming the file", (name, files, code, message) => {
    const error = refusal(name.replace(/\W+/g, "-"), files);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/synthproof spec run/);
  });
});
