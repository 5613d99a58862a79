import { describe, test } from "vitest";
import { entitiesOutputProperties } from "./entities-output.properties.js";
import { entitiesRecordProperties } from "./entities-records.properties.js";

// The verifier's property is in entities-verify.property.test.ts, so the two files run in parallel.
describe("entities: records, corruptions and splits (in memory)", () => {
  for (const p of entitiesRecordProperties) test(`${p.title} [${p.id}]`, () => p.check());
});

describe("entities: output files", () => {
  for (const p of entitiesOutputProperties) test(`${p.title} [${p.id}]`, () => p.check());
});
