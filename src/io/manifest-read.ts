/**
 * Checks on a manifest read back from a run's folder, before its config or files are trusted.
 * Pure: the caller reads the file (see read-file.ts) and hands the object here.
 */
import * as path from "node:path";
import { InputError } from "../core/errors.js";

/** The `generator` every synthproof manifest carries for a scenario: `synthproof/<scenario>`. */
export function generatorName(scenario: string): string {
  return `synthproof/${scenario}`;
}

/** "an entities folder", "a naics folder". */
function folderOf(scenario: string): string {
  return `${/^[aeiou]/i.test(scenario) ? "an" : "a"} ${scenario} folder`;
}

/**
 * Throws unless `manifest` (read from `file`) was written by `scenario`'s generator. Another
 * scenario's folder is named with the command that verifies it, so `verify naics` on an entities
 * folder says what to run instead of failing on a config it cannot read.
 *
 * @throws InputError `wrong_scenario` when `manifest.generator` is not `synthproof/<scenario>`.
 * @example expectGenerator(readJsonObject("out/x/manifest.json"), "naics", "out/x/manifest.json")
 */
export function expectGenerator(manifest: Record<string, unknown>, scenario: string, file: string): void {
  const generator = manifest.generator;
  if (generator === generatorName(scenario)) return;
  const dir = path.dirname(file);
  const other = typeof generator === "string" && generator.startsWith("synthproof/") ? generator.slice("synthproof/".length) : null;
  if (other !== null && other !== "") {
    throw new InputError(
      "wrong_scenario",
      `${file} was written by ${generator}: this is ${folderOf(other)}: run synthproof verify ${other} ${dir}`,
      {
        location: { file, path: ["generator"] },
        hint: `synthproof verify ${scenario} reads only folders written by synthproof generate ${scenario}`,
      },
    );
  }
  throw new InputError(
    "wrong_scenario",
    `${file} is not a synthproof manifest of ${scenario}: its generator is ${JSON.stringify(generator) ?? "missing"}, not "${generatorName(scenario)}"`,
    {
      location: { file, path: ["generator"] },
      hint: `pass a folder written by synthproof generate ${scenario} --out DIR`,
    },
  );
}
