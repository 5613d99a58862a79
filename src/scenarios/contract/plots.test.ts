/**
 * The spec report's plots and the sweep page, checked against direct computations on the data
 * the run wrote: histogram counts and the expected count in each bin, discrete counts and their
 * PMF, the CDF points, the scatter's sampled rows and its lines; the sweep's pass-rate band and
 * p-value histogram; and the folders they refuse.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, describe, expect, test } from "vitest";
import { report as gather } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { stream } from "../../core/rng.js";
import { cdf, type NamedDistribution, pmf } from "../../core/samplers/index.js";
import type { Plot, PlotContext } from "../plot.js";
import { type ContractInput, contractSchema } from "./contract-schema.js";
import { BINS, distributionOf, MAX_COLUMN_PLOTS, SCATTER_POINTS, sampleIndices, specPlots } from "./plots.js";
import { runContract, writeSeedsSummary } from "./run-contract.js";
import { runSeeds } from "./seeds.js";
import { isSeedsFolder, readSeedsFile, seedsPlots, seedsReport, writeSeedsReport } from "./seeds-report.js";
import { readRunRecord } from "./verify-contract.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-spec-plots-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => path.join(root, `${n++}`);
const parse = (input: ContractInput) => checkConfig(contractSchema, input, undefined, "spec");
const context: PlotContext = { manifest: {}, report: gather([]) };

type Row = Record<string, number | string | undefined>;
const rowsOf = (p: Plot) => (p.spec.data as { values: Row[] }).values;
const byId = (plots: readonly Plot[], id: string) => {
  const p = plots.find((q) => q.id === id);
  if (!p) throw new Error(`no plot ${id} in ${plots.map((q) => q.id).join(", ")}`);
  return p;
};

/** Every kind of column the plots draw differently, and every check that adds a plot. */
const every: ContractInput = {
  num_samples: 3000,
  seed: 11,
  columns: {
    x: { distribution: "uniform", params: { min: 0, max: 1 } },
    noise: { distribution: "normal", params: { mean: 0, sd: 1 }, hidden: true },
    y: { expr: "2 * x + noise" },
    z: { expr: "3 * x" },
    w: { distribution: "lognormal", params: { meanlog: 0, sdlog: 1 } },
    k: { distribution: "poisson", params: { lambda: 3 } },
    b: { distribution: "bernoulli", params: { p: 0.3 } },
    u: { distribution: "integer", params: { min: 1, max: 6 } },
    c: { distribution: "categorical", params: { categories: ["red", "green", "blue"], weights: [1, 2, 3] } },
    m: { distribution: "categorical", params: { categories: [10, 20, 40], weights: [3, 1, 1] } },
    big: { distribution: "integer", params: { min: 0, max: 1000 } },
  },
  validation_requirements: [
    { check: "distribution_test", column: "x", distribution: "uniform", params: { min: 0, max: 1 }, test: "ks", alpha: 0.01 },
    { check: "distribution_test", column: "z", distribution: "uniform", params: { min: 0, max: 3 }, test: "ks", alpha: 0.01 },
    { check: "distribution_test", column: "k", distribution: "poisson", params: { lambda: 3 }, test: "chi2", alpha: 0.01 },
    {
      check: "relationship_check",
      type: "linear_regression",
      dependent: "y",
      independent: "x",
      expected_slope: 2,
      tolerance: 0.3,
      expected_intercept: 0,
    },
    { check: "relationship_check", type: "linear_regression", dependent: "y", independent: "x", expected_slope: 2, tolerance: 0.3 },
    { check: "correlation_check", columns: ["x", "z"], expected: 1, tolerance: 0.01 },
  ],
};

async function runFolder(input: ContractInput, format: "csv" | "parquet" = "csv") {
  const spec = parse(input);
  const out = dir();
  await runContract(spec, out, () => 0, { format });
  return { spec, out };
}

/** The data file's column as numbers (a categorical of strings: the label's index). */
function column(out: string, name: string, labels?: readonly string[]): number[] {
  const rows = parseCsv(fs.readFileSync(path.join(out, "data.csv")), { columns: true }) as Record<string, string>[];
  return rows.map((r) => (labels ? labels.indexOf(r[name] as string) : Number(r[name])));
}

