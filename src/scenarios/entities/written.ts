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
  readonly sources: readonly WrittenSource[];
  /** `source/id` -> entity id. */
  readonly truth: ReadonlyMap<string, string>;
  readonly corruptions: readonly WrittenCorruption[];
  readonly profiles: readonly WrittenProfile[];
  readonly confusers: readonly WrittenConfuser[];
  readonly pairs: Readonly<Record<SplitName, readonly WrittenPair[]>>;
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

/** A row with the source it came from. */
export interface SourcedRow {
  readonly source: WrittenSource;
  readonly row: WrittenRow;
}

/** What several checks look up, built once per report. */
export interface WrittenIndex {
  /** `source/id` -> its row (the last one, when an id is used twice). */
  readonly byRef: ReadonlyMap<string, SourcedRow>;
  /** Per source: the entities of its records that the truth knows. */
  readonly entitiesOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per entity: the sources that hold one of its records. */
  readonly sourcesOfEntity: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every pair with its split, in split order. */
  readonly allPairs: readonly { readonly split: SplitName; readonly p: WrittenPair }[];
}

/** `source/id`, the key of a record in {@link WrittenData.truth}. */
export const ref = (source: string, id: string): string => `${source}/${id}`;

/** The field a source names for `rule` (the rule's own name when the schema gives none). */
export const fieldFor = (source: WrittenSource, rule: string): string => source.fieldOfRule[rule] ?? rule;

/** The cell of `field` in a row ("" when missing; never a property a plain object inherits). */
export const cellAt = (row: WrittenRow, field: string): string => (Object.hasOwn(row, field) ? (row[field] as string) : "");

/** The cell of `rule` in a row ("" when missing). */
export const cellFor = (source: WrittenSource, row: WrittenRow, rule: string): string => cellAt(row, fieldFor(source, rule));

/** Builds the shared index. */
export function indexWritten(data: WrittenData): WrittenIndex {
  const byRef = new Map<string, SourcedRow>();
  const entitiesOf = new Map<string, Set<string>>();
  const sourcesOfEntity = new Map<string, Set<string>>();
  for (const source of data.sources) {
    const ents = new Set<string>();
    for (const row of source.rows) {
      const id = cellFor(source, row, "id");
      byRef.set(ref(source.name, id), { source, row });
      const e = data.truth.get(ref(source.name, id));
      if (e === undefined) continue;
      ents.add(e);
      const srcs = sourcesOfEntity.get(e) ?? new Set<string>();
      srcs.add(source.name);
      sourcesOfEntity.set(e, srcs);
    }
    entitiesOf.set(source.name, ents);
  }
  const allPairs = SPLITS.flatMap((split) => data.pairs[split].map((p) => ({ split, p })));
  return { byRef, entitiesOf, sourcesOfEntity, allPairs };
}
