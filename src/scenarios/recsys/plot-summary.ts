/**
 * What the recsys plots draw, folded from a folder's tables a part at a time (a Parquet row group
 * or 65,536 CSV lines, reading only the columns a plot needs): counts per city, category-preference
 * sums, interactions per user and per place, the score histograms of a keyed sample of users (about
 * 200, {@link sampledUser}: 200 x 10k pairs at the default size), degrees of the social graph and
 * the friend labels' histograms. Memory is a few numbers per user and per place, the places table
 * (the score needs every place) and the sample's preference vectors, whatever the interactions.
 */
import * as path from "node:path";
import { Histogram } from "../../checks/summaries.js";
import type { Shard } from "../scenario.js";
import type { RecsysConfig } from "./config.js";
import { recsysFileNames, sampledUser, sampleStride } from "./generate.js";
import { buildModel, type RecsysModel } from "./model.js";
import { forEachTableGroup, readTable } from "./read-tables.js";
import type { RunFacts } from "./run-facts.js";
import { Scorer, type ScoreUsers } from "./score-model.js";
import { placesFrom } from "./verify.js";

/** Bins of the score histograms. */
export const SCORE_BINS = 50;
/** Bins of the similarity histograms, over [0, 1] (the cosine of non-negative vectors). */
export const SIMILARITY_BINS = 50;
/** Co-attendance counts drawn one by one; larger ones share the last bar. */
export const COATTENDANCE_CAP = 10;

/** The folded tables. */
export interface RecsysSummary {
  readonly model: RecsysModel;
  readonly usersPerCity: Float64Array;
  readonly placesPerCity: Float64Array;
  /** Sum and sum of squares of each user's cat_pref, per category. */
  readonly catPrefSum: Float64Array;
  readonly catPrefSquares: Float64Array;
  /** Interaction rows per user and per place, and each user's `n_interactions` from the users table. */
  readonly perUser: Int32Array;
  readonly perPlace: Int32Array;
  readonly nInteractions: Int32Array;
  /** Users of the keyed score sample ({@link sampledUser}). */
  readonly sampled: number;
  /** s(u, p) of the sample against every place; the sample's interactions; their expectation under softmax(beta s). */
  readonly scoreAll: Histogram;
  readonly scoreChosen: Histogram;
  readonly scoreExpected: Histogram;
  /** Edges at each user (either end). */
  readonly degree: Int32Array;
  readonly edges: number;
  /** Per label (index 0 negative, 1 positive): rows, similarity histogram, co-attendance counts (the last bar COATTENDANCE_CAP and more). */
  readonly labels: readonly number[];
  readonly labelSimilarity: readonly Histogram[];
  readonly labelCoAttendance: readonly Float64Array[];
}

/** The score range every user's s(u, p) lies in: the popularity term, plus at most every other weight. */
function scoreRange(cfg: RecsysConfig, popularity: Float64Array): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of popularity) {
    const b = cfg.w_popularity * Math.log(x);
    lo = Math.min(lo, b);
    hi = Math.max(hi, b);
  }
  hi += cfg.w_interest + cfg.w_category + cfg.w_location * Math.max(1, cfg.same_city_bonus);
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** Per label (index 0 negative, 1 positive): rows, similarity histogram and co-attendance counts. */
class LabelFold {
  readonly counts = [0, 0];
  readonly similarity = [new Histogram(0, 1, SIMILARITY_BINS), new Histogram(0, 1, SIMILARITY_BINS)];
  readonly coAttendance = [new Float64Array(COATTENDANCE_CAP + 1), new Float64Array(COATTENDANCE_CAP + 1)];
  add(label: ArrayLike<number>, sim: ArrayLike<number>, co: ArrayLike<number>, n: number): void {
    for (let i = 0; i < n; i++) {
      const l = label[i] === 1 ? 1 : 0;
      this.counts[l]! += 1;
      (this.similarity[l] as Histogram).add(sim[i] as number);
      (this.coAttendance[l] as Float64Array)[Math.min(COATTENDANCE_CAP, co[i] as number)]! += 1;
    }
  }
}

