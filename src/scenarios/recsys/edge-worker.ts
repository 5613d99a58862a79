/**
 * Worker-thread entry: each user's edge picks for social-parallel.ts. Glue only; the picks are
 * social.ts's `userPicks`, which runs in-thread in the unit tests too. The attendance and
 * similarity arrays arrive on SharedArrayBuffers: no copy per worker.
 */
import { workerData } from "node:worker_threads";
import { serveTasks } from "../../io/worker-pool.js";
import { type PickContext, userPicks } from "./social.js";

const ctx = workerData as PickContext;
serveTasks((range: { start: number; end: number }) => {
  const result = userPicks(ctx, range.start, range.end);
  return { result, transfer: [result.keys.buffer as ArrayBuffer] };
});
