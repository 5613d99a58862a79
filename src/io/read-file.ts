/**
 * Reading the files users and runs hand us: one place that refuses what is not a regular file
 * (a folder, a FIFO that would block forever, a device), says what each failure means in words,
 * and parses JSON objects and CSV tables. Every scenario's verify, score and config loading reads
 * through here.
 */
import * as fs from "node:fs";
import { InputError } from "../core/errors.js";
import { parse as parseCsv } from "../core/stdlib/csv-parse.js";
import { fsReason } from "./fs-error.js";

/** What a reader says when a file is wrong: its error code and what to do about it. */
export interface ReadContext {
  /** The error code for a missing or unreadable file (default `cannot_read`). */
  readonly code?: string;
  /** What to do, e.g. "give a folder written by `synthproof generate naics`". */
  readonly hint?: string;
  /** What the file is, for messages: "config file", "predictions file" (default "file"). */
  readonly what?: string;
}

/**
 * What `st` is when it is not a regular file ("a folder", "a FIFO (named pipe)", ...), or null when
 * it is one. A FIFO or a device is refused before it is opened: opening a FIFO for reading blocks
 * until a writer comes, which may be never.
 */
function irregular(st: fs.Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** Throws `not_a_file` when `st` (of `file`) is not a regular file (a folder gets `ctx.hint`). */
function requireRegular(file: string, st: fs.Stats, ctx: ReadContext): void {
  const kind = irregular(st);
  if (kind === null) return;
  throw new InputError("not_a_file", `cannot read ${ctx.what ?? "file"} ${file}: it is ${kind}, not a regular file`, {
    location: { file },
    hint:
      kind === "a folder"
        ? (ctx.hint ?? "name the file inside the folder")
        : "synthproof reads only regular files, so a pipe or device can never block it; save the data to a file first",
  });
}

/** The error for a file that cannot be read (`ctx.code`, default `cannot_read`), saying why in words. */
function cannotRead(file: string, cause: unknown, ctx: ReadContext): InputError {
  return new InputError(ctx.code ?? "cannot_read", `cannot read ${ctx.what ?? "file"} ${file}: ${fsReason(cause)}`, {
    location: { file },
    ...(ctx.hint === undefined ? {} : { hint: ctx.hint }),
    cause,
  });
}

/**
 * Refuses `file` when it exists but is not a regular file, before anything opens it: for readers
 * that stream a file (millions of rows) instead of reading it whole.
 *
 * @throws InputError `not_a_file` for a folder, FIFO, socket or device (a folder gets `ctx.hint`).
 * @example requireRegularFile("out/naics/naics.csv", { what: "row file" }); forEachLine(...)
 */
export function requireRegularFile(file: string, ctx: ReadContext = {}): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return;
  }
  requireRegular(file, st, ctx);
}

/**
 * The size of `file`, which must be a regular file: for readers that stream a file and look at
 * its size first.
 *
 * @throws InputError (`ctx.code`, default `cannot_read`) when it is missing or cannot be looked at;
 *   `not_a_file` as {@link requireRegularFile}.
 * @example regularFileSize("data.csv", { what: "data file" }) // 812345
 */
export function regularFileSize(file: string, ctx: ReadContext = {}): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (cause) {
    throw cannotRead(file, cause, ctx);
  }
  requireRegular(file, st, ctx);
  return st.size;
}

/**
 * Reads a whole regular file as bytes.
 *
 * @throws InputError (`ctx.code`, default `cannot_read`) naming the file and why, with `ctx.hint`;
 *   `not_a_file` for a folder, FIFO, socket or device.
 * @example readFileBytes("out/naics/truth.csv", { hint: "regenerate the folder" })
 */
export function readFileBytes(file: string, ctx: ReadContext = {}): Buffer {
  requireRegularFile(file, ctx);
  try {
    return fs.readFileSync(file);
  } catch (cause) {
    throw cannotRead(file, cause, ctx);
  }
}

/** Reads a whole regular file as UTF-8 text (a byte-order mark is dropped). */
export function readFileText(file: string, ctx: ReadContext = {}): string {
  const text = readFileBytes(file, ctx).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when `file` exists (as anything). */
export function exists(file: string): boolean {
  return fs.existsSync(file);
}

/**
 * Reads a JSON file that must hold an object.
 *
 * @throws InputError as {@link readFileBytes}; `bad_json` when it is not a JSON object.
 * @example readJsonObject("out/naics/manifest.json", { hint: "regenerate it" }).seed
 */
export function readJsonObject(file: string, ctx: ReadContext = {}): Record<string, unknown> {
  const text = readFileText(file, ctx);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InputError("bad_json", `${file} is not valid JSON: ${(cause as Error).message}`, {
      location: { file },
      ...(ctx.hint === undefined ? {} : { hint: ctx.hint }),
      cause,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError("bad_json", `${file} is not a JSON object`, {
      location: { file },
      ...(ctx.hint === undefined ? {} : { hint: ctx.hint }),
    });
  }
  return value as Record<string, unknown>;
}

/** A CSV file as its header and rows of cells (ragged rows are kept as they are, for checks to name). */
export interface CsvTable {
  readonly header: string[];
  readonly rows: string[][];
}

/**
 * Reads a CSV file (RFC 4180; a byte-order mark is dropped) as header + rows.
 *
 * @throws InputError as {@link readFileBytes}; `bad_csv` for a malformed file (an unclosed quote).
 * @example readCsvTable("out/ent/truth/entities.csv").header // ["source", "id", "entity_id"]
 */
export function readCsvTable(file: string, ctx: ReadContext = {}): CsvTable {
  const bytes = readFileBytes(file, ctx);
  let records: string[][];
  try {
    records = parseCsv(bytes, { relax_column_count: true, bom: true }) as string[][];
  } catch (cause) {
    throw new InputError("bad_csv", `cannot read ${ctx.what ?? "file"} ${file} as CSV: ${(cause as Error).message}`, {
      location: { file },
      ...(ctx.hint === undefined ? {} : { hint: ctx.hint }),
      cause,
    });
  }
  return { header: records[0] ?? [], rows: records.slice(1) };
}

/** Reads cell `name` of a row by its header ("" when the column or the cell is missing). */
export function cellReader(header: readonly string[]): (row: readonly string[], name: string) => string {
  const index = new Map(header.map((h, i) => [h, i]));
  return (row, name) => row[index.get(name) ?? -1] ?? "";
}