/**
 * Folds the tables of a folder (its shards, in order, when `count` > 0) into a {@link RecsysSummary}.
 * With `facts` (a whole data set just generated there) only the places are read; the rest is
 * folded from them, in the same order, to the same numbers (tested).
 *
 * @throws InputError when a table lacks a column or the places are not the config's; IoError when a file cannot be read.
 */
export async function summariseRecsys(dir: string, cfg: RecsysConfig, count: number, facts?: RunFacts): Promise<RecsysSummary> {
  const model = buildModel(cfg);
  const U = cfg.n_users;
  const C = cfg.n_categories;
  const T = model.nTags;
  const shards: (Shard | undefined)[] = count ? Array.from({ length: count }, (_, index) => ({ index, count })) : [undefined];
  const names = shards.map((s) => recsysFileNames(cfg, s));
  const at = (f: string) => path.join(dir, f);
  const usersPerCity = new Float64Array(cfg.n_cities);
  const catPrefSum = new Float64Array(C);
  const catPrefSquares = new Float64Array(C);
  const nInteractions = new Int32Array(U);
  // The sample's vectors, by its position (u / every).
  const inSample = sampledUser(model);
  const every = sampleStride(model);
  const sampled = Math.ceil(U / every);
  const maxNb = Math.min(cfg.user_neighborhoods[1], cfg.neighborhoods_per_city);
  const sample: ScoreUsers = {
    city: new Int32Array(sampled),
    nbCount: new Int32Array(sampled),
    neighborhoods: new Int32Array(sampled * maxNb),
    maxNb,
    catPref: new Float32Array(sampled * C),
    finePref: new Float32Array(sampled * T),
  };
  /** One user's row: its counts, and its vectors when it is in the sample (`nbs` and `fine` asked for only then). */
  const addUser = (u: number, city: number, count: number, cat: Float32Array, nbs: () => ArrayLike<number>, fine: () => Float32Array) => {
    usersPerCity[city]! += 1;
    nInteractions[u] = count;
    for (let c = 0; c < C; c++) {
      const x = cat[c] as number;
      catPrefSum[c]! += x;
      catPrefSquares[c]! += x * x;
    }
    if (!inSample(u)) return;
    const j = u / every;
    sample.city[j] = city;
    const nb = nbs();
    sample.nbCount[j] = nb.length;
    sample.neighborhoods.set(nb, j * maxNb);
    sample.catPref.set(cat, j * C);
    sample.finePref.set(fine(), j * T);
  };
  if (facts) {
    const us = facts.users;
    for (let u = 0; u < U; u++)
      addUser(
        u,
        us.city[u] as number,
        us.nInteractions[u] as number,
        us.catPref.subarray(u * C, (u + 1) * C),
        () => us.neighborhoods.subarray(u * us.maxNb, u * us.maxNb + Math.min(us.nbCount[u] as number, maxNb)),
        () => us.finePref.subarray(u * T, (u + 1) * T),
      );
  } else {
    const userColumns = ["user_id", "home_city", "neighborhoods", "cat_pref", "fine_pref", "n_interactions"];
    for (const n of names)
      await forEachTableGroup(at(n.users), cfg.format, userColumns, (s) => {
        const ids = s.int("user_id");
        const city = s.int("home_city");
        const cat = s.vector("cat_pref", C);
        const count = s.int("n_interactions");
        for (let i = 0; i < s.length; i++)
          addUser(
            ids[i] as number,
            city[i] as number,
            count[i] as number,
            cat.subarray(i * C, (i + 1) * C),
            () => s.text("neighborhoods", i).split(";").slice(0, maxNb).map(Number),
            () => s.vector("fine_pref", T).subarray(i * T, (i + 1) * T),
          );
      });
  }
  const places = placesFrom(cfg, await readTable(at((names[0] as (typeof names)[number]).places), cfg.format));
  const placesPerCity = new Float64Array(cfg.n_cities);
  for (const c of places.city) placesPerCity[c]! += 1;

  // Every place's score for each sampled user, and its softmax weight times the user's interactions.
  const [lo, hi] = scoreRange(cfg, places.popularity);
  const scoreAll = new Histogram(lo, hi, SCORE_BINS);
  const scoreChosen = new Histogram(lo, hi, SCORE_BINS);
  const scoreExpected = new Histogram(lo, hi, SCORE_BINS);
  const scorer = new Scorer(cfg, places, sample);
  const scores = new Float64Array(places.n);
  const cum = new Float64Array(places.n);
  // The two histograms share their bins: one bin index per pair (2M pairs at 10k x 10k), not two adds.
  const all = scoreAll.counts;
  const expected = scoreExpected.counts;
  const last = SCORE_BINS - 1;
  for (let j = 0; j < sampled; j++) {
    scorer.prepare(j);
    const scale = (nInteractions[j * every] as number) / scorer.cumulative(scores, cum, cfg.beta);
    let prev = 0;
    for (let p = 0; p < places.n; p++) {
      const k = Math.max(0, Math.min(last, Math.floor(((scores[p] as number) - lo) / scoreAll.width)));
      const c = cum[p] as number;
      all[k]! += 1;
      expected[k]! += scale * (c - prev);
      prev = c;
    }
  }

  const perUser = facts ? facts.perUser.slice() : new Int32Array(U);
  const perPlace = facts ? facts.perPlace.slice() : new Int32Array(places.n);
  if (facts) {
    for (const [u, chosen] of facts.sampled) {
      scorer.prepare(u / every);
      for (const p of chosen) scoreChosen.add(scorer.score(p));
    }
  } else
    for (const n of names)
      await forEachTableGroup(at(n.interactions), cfg.format, ["user_id", "place_id"], (s) => {
        const user = s.int("user_id");
        const place = s.int("place_id");
        let prepared = -1;
        for (let i = 0; i < s.length; i++) {
          const u = user[i] as number;
          const p = place[i] as number;
          perUser[u]! += 1;
          perPlace[p]! += 1;
          if (!inSample(u)) continue;
          if (u !== prepared) scorer.prepare(u / every);
          prepared = u;
          scoreChosen.add(scorer.score(p));
        }
      });

  const degree = new Int32Array(U);
  let edges = 0;
  const addEdges = (a: ArrayLike<number>, b: ArrayLike<number>, n: number) => {
    for (let i = 0; i < n; i++) {
      degree[a[i] as number]! += 1;
      degree[b[i] as number]! += 1;
    }
    edges += n;
  };
  const labels = new LabelFold();
  if (facts) {
    addEdges(facts.edges.a, facts.edges.b, facts.edges.a.length);
    labels.add(facts.labels.label, facts.labels.similarity, facts.labels.coAttendance, facts.labels.label.length);
  } else {
    for (const n of names)
      await forEachTableGroup(at(n.edges), cfg.format, ["user_a", "user_b"], (s) => addEdges(s.int("user_a"), s.int("user_b"), s.length));
    for (const n of names)
      await forEachTableGroup(at(n.labels), cfg.format, ["label", "similarity", "co_attendance"], (s) =>
        labels.add(s.int("label"), s.float("similarity"), s.int("co_attendance"), s.length),
      );
  }
  return {
    model,
    usersPerCity,
    placesPerCity,
    catPrefSum,
    catPrefSquares,
    perUser,
    perPlace,
    nInteractions,
    sampled,
    scoreAll,
    scoreChosen,
    scoreExpected,
    degree,
    edges,
    labels: labels.counts,
    labelSimilarity: labels.similarity,
    labelCoAttendance: labels.coAttendance,
  };
}
