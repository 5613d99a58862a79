/**
 * Recipe keys: the config keys a sweep can vary, each with its valid range, the range a bare
 * `--vary KEY` opens, and how its values shrink (toward the low end of a range, the unvaried value
 * of a mode, seed 0). A scenario's recipe space is a list of keys in its shrink order
 * ({@link RecipeSpace}); fast-check shrinks the first key first.
 */
import fc from "fast-check";
import { InputError } from "../core/errors.js";
import type { VaryValue } from "./vary.js";

/** A config key a sweep can vary. */
export interface RecipeKey {
  /** What `--vary` names: the config key, or a short name of a nested one (`accounts`). */
  readonly name: string;
  /** The config key path it sets. */
  readonly path: readonly string[];
  readonly description: string;
  /** The valid values, as `--list-keys` and errors state them (`0..1000000000000`, `logit, probability`). */
  readonly valid: string;
  /** What a bare `--vary KEY` varies over. */
  readonly open: string;
  /** An arbitrary over the values `vary` asks for; `current` is the key's unvaried value. @throws InputError `bad_vary`. */
  arbitrary(vary: VaryValue, current: unknown): fc.Arbitrary<unknown>;
}

/** A scenario's recipe keys, in shrink order (the first shrinks first; seed comes last). */
export interface RecipeSpace {
  readonly scenario: string;
  readonly keys: readonly RecipeKey[];
}

function badValue(name: string, valid: string, why: string): InputError {
  return new InputError("bad_vary", `${name}: ${why}`, {
    location: { flag: "--vary" },
    hint: `${name} takes ${valid}`,
  });
}

/** Options of {@link intKey}. */
export interface IntKeyOptions {
  readonly name: string;
  readonly path?: readonly string[];
  readonly description: string;
  readonly min: number;
  readonly max: number;
  /** The range a bare `--vary` opens. */
  readonly open: readonly [number, number];
  /** Overrides the arbitrary of a bare `--vary` (seeds: small ones often). */
  readonly openArbitrary?: fc.Arbitrary<number>;
}

function checkInt(o: IntKeyOptions, valid: string, n: number, text: string): number {
  if (!Number.isSafeInteger(n)) throw badValue(o.name, valid, `${text} is not a whole number`);
  if (n < o.min || n > o.max) throw badValue(o.name, valid, `${text} is outside ${o.min}..${o.max}`);
  return n;
}

/**
 * A whole-number key: a range shrinks toward its low end (toward 0 when the range holds it), a list
 * toward its smallest value.
 */
export function intKey(o: IntKeyOptions): RecipeKey {
  const valid = `whole numbers ${o.min}..${o.max}`;
  return {
    name: o.name,
    path: o.path ?? [o.name],
    description: o.description,
    valid,
    open: `${o.open[0]}..${o.open[1]}`,
    arbitrary(vary) {
      if (vary.kind === "open") return o.openArbitrary ?? fc.integer({ min: o.open[0], max: o.open[1] });
      if (vary.kind === "range") {
        const lo = checkInt(o, valid, vary.lo, String(vary.lo));
        const hi = checkInt(o, valid, vary.hi, String(vary.hi));
        return fc.integer({ min: lo, max: hi });
      }
      const values = vary.values.map((v) => checkInt(o, valid, Number(v), JSON.stringify(v))).sort((a, b) => a - b);
      return fc.constantFrom(...values);
    },
  };
}

/** A seed key: 0..2^53-1; a bare `--vary seed` draws small seeds often, any safe integer else, and shrinks to 0. */
export function seedKey(description = "seed of every random stream"): RecipeKey {
  return intKey({
    name: "seed",
    description,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    open: [0, Number.MAX_SAFE_INTEGER],
    openArbitrary: fc.oneof(fc.nat(1000), fc.maxSafeNat()),
  });
}

/** Options of {@link numberKey}. */
export interface NumberKeyOptions {
  readonly name: string;
  readonly path?: readonly string[];
  readonly description: string;
  readonly min: number;
  readonly max: number;
  readonly open: readonly [number, number];
}

/** Steps of a range: a thousandth of its width, rounded down to a power of ten, so recipes stay readable. */
function step(lo: number, hi: number): number {
  return 10 ** Math.floor(Math.log10((hi - lo) / 1000));
}

