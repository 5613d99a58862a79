/**
 * `score recsys DIR --predictions FILE --k K`: a recommender's top K places per user against the
 * users' true softmax preferences, computed from the folder's users and places tables with the
 * generator's own score s(u, p) (score-model.ts), beside two baselines on the same users: the most
 * popular places (the K largest `popularity` of the places table, ties by place id, one list for
 * everyone) and the exact preference ranking (the ceiling, 1 on recall, NDCG and hit rate).
 * ranking-metrics.ts defines the metrics.
 *
 * The predictions are CSV with a header naming `user_id`, `place_id` and `rank` (other columns are
 * ignored): rank r in 1..K is the place's position in the user's list. The users scored are those
 * the file names; a user with fewer than K rows is scored with what it has (its empty ranks gain
 * nothing). Cost: one pass of s(u, p) and exp over the places (the generator's `Scorer.cumulative`) and
 * one to pick the top K, per scored user: O(users x places), into two reused buffers per thread;
 * blocks of 256 users go to worker threads (score-worker.ts) from 2M user-place scores on.
 */
import * as os from "node:os";
import { InputError } from "../../core/errors.js";
import { yieldToSignals } from "../../io/atomic.js";
import { cellReader, readCsvTable } from "../../io/read-file.js";
import { orderedParallel, workerRunnable } from "../../io/worker-pool.js";
import { PARALLEL_MIN_WORK } from "./generate.js";
import { type ListMetrics, MetricSums } from "./ranking-metrics.js";
import { FIGURES_PER_USER, type ScoreInit, type ScoreTask, scoreBlock, scoreContext } from "./score-block.js";
import { readUsersAndPlaces, scoreFolder } from "./score-folder.js";

/** The figures of `score recsys --task places`. */
export interface PlacesScore {
  readonly task: "places";
  readonly k: number;
  /** Users named in the predictions file, all scored. */
  readonly users: number;
  /** Of them, users with fewer than K predictions. */
  readonly users_with_fewer_than_k: number;
  readonly predictions: number;
  readonly beta: number;
  readonly predicted: ListMetrics;
  readonly most_popular: ListMetrics;
  readonly exact_ranking: ListMetrics;
}

const COLUMNS = ["user_id", "place_id", "rank"] as const;
const HINT = "give a CSV with a header user_id,place_id,rank and one row per recommended place (rank 1 = first)";

/** A cell that must be a whole number in [min, max]: the number, or an InputError naming the line. */
function wholeCell(file: string, line: number, name: string, text: string, min: number, max: number, hint: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new InputError(
      "bad_predictions",
      `${file}:${line}: ${name} ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`,
      {
        location: { file, line },
        hint,
      },
    );
  return n;
}

/** The lists of the predictions file: user ids in the order first seen, and K places (or -1) per user. */
interface Lists {
  readonly users: Int32Array;
  readonly places: Int32Array;
  readonly counts: Int32Array;
  readonly rows: number;
}

