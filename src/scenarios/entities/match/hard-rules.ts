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
  hardEmailDomain,
  hardSameAddress,
  hardSimilarName,
  jwOrZero,
  type NormalView,
  normalizeName,
  normalView,
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

/** A {@link NormalView} with the last name's suffix dropped: what the hard rules compare. */
export interface HardView extends NormalView {
  /** {@link baseLastName}. */
  readonly baseLast: string;
}

/**
 * A record's {@link HardView}: pairing makes one per record and compares those.
 *
 * @example hardView(johnSmithJr).baseLast // "smith"
 */
export function hardView(r: RecordView): HardView {
  const n = normalView(r);
  // Written out rather than `{ ...n, baseLast }`: that spread gave every view a hidden class of
  // its own (a map and descriptors per record, more than the view itself).
  return {
    email: n.email,
    local: n.local,
    domain: n.domain,
    phone: n.phone,
    first: n.first,
    last: n.last,
    full: n.full,
    zip: n.zip,
    house: n.house,
    baseLast: n.last.replace(SUFFIX, ""),
  };
}

const sameNonEmpty = (a: string, b: string) => a !== "" && a === b;

const household = (a: HardView, b: HardView): boolean =>
  sameNonEmpty(a.zip, b.zip) &&
  sameNonEmpty(a.house, b.house) &&
  sameNonEmpty(a.baseLast, b.baseLast) &&
  a.first !== "" &&
  b.first !== "" &&
  a.first !== b.first;
const namesake = (a: HardView, b: HardView): boolean =>
  sameNonEmpty(a.first, b.first) && sameNonEmpty(a.baseLast, b.baseLast) && a.local !== b.local;
const colleague = (a: HardView, b: HardView): boolean =>
  sameNonEmpty(a.domain, b.domain) && !FREE_MAIL.has(a.domain) && a.local !== "" && b.local !== "" && a.local !== b.local;
const sharedContact = (a: HardView, b: HardView): boolean => sameNonEmpty(a.email, b.email) || sameNonEmpty(a.phone, b.phone);

/**
 * Hard negative "household": one address (equal non-empty zip and house number), one last name
 * (suffix aside), and different non-empty first names (they often share the landline or the
 * family email too; the rule does not ask for it, or households not giving one would be missed).
 *
 * @example isHardHousehold(annSmithAt12Elm, bobSmithAt12Elm) // true
 */
export function isHardHousehold(a: RecordView, b: RecordView): boolean {
  return household(hardView(a), hardView(b));
}

/**
 * Hard negative "namesake": equal non-empty first names and last names (a suffix aside), and
 * emails with different local parts (a junior and his father, two John Smiths of one city; one
 * local part at two providers is "email domain").
 *
 * @example isHardNamesake(johnSmith, johnSmithJr) // true when their email local parts differ
 */
export function isHardNamesake(a: RecordView, b: RecordView): boolean {
  return namesake(hardView(a), hardView(b));
}

/**
 * Hard negative "colleague": one email domain that is not a mailbox provider's (a company's), and
 * different local parts. (Requiring the switchboard too left almost no pairs: both records must
 * give the work email and the work phone.)
 *
 * @example isHardColleague(annAtAcme, bobAtAcme) // true
 */
export function isHardColleague(a: RecordView, b: RecordView): boolean {
  return colleague(hardView(a), hardView(b));
}

/**
 * Hard negative "shared contact": equal non-empty canonical emails or equal non-empty phones (a
 * family email, a household landline, a company switchboard: extensions are not compared).
 *
 * @example isHardSharedContact(annOnTheLandline, bobOnTheLandline) // true
 */
