/**
 * Parquet output through apache-arrow (building record batches) and parquet-wasm (the Rust
 * parquet writer compiled to WebAssembly). Blocks stream through `transformParquetStream`, so
 * memory stays bounded by a row group however many rows are written.
 *
 * Keyed columns become Arrow dictionary columns (Utf8 values, Int32 indices); Parquet stores
 * them dictionary-encoded, and readers (DuckDB, pyarrow, Spark) see plain strings.
 */

import * as fs from "node:fs";
import {
  Table as ArrowTable,
  DataType,
  Dictionary,
  Float64,
  Int8,
  Int16,
  Int32,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  Uint8,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import type { FileMetaData } from "hyparquet";
import * as parquet from "parquet-wasm";
import { IoError, SynthError } from "../core/errors.js";
import type { Column, KeyedColumn, Table } from "../core/table.js";
import { yieldToSignals } from "./atomic.js";
import { dictionaryLayout, readDictionaryBatches, readFooter } from "./parquet-dictionary-read.js";
import { requireRegularFile } from "./read-file.js";

/** Rows per Parquet row group: large enough to compress well, small enough to bound memory. */
export const ROW_GROUP_ROWS = 1_048_576;

// One Arrow dictionary per lookup (per tree level), however many blocks share it.
const dictionaryCache = new WeakMap<readonly string[], Vector<Utf8>>();

/**
 * A keyed column as an Arrow dictionary column whose dictionary is the lookup itself (values may
 * repeat) and whose indices are the keys. The Parquet writer interns each row's value into its own
 * dictionary in order of first appearance, so the file's bytes do not depend on how the Arrow
 * dictionary is laid out (checked: the same bytes at 3M rows); deduplicating it first cost a
 * gather per row (0.45 s of a 10M-row run). The keys are copied (one memcpy): columns sharing one
 * buffer come out of Arrow's IPC writer unreadable ("failed to fill whole buffer").
 */
function keyedVector(column: KeyedColumn, id: number): Vector {
  let values = dictionaryCache.get(column.lookup);
  if (!values) {
    values = vectorFromArray([...column.lookup], new Utf8());
    dictionaryCache.set(column.lookup, values);
  }
  const type = new Dictionary(new Utf8(), new Int32(), id);
  return makeVector(makeData({ type, length: column.key.length, nullCount: 0, data: column.key.slice(), dictionary: values }));
}

function toVector(column: Column, id: number): Vector {
  switch (column.kind) {
    case "keyed":
      return keyedVector(column, id);
    case "int": {
      const v = column.values;
      if (v instanceof Uint8Array) return makeVector(makeData({ type: new Uint8(), length: v.length, data: v }));
      if (v instanceof Int8Array) return makeVector(makeData({ type: new Int8(), length: v.length, data: v }));
      if (v instanceof Int16Array) return makeVector(makeData({ type: new Int16(), length: v.length, data: v }));
      return makeVector(makeData({ type: new Int32(), length: v.length, data: v }));
    }
    case "float":
      return floatVector(column.values);

    case "string":
      return utf8Vector(column.values);
  }
}

const encoder = new TextEncoder();

/**
 * A Utf8 vector built straight into its offsets and bytes: ASCII copied a UTF-16 unit at a time,
 * anything else through `encodeInto`, `null` as a null (the same vector `vectorFromArray` builds,
 * which spent 0.2 s of the default entities run in its generic builder).
 */
function utf8Vector(values: readonly (string | null)[]): Vector {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(16, n * 8));
  let pos = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) nulls++;
    else {
      const len = v.length;
      // A UTF-16 unit is at most 3 bytes of UTF-8.
      if (pos + 3 * len > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, pos + 3 * len));
        grown.set(bytes.subarray(0, pos));
        bytes = grown;
      }
      let c = 0;
      for (; c < len; c++) {
        const code = v.charCodeAt(c);
        if (code >= 0x80) break;
        bytes[pos + c] = code;
      }
      pos += c === len ? len : encoder.encodeInto(v, bytes.subarray(pos)).written;
    }
    offsets[i + 1] = pos;
  }
  const data = bytes.subarray(0, pos);
  if (nulls === 0) return makeVector(makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data }));
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++)
    if (values[i] !== null && values[i] !== undefined) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount: nulls, valueOffsets: offsets, data, nullBitmap: bitmap }));
}

