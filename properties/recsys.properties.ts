/**
 * Properties of the recsys scenario over small recipes (seeds; 1 user or 1 place up to a few dozen;
 * a single city, a single category, one tag per category; score weights at 0; betas of 0, 4, 60
 * and 2000, the last past the one-pass softmax table's range; communities on or off): the same
 * recipe gives the same bytes; adding places changes no user and adding users no place; shards
 * concatenate to the whole row for row; generate's report and verify's pass on every recipe.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { generate, verify } from "../src/api.js";
import { type DatasetGenerator, expectReportPassed, readBytes, sameRecipeSameBytes, withTempDir, withTempDirs } from "./assertions.js";
import { defineProperty } from "./harness.js";

/**
 * A recsys recipe: a config input (CSV, so files compare as text). Its alpha is 1e-9: the six
 * statistical checks of generate's and verify's reports of up to four parts falsely fail with
 * probability below 6 x 2 x 4 x 1e-9 = 5e-8 per run.
 */
export type RecsysRecipe = Record<string, unknown> & { seed: number; n_users: number; n_places: number };

export const recsysRecipeArb: fc.Arbitrary<RecsysRecipe> = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    n_users: fc.integer({ min: 1, max: 40 }),
    n_places: fc.integer({ min: 1, max: 30 }),
    n_cities: fc.integer({ min: 1, max: 4 }),
    neighborhoods_per_city: fc.integer({ min: 1, max: 3 }),
    n_categories: fc.integer({ min: 1, max: 4 }),
    tags_per_category: fc.integer({ min: 1, max: 3 }),
    interactions_per_user: fc.integer({ min: 1, max: 25 }),
    beta: fc.constantFrom(0, 4, 60, 2000),
    zero: fc.subarray(["w_interest", "w_category", "w_location", "w_popularity", "popularity_sigma"]),
    communities: fc.constantFrom(0, 2),
    top_k: fc.integer({ min: 1, max: 5 }),
  })
  .map((r) => {
    const recipe: RecsysRecipe = {
      seed: r.seed,
      alpha: 1e-9,
      format: "csv",
      n_users: r.n_users,
      n_places: r.n_places,
      n_cities: r.n_cities,
      neighborhoods_per_city: r.neighborhoods_per_city,
      user_neighborhoods: [1, Math.min(2, r.neighborhoods_per_city)],
      n_categories: r.n_categories,
      tags_per_category: r.tags_per_category,
      place_tags: [1, Math.min(3, r.tags_per_category)],
      interactions_per_user: r.interactions_per_user,
      beta: r.beta,
      edges_top_k: r.top_k,
      edges_window: 4,
      communities: { n: r.communities, weights: null, concentration: 5 },
    };
    for (const k of r.zero) recipe[k] = 0;
    return recipe;
  });

export const recsysGenerator: DatasetGenerator<RecsysRecipe> = {
  async generate(recipe, dir, shard) {
    return (await generate("recsys", recipe, { out: dir, ...(shard ? { shard } : {}) })).files;
  },
};

const rows = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8").split("\n").slice(1).filter(Boolean);

export const sameBytes = defineProperty({
  id: "recsys.same-bytes",
  title: "the same recipe gives the same bytes in every file",
  arbitrary: recsysRecipeArb,
  predicate: async (recipe) => {
    await sameRecipeSameBytes(recsysGenerator, recipe);
  },
});

export const entitiesIndependent = defineProperty({
  id: "recsys.entities-independent",
  title: "adding places changes no user (vectors, neighbourhoods, counts) and adding users changes no place",
  arbitrary: fc.record({ recipe: recsysRecipeArb, extra: fc.integer({ min: 1, max: 20 }) }),
  predicate: async ({ recipe, extra }) => {
    await withTempDirs(3, async ([a, b, c]) => {
      await recsysGenerator.generate(recipe, a as string);
      await recsysGenerator.generate({ ...recipe, n_places: recipe.n_places + extra }, b as string);
      await recsysGenerator.generate({ ...recipe, n_users: recipe.n_users + extra }, c as string);
      expect(readBytes(b as string, "users.csv").equals(readBytes(a as string, "users.csv"))).toBe(true);
      expect(readBytes(b as string, "truth/users.csv").equals(readBytes(a as string, "truth/users.csv"))).toBe(true);
      expect(readBytes(c as string, "places.csv").equals(readBytes(a as string, "places.csv"))).toBe(true);
      // The first users of the larger run are the smaller run's users.
      expect(rows(c as string, "users.csv").slice(0, recipe.n_users)).toEqual(rows(a as string, "users.csv"));
    });
  },
});

export const shardsJoin = defineProperty({
  id: "recsys.shards-join",
  title: "the shards' tables, concatenated in order, are the whole run's row for row",
  arbitrary: fc.record({ recipe: recsysRecipeArb, count: fc.integer({ min: 2, max: 4 }) }),
  predicate: async ({ recipe, count }) => {
    await withTempDirs(2, async ([whole, parts]) => {
      await recsysGenerator.generate(recipe, whole as string);
      for (let index = 0; index < count; index++) await recsysGenerator.generate(recipe, parts as string, { index, count });
      for (const name of ["users", "interactions", "user_user_edges", "friend_labels", "truth/users"]) {
        const joined = Array.from({ length: count }, (_, k) => rows(parts as string, `${name}-${k}-of-${count}.csv`)).flat();
        expect(joined).toEqual(rows(whole as string, `${name}.csv`));
      }
      const v = await verify("recsys", parts as string);
      for (const p of v.parts) expectReportPassed(p.report, `verify of ${p.name}`);
    });
  },
});

export const verifyPasses = defineProperty({
  id: "recsys.verify-passes",
  title: "every invariant holds: generate's report and verify's pass on what generate wrote",
  arbitrary: recsysRecipeArb,
  predicate: async (recipe) => {
    await withTempDir(async (dir) => {
      const g = await generate("recsys", recipe, { out: dir });
      expectReportPassed(g.report, "generate's report");
      const v = await verify("recsys", dir);
      expectReportPassed((v.parts[0] as (typeof v.parts)[number]).report, "verify's report");
    });
  },
});

/** Every recsys property. */
export const recsysProperties = [sameBytes, entitiesIndependent, shardsJoin, verifyPasses];
