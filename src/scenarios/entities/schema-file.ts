/**
 * The source-schema file (`examples/automotive_schemas.json`): which sources exist and which
 * fields each has, every field filled by a named rule.
 *
 * ```json
 * {"format": "synthproof-entity-schemas/1",
 *  "sources": {"leads": {"fields": [{"name": "id", "rule": "id"}, {"name": "tier", "type": "string"}]}}}
 * ```
 *
 * A field's `rule` is one of {@link RULES}; without one, a field named like a rule uses it, and any
 * other field is synthesised from its `type` (string, int, float, date; default string) with a
 * warning. A source missing an identity field (id, email, phone, names, address, city, state, zip,
 * country) gets it added, with a warning. The three sources `leads`, `sales`, `financial` must
 * all be present: the config's volumes name them.
 */
import * as fs from "node:fs";
import { checkConfig, type Locator } from "../../core/config.js";
import { formatPath, InputError } from "../../core/errors.js";
import { z } from "../../core/stdlib/zod.js";
import { readConfigFile } from "../../io/config-file.js";

/** Rules the generator knows. Identity rules come from the entity; the rest from the record. */
export const RULES = [
  "id",
  "email",
  "phone",
  "first_name",
  "last_name",
  "company",
  "account",
  "address",
  "city",
  "state",
  "zip",
  "country",
  "lead_channel",
  "date",
  "order_id",
  "invoice_id",
  "money",
] as const;
export type Rule = (typeof RULES)[number];

/** Types a rule-less field may have. */
export const FIELD_TYPES = ["string", "int", "float", "date"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** The sources, largest first by default volumes. */
export const SOURCES = ["leads", "sales", "financial"] as const;
export type SourceName = (typeof SOURCES)[number];

/** Rules every source must have (address may be named billing_address). */
const IDENTITY_RULES: readonly Rule[] = ["id", "email", "phone", "first_name", "last_name", "address", "city", "state", "zip", "country"];

/** One field of a source, resolved: a rule, or a type to synthesise from. */
export interface SchemaField {
  readonly name: string;
  readonly rule: Rule | null;
  readonly type: FieldType;
}

export interface SourceSchema {
  readonly name: SourceName;
  readonly fields: readonly SchemaField[];
}

export interface EntitySchemas {
  readonly sources: readonly SourceSchema[];
  readonly warnings: readonly string[];
}

const fieldSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a field name is a letter or _ then letters, digits or _"),
  rule: z.enum(RULES).optional(),
  type: z.enum(FIELD_TYPES).optional(),
});

/** Zod schema of the file. */
export const schemaFileSchema = z.strictObject({
  format: z.literal("synthproof-entity-schemas/1").default("synthproof-entity-schemas/1"),
  description: z.string().optional(),
  sources: z.strictObject(
    Object.fromEntries(SOURCES.map((s) => [s, z.strictObject({ fields: z.array(fieldSchema).min(1) })])) as Record<
      SourceName,
      z.ZodObject<{ fields: z.ZodArray<typeof fieldSchema> }>
    >,
  ),
});

const RULE_TYPE: Record<Rule, FieldType> = {
  id: "string",
  email: "string",
  phone: "string",
  first_name: "string",
  last_name: "string",
  company: "string",
  account: "string",
  address: "string",
  city: "string",
  state: "string",
  zip: "string",
  country: "string",
  lead_channel: "string",
  date: "date",
  order_id: "string",
  invoice_id: "string",
  money: "float",
};

/**
 * Field names refused: `__proto__` is JavaScript's prototype accessor, so on a plain object
 * `obj["__proto__"] = value` sets nothing, and every cell of the field would read back as an
 * object. (Rows are made by `emptyRow()` and inherit nothing, so `constructor`, `toString` and
 * the like are plain keys there.)
 */
export const RESERVED_FIELD_NAMES: readonly string[] = ["__proto__"];