/**
 * A Float64 vector over the values' own buffer (no copy), NaN as null through a validity bitmap.
 * (Going through `vectorFromArray` boxed every value: 1M floats took 0.3 s.)
 */
function floatVector(values: Float64Array): Vector {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) nulls++;
  if (nulls === 0) return makeVector(makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values }));
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  return makeVector(makeData({ type: new Float64(), length: values.length, nullCount: nulls, data: values, nullBitmap: bitmap }));
}

/** Converts a {@link Table} to an Arrow JS table. */

export function toArrow(table: Table): ArrowTable {
  const vectors: Record<string, Vector> = {};
  table.columns.forEach((c, i) => {
    vectors[c.name] = toVector(c, i);
  });
  return new ArrowTable(vectors);
}

/** Where encoded bytes go. */
export interface ByteSink {
  write(chunk: Uint8Array): void;
}

/**
 * Writes the tables (all with the same columns) as one Parquet file into `sink`, in row groups of
 * `rowGroupRows` (a reader holds one group at a time: fewer rows a group, less memory to read it).
 *
 * @example await writeParquet(blocks(), file)
 */
export async function writeParquet(
  tables: Iterable<Table>,
  sink: ByteSink,
  createdBy = "synthproof",
  rowGroupRows = ROW_GROUP_ROWS,
): Promise<void> {
  // Converted lazily: a generator of tables may do its generation work as each is pulled.
  function* arrow() {
    for (const t of tables) yield toArrow(t);
  }
  await writeArrowTables(arrow(), sink, { createdBy, rowGroupRows, caller: "writeParquet" });
}

/**
 * The `delta` column layout: integer and timestamp columns DELTA_BINARY_PACKED, string-dictionary
 * columns and the ones named in `dictionary` (low-cardinality numbers) dictionary-encoded, the
 * rest plain. Dictionary-encoding every column, the default, costs most of the writer's time on
 * wide numeric tables: recsys's 2.8M interactions took 1.85 s and 35 MB that way, 0.74 s and
 * 26 MB this way (DuckDB, pyarrow and parquet-wasm read both).
 */
export interface DeltaEncoding {
  readonly delta: true;
  /** Columns kept dictionary-encoded beside the string-dictionary ones. */
  readonly dictionary?: readonly string[];
}

function deltaEncoded(
  builder: parquet.WriterPropertiesBuilder,
  first: ArrowTable,
  encoding: DeltaEncoding,
): parquet.WriterPropertiesBuilder {
  let b = builder.setDictionaryEnabled(false);
  const keep = new Set(encoding.dictionary ?? []);
  for (const field of first.schema.fields) {
    if (DataType.isInt(field.type) || DataType.isTimestamp(field.type))
      b = b.setColumnEncoding(field.name, parquet.Encoding.DELTA_BINARY_PACKED);
    else if (DataType.isDictionary(field.type) || keep.has(field.name)) b = b.setColumnDictionaryEnabled(field.name, true);
  }
  return b;
}

/**
 * Writes Arrow tables (all with the same schema, from a sync or an async iterable: the next table
 * may still be in the making on a worker thread) as one Parquet file into `sink`, one table at a
 * time. What {@link writeParquet} and `parquet-arrow.ts` write through.
 */
