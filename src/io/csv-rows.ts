/**
 * A CSV file's rows one at a time, in the memory of one line: for readers that fold millions of
 * rows into counts (entities' verify at 10x volumes read its 2 million profile rows whole, about
 * 0.7 GB of arrays and strings). Rows are the ones {@link readCsvTable} gives, cell for cell.
 *
 * Hand-written over {@link forEachLine} rather than csv-parse's stream because that parser took
 * 5 s for those 2 million rows, the line split about a tenth of it. A line without a quote is
 * decoded once and split at its commas; a line with one is parsed by {@link quotedRecord} (joined
 * with the lines that follow while its quotes are unbalanced: a quoted cell may hold a line break).
 * csv-parse's sync call per line cost about 60 µs of set-up, 6 s for the 100,000 quoted lines of a
 * 10x leads file; the tests hold both parsers to the same cells and the same refusals.
 */
import { InputError } from "../core/errors.js";
import { type ReadContext, regularFileSize } from "./read-file.js";
import { forEachLine } from "./read-lines.js";

const QUOTE = 0x22;
const COMMA = 0x2c;

/** What {@link forEachCsvRow} calls: `onHeader` with the first record, then `onRow` for each after it. */
export interface CsvRowReader {
  onHeader?(header: string[]): void;
  onRow(cells: string[], index: number): void;
  /**
   * Equal cells of a column with few distinct values (a source name, a kind, a country) are given
   * as one string, so rows that are kept hold one copy of each value (at 10x volumes the truth and
   * log rows held 1.4 million copies of about 50 words). A column stops being shared once it has
   * {@link SHARED_VALUES_MAX} distinct values. Default false.
   */
  readonly shareRepeated?: boolean;
}

/** Distinct values past which a column's cells are no longer shared (see {@link CsvRowReader.shareRepeated}). */
export const SHARED_VALUES_MAX = 1024;

/**
 * Calls `reader.onHeader(header)`, then `reader.onRow(cells, index)` for each row after the header
 * (index 0 is the first); returns the header ([] for an empty file). A byte-order mark is dropped; a blank line is a row of one empty cell, as
 * csv-parse reads it; rows may have any number of cells, and a quoted cell keeps its line breaks.
 *
 * @throws InputError as {@link regularFileSize} for a missing or irregular file; `bad_csv` for
 *   malformed CSV (an unclosed quote), naming the line. IoError when the file cannot be read.
 * @example const header = forEachCsvRow("out/er/truth/entities.csv", { onRow: (cells) => count(cells[2]) });
 */
export function forEachCsvRow(file: string, reader: CsvRowReader, ctx: ReadContext = {}): string[] {
  const size = regularFileSize(file, ctx);
  // Each line is decoded on its own: a decoder that dropped a leading BOM would drop it from any
  // line starting with U+FEFF, so only the file's first line loses one, below.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let header: string[] | undefined;
  let rows = 0;
  // A row whose quoted cell spans lines: its text so far (with the line breaks the file has),
  // its quotes, and the line it started on.
  let pending = "";
  let open = false;
  let pendingQuotes = 0;
  let pendingLine = 0;
  const bad = (line: number, why: string): InputError =>
    new InputError("bad_csv", `cannot read ${ctx.what ?? "file"} ${file} as CSV: ${why} (line ${line})`, {
      location: { file },
      ...(ctx.hint === undefined ? {} : { hint: ctx.hint }),
    });
  // Per column: its values so far while it has few, else null.
  const shared: (Map<string, string> | null)[] = [];
  const share = (cells: string[]) => {
    for (let j = 0; j < cells.length; j++) {
      let values = shared[j];
      if (values === undefined) {
        values = new Map();
        shared[j] = values;
      }
      if (values === null) continue;
      const cell = cells[j] as string;
      const first = values.get(cell);
      if (first !== undefined) cells[j] = first;
      else if (values.size < SHARED_VALUES_MAX) values.set(cell, cell);
      else shared[j] = null;
    }
  };
  const emit = (cells: string[]) => {
    if (header === undefined) {
      header = cells;
      reader.onHeader?.(cells);
      return;
    }
    if (reader.shareRepeated) share(cells);
    reader.onRow(cells, rows++);
  };
  const parsed = (text: string, line: number): string[] => {
    const cells = quotedRecord(text);
    if (typeof cells === "string") throw bad(line, cells);
    return cells;
  };
  forEachLine(file, (bytes, start, end, line) => {
    let quotes = 0;
    let high = 0;
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      if (b === QUOTE) quotes++;
      high |= b;
    }
    if (quotes === 0 && !open && high < 0x80) {
      // Plain ASCII, the usual line: each cell copied out on its own. Cells cut from a decoded line
      // would be slices that keep the whole line alive as long as any one cell is kept.
      const cells: string[] = [];
      let cell = start;
      for (let i = start; i < end; i++)
        if (bytes[i] === COMMA) {
          cells.push(bytes.toString("latin1", cell, i));
          cell = i + 1;
        }
      cells.push(bytes.toString("latin1", cell, end));
      emit(cells);
      return;
    }
    let text = decoder.decode(bytes.subarray(start, end));
    if (line === 1 && text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
      // A file of a byte-order mark alone has no header, as an empty one.
      if (text === "" && end === size) return;
    }
    // forEachLine drops a \r before the \n: the byte after the line says which break it had.
    const lineBreak = bytes[end] === 0x0d ? "\r\n" : "\n";
    if (open) {
      pending += text;
      pendingQuotes += quotes;
      if (pendingQuotes % 2 === 0) {
        open = false;
        emit(parsed(pending, pendingLine));
      } else pending += lineBreak;
      return;
    }
    if (quotes === 0) emit(text.split(","));
    else if (quotes % 2 === 0) emit(parsed(text, line));
    else {
      open = true;
      pending = text + lineBreak;
      pendingQuotes = quotes;
      pendingLine = line;
    }
  });
  if (open) throw bad(pendingLine, "a quoted cell is never closed");
  return header ?? [];
}

/**
 * The cells of one CSV record (RFC 4180, `,` between cells), or why it is malformed: a quote may
 * open a cell only at its start, a doubled quote inside a quoted cell is one quote, and a closing
 * quote must end the cell. These are the rules csv-parse applies by default.
 *
 * @example quotedRecord('a,"b ""c"", d"') // ["a", 'b "c", d']
 */
export function quotedRecord(text: string): string[] | string {
  const cells: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = "";
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) return "a quoted cell is never closed";
        value += text.slice(from, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(value);
      if (i === n) return cells;
      if (text.charCodeAt(i) !== COMMA) return `a quoted cell is followed by text, not a comma (cell ${cells.length})`;
      i++;
      continue;
    }
    const comma = text.indexOf(",", i);
    const stop = comma === -1 ? n : comma;
    const value = text.slice(i, stop);
    if (value.includes('"')) return `a quote inside a cell that does not start with one (cell ${cells.length + 1})`;
    cells.push(value);
    if (comma === -1) return cells;
    i = comma + 1;
  }
}
