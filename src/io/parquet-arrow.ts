import {
  type Table as ArrowTable,
  Field,
  FixedSizeList,
  Float32,
  makeData,
  makeVector,
  TimestampMillisecond,
  type Vector,
} from "apache-arrow";
import { type DeltaEncoding, ROW_GROUP_ROWS, readParquetGroups, writeArrowTables } from "./parquet.js";

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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A timestamp (milliseconds since 1970, UTC, no time zone) vector of the given epoch milliseconds. */
export function timestampMsVector(ms: Float64Array): Vector {
  const data = new BigInt64Array(ms.length);
  // Written as two 32-bit halves (two's complement, in the platform's word order): a BigInt per
  // row cost 290 ms for recsys's 2.8M interactions. Exact for |ms| < 2^53, which every Date is.
  const halves = new Int32Array(data.buffer);
  const low = LITTLE_ENDIAN ? 0 : 1;
  for (let i = 0; i < ms.length; i++) {
    const v = ms[i] as number;
    const hi = Math.floor(v / 4_294_967_296);
    halves[2 * i + low] = v - hi * 4_294_967_296;
    halves[2 * i + 1 - low] = hi;
  }
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
  encoding?: DeltaEncoding,
): Promise<void> {
  await writeArrowTables(tables, sink, {
    createdBy,
    rowGroupRows: ROW_GROUP_ROWS,
    caller: "writeArrowParquet",
    ...(encoding ? { encoding } : {}),
  });
}

/**
 * Reads a Parquet file one row group at a time as Arrow tables (the caller reads typed columns:
 * `table.getChild(name)`): `parquet.ts`'s group reader, named for this module's readers.
 *
 * @throws IoError `bad_parquet` when the file cannot be read or is not Parquet.
 */
export function readArrowTables(file: string): AsyncGenerator<ArrowTable> {
  return readParquetGroups(file);
}
