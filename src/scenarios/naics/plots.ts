/**
 * The naics plots of `synthproof report`: where the realised top-level rates sit against the
 * nominal ones, a funnel plot of every code's observed rate against its expected one, and a normal
 * Q-Q plot of the standardised noise. Everything is drawn from bounded summaries: the truth file
 * (one row per code) and one pass over the row file that keeps a count and a sum per leaf, so
 * memory is the tree's size whatever the rows.
 */
import * as path from "node:path";
import { binomialLimits, normalQq } from "../../checks/summaries.js";
import { checkConfig } from "../../core/config.js";
import { IoError } from "../../core/errors.js";
import { fsReason } from "../../io/fs-error.js";
import { requireRegularFile } from "../../io/read-file.js";
import { forEachLine } from "../../io/read-lines.js";
import { shardCount } from "../kit/run-manifests.js";
import type { Plot, PlotContext } from "../plot.js";
import { type NaicsConfig, naicsConfigSchema } from "./config.js";
import { indexTruth, type TruthIndex, type TruthRows } from "./evidence.js";
import { naicsFileNames } from "./generate.js";
import { readTruth } from "./verify.js";

const REGENERATE = "regenerate the folder with `synthproof generate naics`";

/** Coverages of the funnel's limits: the usual 95% and 99.8% (about 2 and 3 standard errors). */
const COVERAGES = [0.95, 0.998] as const;
/** Points of each funnel line (log-spaced in rows). */
const FUNNEL_STEPS = 40;

/** Rows and ones per leaf (leaf order of `ix.leaves`), from one pass over the row file. */
export interface LeafCounts {
  readonly rows: Float64Array;
  readonly ones: Float64Array;
}

/**
 * Counts rows and ones per leaf from the CSV row file with no string made: each line is found with
 * `indexOf` (memchr) and read backwards from its break, the target (one byte) and then the leaf
 * code's digits (the leaf is the last code column). 10M rows (270 MB) take about 0.5 s; a
 * callback per line with a string per code took 6 s, a state machine over every byte 1.5 s.
 * Lines whose leaf is not in the truth file are skipped (the hierarchy check reports them).
 *
 * @throws IoError when the file cannot be read.
 */
function countCsvLeaves(file: string, ix: TruthIndex, truth: TruthRows, header: boolean, into?: LeafCounts): LeafCounts {
  const codes = ix.leaves.map((row) => Number(truth.code[row]));
  const maxCode = Math.max(0, ...codes);
  // A dense table when the codes are small enough (6-digit leaves: 4 MB), else a map.
  const dense = maxCode < 1 << 24 ? new Int32Array(maxCode + 1).fill(-1) : null;
  const sparse = new Map<number, number>();
  codes.forEach((code, i) => {
    if (dense) dense[code] = i;
    else sparse.set(code, i);
  });
  const rows = into?.rows ?? new Float64Array(ix.leaves.length);
  const ones = into?.ones ?? new Float64Array(ix.leaves.length);
  const count = (buf: Uint8Array, start: number, stop: number) => {
    // stop: the line's end, its break (and a \r before it) excluded. The target is one byte after a comma.
    let j = stop - 1;
    if (j - 1 < start || buf[j - 1] !== 44) return;
    const target = buf[j];
    j -= 2;
    let code = 0;
    let mul = 1;
    for (; j >= start; j--) {
      const b = buf[j] as number;
      if (b === 44) break;
      if (b < 48 || b > 57) return;
      code += (b - 48) * mul;
      mul *= 10;
    }
    if (mul === 1) return;
    const leaf = dense ? (code < dense.length ? (dense[code] as number) : -1) : (sparse.get(code) ?? -1);
    if (leaf < 0) return;
    rows[leaf]!++;
    if (target === 49) ones[leaf]!++;
  };
  try {
    // The header is line 1 (a shard after the first has none); a last line without a line break still counts.
    const first = header ? 2 : 1;
    forEachLine(file, (buf, start, stop, line) => {
      if (line >= first) count(buf, start, stop);
    });
  } catch (cause) {
    const inner = cause instanceof IoError && cause.cause !== undefined ? cause.cause : cause;
    throw new IoError("cannot_read", `cannot read ${file}: ${fsReason(inner)}`, { location: { file }, hint: REGENERATE, cause: inner });
  }
  return { rows, ones };
}

