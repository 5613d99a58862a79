/**
 * `spec run`: a checked spec becomes data, a report and an experiment record in an output folder
 * (each file whole or not at all), and one line in the experiments index beside that folder.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "../../core/canonical-json.js";
import type { Column, Table } from "../../core/table.js";
import { writeOutputs } from "../../io/atomic.js";
import { csvHeader, encodeCsvRows } from "../../io/csv.js";
import { ROW_GROUP_ROWS, writeParquet } from "../../io/parquet.js";
import { codeViolations, contractColumns, readCode } from "./contract-columns.js";
import type { Contract } from "./contract-schema.js";
import { checkedData, type GeneratedColumn, testDistribution } from "./generate-columns.js";
import { type ContractReport, contractReport } from "./requirement-checks.js";
import type { SeedsSummary } from "./seeds.js";

/** Rows per CSV block written. */
const CSV_BLOCK_ROWS = 65_536;

/** How `runContract` writes. */

export interface RunContractOptions {
  /** Where the spec came from (recorded in the experiment). */
  readonly source?: string;
  /** `data.csv` (default) or `data.parquet`. */
  readonly format?: "csv" | "parquet";
}

/** What a run produced. */
export interface ContractRun {
  readonly report: ContractReport;
  readonly experiment: Record<string, unknown>;
  readonly files: readonly string[];
  /** The experiments index the run appended to. */
  readonly index: string;
}

/**
 * SHA-256 of the spec's canonical JSON (keys sorted) without its seed: the same spec always
 * hashes the same, and runs of one spec at different seeds share the hash (the seed is recorded
 * beside it).
 */
