/**
 * `generate entities`: records, truth, corruption log, labelled pairs, summary and manifest, each
 * file written whole or not at all (the caller commits the OutputSet).
 */
import * as crypto from "node:crypto";
import * as os from "node:os";
import { InputError } from "../../core/errors.js";
import type { Column, Table } from "../../core/table.js";

import { type OutputSet, type PendingFile, yieldToSignals } from "../../io/atomic.js";
import { writeCsvBlocks } from "../../io/csv.js";
import { orderedParallel, workerRunnable } from "../../io/worker-pool.js";
import type { GenerateOptions, GenerateResult } from "../scenario.js";
import { CHECK_COUNT, runEntityChecks, type WrittenData, type WrittenSource } from "./checks.js";
import { EntityProfilesCheck, entityProfiles } from "./checks-profiles.js";
import type { EntitiesConfig } from "./config.js";
import { difficultyOf } from "./match/difficulty.js";
import { PAIR_FEATURE_NAMES } from "./match/features.js";
import { buildPairs, type LabelledPair, PAIR_KINDS, type PairsBySplit, SPLITS, type SplitName } from "./pairs.js";
import { encodePairTable, pairsCreatedBy } from "./pairs-parquet.js";
import { CONFUSER_KINDS } from "./presets.js";
import { CONFUSER_COLUMNS, confuserRows, entityId, PROFILE_COLUMNS, profileTable } from "./profiles-truth.js";
import { MAX_UPDATES, StagedProgress } from "./progress.js";
import { type CorruptionRow, type GeneratedRecords, generateRecords, volumes } from "./records.js";
import { emptyRow } from "./row.js";
import { loadSchemas, type SourceName } from "./schema-file.js";
import { indexWritten, truthIndex, type WrittenCorruption, type WrittenPairs, type WrittenProfile, type WrittenRow } from "./written.js";

export const ENTITIES_GENERATOR_VERSION = "2.0.0";

/** Rows a CSV file is encoded and written by at a time: progress moves per block, and no file is held whole. */
export const CSV_BLOCK_ROWS = 8192;

/** Rules whose values are PII: hashed in `--pii hashed`. */
export const PII_RULES = ["email", "phone", "first_name", "last_name", "address"] as const;

/** `sha256(salt + value)` as hex; blanks stay blank (a hash of "" would only say "blank"). */
export function hashPii(salt: string, value: string): string {
  return value === "" ? "" : sha256Hex(salt + value);
}

/**
 * SHA-256 of a string as hex. Node 20.12+ has the one-shot `crypto.hash`, about 2.3x faster a call
 * than `createHash` (measured: 227 against 526 ms per 200,000 calls; a hashed default run makes
 * about 340,000); older Node 20 releases, which `engines` allows, fall back to `createHash`.
 */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === "function"
    ? (text) => (crypto as unknown as { hash(algorithm: string, data: string, encoding: "hex"): string }).hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text).digest("hex");

/** The pairs of one split as a table: keys, label, kind, cached features. */
export function pairTable(pairs: readonly LabelledPair[]): Table {
  const n = pairs.length;
  // Plain index loops: `Float64Array.from(pairs, mapFn)` walks the array through the iterator
  // protocol and a callback per element, about 0.85 s over the pairs of a 10x run.
  const str = (name: string, f: (p: LabelledPair) => string): Column => {
    const values = new Array<string>(n);
    for (let i = 0; i < n; i++) values[i] = f(pairs[i] as LabelledPair);
    return { kind: "string", name, values };
  };
  const features: Column[] = PAIR_FEATURE_NAMES.map((name): Column => {
    if (name.endsWith("_jw")) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = (pairs[i] as LabelledPair).features[name];
      return { kind: "float", name, values };
    }
    const values = new Int8Array(n);
    for (let i = 0; i < n; i++) values[i] = (pairs[i] as LabelledPair).features[name];
    return { kind: "int", name, values };
  });
  const y = new Int8Array(n);
  for (let i = 0; i < n; i++) y[i] = (pairs[i] as LabelledPair).y;
  return {
    length: n,
    columns: [
      str("src_a", (p) => p.a.source),
      str("id_a", (p) => p.a.id),
      str("src_b", (p) => p.b.source),
      str("id_b", (p) => p.b.id),
      { kind: "int", name: "y", values: y },
      str("kind", (p) => p.kind),
      ...features,
    ],
  };
}

