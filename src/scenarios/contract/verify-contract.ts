/**
 * Re-checking data on disk against a spec: `verify` of a `spec run` folder, and
 * `spec validate FILE --spec SPEC` of any CSV or Parquet file. Both read through
 * {@link readDataFile} and run the same requirement checks as generation, on what the file holds.
 *
 * Hidden columns are not in a run's data file. `verify` regenerates them from the recorded spec
 * (each is drawn from its own keyed stream of the seed, or computed from the columns before it,
 * those read from the file), so checks on them still PASS or FAIL; each such check's description
 * says the hidden column was regenerated, which re-proves the generator rather than the file.
 * A check on visible columns only is a check of the file alone. `validateDataFile` regenerates
 * nothing: a hidden column must be in the file like any other column a check names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type CheckResult, check, type Report, report } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { readJsonObject } from "../../io/read-file.js";
import type { ProgressListener, VerifyOptions, VerifyResult } from "../scenario.js";
import { type Contract, contractSchema } from "./contract-schema.js";
import { type DeclaredColumn, declaredColumns, generateColumns, testDistribution } from "./generate-columns.js";
import { CONTRACT_GENERATOR } from "./generate-contract.js";
import { type DataFileContents, readDataFile } from "./read-data.js";
import { AllViolations, type CheckedData, requirementResults } from "./requirement-checks.js";

/** Options of {@link validateDataFile}. */
export interface ValidateOptions {
  /** Rows read (the total is unknown up front: it grows with the rows). */
  readonly onProgress?: ProgressListener;
}

/** The file has every column the spec writes (and, for a run, the rows it wrote). */
function dataFileCheck(declared: readonly DeclaredColumn[], contents: DataFileContents, expectedRows?: number): CheckResult {
  const violations = new AllViolations();
  for (const c of declared)
    if (!c.hidden && !contents.numeric.has(c.name))
      violations.add({ check: "data_file", column: c.name, problem: "missing column", columns_in_file: contents.header });
  if (expectedRows !== undefined && contents.rows !== expectedRows)
    violations.add({ check: "data_file", problem: "wrong number of rows", expected_rows: expectedRows, observed_rows: contents.rows });
  const what = expectedRows === undefined ? "" : ` and the ${expectedRows} rows the run wrote`;
  return check("data_file", `the data file has every column the spec writes${what}`, { rows: contents.rows }, violations);
}

/** The checks of `spec`'s requirements over what `contents` holds, plus `extra` columns (regenerated hidden ones). */
function requirementChecks(
  spec: Contract,
  declared: readonly DeclaredColumn[],
  contents: DataFileContents,
  extra: { numeric: ReadonlyMap<string, Float64Array>; hidden: ReadonlySet<string> },
): CheckResult[] {
  const numeric = new Map([...contents.numeric, ...extra.numeric]);
  const data: CheckedData = {
    length: contents.rows,
    numeric,
    types: new Map(declared.filter((c) => numeric.has(c.name)).map((c) => [c.name, c.type])),
    hidden: extra.hidden,
    nulls: contents.nulls,
    allowNonFinite: new Set(declared.filter((c) => c.allowNonFinite).map((c) => c.name)),
    regenerated: new Set(extra.numeric.keys()),
  };
  return requirementResults(spec.validation_requirements, data, testDistribution);
}

/**
 * Runs a spec's `validation_requirements` on any CSV or Parquet file: columns by name, read as
 * the spec declares them (a categorical column's labels mapped to its categories), an empty cell
 * a null. A column the spec writes that the file lacks, a cell that is not of its column's type
 * and an unknown label are violations.
 *
 * @throws InputError when the file cannot be read (missing, a folder, not CSV); IoError for a broken Parquet file.
 * @example (await validateDataFile("data.csv", loadContractFile("spec.yaml"))).status
 */
