/**
 * The spec scenario end to end: generate into an OutputSet, verify the folder from disk (CSV and
 * Parquet), tampered and failed folders, and validate on files synthproof did not write.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, describe, expect, test } from "vitest";
import { verify } from "../../api.js";
import type { Report } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { OutputSet, writeOutputs } from "../../io/atomic.js";
import { quoteCsv } from "../../io/csv.js";
import { type ContractInput, contractSchema } from "./contract-schema.js";
import contractScenario, {
  CONTRACT_GENERATOR_VERSION,
  declaredColumns,
  publicReport,
  runContract,
  validateDataFile,
  verifyContract,
} from "./index.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-verify-spec-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = (name: string) => path.join(root, `${n++}`, name);
const parse = (input: ContractInput) => checkConfig(contractSchema, input, undefined, "spec");

/** x uniform, hidden noise, y = 2x + noise, a categorical and a count; every kind of check that reads them. */
const linear: ContractInput = {
  num_samples: 4000,
  seed: 5,
  columns: {
    x: { distribution: "uniform", params: { min: 0, max: 1 } },
    noise: { distribution: "normal", params: { mean: 0, sd: 1 }, hidden: true },
    y: { expr: "2 * x + noise" },
    c: { distribution: "categorical", params: { categories: ["red", "green, dark", 'say "hi"'], weights: [1, 2, 3] } },
    k: { distribution: "poisson", params: { lambda: 3 } },
  },
  validation_requirements: [
    { check: "schema_check", columns: ["x", "y", "c", "k"], types: { x: "float", c: "string", k: "int" } },
    { check: "distribution_test", column: "x", distribution: "uniform", params: { min: 0, max: 1 }, test: "ks", alpha: 0.001 },
    { check: "relationship_check", type: "linear_regression", dependent: "y", independent: "x", expected_slope: 2, tolerance: 0.3 },
    { check: "std_check", column: "noise", expected_std: 1, tolerance: 0.1 },
    { check: "distribution_test", column: "k", distribution: "poisson", params: { lambda: 3 }, test: "chi2", alpha: 0.001 },
    {
      check: "distribution_test",
      column: "c",
      distribution: "categorical",
      params: { categories: ["red", "green, dark", 'say "hi"'], weights: [1, 2, 3] },
      test: "chi2",
      alpha: 0.001,
    },
    { check: "null_check", columns: ["x", "c"] },
  ],
};

/** The requirement checks of the scenario's verify report (after data_file and cells). */
const requirementChecks = (r: Report) => r.checks.slice(2);
const strip = (r: Report) => r.checks.map(({ description: _d, ...c }) => c);

