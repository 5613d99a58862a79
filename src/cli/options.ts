/**
 * Parsing option values: the one number parser every numeric flag goes through, and the parser of
 * scenario flags derived from config schemas. A bad value is an InputError naming the flag, the
 * value and what is valid.
 */
import { InputError } from "../core/errors.js";
import type { ScenarioFlag } from "../scenarios/scenario.js";

/** A number as people write it in decimal: `5`, `-1.5`, `.5`, `1e6`. Not `0x10`, `0b1`, `Infinity` or ` 5 `. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export interface NumberRule {
  /** The flag, with its dashes: `--threads`. */
  readonly flag: string;
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** What the flag does, or a good value: shown when the value is bad. */
  readonly hint: string;
}

/**
 * Parses a numeric flag.
 *
 * @throws InputError `bad_flag` naming the flag, the value and its range.
 * @example numberOption("4", { flag: "--threads", integer: true, min: 0, max: 64, hint: "..." }) // 4
 */
export function numberOption(raw: string, rule: NumberRule): number {
  const n = Number(raw);
  const ok =
    DECIMAL.test(raw) &&
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.max === undefined || n <= rule.max);
  if (ok) return n;
  const kind = rule.integer ? "a whole number" : "a number";
  const range =
    rule.min !== undefined && rule.max !== undefined
      ? ` from ${rule.min} to ${rule.max}`
      : rule.min !== undefined
        ? ` of at least ${rule.min}`
        : rule.max !== undefined
          ? ` of at most ${rule.max}`
          : "";
  throw new InputError("bad_flag", `${rule.flag} ${JSON.stringify(raw)} is not ${kind}${range}`, {
    location: { flag: rule.flag },
    hint: rule.hint,
  });
}

/**
 * Parses the text of a scenario flag into the value its config key takes. Ranges and choices are
 * left to the config schema, which reports them at the flag.
 */
export function scenarioFlagValue(flag: ScenarioFlag, raw: string): unknown {
  const name = `--${flag.flag}`;
  const num = (s: string, list: boolean) => {
    const t = s.trim();
    if (!DECIMAL.test(t) || !Number.isFinite(Number(t)))
      throw new InputError("bad_flag", `${name} ${JSON.stringify(raw)} is not ${list ? "a comma-separated list of numbers" : "a number"}`, {
        location: { flag: name },
        hint: flag.description,
      });
    return Number(t);
  };
  switch (flag.parse) {
    case "int":
    case "number":
      return num(raw, false);
    case "int-list":
    case "number-list":
      return raw.split(",").map((s) => num(s, true));
    default:
      return raw;
  }
}

/** `root-probabilities` -> `rootProbabilities`: the key commander stores an option's value under. */
export function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