export async function validateDataFile(file: string, spec: Contract, options: ValidateOptions = {}): Promise<Report> {
  const declared = declaredColumns(spec);
  const contents = await readDataFile(file, declared, { blank: "null", ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return report([
    dataFileCheck(declared, contents),
    contents.cells,
    ...requirementChecks(spec, declared, contents, { numeric: new Map(), hidden: new Set() }),
  ]);
}

/** The violations a run recorded in its experiment (a FAILED run's reasons). */
function recordedViolations(experiment: Record<string, unknown>): unknown[] {
  // Read defensively: the record may have been edited.
  const checks = (experiment.report as { checks?: unknown } | undefined)?.checks;
  if (!Array.isArray(checks)) return [];
  return checks.flatMap((c: { violations?: { first?: unknown } }) => (Array.isArray(c?.violations?.first) ? c.violations.first : []));
}

/** Hidden columns regenerated around the visible ones the file holds (none when a visible one is missing). */
export function regenerateHidden(
  spec: Contract,
  declared: readonly DeclaredColumn[],
  contents: DataFileContents,
): Map<string, Float64Array> {
  const hidden = declared.filter((c) => c.hidden);
  if (hidden.length === 0 || declared.some((c) => !c.hidden && !contents.numeric.has(c.name))) return new Map();
  const columns = generateColumns(spec, { given: contents.numeric, rows: contents.rows });
  return new Map(columns.filter((c) => c.hidden).map((c) => [c.name, c.values]));
}

/** A `spec run` folder's record: experiment.json and the spec it holds. */
export interface RunRecord {
  readonly experiment: Record<string, unknown>;
  readonly spec: Contract;
}

/**
 * Reads a `spec run` folder's experiment.json and checks the spec inside it.
 *
 * @throws InputError `not_a_run` when the folder has no readable experiment.json of a spec run; the spec's errors when it is not valid.
 */
export function readRunRecord(dir: string): RunRecord {
  const experimentFile = path.join(dir, "experiment.json");
  const hint = "give a folder written by `synthproof spec run SPEC --out DIR`";
  const experiment = readJsonObject(experimentFile, { code: "not_a_run", hint, what: "experiment record" });
  if (experiment.generator !== CONTRACT_GENERATOR)
    throw new InputError("not_a_run", `${experimentFile} is not a spec run's record (generator ${JSON.stringify(experiment.generator)})`, {
      location: { file: experimentFile },
      hint: `${hint}; a run from before generator was recorded must be run again`,
    });
  const spec = checkConfig(contractSchema, experiment.contract, (at) => ({ file: experimentFile, path: ["contract", ...at] }), "spec");
  return { experiment, spec };
}

/**
 * Verifies a `spec run` folder: reads `experiment.json` (its spec), checks the files it lists
 * (sizes and SHA-256), reads the data file back and runs the spec's checks on what it holds. A
 * run that wrote no data (its code generator broke its contract) verifies as FAILED with the
 * reasons it recorded.
 *
 * @throws InputError when the folder has no readable experiment.json of a spec run, or its data file is unreadable.
 * @example (await verifyContract("out/linear")).status
 */
export async function verifyContract(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { experiment, spec } = readRunRecord(dir);
  const dataName = experiment.data;
  let checks: CheckResult[];
  const read: string[] = ["experiment.json"];
  if (typeof dataName !== "string" || !fs.existsSync(path.join(dir, dataName))) {
    const violations = new AllViolations();
    if (typeof dataName !== "string")
      violations.add({ check: "data_file", problem: "the run wrote no data: it FAILED", reasons: recordedViolations(experiment) });
    else violations.add({ check: "data_file", file: dataName, problem: "the data file is missing" });
    checks = [check("data_file", "the run's data file is there to read", {}, violations)];
  } else {
    const declared = declaredColumns(spec);
    read.push(dataName);
    const contents = await readDataFile(path.join(dir, dataName), declared, {
      blank: "nan",
      expectedRows: spec.num_samples,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const regenerated = regenerateHidden(spec, declared, contents);
    checks = [
      dataFileCheck(declared, contents, spec.num_samples),
      contents.cells,
      ...requirementChecks(spec, declared, contents, {
        numeric: regenerated,
        hidden: new Set(declared.filter((c) => c.hidden).map((c) => c.name)),
      }),
    ];
  }
  const result = report(checks);
  return {
    parts: [{ name: typeof dataName === "string" ? dataName : "run", manifest: "manifest.json", report: result, read }],
    status: result.status,
  };
}
