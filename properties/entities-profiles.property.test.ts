import { describe, test } from "vitest";
import { confusersAreOtherEntities, confusersTellTheirStory, usageRatesMatchConfig } from "./entities-profiles.properties.js";
import { runSettings } from "./harness.js";

/**
 * Runs of the usage-rate property at most: each generates 22,500 records (about 7 s), and its
 * recipes are a finite set that was checked whole (see the property), so more runs only repeat.
 */
const USAGE_RUNS = 3;

describe("entities: profiles and confusers (in memory)", () => {
  for (const p of [confusersTellTheirStory, confusersAreOtherEntities]) test(`${p.title} [${p.id}]`, () => p.check());
  test(`${usageRatesMatchConfig.title} [${usageRatesMatchConfig.id}]`, () =>
    usageRatesMatchConfig.check({ numRuns: Math.min(runSettings().numRuns, USAGE_RUNS) }));
});
