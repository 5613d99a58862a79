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

/** A NAICS recipe: exactly a config input (snake_case keys), every key explicit but the roots. */
export interface NaicsRecipe {
  readonly seed: number;
  readonly rows: number;
  readonly branching: readonly number[];
  readonly root_probabilities?: readonly number[];
  readonly preserve: "logit" | "probability";
  readonly allocation: "uniform" | "balanced";
  readonly target: "bernoulli" | "exact";
  readonly format: "csv" | "parquet";
  readonly alpha: number;
}

/**
 * The alpha every generated recipe carries. Properties assert that the verifier PASSES what the
 * generator makes, and three checks are statistical (noise_scale KS, allocation chi-square,
 * target_rate binomial), so a 10,000-run sweep falsely fails with probability at most about
 * 3 checks x 2 reports (generate and verify) x 1e-9 x 10,000 runs = 6e-5.
 */
export const RECIPE_ALPHA = 1e-9;

/** Largest top-level branching the arbitraries make (the schema allows 90). */
export const MAX_ROOTS = 20;

/** Seeds: small ones (readable counterexamples) and the whole safe-integer range. */
export const seedArb: fc.Arbitrary<number> = fc.oneof(fc.nat(1000), fc.maxSafeNat());

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

/** Options of {@link branchingArb}. */
export interface BranchingOptions {
  readonly minDepth?: number;
  readonly maxDepth?: number;
  readonly maxLeaves?: number;
}

/**
 * Branching factors: depth 1..6, first 1..20, the rest 1..9, at most 3,000 leaves (a level that
 * would pass the limit, and every level after it, is dropped; `minDepth` forces levels of 1 instead).
 */
export function branchingArb(options: BranchingOptions = {}): fc.Arbitrary<number[]> {
  const { minDepth = 1, maxDepth = 6, maxLeaves = 3000 } = options;
  return fc
    .tuple(
      fc.integer({ min: 1, max: MAX_ROOTS }),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: minDepth - 1, maxLength: maxDepth - 1 }),
    )
    .map(([k0, rest]) => {
      const out = [k0];
      let leaves = k0;
      for (const k of rest) {
        const kept = leaves * k <= maxLeaves ? k : 1;
        if (kept === 1 && k !== 1 && out.length >= minDepth) break;
        out.push(kept);
        leaves *= kept;
      }
      return out;
    });
}

/**
 * Branching for recipes that are written to files and verified: five times in six at most 300
 * leaves, else up to 3,000.
 */
export const fileBranchingArb: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 5, arbitrary: branchingArb({ maxLeaves: 300 }) },
  { weight: 1, arbitrary: branchingArb() },
);

/** A probability away from saturation. */
export const probabilityArb: fc.Arbitrary<number> = fc.double({ min: 0.02, max: 0.98, noNaN: true });

/** Overrides of the parts of {@link naicsRecipeArb}. */
export interface NaicsRecipeOptions {
  readonly seed?: fc.Arbitrary<number>;
  readonly rows?: fc.Arbitrary<number>;
  readonly branching?: fc.Arbitrary<number[]>;
  /** Whether to give root probabilities: sometimes (default), always or never. */
  readonly roots?: "sometimes" | "always" | "never";
  readonly preserve?: fc.Arbitrary<NaicsRecipe["preserve"]>;
  readonly allocation?: fc.Arbitrary<NaicsRecipe["allocation"]>;
  readonly target?: fc.Arbitrary<NaicsRecipe["target"]>;
  readonly format?: fc.Arbitrary<NaicsRecipe["format"]>;
}

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

/** A whole NAICS recipe; any part can be overridden (branching defaults to {@link fileBranchingArb}). */
export function naicsRecipeArb(options: NaicsRecipeOptions = {}): fc.Arbitrary<NaicsRecipe> {
  const rootsArb = fc.array(probabilityArb, { minLength: MAX_ROOTS, maxLength: MAX_ROOTS });
  const roots: fc.Arbitrary<number[] | null> =
    options.roots === "always" ? rootsArb : options.roots === "never" ? fc.constant(null) : fc.option(rootsArb, { freq: 3 });
  return fc
    .record({
      seed: options.seed ?? seedArb,
      rows: options.rows ?? rowsArb,
      branching: options.branching ?? fileBranchingArb,
      roots,
      preserve: options.preserve ?? preserveArb,
      allocation: options.allocation ?? allocationArb,
      target: options.target ?? targetArb,
      format: options.format ?? formatArb,
    })
    .map(({ roots: r, branching, ...rest }): NaicsRecipe => {
      const k0 = branching[0] ?? 1;
      return {
        ...rest,
        branching,
        ...(r !== null && k0 <= r.length ? { root_probabilities: r.slice(0, k0) } : {}),
        alpha: RECIPE_ALPHA,
      };
    });
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
