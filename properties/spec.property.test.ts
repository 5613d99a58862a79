import { describe, expect, test } from "vitest";
import { specRunProperties } from "./spec-run.properties.js";
import { specSchemaProperties } from "./spec-schema.properties.js";

// The calibration and power tests are in spec-calibration.property.test.ts, so the files run in parallel.
describe("spec: the validator", () => {
  for (const p of specSchemaProperties) test(`${p.title} [${p.id}]`, () => p.check());
});

describe("spec: runs, keyed columns and expressions", () => {
  for (const p of specRunProperties) test(`${p.title} [${p.id}]`, () => p.check());
});
