/**
 * Scores a user's matcher on one split of an entity-resolution dataset: pairwise precision,
 * recall and F1 over the split's labelled pairs, where it fails (by pair kind, by the corruption
 * the records went through), and for a clustering, pairwise and B-cubed scores over every record
 * pair of the split.
 */
import { type ClusteringMetrics, clusteringMetrics } from "./cluster-metrics.js";
import { type Confusion, emptyConfusion, type PairMetrics, pairMetrics, ratio } from "./confusion.js";
import { clusterOf, DEFAULT_THRESHOLD, type PairDecision, type Predictions, pairDecisions } from "./predictions.js";
import { type RecordRef, recordKey } from "./record-key.js";
import { type IndexedPair, indexLabelled, indexTruth, type LabelledPair, PAIR_KINDS, splitRecords, type TruthRow } from "./split.js";

/** One row of the corruption log: `operator` changed `field` of a record. */
export interface CorruptionRow {
  readonly source: string;
  readonly id: string;
  readonly field: string;
  readonly operator: string;
}

/** What {@link scoreMatches} reads; all of it already parsed. */
export interface ScoreInput {
  /** The split's labelled pairs. */
  readonly labelled: readonly LabelledPair[];
  readonly truth: readonly TruthRow[];
  readonly corruptions: readonly CorruptionRow[];
  readonly predictions: Predictions;
  /**
   * The split's records, for the clustering scores and for telling unlabelled predictions inside
   * the split from those outside it. Default: every record of a labelled pair.
   */
  readonly records?: readonly RecordRef[];
}

/**
 * How one kind of labelled pair fared. Positives read `recall`; negatives `false_positive_rate`.
 * A kind holds pairs of one label only, so the ratios of the other label are undefined there:
 * null (not 0, which would read as "every one missed").
 */
export interface KindScore extends Confusion {
  readonly pairs: number;
  /** tp / (tp + fn) over the kind's y = 1 pairs; null when it has none (a negative kind). */
  readonly recall: number | null;
  /** fp / (fp + tn) over the kind's y = 0 pairs; null when it has none (the positive kind). */
  readonly false_positive_rate: number | null;
  /** tn / (fp + tn) = 1 - false_positive_rate; null when the kind has no negatives (the positive kind). */
  readonly specificity: number | null;
}

/** Recall on the positive pairs that a corruption touched (either record logged with it). */
export interface OperatorScore {
  readonly positives: number;
  readonly tp: number;
  readonly fn: number;
  readonly recall: number;
}

/** Predicted matches that are not labelled pairs of the split. */
export interface UnlabelledScore {
  /** Predicted matches between two records of the split that are not labelled pairs. */
  readonly predicted_matches: number;
  /** Of those, how many join two records of one true entity. */
  readonly true_matches: number;
  /** true_matches / predicted_matches (0 when there are none). */
  readonly precision: number;
  /** Predicted matches touching a record outside the split: not scored. Always 0 for a clustering. */
  readonly outside_split: number;
}

/** The score of a matcher on a split. Ratios with a zero denominator are 0 (see confusion.ts), but for {@link KindScore}'s. */
export interface MatchScore {
  readonly form: Predictions["form"];
  /** The score threshold used, or null for a clustering. */
  readonly threshold: number | null;
  /** Over the labelled pairs; a pair without a prediction is a predicted non-match. */
  readonly labelled: PairMetrics & { readonly pairs: number };
  /**
   * One entry per kind present: the kinds of {@link PAIR_KINDS} in that order, then any other kind
   * (a newer generator's) by name, so no labelled pair goes unreported.
   */
  readonly by_kind: Readonly<Record<string, KindScore>>;
  /** One entry per operator logged on a record of a positive pair, sorted by name. */
  readonly by_operator: Record<string, OperatorScore>;
  /** Positive pairs neither of whose records was corrupted: the baseline for `by_operator`. */
  readonly uncorrupted: OperatorScore;
  readonly unlabelled: UnlabelledScore;
  /** Pairwise and B-cubed scores over all record pairs of the split; null for pair predictions. */
  readonly clustering: ClusteringMetrics | null;
}

/**
 * Scores predictions against a split's labelled pairs and the truth.
 *
 * Decisions: a labelled pair missing from the predictions is a predicted non-match. A record of a
 * prediction that the truth does not know is an error, not a count, since it nearly always means
 * the wrong dataset or a misspelt source, and silently scoring it as a miss would hide that.
 * A clustering is scored on the split's records only: its other records are ignored, and a split
 * record it leaves out is a cluster of its own. Ratios of 0 / 0 are 0, never NaN, but for a
 * kind's undefined ratios, which are null ({@link KindScore}).
 *
 * @throws InputError `conflicting_truth`, `self_pair`, `duplicate_labelled_pair`,
 *   `label_disagrees_with_truth`, `record_not_in_truth` (a split record), `record_not_in_split`
 *   (a labelled record outside `records`), and those of {@link pairDecisions} and {@link clusterOf}.
 * @example scoreMatches({ labelled, truth, corruptions, predictions: { form: "pairs", pairs } }).labelled.f1
 */
