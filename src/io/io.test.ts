/** Writers and readers: CSV encoding (both paths), atomic output, line reading, Parquet. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Table as ArrowTable, Float64, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from "apache-arrow";
import * as parquet from "parquet-wasm";
import { afterAll, describe, expect, test, vi } from "vitest";
import { cellText, type Table } from "../core/table.js";

import { OutputSet, yieldEvery } from "./atomic.js";
import { csvHeader, encodeCsv, encodeCsvRows, quoteCsv } from "./csv.js";
import { readParquetBatches, toArrow, writeArrowTables, writeParquet } from "./parquet.js";
import { forEachLine } from "./read-lines.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-io-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const text = (b: Uint8Array) => new TextDecoder().decode(b);

const key = new Int32Array([1, 0, 2, 1]);
const keyed = (lookup: string[], name: string) => ({ kind: "keyed" as const, name, key, lookup });
const mixed: Table = {
  length: 4,
  columns: [
    keyed(["10", "11", "12"], "a"),
    keyed(["101", "111", "121"], "b"),
    { kind: "int", name: "t", values: new Int8Array([0, 1, 1, 0]) },
    { kind: "float", name: "x", values: new Float64Array([0.5, Number.NaN, -2, 1e-7]) },
    { kind: "string", name: "s", values: ["plain", null, 'say "hi"', "a,b"] },
    { kind: "int", name: "n", values: new Int32Array([10, -1, 0, 7]) },
  ],
};

describe("CSV", () => {
  test("quotes only cells that need it, RFC 4180 style", () => {
    expect(quoteCsv("abc")).toBe("abc");
    expect(quoteCsv("a,b")).toBe('"a,b"');
    expect(quoteCsv('x"y')).toBe('"x""y"');
    expect(quoteCsv("l1\nl2")).toBe('"l1\nl2"');
  });
  test("general path: every column kind, empty cells for NaN and null", () => {
    expect(text(encodeCsv(mixed))).toBe(
      'a,b,t,x,s,n\n11,111,0,0.5,plain,10\n10,101,1,,,-1\n12,121,1,-2,"say ""hi""",0\n11,111,0,1e-7,"a,b",7\n',
    );
  });
  test("fixed-width fast path gives the same bytes as the general path would", () => {
    const fast: Table = {
      length: 4,
      columns: [keyed(["10", "11", "12"], "a"), keyed(["101", "111", "121"], "b"), mixed.columns[2] as Table["columns"][number]],
    };
    expect(text(encodeCsvRows(fast))).toBe("11,111,0\n10,101,1\n12,121,1\n11,111,0\n");
    // An int out of 0..9 sends the same table down the general path.
    const slow: Table = {
      length: 4,
      columns: [...fast.columns.slice(0, 2), { kind: "int", name: "t", values: new Int8Array([0, 1, 12, 0]) }],
    };
    expect(text(encodeCsvRows(slow))).toBe("11,111,0\n10,101,1\n12,121,12\n11,111,0\n");
  });
  test("other fixed-width layouts (a digit first, two runs) take the segment loop", () => {
    const t: Table = {
      length: 4,
      columns: [
        mixed.columns[2] as Table["columns"][number],
        keyed(["10", "11", "12"], "a"),
        { kind: "keyed", name: "b", key: new Int32Array([0, 0, 0, 0]), lookup: ["q"] },
      ],
    };
    expect(text(encodeCsvRows(t))).toBe("0,11,q\n1,10,q\n1,12,q\n0,11,q\n");
  });
  test("keyed runs split where the key or lookup length changes, and a cached run is reused", () => {
    const other = new Int32Array([0, 0, 0, 0]);
    const t: Table = { length: 4, columns: [keyed(["x", "y", "z"], "a"), { kind: "keyed", name: "b", key: other, lookup: ["q"] }] };
    expect(text(encodeCsvRows(t))).toBe("y,q\nx,q\nz,q\ny,q\n");
    expect(text(encodeCsvRows(t))).toBe("y,q\nx,q\nz,q\ny,q\n");
    expect(text(csvHeader(["a", "b,c"]))).toBe('a,"b,c"\n');
  });
  test("cellText reads every column kind as CSV shows it", () => {
    expect(mixed.columns.map((c) => cellText(c, 1))).toEqual(["10", "101", "1", "", "", "-1"]);
  });
  // Cells that leave the ASCII copy loop part way: quotes, CR/LF, non-ASCII (2, 3 and 4 bytes),
  // lone surrogates (U+FFFD), and cells long enough to regrow the buffer from its estimate.
  const hard = [
    "plain",
    "",
    "é",
    "a\u0800b",
    "x😀y",
    "\ud800",
    "lone \udc00 low",
    'q"q',
    "cr\r",
    "lf\n",
    "a,b",
    'ü,"x"',
    "long ".repeat(400),
  ];
  test.each(hard.map((cell) => [JSON.stringify(cell).slice(0, 24), cell]))("general path: %s is encode(quoteCsv(cell))", (_, cell) => {
    // Short ASCII rows first, so the buffer is sized for them and must grow at the hard cell.
    const values = [...Array.from({ length: 20 }, () => "ab"), cell, "z"];
    const t: Table = {
      length: values.length,
      columns: [
        { kind: "string", name: "s", values },
        { kind: "int", name: "n", values: Int32Array.from(values, (_, i) => i * 11) },
      ],
    };
    const want = values.map((v, i) => `${quoteCsv(v)},${i * 11}\n`).join("");
    expect(Buffer.from(encodeCsvRows(t)).equals(Buffer.from(new TextEncoder().encode(want)))).toBe(true);
  });
  test("an empty table is empty bytes", () => {
    expect(encodeCsvRows({ length: 0, columns: [keyed(["a"], "a")] }).length).toBe(0);
  });
});

describe("atomic output", () => {
  test("files appear only on commit, with their hashes", () => {
    const dir = path.join(root, "atomic");
    const out = new OutputSet(dir);
    const f = out.open("a.txt");
    f.write(new TextEncoder().encode("hello"));
    expect(fs.readdirSync(dir)).toEqual([`.a.txt.partial-${process.pid}`]);
    expect(out.writeFile("b.txt", "x")).toMatch(/^[0-9a-f]{64}$/);
    out.commit();
    expect(fs.readdirSync(dir).sort()).toEqual(["a.txt", "b.txt"]);
    expect(f.close()).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    expect(() => f.write(new Uint8Array(1))).toThrow(/already closed/);
  });
  test("a large file replaced: the new bytes in place at commit, the old moved aside and removed after", async () => {
    const dir = path.join(root, "replace-large");
    const big = (byte: number) => new Uint8Array(3 << 20).fill(byte);
    for (const byte of [1, 2]) {
      const out = new OutputSet(dir);
      out.open("big.bin").write(big(byte));
      out.writeFile("small.txt", String(byte));
      out.commit();
      expect(fs.readFileSync(path.join(dir, "big.bin"))[0]).toBe(byte);
      expect(fs.readFileSync(path.join(dir, "small.txt"), "utf8")).toBe(String(byte));
    }
    // The old file's removal runs in the background; until then it has a partial name.
    for (let i = 0; i < 100 && fs.readdirSync(dir).length > 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fs.readdirSync(dir).sort()).toEqual(["big.bin", "small.txt"]);
  });
  test("abort removes temporary files and the folders it created", () => {
    const dir = path.join(root, "deep", "er");
    const out = new OutputSet(dir);
    out.open("a.txt").write(new Uint8Array([1]));
    out.abort();
    expect(fs.existsSync(path.join(root, "deep"))).toBe(false);
    out.abort();
  });
  test("files in subfolders: created on open, in place on commit; abort removes only the subfolders it made", () => {
    const dir = path.join(root, "subs");
    fs.mkdirSync(path.join(dir, "kept"), { recursive: true });
    const out = new OutputSet(dir);
    out.writeFile("synth/deep/a.csv", "a");
    out.writeFile("kept/b.csv", "b");
    expect(fs.readdirSync(path.join(dir, "synth", "deep"))).toEqual([`.a.csv.partial-${process.pid}`]);
    out.abort();
    expect(fs.readdirSync(dir)).toEqual(["kept"]);
    const again = new OutputSet(dir);
    again.writeFile("synth/deep/a.csv", "a");
    again.commit();
    expect(fs.readFileSync(path.join(dir, "synth", "deep", "a.csv"), "utf8")).toBe("a");
  });
  test("abort keeps a folder that already existed and its files", () => {
    const dir = path.join(root, "existing");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "keep.txt"), "k");
    const out = new OutputSet(dir);
    out.open("keep.txt").write(new Uint8Array([1, 2]));
    out.abort();
    expect(fs.readFileSync(path.join(dir, "keep.txt"), "utf8")).toBe("k");
    expect(fs.readdirSync(dir)).toEqual(["keep.txt"]);
  });
  test("a read-only folder is a clear error", () => {
    if (process.getuid?.() === 0) return; // root can write anywhere; the CLI test covers a file in the way
    const dir = path.join(root, "ro");
    fs.mkdirSync(dir, { mode: 0o500 });
    expect(() => new OutputSet(dir)).toThrow(/cannot write into/);
  });
});

describe("yieldEvery", () => {
  test("turns the event loop only once its interval has passed, and then restarts it", async () => {
    vi.useFakeTimers({ toFake: ["performance", "setImmediate"] });
    try {
      const due = yieldEvery(20);
      expect(due()).toBeUndefined();
      vi.advanceTimersByTime(19);
      expect(due()).toBeUndefined();
      vi.advanceTimersByTime(1);
      let turned = false;
      const yielded = due();
      expect(yielded).toBeInstanceOf(Promise);
      void yielded?.then(() => {
        turned = true;
      });
      // Resolved by setImmediate: not before the event loop turns.
      await Promise.resolve();
      expect(turned).toBe(false);
      vi.runAllTimers();
      await yielded;
      expect(turned).toBe(true);
      // The interval starts again from that yield.
      vi.advanceTimersByTime(19);
      expect(due()).toBeUndefined();
      vi.advanceTimersByTime(1);
      expect(due()).toBeInstanceOf(Promise);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("line reading", () => {
  test("reports every line with LF or CRLF endings, a last line without a break, across chunk borders", () => {
    const file = path.join(root, "lines.txt");
    const long = "x".repeat(5 << 20);
    fs.writeFileSync(file, `a,b\r\n${long}\nlast\r`);
    const lines: string[] = [];
    forEachLine(file, (bytes, start, end, n) =>
      lines.push(`${n}:${end - start}:${new TextDecoder().decode(bytes.subarray(start, Math.min(end, start + 3)))}`),
    );
    expect(lines).toEqual(["1:3:a,b", `2:${5 << 20}:xxx`, "3:4:las"]);
  });
  test("a missing file is a clear error", () => {
    expect(() => forEachLine(path.join(root, "nope"), () => {})).toThrow(/cannot read/);
  });
});

describe("Parquet", () => {
  test("round-trips every column kind; keyed columns are dictionaries of strings", async () => {
    const chunks: Uint8Array[] = [];
    await writeParquet([mixed, mixed], { write: (c) => chunks.push(c.slice()) });
    const t = tableFromIPC(parquet.readParquet(Buffer.concat(chunks)).intoIPCStream());
    expect(t.numRows).toBe(8);
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "a:Dictionary<Int32, Utf8>",
      "b:Dictionary<Int32, Utf8>",
      "t:Int8",
      "x:Float64",
      "s:Utf8",
      "n:Int32",
    ]);
    expect([...(t.getChild("a") ?? [])].slice(0, 4)).toEqual(["11", "10", "12", "11"]);
    expect([...(t.getChild("x") ?? [])].slice(0, 4)).toEqual([0.5, null, -2, 1e-7]);
    expect([...(t.getChild("s") ?? [])].slice(0, 4)).toEqual(["plain", null, 'say "hi"', "a,b"]);
  });
  test("read back, float columns without nulls come as their stored arrays; with a null, as text only", async () => {
    const file = path.join(root, "floats.parquet");
    const chunks: Uint8Array[] = [];
    const table = new ArrowTable({
      f32: vectorFromArray(Float32Array.of(0.5, 2)),
      f64: vectorFromArray(Float64Array.of(0.25, -1)),
      gaps: vectorFromArray([1.5, null], new Float64()),
    });
    await writeArrowTables([table], { write: (c) => chunks.push(c.slice()) }, { createdBy: "t", rowGroupRows: 10, caller: "test" });
    fs.writeFileSync(file, Buffer.concat(chunks));
    const batches = [];
    for await (const b of readParquetBatches(file)) batches.push(b);
    const [b] = batches;
    expect(b?.raw.map((r) => r?.kind ?? null)).toEqual(["float", "float", null]);
    expect(b?.raw[0]?.values).toBeInstanceOf(Float32Array);
    const f64 = b?.raw[1];
    expect(f64?.kind === "float" ? Array.from(f64.values) : null).toEqual([0.25, -1]);
    expect([b?.columns[2]?.(0), b?.columns[2]?.(1)]).toEqual(["1.5", null]);
  });
  test("a zero-row table still makes a file with the schema; no table at all is a clear error", async () => {
    const chunks: Uint8Array[] = [];
    await writeParquet([{ length: 0, columns: [keyed([], "a")].map((c) => ({ ...c, key: new Int32Array(0) })) }], {
      write: (c) => chunks.push(c.slice()),
    });
    const back = tableFromIPC(parquet.readParquet(Buffer.concat(chunks)).intoIPCStream());
    expect(back.numRows).toBe(0);
    expect(back.schema.fields.map((f) => f.name)).toEqual(["a"]);
    await expect(writeParquet([], { write: () => {} })).rejects.toThrow(/got no table/);
  });
  test("string columns: the bytes of apache-arrow's own builder, for non-ASCII text, nulls and long cells", async () => {
    const values = ["plain", null, "é", "x😀y", "\ud800", "", "long ".repeat(300), null, "a\u0800b"];
    const t: Table = { length: values.length, columns: [{ kind: "string", name: "s", values }] };
    const chunks: Uint8Array[] = [];
    await writeParquet([t], { write: (c) => chunks.push(c.slice()) });
    const back = tableFromIPC(parquet.readParquet(Buffer.concat(chunks)).intoIPCStream());
    // A lone surrogate is written as U+FFFD, as TextEncoder and Arrow's builder write it.
    expect([...(back.getChild("s") ?? [])]).toEqual(values.map((v) => (v === "\ud800" ? "\ufffd" : v)));
    const viaBuilder = new ArrowTable({ s: vectorFromArray(values, new Utf8()) });
    const reference = parquet.Table.fromIPCStream(tableToIPC(viaBuilder, "stream"));
    const props = () => new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).build();
    const ours = parquet.Table.fromIPCStream(tableToIPC(toArrow(t), "stream"));
    expect(Buffer.from(parquet.writeParquet(ours, props())).equals(Buffer.from(parquet.writeParquet(reference, props())))).toBe(true);
  });
  test("other integer widths keep their type", async () => {
    const chunks: Uint8Array[] = [];
    const t: Table = {
      length: 2,
      columns: [
        { kind: "int", name: "u", values: new Uint8Array([1, 2]) },
        { kind: "int", name: "h", values: new Int16Array([-3, 4]) },
      ],
    };
    await writeParquet([t], { write: (c) => chunks.push(c.slice()) });
    const back = tableFromIPC(parquet.readParquet(Buffer.concat(chunks)).intoIPCStream());
    expect(back.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["u:Uint8", "h:Int16"]);
  });
});
