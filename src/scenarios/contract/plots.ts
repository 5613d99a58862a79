/**
 * The spec plots of `synthproof report` on a `spec run` folder: per column, a histogram with the
 * count the spec's distribution predicts in each bin (or each value, for a discrete one) drawn
 * over it; for each Kolmogorov-Smirnov test, the empirical CDF against the expected one; for each
 * relationship and correlation check, a scatter with the expected and the fitted line.
 *
 * The data file is read back as verify reads it (hidden columns regenerated around it), once; the
 * plots hold bounded summaries of it: a fixed number of bins, quantiles and CDF points from a
 * sample of at most {@link QUANTILE_SAMPLE} values, and scatters of at most {@link SCATTER_POINTS}
 * rows, both drawn from the keyed stream `(seed, "spec", "report", ...)` so a page is the same
 * every time it is built.
 */
import * as path from "node:path";
import { Histogram, quantileSorted } from "../../checks/summaries.js";
import { InputError } from "../../core/errors.js";
import { type Rng, stream } from "../../core/rng.js";
import {
  categoryLabels,
  cdf,
  type DiscreteDistribution,
  type DistributionOf,
  mean as distMean,
  variance as distVariance,
  findParamProblem,
  isDiscrete,
  type NamedDistribution,
  pmf,
} from "../../core/samplers/index.js";
import type { Plot, PlotContext } from "../plot.js";
import { finite, linearFit, mean, std } from "./column-stats.js";
import type { Contract } from "./contract-schema.js";
import { type DeclaredColumn, declaredColumns } from "./generate-columns.js";
import { readDataFile } from "./read-data.js";
import type { Requirement } from "./requirements.js";
import { readRunRecord, regenerateHidden } from "./verify-contract.js";

/** Bins of a continuous column's histogram. */
export const BINS = 40;
/** Most distinct values a column is drawn with a bar each (more: binned). */
export const MAX_DISCRETE_VALUES = 60;
/** Most values the quantiles, histogram range and CDF plot are taken from. */
export const QUANTILE_SAMPLE = 200_000;
/** Points of a CDF plot. */
export const CDF_POINTS = 300;
/** Most rows a scatter shows. */
export const SCATTER_POINTS = 1500;
/** Most columns drawn (a spec with more gets the first ones, and the page says so). */
export const MAX_COLUMN_PLOTS = 30;
/** Share of the sample left out at each end of a histogram's range, so one extreme value does not squash the rest. */
const TAIL = 0.0005;

const EXPECTED = "expected from the spec";
const OBSERVED = "observed";

/**
 * `k` distinct indices of `0..n-1` in increasing order, drawn uniformly by Floyd's algorithm from
 * `rng` (every index when `k >= n`).
 *
 * @example sampleIndices(10, 3, stream(1, "x")) // e.g. [2, 5, 9]
 */
export function sampleIndices(n: number, k: number, rng: Rng): Uint32Array {
  if (k >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(rng.next() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Uint32Array.from(chosen).sort();
}

/** The finite values of `values` at a sample of at most {@link QUANTILE_SAMPLE} rows, sorted. */
function sortedSample(values: Float64Array, rng: Rng): Float64Array {
  const fin = finite(values);
  if (fin.length <= QUANTILE_SAMPLE) return Float64Array.from(fin).sort();
  const ix = sampleIndices(fin.length, QUANTILE_SAMPLE, rng);
  return Float64Array.from(ix, (i) => fin[i] as number).sort();
}

/** A number for a title or text: 4 significant digits. */
function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

/** The distribution as text: `normal {mean: 0, sd: 1}`. */
function distText(d: NamedDistribution): string {
  return `${d.distribution} ${JSON.stringify(d.params).replace(/"/g, "").replace(/:/g, ": ").replace(/,/g, ", ")}`;
}

/**
 * The distribution a column is compared with: its own (a `distribution` column), else the first
 * `distribution_test` on it; none for an expression or code column without one, or one whose
 * parameters describe no distribution.
 */
export function distributionOf(spec: Contract, name: string): NamedDistribution | undefined {
  const col = spec.columns?.[name];
  const test = spec.validation_requirements.find(
    (r): r is Extract<Requirement, { check: "distribution_test" }> => r.check === "distribution_test" && r.column === name,
  );
  if (col?.distribution !== undefined) return named(col.distribution, col.params ?? {});
  return test ? named(test.distribution, test.params) : undefined;
}

/** A distribution as a spec names it, or undefined when its name or parameters describe none. */
function named(distribution: string, params: Record<string, unknown>): NamedDistribution | undefined {
  const d = { distribution, params } as unknown as NamedDistribution;
  return findParamProblem(d) === null ? d : undefined;
}

/** Counts of each distinct finite value, or null when there are more than {@link MAX_DISCRETE_VALUES}. */
function distinctCounts(values: Float64Array): Map<number, number> | null {
  const counts = new Map<number, number>();
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > MAX_DISCRETE_VALUES) return null;
  }
  return counts;
}

