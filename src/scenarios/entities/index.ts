/**
 * The entity-resolution scenario: leads, sales and financial records with planted duplicates,
 * typos and cross-source overlap; the true entity of every record; a log of every corruption;
 * labelled pairs with tagged hard negatives, split by entity.
 */
import { InputError } from "../../core/errors.js";
import type { ScenarioDefinition } from "../scenario.js";
import { entitiesConfigSchema } from "./config.js";
import { generateEntities } from "./generate.js";
import { SPLITS, type SplitName } from "./pairs.js";
import { formatScore, scoreEntities } from "./score-files.js";
import { formatSummary } from "./summary-table.js";
import { verifyEntities } from "./verify.js";

export { type EntitiesConfig, type EntitiesConfigInput, entitiesConfigSchema } from "./config.js";
export { ENTITIES_GENERATOR_VERSION, generateEntities, hashPii } from "./generate.js";
export { buildPairs, type LabelledPair, splitOf } from "./pairs.js";
export { generateRecords } from "./records.js";
export { loadSchemas } from "./schema-file.js";
export { formatScore, readPredictions, scoreEntities } from "./score-files.js";
export { verifyEntities } from "./verify.js";

/** The scenario's definition, as the registry lists it. */
export const entitiesScenario: ScenarioDefinition<typeof entitiesConfigSchema> = {
  name: "entities",
  summary: "entity resolution: leads/sales/financial records with planted duplicates, a corruption log and labelled hard pairs",
  configSchema: entitiesConfigSchema,
  flags: [
    {
      flag: "schema",
      key: "schema",
      description: "source-schema JSON (default: the bundled examples/automotive_schemas.json)",
      parse: "string",
    },
    { flag: "n-leads", key: "n_leads", description: "lead records (default 30000)", parse: "int" },
    { flag: "n-sales", key: "n_sales", description: "sales records (default 3000)", parse: "int" },
    { flag: "n-financial", key: "n_financial", description: "financial records (default 2100)", parse: "int" },
    { flag: "dup-rate", key: "dup_rate", description: "within-source duplicate share, 0.05-0.15 (default 0.1)", parse: "number" },
    {
      flag: "overlap",
      key: "overlap",
      description: "share of a smaller source's entities also in a larger one, 0.3-0.6 (default 0.4)",
      parse: "number",
    },
    { flag: "seed", key: "seed", description: "seed of every random stream (default 42)", parse: "int" },
    { flag: "pii", key: "pii", description: "plain | hashed (default plain)", parse: "string" },
    { flag: "salt", key: "salt", description: "salt for --pii hashed", parse: "string" },
    { flag: "locale", key: "locale", description: "US | CA | US+CA (default US)", parse: "string" },
    { flag: "negative-ratio", key: "negative_ratio", description: "negatives per positive, 3-5 (default 4)", parse: "number" },
    { flag: "dev", key: "dev", description: "1000 records in every source, pair-count gates relaxed", parse: "boolean" },
  ],
  generate: generateEntities,
  verify: verifyEntities,
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
  // generate always puts the summary in the report.
  describe: (result) => formatSummary(result.report.summary as Record<string, unknown>),
};
