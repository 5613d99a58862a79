/**
 * synthproof's public API: generate and verify any scenario by name, the shared result and error
 * types, and the keyed random streams. Lean on purpose: importing it loads no scenario, no CLI and
 * no heavy dependency; each scenario's own API is a subpath (`synthproof/naics`,
 * `synthproof/entities`, `synthproof/spec`) and the command line is `synthproof/cli`.
 */
export { type GenerateCall, generate, parseShard, type VerifyCall, verify } from "./api.js";
export type { CheckResult, CheckStatus, Report, Violations } from "./checks/result.js";
export { ConfigError, type ConfigProblem } from "./core/config.js";
export { type ErrorLocation, InputError, IoError, SynthError } from "./core/errors.js";
export { type Permutation, permutation } from "./core/permutation.js";
export { type KeyPart, keyedStreams, type Rng, type Seed, type StreamFamily, stream } from "./core/rng.js";
export type { Column, Table } from "./core/table.js";
export { defineScenario } from "./scenarios/kit/define-scenario.js";
export { getScenario, scenarioNames, scenarioSummary } from "./scenarios/registry.js";
export type {
  GenerateOptions,
  GenerateResult,
  ProgressListener,
  Scenario,
  ScenarioDefinition,
  Shard,
  VerifiedPart,
  VerifyOptions,
  VerifyResult,
} from "./scenarios/scenario.js";
