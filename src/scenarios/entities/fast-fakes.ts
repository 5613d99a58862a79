/**
 * Faker's person, location and company generators for en_US and en_CA, compiled once per locale
 * into plain lists and token lists and drawn straight from our {@link Rng}.
 *
 * Why faker's API is bypassed: a profile of a default `generate entities` run (3.96 s CPU) spent
 * 0.5 s inclusive in @faker-js/faker, most of it in `helpers.fake` and its expression evaluator,
 * which re-parse a `{{module.key}}` pattern and resolve each token against two entry points on
 * every call, and their allocations fed 0.6 s of garbage collection. Here a pattern is parsed
 * once, at load, into literal text and draws: an identity costs 1.4 us of CPU instead of 14.8 us
 * (`newIdentity`, 60,000 calls, Node 20). Loading faker's two locale entries instead of its index
 * (every locale) also saves start-up: records.js loads in 60-90 ms instead of 195-290 ms.
 *
 * What stays faker's:
 * - the data: the definitions are read at load from `faker.rawDefinitions` of faker's own
 *   `locale/en_US` and `locale/en_CA` entries, which merge `[en_US, en, base]` and
 *   `[en_CA, en, base]` exactly as `new Faker({ locale: [...] })` does;
 * - the draws: each generator makes the draws faker 10's function makes, in its order and with its
 *   arithmetic: `Math.floor(u * n)` for an element of n > 1 (none for one element), `u * total`
 *   against running sums for a weighted element, `Math.floor(u * (max - min + 1) + min)` for
 *   `number.int`, a first digit 1-9 for `#` runs. faker 10 picks a name list by sex too: a sexless
 *   call (`{{person.firstName}}`, `lastName()`) first draws a sex, and a sexed first name comes
 *   from that sex's list or the generic one, weighted 3 sqrt(n_sex) : sqrt(n_generic). So one
 *   stream gives the very values faker gives (fast-fakes.test.ts checks it over many seeds), and
 *   bytes made through faker before stay the same.
 *
 * An expression this module does not compile throws `unsupported_faker_locale` at load (for
 * postcodes, at the first zip code), so a faker upgrade that changes a pattern fails loudly rather
 * than drifting. en_CA's `postcode_by_state` uses `helpers.fromRegExp`, which is not compiled:
 * identity.ts makes Canadian postal codes itself.
 */
import type { Faker } from "@faker-js/faker";
import { faker as fakerCA } from "@faker-js/faker/locale/en_CA";
import { faker as fakerUS } from "@faker-js/faker/locale/en_US";
import { SynthError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

/** The sexes faker's person lists know (its `sexType()` without `generic`). */
export type Sex = "female" | "male";

/** One locale's generators. Each call draws only from the `rng` it is given. */
export interface LocaleFakes {
  /** `faker.person.firstName(sex)`: that sex's list or the generic one, then a name. */
  firstName(rng: Rng, sex: Sex): string;
  /** `faker.person.lastName()`: a weighted `last_name_pattern` (en: 5% double-barrelled). */
  lastName(rng: Rng): string;
  /** `faker.location.city()`: a `city_pattern`. */
  city(rng: Rng): string;
  /** `faker.location.streetAddress(full)`: building number and street, with an apartment or suite when `full`. */
  streetAddress(rng: Rng, full: boolean): string;
  /** `faker.location.state({ abbreviated: true })`. */
  state(rng: Rng): string;
  /**
   * `faker.location.zipCode({ state })`: a code of the state's `postcode_by_state` entry.
   *
   * @throws SynthError `unsupported_faker_locale` when the state has no entry, or the locale's
   *   entries hold an expression this module does not compile (en_CA's `helpers.fromRegExp`).
   */
  zipCode(rng: Rng, state: string): string;
  /** `faker.company.name()`: a `name_pattern`. */
  companyName(rng: Rng): string;
}

type Draw = (rng: Rng) => string;
type Pick<T> = (rng: Rng) => T;

const unsupported = (where: string, what: string): SynthError =>
  new SynthError("unsupported_faker_locale", `faker's ${where} ${what}`, {
    hint: "src/scenarios/entities/fast-fakes.ts compiles the expressions the pinned faker's locales use; teach it this one",
  });

/** faker's `helpers.arrayElement`: `Math.floor(u * n)` of one draw, and no draw for one element. */
function element<T>(list: readonly T[], where: string): Pick<T> {
  const n = list.length;
  if (n === 0) throw unsupported(where, "is empty");
  if (n === 1) {
    const only = list[0] as T;
    return () => only;
  }
  return (rng) => list[Math.floor(rng.next() * n)] as T;
}

/** faker's `helpers.weightedArrayElement`: u times the total weight, against running sums. */
function weighted<T>(items: readonly { readonly weight: number; readonly value: T }[], where: string): Pick<T> {
  if (items.length === 0 || items.some(({ weight }) => !(weight > 0 && Number.isFinite(weight)))) {
    throw unsupported(where, "needs positive finite weights");
  }
  const weights = items.map((i) => i.weight);
  const values = items.map((i) => i.value);
  // The same float operations as faker (a sum from 0, `u * (total - 0) + 0`, `r < sum`), so the
  // same u picks the same item.
  const total = weights.reduce((a, w) => a + w, 0);
  const last = values[values.length - 1] as T;
  return (rng) => {
    const r = rng.next() * total;
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i] as number;
      if (r < sum) return values[i] as T;
    }
    return last;
  };
}

