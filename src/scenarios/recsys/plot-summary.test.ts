/**
 * Generate's page is drawn from what the run holds in memory (its plotFacts) instead of reading the
 * users, interactions, edges and labels back: the summary must be the very one `report` reads from
 * the files, number for number, in both formats, with communities, and with no edges.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { checkConfig } from "../../core/config.js";
import { recsysConfigSchema } from "./config.js";
import { summariseRecsys } from "./plot-summary.js";
import type { RunFacts } from "./run-facts.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-summary-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CASES: Record<string, Record<string, unknown>> = {
  parquet: { n_users: 420, n_places: 230, interactions_per_user: 40, seed: 3 },
  csv: { n_users: 333, n_places: 120, interactions_per_user: 25, seed: 9, format: "csv" },
  communities: { n_users: 300, n_places: 90, interactions_per_user: 15, communities: { n: 3, concentration: 20 }, seed: 5 },
  "no edges": { n_users: 200, n_places: 60, interactions_per_user: 10, edges_min_similarity: 1, edges_min_coattendance: 1_000_000 },
};

describe("the page's summary from memory", () => {
  test.each(Object.keys(CASES))("%s: the same as the one read from the folder", async (name) => {
    const out = path.join(root, name.replace(" ", "-"));
    const result = await generate("recsys", CASES[name], { out });
    expect(result.plotFacts).toBeTypeOf("function");
    const cfg = checkConfig(recsysConfigSchema, result.manifest.config);
    const read = await summariseRecsys(out, cfg, 0);
    const held = await summariseRecsys(out, cfg, 0, result.plotFacts?.() as RunFacts);
    expect(held).toEqual(read);
    expect(read.scoreChosen.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(read.labels[0]! + read.labels[1]!).toBe(name === "no edges" ? 0 : (result.report.summary as { labels: number }).labels);
  });

  test("a shard's run has none: its page is drawn from the folder by `report`", async () => {
    const result = await generate("recsys", CASES.csv, { out: path.join(root, "shard"), shard: { index: 0, count: 2 } });
    expect(result.plotFacts).toBeUndefined();
  });
});
