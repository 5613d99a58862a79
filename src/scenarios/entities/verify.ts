/**
 * `verify entities DIR`: reads a generated folder back from disk (manifest, records, truth,
 * corruption log, pair splits) and runs every gate on what the files hold.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { readParquetBatches } from "../../io/parquet.js";
import { type CsvTable, cellReader, exists, readCsvTable, readJsonObject, requireRegularFile } from "../../io/read-file.js";
import type { ProgressListener, VerifyOptions, VerifyResult } from "../scenario.js";
import { runEntityChecks, type WrittenData, type WrittenPair, type WrittenSource } from "./checks.js";
import { entitiesConfigSchema } from "./config.js";
import { expectedOf } from "./generate.js";
import { SPLITS, type SplitName } from "./pairs.js";
import { StagedProgress } from "./progress.js";
import { emptyRow } from "./row.js";
import { type SchemaField, SOURCES, type SourceName } from "./schema-file.js";
import { truthIndex, type WrittenCorruption } from "./written.js";

const notGenerated = (dir: string) => `give a folder written by \`synthproof generate entities --out ${dir}\``;

/** The data files of a generated folder, in the order verify reads them. */
const DATA_FILES = [
  ...SOURCES.map((s) => `synth/${s}.csv`),
  "truth/entities.csv",
  "truth/corruptions.csv",
  "truth/entity_profiles.csv",
  "truth/confusers.csv",
  ...SPLITS.map((s) => `pairs/${s}.parquet`),
] as const;

/** `name` in the folder `dir`; a missing one is `missing_file` (a code callers match on). */
function runFile(dir: string, name: string): string {
  const file = path.join(dir, name);
  if (!exists(file)) throw new InputError("missing_file", `${file} is missing`, { location: { file }, hint: notGenerated(dir) });
  return file;
}

/** A CSV file of a generated folder. */
function readRunCsv(dir: string, name: string): CsvTable {
  return readCsvTable(runFile(dir, name), { hint: notGenerated(dir) });
}

function readManifest(dir: string): Record<string, unknown> {
  const file = runFile(dir, "manifest.json");
  try {
    return readJsonObject(file, { hint: notGenerated(dir) });
  } catch (error) {
    if (!(error instanceof InputError && error.code === "bad_json")) throw error;
    throw new InputError("bad_manifest", error.message, { location: { file }, hint: notGenerated(dir), cause: error });
  }
}

/**
 * The pairs of a Parquet split file (a missing column reads as blanks, which the gates report).
 *
 * @throws InputError `missing_file`, or `not_a_file` for a folder or FIFO; IoError `bad_parquet`.
 */
export async function readPairs(file: string, dir: string): Promise<WrittenPair[]> {
  if (!exists(file)) throw new InputError("missing_file", `${file} is missing`, { location: { file }, hint: notGenerated(dir) });
  requireRegularFile(file, { hint: notGenerated(dir) });
  const out: WrittenPair[] = [];
  for await (const b of readParquetBatches(file)) {
    const get = (name: string): ((row: number) => string) => {
      const c = b.columns[b.names.indexOf(name)];
      return c ? (row) => c(row) ?? "" : () => "";
    };
    const [sa, ia, sb, ib, y, kind] = ["src_a", "id_a", "src_b", "id_b", "y", "kind"].map(get) as [
      (row: number) => string,
      (row: number) => string,
      (row: number) => string,
      (row: number) => string,
      (row: number) => string,
      (row: number) => string,
    ];
    for (let i = 0; i < b.length; i++) {
      const yv = y(i);
      out.push({
        src_a: sa(i),
        id_a: ia(i),
        src_b: sb(i),
        id_b: ib(i),
        y: yv === "" ? Number.NaN : Number(yv),
        kind: kind(i),
      });
    }
  }
  return out;
}

/** One row of `truth/entities.csv`. */
export interface TruthFileRow {
  readonly source: string;
  readonly id: string;
  readonly entity_id: string;
}

/**
 * `truth/entities.csv` and `truth/corruptions.csv` of a generated folder.
 *
 * @throws InputError `missing_file`, `not_a_file`, `bad_csv`, each saying to give a generated folder.
 */
export function readTruthFiles(dir: string): { truthRows: TruthFileRow[]; corruptions: WrittenCorruption[] } {
  const truthRows = readRunRows(dir, "truth/entities.csv", ["source", "id", "entity_id"]);
  const corruptions = readRunRows(dir, "truth/corruptions.csv", ["source", "id", "field", "operator", "before", "after"]);
  return { truthRows, corruptions };
}

