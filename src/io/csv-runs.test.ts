/** The WebAssembly keyed-run encoder against a plain string reference, and the kernel builder. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Table } from "../core/table.js";
import { digitsOnly, encodeCsvRows, quoteCsv, runDigitTable } from "./csv.js";
import { encodeRunDigit } from "./csv-runs.js";
import { kernelModule, op, sleb, uleb } from "./wasm-kernel.js";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A small deterministic generator, so the cases are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Cells of every length from 0 to 40, some needing quotes, some not ASCII. */
function lookups(size: number, columns: number, rand: () => number): string[][] {
  const alphabet = ["a", "b", "7", ",", '"', "é", "\n", "語"];
  return Array.from({ length: columns }, () =>
    Array.from({ length: size }, () =>
      Array.from({ length: Math.floor(rand() * 41) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(""),
    ),
  );
}

function table(lookup: string[][], key: Int32Array, digit: Int8Array): Table {
  return {
    length: key.length,
    columns: [
      ...lookup.map((l, c) => ({ kind: "keyed" as const, name: `c${c}`, key, lookup: l })),
      { kind: "int" as const, name: "t", values: digit },
    ],
  };
}

const reference = (lookup: string[][], key: Int32Array, digit: Int8Array) =>
  Array.from(key, (k, i) => `${lookup.map((l) => quoteCsv(l[k] as string)).join(",")},${digit[i]}\n`).join("");

describe("keyed run + digit rows (WebAssembly copy)", () => {
  test.each([
    { seed: 1, size: 1, columns: 1, rows: 1 },
    { seed: 2, size: 5, columns: 3, rows: 0 },
    { seed: 3, size: 17, columns: 2, rows: 1000 },
    { seed: 4, size: 300, columns: 5, rows: 70_000 },
  ])(
    "same bytes as quoting and joining each row (seed $seed: $size keys, $columns columns, $rows rows)",
    ({ seed, size, columns, rows }) => {
      const rand = lcg(seed);
      const lookup = lookups(size, columns, rand);
      const key = Int32Array.from({ length: rows }, () => Math.floor(rand() * size));
      const digit = Int8Array.from({ length: rows }, () => Math.floor(rand() * 10));
      expect(text(encodeCsvRows(table(lookup, key, digit)))).toBe(reference(lookup, key, digit));
    },
  );

  test("runs of different tables interleave, and a kept result is not overwritten by the next call", () => {
    const rand = lcg(9);
    const a = lookups(20, 2, rand);
    const b = lookups(7, 4, rand);
    const keyA = Int32Array.from({ length: 500 }, () => Math.floor(rand() * 20));
    const keyB = Int32Array.from({ length: 300 }, () => Math.floor(rand() * 7));
    const digitA = Int8Array.from({ length: 500 }, () => Math.floor(rand() * 10));
    const digitB = Int8Array.from({ length: 300 }, () => Math.floor(rand() * 10));
    const first = encodeCsvRows(table(a, keyA, digitA));
    const second = encodeCsvRows(table(b, keyB, digitB));
    const third = encodeCsvRows(table(a, keyA, digitA));
    expect(text(first)).toBe(reference(a, keyA, digitA));
    expect(text(second)).toBe(reference(b, keyB, digitB));
    expect(text(third)).toBe(text(first));
  });

  test("scratch bytes are a view the next call overwrites; the default result is a copy", () => {
    const lookup = [["x", "y"]];
    const digit = new Int8Array([3]);
    const scratch = encodeCsvRows(table(lookup, new Int32Array([0]), digit), { scratch: true });
    expect(text(scratch)).toBe("x,3\n");
    const kept = encodeCsvRows(table(lookup, new Int32Array([0]), digit));
    encodeCsvRows(table(lookup, new Int32Array([1]), digit), { scratch: true });
    expect(text(scratch)).toBe("y,3\n");
    expect(text(kept)).toBe("x,3\n");
  });

  test("digits from any int array type give the same bytes", () => {
    const lookup = [["ab", "c"]];
    const key = new Int32Array([1, 0, 1]);
    const run = { key, bytes: new TextEncoder().encode("abc"), offsets: new Uint32Array([0, 2, 3]), maxBytes: 2 };
    expect(text(encodeRunDigit(run, new Int32Array([9, 0, 5]), 3))).toBe("c,9\nab,0\nc,5\n");
    expect(text(encodeRunDigit(run, [9, 0, 5], 3))).toBe(reference(lookup, key, new Int8Array([9, 0, 5])));
  });

  test("a table of more than 64 MB of rows is encoded in slices, to the same bytes, into its own array", () => {
    const lookup = [["a".repeat(1000), "b".repeat(999), "c"]];
    const rows = 70_000; // about 1 KB a row: two slices
    const key = Int32Array.from({ length: rows }, (_, i) => i % 3);
    const digit = Int8Array.from({ length: rows }, (_, i) => i % 10);
    const bytes = encodeCsvRows(table(lookup, key, digit), { scratch: true });
    expect(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).equals(Buffer.from(reference(lookup, key, digit)))).toBe(true);
    encodeCsvRows(table(lookup, key.subarray(0, 1), digit.subarray(0, 1)), { scratch: true });
    expect(bytes[bytes.length - 2]).toBe(0x30 + ((rows - 1) % 10));
    // A bad key in the second slice is named by its row in the whole table.
    const bad = key.slice();
    bad[69_999] = 7;
    expect(() => encodeCsvRows(table(lookup, bad, digit))).toThrow(/row 69999: key 7/);
  });

  test("a key without a cell or a digit out of 0..9 is refused, naming the row", () => {
    const run = { key: new Int32Array([0, 2]), bytes: new TextEncoder().encode("ab"), offsets: new Uint32Array([0, 1, 2]), maxBytes: 1 };
    expect(() => encodeRunDigit(run, new Int8Array([1, 1]), 2)).toThrow(/row 1: key 2 or digit 1 is out of range \(keys 0\.\.1/);
    const negative = { ...run, key: new Int32Array([-1]) };
    expect(() => encodeRunDigit(negative, new Int8Array([0]), 1)).toThrow(/row 0: key -1/);
    expect(() => encodeRunDigit({ ...run, key: new Int32Array([0]) }, new Int8Array([10]), 1)).toThrow(/row 0: key 0 or digit 10/);
  });
});

describe("WebAssembly kernel builder", () => {
  test.each([
    [0, [0]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [624485, [0xe5, 0x8e, 0x26]],
  ])("unsigned LEB128 of %i", (n, bytes) => expect(uleb(n)).toEqual(bytes));

  test.each([
    [0, [0]],
    [-1, [0x7f]],
    [63, [0x3f]],
    [64, [0xc0, 0x00]],
    [-64, [0x40]],
    [-65, [0xbf, 0x7f]],
    [-123456, [0xc0, 0xbb, 0x78]],
  ])("signed LEB128 of %i", (n, bytes) => expect(sleb(n)).toEqual(bytes));

  test("a kernel runs, with locals of both types and a growable memory", () => {
    // (a, b) => { i64 x = a; return (x * b) as i32 + 1 }
    const k = kernelModule({
      params: ["i32", "i32"],
      locals: ["i64", "i32"],
      result: "i32",
      body: [
        op.localGet,
        0,
        op.i64ExtendI32U,
        op.localSet,
        2,
        op.localGet,
        2,
        op.localGet,
        1,
        op.i64ExtendI32U,
        op.i64Mul,
        op.i32WrapI64,
        op.i32Const,
        ...sleb(1),
        op.i32Add,
      ],
    });
    expect(k.run(6, 7)).toBe(43);
    expect(k.memory.buffer.byteLength).toBe(65_536);
  });

  test("an invalid body is a compile error, not a silent kernel", () => {
    expect(() => kernelModule({ params: [], locals: [], result: "i32", body: [op.i32Add] })).toThrow();
  });
});

describe("runDigitTable", () => {
  test("names the run and digits encodeCsvRows encodes a keyed-run-and-digit table from, and nothing else", () => {
    const rand = lcg(11);
    const lookup = lookups(9, 3, rand);
    const key = Int32Array.from({ length: 500 }, () => Math.floor(rand() * 9));
    const digit = Int8Array.from({ length: 500 }, () => Math.floor(rand() * 10));
    const t = table(lookup, key, digit);
    const found = runDigitTable(t);
    expect(found?.rows).toBe(500);
    expect(found?.digit).toBe(digit);
    expect(found?.run.key).toBe(key);
    const f = found as NonNullable<typeof found>;
    expect(text(encodeRunDigit(f.run, f.digit, f.rows))).toBe(text(encodeCsvRows(t)));
    // A digit out of 0..9, digits that are not an Int8Array, a second cell column, no run: not the layout.
    expect(
      runDigitTable(
        table(
          lookup,
          key,
          Int8Array.from(digit, (d, i) => (i === 3 ? 10 : d)),
        ),
      ),
    ).toBeNull();
    expect(
      runDigitTable({ ...t, columns: [...t.columns.slice(0, 3), { kind: "int", name: "t", values: Int32Array.from(digit) }] }),
    ).toBeNull();
    expect(runDigitTable({ ...t, columns: [...t.columns, { kind: "int", name: "u", values: digit }] })).toBeNull();
    expect(runDigitTable({ length: 500, columns: [{ kind: "int", name: "t", values: digit }] })).toBeNull();
  });
});

describe("digitsOnly", () => {
  const numRuns = Number(process.env.PBT_NUM_RUNS ?? 300);
  const plain = (v: ArrayLike<number>, rows: number) =>
    Array.from({ length: rows }, (_, i) => v[i] as number).every((x) => x >= 0 && x <= 9);

  test("agrees with the plain definition on bytes at any offset and length, mostly digits", () => {
    // Mostly 0..9 so that long runs pass and one bad byte anywhere (any lane of a word, or the tail) decides.
    const byte = fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0, max: 9 }) },
      { weight: 1, arbitrary: fc.integer({ min: -128, max: 255 }) },
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 80 }), fc.nat(7), fc.boolean(), (bytes, offset, signed) => {
        const buffer = new ArrayBuffer(offset + bytes.length);
        const view = signed ? new Int8Array(buffer, offset) : new Uint8Array(buffer, offset);
        view.set(bytes.map((b) => (signed ? (b << 24) >> 24 : b & 0xff)));
        for (const rows of [view.length, view.length >> 1]) expect(digitsOnly(view, rows)).toBe(plain(view, rows));
      }),
      { numRuns },
    );
  });

  test("each byte value alone, in each lane of a word: exactly 0..9 pass", () => {
    for (let b = 0; b < 256; b++)
      for (let lane = 0; lane < 5; lane++) {
        const v = new Uint8Array(8).fill(3);
        v[lane] = b;
        expect(digitsOnly(v, 8)).toBe(b <= 9);
        expect(digitsOnly(new Int8Array(v.buffer), 8)).toBe(b <= 9);
      }
  });

  test("other arrays are checked value by value", () => {
    expect(digitsOnly(new Int32Array([0, 9, 5]), 3)).toBe(true);
    expect(digitsOnly(new Int32Array([0, 10]), 2)).toBe(false);
    expect(digitsOnly([3, -1], 2)).toBe(false);
    expect(digitsOnly([3, -1], 1)).toBe(true);
  });
});
