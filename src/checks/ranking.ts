/**
 * Ranking metrics of a binary classifier's scores, shared by the scenarios that score one
 * (entities' matchers, recsys's friend predictors): the scores of the positives and of the
 * negatives, each sorted ascending once, then the ROC AUC and the average precision by walking
 * the two lists together. Sorting a Float64Array natively (no comparator) costs a few
 * milliseconds per 100k pairs, where sorting indices by score with a callback costs ten times that.
 */

/** The scores of one matcher split by label, each sorted ascending. */
export interface SortedScores {
  readonly positives: Float64Array;
  readonly negatives: Float64Array;
}

/**
 * `scores` split by `labels` (1 positive, anything else negative), each sorted ascending.
 * `scores` and `labels` have one entry per pair; NaN scores are the caller's to refuse.
 *
 * @example sortedScores(Float64Array.of(0.9, 0.1, 0.5), Uint8Array.of(1, 0, 1)).positives // [0.5, 0.9]
 */
export function sortedScores(scores: ArrayLike<number>, labels: ArrayLike<number>): SortedScores {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) p++;
  const positives = new Float64Array(p);
  const negatives = new Float64Array(labels.length - p);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positives[ip++] = scores[i] as number;
    else negatives[ineg++] = scores[i] as number;
  }
  return { positives: positives.sort(), negatives: negatives.sort() };
}

/**
 * The ROC AUC: the chance that a random positive scores above a random negative, a tie counting
 * one half (the Mann-Whitney U statistic over positives x negatives). Null when either class is
 * empty, where it is undefined.
 *
 * @example rocAuc({ positives: Float64Array.of(0.5, 0.9), negatives: Float64Array.of(0.1, 0.5) }) // 0.875
 */
export function rocAuc(s: SortedScores): number | null {
  const pos = s.positives;
  const neg = s.negatives;
  if (pos.length === 0 || neg.length === 0) return null;
  // For each run of equal positive scores: negatives strictly below it, and negatives equal to it.
  let below = 0;
  let u = 0;
  let i = 0;
  while (i < pos.length) {
    const v = pos[i] as number;
    let run = 0;
    while (i < pos.length && pos[i] === v) {
      run++;
      i++;
    }
    while (below < neg.length && (neg[below] as number) < v) below++;
    let equal = 0;
    while (below + equal < neg.length && neg[below + equal] === v) equal++;
    u += run * (below + equal / 2);
  }
  return u / (pos.length * neg.length);
}

/**
 * The average precision: the area under the precision-recall step curve,
 * `sum over thresholds t (descending) of (recall(t) - recall(t_prev)) * precision(t)`, where the
 * rule at t is "positive when score >= t" and the thresholds are the distinct scores, so tied
 * scores enter together (scikit-learn's `average_precision_score`). It is 1 when every positive
 * outscores every negative, and about the share of positives for scores unrelated to the labels.
 * Null without a positive, where recall is undefined.
 *
 * @example averagePrecision({ positives: Float64Array.of(0.4, 0.9), negatives: Float64Array.of(0.5) }) // (1/2)(1) + (1/2)(2/3) = 0.8333
 */
export function averagePrecision(s: SortedScores): number | null {
  const pos = s.positives;
  const neg = s.negatives;
  if (pos.length === 0) return null;
  let ip = pos.length;
  let ineg = neg.length;
  let ap = 0;
  // Walk the distinct scores from the top; tp and fp count the scores >= the current one. Only a
  // threshold that adds positives adds area, so the walk stops at the last positive.
  while (ip > 0) {
    const v = Math.max(pos[ip - 1] as number, ineg > 0 ? (neg[ineg - 1] as number) : Number.NEGATIVE_INFINITY);
    const before = ip;
    while (ip > 0 && pos[ip - 1] === v) ip--;
    while (ineg > 0 && neg[ineg - 1] === v) ineg--;
    const tp = pos.length - ip;
    const fp = neg.length - ineg;
    ap += ((before - ip) / pos.length) * (tp / (tp + fp));
  }
  return ap;
}
