/**
 * Scenario name -> its recipe space, loaded when a sweep of it runs. A scenario with no entry here
 * cannot be swept; one line adds it.
 */
import { InputError } from "../../core/errors.js";
import type { RecipeSpace } from "../keys.js";

const SPACES: Readonly<Record<string, () => Promise<RecipeSpace>>> = {
  naics: async () => (await import("./naics.js")).naicsSpace,
  entities: async () => (await import("./entities.js")).entitiesSpace,
  spec: async () => (await import("./spec.js")).specSpace,
  usage: async () => (await import("./usage.js")).usageSpace,
  recsys: async () => (await import("./recsys.js")).recsysSpace,
};

/** Names of the scenarios a sweep can vary, sorted. */
export function sweepableScenarios(): string[] {
  return Object.keys(SPACES).sort();
}

/**
 * The recipe space of a scenario.
 *
 * @throws InputError `no_recipe_space` naming the scenarios that have one.
 */
export async function recipeSpace(scenario: string): Promise<RecipeSpace> {
  const load = Object.hasOwn(SPACES, scenario) ? SPACES[scenario] : undefined;
  if (!load)
    throw new InputError("no_recipe_space", `the ${scenario} scenario has no recipe space, so it cannot be swept`, {
      hint: `sweep one of: ${sweepableScenarios().join(", ")}`,
    });
  return load();
}