export function isHardSharedContact(a: RecordView, b: RecordView): boolean {
  return sharedContact(hardView(a), hardView(b));
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

/** Each hard kind's rule on normalised records, given their full names' Jaro-Winkler. */
const NORMAL_RULES: Readonly<Record<HardKind, (a: HardView, b: HardView, nameJw: number) => boolean>> = {
  hard_email_domain: hardEmailDomain,
  hard_namesake: namesake,
  hard_similar_name: hardSimilarName,
  hard_household: household,
  hard_colleague: colleague,
  hard_same_address: hardSameAddress,
  hard_shared_contact: sharedContact,
};

/** Each hard kind's rule. */
export const HARD_RULES: Readonly<Record<HardKind, (a: RecordView, b: RecordView) => boolean>> = Object.fromEntries(
  HARD_KINDS.map((kind) => [
    kind,
    (a: RecordView, b: RecordView) => {
      const na = hardView(a);
      const nb = hardView(b);
      return NORMAL_RULES[kind](na, nb, jwOrZero(na.full, nb.full));
    },
  ]),
) as Record<HardKind, (a: RecordView, b: RecordView) => boolean>;

/**
 * The first hard kind whose rule two normalised records meet, or null; `nameJw` is their full
 * names' Jaro-Winkler (computed once by the caller, who caches it as the name feature too).
 */
export function hardKindOfViews(a: HardView, b: HardView, nameJw: number): HardKind | null {
  for (const kind of HARD_KINDS) if (NORMAL_RULES[kind](a, b, nameJw)) return kind;
  return null;
}

/**
 * The first hard kind whose rule the pair meets, or null.
 *
 * @example hardKindOf(annSmithAt12Elm, bobSmithAt12Elm) // "hard_household"
 */
export function hardKindOf(a: RecordView, b: RecordView): HardKind | null {
  const na = hardView(a);
  const nb = hardView(b);
  return hardKindOfViews(na, nb, jwOrZero(na.full, nb.full));
}

/** The kinds of blocking key in the order a record lists them: a key is `kind:value` ({@link blockingKeys}). */
export const BLOCK_KEY_KINDS = ["e", "m", "d", "p", "a", "n", "f"] as const;

/**
 * Calls `visit(kind, value)` for each blocking key of a normalised record, in {@link blockingKeys}'
 * order, `kind` indexing {@link BLOCK_KEY_KINDS}. The key is `${BLOCK_KEY_KINDS[kind]}:${value}`,
 * so two keys are equal exactly when kind and value are: pairing interns the values kind by kind,
 * and the email, local part, domain and phone keys need no new string.
 */
export function visitBlockingKeys(n: HardView, visit: (kind: number, value: string) => void): void {
  if (n.local) visit(0, n.local);
  if (n.email) visit(1, n.email);
  if (n.domain && !FREE_MAIL.has(n.domain)) visit(2, n.domain);
  if (n.phone) visit(3, n.phone);
  if (n.zip && n.house) visit(4, `${n.zip}:${n.house}`);
  if (n.baseLast && n.first) {
    visit(5, `${n.baseLast}:${n.first[0]}`);
    visit(6, `${n.first}:${n.baseLast[0]}`);
  }
}

/**
 * The blocking keys of a record, the candidates of hard pairs: email local part, email, company
 * domain, phone, zip and house number, last name with first initial, first name with last
 * initial. Every rule but similar name needs an equal value one of them holds; a similar-name
 * pair shares a key unless both its first and last names differ (Jaro-Winkler above 0.9 with
 * both differing is rare), so the few such pairs are not found. A candidate generator, not a
 * rule: every labelled hard pair still meets its rule.
 *
 * @example blockingKeys(annLee) // ["e:ann.lee", "m:ann.lee@acme.com", "d:acme.com", ..., "f:ann:l"]
 */
export function blockingKeys(v: RecordView | HardView): string[] {
  const n = "baseLast" in v ? v : hardView(v);
  const keys: string[] = [];
  visitBlockingKeys(n, (kind, value) => keys.push(`${BLOCK_KEY_KINDS[kind] as string}:${value}`));
  return keys;
}
