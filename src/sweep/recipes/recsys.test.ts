/**
 * The recsys recipe space: its keys in shrink order (`sweep --list-keys recsys`), every sampled
 * recipe of the open ranges a config generate accepts and verify passes on the files' invariants,
 * and a failing check shrinks to the smallest failing user count with every other key at its
 * smallest value.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { generate, verify } from "../../api.js";
import { cli } from "../../testing/cli.js";
import { SweepFailedError, sweepProperty } from "../testing.js";
import { recsysRecipe, recsysSpace } from "./recsys.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-recsys-test-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const KEYS = ["users", "places", "interactions_per_user", "n_cities", "n_categories", "communities", "pref_alpha", "beta", "alpha", "seed"];

describe("recsys recipes", () => {
  test("--list-keys recsys lists the keys in shrink order, seed last", async () => {
    expect(recsysSpace.keys.map((k) => k.name)).toEqual(KEYS);
    const run = await cli("sweep", "--list-keys", "recsys");
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .split("\n")
        .slice(1, -1)
        .map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(KEYS);
  });

  test("recipes of the open ranges are configs generate accepts, and verify finds every exact invariant held", async () => {
    const recipes = fc.sample(recsysRecipe({ users: fc.integer({ min: 1, max: 60 }), places: fc.integer({ min: 1, max: 60 }) }), {
      seed: 5,
      numRuns: 12,
    });
    // The open ranges reach the edges the issue names: a single city, two categories, beta 0.
    expect(recipes.some((r) => r.n_cities === 1 || r.n_categories === 2 || r.beta === 0)).toBe(true);
    expect(recipes.some((r) => (r.communities as { n: number }).n > 0)).toBe(true);
    for (const [i, r] of recipes.entries()) {
      const out = path.join(root, `r${i}`);
      const result = await generate("recsys", r, { out });
      expect(result.files.length, JSON.stringify(r)).toBeGreaterThan(0);
      // Statistical checks may fail at their alpha (up to 0.1 here); the exact ones never.
      const v = await verify("recsys", out);
      const exact = v.parts.flatMap((p) => p.report.checks).filter((c) => c.alpha === undefined);
      expect(
        exact.filter((c) => c.status === "FAILED").map((c) => c.check),
        JSON.stringify(r),
      ).toEqual([]);
    }
  }, 120_000);

  test("a sweep with a check failing above 3 users shrinks to 4 users and the smallest of every other key", async () => {
    const usersOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).config.n_users as number;
    const error = await sweepProperty({
      scenario: "recsys",
      recipe: recsysRecipe({ users: fc.integer({ min: 1, max: 30 }), places: fc.integer({ min: 1, max: 30 }) }),
      check: (dir) => usersOf(dir) <= 3,
      runs: 20,
      seed: 2,
      maxShrinkMs: 60_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SweepFailedError);
    expect((error as SweepFailedError).recipe).toEqual({
      n_users: 4,
      n_places: 1,
      interactions_per_user: 1,
      n_cities: 1,
      n_categories: 2,
      communities: { n: 0 },
      pref_alpha: 0.05,
      beta: 0,
      alpha: 0.001,
      seed: 0,
    });
  }, 300_000);
});