describe("sampleIndices", () => {
  test("every index when k >= n; else k distinct indices in range, increasing, the same for the same stream", () => {
    expect(Array.from(sampleIndices(4, 9, stream(1, "s")))).toEqual([0, 1, 2, 3]);
    const a = sampleIndices(1000, 50, stream(1, "s"));
    expect(a).toHaveLength(50);
    expect(new Set(a).size).toBe(50);
    expect(Array.from(a).every((v, i) => v < 1000 && (i === 0 || v > (a[i - 1] as number)))).toBe(true);
    expect(Array.from(sampleIndices(1000, 50, stream(1, "s")))).toEqual(Array.from(a));
    expect(Array.from(sampleIndices(1000, 50, stream(2, "s")))).not.toEqual(Array.from(a));
  });
  test("each index is about equally likely (Floyd's algorithm is uniform)", () => {
    const hits = new Array<number>(20).fill(0);
    const rng = stream(3, "uniform");
    for (let t = 0; t < 4000; t++) for (const i of sampleIndices(20, 5, rng)) hits[i]!++;
    // Each index is chosen with probability 1/4: 1000 expected of 4000, sd about 27; 6 sd apart is a bug.
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(165);
  });
});

describe("distributionOf", () => {
  test("a column's own distribution, else its distribution_test's, else none; parameters that describe no distribution give none", () => {
    const spec = parse(every);
    expect(distributionOf(spec, "x")).toEqual({ distribution: "uniform", params: { min: 0, max: 1 } });
    expect(distributionOf(spec, "z")).toEqual({ distribution: "uniform", params: { min: 0, max: 3 } });
    expect(distributionOf(spec, "y")).toBeUndefined();
    // The spec schema refuses such a test; a hand-edited experiment.json may still hold one.
    const bad = {
      ...spec,
      validation_requirements: [
        {
          check: "distribution_test" as const,
          column: "y",
          distribution: "normal",
          params: { mean: 0, sd: -1 },
          test: "ks" as const,
          alpha: 0.05,
        },
      ],
    };
    expect(distributionOf(bad, "y")).toBeUndefined();
    expect(distributionOf(bad, "nope")).toBeUndefined();
  });
});

