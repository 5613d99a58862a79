/**
 * Scoring one block of users' top-K lists, the same in-thread and on a worker thread
 * (score-worker.ts): for each user, s(u, p) over every place and the softmax (score-model.ts's
 * `Scorer.cumulative`), then the metrics of the user's list, of the most popular places and of the
 * exact ranking. A block returns each user's figures, not sums, so the caller adds them in user
 * order and the figures do not depend on how many threads scored them.
 */
import type { RecsysConfig } from "./config.js";
import { type ListMetrics, Preferences } from "./ranking-metrics.js";
import { type ScorePlaces, Scorer, type ScoreUsers } from "./score-model.js";

/** What every block needs: the config, the score's inputs, K and the most popular list. */
export interface ScoreInit {
  readonly cfg: RecsysConfig;
  readonly users: ScoreUsers;
  readonly places: ScorePlaces;
  readonly k: number;
  readonly popular: Int32Array;
}

/** A block: user ids and their lists (K places per user, -1 for an empty rank). */
export interface ScoreTask {
  readonly users: Int32Array;
  readonly lists: Int32Array;
}

/** Figures per user of a block, 12 a user: the list's, the most popular's, the exact ranking's (recall, ndcg, hit, mass each). */
export const FIGURES_PER_USER = 12;

/** The reusable state of one thread. */
export interface ScoreContext {
  readonly init: ScoreInit;
  readonly scorer: Scorer;
  readonly prefs: Preferences;
  readonly scores: Float64Array;
  readonly cum: Float64Array;
}

/** A thread's context (buffers allocated once). */
export function scoreContext(init: ScoreInit): ScoreContext {
  return {
    init,
    scorer: new Scorer(init.cfg, init.places, init.users),
    prefs: new Preferences(init.k),
    scores: new Float64Array(init.places.n),
    cum: new Float64Array(init.places.n),
  };
}

function put(out: Float64Array, at: number, m: ListMetrics): void {
  out[at] = m.recall;
  out[at + 1] = m.ndcg;
  out[at + 2] = m.hit;
  out[at + 3] = m.mass;
}

/** Each user's figures, FIGURES_PER_USER a user, in the block's order. */
export function scoreBlock(ctx: ScoreContext, task: ScoreTask): Float64Array {
  const { init, scorer, prefs, scores, cum } = ctx;
  const n = init.places.n;
  const out = new Float64Array(task.users.length * FIGURES_PER_USER);
  for (let i = 0; i < task.users.length; i++) {
    scorer.prepare(task.users[i] as number);
    prefs.setCumulative(scores, cum, scorer.cumulative(scores, cum, init.cfg.beta), n);
    put(out, i * FIGURES_PER_USER, prefs.metrics(task.lists, i * init.k));
    put(out, i * FIGURES_PER_USER + 4, prefs.metrics(init.popular));
    put(out, i * FIGURES_PER_USER + 8, prefs.ceiling());
  }
  return out;
}
