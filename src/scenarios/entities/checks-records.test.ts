/**
 * value_formats with hashed PII: a PII cell is blank or 64 lowercase hex digits, nothing else;
 * unique_ids and the index on ids that are empty, repeated, or unknown to the truth.
 */
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { crossSourceOverlap, uniqueIds, valueFormats } from "./checks-records.js";
import { emptyRow } from "./row.js";
import { indexWritten, truthIndex, type WrittenData } from "./written.js";

const digest = createHash("sha256").update("salt:a@x.com").digest("hex");

/** One hashed lead whose email cell is `email`. */
function leadWithEmail(email: string): WrittenData {
  const row = Object.assign(emptyRow(), { id: "L1", email, phone: digest, zip: "12345", country: "US" });
  return {
    sources: [{ name: "leads", columns: Object.keys(row), rows: [row], fieldOfRule: { id: "id", email: "email", phone: "phone" } }],
    truth: new Map(),
    corruptions: [],
    profiles: [],
    confusers: [],
    pairs: { train: [], valid: [], test: [] },
    expected: { pii: "hashed", dev: true, dupRate: 0, overlap: 0, negativeRatio: 3, volumes: {}, requiredColumns: {} },
  };
}

describe("value_formats, hashed", () => {
  test.each([
    ["a digest", digest, true],
    ["a blank", "", true],
    ["upper-case hex", digest.toUpperCase(), false],
    ["63 hex digits", digest.slice(1), false],
    ["65 hex digits", `${digest}0`, false],
    ["a g among hex digits", `g${digest.slice(1)}`, false],
    ["a line break after a digest", `${digest.slice(1)}\n`, false],
    ["a plain email", "a@x.com", false],
  ])("%s: passes %s", (_, email, passes) => {
    const result = valueFormats(leadWithEmail(email));
    expect(result.status).toBe(passes ? "PASSED" : "FAILED");
    if (!passes)
      expect(result.violations.first).toEqual([
        { source: "leads", id: "L1", field: "email", problem: "not a sha256 hex digest in hashed mode" },
      ]);
  });
});

describe("unique_ids and the index", () => {
  // Leads L1, "", L2, L1, "", L3 (L3 unknown to the truth, L1 and L2 one entity); sales S1 of L2's entity.
  const ids = ["L1", "", "L2", "L1", "", "L3"];
  const data: WrittenData = {
    ...leadWithEmail(""),
    sources: [
      { name: "leads", columns: ["id"], rows: ids.map((id) => Object.assign(emptyRow(), { id })), fieldOfRule: { id: "id" } },
      { name: "sales", columns: ["id"], rows: [Object.assign(emptyRow(), { id: "S1" })], fieldOfRule: { id: "id" } },
    ],
    truth: truthIndex(
      [
        { s: "leads", id: "L1", e: "E0000000" },
        { s: "leads", id: "L2", e: "E0000000" },
        { s: "sales", id: "S1", e: "E0000000" },
      ],
      (t) => t.s,
      (t) => t.id,
      (t) => t.e,
    ),
  };
  const ix = indexWritten(data);
  test("an empty id is reported each time, a repeated one from its second use; records count distinct ids", () => {
    const result = uniqueIds(data, ix);
    expect(result.violations.first).toEqual([
      { source: "leads", problem: "empty id" },
      { source: "leads", id: "L1", problem: "id used twice" },
      { source: "leads", problem: "empty id" },
    ]);
    expect(result.metrics).toEqual({ records: 5 });
  });
  test("the index gives each distinct id a slot (the last row of a repeated one) and each known entity a number", () => {
    expect(ix.slotId).toEqual(["L1", "", "L2", "L3", "S1"]);
    expect(ix.slotRow[0]).toBe(data.sources[0]?.rows[3]);
    expect([...ix.slotEntity]).toEqual([0, -1, 0, -1, 0]);
    expect({ entities: ix.entities, multi: ix.entitiesInTwoOrMoreSources }).toEqual({ entities: 1, multi: 1 });
    expect(crossSourceOverlap(data, ix).metrics.sales).toEqual({ entities: 1, shared_with_larger: 1, overlap: 1 });
  });
});
