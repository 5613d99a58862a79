/**
 * The `address_variant` operator: a street suffix, unit designator or directional written in its
 * other USPS form (Street <-> St, Apartment <-> Apt <-> #, North <-> N).
 */
import type { Rng } from "../../../core/rng.js";
import { DIRECTIONALS, STREET_SUFFIXES, UNIT_DESIGNATORS } from "./data/address-abbreviations.js";
import { pick } from "./draw.js";
import { isCased, matchCase } from "./letter-case.js";

type WordKind = "suffix" | "unit" | "directional";

// Upper-case form -> its kind and the group of interchangeable forms.
const FORMS: ReadonlyMap<string, { readonly kind: WordKind; readonly group: readonly string[] }> = new Map(
  (
    [
      ["suffix", STREET_SUFFIXES],
      ["unit", UNIT_DESIGNATORS],
      ["directional", DIRECTIONALS],
    ] as const
  ).flatMap(([kind, groups]) => groups.flatMap((group) => group.map((form) => [form, { kind, group }] as const))),
);

/** A word of an address line: the text less a trailing period and comma, and the comma. */
interface Word {
  readonly index: number;
  readonly core: string;
  readonly comma: string;
}

/**
 * Every text one `address_variant` edit away from `value`, in word order. Words are the
 * space-separated pieces; a word is looked up without its trailing period or comma, in any case.
 * The first word is never changed (it is the house number, or the street name when there is
 * none). Following USPS Publication 28's reading of an address line from the right:
 * - a street suffix varies only where it ends the street: last word, before a comma, or before
 *   a directional, a unit designator or a `#...` word (`1 Court St`: only `St`);
 * - a directional varies unless a street suffix follows it (`12 North Ave`: North is the name);
 * - a unit designator always varies.
 * The new form takes the old one's case style (`AVE` -> `AVENUE`, `St.` -> `Street`); for `#`
 * and for upper-case words of one or two letters (`N`, `NW`, `ST`), which look the same in any
 * style, it takes the whole line's style. An abbreviation's period is dropped, a comma kept.
 *
 * @example
 * addressVariants("12 N Main St Apt 4"); // ["12 North Main St Apt 4", "12 N Main Street Apt 4", "12 N Main St Apartment 4", "12 N Main St # 4"]
 */
export function addressVariants(value: string): string[] {
  const { pieces, edits } = addressEdits(value);
  return edits.map((edit) => applyEdit(pieces, edit));
}

/** One variant of an address line: piece `index` (a word) written as `text`. */
interface Edit {
  readonly index: number;
  readonly text: string;
}

const applyEdit = (pieces: readonly string[], { index, text }: Edit): string => {
  const copy = [...pieces];
  copy[index] = text;
  return copy.join("");
};

/** The variants of {@link addressVariants}, in its order, as edits of the line's pieces: only the one picked is written out. */
function addressEdits(value: string): { pieces: string[]; edits: Edit[] } {
  const pieces = value.split(/(\s+)/);
  const words: Word[] = [];
  pieces.forEach((piece, index) => {
    if (index % 2 === 1 || piece === "") return;
    const match = /^(.*?)\.?(,?)$/.exec(piece) as RegExpExecArray;
    words.push({ index, core: match[1] as string, comma: match[2] as string });
  });
  const kindOf = (word: Word | undefined) => (word === undefined ? undefined : FORMS.get(word.core.toUpperCase())?.kind);
  const edits: Edit[] = [];
  words.forEach((word, w) => {
    const form = FORMS.get(word.core.toUpperCase());
    if (w === 0 || form === undefined) return;
    const next = words[w + 1];
    const nextKind = kindOf(next);
    const endsStreet =
      next === undefined || word.comma !== "" || nextKind === "directional" || nextKind === "unit" || next.core.startsWith("#");
    if (form.kind === "suffix" && !endsStreet) return;
    if (form.kind === "directional" && nextKind === "suffix") return;
    for (const other of form.group) {
      if (other === word.core.toUpperCase()) continue;
      // `#` has no case to copy, and `NW` or `N` is upper case in any style of line: take the
      // whole line's style instead (`12 E St NW` -> `Northwest`, `12 E ST NW` -> `NORTHWEST`).
      const short = word.core.length <= 2 && word.core === word.core.toUpperCase();
      const template = short || ![...word.core].some(isCased) ? value : word.core;
      edits.push({ index: word.index, text: matchCase(template, other) + word.comma });
    }
  });
  return { pieces, edits };
}

/**
 * Writes one street suffix, unit designator or directional of an address line in another of its
 * USPS forms, chosen uniformly (one draw) among {@link addressVariants}.
 *
 * @returns the new address, or null when no word can vary ("", "PO Box 12", "1 Main").
 * @example
 * addressVariant("12 Main Street", stream(1, "x")); // "12 Main St"
 */
export function addressVariant(value: string, rng: Rng): string | null {
  const { pieces, edits } = addressEdits(value);
  return edits.length === 0 ? null : applyEdit(pieces, pick(rng, edits));
}
