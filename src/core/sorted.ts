/** Searches over sorted typed arrays. */

/**
 * The first index of ascending `sorted` whose value is `>= x` (`sorted.length` when there is
 * none): a lower-bound binary search. NaN in `sorted` breaks the order; a NaN `x` gives 0.
 *
 * @example firstAtLeast(Int32Array.of(1, 3, 3, 7), 3) // 1
 */
export function firstAtLeast(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
