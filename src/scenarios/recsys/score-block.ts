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
  /** Four scorers: users are scored four at a time (Scorer.cumulative4). */
  readonly scorers: readonly [Scorer, Scorer, Scorer, Scorer];
  readonly prefs: Preferences;
  readonly scores: Float64Array[];
  readonly cum: Float64Array[];
  readonly totals: Float64Array;
}

/** A thread's context (buffers allocated once). */
export function scoreContext(init: ScoreInit): ScoreContext {
  return {
    init,
    scorers: [0, 1, 2, 3].map(() => new Scorer(init.cfg, init.places, init.users)) as unknown as ScoreContext["scorers"],
    prefs: new Preferences(init.k),
    scores: [0, 1, 2, 3].map(() => new Float64Array(init.places.n)),
    cum: [0, 1, 2, 3].map(() => new Float64Array(init.places.n)),
    totals: new Float64Array(4),
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
  const { init, scorers, prefs, scores, cum, totals } = ctx;
  const n = init.places.n;
  const beta = init.cfg.beta;
  const L = task.users.length;
  const out = new Float64Array(L * FIGURES_PER_USER);
  for (let i0 = 0; i0 < L; i0 += 4) {
    const k = Math.min(4, L - i0);
    for (let j = 0; j < k; j++) (scorers[j] as Scorer).prepare(task.users[i0 + j] as number);
    if (k === 4) Scorer.cumulative4(scorers, scores, cum, beta, totals);
    else for (let j = 0; j < k; j++) totals[j] = (scorers[j] as Scorer).cumulative(scores[j] as Float64Array, cum[j] as Float64Array, beta);
    for (let j = 0; j < k; j++) {
      const i = i0 + j;
      prefs.setCumulative(scores[j] as Float64Array, cum[j] as Float64Array, totals[j] as number, n);
      put(out, i * FIGURES_PER_USER, prefs.metrics(task.lists, i * init.k));
      put(out, i * FIGURES_PER_USER + 4, prefs.metrics(init.popular));
      put(out, i * FIGURES_PER_USER + 8, prefs.ceiling());
    }
  }
  return out;
}
