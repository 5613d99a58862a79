/**
 * Golden hashes: the determinism contract across versions. The bytes a config and seed produce
 * are pinned in fixtures/golden/usage.json; changing them is a deliberate act that bumps
 * USAGE_GENERATOR_VERSION and says so in CHANGELOG.md. To re-pin after such a change, run
 * `UPDATE_GOLDEN=1 npx vitest run src/scenarios/usage/golden.test.ts` and commit the file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import { generate } from "../../api.js";
import { goldenSuite, hashFiles } from "../../testing/golden.js";
import { USAGE_GENERATOR_VERSION } from "./generate.js";

interface UsageCase {
  readonly config: Record<string, unknown>;
  readonly shard?: { index: number; count: number };
}

const sample = { accounts: { n_accounts: 200 }, dataset: { start_date: "2025-01-01", end_date: "2025-03-31" } };

const CASES: (UsageCase & { name: string })[] = [
  { name: "default config (2000 accounts, 2025)", config: {} },
  { name: "200 accounts, one quarter", config: sample },
  { name: "200 accounts, one quarter, split", config: { ...sample, services_model: { distribute_to_chats: { mode: "split" } } } },
  { name: "shard 1 of 3", config: sample, shard: { index: 1, count: 3 } },
  // Parquet bytes also depend on the pinned parquet-wasm writer (CHANGELOG names it per version).
  { name: "200 accounts, one quarter, Parquet", config: { ...sample, output: { format: "parquet" } } },
  {
    name: "leap year from mid-month, seed 7, every usage day anomalous",
    config: {
      seed: 7,
      accounts: { n_accounts: 120 },
      dataset: { start_date: "2024-02-10", end_date: "2024-04-20" },
      anomalies: { rate: 1 },
    },
  },
  {
    name: "two services of their own, a monthly adopter list",
    config: {
      accounts: { n_accounts: 150 },
      dataset: { start_date: "2025-05-01", end_date: "2025-07-31" },
      services: {
        names: ["chat_ai", "tasks"],
        cost_when_used: { chat_ai: { median: 0.1, sigma: 0.3, max: 1 }, tasks: { median: 0.05, sigma: 0.8, max: 0.5 } },
      },
      services_model: {
        new_adopters_per_month: { chat_ai: [5, 10, 15], tasks: 8 },
        p_convert_after_trial: { chat_ai: 0.9, tasks: 0.4 },
        retention_targets: { chat_ai: { 45: 0.5 }, tasks: { 30: 0.8, 60: 0.6 } },
      },
      services_usage_days: { mean_active_days: { chat_ai: 20, tasks: 10 } },
      services_event_volume: { mean_events_per_active_day: { chat_ai: 1.5, tasks: 3 }, dispersion_k: { chat_ai: 1, tasks: 0.5 } },
      output: { path: "joint_info_2025.csv" },
    },
  },
];

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-golden-usage-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

goldenSuite<UsageCase>(
  "golden hashes pin the output bytes",
  path.resolve("fixtures/golden/usage.json"),
  USAGE_GENERATOR_VERSION,
  CASES,
  async (c, i) => {
    const out = path.join(root, String(i));
    const result = await generate("usage", c.config, { out, ...(c.shard ? { shard: c.shard } : {}) });
    // The data and truth files are the contract; report and manifest wording may evolve with the checks.
    return hashFiles(
      out,
      result.files.filter((f) => !/^(report|manifest)/.test(f)),
    );
  },
);
