/**
 * What the entities properties and break tests share: the recipe and its arbitrary, the
 * recipe-to-folder generator, readers and writers of the written files (source CSVs, truth,
 * corruption log, Parquet pair splits), and the breaks that damage a folder on purpose.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { generate, verify } from "../src/api.js";
import type { Report } from "../src/checks/result.js";
import type { Column, Table } from "../src/core/table.js";
import { encodeCsv } from "../src/io/csv.js";
import { readParquetBatches, writeParquet } from "../src/io/parquet.js";
import { readCsvTable } from "../src/io/read-file.js";
import { type EntitiesConfig, entitiesConfigSchema } from "../src/scenarios/entities/config.js";
import { OPERATORS, type OperatorName } from "../src/scenarios/entities/corrupt/index.js";
import { type PairsBySplit, SPLITS, type SplitName, splitOf } from "../src/scenarios/entities/pairs.js";
import { type ConfuserKind, DIFFICULTIES, type Difficulty, type SecondContact, type UsageKey } from "../src/scenarios/entities/presets.js";
import type { GeneratedRecords } from "../src/scenarios/entities/records.js";
import { type EntitySchemas, loadSchemas, SOURCES, type SourceName } from "../src/scenarios/entities/schema-file.js";
import type { GenerateResult } from "../src/scenarios/scenario.js";
import { entitiesRecipe } from "../src/sweep/recipes/entities.js";
import { seedArb } from "./arbitraries.js";
import type { DatasetGenerator } from "./assertions.js";

/** An entities recipe: exactly a config input (snake_case keys), the bundled schema, never `dev`. */
export interface EntitiesRecipe {
  readonly seed: number;
  readonly n_leads: number;
  readonly n_sales: number;
  readonly n_financial: number;
  readonly dup_rate: number;
  readonly overlap: number;
  readonly locale: "US" | "CA" | "US+CA";
  readonly pii: "plain" | "hashed";
  /** Always given, so one recipe can run plain and hashed alike. */
  readonly salt: string;
  readonly negative_ratio: number;
  /** Per-operator rate overrides (a subset of the operators). */
  readonly corruption: Readonly<Partial<Record<OperatorName, number>>>;
  /** The difficulty preset (absent in recipes older than generator 2.0: the default, realistic). */
  readonly difficulty?: Difficulty;
  /** Overrides of the preset's rates, as the config takes them (absent: the preset's). */
  readonly confusers?: Readonly<Partial<Record<ConfuserKind, number>>>;
  readonly second_contacts?: Readonly<Partial<Record<SecondContact, number>>>;
  readonly contact_usage?: Readonly<Partial<Record<SourceName, Readonly<Partial<Record<UsageKey, number>>>>>>;
  readonly contact_change?: number;
}

/** Every file `generate entities` writes, in the order it lists them. */
export const ENTITY_FILES = [
  "synth/leads.csv",
  "synth/sales.csv",
  "synth/financial.csv",
  "pairs/train.parquet",
  "pairs/valid.parquet",
  "pairs/test.parquet",
  "truth/entities.csv",
  "truth/corruptions.csv",
  "truth/entity_profiles.csv",
  "truth/confusers.csv",
  "reports/synth_summary.json",
  "manifest.json",
] as const;

/**
 * Records per source: mostly 20-60 (a run then generates in well under 100 ms), one time in four
 * up to 300, so the volumes cross the sizes where sources change rank.
 */
export const volumeArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 20, max: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 300 }) },
);

/** A number in `[min, max]` with three decimals: readable recipes, both ends reachable. */
const decimal = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) }).map((m) => m / 1000);

/** A corruption rate: 0 (off) often, else any rate with two decimals. */
export const rateArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 100 }).map((p) => p / 100) },
);

/** Overrides of a few operators' rates. */
export function corruptionArb(rate: fc.Arbitrary<number> = rateArb): fc.Arbitrary<Partial<Record<OperatorName, number>>> {
  return fc.dictionary(fc.constantFrom(...OPERATORS), rate, { maxKeys: 4 }) as fc.Arbitrary<Partial<Record<OperatorName, number>>>;
}

/** Every operator at rate 0. */
export const ZERO_RATES: Readonly<Record<OperatorName, number>> = Object.fromEntries(OPERATORS.map((op) => [op, 0])) as Record<
  OperatorName,
  number
>;

