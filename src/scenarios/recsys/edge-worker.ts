/**
 * Worker-thread entry: each user's edge picks for social-parallel.ts. Glue only; the picks are
 * social.ts's `userPicks`, which runs in-thread in the unit tests too. The attendance and
 * similarity arrays arrive on SharedArrayBuffers: no copy per worker. The context comes as
 * workerData, or (a worker started before the social step) as its first task.
 */
import { workerData } from "node:worker_threads";
import { serveTasks } from "../../io/worker-pool.js";
import { type PickContext, userPicks } from "./social.js";
import type { EdgeTask } from "./social-parallel.js";

let ctx = workerData as PickContext | null;
serveTasks((task: EdgeTask) => {
  if ("context" in task) {
    ctx = task.context;
    return { result: { keys: new Float64Array(0), walked: 0 }, transfer: [] };
  }
  if (ctx === null) throw new Error("edge worker: a pick task came before its context");
  const result = userPicks(ctx, task.start, task.end);
  return { result, transfer: [result.keys.buffer as ArrayBuffer] };
});