/** A picked draw, then its value: faker picks a pattern or a list before drawing from it. */
const then =
  (pick: Pick<Draw>): Draw =>
  (rng) =>
    pick(rng)(rng);

/** `string.numeric({ length, allowLeadingZeros: false })`: a digit 1-9, then digits 0-9. */
function digits(length: number): Draw {
  return (rng) => {
    let s = String(1 + Math.floor(rng.next() * 9));
    for (let i = 1; i < length; i++) s += Math.floor(rng.next() * 10);
    return s;
  };
}

/** Concatenates literal parts and drawn parts, left to right. */
function join(parts: readonly (string | Draw)[]): Draw {
  if (parts.length === 1 && typeof parts[0] === "function") return parts[0];
  if (parts.every((p) => typeof p === "string")) {
    const text = parts.join("");
    return () => text;
  }
  return (rng) => {
    let s = "";
    for (const p of parts) s += typeof p === "string" ? p : p(rng);
    return s;
  };
}

/** A template whose `#` runs become digits (faker's `buildingNumber` and `secondaryAddress`). */
function hashes(template: string): Draw {
  const parts: (string | Draw)[] = [];
  let at = 0;
  for (const m of template.matchAll(/#+/g)) {
    if (m.index > at) parts.push(template.slice(at, m.index));
    parts.push(digits(m[0].length));
    at = m.index + m[0].length;
  }
  if (at < template.length || parts.length === 0) parts.push(template.slice(at));
  return join(parts);
}

/** A non-empty list of strings, usable as substituted text (no braces, which could form a token). */
function strings(value: unknown, where: string): readonly string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string")) {
    throw unsupported(where, "is not a non-empty list of strings");
  }
  if (value.some((v: string) => v.includes("{") || v.includes("}"))) throw unsupported(where, "holds a brace");
  return value;
}

/** The value at a dotted path of an object, or undefined. */
function at(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A person entry: lists by sex, as faker's `PersonEntryDefinition`. */
interface SexEntry<T> {
  readonly generic?: readonly T[];
  readonly female?: readonly T[];
  readonly male?: readonly T[];
}

/**
 * faker's `selectDefinition` for a given sex, then the compiled draw of the chosen list: that sex's
 * list or the generic one (weighted 3 sqrt(n_sex) : sqrt(n_generic)) when both exist, else the one
 * that does.
 */
function bySex<T>(entry: SexEntry<T>, sex: Sex, compile: (list: readonly T[]) => Draw, where: string): Draw {
  const own = entry[sex];
  const generic = entry.generic;
  if (own == null) {
    if (generic == null) throw unsupported(where, `has neither a ${sex} nor a generic list`);
    return compile(generic);
  }
  if (generic == null) return compile(own);
  return then(
    weighted(
      [
        { weight: 3 * Math.sqrt(own.length), value: compile(own) },
        { weight: Math.sqrt(generic.length), value: compile(generic) },
      ],
      where,
    ),
  );
}

/** A sexless call: faker draws `sexType()` (female, male) first, whatever lists exist. */
function anySex(female: Draw, male: Draw): Draw {
  return (rng) => (Math.floor(rng.next() * 2) === 0 ? female : male)(rng);
}

/** `number.int(...)` with faker's argument forms: a max, or `{min, max}` (integers). */
function intDraw(args: string, where: string): Draw {
  let parsed: unknown;
  try {
    parsed = JSON.parse(`[${args}]`);
  } catch {
    throw unsupported(where, `calls number.int(${args}), whose arguments are not JSON`);
  }
  const [arg, ...more] = parsed as unknown[];
  const opts = typeof arg === "number" ? { max: arg } : arg;
  if (more.length > 0 || opts === null || typeof opts !== "object" || Object.keys(opts).some((k) => k !== "min" && k !== "max")) {
    throw unsupported(where, `calls number.int(${args}); only a max or {min, max} is compiled`);
  }
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = opts as { min?: unknown; max?: unknown };
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || (max as number) < (min as number)) {
    throw unsupported(where, `calls number.int(${args}); min and max must be integers, min <= max`);
  }
  const lo = min as number;
  const size = (max as number) - lo + 1;
  if (size === 1) {
    // faker returns the only value without a draw.
    const only = String(lo);
    return () => only;
  }
  return (rng) => String(Math.floor(rng.next() * size + lo));
}

