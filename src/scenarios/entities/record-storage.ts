/**
 * How generated records, profiles and log rows are kept: the same values, in less memory. At 10x
 * volumes the records and profiles are most of the run's live heap, and every later stage (pairs,
 * files, gates) reads them, so they are held to the end.
 *
 * - A string built by concatenation (an email, a work phone with its extension, an address) is a
 *   tree of its pieces until something reads it whole. It is flattened once when stored, so the
 *   tree and pieces no one else holds can go (about a tenth of the records' memory).
 * - A record's contact use is one of a few dozen combinations: equal ones share one object.
 * - A date cell is one of about 730 days: each day's text is made once (`daysBefore` in records.ts).
 */
import type { ContactUse, EntityProfile, Place } from "./profile.js";

/**
 * Flattens `s` in place and returns it. Converting a string to a number reads it whole, which
 * makes V8 flatten a concatenation into one sequential string (the next GC then drops the
 * pieces); the number is thrown away. The value is unchanged: only how it is held.
 */
export function flat(s: string): string {
  Number(s);
  return s;
}

/** Flattens every string cell of a row of values (see {@link flat}); returns the row. */
export function flatValues<R extends Readonly<Record<string, string>>>(row: R): R {
  for (const k in row) flat(row[k] as string);
  return row;
}

function flatPlace(p: Place | null): void {
  if (p === null) return;
  flat(p.address);
  flat(p.city);
  flat(p.state);
  flat(p.zip);
}

/** Flattens every string of a profile (see {@link flat}); returns it. */
export function flatProfile(p: EntityProfile): EntityProfile {
  flat(p.first_name);
  flat(p.last_name);
  flat(p.suffix);
  if (p.previous_last_name !== null) flat(p.previous_last_name);
  flat(p.company);
  for (const v of [p.emails.personal, p.emails.work, p.emails.family, p.phones.mobile, p.phones.landline, p.phones.work])
    if (v !== null) flat(v);
  flatPlace(p.place);
  flatPlace(p.previous_place);
  return p;
}

/**
 * Equal values, one copy: `share(v)` returns the first value stored under `keyOf(v)`. For
 * immutable values only (they are shared by everyone who stored an equal one). At most `max`
 * values are kept; a value past them is returned as it is.
 *
 * @example const uses = sharing(JSON.stringify); uses(a) === uses({ ...a }) // true
 */
export function sharing<T>(keyOf: (value: T) => string, max = Number.POSITIVE_INFINITY): (value: T) => T {
  const kept = new Map<string, T>();
  return (value) => {
    const key = keyOf(value);
    const before = kept.get(key);
    if (before !== undefined) return before;
    if (kept.size < max) kept.set(key, value);
    return value;
  };
}

/** Shares equal contact uses (keyed by all their fields, so a field added to ContactUse is never lost). */
export const sharedUses = (): ((uses: ContactUse) => ContactUse) => sharing<ContactUse>((u) => JSON.stringify(u));
