/**
 * Reading Parquet files laid out as `parquet-dictionary.ts` writes them, without Arrow: every
 * column REQUIRED, uncompressed and dictionary-coded (a PLAIN dictionary page, then v1
 * RLE_DICTIONARY data pages), strings or 8-bit integers. Each row group's columns are decoded to
 * dictionary indices and handed out in batches, as `readParquetBatches` hands them out.
 *
 * Why: reading such a file through parquet-wasm turns it into Arrow IPC, then Arrow JS decodes
 * that IPC: 10M naics rows took about 3.6 s to verify that way, against 1.6 s for the same rows as
 * CSV. Here the only per-row work is hyparquet's RLE/bit-packed decoder, writing indices into an
 * Int32Array. hyparquet (a well-kept pure-JS reader) parses the footer and the page headers; its
 * own row reader is not used, because it turns every index into its string. Files of any other
 * layout (a naics 1.0.0 file is Snappy-compressed with optional columns) are left to parquet-wasm:
 * {@link dictionaryLayout} says which.
 */
import * as fs from "node:fs";
import type { ColumnMetaData, FileMetaData, SchemaElement } from "hyparquet";
import { parquetMetadata } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { readRleBitPackedHybrid } from "hyparquet/src/encoding.js";
import { IoError } from "../core/errors.js";

/** Rows a batch holds at most (as `readParquetBatches` reads them). */
export const DICTIONARY_BATCH_ROWS = 65_536;

/** A batch: the same shape as `readParquetBatches` yields. */
export interface DictionaryBatch {
  readonly names: string[];
  readonly length: number;
  readonly columns: ((row: number) => string | null)[];
  readonly raw: (
    | { readonly kind: "dictionary"; readonly values: readonly string[]; readonly indices: Int32Array }
    | { readonly kind: "int"; readonly values: Int8Array | Uint8Array }
  )[];
}

const DICTIONARY_ENCODINGS: ReadonlySet<string> = new Set(["PLAIN", "RLE", "RLE_DICTIONARY", "PLAIN_DICTIONARY", "BIT_PACKED"]);

function leafKind(e: SchemaElement): "utf8" | "int8" | "uint8" | null {
  if (e.repetition_type !== "REQUIRED" || e.num_children !== undefined) return null;
  if (e.type === "BYTE_ARRAY" && e.converted_type === "UTF8") return "utf8";
  if (e.type === "INT32" && e.converted_type === "INT_8") return "int8";
  if (e.type === "INT32" && e.converted_type === "UINT_8") return "uint8";
  return null;
}

function chunkFits(m: ColumnMetaData | undefined): boolean {
  if (m === undefined || m.codec !== "UNCOMPRESSED" || m.dictionary_page_offset === undefined) return false;
  if (!m.encodings.every((e) => DICTIONARY_ENCODINGS.has(e))) return false;
  // The page kinds must be stated: a writer that leaves them out may write v2 pages.
  return (
    m.encoding_stats?.every(
      (s) =>
        (s.page_type === "DICTIONARY_PAGE" && s.encoding === "PLAIN") ||
        (s.page_type === "DATA_PAGE" && s.encoding.endsWith("_DICTIONARY")),
    ) === true
  );
}

/** Whether the file's metadata describes the layout this reader takes (then it reads every row group). */
export function dictionaryLayout(meta: FileMetaData): boolean {
  const [root, ...leaves] = meta.schema;
  if (root === undefined || root.num_children !== leaves.length || leaves.length === 0) return false;
  if (!leaves.every((e) => leafKind(e) !== null)) return false;
  return meta.row_groups.every((g) => g.columns.length === leaves.length && g.columns.every((c) => chunkFits(c.meta_data)));
}

/** Reads `length` bytes at `position` of an open file. */
function readAt(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, out, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? out : out.subarray(0, got);
}

/** The file's metadata, from its footer (the last 8 bytes give its length). */
export function readFooter(fd: number, size: number): FileMetaData {
  const tail = readAt(fd, Math.max(0, size - 8), Math.min(8, size));
  const length = tail.length === 8 ? new DataView(tail.buffer).getUint32(0, true) : 0;
  const bytes = readAt(fd, Math.max(0, size - 8 - length), Math.min(size, length + 8));
  return parquetMetadata(bytes);
}

const decoder = new TextDecoder();

/**
 * The RLE/bit-packed hybrid run of `bytes[from..end)` into `out` (one value per slot), for bit
 * widths up to 24 (a 32-bit accumulator holds a value and the 7 bits pending before it). Written
 * here because hyparquet's general decoder (a DataView read per byte) took 618 ms of the 50M
 * values of a 10M-row naics file; wider values go to it.
 */
export function decodeHybrid(bytes: Uint8Array, from: number, end: number, width: number, out: Int32Array, name: string): void {
  if (width > 24) {
    readRleBitPackedHybrid({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: from }, width, out, end - from);
    return;
  }
  const mask = width === 0 ? 0 : 2 ** width - 1;
  const valueBytes = (width + 7) >> 3;
  let p = from;
  let seen = 0;
  while (seen < out.length) {
    if (p >= end) throw new Error(`column ${name}: a data page ends after ${seen} of its ${out.length} values`);
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++] as number;
      header += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (header % 2 === 1) {
      // Bit-packed: groups of 8 values, little-endian bit order, `width` bytes a group; the
      // page's value count ends the last group early.
      const groups = (header - 1) / 2;
      const runStart = p;
      const n = Math.min(out.length - seen, 8 * groups);
      let acc = 0;
      let bits = 0;
      for (let i = 0; i < n; i++) {
        while (bits < width) {
          acc |= (bytes[p++] as number) << bits;
          bits += 8;
        }
        out[seen + i] = acc & mask;
        acc >>>= width;
        bits -= width;
      }
      p = runStart + groups * width;
      seen += n;
    } else {
      const count = Math.min(out.length - seen, header / 2);
      let value = 0;
      for (let k = 0; k < valueBytes; k++) value += (bytes[p++] as number) * 2 ** (8 * k);
      out.fill(value, seen, seen + count);
      seen += count;
    }
  }
}

