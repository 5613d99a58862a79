/**
 * The exact checks of issue 13 ("Ground truth and checks"): each a function returning a
 * {@link CheckResult}; any violation fails it. Generate and verify run them on the same shapes
 * (entities as {@link Users}/{@link Places}, interaction evidence, edges, labels).
 */
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { sigmoid } from "../../core/distributions.js";
import { firstAtLeast } from "../../core/sorted.js";
import type { InteractionEvidence } from "./evidence.js";
import type { Places, RecsysModel, Users } from "./model.js";
import {
  type Attendance,
  buildEdges,
  CoAttendanceCounter,
  type Edges,
  type Labels,
  neighborhoodOverlap,
  type Similarity,
} from "./social.js";

const SUM_TOL = 1e-6;

/** Users: home city in range, neighbourhoods in it, vectors non-negative summing to 1, fine_pref agreeing with cat_pref. */
export function userInvariants(model: RecsysModel, users: Users, first: number, end: number): CheckResult {
  const { cfg } = model;
  const C = cfg.n_categories;
  const T = cfg.tags_per_category;
  const NB = cfg.neighborhoods_per_city;
  const v = new ViolationList();
  for (let u = first; u < end; u++) {
    const city = users.city[u] as number;
    if (!(city >= 0 && city < cfg.n_cities)) v.add({ user_id: u, home_city: city, problem: "home_city out of range" });
    const k = users.nbCount[u] as number;
    if (k < Math.min(cfg.user_neighborhoods[0], NB) || k > cfg.user_neighborhoods[1])
      v.add({ user_id: u, problem: `${k} frequent neighbourhoods` });
    for (let j = 0; j < k; j++) {
      const nb = users.neighborhoods[u * users.maxNb + j] as number;
      if (Math.floor(nb / NB) !== city || nb < 0)
        v.add({ user_id: u, neighborhood: nb, problem: "a frequent neighbourhood outside the home city" });
    }
    let catSum = 0;
    let fineSum = 0;
    for (let c = 0; c < C; c++) {
      const w = users.catPref[u * C + c] as number;
      let part = 0;
      for (let t = 0; t < T; t++) {
        const f = users.finePref[(u * C + c) * T + t] as number;
        if (!(f >= 0)) v.add({ user_id: u, problem: "a negative fine_pref" });
        part += f;
      }
      if (!(w >= 0)) v.add({ user_id: u, problem: "a negative cat_pref" });
      if (!(Math.abs(part - w) <= SUM_TOL))
        v.add({ user_id: u, category: c, cat_pref: w, fine_sum: part, problem: "fine_pref disagrees with cat_pref" });
      catSum += w;
      fineSum += part;
    }
    if (!(Math.abs(catSum - 1) <= SUM_TOL) || !(Math.abs(fineSum - 1) <= SUM_TOL))
      v.add({ user_id: u, cat_sum: catSum, fine_sum: fineSum, problem: "a preference vector does not sum to 1" });
  }
  return check(
    "user_invariants",
    "home city in range, 1-3 frequent neighbourhoods inside it, cat_pref and fine_pref non-negative summing to 1 (1e-6), fine_pref summing to cat_pref per category (1e-6)",
    { users: end - first },
    v,
  );
}

