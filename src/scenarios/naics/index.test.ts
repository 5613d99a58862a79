/**
 * The scenario's definition as the registry sees it: its name, version, schema and capabilities,
 * and the two hooks the CLI prints from (the headline of a run, the notes of a report).
 */
import { describe, expect, test } from "vitest";
import { report } from "../../checks/result.js";
import type { GenerateResult } from "../scenario.js";
import { naicsConfigSchema } from "./config.js";
import { NAICS_GENERATOR_VERSION } from "./generate.js";
import naicsScenario from "./index.js";

const run = (manifest: Record<string, unknown>): GenerateResult => ({ report: report([]), manifest, files: [] });

describe("the naics scenario definition", () => {
  test("names the scenario, its generator version, schema and capabilities", () => {
    expect(naicsScenario.name).toBe("naics");
    expect(naicsScenario.version).toBe(NAICS_GENERATOR_VERSION);
    expect(naicsScenario.configSchema).toBe(naicsConfigSchema);
    expect(naicsScenario.supports).toEqual({ shards: true, threads: true });
    expect(naicsScenario.progressUnit).toBe("rows");
  });

  test.each([
    { what: "a whole run counts its rows", manifest: { rows: 1000, seed: 7, shard: null }, says: "1000 rows, seed 7" },
    {
      what: "a shard counts the rows of its range",
      manifest: { rows: 1000, seed: 7, shard: { first_row: 250, end_row: 500 } },
      says: "250 rows, seed 7",
    },
  ])("headline: $what", ({ manifest, says }) => {
    expect(naicsScenario.headline(run(manifest))).toBe(says);
  });

  test.each([
    {
      what: "the summary's recommendation is the one note",
      summary: { recommendation: "use --preserve probability" },
      notes: ["use --preserve probability"],
    },
    { what: "no recommendation, no note", summary: { recommendation: null }, notes: [] },
    { what: "no summary, no note", summary: undefined, notes: [] },
  ])("notes: $what", ({ summary, notes }) => {
    expect(naicsScenario.notes(report([], summary))).toEqual(notes);
  });
});
