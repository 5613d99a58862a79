/**
 * Recipe arbitraries for spec-driven data: a recipe is a spec file's content (plain JSON, keys as
 * users write them), so a counterexample is a spec a user could run, with one change: `columns`
 * is a list of `[name, column]` pairs. Column order means something (an expression may use only
 * earlier columns), and a fixture file stores objects with their keys sorted, which would reorder
 * an object of columns; a list keeps its order. {@link specFile} turns a recipe into the file's
 * content. Columns draw from every distribution with valid parameters or are expressions over
 * earlier columns; requirements of every check kind name existing columns.
 *
 * Two parameter ranges: `wide` (anything the validator must accept: subnormal rates, 1e308 means,
 * 2^53 - 1 trials) for properties that only validate, and `moderate` for properties that generate
 * data, where a value's spread is far above a double's resolution, so different seeds visibly
 * give different columns.
 */
import fc from "fast-check";
import { type DistributionName, isDiscrete, PARAM_KEYS } from "../src/core/samplers/index.js";
import type { ContractInput } from "../src/scenarios/contract/contract-schema.js";
import type { RequirementInput } from "../src/scenarios/contract/requirements.js";
import { exprText, exprTreeArb } from "./contract-expr-oracle.js";
import type { Json } from "./harness.js";

/** Which parameter values to draw; see the module comment. */
export type ParamRange = "wide" | "moderate";

/** A distribution and its parameters, as a spec writes them. */
export interface DistributionRecipe {
  readonly distribution: DistributionName;
  readonly params: { readonly [key: string]: Json };
}

/** One column of a spec recipe. */
export type ColumnRecipe =
  | { readonly distribution: string; readonly params: { readonly [key: string]: Json }; readonly hidden?: boolean }
  | { readonly expr: string; readonly hidden?: boolean };

/** A spec file's content: what users write, what the validator reads. */
export interface SpecFile {
  readonly num_samples: number;
  readonly seed?: number;
  readonly columns: { readonly [name: string]: ColumnRecipe };
  readonly validation_requirements?: readonly RequirementInput[];
}

/**
 * A spec recipe: a spec file's content with the columns as ordered `[name, column]` pairs. (An
 * object of columns is accepted too, in its key order: a fixture written before the pairs.)
 */
export interface ContractRecipe extends Omit<SpecFile, "columns"> {
  readonly columns: readonly (readonly [string, ColumnRecipe])[] | SpecFile["columns"];
}

/** The recipe's columns, in order. */
export function columnEntries(recipe: ContractRecipe): (readonly [string, ColumnRecipe])[] {
  return Array.isArray(recipe.columns) ? [...recipe.columns] : Object.entries(recipe.columns as SpecFile["columns"]);
}

/** The spec file a recipe describes. */
export function specFile(recipe: ContractRecipe): SpecFile {
  // fromEntries defines own keys, so even a "__proto__" column stays a column here.
  return { ...recipe, columns: Object.fromEntries(columnEntries(recipe)) };
}

/** The spec file as the schema's input type. */
export function asContractInput(recipe: ContractRecipe): ContractInput {
  return specFile(recipe) as unknown as ContractInput;
}

const MAX = Number.MAX_SAFE_INTEGER;

const finite = (range: ParamRange): fc.Arbitrary<number> =>
  range === "wide"
    ? fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
    : fc.double({ min: -1000, max: 1000, noNaN: true });

/** A finite number > 0: anything from 5e-324 to 1.8e308 (wide), or within [lo, hi] (moderate). */
const positive = (range: ParamRange, lo: number, hi: number): fc.Arbitrary<number> =>
  range === "wide"
    ? fc.oneof(fc.double({ min: lo, max: hi, noNaN: true }), fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }))
    : fc.double({ min: lo, max: hi, noNaN: true });

const probability: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(0, 1, 0.5), fc.double({ min: 0, max: 1, noNaN: true }));