describe("specPlots", () => {
  test("one plot per column, a CDF per KS test, a scatter per relationship and correlation, in that order", async () => {
    const { out } = await runFolder(every);
    const plots = await specPlots(out, context);
    expect(plots.map((p) => p.id)).toEqual([
      "column-x",
      "column-noise",
      "column-y",
      "column-z",
      "column-w",
      "column-k",
      "column-b",
      "column-u",
      "column-c",
      "column-m",
      "column-big",
      "cdf-x",
      "cdf-z",
      "relationship-3",
      "relationship-4",
      "correlation-5",
    ]);
    for (const p of plots) expect(p.description.length).toBeGreaterThan(40);
    expect(byId(plots, "column-noise").title).toMatch(/\(hidden\)/);
  });

  test("a continuous column: the bins count every value in range, and each bin's expected count is n times the CDF's rise across it", async () => {
    const { out } = await runFolder(every);
    const plots = await specPlots(out, context);
    const values = column(out, "w");
    const rows = rowsOf(byId(plots, "column-w"));
    expect(rows).toHaveLength(BINS);
    const d: NamedDistribution = { distribution: "lognormal", params: { meanlog: 0, sdlog: 1 } };
    for (const r of rows) {
      const start = r.start as number;
      const end = r.end as number;
      const last = r === rows.at(-1);
      const direct = values.filter((v) => v >= start && (v < end || (last && v <= end))).length;
      expect(r.count).toBe(direct);
      expect(r.expected).toBeCloseTo(values.length * (cdf(d, end) - cdf(d, start)), 9);
    }
    const inRange = rows.reduce((s, r) => s + (r.count as number), 0);
    const lo = rows[0]?.start as number;
    const hi = rows.at(-1)?.end as number;
    const outside = values.filter((v) => v < lo || v > hi).length;
    expect(inRange + outside).toBe(values.length);
    expect(byId(plots, "column-w").description).toContain(
      `${values.filter((v) => v < lo).length} values below and ${values.filter((v) => v > hi).length} above`,
    );
    // An expression column with no distribution: bars and no expected counts.
    expect(rowsOf(byId(plots, "column-y")).every((r) => r.expected === undefined)).toBe(true);
    expect(byId(plots, "column-y").description).toMatch(/states no distribution/);
  });

  test("discrete columns: a bar per value with the count the PMF predicts; categories by label; many values are binned", async () => {
    const { out } = await runFolder(every);
    const plots = await specPlots(out, context);
    const k = column(out, "k");
    const poisson: NamedDistribution = { distribution: "poisson", params: { lambda: 3 } };
    for (const r of rowsOf(byId(plots, "column-k"))) {
      expect(r.count).toBe(k.filter((v) => v === r.order).length);
      expect(r.expected).toBeCloseTo(k.length * pmf(poisson, r.order as number), 9);
    }
    const labels = ["red", "green", "blue"];
    const c = column(out, "c", labels);
    const cats = rowsOf(byId(plots, "column-c"));
    expect(cats.map((r) => r.value)).toEqual(labels);
    cats.forEach((r, i) => {
      expect(r.count).toBe(c.filter((v) => v === i).length);
      expect(r.expected).toBeCloseTo((c.length * (i + 1)) / 6, 9);
    });
    const m = column(out, "m");
    expect(rowsOf(byId(plots, "column-m")).map((r) => [r.value, r.count, r.expected])).toEqual([
      ["10", m.filter((v) => v === 10).length, (m.length * 3) / 5],
      ["20", m.filter((v) => v === 20).length, m.length / 5],
      ["40", m.filter((v) => v === 40).length, m.length / 5],
    ]);
    // The whole support of a small integer law shows, so a value never drawn is a visible gap.
    expect(rowsOf(byId(plots, "column-u")).map((r) => r.value)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(rowsOf(byId(plots, "column-b")).map((r) => r.value)).toEqual(["0", "1"]);
    // 1001 possible values: binned like a continuous column, against the integer law's CDF.
    expect(rowsOf(byId(plots, "column-big"))).toHaveLength(BINS);
  });

  test("a KS test's CDF plot: the empirical and expected CDF at the sample's quantiles; the recorded statistic is quoted", async () => {
    const { out } = await runFolder(every);
    const recorded = gather([
      {
        check: "distribution_test(x, ks)",
        status: "PASSED",
        description: "",
        metrics: { ks_statistic_x: 0.0123, ks_p_value_x: 0.5 },
        violations: { count: 0, first: [] },
      },
    ]);
    const plots = await specPlots(out, { manifest: {}, report: recorded });
    const cdfX = byId(plots, "cdf-x");
    const rows = rowsOf(cdfX);
    const empirical = rows.filter((r) => r.curve === "empirical");
    const expected = rows.filter((r) => r.curve !== "empirical");
    expect(empirical).toHaveLength(300);
    // uniform(0, 1): the expected CDF at x is x itself.
    for (const r of expected) expect(r.probability).toBeCloseTo(r.x as number, 12);
    expect(cdfX.description).toContain("KS statistic 0.0123, p = 0.5");
    expect(byId(plots, "cdf-z").description).not.toContain("check found");
  });

  test("scatters: sampled rows of the file, the expected and fitted lines through their stated slopes and intercepts", async () => {
    const { out } = await runFolder({ ...every, num_samples: 4000 });
    const plots = await specPlots(out, context);
    const x = column(out, "x");
    const y = column(out, "y");
    const rows = new Set(x.map((v, i) => `${v},${y[i]}`));
    const rel = byId(plots, "relationship-3");
    const points = rowsOf(rel).filter((r) => r.kind === "row");
    expect(points).toHaveLength(SCATTER_POINTS);
    for (const p of points) expect(rows.has(`${p.x},${p.y}`)).toBe(true);
    const lines = rowsOf(rel).filter((r) => r.kind === "line");
    const expectedLine = lines.filter((r) => String(r.line).startsWith("expected"));
    // expected_intercept 0: y = 2x exactly.
    for (const r of expectedLine) expect(r.y).toBeCloseTo(2 * (r.x as number), 12);
    // No intercept stated: the expected slope through the mean point.
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    const centred = rowsOf(byId(plots, "relationship-4")).filter((r) => r.kind === "line" && String(r.line).startsWith("expected"));
    for (const r of centred) expect(r.y).toBeCloseTo(my + 2 * ((r.x as number) - mx), 9);
    expect(byId(plots, "relationship-4").description).toMatch(/through the data's mean point/);
    // z = 3x exactly: the fitted line is z = 3x and the correlation 1.
    const corr = byId(plots, "correlation-5");
    expect(corr.title).toMatch(/correlation 1,/);
    for (const r of rowsOf(corr).filter((q) => q.kind === "line")) expect(r.y).toBeCloseTo(3 * (r.x as number), 9);
  });

  test("a Parquet data file gives the same plots as CSV", async () => {
    const a = await runFolder(every);
    const b = await runFolder(every, "parquet");
    const pa = await specPlots(a.out, context);
    const pb = await specPlots(b.out, context);
    expect(pb.map((p) => p.spec)).toEqual(pa.map((p) => p.spec));
  });

  test(`past ${MAX_COLUMN_PLOTS} columns, the first ${MAX_COLUMN_PLOTS} are drawn and the page says so`, async () => {
    const columns = Object.fromEntries(
      Array.from({ length: MAX_COLUMN_PLOTS + 2 }, (_, i) => [`c${i}`, { distribution: "normal", params: { mean: i, sd: 1 } }]),
    );
    const { out } = await runFolder({ num_samples: 200, seed: 1, columns });
    const plots = await specPlots(out, context);
    expect(plots).toHaveLength(MAX_COLUMN_PLOTS);
    expect(plots[0]?.description).toContain(`The spec has ${MAX_COLUMN_PLOTS + 2} columns; the first ${MAX_COLUMN_PLOTS} are drawn.`);
  });

  test("a run that wrote no data, and a folder that is no run, are clear errors", async () => {
    const { out } = await runFolder(every);
    const experiment = JSON.parse(fs.readFileSync(path.join(out, "experiment.json"), "utf8"));
    fs.writeFileSync(path.join(out, "experiment.json"), JSON.stringify({ ...experiment, data: null }));
    await expect(specPlots(out, context)).rejects.toThrow(/wrote no data to plot/);
    const empty = dir();
    fs.mkdirSync(empty, { recursive: true });
    await expect(specPlots(empty, context)).rejects.toBeInstanceOf(InputError);
    expect(() => readRunRecord(empty)).toThrow(/experiment\.json/);
  });
});

describe("the sweep page", () => {
  async function sweep(input: ContractInput, seeds: number) {
    const spec = parse(input);
    const out = dir();
    await writeSeedsSummary(spec, await runSeeds(spec, seeds), out);
    return out;
  }
  const small: ContractInput = {
    num_samples: 300,
    seed: 3,
    columns: { x: { distribution: "normal", params: { mean: 0, sd: 1 } } },
    validation_requirements: [
      { check: "distribution_test", column: "x", distribution: "normal", params: { mean: 0, sd: 1 }, test: "ks", alpha: 0.05 },
      { check: "mean_check", column: "x", expected_mean: 0, tolerance: 0.5 },
    ],
  };

  test("pass rates against the band a calibrated check stays in, and the p-value histogram counts every seed", async () => {
    const out = await sweep(small, 40);
    expect(isSeedsFolder(out)).toBe(true);
    const s = readSeedsFile(out);
    const plots = seedsPlots(s);
    expect(plots.map((p) => p.id)).toEqual(["pass-rates", "p-values-0"]);
    const bands = rowsOf(byId(plots, "pass-rates")).filter((r) => r.kind === "band");
    // 40 seeds at alpha 0.05: P(8 or more failures) < 0.001 <= P(7 or more), so a correct test keeps a pass rate of 33/40.
    expect(bands.map((r) => [r.label, r.low, r.nominal])).toEqual([
      ["distribution_test(x, ks)", 33 / 40, 0.95],
      ["mean_check(x)", 1, 1],
    ]);
    const hist = rowsOf(byId(plots, "p-values-0"));
    expect(hist).toHaveLength(20);
    expect(hist.reduce((a, r) => a + (r.count as number), 0)).toBe(40);
    const report = seedsReport(s);
    expect(report.status).toBe("PASSED");
    expect(report.checks.map((c) => [c.check, c.alpha])).toEqual([
      ["distribution_test(x, ks)", 0.001],
      ["mean_check(x)", undefined],
    ]);
  });

  test("a tolerance tighter than the noise fails on some seeds: the page is FAILED with the check at the top", async () => {
    const out = await sweep(
      { ...small, validation_requirements: [{ check: "mean_check", column: "x", expected_mean: 0, tolerance: 0.05 }] },
      30,
    );
    const written = await writeSeedsReport(out, { timings: { "30 seeds": 1.5 } });
    expect(written.status).toBe("FAILED");
    const html = fs.readFileSync(written.file, "utf8");
    expect(html).toMatch(/id="verdict">FAILED/);
    expect(html).toMatch(/class="failures"[\s\S]*mean_check\(x\)[\s\S]*a tolerance check failed on some seeds/);
    expect(html).toMatch(/<dt>timings<\/dt><dd>30 seeds 1\.50 s, report page \d+\.\d\d s/);
  });

  test("an older summary without p-values draws the pass rates only; a file that is no summary is refused", async () => {
    const out = await sweep(small, 5);
    const file = path.join(out, "seeds.json");
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const c of doc.checks) delete c.p_value_histogram;
    delete doc.contract_failures;
    fs.writeFileSync(file, JSON.stringify(doc));
    expect(seedsPlots(readSeedsFile(out)).map((p) => p.id)).toEqual(["pass-rates"]);
    fs.writeFileSync(file, JSON.stringify({ seeds: 5 }));
    expect(() => readSeedsFile(out)).toThrow(/is not a seeds summary/);
    const code = seedsReport({ ...readSeedsFileOr(doc), contract_failures: 2 });
    expect(code.checks[0]?.check).toBe("code_contract");
    expect(code.status).toBe("FAILED");
  });
});

/** The summary as read, from a document already parsed (for a contract failure count it never had). */
function readSeedsFileOr(doc: Record<string, unknown>) {
  const out = dir();
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "seeds.json"), JSON.stringify(doc));
  return readSeedsFile(out);
}

