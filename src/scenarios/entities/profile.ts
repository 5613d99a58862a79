/**
 * An entity's profile: every contact point it has (truth, not corruption), the company it works
 * for and the household it lives in, and the planted confusers that copy parts of an earlier
 * entity's profile.
 *
 * - Contact points: a personal email, and maybe a work email (at its company's domain) and a family
 *   email (shared by its household); a mobile, and maybe a landline (shared by its household) and a
 *   work phone (its company's switchboard and an extension of its own); a current address, maybe
 *   a previous one (a move), and with a work email its company's office; a last name, and maybe a
 *   previous one (a marriage).
 * - Each source record uses one of each (see {@link chooseContacts}); the rates are per source. A
 *   record that gives the work email may give the whole business card: work email, work phone and
 *   the office address (`work_card`), as a B2B form or a sales rep does.
 * - Confusers are distinct entities: a household member (same address, landline and last name,
 *   another first name, the family email if any), a junior (same full name and address, "Jr.",
 *   his own email and mobile), a colleague (same company, domain and switchboard), a namesake in
 *   the same city; and the three twin kinds of 1.x (see identity.ts).
 *
 * Entity `e` draws only from its own stream; its company (index `e`, or a colleague's origin's)
 * from `(seed, "entities", "company", c)`. Household contacts are drawn by the household's first
 * member and copied by the others.
 */
import type { Rng, StreamFamily } from "../../core/rng.js";
import { fakesOf, US_FAKES } from "./fast-fakes.js";
import { type Country, emailDomain, emailLocal, type Identity, newIdentity, phoneNumber, twinIdentity } from "./identity.js";
import type { ConfuserKind, DifficultyRates, SecondContact, UsageKey } from "./presets.js";

/** A postal address. */
export interface Place {
  readonly address: string;
  readonly city: string;
  readonly state: string;
  readonly zip: string;
}

/** A company: its name, email domain, switchboard number and the street of its office. */
export interface Company {
  readonly name: string;
  readonly domain: string;
  readonly switchboard: string;
  /** The office's street address; its town is that of the company's first employee (see {@link officeOf}). */
  readonly office_street: string;
}

/** Every value an entity may give a source. */
export interface EntityProfile {
  readonly first_name: string;
  readonly last_name: string;
  /** "Jr." for a planted junior, else "". Records drop it half the time. */
  readonly suffix: string;
  readonly previous_last_name: string | null;
  readonly country: Country;
  readonly company: string;
  readonly emails: { readonly personal: string; readonly work: string | null; readonly family: string | null };
  readonly phones: { readonly mobile: string; readonly landline: string | null; readonly work: string | null };
  readonly place: Place;
  readonly previous_place: Place | null;
  /** Its company's office (present exactly when it has a work email): what a business card gives. */
  readonly office: Place | null;
  /** Index of its company (its own index unless it is a planted colleague). */
  readonly company_index: number;
  /** Index of its household's first member (its own index unless a household member or junior). */
  readonly household: number;
  /** True when it gives later sources none of the email and phone it gave its first. */
  readonly changes_contacts: boolean;
}

export const EMAIL_LABELS = ["personal", "work", "family"] as const;
export const PHONE_LABELS = ["mobile", "landline", "work"] as const;
export type EmailLabel = (typeof EMAIL_LABELS)[number];
export type PhoneLabel = (typeof PHONE_LABELS)[number];

/** Which contact points one record uses. */
export interface ContactUse {
  readonly email: EmailLabel;
  readonly phone: PhoneLabel;
  readonly previous_place: boolean;
  readonly previous_last_name: boolean;
  /** Whether the record writes a suffix (only meaningful when the profile has one). */
  readonly suffix: boolean;
  /** Whether the record gives the office address (a business card: with the work email and phone). */
  readonly office: boolean;
}

