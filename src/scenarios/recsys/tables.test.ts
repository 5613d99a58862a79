/**
 * Tables handed to a writer in chunks: the chunks cover the rows exactly, and the file has the bytes
 * of the table handed whole (Parquet in row-group chunks, CSV in any).
 */
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { PendingFile } from "../../io/atomic.js";
import { ROW_GROUP_ROWS } from "../../io/parquet.js";
import type { RecsysConfig } from "./config.js";
import { writeTables } from "./generate.js";
import { LABEL_KINDS } from "./social.js";
import { inChunks, type RsTable, sliceTable, TABLE_CHUNK_ROWS, tableChunks } from "./tables.js";

/** A labels-like table of n rows (ints, an int8, a dictionary, floats). */
function table(n: number): RsTable {
  return {
    length: n,
    columns: [
      { kind: "int", name: "user_a", values: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 22)) },
      { kind: "int", name: "user_b", values: Int32Array.from({ length: n }, (_, i) => (i * 7919) % 100_003) },
      { kind: "int", name: "label", values: Int8Array.from({ length: n }, (_, i) => i % 2) },
      { kind: "dict", name: "kind", lookup: LABEL_KINDS, key: Int32Array.from({ length: n }, (_, i) => (i * 31) % 4) },
      { kind: "float", name: "similarity", values: Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i) * 1e6) / 1e6) },
      { kind: "vector", name: "v", dim: 2, values: Float32Array.from({ length: 2 * n }, (_, i) => (i % 7) / 8) },
      { kind: "string", name: "s", values: Array.from({ length: n }, (_, i) => `s${i % 13}`) },
      { kind: "timestamp", name: "t", ms: Float64Array.from({ length: n }, (_, i) => 1_735_689_600_000 + 1000 * i) },
    ],
  };
}

/** The sha-256 of what writeTables writes. */
async function written(format: "parquet" | "csv", tables: Iterable<RsTable>): Promise<string> {
  const hash = createHash("sha256");
  const sink = { write: (c: Uint8Array) => void hash.update(c) } as unknown as PendingFile;
  await writeTables({ format } as RecsysConfig, sink, tables, "test");
  return hash.digest("hex");
}

describe("inChunks", () => {
  test("covers [from, to) in order, in chunks of at most the size, and an empty range with one empty table", () => {
    const ranges = (from: number, to: number, rows: number) =>
      [...inChunks(from, to, (lo, hi) => ({ length: hi - lo, columns: [] }), rows)].map((t) => t.length);
    expect(ranges(5, 5, 4)).toEqual([0]);
    expect(ranges(5, 14, 4)).toEqual([4, 4, 1]);
    expect(ranges(0, 8, 4)).toEqual([4, 4]);
    expect(TABLE_CHUNK_ROWS).toBe(ROW_GROUP_ROWS);
  });

  test("sliceTable gives the rows of every column kind", () => {
    const t = table(10);
    const s = sliceTable(t, 3, 6);
    expect(s.length).toBe(3);
    for (const c of s.columns) {
      const whole = t.columns.find((w) => w.name === c.name);
      if (c.kind === "vector" && whole?.kind === "vector") expect(Array.from(c.values)).toEqual(Array.from(whole.values.subarray(6, 12)));
      else if (c.kind === "dict" && whole?.kind === "dict") expect(Array.from(c.key)).toEqual(Array.from(whole.key.subarray(3, 6)));
      else if (c.kind === "timestamp" && whole?.kind === "timestamp") expect(Array.from(c.ms)).toEqual(Array.from(whole.ms.subarray(3, 6)));
      else if ("values" in c && whole && "values" in whole)
        expect(Array.from(c.values as ArrayLike<unknown>)).toEqual(Array.from(whole.values as ArrayLike<unknown>).slice(3, 6));
      else throw new Error(`column ${c.name} has no counterpart`);
    }
  });
});

describe("writeTables", () => {
  test("a Parquet table handed in row-group chunks has the bytes of the table handed whole", async () => {
    // The numeric kinds only: a million strings would take most of the test's time.
    const full = table(ROW_GROUP_ROWS + 5_000);
    const t = { ...full, columns: full.columns.filter((c) => c.kind !== "string") };
    const whole = await written("parquet", [t]);
    expect(await written("parquet", tableChunks(t))).toBe(whole);
    // The chunk size matters: chunks that cut a row group change the bytes (why TABLE_CHUNK_ROWS is a row group).
    expect(
      await written(
        "parquet",
        inChunks(0, t.length, (lo, hi) => sliceTable(t, lo, hi), 65_536),
      ),
    ).not.toBe(whole);
  }, 60_000);

  test("a CSV table is the same text however it is chunked", async () => {
    const t = table(70_000);
    const whole = await written("csv", [t]);
    expect(
      await written(
        "csv",
        inChunks(0, t.length, (lo, hi) => sliceTable(t, lo, hi), 9_999),
      ),
    ).toBe(whole);
  });
});
