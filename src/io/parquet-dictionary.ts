/**
 * A Parquet writer for tables whose every column is dictionary-coded: keyed string columns (an
 * index per row into a lookup) and 8-bit integer columns. It writes the pages itself and leaves
 * the Thrift structures (page headers, file metadata) to hyparquet-writer.
 *
 * Why not parquet-wasm, which writes every other Parquet file here: on these tables it spends its
 * time re-discovering what the caller already knows. It interns each row's string into a
 * dictionary and then packs the indices, about 480 ms per 1M NAICS rows whatever the compression
 * (Snappy saved nothing: bit-packed random indices do not compress). hyparquet-writer's own
 * column writer took 680 ms per 1M rows on the same table. Here each row costs one table lookup
 * and a bit-pack per column.
 *
 * The file: `PAR1`, then row groups of up to `rowGroupRows` rows. In each group every column is
 * one chunk: a PLAIN dictionary page, then one RLE_DICTIONARY data page (v1, uncompressed) per
 * input block, bit-packed at the width of the largest index in that page (at least 1). Then the
 * footer, `ARROW:schema` included, so Arrow readers (parquet-wasm, pyarrow) read the string columns
 * as dictionary columns, as they read parquet-wasm's files. Columns are REQUIRED: there are no
 * nulls to record.
 */

import { Table as ArrowTable, Dictionary, Field, Int8, Int32, Schema, tableToIPC, Uint8, Utf8 } from "apache-arrow";
import type { ColumnChunk, FileMetaData, RowGroup, SchemaElement } from "hyparquet";
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";
import { SynthError } from "../core/errors.js";
import type { Column, Table } from "../core/table.js";
import { yieldToSignals } from "./atomic.js";
import type { ByteSink } from "./parquet.js";

/** Rows per row group, as {@link writeParquet}'s: a reader holds one group at a time. */
export const DICTIONARY_ROW_GROUP_ROWS = 1_048_576;

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"
const encoder = new TextEncoder();

/** How one column's rows become dictionary indices. */
interface ColumnPlan {
  readonly name: string;
  readonly kind: "utf8" | "int8" | "uint8";
  /** The dictionary page's values (PLAIN-encoded), written once per row group. */
  readonly dictionaryPage: Uint8Array;
  readonly dictionarySize: number;
  /** Index of each lookup entry in the dictionary (keyed columns); null for integer columns. */
  readonly remap: Int32Array | null;
  /** The lookup a keyed column's blocks must share (its dictionary was made from it). */
  readonly lookup: readonly string[] | null;
}

// One plan per lookup array, however many blocks (and files) share it.
const keyedPlans = new WeakMap<readonly string[], { dictionaryPage: Uint8Array; size: number; remap: Int32Array }>();

/**
 * A keyed column's dictionary: the lookup's distinct values in order of first appearance (a
 * NAICS level's lookup repeats each code once per leaf under it), with each entry's index.
 */
function keyedPlan(lookup: readonly string[]) {
  let plan = keyedPlans.get(lookup);
  if (!plan) {
    const index = new Map<string, number>();
    const remap = new Int32Array(lookup.length);
    const values: Uint8Array[] = [];
    for (let i = 0; i < lookup.length; i++) {
      const v = lookup[i] as string;
      let k = index.get(v);
      if (k === undefined) {
        k = index.size;
        index.set(v, k);
        values.push(encoder.encode(v));
      }
      remap[i] = k;
    }
    // PLAIN BYTE_ARRAY: a 4-byte little-endian length before each value.
    const page = new Uint8Array(values.reduce((n, v) => n + 4 + v.length, 0));
    const view = new DataView(page.buffer);
    let at = 0;
    for (const v of values) {
      view.setUint32(at, v.length, true);
      page.set(v, at + 4);
      at += 4 + v.length;
    }
    plan = { dictionaryPage: page, size: values.length, remap };
    keyedPlans.set(lookup, plan);
  }
  return plan;
}

/**
 * An 8-bit column's dictionary: all 256 values, in the order of their bit patterns (0..127, then
 * -128..-1 for Int8), so a row's index is its byte. A page of 0/1 targets packs at one bit a row.
 */
