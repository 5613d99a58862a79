/**
 * The column-oriented table that flows between stages: generators produce tables (or blocks of
 * one), writers encode them, checks read them.
 */

/** Integer column (targets, counts). */
export interface IntColumn {
  readonly kind: "int";
  readonly name: string;
  readonly values: Int8Array | Uint8Array | Int16Array | Int32Array;
}

/** Float column; `NaN` means "no value" and is written as an empty cell. */
export interface FloatColumn {
  readonly kind: "float";
  readonly name: string;
  readonly values: Float64Array;
}

/** String column; `null` is an empty cell. */
export interface StringColumn {
  readonly kind: "string";
  readonly name: string;
  readonly values: readonly (string | null)[];
}

/**
 * A string column stored as a function of a shared integer key: row `i` holds `lookup[key[i]]`.
 * Several columns may share one `key` array (every code level of a NAICS row is a function of
 * its leaf). Writers use that sharing: CSV encodes the joined cells once per key value, Parquet
 * derives a dictionary per column.
 */
export interface KeyedColumn {
  readonly kind: "keyed";
  readonly name: string;
  readonly key: Int32Array;
  readonly lookup: readonly string[];
}

export type Column = IntColumn | FloatColumn | StringColumn | KeyedColumn;

/** A set of equally long columns. */
export interface Table {
  readonly length: number;
  readonly columns: readonly Column[];
}

/** Reads cell `(row, column)` as text, the way CSV shows it. */
export function cellText(column: Column, row: number): string {
  switch (column.kind) {
    case "int":
      return String(column.values[row]);
    case "float": {
      const v = column.values[row] as number;
      return Number.isNaN(v) ? "" : String(v);
    }
    case "string":
      return column.values[row] ?? "";
    case "keyed":
      return column.lookup[column.key[row] as number] ?? "";
  }
}
