/**
 * The entities config schema as JSON Schema (what the CLI derives its flags, help lines and
 * defaults from): every key has a type, a help line and, where it has one, its default; ranges,
 * enums and formats are there. And a reference date that is not a calendar date is refused.
 */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { generate } from "../../api.js";
import { ConfigError } from "../../core/config.js";
import { DEV_RECORDS, entitiesConfigSchema, MAX_RECORDS, MIN_RECORDS } from "./config.js";
import { OPERATORS } from "./corrupt/index.js";

const json = z.toJSONSchema(entitiesConfigSchema, { io: "input", unrepresentable: "any" }) as {
  properties: Record<string, Record<string, unknown>>;
  additionalProperties: unknown;
  required?: string[];
};
const KEYS = Object.keys(entitiesConfigSchema.shape);

describe("the JSON Schema of the entities config", () => {
  test("lists every key, no other, and none is required", () => {
    expect(Object.keys(json.properties)).toEqual(KEYS);
    expect(json.additionalProperties).toBe(false);
    expect(json.required ?? []).toEqual([]);
  });

  test.each(KEYS)("%s has a type and a one-line lower-case help line", (key) => {
    const p = json.properties[key] as { type?: string; description?: string };
    expect(p.type).toMatch(/^(string|integer|number|boolean|object)$/);
    expect(p.description).toMatch(/^[a-z0-9P][^\n]{5,90}$/);
    expect(p.description).not.toMatch(/\.$|default \d/);
  });

  test.each([
    { key: "n_leads", value: { type: "integer", minimum: MIN_RECORDS, maximum: MAX_RECORDS, default: 30_000 } },
    { key: "n_sales", value: { type: "integer", minimum: MIN_RECORDS, maximum: MAX_RECORDS, default: 3000 } },
    { key: "n_financial", value: { type: "integer", minimum: MIN_RECORDS, maximum: MAX_RECORDS, default: 2100 } },
    { key: "dup_rate", value: { type: "number", minimum: 0.05, maximum: 0.15, default: 0.1 } },
    { key: "overlap", value: { type: "number", minimum: 0.3, maximum: 0.6, default: 0.4 } },
    { key: "seed", value: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 42 } },
    { key: "pii", value: { type: "string", enum: ["plain", "hashed"], default: "plain" } },
    { key: "locale", value: { type: "string", enum: ["US", "CA", "US+CA"], default: "US" } },
    {
      key: "dev",
      value: { type: "boolean", default: false, description: `${DEV_RECORDS} records in every source, pair-count gates relaxed` },
    },
    { key: "negative_ratio", value: { type: "number", minimum: 3, maximum: 5, default: 4 } },
    { key: "reference_date", value: { type: "string", format: "date", default: "2026-01-01" } },
    { key: "salt", value: { type: "string", minLength: 1 } },
    { key: "schema", value: { type: "string", minLength: 1 } },
    {
      key: "corruption",
      value: {
        type: "object",
        default: {},
        propertyNames: { type: "string", enum: [...OPERATORS] },
        additionalProperties: { type: "number", minimum: 0, maximum: 1 },
      },
    },
  ])("$key: its type, range or enum and default", ({ key, value }) => {
    expect(json.properties[key]).toMatchObject(value);
  });

  test.each(["salt", "schema"])("%s has no default (absent means: none, or the bundled file)", (key) => {
    expect(json.properties[key]).not.toHaveProperty("default");
  });

  test("the defaults are the values a config without keys gets", () => {
    const parsed = entitiesConfigSchema.parse({}) as Record<string, unknown>;
    for (const key of KEYS)
      if ("default" in (json.properties[key] as object)) expect(parsed[key], key).toEqual(json.properties[key]?.default);
  });
});

describe("reference_date is a calendar date", () => {
  // Before, the pattern \d{4}-\d{2}-\d{2} let 2026-13-45 through to a RangeError mid-generation,
  // and 2026-02-30 became 2 March.
  test.each(["2026-13-45", "2026-02-30", "2026-1-01"])("%s is a ConfigError naming reference_date", async (date) => {
    const error = await generate("entities", { dev: true, reference_date: date }, { out: "/nonexistent/never-written" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.path)).toEqual([["reference_date"]]);
    expect((error as ConfigError).message).toContain("reference_date is a calendar date YYYY-MM-DD");
  });

  test("2024-02-29 (a leap day) is one", () => {
    expect(entitiesConfigSchema.parse({ reference_date: "2024-02-29" }).reference_date).toBe("2024-02-29");
  });
});
