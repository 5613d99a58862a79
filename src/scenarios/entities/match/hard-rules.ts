/**
 * The hard-negative rules: predicates on two records' views that make a pair of different
 * entities hard to tell apart, in the order a pair takes the first rule it meets. Generation
 * (pairs.ts), the `pair_evidence` gate and the property suites all read {@link HARD_RULES}, so a
 * kind means one thing everywhere.
 *
 * The order goes from the most specific story to the least: one email local part at two
 * providers, namesakes (one full name, a suffix aside), similar names, a household (same address
 * and last name), colleagues (one company domain), another person at the same address, and last
 * any other shared email or phone.
 */
import { EQUIVALENT_EMAIL_DOMAINS } from "../corrupt/data/email-domains.js";
import { CA_EMAIL_DOMAINS, EMAIL_DOMAINS } from "../data/reference-lists.js";
import {
  canonicalEmail,
  emailParts,
  houseNumber,
  isHardEmailDomain,
  isHardSameAddress,
  isHardSimilarName,
  normalizeName,
  normalizePhone,
  normalizeZip,
  type RecordView,
} from "./features.js";

/** Mailbox providers (and their equivalent domains): a domain shared there says nothing about two people. */
const FREE_MAIL: ReadonlySet<string> = new Set([
  ...[...EMAIL_DOMAINS, ...CA_EMAIL_DOMAINS].map(([d]) => d),
  ...EQUIVALENT_EMAIL_DOMAINS.flat(),
]);

/** Generational suffixes a last name may carry ("Smith Jr.", "Smith III"). */
const SUFFIX = /\s+(jr|sr|ii|iii|iv)\.?$/;

/**
 * A last name for comparison without a generational suffix.
 *
 * @example baseLastName(" Smith Jr. ") // "smith"
 */
export function baseLastName(s: string): string {
  return normalizeName(s).replace(SUFFIX, "");
}

const sameNonEmpty = (a: string, b: string) => a !== "" && a === b;

/**
 * Hard negative "household": one address (equal non-empty zip and house number), one last name
 * (suffix aside), and different non-empty first names (they often share the landline or the
 * family email too; the rule does not ask for it, or households not giving one would be missed).
 *
 * @example isHardHousehold(annSmithAt12Elm, bobSmithAt12Elm) // true when they give the same landline
 */
export function isHardHousehold(a: RecordView, b: RecordView): boolean {
  const fa = normalizeName(a.first_name);
  const fb = normalizeName(b.first_name);
  return (
    sameNonEmpty(normalizeZip(a.zip), normalizeZip(b.zip)) &&
    sameNonEmpty(houseNumber(a.address), houseNumber(b.address)) &&
    sameNonEmpty(baseLastName(a.last_name), baseLastName(b.last_name)) &&
    fa !== "" &&
    fb !== "" &&
    fa !== fb
  );
}

/**
 * Hard negative "namesake": equal non-empty first names and last names (a suffix aside), and
 * emails with different local parts (a junior and his father, two John Smiths of one city; one
 * local part at two providers is "email domain").
 *
 * @example isHardNamesake(johnSmith, johnSmithJr) // true when their email local parts differ
 */
export function isHardNamesake(a: RecordView, b: RecordView): boolean {
  return (
    sameNonEmpty(normalizeName(a.first_name), normalizeName(b.first_name)) &&
    sameNonEmpty(baseLastName(a.last_name), baseLastName(b.last_name)) &&
    emailParts(a.email).local !== emailParts(b.email).local
  );
}

/**
 * Hard negative "colleague": one email domain that is not a mailbox provider's (a company's), and
 * different local parts. (Requiring the switchboard too left almost no pairs: both records must
 * give the work email and the work phone.)
 *
 * @example isHardColleague(annAtAcme, bobAtAcme) // true
 */
export function isHardColleague(a: RecordView, b: RecordView): boolean {
  const ea = emailParts(a.email);
  const eb = emailParts(b.email);
  return sameNonEmpty(ea.domain, eb.domain) && !FREE_MAIL.has(ea.domain) && ea.local !== "" && eb.local !== "" && ea.local !== eb.local;
}

/**
 * Hard negative "shared contact": equal non-empty canonical emails or equal non-empty phones (a
 * family email, a household landline, a company switchboard: extensions are not compared).
 *
 * @example isHardSharedContact(annOnTheLandline, bobOnTheLandline) // true
 */
export function isHardSharedContact(a: RecordView, b: RecordView): boolean {
  return sameNonEmpty(canonicalEmail(a.email), canonicalEmail(b.email)) || sameNonEmpty(normalizePhone(a.phone), normalizePhone(b.phone));
}

/** The hard kinds, in the order a pair takes the first rule it meets. */
export const HARD_KINDS = [
  "hard_email_domain",
  "hard_namesake",
  "hard_similar_name",
  "hard_household",
  "hard_colleague",
  "hard_same_address",
  "hard_shared_contact",
] as const;
export type HardKind = (typeof HARD_KINDS)[number];

/** Each hard kind's rule. */
export const HARD_RULES: Readonly<Record<HardKind, (a: RecordView, b: RecordView) => boolean>> = {
  hard_household: isHardHousehold,
  hard_namesake: isHardNamesake,
  hard_colleague: isHardColleague,
  hard_email_domain: isHardEmailDomain,
  hard_similar_name: isHardSimilarName,
  hard_same_address: isHardSameAddress,
  hard_shared_contact: isHardSharedContact,
};

/**
 * The first hard kind whose rule the pair meets, or null.
 *
 * @example hardKindOf(annSmithAt12Elm, bobSmithAt12Elm) // "hard_household"
 */
export function hardKindOf(a: RecordView, b: RecordView): HardKind | null {
  for (const kind of HARD_KINDS) if (HARD_RULES[kind](a, b)) return kind;
  return null;
}

/**
 * The blocking keys of a record, the candidates of hard pairs: email local part, email, company
 * domain, phone, zip and house number, last name with first initial, first name with last
 * initial. Every rule but similar name needs an equal value one of them holds; a similar-name
 * pair shares a key unless both its first and last names differ (Jaro-Winkler above 0.9 with
 * both differing is rare), so the few such pairs are not found. A candidate generator, not a
 * rule: every labelled hard pair still meets its rule.
 */
export function blockingKeys(v: RecordView): string[] {
  const keys: string[] = [];
  const { local, domain } = emailParts(v.email);
  if (local) keys.push(`e:${local}`);
  const email = canonicalEmail(v.email);
  if (email) keys.push(`m:${email}`);
  if (domain && !FREE_MAIL.has(domain)) keys.push(`d:${domain}`);
  const phone = normalizePhone(v.phone);
  if (phone) keys.push(`p:${phone}`);
  const zip = normalizeZip(v.zip);
  const house = houseNumber(v.address);
  if (zip && house) keys.push(`a:${zip}:${house}`);
  const last = baseLastName(v.last_name);
  const first = normalizeName(v.first_name);
  if (last && first) keys.push(`n:${last}:${first[0]}`, `f:${first}:${last[0]}`);
  return keys;
}
