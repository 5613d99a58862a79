/**
 * Samplers and link functions. Samplers take an {@link Rng}; none keeps state between calls, so a
 * stream's sequence depends only on the calls made on it.
 */
import type { Rng } from "./rng.js";

/**
 * Draws from Normal(mean, sd) by the Box–Muller transform. Uses two uniforms per draw and
 * discards the second normal on purpose: a cached spare would make a draw depend on the previous
 * call, and keyed streams must stay simple to reason about.
 *
 * @example normal(stream(1, "x"), 0, 1)
 */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  // 1 - u is in (0, 1], so the log is finite.
  const u1 = 1 - rng.double();
  const u2 = rng.double();
  return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Logistic function, computed so it neither overflows nor loses precision in either tail. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Inverse of {@link sigmoid}: log(p / (1 - p)). */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}