/** JSON has no -0: a recipe holding it would come back as 0 (and two categories 0 and -0 as duplicates). */
const noNegativeZero = (v: number): number => (v === 0 ? 0 : v);

function categoricalArb(range: ParamRange): fc.Arbitrary<DistributionRecipe> {
  const labels = fc.oneof(
    fc.uniqueArray(fc.oneof(fc.constantFrom("a", "b", "c", "yes", "no"), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 }),
    fc.uniqueArray(finite(range).map(noNegativeZero), { minLength: 1, maxLength: 6 }),
  );
  const weight =
    range === "wide" ? fc.oneof(fc.nat(10), fc.double({ min: 0, max: 1e300, noNaN: true })) : fc.double({ min: 0, max: 100, noNaN: true });
  return labels.chain((categories) =>
    fc
      .array(weight, { minLength: categories.length, maxLength: categories.length })
      .filter((w) => w.some((x) => x > 0) && Number.isFinite(w.reduce((a, b) => a + b, 0)))
      .map((weights): DistributionRecipe => ({ distribution: "categorical", params: { categories, weights } })),
  );
}

/** Two ends of a non-empty interval whose width is a finite double. */
function intervalArb(range: ParamRange): fc.Arbitrary<[number, number]> {
  if (range === "moderate") {
    return fc.tuple(finite(range), fc.double({ min: 1e-3, max: 1000, noNaN: true })).map(([min, width]) => [min, min + width]);
  }
  return fc
    .tuple(finite(range), finite(range))
    .filter(([a, b]) => a !== b && Number.isFinite(Math.abs(a - b)))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);
}

/** min <= max, both safe integers, fewer than 2^53 integers from min to max. */
function integerRangeArb(range: ParamRange): fc.Arbitrary<[number, number]> {
  // Moderate spans stay small: chi-square costs time linear in the observed range (see the report of spec-run).
  const small = fc
    .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.nat(10_000))
    .map(([min, span]): [number, number] => [min, min + span]);
  if (range === "moderate") return small;
  const huge = fc
    .tuple(fc.integer({ min: -MAX, max: MAX }), fc.integer({ min: -MAX, max: MAX }))
    .map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)])
    .filter(([a, b]) => b - a < 2 ** 53);
  return fc.oneof(small, huge);
}

/** False for the parameters whose CDF a goodness-of-fit test cannot trust (see contract-schema.ts). */
function testableCdf(d: DistributionRecipe): boolean {
  const p = d.params as Record<string, number>;
  if (d.distribution === "beta") return (p.alpha as number) <= 1e7 && (p.beta as number) <= 1e7;
  if (d.distribution === "binomial") return (p.n as number) <= 3e7;
  return true;
}

/** Every distribution with parameters the validator must accept. */
export function distributionArb(range: ParamRange): fc.Arbitrary<DistributionRecipe> {
  const d = (distribution: DistributionName, params: fc.Arbitrary<{ [key: string]: Json }>) =>
    params.map((p): DistributionRecipe => ({ distribution, params: p }));
  const arbs: { readonly [K in DistributionName]: fc.Arbitrary<DistributionRecipe> } = {
    uniform: d(
      "uniform",
      intervalArb(range).map(([min, max]) => ({ min, max })),
    ),
    normal: d("normal", fc.record({ mean: finite(range), sd: positive(range, 1e-3, 1000) })),
    lognormal: d(
      "lognormal",
      fc.record({
        meanlog: range === "wide" ? finite(range) : fc.double({ min: -5, max: 5, noNaN: true }),
        sdlog: positive(range, 0.01, 3),
      }),
    ),
    exponential: d("exponential", fc.record({ rate: positive(range, 1e-3, 1000) })),
    gamma: d("gamma", fc.record({ shape: positive(range, 0.1, 100), scale: positive(range, 1e-3, 1000) })),
    // Shapes from 0.5: below, a moderate share of draws rounds to exactly 0 or 1 and small columns can coincide.
    beta: d("beta", fc.record({ alpha: positive(range, 0.5, 100), beta: positive(range, 0.5, 100) })),
    poisson: d("poisson", fc.record({ lambda: positive(range, 0.01, 10_000) })),
    binomial: d(
      "binomial",
      fc.record({
        n:
          range === "wide"
            ? fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: MAX }))
            : fc.integer({ min: 1, max: 1_000_000 }),
        p: probability,
      }),
    ),
    bernoulli: d("bernoulli", fc.record({ p: probability })),
    categorical: categoricalArb(range),
    integer: d(
      "integer",
      integerRangeArb(range).map(([min, max]) => ({ min, max })),
    ),
    constant: d("constant", fc.record({ value: finite(range).map(noNegativeZero) })),
  };
  return fc.oneof(...(Object.keys(PARAM_KEYS) as DistributionName[]).map((name) => arbs[name]));
}

