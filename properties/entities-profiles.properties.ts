/**
 * Properties of the entity profiles and planted confusers of generator 2.0, in memory: each
 * confuser tells its story against its origin's profile, no confuser is its origin by accident,
 * and each source uses the second contact points at its configured rates.
 */
import fc from "fast-check";
import { binomialTest } from "../src/checks/stats.js";
import {
  CONFUSER_KINDS,
  type ConfuserKind,
  PRESETS,
  SECOND_CONTACTS,
  type SecondContact,
  USAGE_KEYS,
  type UsageKey,
} from "../src/scenarios/entities/presets.js";
import { type EntityProfile, newCompany } from "../src/scenarios/entities/profile.js";
import {
  type EntityInfo,
  type EntityRecord,
  entityStreams,
  type GeneratedRecords,
  generateRecords,
} from "../src/scenarios/entities/records.js";
import { SOURCES, type SourceName } from "../src/scenarios/entities/schema-file.js";
import { bundledSchemas, type EntitiesRecipe, entitiesRecipeArb, expectNoProblems, toEntitiesConfig } from "./entities-support.js";
import { defineProperty } from "./harness.js";

/** Levenshtein distance (small strings: names). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++)
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length] as number;
}

/**
 * Confuser rates well above the presets' (each kind 0 to 10% of entities, 70% at most in all), and
 * sometimes every second contact point at a high rate, so small recipes plant every kind and
 * households with landlines and family emails to copy.
 */
const confuserRatesArb = fc.record({
  confusers: fc.record(
    Object.fromEntries(CONFUSER_KINDS.map((k) => [k, fc.integer({ min: 0, max: 10 }).map((p) => p / 100)])) as Record<
      ConfuserKind,
      fc.Arbitrary<number>
    >,
  ),
  second_contacts: fc.oneof(
    fc.constant({}),
    fc.record(
      Object.fromEntries(SECOND_CONTACTS.map((c) => [c, fc.integer({ min: 50, max: 100 }).map((p) => p / 100)])) as Record<
        SecondContact,
        fc.Arbitrary<number>
      >,
    ),
  ),
});

const place = (p: EntityProfile) => p.place;
const sameTown = (a: EntityProfile, b: EntityProfile) =>
  a.place.city === b.place.city && a.place.state === b.place.state && a.place.zip === b.place.zip;
const samePlace = (a: EntityProfile, b: EntityProfile) => sameTown(a, b) && place(a).address === place(b).address;
const local = (email: string) => email.slice(0, email.lastIndexOf("@"));
const domain = (email: string) => email.slice(email.lastIndexOf("@") + 1);

/**
 * What a confuser of `kind` must share with (or differ from) its origin, as problems. `company(c)`
 * is company `c` drawn again from its own stream.
 */
