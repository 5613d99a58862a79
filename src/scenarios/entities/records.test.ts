/**
 * Fields without a generator rule are synthesised from their declared type, consistently typed,
 * and the schema's warnings say so.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { entitiesConfigSchema } from "./config.js";
import { daysBefore, generateRecords } from "./records.js";
import { loadSchemas } from "./schema-file.js";

describe("rule-less fields", () => {
  test("int, float, date and string fields get values of their type, with a warning each", () => {
    const bundled = JSON.parse(fs.readFileSync("examples/automotive_schemas.json", "utf8"));
    bundled.sources.leads.fields.push(
      { name: "visits", type: "int" },
      { name: "score", type: "float" },
      { name: "last_seen", type: "date" },
      { name: "tier" },
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-schema-")), "s.json");
    fs.writeFileSync(file, JSON.stringify(bundled));
    const schemas = loadSchemas(file);
    expect(schemas.warnings).toHaveLength(4);
    expect(schemas.warnings[0]).toMatch(/leads\.visits: no generator rule for this field; synthesised as int values/);
    const cfg = entitiesConfigSchema.parse({ n_leads: 40, n_sales: 20, n_financial: 20, seed: 5, reference_date: "2024-03-01" });
    const leads = generateRecords(cfg, schemas).sources[0]?.records ?? [];
    expect(leads).toHaveLength(40);
    for (const r of leads) {
      expect(r.values.visits).toMatch(/^\d+$/);
      expect(r.values.score).toMatch(/^\d+\.\d{3}$/);
      expect(r.values.last_seen && r.values.last_seen < "2024-03-01" && r.values.last_seen >= "2022-03-01").toBe(true);
      expect(r.values.tier).toMatch(/^tier_[0-9a-z]+$/);
    }
  });
});

describe("daysBefore", () => {
  // What `new Date(ref - k days).toISOString()` gives, across a year end, February of a leap year and a DST change.
  test.each([
    ["2026-01-01", 1, "2025-12-31"],
    ["2024-03-01", 1, "2024-02-29"],
    ["2024-03-01", 730, "2022-03-02"],
    ["2025-11-03", 2, "2025-11-01"],
  ])("%s minus %i days is %s", (reference, k, day) => {
    expect(daysBefore(reference)(k)).toBe(day);
  });
  test("a day asked for again is the same text, made once", () => {
    const days = daysBefore("2026-01-01");
    expect(days(7)).toBe(days(7));
    expect(days(8)).toBe("2025-12-24");
  });
});