/**
 * Column names: valid identifiers of the spec (a letter or _ then letters, digits or _), often
 * names that mean something else to JavaScript or to the expression language (function names,
 * `true`, `NaN`, `constructor`). Not `__proto__`, which the validator refuses (an object key of that
 * name is lost on the way in); spec-corruptions.ts checks the refusal.
 */
export const columnNameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("x", "y", "noise", "a", "b", "z1", "y_2", "_") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "log",
      "min",
      "where",
      "abs",
      "true",
      "null",
      "this",
      "NaN",
      "Infinity",
      "e",
      "E",
      "constructor",
      "toString",
      "hasOwnProperty",
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/).filter((s) => s !== "__proto__") },
);

const hiddenArb: fc.Arbitrary<{ hidden?: boolean }> = fc.constantFrom({}, { hidden: true }, { hidden: false });

/** A column at position `i`: drawn from a distribution, or an expression over the columns before it. */
function columnArb(earlier: readonly string[], range: ParamRange): fc.Arbitrary<ColumnRecipe> {
  const drawn = fc.tuple(distributionArb(range), hiddenArb).map(([d, h]): ColumnRecipe => ({ ...d, ...h }));
  const derived = fc.tuple(exprTreeArb(earlier, 3), hiddenArb).map(([tree, h]): ColumnRecipe => ({ expr: exprText(tree), ...h }));
  return earlier.length === 0 ? fc.oneof({ weight: 4, arbitrary: drawn }, derived) : fc.oneof(drawn, derived);
}

/** Optional key: present with a value, or absent (not undefined: recipes are JSON). */
function optional<K extends string, V>(key: K, arb: fc.Arbitrary<V>): fc.Arbitrary<{ [P in K]?: V }> {
  return fc.option(arb, { nil: undefined }).map((v) => (v === undefined ? {} : ({ [key]: v } as { [P in K]?: V })));
}

