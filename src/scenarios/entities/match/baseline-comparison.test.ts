/** The user's ROC AUC from a predictions file, and the summary section score reads. */
import { describe, expect, test } from "vitest";
import { inputError } from "../../../testing/input-error.js";
import { compareWithBaseline, readSummaryDifficulty, userAuc } from "./baseline-comparison.js";
import type { PairPrediction } from "./predictions.js";
import type { MatchScore } from "./score.js";
import type { LabelledPair } from "./split.js";

const lp = (a: string, b: string, y: 0 | 1): LabelledPair => ({
  src_a: "s",
  id_a: a,
  src_b: "s",
  id_b: b,
  y,
  kind: y ? "positive" : "random",
});
const pp = (a: string, b: string, extra: Partial<PairPrediction>): PairPrediction => ({
  src_a: "s",
  id_a: a,
  src_b: "s",
  id_b: b,
  ...extra,
});
const LABELLED = [lp("1", "2", 1), lp("3", "4", 1), lp("1", "3", 0), lp("2", "4", 0)];

describe("userAuc", () => {
  test("over the labelled pairs, whichever way round a pair is written; unlabelled rows ignored", () => {
    // Positives 0.9, 0.4; negatives 0.5, 0.1: 3 of 4 orderings right.
    const rows = [
      pp("2", "1", { score: 0.9 }),
      pp("3", "4", { score: 0.4 }),
      pp("1", "3", { score: 0.5 }),
      pp("4", "2", { score: 0.1 }),
      pp("9", "8", {}),
    ];
    expect(userAuc(LABELLED, { form: "pairs", pairs: rows })).toBe(0.75);
  });
  test("a labelled pair left out ranks below every scored one; a pair given twice keeps its higher score", () => {
    // Positives 0.9 (the higher of 0.2 and 0.9), missing; negatives 0.5, 0.1: (2 + 0) / 4.
    const rows = [pp("1", "2", { score: 0.2 }), pp("1", "2", { score: 0.9 }), pp("1", "3", { score: 0.5 }), pp("2", "4", { score: 0.1 })];
    expect(userAuc(LABELLED, { form: "pairs", pairs: rows })).toBe(0.5);
  });
  test.each([
    { what: "a clustering", p: { form: "clusters" as const, clusters: [] } },
    { what: "no scores at all", p: { form: "pairs" as const, pairs: [pp("1", "2", { match: 1 })] } },
    {
      what: "a labelled pair with a match and no score",
      p: { form: "pairs" as const, pairs: [pp("1", "3", { score: 0.3 }), pp("1", "2", { match: 1 })] },
    },
  ])("null for $what", ({ p }) => {
    expect(userAuc(LABELLED, p)).toBeNull();
  });
});

describe("readSummaryDifficulty and compareWithBaseline", () => {
  const section = {
    method: { baseline: "m" },
    baseline: { auc: null, precision: 0.5, recall: 0.25, f1: 0.3333 },
    by_kind: { positive: { pairs: 4, recall: 0.25, false_match_rate: null } },
    extra: "ignored",
  };
  test("no section: null; a section: its figures", () => {
    expect(readSummaryDifficulty({ pairs: {} }, "s.json")).toBeNull();
    expect(readSummaryDifficulty({ difficulty: section }, "s.json")?.baseline?.f1).toBe(0.3333);
  });
  test.each([
    {
      what: "a rate above 1",
      bad: { ...section, baseline: { ...section.baseline, recall: 2 } },
      path: ["difficulty", "baseline", "recall"],
    },
    { what: "no by_kind", bad: { method: section.method, baseline: null }, path: ["difficulty", "by_kind"] },
    { what: "not an object", bad: 7, path: ["difficulty"] },
  ])("$what: bad_summary at $path", ({ bad, path }) => {
    const error = inputError(() => readSummaryDifficulty({ difficulty: bad }, "s.json"));
    expect(error).toMatchObject({ code: "bad_summary", location: { file: "s.json", path } });
    expect(error.hint).toMatch(/regenerate/);
  });
  test("figures are rounded like the baseline's; an AUC the baseline lacks stays null", () => {
    const score = {
      labelled: { pairs: 4, tp: 1, fp: 0, fn: 1, tn: 2, precision: 1, recall: 0.5, f1: 2 / 3 },
      by_kind: { positive: { pairs: 2, tp: 1, fp: 0, fn: 1, tn: 0, recall: 0.5, false_positive_rate: null, specificity: null } },
    } as unknown as MatchScore;
    const c = compareWithBaseline(score, readSummaryDifficulty({ difficulty: section }, "s.json")!, 1 / 3)!;
    expect(c).toEqual({
      method: "m",
      f1: { yours: 0.6667, baseline: 0.3333 },
      precision: { yours: 1, baseline: 0.5 },
      recall: { yours: 0.5, baseline: 0.25 },
      auc: { yours: 0.3333, baseline: null },
      by_kind: { positive: { pairs: 2, measure: "recall", yours: 0.5, baseline: 0.25 } },
    });
  });
});
