/**
 * The recsys model's entities (issue 13, steps 1-4 and 8): cities, the taxonomy, places and users.
 * Every entity draws from its own keyed stream, `keyedStreams(seed, "recsys")` at `("place", p)`,
 * `("user", u)` or `("community", c)`, so place p depends only on the seed, the config and p, and
 * adding places changes no user (and the reverse).
 *
 * Vectors are kept as float32 values (the precision the tables store), and every later step (the
 * score, similarities, checks) computes from those float32 values in float64, so `verify`
 * recomputes exactly what `generate` computed from the files alone.
 */
import { keyedStreams, type StreamFamily } from "../../core/rng.js";
import type { RecsysConfig } from "./config.js";
import { CATEGORIES, VIBES } from "./data/taxonomy.js";
import { dirichletInto, flatDirichletInto, partialShuffle, poisson, searchCumulative, uniformInt } from "./draws.js";

/** What every entity shares: the config, the city weights and the taxonomy. */
export interface RecsysModel {
  readonly cfg: RecsysConfig;
  readonly streams: StreamFamily;
  /** City weights (Zipf in id order), normalised. */
  readonly cityWeights: Float64Array;
  readonly cityCum: Float64Array;
  readonly categoryNames: readonly string[];
  /** Cumulative slot weights of each category, 4 per category, normalised. */
  readonly slotCum: Float64Array;
  /** Fine tags: n_categories * tags_per_category. */
  readonly nTags: number;
  /** Days of the interaction period, and the day number (since 1970-01-01) of its first. */
  readonly days: number;
  readonly startDay: number;
}

/** Builds the shared part of the model. */
export function buildModel(cfg: RecsysConfig): RecsysModel {
  const w = new Float64Array(cfg.n_cities);
  let total = 0;
  for (let c = 0; c < cfg.n_cities; c++) {
    w[c] = 1 / (c + 1) ** cfg.city_zipf;
    total += w[c] as number;
  }
  const cum = new Float64Array(cfg.n_cities);
  let run = 0;
  for (let c = 0; c < cfg.n_cities; c++) {
    w[c] = (w[c] as number) / total;
    run += w[c] as number;
    cum[c] = run;
  }
  const names = Array.from({ length: cfg.n_categories }, (_, c) => CATEGORIES[c]?.name ?? `category_${c + 1}`);
  const slotCum = new Float64Array(4 * cfg.n_categories);
  for (let c = 0; c < cfg.n_categories; c++) {
    const sw = CATEGORIES[c]?.slotWeights ?? [0.25, 0.25, 0.25, 0.25];
    const sum = sw.reduce((a, b) => a + b, 0);
    let acc = 0;
    for (let s = 0; s < 4; s++) {
      acc += (sw[s] as number) / sum;
      slotCum[4 * c + s] = acc;
    }
  }
  const startDay = dayNumber(cfg.period.start);
  return {
    cfg,
    streams: keyedStreams(cfg.seed, "recsys"),
    cityWeights: w,
    cityCum: cum,
    categoryNames: names,
    slotCum,
    nTags: cfg.n_categories * cfg.tags_per_category,
    days: dayNumber(cfg.period.end) - startDay + 1,
    startDay,
  };
}

/** Days since 1970-01-01 of an ISO date (UTC). */
export function dayNumber(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000);
}

/**
 * Places, column by column. A place's tags are sparse: its `tagCount` tags are
 * `tagIndex[8p .. 8p + tagCount)` (global tag ids, ascending) with float32 weights `tagWeight` summing
 * to 1, the rest of its 60-long vector being 0.
 */
export interface Places {
  readonly n: number;
  readonly city: Int32Array;
  readonly neighborhood: Int32Array;
  readonly cat1: Int32Array;
  /** The second category, or -1. */
  readonly cat2: Int32Array;
  readonly tagCount: Int32Array;
  readonly tagStart: Int32Array;
  readonly tagIndex: Int32Array;
  readonly tagWeight: Float32Array;
  readonly priceBand: Int32Array;
  readonly slot: Int8Array;
  readonly popularity: Float64Array;
}

/**
 * Typed arrays on a SharedArrayBuffer when `shared` (worker threads are then handed them without a
 * copy), else on their own buffers.
 */
