/**
 * The entities data *as written* (cell strings), the one shape the gates read: `generate` builds
 * it from the records it is about to write, `verify` from the files it reads back, so both run the
 * same checks on the same values. Also the gate thresholds and the index every check shares.
 */
import type { SplitName } from "./pairs.js";
import { SPLITS } from "./pairs.js";
import type { SourceName } from "./schema-file.js";

/** A row of a source: cell text by field name (made by `emptyRow()` of row.ts, so any field name is a plain key). */
export type WrittenRow = Readonly<Record<string, string>>;

/** A written source: its header and rows (cell text). */
export interface WrittenSource {
  readonly name: SourceName;
  readonly columns: readonly string[];
  readonly rows: readonly WrittenRow[];
  /** Field name of each rule the schema gives (email, phone, first_name, ..., address). */
  readonly fieldOfRule: Readonly<Record<string, string>>;
}

/** A written pair row. */
export interface WrittenPair {
  readonly src_a: string;
  readonly id_a: string;
  readonly src_b: string;
  readonly id_b: string;
  readonly y: number;
  readonly kind: string;
}

/**
 * The pairs of one split as the gates read them: counted and walked in order. An array is one;
 * `generate` hands out a view that makes each row as it is walked (a copy of every pair, 300,000
 * at 10x volumes, was held for the gates alone).
 */
export interface WrittenPairs extends Iterable<WrittenPair> {
  readonly length: number;
}

/** A row of the corruption log as written. */
export interface WrittenCorruption {
  readonly source: string;
  readonly id: string;
  readonly field: string;
  readonly operator: string;
  readonly before: string;
  readonly after: string;
}

/** A row of `truth/entity_profiles.csv` (profiles-truth.ts). */
export interface WrittenProfile {
  readonly entity_id: string;
  readonly contact: string;
  readonly label: string;
  readonly value: string;
  readonly records: string;
}

/** A row of `truth/confusers.csv`. */
export interface WrittenConfuser {
  readonly entity_id: string;
  readonly kind: string;
  readonly of_entity_id: string;
}

/** Everything the gates read. */
export interface WrittenData {
  /** The sources, each name once. */
  readonly sources: readonly WrittenSource[];
  /** Source name -> record id -> entity id (see {@link truthIndex}). */
  readonly truth: Truth;
  readonly corruptions: readonly WrittenCorruption[];
  /** Iterated once per gate that reads it (generate makes the rows again each time rather than hold them). */
  readonly profiles: Iterable<WrittenProfile>;
  readonly confusers: readonly WrittenConfuser[];
  readonly pairs: Readonly<Record<SplitName, WrittenPairs>>;
  readonly expected: {
    readonly pii: "plain" | "hashed";
    readonly dev: boolean;
    readonly dupRate: number;
    readonly overlap: number;
    readonly negativeRatio: number;
    /** Per source: records, duplicates, shared entities expected (from the manifest). */
    readonly volumes: Readonly<Record<string, { records: number; base: number; duplicates: number; shared: number }>>;
    readonly requiredColumns: Readonly<Record<string, readonly string[]>>;
  };
}

/** Gate thresholds. */
export const GATES = {
  minPositives: 100,
  minHardNegatives: 500,
  devMinPositives: 10,
  devMinHardNegatives: 10,
  dupRange: [0.05, 0.15],
  overlapRange: [0.3, 0.6],
  balanceRange: [3, 5],
} as const;

/**
 * The truth file as the gates look it up: source name -> record id -> entity id. Nested rather
 * than keyed by a joined `source/id` string: the gates look up every record and both sides of
 * every pair, and a joined key is a new string to build and hash each time.
 */
export type Truth = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * Builds a {@link Truth} from rows, reading each one's source, record id and entity id through
 * the three functions; a record listed twice keeps its last entity.
 *
 * @example
 * truthIndex([{ s: "leads", id: "L1", e: "E0" }], (r) => r.s, (r) => r.id, (r) => r.e).get("leads")?.get("L1") // "E0"
 */
export function truthIndex<T>(rows: readonly T[], source: (row: T) => string, id: (row: T) => string, entity: (row: T) => string): Truth {
  const truth = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const name = source(row);
    let ids = truth.get(name);
    if (!ids) {
      ids = new Map();
      truth.set(name, ids);
    }
    ids.set(id(row), entity(row));
  }
  return truth;
}

/** The entity the truth gives record `id` of `source`, if any. */
export const entityOf = (truth: Truth, source: string, id: string): string | undefined => truth.get(source)?.get(id);

/** A row with the source it came from. */
export interface SourcedRow {
  readonly source: WrittenSource;
  readonly row: WrittenRow;
}

/**
 * What several checks look up, built once per report. Each distinct record id of a source has a
 * *slot* (a number: the sources in order, each one's ids in the order first seen), so a check
 * keeps what it learns about records in arrays indexed by slot rather than maps keyed by strings.
 */