/** Places: city and neighbourhood, 1-2 distinct categories, 3-7 tags inside them summing to 1, price band, popularity. */
export function placeInvariants(model: RecsysModel, places: Places): CheckResult {
  const { cfg } = model;
  const T = cfg.tags_per_category;
  const v = new ViolationList();
  for (let p = 0; p < places.n; p++) {
    const city = places.city[p] as number;
    const nb = places.neighborhood[p] as number;
    if (!(city >= 0 && city < cfg.n_cities) || Math.floor(nb / cfg.neighborhoods_per_city) !== city)
      v.add({ place_id: p, problem: "city out of range or neighbourhood outside its city" });
    const c1 = places.cat1[p] as number;
    const c2 = places.cat2[p] as number;
    if (!(c1 >= 0 && c1 < cfg.n_categories) || c2 === c1 || c2 < -1 || c2 >= cfg.n_categories)
      v.add({ place_id: p, problem: "categories are not 1 or 2 distinct valid ids" });
    const a = places.tagStart[p] as number;
    const b = places.tagStart[p + 1] as number;
    const avail = (c2 >= 0 ? 2 : 1) * T;
    if (b - a < Math.min(cfg.place_tags[0], avail) || b - a > cfg.place_tags[1])
      v.add({ place_id: p, tags: b - a, problem: "tag count out of range" });
    let sum = 0;
    for (let j = a; j < b; j++) {
      const cat = Math.floor((places.tagIndex[j] as number) / T);
      if (cat !== c1 && cat !== c2) v.add({ place_id: p, tag: places.tagIndex[j], problem: "a tag outside the place's categories" });
      const w = places.tagWeight[j] as number;
      if (!(w > 0)) v.add({ place_id: p, problem: "a chosen tag with weight <= 0" });
      sum += w;
    }
    if (!(Math.abs(sum - 1) <= SUM_TOL)) v.add({ place_id: p, tag_sum: sum, problem: "tags do not sum to 1" });
    const band = places.priceBand[p] as number;
    if (
      !(band >= 1 && band <= cfg.price_bands) ||
      !((places.popularity[p] as number) > 0) ||
      !((places.slot[p] as number) >= 0 && (places.slot[p] as number) <= 3)
    )
      v.add({ place_id: p, problem: "price_band, typical_time_slot or popularity out of range" });
  }
  return check(
    "place_invariants",
    "city and neighbourhood consistent, 1-2 distinct categories, 3-7 tags all inside the place's categories, tag weights positive summing to 1 (1e-6), price band 1..price_bands, popularity > 0",
    { places: places.n },
    v,
  );
}

/** Interaction rows: every key resolves; rows by user, in time order; per-user counts. */
export function interactionKeys(ev: InteractionEvidence): CheckResult[] {
  return [
    check(
      "interaction_foreign_keys",
      "every interaction's user_id and place_id resolve (the user within this part)",
      { rows: ev.rows },
      ev.foreignKeys,
    ),
    check("interaction_order", "rows grouped by user ascending, each user's in time order", {}, ev.order),
    check("interaction_counts", "each user has exactly n_interactions rows", {}, ev.counts),
    check("interaction_time", "timestamps inside the period; day_of_week (0 = Monday) and time_slot agree with them", {}, ev.time),
    check(
      "interaction_flags",
      "like, save, share, attended are 0/1; implicit_rating = 1 + like + save + share/2 + 1.5 attended (in [1, 5]); dwell >= 1",
      {},
      ev.flags,
    ),
  ];
}

/** Edges as stored: user_a < user_b ascending (so no self-loop, no duplicate), keys resolve, values recomputed, rule met. */
export function edgeInvariants(
  model: Pick<RecsysModel, "cfg">,
  users: Pick<Users, "nbCount" | "neighborhoods" | "maxNb">,
  edges: Pick<Edges, "a" | "b" | "similarity" | "coAttendance" | "overlap">,
  sim: Pick<Similarity, "of">,
  att: CountedAttendance,
  first: number,
  end: number,
): CheckResult {
  const { cfg } = model;
  const U = cfg.n_users;
  const v = new ViolationList();
  const counter = new CoAttendanceCounter(att);
  for (let i = 0; i < edges.a.length; i++) {
    const a = edges.a[i] as number;
    const b = edges.b[i] as number;
    const row = { row: i + 1, user_a: a, user_b: b };
    if (!(a >= first && a < end && b > a && b < U)) {
      v.add({ ...row, problem: "not user_a < user_b with both ids valid (and user_a in this part)" });
      continue;
    }
    if (i > 0 && (edges.a[i - 1] as number) * U + (edges.b[i - 1] as number) >= a * U + b)
      v.add({ ...row, problem: "edges not in (user_a, user_b) order: a duplicate or out of order" });
    const s = sim.of(a, b);
    if (!(Math.abs(s - (edges.similarity[i] as number)) <= 1e-6))
      v.add({ ...row, stored: edges.similarity[i], recomputed: s, problem: "similarity differs" });
    const co = counter.of(a, b);
    if (co !== edges.coAttendance[i]) v.add({ ...row, stored: edges.coAttendance[i], recomputed: co, problem: "co_attendance differs" });
    const o = neighborhoodOverlap(users.nbCount, users.neighborhoods, users.maxNb, a, b);
    if (!(Math.abs(o - (edges.overlap[i] as number)) <= 1e-6)) v.add({ ...row, problem: "neighborhood_overlap differs" });
    if (!((edges.similarity[i] as number) >= cfg.edges_min_similarity || (edges.coAttendance[i] as number) >= cfg.edges_min_coattendance))
      v.add({ ...row, similarity: edges.similarity[i], co_attendance: edges.coAttendance[i], problem: "edge below both thresholds" });
  }
  return check(
    "edge_invariants",
    "user_a < user_b, ascending (no self-loop, no duplicate); similarity recomputed from the vectors (1e-6), co_attendance recomputed from the interactions (exactly), neighborhood_overlap (1e-6); similarity >= edges_min_similarity or co_attendance >= edges_min_coattendance",
    { edges: edges.a.length },
    v,
  );
}

