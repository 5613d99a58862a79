/**
 * Reads a YAML or JSON config file (JSON is YAML) and says which line each key path is on, so a
 * bad value is reported as `examples/naics.yaml:4 (at branching[2])`.
 */
import * as fs from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { Locator } from "../core/config.js";
import { InputError } from "../core/errors.js";

export interface ConfigFile {
  readonly file: string;
  readonly value: Record<string, unknown>;
  readonly locate: Locator;
}

/**
 * Parses a config file.
 *
 * @throws InputError `bad_config_file` for a missing file, a YAML syntax error (with its line) or a
 *   document that is not a mapping.
 */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (cause) {
    throw new InputError("bad_config_file", `cannot read config file ${file}: ${(cause as Error).message}`, {
      hint: "check the --config path",
      cause,
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new InputError("bad_config_file", `YAML syntax error: ${first.message.split("\n")[0]}`, {
      location: { file, ...(line === undefined ? {} : { line }) },
      hint: "fix the syntax at that line (indentation, a missing colon or quote)",
    });
  }
  const value: unknown = doc.toJS() ?? {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError("bad_config_file", "a config file must be a mapping of keys to values", {
      location: { file, line: 1 },
      hint: "write `key: value` lines, e.g. `rows: 1000`",
    });
  }
  const locate: Locator = (path) => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (node as Node | null)?.range?.[0];
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
        if (!pair) break;
        offset = (pair.key as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
        offset = (node as Node | null)?.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof key === "number") {
        node = node.items[key];
        offset = (node as Node | null)?.range?.[0] ?? offset;
      } else break;
    }
    return { file, path, ...(offset === undefined ? {} : { line: lineCounter.linePos(offset).line }) };
  };
  return { file, value: value as Record<string, unknown>, locate };
}