describe("contractScenario", () => {
  test("is the spec scenario: the contract schema, its scalar keys as flags", () => {
    expect(contractScenario).toMatchObject({ name: "spec", configSchema: contractSchema });
    expect(contractScenario.flags.map((f) => f.flag)).toEqual(expect.arrayContaining(["num-samples", "seed", "code"]));
    expect(contractScenario.flags.map((f) => f.flag)).not.toContain("columns");
  });

  test.each(["csv", "parquet"] as const)("a %s run verifies PASSED, its requirement checks exactly as generated", async (format) => {
    const spec = parse(linear);
    const out = dir(format);
    // Fixed seed: deterministic. Each statistical test is at alpha 0.001 and passes by a margin here.
    const run = await runContract(spec, out, () => 0, { format });
    expect(run.report.status).toBe("PASSED");
    const progress: [number, number][] = [];
    const v = await contractScenario.verify(out, { onProgress: (done, total) => progress.push([done, total]) });
    expect(v.status).toBe("PASSED");
    expect(v.parts.map((p) => p.name)).toEqual([`data.${format}`]);
    const got = v.parts[0]?.report as Report;
    expect(got.checks.slice(0, 2).map((c) => [c.check, c.status])).toEqual([
      ["data_file", "PASSED"],
      ["cells", "PASSED"],
    ]);
    expect(strip({ ...got, checks: requirementChecks(got) })).toEqual(strip(run.report));
    // The check on the hidden column says it ran on regenerated values.
    expect(requirementChecks(got)[3]?.description).toMatch(/hidden noise regenerated from the spec's seed/);
    expect(run.report.checks[3]?.description).not.toMatch(/regenerated/);
    expect(progress.at(-1)).toEqual([4000, 4000]);
  });

  test("generate writes into an uncommitted OutputSet; the manifest names the generator and its version", async () => {
    const out = dir("scenario");
    const progress: number[] = [];
    const set = new OutputSet(out);
    const result = await contractScenario.generate(parse(linear), set, { onProgress: (done, total) => progress.push(done / total) });
    expect(fs.readdirSync(out).filter((f) => !f.startsWith("."))).toEqual([]);
    set.commit();
    expect(result.files).toEqual(["data.csv", "report.json", "experiment.json", "manifest.json"]);
    expect(fs.readdirSync(out).sort()).toEqual(["data.csv", "experiment.json", "manifest.json", "report.json"]);
    const experiment = JSON.parse(fs.readFileSync(path.join(out, "experiment.json"), "utf8"));
    expect(experiment).toMatchObject({ generator: "synthproof/spec", generator_version: CONTRACT_GENERATOR_VERSION, timing_seconds: null });
    expect(result.manifest).toMatchObject({ generator: "synthproof/spec", generator_version: CONTRACT_GENERATOR_VERSION });
    expect(Object.keys(result.manifest.files as object)).toEqual(["data.csv", "report.json", "experiment.json"]);
    expect(CONTRACT_GENERATOR_VERSION).toBe("1.0.0");
    expect(experiment.report.checks[1]).toMatchObject({ check: "distribution_test(x, ks)", alpha: 0.001 });
    expect(experiment.report.checks[2].alpha).toBeUndefined();
    expect(fs.readFileSync(path.join(out, "report.json"), "utf8")).toBe(`${JSON.stringify(publicReport(result.report), null, 2)}\n`);
    // Progress rises from generating through checking to writing, and ends full.
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.some((p) => p > 0 && p < 1 / 3)).toBe(true);
    expect(progress.some((p) => p > 1 / 3 && p < 2 / 3)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect((await verifyContract(out)).status).toBe("PASSED");
  });
});

describe("verify of a folder that is not as written", () => {
  test("an edited data file fails file_integrity, and the checks run on what it now holds", async () => {
    const out = dir("edited");
    await runContract(parse(linear), out, () => 0);
    const file = path.join(out, "data.csv");
    const [head, ...rows] = parseCsv(fs.readFileSync(file)) as string[][];
    // y := x, so the slope is 1; a row of k is made 2.5 (not a whole number) and one label unknown.
    const edited = rows.map(([x, , c, k], i) => [x, x, i === 0 ? "blue" : c, i === 1 ? "2.5" : k]);
    fs.writeFileSync(file, [head, ...edited].map((r) => `${(r as string[]).map((cell) => quoteCsv(cell as string)).join(",")}\n`).join(""));
    const r = (await verify("spec", out)).parts[0]?.report as Report;
    const view = publicReport(r);
    expect(r.status).toBe("FAILED");
    expect(view.violations).toContainEqual(expect.objectContaining({ check: "file_integrity", file: "data.csv" }));
    expect(view.violations).toContainEqual(expect.objectContaining({ check: "relationship_check", expected_slope: 2, observed_slope: 1 }));
    expect(view.violations).toContainEqual({
      check: "cells",
      column: "c",
      problem: "not one of the column's categories",
      cells: 1,
      first_rows: [{ row: 0, value: "blue" }],
    });
    expect(view.violations).toContainEqual(
      expect.objectContaining({ check: "cells", column: "k", problem: "not a whole number in an int column" }),
    );
    // An unreadable cell is read as a null: null_check sees it.
    expect(view.metrics.null_fraction_c).toBe(1 / 4000);
  });

  test("a truncated data file: the wrong number of rows", async () => {
    const out = dir("short");
    await runContract(parse(linear), out, () => 0);
    const file = path.join(out, "data.csv");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").split("\n").slice(0, 101).join("\n"));
    const view = publicReport((await verifyContract(out)).parts[0]?.report as Report);
    expect(view.violations).toContainEqual({
      check: "data_file",
      problem: "wrong number of rows",
      expected_rows: 4000,
      observed_rows: 100,
    });
  });

  test("a missing data file, or a missing column (hidden columns then cannot be regenerated)", async () => {
    const out = dir("missing");
    await runContract(parse(linear), out, () => 0);
    const file = path.join(out, "data.csv");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.replace(/^x,y,/, "x,why,"));
    const view = publicReport((await verifyContract(out)).parts[0]?.report as Report);
    expect(view.violations).toContainEqual(expect.objectContaining({ check: "data_file", column: "y", problem: "missing column" }));
    expect(view.violations).toContainEqual({ check: "std_check", column: "noise", problem: "no such column in the data" });
    fs.rmSync(file);
    const gone = await verify("spec", out);
    expect(gone.status).toBe("FAILED");
    expect(publicReport(gone.parts[0]?.report as Report).violations).toEqual([
      { check: "file_integrity", file: "data.csv", problem: "missing" },
      { check: "data_file", file: "data.csv", problem: "the data file is missing" },
    ]);
  });

  test("a run whose code generator broke its contract verifies FAILED with the reasons it recorded", async () => {
    const folder = dir("code");
    fs.mkdirSync(folder, { recursive: true });
    const gen = path.join(folder, "gen.js");
    fs.writeFileSync(gen, "function generate(n, seed, rng) { return { x: [1, 2] }; }\n");
    const spec = parse({
      num_samples: 10,
      code: gen,
      code_contract: { outputs: { x: { type: "float" } } },
      validation_requirements: [{ check: "mean_check", column: "x", expected_mean: 0, tolerance: 1 }],
    });
    const out = path.join(folder, "run");
    const run = await runContract(spec, out, () => 0);
    expect(run.files).toEqual(["report.json", "experiment.json", "manifest.json"]);
    const v = await verifyContract(out);
    expect(v.status).toBe("FAILED");
    expect(v.parts[0]?.name).toBe("run");
    const view = publicReport(v.parts[0]?.report as Report);
    expect(view.violations).toEqual([
      {
        check: "data_file",
        problem: "the run wrote no data: it FAILED",
        reasons: publicReport(run.report).violations,
      },
    ]);
    expect(publicReport(run.report).violations[0]).toMatchObject({ check: "code_contract" });
    // An edited record: reasons are read defensively.
    const file = path.join(out, "experiment.json");
    const record = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const report of [undefined, { checks: [{}] }]) {
      fs.writeFileSync(file, JSON.stringify({ ...record, report }));
      expect(publicReport((await verifyContract(out)).parts[0]?.report as Report).violations).toContainEqual(
        expect.objectContaining({ check: "data_file", reasons: [] }),
      );
    }
  });

  test("a code generator's run verifies from its file; bool outputs read back from 1/0", async () => {
    const folder = dir("code-ok");
    fs.mkdirSync(folder, { recursive: true });
    const gen = path.join(folder, "gen.js");
    fs.writeFileSync(
      gen,
      "function generate(n, seed, rng) { const x = []; const b = []; for (let i = 0; i < n; i++) { x.push(rng.uniform(0, 1)); b.push(i % 2 === 0); } return { x, b }; }\n",
    );
    const spec = parse({
      num_samples: 200,
      code: gen,
      code_contract: { outputs: { x: { type: "float" }, b: { type: "bool" } } },
      validation_requirements: [{ check: "mean_check", column: "b", expected_mean: 0.5, tolerance: 0 }],
    });
    const out = path.join(folder, "run");
    expect((await runContract(spec, out, () => 0)).report.status).toBe("PASSED");
    expect((await verifyContract(out)).status).toBe("PASSED");
    // Another file: bools as true/false (any case) too; anything else is not a bool.
    const other = path.join(folder, "bools.csv");
    fs.writeFileSync(other, `x,b\n0.5,TRUE\n0.5,false\n${"0.5,maybe\n".repeat(6)}0.5,1\n`);
    const view = publicReport(await validateDataFile(other, spec));
    expect(view.violations).toEqual([
      {
        check: "cells",
        column: "b",
        problem: "not a bool (true, false, 1 or 0)",
        cells: 6,
        first_rows: [2, 3, 4, 5, 6].map((row) => ({ row, value: "maybe" })),
      },
      { check: "mean_check", column: "b", expected_mean: 0.5, observed_mean: 2 / 3, tolerance: 0 },
    ]);
  });

  test("a folder that is not a spec run: InputError not_a_run", async () => {
    const empty = dir("empty");
    fs.mkdirSync(empty, { recursive: true });
    await expect(verifyContract(empty)).rejects.toMatchObject({ code: "not_a_run", message: expect.stringMatching(/experiment\.json/) });
    fs.writeFileSync(path.join(empty, "experiment.json"), JSON.stringify({ generator: "synthproof/naics" }));
    await expect(verifyContract(empty)).rejects.toMatchObject({ code: "not_a_run", message: expect.stringMatching(/"synthproof\/naics"/) });
    fs.writeFileSync(path.join(empty, "experiment.json"), JSON.stringify({ generator: "synthproof/spec", contract: { num_samples: -1 } }));
    await expect(verifyContract(empty)).rejects.toThrow(/experiment\.json/);
  });

  test("a manifest without files fails file_integrity", async () => {
    const out = dir("nofiles");
    await runContract(parse(linear), out, () => 0);
    const file = path.join(out, "manifest.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), files: null }));
    const view = publicReport((await verify("spec", out)).parts[0]?.report as Report);
    expect(view.violations).toEqual([{ check: "file_integrity", manifest: "manifest.json", problem: "the manifest lists no files" }]);
  });
});

