/**
 * Light pair features for entity resolution: the normalisers they stand on, the features cached
 * beside each labelled pair, and the hard-negative rules. Generation, the cached feature columns
 * and the property suites all call these, so "same phone" or "similar name" means one thing.
 *
 * One rule runs through all of it: a blank is not evidence. Two empty emails are not "equal", and
 * a Jaro-Winkler score against an empty name is 0.
 */
import { jaroWinkler } from "./jaro-winkler.js";

/**
 * The fields of a record that the pair features read, as strings (missing values as "").
 * `address` is the street address: `address` in leads and sales, `billing_address` in financial.
 */
export interface RecordView {
  readonly email: string;
  readonly phone: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly address: string;
  readonly zip: string;
}

/** The light features of a record pair: 0/1 integers, and Jaro-Winkler scores in [0, 1]. */
export interface PairFeatures {
  /** Canonical emails ({@link canonicalEmail}) equal and non-empty. */
  readonly email_equal: 0 | 1;
  /** Email domains equal and non-empty. */
  readonly email_domain_equal: 0 | 1;
  /** Email local parts (without a `+tag`) equal and non-empty. */
  readonly email_local_equal: 0 | 1;
  /** Normalised phones ({@link normalizePhone}) equal and non-empty. */
  readonly phone_equal: 0 | 1;
  /** Jaro-Winkler of the normalised full names ("first last"); 0 when either is blank. */
  readonly name_jw: number;
  /** Jaro-Winkler of the normalised last names; 0 when either is blank. */
  readonly last_name_jw: number;
  /** Normalised zips ({@link normalizeZip}) equal and non-empty. */
  readonly zip_equal: 0 | 1;
  /** House numbers ({@link houseNumber}) equal and non-empty. */
  readonly address_number_equal: 0 | 1;
}

/** The feature names in their column order, for writing the cached features. */
export const PAIR_FEATURE_NAMES = [
  "email_equal",
  "email_domain_equal",
  "email_local_equal",
  "phone_equal",
  "name_jw",
  "last_name_jw",
  "zip_equal",
  "address_number_equal",
] as const satisfies readonly (keyof PairFeatures)[];

/**
 * Full names with a Jaro-Winkler score above this are "similar"; at or below it, "different".
 * One threshold serves both {@link isHardSimilarName} and {@link isHardSameAddress}, so the two
 * rules split pairs on name similarity without a gap or an overlap.
 */
export const SIMILAR_NAME_JW = 0.9;

/**
 * A phone number as its 10 national digits, or "" when it does not have 10.
 *
 * Keeps the digits only; 11 digits starting with the country code 1 lose that 1. An extension
 * (from an `x` or `ext` on, as faker writes `555-123-4567 x8901`) is dropped first, since it
 * names a desk rather than the line. Anything else that is not 10 digits is "".
 *
 * @example normalizePhone("+1 (555) 123-4567 ext. 89") // "5551234567"
 */
export function normalizePhone(s: string): string {
  const x = s.search(/x|ext/i);
  const digits = (x === -1 ? s : s.slice(0, x)).replace(/\D/g, "");
  if (digits.length === 10) return digits;
  if (digits.length === 11 && digits.startsWith("1")) return digits.slice(1);
  return "";
}

/**
 * The local part and domain of an email, trimmed and lower-cased, the local part without a
 * `+tag` (`ann+news@x.com` -> `ann`). The split is at the last `@`. Without an `@` both parts are
 * "". Dots in the local part are kept: ignoring them is one provider's rule, not email's.
 *
 * @example emailParts(" Ann.Lee+crm@Example.COM") // { local: "ann.lee", domain: "example.com" }
 */
export function emailParts(s: string): { local: string; domain: string } {
  const e = s.trim().toLowerCase();
  const at = e.lastIndexOf("@");
  if (at === -1) return { local: "", domain: "" };
  const local = e.slice(0, at);
  const plus = local.indexOf("+");
  return { local: plus === -1 ? local : local.slice(0, plus), domain: e.slice(at + 1) };
}

/**
 * The email that {@link PairFeatures.email_equal} compares: `local@domain` from
 * {@link emailParts} when there is an `@` (so case and a `+tag` do not matter), otherwise the
 * trimmed, lower-cased text, so two identical malformed emails still agree.
 *
 * @example canonicalEmail("Ann+x@EXAMPLE.com") // "ann@example.com"
 */
export function canonicalEmail(s: string): string {
  const e = s.trim().toLowerCase();
  if (!e.includes("@")) return e;
  const { local, domain } = emailParts(e);
  return `${local}@${domain}`;
}

/**
 * The leading house number of a street address ("" when it does not start with a digit).
 * A letter suffix is not part of it: `"12B Elm St"` gives `"12"`.
 *
 * @example houseNumber("  4021 Main Street Apt. 5") // "4021"
 */
export function houseNumber(address: string): string {
  return /^\s*(\d+)/.exec(address)?.[1] ?? "";
}

/**
 * A name for comparison: trimmed, lower-cased, runs of whitespace as one space. Accents and
 * punctuation are kept: whether "José" is "Jose" is the matcher's question, not the feature's.
 *
 * @example normalizeName("  Mary   ANN ") // "mary ann"
 */