function byteDictionary(signed: boolean): Uint8Array {
  const page = new Uint8Array(256 * 4);
  const view = new DataView(page.buffer);
  for (let b = 0; b < 256; b++) view.setInt32(4 * b, signed && b >= 128 ? b - 256 : b, true);
  return page;
}
const INT8_DICTIONARY = byteDictionary(true);
const UINT8_DICTIONARY = byteDictionary(false);

function planOf(column: Column): ColumnPlan {
  if (column.kind === "keyed") {
    const p = keyedPlan(column.lookup);
    if (p.size > 1 << 24)
      throw new SynthError("parquet_dictionary_too_large", `column ${column.name} has ${p.size} distinct values`, {
        hint: "at most 16,777,216 distinct values fit this writer; write the column with writeParquet instead",
      });
    return {
      name: column.name,
      kind: "utf8",
      dictionaryPage: p.dictionaryPage,
      dictionarySize: p.size,
      remap: p.remap,
      lookup: column.lookup,
    };
  }
  if (column.kind === "int" && (column.values instanceof Int8Array || column.values instanceof Uint8Array)) {
    const signed = column.values instanceof Int8Array;
    return {
      name: column.name,
      kind: signed ? "int8" : "uint8",
      dictionaryPage: signed ? INT8_DICTIONARY : UINT8_DICTIONARY,
      dictionarySize: 256,
      remap: null,
      lookup: null,
    };
  }
  const what = column.kind === "int" ? `an int column of ${column.values.constructor.name}` : `a ${column.kind} column`;
  throw new SynthError(
    "parquet_column_kind",
    `column ${column.name} is ${what}: the dictionary writer takes keyed and 8-bit integer columns`,
    {
      hint: "write this table with writeParquet (io/parquet.ts), which takes every column kind",
    },
  );
}

/** Bits that hold 0..max, at least 1. */
function bitWidth(max: number): number {
  return Math.max(1, 32 - Math.clz32(max));
}

/**
 * Rows `from..to` of a column as an RLE/bit-packed hybrid run of dictionary indices: the page's
 * bit width (one byte), then a single bit-packed run (a varint header, then groups of 8 values,
 * the last one padded with zeros; readers stop at the page's value count).
 */
