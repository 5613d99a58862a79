/**
 * The `typo` operator: one or two Damerau edits (substitution, insertion, deletion, adjacent
 * transposition), with keyboard-neighbour keys favoured.
 */
import type { Rng } from "../../../core/rng.js";
import { QWERTY_NEIGHBOURS } from "./data/qwerty-neighbours.js";
import { below, pick } from "./draw.js";
import { emailParts } from "./email-parts.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * Probability of a second edit. Damerau (1964) found over 80% of misspellings are a single
 * insertion, deletion, substitution or transposition; the rest is taken as two edits.
 */
export const SECOND_EDIT_PROBABILITY = 0.2;

/** Probability that a substituted or inserted key is a keyboard neighbour rather than any letter. */
export const NEIGHBOUR_PROBABILITY = 0.75;

/** The kinds of single edit, and the cumulative probability of each (substitution most common). */
const EDIT_KINDS = [
  { kind: "substitution", upTo: 0.4 },
  { kind: "insertion", upTo: 0.6 },
  { kind: "deletion", upTo: 0.8 },
  { kind: "transposition", upTo: 1 },
] as const;

/** A key struck instead of, or next to, `near`: a neighbour key in `near`'s case, or any letter. */
function slip(rng: Rng, near: string): string {
  const neighbours = QWERTY_NEIGHBOURS[near.toLowerCase()];
  if (neighbours !== undefined && rng.next() < NEIGHBOUR_PROBABILITY) {
    const key = pick(rng, Array.from(neighbours));
    return near === near.toLowerCase() ? key : key.toUpperCase();
  }
  // Any letter but `near` itself, so a substitution always changes the text.
  const letters = Array.from(LETTERS).filter((letter) => letter !== near.toLowerCase());
  const key = pick(rng, letters);
  return near === near.toLowerCase() ? key : key.toUpperCase();
}

/**
 * One Damerau edit of `chars` (at least one character), always giving a different text: a
 * substitution by a different key, an insertion, a deletion (only when two or more characters,
 * so the text never becomes empty), or a transposition of two adjacent different characters.
 * An edit that cannot apply becomes a substitution.
 *
 * Draws: one for the kind, one for the position, then those of {@link slip} for a new key.
 */
export function singleEdit(chars: readonly string[], rng: Rng): string[] {
  const u = rng.next();
  // u < 1 = the last upTo, so find always succeeds.
  const kind = (EDIT_KINDS.find((k) => u < k.upTo) as (typeof EDIT_KINDS)[number]).kind;
  const out = [...chars];
  const swaps = chars.flatMap((ch, i) => (i + 1 < chars.length && ch !== chars[i + 1] ? [i] : []));
  if (kind === "insertion") {
    const at = below(rng, chars.length + 1);
    // A slip of the key before the gap, or after it at the very start.
    out.splice(at, 0, slip(rng, chars[Math.max(at - 1, 0)] as string));
  } else if (kind === "deletion" && chars.length >= 2) {
    out.splice(below(rng, chars.length), 1);
  } else if (kind === "transposition" && swaps.length > 0) {
    const at = pick(rng, swaps);
    out.splice(at, 2, chars[at + 1] as string, chars[at] as string);
  } else {
    const at = below(rng, chars.length);
    out[at] = slip(rng, chars[at] as string);
  }
  return out;
}

/**
 * One or two Damerau edits of `text` (at least one character), favouring keyboard neighbours.
 * The second edit happens with probability {@link SECOND_EDIT_PROBABILITY}; if it undoes the
 * first, a third edit is made, so the result always differs from `text` and is within
 * (unrestricted) Damerau-Levenshtein distance 2 of it.
 */
export function typoText(text: string, rng: Rng): string {
  const chars = Array.from(text);
  let out = singleEdit(chars, rng);
  if (rng.next() < SECOND_EDIT_PROBABILITY) {
    out = singleEdit(out, rng);
    if (out.join("") === text) out = singleEdit(out, rng);
  }
  return out.join("");
}

/**
 * The `typo` operator. For a name, edits the whole value; for an email (`isEmail`), edits only
 * the local part and keeps the `@` and domain, so the address stays plausibly shaped (a typo in
 * a domain usually bounces, and the new keys are letters and digits only, never `@`).
 *
 * Draws: those of {@link typoText}.
 *
 * @returns the mistyped value, or null for "" (and for an email not shaped like an address).
 * @example
 * typo("Robert", stream(1, "x"), false); // e.g. "Robrt", "Rboert" or "Rkbert"
 */
export function typo(value: string, rng: Rng, isEmail: boolean): string | null {
  if (!isEmail) return value === "" ? null : typoText(value, rng);
  const parts = emailParts(value);
  return parts === null ? null : `${typoText(parts.local, rng)}@${parts.domain}`;
}
