/**
 * Damerau-Levenshtein distance, the measure the `typo` operator promises to stay within.
 */

/**
 * The (unrestricted) Damerau-Levenshtein distance between `a` and `b`, over code points: the
 * fewest insertions, deletions, substitutions and transpositions of adjacent characters that
 * turn one into the other, where a transposed pair may be edited further. This is the true
 * metric (Lowrance and Wagner, 1975), not the "optimal string alignment" variant, which breaks
 * the triangle inequality (OSA gives `ca` -> `abc` 3; this gives 2). Two edits in a row are thus
 * always within distance 2. O(|a| |b|) time and memory.
 *
 * @example
 * damerauDistance("Robert", "Rboert"); // 1
 */
export function damerauDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const width = t.length + 2;
  const d = new Int32Array((s.length + 2) * width);
  const at = (i: number, j: number) => i * width + j;
  const infinity = s.length + t.length;
  d[0] = infinity;
  for (let i = 0; i <= s.length; i++) {
    d[at(i + 1, 0)] = infinity;
    d[at(i + 1, 1)] = i;
  }
  for (let j = 0; j <= t.length; j++) {
    d[at(0, j + 1)] = infinity;
    d[at(1, j + 1)] = j;
  }
  // Last row of s where each character was seen.
  const lastRow = new Map<string, number>();
  for (let i = 1; i <= s.length; i++) {
    let lastMatchColumn = 0;
    for (let j = 1; j <= t.length; j++) {
      const k = lastRow.get(t[j - 1] as string) ?? 0;
      const l = lastMatchColumn;
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      if (cost === 0) lastMatchColumn = j;
      d[at(i + 1, j + 1)] = Math.min(
        d[at(i, j)]! + cost,
        d[at(i + 1, j)]! + 1,
        d[at(i, j + 1)]! + 1,
        d[at(k, l)]! + (i - k - 1) + 1 + (j - l - 1),
      );
    }
    lastRow.set(s[i - 1] as string, i);
  }
  return d[at(s.length + 1, t.length + 1)]!;
}
