/**
 * The recsys tables as typed columns, and their two encodings: Parquet through Arrow (vectors as
 * FixedSizeList<float32>, timestamps as TIMESTAMP(ms)), and CSV (vectors as `;`-joined float32
 * numbers in their shortest round-trip form, timestamps as `YYYY-MM-DDTHH:MM:SS`, UTC).
 */
import {
  Table as ArrowTable,
  Dictionary,
  Float64,
  Int8,
  Int32,
  makeData,
  makeVector,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import { quoteCsv } from "../../io/csv.js";
import { ROW_GROUP_ROWS } from "../../io/parquet.js";
import { float32ListVector, timestampMsVector } from "../../io/parquet-arrow.js";

/** A column of a recsys table. */
export type RsColumn =
  | { readonly kind: "int"; readonly name: string; readonly values: Int32Array | Int8Array }
  | { readonly kind: "float"; readonly name: string; readonly values: Float64Array }
  | { readonly kind: "vector"; readonly name: string; readonly dim: number; readonly values: Float32Array }
  | { readonly kind: "dict"; readonly name: string; readonly lookup: readonly string[]; readonly key: Int32Array }
  | { readonly kind: "string"; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: "timestamp"; readonly name: string; readonly ms: Float64Array };

/** Equally long columns. */
export interface RsTable {
  readonly length: number;
  readonly columns: readonly RsColumn[];
}

/**
 * Rows per table handed to a writer: one Parquet row group. The WebAssembly writer copies each table
 * it is handed, and its memory is never given back, so a table handed whole raises it for good (at
 * 100k users the 2.2M labels took it to 246 MB, 134 MB in row groups). Smaller chunks would save
 * about 40 MB more but change the file's bytes (parquet-rs cuts pages where a handed table ends);
 * chunks of whole row groups give the bytes of the table written whole (tested).
 */
export const TABLE_CHUNK_ROWS = ROW_GROUP_ROWS;

/**
 * The tables of rows [from, to) in chunks of TABLE_CHUNK_ROWS, each built when the writer asks for
 * it (one empty table for an empty range: a writer takes its schema from the first).
 */
export function* inChunks(
  from: number,
  to: number,
  build: (lo: number, hi: number) => RsTable,
  rows = TABLE_CHUNK_ROWS,
): Generator<RsTable> {
  let lo = from;
  do {
    const hi = Math.min(to, lo + rows);
    yield build(lo, hi);
    lo = hi;
  } while (lo < to);
}

/** Rows [lo, hi) of a table: views of its typed columns, no copy. */
export function sliceTable(t: RsTable, lo: number, hi: number): RsTable {
  if (lo === 0 && hi === t.length) return t;
  const columns = t.columns.map((c): RsColumn => {
    switch (c.kind) {
      case "vector":
        return { ...c, values: c.values.subarray(lo * c.dim, hi * c.dim) };
      case "dict":
        return { ...c, key: c.key.subarray(lo, hi) };
      case "string":
        return { ...c, values: c.values.slice(lo, hi) };
      case "timestamp":
        return { ...c, ms: c.ms.subarray(lo, hi) };
      default:
        return { ...c, values: c.values.subarray(lo, hi) } as RsColumn;
    }
  });
  return { length: hi - lo, columns };
}

/** A whole table in chunks of TABLE_CHUNK_ROWS (views, see {@link inChunks}). */
export function tableChunks(t: RsTable): Generator<RsTable> {
  return inChunks(0, t.length, (lo, hi) => sliceTable(t, lo, hi));
}

const lookupCache = new WeakMap<readonly string[], Vector<Utf8>>();

function arrowVector(c: RsColumn, id: number): Vector {
  switch (c.kind) {
    case "int":
      return c.values instanceof Int8Array
        ? makeVector(makeData({ type: new Int8(), length: c.values.length, nullCount: 0, data: c.values }))
        : makeVector(makeData({ type: new Int32(), length: c.values.length, nullCount: 0, data: c.values }));
    case "float":
      return makeVector(makeData({ type: new Float64(), length: c.values.length, nullCount: 0, data: c.values }));
    case "vector":
      return float32ListVector(c.values, c.dim);
    case "dict": {
      let dictionary = lookupCache.get(c.lookup);
      if (!dictionary) {
        dictionary = vectorFromArray([...c.lookup], new Utf8());
        lookupCache.set(c.lookup, dictionary);
      }
      const type = new Dictionary(new Utf8(), new Int32(), id);
      return makeVector(makeData({ type, length: c.key.length, nullCount: 0, data: c.key.slice(), dictionary }));
    }
    case "string":
      return vectorFromArray([...c.values], new Utf8());
    case "timestamp":
      return timestampMsVector(c.ms);
  }
}

/** The table as an Arrow table, columns in order. */
export function toArrowTable(t: RsTable): ArrowTable {
  const vectors: Record<string, Vector> = {};
  t.columns.forEach((c, i) => {
    vectors[c.name] = arrowVector(c, i);
  });
  return new ArrowTable(vectors);
}

/**
 * The shortest decimal that reads back as the same float32 (at most 9 significant digits), as
 * numpy prints a float32.
 */
export function float32Text(v: number): string {
  for (let p = 6; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(Number(v.toPrecision(9)));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DDTHH:MM:SS` (UTC) of epoch milliseconds (whole seconds). */
export function isoSecond(ms: number): string {
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 10)}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function cell(c: RsColumn, i: number): string {
  switch (c.kind) {
    case "int":
    case "float":
      return String(c.values[i]);
    case "vector": {
      const parts: string[] = [];
      for (let j = i * c.dim; j < (i + 1) * c.dim; j++) parts.push(float32Text(c.values[j] as number));
      return parts.join(";");
    }
    case "dict":
      return quoteCsv(c.lookup[c.key[i] as number] as string);
    case "string":
      return quoteCsv(c.values[i] as string);
    case "timestamp":
      return isoSecond(c.ms[i] as number);
  }
}

/** The header line of a table's CSV. */
export function csvHeaderLine(t: RsTable): string {
  return `${t.columns.map((c) => quoteCsv(c.name)).join(",")}\n`;
}

/** The table's rows as CSV lines (no header). */
export function csvRows(t: RsTable): string {
  const lines: string[] = [];
  const cols = t.columns;
  for (let i = 0; i < t.length; i++) {
    let line = cell(cols[0] as RsColumn, i);
    for (let j = 1; j < cols.length; j++) line += `,${cell(cols[j] as RsColumn, i)}`;
    lines.push(line);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}
