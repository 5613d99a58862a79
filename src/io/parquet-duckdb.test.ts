/**
 * Interoperability: the Parquet files are read by an independent engine, DuckDB, with the
 * spec's types (codes as strings, target as an integer) and the rows the CSV holds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, expect, test } from "vitest";
import { generate } from "../api.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-duck-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test("DuckDB reads naics.parquet: VARCHAR codes, TINYINT target, the same rows as naics.csv", async () => {
  const config = { rows: 100_000, seed: 9, branching: [4, 3, 2] };
  await generate("naics", { ...config, format: "parquet" }, { out: path.join(root, "pq") });
  await generate("naics", config, { out: path.join(root, "csv") });
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  // One thread keeps row_number() OVER () in file order for the row-by-row comparison.
  await c.run("SET threads = 1");

  const pq = path.join(root, "pq", "naics.parquet");
  const csv = path.join(root, "csv", "naics.csv");
  const types = await c.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${pq}')`);
  expect(types.getRowObjects()).toEqual([
    { column_name: "naics_2_cd", column_type: "VARCHAR" },
    { column_name: "naics_3_cd", column_type: "VARCHAR" },
    { column_name: "naics_4_cd", column_type: "VARCHAR" },
    { column_name: "target", column_type: "TINYINT" },
  ]);
  // Row by row, in order: the Parquet rows are exactly the CSV rows.
  const diff = await c.runAndReadAll(
    `SELECT count(*) AS n FROM (SELECT row_number() OVER () AS i, * FROM '${pq}') p
     FULL JOIN (SELECT row_number() OVER () AS i, * FROM read_csv('${csv}', all_varchar = true)) c USING (i)
     WHERE p.naics_2_cd IS DISTINCT FROM c.naics_2_cd OR p.naics_3_cd IS DISTINCT FROM c.naics_3_cd
        OR p.naics_4_cd IS DISTINCT FROM c.naics_4_cd OR CAST(p.target AS VARCHAR) IS DISTINCT FROM c.target`,
  );
  expect(diff.getRowObjects()).toEqual([{ n: 0n }]);
  const count = await c.runAndReadAll(`SELECT count(*) AS n FROM '${pq}'`);
  expect(count.getRowObjects()).toEqual([{ n: 100_000n }]);
});
