/**
 * Spec generators written as JavaScript: a spec names its generator file (`code: generator.js`)
 * beside a `code_contract`. The source is checked against the contract on its syntax tree
 * ({@link checkSource}), then run in a QuickJS/WebAssembly sandbox with no host access under the
 * contract's time and memory limits, and what it returns is checked against the contract's
 * outputs ({@link runGenerator}). Every failure is a FAILED result with a message and a hint.
 *
 * A contract is written in the short form or in the users' template form (`language`,
 * `function: {name, inputs, outputs}`, `environment`, `randomness`, `execution_constraints`,
 * `behavioral_rules`); both normalise into one {@link CodeContract}. {@link contractEnforcement}
 * lists how each key the user wrote is handled, and {@link checkGenerator} /
 * {@link checkGeneratorFile} give `spec check` the source problems and that table, as data.
 *
 * @example
 * const contract = codeContractSchema.parse({ outputs: { x: { type: "float" }, y: { type: "float" } } });
 * const result = await runGenerator(source, contract, { num_samples: 1000, seed: 42 });
 * if (!result.ok) for (const p of result.problems) console.error(`${p.line ?? "-"}: ${p.message} (${p.hint})`);
 */
export { checkGenerator, checkGeneratorFile, type GeneratorCheck } from "./check-generator.js";
export { checkSource } from "./check-source.js";
export {
  type CodeContract,
  type CodeContractInput,
  type CodeOutput,
  type CodeOutputType,
  type CodeProblem,
  codeContractSchema,
  DEFAULT_FORBIDDEN_IMPORTS,
  isTemplateForm,
  MAX_CODE_SAMPLES,
  MAX_MEMORY_LIMIT_MB,
  MAX_TIME_LIMIT_SECONDS,
} from "./code-contract.js";
export { JAVASCRIPT_LANGUAGES, type TemplateContract, templateContractSchema } from "./contract-template.js";
export { contractEnforcement, type Enforcement } from "./enforcement.js";
export {
  type GeneratedColumn,
  type GeneratorInputs,
  type GeneratorResult,
  type GeneratorStage,
  type RunGeneratorOptions,
  runGenerator,
} from "./sandbox.js";
