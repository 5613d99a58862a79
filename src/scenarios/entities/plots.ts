/**
 * The entities plots of `synthproof report`: records and duplicates per source, corruptions per
 * operator and field, pairs by kind and split, and each cached feature's distribution by label (so
 * a user sees how close the hard negatives come to the matches). Drawn from bounded summaries:
 * the manifest's volumes, the summary's pair counts, a count per (operator, field) streamed from
 * the corruption log, and a fixed-bin histogram per feature and label streamed from the pair files.
 */
import * as path from "node:path";
import { Histogram } from "../../checks/summaries.js";
import { IoError } from "../../core/errors.js";
import type { RawColumn } from "../../io/parquet.js";
import { readFileText, readJsonObject } from "../../io/read-file.js";
import type { Plot, PlotContext } from "../plot.js";
import { SUMMARY_FILE } from "./summary-table.js";

export { SUMMARY_FILE } from "./summary-table.js";

const SPLITS = ["train", "valid", "test"] as const;
/** Columns of a pair file that are not cached features. */
const NOT_FEATURES = new Set(["src_a", "id_a", "src_b", "id_b", "y", "kind"]);
const BINS = 20;

function volumesPlot(manifest: Record<string, unknown>): Plot {
  const volumes = (manifest.volumes ?? {}) as Record<string, { base?: number; duplicates?: number; records?: number; shared?: number }>;
  const values = Object.entries(volumes).flatMap(([source, v]) => [
    { source, part: "base records", records: v.base ?? 0 },
    { source, part: "duplicates", records: v.duplicates ?? 0 },
  ]);
  const text = Object.entries(volumes)
    .map(
      ([s, v]) =>
        `${s}: ${v.records ?? "?"} records, ${v.duplicates ?? "?"} duplicates, ${v.shared ?? 0} entities shared with larger sources`,
    )
    .join("; ");
  return {
    id: "records-per-source",
    title: "Records and duplicates per source",
    description: `Records of each source, split into base records and planted within-source duplicates. ${text}.`,
    spec: {
      data: { values },
      mark: "bar",
      encoding: {
        y: { field: "source", type: "nominal", title: null, sort: "-x" },
        x: { field: "records", type: "quantitative", stack: "zero", title: "records" },
        color: { field: "part", type: "nominal", title: null },
        tooltip: [{ field: "source" }, { field: "part" }, { field: "records" }],
      },
      height: { step: 36 },
    },
  };
}

/**
 * Counts of (operator, field) in the corruption log (a quoted value may hold a comma or a line
 * break). Parsed by d3-dsv, not csv-parse as elsewhere: on the default log (17k rows) csv-parse
 * took 210-310 ms in a fresh process (its parser is slow until optimised), d3-dsv 32 ms. d3-dsv
 * does not reject a malformed file; the page shows what is there, and `verify` names the problem.
 */