describe("specPlots on awkward columns", () => {
  test("non-finite values are left out, a constant column gets a range around it, a large column is sampled for its quantiles", async () => {
    const { out } = await runFolder({
      num_samples: 250_000,
      seed: 2,
      columns: {
        x: { distribution: "normal", params: { mean: 0, sd: 1 } },
        l: { expr: "log(x)", allow_non_finite: true },
        c: { expr: "0 * x + 3" },
        one: { distribution: "constant", params: { value: 2 } },
      },
      validation_requirements: [
        { check: "relationship_check", type: "linear_regression", dependent: "l", independent: "x", expected_slope: 0, tolerance: 10 },
      ],
    });
    const plots = await specPlots(out, context);
    const l = byId(plots, "column-l");
    // log of a negative is NaN: about half the rows are not drawn.
    const n = Number(/histogram of (\d+) values/.exec(l.title)?.[1]);
    expect(n).toBeGreaterThan(120_000);
    expect(n).toBeLessThan(130_000);
    const c = rowsOf(byId(plots, "column-c"));
    expect(c[0]?.start).toBe(2.5);
    expect(c.at(-1)?.end).toBe(3.5);
    expect(c.reduce((a, r) => a + (r.count as number), 0)).toBe(250_000);
    expect(rowsOf(byId(plots, "column-one")).map((r) => [r.value, r.count, r.expected])).toEqual([["2", 250_000, 250_000]]);
    const scatter = byId(plots, "relationship-0");
    expect(scatter.description).toMatch(/of 12\d{4} rows with both values finite/);
  });
});

