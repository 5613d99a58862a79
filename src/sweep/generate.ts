/**
 * The generator a sweep uses by default: the library's `generate` (src/api.ts), in this process.
 * In process rather than through the CLI: no Node start per run (about 0.1 s, more than a small
 * data set takes), and a recipe the scenario refuses comes back as an InputError the engine skips.
 */
import { generate } from "../api.js";
import type { RecipeObject } from "./compose.js";
import type { Generator } from "./engine.js";

/** Generates a scenario's recipe into a folder with the same checks and atomic output as `synthproof generate`. */
export function apiGenerator(scenario: string): Generator<RecipeObject> {
  return async (recipe, dir) => {
    await generate(scenario, recipe, { out: dir });
  };
}
