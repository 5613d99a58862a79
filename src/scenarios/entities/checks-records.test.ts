/**
 * value_formats with hashed PII: a PII cell is blank or 64 lowercase hex digits, nothing else.
 */
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { valueFormats } from "./checks-records.js";
import { emptyRow } from "./row.js";
import type { WrittenData } from "./written.js";

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