/**
 * Resolves a parsed schema file: rules, types, and the warnings for rule-less or missing fields.
 * `locate` gives the line of a key path in the file, for messages.
 *
 * @throws InputError `bad_entity_schema` when a field has a reserved name ({@link RESERVED_FIELD_NAMES}),
 *   two fields of a source share a name or fill the same identity rule.
 */
export function resolveSchemas(file: z.output<typeof schemaFileSchema>, where: string, locate: Locator): EntitySchemas {
  const warnings: string[] = [];
  const sources = SOURCES.map((name): SourceSchema => {
    const fields: SchemaField[] = [];
    const seen = new Set<string>();
    for (const [i, f] of file.sources[name].fields.entries()) {
      if (RESERVED_FIELD_NAMES.includes(f.name)) {
        const keyPath = ["sources", name, "fields", i, "name"];
        throw new InputError(
          "bad_entity_schema",
          `${where}: ${formatPath(keyPath)} is ${JSON.stringify(f.name)}, which cannot name a field`,
          {
            location: locate(keyPath),
            hint: `rename the field (say ${JSON.stringify(f.name.replace(/_/g, ""))}, with a "rule" if it should keep one): ${f.name} is JavaScript's prototype key, so its values would be lost`,
          },
        );
      }
      if (seen.has(f.name))
        throw new InputError("bad_entity_schema", `${where}: source ${name} names field ${JSON.stringify(f.name)} twice`, {
          location: { file: where, path: ["sources", name, "fields"] },
          hint: "give each field of a source a distinct name",
        });
      seen.add(f.name);
      const byName = (RULES as readonly string[]).includes(f.name) ? (f.name as Rule) : f.name === "billing_address" ? "address" : null;
      const rule = f.rule ?? byName;
      if (rule === null)
        warnings.push(
          `${name}.${f.name}: no generator rule for this field; synthesised as ${f.type ?? "string"} values (give it a "rule" from: ${RULES.join(", ")})`,
        );
      fields.push({ name: f.name, rule, type: rule === null ? (f.type ?? "string") : RULE_TYPE[rule] });
    }
    for (const rule of IDENTITY_RULES) {
      const holders = fields.filter((f) => f.rule === rule);
      if (holders.length > 1)
        throw new InputError(
          "bad_entity_schema",
          `${where}: source ${name} fills ${rule} from two fields (${holders.map((h) => h.name).join(", ")})`,
          { location: { file: where, path: ["sources", name, "fields"] }, hint: "an identity field appears once per source" },
        );
      if (holders.length === 0) {
        warnings.push(`${name}: the schema has no ${rule} field; added as "${rule}" (matching needs it)`);
        fields.push({ name: rule, rule, type: RULE_TYPE[rule] });
      }
    }
    return { name, fields };
  });
  return { sources, warnings };
}

/** The bundled schema, beside the package's dist/ folder. */
export const BUNDLED_SCHEMA = new URL("../../../examples/automotive_schemas.json", import.meta.url);

/**
 * Reads and resolves a schema file (the bundled one when `file` is undefined).
 *
 * @throws InputError `missing_entity_schema` for a schema file that is missing or unreadable (or
 *   `not_a_file`: a folder, a FIFO), `bad_config_file` for bad JSON/YAML, `bad_config` or
 *   `bad_entity_schema` for a schema problem, with its line.
 */
export function loadSchemas(file?: string): EntitySchemas {
  const where = file ?? BUNDLED_SCHEMA.pathname;
  if (file === undefined && !fs.existsSync(where))
    throw new InputError("missing_entity_schema", `the bundled schema ${where} is missing`, {
      hint: "pass --schema examples/automotive_schemas.json",
    });
  // A user's file that cannot be read (missing, a folder, a FIFO) is blamed on --schema.
  const source = readConfigFile(
    where,
    file === undefined
      ? {}
      : {
          unreadable: {
            what: "schema file",
            code: "missing_entity_schema",
            hint: "check the --schema path (or `schema:` in the config): a source-schema JSON like examples/automotive_schemas.json",
          },
        },
  );
  const parsed = checkConfig(schemaFileSchema, source.value, source.locate, "entities");
  return resolveSchemas(parsed, where, source.locate);
}
