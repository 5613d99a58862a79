/**
 * `output.format: parquet` (`--format parquet`): the same rows as the CSV, cell for cell; DuckDB
 * reads the file with typed columns; verify and the plots read it back; shards concatenate to the
 * whole; a broken Parquet row file fails its check; a format that contradicts the path is refused.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate, verify } from "../../api.js";
import type { Report } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import type { Column } from "../../core/table.js";
import { writeParquet } from "../../io/parquet.js";
import { cli } from "../../testing/cli.js";
import { usageConfigSchema } from "./config.js";
import { rowFileName, usageFileNames } from "./generate.js";
import { buildModel } from "./model.js";
import { summariseRows } from "./plots.js";
import { forEachRowCells } from "./row-file.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-parquet-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const SAMPLE = { accounts: { n_accounts: 120 }, dataset: { start_date: "2025-01-01", end_date: "2025-03-31" } };
const PARQUET = { ...SAMPLE, output: { format: "parquet" } };

async function cells(file: string, header: boolean): Promise<{ names: string[]; rows: string[][] }> {
  const out = { names: [] as string[], rows: [] as string[][] };
  await forEachRowCells(
    file,
    header,
    (names) => {
      out.names = [...names];
    },
    (row) => {
      out.rows.push(row);
    },
  );
  return out;
}

const failedChecks = (report: Report) => report.checks.filter((c) => c.status !== "PASSED").map((c) => c.check);

let csvDir = "";
let parquetDir = "";
beforeAll(async () => {
  csvDir = path.join(root, "csv");
  parquetDir = path.join(root, "parquet");
  await generate("usage", SAMPLE, { out: csvDir });
  await generate("usage", PARQUET, { out: parquetDir });
});

describe("usage as Parquet", () => {
  test("the row file holds the CSV's rows, cell for cell, under the same column names", async () => {
    expect(fs.existsSync(path.join(parquetDir, "usage.parquet"))).toBe(true);
    expect(fs.existsSync(path.join(parquetDir, "usage.csv"))).toBe(false);
    const csv = await cells(path.join(csvDir, "usage.csv"), true);
    const pq = await cells(path.join(parquetDir, "usage.parquet"), true);
    expect(pq.names).toEqual(csv.names);
    expect(pq.rows.length).toBeGreaterThan(1000);
    expect(pq.rows).toEqual(csv.rows);
    // The truth files are the same bytes whatever the row format.
    for (const f of ["truth/accounts.csv", "truth/adoptions.csv", "truth/anomalies.csv", "truth/expected.json"])
      expect(fs.readFileSync(path.join(parquetDir, f))).toEqual(fs.readFileSync(path.join(csvDir, f)));
  });

  test("DuckDB reads it with typed columns", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const file = path.join(parquetDir, "usage.parquet").replaceAll("'", "''");
    const types = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjects();
    const typeOf = Object.fromEntries(types.map((t) => [t.column_name, t.column_type]));
    expect(typeOf).toMatchObject({
      account_id: "VARCHAR",
      date: "VARCHAR",
      has_tasks: "UTINYINT",
      num_services: "UTINYINT",
      cost_dialog: "DOUBLE",
      total_cost: "DOUBLE",
      n_tasks: "INTEGER",
    });
    const [sums] = (
      await c.runAndReadAll(
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE abs(total_cost - cost_dialog - total_cost_tasks - total_cost_classifications - cost_amocrm_call) > 1e-5)::INTEGER AS off FROM read_parquet('${file}')`,
      )
    ).getRowObjects();
    const csvRows = fs.readFileSync(path.join(csvDir, "usage.csv"), "utf8").trimEnd().split("\n").length - 1;
    expect(sums).toEqual({ n: csvRows, off: 0 });
    c.closeSync();
  });

  test("verify passes it, and the plots read it as they read the CSV", async () => {
    const result = await verify("usage", parquetDir);
    expect(result.status).toBe("PASSED");
    expect(result.parts[0]?.read).toContain("usage.parquet");
    const model = buildModel(checkConfig(usageConfigSchema, PARQUET, undefined, "usage"));
    const fromParquet = await summariseRows([path.join(parquetDir, "usage.parquet")], model, new Set());
    const fromCsv = await summariseRows([path.join(csvDir, "usage.csv")], model, new Set());
    expect(fromParquet).toEqual(fromCsv);
  });

  test("shards' Parquet files concatenate to the whole file's rows; a shard with no accounts writes a file of no rows", async () => {
    const dir = path.join(root, "shards");
    for (let index = 0; index < 3; index++) await generate("usage", PARQUET, { out: dir, shard: { index, count: 3 } });
    expect((await verify("usage", dir)).status).toBe("PASSED");
    const whole = await cells(path.join(parquetDir, "usage.parquet"), true);
    const parts: string[][] = [];
    for (let index = 0; index < 3; index++) parts.push(...(await cells(path.join(dir, `usage-${index}-of-3.parquet`), true)).rows);
    expect(parts).toEqual(whole.rows);

    const tiny = path.join(root, "tiny");
    const config = {
      ...PARQUET,
      accounts: { n_accounts: 2 },
      services_model: { new_adopters_per_month: { tasks: 0, classifications: 0, amocrm_call: 0 } },
    };
    const result = await generate("usage", config, { out: tiny, shard: { index: 0, count: 3 } });
    expect(result.report.status).toBe("PASSED");
    expect((await cells(path.join(tiny, "usage-0-of-3.parquet"), true)).rows).toEqual([]);
  });

  test("a changed cell in the Parquet row file fails its check, named by row and column", async () => {
    const dir = path.join(root, "broken");
    await generate("usage", PARQUET, { out: dir });
    const file = path.join(dir, "usage.parquet");
    const { names, rows } = await cells(file, true);
    const flag = names.indexOf("has_tasks");
    const at = rows.findIndex((r) => r[flag] === "1");
    (rows[at] as string[])[flag] = "2";
    const columns: Column[] = names.map((name, j) => ({ kind: "string", name, values: rows.map((r) => r[j] ?? null) }));
    const chunks: Uint8Array[] = [];
    await writeParquet([{ length: rows.length, columns }], { write: (c) => chunks.push(c.slice()) });
    fs.writeFileSync(file, Buffer.concat(chunks));
    const report = (await verify("usage", dir)).parts[0]?.report as Report;
    expect(failedChecks(report)).toEqual(expect.arrayContaining(["file_integrity", "row_schema"]));
    const schema = report.checks.find((c) => c.check === "row_schema");
    expect(JSON.stringify(schema?.violations)).toContain(`"row":${at + 1}`);
    expect(JSON.stringify(schema?.violations)).toContain('"column":"has_tasks"');
  });

  test("a file of many record batches is read whole; a null cell reads as an empty one", async () => {
    const file = path.join(root, "batches.parquet");
    const n = 70_000; // more than one record batch of the reader (65,536 rows)
    const values = Array.from({ length: n }, (_, i) => (i === n - 1 ? null : String(i)));
    const chunks: Uint8Array[] = [];
    await writeParquet([{ length: n, columns: [{ kind: "string", name: "x", values }] }], { write: (c) => chunks.push(c.slice()) });
    fs.writeFileSync(file, Buffer.concat(chunks));
    const read = await cells(file, true);
    expect(read.names).toEqual(["x"]);
    expect(read.rows).toHaveLength(n);
    expect(read.rows[n - 2]).toEqual([String(n - 2)]);
    expect(read.rows[n - 1]).toEqual([""]);
  });

  test("services of one's own (no has_both column) write and verify as Parquet", async () => {
    const dir = path.join(root, "own-services");
    const config = {
      ...PARQUET,
      accounts: { n_accounts: 60 },
      services: { names: ["chat_ai"], cost_when_used: { chat_ai: { median: 0.1, sigma: 0.3, max: 1 } } },
      services_model: {
        new_adopters_per_month: { chat_ai: 5 },
        p_convert_after_trial: { chat_ai: 0.9 },
        retention_targets: { chat_ai: { 45: 0.5 } },
      },
      services_usage_days: { mean_active_days: { chat_ai: 20 } },
      services_event_volume: { mean_events_per_active_day: { chat_ai: 1.5 }, dispersion_k: { chat_ai: 1 } },
    };
    const result = await generate("usage", config, { out: dir });
    expect(result.report.status).toBe("PASSED");
    const { names } = await cells(path.join(dir, "usage.parquet"), true);
    expect(names).not.toContain("has_both");
    expect(names).toContain("total_cost_chat_ai");
    expect((await verify("usage", dir)).status).toBe("PASSED");
  });

  test("a file that is not Parquet is an error naming it", async () => {
    const dir = path.join(root, "not-parquet");
    await generate("usage", PARQUET, { out: dir });
    fs.writeFileSync(path.join(dir, "usage.parquet"), "account_id\n");
    await expect(verify("usage", dir)).rejects.toThrow(/cannot read .*usage\.parquet as Parquet/);
  });
});

describe("output.format and output.path", () => {
  const resolve = (output: Record<string, unknown>) => checkConfig(usageConfigSchema, { output }, undefined, "usage");

  test("the row file is named by the format unless output.path names it", () => {
    expect(rowFileName(resolve({}))).toBe("usage.csv");
    expect(rowFileName(resolve({ format: "parquet" }))).toBe("usage.parquet");
    expect(rowFileName(resolve({ format: "parquet", path: "joint_info_2025.parquet" }))).toBe("joint_info_2025.parquet");
    expect(usageFileNames(resolve({ format: "parquet" }), { index: 2, count: 4 }).rows).toBe("usage-2-of-4.parquet");
  });

  test("a path whose extension contradicts the format is refused with the fix", () => {
    expect(() => resolve({ path: "usage.parquet" })).toThrow(
      /output\.path usage\.parquet does not end in \.csv.*name the file usage\.csv, or set output\.format to parquet/,
    );
    expect(() => resolve({ format: "parquet", path: "x.csv" })).toThrow(/name the file x\.parquet, or set output\.format to csv/);
    expect(() => resolve({ format: "json" })).toThrow(/output\.format/);
  });

  test("--format parquet on the command line writes Parquet; a contradicting path exits 2 and writes nothing", async () => {
    const out = path.join(root, "cli");
    const ok = await cli("generate", "usage", "--accounts", "40", "--format", "parquet", "--out", out, "-q", "--no-html");
    expect(ok.code).toBe(0);
    expect(fs.existsSync(path.join(out, "usage.parquet"))).toBe(true);
    const cfg = path.join(root, "bad.yaml");
    fs.writeFileSync(cfg, "output:\n  path: joint.parquet\n");
    const bad = path.join(root, "cli-bad");
    const refused = await cli("generate", "usage", "--config", cfg, "--out", bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/output\.path joint\.parquet/);
    expect(fs.existsSync(bad)).toBe(false);
  });
});
