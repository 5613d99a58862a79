/** Bad configs get the key path, exit 2 and nothing written; the flags set their keys. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { checkConfig } from "../../core/config.js";
import { readConfigFile } from "../../io/config-file.js";
import { cli } from "../../testing/cli.js";
import { recsysConfigSchema } from "./config.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-config-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const problems = (input: unknown): string => {
  try {
    checkConfig(recsysConfigSchema, input, undefined, "recsys");
  } catch (e) {
    return (e as Error).message;
  }
  return "";
};

describe("bad config names the key", () => {
  test.each([
    [{ pref_alpha: -0.3 }, "pref_alpha must be greater than 0"],
    [{ edges_top_k: 0 }, "edges_top_k must be at least 1"],
    [{ tags_per_category: 2 }, "place_tags[0] is 3, more tags than a category owns (tags_per_category 2)"],
    [{ place_tags: [3, 11] }, "place_tags[1] is 11, more tags than a place's categories own (at most 10)"],
    [{ n_cities: 0 }, "n_cities must be at least 1"],
    [{ user_neighborhoods: [9, 9] }, "user_neighborhoods[0] is 9, more than a city has"],
    [{ vibe_traits: [3, 30] }, "vibe_traits[1] is 30, the vocabulary has 24"],
    [{ period: { start: "2025-03-01", end: "2025-02-01" } }, "period.end 2025-02-01 is before period.start 2025-03-01"],
    [{ communities: { n: 2, weights: [1] } }, "communities.weights has 1 values for communities.n 2"],
    [{ communities: { n: 2, weights: [0, 0] } }, "communities.weights needs a positive weight"],
    [{ n_users: 2_000_000, interactions_per_user: 5000 }, "more interaction rows than 2e9"],
    [{ place_tags: [3.5, 4] }, "place_tags must be whole numbers"],
    [{ place_tags: [5, 4] }, "place_tags[1] is 4, below place_tags[0] 5"],
    [{ bogus: 1 }, 'unknown key "bogus"'],
  ])("%j", (input, message) => {
    expect(problems(input)).toContain(message);
  });

  test("defaults are the issue's", () => {
    const cfg = checkConfig(recsysConfigSchema, {});
    expect([cfg.n_users, cfg.n_places, cfg.n_cities, cfg.n_categories, cfg.tags_per_category, cfg.beta, cfg.edges_top_k]).toEqual([
      10_000, 10_000, 20, 12, 5, 4, 20,
    ]);
    expect(cfg.flags).toEqual({ like: [-3, 0.5], save: [-4, 0.5], share: [-5, 0.5], attended: [-2.5, 0.5] });
  });

  test("examples/recsys.yaml sets every key, to its default", () => {
    const file = readConfigFile("examples/recsys.yaml").value;
    const defaults = checkConfig(recsysConfigSchema, {});
    expect(Object.keys(file).sort()).toEqual(Object.keys(defaults).sort());
    expect(checkConfig(recsysConfigSchema, file)).toEqual(defaults);
  });

  test("the CLI: exit 2, the key path, nothing written", async () => {
    const out = path.join(root, "bad");
    const r = await cli("generate", "recsys", "--edges-top-k", "0", "--users", "5", "--places", "5", "--out", out, "--no-html");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("edges_top_k");
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  test("--users and --places set n_users and n_places", async () => {
    const out = path.join(root, "ok");
    const r = await cli("generate", "recsys", "--users", "12", "--places", "9", "--interactions-per-user", "5", "--out", out, "--no-html");
    expect(r.code).toBe(0);
    const m = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as { config: { n_users: number; n_places: number } };
    expect([m.config.n_users, m.config.n_places]).toEqual([12, 9]);
  });
});
