/**
 * Worker-thread entry: each user's edge picks for social-parallel.ts, and the two exact checks
 * that read what the picks read. Glue only; the picks are social.ts's `userPicks` and the checks
 * checks-exact.ts's, which run in-thread in the unit tests too. The attendance and similarity
 * arrays arrive on SharedArrayBuffers: no copy per worker. The context comes as workerData, or (a
 * worker started before the social step) as its first task.
 */
import { workerData } from "node:worker_threads";
import type { CheckResult } from "../../checks/result.js";
import { serveTasks } from "../../io/worker-pool.js";
import { edgeInvariants, labelInvariants } from "./checks-exact.js";
import { cosineOver, type PickContext, userPicks } from "./social.js";
import type { EdgeTask } from "./social-parallel.js";

let ctx = workerData as PickContext | null;
serveTasks<EdgeTask, { keys: Float64Array; walked: number } | CheckResult>((task) => {
  if ("context" in task) {
    ctx = task.context;
    return { result: { keys: new Float64Array(0), walked: 0 }, transfer: [] };
  }
  if (ctx === null) throw new Error("edge worker: a task came before its context");
  if (!("check" in task)) {
    const result = userPicks(ctx, task.start, task.end);
    return { result, transfer: [result.keys.buffer as ArrayBuffer] };
  }
  const sim = cosineOver(ctx.sim);
  const result =
    task.check === "edge_invariants"
      ? edgeInvariants({ cfg: task.cfg }, task.users, task.edges, sim, ctx.att, task.first, task.end)
      : labelInvariants({ cfg: task.cfg }, task.edges, task.labels, sim, ctx.att);
  return { result, transfer: [] };
});