/** The same counts from a Parquet row file, one batch at a time. */
async function countParquetLeaves(file: string, ix: TruthIndex, truth: TruthRows, into?: LeafCounts): Promise<LeafCounts> {
  const { readParquetBatches } = await import("../../io/parquet.js");
  const leafOf = new Map<string, number>();
  ix.leaves.forEach((row, i) => {
    leafOf.set(truth.code[row] as string, i);
  });
  const rows = into?.rows ?? new Float64Array(ix.leaves.length);
  const ones = into?.ones ?? new Float64Array(ix.leaves.length);
  for await (const batch of readParquetBatches(file)) {
    const leafCol = batch.columns[batch.columns.length - 2];
    const targetCol = batch.columns[batch.columns.length - 1];
    if (!leafCol || !targetCol) continue;
    for (let i = 0; i < batch.length; i++) {
      const leaf = leafOf.get(leafCol(i) ?? "");
      if (leaf === undefined) continue;
      rows[leaf]!++;
      if (targetCol(i) === "1") ones[leaf]!++;
    }
  }
  return { rows, ones };
}

/**
 * Rows and ones per leaf of a row file (leaf order of `ix.leaves`): the bounded summary the rate
 * plots are drawn from.
 *
 * @throws IoError when the file cannot be read (or is not Parquet, for that format).
 */
export async function countLeaves(
  file: string,
  format: NaicsConfig["format"],
  ix: TruthIndex,
  truth: TruthRows,
  options: { readonly header?: boolean; readonly into?: LeafCounts } = {},
): Promise<LeafCounts> {
  return format === "csv"
    ? countCsvLeaves(file, ix, truth, options.header ?? true, options.into)
    : countParquetLeaves(file, ix, truth, options.into);
}

/** One funnel point: a code with its rows, expected rate (given its leaves' rows) and observed rate. */
interface CodeRate {
  level: number;
  code: string;
  rows: number;
  expected: number;
  observed: number;
}

/** Per code at every level: rows, ones, and the expected rate sum(n_l p_l) / sum(n_l) over its leaves. */
function codeRates(ix: TruthIndex, truth: TruthRows, counts: LeafCounts): CodeRate[] {
  const rows = new Map<string, { n: number; ones: number; np: number }>();
  ix.leaves.forEach((leafRow, i) => {
    const n = counts.rows[i] as number;
    const chain = ix.chains[i] ?? "";
    if (chain === "") return;
    for (const code of chain.split(",")) {
      const acc = rows.get(code) ?? { n: 0, ones: 0, np: 0 };
      acc.n += n;
      acc.ones += counts.ones[i] as number;
      acc.np += n * (truth.probability[leafRow] as number);
      rows.set(code, acc);
    }
  });
  const out: CodeRate[] = [];
  truth.code.forEach((code, r) => {
    const acc = rows.get(code);
    if (!acc || acc.n === 0) return;
    out.push({ level: truth.level[r] as number, code, rows: acc.n, expected: acc.np / acc.n, observed: acc.ones / acc.n });
  });
  return out;
}

function topLevelPlot(cfg: NaicsConfig, ix: TruthIndex, truth: TruthRows, rates: readonly CodeRate[]): Plot {
  const observed = new Map(rates.filter((r) => r.level === 1).map((r) => [r.code, r]));
  const values: { code: string; series: string; rate: number }[] = [];
  const gaps: string[] = [];
  for (const row of ix.byLevel[0] ?? []) {
    const code = truth.code[row] as string;
    const nominal = truth.probability[row] as number;
    const realised = observed.get(code);
    values.push({ code, series: "nominal probability", rate: nominal });
    values.push({ code, series: "children's mean probability", rate: truth.childrenMeanProbability[row] as number });
    if (realised) {
      values.push({ code, series: "expected from its leaves", rate: realised.expected });
      values.push({ code, series: "observed rate", rate: realised.observed });
      gaps.push(`${code}: ${nominal.toFixed(3)} -> ${realised.observed.toFixed(3)}`);
    }
  }
  const mode =
    cfg.preserve === "logit"
      ? "preserve: logit keeps each parent's logit the mean of its children's logits, so by Jensen's inequality the children's mean probability, and the realised rate, drift from the nominal one (toward 0.5 for rare codes)"
      : "preserve: probability keeps each parent's probability the mean of its children's, so the realised rate stays at the nominal one up to sampling noise";
  return {
    id: "top-level-rates",
    title: "Nominal against realised top-level rates",
    description: `For each top-level code, its nominal probability, its children's mean probability, the rate expected from its leaves' probabilities and the observed rate in the rows. ${mode}. Nominal -> observed per code: ${gaps.join("; ")}.`,
    spec: {
      data: { values },
      mark: { type: "point", filled: true, size: 70 },
      encoding: {
        x: { field: "code", type: "nominal", title: "top-level code", axis: { labelAngle: 0 } },
        y: { field: "rate", type: "quantitative", title: "rate of target = 1" },
        color: { field: "series", type: "nominal", title: null },
        shape: { field: "series", type: "nominal", title: null },
        tooltip: [{ field: "code" }, { field: "series" }, { field: "rate", format: ".4f" }],
      },
    },
  };
}