/** A validation requirement of any kind, naming only columns in `names`. */
export function requirementArb(names: readonly string[], range: ParamRange): fc.Arbitrary<RequirementInput> {
  const column = fc.constantFrom(...names);
  const some = fc.subarray([...names], { minLength: 1 });
  const number = finite(range);
  const tolerance =
    range === "wide" ? fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }) : fc.double({ min: 0, max: 10, noNaN: true });
  const typeArb = fc.constantFrom("float" as const, "int" as const, "bool" as const, "string" as const);
  const alpha = fc.double({ min: Number.MIN_VALUE, max: 1 - 2 ** -53, noNaN: true });
  const kinds: fc.Arbitrary<RequirementInput>[] = [
    fc
      .tuple(
        some,
        fc.subarray([...names]).chain((typed) => fc.tuple(...typed.map((c) => fc.tuple(fc.constant(c), typeArb)))),
      )
      .map(
        ([columns, typed]): RequirementInput => ({
          check: "schema_check",
          columns,
          ...(typed.length === 0 ? {} : { types: Object.fromEntries(typed) }),
        }),
      ),
    // A test's CDF must be trustworthy: the validator refuses beta shapes above 1e7 and binomial n
    // above 3e7 in a distribution_test (columns may still use them).
    fc.tuple(column, distributionArb(range).filter(testableCdf), optional("alpha", alpha)).map(
      ([c, d, a]): RequirementInput => ({
        check: "distribution_test",
        column: c,
        ...d,
        test: isDiscrete(d as never) ? "chi2" : "ks",
        ...a,
      }),
    ),
    fc.tuple(column, column, number, tolerance, optional("expected_intercept", number)).map(
      ([dependent, independent, expected_slope, tol, i]): RequirementInput => ({
        check: "relationship_check",
        type: "linear_regression",
        dependent,
        independent,
        expected_slope,
        tolerance: tol,
        ...i,
      }),
    ),
    fc
      .tuple(number, tolerance, optional("dependent", column), optional("independent", column))
      .map(([expected_mean, tol, d, i]): RequirementInput => ({ check: "noise_mean_check", expected_mean, tolerance: tol, ...d, ...i })),
    fc
      .tuple(column, number, tolerance)
      .map(([c, m, tol]): RequirementInput => ({ check: "mean_check", column: c, expected_mean: m, tolerance: tol })),
    fc
      .tuple(column, fc.double({ min: 0, max: 1000, noNaN: true }), tolerance)
      .map(([c, s, tol]): RequirementInput => ({ check: "std_check", column: c, expected_std: s, tolerance: tol })),
    fc
      .tuple(column, optional("min", number), optional("max", number))
      .map(([c, lo, hi]): RequirementInput => ({ check: "range_check", column: c, ...lo, ...hi })),
    fc
      .tuple(column, fc.double({ min: 0, max: 1, noNaN: true }), number, tolerance)
      .map(([c, q, e, tol]): RequirementInput => ({ check: "quantile_check", column: c, quantile: q, expected: e, tolerance: tol })),
    fc.tuple(column, column, fc.double({ min: -1, max: 1, noNaN: true }), tolerance).map(
      ([a, b, e, tol]): RequirementInput => ({
        check: "correlation_check",
        columns: [a, b],
        expected: noNegativeZero(e),
        tolerance: tol,
      }),
    ),
    fc.tuple(some, optional("max_fraction", probability)).map(([columns, f]): RequirementInput => ({ check: "null_check", columns, ...f })),
    column.map((c): RequirementInput => ({ check: "unique_check", column: c })),
  ];
  return fc.oneof(...kinds);
}

/** Options of {@link specArb}. */
export interface ContractArbOptions {
  readonly range: ParamRange;
  readonly numSamples: fc.Arbitrary<number>;
  readonly maxColumns?: number;
  readonly maxRequirements?: number;
}

/** Valid specs: 1..maxColumns columns in order, each drawn or derived from earlier ones; requirements naming them. */
export function specArb(options: ContractArbOptions): fc.Arbitrary<ContractRecipe> {
  const { range, numSamples, maxColumns = 5, maxRequirements = 5 } = options;
  return fc.uniqueArray(columnNameArb, { minLength: 1, maxLength: maxColumns }).chain((names) =>
    fc
      .record({
        num_samples: numSamples,
        seed: fc.option(fc.oneof(fc.nat(1000), fc.maxSafeNat()), { nil: undefined }),
        columns: fc.tuple(...names.map((_, i) => columnArb(names.slice(0, i), range))),
        validation_requirements: fc.option(fc.array(requirementArb(names, range), { maxLength: maxRequirements }), { nil: undefined }),
      })
      .map(
        (r): ContractRecipe => ({
          num_samples: r.num_samples,
          ...(r.seed === undefined ? {} : { seed: r.seed }),
          columns: names.map((name, i) => [name, r.columns[i] as ColumnRecipe] as const),
          ...(r.validation_requirements === undefined ? {} : { validation_requirements: r.validation_requirements }),
        }),
      ),
  );
}
