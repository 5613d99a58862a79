/**
 * The spec engine as a scenario: a user's spec file (columns from distributions and
 * expressions, or a sandboxed code generator, plus validation requirements) becomes data, a
 * report and an experiment record. Users call it `spec`; inside it is the contract.
 */
import * as path from "node:path";
import { defineScenario } from "../kit/define-scenario.js";
import { contractSchema } from "./contract-schema.js";
import { CONTRACT_GENERATOR_VERSION, generateContract } from "./generate-contract.js";
import { verifyContract } from "./verify-contract.js";

export { type Contract, type ContractInput, contractSchema } from "./contract-schema.js";
export { type DeclaredColumn, declaredColumns, generateColumns } from "./generate-columns.js";
export {
  CONTRACT_GENERATOR,
  CONTRACT_GENERATOR_VERSION,
  contractHash,
  type GenerateContractOptions,
  generateContract,
  writeContractRun,
} from "./generate-contract.js";
export { loadContractFile } from "./load-contract.js";
export { type ContractReport, publicReport } from "./public-report.js";
export { type DataFileContents, type ReadDataOptions, readDataFile } from "./read-data.js";
export { contractReport, requirementLabel } from "./requirement-checks.js";
export { experimentsIndex, runContract, writeSeedsSummary } from "./run-contract.js";
export { type ValidateOptions, validateDataFile, verifyContract } from "./verify-contract.js";

/** The spec scenario's definition, as the registry loads it. */
const contractScenario = defineScenario({
  name: "spec",
  version: CONTRACT_GENERATOR_VERSION,
  configSchema: contractSchema,
  // A spec names its code generator relative to the spec file, as `spec run` reads it.
  resolveConfig: (value, source) =>
    typeof value.code === "string" ? { ...value, code: path.resolve(source.dir ?? ".", value.code) } : value,
  progressUnit: "samples",
  generate: (cfg, out, options) => generateContract(cfg, out, options.onProgress ? { onProgress: options.onProgress } : {}),
  verify: (dir, options) => verifyContract(dir, options),
  plots: async (dir, context) => (await import("./plots.js")).specPlots(dir, context),
  headline: (result) => `${String(result.manifest.num_samples)} samples, seed ${String(result.manifest.seed)}`,
});
export default contractScenario;