export function contractHash(spec: Contract): string {
  const { seed: _seed, ...rest } = spec;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/**
 * The visible columns as a table: categorical labels as a keyed column (one dictionary), integer
 * columns as Int32 when every value fits (Parquet INT32; CSV text is the same either way).
 */
export function dataTable(columns: readonly GeneratedColumn[], length: number): Table {
  return {
    length,
    columns: columns
      .filter((c) => !c.hidden)
      .map((c): Column => {
        if (c.labels) return { kind: "keyed", name: c.name, key: Int32Array.from(c.values), lookup: c.labels };
        if (c.type === "int" && c.values.every((v) => v >= -2_147_483_648 && v <= 2_147_483_647))
          return { kind: "int", name: c.name, values: Int32Array.from(c.values) };
        return { kind: "float", name: c.name, values: c.values };
      }),
  };
}

/** Rows `[from, to)` of a table (views, no copies). */
function sliceTable(table: Table, from: number, to: number): Table {
  return {
    length: to - from,
    columns: table.columns.map((c): Column => {
      switch (c.kind) {
        case "keyed":
          return { ...c, key: c.key.subarray(from, to) };
        case "string":
          return { ...c, values: c.values.slice(from, to) };
        default:
          return { ...c, values: c.values.subarray(from, to) } as Column;
      }
    }),
  };
}

/** The table as Parquet row groups. */
function* rowGroups(table: Table): Generator<Table> {
  if (table.length === 0) yield table;
  for (let from = 0; from < table.length; from += ROW_GROUP_ROWS)
    yield sliceTable(table, from, Math.min(table.length, from + ROW_GROUP_ROWS));
}

/** The report as users consume it: `{status, metrics, violations}`. */
export function publicReport(report: ContractReport): Pick<ContractReport, "status" | "metrics" | "violations"> {
  return { status: report.status, metrics: report.metrics, violations: report.violations };
}

/**
 * Generates the data a spec describes, checks it, and writes `data.csv` (or `data.parquet`),
 * `report.json` and `experiment.json` into `out`, all or nothing; then appends the experiment to
 * `experiments.jsonl` in out's parent. `clock` (milliseconds) times the stages; the CLI passes
 * `performance.now`.
 *
 * @example const { report } = await runContract(spec, "out/linear", () => performance.now());
 */
export async function runContract(
  spec: Contract,
  out: string,
  clock: () => number,
  options: RunContractOptions = {},
): Promise<ContractRun> {
  const format = options.format ?? "csv";
  const hash = contractHash(spec);
  const source = readCode(spec);
  const t0 = clock();
  const generated = await contractColumns(spec, source);
  const columns = generated.ok ? generated.columns : [];
  const t1 = clock();
  const report: ContractReport = generated.ok
    ? contractReport(spec.validation_requirements, checkedData(columns, spec.num_samples), testDistribution)
    : { status: "FAILED", metrics: {}, violations: codeViolations(generated), checks: [] };
  const t2 = clock();
  // A code generator that broke its contract leaves no data, only the report saying why.
  const dataFile = !generated.ok ? null : format === "parquet" ? "data.parquet" : "data.csv";
  const experiment = await writeOutputs(out, async (files) => {
    const table = dataTable(columns, spec.num_samples);
    if (dataFile === "data.parquet") {
      const file = files.open(dataFile);
      await writeParquet(rowGroups(table), file, "synthproof spec");
    } else if (dataFile === "data.csv") {
      // Encoded a block at a time, so memory holds the columns and one block, not the whole file.
      const file = files.open(dataFile);
      file.write(csvHeader(table.columns.map((c) => c.name)));
      for (let from = 0; from < table.length; from += CSV_BLOCK_ROWS)
        file.write(encodeCsvRows(sliceTable(table, from, Math.min(table.length, from + CSV_BLOCK_ROWS))));
    }
    const t3 = clock();
    const record: Record<string, unknown> = {
      spec_hash: hash,
      seed: spec.seed,
      num_samples: spec.num_samples,
      source: options.source ?? null,
      code_sha256: source === null ? null : createHash("sha256").update(source).digest("hex"),
      data: dataFile,
      contract: spec,
      status: report.status,
      report,
      timing_seconds: { generate: (t1 - t0) / 1000, checks: (t2 - t1) / 1000, write: (t3 - t2) / 1000 },
    };
    files.writeFile("report.json", `${JSON.stringify(publicReport(report), null, 2)}\n`);
    files.writeFile("experiment.json", `${JSON.stringify(record, null, 2)}\n`);
    return record;
  });
  const index = appendExperiment(out, {
    kind: "run",
    spec_hash: hash,
    seed: spec.seed,
    out: path.resolve(out),
    status: report.status,
    metrics: report.metrics,
    violations: report.violations.length,
  });
  const written = [...(dataFile === null ? [] : [dataFile]), "report.json", "experiment.json"];
  return { report, experiment, files: written, index };
}

/** Appends one line to `experiments.jsonl` beside `out` (in its parent folder); returns its path. */
export function appendExperiment(out: string, line: Record<string, unknown>): string {
  const index = path.join(path.dirname(path.resolve(out)), "experiments.jsonl");
  fs.appendFileSync(index, `${JSON.stringify(line)}\n`);

  return index;
}

/**
 * Writes a `--seeds` summary as `out/seeds.json` (whole or not at all) and indexes it; returns
 * the file's path.
 */
export async function writeSeedsSummary(spec: Contract, summary: SeedsSummary, out: string, source?: string): Promise<string> {
  const hash = contractHash(spec);
  await writeOutputs(out, (files) =>
    files.writeFile("seeds.json", `${JSON.stringify({ spec_hash: hash, source: source ?? null, ...summary }, null, 2)}\n`),
  );
  appendExperiment(out, {
    kind: "seeds",
    spec_hash: hash,
    first_seed: summary.first_seed,
    seeds: summary.seeds,
    out: path.resolve(out),
    status: summary.status,
    pass_rates: Object.fromEntries(summary.checks.map((c) => [c.label, c.pass_rate])),
  });
  return path.join(out, "seeds.json");
}
