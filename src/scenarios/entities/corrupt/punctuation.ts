/**
 * The `punctuation` operator: periods, commas, hyphens and apostrophes added or removed.
 */
import type { Rng } from "../../../core/rng.js";
import { pick } from "./draw.js";

const MARKS = new Set([".", ",", "-", "'"]);
/** Longest word that may take a period inside the text: abbreviation-sized (St, Inc, J). */
const SHORT_WORD = 3;
const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);
const isUpper = (ch: string | undefined): boolean => ch !== undefined && ch !== ch.toLowerCase();
const isLower = (ch: string | undefined): boolean => ch !== undefined && ch !== ch.toUpperCase();

/**
 * Every text one punctuation edit away from `value`, in a fixed order:
 * - each `.`, `,`, `-` or `'` removed (`O'Brien` -> `OBrien`, `St.` -> `St`), and each hyphen
 *   between two letters turned into a space (`Smith-Jones` -> `Smith Jones`);
 * - a period after the last word if it ends in a letter (`Acme Inc` -> `Acme Inc.`), and after
 *   every other word of at most three letters (`St Louis` -> `St. Louis`, `J Smith` -> `J. Smith`);
 * - a comma before the last word (`Acme Inc` -> `Acme, Inc`);
 * - each space between two letters turned into a hyphen (`Mary Ann` -> `Mary-Ann`);
 * - an apostrophe after a word-initial O or D followed by a capital and a small letter
 *   (`OBrien` -> `O'Brien`, `DAngelo` -> `D'Angelo`; not `DON`, whose split cannot be told).
 * Each differs from `value` (a mark added, removed or replaced).
 *
 * @example
 * punctuationEdits("St"); // ["St."]
 */
export function punctuationEdits(value: string): string[] {
  const chars = Array.from(value);
  return punctuationPlaces(chars).map((edit) => applyEdit(chars, edit));
}

/** One edit of a text's characters: `remove` of them at `at` replaced by `insert`. */
interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

const applyEdit = (chars: readonly string[], { at, remove, insert }: Edit): string =>
  [...chars.slice(0, at), insert, ...chars.slice(at + remove)].join("");

/** The edits of {@link punctuationEdits}, in its order, as places: only the one picked is written out. */
function punctuationPlaces(chars: readonly string[]): Edit[] {
  const edits: Edit[] = [];
  const at = (i: number, remove: number, insert: string) => edits.push({ at: i, remove, insert });
  chars.forEach((ch, i) => {
    if (MARKS.has(ch)) at(i, 1, "");
    if (ch === "-" && isLetter(chars[i - 1]) && isLetter(chars[i + 1])) at(i, 1, " ");
  });
  let run = 0; // letters in the word ending at i
  chars.forEach((ch, i) => {
    run = isLetter(ch) ? run + 1 : 0;
    const next = chars[i + 1];
    if (run > 0 && (next === undefined || (next === " " && run <= SHORT_WORD))) at(i + 1, 0, ".");
  });
  const lastSpace = chars.lastIndexOf(" ");
  if (isLetter(chars[lastSpace - 1]) && isLetter(chars[lastSpace + 1])) at(lastSpace, 0, ",");
  chars.forEach((ch, i) => {
    if (ch === " " && isLetter(chars[i - 1]) && isLetter(chars[i + 1])) at(i, 1, "-");
    const wordStart = i === 0 || !isLetter(chars[i - 1]);
    if ((ch === "O" || ch === "D") && wordStart && isUpper(chars[i + 1]) && isLower(chars[i + 2])) at(i + 1, 0, "'");
  });
  return edits;
}

/**
 * Adds or removes one punctuation mark, chosen uniformly (one draw) among
 * {@link punctuationEdits}.
 *
 * @returns the edited text, or null when no edit applies ("", or text with no letters and no
 * marks, such as "123").
 * @example
 * punctuation("O'Brien", stream(1, "x")); // e.g. "OBrien" or "O'Brien."
 */
export function punctuation(value: string, rng: Rng): string | null {
  const chars = Array.from(value);
  const edits = punctuationPlaces(chars);
  return edits.length === 0 ? null : applyEdit(chars, pick(rng, edits));
}