function storyProblems(
  kind: ConfuserKind,
  p: EntityProfile,
  o: EntityProfile,
  company: (c: number) => ReturnType<typeof newCompany>,
): string[] {
  const out: string[] = [];
  const want = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  const sharesHome = (familyEmail: boolean) => {
    want(samePlace(p, o), `place ${JSON.stringify(p.place)} is not the origin's ${JSON.stringify(o.place)}`);
    want(p.last_name === o.last_name, `last name ${p.last_name} is not the origin's ${o.last_name}`);
    want(p.phones.landline === o.phones.landline, `landline ${p.phones.landline} is not the origin's ${o.phones.landline}`);
    if (familyEmail) want(p.emails.family === o.emails.family, `family email ${p.emails.family} is not the origin's ${o.emails.family}`);
    else want(p.emails.family === null, `a junior has the family email ${p.emails.family}`);
    want(p.household === o.household, `household ${p.household} is not the origin's ${o.household}`);
  };
  switch (kind) {
    case "household":
      sharesHome(true);
      want(p.suffix === "", `a household member has suffix ${p.suffix}`);
      break;
    case "junior_senior":
      sharesHome(false);
      want(p.first_name === o.first_name, `first name ${p.first_name} is not the origin's ${o.first_name}`);
      want(p.suffix === "Jr.", `suffix ${JSON.stringify(p.suffix)}, not "Jr."`);
      break;
    case "colleague": {
      const c = company(o.company_index);
      want(p.company_index === o.company_index, `company ${p.company_index} is not the origin's ${o.company_index}`);
      want(p.company === c.name && o.company === c.name, `companies ${p.company} / ${o.company} are not ${c.name}`);
      want(p.emails.work !== null && domain(p.emails.work) === c.domain, `work email ${p.emails.work} is not at ${c.domain}`);
      // The switchboard with an extension of its own: " x" and three digits.
      const work = p.phones.work ?? "";
      want(
        work.startsWith(c.switchboard) && /^ x\d{3}$/.test(work.slice(c.switchboard.length)),
        `work phone ${work} is not ${c.switchboard} x...`,
      );
      if (o.emails.work !== null)
        want(domain(o.emails.work) === c.domain, `the origin's work email ${o.emails.work} is not at ${c.domain}`);
      // One company, one office: the origin's (or, for an origin without a work email, the
      // company's street in the origin's town).
      const office = o.office ?? { address: c.office_street, city: o.place.city, state: o.place.state, zip: o.place.zip };
      want(JSON.stringify(p.office) === JSON.stringify(office), `office ${JSON.stringify(p.office)} is not ${JSON.stringify(office)}`);
      break;
    }
    case "namesake":
      want(
        p.first_name === o.first_name && p.last_name === o.last_name,
        `${p.first_name} ${p.last_name} is not ${o.first_name} ${o.last_name}`,
      );
      want(sameTown(p, o), `town ${JSON.stringify(p.place)} is not the origin's ${JSON.stringify(o.place)}`);
      break;
    case "email_domain": {
      want(
        p.first_name === o.first_name && p.last_name === o.last_name,
        `${p.first_name} ${p.last_name} is not ${o.first_name} ${o.last_name}`,
      );
      want(sameTown(p, o), `town ${JSON.stringify(p.place)} is not the origin's ${JSON.stringify(o.place)}`);
      // The origin's local part; records.ts appends digits to an email some earlier entity holds.
      const [a, b] = [p.emails.personal, o.emails.personal];
      want(
        local(a).startsWith(local(b)) && /^\d*$/.test(local(a).slice(local(b).length)),
        `personal email ${a} does not reuse the local part of ${b}`,
      );
      want(domain(a) !== domain(b), `personal email ${a} has the origin's domain`);
      break;
    }
    case "similar_name":
      want(p.last_name === o.last_name, `last name ${p.last_name} is not the origin's ${o.last_name}`);
      want(editDistance(p.first_name, o.first_name) === 1, `first name ${p.first_name} is not one edit from ${o.first_name}`);
      want(sameTown(p, o), `town ${JSON.stringify(p.place)} is not the origin's ${JSON.stringify(o.place)}`);
      break;
    case "same_address":
      want(samePlace(p, o), `place ${JSON.stringify(p.place)} is not the origin's ${JSON.stringify(o.place)}`);
      want(p.household === o.household, `household ${p.household} is not the origin's ${o.household}`);
      want(p.phones.landline === o.phones.landline, `landline ${p.phones.landline} is not the origin's ${o.phones.landline}`);
      break;
  }
  return out;
}

/**
 * Every planted confuser tells its story against its origin's profile (the truth that
 * truth/entity_profiles.csv writes): household members and juniors share the origin's current
 * place, last name, landline and household, household members also the family email (a junior
 * the first name instead, with the suffix "Jr.", and no family email); a colleague shares the origin's company (index and name), its work email is at the
 * company's domain, its work phone is the company's switchboard with an extension and its office
 * the origin's (one company, one office); a namesake
 * shares first and last name, city, state and zip; an email-domain twin the names, the town and the
 * personal email's local part at another domain; a similar-name twin the last name and the town,
 * with a first name one edit away; a same-address twin the place, household and landline. Every
 * confuser's origin is an earlier entity of the same country, and the confuser is in its family.
 */
export const confusersTellTheirStory = defineProperty({
  id: "entities.confusers.story",
  title: "each planted confuser shares with its origin what its kind says (household, junior, colleague, namesake, the three twins)",
  arbitrary: entitiesRecipeArb({ rates: confuserRatesArb }),
  predicate: (recipe: EntitiesRecipe) => {
    const cfg = toEntitiesConfig(recipe);
    const gen = generateRecords(cfg, bundledSchemas());
    const streams = entityStreams(cfg.seed);
    const companies = new Map<number, ReturnType<typeof newCompany>>();
    const company = (c: number) => {
      const known = companies.get(c) ?? newCompany(streams.company.at(c));
      companies.set(c, known);
      return known;
    };
    const problems: string[] = [];
    gen.entities.forEach((info, e) => {
      if (info.confuser === null) return;
      const { kind, of } = info.confuser;
      const origin = gen.entities[of] as EntityInfo;
      const at = `entity ${e} (${kind} of ${of})`;
      if (!(of < e)) problems.push(`${at}: the origin is not an earlier entity`);
      if (info.family !== origin.family) problems.push(`${at}: family ${info.family} is not the origin's ${origin.family}`);
      if (info.profile.country !== origin.profile.country) problems.push(`${at}: another country`);
      for (const p of storyProblems(kind, info.profile, origin.profile, company)) problems.push(`${at}: ${p}`);
    });
    expectNoProblems(problems, "confuser stories");
  },
});

