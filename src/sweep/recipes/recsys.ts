/**
 * Recsys recipes: fewer users, places and interactions first, then fewer cities, categories (from
 * 2: one category's 5 tags cannot hold the 7 of the default place_tags) and communities, then the
 * preference concentration and beta (0 and large betas are in range: the extreme betas),
 * alpha, seed 0 last.
 */
import type fc from "fast-check";
import type { RecipeObject } from "../compose.js";
import { intKey, numberKey, type RecipeSpace, seedKey } from "../keys.js";
import { spaceRecipe } from "../space-recipe.js";

/** The keys of a recsys sweep, in shrink order (`users` and `places` are n_users and n_places, as the `--users` and `--places` flags). */
export const recsysSpace: RecipeSpace = {
  scenario: "recsys",
  keys: [
    intKey({ name: "users", path: ["n_users"], description: "users", min: 1, max: 50_000_000, open: [1, 300] }),
    intKey({ name: "places", path: ["n_places"], description: "places", min: 1, max: 50_000_000, open: [1, 300] }),
    intKey({
      name: "interactions_per_user",
      description: "mean interactions of a user (1 + Poisson(mean - 1))",
      min: 1,
      max: 100_000,
      open: [1, 50],
    }),
    intKey({ name: "n_cities", description: "cities (Zipf weights)", min: 1, max: 100_000, open: [1, 20] }),
    // From 2 when open: one category owns 5 tags, fewer than the default place_tags [3, 7] asks.
    intKey({ name: "n_categories", description: "coarse categories", min: 1, max: 1000, open: [2, 12] }),
    intKey({
      name: "communities",
      path: ["communities", "n"],
      description: "planted communities (0: off)",
      min: 0,
      max: 10_000,
      open: [0, 5],
    }),
    numberKey({ name: "pref_alpha", description: "cat_pref ~ Dirichlet(pref_alpha)", min: 0.001, max: 1000, open: [0.05, 5] }),
    numberKey({ name: "beta", description: "inverse temperature of the place choice", min: 0, max: 1000, open: [0, 20] }),
    numberKey({ name: "alpha", description: "false-failure rate of each statistical check", min: 1e-12, max: 0.5, open: [0.001, 0.1] }),
    seedKey(),
  ],
};

/**
 * Recsys recipes over {@link recsysSpace}; any key's arbitrary can be overridden, other config keys added.
 *
 * @example recsysRecipe({ users: fc.integer({ min: 1, max: 40 }), places: fc.constant(30) })
 */
export function recsysRecipe(overrides: Readonly<Record<string, fc.Arbitrary<unknown>>> = {}): fc.Arbitrary<RecipeObject> {
  return spaceRecipe(recsysSpace, overrides);
}
