/**
 * `verify entities DIR`: reads a generated folder back from disk (manifest, records, truth,
 * corruption log, pair splits) and runs every gate on what the files hold.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { forEachCsvRow } from "../../io/csv-rows.js";
import { readParquetBatches } from "../../io/parquet.js";
import { exists, readJsonObject, requireRegularFile } from "../../io/read-file.js";
import type { ProgressListener, VerifyOptions, VerifyResult } from "../scenario.js";
import { runEntityChecks, type WrittenData, type WrittenPair, type WrittenSource } from "./checks.js";
import { EntityProfilesCheck, entityProfiles } from "./checks-profiles.js";
import { entitiesConfigSchema } from "./config.js";
import { expectedOf, LARGE_HEAP_RECORDS } from "./generate.js";
import { SPLITS, type SplitName } from "./pairs.js";
import { StagedProgress } from "./progress.js";
import { sharing } from "./record-storage.js";
import { emptyRow } from "./row.js";
import { type SchemaField, SOURCES, type SourceName } from "./schema-file.js";
import { indexWritten, truthIndex, type WrittenCorruption, type WrittenRow } from "./written.js";

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
  // Sources and kinds are a few words: one string each, not one per pair (600,000 at 10x volumes).
  const word = sharing<string>((s) => s, 256);
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
        src_a: word(sa(i)),
        id_a: ia(i),
        src_b: word(sb(i)),
        id_b: ib(i),
        y: yv === "" ? Number.NaN : Number(yv),
        kind: word(kind(i)),
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

/**
 * Streams the rows of a CSV file of a generated folder as objects of the named columns (a missing
 * column reads ""), one at a time: no table of the whole file is held (the profile truth at 10x
 * volumes is 2 million rows).
 */
function forEachRunRow<K extends string>(dir: string, name: string, columns: readonly K[], onRow: (row: Record<K, string>) => void): void {
  // Where each named column is in a row (-1: the file has no such column).
  let at: number[] = [];
  forEachCsvRow(
    runFile(dir, name),
    {
      onHeader: (header) => {
        // The last of two columns of one name, as a table read whole by name gave it.
        at = columns.map((c) => header.lastIndexOf(c));
      },
      onRow: (cells) => {
        // Columns assigned in one order give every row one object shape (cheaper than fromEntries at 10x).
        const row = {} as Record<K, string>;
        for (let k = 0; k < columns.length; k++) row[columns[k] as K] = cells[at[k] as number] ?? "";
        onRow(row);
      },
      shareRepeated: true,
    },
    { hint: notGenerated(dir) },
  );
}

/** The rows of a CSV file of a generated folder as objects of the named columns (see {@link forEachRunRow}). */
function readRunRows<K extends string>(dir: string, name: string, columns: readonly K[]): Record<K, string>[] {
  const rows: Record<K, string>[] = [];
  forEachRunRow(dir, name, columns, (row) => rows.push(row));
  return rows;
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
  if (records >= LARGE_HEAP_RECORDS) options.onLargeHeap?.();
  const progress = new StagedProgress(options.onProgress, [records, records]);
  progress.start();
  const reading = readProgress(dir, progress.stage(0));
  const sources: WrittenSource[] = SOURCES.map((name) => {
    const file = `synth/${name}.csv`;
    const rows: WrittenRow[] = [];
    // Each row an object keyed by the header that inherits nothing (missing cells read "").
    let header: string[] = [];
    forEachCsvRow(
      runFile(dir, file),
      {
        onHeader: (h) => {
          header = h;
        },
        onRow: (cells) => {
          const row = emptyRow();
          for (let j = 0; j < header.length; j++) row[header[j] as string] = cells[j] ?? "";
          rows.push(row);
        },
        shareRepeated: true,
      },
      { hint: notGenerated(dir) },
    );
    reading(file);
    const fieldOfRule: Record<string, string> = {};
    for (const f of schema[name]) if (f.rule !== null) fieldOfRule[f.rule] = f.name;
    return { name, columns: header, rows, fieldOfRule };
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
    // Streamed into their check below, never held: 2 million rows at 10x volumes.
    profiles: [],
    confusers,
    pairs,
    expected: expectedOf(
      cfg,
      vol,
      SOURCES.map((n) => [n, schema[n].map((f) => f.name)]),
    ),
  };
  const ix = indexWritten(data);
  const profileCheck = new EntityProfilesCheck(data, ix);
  forEachRunRow(dir, "truth/entity_profiles.csv", ["entity_id", "contact", "label", "value", "records"], (row) => profileCheck.add(row));
  reading("truth/entity_profiles.csv");
  const report = runEntityChecks(data, undefined, progress.stage(1), {
    ix,
    results: new Map([[entityProfiles, profileCheck.result()]]),
  });
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
