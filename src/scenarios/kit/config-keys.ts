/**
 * Config keys several scenarios declare the same way (usage, recsys): the data seed and the
 * false-failure rate of the statistical checks. One definition, so their rules, messages and help
 * lines cannot drift apart.
 */
import { z } from "../../core/stdlib/zod.js";

/** `seed`: a whole number from 0, default 42. */
export function seedKey() {
  return z
    .number()
    .int("seed must be a whole number")
    .min(0, "seed cannot be negative")
    .max(Number.MAX_SAFE_INTEGER)
    .default(42)
    .describe("seed of every random stream (recorded in the manifest)");
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
