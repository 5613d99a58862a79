/**
 * RFC 4180 CSV encoding of {@link Table} blocks.
 *
 * Hand-written rather than a CSV library because this is the hot path of every generator: the
 * NAICS bench writes 10M rows, and a general encoder that formats each cell from a JS value runs
 * an order of magnitude slower than copying pre-encoded bytes. Runs of {@link KeyedColumn}s that
 * share a key are encoded once per key value and then copied per row.
 */
import { type Column, cellText, type KeyedColumn, type Table } from "../core/table.js";

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
    const text = lookups.map((l) => quoteCsv(l[k] ?? "")).join(",");
    const bytes = encoder.encode(text);
    parts.push(bytes);
    offsets[k] = total;
    total += bytes.length;
    maxBytes = Math.max(maxBytes, bytes.length);
  }
  offsets[size] = total;
  const bytes = new Uint8Array(total);
  parts.forEach((p, k) => bytes.set(p, offsets[k] as number));
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
 *
 * @example
 * encodeCsvRows({ length: 1, columns: [{ kind: "int", name: "t", values: new Int8Array([1]) }] });
 * // bytes of "1\n"
 */
export function encodeCsvRows(table: Table): Uint8Array {
  const segments = plan(table.columns);
  let out = new Uint8Array(Math.max(64, table.length * 32));
  let pos = 0;
  const ensure = (extra: number): void => {
    if (pos + extra <= out.length) return;
    const grown = new Uint8Array(Math.max(out.length * 2, pos + extra));
    grown.set(out.subarray(0, pos));
    out = grown;
  };
  for (let row = 0; row < table.length; row++) {
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s] as Segment;
      ensure(16);
      if (s > 0) out[pos++] = COMMA;
      if (seg.kind === "run") {
        const k = seg.key[row] as number;
        const from = seg.offsets[k] as number;
        const to = seg.offsets[k + 1] as number;
        ensure(seg.maxBytes + 2);
        // A byte loop beats subarray + set for runs this short (about 25 bytes).
        for (let b = from; b < to; b++) out[pos++] = seg.bytes[b] as number;
        continue;
      }
      const column = seg.column;
      if (column.kind === "int") {
        const v = column.values[row] as number;
        if (v >= 0 && v <= 9) {
          out[pos++] = ZERO + v;
          continue;
        }
      }
      const bytes = encoder.encode(quoteCsv(cellText(column, row)));
      ensure(bytes.length + 2);
      out.set(bytes, pos);
      pos += bytes.length;
    }
    ensure(1);
    out[pos++] = NEWLINE;
  }
  return out.subarray(0, pos);
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
