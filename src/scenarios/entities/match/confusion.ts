/**
 * Counts of a binary decision against the truth, and the ratios read off them. A ratio whose
 * denominator is 0 is reported as 0 (scikit-learn's `zero_division=0`), never NaN or null; the
 * counts beside every ratio tell "0 of 0" from a real 0.
 */

/** True/false positives and negatives of match decisions. */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Precision, recall and F1 with the counts they come from. */
export interface PairMetrics extends Confusion {
  /** tp / (tp + fp): the share of predicted matches that are true. */
  readonly precision: number;
  /** tp / (tp + fn): the share of true matches that were predicted. */
  readonly recall: number;
  /** Harmonic mean of precision and recall. */
  readonly f1: number;
}

/** A fresh all-zero confusion. */
export function emptyConfusion(): Confusion {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

/**
 * `num / den`, or 0 when `den` is 0.
 *
 * @example ratio(0, 0) // 0
 */
export function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/**
 * Harmonic mean of precision and recall, 0 when both are 0.
 *
 * @example f1(0.5, 1) // 0.666...
 */
export function f1(precision: number, recall: number): number {
  return ratio(2 * precision * recall, precision + recall);
}

/**
 * Precision, recall and F1 of a confusion.
 *
 * @example pairMetrics({ tp: 1, fp: 1, fn: 0, tn: 5 }).precision // 0.5
 */
export function pairMetrics(c: Confusion): PairMetrics {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  return { tp: c.tp, fp: c.fp, fn: c.fn, tn: c.tn, precision, recall, f1: f1(precision, recall) };
}
