/**
 * Golden hashes: the determinism contract across versions. The bytes a config and seed produce are
 * pinned in fixtures/golden/recsys.json; changing them is a deliberate act that bumps
 * RECSYS_GENERATOR_VERSION and says so in CHANGELOG.md. To re-pin after such a change, run
 * `UPDATE_GOLDEN=1 npx vitest run src/scenarios/recsys/golden.test.ts` and commit the file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import { generate } from "../../api.js";
import { goldenSuite, hashFiles } from "../../testing/golden.js";
import { RECSYS_GENERATOR_VERSION } from "./generate.js";

interface RecsysCase {
  readonly config: Record<string, unknown>;
  readonly shard?: { index: number; count: number };
}

const small = { n_users: 200, n_places: 150, interactions_per_user: 60 };

const CASES: (RecsysCase & { name: string })[] = [
  { name: "200 users x 150 places, Parquet", config: small },
  { name: "200 users x 150 places, CSV", config: { ...small, format: "csv" } },
  { name: "shard 1 of 3, CSV", config: { ...small, format: "csv" }, shard: { index: 1, count: 3 } },
  // Enough places against the combos for the head-and-envelope sampler (softmax-sampler.ts).
  {
    name: "100 users x 2,000 places (the envelope sampler), CSV",
    config: { n_users: 100, n_places: 2000, interactions_per_user: 40, format: "csv" },
  },
  {
    name: "communities, 3 cities, 4 categories of 2 tags, seed 7",
    config: {
      seed: 7,
      n_users: 120,
      n_places: 80,
      n_cities: 3,
      n_categories: 4,
      tags_per_category: 2,
      place_tags: [1, 3],
      interactions_per_user: 30,
      communities: { n: 3, weights: [1, 2, 3], concentration: 10 },
      format: "csv",
    },
  },
];

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-golden-recsys-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

goldenSuite<RecsysCase>(
  "golden hashes pin the output bytes",
  path.resolve("fixtures/golden/recsys.json"),
  RECSYS_GENERATOR_VERSION,
  CASES,
  async (c, i) => {
    const out = path.join(root, String(i));
    const result = await generate("recsys", c.config, { out, ...(c.shard ? { shard: c.shard } : {}) });
    // The data and truth files are the contract; report and manifest wording may evolve with the checks.
    return hashFiles(
      out,
      result.files.filter((f) => !/^(report|manifest)/.test(f)),
    );
  },
);