function funnelPlot(rates: readonly CodeRate[], depth: number): Plot {
  const points: Record<string, unknown>[] = [];
  let outside = 0;
  const coverage = COVERAGES[1];
  for (const r of rates) {
    const lim = binomialLimits(r.rows, Math.min(1, Math.max(0, r.expected)), coverage);
    const out = r.observed < lim.lower || r.observed > lim.upper;
    if (out) outside++;
    points.push({
      kind: "code",
      level: `level ${r.level}`,
      code: r.code,
      rows: r.rows,
      diff: r.observed - r.expected,
      where: out ? "outside its 99.8% limits" : "inside its 99.8% limits",
    });
  }
  const lines: Record<string, unknown>[] = [];
  for (let level = 1; level <= depth; level++) {
    const at = rates.filter((r) => r.level === level);
    if (at.length === 0) continue;
    const mean = at.reduce((s, r) => s + r.expected * r.rows, 0) / at.reduce((s, r) => s + r.rows, 0);
    const lo = Math.max(1, Math.min(...at.map((r) => r.rows)));
    const hi = Math.max(lo + 1, ...at.map((r) => r.rows));
    for (let s = 0; s <= FUNNEL_STEPS; s++) {
      const n = Math.round(lo * (hi / lo) ** (s / FUNNEL_STEPS));
      for (const c of COVERAGES) {
        const lim = binomialLimits(n, mean, c);
        const band = `${c * 100}% limits`;
        lines.push({ kind: "limit", level: `level ${level}`, rows: n, diff: lim.lower - mean, band, side: "lower" });
        lines.push({ kind: "limit", level: `level ${level}`, rows: n, diff: lim.upper - mean, band, side: "upper" });
      }
    }
  }
  return {
    id: "funnel",
    title: "Funnel plot: observed minus expected rate of every code, by level",
    description: `Each point is a code: its rows (log scale) against its observed rate minus the rate its leaves' probabilities predict. The lines are exact binomial 95% and 99.8% limits at each level's mean rate; a point is marked outside when it falls outside its own exact 99.8% binomial limits. ${outside} of ${rates.length} codes are outside (about ${(rates.length * (1 - coverage)).toFixed(1)} expected by chance).`,
    spec: {
      data: { values: [...points, ...lines] },
      facet: { field: "level", type: "nominal", title: null },
      columns: 3,
      resolve: { scale: { x: "independent", y: "independent" } },
      spec: {
        width: 330,
        height: 220,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'limit'" }],
            mark: { type: "line", strokeWidth: 1.2 },
            encoding: {
              x: { field: "rows", type: "quantitative", scale: { type: "log" }, title: "rows of the code" },
              y: { field: "diff", type: "quantitative", title: "observed - expected rate" },
              detail: { field: "side" },
              strokeDash: { field: "band", type: "nominal", title: null },
              color: { value: "#555555" },
            },
          },
          {
            transform: [{ filter: "datum.kind === 'code'" }],
            mark: { type: "point", filled: true, size: 14, opacity: 0.7 },
            encoding: {
              x: { field: "rows", type: "quantitative", scale: { type: "log" } },
              y: { field: "diff", type: "quantitative" },
              color: {
                field: "where",
                type: "nominal",
                title: null,
                scale: { domain: ["inside its 99.8% limits", "outside its 99.8% limits"] },
              },
              tooltip: [{ field: "code" }, { field: "rows" }, { field: "diff", format: ".4f" }],
            },
          },
        ],
      },
    },
  };
}

/** The standardised noise terms the noise_scale check tests in logit mode: e / sqrt(|parent logit|), each parent's last child left out. */
function standardisedNoise(ix: TruthIndex, truth: TruthRows): number[] {
  const z: number[] = [];
  for (const { row, children } of ix.parents) {
    const sd = Math.sqrt(Math.abs(truth.logit[row] as number));
    if (sd === 0) continue;
    for (const c of children.slice(0, -1)) z.push((truth.noise[c] as number) / sd);
  }
  return z;
}

