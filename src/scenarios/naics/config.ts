/**
 * The NAICS scenario's config: its zod schema (the single source of its JSON Schema, defaults,
 * CLI help lines and error messages) and the resolved type the generator works with.
 */
import { formatPath } from "../../core/errors.js";
import { z } from "../../core/stdlib/zod.js";
import { seedKey } from "../kit/config-keys.js";
import { MIN_ROOT_PROBABILITY, significantBits } from "./roots.js";

/** Largest row count accepted; beyond it a run is almost surely a typo (and shards exist). */
export const MAX_ROWS = 1e12;
/** Largest tree accepted, in leaves: every leaf's line is pre-encoded in memory. */
export const MAX_LEAVES = 2_000_000;
/** Codes stay exact JS integers and readable: 2 digits for the top level, one more per level. */
export const MAX_DEPTH = 12;
/** Top-level codes are the two-digit numbers 10..99. */
export const MAX_ROOTS = 90;
/** A child code adds one digit 1..9 to its parent's. */
export const MAX_CHILDREN = 9;

/** What zod hands an error function: the value and its full key path (known when messages are made). */
interface IssueInput {
  readonly input?: unknown;
  readonly path?: readonly PropertyKey[] | undefined;
}

/** `branching[2] is 12`: the key path and the value, as messages start. */
function named(iss: IssueInput): string {
  return `${formatPath(iss.path ?? [])} is ${JSON.stringify(iss.input)}`;
}

const topLevelCount = z
  .number({ error: (iss) => (iss.input === undefined ? "branching needs at least one level (the top-level codes)" : undefined) })
  .int({ error: (iss) => `${named(iss)}, but a branching factor is a whole number` })
  .min(1, { error: (iss) => `${named(iss)}, but top-level codes are 10..99, so 1 to ${MAX_ROOTS} of them fit` })
  .max(MAX_ROOTS, { error: (iss) => `${named(iss)}, but top-level codes are 10..99, so 1 to ${MAX_ROOTS} of them fit` });

const childCount = z
  .number()
  .int({ error: (iss) => `${named(iss)}, but a branching factor is a whole number` })
  .min(1, { error: (iss) => `${named(iss)}, but a child code adds one digit 1..9, so 1 to ${MAX_CHILDREN} children fit under a parent` })
  .max(MAX_CHILDREN, {
    error: (iss) => `${named(iss)}, but a child code adds one digit 1..9, so 1 to ${MAX_CHILDREN} children fit under a parent`,
  });

/** A configured top-level probability: a normal double below 1 (see {@link MIN_ROOT_PROBABILITY}). */
const rootProbability = z
  .number()
  .min(MIN_ROOT_PROBABILITY, {
    error: (iss) => {
      const p = iss.input as number;
      if (!(p > 0)) return "a probability must be greater than 0";
      return (
        `${named(iss)}, a subnormal double, which rounds to 0 wherever subnormals flush to zero: below ${MIN_ROOT_PROBABILITY} ` +
        `a double keeps fewer than 53 significant bits (this one ${significantBits(p)}), too few for a logit and its probability ` +
        `to agree to the truth file's 1e-9; give at least ${MIN_ROOT_PROBABILITY}`
      );
    },
  })
  .lt(1, "a probability must be less than 1");

/** Zod schema of the NAICS config. Unknown keys are rejected. */
export const naicsConfigSchema = z
  .strictObject({
    rows: z
      .number()
      .int("rows must be a whole number")
      .min(0, "rows cannot be negative")
      .max(MAX_ROWS, `rows must be at most ${MAX_ROWS} (use --shard K/N to split a bigger job)`)
      .default(1_000_000)
      .describe("rows to generate"),
    seed: seedKey(),
    branching: z
      .tuple([topLevelCount], childCount, { error: "branching is a list of whole numbers, e.g. [10, 5, 4, 3, 3]" })
      .check(z.maxLength(MAX_DEPTH, `branching has at most ${MAX_DEPTH} levels`))
      .default([10, 5, 4, 3, 3])
      .describe("codes per level, top first: 1..90 top-level codes, then 1..9 children per code, e.g. 10,5,4,3,3"),
    root_probabilities: z
      .array(rootProbability)
      .min(1, "root_probabilities needs one probability per top-level code")
      .max(MAX_ROOTS, `root_probabilities has at most ${MAX_ROOTS} values (one per top-level code)`)
      .optional()
      .describe("probability of each top-level code (default (i + 0.5) / k: 0.05, 0.15, ..., 0.95 for 10 codes)"),
    preserve: z
      .enum(["logit", "probability"])
      .default("logit")
      .describe("logit | probability: the space in which each parent's children average exactly to the parent"),
    allocation: z
      .enum(["uniform", "balanced"])
      .default("uniform")
      .describe("uniform | balanced: each row picks a leaf independently, or per-leaf row counts differ by at most one"),
    target: z
      .enum(["bernoulli", "exact"])
      .default("bernoulli")
      .describe("bernoulli | exact: target ~ Bernoulli(p_leaf), or each leaf has exactly round(n_leaf * p_leaf) ones"),
    format: z.enum(["csv", "parquet"]).default("csv").describe("csv | parquet: format of the row file"),
    alpha: z
      .number()
      .gt(0, "alpha must be greater than 0")
      .max(0.5, "alpha must be at most 0.5")
      .default(0.001)
      .describe("family-wise false-failure rate of each statistical check in the report"),
  })
  .superRefine((cfg, ctx) => {
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

export { defaultRootProbabilities, MIN_ROOT_PROBABILITY, rootProbabilities } from "./roots.js";