/** Overrides of the parts of {@link entitiesRecipeArb}. */
export interface EntitiesRecipeOptions {
  readonly pii?: fc.Arbitrary<EntitiesRecipe["pii"]>;
  readonly locale?: fc.Arbitrary<EntitiesRecipe["locale"]>;
  readonly corruption?: fc.Arbitrary<EntitiesRecipe["corruption"]>;
  readonly difficulty?: fc.Arbitrary<Difficulty>;
  /** Rate overrides merged into the recipe (default: none, the preset's rates). */
  readonly rates?: fc.Arbitrary<Pick<EntitiesRecipe, "confusers" | "second_contacts" | "contact_usage" | "contact_change">>;
}

/**
 * A whole entities recipe over the config's ranges, every difficulty preset; any part can be
 * overridden. It is the library's entities recipe (`synthproof/testing`) at the suites' sizes, with
 * the salt and corruption overrides users' sweeps leave at their defaults.
 */
export function entitiesRecipeArb(options: EntitiesRecipeOptions = {}): fc.Arbitrary<EntitiesRecipe> {
  const base = entitiesRecipe({
    n_leads: volumeArb,
    n_sales: volumeArb,
    n_financial: volumeArb,
    dup_rate: decimal(0.05, 0.15),
    overlap: decimal(0.3, 0.6),
    negative_ratio: decimal(3, 5),
    // contact_change and hard_negative_focus stay the preset's unless `rates` sets them.
    contact_change: fc.constant(undefined),
    hard_negative_focus: fc.constant(undefined),
    difficulty: options.difficulty ?? fc.constantFrom(...DIFFICULTIES),
    locale: options.locale ?? fc.constantFrom("US" as const, "CA" as const, "US+CA" as const),
    pii: options.pii ?? fc.constantFrom("plain" as const, "hashed" as const),
    salt: fc.string({ minLength: 1, maxLength: 8 }),
    corruption: options.corruption ?? corruptionArb(),
    seed: seedArb,
  }).map((r) => JSON.parse(JSON.stringify(r)) as EntitiesRecipe);
  const rates = options.rates;
  return rates === undefined ? base : fc.tuple(base, rates).map(([recipe, r]) => ({ ...recipe, ...r }));
}

/** The checked config of a recipe (defaults filled). */
export function toEntitiesConfig(recipe: EntitiesRecipe): EntitiesConfig {
  return entitiesConfigSchema.parse(recipe);
}

let bundled: EntitySchemas | undefined;
/** The bundled source schemas, read once. */
export function bundledSchemas(): EntitySchemas {
  bundled ??= loadSchemas();
  return bundled;
}

/** Generates a recipe into `dir` with the library API. */
export function generateEntitiesInto(recipe: EntitiesRecipe, dir: string): Promise<GenerateResult> {
  return generate("entities", recipe, { out: dir });
}

/** The entities scenario as the generic assertions see it (it is never sharded). */
export const entitiesGenerator: DatasetGenerator<EntitiesRecipe> = {
  generate: async (recipe, dir) => (await generateEntitiesInto(recipe, dir)).files,
};

/** The one report verify gives for an entities folder. */
export async function verifyEntitiesDir(dir: string): Promise<Report> {
  const result = await verify("entities", dir);
  return (result.parts[0] as { report: Report }).report;
}

/** Names of the checks that FAILED, sorted. */
export function failedChecks(report: Report): string[] {
  return report.checks
    .filter((c) => c.status !== "PASSED")
    .map((c) => c.check)
    .sort();
}

/** A split's class balance: its positives and negatives, the negatives asked for, and how many could exist. */
export interface SplitBalance {
  readonly positives: number;
  readonly negatives: number;
  readonly hard: number;
  /** round(negative_ratio x positives). */
  readonly target: number;
  /** Pairs of the split's records that belong to two different entities: every negative it could have. */
  readonly crossPairs: number;
}

