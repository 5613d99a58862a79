/**
 * The usage plots of `synthproof report`: new adopters per service (daily from the data, against
 * the planted adoptions and the expected count per month), survival (Kaplan-Meier of the planted
 * churn days of converters against the configured curve), the weekday and month activity profile
 * against the expectation, the `num_services` distribution, each service's per-event cost on
 * single-event days on a log axis against its capped log-normal, and total cost per day with the
 * planted anomalies marked.
 *
 * Bounded summaries: one pass over the row file(s) keeps counts per day, weekday, month and
 * `num_services`, a fixed-bin histogram per service and the first use day per (account, service)
 * (an Int32 per service for accounts that use any), so memory is accounts + days, whatever the rows.
 */
import * as path from "node:path";
import { Histogram } from "../../checks/summaries.js";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { cdf } from "../../core/samplers/index.js";
import { readCsvTable, readJsonObject, requireRegularFile } from "../../io/read-file.js";
import { shardCount } from "../kit/run-manifests.js";
import type { Plot, PlotContext } from "../plot.js";
import { type UsageConfig, usageConfigSchema } from "./config.js";
import { usageFileNames } from "./generate.js";
import { buildModel, type UsageModel } from "./model.js";
import { forEachRowCells, isParquetFile } from "./row-file.js";

const REGENERATE = "regenerate the folder with `synthproof generate usage`";
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
/** Bins of a per-event cost histogram (log10 scale). */
export const COST_BINS = 30;
/** Standard deviations of log cost below the median a cost histogram starts at. */
const COST_SPAN = 4;

/** What one pass over the rows keeps. */
export interface RowSummary {
  readonly rows: number;
  readonly perDay: Float64Array;
  readonly costPerDay: Float64Array;
  readonly perWeekday: Float64Array;
  readonly perMonth: Float64Array;
  /** Rows by `num_services` (index = the count). */
  readonly numServices: Float64Array;
  /** First use day offset per (account id, service), -1 when never used. */
  readonly firstUse: Map<string, Int32Array>;
  /** log10 of the per-event cost on single-event days (labelled cost spikes left out), per service. */
  readonly costs: readonly Histogram[];
  /** Single-event days at each service's cap. */
  readonly atCap: Float64Array;
}

/** The column positions the summary reads. */
function columnsOf(header: readonly string[], model: UsageModel, file: string) {
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError("missing_column", `${file} has no column ${name}`, { location: { file }, hint: REGENERATE });
    return i;
  };
  return {
    account: at("account_id"),
    date: at("date"),
    numServices: at("num_services"),
    total: at("total_cost"),
    services: model.services.map((s) => ({ cost: at(s.columns.cost), n: at(s.columns.n) })),
  };
}

/** The cost histogram of a service: log10 cost from COST_SPAN sigmas under the median to the cap. */
function costHistogram(cost: UsageModel["services"][number]["cost"]): Histogram {
  const hi = Math.log10(cost.max);
  const lo = Math.min(hi - 0.5, Math.log10(cost.median) - (COST_SPAN * cost.sigma) / Math.LN10);
  return new Histogram(lo, hi, COST_BINS);
}

/**
 * One pass over the row files (a shard after the first has no header) into a {@link RowSummary}.
 *
 * @throws IoError when a file cannot be read; InputError when a file lacks a column the plots need.
 */