export function scoreMatches(input: ScoreInput): MatchScore {
  const entity = indexTruth(input.truth);
  const labelled = indexLabelled(input.labelled, entity);
  const split = splitRecords(input.records, labelled, entity);
  const isKnown = (key: string) => entity.has(key);

  let isMatch: (key: string, a: string, b: string) => boolean;
  let unlabelled: UnlabelledScore | null = null;
  let clustering: ClusteringMetrics | null = null;
  let threshold: number | null = null;
  if (input.predictions.form === "pairs") {
    threshold = input.predictions.threshold ?? DEFAULT_THRESHOLD;
    const decisions = pairDecisions(input.predictions.pairs, threshold, isKnown);
    isMatch = (key) => decisions.get(key)?.match === true;
    unlabelled = unlabelledPairs(decisions.entries(), labelled, split, entity);
  } else {
    const cluster = clusterOf(input.predictions.clusters, isKnown);
    isMatch = (_key, a, b) => {
      const ca = cluster.get(a);
      return ca !== undefined && ca === cluster.get(b);
    };
    // A record the clustering leaves out is a singleton; its prefix keeps it apart from user clusters.
    const labels = [...split].map((key) => {
      const c = cluster.get(key);
      return { cluster: c === undefined ? `singleton:${key}` : `user:${c}`, entity: entity.get(key)! };
    });
    clustering = clusteringMetrics(labels);
  }

  const overall = emptyConfusion();
  const kinds = new Map<string, Confusion>();
  const operators = operatorsOf(input.corruptions, labelled);
  const byOperator = new Map<string, Confusion>();
  const uncorrupted = emptyConfusion();
  for (const [key, pair] of labelled) {
    const predicted = isMatch(key, pair.a, pair.b);
    const kind = kinds.get(pair.kind) ?? emptyConfusion();
    kinds.set(pair.kind, kind);
    tally(overall, pair.y, predicted);
    tally(kind, pair.y, predicted);
    if (pair.y === 0) continue;
    const ops = new Set([...(operators.get(pair.a) ?? []), ...(operators.get(pair.b) ?? [])]);
    if (ops.size === 0) tally(uncorrupted, 1, predicted);
    for (const op of ops) {
      const c = byOperator.get(op) ?? emptyConfusion();
      byOperator.set(op, c);
      tally(c, 1, predicted);
    }
  }

  return {
    form: input.predictions.form,
    threshold,
    labelled: { ...pairMetrics(overall), pairs: labelled.size },
    by_kind: Object.fromEntries(kindOrder(kinds).map((k) => [k, kindScore(kinds.get(k)!)])),
    by_operator: Object.fromEntries([...byOperator.keys()].sort().map((op) => [op, operatorScore(byOperator.get(op)!)])),
    uncorrupted: operatorScore(uncorrupted),
    unlabelled: unlabelled ?? unlabelledInClusters(clustering!, overall),
    clustering,
  };
}

/** The kinds present: those of {@link PAIR_KINDS} in its order, then the others by name. */
function kindOrder(kinds: ReadonlyMap<string, unknown>): string[] {
  const known: readonly string[] = PAIR_KINDS;
  const others = [...kinds.keys()].filter((k) => !known.includes(k)).sort();
  return [...known.filter((k) => kinds.has(k)), ...others];
}

function tally(c: Confusion, y: 0 | 1, predicted: boolean): void {
  if (y === 1) predicted ? c.tp++ : c.fn++;
  else predicted ? c.fp++ : c.tn++;
}

function kindScore(c: Confusion): KindScore {
  const positives = c.tp + c.fn;
  const negatives = c.fp + c.tn;
  return {
    pairs: positives + negatives,
    ...c,
    recall: positives === 0 ? null : c.tp / positives,
    false_positive_rate: negatives === 0 ? null : c.fp / negatives,
    specificity: negatives === 0 ? null : c.tn / negatives,
  };
}

function operatorScore(c: Confusion): OperatorScore {
  return { positives: c.tp + c.fn, tp: c.tp, fn: c.fn, recall: ratio(c.tp, c.tp + c.fn) };
}

/** The operators logged on each record of a positive labelled pair. */
function operatorsOf(rows: readonly CorruptionRow[], labelled: ReadonlyMap<string, IndexedPair>): Map<string, Set<string>> {
  const wanted = new Set<string>();
  for (const p of labelled.values()) if (p.y === 1) wanted.add(p.a).add(p.b);
  const out = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = recordKey(row.source, row.id);
    if (!wanted.has(key)) continue;
    const ops = out.get(key) ?? new Set<string>();
    out.set(key, ops);
    ops.add(row.operator);
  }
  return out;
}

/**
 * Every co-clustered split pair is a predicted match; the unlabelled ones are what is left after
 * taking away the labelled ones (whose labels agree with the truth, as indexLabelled checked).
 */
function unlabelledInClusters(clustering: ClusteringMetrics, labelled: Confusion): UnlabelledScore {
  const predicted = clustering.pairwise.tp + clustering.pairwise.fp - labelled.tp - labelled.fp;
  const truly = clustering.pairwise.tp - labelled.tp;
  return { predicted_matches: predicted, true_matches: truly, precision: ratio(truly, predicted), outside_split: 0 };
}

function unlabelledPairs(
  decisions: Iterable<[string, PairDecision]>,
  labelled: ReadonlyMap<string, IndexedPair>,
  split: ReadonlySet<string>,
  entity: ReadonlyMap<string, string>,
): UnlabelledScore {
  let predicted = 0;
  let truly = 0;
  let outside = 0;
  for (const [key, d] of decisions) {
    if (!d.match || labelled.has(key)) continue;
    if (!split.has(d.a) || !split.has(d.b)) {
      outside++;
      continue;
    }
    predicted++;
    if (entity.get(d.a) === entity.get(d.b)) truly++;
  }
  return { predicted_matches: predicted, true_matches: truly, precision: ratio(truly, predicted), outside_split: outside };
}
