/**
 * Properties of the usage scenario over small recipes (seeds, account counts, date ranges of a day,
 * a month, a leap year or not starting on the 1st, service lists, anomaly and conversion rates at
 * 0 and 1, both distribution modes): the same recipe gives the same bytes; adding accounts leaves
 * every existing account's chats, natural activity and dialog costs unchanged; shards concatenate
 * to the whole; every row invariant holds against an oracle written from the issue; and verify
 * passes what generate writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { generate, verify } from "../src/api.js";
import { checkConfig } from "../src/core/config.js";
import { AccountScratch, accountChats, naturalActivity } from "../src/scenarios/usage/account.js";
import { type UsageConfig, usageConfigSchema } from "../src/scenarios/usage/config.js";
import { usageFileNames } from "../src/scenarios/usage/generate.js";
import { buildModel } from "../src/scenarios/usage/model.js";
import {
  type DatasetGenerator,
  expectReportPassed,
  readBytes,
  sameRecipeSameBytes,
  shardsConcatenate,
  withTempDir,
  withTempDirs,
} from "./assertions.js";
import { defineProperty } from "./harness.js";

/**
 * A usage recipe: a config input. Its alpha is 1e-9: the seven statistical checks of generate's
 * and verify's reports of up to five parts falsely fail with probability below 7 x 2 x 5 x 1e-9 =
 * 7e-8 per run, 7e-4 over a 10,000-run sweep.
 */
export type UsageRecipe = Record<string, unknown> & { seed: number; accounts: { n_accounts: number } };

const RANGES: readonly [string, string][] = [
  ["2025-03-15", "2025-03-15"], // a day
  ["2025-02-01", "2025-02-28"], // a month
  ["2024-01-01", "2024-12-31"], // a leap year
  ["2025-01-17", "2025-04-09"], // not starting on the 1st
  ["2024-02-20", "2024-03-10"], // across a leap day
];

const OWN_SERVICES = {
  services: { names: ["chat_ai"], cost_when_used: { chat_ai: { median: 0.1, sigma: 0.5, max: 0.4 } } },
  model: (adopters: number, p: number) => ({
    new_adopters_per_month: { chat_ai: adopters },
    p_convert_after_trial: { chat_ai: p },
    retention_targets: { chat_ai: { "20": 0.7 } },
  }),
  usage: {
    services_usage_days: { mean_active_days: { chat_ai: 15 } },
    services_event_volume: { mean_events_per_active_day: { chat_ai: 3 }, dispersion_k: { chat_ai: 1 } },
  },
};

/** Recipes: up to 40 accounts (a year of them writes a few thousand rows). */
export const usageRecipeArb: fc.Arbitrary<UsageRecipe> = fc
  .record({
    seed: fc.oneof(fc.nat(1000), fc.maxSafeNat()),
    n: fc.integer({ min: 1, max: 40 }),
    range: fc.constantFrom(...RANGES),
    own: fc.boolean(),
    adopters: fc.integer({ min: 0, max: 6 }),
    p: fc.constantFrom(0, 0.6, 1),
    rate: fc.constantFrom(0, 0.002, 0.2, 1),
    mode: fc.constantFrom("one_chat", "split"),
  })
  .map(({ seed, n, range, own, adopters, p, rate, mode }) => ({
    seed,
    alpha: 1e-9,
    accounts: { n_accounts: n },
    dataset: { start_date: range[0], end_date: range[1] },
    anomalies: { rate },
    ...(own
      ? {
          services: OWN_SERVICES.services,
          services_model: { ...OWN_SERVICES.model(adopters, p), distribute_to_chats: { mode } },
          ...OWN_SERVICES.usage,
        }
      : {
          services_model: {
            new_adopters_per_month: { tasks: adopters, classifications: Math.floor(adopters / 2), amocrm_call: 1 },
            p_convert_after_trial: { tasks: p, classifications: 0.5, amocrm_call: 1 - p },
            distribute_to_chats: { mode },
          },
        }),
  }));

