/**
 * The few draws the corruption operators need, each a fixed number of `rng.next()` calls so that
 * an operator's use of its stream is easy to follow (and to replay).
 */
import type { Rng } from "../../../core/rng.js";

/**
 * A uniform integer in `[0, n)` from one draw.
 *
 * @example
 * below(stream(1, "x"), 6); // 0..5
 */
export function below(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/**
 * A uniform element of a non-empty array, from one draw. The caller guarantees `items` is not
 * empty (every call site checks first), so the result is never undefined.
 *
 * @example
 * pick(stream(1, "x"), ["a", "b"]); // "a" or "b"
 */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[below(rng, items.length)] as T;
}
