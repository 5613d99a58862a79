/**
 * The truth about entities beyond "which records are one": `truth/entity_profiles.csv` (every
 * contact point of every entity and the records that use it) and `truth/confusers.csv` (every
 * planted confuser and the entity it was made to look like).
 *
 * Profile rows, one per contact point: `entity_id, contact, label, value, city, state, zip,
 * records`, where `contact` is first_name, last_name, suffix, email, phone, address or company;
 * `label` says which one (email: personal, work, family; phone: mobile, landline, work; address and
 * last_name: current, previous); city, state and zip are filled for addresses; `records` lists the
 * `source/id` of every record that uses it, space-separated, in id order (duplicates included:
 * they copy their base). A contact point no record uses is listed with no records.
 */
import type { EntityInfo, GeneratedRecords } from "./records.js";

export const PROFILE_COLUMNS = ["entity_id", "contact", "label", "value", "city", "state", "zip", "records"] as const;
export const CONFUSER_COLUMNS = ["entity_id", "kind", "of_entity_id"] as const;

/** Profile contacts whose values are PII (hashed with `--pii hashed`). */
export const PII_CONTACTS: ReadonlySet<string> = new Set(["first_name", "last_name", "suffix", "email", "phone", "address"]);

/** `E0000042`: how the truth files name entity 42. */
export const entityId = (e: number): string => `E${String(e).padStart(7, "0")}`;

/**
 * The profile rows of every entity that has a record, in entity order; `hash` is applied to PII
 * values.
 *
 * @example profileRows(gen, (v) => v)[0] // ["E0000000", "first_name", "primary", "Ann", "", "", "", "leads/L000017"]
 */
export function profileRows(gen: GeneratedRecords, hash: (value: string) => string): string[][] {
  const users = new Map<number, { source: string; id: string; r: GeneratedRecords["sources"][number]["records"][number] }[]>();
  for (const { records } of gen.sources)
    for (const r of records) {
      const list = users.get(r.entity) ?? [];
      list.push({ source: r.source, id: r.id, r });
      users.set(r.entity, list);
    }
  const rows: string[][] = [];
  const ids = [...users.keys()].sort((a, b) => a - b);
  for (const e of ids) {
    const { profile: p } = gen.entities[e] as EntityInfo;
    const list = (users.get(e) ?? []).sort((a, b) => (a.source === b.source ? (a.id < b.id ? -1 : 1) : a.source < b.source ? -1 : 1));
    const refs = (keep: (u: (typeof list)[number]["r"]["uses"]) => boolean) =>
      list
        .filter((u) => keep(u.r.uses))
        .map((u) => `${u.source}/${u.id}`)
        .join(" ");
    const row = (contact: string, label: string, value: string, place: readonly [string, string, string] | null, records: string) =>
      rows.push([entityId(e), contact, label, PII_CONTACTS.has(contact) ? hash(value) : value, ...(place ?? ["", "", ""]), records]);
    row(
      "first_name",
      "primary",
      p.first_name,
      null,
      refs(() => true),
    );
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
      refs((u) => !(u.previous_place && p.previous_place !== null)),
    );
    if (p.previous_place !== null)
      row(
        "address",
        "previous",
        p.previous_place.address,
        at(p.previous_place),
        refs((u) => u.previous_place),
      );
    row(
      "company",
      "primary",
      p.company,
      null,
      refs(() => true),
    );
  }
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
