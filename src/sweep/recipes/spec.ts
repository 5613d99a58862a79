/**
 * Spec recipes: a spec file (given with `--spec` or `--config`) fixes the columns; a sweep varies
 * the sample count (fewer first) and the seed (0 last).
 */
import type fc from "fast-check";
import type { RecipeObject } from "../compose.js";
import { intKey, type RecipeSpace, seedKey } from "../keys.js";
import { spaceRecipe } from "../space-recipe.js";

/** The keys of a spec sweep, in shrink order. */
export const specSpace: RecipeSpace = {
  scenario: "spec",
  keys: [intKey({ name: "num_samples", description: "rows to draw", min: 1, max: 50_000_000, open: [1, 10_000] }), seedKey()],
};

/**
 * Spec recipes: `spec` (a spec object, as a spec file holds it) with the sample count and seed varied.
 *
 * @example specRecipe(spec, { num_samples: fc.integer({ min: 10, max: 500 }) })
 */
export function specRecipe(
  spec: RecipeObject,
  overrides: Readonly<Record<string, fc.Arbitrary<unknown>>> = {},
): fc.Arbitrary<RecipeObject> {
  return spaceRecipe(specSpace, overrides, spec);
}
