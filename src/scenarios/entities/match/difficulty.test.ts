/**
 * The difficulty figures: a small case counted by hand (and its baseline fitted by SciPy), the
 * degenerate splits, and a property against brute-force recounts on random pairs.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { f1, ratio } from "./confusion.js";
import { type DifficultyPair, difficultyOf, type PairFeatureName } from "./difficulty.js";
import { PAIR_FEATURE_NAMES } from "./features.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 100);

function pair(y: 0 | 1, kind: string, features: Partial<Record<PairFeatureName, number>>, sources?: [string, string]): DifficultyPair {
  const all = Object.fromEntries(PAIR_FEATURE_NAMES.map((n) => [n, features[n] ?? 0])) as Record<PairFeatureName, number>;
  return { y, kind, features: all, ...(sources ? { a: { source: sources[0] }, b: { source: sources[1] } } : {}) };
}

// Two features; the figures in the comments are counted by hand.
const TRAIN = [
  pair(1, "positive", { phone_equal: 1, name_jw: 0.95 }),
  pair(1, "positive", { phone_equal: 1, name_jw: 0.8 }),
  pair(1, "positive", { phone_equal: 0, name_jw: 0.97 }),
  pair(1, "positive", { phone_equal: 0, name_jw: 0.9 }),
  pair(0, "hard_similar_name", { phone_equal: 0, name_jw: 0.95 }),
  pair(0, "random", { phone_equal: 0, name_jw: 0.5 }),
  pair(0, "random", { phone_equal: 0, name_jw: 0.3 }),
  pair(0, "hard_shared_contact", { phone_equal: 1, name_jw: 0.2 }),
];
const TEST = [
  pair(1, "positive", { phone_equal: 1, name_jw: 0.99 }, ["leads", "sales"]),
  pair(1, "positive", { phone_equal: 0, name_jw: 0.85 }, ["leads", "leads"]),
  pair(1, "positive", { phone_equal: 0, name_jw: 0.6 }, ["sales", "financial"]),
  pair(0, "random", { phone_equal: 0, name_jw: 0.2 }, ["leads", "sales"]),
  pair(0, "hard_namesake", { phone_equal: 0, name_jw: 0.9 }, ["leads", "sales"]),
  pair(0, "hard_household", { phone_equal: 1, name_jw: 0.1 }, ["leads", "sales"]),
];
const TWO: PairFeatureName[] = ["phone_equal", "name_jw"];

describe("difficultyOf on a case counted by hand", () => {
  const d = difficultyOf(TRAIN, TEST, { features: TWO });

  test("a continuous feature: the train threshold with the best train F1, scored on test", () => {
    // Train thresholds 0.97, 0.95, 0.9, 0.8, 0.5: F1 2/5, 4/7, 6/8, 8/9, 8/10, so t = 0.8.
    // Test at 0.8: tp 2 (0.99, 0.85), fp 1 (0.9), fn 1: precision = recall = F1 = 2/3.
    // AUC: 0.99 beats 3 negatives, 0.85 and 0.6 beat 2 each: 7 / 9.
    expect(d.single_features.name_jw).toEqual({
      binary: false,
      threshold: 0.8,
      auc: 0.7778,
      precision: 0.6667,
      recall: 0.6667,
      f1: 0.6667,
    });
  });

  test("a 0/1 feature: the rule is feature = 1", () => {
    // Test: tp 1, fp 1 (the household), fn 2: precision 1/2, recall 1/3, F1 0.4.
    // AUC: 1 vs (0, 1, 0) = 2.5, each 0 vs (0, 1, 0) = 1: 4.5 / 9.
    expect(d.single_features.phone_equal).toEqual({ binary: true, threshold: 1, auc: 0.5, precision: 0.5, recall: 0.3333, f1: 0.4 });
    expect(d.best_single_feature).toEqual({ name: "name_jw", f1: 0.6667, auc: 0.7778 });
  });

  test("the baseline: SciPy's fit of the same objective, its train-F1 threshold, its test figures", () => {
    const b = d.baseline!;
    expect(b.converged).toBe(true);
    // SciPy BFGS (see logistic.test.ts): intercept -10.09467635, weights 4.38849895, 11.47848234;
    // the best train threshold is the margin of (0, 0.9), log-odds 0.23595775, p 0.55871726.
    expect(b.intercept).toBeCloseTo(-10.0947, 3);
    expect(b.weights.phone_equal).toBeCloseTo(4.3885, 3);
    expect(b.weights.name_jw).toBeCloseTo(11.4785, 3);
    expect(b.threshold_log_odds).toBeCloseTo(0.236, 3);
    expect(b.threshold).toBeCloseTo(0.5587, 3);
    // Test: matches are (1, 0.99) and the namesake (0, 0.9), whose margin is the threshold's.
    expect(b).toMatchObject({ auc: 0.7778, precision: 0.5, recall: 0.3333, f1: 0.4 });
  });

  test("by kind, from the kinds present: positives first, then by name; recall or false-match rate", () => {
    expect(d.by_kind).toEqual({
      positive: { pairs: 3, recall: 0.3333, false_match_rate: null },
      hard_household: { pairs: 1, recall: null, false_match_rate: 0 },
      hard_namesake: { pairs: 1, recall: null, false_match_rate: 1 },
      random: { pairs: 1, recall: null, false_match_rate: 0 },
    });
    expect(Object.keys(d.by_kind)).toEqual(["positive", "hard_household", "hard_namesake", "random"]);
  });

  test("at 90% train recall: the highest train positive's margin finding 90% of the four (the lowest, 0.236), by kind", () => {
    const r = d.at_recall!;
    expect(r.train_recall_target).toBe(0.9);
    expect(r.threshold_log_odds).toBeCloseTo(0.236, 3);
    // The same threshold as the best-F1 one here, so the same test figures.
    expect(r).toMatchObject({ precision: 0.5, recall: 0.3333, f1: 0.4 });
    expect(r.by_kind).toEqual(d.by_kind);
    expect(d.method.at_recall).toMatch(/at least 0.9 of the train positives/);
  });

  test("positives sharing neither email nor phone, overall and across sources", () => {
    expect(d.positives).toEqual({ positives: 3, share_without_shared_contact: 0.6667 });
    // Cross-source positives: leads-sales (shares a phone) and sales-financial (shares nothing).
    expect(d.cross_source_positives).toEqual({ positives: 2, share_without_shared_contact: 0.5 });
  });

  test("the counts, the method, and a plain JSON value that survives a round trip", () => {
    expect(d.train).toEqual({ pairs: 8, positives: 4 });
    expect(d.test).toEqual({ pairs: 6, positives: 3 });
    expect(d.method).toMatchObject({ fitted_on: "train", scored_on: "test", features: TWO, ridge: 1e-4 });
    expect(d.method.baseline).toMatch(/logistic regression .* ridge/);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  test("deterministic, and every cached feature by default", () => {
    expect(difficultyOf(TRAIN, TEST)).toEqual(difficultyOf(TRAIN, TEST));
    expect(Object.keys(difficultyOf(TRAIN, TEST).single_features)).toEqual([...PAIR_FEATURE_NAMES]);
  });
});

describe("degenerate splits", () => {
  test("a feature constant on train gets weight 0, never -0 (a shrunk counterexample of the property below)", () => {
    const train = [pair(0, "a", { phone_equal: 1, name_jw: 0 }), pair(1, "positive", { phone_equal: 1, name_jw: 0.25 })];
    const d = difficultyOf(train, [pair(0, "a", {}), pair(0, "a", {})], { features: TWO });
    expect(Object.is(d.baseline?.weights.phone_equal, 0)).toBe(true);
    expect(d.best_single_feature).toEqual({ name: "phone_equal", f1: 0, auc: null });
  });

  test("train without a negative: no baseline, no by_kind; features still scored", () => {
    const d = difficultyOf(
      TRAIN.filter((p) => p.y === 1),
      TEST,
      { features: TWO },
    );
    expect(d.baseline).toBeNull();
    expect(d.by_kind).toEqual({});
    expect(d.at_recall).toBeNull();
    expect(d.single_features.name_jw?.threshold).toBe(0.8);
  });

  test("train without a positive: no threshold, nothing predicted, F1 0", () => {
    const d = difficultyOf(
      TRAIN.filter((p) => p.y === 0),
      TEST,
      { features: TWO },
    );
    expect(d.baseline).toBeNull();
    expect(d.single_features.name_jw).toMatchObject({ threshold: null, precision: 0, recall: 0, f1: 0, auc: 0.7778 });
  });

  test("pairs without sources: no cross-source share; empty test: AUC null, share 0", () => {
    const bare = TEST.map(({ y, kind, features }) => ({ y, kind, features }));
    expect(difficultyOf(TRAIN, bare)).not.toHaveProperty("cross_source_positives");
    const empty = difficultyOf(TRAIN, [], { features: TWO });
    expect(empty.single_features.name_jw?.auc).toBeNull();
    expect(empty.baseline?.auc).toBeNull();
    expect(empty.positives).toEqual({ positives: 0, share_without_shared_contact: 0 });
  });
});

describe("difficultyOf agrees with brute-force recounts", () => {
  const grid = fc.integer({ min: 0, max: 4 }).map((v) => v / 4);
  const arbPair = fc
    .record({
      y: fc.constantFrom(0 as const, 1 as const),
      kind: fc.constantFrom("a", "b", "c"),
      phone: fc.constantFrom(0, 1),
      jw: grid,
    })
    .map(({ y, kind, phone, jw }) => pair(y, y === 1 ? "positive" : kind, { phone_equal: phone, name_jw: jw }));
  const split = fc.array(arbPair, { minLength: 2, maxLength: 40 });

  const f1At = (pairs: readonly DifficultyPair[], score: (p: DifficultyPair) => number, t: number) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const p of pairs) {
      const m = score(p) >= t;
      if (p.y === 1) m ? tp++ : fn++;
      else if (m) fp++;
    }
    return f1(ratio(tp, tp + fp), ratio(tp, tp + fn));
  };
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

  test("thresholds, F1, AUC and kind counts", () => {
    fc.assert(
      fc.property(split, split, (train, test) => {
        const d = difficultyOf(train, test, { features: TWO });
        const jw = (p: DifficultyPair) => p.features.name_jw;
        const f = d.single_features.name_jw!;
        if (train.some((p) => p.y === 1)) {
          const candidates = train.map(jw);
          const best = Math.max(...candidates.map((t) => f1At(train, jw, t)));
          const isBinary = [...train, ...test].every((p) => jw(p) === 0 || jw(p) === 1);
          if (!isBinary) expect(f.threshold).toBe(Math.max(...candidates.filter((t) => f1At(train, jw, t) === best)));
          expect(f.f1).toBe(r4(f1At(test, jw, f.threshold!)));
        }
        const pos = test.filter((p) => p.y === 1).map(jw);
        const neg = test.filter((p) => p.y === 0).map(jw);
        let u = 0;
        for (const a of pos) for (const b of neg) u += a > b ? 1 : a === b ? 0.5 : 0;
        expect(f.auc).toBe(pos.length && neg.length ? r4(u / (pos.length * neg.length)) : null);
        // The 0/1 feature, counted rather than sorted: the same AUC as brute force, and F1 of "= 1".
        const phone = (p: DifficultyPair) => p.features.phone_equal;
        let v = 0;
        for (const a of test)
          for (const b of test) if (a.y === 1 && b.y === 0) v += phone(a) > phone(b) ? 1 : phone(a) === phone(b) ? 0.5 : 0;
        const g = d.single_features.phone_equal!;
        expect(g.auc).toBe(pos.length && neg.length ? r4(v / (pos.length * neg.length)) : null);
        expect(g.f1).toBe(train.some((p) => p.y === 1) ? r4(f1At(test, phone, 1)) : 0);
        if (d.baseline) {
          const kinds = new Set(test.map((p) => p.kind));
          expect(new Set(Object.keys(d.by_kind))).toEqual(kinds);
          expect(Object.values(d.by_kind).reduce((s, k) => s + k.pairs, 0)).toBe(test.length);
          if (pos.length > 0) expect(d.by_kind.positive?.recall).toBe(d.baseline.recall);
          // The fixed-recall point: the same kinds and counts, and its own recall on the positives.
          const r = d.at_recall!;
          expect(Object.keys(r.by_kind)).toEqual(Object.keys(d.by_kind));
          expect(Object.values(r.by_kind).reduce((s, k) => s + k.pairs, 0)).toBe(test.length);
          if (pos.length > 0) expect(r.by_kind.positive?.recall).toBe(r.recall);
        } else expect(d.at_recall).toBeNull();
        expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      }),
      { numRuns },
    );
  });
});
