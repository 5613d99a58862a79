/**
 * CLI flags derived from a scenario's zod schema, through its JSON Schema (zod's own public
 * conversion): one flag per top-level key of a scalar or list type, named after the key in
 * kebab-case, described by the key's `.describe()` with its default and choices. The schema is the
 * single source of truth for the flags, `synthproof schema` and `--help`.
 */
import { z } from "../../core/stdlib/zod.js";
import type { ScenarioFlag } from "../scenario.js";

interface JsonSchemaNode {
  readonly type?: string | readonly string[] | undefined;
  readonly description?: string | undefined;
  readonly default?: unknown | undefined;
  readonly enum?: readonly unknown[] | undefined;
  readonly items?: JsonSchemaNode | undefined;
  readonly anyOf?: readonly JsonSchemaNode[] | undefined;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>> | undefined;
}

// zod's conversion of a large schema costs tens of ms (50 ms for usage's, --cpu-prof); flags of
// top-level and nested keys read it once (readers never change it).
const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The JSON Schema of a config as users write it (defaults shown, unrepresentable parts left open). */
export function configJsonSchema(schema: z.ZodType): Record<string, unknown> {
  let json = jsonSchemas.get(schema);
  if (json === undefined) {
    json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    jsonSchemas.set(schema, json);
  }
  return json;
}

/** The first of `anyOf` alternatives that has a type (an optional key's schema may be wrapped). */
function typed(node: JsonSchemaNode): JsonSchemaNode {
  if (node.type !== undefined || node.enum !== undefined) return node;
  const alt = node.anyOf?.find((a) => a.type !== undefined && a.type !== "null");
  return alt ? { ...alt, description: node.description ?? alt.description, default: node.default ?? alt.default } : node;
}

function parseOf(node: JsonSchemaNode): ScenarioFlag["parse"] | null {
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
  if (node.enum?.every((v) => typeof v === "string")) return "string";
  switch (type) {
    case "integer":
      return "int";
    case "number":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "array": {
      const item = node.items ? parseOf(typed(node.items)) : null;
      return item === "int" ? "int-list" : item === "number" ? "number-list" : null;
    }
    default:
      return null;
  }
}

function describe(node: JsonSchemaNode, parse: ScenarioFlag["parse"]): string {
  const text = (node.description ?? "").replace(/\.$/, "");
  const parts = [text];
  if (node.enum !== undefined) parts.push(`one of: ${node.enum.join(", ")}`);
  if (node.default !== undefined && parse !== "boolean") {
    const d = Array.isArray(node.default) ? node.default.join(",") : String(node.default);
    parts.push(`default ${d}`);
  }
  const [head, ...rest] = parts.filter((p) => p !== "");
  return rest.length === 0 ? (head ?? "") : `${head ?? ""} (${rest.join("; ")})`;
}

/**
 * The flags of a config schema: every top-level key whose type a flag can carry (numbers, strings,
 * booleans, lists of numbers); nested objects are for config files only.
 *
 * @example flagsOf(naicsConfigSchema)[0] // { flag: "rows", key: "rows", parse: "int", description: "rows to generate (default 1000000)" }
 */
export function flagsOf(schema: z.ZodType): ScenarioFlag[] {
  const json = configJsonSchema(schema) as JsonSchemaNode;
  const flags: ScenarioFlag[] = [];
  for (const [key, raw] of Object.entries(json.properties ?? {})) {
    const node = typed(raw);
    const parse = parseOf(node);
    if (parse === null) continue;
    flags.push({
      flag: key.replace(/_/g, "-"),
      key,
      parse,
      description: describe({ ...node, description: raw.description ?? node.description }, parse),
      ...(node.enum !== undefined && parse === "string" ? { choices: node.enum.map(String) } : {}),
    });
  }
  return flags;
}

/**
 * The flag `flag` setting the nested key `path` of a config schema (its type, help line and
 * default from the key's JSON Schema node).
 *
 * @throws Error when the path names no key of a type a flag can carry (a scenario's own mistake).
 * @example nestedFlag(usageConfigSchema, "accounts", ["accounts", "n_accounts"]).parse // "int"
 */
export function nestedFlag(schema: z.ZodType, flag: string, path: readonly string[]): ScenarioFlag {
  let node: JsonSchemaNode | undefined = configJsonSchema(schema) as JsonSchemaNode;
  let raw: JsonSchemaNode | undefined = node;
  for (const key of path) {
    raw = typed(node ?? {}).properties?.[key];
    node = raw === undefined ? undefined : typed(raw);
  }
  const parse = node ? parseOf(node) : null;
  if (!node || !raw || parse === null) throw new Error(`nested flag --${flag}: ${path.join(".")} is not a key a flag can set`);
  return {
    flag,
    key: path[0] as string,
    path: [...path],
    parse,
    description: describe({ ...node, description: `${raw.description ?? node.description ?? ""} (${path.join(".")})` }, parse),
    ...(node.enum !== undefined && parse === "string" ? { choices: node.enum.map(String) } : {}),
  };
}