export function typedArrays(shared: boolean) {
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    i8: (n: number) => new Int8Array(buffer(n)),
    i32: (n: number) => new Int32Array(buffer(4 * n)),
    f32: (n: number) => new Float32Array(buffer(4 * n)),
    f64: (n: number) => new Float64Array(buffer(8 * n)),
  };
}

/**
 * Places in [start, end): generated from their own streams (start lets a test build a range), on
 * shared memory with `shared` (what generate hands its interaction workers).
 */
export function buildPlaces(model: RecsysModel, end: number, start = 0, shared = false): Places {
  const { cfg } = model;
  const n = end - start;
  const maxTags = Math.min(cfg.place_tags[1], 2 * cfg.tags_per_category);
  const a = typedArrays(shared);
  const p: Places = {
    n,
    city: a.i32(n),
    neighborhood: a.i32(n),
    cat1: a.i32(n),
    cat2: a.i32(n),
    tagCount: a.i32(n),
    tagStart: a.i32(n + 1),
    tagIndex: a.i32(n * maxTags),
    tagWeight: a.f32(n * maxTags),
    priceBand: a.i32(n),
    slot: a.i8(n),
    popularity: a.f64(n),
  };
  const order = new Int32Array(2 * cfg.tags_per_category);
  const w = new Float64Array(maxTags);
  const chosen = new Int32Array(maxTags);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    pos = drawPlace(model, start + i, i, p, pos, order, w, chosen);
    p.tagStart[i + 1] = pos;
  }
  return p;
}

function drawPlace(
  model: RecsysModel,
  id: number,
  i: number,
  p: Places,
  pos: number,
  order: Int32Array,
  w: Float64Array,
  chosen: Int32Array,
): number {
  const { cfg } = model;
  const T = cfg.tags_per_category;
  const C = cfg.n_categories;
  const rng = model.streams.at("place", id);
  const city = searchCumulative(model.cityCum, cfg.n_cities, rng.double() * (model.cityCum[cfg.n_cities - 1] as number));
  p.city[i] = city;
  p.neighborhood[i] = city * cfg.neighborhoods_per_city + Math.floor(rng.double() * cfg.neighborhoods_per_city);
  const cat1 = Math.floor(rng.double() * C);
  const two = rng.double() < cfg.place_second_category_p && C > 1;
  const cat2 = two ? (cat1 + 1 + Math.floor(rng.double() * (C - 1))) % C : -1;
  p.cat1[i] = cat1;
  p.cat2[i] = cat2;
  // 3..7 distinct tags among the T (or 2T) tags of its categories, weights Dirichlet(1).
  const avail = two ? 2 * T : T;
  const k = uniformInt(rng, Math.min(cfg.place_tags[0], avail), Math.min(cfg.place_tags[1], avail));
  const slots = partialShuffle(rng, avail, k, order);
  for (let j = 0; j < k; j++) {
    const s = slots[j] as number;
    chosen[j] = s < T ? cat1 * T + s : cat2 * T + (s - T);
  }
  chosen.subarray(0, k).sort();
  flatDirichletInto(rng, k, w);
  for (let j = 0; j < k; j++) {
    p.tagIndex[pos + j] = chosen[j] as number;
    p.tagWeight[pos + j] = w[j] as number;
  }
  p.tagCount[i] = k;
  const u = rng.double();
  let slot = 0;
  while (slot < 3 && (model.slotCum[4 * cat1 + slot] as number) <= u) slot++;
  p.slot[i] = slot;
  p.priceBand[i] = uniformInt(rng, 1, cfg.price_bands);
  p.popularity[i] = Math.exp(cfg.popularity_sigma * gaussian(rng));
  return pos + k;
}

function gaussian(rng: { double(): number }): number {
  const u1 = 1 - rng.double();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.double());
}

/** Users, column by column; vectors are float32 rows of `n_categories` and `n_tags` values. */
export interface Users {
  readonly n: number;
  readonly city: Int32Array;
  /** Frequent neighbourhoods (global ids, ascending): `neighborhoods[maxNb * u .. + nbCount[u])`. */
  readonly nbCount: Int32Array;
  readonly neighborhoods: Int32Array;
  readonly maxNb: number;
  readonly catPref: Float32Array;
  readonly finePref: Float32Array;
  /** Vibe traits (indices into VIBES, in drawn order): `vibes[VIBES.length * u .. + vibeCount[u])`. */
  readonly vibeCount: Int32Array;
  readonly vibes: Int8Array;
  readonly behaviour: readonly Int32Array[];
  readonly nInteractions: Int32Array;
  /** Community of each user, -1 without communities. */
  readonly community: Int32Array;
}