async function corruptionCounts(file: string): Promise<Map<string, number>> {
  const text = readFileText(file, { what: "corruption log" });
  const { csvParseRows } = await import("d3-dsv");
  const counts = new Map<string, number>();
  let operator = -1;
  let field = -1;
  csvParseRows(text, (row) => {
    if (operator < 0) {
      operator = row.indexOf("operator");
      field = row.indexOf("field");
      if (operator < 0 || field < 0)
        throw new IoError("bad_truth", `cannot read ${file}: its header has no ${operator < 0 ? "operator" : "field"} column`, {
          location: { file },
          hint: "regenerate the folder with `synthproof generate entities`",
        });
      return null;
    }
    const key = `${row[operator] ?? "?"}\u0000${row[field] ?? "?"}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return null;
  });
  return counts;
}

function corruptionsPlot(counts: Map<string, number>): Plot {
  const values = [...counts].map(([key, count]) => {
    const [operator, field] = key.split("\u0000");
    return { operator, field, count };
  });
  const byOperator = new Map<string, number>();
  for (const v of values) byOperator.set(v.operator as string, (byOperator.get(v.operator as string) ?? 0) + v.count);
  const ranked = [...byOperator].sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((s, [, n]) => s + n, 0);
  return {
    id: "corruptions",
    title: "Corruptions per operator and field",
    description: `Entries of truth/corruptions.csv (${total} in all) by the operator that made them (rows) and the field it changed (columns). By operator: ${ranked.map(([o, n]) => `${o} ${n}`).join(", ")}.`,
    spec: {
      data: { values },
      encoding: {
        y: { field: "operator", type: "nominal", title: null, sort: ranked.map(([o]) => o) },
        x: { field: "field", type: "nominal", title: "field changed", axis: { labelAngle: -40 } },
      },
      // A heat map, not a bar per field: a dozen fields would need a dozen hues, more than a
      // colour-blind-safe palette has; one sequential scale (viridis) plus the counts as text needs none.
      layer: [
        {
          mark: "rect",
          encoding: {
            color: { field: "count", type: "quantitative", scale: { scheme: "viridis", type: "sqrt" }, title: "corruptions" },
            tooltip: [{ field: "operator" }, { field: "field" }, { field: "count" }],
          },
        },
        {
          mark: { type: "text", fontSize: 10 },
          encoding: {
            text: { field: "count", type: "quantitative" },
            color: { condition: { test: `datum.count > ${Math.max(...values.map((v) => v.count)) / 3}`, value: "black" }, value: "white" },
          },
        },
      ],
      width: { step: 52 },
      height: { step: 24 },
    },
  };
}

function pairsPlot(summary: Record<string, unknown>): Plot | undefined {
  const pairs = summary.pairs as Record<string, Record<string, number>> | undefined;
  if (!pairs) return undefined;
  const values = Object.entries(pairs).flatMap(([split, kinds]) => Object.entries(kinds).map(([kind, count]) => ({ split, kind, count })));
  const totals = Object.entries(pairs).map(([split, kinds]) => `${split} ${Object.values(kinds).reduce((a, b) => a + b, 0)}`);
  return {
    id: "pairs",
    title: "Labelled pairs by kind and split",
    description: `Pairs per kind (positive matches, each hard-negative rule, random negatives) in each split. Pairs per split: ${totals.join(", ")}. ${values.map((v) => `${v.split}/${v.kind} ${v.count}`).join(", ")}.`,
    spec: {
      data: { values },
      mark: "bar",
      encoding: {
        y: { field: "kind", type: "nominal", title: null },
        yOffset: { field: "split", sort: [...SPLITS] },
        x: { field: "count", type: "quantitative", title: "pairs" },
        color: { field: "split", type: "nominal", sort: [...SPLITS], title: "split" },
        tooltip: [{ field: "split" }, { field: "kind" }, { field: "count" }],
      },
      height: 320,
    },
  };
}

/** The label a pair gets in the feature plot: a match, a hard negative (any rule) or a random negative. */
function labelOf(y: string | null, kind: string | null): string {
  if (y === "1") return "match";
  return kind?.startsWith("hard_") ? "hard negative" : "random negative";
}

function getOrMake<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** A numeric column of a batch as a row reader: its stored numbers where it has them (the cached features), else parsed from text (null for a blank). */
export function numbersOf(
  raw: RawColumn | undefined,
  column: ((row: number) => string | null) | undefined,
): (row: number) => number | null {
  if (raw?.kind === "int" || raw?.kind === "float") {
    const values = raw.values;
    return (row) => values[row] as number;
  }
  return (row) => {
    const v = column?.(row);
    return v === null || v === undefined || v === "" ? null : Number(v);
  };
}

/** Histograms of every cached feature by label, over every split's pair file. */
async function featureHistograms(dir: string): Promise<{ histograms: Map<string, Map<string, Histogram>>; pairs: Map<string, number> }> {
  const { readParquetBatches } = await import("../../io/parquet.js");
  const histograms = new Map<string, Map<string, Histogram>>();
  const pairs = new Map<string, number>();
  for (const split of SPLITS) {
    for await (const batch of readParquetBatches(path.join(dir, "pairs", `${split}.parquet`))) {
      const y = batch.columns[batch.names.indexOf("y")];
      const kind = batch.columns[batch.names.indexOf("kind")];
      const features = batch.names.flatMap((name, j) =>
        NOT_FEATURES.has(name)
          ? []
          : [
              {
                byLabel: getOrMake(histograms, name, () => new Map<string, Histogram>()),
                value: numbersOf(batch.raw[j], batch.columns[j]),
              },
            ],
      );
      // Each label's histogram of every feature, looked up once per label instead of per cell.
      const perLabel = new Map<string, Histogram[]>();
      for (let i = 0; i < batch.length; i++) {
        const label = labelOf(y?.(i) ?? null, kind?.(i) ?? null);
        pairs.set(label, (pairs.get(label) ?? 0) + 1);
        const hs = getOrMake(perLabel, label, () => features.map((f) => getOrMake(f.byLabel, label, () => new Histogram(0, 1, BINS))));
        for (let f = 0; f < features.length; f++) {
          const v = (features[f] as (typeof features)[number]).value(i);
          if (v !== null) (hs[f] as Histogram).add(v);
        }
      }
    }
  }
  return { histograms, pairs };
}

function featuresPlot({ histograms, pairs }: Awaited<ReturnType<typeof featureHistograms>>): Plot {
  const values: Record<string, unknown>[] = [];
  const means: string[] = [];
  for (const [feature, byLabel] of histograms) {
    const parts: string[] = [];
    for (const [label, h] of byLabel) {
      const n = pairs.get(label) ?? 1;
      let sum = 0;
      for (const r of h.rows()) {
        values.push({ feature, label, value: (r.start + r.end) / 2, share: r.count / n });
        sum += r.count * ((r.start + r.end) / 2);
      }
      parts.push(`${label} ${(sum / n).toFixed(2)}`);
    }
    means.push(`${feature}: ${parts.join(", ")}`);
  }
  return {
    id: "features",
    title: "Each cached feature's distribution by label",
    description: `Share of pairs in each of ${BINS} bins of every cached feature (all splits), for matches, hard negatives and random negatives: the closer the hard negatives sit to the matches, the harder the data set. Mean value (bin midpoints): ${means.join("; ")}.`,
    spec: {
      data: { values },
      facet: { field: "feature", type: "nominal", title: null },
      columns: 4,
      spec: {
        width: 230,
        height: 150,
        mark: { type: "line", interpolate: "step", point: { size: 12 } },
        encoding: {
          x: { field: "value", type: "quantitative", title: "feature value", scale: { domain: [0, 1] } },
          y: { field: "share", type: "quantitative", title: "share of pairs" },
          color: { field: "label", type: "nominal", title: null, sort: ["match", "hard negative", "random negative"] },
          tooltip: [{ field: "label" }, { field: "value", format: ".2f" }, { field: "share", format: ".3f" }],
        },
      },
    },
  };
}

/**
 * The entities plots of a folder.
 *
 * @throws InputError / IoError when the summary, the corruption log or a pair file cannot be read.
 */
export async function entitiesPlots(dir: string, context: PlotContext): Promise<Plot[]> {
  const summary = readJsonObject(path.join(dir, SUMMARY_FILE), { what: "summary" });
  const plots = [volumesPlot(context.manifest), corruptionsPlot(await corruptionCounts(path.join(dir, "truth", "corruptions.csv")))];
  const pairs = pairsPlot(summary);
  if (pairs) plots.push(pairs);
  plots.push(featuresPlot(await featureHistograms(dir)));
  return plots;
}