/** The company of index `c`, drawn from its own stream. */
export function newCompany(rng: Rng): Company {
  const name = US_FAKES.companyName(rng);
  // Faker names look like "Schmidt - Wolff", "Lind LLC", "Hane, Kris and Bayer": the domain is
  // the name's words ("schmidtwolff.com", "lind-llc.net"), as small companies register them.
  const words = name
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/\b(and)\b/g, " ")
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  // Companies named alike ("Lind LLC" twice) still own different domains: a separator and a TLD
  // each drawn, as registrars' leftovers make people choose.
  const sep = rng.next() < 0.7 ? "" : "-";
  const tld = COMPANY_TLDS[Math.floor(rng.next() * COMPANY_TLDS.length)] as string;
  const domain = `${words.join(sep) || "company"}.${tld}`;
  const switchboard = phoneNumber(rng);
  return { name, domain, switchboard, office_street: US_FAKES.streetAddress(rng, rng.next() < 0.5) };
}

/**
 * The office of a company whose first employee lives in `town`: the company's street in that
 * town (people work near home, and the town keeps the address's zip valid for its country). A
 * planted colleague copies its origin's office, so every employee of a company gives one office.
 */
export function officeOf(company: Company, town: Place): Place {
  return { address: company.office_street, city: town.city, state: town.state, zip: town.zip };
}

/** Top-level domains of company sites, .com the commonest. */
const COMPANY_TLDS = ["com", "com", "com", "com", "net", "co", "biz", "us"] as const;

const extension = (rng: Rng): string => ` x${100 + Math.floor(rng.next() * 900)}`;

/** What a profile needs from the run: rates, and the earlier profiles and companies. */
export interface ProfileContext {
  readonly rates: DifficultyRates;
  readonly companyOf: (index: number) => Company;
  /** Streams of second contact points' values, by entity then contact: `(seed, "entities", "contacts")`. */
  readonly contacts: StreamFamily;
}

const familyEmail = (rng: Rng, last: string, country: Country): string =>
  `${last.toLowerCase().replace(/[^a-z]/g, "") || "family"}${rng.next() < 0.5 ? "family" : "s"}${10 + Math.floor(rng.next() * 90)}@${emailDomain(rng, country)}`;

/**
 * Draws which second contact points an entity has from `rng` (six draws, whatever the rates), and
 * the values of those it has from their own streams `contacts.at(contact)`, so a rate changes only
 * its own contact point and no time goes to values nobody has.
 */
function secondContacts(
  rng: Rng,
  ctx: ProfileContext,
  contacts: StreamFamily,
  id: Identity,
  companyIndex: number,
  changes: boolean,
  ownCompany: boolean,
): Pick<EntityProfile, "emails" | "phones" | "previous_place" | "previous_last_name" | "office"> {
  const has = (c: SecondContact) => rng.next() < ctx.rates.second_contacts[c];
  const workEmail = has("work_email") || changes;
  const workPhone = has("work_phone") || changes;
  const landline = has("landline");
  const family = has("family_email");
  const moved = has("previous_address");
  const married = has("previous_last_name");
  const company = workEmail || workPhone ? ctx.companyOf(companyIndex) : null;
  const at = (c: SecondContact) => contacts.at(c);
  let previousPlace: Place | null = null;
  if (moved) {
    const r = at("previous_address");
    const old = fakesOf(id.country);
    previousPlace = { address: old.streetAddress(r, r.next() < 0.15), city: old.city(r), state: id.state, zip: id.zip };
  }
  const maiden = married ? US_FAKES.lastName(at("previous_last_name")) : null;
  return {
    // An entity that changes contacts needs a second email and phone to change to: its work ones.
    emails: {
      personal: id.email,
      work: workEmail && company ? `${emailLocal(at("work_email"), id.first_name, id.last_name)}@${company.domain}` : null,
      family: family ? familyEmail(at("family_email"), id.last_name, id.country) : null,
    },
    phones: {
      mobile: id.phone,
      landline: landline ? phoneNumber(at("landline")) : null,
      work: workPhone && company ? `${company.switchboard}${extension(at("work_phone"))}` : null,
    },
    previous_place: previousPlace,
    // A colleague's office is its origin's (set by confuserProfile): here only one's own company's.
    office: workEmail && company && ownCompany ? officeOf(company, id) : null,
    previous_last_name: maiden !== null && maiden !== id.last_name ? maiden : null,
  };
}

