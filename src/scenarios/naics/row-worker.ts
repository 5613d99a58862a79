/**
 * Worker-thread entry: encodes chunks of rows for {@link generateNaics}. Glue only; everything
 * that decides the bytes lives in row-chunks.ts and runs in-thread in the unit tests too.
 */
import { workerData } from "node:worker_threads";
import { serveTasks } from "../../io/worker-pool.js";
import type { NaicsConfig } from "./config.js";
import { chunkContext, encodeChunk } from "./row-chunks.js";
import type { RowRange } from "./sample.js";

const ctx = chunkContext(workerData as NaicsConfig);
serveTasks((range: RowRange) => {
  const chunk = encodeChunk(ctx, range);
  return {
    result: chunk,
    transfer: [chunk.bytes.buffer as ArrayBuffer, chunk.leaf.buffer as ArrayBuffer, chunk.target.buffer as ArrayBuffer],
  };
});
