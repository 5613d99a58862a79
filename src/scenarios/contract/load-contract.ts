/** Reading a spec file: parse, check, and resolve its `code:` path against the spec's folder. */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { readConfigFile } from "../../io/config-file.js";
import { type Contract, contractSchema } from "./contract-schema.js";

/**
 * Reads and checks a spec file (YAML or JSON). A `code:` path is taken relative to the spec file
 * and returned absolute.
 *
 * @throws ConfigError listing every problem with its line; InputError when the code file is missing.
 * @example loadContractFile("examples/linear-code.yaml").code // "/abs/path/examples/linear_generator.js"
 */
export function loadContractFile(file: string): Contract {
  const source = readConfigFile(file);
  const spec = checkConfig(contractSchema, source.value, source.locate, "spec");
  if (spec.code === undefined) return spec;
  const code = path.resolve(path.dirname(file), spec.code);
  if (!fs.existsSync(code))
    throw new InputError("missing_code", `code: ${spec.code} does not exist (looked for ${code})`, {
      location: source.locate(["code"]),
      hint: "the generator's path is relative to the spec file",
    });
  return { ...spec, code };
}
