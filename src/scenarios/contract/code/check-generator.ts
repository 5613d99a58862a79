/**
 * Everything `spec check` says about a code generator, as data and without printing: the
 * problems its source has against its contract, and how each key of the contract is handled.
 */
import { readFileText } from "../../../io/read-file.js";
import { checkSource } from "./check-source.js";
import type { CodeContract, CodeProblem } from "./code-contract.js";
import { contractEnforcement, type Enforcement } from "./enforcement.js";

/** What {@link checkGenerator} found. */
export interface GeneratorCheck {
  /** The source's problems, in source order; empty when it may run. */
  readonly problems: readonly CodeProblem[];
  /** Every key of the contract and how it is handled ({@link contractEnforcement}). */
  readonly enforcement: readonly Enforcement[];
}

/**
 * Checks a generator's source against its contract (without running it) and lists how the
 * contract is enforced. Never throws.
 *
 * @example
 * const { problems, enforcement } = checkGenerator(source, spec.code_contract);
 * if (problems.length > 0) process.exitCode = 2;
 */
export function checkGenerator(source: string, contract: CodeContract): GeneratorCheck {
  return { problems: checkSource(source, contract), enforcement: contractEnforcement(contract) };
}

/**
 * {@link checkGenerator} on the generator file a spec names (`spec.code`, already resolved by
 * `loadContractFile`).
 *
 * @throws InputError (`missing_code`) when the file cannot be read, or is a folder, FIFO or device.
 * @example checkGeneratorFile(spec.code, spec.code_contract).problems
 */
export function checkGeneratorFile(file: string, contract: CodeContract): GeneratorCheck {
  const source = readFileText(file, {
    what: "generator",
    code: "missing_code",
    hint: "code: names the generator's JavaScript file, relative to the spec file",
  });
  return checkGenerator(source, contract);
}
