/**
 * The HTML report of a `spec run --seeds N` folder, built from its seeds.json alone: the verdict
 * and one row per check (is its failure count what its stated false-failure rate allows?), the
 * sweep's facts, then the plots: each check's pass rate against the band a calibrated check stays
 * in, and each statistical test's p-value histogram against the flat line a calibrated test gives.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type CheckResult, check, report as gather, type Report } from "../../checks/result.js";
import { binomialLimits } from "../../checks/summaries.js";
import { InputError } from "../../core/errors.js";
import { hashFile } from "../../io/hash-file.js";
import { readJsonObject } from "../../io/read-file.js";
import { writePage } from "../kit/report/build.js";
import { reportPage } from "../kit/report/page.js";
import { renderPlots } from "../kit/report/render.js";
import type { Plot } from "../plot.js";
import { AllViolations } from "./requirement-checks.js";
import { type CheckSummary, SEEDS_ALPHA, type SeedsSummary } from "./seeds.js";

/** The file `spec run --seeds` writes. */
export const SEEDS_FILE = "seeds.json";

const HINT = "give a folder written by `synthproof spec run SPEC --seeds N --out DIR`";

/** What seeds.json holds: the summary and where it came from. */
export type SeedsFile = SeedsSummary & { readonly spec_hash?: string; readonly source?: string | null; readonly contract?: unknown };

/** The largest number of failures in `runs` a check failing at rate `alpha` reaches with probability at least {@link SEEDS_ALPHA}. */
function mostFailures(runs: number, alpha: number): number {
  return Math.round(binomialLimits(runs, alpha, 1 - 2 * SEEDS_ALPHA).upper * runs);
}

/** One check of the sweep as a row of the page's check table. */
function summaryCheck(c: CheckSummary): CheckResult {
  const failures = c.runs - c.passes;
  const violations = new AllViolations();
  if (!c.consistent)
    violations.add(
      c.alpha === null
        ? { check: c.label, failures, runs: c.runs, expected_failures: 0, problem: "a tolerance check failed on some seeds" }
        : { check: c.label, failures, runs: c.runs, alpha: c.alpha, p_value: c.p_value, problem: "fails more often than its alpha allows" },
    );
  const means = Object.fromEntries(Object.entries(c.metrics).map(([k, v]) => [`mean ${k}`, v.mean]));
  const description =
    c.alpha === null
      ? `passes on every seed: a tolerance check has no stated false-failure rate, so one failure means the tolerance is tighter than the sampling noise (or the data is wrong)`
      : `fails on no more seeds than a calibrated test at alpha ${c.alpha} allows (a binomial test of its ${failures} failure(s) in ${c.runs})`;
  return check(
    c.label,
    description,
    { passes: c.passes, runs: c.runs, pass_rate: c.pass_rate, ...(c.p_value === null ? {} : { p_value: c.p_value }), ...means },
    violations,
    c.alpha === null ? undefined : SEEDS_ALPHA,
  );
}