/** What the summary says about a run. */
export function summarize(
  cfg: EntitiesConfig,
  gen: GeneratedRecords,
  pairs: PairsBySplit,
  warnings: readonly string[],
): Record<string, unknown> {
  // One pass over each source's records with counters, instead of a filter per field and a
  // `source/id` string and a Set per record and entity (1.3-1.8 s at 10x volumes). Records are
  // told apart by (source, id) through one map per source: source names hold no "/", so that is
  // the same identity the strings gave.
  const nullRates: Record<string, Record<string, number>> = {};
  const duplicateIdsOf = new Map<string, Set<string>>();
  const baseIdsOf = new Map<string, Set<string>>();
  let baseCount = 0;
  // The sources each entity appears in, one bit per source name (a SourceName is one of three).
  const sourceBit = new Map<string, number>();
  const sourcesOf = new Array<number>(gen.entities.length).fill(0);
  const idsOf = (sets: Map<string, Set<string>>, source: string): Set<string> => {
    let set = sets.get(source);
    if (set === undefined) {
      set = new Set<string>();
      sets.set(source, set);
    }
    return set;
  };
  for (const { schema, records } of gen.sources) {
    const names = schema.fields.map((f) => f.name);
    const blanks = new Float64Array(names.length);
    for (const r of records) {
      const values = r.values;
      for (let j = 0; j < names.length; j++) if ((values[names[j] as string] ?? "") === "") (blanks[j] as number)++;
      if (r.kind === "duplicate") idsOf(duplicateIdsOf, r.source).add(r.id);
      else if (r.kind === "base") {
        idsOf(baseIdsOf, r.source).add(r.id);
        baseCount++;
      }
      let bit = sourceBit.get(r.source);
      if (bit === undefined) {
        bit = 2 ** sourceBit.size;
        sourceBit.set(r.source, bit);
      }
      sourcesOf[r.entity] = (sourcesOf[r.entity] ?? 0) | bit;
    }
    nullRates[schema.name] = Object.fromEntries(
      names.map((name, j) => [name, records.length === 0 ? 0 : (blanks[j] as number) / records.length]),
    );
  }
  let entityCount = 0;
  let multi = 0;
  for (const mask of sourcesOf) {
    if (mask === undefined || mask === 0) continue;
    entityCount++;
    // Two or more bits set.
    if ((mask & (mask - 1)) !== 0) multi++;
  }
  let distinctBaseIds = 0;
  for (const set of baseIdsOf.values()) distinctBaseIds += set.size;

  // Operators of each duplicate record, records in the order the log first names them and each
  // record's operators in log order: that order is the order of the summary's keys. Records are
  // found through one map per source (no `source/id` string per log row).
  const corruptionOps: Record<string, number> = {};
  const groups: string[][] = [];
  const groupOf = new Map<string, Map<string, string[]>>();
  for (const c of gen.corruptions) {
    corruptionOps[c.operator] = (corruptionOps[c.operator] ?? 0) + 1;
    if (duplicateIdsOf.get(c.source)?.has(c.id) !== true) continue;
    let ofSource = groupOf.get(c.source);
    if (ofSource === undefined) {
      ofSource = new Map<string, string[]>();
      groupOf.set(c.source, ofSource);
    }
    const ops = ofSource.get(c.id);
    if (ops === undefined) {
      const first = [c.operator];
      ofSource.set(c.id, first);
      groups.push(first);
    } else if (!ops.includes(c.operator)) ops.push(c.operator);
  }
  const duplicateOps: Record<string, number> = {};
  for (const ops of groups) for (const op of ops) duplicateOps[op] = (duplicateOps[op] ?? 0) + 1;

  const confusers: Record<string, number> = Object.fromEntries(CONFUSER_KINDS.map((k) => [k, 0]));
  for (const e of gen.entities) {
    const kind = e.confuser?.kind;
    if (kind !== undefined && Object.hasOwn(confusers, kind)) (confusers[kind] as number)++;
  }
  const pairCounts = (list: readonly LabelledPair[]): Record<string, number> => {
    const counts: Record<string, number> = Object.fromEntries(PAIR_KINDS.map((k) => [k, 0]));
    for (const p of list) if (Object.hasOwn(counts, p.kind)) (counts[p.kind] as number)++;
    return counts;
  };
  return {
    generator: "synthproof/entities",
    generator_version: ENTITIES_GENERATOR_VERSION,
    seed: cfg.seed,
    pii: cfg.pii,
    locale: cfg.locale,
    dev: cfg.dev,
    sources: Object.fromEntries(
      gen.sources.map(({ schema, records }) => {
        const v = gen.volumes[schema.name];
        return [
          schema.name,
          {
            records: records.length,
            base_records: v.base,
            duplicates: v.duplicates,
            duplicate_rate: records.length === 0 ? 0 : v.duplicates / records.length,
            entities_shared_with_larger_sources: v.shared,
            overlap: v.base === 0 ? 0 : v.shared / v.base,
          },
        ];
      }),
    ),
    entities: entityCount,
    entities_in_two_or_more_sources: multi,
    difficulty_preset: cfg.difficulty,
    rates: gen.rates,
    confusers_planted: confusers,
    duplicates_by_operator: duplicateOps,
    corruptions_by_operator: corruptionOps,
    corruptions: gen.corruptions.length,
    null_rates: nullRates,
    base_id_uniqueness: baseCount === 0 ? 1 : distinctBaseIds / baseCount,
    pairs: Object.fromEntries(SPLITS.map((s) => [s, pairCounts(pairs[s])])),
    difficulty: difficultyOf(pairs.train, pairs.test),
    warnings,
  };
}