/** The balance of every split (a split holds the records of the entity families `splitOf` sends there). */
export function splitBalances(cfg: EntitiesConfig, gen: GeneratedRecords, pairs: PairsBySplit): Record<SplitName, SplitBalance> {
  const out = {} as Record<SplitName, SplitBalance>;
  for (const s of SPLITS) {
    // Records by entity: the cross-entity pairs are all pairs minus the within-entity ones.
    const perEntity = new Map<number, number>();
    for (const src of gen.sources)
      for (const r of src.records)
        if (splitOf(cfg.seed, gen.entities[r.entity]?.family ?? -1) === s) perEntity.set(r.entity, (perEntity.get(r.entity) ?? 0) + 1);
    const n = [...perEntity.values()].reduce((a, k) => a + k, 0);
    const within = [...perEntity.values()].reduce((a, k) => a + (k * (k - 1)) / 2, 0);
    const positives = pairs[s].filter((p) => p.y === 1).length;
    out[s] = {
      positives,
      negatives: pairs[s].length - positives,
      hard: pairs[s].filter((p) => p.kind.startsWith("hard_")).length,
      target: Math.round(cfg.negative_ratio * positives),
      crossPairs: (n * (n - 1)) / 2 - within,
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing the files.

/** A CSV file as header and rows of cells (quoted cells parsed: companies hold commas). */
export interface CsvCells {
  header: string[];
  rows: string[][];
}

/** Reads `dir/name` as a CSV file. */
export function readCsvCells(dir: string, name: string): CsvCells {
  return readCsvTable(path.join(dir, name));
}

/** Writes `cells` to `dir/name` the way the generator writes CSV. */
export function writeCsvCells(dir: string, name: string, cells: CsvCells): void {
  const table: Table = {
    length: cells.rows.length,
    columns: cells.header.map((h, j) => ({ kind: "string", name: h, values: cells.rows.map((r) => r[j] ?? "") })),
  };
  fs.writeFileSync(path.join(dir, name), encodeCsv(table));
}

/** A source's rows as objects keyed by column. */
export function readSourceRows(dir: string, source: SourceName): Record<string, string>[] {
  const { header, rows } = readCsvCells(dir, `synth/${source}.csv`);
  return rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ""])));
}

/** `source/id` -> entity id, from truth/entities.csv. */
export function readTruth(dir: string): Map<string, string> {
  const { header, rows } = readCsvCells(dir, "truth/entities.csv");
  const [s, i, e] = ["source", "id", "entity_id"].map((n) => header.indexOf(n)) as [number, number, number];
  return new Map(rows.map((r) => [`${r[s]}/${r[i]}`, r[e] ?? ""]));
}

/** One row of a pairs file, every column as the text Parquet gives back. */
export type PairRow = Record<string, string>;

/** A pairs file: its column names in order and its rows. */
export interface PairFile {
  names: string[];
  rows: PairRow[];
}

/** Reads `pairs/<split>.parquet`. */
export async function readPairFile(dir: string, split: SplitName): Promise<PairFile> {
  const out: PairFile = { names: [], rows: [] };
  for await (const b of readParquetBatches(path.join(dir, "pairs", `${split}.parquet`))) {
    out.names = b.names;
    for (let i = 0; i < b.length; i++) out.rows.push(Object.fromEntries(b.names.map((n, j) => [n, b.columns[j]?.(i) ?? ""])));
  }
  return out;
}

/** Every split's pairs. */
export async function readAllPairs(dir: string): Promise<Record<SplitName, PairFile>> {
  const out = {} as Record<SplitName, PairFile>;
  for (const s of SPLITS) out[s] = await readPairFile(dir, s);
  return out;
}

/** The column type the generator gives a pair column: strings, the 0/1 label and flags, doubles. */
function pairColumn(name: string, rows: readonly PairRow[]): Column {
  if (name.endsWith("_jw")) return { kind: "float", name, values: Float64Array.from(rows, (r) => Number(r[name])) };
  if (["src_a", "id_a", "src_b", "id_b", "kind"].includes(name)) return { kind: "string", name, values: rows.map((r) => r[name] ?? "") };
  return { kind: "int", name, values: Int8Array.from(rows, (r) => Number(r[name])) };
}

/** Writes `pairs/<split>.parquet` back with the generator's column types. */
export async function writePairFile(dir: string, split: SplitName, file: PairFile): Promise<void> {
  const chunks: Uint8Array[] = [];
  const table: Table = { length: file.rows.length, columns: file.names.map((n) => pairColumn(n, file.rows)) };
  await writeParquet([table], { write: (c) => chunks.push(c.slice()) });
  fs.writeFileSync(path.join(dir, "pairs", `${split}.parquet`), Buffer.concat(chunks));
}

// ---------------------------------------------------------------------------------------------
// Breaking a folder on purpose.