export async function writeArrowTables(
  tables: Iterable<ArrowTable> | AsyncIterable<ArrowTable>,
  sink: ByteSink,
  options: {
    readonly createdBy: string;
    readonly rowGroupRows: number;
    readonly caller: string;
    /** Column encodings; parquet-rs's default (every column dictionary-encoded) when absent. */
    readonly encoding?: DeltaEncoding;
  },
): Promise<void> {
  const iterator: Iterator<ArrowTable> | AsyncIterator<ArrowTable> =
    Symbol.asyncIterator in tables ? tables[Symbol.asyncIterator]() : tables[Symbol.iterator]();
  // The schema comes from the first table, so there must be one (a zero-row table will do).
  let next = await iterator.next();
  if (next.done)
    throw new SynthError("parquet_no_schema", `${options.caller} got no table`, { hint: "pass at least one table (it may be empty)" });
  const batches = new ReadableStream<parquet.RecordBatch>({
    async pull(controller) {
      if (next.done) {
        controller.close();
        return;
      }
      const wasmTable = parquet.Table.fromIPCStream(tableToIPC(next.value, "stream"));
      for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      // Free the WebAssembly copy now: its memory is never returned to JS otherwise, and peak
      // memory would grow with the rows (measured: 848 MB at 30M rows without this, ~200 MB with).
      wasmTable.free();
      next = await iterator.next();
    },
  });
  let builder = new parquet.WriterPropertiesBuilder();
  if (options.encoding) builder = deltaEncoded(builder, next.value, options.encoding);
  const props = builder
    .setCompression(parquet.Compression.SNAPPY)
    .setMaxRowGroupSize(options.rowGroupRows)
    // Min/max statistics on the dictionary-encoded string columns cost 30% of the writer's time
    // (3M NAICS rows: 0.94 s with them, 0.66 s without, even at chunk level 0.91 s). They only
    // let readers skip row groups on a filter; the data sets here are read whole.
    .setStatisticsEnabled(parquet.EnabledStatistics.None)
    .setCreatedBy(options.createdBy)
    .build();
  const reader = (await parquet.transformParquetStream(batches, props)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    sink.write(value as Uint8Array);
    // The encoder runs synchronously between chunks: let a pending Ctrl-C or SIGTERM handler run.
    await yieldToSignals();
  }
}

/**
 * Reads a Parquet file one row group at a time, so memory stays bounded by a row group however
 * large the file; yields each column of each record batch as a row accessor (`string | null`),
 * and as its stored values where a reader can take a faster path ({@link RawColumn}).
 *
 * @throws IoError when the file cannot be read or is not Parquet.
 * @example for await (const b of readParquetBatches("x.parquet")) b.columns[0]?.(0)
 */
export async function* readParquetBatches(
  file: string,
): AsyncGenerator<{ names: string[]; length: number; columns: ((row: number) => string | null)[]; raw: RawColumn[] }> {
  // A file of dictionary-coded columns as io/parquet-dictionary.ts writes them is decoded
  // directly (no Arrow); any other file, or one whose footer does not parse, goes to parquet-wasm.
  requireRegularFile(file, { what: "Parquet file" });
  const direct = openDictionaryLayout(file);
  if (direct) {
    try {
      yield* readDictionaryBatches(file, direct.fd, direct.meta);
    } finally {
      fs.closeSync(direct.fd);
    }
    return;
  }
  for await (const table of readParquetGroups(file, 65_536)) {
    for (const batch of table.batches) {
      const names = batch.schema.fields.map((f) => f.name);
      const vectors = names.map((_, j) => batch.getChildAt(j) as Vector);
      yield { names, length: batch.numRows, columns: vectors.map(rowAccessor), raw: vectors.map(rawColumn) };
    }
  }
}

/** The open file and its metadata when it is in `dictionaryLayout`; null otherwise (closed again). */
function openDictionaryLayout(file: string): { fd: number; meta: FileMetaData } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const meta = readFooter(fd, fs.fstatSync(fd).size);
    if (dictionaryLayout(meta)) return { fd, meta };
  } catch {
    // Not a footer hyparquet parses: parquet-wasm reports what is wrong.
  }
  fs.closeSync(fd);
  return null;
}

/**
 * Reads a Parquet file one row group at a time as Arrow tables (in record batches of at most
 * `batchSize` rows when given; only the named `columns` when given, which skips decoding the
 * others: two of the 11 columns of recsys's 2.8M interactions read in about 35 ms, all of them in
 * about 400 ms); a file with no rows gives one table, for its schema.
 *
 * @throws IoError `bad_parquet` when the file cannot be opened or a row group read (a column
 *   named that the file does not have included).
 */
