/**
 * A checked spec becomes files in an uncommitted {@link OutputSet}: the data (`data.csv` or
 * `data.parquet`), `report.json` (the users' view of the report) and `experiment.json` (the
 * manifest: the spec, its hash, the files with their sizes and SHA-256, the full report).
 */
import { createHash } from "node:crypto";
import { type CheckResult, check, type Report, report } from "../../checks/result.js";
import { canonicalJson } from "../../core/canonical-json.js";
import type { Column, Table } from "../../core/table.js";
import { type OutputSet, type PendingFile, yieldToSignals } from "../../io/atomic.js";
import { writeCsvBlocks } from "../../io/csv.js";
import type { GenerateResult, ProgressListener } from "../scenario.js";
import { codeViolations, contractColumns, readCode } from "./contract-columns.js";
import type { Contract } from "./contract-schema.js";
import { checkedData, type GeneratedColumn, testDistribution } from "./generate-columns.js";
import { publicReport } from "./public-report.js";
import { AllViolations, runRequirement } from "./requirement-checks.js";

/**
 * Version of the spec engine's output. Part of the determinism contract: any change to the bytes
 * a spec produces bumps it (and the golden hashes in fixtures/golden/spec.json).
 */
export const CONTRACT_GENERATOR_VERSION = "1.0.0";

/** The `generator` of a spec run's experiment.json. */
export const CONTRACT_GENERATOR = "synthproof/spec";

/** Rows per CSV block written. */
const CSV_BLOCK_ROWS = 65_536;