export function normalizeName(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * A postal code for comparison: whitespace removed, upper-cased; a US ZIP+4 (`12345-6789`)
 * becomes its five-digit ZIP so it equals the short form.
 *
 * @example normalizeZip(" 02134-1234 ") // "02134"
 */
export function normalizeZip(s: string): string {
  const z = s.replace(/\s+/g, "").toUpperCase();
  return /^\d{5}-?\d{4}$/.test(z) ? z.slice(0, 5) : z;
}

/**
 * A record's fields normalised once, as every feature and hard rule compares them: pairing
 * compares each record with many others, and normalising per comparison was a third of its time.
 */
export interface NormalView {
  /** {@link canonicalEmail}. */
  readonly email: string;
  /** {@link emailParts}. */
  readonly local: string;
  readonly domain: string;
  /** {@link normalizePhone}. */
  readonly phone: string;
  /** {@link normalizeName} of the first name, of the last name, and of "first last". */
  readonly first: string;
  readonly last: string;
  readonly full: string;
  /** {@link normalizeZip}, {@link houseNumber}. */
  readonly zip: string;
  readonly house: string;
}

/**
 * A record's {@link NormalView}.
 *
 * @example normalView(ann).email // "ann@example.com"
 */
export function normalView(r: RecordView): NormalView {
  // canonicalEmail and emailParts both trim and lower-case the email and split it; done once
  // here (trimming and lower-casing twice gives the same text), and an email without a `+tag`
  // is its own canonical form, so no new string is made for it.
  const e = r.email.trim().toLowerCase();
  const { local, domain } = emailParts(e);
  const at = e.lastIndexOf("@");
  const email = at === -1 ? e : at === local.length ? e : `${local}@${domain}`;
  return {
    email,
    local,
    domain,
    phone: normalizePhone(r.phone),
    first: normalizeName(r.first_name),
    last: normalizeName(r.last_name),
    full: normalizeName(`${r.first_name} ${r.last_name}`),
    zip: normalizeZip(r.zip),
    house: houseNumber(r.address),
  };
}

/** 1 when both values are non-empty and equal: a blank is not evidence. */
export function same(a: string, b: string): 0 | 1 {
  return a !== "" && a === b ? 1 : 0;
}

/** Jaro-Winkler, but 0 when either side is blank (two blanks would otherwise score 1). */
export function jwOrZero(a: string, b: string): number {
  return a === "" || b === "" ? 0 : jaroWinkler(a, b);
}

/**
 * The light features of two normalised records (see {@link pairFeatures}).
 *
 * @example featuresOf(normalView(ann), normalView(annAgain)).email_equal // 1
 */
export function featuresOf(a: NormalView, b: NormalView, nameJw = jwOrZero(a.full, b.full)): PairFeatures {
  return {
    email_equal: same(a.email, b.email),
    email_domain_equal: same(a.domain, b.domain),
    email_local_equal: same(a.local, b.local),
    phone_equal: same(a.phone, b.phone),
    name_jw: nameJw,
    last_name_jw: jwOrZero(a.last, b.last),
    zip_equal: same(a.zip, b.zip),
    address_number_equal: same(a.house, b.house),
  };
}

/**
 * The light features of a record pair. Symmetric: `pairFeatures(a, b)` equals
 * `pairFeatures(b, a)`. Every equality is 0 when either side is blank; name scores are 0 when
 * either name is blank. Never throws.
 *
 * @example pairFeatures(ann, annAgain).email_equal // 1
 */
export function pairFeatures(a: RecordView, b: RecordView): PairFeatures {
  return featuresOf(normalView(a), normalView(b));
}

/** {@link isHardEmailDomain} on normalised records. */
export const hardEmailDomain = (a: NormalView, b: NormalView): boolean =>
  same(a.local, b.local) === 1 && a.domain !== "" && b.domain !== "" && a.domain !== b.domain;

/** {@link isHardSimilarName} on normalised records, given their full names' Jaro-Winkler. */
export const hardSimilarName = (a: NormalView, b: NormalView, nameJw: number): boolean =>
  nameJw > SIMILAR_NAME_JW && same(a.email, b.email) === 0 && same(a.phone, b.phone) === 0;

/** {@link isHardSameAddress} on normalised records, given their full names' Jaro-Winkler. */
export const hardSameAddress = (a: NormalView, b: NormalView, nameJw: number): boolean =>
  same(a.zip, b.zip) === 1 && same(a.house, b.house) === 1 && a.full !== "" && b.full !== "" && nameJw <= SIMILAR_NAME_JW;

/**
 * Hard negative "same local part, other domain": both emails have a non-empty local part and a
 * non-empty domain, the local parts are equal and the domains differ (`ann.lee@acme.com` and
 * `ann.lee@gmail.com`).
 *
 * @example isHardEmailDomain(annAtAcme, annAtGmail) // true
 */
export function isHardEmailDomain(a: RecordView, b: RecordView): boolean {
  return hardEmailDomain(normalView(a), normalView(b));
}

/**
 * Hard negative "similar name": full-name Jaro-Winkler above {@link SIMILAR_NAME_JW} (0.9), and
 * neither the email nor the phone agrees (`email_equal` and `phone_equal` are 0; a blank never
 * agrees, so a record without a phone does not save the pair from being hard).
 *
 * @example isHardSimilarName(jonSmith, johnSmith) // true when emails and phones differ
 */
export function isHardSimilarName(a: RecordView, b: RecordView): boolean {
  const na = normalView(a);
  const nb = normalView(b);
  return hardSimilarName(na, nb, jwOrZero(na.full, nb.full));
}

/**
 * Hard negative "same address": equal non-empty zips and equal non-empty house numbers, while
 * both full names are present and not similar (Jaro-Winkler at most {@link SIMILAR_NAME_JW}).
 * Full names rather than last names, so two people of one household (same last name, other
 * first name) count: they are the hardest same-address pairs.
 *
 * @example isHardSameAddress(annAt12Elm, bobAt12Elm) // true
 */
export function isHardSameAddress(a: RecordView, b: RecordView): boolean {
  const na = normalView(a);
  const nb = normalView(b);
  return hardSameAddress(na, nb, jwOrZero(na.full, nb.full));
}
