/**
 * parquet-dictionary-read.ts: the direct reader gives the rows parquet-wasm gives, in batches of at
 * most 65,536 rows; files of another layout still go through parquet-wasm; a damaged page is
 * `bad_parquet`; and its RLE/bit-packed decoder agrees with hyparquet's on streams
 * hyparquet-writer encodes (RLE runs and bit-packed runs mixed, every width up to 24; wider runs go to hyparquet's decoder).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { parquetMetadata } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { readRleBitPackedHybrid } from "hyparquet/src/encoding.js";
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { afterAll, describe, expect, test } from "vitest";
import type { Column, Table } from "../core/table.js";
import { readParquetBatches, readParquetGroups, writeParquet } from "./parquet.js";
import { writeDictionaryParquet } from "./parquet-dictionary.js";
import { decodeHybrid, dictionaryLayout } from "./parquet-dictionary-read.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-parquet-dict-read-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const lookup = Array.from({ length: 40 }, (_, i) => `code${i % 30}`);
function tableOf(start: number, length: number): Table {
  return {
    length,
    columns: [
      { kind: "keyed", name: "code", key: Int32Array.from({ length }, (_, i) => ((start + i) * 7) % 40), lookup },
      { kind: "int", name: "target", values: Int8Array.from({ length }, (_, i) => ((start + i) % 5) - 2) } as Column,
    ],
  };
}

async function written(name: string, tables: Table[], dictionary: boolean): Promise<string> {
  const chunks: Uint8Array[] = [];
  const sink = { write: (c: Uint8Array) => chunks.push(c.slice()) };
  if (dictionary) await writeDictionaryParquet(tables, sink, "test", 100_000);
  else await writeParquet(tables, sink, "test");
  const file = path.join(root, name);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}

async function batchRows(file: string) {
  const rows: [string | null, string | null][] = [];
  const sizes: number[] = [];
  const kinds: string[] = [];
  for await (const b of readParquetBatches(file)) {
    sizes.push(b.length);
    kinds.push(b.raw.map((r) => r?.kind).join("+"));
    for (let i = 0; i < b.length; i++) rows.push([b.columns[0]?.(i) ?? null, b.columns[1]?.(i) ?? null]);
  }
  return { rows, sizes, kinds };
}

const expectedRows = (n: number) => Array.from({ length: n }, (_, i) => [lookup[(i * 7) % 40] as string, String((i % 5) - 2)]);

describe("readParquetBatches on dictionary-coded files", () => {
  const tables = [tableOf(0, 70_000), tableOf(70_000, 80_000), tableOf(150_000, 3)];

  test("gives parquet-wasm's rows, in batches of at most 65,536 per row group, raw as verify reads them", async () => {
    const file = await written("d.parquet", tables, true);
    const meta = parquetMetadata(fs.readFileSync(file));
    expect(dictionaryLayout(meta)).toBe(true);
    const { rows, sizes, kinds } = await batchRows(file);
    expect(rows).toEqual(expectedRows(150_003));
    // Row groups of 100,000 rows: 65,536 + 34,464, then 50,003.
    expect(sizes).toEqual([65_536, 34_464, 50_003]);
    expect(new Set(kinds)).toEqual(new Set(["dictionary+int"]));
    const arrow: string[][] = [];
    for await (const t of readParquetGroups(file)) for (const r of t.toArray()) arrow.push([r.code, String(r.target)]);
    expect(rows).toEqual(arrow);
  });

  test("a file in another layout (parquet-wasm's Snappy, optional columns) is read through parquet-wasm", async () => {
    const file = await written("w.parquet", tables, false);
    expect(dictionaryLayout(parquetMetadata(fs.readFileSync(file)))).toBe(false);
    const { rows, kinds } = await batchRows(file);
    expect(rows).toEqual(expectedRows(150_003));
    expect(new Set(kinds)).toEqual(new Set(["dictionary+int"]));
  });

  test("an unsigned 8-bit column reads back as its values (0-255)", async () => {
    const values = Uint8Array.from({ length: 600 }, (_, i) => (i * 37) % 256);
    const file = await written("u.parquet", [{ length: 600, columns: [{ kind: "int", name: "u", values }] }], true);
    const got: number[] = [];
    for await (const b of readParquetBatches(file)) {
      const raw = b.raw[0];
      expect(raw?.kind === "int" && raw.values instanceof Uint8Array).toBe(true);
      for (let i = 0; i < b.length; i++) got.push(Number(b.columns[0]?.(i)));
    }
    expect(got).toEqual(Array.from(values));
  });

  test("a file with no rows gives one empty batch with the column names", async () => {
    const file = await written("e.parquet", [tableOf(0, 0)], true);
    const names: string[][] = [];
    for await (const b of readParquetBatches(file)) names.push(b.names);
    expect(names).toEqual([["code", "target"]]);
  });

  test("a file too short for a footer, or whose footer does not parse, is parquet-wasm's bad_parquet", async () => {
    for (const [name, content] of [
      ["short.parquet", "PAR1"],
      ["text.parquet", "not a parquet file at all, but long enough"],
    ] as const) {
      const file = path.join(root, name);
      fs.writeFileSync(file, content);
      await expect(batchRows(file)).rejects.toMatchObject({ code: "bad_parquet" });
    }
  });

  test("a truncated file (its footer kept, a column chunk cut short) is bad_parquet", async () => {
    const file = await written("cut.parquet", [tableOf(0, 5000)], true);
    const bytes = fs.readFileSync(file);
    const meta = parquetMetadata(bytes);
    const chunk = meta.row_groups[0]?.columns[1]?.meta_data;
    // Zero the target column's pages: its dictionary page header no longer parses as one.
    bytes.fill(0, Number(chunk?.dictionary_page_offset), Number(chunk?.dictionary_page_offset) + Number(chunk?.total_compressed_size));
    fs.writeFileSync(file, bytes);
    await expect(batchRows(file)).rejects.toMatchObject({ code: "bad_parquet" });
  });

  test("a damaged data page is bad_parquet naming the file", async () => {
    const file = await written("bad.parquet", [tableOf(0, 1000)], true);
    const bytes = fs.readFileSync(file);
    const meta = parquetMetadata(bytes);
    // The code column's first data page: its bit width (the body's first byte) made 20 bits,
    // so the indices run past the page and past the 30-entry dictionary.
    const data = Number(meta.row_groups[0]?.columns[0]?.meta_data?.data_page_offset);
    const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), offset: data };
    parquetHeader(reader);
    expect(bytes[reader.offset]).toBe(5);
    bytes[reader.offset] = 20;
    fs.writeFileSync(file, bytes);
    await expect(batchRows(file)).rejects.toMatchObject({ code: "bad_parquet", message: expect.stringContaining(file) });
  });
});

describe("dictionaryLayout", () => {
  const leaf = { type: "BYTE_ARRAY", repetition_type: "REQUIRED", name: "c", converted_type: "UTF8" } as const;
  const chunk = {
    type: "BYTE_ARRAY",
    encodings: ["PLAIN", "RLE", "RLE_DICTIONARY"],
    path_in_schema: ["c"],
    codec: "UNCOMPRESSED",
    num_values: 1n,
    total_uncompressed_size: 10n,
    total_compressed_size: 10n,
    data_page_offset: 8n,
    dictionary_page_offset: 4n,
    encoding_stats: [
      { page_type: "DICTIONARY_PAGE", encoding: "PLAIN", count: 1 },
      { page_type: "DATA_PAGE", encoding: "RLE_DICTIONARY", count: 1 },
    ],
  } as const;
  const meta = (over: { schema?: unknown[]; chunk?: Record<string, unknown>; columns?: number }) =>
    ({
      version: 1,
      schema: over.schema ?? [{ name: "schema", num_children: 1 }, leaf],
      num_rows: 1n,
      row_groups: [
        {
          columns: Array.from({ length: over.columns ?? 1 }, () => ({ file_offset: 4n, meta_data: { ...chunk, ...over.chunk } })),
          total_byte_size: 10n,
          num_rows: 1n,
        },
      ],
      metadata_length: 0,
    }) as unknown as Parameters<typeof dictionaryLayout>[0];

  /** A schema of one column, `e`. */
  const oneLeaf = (e: Record<string, unknown>) => ({ schema: [{ name: "schema", num_children: 1 }, e] });

  test.each([
    ["the layout the writer writes", {}, true],
    ["an unsigned 8-bit column", oneLeaf({ ...leaf, type: "INT32", converted_type: "UINT_8" }), true],
    ["an OPTIONAL column", oneLeaf({ ...leaf, repetition_type: "OPTIONAL" }), false],
    ["a 16-bit column", oneLeaf({ ...leaf, type: "INT32", converted_type: "INT_16" }), false],
    ["a binary column without UTF8", oneLeaf({ ...leaf, converted_type: undefined }), false],
    ["a nested column", oneLeaf({ ...leaf, num_children: 1 }), false],
    ["a root that counts other children", { schema: [{ name: "schema", num_children: 2 }, leaf] }, false],
    ["no columns", { schema: [{ name: "schema", num_children: 0 }] }, false],
    ["a Snappy chunk", { chunk: { codec: "SNAPPY" } }, false],
    ["no dictionary page", { chunk: { dictionary_page_offset: undefined } }, false],
    ["a delta-encoded chunk", { chunk: { encodings: ["DELTA_BINARY_PACKED"] } }, false],
    ["page kinds not stated", { chunk: { encoding_stats: undefined } }, false],
    ["v2 data pages", { chunk: { encoding_stats: [{ page_type: "DATA_PAGE_V2", encoding: "RLE_DICTIONARY", count: 1 }] } }, false],
    ["plain data pages", { chunk: { encoding_stats: [{ page_type: "DATA_PAGE", encoding: "PLAIN", count: 1 }] } }, false],
    ["a row group with another column count", { columns: 2 }, false],
  ])("%s: %s", (_what, over, expected) => {
    expect(dictionaryLayout(meta(over))).toBe(expected);
  });
});

