/** A recipe arbitrary over every key of a space, any key's arbitrary overridden, extra keys added before the seed. */
import type fc from "fast-check";
import { composeRecipe, type RecipeObject, type RecipePart } from "./compose.js";
import type { RecipeSpace } from "./keys.js";

/**
 * Recipes of `space`: each key from `overrides[name]`, else what a bare `--vary name` varies over;
 * keys of `overrides` the space does not know are set at their name, shrinking after the space's
 * keys but before `seed`, which always shrinks last.
 *
 * @example spaceRecipe(entitiesSpace, { n_leads: fc.integer({ min: 20, max: 60 }) })
 */
export function spaceRecipe(
  space: RecipeSpace,
  overrides: Readonly<Record<string, fc.Arbitrary<unknown>>> = {},
  base: RecipeObject = {},
): fc.Arbitrary<RecipeObject> {
  const known = new Set(space.keys.map((k) => k.name));
  const parts: RecipePart[] = space.keys
    .filter((k) => k.name !== "seed")
    .map((k) => ({ path: k.path, arbitrary: overrides[k.name] ?? k.arbitrary({ kind: "open" }, undefined) }));
  for (const [name, arbitrary] of Object.entries(overrides)) if (!known.has(name)) parts.push({ path: [name], arbitrary });
  const seed = space.keys.find((k) => k.name === "seed");
  if (seed) parts.push({ path: seed.path, arbitrary: overrides.seed ?? seed.arbitrary({ kind: "open" }, undefined) });
  return composeRecipe(base, parts);
}
