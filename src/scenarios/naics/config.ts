/**
 * The NAICS scenario's config: its zod schema (the single source of its JSON Schema, defaults
 * and error messages) and the resolved type the generator works with.
 */
import { z } from "zod";

/** Largest row count accepted; beyond it a run is almost surely a typo (and shards exist). */
export const MAX_ROWS = 1e12;
/** Largest tree accepted, in leaves: every leaf's line is pre-encoded in memory. */
export const MAX_LEAVES = 2_000_000;
/** Codes stay exact JS integers and readable: 2 digits for the top level, one more per level. */
export const MAX_DEPTH = 12;

const positiveProbability = z.number().gt(0, "a probability must be greater than 0").lt(1, "a probability must be less than 1");

/** Zod schema of the NAICS config. Unknown keys are rejected. */
export const naicsConfigSchema = z
  .strictObject({
    rows: z
      .number()
      .int("rows must be a whole number")
      .min(0, "rows cannot be negative")
      .max(MAX_ROWS, `rows must be at most ${MAX_ROWS} (use --shard K/N to split a bigger job)`)
      .default(1_000_000)
      .describe("Number of rows to generate."),
    seed: z
      .number()
      .int("seed must be a whole number")
      .min(0, "seed cannot be negative")
      .max(Number.MAX_SAFE_INTEGER)
      .default(42)
      .describe("Seed of every random stream; recorded in every output."),
    branching: z
      .array(z.number().int("a branching factor must be a whole number"))
      .min(1, "branching needs at least one level")
      .max(MAX_DEPTH, `branching has at most ${MAX_DEPTH} levels`)
      .default([10, 5, 4, 3, 3])
      .describe("Children per node at each level; the first entry is the number of top-level codes (1..90)."),
    root_probabilities: z
      .array(positiveProbability)
      .optional()
      .describe("Probability of each top-level code; default 0.05, 0.15, ..., 0.95 for 10 roots, else (i + 0.5) / k."),
    preserve: z
      .enum(["logit", "probability"])
      .default("logit")
      .describe("Which mean the last child's noise preserves exactly: the parent's logit or its probability."),
    allocation: z
      .enum(["uniform", "balanced"])
      .default("uniform")
      .describe("uniform: each row picks a leaf independently; balanced: per-leaf counts differ by at most one."),
    target: z
      .enum(["bernoulli", "exact"])
      .default("bernoulli")
      .describe("bernoulli: target ~ Bernoulli(p_leaf); exact: each leaf has round(n_leaf * p_leaf) ones."),
    format: z.enum(["csv", "parquet"]).default("csv").describe("Output format of the rows."),
    alpha: z.number().gt(0).max(0.5).default(0.001).describe("Family-wise false-failure rate of each statistical check in the report."),
  })
  .superRefine((cfg, ctx) => {
    cfg.branching.forEach((k, i) => {
      const max = i === 0 ? 90 : 9;
      if (k < 1 || k > max) {
        ctx.addIssue({
          code: "custom",
          path: ["branching", i],
          message:
            i === 0
              ? `branching[0] is ${k}, but top-level codes are 10..99, so 1 to 90 of them fit`
              : `branching[${i}] is ${k}, but a child code adds one digit 1..9, so 1 to 9 children fit under a parent`,
        });
      }
    });
    const leaves = cfg.branching.reduce((a, b) => a * b, 1);
    if (leaves > MAX_LEAVES) {
      ctx.addIssue({
        code: "custom",
        path: ["branching"],
        message: `branching ${cfg.branching.join(",")} makes ${leaves} leaves; at most ${MAX_LEAVES} are supported`,
      });
    }
    const roots = cfg.root_probabilities;
    if (roots !== undefined && roots.length !== cfg.branching[0]) {
      ctx.addIssue({
        code: "custom",
        path: ["root_probabilities"],
        message: `root_probabilities has ${roots.length} values but branching[0] makes ${cfg.branching[0]} top-level codes; give one per code`,
      });
    }
  });

/** A config as a user may write it (every key optional). */
export type NaicsConfigInput = z.input<typeof naicsConfigSchema>;
/** A checked config with every default filled. */
export type NaicsConfig = z.output<typeof naicsConfigSchema>;

export { defaultRootProbabilities, rootProbabilities } from "./roots.js";