/** A range of numbers in readable steps (a thousandth of the range), shrinking toward `lo`. */
function steppedNumbers(lo: number, hi: number): fc.Arbitrary<number> {
  if (hi === lo) return fc.constant(lo);
  const s = step(lo, hi);
  const n = Math.floor((hi - lo) / s + 1e-9);
  const decimals = Math.max(0, -Math.round(Math.log10(s)));
  return fc.integer({ min: 0, max: n }).map((i) => Number((lo + i * s).toFixed(decimals)));
}

/** A number key (a rate, a ratio); both ends of a range are reachable. */
export function numberKey(o: NumberKeyOptions): RecipeKey {
  const valid = `numbers ${o.min}..${o.max}`;
  const check = (n: number, text: string) => {
    if (!Number.isFinite(n)) throw badValue(o.name, valid, `${text} is not a number`);
    if (n < o.min || n > o.max) throw badValue(o.name, valid, `${text} is outside ${o.min}..${o.max}`);
    return n;
  };
  return {
    name: o.name,
    path: o.path ?? [o.name],
    description: o.description,
    valid,
    open: `${o.open[0]}..${o.open[1]}`,
    arbitrary(vary) {
      if (vary.kind === "open") return steppedNumbers(o.open[0], o.open[1]);
      if (vary.kind === "range") return steppedNumbers(check(vary.lo, String(vary.lo)), check(vary.hi, String(vary.hi)));
      return fc.constantFrom(...vary.values.map((v) => check(Number(v), JSON.stringify(v))).sort((a, b) => a - b));
    },
  };
}

/** Options of {@link choiceKey}. */
export interface ChoiceKeyOptions {
  readonly name: string;
  readonly path?: readonly string[];
  readonly description: string;
  readonly choices: readonly string[];
}

/** The values with `first` moved to the front when it is one of them: fast-check shrinks toward the first. */
function firstIf<T>(values: readonly T[], first: unknown): T[] {
  const i = values.indexOf(first as T);
  return i < 0 ? [...values] : [values[i] as T, ...values.filter((_, j) => j !== i)];
}

/** A mode key: shrinks to its unvaried value (the config's, else the scenario's default). */
export function choiceKey(o: ChoiceKeyOptions): RecipeKey {
  const valid = `one of ${o.choices.join(", ")}`;
  return {
    name: o.name,
    path: o.path ?? [o.name],
    description: o.description,
    valid,
    open: o.choices.join(", "),
    arbitrary(vary, current) {
      if (vary.kind === "range") throw badValue(o.name, valid, `a mode takes a list of values, not the range ${vary.lo}..${vary.hi}`);
      const values = vary.kind === "open" ? o.choices : vary.values;
      for (const v of values) if (!o.choices.includes(v)) throw badValue(o.name, valid, `${JSON.stringify(v)} is not one of them`);
      return fc.constantFrom(...firstIf(values, current));
    },
  };
}

/** A yes/no key: shrinks to its unvaried value. */
export function booleanKey(o: { readonly name: string; readonly path?: readonly string[]; readonly description: string }): RecipeKey {
  const valid = "true, false";
  return {
    name: o.name,
    path: o.path ?? [o.name],
    description: o.description,
    valid,
    open: valid,
    arbitrary(vary, current) {
      if (vary.kind === "range") throw badValue(o.name, valid, `a yes/no key takes true,false, not the range ${vary.lo}..${vary.hi}`);
      const values = (vary.kind === "open" ? ["true", "false"] : vary.values).map((v) => {
        if (v !== "true" && v !== "false") throw badValue(o.name, valid, `${JSON.stringify(v)} is not true or false`);
        return v === "true";
      });
      return fc.constantFrom(...firstIf(values, current === true));
    },
  };
}

/** The key of `space` that `--vary` names. @throws InputError `unknown_vary_key` listing the keys. */
export function findKey(space: RecipeSpace, name: string): RecipeKey {
  const key = space.keys.find((k) => k.name === name);
  if (!key)
    throw new InputError("unknown_vary_key", `${name}: ${space.scenario} has no recipe key ${JSON.stringify(name)}`, {
      location: { flag: "--vary" },
      hint: `vary one of: ${space.keys.map((k) => k.name).join(", ")} (\`synthproof sweep --list-keys ${space.scenario}\` says their ranges)`,
    });
  return key;
}