/** Each check's pass rate, with the band a calibrated check's pass rate stays in (99.9% of sweeps). */
function passRatePlot(s: SeedsFile): Plot {
  const values = s.checks.flatMap((c) => {
    const floor = c.alpha === null ? 1 : 1 - mostFailures(c.runs, c.alpha) / c.runs;
    return [
      { label: c.label, kind: "observed", rate: c.pass_rate, status: c.consistent ? "consistent" : "too many failures" },
      { label: c.label, kind: "band", low: floor, high: 1, nominal: c.alpha === null ? 1 : 1 - c.alpha },
    ];
  });
  const text = s.checks
    .map((c) => {
      const floor = c.alpha === null ? 1 : 1 - mostFailures(c.runs, c.alpha) / c.runs;
      return `${c.label}: ${c.passes}/${c.runs} passed (${(c.pass_rate * 100).toFixed(1)}%), ${c.alpha === null ? "must pass on every seed" : `a calibrated test at alpha ${c.alpha} passes at ${((1 - c.alpha) * 100).toFixed(1)}% and stays at or above ${(floor * 100).toFixed(1)}% in 99.9% of sweeps`}`;
    })
    .join("; ");
  return {
    id: "pass-rates",
    title: `Pass rate of each check over ${s.seeds} seeds, against its binomial band`,
    description: `Each dot is the share of the ${s.seeds} seeds at which the check passed; the grey bar is the band a correct check's pass rate stays in for 99.9% of sweeps of this size (binomial at its stated alpha; a tolerance check must pass on every seed) and the tick its nominal rate. ${text}.`,
    spec: {
      data: { values },
      height: { step: 34 },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'band'" }],
          mark: { type: "bar", height: 14, color: "#d0d0d0" },
          encoding: {
            y: { field: "label", type: "nominal", title: null, axis: { labelLimit: 320 } },
            x: { field: "low", type: "quantitative", title: "pass rate", scale: { zero: false, padding: 8 } },
            x2: { field: "high" },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'band'" }],
          mark: { type: "tick", thickness: 2, color: "#555555", height: 18 },
          encoding: { y: { field: "label", type: "nominal" }, x: { field: "nominal", type: "quantitative" } },
        },
        {
          transform: [{ filter: "datum.kind === 'observed'" }],
          mark: { type: "point", filled: true, size: 90 },
          encoding: {
            y: { field: "label", type: "nominal" },
            x: { field: "rate", type: "quantitative" },
            color: {
              field: "status",
              type: "nominal",
              title: null,
              scale: { domain: ["consistent", "too many failures"], range: ["#0072B2", "#D55E00"] },
            },
            shape: {
              field: "status",
              type: "nominal",
              title: null,
              scale: { domain: ["consistent", "too many failures"], range: ["circle", "cross"] },
            },
            tooltip: [{ field: "label" }, { field: "rate", format: ".3f" }],
          },
        },
      ],
    },
  };
}

/** One statistical test's p-values over the seeds, against the flat count of a calibrated test and its 95% band per bin. */
function pValuePlot(c: CheckSummary, index: number): Plot | undefined {
  const counts = c.p_value_histogram;
  if (!counts || counts.length === 0) return undefined;
  const n = counts.reduce((a, b) => a + b, 0);
  const bins = counts.length;
  const band = binomialLimits(n, 1 / bins, 0.95);
  const values = counts.map((count, i) => ({
    start: i / bins,
    end: (i + 1) / bins,
    count,
    expected: n / bins,
    low: band.lower * n,
    high: band.upper * n,
  }));
  const outside = values.filter((v) => v.count < v.low || v.count > v.high).length;
  return {
    id: `p-values-${index}`,
    title: `${c.label}: p-values over ${n} seeds`,
    description: `The test's p-value at each of ${n} seeds, in ${bins} bins of width ${1 / bins}. A calibrated test gives a flat histogram: about ${(n / bins).toFixed(1)} per bin (the line), each bin between the dotted 95% binomial limits but for about 1 in 20. ${outside} of ${bins} bins fall outside. Too many in the first bin means the test rejects correct data too often; a pile-up near 1 means it is conservative.`,
    spec: {
      data: { values },
      height: 220,
      layer: [
        {
          mark: { type: "bar", color: "#0072B2", opacity: 0.85 },
          encoding: {
            x: { field: "start", type: "quantitative", bin: { binned: true }, title: "p-value", scale: { domain: [0, 1] } },
            x2: { field: "end" },
            y: { field: "count", type: "quantitative", title: "seeds per bin" },
            tooltip: [{ field: "start" }, { field: "end" }, { field: "count" }, { field: "expected", format: ".1f" }],
          },
        },
        {
          mark: { type: "rule", color: "#D55E00", strokeWidth: 2, strokeDash: [6, 3] },
          encoding: { y: { datum: n / bins } },
        },
        {
          mark: { type: "rule", color: "#555555", strokeWidth: 1.5, strokeDash: [2, 2] },
          encoding: { y: { datum: band.lower * n } },
        },
        {
          mark: { type: "rule", color: "#555555", strokeWidth: 1.5, strokeDash: [2, 2] },
          encoding: { y: { datum: band.upper * n } },
        },
      ],
    },
  };
}

/** The plots of a sweep: pass rates, then a p-value histogram per statistical test. */
export function seedsPlots(s: SeedsFile): Plot[] {
  const plots = s.checks.map((c) => pValuePlot(c, c.index)).filter((p): p is Plot => p !== undefined);
  return [passRatePlot(s), ...plots];
}

