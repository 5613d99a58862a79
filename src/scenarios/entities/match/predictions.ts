/**
 * A user's matcher output, checked and turned into one question: does it match this pair? Two
 * forms are accepted: scored or decided pairs, and a clustering. Everything a user could get
 * wrong (an unknown record, a pair given twice with two answers, a NaN score) is an InputError
 * that names the rows and says what to change.
 */
import { InputError } from "../../../core/errors.js";
import { pairKey, recordKey, showRecord } from "./record-key.js";

/** One predicted pair. Pair identity is unordered: (a, b) and (b, a) are the same pair. */
export interface PairPrediction {
  readonly src_a: string;
  readonly id_a: string;
  readonly src_b: string;
  readonly id_b: string;
  /** A match score; the pair is a match when `score >= threshold`. Any finite or infinite number, not NaN. */
  readonly score?: number;
  /** The matcher's decision; wins over `score` when both are given. */
  readonly match?: 0 | 1;
}

/** One record's predicted cluster: records sharing a cluster are predicted to be one entity. */
export interface ClusterPrediction {
  readonly source: string;
  readonly id: string;
  readonly cluster: string;
}

/** Predictions as pairs (with a threshold on `score`, default {@link DEFAULT_THRESHOLD}) or as a clustering. */
export type Predictions =
  | { readonly form: "pairs"; readonly pairs: readonly PairPrediction[]; readonly threshold?: number }
  | { readonly form: "clusters"; readonly clusters: readonly ClusterPrediction[] };

/** The score threshold when none is given: `score >= 0.5` is a match. */
export const DEFAULT_THRESHOLD = 0.5;

/** How many unknown records an error names before "and N more". */
const NAMED = 5;

/** A pair prediction reduced to its records and its decision. */
export interface PairDecision {
  readonly a: string;
  readonly b: string;
  readonly match: boolean;
}

/**
 * The decision of each predicted pair, keyed by {@link pairKey}. A row's decision is `match`
 * when given, else `score >= threshold`, else (neither given) a match: a bare list of pairs
 * lists the pairs the matcher links. The same pair given twice with the same decision counts
 * once.
 *
 * @throws InputError `bad_threshold` (threshold NaN), `bad_score` (a NaN score), `self_pair` (a
 *   record paired with itself), `conflicting_prediction` (one pair, two decisions),
 *   `unknown_record` (records `isKnown` rejects, the first five named).
 * @example pairDecisions([{ src_a: "leads", id_a: "1", src_b: "sales", id_b: "4", score: 0.7 }], 0.5, () => true)
 */
export function pairDecisions(
  rows: readonly PairPrediction[],
  threshold: number,
  isKnown: (key: string) => boolean,
): Map<string, PairDecision> {
  if (Number.isNaN(threshold)) {
    throw new InputError("bad_threshold", "the score threshold is NaN", { hint: "give a number, e.g. 0.5" });
  }
  const out = new Map<string, PairDecision>();
  const unknown = new UnknownRecords(isKnown);
  rows.forEach((row, i) => {
    const a = recordKey(row.src_a, row.id_a);
    const b = recordKey(row.src_b, row.id_b);
    const where = `prediction ${i} (${showRecord(a)} - ${showRecord(b)})`;
    const location = { path: ["predictions", i] };
    if (a === b) {
      throw new InputError("self_pair", `${where} pairs a record with itself`, { hint: "leave out self-pairs", location });
    }
    if (row.score !== undefined && Number.isNaN(row.score)) {
      throw new InputError("bad_score", `${where} has score NaN`, {
        hint: "give every scored pair a number, or a match column of 0/1",
        location,
      });
    }
    unknown.check(a);
    unknown.check(b);
    const match = row.match !== undefined ? row.match === 1 : row.score !== undefined ? row.score >= threshold : true;
    const key = pairKey(a, b);
    const before = out.get(key);
    if (before && before.match !== match) {
      throw new InputError("conflicting_prediction", `${where} is predicted both a match and a non-match`, {
        hint: "pairs are unordered: (a, b) and (b, a) are one pair; give each pair once, or the same decision each time",
        location,
      });
    }
    out.set(key, { a, b, match });
  });
  unknown.throwIfAny();
  return out;
}

/**
 * The predicted cluster of each record, keyed by {@link recordKey}. A record listed twice in one
 * cluster counts once.
 *
 * @throws InputError `conflicting_cluster` (a record in two clusters), `unknown_record`.
 * @example clusterOf([{ source: "leads", id: "1", cluster: "c7" }], () => true).get(recordKey("leads", "1")) // "c7"
 */
export function clusterOf(rows: readonly ClusterPrediction[], isKnown: (key: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const unknown = new UnknownRecords(isKnown);
  rows.forEach((row, i) => {
    const key = recordKey(row.source, row.id);
    unknown.check(key);
    const before = out.get(key);
    if (before !== undefined && before !== row.cluster) {
      throw new InputError(
        "conflicting_cluster",
        `prediction ${i} puts ${showRecord(key)} in cluster ${JSON.stringify(row.cluster)}, an earlier row in ${JSON.stringify(before)}`,
        { hint: "a clustering gives each record one cluster", location: { path: ["predictions", i] } },
      );
    }
    out.set(key, row.cluster);
  });
  unknown.throwIfAny();
  return out;
}

/** Gathers records the truth does not know, to name them all in one error rather than the first alone. */
class UnknownRecords {
  private readonly seen = new Set<string>();
  constructor(private readonly isKnown: (key: string) => boolean) {}

  check(key: string): void {
    if (!this.isKnown(key)) this.seen.add(key);
  }

  throwIfAny(): void {
    if (this.seen.size === 0) return;
    const all = [...this.seen];
    const named = all.slice(0, NAMED).map(showRecord).join(", ");
    const more = all.length > NAMED ? ` and ${all.length - NAMED} more` : "";
    throw new InputError("unknown_record", `${all.length} predicted record(s) are not in the truth: ${named}${more}`, {
      hint: "name records by source and id exactly as in the dataset's files (source leads, sales or financial); predictions made on another seed or size name other records",
    });
  }
}
