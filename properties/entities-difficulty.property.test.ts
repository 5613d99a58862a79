import { describe, test } from "vitest";
import { presetsOrderDifficulty, realisticMeetsTargets } from "./entities-difficulty.properties.js";
import { runSettings } from "./harness.js";

/**
 * Runs of each difficulty property at most: a run generates one default data set (about 3 s) or
 * three smaller ones (about 2 s), and the recipes are a finite set checked whole (see the
 * properties), so more runs only repeat.
 */
const DIFFICULTY_RUNS = 2;

describe("entities: difficulty of the presets (in memory)", () => {
  for (const p of [realisticMeetsTargets, presetsOrderDifficulty])
    test(`${p.title} [${p.id}]`, () => p.check({ numRuns: Math.min(runSettings().numRuns, DIFFICULTY_RUNS) }), 60_000);
});
