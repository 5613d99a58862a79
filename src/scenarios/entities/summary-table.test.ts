/** The summary table: every section, and a summary with nothing in it. */
import { describe, expect, test } from "vitest";
import { formatSummary } from "./summary-table.js";

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
});
