/**
 * The property harness: runs a fast-check property over JSON *recipes*, and when it fails, writes
 * the shrunk recipe to `fixtures/regressions/<property-id>/<hash>.json` so that `replay.test.ts`
 * runs it again on every `npm test`, for good.
 *
 * Why recipes are JSON: a fixture must mean the same thing after a fast-check upgrade, so it holds
 * the value the property saw (seed, rows, branching, ...), never fast-check's internal state. The
 * fast-check seed and path are kept too, but only as a convenience for replaying with the same
 * library version. To make "the value the property saw" and "the value in the fixture" the same
 * thing by construction, the predicate always receives the JSON round trip of the generated value.
 *
 * Environment:
 * - `PBT_NUM_RUNS`: runs per property (default {@link DEFAULT_NUM_RUNS}; `npm run sweep` sets 10,000).
 * - `PBT_SEED`, `PBT_PATH`: replay a reported failure (`PBT_PATH` only together with `PBT_SEED`).
 * - `PBT_FIXTURES_DIR`: where fixtures go (default `fixtures/regressions` of this repository).
 * - `CI`: when set, a failure writes no fixture (CI cannot commit it; the message has the recipe).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { canonicalJson, sortKeys } from "../src/core/canonical-json.js";

/** A JSON value: what recipes and fixtures are made of. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * Runs per property when `PBT_NUM_RUNS` is unset: enough to catch the common cases on every
 * `npm test` while the whole `properties/` folder stays well under a minute on two cores with
 * coverage on. The sweep (`npm run sweep`) runs 10,000.
 */
export const DEFAULT_NUM_RUNS = 40;

/** Where regression fixtures live unless an option or `PBT_FIXTURES_DIR` says otherwise. */
export const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL("../fixtures/regressions/", import.meta.url));

/** A property id: lower-case words joined by dots or dashes; it names the fixture folder forever. */
const ID_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

/** What a predicate may return (or resolve to): `false` or a throw fails the property; anything else passes. */
export type PredicateResult = unknown;

/** A property over recipes of type `T`, known by a stable id. */
export interface PropertyDefinition<T> {
  /** Stable id, e.g. `naics.tree.mean-preserved`. Renaming it orphans its fixtures: don't. */
  readonly id: string;
  /** What the property says, as a sentence; the test's name. */
  readonly title: string;
  /** Generates recipes: plain JSON values. */
  readonly arbitrary: fc.Arbitrary<T>;
  /** Holds for every recipe: returns `false` or throws when it does not. */
  readonly predicate: (recipe: T) => PredicateResult;
  /** Recipes always tried first, before the generated ones (fast-check's `examples`): known cases that once failed. */
  readonly examples?: readonly T[];
}

/**
 * A property with its recipe type erased, as lists and the registry keep it. A fixture's recipe is
 * the JSON the property once saw, so handing it back to the predicate is sound even though no type
 * says so.
 */
export interface RegisteredProperty {
  readonly id: string;
  readonly title: string;
  readonly predicate: (recipe: never) => PredicateResult;
  /** Runs the property ({@link checkProperty}). */
  check(options?: CheckOptions): Promise<unknown>;
}

/** A defined property: its definition plus a bound {@link checkProperty}. */
export type DefinedProperty<T> = PropertyDefinition<T> & Omit<RegisteredProperty, "predicate">;

/** Defines a property (validating its id). List it in `registry.ts` so its fixtures replay. */
export function defineProperty<T>(definition: PropertyDefinition<T>): DefinedProperty<T> {
  if (!ID_PATTERN.test(definition.id)) {
    throw new Error(`property id ${JSON.stringify(definition.id)} must be lower-case words joined by "." or "-"`);
  }
  return { ...definition, check: (options?: CheckOptions) => checkProperty(definition, options) };
}

/** Options of {@link checkProperty}; each defaults to its environment variable. */
export interface CheckOptions {
  readonly numRuns?: number;
  readonly seed?: number;
  readonly path?: string;
  readonly fixturesDir?: string;
  /** True on CI: no fixture is written. Default: {@link isCi} of `process.env`. */
  readonly ci?: boolean;
}

