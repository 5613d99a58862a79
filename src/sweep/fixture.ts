/**
 * Sweep fixtures: the smallest failing recipe of a sweep, kept as `DIR/<scenario>/<hash>.json` with
 * everything needed to see the failure again (scenario, recipe, versions, check, how it failed,
 * fast-check's seed and path, a command that regenerates the data set). Beside it,
 * `<hash>.config.json` holds the recipe alone: the config file that command reads.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson, sortKeys } from "../core/canonical-json.js";
import { InputError } from "../core/errors.js";
import type { RecipeObject } from "./compose.js";

/** The version of the fixture format, written as `synthproof_fixture`. */
export const FIXTURE_FORMAT = 1;

/** A sweep fixture, as written. */
export interface SweepFixture {
  readonly synthproof_fixture: number;
  readonly scenario: string;
  readonly recipe: RecipeObject;
  /** The keys the sweep varied. */
  readonly varied: readonly string[];
  readonly synthproof_version: string;
  readonly generator_version: string;
  /** The check command (`{dir}` not substituted), or what a library check called itself. */
  readonly check: string;
  readonly failure: {
    /** How the check ended: `exit 1`, `timed out after 300 s`, `killed by SIGSEGV`. */
    readonly how: string;
    readonly code: number | null;
    readonly signal: string | null;
    readonly timed_out: boolean;
    readonly output: readonly string[];
  };
  readonly fast_check: {
    readonly seed: number;
    readonly path: string;
    readonly runs: number;
    readonly shrinks: number;
    readonly shrink_timed_out: boolean;
  };
  /** A command that writes the data set again. */
  readonly regenerate: string;
}

const NAME = /^[0-9a-f]{16}\.json$/;

/** 16 hex digits of the SHA-256 of the canonical JSON of scenario and recipe: the fixture's name. */
export function fixtureHash(scenario: string, recipe: unknown): string {
  return createHash("sha256").update(canonicalJson({ scenario, recipe })).digest("hex").slice(0, 16);
}

/** The version in the package.json beside `src/` or `dist/`. */
export function synthproofVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** `file` as a command line shows it: relative to the working folder when inside it. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : path.resolve(file);
}

/** Where the fixture of a recipe goes, and its config file. */
export function fixturePaths(dir: string, scenario: string, recipe: unknown): { file: string; config: string; hash: string } {
  const hash = fixtureHash(scenario, recipe);
  return { hash, file: path.join(dir, scenario, `${hash}.json`), config: path.join(dir, scenario, `${hash}.config.json`) };
}

/** The one-line command that writes a fixture's data set again. */
export function regenerateCommand(scenario: string, configFile: string, hash: string): string {
  return `npx synthproof generate ${scenario} --config ${displayPath(configFile)} --out out/${scenario}-${hash}`;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Writes a fixture and its config file (keys sorted, stable text); an existing fixture of the same
 * recipe is kept as it is. Returns its path and whether it was new.
 */
export function writeFixture(
  dir: string,
  fixture: Omit<SweepFixture, "regenerate" | "synthproof_fixture">,
): { file: string; created: boolean } {
  const { file, config, hash } = fixturePaths(dir, fixture.scenario, fixture.recipe);
  if (fs.existsSync(file)) return { file, created: false };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const full: SweepFixture = {
    synthproof_fixture: FIXTURE_FORMAT,
    ...fixture,
    recipe: sortKeys(fixture.recipe) as RecipeObject,
    regenerate: regenerateCommand(fixture.scenario, config, hash),
  };
  writeAtomic(config, `${JSON.stringify(sortKeys(fixture.recipe), null, 2)}\n`);
  writeAtomic(file, `${JSON.stringify(full, null, 2)}\n`);
  return { file, created: true };
}

function bad(file: string, why: string): InputError {
  return new InputError("bad_fixture", `${file}: ${why}`, {
    location: { file },
    hint: "a fixture is the JSON file `synthproof sweep --fixtures DIR` writes; restore it from version control or delete it",
  });
}

/** Reads and shape-checks a fixture. @throws InputError `bad_fixture` naming the file and the field. */
export function readFixture(file: string): SweepFixture {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw bad(file, `not readable as JSON (${(error as Error).message})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw bad(file, "not a JSON object");
  const f = raw as Record<string, unknown>;
  if (f.synthproof_fixture !== FIXTURE_FORMAT)
    throw bad(file, `synthproof_fixture is ${JSON.stringify(f.synthproof_fixture)}, expected ${FIXTURE_FORMAT}`);
  for (const key of ["scenario", "check", "generator_version"] as const)
    if (typeof f[key] !== "string") throw bad(file, `${key} must be a string`);
  if (f.recipe === null || typeof f.recipe !== "object" || Array.isArray(f.recipe)) throw bad(file, "recipe must be an object");
  return raw as SweepFixture;
}

/**
 * The fixture files under `dir` (`<scenario>/<hash>.json`, sorted), or `dir` itself when it is one.
 *
 * @throws InputError `bad_fixtures_dir` when it does not exist.
 */
export function listFixtureFiles(dir: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new InputError("bad_fixtures_dir", `${dir} does not exist`, {
      location: { file: dir },
      hint: "give the folder `synthproof sweep --fixtures DIR` wrote fixtures into (or one fixture file)",
    });
  }
  if (stat.isFile()) return [dir];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((scenario) =>
      fs
        .readdirSync(path.join(dir, scenario))
        .filter((n) => NAME.test(n))
        .sort()
        .map((n) => path.join(dir, scenario, n)),
    );
}
