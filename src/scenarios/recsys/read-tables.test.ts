/**
 * forEachTableGroup, the plots' reader: CSV streamed in parts of CSV_GROUP_ROWS lines with only the
 * columns asked for, quoted lines parsed as CSV, a byte-order mark, blank lines and ragged rows;
 * a header-only table gives one empty part; Parquet a row group at a time with only the columns
 * asked for. Every value is checked against the rows the test wrote.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Table as ArrowTable, vectorFromArray } from "apache-arrow";
import { afterAll, describe, expect, test } from "vitest";
import { writeArrowParquet } from "../../io/parquet-arrow.js";
import { type ColumnSet, CSV_GROUP_ROWS, forEachTableGroup } from "./read-tables.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-read-tables-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(root, name);
  fs.writeFileSync(file, text);
  return file;
};

async function parts(file: string, format: "csv" | "parquet", columns?: readonly string[]): Promise<ColumnSet[]> {
  const out: ColumnSet[] = [];
  await forEachTableGroup(file, format, columns, (s) => out.push(s));
  return out;
}

describe("forEachTableGroup on CSV", () => {
  test(`parts of ${CSV_GROUP_ROWS} lines, in order, with only the columns asked for`, async () => {
    const n = CSV_GROUP_ROWS + 1234;
    const lines = Array.from({ length: n }, (_, i) => `${i},${i % 7},x${i},${i / 4}`);
    const file = write("big.csv", `a,b,name,f\n${lines.join("\n")}\n`);
    const got = await parts(file, "csv", ["f", "a"]);
    expect(got.map((s) => s.length)).toEqual([CSV_GROUP_ROWS, 1234]);
    const a = got.flatMap((s) => Array.from(s.int("a")));
    expect(a).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(got[1]?.float("f")[0]).toBe(CSV_GROUP_ROWS / 4);
    // A column not asked for is not there.
    expect(() => got[0]?.int("b")).toThrow(/big\.csv has no column b/);
  });

  test("every column when none is named; a quoted line is parsed as CSV; a BOM, blank lines and ragged rows", async () => {
    const file = write("odd.csv", '\uFEFFid,label,note\n1,"a, b",x\n\n2,c,y,extra\n3,"say ""hi""",z\n4\n');
    const [s, ...rest] = await parts(file, "csv");
    expect(rest).toEqual([]);
    expect(s?.length).toBe(4);
    expect(Array.from(s?.int("id") ?? [])).toEqual([1, 2, 3, 4]);
    expect([0, 1, 2, 3].map((i) => s?.text("label", i))).toEqual(["a, b", "c", 'say "hi"', ""]);
    expect([0, 1, 2, 3].map((i) => s?.text("note", i))).toEqual(["x", "y", "z", ""]);
    // Only some columns, with a quoted, ragged line: its cells land where the header says.
    const [t] = await parts(write("odd2.csv", 'id,label,note\n5,"q",r,extra\n'), "csv", ["note"]);
    expect(t?.text("note", 0)).toBe("r");
  });

  test("empty and ragged cells: a float is NaN, a vector of the wrong length or missing NaN, a row past the end is empty text", async () => {
    const [s] = await parts(write("cells.csv", "f,v\n0.5,0.25;0.75\n,1\n2\n"), "csv");
    expect(Array.from(s?.float("f") ?? [])).toEqual([0.5, Number.NaN, 2]);
    expect(Array.from(s?.vector("v", 2) ?? [])).toEqual([0.25, 0.75, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expect(s?.text("f", 5)).toBe("");
  });

  test("a header and no rows gives one empty part; a missing file is cannot_read; a header of no columns", async () => {
    const got = await parts(write("empty.csv", "id,label\n"), "csv", ["id"]);
    expect(got.map((s) => s.length)).toEqual([0]);
    expect(Array.from(got[0]?.int("id") ?? [1])).toEqual([]);
    await expect(parts(path.join(root, "none.csv"), "csv")).rejects.toMatchObject({ code: "cannot_read" });
    // A first line of only a byte-order mark is a header of no columns: every column is missing.
    const [bare] = await parts(write("bom.csv", "\uFEFF\n1\n"), "csv");
    expect(bare?.length).toBe(1);
    expect(() => bare?.int("id")).toThrow(/bom\.csv has no column id/);
  });
});

describe("forEachTableGroup on Parquet", () => {
  test("a row group at a time with only the columns asked for, the values as written", async () => {
    const n = 3000;
    const table = new ArrowTable({
      a: vectorFromArray(Int32Array.from({ length: n }, (_, i) => i)),
      f: vectorFromArray(Float64Array.from({ length: n }, (_, i) => i / 8)),
      b: vectorFromArray(Int32Array.from({ length: n }, (_, i) => -i)),
    });
    const chunks: Uint8Array[] = [];
    await writeArrowParquet([table], { write: (c) => chunks.push(c.slice()) });
    const file = write("t.parquet", "");
    fs.writeFileSync(file, Buffer.concat(chunks));
    const got = await parts(file, "parquet", ["a", "f"]);
    expect(got.map((s) => s.length)).toEqual([n]);
    expect(Array.from(got[0]?.int("a") ?? [])).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(got[0]?.float("f")[2999]).toBe(2999 / 8);
    expect(() => got[0]?.int("b")).toThrow(/t\.parquet has no column b/);
  });
});
