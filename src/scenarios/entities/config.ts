/**
 * The entities scenario's config: volumes, rates, PII mode and locale, checked once by zod.
 * Ranges follow what record-matching users plant in practice: 5-15% within-source duplicates and
 * 30-60% cross-source overlap; the gates check the realised figures against the same ranges.
 *
 * Every key's `.describe(...)` is its command-line help line and its `.default(...)` the value it
 * takes when not given, so the JSON Schema (`synthproof schema entities`) carries the types,
 * ranges, enums, descriptions and defaults the CLI flags are derived from.
 */
import { z } from "../../core/stdlib/zod.js";
import { OPERATORS } from "./corrupt/index.js";
import { CONFUSER_KINDS, DIFFICULTIES, SECOND_CONTACTS, USAGE_KEYS } from "./presets.js";
import { SOURCES } from "./schema-file.js";

/** Where `--dev` sets every source. */
export const DEV_RECORDS = 1000;
/** Largest source accepted: records, pairs and features are held in memory. */
export const MAX_RECORDS = 2_000_000;
/** Fewest records a source may have. */
export const MIN_RECORDS = 10;

const count = (key: string, what: string, fallback: number) =>
  z
    .number()
    .int(`${key} must be a whole number`)
    .min(MIN_RECORDS, `${key} must be at least ${MIN_RECORDS}`)
    .max(MAX_RECORDS, `${key} must be at most ${MAX_RECORDS}`)
    .default(fallback)
    .describe(`${what} records, duplicates included`);

const rate = (what: string) => z.number().min(0, `${what} is a share: at least 0`).max(1, `${what} is a share: at most 1`);
const rateTable = (keys: readonly string[], what: string) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, rate(`${what}.${k}`).optional()])) as Record<string, z.ZodOptional<z.ZodNumber>>);

/** Zod schema of the entities config. Unknown keys are rejected. */
export const entitiesConfigSchema = z.strictObject({
  schema: z.string().min(1).optional().describe("source-schema JSON file (default: the bundled examples/automotive_schemas.json)"),
  n_leads: count("n_leads", "lead", 30_000),
  n_sales: count("n_sales", "sales", 3000),
  n_financial: count("n_financial", "financial", 2100),
  dup_rate: z
    .number()
    .min(0.05, "dup_rate must be at least 0.05 (5% of a source's records are planted duplicates)")
    .max(0.15, "dup_rate must be at most 0.15")
    .default(0.1)
    .describe("share of each source's records that are corrupted copies of another of its records"),
  overlap: z
    .number()
    .min(0.3, "overlap must be at least 0.3")
    .max(0.6, "overlap must be at most 0.6")
    .default(0.4)
    .describe("share of a smaller source's entities also in a larger one"),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(42).describe("seed of every random stream"),
  pii: z.enum(["plain", "hashed"]).default("plain").describe("PII as written: plain, or hashed as sha256(salt + value)"),
  salt: z.string().min(1).optional().describe("salt of --pii hashed (required then; keep it private)"),
  locale: z.enum(["US", "CA", "US+CA"]).default("US").describe("countries of the entities (US+CA: 70% US, 30% CA)"),
  dev: z.boolean().default(false).describe(`${DEV_RECORDS} records in every source, pair-count gates relaxed`),
  negative_ratio: z.number().min(3).max(5).default(4).describe("negatives per positive pair"),
  reference_date: z.iso
    .date("reference_date is a calendar date YYYY-MM-DD")
    .default("2026-01-01")
    .describe("dates (created_at, order_date, invoice_date) fall in the two years before this day"),
  corruption: z
    .record(z.string(), z.number().min(0).max(1))
    .superRefine((rates, ctx) => {
      for (const op of Object.keys(rates))
        if (!(OPERATORS as readonly string[]).includes(op))
          ctx.addIssue({ code: "custom", path: [op], message: `corruption.${op}: no such operator (operators: ${OPERATORS.join(", ")})` });
    })
    // The keys are checked above (with a message naming the operators); the JSON Schema says so too.
    .meta({ propertyNames: { type: "string", enum: [...OPERATORS] } })
    .default({})
    .describe("per-operator corruption rates, e.g. {typo: 0.1, blank: 0}"),
  difficulty: z
    .enum(DIFFICULTIES)
    .default("realistic")
    .describe("preset of the confuser, contact-point and name-noise rates (each rate is also a key)"),
  confusers: rateTable(CONFUSER_KINDS, "confusers")
    .refine((r) => Object.values(r).reduce((a: number, v) => a + (v ?? 0), 0) <= 1, {
      message: "confusers: the rates add up to more than 1 (each is a share of all entities)",
    })
    .optional()
    .describe("share of entities planted as each confuser kind, e.g. {household: 0.05}; default: preset"),
  second_contacts: rateTable(SECOND_CONTACTS, "second_contacts")
    .optional()
    .describe("share of entities with each second contact point, e.g. {work_email: 0.5}; default: preset"),
  contact_usage: z
    .strictObject(Object.fromEntries(SOURCES.map((s) => [s, rateTable(USAGE_KEYS, `contact_usage.${s}`).optional()])))
    .optional()
    .describe("per source, the use rate of each second contact point, and work_card; default: preset"),
  contact_change: rate("contact_change")
    .optional()
    .describe("share of entities giving other records none of their first email and phone; default: preset"),
  hard_negative_focus: rate("hard_negative_focus")
    .optional()
    .describe("share of each hard kind's negatives taken as its most alike candidates; default: preset"),
});

export type EntitiesConfig = z.output<typeof entitiesConfigSchema>;
export type EntitiesConfigInput = z.input<typeof entitiesConfigSchema>;
