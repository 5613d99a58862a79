/**
 * Top-level probabilities. Kept apart from config.ts so the row worker threads, which need the
 * tree but not the schema, do not load zod; and it imports nothing from config.ts (config.ts
 * re-exports it), so the two never form an import cycle.
 */

/** The part of a NAICS config the top level depends on. */
export interface RootsConfig {
  readonly branching: readonly number[];
  readonly root_probabilities?: readonly number[] | undefined;
}

/**
 * Smallest root probability accepted: the smallest normal double, 2^-1022. Below it a double is
 * subnormal and keeps fewer than 53 significant bits (1e-320 keeps 11), so a configured value and
 * its logit no longer agree to the truth file's tolerance. Noise may still carry a code's
 * probability below it, or to exactly 0 or 1: there the logit is the truth and the probability
 * is what a double makes of its sigmoid.
 */
export const MIN_ROOT_PROBABILITY = 2 ** -1022;

/** The default top-level probabilities for `k` roots: 0.05..0.95 for 10, else `(i + 0.5) / k`. */
export function defaultRootProbabilities(k: number): number[] {
  // For k = 10, (i + 0.5) / 10 is 0.05, 0.15, ... but computed as 0.05 + 0.1 i it is not exact in
  // binary; dividing is, to the nearest double, so both specs agree on the same numbers.
  return Array.from({ length: k }, (_, i) => (i + 0.5) / k);
}

/** The root probabilities a config resolves to. */
export function rootProbabilities(cfg: RootsConfig): readonly number[] {
  return cfg.root_probabilities ?? defaultRootProbabilities(cfg.branching[0] as number);
}

/** Significant bits a positive double below {@link MIN_ROOT_PROBABILITY} keeps (53 at and above it). */
export function significantBits(p: number): number {
  return p >= MIN_ROOT_PROBABILITY ? 53 : Math.floor(Math.log2(p / Number.MIN_VALUE)) + 1;
}