export async function summariseRows(files: readonly string[], model: UsageModel, spikes: ReadonlySet<string>): Promise<RowSummary> {
  const dayOf = new Map(model.dates.map((d, i) => [d, i]));
  const perDay = new Float64Array(model.days);
  const costPerDay = new Float64Array(model.days);
  const perWeekday = new Float64Array(7);
  const perMonth = new Float64Array(12);
  const numServices = new Float64Array(model.services.length + 1);
  const firstUse = new Map<string, Int32Array>();
  const costs = model.services.map((s) => costHistogram(s.cost));
  const atCap = new Float64Array(model.services.length);
  let rows = 0;
  let cols: ReturnType<typeof columnsOf> | undefined;
  for (const [part, file] of files.entries()) {
    // Every Parquet file has its schema; of CSV shards only the first carries the header.
    const header = part === 0 || isParquetFile(file);
    const onHeader = (names: readonly string[]) => {
      cols ??= columnsOf(names, model, file);
    };
    await forEachRowCells(file, header, onHeader, (cells) => {
      if (cells.length === 1 && cells[0] === "") return;
      if (!cols) throw new InputError("missing_header", `${files[0]} has no header line`, { location: { file }, hint: REGENERATE });
      const day = dayOf.get(cells[cols.date] ?? "");
      if (day === undefined) return;
      rows++;
      perDay[day]!++;
      costPerDay[day]! += Number(cells[cols.total]);
      perWeekday[model.weekday[day] as number]!++;
      perMonth[model.monthOfYear[day] as number]!++;
      const k = Number(cells[cols.numServices]);
      if (Number.isInteger(k) && k >= 0 && k < numServices.length) numServices[k]!++;
      const account = cells[cols.account] as string;
      cols.services.forEach((c, s) => {
        const n = Number(cells[c.n]);
        if (!(n > 0)) return;
        let first = firstUse.get(account);
        if (!first) {
          first = new Int32Array(model.services.length).fill(-1);
          firstUse.set(account, first);
        }
        if (first[s] === -1 || day < (first[s] as number)) first[s] = day;
        const service = model.services[s] as UsageModel["services"][number];
        if (n !== 1 || spikes.has(`${account},${service.name},${model.dates[day]}`)) return;
        const cost = Number(cells[c.cost]);
        if (!(cost > 0)) return;
        if (cost >= service.cost.max - 1e-9) atCap[s]!++;
        (costs[s] as Histogram).add(Math.log10(cost));
      });
    });
  }
  return { rows, perDay, costPerDay, perWeekday, perMonth, numServices, firstUse, costs, atCap };
}

interface Truth {
  readonly adoptions: Record<string, string>[];
  readonly anomalies: Record<string, string>[];
  readonly expected: Record<string, unknown>;
}

/** A truth CSV as objects by column name. */
function readCsv(file: string): Record<string, string>[] {
  const { header, rows } = readCsvTable(file, { what: "truth file", hint: REGENERATE });
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ""])));
}