describe("validateDataFile: a spec's checks on any file", () => {
  const spec = parse({
    num_samples: 10,
    columns: {
      x: { distribution: "normal", params: { mean: 0, sd: 1 } },
      k: { distribution: "integer", params: { min: 0, max: 9 } },
      c: { distribution: "categorical", params: { categories: ["a", "b"], weights: [1, 1] } },
      h: { distribution: "normal", params: { mean: 0, sd: 1 }, hidden: true },
    },
    validation_requirements: [
      { check: "null_check", columns: ["x"], max_fraction: 0.5 },
      { check: "mean_check", column: "k", expected_mean: 2, tolerance: 0.01 },
      { check: "range_check", column: "x", min: -10, max: 10 },
      { check: "unique_check", column: "c" },
    ],
  });
  const write = (name: string, text: string) => {
    const file = path.join(root, `${n++}-${name}`);
    fs.writeFileSync(file, text);
    return file;
  };

  test("a hand-written CSV: columns by name in any order, extra columns ignored, labels mapped, blanks are nulls", async () => {
    const file = write("hand.csv", "\ufeffc,extra,k,x\na,zz,1,0.5\nb,zz,3,\n");
    const r = await validateDataFile(file, spec);
    const view = publicReport(r);
    expect(r.status).toBe("PASSED");
    expect(view.metrics).toMatchObject({ rows: 2, null_fraction_x: 0.5, mean_k: 2, min_x: 0.5, max_x: 0.5, unique_fraction_c: 1 });
  });

  test("a file with a wrong column: a violation naming the missing one, and the checks on it say so", async () => {
    const file = write("wrong.csv", "x,kk,c\n1,2,a\n");
    const view = publicReport(await validateDataFile(file, spec));
    expect(view.violations).toEqual([
      { check: "data_file", column: "k", problem: "missing column", columns_in_file: ["x", "kk", "c"] },
      { check: "mean_check", column: "k", problem: "no such column in the data" },
    ]);
  });

  test("cells that are not their column's type, non-finite tokens, duplicate labels", async () => {
    const file = write("cells.csv", "x,k,c\nabc,1,a\nNaN,1.5,a\n-inf,2,q\n1e3,x,\n");
    const view = publicReport(await validateDataFile(file, spec));
    expect(view.violations).toEqual([
      { check: "cells", column: "x", problem: "not a number", cells: 1, first_rows: [{ row: 0, value: "abc" }] },
      {
        check: "cells",
        column: "k",
        problem: "not a whole number in an int column",
        cells: 1,
        first_rows: [{ row: 1, value: "1.5" }],
      },
      { check: "cells", column: "k", problem: "not a number", cells: 1, first_rows: [{ row: 3, value: "x" }] },
      { check: "cells", column: "c", problem: "not one of the column's categories", cells: 1, first_rows: [{ row: 2, value: "q" }] },
      // x: an unreadable cell is a null (1 of 4, allowed), NaN and -inf are non-finite values.
      expect.objectContaining({ check: "null_check", column: "x", problem: "non-finite values (NaN or infinity)", non_finite: 2 }),
      { check: "mean_check", column: "k", expected_mean: 2, observed_mean: 1.5, tolerance: 0.01 },
      {
        check: "range_check",
        column: "x",
        problem: "non-finite values (NaN or infinity)",
        non_finite: 2,
        first_rows: [
          { row: 1, value: "NaN" },
          { row: 2, value: "-Infinity" },
        ],
        hint: expect.stringMatching(/allow_non_finite/),
      },
      // Statistics over finite values only: 1e3 is the one.
      { check: "range_check", column: "x", min: -10, max: 10, observed_min: 1000, observed_max: 1000, rows_outside: 1 },
      // Nulls (an unknown label, an empty cell) are not values: two a's remain.
      { check: "unique_check", column: "c", rows: 2, distinct: 1, duplicates: 1 },
    ]);
  });

  test("a Parquet file written by the engine validates as its CSV does", async () => {
    const out = dir("pq");
    await runContract(parse(linear), out, () => 0, { format: "parquet" });
    await runContract(parse(linear), `${out}-csv`, () => 0);
    const pq = publicReport(await validateDataFile(path.join(out, "data.parquet"), parse(linear)));
    const csv = publicReport(await validateDataFile(path.join(`${out}-csv`, "data.csv"), parse(linear)));
    expect(pq).toEqual(csv);
    // The hidden column is not in the file and validate does not regenerate it.
    expect(pq.violations).toEqual([{ check: "std_check", column: "noise", problem: "no such column in the data" }]);
    // Detected by its magic bytes too, whatever its name.
    const renamed = path.join(out, "data.bin");
    fs.copyFileSync(path.join(out, "data.parquet"), renamed);
    expect(publicReport(await validateDataFile(renamed, parse(linear)))).toEqual(pq);
  });

  test("a missing file, a folder, a broken CSV: InputError", async () => {
    await expect(validateDataFile(path.join(root, "nope.csv"), spec)).rejects.toMatchObject({ code: "cannot_read" });
    await expect(validateDataFile(root, spec)).rejects.toMatchObject({ code: "not_a_file" });
    await expect(validateDataFile(write("bad.csv", 'x,k\n"1,2\n'), spec)).rejects.toMatchObject({ code: "bad_csv" });
    const empty = publicReport(await validateDataFile(write("empty.csv", ""), spec));
    expect(empty.violations.filter((v) => v.check === "data_file").map((v) => v.column)).toEqual(["x", "k", "c"]);
  });

  test("progress counts rows read", async () => {
    // A null in the first row: its mask grows with the values.
    const file = write("rows.csv", `x,k,c\n,2,a\n${"1,2,a\n".repeat(69_999)}`);
    const seen: [number, number][] = [];
    await validateDataFile(file, spec, { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([
      [65_536, 65_536],
      [70_000, 70_000],
    ]);
  });
});

describe("NaN on disk", () => {
  // log of a normal draw: NaN for about half the rows; allowed, so the checks pass on the rest.
  const spec = parse({
    num_samples: 70_000,
    seed: 3,
    columns: { x: { distribution: "normal", params: { mean: 0, sd: 1 } }, l: { expr: "log(x)", allow_non_finite: true } },
    validation_requirements: [{ check: "null_check", columns: ["l"] }],
  });
  test.each(["csv", "parquet"] as const)(
    "%s: verify reads NaN back (an empty cell, a Parquet null); validate sees nulls",
    async (format) => {
      const out = dir(`nan-${format}`);
      expect((await runContract(spec, out, () => 0, { format })).report.status).toBe("PASSED");
      expect((await verifyContract(out)).status).toBe("PASSED");
      const view = publicReport(await validateDataFile(path.join(out, `data.${format}`), spec));
      expect(view.status).toBe("FAILED");
      const fraction = view.metrics.null_fraction_l as number;
      // ~Binomial(70000, 1/2) / 70000: 0.45..0.55 is 26 standard deviations wide.
      expect(fraction).toBeGreaterThan(0.45);
      expect(fraction).toBeLessThan(0.55);
    },
  );
  test("a ragged CSV row's missing cells are nulls", async () => {
    const file = path.join(dir("ragged"), "r.csv");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "x,l\n1,0\n2\n");
    expect(publicReport(await validateDataFile(file, spec)).metrics.null_fraction_l).toBe(0.5);
  });
});

describe("declaredColumns: a column's type from the spec alone", () => {
  test("every kind of column, and a code generator's outputs", () => {
    const cols = declaredColumns(
      parse({
        num_samples: 1,
        columns: {
          f: { distribution: "normal", params: { mean: 0, sd: 1 } },
          i: { distribution: "binomial", params: { n: 3, p: 0.5 } },
          s: { distribution: "categorical", params: { categories: ["a", "b"], weights: [1, 1] } },
          n: { distribution: "categorical", params: { categories: [1, 2], weights: [1, 1] }, hidden: true },
          h: { distribution: "categorical", params: { categories: [0.5, 2], weights: [1, 1] } },
          e: { expr: "f + i", allow_non_finite: true },
        },
      }),
    );
    expect(cols.map((c) => [c.name, c.type, c.hidden, c.allowNonFinite, c.labels ?? null])).toEqual([
      ["f", "float", false, false, null],
      ["i", "int", false, false, null],
      ["s", "string", false, false, ["a", "b"]],
      ["n", "int", true, false, null],
      ["h", "float", false, false, null],
      ["e", "float", false, true, null],
    ]);
    const code = declaredColumns(
      parse({
        num_samples: 1,
        code: "g.js",
        code_contract: { outputs: { a: { type: "float" }, b: { type: "int" }, c: { type: "bool" } } },
      }),
    );
    expect(code.map((c) => [c.name, c.type, c.bool ?? false])).toEqual([
      ["a", "float", false],
      ["b", "int", false],
      ["c", "int", true],
    ]);
  });
});

describe("writeOutputs and the scenario", () => {
  test("an aborted generate leaves nothing behind", async () => {
    const out = dir("abort");
    await expect(
      writeOutputs(out, async (set) => {
        await contractScenario.generate(parse(linear), set, {});
        throw new Error("stop");
      }),
    ).rejects.toThrow("stop");
    expect(fs.existsSync(out)).toBe(false);
  });
});
