/**
 * The truth about entities beyond "which records are one": `truth/entity_profiles.csv` (every
 * contact point of every entity and the records that use it) and `truth/confusers.csv` (every
 * planted confuser and the entity it was made to look like).
 *
 * Profile rows, one per contact point: `entity_id, contact, label, value, city, state, zip,
 * records`, where `contact` is last_name, suffix, email, phone or address (an entity's first name
 * and company are the same in all its records, before corruption, so they are not listed);
 * `label` says which one (email: personal, work, family; phone: mobile, landline, work; address:
 * current, previous, office; last_name: current, previous); city, state and zip are filled for addresses; `records` lists the
 * `source/id` of every record that uses it, space-separated, in id order (duplicates included:
 * they copy their base). A contact point no record uses is listed with no records.
 */
import type { ContactUse } from "./profile.js";
import type { EntityInfo, GeneratedRecords } from "./records.js";

export const PROFILE_COLUMNS = ["entity_id", "contact", "label", "value", "city", "state", "zip", "records"] as const;
export const CONFUSER_COLUMNS = ["entity_id", "kind", "of_entity_id"] as const;

/** Profile contacts whose values are PII (hashed with `--pii hashed`). */
export const PII_CONTACTS: ReadonlySet<string> = new Set(["last_name", "suffix", "email", "phone", "address"]);

/** `E0000042`: how the truth files name entity 42. */
export const entityId = (e: number): string => `E${String(e).padStart(7, "0")}`;

/** Entities whose rows {@link profileTable} keeps at most (a CSV block holds about 1,000). */
const ROW_CACHE_ENTITIES = 4096;

/** The profile truth as rows made on demand: {@link PROFILE_COLUMNS} cells, in entity order. */
export interface ProfileTable {
  readonly count: number;
  /** Row `i` (the rows of the entities read lately are kept between calls). */
  rowAt(i: number): readonly string[];
}

type Use = GeneratedRecords["sources"][number]["records"][number];

/**
 * The profile rows of every entity that has a record, in entity order; `hash` is applied to PII
 * values. Rows are made when asked for, one entity at a time: at 10x volumes the rows held whole
 * were more memory than the records.
 *
 * @example profileTable(gen, (v) => v).rowAt(0) // ["E0000000", "last_name", "current", "Lee", "", "", "", "leads/L000017"]
 */
export function profileTable(gen: GeneratedRecords, hash: (value: string) => string): ProfileTable {
  const users: Use[][] = [];
  for (const { records } of gen.sources)
    for (const r of records) {
      let list = users[r.entity];
      if (list === undefined) {
        list = [];
        users[r.entity] = list;
      }
      list.push(r);
    }
  const entities: number[] = [];
  const starts: number[] = [0];
  users.forEach((list, e) => {
    if (list === undefined) return;
    entities.push(e);
    starts.push((starts[starts.length - 1] as number) + rowsOf(gen.entities[e] as EntityInfo));
  });
  // The rows of the entities read lately: a CSV block is filled column by column, so each of
  // its ~1,000 entities is asked for once per column. Cleared when it grows past the limit.
  const cache = new Map<number, string[][]>();
  return {
    count: starts[starts.length - 1] as number,
    rowAt(i) {
      // The entity holding row i: the last start at or before i.
      let lo = 0;
      let hi = entities.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= i) lo = mid;
        else hi = mid - 1;
      }
      let rows = cache.get(lo);
      if (rows === undefined) {
        if (cache.size >= ROW_CACHE_ENTITIES) cache.clear();
        const e = entities[lo] as number;
        rows = entityRows(e, gen.entities[e] as EntityInfo, users[e] as Use[], hash);
        cache.set(lo, rows);
      }
      const row = rows[i - (starts[lo] as number)];
      if (row === undefined) throw new Error(`profile row ${i} is past its entity's rows: rowsOf and entityRows disagree`);
      return row;
    },
  };
}

/** How many profile rows an entity has. */
function rowsOf({ profile: p }: EntityInfo): number {
  const { emails: m, phones: ph } = p;
  // Always: the current last name, the personal email, the mobile, the current address.
  return (
    4 +
    (p.previous_last_name !== null ? 1 : 0) +
    (p.suffix !== "" ? 1 : 0) +
    (m.work !== null ? 1 : 0) +
    (m.family !== null ? 1 : 0) +
    (ph.landline !== null ? 1 : 0) +
    (ph.work !== null ? 1 : 0) +
    (p.previous_place !== null ? 1 : 0) +
    (p.office !== null ? 1 : 0)
  );
}

/** The profile rows of entity `e`, whose records are `list`. */
function entityRows(e: number, { profile: p }: EntityInfo, list: readonly Use[], hash: (value: string) => string): string[][] {
  const rows: string[][] = [];
  const sorted = [...list].sort((a, b) => (a.source === b.source ? (a.id < b.id ? -1 : 1) : a.source < b.source ? -1 : 1));
  const refs = (keep: (u: ContactUse) => boolean) =>
    sorted
      .filter((u) => keep(u.uses))
      .map((u) => `${u.source}/${u.id}`)
      .join(" ");
  const row = (contact: string, label: string, value: string, place: readonly [string, string, string] | null, records: string) =>
    rows.push([entityId(e), contact, label, PII_CONTACTS.has(contact) ? hash(value) : value, ...(place ?? ["", "", ""]), records]);
  row(
    "last_name",
    "current",
    p.last_name,
    null,
    refs((u) => !(u.previous_last_name && p.previous_last_name !== null)),
  );
  if (p.previous_last_name !== null)
    row(
      "last_name",
      "previous",
      p.previous_last_name,
      null,
      refs((u) => u.previous_last_name),
    );
  if (p.suffix !== "")
    row(
      "suffix",
      "primary",
      p.suffix,
      null,
      refs((u) => u.suffix),
    );
  for (const label of ["personal", "work", "family"] as const) {
    const value = p.emails[label];
    if (value !== null)
      row(
        "email",
        label,
        value,
        null,
        refs((u) => u.email === label),
      );
  }
  for (const label of ["mobile", "landline", "work"] as const) {
    const value = p.phones[label];
    if (value !== null)
      row(
        "phone",
        label,
        value,
        null,
        refs((u) => u.phone === label),
      );
  }
  const at = (pl: { city: string; state: string; zip: string }) => [pl.city, pl.state, pl.zip] as const;
  row(
    "address",
    "current",
    p.place.address,
    at(p.place),
    refs((u) => !(u.office && p.office !== null) && !(u.previous_place && p.previous_place !== null)),
  );
  // The office wins over a previous address: a business card gives the office (identityOf).
  if (p.previous_place !== null)
    row(
      "address",
      "previous",
      p.previous_place.address,
      at(p.previous_place),
      refs((u) => u.previous_place && !(u.office && p.office !== null)),
    );
  if (p.office !== null)
    row(
      "address",
      "office",
      p.office.address,
      at(p.office),
      refs((u) => u.office),
    );
  return rows;
}

/** One row per planted confuser, in entity order. */
export function confuserRows(gen: GeneratedRecords): string[][] {
  const rows: string[][] = [];
  gen.entities.forEach((info, e) => {
    if (info.confuser !== null) rows.push([entityId(e), info.confuser.kind, entityId(info.confuser.of)]);
  });
  return rows;
}
