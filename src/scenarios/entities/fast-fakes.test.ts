/**
 * fast-fakes.ts is a faster faker, not another data model. Three kinds of evidence:
 *
 * 1. Same values: from one stream, each compiled generator returns exactly what faker's own
 *    function returns and leaves the stream where faker leaves it (a property over seeds, then a
 *    fixed sweep), for en_US, en_CA and a small locale that takes the branches they do not.
 * 2. Faker could make it: every value drawn lies in what faker's definitions allow, read by
 *    recognizers built here from `new Faker({ locale: [en_US, en, base] })`'s definitions (and
 *    checked to accept faker's own output, so they are not stricter than faker), and the
 *    identities built from them are well formed (US zips in the state's range, Canadian postal
 *    codes as identity.ts makes them).
 * 3. Same frequencies: a few picks, drawn from independent streams by us and by faker, agree in a
 *    chi-square test of homogeneity (binomial for two categories). Each comparison fails a correct
 *    module with probability at most ALPHA = 1e-6 (8 comparisons: 8e-6 together); the seeds are
 *    fixed, so the verdict never changes between runs. The same test tells faker 9's female-only
 *    first names apart from faker 10's (p far below ALPHA), so it has the power to see a change
 *    of model.
 */
import { base, en, en_CA, en_US, Faker, type LocaleDefinition, mergeLocales, type Randomizer } from "@faker-js/faker";
import { faker as entryCA } from "@faker-js/faker/locale/en_CA";
import { faker as entryUS } from "@faker-js/faker/locale/en_US";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { chiSquareUpperTail } from "../../checks/stats.js";
import { keyedStreams, type Rng } from "../../core/rng.js";
import { POSTAL_PREFIXES } from "./data/reference-lists.js";
import { CA_FAKES, compileFakes, fakesOf, type LocaleFakes, type Sex, US_FAKES } from "./fast-fakes.js";
import { type Country, emailDomain, emailLocal, newIdentity, phoneNumber, postalCode } from "./identity.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 100);
const ALPHA = 1e-6;

/** A faker whose every draw comes from the stream last set with `use` (as generator 2.0 did). */
function routedFaker(locale: LocaleDefinition[]): { faker: Faker; use: (rng: Rng) => Faker } {
  let current: Rng | null = null;
  const randomizer: Randomizer = {
    next: () => {
      if (current === null) throw new Error("use(rng) first");
      return current.next();
    },
    seed: () => {},
  };
  const faker = new Faker({ locale, randomizer });
  return {
    faker,
    use: (rng) => {
      current = rng;
      return faker;
    },
  };
}

const routed = { US: routedFaker([en_US, en, base]), CA: routedFaker([en_CA, en, base]) };

/** One generator, as ours and as faker's call. */
interface Generator {
  readonly name: string;
  readonly ours: (f: LocaleFakes, rng: Rng) => string;
  readonly faker: (f: Faker) => string;
}

const GENERATORS: readonly Generator[] = [
  ...(["female", "male"] as const).map((sex: Sex) => ({
    name: `firstName(${sex})`,
    ours: (f: LocaleFakes, rng: Rng) => f.firstName(rng, sex),
    faker: (f: Faker) => f.person.firstName(sex),
  })),
  { name: "lastName()", ours: (f, rng) => f.lastName(rng), faker: (f) => f.person.lastName() },
  { name: "city()", ours: (f, rng) => f.city(rng), faker: (f) => f.location.city() },
  { name: "streetAddress(false)", ours: (f, rng) => f.streetAddress(rng, false), faker: (f) => f.location.streetAddress(false) },
  { name: "streetAddress(true)", ours: (f, rng) => f.streetAddress(rng, true), faker: (f) => f.location.streetAddress(true) },
  { name: "state(abbreviated)", ours: (f, rng) => f.state(rng), faker: (f) => f.location.state({ abbreviated: true }) },
  { name: "company.name()", ours: (f, rng) => f.companyName(rng), faker: (f) => f.company.name() },
];

const ZIP_STATES = Object.keys(routed.US.faker.rawDefinitions.location?.postcode_by_state ?? {});