/** A profile with no planted relation: its own company and household. */
export function newProfile(rng: Rng, ctx: ProfileContext, e: number, country: Country): EntityProfile {
  const id = newIdentity(rng, country);
  const changes = rng.next() < ctx.rates.contact_change;
  return fromIdentity(rng, ctx, e, id, { company_index: e, household: e, changes_contacts: changes, suffix: "" });
}

function fromIdentity(
  rng: Rng,
  ctx: ProfileContext,
  e: number,
  id: Identity,
  rel: Pick<EntityProfile, "company_index" | "household" | "changes_contacts" | "suffix">,
): EntityProfile {
  const second = secondContacts(rng, ctx, ctx.contacts.child(e), id, rel.company_index, rel.changes_contacts, rel.company_index === e);
  return {
    first_name: id.first_name,
    last_name: id.last_name,
    country: id.country,
    company: ctx.companyOf(rel.company_index).name,
    place: { address: id.address, city: id.city, state: id.state, zip: id.zip },
    ...second,
    ...rel,
  };
}

/**
 * A confuser of `origin` (entity `e`'s profile, drawn from `rng`): see the module comment. Its
 * personal email and mobile are its own, so it is never the same entity by accident.
 */
export function confuserProfile(rng: Rng, ctx: ProfileContext, e: number, kind: ConfuserKind, origin: EntityProfile): EntityProfile {
  const fresh = newIdentity(rng, origin.country);
  const changes = rng.next() < ctx.rates.contact_change;
  const originIdentity: Identity = {
    first_name: origin.first_name,
    last_name: origin.last_name,
    email: origin.emails.personal,
    phone: origin.phones.mobile,
    ...origin.place,
    country: origin.country,
    company: origin.company,
  };
  const own = { company_index: e, household: e, changes_contacts: changes, suffix: "" };
  switch (kind) {
    case "email_domain":
      return fromIdentity(rng, ctx, e, twinIdentity(rng, kind, originIdentity), own);
    case "similar_name": {
      // Half are of the origin's household (Chris and Christine Lee of one address), half of its town.
      const id = twinIdentity(rng, kind, originIdentity);
      if (rng.next() < 0.5) return fromIdentity(rng, ctx, e, id, own);
      return fromIdentity(rng, ctx, e, { ...id, ...origin.place }, { ...own, household: origin.household });
    }
    case "same_address": {
      // Another person of the household (a relative or a lodger): the house's landline too.
      const p = fromIdentity(rng, ctx, e, twinIdentity(rng, kind, originIdentity), { ...own, household: origin.household });
      return { ...p, phones: { ...p.phones, landline: origin.phones.landline } };
    }
    case "household":
    case "junior_senior": {
      const junior = kind === "junior_senior";
      const id: Identity = {
        ...fresh,
        first_name: junior ? origin.first_name : fresh.first_name,
        last_name: origin.last_name,
        ...origin.place,
      };
      const p = fromIdentity(rng, ctx, e, id, { ...own, household: origin.household, suffix: junior ? "Jr." : "" });
      // One household: one landline and one family email, the first member's. A junior has his
      // own email and mobile only: with the family email too, a record without "Jr." could hold
      // exactly his father's email, phone and name (found by entities.confusers.distinct).
      return {
        ...p,
        phones: { ...p.phones, landline: origin.phones.landline },
        emails: { ...p.emails, family: junior ? null : origin.emails.family },
        previous_last_name: null,
      };
    }
    case "colleague": {
      // A colleague always has the work contacts that make it one, and its company's office. An
      // origin without a work email founded that company (only colleagues work for another's), so
      // the office is in the origin's town, as it would be had the origin one.
      const company = ctx.companyOf(origin.company_index);
      const p = fromIdentity(rng, ctx, e, fresh, { ...own, company_index: origin.company_index });
      return {
        ...p,
        emails: { ...p.emails, work: p.emails.work ?? `${emailLocal(rng, p.first_name, p.last_name)}@${company.domain}` },
        phones: { ...p.phones, work: p.phones.work ?? `${company.switchboard}${extension(rng)}` },
        office: origin.office ?? officeOf(company, origin.place),
      };
    }
    case "namesake": {
      // Another street of the same town: city, state and postal code are the origin's.
      const id: Identity = {
        ...fresh,
        first_name: origin.first_name,
        last_name: origin.last_name,
        ...origin.place,
        address: fresh.address,
      };
      return fromIdentity(rng, ctx, e, id, own);
    }
  }
}