function qqPlot(cfg: NaicsConfig, ix: TruthIndex, truth: TruthRows, context: PlotContext): Plot {
  const qq = normalQq(standardisedNoise(ix, truth), 400);
  const ext = Math.max(3, ...qq.points.map((p) => Math.abs(p.sample)));
  const recorded = context.report.checks.find((c) => c.check === "noise_scale")?.metrics as
    | { statistic?: number; p_value?: number }
    | undefined;
  const check =
    recorded?.statistic === undefined
      ? ""
      : ` The noise_scale check recorded KS ${recorded.statistic.toFixed(4)}, p = ${recorded.p_value?.toFixed(4)}.`;
  const mode =
    cfg.preserve === "logit"
      ? ""
      : " In probability mode the kept terms are conditioned on giving probabilities inside (0, 1), so they need not look normal; the check tests every draw instead, redrawn ones included.";
  return {
    id: "noise-qq",
    title: `Normal Q-Q plot of the standardised noise (KS statistic ${qq.ksStatistic.toFixed(4)})`,
    description: `Sample quantiles of the ${qq.n} standardised noise terms e / sqrt(|parent logit|) from the truth file (each parent's last child left out: its term is fixed by the others) against standard normal quantiles; on the diagonal when the noise is Normal(0, 1). Kolmogorov-Smirnov distance to N(0, 1): ${qq.ksStatistic.toFixed(4)}.${check}${mode}`,
    spec: {
      width: 360,
      height: 360,
      layer: [
        {
          data: {
            values: [
              { x: -ext, y: -ext },
              { x: ext, y: ext },
            ],
          },
          mark: { type: "line", color: "#555555", strokeDash: [4, 3] },
          encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
        },
        {
          data: { values: qq.points },
          mark: { type: "point", filled: true, size: 16 },
          encoding: {
            x: { field: "theoretical", type: "quantitative", title: "standard normal quantile" },
            y: { field: "sample", type: "quantitative", title: "standardised noise quantile" },
          },
        },
      ],
    },
  };
}

/** Probability mode: how many children's draws were redrawn at each level to keep probabilities in (0, 1). */
function redrawsPlot(context: PlotContext): Plot | undefined {
  const metrics = context.report.checks.find((c) => c.check === "noise_scale")?.metrics as { redraws_per_level?: unknown } | undefined;
  const redraws = metrics?.redraws_per_level;
  if (!Array.isArray(redraws) || !redraws.every((n) => typeof n === "number")) return undefined;
  const values = redraws.map((count, i) => ({ level: `level ${i + 2}`, redraws: count as number }));
  return {
    id: "redraws",
    title: "Redraws per level (probability mode)",
    description: `Times a parent's children's noise was drawn again because a child's probability fell outside (0, 1), for the children at each level: ${values.map((v) => `${v.level} ${v.redraws}`).join(", ")}. Many redraws mean the noise is large for the parent probabilities.`,
    spec: {
      data: { values },
      mark: "bar",
      encoding: {
        x: { field: "level", type: "nominal", title: null, axis: { labelAngle: 0 } },
        y: { field: "redraws", type: "quantitative", title: "redraws" },
        tooltip: [{ field: "level" }, { field: "redraws" }],
      },
      height: 200,
    },
  };
}

/**
 * The naics plots of a folder (the whole data set's files; a sharded folder's first manifest).
 *
 * @throws InputError when the manifest's config, the truth file or the row file cannot be read.
 */
export async function naicsPlots(dir: string, context: PlotContext): Promise<Plot[]> {
  const manifestPath = path.join(dir, "manifest.json");
  const cfg = checkConfig(naicsConfigSchema, context.manifest.config, (p) => ({ file: manifestPath, path: ["config", ...p] }), "naics");
  const files = naicsFileNames(cfg.format);
  const { truth } = readTruth(path.join(dir, files.truth));
  const depth = cfg.branching.length;
  const ix = indexTruth(truth, depth);
  // A sharded folder: every shard's row file, in order (the first alone has the CSV header).
  const count = shardCount(context.manifest);
  const rowFiles = count ? Array.from({ length: count }, (_, index) => naicsFileNames(cfg.format, { index, count }).rows) : [files.rows];
  for (const f of rowFiles) requireRegularFile(path.join(dir, f), { what: "row file" });
  const counts: LeafCounts = { rows: new Float64Array(ix.leaves.length), ones: new Float64Array(ix.leaves.length) };
  for (const [i, f] of rowFiles.entries()) await countLeaves(path.join(dir, f), cfg.format, ix, truth, { header: i === 0, into: counts });
  const rates = codeRates(ix, truth, counts);
  const plots = [topLevelPlot(cfg, ix, truth, rates), funnelPlot(rates, depth), qqPlot(cfg, ix, truth, context)];
  const redraws = cfg.preserve === "probability" ? redrawsPlot(context) : undefined;
  return redraws ? [...plots, redraws] : plots;
}
