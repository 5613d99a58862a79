/**
 * `synthproof/testing` as a user's vitest suite uses it, and the pandas example check (skipped,
 * and saying so in its name, where python3 has no pandas).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../api.js";
import { listFixtureFiles, readFixture } from "./fixture.js";
import { recipeSpaces, recipes, replayFixtures, SweepFailedError, sweepProperty } from "./testing.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-testing-test-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const rowsOf = (dir: string) => fs.readFileSync(path.join(dir, "naics.csv"), "utf8").trim().split("\n").length - 1;

describe("synthproof/testing", () => {
  const fixtures = path.join(root, "fixtures");
  const recipe = recipes.naics({
    rows: fc.integer({ min: 0, max: 400 }),
    branching: recipes.branching({ maxDepth: 3, maxLeaves: 50 }),
    format: fc.constant("csv"),
  });

  test("sweepProperty resolves when the check holds", async () => {
    await sweepProperty({ scenario: "naics", recipe, check: (dir, r) => rowsOf(dir) === r.rows, runs: 5, seed: 4 });
    // No seed: a new one each time (named in a failure's message).
    await sweepProperty({ scenario: "naics", recipe, check: () => true, runs: 2 });
  });

  test("sweepProperty shrinks a failure, keeps the fixture and throws it; replayFixtures fails on it, then holds", async () => {
    const error = await sweepProperty({
      scenario: "naics",
      recipe,
      check: (dir) => {
        if (rowsOf(dir) > 200) throw new Error(`${rowsOf(dir)} rows`);
      },
      runs: 20,
      seed: 9,
      fixtures,
      name: "at most 200 rows",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SweepFailedError);
    const failed = error as SweepFailedError;
    expect(failed.recipe).toMatchObject({
      rows: 201,
      branching: [1],
      preserve: "logit",
      allocation: "uniform",
      target: "bernoulli",
      seed: 0,
    });
    expect(failed.message).toContain("201 rows");
    const fixture = readFixture(failed.fixtureFile as string);
    expect(fixture).toMatchObject({ check: "at most 200 rows", failure: { output: expect.arrayContaining(["Error: 201 rows"]) } });
    await expect(replayFixtures(fixtures, { check: (dir) => rowsOf(dir) <= 200 })).rejects.toThrow(/FAILS/);
    const rows = await replayFixtures(fixtures, { check: (dir) => rowsOf(dir) <= 1000 });
    expect(rows.map((r) => r.status)).toEqual(["held"]);
    expect(listFixtureFiles(fixtures)).toHaveLength(1);
  });

  test("a check throwing something other than an Error fails with its text", async () => {
    await expect(
      sweepProperty({
        scenario: "naics",
        recipe,
        check: () => {
          throw "plain text";
        },
        runs: 1,
        seed: 1,
        maxShrinkMs: 0,
      }),
    ).rejects.toThrow("plain text");
  });

  test("a check returning false fails without a fixture when none is asked for", async () => {
    await expect(sweepProperty({ scenario: "naics", recipe, check: () => false, runs: 2, seed: 1, maxShrinkMs: 0 })).rejects.toThrow(
      "the check returned false",
    );
  });

  test("every scenario's recipe arbitrary makes configs its generator accepts", async () => {
    const small = {
      naics: recipes.naics({ rows: fc.integer({ min: 0, max: 30 }), branching: recipes.branching({ maxLeaves: 20 }) }),
      entities: recipes.entities({ n_leads: fc.constant(20), n_sales: fc.constant(20), n_financial: fc.constant(20) }),
      usage: recipes.usage({ accounts: fc.integer({ min: 1, max: 3 }), max_chats: fc.constant(2) }),
      recsys: recipes.recsys({ users: fc.integer({ min: 1, max: 20 }), places: fc.integer({ min: 1, max: 20 }) }),
      spec: recipes.spec(
        { num_samples: 10, columns: { x: { distribution: "uniform", params: { min: 0, max: 1 } } } },
        { num_samples: fc.integer({ min: 1, max: 20 }) },
      ),
    };
    for (const [name, arb] of Object.entries(small)) {
      const [config] = fc.sample(arb as fc.Arbitrary<Record<string, unknown>>, { seed: 3, numRuns: 1 });
      const out = path.join(root, `gen-${name}`);
      const result = await generate(
        name,
        { ...config, ...(name === "usage" ? { dataset: { start_date: "2025-01-01", end_date: "2025-01-03" } } : {}) },
        { out },
      );
      expect(result.files.length).toBeGreaterThan(0);
    }
    expect(Object.keys(recipeSpaces).sort()).toEqual(["entities", "naics", "recsys", "spec", "usage"]);
  });
});

// The first Python with pandas: the PATH's, else Debian's (python3-pandas; a pyenv python may lack it).
const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import pandas"], { stdio: "ignore" }).status === 0);
const pandas = python !== undefined;
describe("examples/checks/naics_target_rates.py", () => {
  test.skipIf(!pandas)(
    `recovers the per-code target rates of a NAICS folder and compares them with truth.csv${pandas ? "" : " (skipped: python3 has no pandas here)"}`,
    async () => {
      const out = path.join(root, "pandas");
      await generate("naics", { rows: 20_000, branching: [4, 3], seed: 5 }, { out });
      const run = (dir: string) => spawnSync(python as string, ["examples/checks/naics_target_rates.py", dir], { encoding: "utf8" });
      expect(run(out).status).toBe(0);
      // Move every row of the first leaf to the second: their observed rates no longer match the truth.
      const file = path.join(out, "naics.csv");
      const lines = fs.readFileSync(file, "utf8").split("\n");
      fs.writeFileSync(file, lines.map((l) => l.replace(/^10,101,1$/, "10,101,0")).join("\n"));
      const broken = run(out);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toContain("code 101");
    },
  );
});