function dataPageBody(plan: ColumnPlan, column: Column, from: number, to: number, scratch: Int32Array): Uint8Array {
  const n = to - from;
  let max = 0;
  if (plan.remap) {
    const key = (column as Extract<Column, { kind: "keyed" }>).key;
    const remap = plan.remap;
    for (let i = 0; i < n; i++) {
      const k = key[from + i] as number;
      const v = remap[k];
      if (v === undefined)
        throw new SynthError("parquet_bad_key", `column ${plan.name} row ${from + i} has key ${k}, outside its lookup of ${remap.length}`, {
          hint: "keys must index the column's lookup",
        });
      scratch[i] = v;
      if (v > max) max = v;
    }
  } else {
    const values = (column as Extract<Column, { kind: "int" }>).values as Int8Array | Uint8Array;
    for (let i = 0; i < n; i++) {
      const v = (values[from + i] as number) & 0xff;
      scratch[i] = v;
      if (v > max) max = v;
    }
  }
  const width = bitWidth(max);
  const groups = Math.ceil(n / 8);
  let header = (groups << 1) | 1;
  let headerBytes = 1;
  for (let h = header >>> 7; h !== 0; h >>>= 7) headerBytes++;
  const out = new Uint8Array(1 + headerBytes + groups * width);
  out[0] = width;
  let o = 1;
  while (header >= 0x80) {
    out[o++] = (header & 0x7f) | 0x80;
    header >>>= 7;
  }
  out[o++] = header;
  // Little-endian bit order: value i's lowest bit lands at bit i * width. Widths are at most 24,
  // so the accumulator (under 8 bits pending plus one value) stays within 32 bits.
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    acc |= (scratch[i] as number) << bits;
    bits += width;
    while (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out[o++] = acc & 0xff;
  // The padding values of the last group are zeros: the buffer is zero-filled.
  return out;
}

type PageHeader = Parameters<typeof writePageHeader>[1];

/** A page header (Thrift compact; its sizes are the body's, uncompressed) followed by its body, as one buffer. */
function page(header: Omit<PageHeader, "uncompressed_page_size" | "compressed_page_size">, body: Uint8Array): Uint8Array {
  const w = new ByteWriter(64);
  writePageHeader(w, { ...header, uncompressed_page_size: body.length, compressed_page_size: body.length } as PageHeader);
  const head = w.getBytes();
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** Rows `from..to` of a column as a data page: header and body. */
function dataPage(plan: ColumnPlan, column: Column, from: number, to: number, scratch: Int32Array): Uint8Array {
  return page(
    {
      type: "DATA_PAGE",
      data_page_header: {
        num_values: to - from,
        encoding: "RLE_DICTIONARY",
        definition_level_encoding: "RLE",
        repetition_level_encoding: "RLE",
      },
    },
    dataPageBody(plan, column, from, to, scratch),
  );
}

/** A column with no rows, for the data pages of an empty file. */
const emptyColumn: Column = { kind: "int", name: "", values: new Uint8Array(0) };

/** The `ARROW:schema` value: the Arrow IPC schema message, base64, as arrow-rs writes it. */
function arrowSchema(plans: readonly ColumnPlan[]): string {
  const fields = plans.map(
    (p, i) =>
      new Field(
        p.name,
        p.kind === "utf8" ? new Dictionary(new Utf8(), new Int32(), i) : p.kind === "int8" ? new Int8() : new Uint8(),
        false,
      ),
  );
  const stream = tableToIPC(new ArrowTable(new Schema(fields)), "stream");
  // The stream starts with the schema message: 0xFFFFFFFF, its length, then the message.
  const length = new DataView(stream.buffer, stream.byteOffset).getInt32(4, true);
  return Buffer.from(stream.subarray(0, 8 + length)).toString("base64");
}

function schemaElement(p: ColumnPlan): SchemaElement {
  return p.kind === "utf8"
    ? { type: "BYTE_ARRAY", repetition_type: "REQUIRED", name: p.name, converted_type: "UTF8", logical_type: { type: "STRING" } }
    : // The converted type alone: hyparquet-writer 0.17.0 writes IntType's bitWidth (a Thrift i8)
      // as an i32, which readers take for 16 bits. Readers derive INTEGER(8) from INT_8.
      { type: "INT32", repetition_type: "REQUIRED", name: p.name, converted_type: p.kind === "int8" ? "INT_8" : "UINT_8" };
}

/**
 * Writes the tables (all with the same columns: keyed, or 8-bit integers; a keyed column's lookup
 * the same array in every table) as one Parquet file into `sink`. Row groups hold `rowGroupRows`
 * rows (a table that crosses a boundary is split there); each table is one data page per column.
 * At least one table is needed, for the schema; it may have no rows.
 *
 * @throws SynthError `parquet_no_schema` (no table), `parquet_column_kind` (a column of another
 *   kind), `parquet_schema_changed` (a later table's columns differ), `parquet_bad_key` (a key
 *   outside its lookup).
 * @example await writeDictionaryParquet(blocks(), file, "synthproof naics 1.1.0")
 */
export async function writeDictionaryParquet(
  tables: Iterable<Table>,
  sink: ByteSink,
  createdBy: string,
  rowGroupRows = DICTIONARY_ROW_GROUP_ROWS,
): Promise<void> {
  let plans: ColumnPlan[] | null = null;
  let offset = 0;
  const put = (bytes: Uint8Array) => {
    sink.write(bytes);
    offset += bytes.length;
  };
  put(MAGIC);
  const groups: RowGroup[] = [];
  // The current row group: each column's data pages, and its rows.
  let pages: Uint8Array[][] = [];
  let groupRows = 0;
  let totalRows = 0;
  let scratch = new Int32Array(0);

  // `last`: the end of the file. A file with no rows still gets one row group (of 0 rows, each
  // column an empty data page): hyparquet-writer 0.17.0 writes an empty list of row groups with
  // an element type readers reject ("Expected list element type of Struct").
  const flush = (last = false) => {
    if (plans === null || (groupRows === 0 && !(last && totalRows === 0))) return;
    if (groupRows === 0)
      plans.forEach((p, j) => {
        (pages[j] as Uint8Array[]).push(dataPage(p, emptyColumn, 0, 0, scratch));
      });
    const groupStart = offset;
    const columns: ColumnChunk[] = plans.map((p, j) => {
      const start = offset;
      put(
        page(
          {
            type: "DICTIONARY_PAGE",
            dictionary_page_header: { num_values: p.dictionarySize, encoding: "PLAIN" },
          },
          p.dictionaryPage,
        ),
      );
      const dataStart = offset;
      const list = pages[j] as Uint8Array[];
      for (const bytes of list) put(bytes);
      const size = BigInt(offset - start);
      return {
        file_offset: BigInt(start),
        meta_data: {
          type: p.kind === "utf8" ? "BYTE_ARRAY" : "INT32",
          encodings: ["PLAIN", "RLE", "RLE_DICTIONARY"],
          path_in_schema: [p.name],
          codec: "UNCOMPRESSED",
          num_values: BigInt(groupRows),
          total_uncompressed_size: size,
          total_compressed_size: size,
          data_page_offset: BigInt(dataStart),
          dictionary_page_offset: BigInt(start),
          encoding_stats: [
            { page_type: "DICTIONARY_PAGE", encoding: "PLAIN", count: 1 },
            { page_type: "DATA_PAGE", encoding: "RLE_DICTIONARY", count: list.length },
          ],
        },
      };
    });
    const bytes = BigInt(offset - groupStart);
    groups.push({
      columns,
      total_byte_size: bytes,
      num_rows: BigInt(groupRows),
      file_offset: BigInt(groupStart),
      total_compressed_size: bytes,
    });
    pages = plans.map(() => []);
    groupRows = 0;
  };

  for (const table of tables) {
    if (plans === null) {
      plans = table.columns.map(planOf);
      pages = plans.map(() => []);
    } else if (
      table.columns.length !== plans.length ||
      table.columns.some((c, j) => {
        const p = (plans as ColumnPlan[])[j] as ColumnPlan;
        return c.name !== p.name || (c.kind === "keyed" ? c.lookup !== p.lookup : planOf(c).kind !== p.kind);
      })
    )
      throw new SynthError("parquet_schema_changed", "a table's columns differ from the first table's", {
        hint: "give every table the same columns in the same order (keyed columns with the same lookup)",
      });
    if (scratch.length < Math.min(table.length, rowGroupRows)) scratch = new Int32Array(Math.min(table.length, rowGroupRows));
    for (let from = 0; from < table.length; ) {
      const to = Math.min(table.length, from + (rowGroupRows - groupRows));
      const n = to - from;
      plans.forEach((p, j) => {
        (pages[j] as Uint8Array[]).push(dataPage(p, table.columns[j] as Column, from, to, scratch));
      });
      groupRows += n;
      totalRows += n;
      from = to;
      if (groupRows === rowGroupRows) flush();
    }
    // The encoder runs synchronously: let a pending Ctrl-C or SIGTERM handler run.
    await yieldToSignals();
  }
  if (plans === null)
    throw new SynthError("parquet_no_schema", "writeDictionaryParquet got no table", { hint: "pass at least one table (it may be empty)" });
  flush(true);
  const metadata: FileMetaData = {
    version: 1,
    schema: [{ name: "schema", num_children: plans.length }, ...plans.map(schemaElement)],
    num_rows: BigInt(totalRows),
    row_groups: groups,
    key_value_metadata: [{ key: "ARROW:schema", value: arrowSchema(plans) }],
    created_by: createdBy,
    metadata_length: 0,
  };
  const footer = new ByteWriter(4096);
  writeMetadata(footer, metadata);
  put(footer.getBytes().slice());
  put(MAGIC);
}
