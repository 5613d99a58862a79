/**
 * The entity-resolution scenario: leads, sales and financial records with planted duplicates,
 * typos and cross-source overlap; the true entity of every record; a log of every corruption;
 * labelled pairs with tagged hard negatives, split by entity.
 */
import { InputError } from "../../core/errors.js";
import { defineScenario } from "../kit/define-scenario.js";
import { entitiesConfigSchema } from "./config.js";
import { ENTITIES_GENERATOR_VERSION, generateEntities } from "./generate.js";
import { SPLITS, type SplitName } from "./pairs.js";
import { entitiesPlots, SUMMARY_FILE } from "./plots.js";
import { formatScore, scoreEntities } from "./score-files.js";
import { formatSummary } from "./summary-table.js";
import { verifyEntities } from "./verify.js";

export { type EntitiesConfig, type EntitiesConfigInput, entitiesConfigSchema } from "./config.js";
export { ENTITIES_GENERATOR_VERSION, generateEntities, hashPii } from "./generate.js";
export { type BaselineComparison, compareWithBaseline, userAuc } from "./match/baseline-comparison.js";
export { type Difficulty, type DifficultyPair, difficultyOf } from "./match/difficulty.js";
export { fitLogistic, type LogisticModel } from "./match/logistic.js";
export { buildPairs, type LabelledPair, splitOf } from "./pairs.js";
export { generateRecords } from "./records.js";
export { loadSchemas } from "./schema-file.js";
export { type EntitiesScore, formatScore, readPredictions, scoreEntities } from "./score-files.js";
export { verifyEntities } from "./verify.js";

/** The scenario's definition, as the registry loads it. */
const entitiesScenario = defineScenario({
  name: "entities",
  version: ENTITIES_GENERATOR_VERSION,
  configSchema: entitiesConfigSchema,
  generate: generateEntities,
  verify: verifyEntities,
  reportFile: SUMMARY_FILE,
  plots: entitiesPlots,
  async score(dir, predictions, options) {
    const split = options.split;
    if (!(SPLITS as readonly string[]).includes(split))
      throw new InputError("bad_split", `--split ${JSON.stringify(split)} is not one of ${SPLITS.join(", ")}`, {
        location: { flag: "--split" },
        hint: "score on test (the default) unless you tuned on it",
      });
    const result = await scoreEntities(dir, predictions, { split: split as SplitName, threshold: options.threshold });
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
