/**
 * `--vary KEY[=LO..HI|=a,b,c]`: which recipe keys a sweep opens to variation, and over what. A bare
 * key varies over the scenario's sensible range for it; `LO..HI` over a range (checked against the
 * key's valid range); `a,b,c` over exactly those values.
 */
import { InputError } from "../core/errors.js";

/** What a `--vary` says about its key's values. */
export type VaryValue =
  | { readonly kind: "open" }
  | { readonly kind: "range"; readonly lo: number; readonly hi: number }
  | { readonly kind: "list"; readonly values: readonly string[] };

/** One parsed `--vary`: the key, what it varies over, and the text it came from (for messages). */
export interface VarySpec {
  readonly key: string;
  readonly value: VaryValue;
  readonly text: string;
}

const KEY = /^[a-z][a-z0-9_.-]*$/i;
const RANGE = /^(-?[0-9][0-9_.eE+-]*)\.\.(-?[0-9][0-9_.eE+-]*)$/;

/**
 * Parses one `--vary` value.
 *
 * @throws InputError `bad_vary` naming the text and the accepted forms.
 * @example parseVary("rows=1..100000") // { key: "rows", value: { kind: "range", lo: 1, hi: 100000 }, ... }
 */
export function parseVary(text: string): VarySpec {
  const eq = text.indexOf("=");
  const key = (eq < 0 ? text : text.slice(0, eq)).trim();
  const bad = (why: string) =>
    new InputError("bad_vary", `${JSON.stringify(text)}: ${why}`, {
      location: { flag: "--vary" },
      hint: "write KEY, KEY=LO..HI or KEY=a,b,c (e.g. --vary rows=1..100000 --vary preserve); `synthproof sweep --list-keys SCENARIO` lists the keys",
    });
  if (!KEY.test(key)) throw bad(key === "" ? "the key is missing" : `${JSON.stringify(key)} is not a key name`);
  if (eq < 0) return { key, value: { kind: "open" }, text };
  const rest = text.slice(eq + 1).trim();
  if (rest === "") throw bad("nothing after `=`");
  const range = RANGE.exec(rest);
  if (range) {
    const lo = Number((range[1] as string).replaceAll("_", ""));
    const hi = Number((range[2] as string).replaceAll("_", ""));
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw bad(`${rest} is not a range of two numbers`);
    if (lo > hi) throw bad(`the range ${rest} is empty (${lo} > ${hi})`);
    return { key, value: { kind: "range", lo, hi }, text };
  }
  const values = rest.split(",").map((v) => v.trim());
  if (values.some((v) => v === "")) throw bad(`the list ${rest} has an empty value`);
  return { key, value: { kind: "list", values: [...new Set(values)] }, text };
}

/**
 * Parses every `--vary` and refuses a key given twice.
 *
 * @throws InputError `bad_vary`.
 */
export function parseVaries(texts: readonly string[]): VarySpec[] {
  const specs = texts.map(parseVary);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.key))
      throw new InputError("bad_vary", `${s.key} is given twice`, {
        location: { flag: "--vary" },
        hint: `give one --vary ${s.key}=... (a range or a list of values)`,
      });
    seen.add(s.key);
  }
  return specs;
}
