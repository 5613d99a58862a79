/**
 * Interoperability: an independent engine, DuckDB, reads the recsys Parquet tables: vectors as
 * FLOAT[] lists of the right length (Parquet has no fixed-size list type, so `::FLOAT[60]` makes
 * them arrays), timestamps as TIMESTAMP, and each user's fine_pref summing to its cat_pref.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, expect, test } from "vitest";
import { generate } from "../../api.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-duck-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test("DuckDB reads users, places and interactions with their types and values", async () => {
  await generate("recsys", { n_users: 50, n_places: 40, interactions_per_user: 10 }, { out: root });
  const c = await (await DuckDBInstance.create(":memory:")).connect();
  const at = (t: string) => `'${path.join(root, `${t}.parquet`)}'`;
  const types = await c.runAndReadAll(
    `SELECT typeof(cat_pref) AS c, typeof(fine_pref::FLOAT[60]) AS f, len(fine_pref) AS n FROM ${at("users")} LIMIT 1`,
  );
  expect(types.getRowObjects()).toEqual([{ c: "FLOAT[]", f: "FLOAT[60]", n: 60n }]);
  const ts = await c.runAndReadAll(
    `SELECT typeof(timestamp) AS t, min(timestamp)::DATE >= DATE '2025-01-01' AS ok FROM ${at("interactions")} GROUP BY 1`,
  );
  expect(ts.getRowObjects()).toEqual([{ t: "TIMESTAMP", ok: true }]);
  const sums = await c.runAndReadAll(
    `SELECT max(abs(list_sum(cat_pref) - 1)) < 1e-6 AS cat, max(abs(list_sum(fine_pref) - 1)) < 1e-6 AS fine FROM ${at("users")}`,
  );
  expect(sums.getRowObjects()).toEqual([{ cat: true, fine: true }]);
  const places = await c.runAndReadAll(`SELECT count(*) AS n, typeof(any_value(typical_time_slot)) AS s FROM ${at("places")}`);
  expect(places.getRowObjects()).toEqual([{ n: 40n, s: "VARCHAR" }]);
});
