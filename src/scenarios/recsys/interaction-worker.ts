/**
 * Worker-thread entry: generates blocks of interactions for generateRecsys. Glue only; everything
 * that decides the bytes lives in block-task.ts and runs in-thread in the unit tests too.
 */
import { workerData } from "node:worker_threads";
import { serveTasks } from "../../io/worker-pool.js";
import { blockContext, runBlock, transferList } from "./block-task.js";
import type { RecsysConfig } from "./config.js";

const ctx = blockContext(workerData as RecsysConfig);
serveTasks((range: { start: number; end: number }) => {
  const result = runBlock(ctx, range.start, range.end);
  return { result, transfer: transferList(result) };
});