function readLists(file: string, k: number, nUsers: number, nPlaces: number): Lists {
  const { header, rows } = readCsvTable(file, { code: "bad_predictions", what: "predictions file", hint: HINT });
  for (const c of COLUMNS)
    if (!header.includes(c))
      throw new InputError("bad_predictions", `${file} has no ${c} column (its header is ${JSON.stringify(header.join(","))})`, {
        location: { file, line: 1 },
        hint: HINT,
      });
  if (rows.length === 0)
    throw new InputError("bad_predictions", `${file} has no predictions (a header and no rows)`, {
      location: { file, line: 2 },
      hint: HINT,
    });
  const cell = cellReader(header);
  const slot = new Int32Array(nUsers).fill(-1);
  // Grown by doubling: the users of a file are not known before it is read.
  let users = new Int32Array(64);
  let places = new Int32Array(64 * k).fill(-1);
  let counts = new Int32Array(64);
  let n = 0;
  rows.forEach((r, i) => {
    const line = i + 2;
    const u = wholeCell(file, line, "user_id", cell(r, "user_id"), 0, nUsers - 1, `user ids are 0..${nUsers - 1} (the folder's users)`);
    const p = wholeCell(
      file,
      line,
      "place_id",
      cell(r, "place_id"),
      0,
      nPlaces - 1,
      `place ids are 0..${nPlaces - 1} (the folder's places)`,
    );
    const rankText = cell(r, "rank");
    if (!/^\d+$/.test(rankText) || Number(rankText) < 1)
      throw new InputError("bad_predictions", `${file}:${line}: rank ${JSON.stringify(rankText)} is not a positive whole number`, {
        location: { file, line },
        hint: "rank a user's places 1, 2, ... K",
      });
    let s = slot[u] as number;
    if (s < 0) {
      if (n === users.length) {
        const grow = <A extends Int32Array>(a: A, size: number, fill: number) => {
          const b = new Int32Array(size).fill(fill);
          b.set(a);
          return b;
        };
        users = grow(users, 2 * n, 0);
        counts = grow(counts, 2 * n, 0);
        places = grow(places, 2 * n * k, -1);
      }
      s = n++;
      slot[u] = s;
      users[s] = u;
    }
    if ((counts[s] as number) === k)
      throw new InputError("bad_predictions", `${file}:${line}: user ${u} has more than --k ${k} rows (this is row ${k + 1})`, {
        location: { file, line },
        hint: `give at most ${k} places per user, or raise --k`,
      });
    const rank = Number(rankText);
    if (rank > k)
      throw new InputError("bad_predictions", `${file}:${line}: rank ${rank} of user ${u} is above --k ${k}`, {
        location: { file, line },
        hint: `rank a user's places 1..${k}, or raise --k`,
      });
    const base = s * k;
    if ((places[base + rank - 1] as number) >= 0)
      throw new InputError("bad_predictions", `${file}:${line}: user ${u} has rank ${rank} twice`, {
        location: { file, line },
        hint: "give each of a user's places its own rank",
      });
    for (let j = 0; j < k; j++)
      if (places[base + j] === p)
        throw new InputError("bad_predictions", `${file}:${line}: user ${u} has place ${p} twice (ranks ${j + 1} and ${rank})`, {
          location: { file, line },
          hint: "recommend each place at most once per user",
        });
    places[base + rank - 1] = p;
    counts[s] = (counts[s] as number) + 1;
  });
  return { users: users.subarray(0, n), places, counts: counts.subarray(0, n), rows: rows.length };
}

/** The K most popular places (ties by place id), -1 beyond the places there are. */
export function mostPopular(popularity: Float64Array, k: number): Int32Array {
  const order = Array.from({ length: popularity.length }, (_, p) => p).sort(
    (a, b) => (popularity[b] as number) - (popularity[a] as number) || a - b,
  );
  const out = new Int32Array(k).fill(-1);
  for (let i = 0; i < Math.min(k, order.length); i++) out[i] = order[i] as number;
  return out;
}

/** Users per block of work. */
const BLOCK_USERS = 256;

/** The score-worker module (present in the build; the unit tests from sources stay in-thread). */
export const SCORE_WORKER = new URL("./score-worker.js", import.meta.url);

/**
 * Worker threads for scoring `users` users over `places` places: one per core (at most 4) from
 * PARALLEL_MIN_WORK user-place scores on, as generate does, else none.
 */
export function scoreThreads(users: number, places: number, cores = os.availableParallelism()): number {
  return users * places >= PARALLEL_MIN_WORK ? Math.min(4, cores) : 0;
}

/**
 * Every user's figures of `tasks` in task order (FIGURES_PER_USER a user), on `threads` workers
 * running `module` when it is there, else in this thread; the same numbers either way.
 */
export async function scoreTasks(
  init: ScoreInit,
  tasks: readonly ScoreTask[],
  threads: number,
  module: URL = SCORE_WORKER,
): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  if (threads > 0 && workerRunnable(module)) {
    await orderedParallel<ScoreInit, ScoreTask, Float64Array>({ module, init, threads }, tasks, (r) => out.push(r));
    return out;
  }
  const ctx = scoreContext(init);
  for (const t of tasks) {
    out.push(scoreBlock(ctx, t));
    await yieldToSignals();
  }
  return out;
}

/**
 * Scores the top-K lists of `predictions` against the preferences of the users in folder `dir`.
 * `threads` defaults to {@link scoreThreads}; it never changes the figures.
 *
 * @throws InputError for a folder recsys did not write, or a predictions file without the columns
 *   user_id, place_id, rank, without rows, with an unknown user or place, a rank that is not a
 *   positive whole number or is above K, a user's rank or place twice, or more than K rows for a user.
 * @example (await scoreRecsysPlaces("out/rs", "recs.csv", 10)).predicted.ndcg
 */
