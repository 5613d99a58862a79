import { describe, test } from "vitest";
import { entitiesVerifyProperties } from "./entities-verify.properties.js";

describe("entities: verifier", () => {
  for (const p of entitiesVerifyProperties) test(`${p.title} [${p.id}]`, () => p.check());
});
