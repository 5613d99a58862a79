/**
 * parquet-arrow.ts's readers: a row group comes as one record batch, only the named columns are
 * read, a column the file lacks is `bad_parquet` naming it; `storedNumbers` gives plain numeric
 * chunks as stored (slices included) and refuses what must be read value by value.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Table as ArrowTable, makeVector, TimestampMillisecond, vectorFromArray } from "apache-arrow";
import { afterAll, describe, expect, test } from "vitest";
import { readArrowTables, storedNumbers, writeArrowParquet } from "./parquet-arrow.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-parquet-arrow-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

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