export async function* readParquetGroups(file: string, batchSize?: number, columns?: readonly string[]): AsyncGenerator<ArrowTable> {
  // Opening a FIFO blocks until a writer comes; a folder fails deep inside the reader.
  requireRegularFile(file, { what: "Parquet file" });
  const fail = (cause: unknown) =>
    new IoError("bad_parquet", `cannot read ${file} as Parquet: ${(cause as Error).message ?? String(cause)}`, {
      hint: "regenerate the folder, or check that the file is not truncated",
      cause,
    });
  let pf: parquet.ParquetFile;
  try {
    pf = await parquet.ParquetFile.fromFile(await fs.openAsBlob(file));
  } catch (cause) {
    throw fail(cause);
  }
  try {
    const groups = pf.metadata().numRowGroups();
    const only = columns ? { columns: [...columns] } : {};
    const reads =
      groups === 0 ? [only] : Array.from({ length: groups }, (_, g) => ({ rowGroups: [g], ...(batchSize ? { batchSize } : {}), ...only }));
    for (const options of reads) {
      let table: ArrowTable;
      try {
        table = tableFromIPC((await pf.read(options)).intoIPCStream());
      } catch (cause) {
        throw fail(cause);
      }
      yield table;
    }
  } finally {
    pf.free();
  }
}

// Each dictionary as text once: the batches of a row group share their dictionaries (a 10M-row
// naics file has 160 batches of 5 columns, and decoding each batch's took 0.3 s).
const dictionaryTexts = new WeakMap<Vector, readonly string[]>();

function dictionaryText(dictionary: Vector): readonly string[] {
  let text = dictionaryTexts.get(dictionary);
  if (!text) {
    text = Array.from(dictionary.toArray() as ArrayLike<unknown>, (v) => String(v));
    dictionaryTexts.set(dictionary, text);
  }
  return text;
}

/**
 * A column of a batch as stored, when it has no nulls: dictionary-coded strings (the dictionary as
 * text and each row's index into it), integers up to 32 bits, or 32- or 64-bit floats; null for anything else.
 */
export type RawColumn =
  | { readonly kind: "dictionary"; readonly values: readonly string[]; readonly indices: ArrayLike<number> }
  | { readonly kind: "int"; readonly values: ArrayLike<number> }
  | { readonly kind: "float"; readonly values: Float32Array | Float64Array }
  | null;

function rawColumn(vector: Vector): RawColumn {
  const data = vector.data[0];
  if (vector.data.length !== 1 || !data || data.nullCount !== 0) return null;
  const values = data.values as unknown;
  const rows = (a: Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array) =>
    a.subarray(data.offset, data.offset + data.length);
  const int32OrLess =
    values instanceof Int8Array ||
    values instanceof Uint8Array ||
    values instanceof Int16Array ||
    values instanceof Uint16Array ||
    values instanceof Int32Array ||
    values instanceof Uint32Array;
  if (data.dictionary && int32OrLess) return { kind: "dictionary", values: dictionaryText(data.dictionary), indices: rows(values) };
  if (!data.dictionary && DataType.isInt(data.type) && int32OrLess) return { kind: "int", values: rows(values) };
  if (!data.dictionary && DataType.isFloat(data.type) && (values instanceof Float64Array || values instanceof Float32Array))
    return { kind: "float", values: values.subarray(data.offset, data.offset + data.length) };
  return null;
}

/**
 * Reads row `i` of a vector as text. Dictionary columns (how synthproof writes codes) decode each
 * dictionary entry once per batch instead of once per row: 10M rows verify in seconds, not minutes.
 */
function rowAccessor(vector: Vector): (row: number) => string | null {
  const data = vector.data[0];
  if (vector.data.length === 1 && data?.dictionary && data.nullCount === 0) {
    const indices = data.values as ArrayLike<number>;
    const dictionary = data.dictionary;
    // Decoded on the first row asked for: a reader that takes the raw columns never asks.
    let text: readonly string[] | null = null;
    return (row) => {
      text ??= dictionaryText(dictionary);
      return text[indices[row] as number] ?? null;
    };
  }
  return (row) => {
    const v = vector.get(row);
    return v === null || v === undefined ? null : String(v);
  };
}
