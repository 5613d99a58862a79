/**
 * `spec compare DIR_A DIR_B`: two `spec run` folders side by side, metric by metric, with the
 * violations each has and whether they came from the same spec and seed.
 */
import * as path from "node:path";
import { InputError } from "../../core/errors.js";
import { exists, readJsonObject } from "../../io/read-file.js";

/** One run folder, as read back. */
export interface RunSide {
  readonly dir: string;
  readonly status: string;
  readonly spec_hash: string | null;
  readonly seed: number | null;
  readonly violations: readonly Record<string, unknown>[];
}

/** One metric in both runs (null where a run does not have it). */
export interface MetricDiff {
  readonly name: string;
  readonly a: number | null;
  readonly b: number | null;
  /** b - a. */
  readonly diff: number | null;
  /** (b - a) / |a|; null when a is 0 or either side is missing. */
  readonly relative: number | null;
}

/** What `spec compare` reports. */
export interface RunComparison {
  readonly a: RunSide;
  readonly b: RunSide;
  readonly same_spec: boolean;
  readonly same_seed: boolean;
  readonly metrics: readonly MetricDiff[];
}

/** Reads one JSON file of a run folder; `name` is "report.json" or "experiment.json". */
function readRunFile(file: string, name: string): Record<string, unknown> {
  return readJsonObject(file, {
    code: "not_a_run",
    what: name,
    hint: `${name} is written by \`synthproof spec run SPEC --out DIR\`: give a folder it wrote; if it did, the file was edited or truncated, so run the spec again to rewrite it`,
  });
}

function readSide(dir: string): { side: RunSide; metrics: Record<string, unknown> } {
  const report = readRunFile(path.join(dir, "report.json"), "report.json");
  const experimentFile = path.join(dir, "experiment.json");
  const experiment = exists(experimentFile) ? readRunFile(experimentFile, "experiment.json") : {};
  const metrics = report.metrics;
  if (typeof report.status !== "string" || typeof metrics !== "object" || metrics === null || !Array.isArray(report.violations)) {
    throw new InputError("bad_run_file", `${path.join(dir, "report.json")} lacks status, metrics or violations`, {
      location: { file: path.join(dir, "report.json") },
      hint: "give a folder written by `synthproof spec run`",
    });
  }
  const side = {
    dir,
    status: report.status,
    spec_hash: typeof experiment.spec_hash === "string" ? experiment.spec_hash : null,
    seed: typeof experiment.seed === "number" ? experiment.seed : null,
    violations: report.violations as Record<string, unknown>[],
  };
  return { side, metrics: metrics as Record<string, unknown> };
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

/**
 * Compares two run folders. Metrics are listed in A's order, then those only B has.
 *
 * @throws InputError `not_a_run` when a folder has no readable report.json, `bad_json` when report.json
 *   or experiment.json is not a JSON object, `not_a_file` when one is a folder or FIFO, `bad_run_file`
 *   when report.json lacks status, metrics or violations.
 * @example compareRuns("out/a", "out/b").metrics.filter((m) => m.diff !== 0)
 */
export function compareRuns(dirA: string, dirB: string): RunComparison {
  const { side: a, metrics: ma } = readSide(dirA);
  const { side: b, metrics: mb } = readSide(dirB);

  const names = [...new Set([...Object.keys(ma), ...Object.keys(mb)])];
  const metrics = names.map((name): MetricDiff => {
    const x = num(ma[name]);
    const y = num(mb[name]);
    const diff = x === null || y === null ? null : y - x;
    return { name, a: x, b: y, diff, relative: diff === null || x === 0 ? null : diff / Math.abs(x as number) };
  });
  return {
    a,
    b,
    same_spec: a.spec_hash !== null && a.spec_hash === b.spec_hash,
    same_seed: a.seed !== null && a.seed === b.seed,
    metrics,
  };
}

const show = (v: number | null): string => (v === null ? "-" : Number(v.toPrecision(6)).toString());

/** The comparison as text: a header, a metric table and each side's violations. */
export function formatComparison(c: RunComparison): string {
  const spec = c.same_spec ? "same spec" : "different specs";
  const seed = c.same_seed ? `same seed (${c.a.seed})` : `seeds ${c.a.seed ?? "?"} and ${c.b.seed ?? "?"}`;
  const lines = [`A ${c.a.dir}: ${c.a.status}`, `B ${c.b.dir}: ${c.b.status}`, `${spec}, ${seed}`];
  const width = Math.max(6, ...c.metrics.map((m) => m.name.length));
  lines.push(`  ${"metric".padEnd(width)}  ${"A".padStart(12)}  ${"B".padStart(12)}  ${"B - A".padStart(12)}  ${"relative".padStart(9)}`);
  for (const m of c.metrics) {
    const rel = m.relative === null ? "-" : `${(m.relative * 100).toFixed(2)}%`;
    lines.push(
      `  ${m.name.padEnd(width)}  ${show(m.a).padStart(12)}  ${show(m.b).padStart(12)}  ${show(m.diff).padStart(12)}  ${rel.padStart(9)}`,
    );
  }
  for (const [side, run] of [
    ["A", c.a],
    ["B", c.b],
  ] as const) {
    for (const v of run.violations) lines.push(`  violation in ${side}: ${JSON.stringify(v)}`);
  }
  return lines.join("\n");
}
