import { describe, test } from "vitest";
import { usageProperties } from "./usage.properties.js";

describe("usage: bytes, accounts, shards, invariants, verify", () => {
  for (const p of usageProperties) test(`${p.title} [${p.id}]`, () => p.check());
});
