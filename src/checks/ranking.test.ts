/**
 * Average precision: hand-counted cases (with ties, scikit-learn's step definition), and a
 * property against the definition without ties, the mean over the positives of the precision at
 * each positive's rank. (The AUC and sortedScores are tested in entities/match/roc.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { averagePrecision, sortedScores } from "./ranking.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 300);
const of = (scores: number[], labels: number[]) => averagePrecision(sortedScores(scores, labels));

describe("averagePrecision", () => {
  test.each([
    { what: "perfect", s: [0.9, 0.8, 0.1, 0.2], y: [1, 1, 0, 0], want: 1 },
    { what: "inverted: positives at ranks 3 and 4", s: [0.1, 0.2, 0.9, 0.8], y: [1, 1, 0, 0], want: (1 / 3 + 2 / 4) / 2 },
    { what: "one positive below one negative", s: [0.4, 0.5, 0.9], y: [1, 0, 1], want: (1 + 2 / 3) / 2 },
    // Thresholds 0.9 (tp 1, fp 1), 0.5 (2, 1), 0.3 (3, 2): (1/3)(1/2) + (1/3)(2/3) + (1/3)(3/5).
    { what: "ties across the classes enter together", s: [0.9, 0.9, 0.5, 0.3, 0.3], y: [1, 0, 1, 0, 1], want: (0.5 + 2 / 3 + 0.6) / 3 },
    { what: "every score tied: the share of positives", s: [1, 1, 1, 1], y: [1, 0, 0, 0], want: 0.25 },
    { what: "no negative", s: [0.2, 0.3], y: [1, 1], want: 1 },
    { what: "-Infinity for unscored pairs ranks them last", s: [Number.NEGATIVE_INFINITY, 0.5], y: [1, 0], want: 0.5 },
  ])("$what: $want", ({ s, y, want }) => {
    expect(of(s, y)).toBeCloseTo(want, 14);
  });
  test("undefined without a positive: null", () => {
    expect(of([0.1, 0.2], [0, 0])).toBeNull();
    expect(of([], [])).toBeNull();
  });
  test("without ties: the mean over positives of the precision at each positive's rank", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (scores, flags) => {
          const y = scores.map((_, i) => (flags[i] ? 1 : 0));
          const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
          let tp = 0;
          let sum = 0;
          order.forEach((i, r) => {
            if (y[i] === 1) sum += ++tp / (r + 1);
          });
          const got = of(scores, y);
          return tp === 0 ? got === null : Math.abs((got as number) - sum / tp) < 1e-12;
        },
      ),
      { numRuns },
    );
  });
});
