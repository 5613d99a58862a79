/** A recipe as a readable diff from the config it varied: one line per key the sweep changed. */
import { getPath } from "./compose.js";
import type { RecipeKey } from "./keys.js";

function show(value: unknown): string {
  return value === undefined ? "(unset)" : JSON.stringify(value);
}

/**
 * Lines `  rows: 1000000 -> 5001` for each varied key whose value differs from `base` (the config
 * with defaults filled), and `  seed: 42 (unchanged)` for a varied key that ended at its base value.
 *
 * @example recipeDiff(keys, { rows: 1000000 }, { rows: 5001 }) // ["  rows: 1000000 -> 5001"]
 */
export function recipeDiff(keys: readonly RecipeKey[], base: unknown, recipe: unknown): string[] {
  return keys.map((k) => {
    const was = getPath(base, k.path);
    const now = getPath(recipe, k.path);
    const label = k.path.join(".");
    return JSON.stringify(was) === JSON.stringify(now)
      ? `  ${label}: ${show(now)} (as unvaried)`
      : `  ${label}: ${show(was)} -> ${show(now)}`;
  });
}
