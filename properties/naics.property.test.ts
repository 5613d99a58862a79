import { describe, test } from "vitest";
import { naicsRowProperties } from "./naics-rows.properties.js";
import { naicsTreeProperties } from "./naics-tree.properties.js";

// The verifier's properties are in naics-verify.property.test.ts, so the two files run in parallel.
describe("naics: code tree", () => {
  for (const p of naicsTreeProperties) test(`${p.title} [${p.id}]`, () => p.check());
});

describe("naics: rows and output files", () => {
  for (const p of naicsRowProperties) test(`${p.title} [${p.id}]`, () => p.check());
});
