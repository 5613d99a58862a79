import { describe, test } from "vitest";
import { coreProperties } from "./core.properties.js";

describe("core: keyed streams and permutations", () => {
  for (const p of coreProperties) test(`${p.title} [${p.id}]`, () => p.check());
});
