/** The summary table: every section, and a summary with nothing in it. */
import { describe, expect, test } from "vitest";
import { type DifficultyPair, difficultyOf } from "./match/difficulty.js";
import { PAIR_FEATURE_NAMES, type PairFeatures } from "./match/features.js";
import { formatSummary } from "./summary-table.js";

/** A pair whose features are 0 but for a phone and a name score. */
function pair(y: 0 | 1, kind: string, phone: number, jw: number): DifficultyPair {
  const features = Object.fromEntries(PAIR_FEATURE_NAMES.map((n) => [n, 0])) as Record<keyof PairFeatures, number>;
  return { y, kind, features: { ...features, phone_equal: phone, name_jw: jw } };
}

describe("formatSummary", () => {
  test("sources, entities, pairs per split and kind, corruptions by count, warnings", () => {
    const text = formatSummary({
      sources: { leads: { records: 10, duplicates: 1, duplicate_rate: 0.1, overlap: 0 } },
      entities: 9,
      entities_in_two_or_more_sources: 2,
      difficulty_preset: "realistic",
      confusers_planted: { household: 1, namesake: 2 },
      pairs: { train: { positive: 3, random: 12 }, test: { positive: 1, random: 4 } },
      corruptions_by_operator: { typo: 1, case: 4 },
      warnings: ["leads.tier: no generator rule"],
    });
    expect(text.split("\n")).toEqual([
      "  source       records  duplicates  dup rate  overlap",
      "  leads             10           1     0.100    0.000",
      "  entities 9, in two or more sources 2, planted confusers 3 (difficulty realistic)",
      "  pairs                    train     test",
      "  positive                     3        1",
      "  random                      12        4",
      "  corruptions: case 4, typo 1",
      "  warning: leads.tier: no generator rule",
    ]);
  });
  test("an empty summary still prints its frame", () => {
    expect(formatSummary({ pairs: { test: {} } })).toMatch(/corruptions: none/);
    expect(formatSummary({})).toMatch(/^ {2}source/);
  });

  test("the difficulty lines: baseline AUC and F1, the best single feature, false matches by negative kind", () => {
    const train = [pair(1, "positive", 1, 0.9), pair(1, "positive", 0, 0.95), pair(0, "random", 0, 0.2), pair(0, "hard_household", 1, 0.3)];
    const test = [pair(1, "positive", 1, 0.9), pair(0, "hard_household", 1, 0.96), pair(0, "random", 0, 0.1)];
    const difficulty = difficultyOf(train, test);
    const lines = formatSummary({ difficulty, warnings: ["w"] }).split("\n");
    const best = difficulty.best_single_feature!;
    const b = difficulty.baseline!;
    const r = difficulty.at_recall!;
    expect(lines.slice(-4)).toEqual([
      `  difficulty (test; baseline fitted on train): baseline AUC ${b.auc!.toFixed(3)} F1 ${b.f1.toFixed(3)}; best single feature ${best.name} F1 ${best.f1.toFixed(3)}`,
      `  baseline false matches (best-F1 threshold, recall ${(100 * b.recall).toFixed(1)}%): h_household ${(100 * difficulty.by_kind.hard_household!.false_match_rate!).toFixed(1)}%, random 0.0%`,
      `  baseline false matches at 90.0% train recall (test recall ${(100 * r.recall).toFixed(1)}%): h_household ${(100 * r.by_kind.hard_household!.false_match_rate!).toFixed(1)}%, random 0.0%`,
      "  warning: w",
    ]);
    // The household pair scores above the positive on name and shares its phone: a false match.
    expect(lines.at(-3)).toBe("  baseline false matches (best-F1 threshold, recall 100.0%): h_household 100.0%, random 0.0%");
  });
  test("a summary without the fixed-recall figures (2.0 before them) prints the best-F1 line only", () => {
    const train = [pair(1, "positive", 1, 0.9), pair(0, "random", 0, 0.2)];
    const { at_recall: _, ...older } = difficultyOf(train, train);
    const lines = formatSummary({ difficulty: older }).split("\n");
    expect(lines.at(-1)).toMatch(/^ {2}baseline false matches \(best-F1 threshold/);
  });
  test("without a baseline: one line saying why", () => {
    const difficulty = difficultyOf([pair(1, "positive", 1, 0.9)], [pair(1, "positive", 1, 0.9)]);
    expect(formatSummary({ difficulty }).split("\n").at(-1)).toBe(
      "  difficulty (test): no baseline (the train split lacks positives or negatives); best single feature phone_equal F1 1.000",
    );
  });
});