/** The record values of an entity's identity fields under one choice of contact points. */
export function identityOf(p: EntityProfile, use: ContactUse): Identity {
  const place = use.office && p.office ? p.office : use.previous_place && p.previous_place ? p.previous_place : p.place;
  const last = use.previous_last_name && p.previous_last_name ? p.previous_last_name : p.last_name;
  return {
    first_name: p.first_name,
    last_name: p.suffix !== "" && use.suffix ? `${last} ${p.suffix}` : last,
    email: p.emails[use.email] ?? p.emails.personal,
    phone: p.phones[use.phone] ?? p.phones.mobile,
    address: place.address,
    city: place.city,
    state: place.state,
    zip: place.zip,
    country: p.country,
    company: p.company,
  };
}

/** Per-source usage rates of the second contact points, and of the business card. */
export type UsageRates = Readonly<Record<UsageKey, number>>;

/**
 * The contact points a record uses, drawn from `rng`: each second contact point the profile has
 * with its usage rate (work email first, then the family email; work phone first, then the
 * landline), else the primary one. A record giving the work email gives the business card with
 * the rate `work_card`: the work phone (when there is one) and the office address too, whatever
 * their own draws. A fixed number of draws, whatever the profile has.
 */
export function chooseContacts(rng: Rng, p: EntityProfile, rates: UsageRates): ContactUse {
  const u = Array.from({ length: 8 }, () => rng.next()) as [number, number, number, number, number, number, number, number];
  const email: EmailLabel =
    p.emails.work !== null && u[0] < rates.work_email
      ? "work"
      : p.emails.family !== null && u[1] < rates.family_email
        ? "family"
        : "personal";
  const card = email === "work" && u[7] < rates.work_card;
  const phone: PhoneLabel =
    p.phones.work !== null && (card || u[2] < rates.work_phone)
      ? "work"
      : p.phones.landline !== null && u[3] < rates.landline
        ? "landline"
        : "mobile";
  return {
    email,
    phone,
    previous_place: p.previous_place !== null && u[4] < rates.previous_address,
    previous_last_name: p.previous_last_name !== null && u[5] < rates.previous_last_name,
    suffix: u[6] < 0.5,
    office: card && p.office !== null,
  };
}

/**
 * The contact points of a later-source record of an entity that changes contacts: the email and
 * phone its first record did not use (work for personal or family, personal for work; work for a
 * mobile or landline, mobile for work), the rest as drawn.
 */
export function changedContacts(first: ContactUse, drawn: ContactUse): ContactUse {
  const email = first.email === "work" ? "personal" : "work";
  // A business card needs the work email: a record switched to another email gives no office.
  return { ...drawn, email, phone: first.phone === "work" ? "mobile" : "work", office: drawn.office && email === "work" };
}

/**
 * The contact points of another record of an entity that keeps its contacts: as drawn, but when
 * that shares neither the email nor the phone of its first record, with the first record's phone
 * (people keep a number longer than an address). So records of such an entity always share an
 * email or a phone, and {@link EntityProfile.changes_contacts} alone sets the share that share
 * neither (before corruption).
 */
export function keptContacts(first: ContactUse, drawn: ContactUse): ContactUse {
  return drawn.email !== first.email && drawn.phone !== first.phone ? { ...drawn, phone: first.phone } : drawn;
}