describe("seeds pages of hand-made summaries", () => {
  const base = {
    status: "FAILED" as const,
    first_seed: 1,
    seeds: 100,
    num_samples: 10,
    runs: [],
    contract_failures: 0,
  };
  test("a statistical test failing too often is FAILED with its p-value; a summary without its spec shows its hash", async () => {
    const s = {
      ...base,
      spec_hash: "abc123",
      checks: [
        {
          index: 0,
          check: "distribution_test",
          label: "distribution_test(x, ks)",
          runs: 100,
          passes: 80,
          pass_rate: 0.8,
          alpha: 0.05,
          p_value: 1e-6,
          consistent: false,
          metrics: {},
          p_value_histogram: new Array(20).fill(5),
        },
      ],
    };
    const r = seedsReport(s);
    expect(r.status).toBe("FAILED");
    expect(r.checks[0]?.violations.first[0]).toMatchObject({ problem: "fails more often than its alpha allows", p_value: 1e-6 });
    const out = dir();
    fs.mkdirSync(out, { recursive: true });
    const { index: _drop, metrics: _m, ...bare } = s.checks[0] as (typeof s.checks)[number];
    fs.writeFileSync(path.join(out, "seeds.json"), JSON.stringify({ ...s, checks: [bare] }));
    const read = readSeedsFile(out);
    expect(read.checks[0]).toMatchObject({ index: 0, metrics: {} });
    const page = await writeSeedsReport(out);
    const html = fs.readFileSync(page.file, "utf8");
    expect(html).toContain("abc123");
    expect(html).toMatch(/id="verdict">FAILED/);
  });
});
