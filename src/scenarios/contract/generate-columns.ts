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
}

const INTEGER_DISTRIBUTIONS = new Set(["poisson", "binomial", "bernoulli", "integer"]);

/**
 * Generates every column of a checked spec, in declaration order.
 *
 * @example generateColumns(contractSchema.parse(yaml)).map((c) => c.name)
 */
export function generateColumns(spec: Contract): GeneratedColumn[] {
  const n = spec.num_samples;
  const done = new Map<string, Float64Array>();
  const out: GeneratedColumn[] = [];
  for (const [name, col] of Object.entries(spec.columns ?? {})) {
    let values: Float64Array;
    let type: GeneratedColumn["type"] = "float";
    let labels: readonly string[] | undefined;
    if (col.distribution !== undefined) {
      const dspec = { distribution: col.distribution, params: col.params ?? {} } as unknown as NamedDistribution;
      values = new Float64Array(n);
      sampleInto(dspec, stream(spec.seed, "spec", "column", name), values);
      if (dspec.distribution === "categorical") {
        const cats = categoryLabels(dspec);
        if (typeof cats[0] === "string") {
          labels = cats as readonly string[];
          type = "string";
        } else {
          values = values.map((i) => cats[i] as number);
          type = (cats as readonly number[]).every(Number.isInteger) ? "int" : "float";
        }
      } else if (INTEGER_DISTRIBUTIONS.has(dspec.distribution)) type = "int";
    } else {
      values = evaluate(parseExpression(col.expr as string, [...done.keys()]), done, n);
    }
    done.set(name, values);
    out.push({ name, hidden: col.hidden, type, values, ...(labels ? { labels } : {}) });
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