function adoptersPlot(model: UsageModel, summary: RowSummary, truth: Truth): Plot {
  const values: Record<string, unknown>[] = [];
  const planted = model.services.map(() => new Float64Array(model.days));
  const dayOf = new Map(model.dates.map((d, i) => [d, i]));
  const serviceOf = new Map(model.services.map((s) => [s.name, s.index]));
  for (const a of truth.adoptions) {
    const s = serviceOf.get(a.service ?? "");
    const d = dayOf.get(a.adoption_date ?? "");
    if (s !== undefined && d !== undefined) planted[s]![d]!++;
  }
  const observed = model.services.map(() => new Float64Array(model.days));
  for (const first of summary.firstUse.values())
    first.forEach((d, s) => {
      if (d >= 0) observed[s]![d]!++;
    });
  let mismatches = 0;
  const totals: string[] = [];
  for (const s of model.services) {
    let cumObserved = 0;
    let cumPlanted = 0;
    for (let d = 0; d < model.days; d++) {
      cumObserved += observed[s.index]![d] as number;
      cumPlanted += planted[s.index]![d] as number;
      if (observed[s.index]![d] !== planted[s.index]![d]) mismatches++;
      values.push({ service: s.name, date: model.dates[d], series: "first use in the data", cumulative: cumObserved });
      values.push({ service: s.name, date: model.dates[d], series: "planted adoptions", cumulative: cumPlanted });
    }
    totals.push(`${s.name} ${cumObserved} (planted ${cumPlanted})`);
  }
  // The expected count per month, cumulated at each month's last day in range.
  const perMonth = (truth.expected.adopters_per_month ?? {}) as Record<string, { month: string; expected?: number }[]>;
  for (const s of model.services) {
    let cum = 0;
    for (const m of perMonth[s.name] ?? []) {
      cum += typeof m.expected === "number" ? m.expected : 0;
      const last = [...model.dates].reverse().find((d) => d.startsWith(m.month));
      if (last) values.push({ service: s.name, date: last, series: "expected by month end", cumulative: cum });
    }
  }
  return {
    id: "adopters",
    title: "Cumulative new adopters per service: first use in the data against the planted adoptions",
    description: `For each service, accounts whose first use falls on or before each day (the users' "new clients per day" recipe, cumulated), the planted adoption dates of truth/adoptions.csv, and the expected adopters at each month's end from truth/expected.json. Totals: ${totals.join("; ")}. Days where the daily counts differ: ${mismatches} (0 when first use equals adoption, as the model says).`,
    spec: {
      data: { values },
      layer: [
        {
          transform: [{ filter: "datum.series !== 'expected by month end'" }],
          mark: { type: "line", strokeWidth: 2 },
          encoding: {
            x: { field: "date", type: "temporal", title: null },
            y: { field: "cumulative", type: "quantitative", title: "adopters so far" },
            color: { field: "service", type: "nominal", title: null },
            strokeDash: {
              field: "series",
              type: "nominal",
              title: null,
              scale: {
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
            },
          },
        },
        {
          transform: [{ filter: "datum.series === 'expected by month end'" }],
          mark: { type: "point", shape: "diamond", filled: true, size: 50 },
          encoding: {
            x: { field: "date", type: "temporal" },
            y: { field: "cumulative", type: "quantitative" },
            color: { field: "service", type: "nominal" },
            tooltip: [{ field: "service" }, { field: "date", type: "temporal" }, { field: "cumulative" }],
          },
        },
      ],
      height: 280,
    },
  };
}

/**
 * Kaplan-Meier survival of converters from their adoption day: `churn_date - adoption_date` an
 * event, a censored row a loss at the range's end.
 */
export function kaplanMeier(times: readonly { t: number; event: boolean }[]): { t: number; survival: number }[] {
  const sorted = [...times].sort((a, b) => a.t - b.t);
  const out = [{ t: 0, survival: 1 }];
  let atRisk = sorted.length;
  let s = 1;
  let i = 0;
  while (i < sorted.length) {
    const t = (sorted[i] as { t: number }).t;
    let events = 0;
    let leaving = 0;
    while (i < sorted.length && (sorted[i] as { t: number }).t === t) {
      if ((sorted[i] as { event: boolean }).event) events++;
      leaving++;
      i++;
    }
    if (events > 0 && atRisk > 0) {
      s *= 1 - events / atRisk;
      out.push({ t, survival: s });
    }
    atRisk -= leaving;
  }
  return out;
}

function survivalPlot(model: UsageModel, truth: Truth): Plot {
  const values: Record<string, unknown>[] = [];
  const text: string[] = [];
  // Day offsets through the model's calendar: an uncensored churn falls inside the range, a
  // censored one is cut at its end; a row whose dates are not in the range is not drawn.
  const dayOf = new Map(model.dates.map((d, i) => [d, i]));
  const curves = (truth.expected.survival ?? {}) as Record<string, { by_day?: number[] }>;
  for (const s of model.services) {
    const times: { t: number; event: boolean }[] = [];
    for (const a of truth.adoptions) {
      if (a.service !== s.name || a.converted !== "1") continue;
      const censored = a.censored === "1";
      const start = dayOf.get(a.adoption_date ?? "");
      const stop = censored ? model.days : dayOf.get(a.churn_date ?? "");
      if (start !== undefined && stop !== undefined) times.push({ t: stop - start, event: !censored });
    }
    const km = kaplanMeier(times);
    const horizon = Math.max(0, ...times.map((x) => x.t));
    for (const p of km) values.push({ service: s.name, day: p.t, survival: p.survival, series: "Kaplan-Meier of the planted churn" });
    const byDay = curves[s.name]?.by_day ?? [];
    for (let t = 0; t < byDay.length && t <= Math.max(horizon, 120); t += 2)
      values.push({ service: s.name, day: t, survival: byDay[t], series: "configured" });
    for (const k of s.knots) values.push({ service: s.name, day: k.day, survival: k.survival, series: "target", kind: "target" });
    const at = (day: number) => km.filter((p) => p.t <= day).at(-1)?.survival ?? 1;
    text.push(
      `${s.name}: ${times.length} converters; ${s.knots.map((k) => `day ${k.day} ${at(k.day).toFixed(3)} (target ${k.survival})`).join(", ")}`,
    );
  }
  return {
    id: "survival",
    title: "Survival of converters after adoption: Kaplan-Meier against the configured curve",
    description: `Share of converting accounts still able to use each service t days after adoption: the Kaplan-Meier estimate from truth/adoptions.csv (censored at the end of the range), the configured survival curve (constant hazards between the retention targets) and the targets themselves (diamonds). ${text.join("; ")}.`,
    spec: {
      data: { values },
      layer: [
        {
          transform: [{ filter: "datum.series === 'Kaplan-Meier of the planted churn'" }],
          mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
          encoding: {
            x: { field: "day", type: "quantitative", title: "days since adoption" },
            y: { field: "survival", type: "quantitative", title: "still using", scale: { domain: [0, 1] } },
            color: { field: "service", type: "nominal", title: null },
          },
        },
        {
          transform: [{ filter: "datum.series === 'configured'" }],
          mark: { type: "line", strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: {
            x: { field: "day", type: "quantitative" },
            y: { field: "survival", type: "quantitative" },
            color: { field: "service", type: "nominal" },
          },
        },
        {
          transform: [{ filter: "datum.series === 'target'" }],
          mark: { type: "point", shape: "diamond", filled: true, size: 70 },
          encoding: {
            x: { field: "day", type: "quantitative" },
            y: { field: "survival", type: "quantitative" },
            color: { field: "service", type: "nominal" },
            tooltip: [{ field: "service" }, { field: "day" }, { field: "survival" }],
          },
        },
      ],
      height: 280,
    },
  };
}

function profilePlot(
  id: string,
  title: string,
  labels: readonly string[],
  observed: Float64Array,
  expected: readonly (number | undefined)[],
): Plot {
  const values = labels.flatMap((label, i) => [
    { label, order: i, series: "observed", rows: observed[i] as number },
    ...(expected[i] === undefined ? [] : [{ label, order: i, series: "expected", rows: expected[i] as number }]),
  ]);
  const worst = labels.reduce(
    (w, label, i) => {
      const e = expected[i];
      if (e === undefined || e <= 0) return w;
      const z = ((observed[i] as number) - e) / Math.sqrt(e);
      return Math.abs(z) > Math.abs(w.z) ? { z, label } : w;
    },
    { z: 0, label: "" },
  );
  return {
    id,
    title,
    description: `Active chat-days (rows) by ${id === "weekday-profile" ? "weekday" : "month"} in the data against the expectation truth/expected.json computes from the planted per-chat rates and the configured multipliers. ${labels.map((l, i) => `${l} ${observed[i]} (expected ${expected[i] === undefined ? "none" : (expected[i] as number).toFixed(0)})`).join(", ")}. Largest standardised gap: ${worst.z.toFixed(2)}${worst.label ? ` (${worst.label})` : ""}.`,
    spec: {
      data: { values },
      mark: "bar",
      encoding: {
        x: { field: "label", type: "ordinal", sort: { field: "order" }, title: null, axis: { labelAngle: 0 } },
        xOffset: { field: "series", type: "nominal" },
        y: { field: "rows", type: "quantitative", title: "active chat-days" },
        color: { field: "series", type: "nominal", title: null, scale: { domain: ["observed", "expected"] } },
        tooltip: [{ field: "label" }, { field: "series" }, { field: "rows", format: ".0f" }],
      },
      height: 220,
    },
  };
}

/** The expected means of expected.json's `key` section, by its keys (`Mon`.., or `01`..`12`: by name, never by order). */
function profileExpectation(expected: Record<string, unknown>, key: string, keys: readonly string[]): (number | undefined)[] {
  const doc = (expected[key] ?? {}) as Record<string, { mean?: unknown }>;
  return keys.map((k) => {
    const m = doc[k]?.mean;
    return typeof m === "number" ? m : undefined;
  });
}

/** expected.json's month keys. */
const MONTH_KEYS = MONTHS.map((_, i) => String(i + 1).padStart(2, "0"));

function numServicesPlot(summary: RowSummary): Plot {
  const values = Array.from(summary.numServices, (rows, k) => ({
    services: String(k),
    rows,
    share: summary.rows ? rows / summary.rows : 0,
  }));
  return {
    id: "num-services",
    title: "Rows by the number of services used that chat-day",
    description: `The distribution users check with df["num_services"].value_counts(normalize=True): ${values.map((v) => `${v.services}: ${(v.share * 100).toFixed(2)}%`).join(", ")} of ${summary.rows} rows.`,
    spec: {
      data: { values },
      mark: "bar",
      encoding: {
        x: { field: "services", type: "ordinal", title: "num_services", axis: { labelAngle: 0 } },
        y: { field: "share", type: "quantitative", title: "share of rows", axis: { format: "%" } },
        tooltip: [{ field: "services" }, { field: "rows" }, { field: "share", format: ".2%" }],
      },
      height: 200,
    },
  };
}

function costPlot(model: UsageModel, summary: RowSummary, s: number): Plot {
  const service = model.services[s] as UsageModel["services"][number];
  const h = summary.costs[s] as Histogram;
  const n = h.counts.reduce((a, b) => a + b, 0) + h.below + h.above;
  const law = { distribution: "lognormal", params: { meanlog: Math.log(service.cost.median), sdlog: service.cost.sigma } } as const;
  const capMass = 1 - cdf(law, service.cost.max);
  const rows = h.rows().map((r, i, all) => {
    const a = 10 ** r.start;
    const b = 10 ** r.end;
    // The cap's mass (every cost above it is written as the cap) lands in the last bin.
    const mass = cdf(law, b) - cdf(law, a) + (i === all.length - 1 ? capMass : 0);
    return { ...r, mid: (r.start + r.end) / 2, expected: n * mass };
  });
  return {
    id: `cost-${service.name}`,
    title: `${service.name}: cost per event on single-event days (log scale) against LogNormal(log ${service.cost.median}, ${service.cost.sigma}) capped at ${service.cost.max}`,
    description: `${n} single-event days of ${service.name} (labelled cost spikes left out), in ${COST_BINS} bins of log10 cost from ${(10 ** h.lo).toPrecision(3)} to the cap ${service.cost.max}; ${h.below} fall below the range. ${summary.atCap[s]} are at the cap (expected share ${(capMass * 100).toFixed(2)}%: ${(n * capMass).toFixed(1)}). The line is the count the capped log-normal predicts in each bin.`,
    spec: {
      data: { values: rows },
      layer: [
        {
          mark: "bar",
          encoding: {
            x: { field: "start", type: "quantitative", bin: { binned: true }, title: "log10 cost per event" },
            x2: { field: "end" },
            y: { field: "count", type: "quantitative", title: "days per bin" },
            color: { datum: "observed" },
            tooltip: [
              { field: "start", format: ".3f" },
              { field: "end", format: ".3f" },
              { field: "count" },
              { field: "expected", format: ".1f" },
            ],
          },
        },
        {
          mark: { type: "line", strokeWidth: 2, point: { size: 14 } },
          encoding: {
            x: { field: "mid", type: "quantitative" },
            y: { field: "expected", type: "quantitative" },
            color: { datum: "expected from the config" },
          },
        },
      ],
      height: 220,
    },
  };
}

function costPerDayPlot(model: UsageModel, summary: RowSummary, truth: Truth): Plot {
  const dayOf = new Map(model.dates.map((d, i) => [d, i]));
  const values: Record<string, unknown>[] = model.dates.map((date, d) => ({ kind: "day", date, cost: summary.costPerDay[d] }));
  const byKind = new Map<string, number>();
  for (const a of truth.anomalies) {
    const d = dayOf.get(a.date ?? "");
    if (d === undefined) continue;
    byKind.set(a.kind ?? "?", (byKind.get(a.kind ?? "?") ?? 0) + 1);
    values.push({
      kind: "anomaly",
      anomaly: a.kind,
      date: a.date,
      cost: summary.costPerDay[d],
      account: a.account_id,
      service: a.service,
      factor: a.factor,
    });
  }
  const total = summary.costPerDay.reduce((a, b) => a + b, 0);
  return {
    id: "cost-per-day",
    title: "Total cost per day, with the planted anomalies marked",
    description: `The sum of total_cost over every row of each day (${total.toFixed(2)} over the range), and each planted anomaly of truth/anomalies.csv at its day (first day of an outage): ${[...byKind].map(([k, c]) => `${c} ${k}`).join(", ") || "none planted"}.`,
    spec: {
      data: { values },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'day'" }],
          mark: { type: "line", strokeWidth: 1.2, color: "#555555" },
          encoding: {
            x: { field: "date", type: "temporal", title: null },
            y: { field: "cost", type: "quantitative", title: "total cost" },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'anomaly'" }],
          mark: { type: "point", filled: true, size: 40 },
          encoding: {
            x: { field: "date", type: "temporal" },
            y: { field: "cost", type: "quantitative" },
            color: { field: "anomaly", type: "nominal", title: null },
            shape: { field: "anomaly", type: "nominal", title: null },
            tooltip: [{ field: "anomaly" }, { field: "account" }, { field: "service" }, { field: "date" }, { field: "factor" }],
          },
        },
      ],
      height: 260,
    },
  };
}

/**
 * The usage plots of a folder (the whole data set's, or every shard's).
 *
 * @throws InputError when the manifest's config or a truth file cannot be read; IoError when a row file cannot.
 */
export async function usagePlots(dir: string, context: PlotContext): Promise<Plot[]> {
  const manifestPath = path.join(dir, "manifest.json");
  const cfg: UsageConfig = checkConfig(
    usageConfigSchema,
    context.manifest.config,
    (p) => ({ file: manifestPath, path: ["config", ...p] }),
    "usage",
  );
  const model = buildModel(cfg);
  const count = shardCount(context.manifest);
  const parts = count ? Array.from({ length: count }, (_, index) => usageFileNames(cfg, { index, count })) : [usageFileNames(cfg)];
  const first = parts[0] as ReturnType<typeof usageFileNames>;
  const truth: Truth = {
    adoptions: readCsv(path.join(dir, first.adoptions)),
    anomalies: parts.flatMap((p) => readCsv(path.join(dir, p.anomalies))),
    // Expected profiles are per part: summed over the shards.
    expected: sumExpected(parts.map((p) => readJsonObject(path.join(dir, p.expected), { what: "expected file", hint: REGENERATE }))),
  };
  const files = parts.map((p) => path.join(dir, p.rows));
  for (const f of files) requireRegularFile(f, { what: "row file" });
  const spikes = new Set(truth.anomalies.filter((a) => a.kind === "cost_spike").map((a) => `${a.account_id},${a.service},${a.date}`));
  const summary = await summariseRows(files, model, spikes);
  return [
    adoptersPlot(model, summary, truth),
    survivalPlot(model, truth),
    profilePlot(
      "weekday-profile",
      "Active chat-days by weekday: observed against expected",
      WEEKDAYS,
      summary.perWeekday,
      profileExpectation(truth.expected, "activity_by_weekday", WEEKDAYS),
    ),
    profilePlot(
      "month-profile",
      "Active chat-days by month: observed against expected",
      MONTHS,
      summary.perMonth,
      profileExpectation(truth.expected, "activity_by_month", MONTH_KEYS),
    ),
    numServicesPlot(summary),
    ...model.services.map((_, s) => costPlot(model, summary, s)),
    costPerDayPlot(model, summary, truth),
  ];
}

/** The shards' expected.json with their weekday and month means summed (the rest is the first's). */
function sumExpected(docs: readonly Record<string, unknown>[]): Record<string, unknown> {
  if (docs.length <= 1) return docs[0] ?? {};
  const sum = (key: string) => {
    const out: Record<string, { mean: number }> = {};
    for (const d of docs)
      for (const [k, v] of Object.entries((d[key] ?? {}) as Record<string, { mean?: unknown }>))
        out[k] = { mean: (out[k]?.mean ?? 0) + (typeof v?.mean === "number" ? v.mean : 0) };
    return out;
  };
  return { ...docs[0], activity_by_weekday: sum("activity_by_weekday"), activity_by_month: sum("activity_by_month") };
}
