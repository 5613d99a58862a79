/**
 * Fields without a generator rule are synthesised from their declared type, consistently typed,
 * and the schema's warnings say so.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { entitiesConfigSchema } from "./config.js";
import { generateRecords } from "./records.js";
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