/** A bar per value (a categorical column: per category) with the spec's expected count as a tick. */
function discretePlot(
  column: DeclaredColumn,
  counts: Map<number, number>,
  d: NamedDistribution | undefined,
  labels: readonly (string | number)[] | undefined,
): Plot {
  let n = 0;
  for (const c of counts.values()) n += c;
  const keys = new Set(counts.keys());
  // The PMF's whole support when it is small, so a value the data never took shows as a missing bar.
  if (d && isDiscrete(d)) {
    if (d.distribution === "categorical") {
      const cats = categoryLabels(d);
      cats.forEach((c, i) => {
        keys.add(typeof c === "string" ? i : c);
      });
    } else if (d.distribution === "bernoulli") {
      keys.add(0);
      keys.add(1);
    } else if (d.distribution === "integer" && d.params.max - d.params.min < MAX_DISCRETE_VALUES) {
      for (let v = d.params.min; v <= d.params.max; v++) keys.add(v);
    } else if (d.distribution === "constant") keys.add(d.params.value);
  }
  const expectedOf = (v: number): number | null => {
    if (!d || !isDiscrete(d)) return null;
    if (d.distribution === "categorical") {
      const cats = categoryLabels(d as DistributionOf<"categorical">);
      const index = typeof cats[0] === "string" ? v : (cats as readonly number[]).indexOf(v);
      return index < 0 ? 0 : n * pmf(d, index);
    }
    return n * pmf(d as DiscreteDistribution, v);
  };
  const values = [...keys]
    .sort((a, b) => a - b)
    .map((v) => {
      const label = labels?.[v] !== undefined ? String(labels[v]) : num(v);
      const expected = expectedOf(v);
      return { value: label, order: v, count: counts.get(v) ?? 0, ...(expected === null ? {} : { expected }) };
    });
  const worst = values.reduce(
    (w, r) => {
      if (r.expected === undefined || r.expected <= 0) return w;
      const z = (r.count - r.expected) / Math.sqrt(r.expected);
      return Math.abs(z) > Math.abs(w.z) ? { z, value: r.value } : w;
    },
    { z: 0, value: "" },
  );
  const against = d
    ? ` The ticks are the counts ${distText(d)} predicts (n times its probability mass); the largest standardised gap (observed - expected) / sqrt(expected) is ${num(worst.z)}${worst.value ? ` at ${worst.value}` : ""}.`
    : " The spec states no distribution for this column, so no expected counts are drawn.";
  const layers: Record<string, unknown>[] = [
    {
      mark: "bar",
      encoding: {
        x: { field: "value", type: "ordinal", sort: { field: "order" }, title: column.name, axis: { labelAngle: 0 } },
        y: { field: "count", type: "quantitative", title: "rows" },
        color: { datum: OBSERVED },
        tooltip: [{ field: "value" }, { field: "count" }, ...(d ? [{ field: "expected", format: ".1f" }] : [])],
      },
    },
  ];
  if (d)
    layers.push({
      transform: [{ filter: "isValid(datum.expected)" }],
      mark: { type: "tick", thickness: 3 },
      encoding: {
        x: { field: "value", type: "ordinal", sort: { field: "order" } },
        y: { field: "expected", type: "quantitative" },
        color: { datum: EXPECTED },
      },
    });
  return {
    id: `column-${column.name}`,
    title: `${column.name}${column.hidden ? " (hidden)" : ""}: ${n} values${d ? ` against ${distText(d)}` : ""}`,
    description: `Rows of ${column.name} taking each of its ${counts.size} distinct values, over all ${n} finite values.${against}`,
    spec: { data: { values }, layer: layers, height: 240 },
  };
}