/**
 * Generates the entity-resolution data set into `out`.
 *
 * `options.onProgress(done, total)` follows four stages of one record count each (total: four
 * times the records): records generated, records paired, rows written (in proportion to each
 * file's rows), then the summary and each check. It is called at most about
 * {@link MAX_UPDATES} times, and ends at the total.
 *
 * @throws InputError `missing_salt` (hashed PII without a salt), `no_shards` (a shard asked for),
 *   and the schema file's errors ({@link loadSchemas}).
 * @example await generateEntities(cfg, new OutputSet("out/er")); // then out.commit()
 */
export async function generateEntities(cfg: EntitiesConfig, out: OutputSet, options: GenerateOptions = {}): Promise<GenerateResult> {
  if (cfg.pii === "hashed" && cfg.salt === undefined)
    throw new InputError("missing_salt", "--pii hashed needs a salt", {
      location: { flag: "--salt", path: ["salt"] },
      hint: "give --salt <secret> (or `salt:` in the config); keep it private, or hashes of common names can be reversed by guessing",
    });
  if (options.shard)
    throw new InputError("no_shards", "the entities scenario is not sharded: its pairs and splits span every record", {
      location: { flag: "--shard" },
      hint: "leave --shard out (the default volumes take seconds)",
    });
  const schemas = loadSchemas(cfg.schema);
  const vol = volumes(cfg);
  const records = vol.leads + vol.sales + vol.financial;
  if (records >= LARGE_HEAP_RECORDS) options.onLargeHeap?.();
  const progress = new StagedProgress(options.onProgress, [records, records, records, records]);
  progress.start();
  const gen = generateRecords(cfg, schemas, progress.stage(0));
  // Between stages and blocks, back to the event loop: Ctrl-C and SIGTERM are handled then, not after the run.
  await yieldToSignals();
  const pairs = buildPairs(cfg, gen, progress.stage(1));
  await yieldToSignals();
  // The pair files are encoded while the CSV files are written (on a worker thread when there is
  // a core for it), and written in their place in the manifest's order once done.
  const parquet = encodePairSplits(
    SPLITS.map((s) => pairTable(pairs[s])),
    options,
  );
  // Awaited below; until then a failure elsewhere must not leave its rejection unhandled.
  parquet.catch(() => {});
  const writing = progress.stage(2);
  const salt = cfg.salt ?? "";
  const hashed = cfg.pii === "hashed";
  const profiles = profileTable(gen, (v) => (hashed ? hashPii(salt, v) : v));
  const confusers = confuserRows(gen);
  const rowsToWrite =
    2 * records + SPLITS.reduce((sum, s) => sum + pairs[s].length, 0) + gen.corruptions.length + profiles.count + confusers.length;
  let rowsWritten = 0;
  const wrote = (rows: number) => {
    rowsWritten += rows;
    writing(rowsWritten, rowsToWrite);
  };
  // A CSV file block by block, telling progress after each block is written. Each block's
  // columns are filled from `cell(row, column)`: no array per row, and only one block of cells
  // is alive at a time. Filled row by row, so a source of rows made on demand (the profile
  // truth) is asked for each row's cells together and need keep only the row it is on.
  const putCsv = async (
    name: string,
    columns: readonly string[],
    count: number,
    cell: (i: number, j: number) => string,
    onRow?: (i: number) => void,
  ) => {
    function* blocks(): Generator<Table> {
      for (let start = 0; start < count; start += CSV_BLOCK_ROWS) {
        const end = Math.min(count, start + CSV_BLOCK_ROWS);
        const values = columns.map(() => new Array<string>(end - start));
        for (let i = start; i < end; i++) {
          for (let j = 0; j < columns.length; j++) (values[j] as string[])[i - start] = cell(i, j);
          onRow?.(i);
        }
        yield {
          length: end - start,
          columns: columns.map((name, j): Column => ({ kind: "string", name, values: values[j] as string[] })),
        };
        wrote(end - start);
      }
    }
    await writeCsvBlocks(out.open(name), columns, blocks());
  };

  const written: WrittenSource[] = [];
  const piiFields = new Map<SourceName, Set<string>>();
  for (const { schema, records } of gen.sources) {
    const columns = schema.fields.map((f) => f.name);
    const pii = new Set(schema.fields.filter((f) => (PII_RULES as readonly (string | null)[]).includes(f.rule)).map((f) => f.name));
    piiFields.set(schema.name, pii);
    // A plain record's values already are its written row when they hold exactly the columns:
    // no copy (351,000 row objects, about 45 MB, at 10x volumes).
    const isRow = (values: Readonly<Record<string, string>>): boolean => {
      let keys = 0;
      for (const _ in values) keys++;
      return keys === columns.length && columns.every((c) => Object.hasOwn(values, c) && typeof values[c] === "string");
    };
    const rows = records.map((r): WrittenRow => {
      if (!hashed && isRow(r.values)) return r.values;
      const row = emptyRow();
      for (const c of columns) {
        const v = r.values[c] ?? "";
        row[c] = hashed && pii.has(c) ? hashPii(salt, v) : v;
      }
      return row;
    });
    await putCsv(`synth/${schema.name}.csv`, columns, rows.length, (i, j) => (rows[i] as WrittenRow)[columns[j] as string] as string);
    const fieldOfRule: Record<string, string> = {};
    for (const f of schema.fields) if (f.rule !== null) fieldOfRule[f.rule] = f.name;
    written.push({ name: schema.name, columns, rows, fieldOfRule });
  }
  // One table per split: the Parquet writer's pages depend on where its input batches end
  // (chunks of 65,536 pairs changed the bytes of a 10x train split), so the bytes do too.
  const parquetFiles = SPLITS.map((s) => out.open(`pairs/${s}.parquet`));
  // Every record in source order, and one id string per entity (shared by the truth file and the gates).
  const allRecords = gen.sources.flatMap((s) => s.records);
  const entityIds: string[] = [];
  const entityIdOf = (e: number): string => {
    let id = entityIds[e];
    if (id === undefined) {
      id = entityId(e);
      entityIds[e] = id;
    }
    return id;
  };
  await putCsv("truth/entities.csv", ["source", "id", "entity_id"], allRecords.length, (i, j) => {
    const r = allRecords[i] as (typeof allRecords)[number];
    return j === 0 ? r.source : j === 1 ? r.id : entityIdOf(r.entity);
  });
  // Plain PII: the log is written as generated, so no copy of it is made.
  const logged: readonly WrittenCorruption[] = hashed
    ? gen.corruptions.map((c: CorruptionRow) => {
        const secret = piiFields.get(c.source)?.has(c.field) ?? false;
        return { ...c, before: secret ? hashPii(salt, c.before) : c.before, after: secret ? hashPii(salt, c.after) : c.after };
      })
    : gen.corruptions;
  const logColumns = ["source", "id", "field", "operator", "before", "after"] as const;
  await putCsv(
    "truth/corruptions.csv",
    logColumns,
    logged.length,
    (i, j) => (logged[i] as WrittenCorruption)[logColumns[j] as (typeof logColumns)[number]],
  );

  const data: WrittenData = {
    sources: written,
    truth: truthIndex(
      allRecords,
      (r) => r.source,
      (r) => r.id,
      (r) => entityIdOf(r.entity),
    ),
    corruptions: logged,
    // No gate reads the rows back here: entity_profiles reads each one as it is written (below),
    // and confusers takes its contacts from that pass. Verify reads them from the file.
    profiles: [],
    confusers: confusers.map(([entity_id, kind, of_entity_id]) => ({
      entity_id: entity_id as string,
      kind: kind as string,
      of_entity_id: of_entity_id as string,
    })),
    pairs: writtenPairs(pairs),
    expected: expectedOf(
      cfg,
      gen.volumes,
      schemas.sources.map((s) => [s.name, s.fields.map((f) => f.name)]),
    ),
  };
  // entity_profiles reads each profile row as it is written (EntityProfilesCheck), so the rows
  // are made once; the gates take its result and the index it needed.
  const ix = indexWritten(data);
  const profileCheck = new EntityProfilesCheck(data, ix);
  await putCsv(
    "truth/entity_profiles.csv",
    PROFILE_COLUMNS,
    profiles.count,
    (i, j) => profiles.rowAt(i)[j] as string,
    (i) => profileCheck.add(profileRow(profiles.rowAt(i))),
  );
  await putCsv("truth/confusers.csv", CONFUSER_COLUMNS, confusers.length, (i, j) => (confusers[i] as string[])[j] as string);

  const encoded = await parquet;
  SPLITS.forEach((s, k) => {
    for (const chunk of encoded[k] as Uint8Array[]) (parquetFiles[k] as PendingFile).write(chunk);
    wrote(pairs[s].length);
  });

  const checking = progress.stage(3);
  const summary = summarize(cfg, gen, pairs, schemas.warnings);
  checking(1, 1 + CHECK_COUNT);
  const report = runEntityChecks(data, summary, (done, total) => checking(1 + done, 1 + total), {
    ix,
    results: new Map([[entityProfiles, profileCheck.result()]]),
  });
  progress.finish();
  out.writeFile("reports/synth_summary.json", `${JSON.stringify({ status: report.status, ...summary, checks: report.checks }, null, 2)}\n`);
  const manifest = out.writeManifest("manifest.json", (files) => ({
    generator: "synthproof/entities",
    generator_version: ENTITIES_GENERATOR_VERSION,
    seed: cfg.seed,
    config: { ...cfg, salt: cfg.salt === undefined ? null : "(set; not recorded)" },
    volumes: gen.volumes,
    schema: Object.fromEntries(schemas.sources.map((s) => [s.name, s.fields])),
    files,
    status: report.status,
  }));
  return { report, manifest, files: [...Object.keys(manifest.files), "manifest.json"] };
}

