/**
 * Reads a data file (CSV or Parquet, written by synthproof or not) back into the columns a spec
 * declares, streaming: a row group or a CSV record at a time, only the spec's columns kept, as
 * numbers (a categorical label as its category's index).
 *
 * Cells: numbers as written (`1`, `-2.5e3`), `NaN`/`nan`, `Infinity`/`inf` with a sign; `true`
 * and `false` too in a code generator's bool column. A cell that is none of these (or a fraction
 * in an int column, or a label that is not one of the spec's categories) is a problem the `cells`
 * check reports, counted and with its first rows (0-based data rows); it is read as a null so no
 * statistic uses it. An empty cell is a null (`blank: "null"`, any file) or NaN (`blank: "nan"`,
 * a file synthproof wrote: its CSV writes NaN as an empty cell and its Parquet as a null).
 */
import * as fs from "node:fs";
import { type CheckResult, check } from "../../checks/result.js";
import { InputError } from "../../core/errors.js";
import { regularFileSize } from "../../io/read-file.js";
import type { ProgressListener } from "../scenario.js";
import type { DeclaredColumn } from "./generate-columns.js";
import { AllViolations } from "./requirement-checks.js";

/** How {@link readDataFile} reads. */
export interface ReadDataOptions {
  /** What an empty cell of a number column is: a null (any file) or NaN (a file synthproof wrote). */
  readonly blank: "null" | "nan";
  /** Rows the file should have, for progress (default: the rows read so far). */
  readonly expectedRows?: number;
  /** Rows read, of `expectedRows`. */
  readonly onProgress?: ProgressListener;
}

/** The spec's columns as a file holds them. */
export interface DataFileContents {
  readonly format: "csv" | "parquet";
  readonly rows: number;
  /** The file's column names, in order. */
  readonly header: readonly string[];
  /** Every declared column the file has. */
  readonly numeric: Map<string, Float64Array>;
  /** Per column with at least one null: 1 at each null row (the value there is NaN). */
  readonly nulls: Map<string, Uint8Array>;
  /** The cells that could not be read as their column's type. */
  readonly cells: CheckResult;
}

/** Rows a cell problem lists. */
const ROWS_SHOWN = 5;

/** Rows between progress reports. */
const PROGRESS_ROWS = 65_536;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL = new Map<string, number>([
  ["nan", Number.NaN],
  ["inf", Number.POSITIVE_INFINITY],
  ["+inf", Number.POSITIVE_INFINITY],
  ["infinity", Number.POSITIVE_INFINITY],
  ["+infinity", Number.POSITIVE_INFINITY],
  ["-inf", Number.NEGATIVE_INFINITY],
  ["-infinity", Number.NEGATIVE_INFINITY],
]);

/** A number cell's value, or undefined when it is not a number. */
export function parseNumberCell(text: string): number | undefined {
  if (NUMBER.test(text)) return Number(text);
  return SPECIAL.get(text.toLowerCase());
}

/** One declared column being read: values, nulls, and the problems of its cells. */
class ColumnReader {
  values: Float64Array;
  nulls: Uint8Array | null = null;
  readonly problems = new Map<string, { count: number; first: { row: number; value: string }[] }>();
  private readonly labels: Map<string, number> | null;

  constructor(
    readonly column: DeclaredColumn,
    readonly at: number,
    capacity: number,
    private readonly blankIsNull: boolean,
  ) {
    this.values = new Float64Array(Math.max(16, capacity));
    this.labels = column.labels ? new Map(column.labels.map((l, i) => [l, i] as [string, number]).reverse()) : null;
  }

  read(row: number, cell: string | null): void {
    if (row === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
      if (this.nulls) {
        const n = new Uint8Array(grown.length);
        n.set(this.nulls);
        this.nulls = n;
      }
    }
    const text = cell ?? "";
    const value = this.parse(text, row);
    this.values[row] = value === null ? Number.NaN : value;
    if (value === null) {
      this.nulls ??= new Uint8Array(this.values.length);
      this.nulls[row] = 1;
    }
  }

  /** The cell's number; null for a null (or an unreadable cell, recorded as a problem). */
  private parse(text: string, row: number): number | null {
    if (this.labels) {
      const index = this.labels.get(text);
      if (index !== undefined) return index;
      if (text === "" && this.blankIsNull) return null;
      return this.problem("not one of the column's categories", row, text);
    }
    if (text === "") return this.blankIsNull ? null : Number.NaN;
    if (this.column.bool) {
      const t = text.toLowerCase();
      if (t === "true" || t === "1") return 1;
      if (t === "false" || t === "0") return 0;
      return this.problem("not a bool (true, false, 1 or 0)", row, text);
    }
    const v = parseNumberCell(text);
    if (v === undefined) return this.problem("not a number", row, text);
    if (this.column.type === "int" && Number.isFinite(v) && !Number.isInteger(v))
      return this.problem("not a whole number in an int column", row, text);
    return v;
  }

