/**
 * Golden hashes: the determinism contract across versions. The bytes a config and seed produce
 * are pinned in fixtures/golden/naics.json; changing them is a deliberate act that bumps
 * NAICS_GENERATOR_VERSION and says so in CHANGELOG.md. To re-pin after such a change, run
 * `UPDATE_GOLDEN=1 npx vitest run src/scenarios/naics/golden.test.ts` and commit the file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import { generate } from "../../api.js";
import { goldenSuite, hashFiles } from "../../testing/golden.js";
import { NAICS_GENERATOR_VERSION } from "./generate.js";

interface NaicsCase {
  readonly config: Record<string, unknown>;
  readonly shard?: { index: number; count: number };
}

const CASES: (NaicsCase & { name: string })[] = [
  { name: "default tree, 10k rows, logit", config: { rows: 10_000, seed: 42 } },
  {
    name: "default tree, 10k rows, probability, balanced, exact",
    config: { rows: 10_000, seed: 42, preserve: "probability", allocation: "balanced", target: "exact" },
  },
  {
    name: "custom tree and roots, uniform exact",
    config: { rows: 5_000, seed: 7, branching: [3, 9, 2], root_probabilities: [0.1, 0.5, 0.9], target: "exact" },
  },
  { name: "shard 1 of 3", config: { rows: 7_000, seed: 42 }, shard: { index: 1, count: 3 } },
  { name: "parquet", config: { rows: 3_000, seed: 42, format: "parquet" } },
];

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-golden-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

goldenSuite<NaicsCase>(
  "golden hashes pin the output bytes",
  path.resolve("fixtures/golden/naics.json"),
  NAICS_GENERATOR_VERSION,
  CASES,
  async (c, i) => {
    const out = path.join(root, String(i));
    const result = await generate("naics", c.config, { out, ...(c.shard ? { shard: c.shard } : {}) });
    // The data files are the contract; report and manifest wording may evolve with the checks.
    return hashFiles(
      out,
      result.files.filter((f) => !/^(report|manifest)/.test(f)),
    );
  },
);
