/**
 * How hard a data set is, measured the way a user would: matchers fitted on the train split and
 * scored on the test split. Each cached pair feature alone, then a baseline (a logistic regression
 * on all of them), overall and by pair kind, so a data set on which one feature or the baseline is
 * already near perfect says so in its own summary.
 *
 * Cost: a sort of each split's scores for each continuous feature and the baseline (native
 * Float64Array sorts of the scores split by label; a 0/1 feature is counted, not sorted), one
 * feature matrix per split, and a Newton fit of about ten passes over the train rows; no
 * allocation per pair.
 */
import { type Confusion, emptyConfusion, pairMetrics, ratio } from "./confusion.js";
import { PAIR_FEATURE_NAMES } from "./features.js";
import { DEFAULT_RIDGE, type FeatureMatrix, fitLogistic, sigmoid } from "./logistic.js";
import { bestF1Threshold, confusionAt, rocAuc, type SortedScores, sortedScores, thresholdAtRecall } from "./roc.js";

/** A feature column name of the cached pair features. */
export type PairFeatureName = (typeof PAIR_FEATURE_NAMES)[number];

/**
 * What {@link difficultyOf} reads of a labelled pair: its label, its kind and its cached features;
 * with `a.source` and `b.source` (as generation's pairs have) it also reports cross-source pairs.
 */
export interface DifficultyPair {
  readonly y: 0 | 1;
  readonly kind: string;
  readonly features: Readonly<Record<PairFeatureName, number>>;
  readonly a?: { readonly source: string };
  readonly b?: { readonly source: string };
}

/** Options of {@link difficultyOf}. */
export interface DifficultyOptions {
  /** The baseline's L2 ridge. Default {@link DEFAULT_RIDGE} (1e-4). */
  readonly ridge?: number;
  /** The features to use, in order. Default: every cached feature ({@link PAIR_FEATURE_NAMES}). */
  readonly features?: readonly PairFeatureName[];
}

/** One matcher's figures on the test split. */
export interface MatcherFigures {
  /** Test ROC AUC; null when the test split lacks positives or negatives. */
  readonly auc: number | null;
  /** Test precision, recall and F1 at the threshold chosen on train. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** A single feature as a matcher. */
export interface FeatureFigures extends MatcherFigures {
  /** True when the feature only takes 0 and 1: the matcher is "feature = 1". */
  readonly binary: boolean;
  /** A match when the feature is >= this; null when train has no positive (nothing is predicted). */
  readonly threshold: number | null;
}

/** The baseline matcher. */
export interface BaselineFigures extends MatcherFigures {
  /** A match when the predicted probability is >= this (rounded; the rule compares log-odds exactly). */
  readonly threshold: number;
  readonly threshold_log_odds: number;
  readonly intercept: number;
  /** One weight per feature, by name. */
  readonly weights: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly converged: boolean;
}

/** The baseline on the test pairs of one kind: recall over its positives, false-match rate over its negatives. */
export interface KindFigures {
  readonly pairs: number;
  /** tp / positives; null when the kind has no positive. */
  readonly recall: number | null;
  /** fp / negatives; null when the kind has no negative. */
  readonly false_match_rate: number | null;
}

/**
 * The recall at which the baseline is also scored: its threshold is the one finding this share of
 * the train positives. At the F1-best threshold the baseline either takes or leaves the positives
 * sharing no contact as a block (measured at seed 42: recall 0.83 or 0.69 as the hard kinds near
 * them grew), so a kind's false-match rate there says more about which side of that block the
 * threshold fell than about the kind. At a fixed recall the operating point is stable, and it is
 * where a recall-first matcher with clerical review works.
 */
export const RECALL_TARGET = 0.9;

/** The baseline at {@link RECALL_TARGET}: test figures, overall and by kind, at the threshold chosen on train. */
export interface AtRecallFigures {
  /** The share of train positives its threshold finds (at least). */
  readonly train_recall_target: number;
  readonly threshold_log_odds: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly by_kind: Readonly<Record<string, KindFigures>>;
}

/** A count of positives and the share of them that share neither an email nor a phone. */
export interface ContactShare {
  readonly positives: number;
  /** Of `positives`, the share with `email_equal = 0` and `phone_equal = 0`. */
  readonly share_without_shared_contact: number;
}

/** The difficulty section of `reports/synth_summary.json`. Rates are rounded to 4 decimals. */
export interface Difficulty {
  readonly method: {
    readonly fitted_on: "train";
    readonly scored_on: "test";
    readonly features: readonly string[];
    readonly auc: string;
    readonly single_feature: string;
    readonly baseline: string;
    readonly at_recall: string;
    readonly ridge: number;
  };
  readonly train: { readonly pairs: number; readonly positives: number };
  readonly test: { readonly pairs: number; readonly positives: number };
  /** Each feature alone, in feature order. */
  readonly single_features: Readonly<Record<string, FeatureFigures>>;
  /** The feature with the highest test F1 (the first in feature order on a tie); null without features. */
  readonly best_single_feature: { readonly name: string; readonly f1: number; readonly auc: number | null } | null;
  /** Null when train lacks positives or negatives: no regression can be fitted. */
  readonly baseline: BaselineFigures | null;
  /** The baseline by test pair kind (kinds with positives first, then the rest, each by name); empty without a baseline. */
  readonly by_kind: Readonly<Record<string, KindFigures>>;
  /** The baseline at a fixed train recall ({@link RECALL_TARGET}); null without a baseline. */
  readonly at_recall: AtRecallFigures | null;
  /** Test positives sharing neither email nor phone. */
  readonly positives: ContactShare;
  /** The same over test positives whose records come from two sources; absent when pairs carry no sources. */
  readonly cross_source_positives?: ContactShare;
}

const METHOD_TEXT = {
  auc: "ROC AUC over the test pairs, a tie between a positive and a negative counting one half (Mann-Whitney U / (positives x negatives))",
  single_feature:
    "a match when the feature >= t, t the train value whose rule has the highest train F1 (the highest t on a tie); a feature taking only 0 and 1: a match when it is 1",
  baseline:
    "logistic regression on every feature and an intercept, fitted on train by Newton's method (IRLS) on the mean log-loss + ridge/2 |w|^2 (intercept unpenalised); a match when its log-odds >= the train value with the highest train F1",
  at_recall: `the same regression, a match when its log-odds >= the highest train positive's value at which it finds at least ${RECALL_TARGET} of the train positives`,
};

/** Rounded to 4 decimals: what the report shows, and stable across platforms' last bits. `+ 0` turns -0 into 0. */
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 + 0;
const round4OrNull = (x: number | null): number | null => (x === null ? null : round4(x));

/** The features of `pairs` as a row-major matrix, and their labels. */
function matrixOfPairs(pairs: readonly DifficultyPair[], names: readonly PairFeatureName[]): { x: FeatureMatrix; y: Uint8Array } {
  const d = names.length;
  const data = new Float64Array(pairs.length * d);
  const y = new Uint8Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i] as DifficultyPair;
    y[i] = p.y;
    for (let j = 0; j < d; j++) data[i * d + j] = p.features[names[j] as PairFeatureName];
  }
  return { x: { rows: pairs.length, cols: d, data }, y };
}