/** `count` values of one generator from one stream, and the draw that follows them. */
function run(draw: (rng: Rng) => string, rng: Rng, count: number): { values: string[]; after: number } {
  const values = Array.from({ length: count }, () => draw(rng));
  return { values, after: rng.next() };
}

describe("the same stream gives faker's values", () => {
  const cases = (["US", "CA"] as const).flatMap((country) => GENERATORS.map((g) => ({ country, g, name: `${country} ${g.name}` })));

  test.each(cases)("$name: over seeds, each value and the stream's position after it", ({ country, g }) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const ours = run((rng) => g.ours(fakesOf(country), rng), keyedStreams(seed, "fast-fakes").at(g.name), 40);
        const stream = keyedStreams(seed, "fast-fakes").at(g.name);
        const theirs = run(() => g.faker(routed[country].use(stream)), stream, 40);
        expect(ours).toEqual(theirs);
      }),
      { numRuns },
    );
  });

  test.each(cases)("$name: 5,000 values of one stream", ({ country, g }) => {
    const ours = run((rng) => g.ours(fakesOf(country), rng), keyedStreams(7, "sweep").at(g.name), 5_000);
    const stream = keyedStreams(7, "sweep").at(g.name);
    expect(ours).toEqual(run(() => g.faker(routed[country].use(stream)), stream, 5_000));
  });

  test.each(ZIP_STATES.map((state) => ({ state })))("US zipCode({state: $state})", ({ state }) => {
    const ours = run((rng) => US_FAKES.zipCode(rng, state), keyedStreams(7, "zip").at(state), 300);
    const stream = keyedStreams(7, "zip").at(state);
    expect(ours).toEqual(run(() => routed.US.use(stream).location.zipCode({ state }), stream, 300));
  });

  test("faker's locale entries, which the module reads, merge as new Faker({ locale }) does", () => {
    for (const [entry, locale] of [
      [entryUS, [en_US, en, base]],
      [entryCA, [en_CA, en, base]],
    ] as const) {
      const merged = mergeLocales([...locale]);
      for (const module of ["person", "location", "company"] as const) expect(entry.rawDefinitions[module]).toEqual(merged[module]);
    }
  });

  // A locale with no generic first names, plain last names, single patterns, a max-only
  // number.int and a one-value range: the branches en_US and en_CA do not take.
  const MINI: LocaleDefinition = {
    metadata: { title: "mini", code: "mini", language: "en", endonym: "mini", dir: "ltr", script: "Latn" },
    person: { first_name: { female: ["Ann", "Bea", "Cy"], male: ["Dan", "Ed"] }, last_name: { generic: ["Lee", "Park", "Ng"] } },
    location: {
      building_number: ["#", "A-##"],
      // Single patterns as plain strings, which faker's fake() takes too.
      secondary_address: "Unit #" as unknown as string[],
      street_pattern: "{{person.lastName}} Road" as unknown as string[],
      street_address: {
        normal: "{{location.buildingNumber}} {{location.street}}",
        full: "{{location.street}}, {{location.secondaryAddress}}",
      },
      city_pattern: ["{{person.firstName}}ville", "Fort {{person.lastName}}"],
      state_abbr: ["AA"],
      postcode_by_state: { AA: ["{{number.int(9)}}", '1{{number.int({"min": 5, "max": 5})}}'] },
    },
    company: { name_pattern: "{{person.lastName}} and Sons" as unknown as string[] },
  };
  const mini = routedFaker([MINI, base]);
  const miniFakes = compileFakes(mini.faker);

  test.each([
    ...GENERATORS,
    { name: "zipCode(AA)", ours: (f, rng) => f.zipCode(rng, "AA"), faker: (f) => f.location.zipCode({ state: "AA" }) } as Generator,
  ])("a locale taking the other branches: $name", (g) => {
    const ours = run((rng) => g.ours(miniFakes, rng), keyedStreams(3, "mini").at(g.name), 2_000);
    const stream = keyedStreams(3, "mini").at(g.name);
    expect(ours).toEqual(run(() => g.faker(mini.use(stream)), stream, 2_000));
  });
});

