import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Table as ArrowTable, Dictionary, Float64, Int32, makeData, makeVector, Utf8, vectorFromArray } from "apache-arrow";
import * as parquet from "parquet-wasm";
import { afterAll, describe, expect, test } from "vitest";
import { readArrowTables, timestampMsVector, writeArrowParquet } from "./parquet-arrow.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-parquet-arrow-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes `tables` to a file and returns its path. */
async function written(name: string, tables: ArrowTable[], delta: boolean): Promise<string> {
  const chunks: Uint8Array[] = [];
  await writeArrowParquet(tables, { write: (c) => chunks.push(c) }, "test", delta ? { delta: true, dictionary: ["rating"] } : undefined);
  const file = path.join(root, name);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}

/** Each column's encodings in row group 0, by column name. */
async function encodings(file: string): Promise<Record<string, parquet.Encoding[]>> {
  const pf = await parquet.ParquetFile.fromFile(await fs.openAsBlob(file));
  const group = pf.metadata().rowGroup(0);
  return Object.fromEntries(group.columns().map((c) => [c.columnPath().join("."), c.encodings()]));
}

describe("timestampMsVector", () => {
  test("writes each millisecond exactly, negative and past 2^32 included", () => {
    const ms = [0, 1, -1, 4_294_967_295, 4_294_967_296, -4_294_967_297, 1_735_689_600_123, -62_135_596_800_000, 2 ** 53 - 1];
    const v = timestampMsVector(Float64Array.from(ms));
    const raw = v.data[0]?.values as BigInt64Array;
    expect(Array.from(raw, (b) => Number(b))).toEqual(ms);
  });
});

describe("writeArrowParquet's delta encoding", () => {
  const n = 5000;
  const user = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 7));
  const rating = Float64Array.from({ length: n }, (_, i) => 1 + (i % 9) / 2);
  const score = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const kind = makeVector(
    makeData({
      type: new Dictionary(new Utf8(), new Int32()),
      length: n,
      nullCount: 0,
      data: Int32Array.from({ length: n }, (_, i) => i % 3),
      dictionary: vectorFromArray(["a", "b", "c"], new Utf8()),
    }),
  );
  const table = () =>
    new ArrowTable({
      user: makeVector(user),
      at: timestampMsVector(Float64Array.from(user, (u) => 1_735_689_600_000 + u * 1000)),
      rating: makeVector(rating),
      score: vectorFromArray(Array.from(score), new Float64()),
      kind,
    });

  test("integers and timestamps delta-packed, named and string columns dictionary-encoded, the rest plain; values unchanged", async () => {
    const file = await written("delta.parquet", [table()], true);
    const enc = await encodings(file);
    expect(enc.user).toContain(parquet.Encoding.DELTA_BINARY_PACKED);
    expect(enc.at).toContain(parquet.Encoding.DELTA_BINARY_PACKED);
    expect(enc.rating).toContain(parquet.Encoding.RLE_DICTIONARY);
    expect(enc.kind).toContain(parquet.Encoding.RLE_DICTIONARY);
    expect(enc.score).not.toContain(parquet.Encoding.RLE_DICTIONARY);
    expect(enc.score).not.toContain(parquet.Encoding.DELTA_BINARY_PACKED);
    const back: ArrowTable[] = [];
    for await (const t of readArrowTables(file)) back.push(t);
    const t = back[0] as ArrowTable;
    expect(Int32Array.from(t.getChild("user")?.toArray() as ArrayLike<number>)).toEqual(user);
    expect(Float64Array.from(t.getChild("rating")?.toArray() as ArrayLike<number>)).toEqual(rating);
    expect(Float64Array.from(t.getChild("score")?.toArray() as ArrayLike<number>)).toEqual(score);
    expect(Array.from({ length: 4 }, (_, i) => String(t.getChild("kind")?.get(i)))).toEqual(["a", "b", "c", "a"]);
    expect(Number(t.getChild("at")?.get(70))).toBe(1_735_689_600_000 + 10_000);
  });

  test("without it every column is dictionary-encoded (the other scenarios' bytes)", async () => {
    const enc = await encodings(await written("dict.parquet", [table()], false));
    for (const name of ["user", "at", "rating", "score", "kind"]) expect(enc[name]).toContain(parquet.Encoding.RLE_DICTIONARY);
  });
});