/** Column `j` of a matrix, into `out`. */
function column(x: FeatureMatrix, j: number, out: Float64Array): Float64Array {
  for (let i = 0, o = j; i < x.rows; i++, o += x.cols) out[i] = x.data[o] as number;
  return out;
}

function isBinary(values: Float64Array): boolean {
  for (const v of values) if (v !== 0 && v !== 1) return false;
  return true;
}

function figures(test: SortedScores, threshold: number | null): MatcherFigures {
  // No threshold: nothing is predicted a match.
  const c = threshold === null ? { tp: 0, fp: 0, fn: test.positives.length, tn: test.negatives.length } : confusionAt(test, threshold);
  const m = pairMetrics(c);
  return { auc: round4OrNull(rocAuc(test)), precision: round4(m.precision), recall: round4(m.recall), f1: round4(m.f1) };
}

/**
 * {@link figures} of a 0/1 feature's rule "= 1" (or of nothing predicted), from four counts rather
 * than a sort: AUC = P(pos = 1) P(neg = 0) + (P(pos = 1) P(neg = 1) + P(pos = 0) P(neg = 0)) / 2.
 */
function binaryFigures(values: Float64Array, y: Uint8Array, predicts: boolean): MatcherFigures {
  let pos1 = 0;
  let pos = 0;
  let neg1 = 0;
  for (let i = 0; i < values.length; i++) {
    const one = values[i] === 1 ? 1 : 0;
    if (y[i] === 1) {
      pos++;
      pos1 += one;
    } else neg1 += one;
  }
  const neg = values.length - pos;
  const auc = pos === 0 || neg === 0 ? null : (pos1 * (neg - neg1) + 0.5 * (pos1 * neg1 + (pos - pos1) * (neg - neg1))) / (pos * neg);
  const c = predicts ? { tp: pos1, fp: neg1, fn: pos - pos1, tn: neg - neg1 } : { tp: 0, fp: 0, fn: pos, tn: neg };
  const m = pairMetrics(c);
  return { auc: round4OrNull(auc), precision: round4(m.precision), recall: round4(m.recall), f1: round4(m.f1) };
}