/** Regular-expression text matching a literal. */
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alt = (items: readonly string[]) => `(?:${[...new Set(items)].map((s) => `(?:${s})`).join("|")})`;
const anyOf = (list: readonly string[]) => alt(list.map(esc));
const hashRe = (template: string) =>
  template
    .split(/(#+)/)
    .map((p) => (p.startsWith("#") ? `[1-9]\\d{${p.length - 1}}` : esc(p)))
    .join("");

/**
 * Recognizers of what faker can make for a locale, built from its definitions alone: a pattern's
 * tokens become the alternatives of the list they name.
 */
function recognizers(defs: LocaleDefinition) {
  const person = defs.person ?? {};
  const location = defs.location ?? {};
  const lists = (v: unknown) => (Array.isArray(v) ? (v as string[]) : [v as string]);
  const firstNames: { generic?: string[]; female?: string[]; male?: string[] } = person.first_name ?? {};
  const byToken: Record<string, string> = {};
  const token = (expr: string): string => {
    const known = byToken[expr];
    if (known !== undefined) return known;
    const value = expr.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], defs);
    if (!Array.isArray(value)) throw new Error(`no list for {{${expr}}}`);
    return anyOf(value as string[]);
  };
  const fromPattern = (p: string) =>
    p
      .split(/(\{\{[^}]+\}\})/)
      .map((part) => (part.startsWith("{{") ? token(part.slice(2, -2)) : esc(part)))
      .join("");
  byToken["person.firstName"] = anyOf([...(firstNames.generic ?? []), ...(firstNames.female ?? []), ...(firstNames.male ?? [])]);
  byToken["person.lastName"] = alt((person.last_name_pattern?.generic ?? []).map((w) => fromPattern(w.value)));
  byToken["location.buildingNumber"] = alt(lists(location.building_number).map(hashRe));
  byToken["location.secondaryAddress"] = alt(lists(location.secondary_address).map(hashRe));
  byToken["location.street"] = alt(lists(location.street_pattern).map(fromPattern));
  const whole = (source: string) => new RegExp(`^${source}$`);
  const streetAddress = location.street_address ?? { normal: "", full: "" };
  return {
    firstName: (sex: Sex) => new Set([...(firstNames[sex] ?? []), ...(firstNames.generic ?? [])]),
    lastName: whole(byToken["person.lastName"]),
    city: whole(alt(lists(location.city_pattern).map(fromPattern))),
    streetAddress: (full: boolean) => whole(fromPattern(full ? streetAddress.full : streetAddress.normal)),
    states: new Set(location.state_abbr ?? []),
    company: whole(alt(lists(defs.company?.name_pattern).map(fromPattern))),
    /** Whether `zip` is one of `state`'s postcode_by_state entries: its prefix, then an integer of its range. */
    zipOf: (state: string, zip: string): boolean =>
      lists(location.postcode_by_state?.[state]).some((p) => {
        const m = /^(\d*)\{\{number\.int\((.*)\)\}\}$/.exec(p);
        if (m === null) throw new Error(`unexpected zip pattern ${p}`);
        const [prefix = "", args = ""] = m.slice(1);
        const { min, max } = JSON.parse(args) as { min: number; max: number };
        const n = Number(zip.slice(prefix.length));
        return zip.startsWith(prefix) && String(n) === zip.slice(prefix.length) && n >= min && n <= max;
      }),
  };
}

const RECOGNIZE = { US: recognizers(routed.US.faker.rawDefinitions), CA: recognizers(routed.CA.faker.rawDefinitions) };

/** Whether the recognizers accept a generator's value. */
function accepts(country: Country, g: Generator, value: string): boolean {
  const r = RECOGNIZE[country];
  switch (g.name) {
    case "firstName(female)":
    case "firstName(male)":
      return r.firstName(g.name.includes("female") ? "female" : "male").has(value);
    case "lastName()":
      return r.lastName.test(value);
    case "city()":
      return r.city.test(value);
    case "streetAddress(false)":
    case "streetAddress(true)":
      return r.streetAddress(g.name.includes("true")).test(value);
    case "state(abbreviated)":
      return r.states.has(value);
    default:
      return r.company.test(value);
  }
}