export async function scoreRecsysPlaces(dir: string, predictions: string, k: number, threads?: number, module?: URL): Promise<PlacesScore> {
  const folder = scoreFolder(dir);
  const { cfg } = folder;
  const lists = readLists(predictions, k, cfg.n_users, cfg.n_places);
  const { users, places } = await readUsersAndPlaces(folder);
  // In user order, so the sums (and the figures' last bits) do not depend on the file's row order.
  const order = Int32Array.from(lists.users.keys()).sort((a, b) => (lists.users[a] as number) - (lists.users[b] as number));
  const tasks: ScoreTask[] = [];
  for (let start = 0; start < order.length; start += BLOCK_USERS) {
    const slots = order.subarray(start, Math.min(order.length, start + BLOCK_USERS));
    const taskLists = new Int32Array(slots.length * k);
    slots.forEach((s, i) => {
      taskLists.set(lists.places.subarray(s * k, (s + 1) * k), i * k);
    });
    tasks.push({ users: Int32Array.from(slots, (s) => lists.users[s] as number), lists: taskLists });
  }
  const init: ScoreInit = {
    cfg,
    users: {
      city: users.city,
      nbCount: users.nbCount,
      neighborhoods: users.neighborhoods,
      maxNb: users.maxNb,
      catPref: users.catPref,
      finePref: users.finePref,
    },
    places: {
      n: places.n,
      city: places.city,
      neighborhood: places.neighborhood,
      cat1: places.cat1,
      cat2: places.cat2,
      tagStart: places.tagStart,
      tagIndex: places.tagIndex,
      tagWeight: places.tagWeight,
      popularity: places.popularity,
    },
    k,
    popular: mostPopular(places.popularity, k),
  };
  const sums = [new MetricSums(), new MetricSums(), new MetricSums()];
  for (const block of await scoreTasks(init, tasks, threads ?? scoreThreads(order.length, places.n), module))
    for (let at = 0; at < block.length; at += FIGURES_PER_USER)
      sums.forEach((sum, j) => {
        const o = at + 4 * j;
        sum.add({ recall: block[o] as number, ndcg: block[o + 1] as number, hit: block[o + 2] as number, mass: block[o + 3] as number });
      });
  let short = 0;
  for (const c of lists.counts) if (c < k) short++;
  return {
    task: "places",
    k,
    users: order.length,
    users_with_fewer_than_k: short,
    predictions: lists.rows,
    beta: cfg.beta,
    predicted: (sums[0] as MetricSums).means(),
    most_popular: (sums[1] as MetricSums).means(),
    exact_ranking: (sums[2] as MetricSums).means(),
  };
}

/** What each figure means, printed under them (and in `score --help`). */
export const PLACES_DEFINITIONS = [
  "relevance of place p for user u: q_u(p) = softmax(beta * s(u,.))[p], the chance u's next interaction is at p",
  "mass@K: sum of q_u over the list; recall@K: mass@K / the mass of u's true top K places",
  "NDCG@K: sum q_u(place at rank r) / log2(r + 1), over the same sum for the exact ranking's first K",
  "hit rate: share of users whose list holds their most preferred place; figures are means over the users",
];

/** The figures as terminal lines. */
export function formatPlacesScore(s: PlacesScore): string {
  const f = (x: number) => x.toFixed(4).padStart(9);
  const row = (name: string, m: ListMetrics) => `  ${name.padEnd(16)}${f(m.recall)}${f(m.ndcg)}${f(m.hit)}${f(m.mass)}`;
  const K = s.k;
  return [
    `${s.users} users scored (${s.predictions} predictions), K = ${K}, beta ${s.beta}; ` +
      `${s.users_with_fewer_than_k} users have fewer than ${K} predictions, scored with what they have`,
    `  ${"".padEnd(16)}${`recall@${K}`.padStart(9)}${`ndcg@${K}`.padStart(9)}${"hit rate".padStart(9)}${`mass@${K}`.padStart(9)}`,
    row("your predictions", s.predicted),
    row("most popular", s.most_popular),
    row("exact ranking", s.exact_ranking),
    ...PLACES_DEFINITIONS,
  ].join("\n");
}