/** A histogram over the middle of the sample's range, with each bin's expected count as a line. */
function continuousPlot(column: DeclaredColumn, values: Float64Array, sorted: Float64Array, d: NamedDistribution | undefined): Plot {
  let lo = quantileSorted(sorted, TAIL);
  let hi = quantileSorted(sorted, 1 - TAIL);
  if (!(hi > lo)) {
    lo = (sorted[0] as number) - 0.5;
    hi = (sorted[sorted.length - 1] as number) + 0.5;
  }
  const h = new Histogram(lo, hi, BINS);
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    h.add(v);
  }
  const rows = h.rows().map((r) => ({
    ...r,
    mid: (r.start + r.end) / 2,
    ...(d ? { expected: n * (cdf(d, r.end) - cdf(d, r.start)) } : {}),
  }));
  const fin = finite(values);
  const moments = d
    ? ` Observed mean ${num(mean(fin))} and sd ${num(std(fin))}; ${distText(d)} has mean ${num(distMean(d))} and sd ${num(Math.sqrt(distVariance(d)))}. The line is the count it predicts in each bin (n times the CDF's rise across the bin).`
    : ` Observed mean ${num(mean(fin))} and sd ${num(std(fin))}. The spec states no distribution for this column, so no expected counts are drawn.`;
  const layers: Record<string, unknown>[] = [
    {
      mark: "bar",
      encoding: {
        x: { field: "start", type: "quantitative", bin: { binned: true }, title: column.name },
        x2: { field: "end" },
        y: { field: "count", type: "quantitative", title: "rows per bin" },
        color: { datum: OBSERVED },
        tooltip: [
          { field: "start", format: ".4g" },
          { field: "end", format: ".4g" },
          { field: "count" },
          ...(d ? [{ field: "expected", format: ".1f" }] : []),
        ],
      },
    },
  ];
  if (d)
    layers.push({
      mark: { type: "line", strokeWidth: 2, point: { size: 14 } },
      encoding: {
        x: { field: "mid", type: "quantitative" },
        y: { field: "expected", type: "quantitative" },
        color: { datum: EXPECTED },
      },
    });
  return {
    id: `column-${column.name}`,
    title: `${column.name}${column.hidden ? " (hidden)" : ""}: histogram of ${n} values${d ? ` against ${distText(d)}` : ""}`,
    description: `${BINS} bins of width ${num(h.width)} from ${num(lo)} to ${num(hi)} (the sample's ${TAIL * 100}% and ${100 - TAIL * 100}% quantiles); ${h.below} values below and ${h.above} above are not drawn.${moments}`,
    spec: { data: { values: rows }, layer: layers, height: 240 },
  };
}