export interface WrittenIndex {
  /** Source name -> record id -> its slot; see {@link recordOf}. */
  readonly rows: ReadonlyMap<string, { readonly source: WrittenSource; readonly byId: ReadonlyMap<string, number> }>;
  /** Per slot: the record's source name, id, and row (the last one, when an id is used twice). */
  readonly slotSource: readonly string[];
  readonly slotId: readonly string[];
  readonly slotRow: readonly WrittenRow[];
  /**
   * Entity id -> its number: each entity the truth gives some record of a source, numbered from 0
   * in slot order (so checks keep per-entity facts in arrays, not maps keyed by id strings).
   */
  readonly entityNumber: ReadonlyMap<string, number>;
  /** Per slot: the number of its record's entity, -1 when the truth gives it none. */
  readonly slotEntity: Int32Array;
  /** Per source: the numbers of the entities of its records that the truth knows, each once. */
  readonly entitiesOf: ReadonlyMap<string, Int32Array>;
  /** Entities the truth gives some record of a source (`entityNumber.size`). */
  readonly entities: number;
  /** Of those, the entities with records in two or more sources. */
  readonly entitiesInTwoOrMoreSources: number;
  /** Every pair, over every split. */
  readonly pairCount: number;
}

/** The field a source names for `rule` (the rule's own name when the schema gives none). */
export const fieldFor = (source: WrittenSource, rule: string): string => source.fieldOfRule[rule] ?? rule;

/** The cell of `field` in a row ("" when missing; never a property a plain object inherits). */
export const cellAt = (row: WrittenRow, field: string): string => (Object.hasOwn(row, field) ? (row[field] as string) : "");

/** The cell of `rule` in a row ("" when missing). */
export const cellFor = (source: WrittenSource, row: WrittenRow, rule: string): string => cellAt(row, fieldFor(source, rule));

/** Record `id` of source `name` and the source it is in, if there is one. */
export function recordOf(ix: WrittenIndex, name: string, id: string): SourcedRow | undefined {
  const rows = ix.rows.get(name);
  const slot = rows?.byId.get(id);
  return rows && slot !== undefined ? { source: rows.source, row: ix.slotRow[slot] as WrittenRow } : undefined;
}

/** Told `(done, total)` of a check's items now and then, for a progress bar. */
export type Tick = (done: number, total: number) => void;

/** Items between two calls of a {@link Tick}: often enough for a bar, rare enough to cost nothing. */
const TICK_ITEMS = 8192;

/**
 * A function to call once per item of `total`: it tells `tick` every {@link TICK_ITEMS} items
 * (a check over 300,000 pairs takes a second, too long for a bar to stand still).
 */
export function ticker(total: number, tick: Tick | undefined): () => void {
  if (!tick) return () => {};
  let done = 0;
  return () => {
    if (++done % TICK_ITEMS === 0) tick(done, total);
  };
}

/** Rows over every source. */
export const rowCount = (data: WrittenData): number => data.sources.reduce((sum, s) => sum + s.rows.length, 0);

/** Calls `visit` on every pair with its split, in split order; `tick` now and then. */
export function forEachPair(data: WrittenData, visit: (split: SplitName, p: WrittenPair) => void, tick?: Tick): void {
  const step = ticker(
    SPLITS.reduce((sum, split) => sum + data.pairs[split].length, 0),
    tick,
  );
  for (const split of SPLITS)
    for (const p of data.pairs[split]) {
      visit(split, p);
      step();
    }
}

/** Builds the shared index; `tick` now and then over the rows. */
export function indexWritten(data: WrittenData, tick?: Tick): WrittenIndex {
  const step = ticker(rowCount(data), tick);
  const rows = new Map<string, { source: WrittenSource; byId: Map<string, number> }>();
  const slotSource: string[] = [];
  const slotId: string[] = [];
  const slotRow: WrittenRow[] = [];
  const slotEntities: number[] = [];
  const entityNumber = new Map<string, number>();
  const entitiesOf = new Map<string, Int32Array>();
  // Per entity number: the source (its index) its records were first seen in, -1 once a second
  // source holds one too.
  const firstSource: number[] = [];
  // Per entity number: the last source whose list of entities has it (sources come one by one).
  const lastSource: number[] = [];
  let multi = 0;
  data.sources.forEach((source, sourceIndex) => {
    const idField = fieldFor(source, "id");
    const truth = data.truth.get(source.name);
    const byId = new Map<string, number>();
    const ents: number[] = [];
    for (const row of source.rows) {
      step();
      const id = cellAt(row, idField);
      const slot = byId.get(id);
      if (slot !== undefined) {
        slotRow[slot] = row;
        continue;
      }
      byId.set(id, slotRow.length);
      slotSource.push(source.name);
      slotId.push(id);
      slotRow.push(row);
      const e = truth?.get(id);
      if (e === undefined) {
        slotEntities.push(-1);
        continue;
      }
      let n = entityNumber.get(e);
      if (n === undefined) {
        n = entityNumber.size;
        entityNumber.set(e, n);
        firstSource.push(sourceIndex);
        lastSource.push(-1);
      } else {
        const first = firstSource[n] as number;
        if (first !== -1 && first !== sourceIndex) {
          firstSource[n] = -1;
          multi++;
        }
      }
      if (lastSource[n] !== sourceIndex) {
        lastSource[n] = sourceIndex;
        ents.push(n);
      }
      slotEntities.push(n);
    }
    rows.set(source.name, { source, byId });
    entitiesOf.set(source.name, Int32Array.from(ents));
  });
  const pairCount = SPLITS.reduce((sum, split) => sum + data.pairs[split].length, 0);
  return {
    rows,
    slotSource,
    slotId,
    slotRow,
    entityNumber,
    slotEntity: Int32Array.from(slotEntities),
    entitiesOf,
    entities: entityNumber.size,
    entitiesInTwoOrMoreSources: multi,
    pairCount,
  };
}
