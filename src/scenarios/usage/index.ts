/**
 * The usage scenario (issue 12): a daily activity and cost table of a subscription AI platform
 * (accounts, chats, three paid services), every modelling assumption in one YAML file, with its
 * planted truth: who adopted what when, who converted and churned, which days are anomalies.
 */
import { defineScenario } from "../kit/define-scenario.js";
import { usageConfigSchema } from "./config.js";
import { generateUsage, USAGE_GENERATOR_VERSION } from "./generate.js";
import { formatUsageScore, scoreUsage } from "./score.js";
import { verifyUsage } from "./verify.js";

export { type UsageConfig, type UsageConfigInput, usageConfigSchema } from "./config.js";
export { generateUsage, USAGE_GENERATOR_VERSION } from "./generate.js";
export { formatUsageScore, type Scores, scoreUsage, type UsageScore } from "./score.js";
export { verifyUsage } from "./verify.js";

/** The scenario's definition, as the registry loads it. */
const usageScenario = defineScenario({
  name: "usage",
  version: USAGE_GENERATOR_VERSION,
  configSchema: usageConfigSchema,
  supports: { shards: true, threads: true },
  // `--accounts 20000` as the issue writes it, overriding accounts.n_accounts of a config file;
  // `--format parquet` as for naics, setting output.format.
  nestedFlags: { accounts: ["accounts", "n_accounts"], format: ["output", "format"] },
  progressUnit: "accounts",
  generate: generateUsage,
  verify: verifyUsage,
  plots: async (dir, context) => (await import("./plots.js")).usagePlots(dir, context),
  // Predictions are flagged days; every anomaly is scored, so there is no split.
  scoreFlags: ["threshold"],
  async score(dir, predictions, options) {
    const result = scoreUsage(dir, predictions, options.threshold);
    return { result, text: formatUsageScore(result) };
  },
  headline(result) {
    const m = result.manifest as { accounts: number; seed: number; shard: { first_account: number; end_account: number } | null };
    const rows = (result.report.summary as { rows?: number } | undefined)?.rows;
    const accounts = m.shard ? m.shard.end_account - m.shard.first_account : m.accounts;
    return `${accounts} accounts, ${rows ?? 0} rows, seed ${m.seed}`;
  },
});
export default usageScenario;