function config(recipe: UsageRecipe): UsageConfig {
  return checkConfig(usageConfigSchema, recipe);
}

export const usageGenerator: DatasetGenerator<UsageRecipe> = {
  async generate(recipe, dir, shard) {
    return (await generate("usage", recipe, { out: dir, ...(shard ? { shard } : {}) })).files;
  },
};

export const sameBytes = defineProperty({
  id: "usage.same-bytes",
  title: "the same recipe gives the same bytes in every file",
  arbitrary: usageRecipeArb,
  predicate: async (recipe) => {
    await sameRecipeSameBytes(usageGenerator, recipe);
  },
});

function lines(dir: string, file: string): string[] {
  return fs.readFileSync(path.join(dir, file), "utf8").split("\n").slice(1, -1);
}

export const addingAccounts = defineProperty({
  id: "usage.adding-accounts",
  title: "adding accounts leaves every existing account's chats, natural activity and dialog costs unchanged",
  arbitrary: fc.record({ recipe: usageRecipeArb, extra: fc.integer({ min: 1, max: 30 }) }),
  predicate: async ({ recipe, extra }) => {
    const more: UsageRecipe = { ...recipe, accounts: { n_accounts: recipe.accounts.n_accounts + extra } };
    // In memory: each existing account's chats and its chats' own activity and dialog costs.
    const [a, b] = [buildModel(config(recipe)), buildModel(config(more))];
    const [sa, sb] = [new AccountScratch(), new AccountScratch()];
    for (let account = 0; account < recipe.accounts.n_accounts; account++) {
      const chats = accountChats(a, account);
      expect(accountChats(b, account)).toEqual(chats);
      sa.ensure(chats.length, 1, a.days);
      sb.ensure(chats.length, 1, b.days);
      naturalActivity(a, account, chats, sa);
      naturalActivity(b, account, chats, sb);
      const cells = chats.length * a.days;
      expect(sb.active.subarray(0, cells)).toEqual(sa.active.subarray(0, cells));
      for (let i = 0; i < cells; i++) if (sa.active[i]) expect(sb.dialog[i]).toBe(sa.dialog[i]);
    }
    // In the files: the truth of existing accounts, and every row without service use (such a row
    // is a chat's own activity: a chat made active by usage always carries it) is in the larger run.
    await withTempDirs(2, async ([da, db]) => {
      await usageGenerator.generate(recipe, da as string);
      await usageGenerator.generate(more, db as string);
      const width = Math.max(5, String(more.accounts.n_accounts).length);
      const ids = (dir: string, n: number) =>
        n === width
          ? lines(dir, "truth/accounts.csv")
          : lines(dir, "truth/accounts.csv").map((l) => l.replace(/A0*(\d+)/g, (_, d: string) => `A${d.padStart(width, "0")}`));
      const before = ids(da as string, Math.max(5, String(recipe.accounts.n_accounts).length));
      expect(lines(db as string, "truth/accounts.csv").slice(0, before.length)).toEqual(before);
      const widen = (l: string) => l.replace(/A0*(\d+)/g, (_, d: string) => `A${d.padStart(width, "0")}`);
      const header = (fs.readFileSync(path.join(da as string, "usage.csv"), "utf8").split("\n")[0] as string).split(",");
      const [num, cost] = [header.indexOf("num_services"), header.indexOf("cost_dialog")];
      const key = (c: readonly string[]) => [...c.slice(0, 4), c[cost] ?? ""].join(",");
      const rowsB = new Set(lines(db as string, "usage.csv").map((l) => key(l.split(","))));
      for (const l of lines(da as string, "usage.csv")) {
        const c = widen(l).split(",");
        if (c[num] === "0" && !rowsB.has(key(c))) expect.fail(`the row ${l} of the smaller run is not in the larger one`);
      }
    });
  },
});

