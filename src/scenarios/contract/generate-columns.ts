/**
 * Generates a spec's columns. Each column draws from its own keyed stream
 * `(seed, "spec", "column", name)`, so adding, removing or reordering other columns never changes
 * it; expressions are evaluated over the earlier columns, vectorised.
 */

import { chiSquareFit, ksTest } from "../../checks/stats.js";
import { stream } from "../../core/rng.js";
import { categoryLabels, cdf, isDiscrete, type NamedDistribution, pmf, sampleInto } from "../../core/samplers/index.js";
import type { Contract } from "./contract-schema.js";
import { evaluate, parseExpression } from "./expr/index.js";
import type { CheckedData } from "./requirement-checks.js";
import type { Requirement } from "./requirements.js";

/** One generated column. */
export interface GeneratedColumn {
  readonly name: string;
  readonly hidden: boolean;
  readonly type: "float" | "int" | "string";
  /** Values (categorical: the category's index, or its value when categories are numbers). */
  readonly values: Float64Array;
  /** Category labels of a categorical column of strings. */
  readonly labels?: readonly string[];
  /** The spec allows NaN and infinities in it (`allow_non_finite: true`). */
  readonly allowNonFinite?: boolean;
}

/** A column as the spec declares it, before any value is drawn: what a reader of its file expects. */
export interface DeclaredColumn {
  readonly name: string;
  readonly hidden: boolean;
  readonly type: "float" | "int" | "string";
  /** Category labels of a categorical column of strings (a cell holds one, the value is its index). */
  readonly labels?: readonly string[];
  /** A code generator's bool output: written as 1/0, read from 1/0 or true/false. */
  readonly bool?: boolean;
  readonly allowNonFinite: boolean;
}

const INTEGER_DISTRIBUTIONS = new Set(["poisson", "binomial", "bernoulli", "integer"]);

type ColumnSpec = NonNullable<Contract["columns"]>[string];

function namedDistribution(col: ColumnSpec): NamedDistribution {
  return { distribution: col.distribution, params: col.params ?? {} } as unknown as NamedDistribution;
}

/** A column's type and labels, from its spec alone (so the generator and the file reader agree). */
function columnType(col: ColumnSpec): { type: DeclaredColumn["type"]; labels?: readonly string[] } {
  if (col.distribution === undefined) return { type: "float" };
  const dspec = namedDistribution(col);
  if (dspec.distribution === "categorical") {
    const cats = categoryLabels(dspec);
    if (typeof cats[0] === "string") return { type: "string", labels: cats as readonly string[] };
    return { type: (cats as readonly number[]).every(Number.isInteger) ? "int" : "float" };
  }
  return { type: INTEGER_DISTRIBUTIONS.has(dspec.distribution) ? "int" : "float" };
}

/**
 * The columns a spec declares, in order: its `columns`, or its code contract's outputs.
 *
 * @example declaredColumns(spec).filter((c) => !c.hidden).map((c) => c.name) // the data file's header
 */
export function declaredColumns(spec: Contract): DeclaredColumn[] {
  if (spec.columns === undefined)
    // The schema requires a code_contract when there are no columns.
    return Object.entries((spec.code_contract as NonNullable<Contract["code_contract"]>).outputs).map(([name, o]) => ({
      name,
      hidden: false,
      type: o.type === "float" ? "float" : "int",
      ...(o.type === "bool" ? { bool: true } : {}),
      allowNonFinite: false,
    }));
  return Object.entries(spec.columns).map(([name, col]) => ({
    name,
    hidden: col.hidden,
    ...columnType(col),
    allowNonFinite: col.allow_non_finite === true,
  }));
}

/** Draws a distribution column of `n` values from its own keyed stream. */
export function drawColumn(spec: Contract, name: string, col: ColumnSpec, n: number): Float64Array {
  const dspec = namedDistribution(col);
  const values = new Float64Array(n);
  sampleInto(dspec, stream(spec.seed, "spec", "column", name), values);
  if (dspec.distribution !== "categorical") return values;
  const cats = categoryLabels(dspec);
  return typeof cats[0] === "string" ? values : values.map((i) => cats[i] as number);
}

/**
 * Generates every column of a checked spec, in declaration order. `given` columns (verify: the
 * visible ones, read back from the file) are taken as they are instead of drawn, so hidden
 * columns are regenerated around what the file holds; `onColumn(done, total)` follows progress.
 *
 * @example generateColumns(contractSchema.parse(yaml)).map((c) => c.name)
 */
export function generateColumns(
  spec: Contract,
  options: { given?: ReadonlyMap<string, Float64Array>; rows?: number; onColumn?: (done: number, total: number) => void } = {},
): GeneratedColumn[] {
  const n = options.rows ?? spec.num_samples;
  const done = new Map<string, Float64Array>();
  const out: GeneratedColumn[] = [];
  const entries = Object.entries(spec.columns ?? {});
  for (const [name, col] of entries) {
    const given = options.given?.get(name);
    const values =
      given ??
      (col.distribution !== undefined
        ? drawColumn(spec, name, col, n)
        : evaluate(parseExpression(col.expr as string, [...done.keys()]), done, n));
    done.set(name, values);
    const { type, labels } = columnType(col);
    out.push({
      name,
      hidden: col.hidden,
      type,
      values,
      ...(labels ? { labels } : {}),
      ...(col.allow_non_finite ? { allowNonFinite: true } : {}),
    });
    options.onColumn?.(out.length, entries.length);
  }
  return out;
}

/** The columns as the checks see them. */
export function checkedData(columns: readonly GeneratedColumn[], length: number): CheckedData {
  return {
    length,
    numeric: new Map(columns.map((c) => [c.name, c.values])),
    types: new Map(columns.map((c) => [c.name, c.type])),
    hidden: new Set(columns.filter((c) => c.hidden).map((c) => c.name)),
    allowNonFinite: new Set(columns.filter((c) => c.allowNonFinite).map((c) => c.name)),
  };
}

/** KS for continuous distributions, chi-square for discrete ones (as the requirement asks). */
export function testDistribution(
  values: Float64Array,
  req: Extract<Requirement, { check: "distribution_test" }>,
): { statistic: number; p_value: number } {
  const dspec = { distribution: req.distribution, params: req.params } as unknown as NamedDistribution;
  if (req.test === "chi2") {
    const r = isDiscrete(dspec)
      ? chiSquareFit(
          values,
          (k) => pmf(dspec, k),
          (k) => cdf(dspec, k),
        )
      : { statistic: Number.NaN, pValue: 0 };
    return { statistic: r.statistic, p_value: r.pValue };
  }
  const r = ksTest(values, (x) => cdf(dspec, x));
  return { statistic: r.statistic, p_value: r.pValue };
}
