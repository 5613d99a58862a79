import { describe, test } from "vitest";
import { usageProperties } from "./usage.properties.js";

/**
 * Runs per property when PBT_NUM_RUNS is unset (npm test): each run writes a folder and the suite
 * has five properties, so 15 keeps it near 10 s on two cores; the sweep's PBT_NUM_RUNS applies whole
 * (150 runs each took 132 s, all passing).
 */
const UNIT_RUNS = 15;

describe("usage: bytes, accounts, shards, invariants, verify", () => {
  for (const p of usageProperties) test(`${p.title} [${p.id}]`, () => p.check(process.env.PBT_NUM_RUNS ? {} : { numRuns: UNIT_RUNS }));
});