export const shardsJoin = defineProperty({
  id: "usage.shards-concatenate",
  title: "the row files of shards 0..N-1 concatenate to the unsharded row file, byte for byte",
  arbitrary: fc.record({ recipe: usageRecipeArb, count: fc.integer({ min: 1, max: 4 }) }),
  predicate: async ({ recipe, count }) => {
    const cfg = config(recipe);
    await shardsConcatenate(usageGenerator, recipe, count, {
      whole: usageFileNames(cfg).rows,
      part: (index, n) => usageFileNames(cfg, { index, count: n }).rows,
    });
  },
});

/** The row rules, checked on the files by an oracle that shares no code with the checks. */
export const invariants = defineProperty({
  id: "usage.invariants",
  title: "every row obeys the issue's rules and first use per account and service is its adoption date",
  arbitrary: usageRecipeArb,
  predicate: async (recipe) => {
    const cfg = config(recipe);
    await withTempDir(async (dir) => {
      await usageGenerator.generate(recipe, dir);
      const header = (fs.readFileSync(path.join(dir, "usage.csv"), "utf8").split("\n")[0] as string).split(",");
      const names = cfg.services.names;
      const col = (c: string) => header.indexOf(c);
      const flags = header.filter((h) => h.startsWith("has_") && h !== "has_both");
      expect(flags.length).toBe(names.length);
      const costs = header.filter((h) => /^(total_cost_|cost_)/.test(h) && h !== "cost_dialog");
      const counts = header.slice(-names.length);
      const first = new Map<string, string>();
      const carriers = new Map<string, number>();
      let prev = "";
      for (const l of lines(dir, "usage.csv")) {
        const c = l.split(",");
        const key = `${c[0]}|${c[3]}|${c[1]}`;
        expect(key > prev).toBe(true);
        prev = key;
        let used = 0;
        let total = Number(c[col("cost_dialog")]);
        names.forEach((s, i) => {
          const on = c[col(flags[i] as string)] === "1";
          const cost = Number(c[col(costs[i] as string)]);
          const n = Number(c[col(counts[i] as string)]);
          expect([on, cost > 0, n > 0]).toEqual([on, on, on]);
          total += cost;
          if (on) {
            used++;
            const k = `${c[0]}/${s}`;
            if (!first.has(k)) first.set(k, c[3] as string);
          }
        });
        expect(Number(c[col("num_services")])).toBe(used);
        expect(Math.abs(total - Number(c[col("total_cost")]))).toBeLessThanOrEqual(1e-6 + 1e-12);
        if (used > 0) carriers.set(`${c[0]}/${c[3]}`, (carriers.get(`${c[0]}/${c[3]}`) ?? 0) + 1);
      }
      if (cfg.services_model.distribute_to_chats.mode === "one_chat") for (const v of carriers.values()) expect(v).toBe(1);
      const planted = new Map(
        lines(dir, "truth/adoptions.csv").map((l) => [`${l.split(",")[0]}/${l.split(",")[1]}`, l.split(",")[2] as string]),
      );
      expect(first).toEqual(planted);
    });
  },
});

export const verifyPasses = defineProperty({
  id: "usage.verify-passes-generated",
  title: "generate's report and verify's, whole or sharded, PASS every check",
  arbitrary: fc.record({
    recipe: usageRecipeArb,
    shards: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
  }),
  predicate: async ({ recipe, shards }) => {
    await withTempDir(async (dir) => {
      if (shards === 0) expectReportPassed((await generate("usage", recipe, { out: dir })).report, "generate's report");
      for (let index = 0; index < shards; index++)
        expectReportPassed(
          (await generate("usage", recipe, { out: dir, shard: { index, count: shards } })).report,
          `generate's report of shard ${index}`,
        );
      const result = await verify("usage", dir);
      for (const part of result.parts) expectReportPassed(part.report, `verify's report of ${part.name}`);
      expect(readBytes(dir, "truth/adoptions.csv").length).toBeGreaterThan(0);
    });
  },
});

/** Every usage property, in a stable order. */
export const usageProperties = [sameBytes, addingAccounts, shardsJoin, invariants, verifyPasses];