/** The behaviour counts, in column order. */
export const BEHAVIOUR_KEYS = ["sessions", "views", "likes", "saves", "attends"] as const;

/** Community centroids (each Dirichlet(pref_alpha), from stream ("community", c)) and cumulative weights. */
export function communityModel(model: RecsysModel): { centroid: Float64Array; cum: Float64Array } {
  const { cfg } = model;
  const n = cfg.communities.n;
  const C = cfg.n_categories;
  const centroid = new Float64Array(n * C);
  const alphas = new Float64Array(C).fill(cfg.pref_alpha);
  const row = new Float64Array(C);
  for (let c = 0; c < n; c++) {
    dirichletInto(model.streams.at("community", c), alphas, row);
    centroid.set(row, c * C);
  }
  const cum = new Float64Array(n);
  let acc = 0;
  for (let c = 0; c < n; c++) {
    acc += cfg.communities.weights?.[c] ?? 1;
    cum[c] = acc;
  }
  return { centroid, cum };
}

/** Users in [start, end), each from its own stream ("user", u); on shared memory with `shared`, as places. */
export function buildUsers(model: RecsysModel, end: number, start = 0, shared = false): Users {
  const { cfg } = model;
  const n = end - start;
  const C = cfg.n_categories;
  const T = cfg.tags_per_category;
  const NB = cfg.neighborhoods_per_city;
  const maxNb = Math.min(cfg.user_neighborhoods[1], NB);
  const a = typedArrays(shared);
  const users: Users = {
    n,
    city: a.i32(n),
    nbCount: a.i32(n),
    neighborhoods: a.i32(n * maxNb),
    maxNb,
    catPref: a.f32(n * C),
    finePref: a.f32(n * C * T),
    vibeCount: a.i32(n),
    vibes: a.i8(n * VIBES.length),
    behaviour: BEHAVIOUR_KEYS.map(() => a.i32(n)),
    nInteractions: a.i32(n),
    community: a.i32(n).fill(-1),
  };
  const com = cfg.communities.n > 0 ? communityModel(model) : null;
  const scratch = new Int32Array(Math.max(NB, VIBES.length));
  const alphas = new Float64Array(C).fill(cfg.pref_alpha);
  const cat = new Float64Array(C);
  const split = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    const rng = model.streams.at("user", start + i);
    const city = searchCumulative(model.cityCum, cfg.n_cities, rng.double() * (model.cityCum[cfg.n_cities - 1] as number));
    users.city[i] = city;
    const k = uniformInt(rng, cfg.user_neighborhoods[0], maxNb);
    const nbs = partialShuffle(rng, NB, k, scratch).sort();
    for (let j = 0; j < k; j++) users.neighborhoods[i * maxNb + j] = city * NB + (nbs[j] as number);
    users.nbCount[i] = k;
    if (com) {
      const m = searchCumulative(com.cum, cfg.communities.n, rng.double() * (com.cum[cfg.communities.n - 1] as number));
      users.community[i] = m;
      for (let c = 0; c < C; c++) alphas[c] = cfg.communities.concentration * (com.centroid[m * C + c] as number);
    }
    dirichletInto(rng, alphas, cat);
    for (let c = 0; c < C; c++) {
      const cw = Math.fround(cat[c] as number);
      users.catPref[i * C + c] = cw;
      flatDirichletInto(rng, T, split);
      for (let t = 0; t < T; t++) users.finePref[(i * C + c) * T + t] = cw * (split[t] as number);
    }
    const nv = uniformInt(rng, Math.min(cfg.vibe_traits[0], VIBES.length), Math.min(cfg.vibe_traits[1], VIBES.length));
    const vibes = partialShuffle(rng, VIBES.length, nv, scratch);
    for (let j = 0; j < nv; j++) users.vibes[i * VIBES.length + j] = vibes[j] as number;
    users.vibeCount[i] = nv;
    BEHAVIOUR_KEYS.forEach((key, b) => {
      const [lo, hi] = cfg.behaviour[key];
      (users.behaviour[b] as Int32Array)[i] = uniformInt(rng, lo, hi);
    });
    users.nInteractions[i] = 1 + poisson(rng, cfg.interactions_per_user - 1);
  }
  return users;
}