describe("every value is one faker's definitions allow", () => {
  const cases = (["US", "CA"] as const).flatMap((country) => GENERATORS.map((g) => ({ country, g, name: `${country} ${g.name}` })));

  test.each(cases)("$name: the recognizer accepts faker's own values (it is not stricter than faker)", ({ country, g }) => {
    const stream = keyedStreams(11, "faker").at(g.name);
    const rejected = Array.from({ length: 3_000 }, () => g.faker(routed[country].use(stream))).filter((v) => !accepts(country, g, v));
    expect(rejected).toEqual([]);
  });

  test.each(cases)("$name: over seeds, every value drawn", ({ country, g }) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = keyedStreams(seed, "values").at(g.name);
        const rejected = Array.from({ length: 200 }, () => g.ours(fakesOf(country), rng)).filter((v) => !accepts(country, g, v));
        expect(rejected).toEqual([]);
      }),
      { numRuns },
    );
  });

  test("the recognizers reject values faker cannot make", () => {
    const r = RECOGNIZE.US;
    expect(r.firstName("female").has("Zzyzx")).toBe(false);
    expect(r.lastName.test("Smith-")).toBe(false);
    expect(r.streetAddress(false).test("0123 Main Street")).toBe(false); // a leading zero
    expect(r.streetAddress(true).test("123 Main Street Apt. 012")).toBe(false);
    expect(r.zipOf("AR", "72643")).toBe(false); // the gap between AR's two ranges
    expect(r.zipOf("CT", "6001")).toBe(false); // CT's codes keep their leading 0
    expect(r.zipOf("CT", "06001")).toBe(true);
  });

  test.each(ZIP_STATES.map((state) => ({ state })))(
    "US zipCode({state: $state}) lies in the state's postcode_by_state ranges",
    ({ state }) => {
      const rng = keyedStreams(5, "zip-range").at(state);
      const outside = Array.from({ length: 2_000 }, () => US_FAKES.zipCode(rng, state)).filter((z) => !RECOGNIZE.US.zipOf(state, z));
      expect(outside).toEqual([]);
    },
  );

  // Canada Post letters: no D F I O Q U (and W, Z only after the first).
  const caLetter = "[ABCEGHJ-NPR-TV-Z]";
  test.each(["US", "CA"] as const)("over seeds, a %s identity's fields are faker's and its postal code fits its state", (country) => {
    const r = RECOGNIZE[country];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = keyedStreams(seed, "identity").at(country);
        for (let i = 0; i < 50; i++) {
          const id = newIdentity(rng, country);
          expect(r.firstName("female").has(id.first_name) || r.firstName("male").has(id.first_name)).toBe(true);
          expect(id.last_name).toMatch(r.lastName);
          expect(r.states.has(id.state)).toBe(true);
          expect(r.streetAddress(false).test(id.address) || r.streetAddress(true).test(id.address)).toBe(true);
          expect(id.city).toMatch(r.city);
          expect(id.company).toMatch(r.company);
          if (country === "US") expect(r.zipOf(id.state, id.zip)).toBe(true);
          else expect(id.zip).toMatch(new RegExp(`^[${POSTAL_PREFIXES[id.state] ?? "K"}]\\d${caLetter} \\d${caLetter}\\d$`));
        }
      }),
      { numRuns },
    );
  });

  test.each(["US", "CA"] as const)("a %s identity is the one generator 2.0 drew through faker's API from the same stream", (country) => {
    // newIdentity of generator 2.0, with faker's calls in place of the compiled ones.
    const viaFaker = (rng: Rng) => {
      const f = routed[country].use(rng);
      const sex = rng.next() < 0.5 ? "female" : "male";
      const first_name = f.person.firstName(sex);
      const last_name = f.person.lastName();
      const state = f.location.state({ abbreviated: true });
      const zip = country === "US" ? f.location.zipCode({ state }) : postalCode(rng, state);
      return {
        first_name,
        last_name,
        email: `${emailLocal(rng, first_name, last_name)}@${emailDomain(rng, country)}`,
        phone: phoneNumber(rng),
        address: f.location.streetAddress(rng.next() < 0.15),
        city: f.location.city(),
        state,
        zip: /^\d{5}$/.test(zip) || country === "CA" ? zip : zip.slice(0, 5),
        country,
        company: f.company.name(),
      };
    };
    const ours = keyedStreams(13, "identity").at(country);
    const theirs = keyedStreams(13, "identity").at(country);
    for (let i = 0; i < 2_000; i++) expect(newIdentity(ours, country)).toEqual(viaFaker(theirs));
  });
});

