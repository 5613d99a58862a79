/**
 * parquet-dictionary.ts: three independent readers (parquet-wasm as verify reads it, hyparquet,
 * DuckDB) read back exactly the rows written, at every bit width, across row-group boundaries
 * that split a table, with no rows, and with repeated lookup values; a property checks random
 * tables against hyparquet; and each kind of bad input is its error.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { afterAll, describe, expect, test } from "vitest";
import type { Column, Table } from "../core/table.js";
import { readParquetBatches, readParquetGroups } from "./parquet.js";
import { writeDictionaryParquet } from "./parquet-dictionary.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-parquet-dict-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function bytesOf(tables: Iterable<Table>, rowGroupRows?: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeDictionaryParquet(tables, { write: (c) => chunks.push(c.slice()) }, "synthproof test", rowGroupRows);
  return Buffer.concat(chunks);
}

async function fileOf(name: string, tables: Iterable<Table>, rowGroupRows?: number): Promise<string> {
  const file = path.join(root, name);
  fs.writeFileSync(file, await bytesOf(tables, rowGroupRows));
  return file;
}

const arrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** The rows the tables hold, as objects of strings and numbers. */
function rowsOf(tables: readonly Table[]): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  for (const t of tables)
    for (let i = 0; i < t.length; i++) {
      const row: Record<string, string | number> = {};
      for (const c of t.columns)
        row[c.name] =
          c.kind === "keyed" ? (c.lookup[c.key[i] as number] as string) : ((c as Extract<Column, { kind: "int" }>).values[i] as number);
      rows.push(row);
    }
  return rows;
}

/** Tables of `lengths` rows over the lookups, keys and targets from a formula (no randomness). */
function tablesOf(lengths: readonly number[], lookups: readonly (readonly string[])[], signed = true): Table[] {
  let start = 0;
  return lengths.map((length) => {
    const s = start;
    start += length;
    return {
      length,
      columns: [
        ...lookups.map(
          (lookup, j): Column => ({
            kind: "keyed",
            name: `c${j}`,
            key: Int32Array.from({ length }, (_, i) => ((s + i) * (2 * j + 7) + j) % lookup.length),
            lookup,
          }),
        ),
        {
          kind: "int",
          name: "t",
          values: signed
            ? Int8Array.from({ length }, (_, i) => (((s + i) * 37) % 256) - 128)
            : Uint8Array.from({ length }, (_, i) => ((s + i) * 37) % 256),
        },
      ],
    };
  });
}

async function parquetWasmRows(file: string): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for await (const t of readParquetGroups(file))
    for (const r of t.toArray()) rows.push(Object.fromEntries(t.schema.fields.map((f) => [f.name, r[f.name]])));
  return rows;
}

async function duckRows(file: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  // One thread keeps the rows in file order.
  await c.run("SET threads = 1");
  return (await c.runAndReadAll(`SELECT * FROM '${file}'`)).getRowObjects();
}

// Lookups of 1, 5 (with repeats: 3 distinct), 300 (9 bits) and 70,000 entries (17 bits).
const LOOKUPS: string[][] = [
  ["only"],
  ["11", "11", "22", "33", "22"],
  Array.from({ length: 300 }, (_, i) => `v${i}é`),
  Array.from({ length: 70_000 }, (_, i) => String(i)),
];

