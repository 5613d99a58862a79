/**
 * Worker-thread entry: the window candidates and each user's edge picks for social-parallel.ts,
 * and the two exact checks that read what the picks read. Glue only; the work is social.ts's
 * `windowPicks` and `userPicks` and checks-exact.ts's checks, which run in-thread in the unit tests
 * too. The attendance and similarity arrays arrive on SharedArrayBuffers: no copy per worker. The
 * context comes as the first task (the worker starts before the social step's inputs exist), the
 * window candidates once they are assembled.
 */
import type { CheckResult } from "../../checks/result.js";
import { serveTasks } from "../../io/worker-pool.js";
import { edgeInvariants, labelInvariants } from "./checks-exact.js";
import { cosineOver, type PickContext, userPicks, windowPicks } from "./social.js";
import type { EdgeContext, EdgeTask } from "./social-parallel.js";

let ctx: EdgeContext | null = null;
let win: PickContext["win"] | null = null;
serveTasks<EdgeTask, { keys: Float64Array; walked: number } | Int32Array | CheckResult | null>((task) => {
  if ("context" in task) {
    ctx = task.context;
    win = null;
    return { result: null, transfer: [] };
  }
  if (ctx === null) throw new Error("edge worker: a task came before its context");
  if ("windows" in task) {
    const result = windowPicks(ctx, task.windows[0], task.windows[1]);
    return { result, transfer: [result.buffer as ArrayBuffer] };
  }
  if ("win" in task) {
    win = task.win;
    return { result: null, transfer: [] };
  }
  if (!("check" in task)) {
    if (win === null) throw new Error("edge worker: picks came before the window candidates");
    const result = userPicks({ ...ctx, win }, task.start, task.end);
    return { result, transfer: [result.keys.buffer as ArrayBuffer] };
  }
  const sim = cosineOver(ctx.sim);
  const result =
    task.check === "edge_invariants"
      ? edgeInvariants({ cfg: task.cfg }, task.users, task.edges, sim, ctx.att, task.first, task.end)
      : labelInvariants({ cfg: task.cfg }, task.edges, task.labels, sim, ctx.att);
  return { result, transfer: [] };
});
