/**
 * `spec run`: a checked spec becomes data, a report and an experiment record in an output folder
 * (each file whole or not at all), and one line in the experiments index beside that folder.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "../../core/canonical-json.js";
import type { Table } from "../../core/table.js";
import { OutputSet } from "../../io/atomic.js";
import { encodeCsv } from "../../io/csv.js";
import { generateSpec, specData, testDistribution } from "./generate-spec.js";
import { type SpecReport, specReport } from "./spec-checks.js";
import type { Spec } from "./spec-schema.js";

/** What a run produced. */
export interface SpecRun {
  readonly report: SpecReport;
  readonly experiment: Record<string, unknown>;
  readonly files: readonly string[];
  /** The experiments index the run appended to. */
  readonly index: string;
}

/** SHA-256 of the spec's canonical JSON (keys sorted): the same spec always hashes the same. */
export function specHash(spec: Spec): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex");
}

/** The visible columns as a table (categorical labels as strings). */
function dataTable(columns: ReturnType<typeof generateSpec>, length: number): Table {
  return {
    length,
    columns: columns
      .filter((c) => !c.hidden)
      .map((c) =>
        c.labels
          ? { kind: "string" as const, name: c.name, values: Array.from(c.values, (i) => (c.labels as readonly string[])[i] ?? null) }
          : { kind: "float" as const, name: c.name, values: c.values },
      ),
  };
}

/**
 * Generates the data a spec describes, checks it, and writes `data.csv`, `report.json` and
 * `experiment.json` into `out`; appends the experiment to `experiments.jsonl` in out's parent.
 * `clock` (milliseconds) times the stages; the CLI passes `performance.now`.
 *
 * @example const { report } = runSpec(spec, "out/linear", () => performance.now());
 */
export function runSpec(spec: Spec, out: string, clock: () => number, source?: string): SpecRun {
  const t0 = clock();
  const columns = generateSpec(spec);
  const t1 = clock();
  const report = specReport(spec.validation_requirements, specData(columns, spec.num_samples), testDistribution);
  const t2 = clock();
  const experiment = {
    spec_hash: specHash(spec),
    seed: spec.seed,
    num_samples: spec.num_samples,
    source: source ?? null,
    contract: spec,
    status: report.status,
    report,
    timing_seconds: { generate: (t1 - t0) / 1000, checks: (t2 - t1) / 1000 },
  };
  const files = new OutputSet(out);
  try {
    files.writeFile("data.csv", encodeCsv(dataTable(columns, spec.num_samples)));
    files.writeFile(
      "report.json",
      `${JSON.stringify({ status: report.status, metrics: report.metrics, violations: report.violations }, null, 2)}\n`,
    );
    files.writeFile("experiment.json", `${JSON.stringify(experiment, null, 2)}\n`);
    files.commit();
  } catch (error) {
    files.abort();
    throw error;
  }
  const index = path.join(path.dirname(path.resolve(out)), "experiments.jsonl");
  const line = {
    spec_hash: experiment.spec_hash,
    seed: spec.seed,
    out: path.resolve(out),
    status: report.status,
    metrics: report.metrics,
    violations: report.violations.length,
  };
  fs.appendFileSync(index, `${JSON.stringify(line)}\n`);
  return { report, experiment, files: ["data.csv", "report.json", "experiment.json"], index };
}
