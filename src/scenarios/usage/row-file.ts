/**
 * Reads a usage row file (CSV or Parquet, by its extension) as rows of text cells, so verify and
 * the plots read both formats through one path. A Parquet cell reads as the CSV shows it: a
 * dictionary string as itself, an integer or a float64 as `String(value)` (costs are stored
 * rounded to 6 decimals, whose shortest text is the CSV cell), a null as "".
 */
import { forEachLine } from "../../io/read-lines.js";

/** Where a row is: a CSV line (1 = header) or a Parquet row (1 = first row). */
export interface RowPlace {
  readonly line?: number;
  readonly row?: number;
}

export function isParquetFile(file: string): boolean {
  return file.endsWith(".parquet");
}

/**
 * Calls `onHeader` with the column names (a CSV's first line when `header` is set; every Parquet
 * file's schema), then `onRow` with each row's cells and its place. Memory is one line, or one
 * Parquet record batch.
 *
 * @throws IoError when the file cannot be read (or is not Parquet).
 */
export async function forEachRowCells(
  file: string,
  header: boolean,
  onHeader: (names: readonly string[], at: RowPlace) => void,
  onRow: (cells: string[], at: RowPlace) => void,
): Promise<void> {
  if (!isParquetFile(file)) {
    const decoder = new TextDecoder();
    forEachLine(file, (bytes, start, end, line) => {
      const cells = decoder.decode(bytes.subarray(start, end)).split(",");
      if (line === 1 && header) onHeader(cells, { line });
      else onRow(cells, { line });
    });
    return;
  }
  // Loaded on demand: Arrow and the Parquet WebAssembly add ~70 ms to every start otherwise.
  const { readParquetBatches } = await import("../../io/parquet.js");
  let row = 0;
  let first = true;
  for await (const batch of readParquetBatches(file)) {
    if (first) onHeader(batch.names, { row: 0 });
    first = false;
    const width = batch.columns.length;
    for (let i = 0; i < batch.length; i++) {
      const cells = new Array<string>(width);
      for (let j = 0; j < width; j++) cells[j] = (batch.columns[j] as (r: number) => string | null)(i) ?? "";
      onRow(cells, { row: ++row });
    }
  }
}
