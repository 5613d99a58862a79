/**
 * NAICS recipes: the keys a sweep can vary and the recipe arbitrary the project's property suites
 * and users share. Shrink order: fewer rows, a shallower and narrower tree, the default modes,
 * seed 0 last.
 */
import fc from "fast-check";
import { InputError } from "../../core/errors.js";
import { MAX_DEPTH, MAX_ROWS } from "../../scenarios/naics/config.js";
import { composeRecipe, type RecipePart } from "../compose.js";
import { choiceKey, intKey, numberKey, type RecipeKey, type RecipeSpace, seedKey } from "../keys.js";

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

/** Largest top-level branching the arbitraries make (the schema allows 90). */
export const MAX_ROOTS = 20;

/** Leaves of the trees a bare `--vary branching` makes: a tree of 3,000 leaves builds in milliseconds. */
export const SWEEP_MAX_LEAVES = 3000;

/** Seeds: small ones (readable counterexamples) and the whole safe-integer range; shrinks to 0. */
export const seedArb: fc.Arbitrary<number> = fc.oneof(fc.nat(1000), fc.maxSafeNat());

/** Options of {@link branchingArb}. */
export interface BranchingOptions {
  readonly minDepth?: number;
  readonly maxDepth?: number;
  readonly maxLeaves?: number;
}

/**
 * Branching factors: depth 1..6, first 1..20, the rest 1..9, at most 3,000 leaves (a level that
 * would pass the limit, and every level after it, is dropped; `minDepth` forces levels of 1
 * instead). Shrinks toward `[1]`: fewer levels, then fewer codes per level.
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

/** A probability away from saturation. */
export const probabilityArb: fc.Arbitrary<number> = fc.double({ min: 0.02, max: 0.98, noNaN: true });

/** The tree key: `--vary branching` draws depth 1..5, `--vary branching=LO..HI` depth LO..HI (at most {@link SWEEP_MAX_LEAVES} leaves). */
function branchingKey(): RecipeKey {
  const valid = `a depth range within 1..${MAX_DEPTH} (e.g. branching=1..4); 1..${MAX_ROOTS} top-level codes, 1..9 children per code, at most ${SWEEP_MAX_LEAVES} leaves`;
  const bad = (why: string) =>
    new InputError("bad_vary", `branching: ${why}`, { location: { flag: "--vary" }, hint: `branching takes ${valid}` });
  return {
    name: "branching",
    path: ["branching"],
    description: "codes per level, top first (the tree's shape)",
    valid,
    open: `depth 1..5, 1..${MAX_ROOTS} top-level codes, 1..9 children, at most ${SWEEP_MAX_LEAVES} leaves`,
    arbitrary(vary) {
      if (vary.kind === "open") return branchingArb({ maxDepth: 5, maxLeaves: SWEEP_MAX_LEAVES });
      if (vary.kind === "list") throw bad(`a tree varies by depth: give a range, not the list ${vary.values.join(",")}`);
      for (const d of [vary.lo, vary.hi])
        if (!Number.isInteger(d) || d < 1 || d > MAX_DEPTH) throw bad(`depth ${d} is outside 1..${MAX_DEPTH}`);
      return branchingArb({ minDepth: vary.lo, maxDepth: vary.hi, maxLeaves: SWEEP_MAX_LEAVES });
    },
  };
}

/** The keys of a NAICS sweep, in shrink order. */
export const naicsSpace: RecipeSpace = {
  scenario: "naics",
  keys: [
    intKey({ name: "rows", description: "rows to generate", min: 0, max: MAX_ROWS, open: [0, 100_000] }),
    branchingKey(),
    choiceKey({ name: "preserve", description: "space of mean preservation", choices: ["logit", "probability"] }),
    choiceKey({ name: "allocation", description: "rows to leaves", choices: ["uniform", "balanced"] }),
    choiceKey({ name: "target", description: "kind of target", choices: ["bernoulli", "exact"] }),
    choiceKey({ name: "format", description: "format of the row file", choices: ["csv", "parquet"] }),
    numberKey({ name: "alpha", description: "false-failure rate of each statistical check", min: 1e-12, max: 0.5, open: [0.001, 0.1] }),
    seedKey(),
  ],
};

/** Overrides of the parts of {@link naicsRecipe}; each defaults to what a bare `--vary KEY` varies over. */
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
  /** The alpha of every recipe (default 0.001, the config's default). */
  readonly alpha?: number;
}

const open = (name: string): fc.Arbitrary<unknown> =>
  (naicsSpace.keys.find((k) => k.name === name) as RecipeKey).arbitrary({ kind: "open" }, undefined);

/**
 * A whole NAICS recipe, shrinking in {@link naicsSpace}'s order (rows, tree, roots, modes, seed).
 *
 * @example fc.sample(naicsRecipe({ rows: fc.integer({ min: 1, max: 1000 }) }), 1)[0].rows // 1..1000
 */
export function naicsRecipe(options: NaicsRecipeOptions = {}): fc.Arbitrary<NaicsRecipe> {
  const rootsArb = fc.array(probabilityArb, { minLength: MAX_ROOTS, maxLength: MAX_ROOTS });
  const roots: fc.Arbitrary<number[] | null> =
    options.roots === "always" ? rootsArb : options.roots === "never" ? fc.constant(null) : fc.option(rootsArb, { freq: 3 });
  const parts: RecipePart[] = [
    { path: ["rows"], arbitrary: options.rows ?? open("rows") },
    { path: ["branching"], arbitrary: options.branching ?? open("branching") },
    { path: ["roots"], arbitrary: roots },
    { path: ["preserve"], arbitrary: options.preserve ?? open("preserve") },
    { path: ["allocation"], arbitrary: options.allocation ?? open("allocation") },
    { path: ["target"], arbitrary: options.target ?? open("target") },
    { path: ["format"], arbitrary: options.format ?? open("format") },
    { path: ["seed"], arbitrary: options.seed ?? seedArb },
  ];
  const alpha = options.alpha ?? 0.001;
  return composeRecipe({}, parts).map(({ roots: r, ...rest }): NaicsRecipe => {
    const recipe = rest as Omit<NaicsRecipe, "alpha">;
    const k0 = recipe.branching[0] ?? 1;
    const given = r as number[] | null;
    return {
      seed: recipe.seed,
      rows: recipe.rows,
      branching: recipe.branching,
      ...(given !== null && k0 <= given.length ? { root_probabilities: given.slice(0, k0) } : {}),
      preserve: recipe.preserve,
      allocation: recipe.allocation,
      target: recipe.target,
      format: recipe.format,
      alpha,
    };
  });
}
