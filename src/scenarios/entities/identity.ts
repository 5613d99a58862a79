/**
 * Real-world entities (people) and their true identity values: names, a unique email, a phone,
 * a postal address consistent with the country. Names, streets, towns, states, US zip codes and
 * companies are @faker-js/faker's en_US and en_CA generators, compiled by fast-fakes.ts (the same
 * values from the same draws, without faker's template engine) and drawn from our keyed stream:
 * entity `e` draws only from `(seed, "entities", "identity", e)`.
 *
 * Some entities are planted *twins* of an earlier one (three of the confuser kinds of profile.ts):
 * - `email_domain`: a namesake in the same town at another mailbox provider (same email local
 *   part and name);
 * - `similar_name`: same last name, a first name one edit away, same town;
 * - `same_address`: another person at the same address (a family member half the time).
 */
import type { Rng } from "../../core/rng.js";
import { CA_EMAIL_DOMAINS, EMAIL_DOMAINS, POSTAL_PREFIXES } from "./data/reference-lists.js";
import { fakesOf } from "./fast-fakes.js";

export type Country = "US" | "CA";

/** An entity's true values. */
export interface Identity {
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string;
  readonly phone: string;
  readonly address: string;
  readonly city: string;
  readonly state: string;
  readonly zip: string;
  readonly country: Country;
  readonly company: string;
}

/** The twin kinds of generator 1.x, now three of the confuser kinds (profile.ts has the others). */
export type TwinKind = "email_domain" | "similar_name" | "same_address";

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)] as T;

/** The total weight of each list {@link weighted} draws from (the same sum, made once). */
const totals = new WeakMap<readonly (readonly [string, number])[], number>();

function weighted(rng: Rng, items: readonly (readonly [string, number])[]): string {
  let total = totals.get(items);
  if (total === undefined) {
    total = items.reduce((a, [, w]) => a + w, 0);
    totals.set(items, total);
  }
  let u = rng.next() * total;
  for (const [v, w] of items) {
    u -= w;
    if (u < 0) return v;
  }
  return (items[items.length - 1] as readonly [string, number])[0];
}

const digit = (rng: Rng, from = 0): number => from + Math.floor(rng.next() * (10 - from));

/** A North American number: area code and exchange start 2-9 (NANP), written 555-123-4567. */
export function phoneNumber(rng: Rng): string {
  const area = `${digit(rng, 2)}${digit(rng)}${digit(rng)}`;
  const exchange = `${digit(rng, 2)}${digit(rng)}${digit(rng)}`;
  const line = `${digit(rng)}${digit(rng)}${digit(rng)}${digit(rng)}`;
  return `${area}-${exchange}-${line}`;
}

// Canada Post never uses D F I O Q U; W and Z never start a code.
const POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ";

/** A Canadian postal code `A1A 1A1` whose first letter belongs to the province. */
export function postalCode(rng: Rng, province: string): string {
  // Indexing the letter strings is picking from their letters (ASCII: one unit each), without an array per draw.
  const prefixes = POSTAL_PREFIXES[province] ?? "K";
  const first = prefixes[Math.floor(rng.next() * prefixes.length)] as string;
  const l = () => POSTAL_LETTERS[Math.floor(rng.next() * POSTAL_LETTERS.length)] as string;
  return `${first}${digit(rng)}${l()} ${digit(rng)}${l()}${digit(rng)}`;
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** An email local part built from the names the way people pick them. */
export function emailLocal(rng: Rng, first: string, last: string): string {
  const f = slug(first) || "user";
  const l = slug(last) || "mail";
  switch (Math.floor(rng.next() * 6)) {
    case 0:
      return `${f}.${l}`;
    case 1:
      return `${f}${l}`;
    case 2:
      return `${f[0]}${l}`;
    case 3:
      return `${f}_${l}`;
    case 4:
      return `${f}.${l}${10 + Math.floor(rng.next() * 90)}`;
    default:
      return `${f}${l[0]}${1960 + Math.floor(rng.next() * 45)}`;
  }
}

/** The mailbox providers of Canadians: the North American ones, then the Canadian ones. */
const CA_MAILBOXES: readonly (readonly [string, number])[] = [...EMAIL_DOMAINS, ...CA_EMAIL_DOMAINS];

/** A consumer mailbox domain, by market share (Canadian providers added for CA). */
export function emailDomain(rng: Rng, country: Country): string {
  return weighted(rng, country === "CA" ? CA_MAILBOXES : EMAIL_DOMAINS);
}

/** A fresh identity for `country`, drawn from `rng`. */
export function newIdentity(rng: Rng, country: Country): Identity {
  const f = fakesOf(country);
  const sex = rng.next() < 0.5 ? "female" : "male";
  const first_name = f.firstName(rng, sex);
  const last_name = f.lastName(rng);
  const state = f.state(rng);
  const zip = country === "US" ? f.zipCode(rng, state) : postalCode(rng, state);
  return {
    first_name,
    last_name,
    email: `${emailLocal(rng, first_name, last_name)}@${emailDomain(rng, country)}`,
    phone: phoneNumber(rng),
    address: f.streetAddress(rng, rng.next() < 0.15),
    city: f.city(rng),
    state,
    zip: /^\d{5}$/.test(zip) || country === "CA" ? zip : zip.slice(0, 5),
    country,
    company: f.companyName(rng),
  };
}

/** One edit of a first name that keeps it plausible: a vowel swapped, or a letter doubled or dropped. */
function nearName(rng: Rng, name: string): string {
  const chars = [...name];
  const vowels = "aeiouy";
  const at = 1 + Math.floor(rng.next() * Math.max(1, chars.length - 1));
  const c = chars[at] ?? "";
  const op = Math.floor(rng.next() * 3);
  if (op === 0 && vowels.includes(c.toLowerCase())) chars[at] = pick(rng, [...vowels.replace(c.toLowerCase(), "")]);
  else if (op === 1 || at >= chars.length) chars.splice(Math.min(at, chars.length), 0, chars[Math.min(at, chars.length) - 1] ?? "e");
  else chars.splice(at, 1);
  const out = chars.join("");
  return out === name ? `${name}e` : out;
}

/** The town of an identity: city, state and postal code (another street in it). */
const town = (i: Identity) => ({ city: i.city, state: i.state, zip: i.zip });

/**
 * A twin of `origin` of the given kind, drawn from `rng` (see the module comment). Twins are
 * distinct entities: their emails and phones differ from the origin's.
 */
export function twinIdentity(rng: Rng, kind: TwinKind, origin: Identity): Identity {
  const fresh = newIdentity(rng, origin.country);
  switch (kind) {
    case "email_domain": {
      const [local] = origin.email.split("@");
      const originDomain = origin.email.split("@")[1];
      let domain = emailDomain(rng, origin.country);
      for (let i = 0; i < 8 && domain === originDomain; i++) domain = emailDomain(rng, origin.country);
      if (domain === originDomain) domain = originDomain === "gmail.com" ? "yahoo.com" : "gmail.com";
      // Namesakes of one town pick the same local part more often than strangers.
      return { ...fresh, ...town(origin), first_name: origin.first_name, last_name: origin.last_name, email: `${local}@${domain}` };
    }
    case "similar_name":
      return { ...fresh, ...town(origin), first_name: nearName(rng, origin.first_name), last_name: origin.last_name };
    case "same_address":
      return {
        ...fresh,
        last_name: rng.next() < 0.5 ? origin.last_name : fresh.last_name,
        address: origin.address,
        city: origin.city,
        state: origin.state,
        zip: origin.zip,
      };
  }
}