/** The checks a sweep's page shows, with a row for a code generator that broke its contract. */
export function seedsReport(s: SeedsFile): Report {
  const checks = s.checks.map(summaryCheck);
  if (s.contract_failures > 0) {
    const v = new AllViolations();
    v.add({ check: "code_contract", seeds: s.contract_failures, problem: "the code generator broke its contract at these seeds" });
    checks.unshift(check("code_contract", "the code generator keeps its contract at every seed", { failures: s.contract_failures }, v));
  }
  return gather(checks);
}

/**
 * Reads a sweep folder's seeds.json.
 *
 * @throws InputError when the file is missing, unreadable or not a sweep's summary.
 */
export function readSeedsFile(dir: string): SeedsFile {
  const file = path.join(dir, SEEDS_FILE);
  const doc = readJsonObject(file, { what: "seeds summary", hint: HINT });
  const ok =
    Array.isArray(doc.checks) &&
    typeof doc.seeds === "number" &&
    doc.checks.every(
      (c: unknown) =>
        typeof c === "object" &&
        c !== null &&
        typeof (c as CheckSummary).label === "string" &&
        typeof (c as CheckSummary).passes === "number" &&
        typeof (c as CheckSummary).runs === "number",
    );
  if (!ok)
    throw new InputError("not_a_sweep", `${file} is not a seeds summary of \`spec run --seeds\`: it has no list of checks`, {
      location: { file },
      hint: HINT,
    });
  return {
    ...(doc as unknown as SeedsFile),
    contract_failures: typeof doc.contract_failures === "number" ? doc.contract_failures : 0,
    checks: (doc.checks as CheckSummary[]).map((c, i) => ({
      ...c,
      index: typeof c.index === "number" ? c.index : i,
      alpha: typeof c.alpha === "number" ? c.alpha : null,
      p_value: typeof c.p_value === "number" ? c.p_value : null,
      metrics: c.metrics ?? {},
      // A summary written before p-values were kept has none to draw.
      p_value_histogram: Array.isArray(c.p_value_histogram) ? c.p_value_histogram : null,
    })),
  };
}

function fileRecord(state: ReturnType<typeof hashFile>): { bytes: number | string; sha256: string } {
  return state.kind === "file" ? { bytes: state.bytes, sha256: state.sha256 } : { bytes: "?", sha256: state.kind };
}

/** True when `dir` holds a sweep's summary and no run's manifest. */
export function isSeedsFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, SEEDS_FILE)) && !fs.existsSync(path.join(dir, "manifest.json"));
}

/**
 * Writes `DIR/report.html` for the sweep in `DIR/seeds.json` and returns what it wrote.
 *
 * @throws InputError when seeds.json cannot be read; IoError when the page cannot be written.
 * @example await writeSeedsReport("out/lin200")
 */
export async function writeSeedsReport(
  dir: string,
  options: { readonly timings?: Readonly<Record<string, number>> } = {},
): Promise<{ file: string; bytes: number; status: Report["status"]; plots: number }> {
  const started = performance.now();
  const s = readSeedsFile(dir);
  const report = seedsReport(s);
  const plots = await renderPlots(seedsPlots(s));
  const file = path.join(dir, SEEDS_FILE);
  const manifest = {
    generator: "synthproof/spec",
    seed: `${s.first_seed} .. ${s.first_seed + s.seeds - 1} (${s.seeds} seeds, ${s.num_samples} samples each)`,
    generator_version: "(a sweep keeps no data)",
    status: s.status,
    config: s.contract ?? { spec_hash: s.spec_hash ?? null, source: s.source ?? null },
    files: { [SEEDS_FILE]: fileRecord(hashFile(file)) },
  };
  const html = reportPage({
    scenario: "spec sweep",
    dir,
    manifest,
    report,
    reportSource: `seeds.json of \`spec run --seeds ${s.seeds}\`; each row says whether the check's failures over the seeds are what its stated false-failure rate allows (a consistency test at ${SEEDS_ALPHA})`,
    plots,
    notes: [],
    timings: { ...options.timings, "report page": (performance.now() - started) / 1000 },
  });
  return { file: writePage(dir, html), bytes: Buffer.byteLength(html), status: report.status, plots: plots.length };
}
