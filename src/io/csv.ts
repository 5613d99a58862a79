/**
 * RFC 4180 CSV encoding of {@link Table} blocks.
 *
 * Hand-written rather than a CSV library because this is the hot path of every generator: the
 * NAICS bench writes 10M rows, and a general encoder that formats each cell from a JS value runs
 * an order of magnitude slower than copying pre-encoded bytes. Runs of {@link KeyedColumn}s that
 * share a key are encoded once per key value and then copied per row.
 */

import { type Column, cellText, type KeyedColumn, type Table } from "../core/table.js";
import { yieldToSignals } from "./atomic.js";
import { encodeRunDigit, type RunDigitTable } from "./csv-runs.js";

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const encoder = new TextEncoder();

/** Quotes a cell when it holds a comma, quote or line break. */
export function quoteCsv(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header line for these column names, with its line break. */
export function csvHeader(names: readonly string[]): Uint8Array {
  return encoder.encode(`${names.map(quoteCsv).join(",")}\n`);
}

/** Pre-encoded bytes of a run of keyed columns, for every key value. */
interface KeyedRun {
  readonly kind: "run";
  readonly key: Int32Array;
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly maxBytes: number;
}

type Segment = KeyedRun | { readonly kind: "cell"; readonly column: Exclude<Column, KeyedColumn> };

// Lookups are long-lived (one per tree level), blocks are many: cache a run's encoding by the
// identity of its first lookup array, then check the rest of the run matches.
const runCache = new WeakMap<readonly string[], { lookups: readonly (readonly string[])[]; run: Omit<KeyedRun, "key"> }>();

function encodeRun(columns: readonly KeyedColumn[]): KeyedRun {
  const first = columns[0] as KeyedColumn;
  const lookups = columns.map((c) => c.lookup);
  const cached = runCache.get(first.lookup);
  if (cached && cached.lookups.length === lookups.length && cached.lookups.every((l, i) => l === lookups[i])) {
    return { ...cached.run, key: first.key };
  }
  const size = first.lookup.length;
  const parts: Uint8Array[] = [];
  const offsets = new Uint32Array(size + 1);
  let total = 0;
  let maxBytes = 0;
  for (let k = 0; k < size; k++) {
    const text = lookups.map((l) => quoteCsv(l[k]!)).join(",");

    const bytes = encoder.encode(text);
    parts.push(bytes);
    offsets[k] = total;
    total += bytes.length;
    maxBytes = Math.max(maxBytes, bytes.length);
  }
  offsets[size] = total;
  const bytes = new Uint8Array(total);
  parts.forEach((p, k) => {
    bytes.set(p, offsets[k] as number);
  });
  const run = { kind: "run" as const, bytes, offsets, maxBytes };
  runCache.set(first.lookup, { lookups, run });
  return { ...run, key: first.key };
}

function plan(columns: readonly Column[]): Segment[] {
  const segments: Segment[] = [];
  for (let i = 0; i < columns.length; ) {
    const column = columns[i] as Column;
    if (column.kind !== "keyed") {
      segments.push({ kind: "cell", column });
      i++;
      continue;
    }
    const run: KeyedColumn[] = [column];
    while (i + run.length < columns.length) {
      const next = columns[i + run.length] as Column;
      if (next.kind !== "keyed" || next.key !== column.key || next.lookup.length !== column.lookup.length) break;
      run.push(next);
    }
    segments.push(encodeRun(run));
    i += run.length;
  }
  return segments;
}

/**
 * Encodes the rows of `table` (no header) as CSV bytes, one `\n`-terminated line per row.
 * With `scratch`, the bytes may be a view of scratch memory that the next call overwrites (the
 * keyed-run-and-digit layout of NAICS rows): for a caller that writes them before it encodes
 * again, which saves copying every byte once more.
 *
 * @example
 * encodeCsvRows({ length: 1, columns: [{ kind: "int", name: "t", values: new Int8Array([1]) }] });
 * // bytes of "1\n"
 */
export function encodeCsvRows(table: Table, options: { readonly scratch?: boolean } = {}): Uint8Array {
  const segments = plan(table.columns);
  if (!isFixedWidth(segments, table.length)) return encodeGeneral(segments, table.length);
  const runDigit = runDigitOf(segments);
  if (runDigit) {
    const bytes = encodeRunDigit(runDigit.run, runDigit.digit, table.length);
    return options.scratch ? bytes : bytes.slice();
  }
  return encodeFixed(segments, table.length);
}

/**
 * The run and digit column `table` is encoded from when it has the keyed-run-and-digit layout
 * (NAICS rows) with its digits in an Int8Array, else null: `encodeRunDigit(run, digit, rows)` then
 * gives exactly `encodeCsvRows(table)`, on any thread (the layout is decided here, once, for both).
 */
export function runDigitTable(table: Table): RunDigitTable | null {
  const segments = plan(table.columns);
  if (!isFixedWidth(segments, table.length)) return null;
  const found = runDigitOf(segments);
  return found && found.digit instanceof Int8Array ? { run: found.run, digit: found.digit, rows: table.length } : null;
}

function runDigitOf(segments: readonly Segment[]): { run: KeyedRun; digit: ArrayLike<number> } | null {
  const [first, second] = segments;
  return segments.length === 2 && first?.kind === "run" && second?.kind === "cell"
    ? { run: first, digit: second.column.values as ArrayLike<number> }
    : null;
}

/** True when every segment is a keyed run or an int column holding only 0..9. */
function isFixedWidth(segments: readonly Segment[], rows: number): boolean {
  return segments.every((seg) => {
    if (seg.kind === "run") return true;
    if (seg.column.kind !== "int") return false;
    return digitsOnly(seg.column.values, rows);
  });
}

/** True when the first `rows` values all lie in 0..9. */
export function digitsOnly(values: ArrayLike<number>, rows: number): boolean {
  if (values instanceof Int8Array || values instanceof Uint8Array) return byteDigitsOnly(values, rows);
  for (let i = 0; i < rows; i++) if (!((values[i] as number) >= 0 && (values[i] as number) <= 9)) return false;
  return true;
}

/**
 * {@link digitsOnly} for bytes, four at a time: a byte is 0..9 exactly when its high nibble is 0
 * (which also refuses a negative Int8) and adding 6 does not reach 16; with high nibbles 0 no sum
 * carries into the next byte. Measured over the 10M target bytes of a naics run: 7-15 ms against
 * 22-39 ms byte by byte and 75-90 ms through a loop shared with other array types (the naics
 * main thread checks every block before handing it to the writer thread).
 */
function byteDigitsOnly(values: Int8Array | Uint8Array, rows: number): boolean {
  let i = 0;
  if (values.byteOffset % 4 === 0) {
    const words = new Uint32Array(values.buffer, values.byteOffset, rows >>> 2);
    for (; i < words.length; i++) {
      const w = words[i] as number;
      if ((w & 0xf0f0f0f0) !== 0 || ((w + 0x06060606) & 0x10101010) !== 0) return false;
    }
    i *= 4;
  }
  for (; i < rows; i++) {
    const v = values[i] as number;
    if (v < 0 || v > 9) return false;
  }
  return true;
}

/**
 * The hot path: every row has a bounded width known up front, so the buffer is allocated once and
 * the loop has no bounds bookkeeping. Measured on the NAICS bench, this is 4x the general path.
 */
function encodeFixed(segments: readonly Segment[], rows: number): Uint8Array {
  let maxRow = segments.length; // commas plus the newline
  for (const seg of segments) maxRow += seg.kind === "run" ? seg.maxBytes : 1;
  const out = new Uint8Array(rows * maxRow);
  const n = segments.length;
  const runBytes: (Uint8Array | null)[] = segments.map((s) => (s.kind === "run" ? s.bytes : null));
  const runOffsets: (Uint32Array | null)[] = segments.map((s) => (s.kind === "run" ? s.offsets : null));
  const keys = segments.map((s) => (s.kind === "run" ? s.key : (s.column.values as ArrayLike<number>)));
  let pos = 0;
  for (let row = 0; row < rows; row++) {
    for (let s = 0; s < n; s++) {
      if (s > 0) out[pos++] = COMMA;
      const k = (keys[s] as ArrayLike<number>)[row] as number;
      const bytes = runBytes[s];
      if (bytes) {
        const offsets = runOffsets[s] as Uint32Array;
        const to = offsets[k + 1] as number;
        // A byte loop beats subarray + set for runs this short (about 25 bytes).
        for (let b = offsets[k] as number; b < to; b++) out[pos++] = bytes[b] as number;
      } else {
        out[pos++] = ZERO + k;
      }
    }
    out[pos++] = NEWLINE;
  }
  return out.subarray(0, pos);
}

/** True for a UTF-16 unit that a CSV cell must quote (`"`, `,`, CR, LF) or that is not ASCII. */
const slowUnit = (code: number): boolean => code >= 0x80 || code === 0x22 || code === 0x2c || code === 0x0a || code === 0x0d;

/**
 * Any table, row by row. A cell is copied into the buffer a UTF-16 unit at a time while it is
 * plain ASCII with nothing to quote (nearly every cell): no per-cell string or Uint8Array. A cell
 * that needs quoting or holds non-ASCII text is rewritten through {@link quoteCsv} and
 * `encodeInto`, so the bytes are those of `encoder.encode(quoteCsv(text))` either way. (Encoding
 * every cell through `encode` took 0.5 s and most of the GC of the default entities run.)
 */
function encodeGeneral(segments: readonly Segment[], rows: number): Uint8Array {
  // Start from the ASCII size of the first rows: regrowing copies the whole buffer each time.
  let out = new Uint8Array(Math.max(64, estimateBytes(segments, rows)));
  let pos = 0;
  const grow = (extra: number): void => {
    const grown = new Uint8Array(Math.max(out.length * 2, pos + extra));
    grown.set(out.subarray(0, pos));
    out = grown;
  };
  const n = segments.length;
  for (let row = 0; row < rows; row++) {
    for (let s = 0; s < n; s++) {
      const seg = segments[s] as Segment;
      // The comma (or the line's newline, below) always has a byte reserved by the cell before.
      if (s > 0) out[pos++] = COMMA;
      if (seg.kind === "run") {
        const k = seg.key[row] as number;
        const from = seg.offsets[k] as number;
        const to = seg.offsets[k + 1] as number;
        if (pos + (to - from) + 1 > out.length) grow(to - from + 1);
        for (let b = from; b < to; b++) out[pos++] = seg.bytes[b] as number;
        continue;
      }
      const column = seg.column;
      // Numbers print as ASCII and never need quotes.
      const text = column.kind === "string" ? (column.values[row] ?? "") : cellText(column, row);
      const len = text.length;
      if (pos + len + 1 > out.length) grow(len + 1);
      const start = pos;
      let c = 0;
      for (; c < len; c++) {
        const code = text.charCodeAt(c);
        if (slowUnit(code)) break;
        out[pos++] = code;
      }
      if (c === len) continue;
      // Quoted, the cell is at most 2 * len + 2 UTF-16 units of at most 3 bytes each; plus the
      // byte reserved for the next comma or newline.
      pos = start;
      if (pos + 6 * len + 7 > out.length) grow(6 * len + 7);
      pos += encoder.encodeInto(quoteCsv(text), out.subarray(pos)).written;
    }
    if (pos + 1 > out.length) grow(1);
    out[pos++] = NEWLINE;
  }
  return out.subarray(0, pos);
}

/** Bytes of `rows` rows if they were like the first few (ASCII, unquoted), with a margin. */
function estimateBytes(segments: readonly Segment[], rows: number): number {
  const sample = Math.min(rows, 16);
  let bytes = 0;
  for (let row = 0; row < sample; row++)
    for (const seg of segments) {
      if (seg.kind === "run") {
        const k = seg.key[row] as number;
        bytes += (seg.offsets[k + 1] as number) - (seg.offsets[k] as number) + 1;
      } else bytes += (seg.column.kind === "string" ? (seg.column.values[row] ?? "") : cellText(seg.column, row)).length + 1;
    }
  return sample === 0 ? 0 : Math.ceil((bytes / sample) * rows * 1.25);
}

/**
 * Writes a CSV file to `sink` a block at a time: the header line for `names`, then each block's
 * rows as it comes, so no file is held whole (the bytes are those of one {@link encodeCsv} of all
 * the rows). `blocks` may be a generator that does work between blocks, e.g. report progress.
 * Between blocks it goes back to the event loop, so an interrupt is handled within one block.
 *
 * @example await writeCsvBlocks(file, ["x", "y"], blocksOf(table, 65_536));
 */
export async function writeCsvBlocks(
  sink: { write(chunk: Uint8Array): void },
  names: readonly string[],
  blocks: Iterable<Table>,
): Promise<void> {
  sink.write(csvHeader(names));
  for (const block of blocks) {
    sink.write(encodeCsvRows(block));
    await yieldToSignals();
  }
}

/** Header plus rows: a whole small table as one CSV document. */
export function encodeCsv(table: Table): Uint8Array {
  const head = csvHeader(table.columns.map((c) => c.name));
  const body = encodeCsvRows(table);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}