/** The file a failing property writes. */
export interface Fixture {
  readonly property: string;
  readonly recipe: Json;
  /** fast-check seed and counterexample path: replay with `PBT_SEED` and `PBT_PATH`. */
  readonly seed: number;
  readonly path: string;
  readonly numRuns: number;
  /** The first line of the failure (a hand-written fixture says why it exists instead). */
  readonly error: string;
}

/** Whether `env` says we are on CI (`CI` set to anything but "", "0" or "false"). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

function intFromEnv(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name}=${value} must be an integer >= ${min}`);
  return n;
}

/** The run parameters `env` asks for, filled with defaults. */
export function runSettings(env: NodeJS.ProcessEnv = process.env): { numRuns: number; seed?: number; path?: string; fixturesDir: string } {
  const numRuns = intFromEnv("PBT_NUM_RUNS", env.PBT_NUM_RUNS, 1) ?? DEFAULT_NUM_RUNS;
  // fast-check seeds are 32-bit signed integers.
  const seed = intFromEnv("PBT_SEED", env.PBT_SEED, -(2 ** 31));
  const replayPath = env.PBT_PATH === "" ? undefined : env.PBT_PATH;
  if (replayPath !== undefined && seed === undefined) throw new Error("PBT_PATH replays a failure only together with its PBT_SEED");
  return {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(replayPath === undefined ? {} : { path: replayPath }),
    fixturesDir: env.PBT_FIXTURES_DIR || DEFAULT_FIXTURES_DIR,
  };
}

export { canonicalJson };

/** The value as it survives a trip through a fixture file (e.g. -0 becomes 0, undefined keys vanish). */
export function jsonRoundTrip<T>(value: T): T {
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`a recipe must be a JSON value, got ${String(value)}`);
  return JSON.parse(text) as T;
}

/** The fixture file name of a recipe: 16 hex digits of the SHA-256 of its canonical JSON. */
export function recipeHash(recipe: unknown): string {
  return createHash("sha256").update(canonicalJson(recipe)).digest("hex").slice(0, 16);
}

/** Writes a fixture (stable text, keys in a fixed order); returns its path. An existing file is kept. */
export function writeFixture(fixturesDir: string, fixture: Fixture): string {
  const dir = path.join(fixturesDir, fixture.property);
  const file = path.join(dir, `${recipeHash(fixture.recipe)}.json`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const ordered = {
    property: fixture.property,
    recipe: sortKeys(fixture.recipe),
    seed: fixture.seed,
    path: fixture.path,
    numRuns: fixture.numRuns,
    error: fixture.error,
  };
  // Temporary name then rename: parallel test workers never see half a fixture.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(ordered, null, 2)}\n`);
  fs.renameSync(tmp, file);
  return file;
}

/** Reads and shape-checks a fixture file. */
export function readFixture(file: string): Fixture {
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  const fail = (why: string) => new Error(`${file}: ${why}`);
  if (typeof raw.property !== "string" || !ID_PATTERN.test(raw.property)) throw fail("`property` must be a property id");
  if (!("recipe" in raw)) throw fail("`recipe` is missing");
  return {
    property: raw.property,
    recipe: raw.recipe as Json,
    seed: typeof raw.seed === "number" ? raw.seed : 0,
    path: typeof raw.path === "string" ? raw.path : "",
    numRuns: typeof raw.numRuns === "number" ? raw.numRuns : 0,
    error: typeof raw.error === "string" ? raw.error : "",
  };
}

/** Every fixture under `fixturesDir`: `{ id, file }` for each `<id>/<name>.json`, sorted. */
export function listFixtures(fixturesDir: string): { id: string; file: string }[] {
  if (!fs.existsSync(fixturesDir)) return [];
  return fs
    .readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((id) =>
      fs
        .readdirSync(path.join(fixturesDir, id))
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => ({ id, file: path.join(fixturesDir, id, f) })),
    );
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}

/** The error {@link checkProperty} throws: everything needed to reproduce the failure. */
export class PropertyFailedError extends Error {
  constructor(
    message: string,
    readonly recipe: Json,
    readonly seed: number,
    readonly counterexamplePath: string,
    readonly fixtureFile: string | null,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "PropertyFailedError";
  }
}

