/**
 * The `email_alias` operator: plus-addressing (`ann+news@example.com`) added or removed.
 */
import type { Rng } from "../../../core/rng.js";
import { EMAIL_ALIAS_TAGS } from "./data/email-tags.js";
import { below } from "./draw.js";
import { emailParts } from "./email-parts.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * Adds a `+tag` to the local part of an email address, or removes the one it has (`ann+news` ->
 * `ann`, since a source may keep the alias another dropped). The tag is one of
 * `data/email-tags.ts` or, with probability 1/(tags + 1), 3 to 6 random lower-case letters.
 *
 * Draws: none to remove a tag; to add one, one for the tag, and for random letters one for
 * the length and one per letter.
 *
 * @returns the new address, or null when `value` is not shaped like an address (see
 * `emailParts`) or its tag cannot be removed (`+news@example.com`).
 * @example
 * emailAlias("ann@example.com", stream(1, "x")); // e.g. "ann+shop@example.com"
 */
export function emailAlias(value: string, rng: Rng): string | null {
  const parts = emailParts(value);
  if (parts === null) return null;
  const plus = parts.local.indexOf("+");
  if (plus === 0) return null;
  if (plus > 0) return `${parts.local.slice(0, plus)}@${parts.domain}`;
  const choice = below(rng, EMAIL_ALIAS_TAGS.length + 1);
  const tag = EMAIL_ALIAS_TAGS[choice] ?? randomLetters(rng, 3 + below(rng, 4));
  return `${parts.local}+${tag}@${parts.domain}`;
}

function randomLetters(rng: Rng, length: number): string {
  return Array.from({ length }, () => LETTERS[below(rng, LETTERS.length)]).join("");
}