/** The email, phone and name cells of a record (through the schema's rules). */
function contactCells(gen: GeneratedRecords): Map<number, { ref: string; cells: string[] }[]> {
  const out = new Map<number, { ref: string; cells: string[] }[]>();
  for (const { schema, records } of gen.sources) {
    const field = (rule: string) => schema.fields.find((f) => f.rule === rule)?.name ?? rule;
    const names = ["email", "phone", "first_name", "last_name"].map(field);
    for (const r of records as EntityRecord[]) {
      const list = out.get(r.entity) ?? [];
      list.push({ ref: `${r.source}/${r.id}`, cells: names.map((n) => r.values[n] ?? "") });
      out.set(r.entity, list);
    }
  }
  return out;
}

/**
 * No confuser is its origin by accident: its personal email and its mobile differ from the
 * origin's, and no record of the confuser equals a record of the origin on all of email, phone,
 * first name and last name as written (each non-empty: a blank is not evidence).
 */
export const confusersAreOtherEntities = defineProperty({
  id: "entities.confusers.distinct",
  title: "no confuser shares its origin's personal email or mobile, and no record of it equals one of its origin on email, phone and names",
  arbitrary: entitiesRecipeArb({ rates: confuserRatesArb }),
  predicate: (recipe: EntitiesRecipe) => {
    const gen = generateRecords(toEntitiesConfig(recipe), bundledSchemas());
    const cells = contactCells(gen);
    const problems: string[] = [];
    gen.entities.forEach((info, e) => {
      if (info.confuser === null) return;
      const { kind, of } = info.confuser;
      const [p, o] = [info.profile, (gen.entities[of] as EntityInfo).profile];
      const at = `entity ${e} (${kind} of ${of})`;
      if (p.emails.personal === o.emails.personal) problems.push(`${at}: the origin's personal email ${p.emails.personal}`);
      if (p.phones.mobile === o.phones.mobile) problems.push(`${at}: the origin's mobile ${p.phones.mobile}`);
      for (const a of cells.get(e) ?? [])
        for (const b of cells.get(of) ?? [])
          if (a.cells.every((c, i) => c !== "" && c === b.cells[i]))
            problems.push(`${at}: ${a.ref} and ${b.ref} both hold ${a.cells.join(", ")}`);
    });
    expectNoProblems(problems, "confusers vs origins");
  },
});

/** Records per source in the usage-rate recipes (see {@link usageRatesMatchConfig} for why). */
export const USAGE_VOLUME = 7500;
/** Eligible records a (source, contact) cell must have for the power the usage property states. */
export const USAGE_MIN_TRIALS = 900;
/** False-failure rate of each cell's two-sided exact binomial test. */
export const USAGE_ALPHA = 1e-6;

/**
 * A usage table overriding the presets: every rate moved, one source given only some keys (the
 * rest come from the preset), work rates at most 0.5 so the cells behind them stay large.
 */
const USAGE_OVERRIDE = {
  leads: {
    work_email: 0.3,
    work_phone: 0.5,
    landline: 0.9,
    family_email: 0.7,
    previous_address: 0.6,
    previous_last_name: 0.8,
    work_card: 0.3,
  },
  sales: {
    work_email: 0.5,
    work_phone: 0.2,
    landline: 0.15,
    family_email: 0.05,
    previous_address: 0.45,
    previous_last_name: 0.35,
    work_card: 0.5,
  },
  financial: { work_email: 0.35, landline: 0.7, family_email: 0.9 },
} as const;

/** The rate the config asks for, read from the recipe and the preset table (not through ratesOf). */
function configuredUsage(recipe: EntitiesRecipe, source: SourceName, contact: UsageKey): number {
  const override = recipe.contact_usage?.[source]?.[contact];
  return override ?? PRESETS[recipe.difficulty ?? "realistic"].contact_usage[source][contact];
}

/**
 * Whether a record is a trial of `contact`'s usage, and whether it used it. chooseContacts tries
 * the work email before the family email and the work phone before the landline, so the family
 * email's rate applies to records that did not take the work email (and the landline's to those
 * that did not take the work phone). The business card's rate applies to records that took the
 * work email; a card gives the work phone whatever its own draw, so the work phone's rate applies
 * to records without a card.
 */
