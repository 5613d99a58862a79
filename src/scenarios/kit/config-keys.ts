/**
 * Config keys several scenarios declare the same way (usage, recsys): the data seed and the
 * false-failure rate of the statistical checks. One definition, so their rules, messages and help
 * lines cannot drift apart.
 */
import { z } from "../../core/stdlib/zod.js";

/** What a seed must be: zod's int() refuses a non-integer and an integer beyond 2^53 - 1 alike. */
export const SEED_RANGE = `seed must be a whole number from 0 to 2^53 - 1 (${Number.MAX_SAFE_INTEGER})`;

/** `seed`: a whole number from 0 to 2^53 - 1, default 42. */
export function seedKey() {
  return (
    z
      .number()
      // int() alone bounds it to the safe integers (and gives the JSON schema its maximum): one
      // message for 2.5 and for 2^53, which is a whole number but not a safe one.
      .int(SEED_RANGE)
      .min(0, "seed cannot be negative")
      .default(42)
      .describe("seed of every random stream (recorded in the manifest)")
  );
}

/** `alpha`: in (0, 0.5], default 0.001. */
export function alphaKey() {
  return z
    .number()
    .gt(0, "alpha must be greater than 0")
    .max(0.5, "alpha must be at most 0.5")
    .default(0.001)
    .describe("false-failure rate of each statistical check (Bonferroni-split within a check)");
}
