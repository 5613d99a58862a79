/**
 * The spec engine as a scenario: a user's spec file (columns from distributions and
 * expressions, or a sandboxed code generator, plus validation requirements) becomes data, a
 * report and an experiment record. Users call it `spec`; inside it is the contract.
 */
import type { ScenarioDefinition } from "../scenario.js";
import { contractSchema } from "./contract-schema.js";
import { generateContract } from "./generate-contract.js";
import { verifyContract } from "./verify-contract.js";

export { type Contract, type ContractInput, contractSchema } from "./contract-schema.js";
export { type DeclaredColumn, declaredColumns, generateColumns } from "./generate-columns.js";
export {
  CONTRACT_GENERATOR,
  CONTRACT_GENERATOR_VERSION,
  contractHash,
  type GenerateContractOptions,
  generateContract,
} from "./generate-contract.js";
export { loadContractFile } from "./load-contract.js";
export { type ContractReport, publicReport } from "./public-report.js";
export { type DataFileContents, type ReadDataOptions, readDataFile } from "./read-data.js";
export { contractReport, requirementLabel } from "./requirement-checks.js";
export { experimentsIndex, runContract, writeSeedsSummary } from "./run-contract.js";
export { type ValidateOptions, validateDataFile, verifyContract } from "./verify-contract.js";

/** The spec scenario's definition, as the registry lists it. */
export const contractScenario: ScenarioDefinition<typeof contractSchema> = {
  name: "spec",
  summary: "data from a spec file: columns from distributions, expressions or sandboxed code, checked against its validation requirements",
  configSchema: contractSchema,
  // Derived from the schema by the lead's flag kit.
  flags: [],
  generate: (cfg, out, options = {}) => generateContract(cfg, out, options.onProgress ? { onProgress: options.onProgress } : {}),
  verify: (dir, options) => verifyContract(dir, options),
};