/** A profile truth row as the gates read it. By index: destructuring an array walks the iterator protocol, 2.4 million times at 10x. */
function profileRow(row: readonly string[]): WrittenProfile {
  return { entity_id: row[0], contact: row[1], label: row[2], value: row[3], records: row[7] } as WrittenProfile;
}

/**
 * Records from which a run tells `onLargeHeap` (its records and pairs are then a few hundred MB of
 * heap, held to the end): the CLI then holds V8's heap growth (cli/heap.ts).
 */
export const LARGE_HEAP_RECORDS = 100_000;

const PAIRS_WORKER = new URL("./pairs-parquet-worker.js", import.meta.url);

/**
 * Pairs above which a run encodes its pair files on the main thread unless told otherwise: the
 * worker's memory adds to the peak of a large run (10x volumes, 300,000 pairs: 1.24 GB peak RSS
 * with it, 1.12 GB without, for 2% of the time), while at the default volumes it takes 10% off.
 */
export const PAIR_WORKER_MAX_PAIRS = 100_000;

/**
 * Worker threads for the pair files: the caller's `threads` (0: none; the files are encoded on
 * the main thread, between its writes), else one when the machine has a second core and the run
 * has at most {@link PAIR_WORKER_MAX_PAIRS} pairs. One thread encodes the three splits in turn, one
 * table sent at a time (so it holds one split's copy); more would not help, the train split is
 * most of the work.
 */
