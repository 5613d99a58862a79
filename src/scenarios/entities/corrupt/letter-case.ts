/**
 * Letter-case helpers shared by the operators that rewrite case or swap in a word from a data
 * file (nickname, address_variant), so that a replacement looks like the text it replaces.
 */

/** Whether `ch` has an upper- and a lower-case form (so flipping its case changes it). */
export function isCased(ch: string): boolean {
  return ch.toUpperCase() !== ch.toLowerCase();
}

/**
 * Title case: lower case, then the first letter of every word upper case. A word starts at the
 * beginning or after any character that is not a letter, so `o'brien-smith` becomes
 * `O'Brien-Smith`.
 *
 * @example
 * titleCase("MARY ANN o'neil"); // "Mary Ann O'Neil"
 */
export function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * Writes `word` in the case style of `template`: all lower when the template is all lower, all
 * upper when the template is all upper and at least two characters long (a single capital such
 * as the `N` of `N Main St` is read as title case), title case otherwise, and `word` unchanged
 * when the template has no cased letter (such as `#`).
 *
 * @example
 * matchCase("ST", "street"); // "STREET"
 * matchCase("St", "STREET"); // "Street"
 */
export function matchCase(template: string, word: string): string {
  if (![...template].some(isCased)) return word;
  if (template === template.toLowerCase()) return word.toLowerCase();
  if (template.length >= 2 && template === template.toUpperCase()) return word.toUpperCase();
  return titleCase(word);
}