/** The kinds of damage {@link BREAKS} knows. */
export const BREAK_KINDS = [
  "delete-column",
  "duplicate-id",
  "blank-pair-key",
  "flip-y",
  "move-entity-in-truth",
  "move-pair-to-other-split",
  "break-zip",
  "edit-corrupted-cell",
  "profile-names-foreign-record",
  "edit-email-unlogged",
  "confuser-of-itself",
] as const;
export type BreakKind = (typeof BREAK_KINDS)[number];

/** What a break does and which checks it must, and may, make FAIL. */
export interface Break {
  /** What is damaged, as a sentence. */
  readonly what: string;
  /** Checks that must FAIL after the break. */
  readonly mustFail: readonly string[];
  /**
   * Checks that may FAIL too, because they read what was damaged (e.g. a deleted zip column also
   * breaks the corruption log of the zips that were corrupted). Any other check must keep its status.
   */
  readonly mayFail: readonly string[];
  /**
   * Damages the folder. `pick` chooses where (any natural number; taken modulo the candidates).
   * Returns a description of what it changed, or null when the folder has nowhere to apply it.
   */
  apply(dir: string, pick: number): Promise<string | null>;
}

const sourceOf = (pick: number): SourceName => SOURCES[pick % SOURCES.length] as SourceName;
const nonEmptySplits = (pairs: Record<SplitName, PairFile>) => SPLITS.filter((s) => pairs[s].rows.length > 0);

/** A pair row's record keys. */
export const pairRefs = (p: PairRow): [string, string] => [`${p.src_a}/${p.id_a}`, `${p.src_b}/${p.id_b}`];

