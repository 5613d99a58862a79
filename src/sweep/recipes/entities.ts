/**
 * Entities recipes: record volumes first (fewer records), then the rates, the modes (default
 * first), seed 0 last.
 */
import type fc from "fast-check";
import type { RecipeObject } from "../compose.js";
import { choiceKey, intKey, numberKey, type RecipeSpace, seedKey } from "../keys.js";
import { spaceRecipe } from "../space-recipe.js";

const MAX_RECORDS = 2_000_000;

/** The keys of an entities sweep, in shrink order. */
export const entitiesSpace: RecipeSpace = {
  scenario: "entities",
  keys: [
    intKey({ name: "n_leads", description: "records in leads", min: 10, max: MAX_RECORDS, open: [10, 2000] }),
    intKey({ name: "n_sales", description: "records in sales", min: 10, max: MAX_RECORDS, open: [10, 2000] }),
    intKey({ name: "n_financial", description: "records in financial", min: 10, max: MAX_RECORDS, open: [10, 2000] }),
    numberKey({ name: "dup_rate", description: "share of records that duplicate an entity", min: 0.05, max: 0.15, open: [0.05, 0.15] }),
    numberKey({ name: "overlap", description: "share of entities in more than one source", min: 0.3, max: 0.6, open: [0.3, 0.6] }),
    numberKey({ name: "negative_ratio", description: "labelled non-matching pairs per match", min: 3, max: 5, open: [3, 5] }),
    numberKey({ name: "contact_change", description: "rate of changed contact points", min: 0, max: 1, open: [0, 1] }),
    numberKey({ name: "hard_negative_focus", description: "share of negatives that are hard", min: 0, max: 1, open: [0, 1] }),
    choiceKey({ name: "difficulty", description: "difficulty preset", choices: ["realistic", "easy", "hard"] }),
    choiceKey({ name: "locale", description: "locale of names and addresses", choices: ["US", "CA", "US+CA"] }),
    choiceKey({ name: "pii", description: "plain or hashed personal fields", choices: ["plain", "hashed"] }),
    seedKey(),
  ],
};

/**
 * Entities recipes over {@link entitiesSpace}; any key's arbitrary can be overridden and keys the
 * space does not vary added (`salt`, `corruption`).
 *
 * @example entitiesRecipe({ n_leads: fc.integer({ min: 20, max: 60 }) })
 */
export function entitiesRecipe(overrides: Readonly<Record<string, fc.Arbitrary<unknown>>> = {}): fc.Arbitrary<RecipeObject> {
  return spaceRecipe(entitiesSpace, overrides);
}