function trial(p: EntityProfile, r: EntityRecord, contact: UsageKey): { eligible: boolean; used: boolean } {
  const u = r.uses;
  switch (contact) {
    case "work_email":
      return { eligible: p.emails.work !== null, used: u.email === "work" };
    case "family_email":
      return { eligible: p.emails.family !== null && u.email !== "work", used: u.email === "family" };
    case "work_card":
      return { eligible: p.office !== null && u.email === "work", used: u.office };
    case "work_phone":
      return { eligible: p.phones.work !== null && !u.office, used: u.phone === "work" };
    case "landline":
      return { eligible: p.phones.landline !== null && u.phone !== "work", used: u.phone === "landline" };
    case "previous_address":
      return { eligible: p.previous_place !== null, used: u.previous_place };
    case "previous_last_name":
      return { eligible: p.previous_last_name !== null, used: u.previous_last_name };
  }
}

/**
 * Contact-point usage per source matches the config. Over the base records of each source where
 * their entity appears first (a later source of an entity that changes contacts takes the other
 * email and phone, not a fresh draw) whose profile has the contact point and does not change
 * contacts, the share that uses it passes a two-sided exact binomial test against the configured
 * rate (the preset's, or the recipe's override) at alpha 1e-6, in each of the 21 (source, usage
 * key) cells: six second contact points and the business card.
 *
 * False failures: at most 1e-6 per cell, 2.1e-5 per recipe. The recipes are a finite set (16
 * seeds x realistic or hard x preset or overridden usage: 64), and every one of them passed when
 * this property was written (all 64 enumerated with fc.sample and run through the predicate), so
 * no later run can flake: it can only draw one of those 64.
 *
 * Power: every profile gets every second contact point (second_contacts all 1) and none changes
 * contacts, and each source holds 7,500 records, so every cell has at least 900 trials (asserted:
 * the smallest is sales' landline cell, behind its work phone and business card, 984 trials at the
 * least over all 64 recipes). With 900 trials, a rate off by
 * 0.1 fails its cell's test with probability at least 0.86 (the worst case, a true rate of 0.5
 * tested against 0.4; 0.996 or more for configured rates up to 0.15 or from 0.85); each run of the
 * property is an independent chance, so three runs miss it with probability at most 0.14^3 =
 * 2.5e-3. (Exact binomial power, computed with @stdlib's binomial CDF over configured rates
 * 0.05, 0.1, ..., 0.95.) Setting every configured rate 0.1 too high fails all 21 cells.
 */
export const usageRatesMatchConfig = defineProperty({
  id: "entities.profiles.usage-rates",
  title: "each source uses each second contact point its entity has at the configured rate (exact binomial test, alpha 1e-6 a cell)",
  arbitrary: fc
    .record({
      seed: fc.integer({ min: 0, max: 15 }),
      difficulty: fc.constantFrom("realistic" as const, "hard" as const),
      override: fc.boolean(),
    })
    .map(
      ({ seed, difficulty, override }): EntitiesRecipe => ({
        seed,
        n_leads: USAGE_VOLUME,
        n_sales: USAGE_VOLUME,
        n_financial: USAGE_VOLUME,
        dup_rate: 0.05,
        overlap: 0.3,
        locale: "US+CA",
        pii: "plain",
        salt: "s",
        negative_ratio: 3,
        corruption: {},
        difficulty,
        second_contacts: Object.fromEntries(SECOND_CONTACTS.map((c) => [c, 1])),
        contact_change: 0,
        ...(override ? { contact_usage: USAGE_OVERRIDE } : {}),
      }),
    ),
  predicate: (recipe: EntitiesRecipe) => {
    const gen = generateRecords(toEntitiesConfig(recipe), bundledSchemas());
    const problems: string[] = [];
    for (const source of SOURCES) {
      const records = gen.sources.find((s) => s.schema.name === source)?.records ?? [];
      for (const contact of USAGE_KEYS) {
        let n = 0;
        let k = 0;
        for (const r of records) {
          const info = gen.entities[r.entity] as EntityInfo;
          if (r.kind !== "base" || info.first_source !== r.source || info.profile.changes_contacts) continue;
          const t = trial(info.profile, r, contact);
          if (!t.eligible) continue;
          n++;
          if (t.used) k++;
        }
        const rate = configuredUsage(recipe, source, contact);
        const p = binomialTest(k, n, rate);
        if (n < USAGE_MIN_TRIALS) problems.push(`${source}.${contact}: only ${n} trials, too few for the stated power`);
        if (p < USAGE_ALPHA)
          problems.push(`${source}.${contact}: ${k} of ${n} (${(k / n).toFixed(3)}) against ${rate}: p = ${p.toExponential(2)}`);
      }
    }
    expectNoProblems(problems, "contact usage rates");
  },
});

/** This file's properties, in test order. */
export const entitiesProfileProperties = [confusersTellTheirStory, confusersAreOtherEntities, usageRatesMatchConfig] as const;
