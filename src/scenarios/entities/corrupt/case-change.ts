/**
 * The `case` operator: the same text in other letter case.
 */
import type { Rng } from "../../../core/rng.js";
import { below } from "./draw.js";
import { isCased, titleCase } from "./letter-case.js";

/**
 * Changes the letter case of `value`: all upper, all lower, title case, or one or two single
 * letters flipped, each style with probability 1/4. When the chosen whole-string style leaves the
 * value as it was (upper-casing `ACME`), letters are flipped instead, which always changes it.
 *
 * Draws: one for the style; for flips, one for how many (two with probability 0.3 when there
 * are two cased letters) and one per flipped letter.
 *
 * @returns the changed text, or null when `value` has no cased letter (digits, `#`, "").
 * @example
 * caseChange("Acme Corp", stream(1, "x")); // e.g. "ACME CORP", "acme corp" or "AcMe Corp"
 */
export function caseChange(value: string, rng: Rng): string | null {
  let anyCased = false;
  for (const ch of value)
    if (isCased(ch)) {
      anyCased = true;
      break;
    }
  if (!anyCased) return null;
  const style = below(rng, 4);
  const whole = style === 0 ? value.toUpperCase() : style === 1 ? value.toLowerCase() : style === 2 ? titleCase(value) : value;
  if (whole !== value) return whole;
  // Letters are listed only for flips (most calls end above).
  const chars = Array.from(value);
  const cased: number[] = [];
  chars.forEach((ch, i) => {
    if (isCased(ch)) cased.push(i);
  });
  const count = cased.length >= 2 && rng.next() < 0.3 ? 2 : 1;
  for (let k = 0; k < count; k++) {
    // Pick among the cased positions not flipped yet, so two flips never cancel out.
    const at = cased.splice(below(rng, cased.length), 1)[0] as number;
    const ch = chars[at] as string;
    chars[at] = ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
  }
  return chars.join("");
}
