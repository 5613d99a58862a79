/**
 * Builds a recipe arbitrary from a base config and the keys that vary: a tuple of the keys'
 * arbitraries in the space's shrink order, each value set at its key path in a copy of the base.
 * fast-check shrinks a tuple's first element first, so the order of the keys is the shrink order.
 */
import fc from "fast-check";
import type { RecipeKey, RecipeSpace } from "./keys.js";
import { findKey } from "./keys.js";
import type { VarySpec } from "./vary.js";

/** A JSON object: what a recipe (a scenario's config input) is. */
export type RecipeObject = Record<string, unknown>;

/** The value at `path` in `value`, or undefined. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const k of path) {
    if (at === null || typeof at !== "object" || Array.isArray(at)) return undefined;
    at = (at as RecipeObject)[k];
  }
  return at;
}

/** A copy of `value` with `v` at `path` (objects on the way copied, not changed). */
export function setPath(value: RecipeObject, path: readonly string[], v: unknown): RecipeObject {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (rest.length === 0) return { ...value, [head]: v };
  const inner = value[head];
  const obj = inner !== null && typeof inner === "object" && !Array.isArray(inner) ? (inner as RecipeObject) : {};
  return { ...value, [head]: setPath(obj, rest, v) };
}

/** One part of a recipe: a key path and the arbitrary of its value. */
export interface RecipePart {
  readonly path: readonly string[];
  readonly arbitrary: fc.Arbitrary<unknown>;
}

/** Recipes: `base` with each part's value at its path; the parts shrink in the order given. */
export function composeRecipe(base: RecipeObject, parts: readonly RecipePart[]): fc.Arbitrary<RecipeObject> {
  return fc
    .tuple(...parts.map((p) => p.arbitrary))
    .map((values) => parts.reduce((recipe, p, i) => setPath(recipe, p.path, values[i]), base));
}

/** The keys `varies` names, each with its arbitrary, in the space's shrink order. @throws InputError `bad_vary` / `unknown_vary_key`. */
export function variedParts(space: RecipeSpace, varies: readonly VarySpec[], resolved: RecipeObject): (RecipePart & { key: RecipeKey })[] {
  const chosen = varies.map((v) => {
    const key = findKey(space, v.key);
    return { key, path: key.path, arbitrary: key.arbitrary(v.value, getPath(resolved, key.path)) };
  });
  const rank = (k: RecipeKey) => space.keys.indexOf(k);
  return chosen.sort((a, b) => rank(a.key) - rank(b.key));
}
