import { describe, test } from "vitest";
import { recsysProperties } from "./recsys.properties.js";

/**
 * Runs per property when PBT_NUM_RUNS is unset (npm test): each run writes two to five small
 * folders, so 10 keeps the suite near 10 s on two cores; the sweep's PBT_NUM_RUNS applies whole.
 */
const UNIT_RUNS = 10;

describe("recsys: bytes, entities, shards, invariants, verify", () => {
  for (const p of recsysProperties) test(`${p.title} [${p.id}]`, () => p.check(process.env.PBT_NUM_RUNS ? {} : { numRuns: UNIT_RUNS }));
});