/** What a pattern's tokens resolve against: the locale's data, faker's methods, and ours. */
interface Scope {
  readonly defs: unknown;
  readonly faker: Faker;
  /** faker methods compiled so far, by expression (`person.firstName`). */
  readonly methods: Map<string, Draw>;
  readonly locale: string;
}

/**
 * One `{{...}}` expression, resolved as faker's evaluator does: a faker method (only those this
 * module compiles), `number.int(...)`, or a path into the definitions naming a list (one element).
 */
function resolve(expr: string, scope: Scope, where: string): Draw {
  const open = expr.indexOf("(");
  if (open !== -1) {
    const path = expr.slice(0, open);
    if (path !== "number.int" || !expr.endsWith(")")) throw unsupported(where, `calls ${expr}, which is not compiled`);
    return intDraw(expr.slice(open + 1, -1), where);
  }
  const data = at(scope.defs, expr);
  const method = scope.methods.get(expr);
  if (method !== undefined) {
    // faker would also draw an element of such a list before calling the method.
    if (data !== undefined) throw unsupported(where, `names ${expr}, both a method and data`);
    return method;
  }
  if (typeof at(scope.faker, expr) === "function") throw unsupported(where, `calls faker's ${expr}, which is not compiled`);
  if (data === undefined) throw unsupported(where, `names ${expr}, which the locale does not define`);
  return element(strings(data, `${scope.locale} ${expr}`), where);
}

/**
 * A pattern as faker's `helpers.fake` reads it: a token starts at `{{` and a lowercase letter and
 * ends at the next `}}`. faker rescans the whole string after each substitution; since substituted
 * values and literal text hold no braces, reading tokens left to right is the same.
 */
