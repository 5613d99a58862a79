/**
 * Recipe arbitraries: small plain-JSON descriptions of a data set (seed, rows, branching, modes)
 * that the toolkit turns into data. Counterexamples stay tiny and readable, and a fixture means
 * the same thing after a fast-check upgrade.
 *
 * Sizes are chosen for speed: at most 3,000 leaves and 5,000 rows. Recipes that go through files
 * mostly get trees of at most 300 leaves ({@link fileBranchingArb}): the verifier's exact KS test
 * costs grow quickly with the number of noise draws, and a big probability-mode tree can take
 * half a second to check, where a small one takes milliseconds. Root probabilities stay in [0.02, 0.98]: the tree's logit noise grows with |logit|,
 * and nearer 0 or 1 a deep tree makes probability mode redraw ever more (see
 * {@link DOCUMENTED_TREE_FAILURES}); codes whose probability rounds to exactly 0 or 1 still occur, and are kept.
 */
import fc from "fast-check";
import { checkConfig } from "../src/core/config.js";
import { type NaicsConfig, naicsConfigSchema } from "../src/scenarios/naics/config.js";
import { BLOCK_ROWS } from "../src/scenarios/naics/sample.js";
import { branchingArb, type NaicsRecipe, type NaicsRecipeOptions, naicsRecipe } from "../src/sweep/recipes/naics.js";

// The recipe arbitrary and its building blocks live in the library (`synthproof/testing`), so
// these suites and users' sweeps share one; this module sets the sizes the suites test at.
export {
  type BranchingOptions,
  branchingArb,
  MAX_ROOTS,
  type NaicsRecipe,
  probabilityArb,
  seedArb,
} from "../src/sweep/recipes/naics.js";

/**
 * The alpha every generated recipe carries. Properties assert that the verifier PASSES what the
 * generator makes, and three checks are statistical (noise_scale KS, allocation chi-square,
 * target_rate binomial), so a 10,000-run sweep falsely fails with probability at most about
 * 3 checks x 2 reports (generate and verify) x 1e-9 x 10,000 runs = 6e-5.
 */
export const RECIPE_ALPHA = 1e-9;

/** Rows: 0 often, a few dozen often, up to 5,000. */
export const rowsArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.nat(60) },
  { weight: 3, arbitrary: fc.nat(5000) },
);

/** Rows that also cross the first block boundary ({@link BLOCK_ROWS}); for in-memory properties. */
export const manyRowsArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: rowsArb },
  { weight: 1, arbitrary: fc.integer({ min: BLOCK_ROWS - 40, max: 2 * BLOCK_ROWS + 40 }) },
);

/**
 * Branching for recipes that are written to files and verified: five times in six at most 300
 * leaves, else up to 3,000.
 */
export const fileBranchingArb: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 5, arbitrary: branchingArb({ maxLeaves: 300 }) },
  { weight: 1, arbitrary: branchingArb() },
);

/** Either space of mean preservation. */
export const preserveArb = fc.constantFrom<NaicsRecipe["preserve"]>("logit", "probability");
/** Either allocation of rows to leaves. */
export const allocationArb = fc.constantFrom<NaicsRecipe["allocation"]>("uniform", "balanced");
/** Either kind of target. */
export const targetArb = fc.constantFrom<NaicsRecipe["target"]>("bernoulli", "exact");
/** CSV mostly; Parquet one time in eight (it is slower to write and read). */
export const formatArb: fc.Arbitrary<NaicsRecipe["format"]> = fc.oneof(
  { weight: 7, arbitrary: fc.constant("csv" as const) },
  { weight: 1, arbitrary: fc.constant("parquet" as const) },
);

/** Overrides of the parts of {@link naicsRecipeArb}. */
export type { NaicsRecipeOptions };

/**
 * The library's NAICS recipe ({@link naicsRecipe}) at the suites' sizes: rows {@link rowsArb},
 * branching {@link fileBranchingArb}, CSV mostly, alpha {@link RECIPE_ALPHA}; any part overridden.
 */
export function naicsRecipeArb(options: NaicsRecipeOptions = {}): fc.Arbitrary<NaicsRecipe> {
  return naicsRecipe({ rows: rowsArb, branching: fileBranchingArb, format: formatArb, alpha: RECIPE_ALPHA, ...options });
}

/** The checked config of a recipe, defaults filled (throws InputError for an invalid recipe). */
export function toConfig(recipe: NaicsRecipe): NaicsConfig {
  return checkConfig(naicsConfigSchema, recipe);
}

/**
 * Error codes with which building a valid tree may refuse, by design and with a hint: (probability
 * mode) a parent with no feasible draw. A probability that rounds to 0 or 1 is not a refusal.
 */
export const DOCUMENTED_TREE_FAILURES: ReadonlySet<string> = new Set(["preserve_probability_infeasible"]);
