/**
 * ROC AUC, confusion at a threshold and the best-F1 threshold: a value from SciPy, hand-counted
 * cases, and properties against brute force over every pair and every threshold.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { f1, ratio } from "./confusion.js";
import { bestF1Threshold, confusionAt, rocAuc, sortedScores, thresholdAtRecall } from "./roc.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 300);

const sorted = (pos: number[], neg: number[]) => ({ positives: Float64Array.from(pos).sort(), negatives: Float64Array.from(neg).sort() });

describe("rocAuc", () => {
  test("with ties across the classes: SciPy's mannwhitneyu(pos, neg).statistic / (6 x 7) = 0.70238...", () => {
    const s = sorted([0.3, 0.7, 0.7, 0.9, 0.2, 0.5], [0.1, 0.7, 0.4, 0.5, 0.5, 0.0, 0.3]);
    expect(rocAuc(s)).toBeCloseTo(0.7023809523809523, 14);
  });
  test.each([
    { what: "perfect", pos: [2, 3], neg: [0, 1], want: 1 },
    { what: "reversed", pos: [0, 1], neg: [2, 3], want: 0 },
    { what: "all tied", pos: [1, 1], neg: [1, 1, 1], want: 0.5 },
    { what: "a 0/1 feature: (recall + specificity) / 2", pos: [1, 1, 0], neg: [0, 0, 0, 1], want: (2 / 3 + 3 / 4) / 2 },
    { what: "infinite scores rank like any other", pos: [Number.POSITIVE_INFINITY, 0], neg: [Number.NEGATIVE_INFINITY, 0], want: 0.875 },
  ])("$what: $want", ({ pos, neg, want }) => {
    expect(rocAuc(sorted(pos, neg))).toBeCloseTo(want, 14);
  });
  test("undefined without a positive or without a negative: null", () => {
    expect(rocAuc(sorted([], [1]))).toBeNull();
    expect(rocAuc(sorted([1], []))).toBeNull();
  });

  const scores = fc.array(
    fc.integer({ min: 0, max: 6 }).map((v) => v / 2),
    { maxLength: 30 },
  );
  test("equals the brute-force count over every positive x negative pair", () => {
    fc.assert(
      fc.property(scores, scores, (pos, neg) => {
        let u = 0;
        for (const p of pos) for (const n of neg) u += p > n ? 1 : p === n ? 0.5 : 0;
        const want = pos.length === 0 || neg.length === 0 ? null : u / (pos.length * neg.length);
        const got = rocAuc(sorted(pos, neg));
        if (want === null) expect(got).toBeNull();
        else expect(got).toBeCloseTo(want, 12);
      }),
      { numRuns },
    );
  });
});

describe("sortedScores and confusionAt", () => {
  test("split by label and sorted; >= t is a match", () => {
    const s = sortedScores(Float64Array.of(0.9, 0.1, 0.5, 0.5, 0.3), Uint8Array.of(1, 0, 1, 0, 0));
    expect([...s.positives]).toEqual([0.5, 0.9]);
    expect([...s.negatives]).toEqual([0.1, 0.3, 0.5]);
    expect(confusionAt(s, 0.5)).toEqual({ tp: 2, fp: 1, fn: 0, tn: 2 });
    expect(confusionAt(s, 0.6)).toEqual({ tp: 1, fp: 0, fn: 1, tn: 3 });
    expect(confusionAt(s, Number.POSITIVE_INFINITY)).toEqual({ tp: 0, fp: 0, fn: 2, tn: 3 });
  });
});

describe("bestF1Threshold", () => {
  test("a hand-counted case: t = 0.5 predicts 2 of 2 positives and 1 of 2 negatives, F1 0.8", () => {
    expect(bestF1Threshold(sorted([0.5, 0.9], [0.1, 0.6]))).toEqual({ threshold: 0.5, f1: 0.8 });
  });
  test("on a tie the highest threshold wins", () => {
    // t = 0.9: tp 1, fp 0, F1 2/3; t = 0.5: tp 2, fp 2, F1 2/3.
    expect(bestF1Threshold(sorted([0.5, 0.9], [0.6, 0.7]))).toEqual({ threshold: 0.9, f1: 2 / 3 });
  });
  test("no positive: null", () => {
    expect(bestF1Threshold(sorted([], [0.3]))).toBeNull();
  });

  const scores = fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 25 });
  test("its F1 is the best over every candidate threshold, and its own F1 is what confusionAt gives", () => {
    fc.assert(
      fc.property(scores, scores, (pos, neg) => {
        const s = sorted(pos, neg);
        const got = bestF1Threshold(s);
        if (pos.length === 0) {
          expect(got).toBeNull();
          return;
        }
        const f1At = (t: number) => {
          const c = confusionAt(s, t);
          return f1(ratio(c.tp, c.tp + c.fp), ratio(c.tp, c.tp + c.fn));
        };
        const candidates = [...pos, ...neg];
        const best = Math.max(...candidates.map(f1At));
        expect(got!.f1).toBe(best);
        expect(f1At(got!.threshold)).toBe(best);
        expect(got!.threshold).toBe(Math.max(...candidates.filter((t) => f1At(t) === best)));
      }),
      { numRuns },
    );
  });
});

describe("thresholdAtRecall", () => {
  test("hand-counted: 0.75 of four positives is the second lowest; 0.9 of ten, the second lowest; 1, the lowest", () => {
    expect(thresholdAtRecall(sorted([1, 0.2, 0.9, 0.5], [0.95]), 0.75)).toBe(0.5);
    expect(thresholdAtRecall(sorted([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], []), 0.9)).toBe(1);
    expect(thresholdAtRecall(sorted([0.3, 0.7], []), 1)).toBe(0.3);
  });
  test("no positive: null; a recall outside (0, 1]: a RangeError naming it", () => {
    expect(thresholdAtRecall(sorted([], [0.1]), 0.9)).toBeNull();
    for (const bad of [0, -0.1, 1.5, Number.NaN]) expect(() => thresholdAtRecall(sorted([0.5], []), bad)).toThrow(/recall .* in \(0, 1\]/);
  });

  const scores = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 25 });
  const recall = fc.integer({ min: 1, max: 20 }).map((k) => k / 20);
  test("it finds at least the recall asked, and no higher positive score does", () => {
    fc.assert(
      fc.property(scores, recall, (pos, r) => {
        const s = sorted(pos, []);
        const t = thresholdAtRecall(s, r)!;
        expect(pos).toContain(t);
        const found = (x: number) => confusionAt(s, x).tp;
        expect(found(t)).toBeGreaterThanOrEqual(r * pos.length - 1e-9);
        for (const higher of pos.filter((x) => x > t)) expect(found(higher)).toBeLessThan(r * pos.length - 1e-9);
      }),
      { numRuns },
    );
  });
});