/**
 * The edge set recomputed from the users and the attended interactions (each user's top-k
 * qualifying candidates): the stored edges of users [first, end) must be exactly those; this is
 * also the "at most top_k chosen per user" check.
 */
export function edgesRecomputed(
  model: RecsysModel,
  users: Users,
  edges: Edges,
  sim: Similarity,
  att: Attendance,
  first: number,
  end: number,
  built?: Edges,
): CheckResult {
  const U = model.cfg.n_users;
  // Generate passes the edge set it built (from the same users and attendance); verify rebuilds it.
  const want = built ?? buildEdges(model, users, sim, att);
  const v = new ViolationList();
  // Both key lists ascending and without repeats (sorted when they are not), compared by a merge:
  // two Sets of 146k keys took 69 ms at 10k x 10k.
  const expected = keysOf(want, U, first, end);
  const stored = keysOf(edges, U, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  let i = 0;
  let j = 0;
  while (i < expected.length || j < stored.length) {
    const e = i < expected.length ? (expected[i] as number) : Number.POSITIVE_INFINITY;
    const s = j < stored.length ? (stored[j] as number) : Number.POSITIVE_INFINITY;
    if (e === s) {
      i++;
      j++;
    } else if (e < s) {
      v.add({ user_a: Math.floor(e / U), user_b: e % U, problem: "an edge of the top-k rule is missing" });
      i++;
    } else {
      v.add({ user_a: Math.floor(s / U), user_b: s % U, problem: "an edge no user's top-k chose" });
      j++;
    }
  }
  return check(
    "edges_recomputed",
    "the edges equal the union of each user's top edges_top_k qualifying candidates (co-attendees and window mates), recomputed from users and interactions",
    {
      expected: expected.length,
      stored: stored.length,
      picks: want.stats.picks,
      coattendance_pairs: want.stats.coattendancePairs,
      window_pairs: want.stats.windowPairs,
    },
    v,
  );
}

/** What a co-attendance count reads of the attendance (as an edge worker has it). */
export type CountedAttendance = ConstructorParameters<typeof CoAttendanceCounter>[0];

/** The distinct keys `a * U + b` of the edges whose user_a is in [first, end), ascending. */
function keysOf(edges: Pick<Edges, "a" | "b">, U: number, first: number, end: number): Float64Array {
  const out = new Float64Array(edges.a.length);
  let n = 0;
  let sorted = true;
  for (let i = 0; i < edges.a.length; i++) {
    const a = edges.a[i] as number;
    if (a < first || a >= end) continue;
    const k = a * U + (edges.b[i] as number);
    if (n > 0 && k <= (out[n - 1] as number)) sorted = false;
    out[n++] = k;
  }
  const keys = out.subarray(0, n);
  if (sorted) return keys;
  keys.sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || keys[i] !== keys[i - 1]) keys[m++] = keys[i] as number;
  return keys.subarray(0, m);
}

