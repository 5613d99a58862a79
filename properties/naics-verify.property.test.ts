import { describe, test } from "vitest";
import { naicsVerifyProperties } from "./naics-verify.properties.js";

describe("naics: the verifier passes what the generator makes and fails corrupted data", () => {
  for (const p of naicsVerifyProperties) test(`${p.title} [${p.id}]`, () => p.check());
});
