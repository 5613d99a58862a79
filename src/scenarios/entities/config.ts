/**
 * The entities scenario's config: volumes, rates, PII mode and locale, checked once by zod.
 * Ranges follow what record-matching users plant in practice: 5-15% within-source duplicates and
 * 30-60% cross-source overlap; the gates check the realised figures against the same ranges.
 */
import { z } from "zod";
import { OPERATORS } from "./corrupt/index.js";

/** Where `--dev` sets every source. */
export const DEV_RECORDS = 1000;
/** Largest source accepted: records, pairs and features are held in memory. */
export const MAX_RECORDS = 2_000_000;

const count = (what: string, fallback: number) =>
  z
    .number()
    .int(`${what} must be a whole number`)
    .min(10, `${what} must be at least 10`)
    .max(MAX_RECORDS, `${what} must be at most ${MAX_RECORDS}`)
    .default(fallback)
    .describe(`Records in the ${what.replace("n_", "")} source, duplicates included.`);

/** Zod schema of the entities config. Unknown keys are rejected. */
export const entitiesConfigSchema = z.strictObject({
  schema: z
    .string()
    .min(1)
    .optional()
    .describe("Path of the source-schema JSON file (default: the bundled examples/automotive_schemas.json)."),
  n_leads: count("n_leads", 30_000),
  n_sales: count("n_sales", 3000),
  n_financial: count("n_financial", 2100),
  dup_rate: z
    .number()
    .min(0.05, "dup_rate must be at least 0.05 (5% of a source's records are planted duplicates)")
    .max(0.15, "dup_rate must be at most 0.15")
    .default(0.1)
    .describe("Share of each source's records that are corrupted copies of another record of the same entity."),
  overlap: z
    .number()
    .min(0.3, "overlap must be at least 0.3")
    .max(0.6, "overlap must be at most 0.6")
    .default(0.4)
    .describe("Share of the entities of each smaller source (all but the largest) that also appear in a larger one."),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(42).describe("Seed of every random stream."),
  pii: z.enum(["plain", "hashed"]).default("plain").describe("hashed: PII values become sha256(salt + value), equal values stay equal."),
  salt: z.string().min(1).optional().describe("Salt for --pii hashed (required then)."),
  locale: z.enum(["US", "CA", "US+CA"]).default("US").describe("Countries of the entities; US+CA gives 70% US, 30% CA."),
  dev: z.boolean().default(false).describe(`Small run: ${DEV_RECORDS} records in every source, pair-count gates relaxed.`),
  negative_ratio: z.number().min(3).max(5).default(4).describe("Negatives per positive pair (1:3 to 1:5)."),
  reference_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "reference_date is YYYY-MM-DD")
    .default("2026-01-01")
    .describe("Dates (created_at, order_date, invoice_date) fall in the two years before this day."),
  corruption: z
    .record(z.string(), z.number().min(0).max(1))
    .default({})
    .superRefine((rates, ctx) => {
      for (const op of Object.keys(rates))
        if (!(OPERATORS as readonly string[]).includes(op))
          ctx.addIssue({ code: "custom", path: [op], message: `corruption.${op}: no such operator (operators: ${OPERATORS.join(", ")})` });
    })
    .describe(`Per-operator probability overrides, e.g. {typo: 0.1, blank: 0}. Operators: ${OPERATORS.join(", ")}.`),
});

export type EntitiesConfig = z.output<typeof entitiesConfigSchema>;
export type EntitiesConfigInput = z.input<typeof entitiesConfigSchema>;