describe("writeDictionaryParquet", () => {
  // 10,000 rows in tables that cross the 4,096-row groups, none a multiple of 8.
  const tables = tablesOf([1, 4095, 3, 5001, 899, 1], LOOKUPS);
  const expected = rowsOf(tables);

  test("parquet-wasm reads the rows back, the strings as dictionary columns (verify's fast path)", async () => {
    const file = await fileOf("all.parquet", tables, 4096);
    expect(await parquetWasmRows(file)).toEqual(expected);
    let batches = 0;
    for await (const b of readParquetBatches(file)) {
      batches++;
      expect(b.raw.slice(0, 4).map((r) => r?.kind)).toEqual(["dictionary", "dictionary", "dictionary", "dictionary"]);
      // The lookup's distinct values, in order of first appearance.
      expect(b.raw[1]?.kind === "dictionary" && b.raw[1].values).toEqual(["11", "22", "33"]);
      expect(b.raw[4]?.kind).toBe("int");
    }
    expect(batches).toBeGreaterThan(0);
  });

  test("hyparquet reads the same rows, in row groups of the size asked for, a data page per table in each", async () => {
    const bytes = await bytesOf(tables, 4096);
    expect(await parquetReadObjects({ file: arrayBuffer(bytes) })).toEqual(expected);
    const meta = parquetMetadata(arrayBuffer(bytes));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([4096, 4096, 1808]);
    expect(meta.num_rows).toBe(10_000n);
    expect(meta.created_by).toBe("synthproof test");
    const c1 = meta.row_groups[0]?.columns[1]?.meta_data;
    expect(c1?.encodings).toEqual(["PLAIN", "RLE", "RLE_DICTIONARY"]);
    expect(c1?.codec).toBe("UNCOMPRESSED");
    // A data page per table in each group: tables 0-1; 2 and the start of 3; the rest of 3, 4 and 5.
    expect(meta.row_groups.map((g) => g.columns[1]?.meta_data?.encoding_stats)).toEqual(
      [2, 2, 3].map((count) => [
        { page_type: "DICTIONARY_PAGE", encoding: "PLAIN", count: 1 },
        { page_type: "DATA_PAGE", encoding: "RLE_DICTIONARY", count },
      ]),
    );
  });

  test("DuckDB reads the same rows with VARCHAR and TINYINT / UTINYINT columns", async () => {
    const file = await fileOf("duck.parquet", tables, 4096);
    expect(await duckRows(file)).toEqual(expected);
    const unsigned = tablesOf([777], LOOKUPS.slice(0, 2), false);
    const ufile = await fileOf("duck-u.parquet", unsigned);
    expect(await duckRows(ufile)).toEqual(rowsOf(unsigned));
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const types = (await c.runAndReadAll(`SELECT column_type FROM (DESCRIBE SELECT * FROM '${file}')`)).getRowObjects();
    expect(types.map((t) => t.column_type)).toEqual(["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "TINYINT"]);
    const utypes = (await c.runAndReadAll(`SELECT column_type FROM (DESCRIBE SELECT * FROM '${ufile}')`)).getRowObjects();
    expect(utypes.map((t) => t.column_type)).toEqual(["VARCHAR", "VARCHAR", "UTINYINT"]);
  });

  test("one empty table gives a file with the schema and no rows (one row group of 0 rows)", async () => {
    const file = await fileOf("empty.parquet", tablesOf([0], LOOKUPS.slice(1, 2)));
    const meta = parquetMetadata(arrayBuffer(fs.readFileSync(file)));
    expect(meta.num_rows).toBe(0n);
    expect(meta.row_groups.map((g) => g.num_rows)).toEqual([0n]);
    expect(await parquetReadObjects({ file: arrayBuffer(fs.readFileSync(file)) })).toEqual([]);
    expect(meta.schema.map((e) => e.name)).toEqual(["schema", "c0", "t"]);
    expect(await duckRows(file)).toEqual([]);
    const groups = [];
    for await (const t of readParquetGroups(file)) groups.push(t.numRows);
    expect(groups).toEqual([0]);
  });

  test("the bytes depend only on the rows, the tables' lengths and the group size", async () => {
    const again = await bytesOf(tablesOf([1, 4095, 3, 5001, 899, 1], LOOKUPS), 4096);
    expect(Buffer.from(again).equals(Buffer.from(await bytesOf(tables, 4096)))).toBe(true);
  });

  test("random tables read back exactly through hyparquet (property)", async () => {
    const tableArb = fc.record({
      lengths: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 5 }),
      lookupSizes: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 3 }),
      groupRows: fc.integer({ min: 1, max: 700 }),
      signed: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    await fc.assert(
      fc.asyncProperty(tableArb, async ({ lengths, lookupSizes, groupRows, signed, seed }) => {
        const lookups = lookupSizes.map((n, j) =>
          Array.from({ length: n }, (_, i) => `k${(i * (seed + 1) + j) % (n - (n > 2 ? 1 : 0) || 1)}`),
        );
        const ts = tablesOf(lengths, lookups, signed);
        const bytes = await bytesOf(ts, groupRows);
        expect(await parquetReadObjects({ file: arrayBuffer(bytes) })).toEqual(rowsOf(ts));
        const meta = parquetMetadata(arrayBuffer(bytes));
        const total = lengths.reduce((a, b) => a + b, 0);
        expect(meta.row_groups.length).toBe(Math.ceil(total / groupRows));
      }),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 50), seed: 20261203 },
    );
  });

  test("bad input is a SynthError naming the column and a fix", async () => {
    await expect(bytesOf([])).rejects.toMatchObject({ code: "parquet_no_schema" });
    const str: Table = { length: 1, columns: [{ kind: "string", name: "s", values: ["a"] }] };
    await expect(bytesOf([str])).rejects.toMatchObject({ code: "parquet_column_kind", message: expect.stringContaining("column s") });
    const i32: Table = { length: 1, columns: [{ kind: "int", name: "n", values: new Int32Array(1) }] };
    await expect(bytesOf([i32])).rejects.toMatchObject({ code: "parquet_column_kind", message: expect.stringContaining("Int32Array") });
    const [a] = tablesOf([3], LOOKUPS.slice(1, 2));
    const [b] = tablesOf([3], [["11", "11", "22", "33", "22"]]);
    await expect(bytesOf([a as Table, b as Table])).rejects.toMatchObject({ code: "parquet_schema_changed" });
    const renamed: Table = { ...(a as Table), columns: (a as Table).columns.map((c, j) => (j === 0 ? { ...c, name: "other" } : c)) };
    await expect(bytesOf([a as Table, renamed])).rejects.toMatchObject({ code: "parquet_schema_changed" });
    const bad: Table = { length: 1, columns: [{ kind: "keyed", name: "k", key: Int32Array.of(5), lookup: ["x"] }] };
    await expect(bytesOf([bad])).rejects.toMatchObject({ code: "parquet_bad_key", message: expect.stringContaining("key 5") });
  });
});
