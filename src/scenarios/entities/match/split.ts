/**
 * A split's labelled pairs and the truth, read into maps and checked against each other once, so
 * scoring can trust them: every labelled pair once, its label agreeing with the truth, every
 * record of the split in the truth.
 */
import { InputError } from "../../../core/errors.js";
import { HARD_KINDS } from "./hard-rules.js";
import { pairKey, type RecordRef, recordKey, showRecord } from "./record-key.js";

/** The kinds of labelled pair, in report order: the positives, the hard negatives (hard-rules.ts order), random pairs. */
export const PAIR_KINDS = ["positive", ...HARD_KINDS, "random"] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

/** A labelled pair of a split: `y` is 1 when both records are one entity. */
export interface LabelledPair {
  readonly src_a: string;
  readonly id_a: string;
  readonly src_b: string;
  readonly id_b: string;
  readonly y: 0 | 1;
  readonly kind: PairKind;
}

/** One row of the truth file: the entity a record belongs to. */
export interface TruthRow {
  readonly source: string;
  readonly id: string;
  readonly entity_id: string;
}

/** A labelled pair by its record keys. */
export interface IndexedPair {
  readonly a: string;
  readonly b: string;
  readonly y: 0 | 1;
  readonly kind: PairKind;
}

/**
 * The truth as record key -> entity id. A record listed twice with one entity counts once.
 *
 * @throws InputError `conflicting_truth` when a record is given two entities.
 * @example indexTruth([{ source: "leads", id: "1", entity_id: "E1" }]).get(recordKey("leads", "1")) // "E1"
 */
export function indexTruth(rows: readonly TruthRow[]): Map<string, string> {
  const out = new Map<string, string>();
  rows.forEach((row, i) => {
    const key = recordKey(row.source, row.id);
    const before = out.get(key);
    if (before !== undefined && before !== row.entity_id) {
      throw new InputError(
        "conflicting_truth",
        `truth row ${i} puts ${showRecord(key)} in entity ${row.entity_id}, an earlier row in ${before}`,
        {
          hint: "the truth file gives each record one entity; regenerate it",
          location: { path: ["truth", i] },
        },
      );
    }
    out.set(key, row.entity_id);
  });
  return out;
}

/**
 * The labelled pairs keyed by {@link pairKey}, each checked against the truth: its records are in
 * it, and `y` is 1 exactly when they share an entity.
 *
 * @throws InputError `self_pair`, `duplicate_labelled_pair` (one unordered pair twice),
 *   `label_disagrees_with_truth`, `record_not_in_truth`.
 * @example indexLabelled(labelledPairs, indexTruth(truthRows)).size
 */
export function indexLabelled(rows: readonly LabelledPair[], entity: ReadonlyMap<string, string>): Map<string, IndexedPair> {
  const out = new Map<string, IndexedPair>();
  const missing: string[] = [];
  rows.forEach((row, i) => {
    const a = recordKey(row.src_a, row.id_a);
    const b = recordKey(row.src_b, row.id_b);
    const where = `labelled pair ${i} (${showRecord(a)} - ${showRecord(b)})`;
    const location = { path: ["labelled", i] };
    if (a === b) throw new InputError("self_pair", `${where} pairs a record with itself`, { hint: "regenerate the pairs file", location });
    const key = pairKey(a, b);
    if (out.has(key)) {
      throw new InputError("duplicate_labelled_pair", `${where} is labelled twice`, {
        hint: "each unordered pair is labelled once; regenerate the pairs file",
        location,
      });
    }
    const ea = entity.get(a);
    const eb = entity.get(b);
    if (ea === undefined || eb === undefined) missing.push(ea === undefined ? a : b);
    else if ((ea === eb ? 1 : 0) !== row.y) {
      throw new InputError("label_disagrees_with_truth", `${where} has y = ${row.y} but the truth puts them in entities ${ea} and ${eb}`, {
        hint: "the pairs and the truth come from different datasets; pass files of one generated dataset",
        location,
      });
    }
    out.set(key, { a, b, y: row.y, kind: row.kind });
  });
  if (missing.length > 0) {
    throw new InputError(
      "record_not_in_truth",
      `${missing.length} labelled pair(s) name a record the truth lacks, first ${showRecord(missing[0]!)}`,
      {
        hint: "the pairs and the truth come from different datasets; pass files of one generated dataset",
      },
    );
  }
  return out;
}

/**
 * The split's record keys: `records` when given (each must be in the truth, and every labelled
 * record among them), otherwise every record of a labelled pair.
 *
 * @throws InputError `record_not_in_truth`, `record_not_in_split`.
 * @example splitRecords(undefined, indexLabelled(pairs, entity), entity).size
 */
export function splitRecords(
  records: readonly RecordRef[] | undefined,
  labelled: ReadonlyMap<string, IndexedPair>,
  entity: ReadonlyMap<string, string>,
): Set<string> {
  if (records === undefined) {
    const out = new Set<string>();
    for (const p of labelled.values()) out.add(p.a).add(p.b);
    return out;
  }
  const out = new Set(records.map((r) => recordKey(r.source, r.id)));
  const missing = [...out].filter((key) => !entity.has(key));
  if (missing.length > 0) {
    throw new InputError(
      "record_not_in_truth",
      `${missing.length} split record(s) are not in the truth, first ${showRecord(missing[0]!)}`,
      {
        hint: "the split's records and the truth come from different datasets; pass files of one generated dataset",
      },
    );
  }
  for (const p of labelled.values()) {
    const outside = out.has(p.a) ? (out.has(p.b) ? undefined : p.b) : p.a;
    if (outside !== undefined) {
      throw new InputError("record_not_in_split", `labelled record ${showRecord(outside)} is not among the split's records`, {
        hint: "pass the records of the same split as the labelled pairs",
      });
    }
  }
  return out;
}