/** Every break, by kind. */
export const BREAKS: Readonly<Record<BreakKind, Break>> = {
  "delete-column": {
    what: "a column other than id deleted from a source file",
    mustFail: ["required_columns"],
    // value_formats reads email, phone, zip and country; pair_evidence the matching fields; the
    // corruption log any corrupted field.
    mayFail: ["value_formats", "pair_evidence", "corruption_log"],
    apply: async (dir, pick) => {
      const source = sourceOf(pick);
      const name = `synth/${source}.csv`;
      const csv = readCsvCells(dir, name);
      const candidates = csv.header.filter((h) => h !== "id");
      const column = candidates[Math.floor(pick / SOURCES.length) % candidates.length] as string;
      const j = csv.header.indexOf(column);
      writeCsvCells(dir, name, { header: csv.header.filter((_, k) => k !== j), rows: csv.rows.map((r) => r.filter((_, k) => k !== j)) });
      return `${name}: column ${column} deleted`;
    },
  },
  "duplicate-id": {
    what: "a record given the id of another record of its source",
    mustFail: ["unique_ids"],
    // The record now reads as the other one's entity (entity counts change) and the records its old
    // id named (in pairs, the log and the profile truth) are gone.
    mayFail: ["duplicate_rate", "cross_source_overlap", "pair_evidence", "corruption_log", "entity_profiles"],
    apply: async (dir, pick) => {
      const source = sourceOf(pick);
      const name = `synth/${source}.csv`;
      const csv = readCsvCells(dir, name);
      const id = csv.header.indexOf("id");
      const i = Math.floor(pick / SOURCES.length) % csv.rows.length;
      const j = (i + 1) % csv.rows.length;
      const from = (csv.rows[i] as string[])[id] as string;
      const was = (csv.rows[j] as string[])[id] as string;
      (csv.rows[j] as string[])[id] = from;
      writeCsvCells(dir, name, csv);
      return `${name}: record ${was} renamed ${from}`;
    },
  },
  "blank-pair-key": {
    what: "a key field of a pair (src_a, id_a, src_b or id_b) blanked",
    mustFail: ["pair_labels"],
    // The blanked side names no record of the truth.
    mayFail: ["labels_match_truth"],
    apply: async (dir, pick) => {
      const pairs = await readAllPairs(dir);
      const splits = nonEmptySplits(pairs);
      if (splits.length === 0) return null;
      const split = splits[pick % splits.length] as SplitName;
      const file = pairs[split];
      const row = file.rows[Math.floor(pick / 3) % file.rows.length] as PairRow;
      const key = (["src_a", "id_a", "src_b", "id_b"] as const)[Math.floor(pick / 7) % 4] as string;
      row[key] = "";
      await writePairFile(dir, split, file);
      return `pairs/${split}.parquet: ${key} of a pair blanked`;
    },
  },
  "flip-y": {
    what: "the label y of a pair flipped",
    mustFail: ["pair_labels", "labels_match_truth"],
    // A split's positive count changes; a negative turned positive has its records' evidence checked.
    mayFail: ["class_balance", "pair_evidence"],
    apply: async (dir, pick) => {
      const pairs = await readAllPairs(dir);
      const splits = nonEmptySplits(pairs);
      if (splits.length === 0) return null;
      const split = splits[pick % splits.length] as SplitName;
      const file = pairs[split];
      const row = file.rows[Math.floor(pick / 3) % file.rows.length] as PairRow;
      row.y = row.y === "1" ? "0" : "1";
      await writePairFile(dir, split, file);
      return `pairs/${split}.parquet: y of a ${row.kind} pair set to ${row.y}`;
    },
  },
  "move-entity-in-truth": {
    what: "a record of a positive pair moved to a new entity in truth/entities.csv",
    mustFail: ["labels_match_truth"],
    // Its source now has one entity more, and the profile rows naming the record are of its old entity.
    mayFail: ["duplicate_rate", "cross_source_overlap", "entity_profiles"],
    apply: async (dir, pick) => {
      const pairs = await readAllPairs(dir);
      const positives = SPLITS.flatMap((s) => pairs[s].rows.filter((p) => p.y === "1"));
      if (positives.length === 0) return null;
      const [ref] = pairRefs(positives[pick % positives.length] as PairRow);
      const csv = readCsvCells(dir, "truth/entities.csv");
      const row = csv.rows.find((r) => `${r[0]}/${r[1]}` === ref) as string[];
      row[2] = "E9999999";
      writeCsvCells(dir, "truth/entities.csv", csv);
      return `truth/entities.csv: ${ref} moved to entity E9999999`;
    },
  },
  "move-pair-to-other-split": {
    what: "a pair moved to another split's file, so its entity is in two splits",
    mustFail: ["labels_match_truth"],
    // Both splits' positive and negative counts change.
    mayFail: ["class_balance"],
    apply: async (dir, pick) => {
      const pairs = await readAllPairs(dir);
      const truth = readTruth(dir);
      // A pair whose entity has another pair left behind in its split, so the move makes it cross.
      const candidates = SPLITS.flatMap((s) => {
        const uses = new Map<string, number>();
        const entities = (p: PairRow) => [...new Set(pairRefs(p).map((r) => truth.get(r) ?? ""))];
        for (const p of pairs[s].rows) for (const e of entities(p)) uses.set(e, (uses.get(e) ?? 0) + 1);
        return pairs[s].rows.flatMap((p, i) => (entities(p).some((e) => (uses.get(e) ?? 0) >= 2) ? [{ split: s, i }] : []));
      });
      if (candidates.length === 0) return null;
      const { split, i } = candidates[pick % candidates.length] as { split: SplitName; i: number };
      const to = SPLITS[(SPLITS.indexOf(split) + 1 + (Math.floor(pick / 5) % 2)) % SPLITS.length] as SplitName;
      const [moved] = pairs[split].rows.splice(i, 1) as [PairRow];
      pairs[to].rows.push(moved);
      await writePairFile(dir, split, pairs[split]);
      await writePairFile(dir, to, pairs[to]);
      return `a ${moved.kind} pair moved from ${split} to ${to}`;
    },
  },
  "break-zip": {
    what: "a zip or postal code cut short by its last character",
    mustFail: ["value_formats"],
    // A hard same-address pair compares zips; a corrupted zip is in the log.
    mayFail: ["pair_evidence", "corruption_log"],
    apply: async (dir, pick) => {
      const source = sourceOf(pick);
      const name = `synth/${source}.csv`;
      const csv = readCsvCells(dir, name);
      const zip = csv.header.indexOf("zip");
      const rows = csv.rows.filter((r) => (r[zip] ?? "") !== "");
      if (rows.length === 0) return null;
      const row = rows[Math.floor(pick / SOURCES.length) % rows.length] as string[];
      const was = row[zip] as string;
      row[zip] = was.slice(0, -1);
      writeCsvCells(dir, name, csv);
      return `${name}: zip ${was} of ${row[0]} cut to ${row[zip]}`;
    },
  },
  "edit-corrupted-cell": {
    what: "a corrupted cell edited so it no longer holds the value the corruption log gives",
    mustFail: ["corruption_log"],
    // The edited value may stop being a valid email, phone, zip or digest, or stop meeting a hard rule.
    mayFail: ["value_formats", "pair_evidence"],
    apply: async (dir, pick) => {
      const log = readCsvCells(dir, "truth/corruptions.csv");
      if (log.rows.length === 0) return null;
      const [source, id, field] = log.rows[pick % log.rows.length] as [SourceName, string, string];
      const name = `synth/${source}.csv`;
      const csv = readCsvCells(dir, name);
      const row = csv.rows.find((r) => r[csv.header.indexOf("id")] === id) as string[];
      const j = csv.header.indexOf(field);
      row[j] = `${row[j]}#`;
      writeCsvCells(dir, name, csv);
      return `${name}: ${field} of ${id} set to ${JSON.stringify(row[j])}`;
    },
  },
  "profile-names-foreign-record": {
    what: "a profile row of truth/entity_profiles.csv made to name a record of another entity",
    // The foreign record now uses two of that contact, and the record it replaced none.
    mustFail: ["entity_profiles"],
    mayFail: [],
    apply: async (dir, pick) => {
      const name = "truth/entity_profiles.csv";
      const csv = readCsvCells(dir, name);
      const [e, records] = [csv.header.indexOf("entity_id"), csv.header.indexOf("records")];
      const truth = readTruth(dir);
      const used = csv.rows.filter((r) => (r[records] ?? "") !== "");
      if (used.length === 0) return null;
      const row = used[pick % used.length] as string[];
      const foreign = [...truth].filter(([, entity]) => entity !== row[e]).map(([ref]) => ref);
      if (foreign.length === 0) return null;
      const refs = (row[records] as string).split(" ");
      const k = Math.floor(pick / 7) % refs.length;
      const was = refs[k];
      refs[k] = foreign[Math.floor(pick / 3) % foreign.length] as string;
      row[records] = refs.join(" ");
      writeCsvCells(dir, name, csv);
      return `${name}: a ${row[csv.header.indexOf("contact")]} row of ${row[e]} names ${refs[k]} instead of ${was}`;
    },
  },
  "edit-email-unlogged": {
    what: "an email cell changed where the corruption log has no change of that email (plain PII)",
    mustFail: ["entity_profiles"],
    // The new value is still an email (a letter before it), but the pair features change.
    mayFail: ["pair_evidence"],
    apply: async (dir, pick) => {
      // Hashed cells are not compared with the profile (entity_profiles checks values on plain PII).
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { config: { pii: string } };
      if (manifest.config.pii !== "plain") return null;
      const source = sourceOf(pick);
      const name = `synth/${source}.csv`;
      const csv = readCsvCells(dir, name);
      const truth = readTruth(dir);
      const [id, email] = [csv.header.indexOf("id"), csv.header.indexOf("email")];
      // The gate forgives a change logged for any record of the entity in the source (a duplicate
      // copies its base's corrupted cell), so only entities with no email change logged there qualify.
      const log = readCsvCells(dir, "truth/corruptions.csv");
      const logged = new Set(log.rows.filter((r) => r[0] === source && r[2] === "email").map((r) => truth.get(`${r[0]}/${r[1]}`)));
      const rows = csv.rows.filter((r) => (r[email] ?? "") !== "" && !logged.has(truth.get(`${source}/${r[id]}`)));
      if (rows.length === 0) return null;
      const row = rows[Math.floor(pick / SOURCES.length) % rows.length] as string[];
      const was = row[email] as string;
      row[email] = `z${was}`;
      writeCsvCells(dir, name, csv);
      return `${name}: email of ${row[id]} changed from ${was} to ${row[email]}, not logged`;
    },
  },
  "confuser-of-itself": {
    what: "a row of truth/confusers.csv made to name its own entity as the origin",
    mustFail: ["confusers"],
    mayFail: [],
    apply: async (dir, pick) => {
      const name = "truth/confusers.csv";
      const csv = readCsvCells(dir, name);
      if (csv.rows.length === 0) return null;
      const row = csv.rows[pick % csv.rows.length] as string[];
      const [e, of] = [csv.header.indexOf("entity_id"), csv.header.indexOf("of_entity_id")];
      const was = row[of];
      row[of] = row[e] as string;
      writeCsvCells(dir, name, csv);
      return `${name}: ${row[e]}, a confuser of ${was}, made a confuser of itself`;
    },
  },
};

/** Fails with the first ten problems, one a line, when there are any. */
export function expectNoProblems(problems: readonly string[], what: string): void {
  if (problems.length > 0) expect.fail(`${what}: ${problems.length} problem(s):\n  ${problems.slice(0, 10).join("\n  ")}`);
}
