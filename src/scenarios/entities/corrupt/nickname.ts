/**
 * The `nickname` operator: a given name swapped for one of its diminutives, or the other way round.
 */
import type { Rng } from "../../../core/rng.js";
import { NICKNAME_GROUPS } from "./data/nicknames.js";
import { pick } from "./draw.js";
import { matchCase } from "./letter-case.js";

// Lower-cased name -> every name it may become, both directions merged: "al" -> Albert, Alfred,
// Alan, ...; "albert" -> Al, Bert, Bertie. Sorted, so the data file's order does not matter.
const ALTERNATIVES: ReadonlyMap<string, readonly string[]> = (() => {
  const sets = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    const key = from.toLowerCase();
    const set = sets.get(key) ?? new Set<string>();
    set.add(to);
    sets.set(key, set);
  };
  for (const [formal, diminutives] of NICKNAME_GROUPS) {
    for (const short of diminutives) {
      add(formal, short);
      add(short, formal);
    }
  }
  return new Map([...sets].map(([key, set]) => [key, [...set].sort()]));
})();

/**
 * The names `name` may become under `nickname` (any case; surrounding spaces ignored), in
 * alphabetical order; empty when the name is not in the data file.
 *
 * @example
 * nicknameAlternatives("bob"); // ["Robert"]
 */
export function nicknameAlternatives(name: string): readonly string[] {
  return ALTERNATIVES.get(name.trim().toLowerCase()) ?? [];
}

/**
 * Replaces a first name by a nickname or formal form from `data/nicknames.ts` (Robert -> Bob,
 * Bob -> Robert), chosen uniformly with one draw among {@link nicknameAlternatives}. The new
 * name takes the old one's case style (`BOB` -> `ROBERT`) and its surrounding spaces.
 *
 * @returns the new name, or null when the name is not in the data file (including multi-word
 * names such as "Mary Ann", and "").
 * @example
 * nickname("William", stream(1, "x")); // one of "Bill", "Billy", "Liam", "Will", "Willy"
 */
export function nickname(value: string, rng: Rng): string | null {
  const alternatives = nicknameAlternatives(value);
  if (alternatives.length === 0) return null;
  const core = value.trim();
  const start = value.indexOf(core);
  return value.slice(0, start) + matchCase(core, pick(rng, alternatives)) + value.slice(start + core.length);
}
