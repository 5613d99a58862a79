/**
 * `synthproof/testing`: property sweeps of your own code from vitest or jest. `recipes` are the
 * recipe arbitraries of each scenario (the ones `synthproof sweep` and synthproof's own property
 * suites use), `sweepProperty` runs your check on the data set of each recipe and shrinks a failure
 * to the smallest recipe, kept as a fixture, and `replayFixtures` runs every kept fixture again.
 *
 * @example
 * import { recipes, sweepProperty } from "synthproof/testing";
 * test("my model recovers the planted rates", () =>
 *   sweepProperty({ scenario: "naics", recipe: recipes.naics({ rows: fc.integer({ min: 100, max: 20_000 }) }),
 *     check: (dir) => evaluate(dir) > 0.9, fixtures: "fixtures/synthproof" }));
 */
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type fc from "fast-check";
import { getScenario } from "../scenarios/registry.js";
import type { RecipeObject } from "./compose.js";
import type { Check } from "./engine.js";
import { listFixtureFiles, type SweepFixture } from "./fixture.js";
import { apiGenerator } from "./generate.js";
import { entitiesRecipe, entitiesSpace } from "./recipes/entities.js";
import { branchingArb, naicsRecipe, naicsSpace, seedArb } from "./recipes/naics.js";
import { recsysRecipe, recsysSpace } from "./recipes/recsys.js";
import { specRecipe, specSpace } from "./recipes/spec.js";
import { usageRecipe, usageSpace } from "./recipes/usage.js";
import { type ReplayRow, replay, replayTable } from "./replay.js";
import type { CheckOutcome } from "./run-check.js";
import { lastLines } from "./run-check.js";
import { sweepScenario } from "./session.js";

export type { SweepFixture } from "./fixture.js";
export type { RecipeKey, RecipeSpace } from "./keys.js";
export type { NaicsRecipe, NaicsRecipeOptions } from "./recipes/naics.js";
export type { ReplayRow } from "./replay.js";

/** Recipe arbitraries per scenario, and the building blocks they share (seed, tree shape). */
export const recipes = {
  naics: naicsRecipe,
  entities: entitiesRecipe,
  usage: usageRecipe,
  recsys: recsysRecipe,
  spec: specRecipe,
  seed: seedArb,
  branching: branchingArb,
} as const;

/** The recipe keys of each scenario (what `synthproof sweep --list-keys` prints), in shrink order. */
export const recipeSpaces = {
  naics: naicsSpace,
  entities: entitiesSpace,
  usage: usageSpace,
  recsys: recsysSpace,
  spec: specSpace,
} as const;

/** A check in JavaScript: false, a rejection or a throw is a failure; anything else holds. */
export type CheckFunction<R> = (dir: string, recipe: R) => unknown;

/** Runs a JavaScript check as the engine runs a command: the error's message is the output. */
function functionCheck<R>(check: CheckFunction<R>): Check<R> {
  return async (dir, recipe) => {
    const started = performance.now();
    let ok = true;
    let text = "";
    try {
      const result = await check(dir, recipe);
      if (result === false) {
        ok = false;
        text = "the check returned false";
      }
    } catch (error) {
      ok = false;
      text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
    const outcome: CheckOutcome = {
      ok,
      code: ok ? 0 : 1,
      signal: null,
      timedOut: false,
      interrupted: false,
      lastLines: lastLines(text),
      seconds: (performance.now() - started) / 1000,
    };
    return outcome;
  };
}

/** Options of {@link sweepProperty}. */
export interface SweepPropertyOptions<R> {
  readonly scenario: string;
  /** The recipes: a config input of the scenario each (e.g. `recipes.naics({...})`). */
  readonly recipe: fc.Arbitrary<R>;
  readonly check: CheckFunction<R>;
  /** Recipes to try (default 100). */
  readonly runs?: number;
  /** fast-check seed (default: a new one, named in the failure). */
  readonly seed?: number;
  /** Where the smallest failing recipe is kept (default: not kept). */
  readonly fixtures?: string;
  /** What the fixture records as the check (default "library check"). */
  readonly name?: string;
  /** Shrinking time in milliseconds (default 600,000). */
  readonly maxShrinkMs?: number;
}

/** The error {@link sweepProperty} throws: the smallest failing recipe and where its fixture is. */
export class SweepFailedError extends Error {
  constructor(
    message: string,
    readonly recipe: unknown,
    readonly fixtureFile: string | undefined,
  ) {
    super(message);
    this.name = "SweepFailedError";
  }
}

/**
 * Generates the data set of each recipe into a temporary folder and runs `check` on it; resolves
 * when every run held. On a failure, shrinks the recipe, writes the fixture (with `fixtures`) and
 * throws a {@link SweepFailedError} with the smallest recipe, its diff and the check's error.
 */
export async function sweepProperty<R extends object>(o: SweepPropertyOptions<R>): Promise<void> {
  const def = await getScenario(o.scenario);
  const seed = o.seed ?? randomInt(0, 2 ** 31 - 1);
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), `synthproof-sweep-${def.name}-`));
  const { result, summary, fixture } = await sweepScenario({
    scenario: def.name,
    generatorVersion: def.version,
    arbitrary: o.recipe as unknown as fc.Arbitrary<RecipeObject>,
    generate: apiGenerator(def.name),
    check: functionCheck(o.check) as unknown as Check<RecipeObject>,
    checkLabel: o.name ?? "library check",
    varied: [],
    resolvedBase: {},
    seed,
    runs: o.runs ?? 100,
    jobs: 1,
    maxShrinkMs: o.maxShrinkMs ?? 600_000,
    fixturesDir: o.fixtures,
    tmpRoot,
  });
  if (result.status === "held") return;
  throw new SweepFailedError(summary.join("\n"), result.failure?.recipe, fixture?.file);
}

/**
 * Replays every fixture under `dir` with `check` (a JavaScript check; fixtures of a command line
 * run with it too); resolves to the rows when all hold.
 *
 * @throws Error with the replay table when any fixture still fails or is refused.
 */
export async function replayFixtures(dir: string, options: { readonly check: CheckFunction<RecipeObject> }): Promise<ReplayRow[]> {
  const check = functionCheck(options.check);
  const rows = await replay({
    files: listFixtureFiles(dir),
    tmpRoot: fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-replay-")),
    versionOf: async (scenario) => (await getScenario(scenario)).version,
    generatorFor: apiGenerator,
    checkFor: (_fixture: SweepFixture) => check,
  });
  if (rows.some((r) => r.status !== "held")) throw new Error(`fixtures still fail:\n${replayTable(rows).join("\n")}`);
  return rows;
}
