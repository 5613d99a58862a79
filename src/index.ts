/** synthproof's public API. */
export { type GenerateCall, generate, parseShard, verify } from "./api.js";
export type { CheckResult, CheckStatus, Report, Violations } from "./checks/result.js";
export { runCli } from "./cli/run.js";
export { ConfigError, type ConfigProblem } from "./core/config.js";
export { type ErrorLocation, InputError, IoError, SynthError } from "./core/errors.js";

export { type Permutation, permutation } from "./core/permutation.js";
export { type KeyPart, type Rng, type Seed, stream } from "./core/rng.js";
export type { Column, Table } from "./core/table.js";
export { compareRuns, formatComparison, type MetricDiff, type RunComparison } from "./scenarios/contract/compare.js";
export { type Contract, type ContractInput, contractSchema } from "./scenarios/contract/contract-schema.js";
export { type DraftAttempt, type DraftOptions, type DraftResult, draftContract, draftFileText } from "./scenarios/contract/draft.js";
export { checkedData, type GeneratedColumn, generateColumns } from "./scenarios/contract/generate-columns.js";
export { loadContractFile } from "./scenarios/contract/load-contract.js";
export { type ContractReport, contractReport } from "./scenarios/contract/requirement-checks.js";
export { type ContractRun, contractHash, type RunContractOptions, runContract } from "./scenarios/contract/run-contract.js";
export { type CheckSummary, formatSeedsSummary, runSeeds, type SeedsSummary } from "./scenarios/contract/seeds.js";
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
