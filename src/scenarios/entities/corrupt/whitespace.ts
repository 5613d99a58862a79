/**
 * The `whitespace` operator: spaces added, doubled, removed or inserted.
 */
import type { Rng } from "../../../core/rng.js";
import { below, pick } from "./draw.js";

/**
 * Changes the spacing of `value` by one of the edits that apply, chosen uniformly: a leading
 * space, a trailing space, an existing space doubled, an existing space removed ("Mary Ann" ->
 * "MaryAnn"; never the only character), or a space inserted between two non-space characters ("McDonald" -> "Mc Donald").
 * Every edit changes the length, so the result always differs from `value`.
 *
 * Draws: one for the edit, one for where (edits with a position only).
 *
 * @returns the respaced text, or null for "".
 * @example
 * whitespace("Mary Ann", stream(1, "x")); // e.g. " Mary Ann", "Mary  Ann" or "MaryAnn"
 */
export function whitespace(value: string, rng: Rng): string | null {
  if (value === "") return null;
  const chars = Array.from(value);
  const spaces = chars.flatMap((ch, i) => (ch === " " ? [i] : []));
  const joints = chars.flatMap((ch, i) => (i > 0 && ch !== " " && chars[i - 1] !== " " ? [i] : []));
  const edits: (() => string)[] = [() => ` ${value}`, () => `${value} `];
  if (spaces.length > 0) edits.push(() => splice(chars, pick(rng, spaces), 0, " "));
  // Removing the only character would blank the value, which is `blank`'s job.
  if (spaces.length > 0 && chars.length > 1) edits.push(() => splice(chars, pick(rng, spaces), 1, ""));
  if (joints.length > 0) edits.push(() => splice(chars, pick(rng, joints), 0, " "));
  return (edits[below(rng, edits.length)] as () => string)();
}

/** `chars` with `remove` characters at `at` replaced by `insert`, joined. */
function splice(chars: readonly string[], at: number, remove: number, insert: string): string {
  return [...chars.slice(0, at), insert, ...chars.slice(at + remove)].join("");
}
