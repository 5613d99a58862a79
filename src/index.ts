/** synthproof's public API. */
export { type GenerateCall, generate, parseShard, verify } from "./api.js";
export type { CheckResult, CheckStatus, Report, Violations } from "./checks/result.js";
export { runCli } from "./cli/run.js";
export { ConfigError, type ConfigProblem } from "./core/config.js";
export { type ErrorLocation, InputError, IoError, SynthError } from "./core/errors.js";

export { type Permutation, permutation } from "./core/permutation.js";
export { type KeyPart, type Rng, type Seed, stream } from "./core/rng.js";
export type { Column, Table } from "./core/table.js";
export {
  BLOCK_ROWS,
  buildTree,
  generateNaics,
  NAICS_GENERATOR_VERSION,
  type NaicsConfig,
  type NaicsConfigInput,
  naicsConfigSchema,
  naicsScenario,
  sampleRows,
  shardRange,
  truthRows,
  truthTable,
  verifyNaics,
} from "./scenarios/naics/index.js";
export { getScenario, scenarioNames } from "./scenarios/registry.js";
export type { GenerateResult, ScenarioDefinition, Shard, VerifyResult } from "./scenarios/scenario.js";
export { compareRuns, formatComparison, type MetricDiff, type RunComparison } from "./scenarios/spec/compare.js";
export { type DraftAttempt, type DraftOptions, type DraftResult, draftFileText, draftSpec } from "./scenarios/spec/draft.js";
export { generateSpec, type SpecColumn, specData } from "./scenarios/spec/generate-spec.js";
export { loadSpecFile } from "./scenarios/spec/load-spec.js";
export { type RunSpecOptions, runSpec, type SpecRun, specHash } from "./scenarios/spec/run-spec.js";
export { type CheckSummary, formatSeedsSummary, runSeeds, type SeedsSummary } from "./scenarios/spec/seeds.js";
export { type SpecReport, specReport } from "./scenarios/spec/spec-checks.js";
export { type Spec, type SpecInput, specSchema } from "./scenarios/spec/spec-schema.js";
