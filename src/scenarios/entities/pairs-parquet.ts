/**
 * The pair splits as Parquet bytes: one file per split, each from one table (the writer's pages
 * depend on where its input batches end, so the bytes do too). On a machine with a second core,
 * `generate` encodes them on a worker thread (pairs-parquet-worker.ts) while the main thread writes
 * the CSV files, for runs of up to `PAIR_WORKER_MAX_PAIRS` pairs: Arrow and parquet-wasm load
 * there. (A larger run encodes them on the main thread: the worker's memory, about 0.1 GB of
 * WebAssembly memory for a 10x train split, added to that run's peak.) The bytes are the same
 * either way: this module makes them, on whichever thread.
 */
import type { Table } from "../../core/table.js";

/** The `created_by` every pair file records. */
export const pairsCreatedBy = (version: string): string => `synthproof entities ${version}`;

/**
 * The Parquet bytes of one table, as the chunks the writer gave (each its own buffer, so it can be
 * transferred to another thread).
 *
 * @example const chunks = await encodePairTable(pairTable(pairs.test), pairsCreatedBy("2.0.0"));
 */
export async function encodePairTable(table: Table, createdBy: string): Promise<Uint8Array[]> {
  const { writeParquet } = await import("../../io/parquet.js");
  const chunks: Uint8Array[] = [];
  await writeParquet([table], { write: (chunk) => chunks.push(chunk.slice()) }, createdBy);
  return chunks;
}
