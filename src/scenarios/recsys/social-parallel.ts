/**
 * The social step's edges on worker threads: each user's top-k picks are independent given the
 * attendance, the similarity and the window candidates, so users are cut into ranges picked on
 * workers (edge-worker.ts) and the union of the picks is the edge set, the same whatever the
 * thread count (tested: the same edges as buildEdges in this thread).
 */
import { workerRunnable } from "../../io/worker-pool.js";
import type { RecsysModel } from "./model.js";
import { orderedPull } from "./parallel.js";
import {
  type Attendance,
  buildEdges,
  type Edges,
  edgesFromPicks,
  type PickContext,
  pickContext,
  type Similarity,
  type SocialUsers,
  windowCandidates,
} from "./social.js";

const EDGE_WORKER = new URL("./edge-worker.js", import.meta.url);

/** Users per pick task: small enough to balance the threads (co-attendance varies by user). */
export const PICK_USERS = 500;

/** What {@link buildEdgesOn} takes besides the users: the thread count, work for the main thread meanwhile, and (for tests) the worker module. */
export interface EdgesOnOptions {
  readonly threads: number;
  /**
   * Run on this thread while the workers pick (once, after every task is queued and the first
   * has come back, so no worker waits on it); after the edges when there are no workers. Generate
   * runs the statistical checks here, which need nothing of the social step.
   */
  readonly meanwhile?: () => void;
  readonly worker?: URL;
}

/**
 * The edges of every user, picked on `threads` worker threads (in this thread when 0 or when the
 * worker module is not built: under the TypeScript sources).
 */
export async function buildEdgesOn(
  model: RecsysModel,
  users: SocialUsers,
  sim: Similarity,
  att: Attendance,
  { threads, meanwhile = () => {}, worker = EDGE_WORKER }: EdgesOnOptions,
): Promise<Edges> {
  if (threads <= 0 || !workerRunnable(worker)) {
    const edges = buildEdges(model, users, sim, att);
    meanwhile();
    return edges;
  }
  const win = windowCandidates(model.cfg, users, sim);
  const full = pickContext(model.cfg, users.n, sim, att, win);
  // Plain objects of the shared arrays: a worker gets views of the same memory.
  const init: PickContext = {
    ...full,
    att: { userStart: att.userStart, userGroup: att.userGroup, groupStart: att.groupStart, members: att.members },
    sim: { rows: sim.rows, inv: sim.inv, boundRows: sim.boundRows, d: sim.d, c2: sim.c2 },
    win: { start: win.start, ids: win.ids },
  };
  const tasks: { start: number; end: number }[] = [];
  for (let start = 0; start < users.n; start += PICK_USERS) tasks.push({ start, end: Math.min(users.n, start + PICK_USERS) });
  const keys: Float64Array[] = [];
  let walked = 0;
  let first = true;
  // Every task is queued at once (results are a few KB each), so a busy main thread never idles a worker.
  for await (const r of orderedPull<PickContext, { start: number; end: number }, { keys: Float64Array; walked: number }>(
    worker,
    init,
    threads,
    tasks,
    tasks.length,
  )) {
    if (first) {
      first = false;
      meanwhile();
    }
    keys.push(r.keys);
    walked += r.walked;
  }
  return edgesFromPicks(users, sim, att, keys, walked, win.windowPairs);
}
