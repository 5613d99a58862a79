/**
 * Ranking metrics of a scored matcher, from the scores of the positives and of the negatives, each
 * sorted ascending once: the ROC AUC, the confusion at a threshold, and the threshold with the best
 * F1. Sorting a Float64Array natively (no comparator) and walking the two lists together costs a
 * few milliseconds per 100k pairs, where sorting indices by score with a callback costs ten times
 * that.
 */
import { rocAuc, type SortedScores, sortedScores } from "../../../checks/ranking.js";
import { firstAtLeast } from "../../../core/sorted.js";
import { type Confusion, f1, ratio } from "./confusion.js";

// The AUC and the sorted scores are shared with recsys (src/checks/ranking.ts); kept importable here.
export { rocAuc, type SortedScores, sortedScores };

/**
 * The confusion of "a match when score >= t".
 *
 * @example confusionAt({ positives: Float64Array.of(0.5, 0.9), negatives: Float64Array.of(0.1, 0.5) }, 0.5) // tp 2, fp 1
 */
export function confusionAt(s: SortedScores, t: number): Confusion {
  // How many of each sorted list are >= t.
  const tp = s.positives.length - firstAtLeast(s.positives, t);
  const fp = s.negatives.length - firstAtLeast(s.negatives, t);
  return { tp, fp, fn: s.positives.length - tp, tn: s.negatives.length - fp };
}

/** A threshold and the F1 of "score >= threshold" on the scores it was chosen on. */
export interface ChosenThreshold {
  readonly threshold: number;
  readonly f1: number;
}

/**
 * The threshold t, among the scores themselves, whose rule "a match when score >= t" has the
 * highest F1 on these scores; on a tie, the highest such t (the fewest predicted matches). Null
 * when there is no positive, where every rule has F1 0 and none is better.
 *
 * @example bestF1Threshold({ positives: Float64Array.of(0.5, 0.9), negatives: Float64Array.of(0.1, 0.6) }) // { threshold: 0.5, f1: 0.8 }
 */
export function bestF1Threshold(s: SortedScores): ChosenThreshold | null {
  const pos = s.positives;
  const neg = s.negatives;
  if (pos.length === 0) return null;
  // Walk the distinct scores from the top: tp and fp count the scores >= the current one.
  let ip = pos.length;
  let ineg = neg.length;
  let best: ChosenThreshold | null = null;
  while (ip > 0 || ineg > 0) {
    const v = Math.max(ip > 0 ? (pos[ip - 1] as number) : -Infinity, ineg > 0 ? (neg[ineg - 1] as number) : -Infinity);
    while (ip > 0 && pos[ip - 1] === v) ip--;
    while (ineg > 0 && neg[ineg - 1] === v) ineg--;
    const tp = pos.length - ip;
    const fp = neg.length - ineg;
    const score = f1(ratio(tp, tp + fp), ratio(tp, pos.length));
    if (best === null || score > best.f1) best = { threshold: v, f1: score };
  }
  return best;
}

/**
 * The highest threshold t, among the positives' scores, whose rule "a match when score >= t"
 * finds at least `recall` of the positives: the operating point "recall `recall`" that a matcher
 * tuned for recall (with clerical review of its matches) uses. Null when there is no positive.
 *
 * @throws RangeError when `recall` is not in (0, 1].
 * @example thresholdAtRecall({ positives: Float64Array.of(0.2, 0.5, 0.9, 1), negatives: new Float64Array() }, 0.75) // 0.5
 */
export function thresholdAtRecall(s: SortedScores, recall: number): number | null {
  if (!(recall > 0 && recall <= 1)) throw new RangeError(`recall ${recall}: a recall to reach is in (0, 1]`);
  const pos = s.positives;
  if (pos.length === 0) return null;
  // The scores >= pos[k] include at least pos.length - k positives (ties only add): the largest k
  // with pos.length - k >= recall * pos.length. The epsilon keeps 0.9 * 10 from flooring to 8.
  const k = Math.floor(pos.length * (1 - recall) + 1e-9);
  return pos[k] as number;
}
