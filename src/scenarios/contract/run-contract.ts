/**
 * `spec run`: {@link generateContract} into an output folder (each file whole or not at all),
 * then one line in the experiments index beside that folder.
 *
 * The index is opened BEFORE the run's files are committed: an index that cannot be appended to
 * (a folder named `experiments.jsonl`, no permission, a missing parent) fails the run with an
 * IoError and nothing is committed. A write that fails after the commit (a disk that fills up in
 * between, `/dev/full`) is an IoError too: the run's folder is then complete but unindexed, which
 * the message says.
 */
import * as path from "node:path";
import type { Report } from "../../checks/result.js";
import { type ErrorLocation, IoError } from "../../core/errors.js";
import { AppendLog } from "../../io/append-line.js";
import { writeOutputs } from "../../io/atomic.js";
import type { Contract } from "./contract-schema.js";
import { contractHash, type GenerateContractOptions, writeContractRun } from "./generate-contract.js";
import { publicReport } from "./public-report.js";
import type { SeedsSummary } from "./seeds.js";

export { CONTRACT_GENERATOR_VERSION, contractHash, dataTable } from "./generate-contract.js";
export { publicReport } from "./public-report.js";

/** How `runContract` writes. */
export type RunContractOptions = Omit<GenerateContractOptions, "clock">;

/** What a run produced. */
export interface ContractRun {
  readonly report: Report;
  /** experiment.json's record. */
  readonly experiment: Record<string, unknown>;
  readonly files: readonly string[];
  /** The experiments index the run appended to. */
  readonly index: string;
}

/** The experiments index of an output folder: `experiments.jsonl` in its parent. */
export function experimentsIndex(out: string): string {
  return path.join(path.dirname(path.resolve(out)), "experiments.jsonl");
}

/**
 * Writes `out` through `write` with the index opened before the commit, then appends `line(result)`
 * to the index.
 */
async function writeIndexed<T>(out: string, write: Parameters<typeof writeOutputs<T>>[1], line: (result: T) => unknown): Promise<T> {
  let log: AppendLog | undefined;
  let result: T;
  try {
    result = await writeOutputs(out, async (files) => {
      const r = await write(files);
      log = AppendLog.open(experimentsIndex(out));
      return r;
    });
  } catch (error) {
    log?.abandon();
    throw error;
  }
  try {
    (log as AppendLog).append(line(result));
  } catch (error) {
    // AppendLog.append throws IoErrors with a hint and the log's location.
    const e = error as IoError;
    throw new IoError(e.code, `${e.message} (the run's files are complete in ${out}, but it is not indexed)`, {
      hint: e.hint as string,
      location: e.location as ErrorLocation,
      cause: error,
    });
  }
  return result;
}

/**
 * Generates the data a spec describes, checks it, writes `data.csv` (or `data.parquet`),
 * `report.json` and `experiment.json` into `out`, all or nothing, and appends the run to
 * `experiments.jsonl` in out's parent. `clock` (milliseconds) times the stages; the CLI passes
 * `performance.now`.
 *
 * @throws IoError when `out` or the index cannot be written (see the module comment).
 * @example const { report } = await runContract(spec, "out/linear", () => performance.now());
 */
export async function runContract(
  spec: Contract,
  out: string,
  clock: () => number,
  options: RunContractOptions = {},
): Promise<ContractRun> {
  const run = await writeIndexed(
    out,
    (files) => writeContractRun(spec, files, { ...options, clock }),
    ({ result: r }) => {
      const view = publicReport(r.report);
      return {
        kind: "run",
        spec_hash: r.manifest.spec_hash,
        seed: spec.seed,
        out: path.resolve(out),
        status: view.status,
        metrics: view.metrics,
        violations: view.violations.length,
      };
    },
  );
  return { report: run.result.report, experiment: run.experiment, files: run.result.files, index: experimentsIndex(out) };
}

/**
 * Writes a `--seeds` summary as `out/seeds.json` (whole or not at all) and indexes it; returns
 * the file's path.
 *
 * @throws IoError as {@link runContract}.
 */
export async function writeSeedsSummary(spec: Contract, summary: SeedsSummary, out: string, source?: string): Promise<string> {
  const hash = contractHash(spec);
  await writeIndexed(
    out,
    (files) =>
      files.writeFile(
        "seeds.json",
        `${JSON.stringify({ spec_hash: hash, source: source ?? null, ...summary, contract: spec }, null, 2)}\n`,
      ),
    () => ({
      kind: "seeds",
      spec_hash: hash,
      first_seed: summary.first_seed,
      seeds: summary.seeds,
      out: path.resolve(out),
      status: summary.status,
      pass_rates: Object.fromEntries(summary.checks.map((c) => [c.label, c.pass_rate])),
    }),
  );
  return path.join(out, "seeds.json");
}
