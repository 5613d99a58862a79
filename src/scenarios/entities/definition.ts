/**
 * The scenario's definition as the registry loads it, apart from the public API of index.ts: what
 * only `verify`, `score` and `report` need (CSV and Parquet readers, plot summaries, the score
 * files) is imported when one of them runs, so `generate` does not load it (about 0.12 s of a
 * 4 s default run, measured with `node --cpu-prof`).
 */
import { InputError } from "../../core/errors.js";
import { defineScenario } from "../kit/define-scenario.js";
import { entitiesConfigSchema } from "./config.js";
import { ENTITIES_GENERATOR_VERSION, generateEntities } from "./generate.js";
import { SPLITS, type SplitName } from "./pairs.js";
import { formatSummary, SUMMARY_FILE } from "./summary-table.js";

/** The scenario's definition, as the registry loads it. */
const entitiesScenario = defineScenario({
  name: "entities",
  version: ENTITIES_GENERATOR_VERSION,
  configSchema: entitiesConfigSchema,
  generate: generateEntities,
  verify: async (dir, options) => (await import("./verify.js")).verifyEntities(dir, options),
  reportFile: SUMMARY_FILE,
  plots: async (dir, context) => (await import("./plots.js")).entitiesPlots(dir, context),
  async score(dir, predictions, options) {
    const split = options.split ?? "test";
    if (!(SPLITS as readonly string[]).includes(split))
      throw new InputError("bad_split", `--split ${JSON.stringify(split)} is not one of ${SPLITS.join(", ")}`, {
        location: { flag: "--split" },
        hint: "score on test (the default) unless you tuned on it",
      });
    const { formatScore, scoreEntities } = await import("./score-files.js");
    const result = await scoreEntities(dir, predictions, { split: split as SplitName, threshold: options.threshold ?? 0.5 });
    return { result, text: formatScore(result) };
  },
  headline(result) {
    const m = result.manifest as { seed: number; volumes: Record<string, { records: number }> };
    const records = Object.values(m.volumes).reduce((a, v) => a + v.records, 0);
    return `${records} records, seed ${m.seed}`;
  },
  // generate always puts the summary in the report.
  describe: (result) => formatSummary(result.report.summary as Record<string, unknown>),
});
export default entitiesScenario;