  private problem(what: string, row: number, value: string): null {
    const p = this.problems.get(what) ?? { count: 0, first: [] };
    p.count++;
    if (p.first.length < ROWS_SHOWN) p.first.push({ row, value });
    this.problems.set(what, p);
    return null;
  }
}

/** Parquet by its extension, or by its magic bytes `PAR1`. */
function isParquet(file: string, size: number): boolean {
  if (/\.(parquet|pq)$/i.test(file)) return true;
  if (size < 4) return false;
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.toString("latin1") === "PAR1";
}

/** Rows of a CSV file as cell arrays, header first. */
async function* csvRecords(file: string): AsyncGenerator<string[]> {
  const { parse } = await import("csv-parse");
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }));
  try {
    for await (const record of parser) yield record as string[];
  } catch (cause) {
    throw new InputError("bad_csv", `${file} is not a readable CSV file: ${(cause as Error).message}`, {
      location: { file },
      hint: "check the file's quoting (every quoted cell closed) and that it is CSV",
      cause,
    });
  }
}

/** Rows of a Parquet file as cell accessors, one batch at a time. */
async function* parquetBatches(
  file: string,
): AsyncGenerator<{ names: string[]; length: number; columns: ((row: number) => string | null)[] }> {
  // Loaded on demand: Arrow and the Parquet WebAssembly cost ~80 ms at every start otherwise.
  const { readParquetBatches } = await import("../../io/parquet.js");
  yield* readParquetBatches(file);
}

/**
 * Reads the `columns` a spec declares from `file` (CSV, or Parquet by extension or magic bytes).
 * Columns the file lacks are absent from `numeric` (the caller names them); columns the spec
 * does not declare are skipped.
 *
 * @throws InputError when the file is missing, not a regular file or not CSV; IoError when it is a broken Parquet file.
 * @example (await readDataFile("out/linear/data.csv", declaredColumns(spec), { blank: "nan" })).rows
 */
export async function readDataFile(file: string, columns: readonly DeclaredColumn[], options: ReadDataOptions): Promise<DataFileContents> {
  // Refused before it is streamed: a FIFO would block forever.
  const size = regularFileSize(file, { what: "data file", hint: "give the path of a CSV or Parquet file" });
  const format = isParquet(file, size) ? "parquet" : "csv";
  const blankIsNull = options.blank === "null";
  let header: string[] | null = null;
  let readers: ColumnReader[] = [];
  let rows = 0;
  const start = (names: string[]) => {
    header = names;
    readers = columns.flatMap((c) => {
      const at = names.indexOf(c.name);
      return at === -1 ? [] : [new ColumnReader(c, at, options.expectedRows ?? 0, blankIsNull)];
    });
  };
  const tick = () => {
    if (rows % PROGRESS_ROWS === 0) options.onProgress?.(rows, Math.max(rows, options.expectedRows ?? 0));
  };
  if (format === "parquet") {
    for await (const batch of parquetBatches(file)) {
      if (header === null) start(batch.names);
      for (let i = 0; i < batch.length; i++) {
        for (const r of readers) r.read(rows, (batch.columns[r.at] as (row: number) => string | null)(i));
        rows++;
        tick();
      }
    }
  } else {
    for await (const record of csvRecords(file)) {
      if (header === null) {
        start(record);
        continue;
      }
      for (const r of readers) r.read(rows, record[r.at] ?? null);
      rows++;
      tick();
    }
  }
  options.onProgress?.(rows, Math.max(rows, options.expectedRows ?? 0));
  const cells = new AllViolations();
  for (const r of readers)
    for (const [problem, p] of r.problems)
      cells.add({ check: "cells", column: r.column.name, problem, cells: p.count, first_rows: p.first });
  return {
    format,
    rows,
    header: header ?? [],
    numeric: new Map(readers.map((r) => [r.column.name, r.values.subarray(0, rows)])),
    nulls: new Map(readers.flatMap((r) => (r.nulls ? [[r.column.name, r.nulls.subarray(0, rows)] as [string, Uint8Array]] : []))),
    cells: check(
      "cells",
      "every cell of the spec's columns reads as its column's type (a number, a whole number, a bool, a category)",
      {},
      cells,
    ),
  };
}