/** How {@link generateContract} writes. */
export interface GenerateContractOptions {
  /** Where the spec came from (recorded in the experiment). */
  readonly source?: string;
  /** `data.csv` (default) or `data.parquet`. */
  readonly format?: "csv" | "parquet";
  /** Milliseconds, to time the stages (the CLI passes `performance.now`); without one, timings are null. */
  readonly clock?: () => number;
  /**
   * Progress in samples, of `num_samples`: generating the columns, checking them and writing the
   * data take a third of the bar each.
   */
  readonly onProgress?: ProgressListener;
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

/** Rows `[from, to)` of a {@link dataTable} (keyed, int and float columns; views, no copies). */
function sliceTable(table: Table, from: number, to: number): Table {
  return {
    length: to - from,
    columns: table.columns.map(
      (c): Column =>
        c.kind === "keyed"
          ? { ...c, key: c.key.subarray(from, to) }
          : ({ ...c, values: (c.values as Float64Array | Int32Array).subarray(from, to) } as Column),
    ),
  };
}

/** The table in blocks of `rows` (num_samples is at least 1, so there is always one: Parquet takes its schema from it). */
function* blocks(table: Table, rows: number, onBlock: (end: number) => void): Generator<Table> {
  for (let from = 0; from < table.length; from += rows) {
    const to = Math.min(table.length, from + rows);
    yield sliceTable(table, from, to);
    onBlock(to);
  }
}

/** Progress of three equal stages (generate, check, write), in samples. */
function stages(n: number, onProgress: ProgressListener | undefined): (stage: number, done: number, total: number) => void {
  // Callers pass total > 0: a stage with nothing to do reports (stage, 1, 1).
  return (stage, done, total) => onProgress?.(Math.floor((n * (stage + done / total)) / 3), n);
}

/** The report of a run whose code generator broke its contract: one FAILED check saying how. */
function codeContractResult(violations: readonly Record<string, unknown>[]): CheckResult {
  // Every problem is kept, as for requirement checks: a broken contract lists a handful at most.
  const list = new AllViolations();
  for (const v of violations) list.add(v);
  return check("code_contract", "the code generator ran in the sandbox and returned what its code_contract declares", {}, list);
}

/** Writes the data file and closes it (the manifest records it with the others). */
async function writeData(file: PendingFile, format: "csv" | "parquet", table: Table, onRows: (end: number) => void): Promise<void> {
  if (format === "parquet") {
    // Loaded on demand: Arrow and the Parquet WebAssembly add ~70 ms to every start otherwise.
    const { ROW_GROUP_ROWS, writeParquet } = await import("../../io/parquet.js");
    await writeParquet(blocks(table, ROW_GROUP_ROWS, onRows), file, "synthproof spec");
  } else {
    // Encoded a block at a time, so memory holds the columns and one block, not the whole file.
    await writeCsvBlocks(
      file,
      table.columns.map((c) => c.name),
      blocks(table, CSV_BLOCK_ROWS, onRows),
    );
  }
  file.close();
}

/**
 * Generates the data a spec describes, checks it, and writes `data.csv` (or `data.parquet`),
 * `report.json` and `experiment.json` into `out`, which the caller commits. A code generator that
 * breaks its contract leaves no data file, only the FAILED report saying why. The manifest
 * (experiment.json) carries `generator: "synthproof/spec"` and `generator_version`.
 *
 * @example const out = new OutputSet("out/linear"); const { report } = await generateContract(spec, out); out.commit();
 */
export async function generateContract(spec: Contract, out: OutputSet, options: GenerateContractOptions = {}): Promise<GenerateResult> {
  return (await writeContractRun(spec, out, options)).result;
}

/** {@link generateContract}, also returning the experiment record written to `experiment.json`. */
export async function writeContractRun(
  spec: Contract,
  out: OutputSet,
  options: GenerateContractOptions = {},
): Promise<{ readonly result: GenerateResult; readonly experiment: Record<string, unknown> }> {
  const format = options.format ?? "csv";
  const clock = options.clock;
  const progress = stages(spec.num_samples, options.onProgress);
  const source = readCode(spec);
  const t0 = clock?.();
  const generated = await contractColumns(spec, source, spec.seed, (done, total) => progress(0, done, total));
  const t1 = clock?.();
  // Between stages, back to the event loop: Ctrl-C and SIGTERM are handled now, not after the run.
  await yieldToSignals();
  let result: Report;
  let columns: GeneratedColumn[] = [];
  if (generated.ok) {
    columns = generated.columns;
    const data = checkedData(columns, spec.num_samples);
    const reqs = spec.validation_requirements;
    const checks = [];
    for (const [i, r] of reqs.entries()) {
      checks.push(runRequirement(r, data, testDistribution, reqs));
      progress(1, i + 1, reqs.length);
      await yieldToSignals();
    }
    result = report(checks);
  } else result = report([codeContractResult(codeViolations(generated))]);
  progress(1, 1, 1);
  const t2 = clock?.();
  const dataFile = !generated.ok ? null : format === "parquet" ? "data.parquet" : "data.csv";
  if (dataFile !== null)
    await writeData(out.open(dataFile), format, dataTable(columns, spec.num_samples), (end) => progress(2, end, spec.num_samples));
  progress(2, 1, 1);
  const t3 = clock?.();
  const reportText = `${JSON.stringify(publicReport(result), null, 2)}\n`;
  out.writeFile("report.json", reportText);
  const hash = contractHash(spec);
  const experiment: Record<string, unknown> = {
    generator: CONTRACT_GENERATOR,
    generator_version: CONTRACT_GENERATOR_VERSION,
    spec_hash: hash,
    seed: spec.seed,
    num_samples: spec.num_samples,
    source: options.source ?? null,
    code_sha256: source === null ? null : createHash("sha256").update(source).digest("hex"),
    data: dataFile,
    contract: spec,
    status: result.status,
    report: result,
    timing_seconds:
      clock === undefined
        ? null
        : {
            generate: ((t1 as number) - (t0 as number)) / 1000,
            checks: ((t2 as number) - (t1 as number)) / 1000,
            write: ((t3 as number) - (t2 as number)) / 1000,
          },
  };
  out.writeFile("experiment.json", `${JSON.stringify(experiment, null, 2)}\n`);
  const manifest = out.writeManifest("manifest.json", (files) => ({
    generator: CONTRACT_GENERATOR,
    generator_version: CONTRACT_GENERATOR_VERSION,
    spec_hash: hash,
    seed: spec.seed,
    num_samples: spec.num_samples,
    data: dataFile,
    files,
    status: result.status,
  }));
  return {
    result: {
      report: result,
      manifest,
      files: [...(dataFile === null ? [] : [dataFile]), "report.json", "experiment.json", "manifest.json"],
    },
    experiment,
  };
}
