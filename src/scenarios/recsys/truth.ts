/**
 * truth/: what a model should recover. `parameters.json` is the resolved config with the derived
 * constants (city weights, category and tag names, slots, vibes, the formulas); `users` holds each
 * user's cat_pref, fine_pref, frequent neighbourhoods, dominant category and community; `places`
 * each place's categories, tag vector and popularity (also in the tables).
 */

import { categoriesText, denseTags } from "./columns.js";
import { SLOTS, VIBES } from "./data/taxonomy.js";
import type { Places, RecsysModel, Users } from "./model.js";
import type { RsTable } from "./tables.js";

/** truth/parameters.json. */
export function truthDocument(model: RecsysModel): Record<string, unknown> {
  const { cfg } = model;
  const T = cfg.tags_per_category;
  return {
    config: cfg,
    city_weights: Array.from(model.cityWeights, (w) => Number(w.toPrecision(12))),
    categories: model.categoryNames,
    tags: model.categoryNames.flatMap((c) => Array.from({ length: T }, (_, t) => `${c}/${t + 1}`)),
    slots: SLOTS,
    vibes: VIBES,
    formulas: {
      score: "w_interest * cos(fine_pref, tags) + w_category * (cat_pref . cats01) + w_location * loc + w_popularity * log(popularity)",
      loc: "1 in a frequent neighbourhood, same_city_bonus elsewhere in the home city, 0 in another city",
      choice: "softmax(beta * score) over all places, with replacement",
      flags: "P(flag) = sigmoid(a + b * score)",
      dwell_seconds: "max(1, round(LogNormal(log(median_s) + slope * score, sigma)))",
      implicit_rating: "1 + like + save + share / 2 + 1.5 * attended",
      similarity: "cosine of (cat_pref, fine_pref)",
      attendance_probability: "sigmoid(a + b * similarity + c * co_attendance)",
    },
  };
}

/** truth/users: preferences, neighbourhoods, dominant category and community of users [from, to). */
export function truthUsersTable(model: RecsysModel, users: Users, from: number, to: number): RsTable {
  const C = model.cfg.n_categories;
  const T = model.nTags;
  const dom = new Int32Array(to - from);
  const nbs: string[] = [];
  for (let u = from; u < to; u++) {
    let best = 0;
    for (let c = 1; c < C; c++) if ((users.catPref[u * C + c] as number) > (users.catPref[u * C + best] as number)) best = c;
    dom[u - from] = best;
    nbs.push(Array.from(users.neighborhoods.subarray(u * users.maxNb, u * users.maxNb + (users.nbCount[u] as number))).join(";"));
  }
  return {
    length: to - from,
    columns: [
      { kind: "int", name: "user_id", values: Int32Array.from({ length: to - from }, (_, i) => from + i) },
      { kind: "vector", name: "cat_pref", dim: C, values: users.catPref.slice(from * C, to * C) },
      { kind: "vector", name: "fine_pref", dim: T, values: users.finePref.slice(from * T, to * T) },
      { kind: "string", name: "neighborhoods", values: nbs },
      { kind: "int", name: "dominant_category", values: dom },
      { kind: "int", name: "community", values: users.community.slice(from, to) },
    ],
  };
}

/** truth/places: categories, tag vector and popularity. */
export function truthPlacesTable(model: RecsysModel, places: Places): RsTable {
  return {
    length: places.n,
    columns: [
      { kind: "int", name: "place_id", values: Int32Array.from({ length: places.n }, (_, i) => i) },
      { kind: "string", name: "categories", values: Array.from({ length: places.n }, (_, p) => categoriesText(places, p)) },
      { kind: "vector", name: "tags", dim: model.nTags, values: denseTags(model, places) },
      { kind: "float", name: "popularity", values: places.popularity },
    ],
  };
}
