/**
 * The Jaro-Winkler string similarity (Winkler 1990), the standard name comparator of record
 * linkage. Written here rather than taken from npm: none of the small packages (`jaro-winkler`,
 * `@skyra/jaro-winkler`) is in our dependencies, and the conventions that matter here (empty
 * strings, case, code points, the boost threshold) are easiest to pin in forty lines of our own,
 * checked against the literature values.
 */

/** Winkler's prefix scale `p`: how much each shared leading character adds. */
export const JW_PREFIX_SCALE = 0.1;
/** At most this many shared leading characters earn the prefix bonus. */
export const JW_MAX_PREFIX = 4;

/**
 * Jaro-Winkler similarity of two strings, in [0, 1].
 *
 * Standard definition: characters match when equal and at most
 * `floor(max(|a|, |b|) / 2) - 1` positions apart; with `m` matches and `t` half-transpositions,
 * `jaro = (m/|a| + m/|b| + (m - t/2)/m) / 3`, and `jw = jaro + l * 0.1 * (1 - jaro)` with `l`
 * the shared prefix length capped at 4. The bonus applies at every Jaro value (no 0.7 boost
 * threshold), which is what the literature values MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84 and
 * DIXON/DICKSONX 0.813 assume.
 *
 * Decisions: the comparison is exact, code point by code point: it does not lower-case or trim
 * (callers normalise; the pair features lower-case and trim names first), so it stays a pure metric.
 * Two empty strings are identical and score 1, so `jaroWinkler(s, s) === 1` for every `s`; one
 * empty string against a non-empty one scores 0 (no character can match).
 *
 * @example jaroWinkler("MARTHA", "MARHTA") // 0.9611...
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const s = codePoints(a);
  const t = codePoints(b);
  const j = jaroOf(s, t);
  if (j === 0) return 0;
  const limit = Math.min(JW_MAX_PREFIX, s.length, t.length);
  let prefix = 0;
  while (prefix < limit && s[prefix] === t[prefix]) prefix++;
  return j + prefix * JW_PREFIX_SCALE * (1 - j);
}

/**
 * Jaro similarity (without Winkler's prefix bonus), in [0, 1]; same conventions as
 * {@link jaroWinkler}.
 *
 * @example jaro("DWAYNE", "DUANE") // 0.8222...
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  return jaroOf(codePoints(a), codePoints(b));
}

// Strings without surrogates (nearly all names) are compared as UTF-16 code units, which are
// then their code points; only the rare astral string pays for a split.
function codePoints(s: string): string | string[] {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return Array.from(s);
  }
  return s;
}

// Match flags of the two sides, reused by every call (pairing compares millions of names: two
// new arrays a call were most of its garbage). Zeroed over the compared lengths each time.
let tUsed = new Uint8Array(64);
let sMatched = new Uint8Array(64);

/** The code unit (string) or code point (array) at `i`, as a number to compare. */
const unitAt = (s: string | string[], i: number): number =>
  typeof s === "string" ? s.charCodeAt(i) : ((s[i] as string).codePointAt(0) as number);

function jaroOf(s: string | string[], t: string | string[]): number {
  return typeof s === "string" && typeof t === "string" ? jaroOfUnits(s, t) : jaroOfPoints(s, t);
}

/** {@link jaroOf} of two strings without surrogates, code unit by code unit (the common case, kept monomorphic). */
function jaroOfUnits(s: string, t: string): number {
  const ls = s.length;
  const lt = t.length;
  if (ls === 0 || lt === 0) return 0;
  if (tUsed.length < lt) tUsed = new Uint8Array(2 * lt);
  if (sMatched.length < ls) sMatched = new Uint8Array(2 * ls);
  tUsed.fill(0, 0, lt);
  sMatched.fill(0, 0, ls);
  const window = Math.max(0, Math.floor(Math.max(ls, lt) / 2) - 1);
  let m = 0;
  for (let i = 0; i < ls; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lt - 1, i + window);
    const c = s.charCodeAt(i);
    for (let k = lo; k <= hi; k++) {
      if (tUsed[k] === 0 && c === t.charCodeAt(k)) {
        tUsed[k] = 1;
        sMatched[i] = 1;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  let half = 0;
  let k = 0;
  for (let i = 0; i < ls; i++) {
    if (sMatched[i] === 0) continue;
    while (tUsed[k] === 0) k++;
    if (s.charCodeAt(i) !== t.charCodeAt(k)) half++;
    k++;
  }
  return (m / ls + m / lt + (m - half / 2) / m) / 3;
}

/** {@link jaroOf} when a side holds an astral character: code points compared as numbers. */
function jaroOfPoints(s: string | string[], t: string | string[]): number {
  const ls = s.length;
  const lt = t.length;
  if (ls === 0 || lt === 0) return 0;
  if (tUsed.length < lt) tUsed = new Uint8Array(2 * lt);
  if (sMatched.length < ls) sMatched = new Uint8Array(2 * ls);
  tUsed.fill(0, 0, lt);
  sMatched.fill(0, 0, ls);
  const window = Math.max(0, Math.floor(Math.max(ls, lt) / 2) - 1);
  let m = 0;
  for (let i = 0; i < ls; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lt - 1, i + window);
    const c = unitAt(s, i);
    for (let k = lo; k <= hi; k++) {
      if (tUsed[k] === 0 && c === unitAt(t, k)) {
        tUsed[k] = 1;
        sMatched[i] = 1;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  // Walk both matched sequences in order; each position where they disagree is half a transposition.
  let half = 0;
  let k = 0;
  for (let i = 0; i < ls; i++) {
    if (sMatched[i] === 0) continue;
    while (tUsed[k] === 0) k++;
    if (unitAt(s, i) !== unitAt(t, k)) half++;
    k++;
  }
  return (m / ls + m / lt + (m - half / 2) / m) / 3;
}
