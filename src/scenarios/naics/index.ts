/**
 * The NAICS-like hierarchical code scenario: a 10/5/4/3/3 code tree (configurable), per-code
 * probabilities with mean-preserving logit noise, and rows with a Bernoulli target.
 */
import type { ScenarioDefinition } from "../scenario.js";
import { naicsConfigSchema } from "./config.js";
import { generateNaics } from "./generate.js";
import { verifyNaics } from "./verify.js";

export { type NaicsConfig, type NaicsConfigInput, naicsConfigSchema } from "./config.js";
export { generateNaics, NAICS_GENERATOR_VERSION } from "./generate.js";
export { BLOCK_ROWS, type RowBlock, sampleRows, shardRange } from "./sample.js";
export { type SaturatedProbabilities, saturatedProbabilities } from "./saturation.js";
export { buildTree, type Tree, type TreeLevel } from "./tree.js";
export { leafCodeLookups, rowColumns, rowTable, truthRows, truthTable } from "./truth.js";
export { verifyNaics } from "./verify.js";

/** The scenario's definition, as the registry lists it. */
export const naicsScenario: ScenarioDefinition<typeof naicsConfigSchema> = {
  name: "naics",
  summary: "hierarchical codes (NAICS-like tree) with a binary target and known per-code probabilities",
  configSchema: naicsConfigSchema,
  flags: [
    { flag: "rows", key: "rows", description: "rows to generate (default 1000000)", parse: "int" },
    { flag: "seed", key: "seed", description: "seed of every random stream (default 42)", parse: "int" },
    { flag: "branching", key: "branching", description: "children per level, e.g. 10,5,4,3,3", parse: "int-list" },
    {
      flag: "root-probabilities",
      key: "root_probabilities",
      description: "top-level probabilities, comma-separated",
      parse: "number-list",
    },
    { flag: "preserve", key: "preserve", description: "logit | probability (default logit)", parse: "string" },
    { flag: "allocation", key: "allocation", description: "uniform | balanced (default uniform)", parse: "string" },
    { flag: "target", key: "target", description: "bernoulli | exact (default bernoulli)", parse: "string" },
    { flag: "format", key: "format", description: "csv | parquet (default csv)", parse: "string" },
    { flag: "alpha", key: "alpha", description: "false-failure rate of each statistical check (default 0.001)", parse: "number" },
  ],
  generate: generateNaics,
  verify: verifyNaics,
};