/** Runs the predicate on the recipe's JSON round trip; a `false` result becomes a thrown error. */
async function evaluate<T>(predicate: PropertyDefinition<T>["predicate"], recipe: T): Promise<void> {
  const result = await predicate(jsonRoundTrip(recipe));
  if (result === false) throw new Error("the predicate returned false");
}

/**
 * Runs a property: `numRuns` recipes from its arbitrary, each through its predicate (after a JSON
 * round trip). Returns quietly when it holds. When it fails, writes the shrunk recipe as a fixture
 * (not on CI) and throws a {@link PropertyFailedError} naming the recipe, seed, path and fixture.
 *
 * @example test(p.title, () => checkProperty(p));
 */
export async function checkProperty<T>(property: PropertyDefinition<T>, options: CheckOptions = {}): Promise<fc.RunDetails<[T]>> {
  const env = runSettings();
  const numRuns = options.numRuns ?? env.numRuns;
  const seed = options.seed ?? env.seed;
  const replayPath = options.path ?? (options.seed === undefined ? env.path : undefined);
  const fixturesDir = options.fixturesDir ?? env.fixturesDir;
  const ci = options.ci ?? isCi();

  const details = await fc.check(
    fc.asyncProperty(property.arbitrary, (recipe) => evaluate(property.predicate, recipe)),
    {
      numRuns,
      ...(seed === undefined ? {} : { seed }),
      ...(replayPath === undefined ? {} : { path: replayPath }),
      ...(property.examples === undefined ? {} : { examples: property.examples.map((e): [T] => [e]) }),
    },
  );
  if (!details.failed) return details;

  if (details.counterexample === null) {
    // Not a counterexample: too many fc.pre rejections, or an interrupt. Nothing to keep.
    throw new Error(
      `property ${property.id} did not run to completion (${details.interrupted ? "interrupted" : `${details.numSkips} runs skipped by fc.pre`}) ` +
        `after ${details.numRuns} runs; seed ${details.seed}`,
    );
  }
  const recipe = jsonRoundTrip(details.counterexample[0]) as Json;
  const error = describeError(details.errorInstance);
  const fixtureFile = ci
    ? null
    : writeFixture(fixturesDir, {
        property: property.id,
        recipe,
        seed: details.seed,
        path: details.counterexamplePath,
        numRuns,
        error: firstLine(error),
      });
  const message = [
    `property ${property.id} failed: ${property.title}`,
    `shrunk recipe (after ${details.numShrinks} shrinks): ${canonicalJson(recipe)}`,
    `seed ${details.seed}, path ${JSON.stringify(details.counterexamplePath)}`,
    `replay: PBT_SEED=${details.seed} PBT_PATH=${details.counterexamplePath} npx vitest run --project unit properties/ -t '${property.id}'`,
    fixtureFile === null ? "fixture: not written (CI is set)" : `fixture: ${fixtureFile}`,
    `error: ${error}`,
  ].join("\n");
  throw new PropertyFailedError(message, recipe, details.seed, details.counterexamplePath, fixtureFile, { cause: details.errorInstance });
}

/**
 * Replays one fixture: runs its property's predicate on the stored recipe.
 *
 * @throws when the property is unknown, the recipe no longer meets the property's precondition
 *   (an `fc.pre` that rejects it: the fixture tests nothing any more), or the predicate fails.
 */
export async function replayFixture(fixture: Fixture, lookup: (id: string) => RegisteredProperty | undefined): Promise<void> {
  const property = lookup(fixture.property);
  if (!property) throw new Error(`no property is registered under id ${fixture.property}; register it in properties/registry.ts`);
  try {
    await evaluate(property.predicate as (recipe: Json) => PredicateResult, fixture.recipe);
  } catch (error) {
    if (fc.PreconditionFailure.isFailure(error)) {
      throw new Error(`the recipe ${canonicalJson(fixture.recipe)} no longer meets the precondition of ${fixture.property}`);
    }
    throw error;
  }
}
