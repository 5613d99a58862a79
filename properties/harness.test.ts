/**
 * Proves the property harness itself: failures are shrunk, reported and written as fixtures
 * (except on CI), successes write nothing, and fixtures replay.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { withTempDir } from "./assertions.js";
import {
  canonicalJson,
  checkProperty,
  DEFAULT_FIXTURES_DIR,
  DEFAULT_NUM_RUNS,
  defineProperty,
  isCi,
  listFixtures,
  PropertyFailedError,
  readFixture,
  recipeHash,
  replayFixture,
  runSettings,
  writeFixture,
} from "./harness.js";

/** A false property whose smallest counterexample is exactly 10. */
const belowTen = defineProperty({
  id: "harness.demo.below-ten",
  title: "every integer is below 10 (false)",
  arbitrary: fc.integer(),
  predicate: (n) => {
    expect(n).toBeLessThan(10);
  },
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
}

async function failure(promise: Promise<unknown>): Promise<PropertyFailedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PropertyFailedError);
  return error as PropertyFailedError;
}

describe("a failing property", () => {
  test("throws with the shrunk counterexample, seed, path and fixture file", async () => {
    await withTempDir(async (dir) => {
      const error = await failure(checkProperty(belowTen, { numRuns: 100, seed: 42, fixturesDir: dir, ci: false }));
      expect(error.recipe).toBe(10);
      expect(error.seed).toBe(42);
      expect(error.counterexamplePath).toMatch(/^\d+(:\d+)*$/);
      expect(error.fixtureFile).toBe(path.join(dir, "harness.demo.below-ten", `${recipeHash(10)}.json`));
      expect(error.message).toContain("shrunk recipe");
      expect(error.message).toContain(": 10\n");
      expect(error.message).toContain("seed 42");
      expect(error.message).toContain(`PBT_PATH=${error.counterexamplePath}`);
      expect(error.message).toContain(error.fixtureFile as string);
    });
  });

  test("writes a fixture holding the minimal recipe, the seed and a path that replays it", async () => {
    await withTempDir(async (dir) => {
      const error = await failure(checkProperty(belowTen, { numRuns: 100, seed: 42, fixturesDir: dir, ci: false }));
      expect(filesUnder(dir)).toEqual([path.join("harness.demo.below-ten", `${recipeHash(10)}.json`)]);
      const fixture = readFixture(error.fixtureFile as string);
      expect(fixture).toMatchObject({
        property: "harness.demo.below-ten",
        recipe: 10,
        seed: 42,
        path: error.counterexamplePath,
        numRuns: 100,
      });
      expect(fixture.error).toContain("expected 10 to be less than 10");
      // fast-check itself goes straight back to the same counterexample from the seed and path.
      const again = fc.check(
        fc.property(fc.integer(), (n) => n < 10),
        { seed: fixture.seed, path: fixture.path },
      );
      expect(again.counterexample).toEqual([10]);
      // The replay test finds it and fails on it.
      expect(listFixtures(dir)).toEqual([{ id: "harness.demo.below-ten", file: error.fixtureFile }]);
      await expect(replayFixture(fixture, (id) => (id === belowTen.id ? belowTen : undefined))).rejects.toThrow(
        "expected 10 to be less than 10",
      );
    });
  });

  test("a predicate returning false fails like one that throws", async () => {
    const underFive = defineProperty({
      id: "harness.demo.under-five",
      title: "under five",
      arbitrary: fc.nat(),
      predicate: (n: number) => n < 5,
    });
    await withTempDir(async (dir) => {
      const error = await failure(checkProperty(underFive, { numRuns: 100, seed: 7, fixturesDir: dir, ci: false }));
      expect(error.recipe).toBe(5);
      expect(readFixture(error.fixtureFile as string).error).toBe("the predicate returned false");
    });
  });

  test("examples run before the generated recipes: a value random runs would not find fails the property", async () => {
    // fc.nat(10) never makes 1e9, so without the example this property holds for every run.
    const notABillion = defineProperty({
      id: "harness.demo.examples",
      title: "never 1e9",
      arbitrary: fc.nat(10),
      predicate: (n: number) => n !== 1e9,
      examples: [1e9],
    });
    await withTempDir(async (dir) => {
      const error = await failure(checkProperty(notABillion, { numRuns: 5, seed: 1, fixturesDir: dir, ci: true }));
      expect(error.recipe).toBe(1e9);
      await expect(
        checkProperty({ ...notABillion, examples: [] }, { numRuns: 5, seed: 1, fixturesDir: dir, ci: true }),
      ).resolves.toBeDefined();
    });
  });

  test("on CI writes nothing but still throws with the recipe", async () => {
    await withTempDir(async (dir) => {
      const error = await failure(checkProperty(belowTen, { numRuns: 100, seed: 42, fixturesDir: dir, ci: true }));
      expect(error.fixtureFile).toBeNull();
      expect(error.message).toContain("not written (CI is set)");
      expect(error.recipe).toBe(10);
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });

  test("that only ever skips (fc.pre) reports it ran nothing, and writes nothing", async () => {
    const skips = defineProperty({ id: "harness.demo.skips", title: "skips", arbitrary: fc.nat(), predicate: () => fc.pre(false) });
    await withTempDir(async (dir) => {
      await expect(checkProperty(skips, { numRuns: 10, seed: 1, fixturesDir: dir, ci: false })).rejects.toThrow(
        "did not run to completion",
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });
});

describe("a passing property", () => {
  test("runs numRuns times and writes nothing", async () => {
    let runs = 0;
    const holds = defineProperty({
      id: "harness.demo.holds",
      title: "n + 0 is n",
      arbitrary: fc.integer(),
      predicate: (n: number) => {
        runs++;
        return n + 0 === n;
      },
    });
    await withTempDir(async (dir) => {
      const details = await checkProperty(holds, { numRuns: 37, seed: 3, fixturesDir: dir, ci: false });
      expect(details.failed).toBe(false);
      expect(details.numRuns).toBe(37);
      expect(runs).toBe(37);
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });

  test("sees each value as its JSON round trip, exactly what a fixture would replay", async () => {
    const seen: unknown[] = [];
    const roundTrip = defineProperty({
      id: "harness.demo.round-trip",
      title: "records values",
      arbitrary: fc.constant({ zero: -0, gone: undefined, list: [1, "a"] }),
      predicate: (v: unknown) => {
        seen.push(v);
      },
    });
    await checkProperty(roundTrip, { numRuns: 1, seed: 1, ci: true });
    expect(seen).toHaveLength(1);
    expect(Object.is((seen[0] as { zero: number }).zero, 0)).toBe(true);
    expect(seen[0]).toStrictEqual({ zero: 0, list: [1, "a"] });
  });
});

describe("fixtures", () => {
  test("are named by the hash of the canonical recipe, and written once", () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
    expect(recipeHash({ a: 1, b: 2 })).toBe(recipeHash({ b: 2, a: 1 }));
    expect(recipeHash({ a: 1 })).not.toBe(recipeHash({ a: 2 }));
    expect(recipeHash(1)).toMatch(/^[0-9a-f]{16}$/);
    return withTempDir((dir) => {
      const fixture = { property: "harness.demo.x", recipe: { b: 1, a: 2 }, seed: 1, path: "0", numRuns: 1, error: "first" };
      const file = writeFixture(dir, fixture);
      expect(writeFixture(dir, { ...fixture, error: "second" })).toBe(file);
      expect(readFixture(file).error).toBe("first");
      expect(fs.readFileSync(file, "utf8")).toMatch(/^\{\n {2}"property": "harness\.demo\.x",\n {2}"recipe": \{\n {4}"a": 2,/);
    });
  });

  test("replay refuses unknown ids and recipes that no longer meet the precondition", async () => {
    const fixture = { property: "harness.demo.gone", recipe: 3, seed: 0, path: "", numRuns: 0, error: "" };
    await expect(replayFixture(fixture, () => undefined)).rejects.toThrow("no property is registered under id harness.demo.gone");
    const picky = defineProperty({ id: "harness.demo.gone", title: "picky", arbitrary: fc.nat(), predicate: (n: number) => fc.pre(n > 5) });
    await expect(replayFixture(fixture, () => picky)).rejects.toThrow("no longer meets the precondition");
    await expect(replayFixture({ ...fixture, recipe: 9 }, () => picky)).resolves.toBeUndefined();
  });

  test("a bad property id is refused at definition", () => {
    expect(() => defineProperty({ id: "Bad Id", title: "", arbitrary: fc.nat(), predicate: () => true })).toThrow("lower-case words");
  });
});

describe("settings", () => {
  test.each([
    [undefined, false],
    ["", false],
    ["0", false],
    ["false", false],
    ["FALSE", false],
    ["true", true],
    ["1", true],
  ])("CI=%j means on CI: %j", (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });

  test("come from PBT_NUM_RUNS, PBT_SEED, PBT_PATH and PBT_FIXTURES_DIR, with defaults", () => {
    expect(runSettings({})).toEqual({ numRuns: DEFAULT_NUM_RUNS, fixturesDir: DEFAULT_FIXTURES_DIR });
    expect(runSettings({ PBT_NUM_RUNS: "10000", PBT_SEED: "-5", PBT_PATH: "3:1", PBT_FIXTURES_DIR: "/tmp/f" })).toEqual({
      numRuns: 10000,
      seed: -5,
      path: "3:1",
      fixturesDir: "/tmp/f",
    });
    expect(() => runSettings({ PBT_NUM_RUNS: "0" })).toThrow("PBT_NUM_RUNS=0");
    expect(() => runSettings({ PBT_NUM_RUNS: "ten" })).toThrow("PBT_NUM_RUNS=ten");
    expect(() => runSettings({ PBT_PATH: "1:2" })).toThrow("only together with its PBT_SEED");
  });

  test("the default fixtures folder is this repository's fixtures/regressions", () => {
    expect(path.relative(process.cwd(), DEFAULT_FIXTURES_DIR)).toBe(path.join("fixtures", "regressions"));
  });
});
