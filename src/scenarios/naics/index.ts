/**
 * The NAICS-like hierarchical code scenario: a 10/5/4/3/3 code tree (configurable), per-code
 * probabilities with mean-preserving logit noise, and rows with a Bernoulli target.
 */
import { defineScenario } from "../kit/define-scenario.js";
import { naicsConfigSchema } from "./config.js";
import { generateNaics, NAICS_GENERATOR_VERSION } from "./generate.js";
import { naicsPlots } from "./plots.js";
import { verifyNaics } from "./verify.js";

export { type NaicsConfig, type NaicsConfigInput, naicsConfigSchema } from "./config.js";
export { generateNaics, NAICS_GENERATOR_VERSION } from "./generate.js";
export { BLOCK_ROWS, type RowBlock, sampleRows, shardRange } from "./sample.js";
export { type SaturatedProbabilities, saturatedProbabilities } from "./saturation.js";
export { buildTree, type Tree, type TreeLevel } from "./tree.js";
export { leafCodeLookups, rowColumns, rowTable, truthRows, truthTable } from "./truth.js";
export { verifyNaics } from "./verify.js";

/** The scenario's definition, as the registry loads it. */
const naicsScenario = defineScenario({
  name: "naics",
  version: NAICS_GENERATOR_VERSION,
  configSchema: naicsConfigSchema,
  supports: { shards: true, threads: true },
  progressUnit: "rows",
  generate: generateNaics,
  verify: verifyNaics,
  plots: naicsPlots,
  headline(result) {
    const m = result.manifest as { rows: number; seed: number; shard: { first_row: number; end_row: number } | null };
    return `${m.shard ? m.shard.end_row - m.shard.first_row : m.rows} rows, seed ${m.seed}`;
  },
  notes(report) {
    const rec = (report.summary as { recommendation?: string | null } | undefined)?.recommendation;
    return rec ? [rec] : [];
  },
});
export default naicsScenario;
