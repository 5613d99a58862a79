/**
 * Worker-thread entry: generates blocks of interactions for generateRecsys. Glue only; everything
 * that decides the bytes lives in block-task.ts and runs in-thread in the unit tests too.
 */
import { workerData } from "node:worker_threads";
import { serveTasks } from "../../io/worker-pool.js";
import { blockContext, type InteractionWorkerInit, runBlock, transferList } from "./block-task.js";

// The places and users arrive on shared memory: read, never copied or rebuilt.
const init = workerData as InteractionWorkerInit;
const ctx = blockContext(init.cfg, { places: init.places, users: init.users });
serveTasks((range: { start: number; end: number }) => {
  const result = runBlock(ctx, range.start, range.end);
  return { result, transfer: transferList(result) };
});