describe("decodeHybrid", () => {
  /** Runs of values at `width` bits, encoded by hyparquet-writer and decoded by decodeHybrid. */
  const roundTrip = (width: number, runs: readonly { value: number; repeat: number }[]) => {
    const values = runs.flatMap(({ value, repeat }) => Array.from({ length: repeat }, () => value % 2 ** width));
    const w = new ByteWriter();
    writeRleBitPackedHybrid(w, values, width);
    const bytes = w.getBytes();
    const mine = new Int32Array(values.length);
    decodeHybrid(bytes, 0, bytes.length, width, mine, "c");
    return { values, bytes, mine };
  };
  const runsOf = (minRepeat: number, maxLength: number) =>
    fc.array(fc.record({ value: fc.nat(), repeat: fc.integer({ min: minRepeat, max: 20 }) }), { minLength: 1, maxLength });

  test("agrees with hyparquet on hyparquet-writer's streams, RLE and bit-packed runs mixed, widths 1-24 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), runsOf(1, 60), (width, runs) => {
        const { values, bytes, mine } = roundTrip(width, runs);
        const theirs = new Int32Array(values.length);
        readRleBitPackedHybrid(
          { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), offset: 0 },
          width,
          theirs,
          bytes.length,
        );
        expect(Array.from(mine)).toEqual(values);
        expect(mine).toEqual(theirs);
      }),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 300) },
    );
  });

  test("wider values (25-31 bits) go to hyparquet's decoder; RLE runs only, which hyparquet-writer 0.17.0 encodes right at these widths (its bit-packer drops bits above 24)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 25, max: 31 }), runsOf(8, 20), (width, runs) => {
        const { values, mine } = roundTrip(width, runs);
        expect(Array.from(mine)).toEqual(values);
      }),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 100) },
    );
  });

  test("a stream that ends before its values is an error", () => {
    expect(() => decodeHybrid(Uint8Array.of(0x03, 0xff), 0, 2, 8, new Int32Array(16), "c")).toThrow(/ends after 8 of its 16/);
  });
});