/** Labels: positives are edges meeting the friend rule, negatives are not edges, kinds and probabilities recomputed. */
export function labelInvariants(
  model: Pick<RecsysModel, "cfg">,
  edges: Pick<Edges, "a" | "b">,
  labels: Labels,
  sim: Pick<Similarity, "of">,
  att: CountedAttendance,
): CheckResult {
  const { cfg } = model;
  const U = cfg.n_users;
  // The edges' keys ascending, walked alongside the labels (which come in key order when they are
  // right): 39 ms of Set lookups at 10k x 10k become a merge; a label out of order searches instead.
  const edgeKeys = keysOf(edges, U, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  let cursor = 0;
  let lastKey = Number.NEGATIVE_INFINITY;
  const isEdgeKey = (k: number): boolean => {
    if (k < lastKey) cursor = firstAtLeast(edgeKeys, k);
    else while (cursor < edgeKeys.length && (edgeKeys[cursor] as number) < k) cursor++;
    lastKey = k;
    return edgeKeys[cursor] === k;
  };
  const v = new ViolationList();
  const counter = new CoAttendanceCounter(att);
  let positives = 0;
  let negatives = 0;
  const [pa, pb, pc] = cfg.attendance_probability;
  for (let i = 0; i < labels.a.length; i++) {
    const a = labels.a[i] as number;
    const b = labels.b[i] as number;
    const row = { row: i + 1, user_a: a, user_b: b };
    if (!(a >= 0 && b > a && b < U)) {
      v.add({ ...row, problem: "not user_a < user_b with both ids valid" });
      continue;
    }
    if (i > 0 && (labels.a[i - 1] as number) * U + (labels.b[i - 1] as number) >= a * U + b)
      v.add({ ...row, problem: "labels not in (user_a, user_b) order: a duplicate or out of order" });
    const s = sim.of(a, b);
    const co = counter.of(a, b);
    if (!(Math.abs(s - (labels.similarity[i] as number)) <= 1e-6) || co !== labels.coAttendance[i])
      v.add({ ...row, problem: "similarity or co_attendance differs from recomputed" });
    const bySim = (labels.similarity[i] as number) >= cfg.friend_min_similarity;
    const byCo = co >= cfg.friend_min_coattendance;
    const isEdge = isEdgeKey(a * U + b);
    if (labels.label[i] === 1) {
      positives++;
      const kind = bySim && byCo ? 0 : bySim ? 1 : 2;
      if (!isEdge || !(bySim || byCo) || labels.kind[i] !== kind)
        v.add({ ...row, problem: "a positive that is not an edge meeting the friend rule, or of the wrong kind" });
    } else {
      negatives++;
      if (isEdge || labels.kind[i] !== 3 || labels.label[i] !== 0)
        v.add({ ...row, problem: "a negative that is an edge, or not label 0 of kind random_negative" });
    }
    const prob = sigmoid(pa + pb * s + pc * co);
    if (!(Math.abs(prob - (labels.probability[i] as number)) <= 1e-5))
      v.add({ ...row, stored: labels.probability[i], recomputed: prob, problem: "attendance_probability differs" });
  }
  return check(
    "label_invariants",
    "positives are edges with similarity >= friend_min_similarity or co_attendance >= friend_min_coattendance (kind says which), negatives are not edges (kind random_negative), pairs unique and ordered, attendance_probability = sigmoid(a + b sim + c co) (1e-5)",
    { positives, negatives },
    v,
  );
}

/** Every positive-rule edge of this part is labelled, and there are round(ratio * positives) negatives (capped by the non-edges). */
export function labelCoverage(model: RecsysModel, edges: Edges, labels: Labels, sharded: boolean): CheckResult {
  const { cfg } = model;
  const v = new ViolationList();
  let want = 0;
  for (let i = 0; i < edges.a.length; i++)
    if ((edges.similarity[i] as number) >= cfg.friend_min_similarity || (edges.coAttendance[i] as number) >= cfg.friend_min_coattendance)
      want++;
  let pos = 0;
  for (let i = 0; i < labels.label.length; i++) if (labels.label[i] === 1) pos++;
  if (pos !== want) v.add({ positives: pos, qualifying_edges: want, problem: "not every qualifying edge is a positive label" });
  const neg = labels.label.length - pos;
  const U = cfg.n_users;
  const wantNeg = Math.min(Math.round(cfg.friend_negative_ratio * pos), (U * (U - 1)) / 2 - edges.a.length);
  // A shard holds the negatives whose user_a it owns, a share of the whole data set's.
  if (!sharded && neg !== wantNeg)
    v.add({ negatives: neg, expected: wantNeg, problem: "negatives are not friend_negative_ratio per positive" });
  return check(
    "label_coverage",
    "every edge meeting the friend rule is a positive; negatives number round(friend_negative_ratio x positives), capped by the non-edge pairs (whole data sets only)",
    { positives: pos, negatives: neg, qualifying_edges: want },
    v,
  );
}
