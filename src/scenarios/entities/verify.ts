/**
 * `verify entities DIR`: reads a generated folder back from disk (manifest, records, truth,
 * corruption log, pair splits) and runs every gate on what the files hold.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { readParquetBatches } from "../../io/parquet.js";
import type { VerifyResult } from "../scenario.js";
import { runEntityChecks, type WrittenData, type WrittenPair, type WrittenSource } from "./checks.js";
import { entitiesConfigSchema } from "./config.js";
import { expectedOf } from "./generate.js";
import { SPLITS, type SplitName } from "./pairs.js";
import { type SchemaField, SOURCES, type SourceName } from "./schema-file.js";

const notGenerated = (dir: string) => `give a folder written by \`synthproof generate entities --out ${dir}\``;

/** Reads cell `name` of a row by its header ("" when the column or the cell is missing). */
export function cellOf(header: readonly string[]): (row: readonly string[], name: string) => string {
  const index = new Map(header.map((h, i) => [h, i]));
  return (row, name) => row[index.get(name) ?? -1] ?? "";
}

/** Reads a CSV file as header + rows of cells. */
export function readCsvFile(file: string, dir: string): { header: string[]; rows: string[][] } {
  let records: string[][];
  try {
    records = parseCsv(fs.readFileSync(file), { relax_column_count: true }) as string[][];
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
    throw new InputError(
      missing ? "missing_file" : "bad_csv",
      `${missing ? `${file} is missing` : `cannot read ${file}: ${(cause as Error).message}`}`,
      {
        location: { file },
        hint: notGenerated(dir),
        cause,
      },
    );
  }
  return { header: records[0] ?? [], rows: records.slice(1) };
}

function readManifest(dir: string): Record<string, unknown> {
  const file = path.join(dir, "manifest.json");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (cause) {
    throw new InputError("missing_file", `${file} is missing`, { location: { file }, hint: notGenerated(dir), cause });
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null) throw new Error("not an object");
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new InputError("bad_manifest", `${file} is not valid JSON: ${(cause as Error).message}`, {
      location: { file },
      hint: notGenerated(dir),
      cause,
    });
  }
}

export async function readPairs(file: string, dir: string): Promise<WrittenPair[]> {
  if (!fs.existsSync(file)) throw new InputError("missing_file", `${file} is missing`, { location: { file }, hint: notGenerated(dir) });
  const out: WrittenPair[] = [];
  for await (const b of readParquetBatches(file)) {
    // A missing column reads as blanks, which the gates then report.
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

/** `truth/entities.csv` and `truth/corruptions.csv` of a generated folder. */
export function readTruthFiles(dir: string): {
  truthRows: { source: string; id: string; entity_id: string }[];
  corruptions: { source: string; id: string; field: string; operator: string; before: string; after: string }[];
} {
  const truthCsv = readCsvFile(path.join(dir, "truth", "entities.csv"), dir);
  const t = cellOf(truthCsv.header);
  const truthRows = truthCsv.rows.map((r) => ({ source: t(r, "source"), id: t(r, "id"), entity_id: t(r, "entity_id") }));
  const log = readCsvFile(path.join(dir, "truth", "corruptions.csv"), dir);
  const c = cellOf(log.header);
  const corruptions = log.rows.map((r) => ({
    source: c(r, "source"),
    id: c(r, "id"),
    field: c(r, "field"),
    operator: c(r, "operator"),
    before: c(r, "before"),
    after: c(r, "after"),
  }));
  return { truthRows, corruptions };
}

/**
 * Re-checks a generated entities folder.
 *
 * @throws InputError when the folder lacks a file or its manifest is not one of ours.
 * @example (await verifyEntities("out/er")).status
 */
export async function verifyEntities(dir: string): Promise<VerifyResult> {
  const manifest = readManifest(dir);
  const raw = { ...(manifest.config as Record<string, unknown>) };
  raw.salt = undefined;
  const cfg = checkConfig(entitiesConfigSchema, JSON.parse(JSON.stringify(raw)), undefined, "entities");
  const schema = manifest.schema as Record<SourceName, SchemaField[]> | undefined;
  const vol = manifest.volumes as WrittenData["expected"]["volumes"] | undefined;
  if (!schema || !vol || SOURCES.some((n) => !Array.isArray(schema[n])))
    throw new InputError("bad_manifest", `${path.join(dir, "manifest.json")} has no schema or volumes`, { hint: notGenerated(dir) });
  const sources: WrittenSource[] = SOURCES.map((name) => {
    const { header, rows } = readCsvFile(path.join(dir, "synth", `${name}.csv`), dir);
    const fieldOfRule: Record<string, string> = {};
    for (const f of schema[name]) if (f.rule !== null) fieldOfRule[f.rule] = f.name;
    const cell = cellOf(header);
    return { name, columns: header, rows: rows.map((r) => Object.fromEntries(header.map((h) => [h, cell(r, h)]))), fieldOfRule };
  });
  const { truthRows, corruptions } = readTruthFiles(dir);
  const truth = new Map(truthRows.map((t) => [`${t.source}/${t.id}`, t.entity_id]));
  const pairs = {} as Record<SplitName, WrittenPair[]>;
  for (const s of SPLITS) pairs[s] = await readPairs(path.join(dir, "pairs", `${s}.parquet`), dir);
  const data: WrittenData = {
    sources,
    truth,
    corruptions,
    pairs,
    expected: expectedOf(
      cfg,
      vol,
      SOURCES.map((n) => [n, schema[n].map((f) => f.name)]),
    ),
  };
  const report = runEntityChecks(data);
  return { parts: [{ name: "", manifest: "manifest.json", report }], status: report.status };
}
