/**
 * The social step's edges on worker threads, in two rounds: the window candidates (windows are
 * independent, so ranges of them go to the workers), then each user's top-k picks (independent
 * given the attendance, the similarity and the window candidates, so ranges of users go to the
 * workers). The union of the picks is the edge set, the same whatever the thread count (tested:
 * the same edges as buildEdges in this thread).
 */
import type { Worker } from "node:worker_threads";
import type { CheckResult } from "../../checks/result.js";
import { workerRunnable } from "../../io/worker-pool.js";
import type { RecsysConfig } from "./config.js";
import type { RecsysModel, Users } from "./model.js";
import { type Prestarted, prestartWorkers, startOrderedPull } from "./parallel.js";
import {
  type Attendance,
  buildEdges,
  type Edges,
  edgesFromPicks,
  type Labels,
  type PickContext,
  pickRule,
  type Similarity,
  type SocialUsers,
  type WindowContext,
  type WindowGroups,
  windowCandidatesFrom,
  windowContext,
  windowPairsOf,
} from "./social.js";

const EDGE_WORKER = new URL("./edge-worker.js", import.meta.url);

/** Users per pick task: small enough to balance the threads (co-attendance varies by user). */
export const PICK_USERS = 500;

/** Window tasks per thread: windows vary from one user to edges_window, so a few per thread balance them. */
const WINDOW_TASKS_PER_THREAD = 8;

/** What an edge worker holds: the picks' context but for the window candidates, which it helps build, and the windows. */
export type EdgeContext = Omit<PickContext, "win"> & { readonly groups: WindowGroups };

/** edge_invariants on a worker: the rows of a part's edges and what the check reads of the users. */
export interface EdgeCheckTask {
  readonly check: "edge_invariants";
  readonly cfg: RecsysConfig;
  readonly users: Pick<Users, "nbCount" | "neighborhoods" | "maxNb">;
  readonly edges: Pick<Edges, "a" | "b" | "similarity" | "coAttendance" | "overlap">;
  readonly first: number;
  readonly end: number;
}

/** label_invariants on a worker. */
export interface LabelCheckTask {
  readonly check: "label_invariants";
  readonly cfg: RecsysConfig;
  readonly edges: Pick<Edges, "a" | "b">;
  readonly labels: Labels;
}

/**
 * A task of an edge worker: its context (its first), a range of windows to find the candidates
 * of, the window candidates (before any picks), a range of users to pick for, or one of the two
 * exact checks that read the attendance and similarity it holds.
 */
export type EdgeTask =
  | { readonly context: EdgeContext }
  | { readonly windows: readonly [number, number] }
  | { readonly win: PickContext["win"] }
  | { readonly start: number; readonly end: number }
  | EdgeCheckTask
  | LabelCheckTask;

/**
 * One of the exact checks that read the attendance and similarity (edge_invariants,
 * label_invariants) on prestarted edge worker `index` (mod their count), after the picks gave it
 * its context: the same result as in this thread (the same function over the same arrays), while
 * this thread goes on.
 */
export async function exactCheckOn(prestarted: Prestarted, index: number, task: EdgeCheckTask | LabelCheckTask): Promise<CheckResult> {
  const one: Prestarted = { workers: [prestarted.workers[index % prestarted.workers.length] as Worker], close: prestarted.close };
  const pull = startOrderedPull<null, EdgeTask, CheckResult>(one, null, 1, [task], 1);
  const { value } = await pull.results.next();
  await pull.close();
  return value as CheckResult;
}

/**
 * Edge workers started now, before the social step's inputs exist, so their start-up overlaps the
 * interactions; null when `threads` is 0 or the worker module is not built.
 */
export function prestartEdgeWorkers(threads: number, worker: URL = EDGE_WORKER): Prestarted | null {
  return threads > 0 && workerRunnable(worker) ? prestartWorkers(worker, threads) : null;
}

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
  /** Edge workers started earlier ({@link prestartEdgeWorkers}); then `threads` and `worker` are theirs. */
  readonly prestarted?: Prestarted | null;
}

/**
 * Consecutive window ranges of about equal pairs (the work of each), at most `tasks` of them,
 * covering every window in order.
 */
export function windowTasks(groups: WindowGroups, tasks: number): (readonly [number, number])[] {
  const nw = groups.offsets.length - 1;
  const per = Math.max(1, windowPairsOf(groups, 0, nw) / tasks);
  const out: (readonly [number, number])[] = [];
  let w0 = 0;
  let pairs = 0;
  for (let w = 0; w < nw; w++) {
    pairs += windowPairsOf(groups, w, w + 1);
    if (pairs >= per || w === nw - 1) {
      out.push([w0, w + 1]);
      w0 = w + 1;
      pairs = 0;
    }
  }
  return out;
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
  { threads, meanwhile = () => {}, worker = EDGE_WORKER, prestarted = null }: EdgesOnOptions,
): Promise<Edges> {
  if (prestarted === null && (threads <= 0 || !workerRunnable(worker))) {
    const edges = buildEdges(model, users, sim, att);
    meanwhile();
    return edges;
  }
  const workers = prestarted ?? prestartWorkers(worker, threads);
  try {
    return await edgesOnWorkers(model, users, sim, att, workers, meanwhile);
  } finally {
    if (prestarted === null) await workers.close();
  }
}

async function edgesOnWorkers(
  model: RecsysModel,
  users: SocialUsers,
  sim: Similarity,
  att: Attendance,
  workers: Prestarted,
  meanwhile: () => void,
): Promise<Edges> {
  const n = workers.workers.length;
  // Plain objects of the shared arrays: a worker gets views of the same memory.
  const simArrays = { rows: sim.rows, inv: sim.inv, boundRows: sim.boundRows, d: sim.d, c2: sim.c2 };
  const wctx: WindowContext = windowContext(model.cfg, users, simArrays);
  const context: EdgeContext = {
    ...pickRule(model.cfg, users.n),
    att: { userStart: att.userStart, userGroup: att.userGroup, groupStart: att.groupStart, members: att.members },
    sim: simArrays,
    groups: wctx.groups,
  };
  // Task i goes to worker i mod n: each worker's first task is its context, then (a second map)
  // the window candidates. Every task is queued at once (results are small), so a busy main
  // thread never idles a worker.
  const first: EdgeTask[] = Array.from({ length: n }, () => ({ context }));
  for (const w of windowTasks(wctx.groups, n * WINDOW_TASKS_PER_THREAD)) first.push({ windows: w });
  // The context tasks answer null, the window tasks their candidates.
  const parts: Int32Array[] = [];
  for await (const r of startOrderedPull<null, EdgeTask, Int32Array | null>(workers, null, n, first, first.length).results)
    if (r !== null) parts.push(r);
  const win = windowCandidatesFrom(users.n, wctx.groups, parts);
  const tasks: EdgeTask[] = Array.from({ length: n }, () => ({ win: { start: win.start, ids: win.ids } }));
  for (let start = 0; start < users.n; start += PICK_USERS) tasks.push({ start, end: Math.min(users.n, start + PICK_USERS) });
  const keys: Float64Array[] = [];
  let walked = 0;
  let firstPick = true;
  for await (const r of startOrderedPull<null, EdgeTask, { keys: Float64Array; walked: number } | null>(
    workers,
    null,
    n,
    tasks,
    tasks.length,
  ).results) {
    // The window candidates' tasks answer null.
    if (r === null) continue;
    if (firstPick) {
      firstPick = false;
      meanwhile();
    }
    keys.push(r.keys);
    walked += r.walked;
  }
  return edgesFromPicks(users, sim, att, keys, walked, win.windowPairs);
}
