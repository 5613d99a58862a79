/**
 * The entity-resolution scenario: leads, sales and financial records with planted duplicates,
 * typos and cross-source overlap; the true entity of every record; a log of every corruption;
 * labelled pairs with tagged hard negatives, split by entity.
 */
export { type EntitiesConfig, type EntitiesConfigInput, entitiesConfigSchema } from "./config.js";
/** The scenario's definition, as the registry loads it (definition.ts). */
export { default } from "./definition.js";
export { ENTITIES_GENERATOR_VERSION, generateEntities, hashPii } from "./generate.js";
export { type BaselineComparison, compareWithBaseline, userAuc } from "./match/baseline-comparison.js";
export { type Difficulty, type DifficultyPair, difficultyOf } from "./match/difficulty.js";
export { fitLogistic, type LogisticModel } from "./match/logistic.js";
export { buildPairs, type LabelledPair, splitOf } from "./pairs.js";
export { generateRecords } from "./records.js";
export { loadSchemas } from "./schema-file.js";
export { type EntitiesScore, formatScore, readPredictions, scoreEntities } from "./score-files.js";
export { verifyEntities } from "./verify.js";
