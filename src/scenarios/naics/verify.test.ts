/**
 * verify naics on disk: progress while the row file is read, data files that are not regular
 * files, and folders another scenario wrote.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { ConfigError } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { PROGRESS_ROWS, verifyNaics } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-naics-verify-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(root, String(n++));

/** Every progress call of a verify. */
async function progressOf(dir: string): Promise<{ done: number; total: number }[]> {
  const calls: { done: number; total: number }[] = [];
  const result = await verifyNaics(dir, { onProgress: (done, total) => calls.push({ done, total }) });
  expect(result.status).toBe("PASSED");
  return calls;
}

function expectGrowingToTotal(calls: readonly { done: number; total: number }[], total: number): void {
  expect(calls.length).toBeGreaterThan(0);
  for (const c of calls) expect(c.total).toBe(total);
  for (let i = 1; i < calls.length; i++) expect(calls[i]?.done).toBeGreaterThanOrEqual(calls[i - 1]?.done as number);
  expect(calls.at(-1)?.done).toBe(total);
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("onProgress hears the rows read of the total", () => {
  // Small trees and alpha 1e-6 per statistical check: a false FAILED has probability below 1e-5.
  test("CSV: every PROGRESS_ROWS rows and at the end", async () => {
    const out = tmp();
    const rows = 2 * PROGRESS_ROWS + 1234;
    await generate("naics", { rows, branching: [4, 3], alpha: 1e-6 }, { out });
    const calls = await progressOf(out);
    expectGrowingToTotal(calls, rows);
    expect(calls.map((c) => c.done)).toEqual([PROGRESS_ROWS, 2 * PROGRESS_ROWS, rows]);
  });

  test("Parquet: after each batch and at the end", async () => {
    const out = tmp();
    const rows = PROGRESS_ROWS + 100;
    await generate("naics", { rows, branching: [4, 3], format: "parquet", alpha: 1e-6 }, { out });
    const calls = await progressOf(out);
    expectGrowingToTotal(calls, rows);
    expect(calls.map((c) => c.done)).toContain(PROGRESS_ROWS);
  });

  test("shards: one total over every manifest, counted across them", async () => {
    const out = tmp();
    for (let index = 0; index < 3; index++) {
      await generate("naics", { rows: 1000, branching: [4, 3], alpha: 1e-6 }, { out, shard: { index, count: 3 } });
    }
    const calls = await progressOf(out);
    expectGrowingToTotal(calls, 1000);
    expect(calls.map((c) => c.done)).toEqual([333, 666, 1000]);
  });

  test("no listener: verify runs the same", async () => {
    const out = tmp();
    await generate("naics", { rows: 10, branching: [2] }, { out });
    expect((await verifyNaics(out)).status).toBe("PASSED");
  });
});

describe("data files that are not regular files are clear input errors", () => {
  const folder = async () => {
    const out = tmp();
    await generate("naics", { rows: 10, branching: [2, 2] }, { out });
    return out;
  };

  test("naics.csv replaced by a folder: not_a_file naming it", async () => {
    const out = await folder();
    const rows = path.join(out, "naics.csv");
    fs.rmSync(rows);
    fs.mkdirSync(rows);
    const e = await refusal(verifyNaics(out));
    expect(e.code).toBe("not_a_file");
    expect(e.message).toBe(`cannot read row file ${rows}: it is a folder, not a regular file`);
    expect(e.hint).toMatch(/regenerate the folder/);
  });

  test("naics.csv replaced by a FIFO: refused before it is opened (which would block)", async () => {
    const out = await folder();
    const rows = path.join(out, "naics.csv");
    fs.rmSync(rows);
    execFileSync("mkfifo", [rows]);
    const e = await refusal(verifyNaics(out));
    expect(e.code).toBe("not_a_file");
    expect(e.message).toBe(`cannot read row file ${rows}: it is a FIFO (named pipe), not a regular file`);
  });

  test("truth.csv replaced by a folder: not_a_file naming it", async () => {
    const out = await folder();
    const truth = path.join(out, "truth.csv");
    fs.rmSync(truth);
    fs.mkdirSync(truth);
    const e = await refusal(verifyNaics(out));
    expect(e.code).toBe("not_a_file");
    expect(e.message).toBe(`cannot read truth file ${truth}: it is a folder, not a regular file`);
  });

  test("truth.csv missing: bad_truth naming it", async () => {
    const out = await folder();
    fs.rmSync(path.join(out, "truth.csv"));
    const e = await refusal(verifyNaics(out));
    expect(e.code).toBe("bad_truth");
    expect(e.message).toContain(`cannot read truth file ${path.join(out, "truth.csv")}: it does not exist`);
    expect(e.hint).toBe("truth.csv is written by `synthproof generate`; regenerate it");
  });

  test("manifest.json that is a folder, or not JSON", async () => {
    const out = await folder();
    const manifest = path.join(out, "manifest.json");
    fs.rmSync(manifest);
    fs.mkdirSync(manifest);
    expect((await refusal(verifyNaics(out))).code).toBe("not_a_file");
    fs.rmdirSync(manifest);
    fs.writeFileSync(manifest, "{ not json");
    const e = await refusal(verifyNaics(out));
    expect(e.code).toBe("bad_json");
    expect(e.message).toContain(manifest);
    expect(e.hint).toBe("regenerate the folder with `synthproof generate naics`");
  });

  test("a manifest whose config is not a valid naics config: bad_config at the manifest's config key", async () => {
    const out = await folder();
    const manifest = path.join(out, "manifest.json");
    const m = JSON.parse(fs.readFileSync(manifest, "utf8"));
    m.config.rows = -4;
    fs.writeFileSync(manifest, JSON.stringify(m));
    const e = await refusal(verifyNaics(out));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe(`${manifest}: rows cannot be negative, got -4`);
    expect((e as ConfigError).problems.map((p) => p.location)).toEqual([{ file: manifest, path: ["config", "rows"] }]);
    expect(e.hint).toContain("`synthproof schema naics`");
  });
});

describe("a folder another scenario wrote", () => {
  test("an entities folder: wrong_scenario, naming the command to run", async () => {
    const out = tmp();
    await generate("entities", { n_leads: 30, n_sales: 10, n_financial: 10, seed: 3 }, { out });
    const e = await refusal(verifyNaics(out));
    expect(e.code).toBe("wrong_scenario");
    expect(e.message).toContain(`this is an entities folder: run synthproof verify entities ${out}`);
  });
});

describe("broken rows: the CSV line kernel and the Parquet fast path find what the row-by-row reading finds", () => {
  /** Data rows as fields; row r (0-based) is file row r + 1. */
  const broken = (rows: string[][]) => {
    const out = rows.map((r) => [...r]);
    const at = (r: number) => out[r] as string[];
    at(4)[0] = at(4)[0] === "10" ? "11" : "10"; // another top-level code: not a chain of the tree
    at(8)[at(8).length - 1] = "2"; // a target out of 0/1
    at(10)[at(10).length - 2] = "999"; // an unknown leaf code
    // A comma inside a code, in the second Parquet batch (65,536 rows each), which therefore goes
    // row by row: one more field in CSV, the same joined codes in Parquet.
    at(66_000)[1] = "1,2";
    return out;
  };

  test("the same violations, rows and counts from both formats", async () => {
    const config = { rows: 70_000, seed: 1, branching: [3, 2] };
    const csvDir = tmp();
    const pqDir = tmp();
    await generate("naics", config, { out: csvDir });
    await generate("naics", { ...config, format: "parquet" }, { out: pqDir });
    const [head, ...lines] = fs.readFileSync(path.join(csvDir, "naics.csv"), "utf8").trimEnd().split("\n");
    const rows = broken(lines.map((l) => l.split(",")));
    fs.writeFileSync(path.join(csvDir, "naics.csv"), `${head}\n${rows.map((r) => r.join(",")).join("\n")}\n`);
    // The Parquet file: every code column dictionary-coded, as the generator writes them.
    const { writeParquet } = await import("../../io/parquet.js");
    const names = (head as string).split(",");
    const depth = names.length - 1;
    const columns = names.slice(0, depth).map((name, j) => {
      const lookup = [...new Set(rows.map((r) => r[j] as string))];
      const index = new Map(lookup.map((v, i) => [v, i]));
      return { kind: "keyed" as const, name, lookup, key: Int32Array.from(rows, (r) => index.get(r[j] as string) as number) };
    });
    const target = { kind: "int" as const, name: names[depth] as string, values: Int8Array.from(rows, (r) => Number(r[depth])) };
    const file = fs.openSync(path.join(pqDir, "naics.parquet"), "w");
    await writeParquet([{ length: rows.length, columns: [...columns, target] }], { write: (b) => fs.writeSync(file, b) });
    fs.closeSync(file);

    const checksOf = async (dir: string) => {
      const checks = (await verifyNaics(dir)).parts[0]?.report.checks ?? [];
      return Object.fromEntries(
        checks.filter((c) => ["row_count", "hierarchy", "target_values", "allocation"].includes(c.check)).map((c) => [c.check, c]),
      );
    };
    const csv = await checksOf(csvDir);
    const pq = await checksOf(pqDir);
    expect(pq).toEqual(csv);
    expect(csv.hierarchy?.violations.first.map((v) => v.row)).toEqual([5, 11, 66_001]);
    expect(csv.target_values?.violations.first).toEqual([{ row: 9, target: "2" }]);
    // The allocation statistics agree too, so every leaf's count does.
    expect(csv.allocation?.metrics).toMatchObject({ applicable: true });
    expect(csv.row_count?.metrics).toEqual({ expected: 70_000, actual: 70_000 });
  });
});
