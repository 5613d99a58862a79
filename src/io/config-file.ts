/**
 * Reads a YAML or JSON config file (JSON is YAML) and says which line each key path is on, so a
 * bad value is reported as `examples/naics.yaml:4 (at branching[2])`.
 */
import * as fs from "node:fs";
import { isMap, isSeq, LineCounter, type Node, parseDocument, type Scalar } from "yaml";
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
    throw new InputError("bad_config_file", `YAML syntax error: ${first.message.split("\n")[0]}`, {
      location: { file, line: lineCounter.linePos(first.pos[0]).line },
      hint: "fix the syntax at that line (indentation, a missing colon or quote)",
    });
  }
  if (doc.contents === null) return { file, value: {}, locate: (path) => ({ file, path }) };
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError("bad_config_file", "a config file must be a mapping of keys to values", {
      location: { file, line: 1 },
      hint: "write `key: value` lines, e.g. `rows: 1000`",
    });
  }
  const locate: Locator = (path) => {
    // Walk down as far as the document goes; the deepest node found gives the line. Parsed nodes
    // always carry a range.
    let node = doc.contents as Node;
    let offset = (node.range as [number, number, number])[0];
    for (const key of path) {
      const pair = isMap(node) ? node.items.find((p) => (p.key as Scalar).value === key) : undefined;
      const next = pair
        ? (pair.value as Node | null)
        : isSeq(node) && typeof key === "number"
          ? (node.items[key] as Node | undefined)
          : undefined;
      if (pair) offset = ((pair.key as Node).range as [number, number, number])[0];
      if (!next) break;
      node = next;
      offset = (node.range as [number, number, number])[0];
    }
    return { file, path, line: lineCounter.linePos(offset).line };
  };
  return { file, value: value as Record<string, unknown>, locate };
}