/** The baseline's figures by test pair kind at threshold `t`: kinds with positives first, then the rest, each by name. */
function kindFigures(test: readonly DifficultyPair[], margins: Float64Array, t: number): Record<string, KindFigures> {
  const kinds = new Map<string, Confusion>();
  for (let i = 0; i < test.length; i++) {
    const p = test[i] as DifficultyPair;
    let c = kinds.get(p.kind);
    if (c === undefined) {
      c = emptyConfusion();
      kinds.set(p.kind, c);
    }
    const match = (margins[i] as number) >= t;
    if (p.y === 1) match ? c.tp++ : c.fn++;
    else match ? c.fp++ : c.tn++;
  }
  const hasPositives = (k: string) => (kinds.get(k)!.tp + kinds.get(k)!.fn > 0 ? 0 : 1);
  const order = [...kinds.keys()].sort((a, b) => hasPositives(a) - hasPositives(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, KindFigures> = {};
  for (const k of order) {
    const c = kinds.get(k)!;
    const positives = c.tp + c.fn;
    const negatives = c.fp + c.tn;
    out[k] = {
      pairs: positives + negatives,
      recall: positives === 0 ? null : round4(c.tp / positives),
      false_match_rate: negatives === 0 ? null : round4(c.fp / negatives),
    };
  }
  return out;
}

function contactShare(pairs: readonly DifficultyPair[], keep: (p: DifficultyPair) => boolean): ContactShare {
  let positives = 0;
  let without = 0;
  for (const p of pairs) {
    if (p.y !== 1 || !keep(p)) continue;
    positives++;
    if (p.features.email_equal === 0 && p.features.phone_equal === 0) without++;
  }
  return { positives, share_without_shared_contact: round4(ratio(without, positives)) };
}

/**
 * The difficulty of a data set: on the test split, the ROC AUC and F1 of each cached feature
 * alone and of a baseline logistic regression, every threshold and weight chosen on train; the
 * baseline by pair kind; the share of positives sharing neither email nor phone. Kinds are taken
 * from the pairs, not from a list. Deterministic: the same pairs give the same object.
 *
 * @throws InputError from {@link fitLogistic} when a feature value is not finite, or a bad ridge.
 * @example difficultyOf(pairs.train, pairs.test).baseline?.auc
 */
export function difficultyOf(
  train: readonly DifficultyPair[],
  test: readonly DifficultyPair[],
  options: DifficultyOptions = {},
): Difficulty {
  const names = options.features ?? PAIR_FEATURE_NAMES;
  const ridge = options.ridge ?? DEFAULT_RIDGE;
  const tr = matrixOfPairs(train, names);
  const te = matrixOfPairs(test, names);
  const trColumn = new Float64Array(train.length);
  const teColumn = new Float64Array(test.length);

  let trainPositives = 0;
  for (const v of tr.y) trainPositives += v;

  const single: Record<string, FeatureFigures> = {};
  let best: Difficulty["best_single_feature"] = null;
  names.forEach((name, j) => {
    column(tr.x, j, trColumn);
    column(te.x, j, teColumn);
    const binary = isBinary(trColumn) && isBinary(teColumn);
    // A 0/1 feature needs no search (nor a sort of its train values): its rule is "= 1".
    const threshold = trainPositives === 0 ? null : binary ? 1 : bestF1Threshold(sortedScores(trColumn, tr.y))!.threshold;
    const scored = binary ? binaryFigures(teColumn, te.y, threshold !== null) : figures(sortedScores(teColumn, te.y), threshold);
    const f = { binary, threshold: round4OrNull(threshold), ...scored };
    single[name] = f;
    if (best === null || f.f1 > best.f1) best = { name, f1: f.f1, auc: f.auc };
  });

  let baseline: BaselineFigures | null = null;
  const byKind: Record<string, KindFigures> = {};
  let atRecall: AtRecallFigures | null = null;
  if (trainPositives > 0 && trainPositives < train.length) {
    const model = fitLogistic(tr.x, tr.y, { ridge });
    const margins = (m: FeatureMatrix, out: Float64Array) => {
      for (let i = 0; i < m.rows; i++) out[i] = model.logOdds(m.data, i * m.cols);
      return out;
    };
    const trainMargins = margins(tr.x, trColumn);
    const t = bestF1Threshold(sortedScores(trainMargins, tr.y))!.threshold;
    const testMargins = margins(te.x, teColumn);
    baseline = {
      ...figures(sortedScores(testMargins, te.y), t),
      threshold: round4(sigmoid(t)),
      threshold_log_odds: round4(t),
      intercept: round4(model.intercept),
      weights: Object.fromEntries(names.map((n, j) => [n, round4(model.weights[j] as number)])),
      iterations: model.iterations,
      converged: model.converged,
    };
    Object.assign(byKind, kindFigures(test, testMargins, t));
    const tRecall = thresholdAtRecall(sortedScores(trainMargins, tr.y), RECALL_TARGET)!;
    const m = pairMetrics(confusionAt(sortedScores(testMargins, te.y), tRecall));
    atRecall = {
      train_recall_target: RECALL_TARGET,
      threshold_log_odds: round4(tRecall),
      precision: round4(m.precision),
      recall: round4(m.recall),
      f1: round4(m.f1),
      by_kind: kindFigures(test, testMargins, tRecall),
    };
  }

  const sourced = test.every((p) => p.a !== undefined && p.b !== undefined);
  return {
    method: { fitted_on: "train", scored_on: "test", features: [...names], ...METHOD_TEXT, ridge },
    train: { pairs: train.length, positives: trainPositives },
    test: { pairs: test.length, positives: te.y.reduce((s, v) => s + v, 0) },
    single_features: single,
    best_single_feature: best,
    baseline,
    by_kind: byKind,
    at_recall: atRecall,
    positives: contactShare(test, () => true),
    ...(sourced ? { cross_source_positives: contactShare(test, (p) => p.a!.source !== p.b!.source) } : {}),
  };
}