/** A Kolmogorov-Smirnov test's picture: the empirical CDF at sample quantiles against the expected CDF there. */
function cdfPlot(column: string, sorted: Float64Array, d: NamedDistribution, context: PlotContext): Plot {
  const m = Math.min(CDF_POINTS, sorted.length);
  const values: { x: number; probability: number; curve: string }[] = [];
  let gap = 0;
  for (let i = 0; i < m; i++) {
    const p = (i + 0.5) / m;
    const x = quantileSorted(sorted, p);
    const f = cdf(d, x);
    gap = Math.max(gap, Math.abs(p - f));
    values.push({ x, probability: p, curve: "empirical" }, { x, probability: f, curve: EXPECTED });
  }
  const recorded = context.report.checks.find((c) => typeof c.metrics[`ks_statistic_${column}`] === "number")?.metrics;
  const ks =
    recorded === undefined
      ? ""
      : ` The distribution_test check found KS statistic ${num(recorded[`ks_statistic_${column}`] as number)}, p = ${num(recorded[`ks_p_value_${column}`] as number)}.`;
  return {
    id: `cdf-${column}`,
    title: `${column}: empirical CDF against ${distText(d)}`,
    description: `The empirical CDF of ${column} at ${m} of its quantiles (from ${sorted.length} values) and the CDF of ${distText(d)} at the same points; the largest vertical gap drawn is ${num(gap)}.${ks}`,
    spec: {
      data: { values },
      mark: { type: "line", strokeWidth: 2 },
      encoding: {
        x: { field: "x", type: "quantitative", title: column },
        y: { field: "probability", type: "quantitative", title: "P(value <= x)", scale: { domain: [0, 1] } },
        color: { field: "curve", type: "nominal", title: null, scale: { domain: ["empirical", EXPECTED] } },
        strokeDash: {
          field: "curve",
          type: "nominal",
          title: null,
          scale: {
            domain: ["empirical", EXPECTED],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
        },
      },
      height: 260,
    },
  };
}

interface ScatterLine {
  readonly label: string;
  readonly slope: number;
  readonly intercept: number;
}

/** A scatter of a sample of rows of (x, y) with straight lines over the sample's x range. */
function scatterPlot(
  id: string,
  title: string,
  text: string,
  names: { x: string; y: string },
  columns: { x: Float64Array; y: Float64Array },
  lines: readonly ScatterLine[],
  rng: Rng,
): Plot {
  const both: number[] = [];
  for (let i = 0; i < columns.x.length; i++) if (Number.isFinite(columns.x[i]) && Number.isFinite(columns.y[i])) both.push(i);
  const ix = sampleIndices(both.length, SCATTER_POINTS, rng);
  const points = Array.from(ix, (k) => {
    const i = both[k] as number;
    return { kind: "row", x: columns.x[i] as number, y: columns.y[i] as number };
  });
  let xmin = Number.POSITIVE_INFINITY;
  let xmax = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    xmin = Math.min(xmin, p.x);
    xmax = Math.max(xmax, p.x);
  }
  const lineRows = points.length
    ? lines.flatMap((l) => [
        { kind: "line", line: l.label, x: xmin, y: l.intercept + l.slope * xmin },
        { kind: "line", line: l.label, x: xmax, y: l.intercept + l.slope * xmax },
      ])
    : [];
  return {
    id,
    title,
    description: `${points.length} of ${both.length} rows with both values finite, drawn at random (the same rows every time). ${text}`,
    spec: {
      data: { values: [...points, ...lineRows] },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'row'" }],
          mark: { type: "point", filled: true, size: 10, opacity: 0.45, color: "#56B4E9" },
          encoding: {
            x: { field: "x", type: "quantitative", title: names.x },
            y: { field: "y", type: "quantitative", title: names.y },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'line'" }],
          mark: { type: "line", strokeWidth: 2.5 },
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { field: "y", type: "quantitative" },
            color: { field: "line", type: "nominal", title: null, scale: { range: ["#D55E00", "#0072B2"] } },
            strokeDash: {
              field: "line",
              type: "nominal",
              title: null,
              scale: {
                range: [
                  [6, 3],
                  [1, 0],
                ],
              },
            },
          },
        },
      ],
      height: 300,
    },
  };
}

function lineText(slope: number, intercept: number): string {
  return `y = ${num(slope)} x ${intercept < 0 ? "-" : "+"} ${num(Math.abs(intercept))}`;
}

