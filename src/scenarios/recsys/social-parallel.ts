/**
 * The social step's edges on worker threads: each user's top-k picks are independent given the
 * attendance, the similarity and the window candidates, so users are cut into ranges picked on
 * workers (edge-worker.ts) and the union of the picks is the edge set, the same whatever the
 * thread count (tested: the same edges as buildEdges in this thread).
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
  pickContext,
  type Similarity,
  type SocialUsers,
  windowCandidates,
} from "./social.js";

const EDGE_WORKER = new URL("./edge-worker.js", import.meta.url);

/** Users per pick task: small enough to balance the threads (co-attendance varies by user). */
export const PICK_USERS = 500;

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
 * A task of an edge worker: its context (a prestarted worker's first), a range of users to pick
 * for, or one of the two exact checks that read the attendance and similarity it holds.
 */
export type EdgeTask =
  | { readonly context: PickContext }
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
  const win = windowCandidates(model.cfg, users, sim);
  const full = pickContext(model.cfg, users.n, sim, att, win);
  // Plain objects of the shared arrays: a worker gets views of the same memory.
  const init: PickContext = {
    ...full,
    att: { userStart: att.userStart, userGroup: att.userGroup, groupStart: att.groupStart, members: att.members },
    sim: { rows: sim.rows, inv: sim.inv, boundRows: sim.boundRows, d: sim.d, c2: sim.c2 },
    win: { start: win.start, ids: win.ids },
  };
  // A prestarted worker takes its context as its first task (task i goes to worker i mod threads).
  const n = prestarted ? prestarted.workers.length : threads;
  const tasks: EdgeTask[] = prestarted ? Array.from({ length: n }, () => ({ context: init })) : [];
  for (let start = 0; start < users.n; start += PICK_USERS) tasks.push({ start, end: Math.min(users.n, start + PICK_USERS) });
  const keys: Float64Array[] = [];
  let walked = 0;
  let first = true;
  // Every task is queued at once (results are a few KB each), so a busy main thread never idles a worker.
  const pull = startOrderedPull<PickContext, EdgeTask, { keys: Float64Array; walked: number }>(
    prestarted ?? worker,
    init,
    n,
    tasks,
    tasks.length,
  );
  for await (const r of pull.results) {
    if (first) {
      first = false;
      meanwhile();
    }
    keys.push(r.keys);
    walked += r.walked;
  }
  return edgesFromPicks(users, sim, att, keys, walked, win.windowPairs);
}
