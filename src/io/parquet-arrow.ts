/**
 * Parquet of Arrow tables built by the caller, for column types `parquet.ts`'s {@link Table} has no
 * kind for: fixed-size lists of float32 (embedding-like vectors) and timestamps. Same writer settings
 * as `writeParquet` (Snappy, 1M-row groups, no statistics), same streaming through
 * `transformParquetStream`, one batch at a time.
 *
 * Parquet has no fixed-size list type: the column is a Parquet LIST and the Arrow schema stored in
 * the file's metadata says FixedSizeList(n), which pyarrow and polars restore; DuckDB reads the
 * column as FLOAT[] (cast with `::FLOAT[n]`).
 */
import * as fs from "node:fs";
import {
  type Table as ArrowTable,
  Field,
  FixedSizeList,
  Float32,
  makeData,
  makeVector,
  TimestampMillisecond,
  tableFromIPC,
  tableToIPC,
  type Vector,
} from "apache-arrow";
import * as parquet from "parquet-wasm";
import { IoError, SynthError } from "../core/errors.js";
import { yieldToSignals } from "./atomic.js";
import { ROW_GROUP_ROWS } from "./parquet.js";
import { requireRegularFile } from "./read-file.js";

/**
 * A FixedSizeList<float32>(dim) vector over `values` (row i is values[i*dim .. (i+1)*dim)); no copy.
 *
 * @example float32ListVector(new Float32Array([0.5, 0.5, 1, 0]), 2) // two rows of 2
 */
export function float32ListVector(values: Float32Array, dim: number): Vector {
  const child = makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values });
  const type = new FixedSizeList(dim, new Field("item", new Float32(), false));
  return makeVector(makeData({ type, length: values.length / dim, nullCount: 0, child }));
}

/** A timestamp (milliseconds since 1970, UTC, no time zone) vector of the given epoch milliseconds. */
export function timestampMsVector(ms: Float64Array): Vector {
  const data = new BigInt64Array(ms.length);
  for (let i = 0; i < ms.length; i++) data[i] = BigInt(ms[i] as number);
  return makeVector(makeData({ type: new TimestampMillisecond(), length: ms.length, nullCount: 0, data }));
}

/**
 * Writes Arrow tables (all of one schema; a sync or async iterable) as one Parquet file into `sink`,
 * one table at a time.
 *
 * @throws SynthError `parquet_no_schema` when `tables` is empty.
 * @example await writeArrowParquet([new ArrowTable({ v: float32ListVector(values, 60) })], file)
 */
export async function writeArrowParquet(
  tables: Iterable<ArrowTable> | AsyncIterable<ArrowTable>,
  sink: { write(chunk: Uint8Array): void },
  createdBy = "synthproof",
): Promise<void> {
  const iterator: Iterator<ArrowTable> | AsyncIterator<ArrowTable> =
    Symbol.asyncIterator in tables ? tables[Symbol.asyncIterator]() : tables[Symbol.iterator]();
  // The schema comes from the first table, so there must be one (a zero-row table will do).
  let next = await iterator.next();
  if (next.done)
    throw new SynthError("parquet_no_schema", "writeArrowParquet got no table", { hint: "pass at least one table (it may be empty)" });
  const batches = new ReadableStream<parquet.RecordBatch>({
    // An async pull: the next table may still be in the making (on a worker thread).
    async pull(controller) {
      if (next.done) {
        controller.close();
        return;
      }
      const wasmTable = parquet.Table.fromIPCStream(tableToIPC(next.value, "stream"));
      for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      // Free the WebAssembly copy now (its memory is never returned to JS otherwise).
      wasmTable.free();
      next = await iterator.next();
    },
  });
  const props = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.SNAPPY)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .setStatisticsEnabled(parquet.EnabledStatistics.None)
    .setCreatedBy(createdBy)
    .build();
  const reader = (await parquet.transformParquetStream(batches, props)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    sink.write(value as Uint8Array);
    await yieldToSignals();
  }
}

/**
 * Reads a Parquet file one row group at a time as Arrow tables (the caller reads typed columns:
 * `table.getChild(name)`).
 *
 * @throws IoError `bad_parquet` when the file cannot be read or is not Parquet.
 */
export async function* readArrowTables(file: string): AsyncGenerator<ArrowTable> {
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
    const reads = groups === 0 ? [{}] : Array.from({ length: groups }, (_, g) => ({ rowGroups: [g] }));
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