/** The rows of a CSV file of a generated folder as objects of the named columns (a missing column reads ""). */
function readRunRows<K extends string>(dir: string, name: string, columns: readonly K[]): Record<K, string>[] {
  const table = readRunCsv(dir, name);
  const cell = cellReader(table.header);
  // Columns assigned in one order give every row one object shape (cheaper than fromEntries at 10x).
  return table.rows.map((r) => {
    const row = {} as Record<K, string>;
    for (const c of columns) row[c] = cell(r, c);
    return row;
  });
}

/** A CSV table's rows as objects keyed by header that inherit nothing (missing cells read ""). */
function rowObjects({ header, rows }: CsvTable): Record<string, string>[] {
  return rows.map((r) => {
    const row = emptyRow();
    header.forEach((h, j) => {
      row[h] = r[j] ?? "";
    });
    return row;
  });
}

/**
 * Re-checks a generated entities folder.
 *
 * `options.onProgress(done, total)` follows two stages of one record count each (total: twice
 * the records the manifest gives): the files read (in proportion to their sizes), then each check.
 *
 * @throws InputError when the folder lacks a file, a file is a folder or FIFO, or its manifest is
 *   not one of ours.
 * @example (await verifyEntities("out/er")).status
 */
export async function verifyEntities(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const manifest = readManifest(dir);
  const raw = { ...(manifest.config as Record<string, unknown>) };
  raw.salt = undefined;
  const cfg = checkConfig(entitiesConfigSchema, JSON.parse(JSON.stringify(raw)), undefined, "entities");
  const schema = manifest.schema as Record<SourceName, SchemaField[]> | undefined;
  const vol = manifest.volumes as WrittenData["expected"]["volumes"] | undefined;
  if (!schema || !vol || SOURCES.some((n) => !Array.isArray(schema[n]) || !Number.isSafeInteger(vol[n]?.records)))
    throw new InputError("bad_manifest", `${path.join(dir, "manifest.json")} has no schema or volumes`, { hint: notGenerated(dir) });
  const records = SOURCES.reduce((sum, n) => sum + (vol[n] as { records: number }).records, 0);
  const progress = new StagedProgress(options.onProgress, [records, records]);
  progress.start();
  const reading = readProgress(dir, progress.stage(0));
  const sources: WrittenSource[] = SOURCES.map((name) => {
    const table = readRunCsv(dir, `synth/${name}.csv`);
    reading(`synth/${name}.csv`);
    const fieldOfRule: Record<string, string> = {};
    for (const f of schema[name]) if (f.rule !== null) fieldOfRule[f.rule] = f.name;
    return { name, columns: table.header, rows: rowObjects(table), fieldOfRule };
  });
  const { truthRows, corruptions } = readTruthFiles(dir);
  reading("truth/entities.csv");
  reading("truth/corruptions.csv");
  const truth = truthIndex(
    truthRows,
    (t) => t.source,
    (t) => t.id,
    (t) => t.entity_id,
  );
  const profiles = readRunRows(dir, "truth/entity_profiles.csv", ["entity_id", "contact", "label", "value", "records"]);
  reading("truth/entity_profiles.csv");
  const confusers = readRunRows(dir, "truth/confusers.csv", ["entity_id", "kind", "of_entity_id"]);
  reading("truth/confusers.csv");
  const pairs = {} as Record<SplitName, WrittenPair[]>;
  for (const s of SPLITS) {
    pairs[s] = await readPairs(path.join(dir, "pairs", `${s}.parquet`), dir);
    reading(`pairs/${s}.parquet`);
  }
  const data: WrittenData = {
    sources,
    truth,
    corruptions,
    profiles,
    confusers,
    pairs,
    expected: expectedOf(
      cfg,
      vol,
      SOURCES.map((n) => [n, schema[n].map((f) => f.name)]),
    ),
  };
  const report = runEntityChecks(data, undefined, progress.stage(1));
  progress.finish();
  return { parts: [{ name: "", manifest: "manifest.json", report, read: [...DATA_FILES] }], status: report.status };
}

/**
 * A function to call after each data file is read: it tells `listener` the bytes read so far of
 * the data files' total size (files not there yet count 0; reading them fails soon after).
 */
function readProgress(dir: string, listener: ProgressListener): (name: (typeof DATA_FILES)[number]) => void {
  const size = (name: string): number => {
    try {
      return fs.statSync(path.join(dir, name)).size;
    } catch {
      return 0;
    }
  };
  const sizes = new Map(DATA_FILES.map((name) => [name, size(name)]));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  let done = 0;
  return (name) => {
    done += sizes.get(name) as number;
    listener(done, total);
  };
}