describe("unsupported definitions fail at load, not later", () => {
  const compile = (locale: LocaleDefinition) => () => compileFakes(new Faker({ locale: [locale, en, base] }));
  const city = (pattern: string) => compile({ location: { city_pattern: [pattern] } });
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { code?: string }).code;
    }
    return "no error";
  };

  test.each([
    { name: "a faker method it does not compile", f: city("{{location.county}}") },
    { name: "a call other than number.int", f: city("{{helpers.fromRegExp(a)}}") },
    { name: "number.int with arguments that are not JSON", f: city("{{number.int(min: 1)}}") },
    { name: "number.int with multipleOf", f: city('{{number.int({"max": 10, "multipleOf": 2})}}') },
    { name: "number.int with max below min", f: city('{{number.int({"min": 3, "max": 2})}}') },
    { name: "a path the locale does not define", f: city("{{location.nowhere}}") },
    { name: "a path that is not a list", f: city("{{location.street_address}}") },
    { name: "a brace outside a token", f: city("{{location.city_prefix}} }") },
    { name: "a list value with a brace", f: compile({ location: { city_prefix: ["{x"] } }) },
    { name: "an empty list", f: compile({ location: { state_abbr: [] } }) },
    { name: "a pattern that is not text", f: compile({ location: { city_pattern: 3 as unknown as string[] } }) },
    { name: "a secondary address with a token", f: compile({ location: { secondary_address: ["{{location.city_prefix}} #"] } }) },
    {
      name: "a weight that is not positive",
      f: compile({ person: { last_name_pattern: { generic: [{ value: "{{person.last_name.generic}}", weight: 0 }] } } }),
    },
    {
      name: "a weighted item without a value",
      f: compile({ person: { last_name_pattern: { generic: [{ weight: 1 } as unknown as { value: string; weight: number }] } } }),
    },
    { name: "a person entry by another key", f: compile({ person: { first_name: { other: ["A"] } as unknown as { generic: string[] } } }) },
    {
      name: "no list for a sex",
      f: () => compileFakes(new Faker({ locale: [{ person: { first_name: { female: ["Ann"] } } } as LocaleDefinition, base] })),
    },
  ])("$name", ({ f }) => {
    expect(code(f)).toBe("unsupported_faker_locale");
  });

  test("zip codes: a state with no entry, and en_CA's fromRegExp codes, throw", () => {
    const rng = keyedStreams(1, "zip").at("x");
    expect(code(() => US_FAKES.zipCode(rng, "XX"))).toBe("unsupported_faker_locale");
    expect(code(() => CA_FAKES.zipCode(rng, "ON"))).toBe("unsupported_faker_locale");
    const noTable = compileFakes(
      new Faker({ locale: [{ location: { postcode_by_state: null as unknown as Record<string, string> } }, en, base] }),
    );
    expect(code(() => noTable.zipCode(rng, "AL"))).toBe("unsupported_faker_locale");
  });
});

/**
 * p-value of a chi-square test that two samples of categories come from one distribution (2 x k
 * contingency table; for two categories, the two-sample binomial test).
 */
function homogeneity(a: readonly string[], b: readonly string[]): number {
  const keys = [...new Set([...a, ...b])];
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return keys.map((k) => m.get(k) ?? 0);
  };
  const [ca, cb] = [count(a), count(b)];
  const n = a.length + b.length;
  let stat = 0;
  keys.forEach((_, i) => {
    const col = (ca[i] as number) + (cb[i] as number);
    for (const [row, size] of [
      [ca[i] as number, a.length],
      [cb[i] as number, b.length],
    ] as const) {
      const e = (col * size) / n;
      stat += (row - e) ** 2 / e;
    }
  });
  return keys.length < 2 ? 1 : chiSquareUpperTail(stat, keys.length - 1);
}

