/**
 * Reads a YAML or JSON config file (JSON is YAML) and says which line each key path is on, so a
 * bad value is reported as `examples/naics.yaml:4 (at branching[2])`.
 */
import { isMap, isSeq, LineCounter, type Node, parseDocument, type Scalar } from "yaml";
import type { Locator } from "../core/config.js";
import { InputError } from "../core/errors.js";
import { type ReadContext, readFileText } from "./read-file.js";

export interface ConfigFile {
  readonly file: string;
  readonly value: Record<string, unknown>;
  readonly locate: Locator;
}

/** What a config file is and where its path came from, for the messages about it. */
export interface ConfigFileContext {
  /** What the file is: "spec file", "schema file" (default "config file"). */
  readonly what?: string;
  /** The flag or argument that named it: "<file>" (default "--config"). */
  readonly flag?: string;
  /**
   * How a file that cannot be read (missing, unreadable, a folder, a FIFO) is reported, when its
   * caller says more than the defaults: `bad_config_file`, {@link what} and a hint naming {@link flag}.
   */
  readonly unreadable?: ReadContext;
}

/**
 * yaml's `maxAliasCount` (its own default): how far the aliases (`*name`) of one document may
 * expand, counting an alias by the aliases inside what it repeats. An alias bomb (aliases of lists
 * of aliases) would otherwise grow to gigabytes from a few lines.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses a config file (YAML or JSON). `ctx` says what the file is and which flag or argument
 * named it, so a spec given as `spec check <file>` is not told to check a --config path.
 *
 * @throws InputError `bad_config_file` for a missing or unreadable file, a YAML syntax error (with
 *   its line), an alias before its anchor, aliases past {@link MAX_ALIAS_COUNT} (an alias bomb),
 *   or a document that is not a mapping;
 *   `not_a_file` for a folder, FIFO or device (refused before it is opened, so a FIFO cannot block).
 * @example readConfigFile("examples/linear.yaml", { what: "spec file", flag: "<file>" }).value.num_samples
 */
export function readConfigFile(file: string, ctx: ConfigFileContext = {}): ConfigFile {
  const what = ctx.what ?? "config file";
  const flag = ctx.flag ?? "--config";
  const hint = flag.startsWith("-") ? `check the ${flag} path` : `check the ${what} path (the ${flag} argument)`;
  const text = readFileText(file, { code: "bad_config_file", what, hint, ...ctx.unreadable });
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
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    // yaml throws, rather than reports, an alias bomb ("Excessive alias count indicates a resource
    // exhaustion attack") and an alias used before its anchor ("Unresolved alias").
    throw new InputError("bad_config_file", `${what} ${file}: ${(cause as Error).message}`, {
      location: { file },
      hint: `define each anchor (&name) before the aliases (*name) that repeat it, and keep aliases few: past yaml's maxAliasCount (${MAX_ALIAS_COUNT}) a file is refused as an alias bomb`,
      cause,
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError("bad_config_file", `a ${what} must be a mapping of keys to values`, {
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
