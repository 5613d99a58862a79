/** Usage recipes: fewer accounts first, then the anomaly rate, alpha, seed 0 last. */
import type fc from "fast-check";
import type { RecipeObject } from "../compose.js";
import { intKey, numberKey, type RecipeSpace, seedKey } from "../keys.js";
import { spaceRecipe } from "../space-recipe.js";

/** The keys of a usage sweep, in shrink order (`accounts` is `accounts.n_accounts`, as the `--accounts` flag). */
export const usageSpace: RecipeSpace = {
  scenario: "usage",
  keys: [
    intKey({ name: "accounts", path: ["accounts", "n_accounts"], description: "accounts", min: 1, max: 10_000_000, open: [1, 500] }),
    intKey({
      name: "max_chats",
      path: ["accounts", "max_chats"],
      description: "cap of the chats of an account",
      min: 1,
      max: 99,
      open: [1, 20],
    }),
    numberKey({
      name: "anomaly_rate",
      path: ["anomalies", "rate"],
      description: "anomalies per account-day",
      min: 0,
      max: 1,
      open: [0, 0.2],
    }),
    numberKey({ name: "alpha", description: "false-failure rate of each statistical check", min: 1e-12, max: 0.5, open: [0.001, 0.1] }),
    seedKey(),
  ],
};

/**
 * Usage recipes over {@link usageSpace}; any key's arbitrary can be overridden, other config keys added.
 *
 * @example usageRecipe({ accounts: fc.integer({ min: 1, max: 40 }) })
 */
export function usageRecipe(overrides: Readonly<Record<string, fc.Arbitrary<unknown>>> = {}): fc.Arbitrary<RecipeObject> {
  return spaceRecipe(usageSpace, overrides);
}