/** The scatters of the spec's relationship and correlation checks. */
function relationshipPlots(spec: Contract, numeric: ReadonlyMap<string, Float64Array>, seed: Contract["seed"]): Plot[] {
  const plots: Plot[] = [];
  spec.validation_requirements.forEach((r, index) => {
    if (r.check !== "relationship_check" && r.check !== "correlation_check") return;
    const [xName, yName] = r.check === "relationship_check" ? [r.independent, r.dependent] : r.columns;
    const x = numeric.get(xName);
    const y = numeric.get(yName);
    if (!x || !y) return;
    const fit = linearFit(x, y);
    const rng = stream(seed, "spec", "report", "scatter", index);
    const fitted = { label: `fitted: ${lineText(fit.slope, fit.intercept)}`, slope: fit.slope, intercept: fit.intercept };
    if (r.check === "relationship_check") {
      // Without an expected intercept, the expected slope is drawn through the data's centre (the fit's own centre).
      const fx = finite(x);
      const fy = finite(y);
      const intercept = r.expected_intercept ?? mean(fy) - r.expected_slope * mean(fx);
      const expected = { label: `expected: ${lineText(r.expected_slope, intercept)}`, slope: r.expected_slope, intercept };
      const where =
        r.expected_intercept === undefined
          ? "The spec states no intercept, so the expected line has the expected slope through the data's mean point."
          : "The expected line is the spec's slope and intercept.";
      plots.push(
        scatterPlot(
          `relationship-${index}`,
          `${yName} against ${xName}: expected slope ${num(r.expected_slope)} ± ${num(r.tolerance)}, fitted ${num(fit.slope)}`,
          `Least squares over all ${fit.n} rows gives ${lineText(fit.slope, fit.intercept)} (R² ${num(fit.rSquared)}); the spec expects slope ${num(r.expected_slope)} within ${num(r.tolerance)}. ${where}`,
          { x: xName, y: yName },
          { x, y },
          [expected, fitted],
          rng,
        ),
      );
    } else {
      const rho = Math.sign(fit.slope) * Math.sqrt(Math.max(0, fit.rSquared));
      plots.push(
        scatterPlot(
          `correlation-${index}`,
          `${yName} against ${xName}: correlation ${num(rho)}, expected ${num(r.expected)} ± ${num(r.tolerance)}`,
          `Pearson correlation over all ${fit.n} rows is ${num(rho)}; the spec expects ${num(r.expected)} within ${num(r.tolerance)}. The line is the least-squares fit ${lineText(fit.slope, fit.intercept)}.`,
          { x: xName, y: yName },
          { x, y },
          [fitted],
          rng,
        ),
      );
    }
  });
  return plots;
}

/**
 * The spec plots of a `spec run` folder.
 *
 * @throws InputError when the folder has no readable run record, the run wrote no data, or the data file cannot be read.
 * @example (await specPlots("out/linear", context)).map((p) => p.id) // ["column-x", "column-noise", "column-y", "cdf-x", "relationship-2"]
 */
export async function specPlots(dir: string, context: PlotContext): Promise<Plot[]> {
  const { experiment, spec } = readRunRecord(dir);
  const dataName = experiment.data;
  if (typeof dataName !== "string")
    throw new InputError("no_data", `the run in ${dir} wrote no data to plot: it FAILED before writing (see its checks)`, {
      location: { file: path.join(dir, "experiment.json") },
      hint: "fix the spec or its code generator and run `synthproof spec run` again",
    });
  const declared = declaredColumns(spec);
  const contents = await readDataFile(path.join(dir, dataName), declared, { blank: "nan", expectedRows: spec.num_samples });
  const numeric = new Map([...contents.numeric, ...regenerateHidden(spec, declared, contents)]);
  const drawn = declared.filter((c) => numeric.has(c.name));
  const plots: Plot[] = [];
  const cdfs: Plot[] = [];
  for (const column of drawn.slice(0, MAX_COLUMN_PLOTS)) {
    const values = numeric.get(column.name) as Float64Array;
    const sorted = sortedSample(values, stream(spec.seed, "spec", "report", "sample", column.name));
    if (sorted.length === 0) continue;
    const d = distributionOf(spec, column.name);
    const counts = (d && isDiscrete(d)) || column.type !== "float" || column.labels ? distinctCounts(values) : null;
    plots.push(counts ? discretePlot(column, counts, d, column.labels) : continuousPlot(column, values, sorted, d));
    for (const r of spec.validation_requirements)
      if (r.check === "distribution_test" && r.test === "ks" && r.column === column.name) {
        const test = named(r.distribution, r.params);
        if (test && !isDiscrete(test)) cdfs.push(cdfPlot(column.name, sorted, test, context));
        break;
      }
  }
  if (drawn.length > MAX_COLUMN_PLOTS && plots[0])
    plots[0] = {
      ...plots[0],
      description: `${plots[0].description} (The spec has ${drawn.length} columns; the first ${MAX_COLUMN_PLOTS} are drawn.)`,
    };
  return [...plots, ...cdfs, ...relationshipPlots(spec, numeric, spec.seed)];
}
