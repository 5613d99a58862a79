/**
 * Top-level probabilities. Kept apart from config.ts so the row worker threads, which need the
 * tree but not the schema, do not load zod.
 */
import type { NaicsConfig } from "./config.js";

/** The default top-level probabilities for `k` roots: 0.05..0.95 for 10, else `(i + 0.5) / k`. */
export function defaultRootProbabilities(k: number): number[] {
  // For k = 10, (i + 0.5) / 10 is 0.05, 0.15, ... but computed as 0.05 + 0.1 i it is not exact in
  // binary; dividing is, to the nearest double, so both specs agree on the same numbers.
  return Array.from({ length: k }, (_, i) => (i + 0.5) / k);
}

/** The root probabilities a config resolves to. */
export function rootProbabilities(cfg: NaicsConfig): number[] {
  return cfg.root_probabilities ?? defaultRootProbabilities(cfg.branching[0] as number);
}