describe("frequencies match faker's (each comparison alpha 1e-6, fixed seeds)", () => {
  const N = 20_000;
  const sample = (draw: (rng: Rng) => string, key: string, classify: (v: string) => string) => {
    const rng = keyedStreams(17, "frequency").at(key);
    return Array.from({ length: N }, () => classify(draw(rng)));
  };
  const viaFaker = (country: Country, call: (f: Faker) => string) => (rng: Rng) => call(routed[country].use(rng));
  const usFemale = new Set(routed.US.faker.rawDefinitions.person?.first_name?.female ?? []);
  // Which shape a city has: a prefix word, a suffix, one of the locale's city names (any
  // classifier serves, as long as both samples go through the same one).
  const cityKind = (country: Country) => {
    const location = routed[country].faker.rawDefinitions.location ?? {};
    const prefixes = new Set(location.city_prefix ?? []);
    const suffixes = location.city_suffix ?? [];
    const names = new Set(location.city_name ?? []);
    return (v: string) => `${prefixes.has(v.split(" ")[0] ?? "")} ${suffixes.some((x) => v.endsWith(x))} ${names.has(v)}`;
  };

  test.each([
    {
      name: "US last names: double-barrelled or not (faker's weights 95 : 5)",
      ours: (rng: Rng) => US_FAKES.lastName(rng),
      faker: viaFaker("US", (f) => f.person.lastName()),
      classify: (v: string) => String(v.includes("-")),
    },
    {
      name: "US female first names: from the female list or only the generic one",
      ours: (rng: Rng) => US_FAKES.firstName(rng, "female"),
      faker: viaFaker("US", (f) => f.person.firstName("female")),
      classify: (v: string) => String(usFemale.has(v)),
    },
    {
      name: "US city patterns",
      ours: (rng: Rng) => US_FAKES.city(rng),
      faker: viaFaker("US", (f) => f.location.city()),
      classify: cityKind("US"),
    },
    {
      name: "CA city patterns",
      ours: (rng: Rng) => CA_FAKES.city(rng),
      faker: viaFaker("CA", (f) => f.location.city()),
      classify: cityKind("CA"),
    },
    {
      name: "US full street addresses: building-number length and Apt./Suite",
      ours: (rng: Rng) => US_FAKES.streetAddress(rng, true),
      faker: viaFaker("US", (f) => f.location.streetAddress(true)),
      classify: (v: string) => `${v.indexOf(" ")} ${v.includes("Apt.")}`,
    },
    {
      name: "US states",
      ours: (rng: Rng) => US_FAKES.state(rng),
      faker: viaFaker("US", (f) => f.location.state({ abbreviated: true })),
      classify: (v: string) => v,
    },
    {
      name: "AR zip codes: which of its two ranges (faker picks a range first, not by size)",
      ours: (rng: Rng) => US_FAKES.zipCode(rng, "AR"),
      faker: viaFaker("US", (f) => f.location.zipCode({ state: "AR" })),
      classify: (v: string) => String(Number(v) <= 72642),
    },
    {
      name: "company name patterns",
      ours: (rng: Rng) => US_FAKES.companyName(rng),
      faker: viaFaker("US", (f) => f.company.name()),
      classify: (v: string) => (v.includes(" - ") ? "pair" : v.includes(", ") ? "three" : "legal"),
    },
  ])("$name", ({ name, ours, faker, classify }) => {
    // Independent streams: ours and faker's samples share no draw.
    expect(homogeneity(sample(ours, `ours ${name}`, classify), sample(faker, `faker ${name}`, classify))).toBeGreaterThan(ALPHA);
  });

  test("the comparison tells faker 9's female-only first names from faker 10's (its power)", () => {
    const female = [...usFemale];
    const faker9 = (rng: Rng) => female[Math.floor(rng.next() * female.length)] as string;
    const classify = (v: string) => String(usFemale.has(v));
    const p = homogeneity(
      sample(faker9, "faker 9", classify),
      sample((rng) => US_FAKES.firstName(rng, "female"), "ours female", classify),
    );
    expect(p).toBeLessThan(ALPHA);
  });
});
