/** labels_match_truth on a hand-made data set: an entity in two splits, numbered by the index or not. */
import { describe, expect, test } from "vitest";
import { labelsMatchTruth } from "./checks-pairs.js";
import { emptyRow } from "./row.js";
import { indexWritten, truthIndex, type WrittenData, type WrittenPair } from "./written.js";

const pair = (id_a: string, id_b: string, y: number): WrittenPair => ({
  src_a: "leads",
  id_a,
  src_b: "leads",
  id_b,
  y,
  kind: y === 1 ? "positive" : "random",
});

describe("labels_match_truth", () => {
  // Leads L1, L2 of E0000000 and L3 of E0000001; the truth also gives L9 (no source holds it) to E0000009.
  const data: WrittenData = {
    sources: [
      {
        name: "leads",
        columns: ["id"],
        rows: ["L1", "L2", "L3"].map((id) => Object.assign(emptyRow(), { id })),
        fieldOfRule: { id: "id" },
      },
    ],
    truth: truthIndex(
      [
        ["L1", "E0000000"],
        ["L2", "E0000000"],
        ["L3", "E0000001"],
        ["L9", "E0000009"],
      ],
      () => "leads",
      (t) => t[0] as string,
      (t) => t[1] as string,
    ),
    corruptions: [],
    profiles: [],
    confusers: [],
    pairs: { train: [pair("L1", "L2", 1), pair("L9", "L3", 0)], valid: [], test: [pair("L9", "L1", 0), pair("L7", "L1", 0)] },
    expected: { pii: "plain", dev: true, dupRate: 0, overlap: 0, negativeRatio: 3, volumes: {}, requiredColumns: {} },
  };
  test("an entity in train and test is reported, whether a source holds its records or not", () => {
    const result = labelsMatchTruth(data, indexWritten(data));
    expect(result.violations.first.map((v) => [v.problem, v.entity ?? v.id_a, v.splits ?? null])).toEqual([
      ["entity in two splits", "E0000009", ["train", "test"]],
      ["entity in two splits", "E0000000", ["train", "test"]],
      ["record not in the truth file", "L7", null],
    ]);
    expect(result.metrics).toEqual({ pairs: 4, unknown_records: 1 });
  });
});
