/** Reading a spec file: parse, check, and resolve its `code:` path against the spec's folder. */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { readConfigFile } from "../../io/config-file.js";
import { type Contract, contractSchema } from "./contract-schema.js";

const CODE_HINT = "code: names the generator's JavaScript file, relative to the spec file";

/** What a path is when it is not a regular file ("a folder", "a FIFO (named pipe)", ...), or null when it is one. */
function notAFile(st: fs.Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  return "a socket or a device";
}

/**
 * Reads and checks a spec file (YAML or JSON). A `code:` path is taken relative to the spec file
 * and returned absolute.
 *
 * @throws ConfigError listing every problem with its line; InputError `bad_config_file` /
 *   `not_a_file` when the spec file cannot be read (see readConfigFile), `missing_code` when the
 *   code file does not exist and `not_a_file` when it is a folder, FIFO or device, at the key path
 *   `code`.
 * @example loadContractFile("examples/linear-code.yaml").code // "/abs/path/examples/linear_generator.js"
 */
export function loadContractFile(file: string): Contract {
  const source = readConfigFile(file, { what: "spec file", flag: "<file>" });
  const spec = checkConfig(contractSchema, source.value, source.locate, "spec");
  if (spec.code === undefined) return spec;
  const code = path.resolve(path.dirname(file), spec.code);
  let st: fs.Stats;
  try {
    st = fs.statSync(code);
  } catch (cause) {
    throw new InputError("missing_code", `code: ${spec.code} does not exist (looked for ${code})`, {
      location: source.locate(["code"]),
      hint: "the generator's path is relative to the spec file",
      cause,
    });
  }
  const kind = notAFile(st);
  if (kind !== null)
    throw new InputError("not_a_file", `code: ${spec.code} is ${kind}, not a file (looked for ${code})`, {
      location: source.locate(["code"]),
      hint: CODE_HINT,
    });
  return { ...spec, code };
}
