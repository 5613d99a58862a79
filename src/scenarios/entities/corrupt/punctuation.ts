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
  const at = (i: number, remove: number, insert: string) => [...chars.slice(0, i), insert, ...chars.slice(i + remove)].join("");
  const edits: string[] = [];
  chars.forEach((ch, i) => {
    if (MARKS.has(ch)) edits.push(at(i, 1, ""));
    if (ch === "-" && isLetter(chars[i - 1]) && isLetter(chars[i + 1])) edits.push(at(i, 1, " "));
  });
  let run = 0; // letters in the word ending at i
  chars.forEach((ch, i) => {
    run = isLetter(ch) ? run + 1 : 0;
    const next = chars[i + 1];
    if (run > 0 && (next === undefined || (next === " " && run <= SHORT_WORD))) edits.push(at(i + 1, 0, "."));
  });
  const lastSpace = chars.lastIndexOf(" ");
  if (isLetter(chars[lastSpace - 1]) && isLetter(chars[lastSpace + 1])) edits.push(at(lastSpace, 0, ","));
  chars.forEach((ch, i) => {
    if (ch === " " && isLetter(chars[i - 1]) && isLetter(chars[i + 1])) edits.push(at(i, 1, "-"));
    const wordStart = i === 0 || !isLetter(chars[i - 1]);
    if ((ch === "O" || ch === "D") && wordStart && isUpper(chars[i + 1]) && isLower(chars[i + 2])) edits.push(at(i + 1, 0, "'"));
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
  const edits = punctuationEdits(value);
  return edits.length === 0 ? null : pick(rng, edits);
}
