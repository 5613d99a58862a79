/**
 * parquet-arrow.ts: timestamps exact, the delta encoding's choices, and the readers: a row group
 * comes as one record batch, only the named columns are read, a column the file lacks is
 * `bad_parquet` naming it; `storedNumbers` gives plain numeric chunks as stored (slices included)
 * and refuses what must be read value by value.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  Table as ArrowTable,
  Dictionary,
  Float64,
  Int32,
  makeData,
  makeVector,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import * as parquet from "parquet-wasm";
import { afterAll, describe, expect, test } from "vitest";
import { readArrowTables, storedNumbers, timestampMsVector, writeArrowParquet } from "./parquet-arrow.js";

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

/** 5000 rows (more than the reader's default 1024-row batch) of three int32 columns. */
async function sample(): Promise<string> {
  const n = 5000;
  const table = new ArrowTable({
    a: vectorFromArray(Int32Array.from({ length: n }, (_, i) => i)),
    b: vectorFromArray(Int32Array.from({ length: n }, (_, i) => 2 * i)),
    c: vectorFromArray(Int32Array.from({ length: n }, (_, i) => -i)),
  });
  const chunks: Uint8Array[] = [];
  await writeArrowParquet([table], { write: (chunk) => chunks.push(chunk.slice()) });
  const file = path.join(root, "sample.parquet");
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}

describe("readArrowTables", () => {
  test("one record batch per row group; only the named columns, in the file's values", async () => {
    const file = await sample();
    const all: ArrowTable[] = [];
    for await (const t of readArrowTables(file)) all.push(t);
    expect(all.map((t) => [t.numRows, t.batches.length, t.schema.fields.map((f) => f.name)])).toEqual([[5000, 1, ["a", "b", "c"]]]);
    const some: ArrowTable[] = [];
    for await (const t of readArrowTables(file, ["c", "b"])) some.push(t);
    expect(some.map((t) => [t.batches.length, t.schema.fields.map((f) => f.name).sort()])).toEqual([[1, ["b", "c"]]]);
    expect(some[0]?.getChild("b")?.get(4999)).toBe(9998);
    expect(some[0]?.getChild("a")).toBeNull();
  });

  test("a column the file does not have is bad_parquet, naming the file and the column", async () => {
    const file = await sample();
    const read = async () => {
      for await (const _ of readArrowTables(file, ["a", "nope"])) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: "bad_parquet", message: expect.stringMatching(/sample\.parquet.*nope/) });
  });
});

describe("storedNumbers", () => {
  test("plain numbers as stored; a slice's values from its own start", () => {
    expect(Array.from(storedNumbers(vectorFromArray(Int32Array.from([3, 1])).data[0] as never) ?? [])).toEqual([3, 1]);
    expect(Array.from(storedNumbers(vectorFromArray(Float64Array.from([0.5])).data[0] as never) ?? [])).toEqual([0.5]);
    expect(Array.from(storedNumbers(vectorFromArray(Float32Array.from([0.25, 2])).data[0] as never) ?? [])).toEqual([0.25, 2]);
    // A slice's values are cut already (Data.slice); its offset must not be applied twice.
    const slice = vectorFromArray(Int32Array.from([1, 2, 3, 4])).slice(1, 3).data[0];
    expect(slice?.offset).toBe(1);
    expect(Array.from(storedNumbers(slice as never) ?? [])).toEqual([2, 3]);
  });

  test("timestamps, 64-bit integers, nulls and dictionary-coded strings are read value by value (null)", () => {
    const ts = makeVector({ type: new TimestampMillisecond(), data: Float64Array.from([1]) } as never);
    expect(storedNumbers(ts.data[0] as never)).toBeNull();
    expect(storedNumbers(vectorFromArray(BigInt64Array.from([1n])).data[0] as never)).toBeNull();
    expect(storedNumbers(vectorFromArray([1, null]).data[0] as never)).toBeNull();
    expect(storedNumbers(vectorFromArray(["a", "b"]).data[0] as never)).toBeNull();
  });
});