export function pairWorkers(options: Pick<GenerateOptions, "threads">, pairs: number, cores = os.availableParallelism()): number {
  return Math.min(1, options.threads ?? (cores > 1 && pairs <= PAIR_WORKER_MAX_PAIRS ? 1 : 0));
}

/** The Parquet chunks of each table, in order, made on a worker thread when {@link pairWorkers} says so. */
async function encodePairSplits(tables: readonly Table[], options: GenerateOptions): Promise<Uint8Array[][]> {
  const createdBy = pairsCreatedBy(ENTITIES_GENERATOR_VERSION);
  const files: Uint8Array[][] = [];
  if (
    pairWorkers(
      options,
      tables.reduce((sum, t) => sum + t.length, 0),
    ) > 0 &&
    workerRunnable(PAIRS_WORKER)
  )
    await orderedParallel({ module: PAIRS_WORKER, init: createdBy, threads: 1, window: 1 }, tables, (chunks: Uint8Array[]) =>
      files.push(chunks),
    );
  else for (const table of tables) files.push(await encodePairTable(table, createdBy));
  return files;
}

/** The pairs as the gates read them: each split a view over its labelled pairs, made row by row as it is walked. */
function writtenPairs(pairs: PairsBySplit): WrittenData["pairs"] {
  const one = (s: SplitName): WrittenPairs => ({
    length: pairs[s].length,
    *[Symbol.iterator]() {
      for (const p of pairs[s]) yield { src_a: p.a.source, id_a: p.a.id, src_b: p.b.source, id_b: p.b.id, y: p.y, kind: p.kind };
    },
  });
  return { train: one("train"), valid: one("valid"), test: one("test") };
}

/** What the gates expect, from the config and the volumes (also rebuilt from a manifest by verify). */
export function expectedOf(
  cfg: Pick<EntitiesConfig, "pii" | "dev" | "dup_rate" | "overlap" | "negative_ratio">,
  vol: WrittenData["expected"]["volumes"],
  columns: readonly (readonly [string, readonly string[]])[],
): WrittenData["expected"] {
  return {
    pii: cfg.pii,
    dev: cfg.dev,
    dupRate: cfg.dup_rate,
    overlap: cfg.overlap,
    negativeRatio: cfg.negative_ratio,
    volumes: vol,
    requiredColumns: Object.fromEntries(columns),
  };
}
