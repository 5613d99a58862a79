/** The five tables' (and truth tables') columns, built from the model's entities and blocks. */
import { SLOTS, VIBES } from "./data/taxonomy.js";
import type { InteractionBlock } from "./interactions.js";
import { BEHAVIOUR_KEYS, type Places, type RecsysModel, type Users } from "./model.js";
import { type Edges, LABEL_KINDS, type Labels, round6 } from "./social.js";
import type { RsColumn, RsTable } from "./tables.js";

/** Column names of each table, in order (the community column only with communities). */
export const TABLE_COLUMNS = {
  users: ["user_id", "home_city", "neighborhoods", "cat_pref", "fine_pref", "vibe", ...BEHAVIOUR_KEYS, "n_interactions"],
  places: ["place_id", "city", "neighborhood", "categories", "tags", "price_band", "typical_time_slot", "popularity"],
  interactions: [
    "user_id",
    "place_id",
    "timestamp",
    "day_of_week",
    "time_slot",
    "dwell_seconds",
    "like",
    "save",
    "share",
    "attended",
    "implicit_rating",
  ],
  user_user_edges: ["user_a", "user_b", "similarity", "co_attendance", "neighborhood_overlap"],
  friend_labels: ["user_a", "user_b", "label", "kind", "similarity", "co_attendance", "attendance_probability"],
} as const;

const ids = (start: number, n: number) => Int32Array.from({ length: n }, (_, i) => start + i);

/** Users [from, to) of `users` (indices into it; ids from `firstId + from`). */
export function usersTable(model: RecsysModel, users: Users, from: number, to: number, firstId = 0): RsTable {
  const C = model.cfg.n_categories;
  const T = model.nTags;
  const n = to - from;
  const nbs: string[] = [];
  const vibes: string[] = [];
  for (let u = from; u < to; u++) {
    nbs.push(Array.from(users.neighborhoods.subarray(u * users.maxNb, u * users.maxNb + (users.nbCount[u] as number))).join(";"));
    const v = users.vibes.subarray(u * VIBES.length, u * VIBES.length + (users.vibeCount[u] as number));
    vibes.push(Array.from(v, (k) => VIBES[k] as string).join(";"));
  }
  const columns: RsColumn[] = [
    { kind: "int", name: "user_id", values: ids(firstId + from, n) },
    { kind: "int", name: "home_city", values: users.city.slice(from, to) },
    { kind: "string", name: "neighborhoods", values: nbs },
    { kind: "vector", name: "cat_pref", dim: C, values: users.catPref.slice(from * C, to * C) },
    { kind: "vector", name: "fine_pref", dim: T, values: users.finePref.slice(from * T, to * T) },
    { kind: "string", name: "vibe", values: vibes },
    ...BEHAVIOUR_KEYS.map((k, b): RsColumn => ({ kind: "int", name: k, values: (users.behaviour[b] as Int32Array).slice(from, to) })),
    { kind: "int", name: "n_interactions", values: users.nInteractions.slice(from, to) },
  ];
  if (model.cfg.communities.n > 0) columns.push({ kind: "int", name: "community", values: users.community.slice(from, to) });
  return { length: n, columns };
}

/** A place's categories as `cat1` or `cat1;cat2` (category ids). */
export function categoriesText(places: Places, p: number): string {
  const c2 = places.cat2[p] as number;
  return c2 >= 0 ? `${places.cat1[p]};${c2}` : String(places.cat1[p]);
}

/** The dense tag vectors (n_tags per place) of the places. */
export function denseTags(model: RecsysModel, places: Places): Float32Array {
  const T = model.nTags;
  const out = new Float32Array(places.n * T);
  for (let p = 0; p < places.n; p++)
    for (let j = places.tagStart[p] as number; j < (places.tagStart[p + 1] as number); j++)
      out[p * T + (places.tagIndex[j] as number)] = places.tagWeight[j] as number;
  return out;
}

/** The places table. */
export function placesTable(model: RecsysModel, places: Places): RsTable {
  const n = places.n;
  return {
    length: n,
    columns: [
      { kind: "int", name: "place_id", values: ids(0, n) },
      { kind: "int", name: "city", values: places.city },
      { kind: "int", name: "neighborhood", values: places.neighborhood },
      { kind: "string", name: "categories", values: Array.from({ length: n }, (_, p) => categoriesText(places, p)) },
      { kind: "vector", name: "tags", dim: model.nTags, values: denseTags(model, places) },
      { kind: "int", name: "price_band", values: places.priceBand },
      { kind: "dict", name: "typical_time_slot", lookup: SLOTS, key: Int32Array.from(places.slot) },
      { kind: "float", name: "popularity", values: places.popularity },
    ],
  };
}

/** An interaction block as a table. */
export function interactionsTable(model: RecsysModel, b: InteractionBlock): RsTable {
  const n = b.length;
  const ms = new Float64Array(n);
  const base = model.startDay * 86_400_000;
  for (let i = 0; i < n; i++) ms[i] = base + (b.second[i] as number) * 1000;
  return {
    length: n,
    columns: [
      { kind: "int", name: "user_id", values: b.user.subarray(0, n) },
      { kind: "int", name: "place_id", values: b.place.subarray(0, n) },
      { kind: "timestamp", name: "timestamp", ms },
      { kind: "int", name: "day_of_week", values: b.dayOfWeek.subarray(0, n) },
      { kind: "dict", name: "time_slot", lookup: SLOTS, key: Int32Array.from(b.slot.subarray(0, n)) },
      { kind: "int", name: "dwell_seconds", values: b.dwell.subarray(0, n) },
      { kind: "int", name: "like", values: b.like.subarray(0, n) },
      { kind: "int", name: "save", values: b.save.subarray(0, n) },
      { kind: "int", name: "share", values: b.share.subarray(0, n) },
      { kind: "int", name: "attended", values: b.attended.subarray(0, n) },
      { kind: "float", name: "implicit_rating", values: b.rating.subarray(0, n) },
    ],
  };
}

/** Rows [from, to) of the edges. */
export function edgesTable(e: Edges, from: number, to: number): RsTable {
  return {
    length: to - from,
    columns: [
      { kind: "int", name: "user_a", values: e.a.subarray(from, to) },
      { kind: "int", name: "user_b", values: e.b.subarray(from, to) },
      { kind: "float", name: "similarity", values: Float64Array.from(e.similarity.subarray(from, to), round6) },
      { kind: "int", name: "co_attendance", values: e.coAttendance.subarray(from, to) },
      { kind: "float", name: "neighborhood_overlap", values: Float64Array.from(e.overlap.subarray(from, to), round6) },
    ],
  };
}

/** Rows [from, to) of the labels. */
export function labelsTable(l: Labels, from: number, to: number): RsTable {
  return {
    length: to - from,
    columns: [
      { kind: "int", name: "user_a", values: l.a.subarray(from, to) },
      { kind: "int", name: "user_b", values: l.b.subarray(from, to) },
      { kind: "int", name: "label", values: l.label.subarray(from, to) },
      { kind: "dict", name: "kind", lookup: LABEL_KINDS, key: l.kind.subarray(from, to) },
      { kind: "float", name: "similarity", values: Float64Array.from(l.similarity.subarray(from, to), round6) },
      { kind: "int", name: "co_attendance", values: l.coAttendance.subarray(from, to) },
      { kind: "float", name: "attendance_probability", values: l.probability.subarray(from, to) },
    ],
  };
}
