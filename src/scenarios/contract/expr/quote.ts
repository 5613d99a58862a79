/**
 * Quoting the user's text in error messages, bounded: a 400 KB expression (or a column name as
 * long) must not come back whole in its own error, nor be sent back whole to a model by `spec
 * draft`.
 */

/** Most characters of the user's text an error quotes; longer text is cut there, with its length. */
export const MAX_QUOTED = 80;

/** Most names a hint lists. */
export const MAX_LISTED = 20;

/**
 * `text` as a JSON string, or its first {@link MAX_QUOTED} characters, "..." and its length.
 *
 * @example quote("x".repeat(100)) // `"xxx…x"... (100 characters)` with 80 x's
 */
export function quote(text: string): string {
  if (text.length <= MAX_QUOTED) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED))}... (${text.length} characters)`;
}

/** `text` unquoted, cut like {@link quote}: for a description that may hold a long number or name. */
export function clip(text: string): string {
  return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED)}... (${text.length} characters)`;
}

/**
 * Names for a hint, comma-separated: the first {@link MAX_LISTED}, each cut like {@link clip}, and
 * how many there are in all when that is more.
 *
 * @example listNames(["x", "noise"]) // "x, noise"
 */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map(clip).join(", ");
  return names.length > MAX_LISTED ? `${shown}, ... (${names.length} in all)` : shown;
}