function pattern(text: string, scope: Scope, where: string): Draw {
  const parts: (string | Draw)[] = [];
  const literal = (s: string) => {
    if (s.includes("{") || s.includes("}")) throw unsupported(where, `has a brace outside a token: ${JSON.stringify(text)}`);
    if (s !== "") parts.push(s);
  };
  let rest = text;
  for (;;) {
    const start = rest.search(/\{\{[a-z]/);
    const end = start === -1 ? -1 : rest.indexOf("}}", start);
    if (end === -1) break;
    literal(rest.slice(0, start));
    parts.push(resolve(rest.slice(start + 2, end).replace("{{", ""), scope, where));
    rest = rest.slice(end + 2);
  }
  literal(rest);
  if (parts.length === 0) return () => "";
  return join(parts);
}

/** `helpers.fake(value)`: one pattern, or one of a list of patterns. */
function patterns(value: unknown, scope: Scope, path: string): Draw {
  const where = `${scope.locale} ${path}`;
  if (typeof value === "string") return pattern(value, scope, where);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
    throw unsupported(where, "is not a pattern or a list of patterns");
  return then(
    element(
      value.map((p: string) => pattern(p, scope, where)),
      where,
    ),
  );
}

/** The person entry at `path`, checked to hold lists. */
function sexEntry(defs: unknown, path: string, locale: string): SexEntry<unknown> {
  const entry = at(defs, path);
  const where = `${locale} ${path}`;
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw unsupported(where, "is not an entry of lists by sex");
  for (const [key, list] of Object.entries(entry)) {
    if (!["generic", "female", "male"].includes(key) || !Array.isArray(list)) throw unsupported(where, `has ${key}, not a list by sex`);
  }
  return entry as SexEntry<unknown>;
}

/** A `last_name_pattern` list: weighted patterns. */
function lastNamePatterns(list: readonly unknown[], scope: Scope, where: string): Draw {
  const items = list.map((item) => {
    const { value, weight } = (item ?? {}) as { value?: unknown; weight?: unknown };
    if (typeof value !== "string" || typeof weight !== "number") throw unsupported(where, "holds an item that is not {value, weight}");
    return { weight, value: pattern(value, scope, where) };
  });
  return then(weighted(items, where));
}

/**
 * Compiles one locale's generators from a faker instance's merged definitions (see the module
 * comment for what is compiled and why).
 *
 * @param faker - a faker instance: its `rawDefinitions` are the data, its methods tell which
 *   tokens name methods (only those this module compiles are accepted).
 * @throws SynthError `unsupported_faker_locale` when a list is missing or empty, or a pattern
 *   holds an expression this module does not compile; postcodes are compiled at the first
 *   {@link LocaleFakes.zipCode} call.
 * @example
 * import { faker } from "@faker-js/faker/locale/en_US";
 * const us = compileFakes(faker);
 * us.city(stream(42, "demo")); // what faker.location.city() gives from the same stream
 */
export function compileFakes(faker: Faker): LocaleFakes {
  const defs: unknown = faker.rawDefinitions;
  const locale = faker.getMetadata().code ?? "locale";
  const scope: Scope = { defs, faker, methods: new Map(), locale };
  const w = (path: string) => `${locale} ${path}`;

  const first = sexEntry(defs, "person.first_name", locale);
  const nameList = (list: readonly unknown[]) => element(strings(list, w("person.first_name")), w("person.first_name"));
  const firstBySex: Record<Sex, Draw> = {
    female: bySex(first, "female", nameList, w("person.first_name")),
    male: bySex(first, "male", nameList, w("person.first_name")),
  };
  scope.methods.set("person.firstName", anySex(firstBySex.female, firstBySex.male));

  // lastName(): faker draws a sex (unused when only generic lists exist) before picking.
  let lastName: Draw;
  if (at(defs, "person.last_name_pattern") != null) {
    const entry = sexEntry(defs, "person.last_name_pattern", locale);
    const compile = (list: readonly unknown[]) => lastNamePatterns(list, scope, w("person.last_name_pattern"));
    lastName = anySex(
      bySex(entry, "female", compile, w("person.last_name_pattern")),
      bySex(entry, "male", compile, w("person.last_name_pattern")),
    );
  } else {
    const entry = sexEntry(defs, "person.last_name", locale);
    const compile = (list: readonly unknown[]) => element(strings(list, w("person.last_name")), w("person.last_name"));
    lastName = anySex(bySex(entry, "female", compile, w("person.last_name")), bySex(entry, "male", compile, w("person.last_name")));
  }
  scope.methods.set("person.lastName", lastName);

  const buildingTemplates = strings(at(defs, "location.building_number"), w("location.building_number"));
  scope.methods.set("location.buildingNumber", then(element(buildingTemplates.map(hashes), w("location.building_number"))));
  const secondary = at(defs, "location.secondary_address");
  const secondaryTemplates = typeof secondary === "string" ? [secondary] : strings(secondary, w("location.secondary_address"));
  // faker replaces `#` runs in the faked text; a secondary address with tokens is not compiled.
  if (secondaryTemplates.some((t) => /\{\{[a-z]/.test(t))) throw unsupported(w("location.secondary_address"), "holds a token");
  scope.methods.set("location.secondaryAddress", then(element(secondaryTemplates.map(hashes), w("location.secondary_address"))));
  scope.methods.set("location.street", patterns(at(defs, "location.street_pattern"), scope, "location.street_pattern"));

  const normal = patterns(at(defs, "location.street_address.normal"), scope, "location.street_address.normal");
  const full = patterns(at(defs, "location.street_address.full"), scope, "location.street_address.full");
  const city = patterns(at(defs, "location.city_pattern"), scope, "location.city_pattern");
  const state = element(strings(at(defs, "location.state_abbr"), w("location.state_abbr")), w("location.state_abbr"));
  const companyName = patterns(at(defs, "company.name_pattern"), scope, "company.name_pattern");

  let zipByState: ReadonlyMap<string, Draw> | null = null;
  const zips = (): ReadonlyMap<string, Draw> => {
    if (zipByState === null) {
      const table = at(defs, "location.postcode_by_state");
      if (table === null || typeof table !== "object") throw unsupported(w("location.postcode_by_state"), "is missing");
      zipByState = new Map(
        Object.entries(table).map(([st, value]) => [st, patterns(value, scope, `location.postcode_by_state.${st}`)] as const),
      );
    }
    return zipByState;
  };

  return {
    firstName: (rng, sex) => firstBySex[sex](rng),
    lastName,
    city,
    streetAddress: (rng, useFull) => (useFull ? full : normal)(rng),
    state,
    zipCode: (rng, st) => {
      const draw = zips().get(st);
      if (draw === undefined) throw unsupported(w("location.postcode_by_state"), `has no entry for state ${JSON.stringify(st)}`);
      return draw(rng);
    },
    companyName,
  };
}

/** faker's en_US (over en and base), compiled at load. */
export const US_FAKES: LocaleFakes = compileFakes(fakerUS);

/** faker's en_CA (over en and base), compiled at load. Its `zipCode` throws: see the module comment. */
export const CA_FAKES: LocaleFakes = compileFakes(fakerCA);

/**
 * The generators of a country's locale.
 *
 * @example fakesOf("CA").city(rng) // a Canadian city, as faker's en_CA makes them
 */
export const fakesOf = (country: "US" | "CA"): LocaleFakes => (country === "US" ? US_FAKES : CA_FAKES);