/** One column chunk: its dictionary as text (or numbers) and every row's index into it. */
function decodeChunk(bytes: Uint8Array, rows: number, kind: "utf8" | "int8" | "uint8", name: string) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = { view, offset: 0 };
  let text: string[] | null = null;
  let numbers: Int32Array | null = null;
  const indices = new Int32Array(rows);
  let filled = 0;
  // Until every row is read, and the dictionary (which comes first) even when there are none.
  while (filled < rows || (text === null && numbers === null)) {
    if (reader.offset >= bytes.length) throw new Error(`column ${name} ends after ${filled} of its ${rows} values`);
    const header = parquetHeader(reader);
    const body = reader.offset;
    const size = header.compressed_page_size;
    if (header.type === "DICTIONARY_PAGE") {
      const count = header.dictionary_page_header?.num_values ?? 0;
      if (kind === "utf8") {
        text = new Array<string>(count);
        let at = body;
        for (let k = 0; k < count; k++) {
          const len = view.getUint32(at, true);
          text[k] = decoder.decode(bytes.subarray(at + 4, at + 4 + len));
          at += 4 + len;
        }
      } else {
        numbers = new Int32Array(count);
        for (let k = 0; k < count; k++) numbers[k] = view.getInt32(body + 4 * k, true);
      }
    } else if (header.type === "DATA_PAGE" && header.data_page_header?.encoding.endsWith("_DICTIONARY")) {
      const count = header.data_page_header.num_values;
      if (filled + count > rows) throw new Error(`column ${name} holds more values than its ${rows} rows`);
      const width = view.getUint8(body);
      decodeHybrid(bytes, body + 1, body + size, width, indices.subarray(filled, filled + count), name);
      filled += count;
    } else throw new Error(`column ${name} has a ${header.type} page of another encoding`);
    reader.offset = body + size;
  }
  const dictionarySize = text?.length ?? numbers?.length ?? 0;
  for (let i = 0; i < rows; i++)
    if ((indices[i] as number) >= dictionarySize)
      throw new Error(`column ${name} row ${i} indexes past its dictionary of ${dictionarySize}`);
  return { text, numbers, indices };
}

/**
 * The batches of a file in {@link dictionaryLayout}, a row group at a time: each group's columns
 * are decoded whole (4 bytes a row a column), then handed out {@link DICTIONARY_BATCH_ROWS} rows at
 * a time. A file with no rows gives one empty batch, for its column names.
 *
 * @throws IoError `bad_parquet` when a page does not decode (a truncated or edited file).
 */
export function* readDictionaryBatches(file: string, fd: number, meta: FileMetaData): Generator<DictionaryBatch> {
  const leaves = meta.schema.slice(1);
  const names = leaves.map((e) => e.name);
  const kinds = leaves.map((e) => leafKind(e) as "utf8" | "int8" | "uint8");
  const fail = (cause: unknown) =>
    new IoError("bad_parquet", `cannot read ${file} as Parquet: ${(cause as Error).message ?? String(cause)}`, {
      hint: "regenerate the folder, or check that the file is not truncated",
      cause,
    });
  let yielded = false;
  for (const group of meta.row_groups) {
    const rows = Number(group.num_rows);
    let columns: ReturnType<typeof decodeChunk>[];
    try {
      columns = group.columns.map((c, j) => {
        const m = c.meta_data as ColumnMetaData;
        const start = Number(m.dictionary_page_offset);
        return decodeChunk(readAt(fd, start, Number(m.total_compressed_size)), rows, kinds[j] as "utf8", names[j] as string);
      });
    } catch (cause) {
      throw fail(cause);
    }
    // The 8-bit columns as their values, as Arrow readers give them.
    const ints = columns.map((c, j) => {
      if (c.numbers === null) return null;
      const values = kinds[j] === "int8" ? new Int8Array(rows) : new Uint8Array(rows);
      const dict = c.numbers;
      for (let i = 0; i < rows; i++) values[i] = dict[c.indices[i] as number] as number;
      return values;
    });
    for (let from = 0; from < rows || (!yielded && from === 0); from += DICTIONARY_BATCH_ROWS) {
      const to = Math.min(rows, from + DICTIONARY_BATCH_ROWS);
      const raw: DictionaryBatch["raw"] = columns.map((c, j) => {
        const values = ints[j];
        if (values) return { kind: "int" as const, values: values.subarray(from, to) };
        return { kind: "dictionary" as const, values: c.text as string[], indices: c.indices.subarray(from, to) };
      });
      const accessors = raw.map((r): ((row: number) => string | null) => {
        if (r.kind === "int") {
          const v = r.values;
          return (row) => (row < v.length ? String(v[row]) : null);
        }
        const { values, indices } = r;
        return (row) => values[indices[row] as number] ?? null;
      });
      yielded = true;
      yield { names, length: to - from, columns: accessors, raw };
      if (rows === 0) break;
    }
  }
  if (!yielded) yield { names, length: 0, columns: names.map(() => () => null), raw: [] };
}
