/**
 * Checks of the profile truth: `truth/entity_profiles.csv` accounts for every record's contact
 * points, and `truth/confusers.csv` names real, distinct entities.
 */
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { CONFUSER_KINDS } from "./presets.js";
import { cellAt, entityOf, fieldFor, type WrittenData, type WrittenIndex } from "./written.js";

/** Contacts and their labels, as profiles-truth.ts writes them. */
const LABELS: Readonly<Record<string, readonly string[]>> = {
  last_name: ["current", "previous"],
  suffix: ["primary"],
  email: ["personal", "work", "family"],
  phone: ["mobile", "landline", "work"],
  address: ["current", "previous", "office"],
};
/** Contacts every record uses exactly one of. */
const ONE_EACH = ["last_name", "email", "phone", "address"] as const;
/** Contacts whose listed value a record's cell must hold unless the corruption log says it changed. */
const VALUE_RULES = ["email", "phone", "address"] as const;

/** Each entity's personal email and mobile, from the profile rows. */
type Personal = Map<string, { email?: string; mobile?: string }>;

/**
 * The personal contacts of each data set's entities, kept when {@link entityProfiles} has read
 * the rows: in `generate` the rows are made (and hashed) again for each pass, so `confusers`
 * takes them from that pass instead of a second one.
 */
const personalOf = new WeakMap<WrittenData, Personal>();

/** Adds a profile row to `personal` if it is a personal email or a mobile. */
function notePersonal(personal: Personal, p: { entity_id: string; contact: string; label: string; value: string }): void {
  if (!((p.contact === "email" && p.label === "personal") || (p.contact === "phone" && p.label === "mobile"))) return;
  const own = personal.get(p.entity_id) ?? {};
  if (p.contact === "email") own.email = p.value;
  else own.mobile = p.value;
  personal.set(p.entity_id, own);
}

/**
 * `entity_profiles`: every profile row is well formed and names records of its own entity; every
 * record uses exactly one last name, email, phone and address of its entity's profile; and its email, phone and address cells hold the listed values unless the
 * corruption log changed that field (with hashed PII both sides are the same sha256, so the
 * comparison holds there too).
 */
export function entityProfiles(data: WrittenData, ix: WrittenIndex): CheckResult {
  const v = new ViolationList();
  // Records by `source/id`, and per record a count per contact and the listed value per value
  // rule, in flat arrays: at 10x volumes a map per record was a gigabyte.
  const position = new Map<string, number>();
  const refs: string[] = [];
  for (const [name, { byId }] of ix.rows)
    for (const id of byId.keys()) {
      position.set(`${name}/${id}`, refs.length);
      refs.push(`${name}/${id}`);
    }
  const counts = new Uint8Array(refs.length * ONE_EACH.length);
  const listed = VALUE_RULES.map(() => new Array<string | undefined>(refs.length));
  const slot = Object.fromEntries(ONE_EACH.map((c, k) => [c, k])) as Record<string, number>;
  const valueSlot = Object.fromEntries(VALUE_RULES.map((c, k) => [c, k])) as Record<string, number>;
  let rows = 0;
  const personal: Personal = new Map();
  for (const row of data.profiles) {
    const i = rows++;
    notePersonal(personal, row);
    const labels = LABELS[row.contact];
    if (!/^E\d{7}$/.test(row.entity_id) || labels === undefined || !labels.includes(row.label)) {
      v.add({ row: i, ...row, problem: "unknown entity id, contact or label" });
      continue;
    }
    for (const r of row.records === "" ? [] : row.records.split(" ")) {
      const slash = r.indexOf("/");
      const entity = slash === -1 ? undefined : entityOf(data.truth, r.slice(0, slash), r.slice(slash + 1));
      const at = position.get(r);
      if (entity !== row.entity_id || at === undefined) {
        v.add({ row: i, record: r, entity_id: row.entity_id, truth: entity ?? null, problem: "a listed record is not of this entity" });
        continue;
      }
      const k = slot[row.contact];
      if (k !== undefined) counts[at * ONE_EACH.length + k] = Math.min(255, (counts[at * ONE_EACH.length + k] as number) + 1);
      const w = valueSlot[row.contact];
      if (w !== undefined) (listed[w] as (string | undefined)[])[at] = row.value;
    }
  }
  personalOf.set(data, personal);
  // A duplicate copies its base's cells, corrupted ones included, and logs only its own changes:
  // a change logged for any record of the entity in the source explains the cell.
  const changed = new Set(data.corruptions.map((c) => `${c.source}/${entityOf(data.truth, c.source, c.id) ?? ""}#${c.field}`));
  let checked = 0;
  let at = 0;
  for (const [name, { source, byId }] of ix.rows) {
    const fields = VALUE_RULES.map((rule) => fieldFor(source, rule));
    for (const [id, row] of byId) {
      const r = refs[at] as string;
      ONE_EACH.forEach((contact, k) => {
        const n = counts[at * ONE_EACH.length + k] as number;
        if (n !== 1) v.add({ record: r, contact, listed: n, problem: "a record uses exactly one of each contact" });
      });
      const entity = entityOf(data.truth, name, id) ?? "";
      fields.forEach((field, w) => {
        const want = (listed[w] as (string | undefined)[])[at];
        if (want === undefined || !Object.hasOwn(row, field)) return;
        checked++;
        const cell = cellAt(row, field);
        if (cell !== want && !changed.has(`${name}/${entity}#${field}`))
          v.add({ record: r, field, cell, profile: want, problem: "the cell is neither the profile's value nor a logged corruption" });
      });
      at++;
    }
  }
  return check(
    "entity_profiles",
    "every record uses one of each of its entity's contacts, and holds their values unless corrupted",
    { profile_rows: rows, records: refs.length, cells_checked: checked },
    v,
  );
}

/** `confusers`: every planted confuser is a known kind and two distinct entities with profiles, with their own email and mobile. */
export function confusers(data: WrittenData): CheckResult {
  const v = new ViolationList();
  let personal = personalOf.get(data);
  if (personal === undefined) {
    personal = new Map();
    for (const p of data.profiles) notePersonal(personal, p);
  }
  for (const [i, c] of data.confusers.entries()) {
    const a = personal.get(c.entity_id);
    const b = personal.get(c.of_entity_id);
    if (!(CONFUSER_KINDS as readonly string[]).includes(c.kind)) v.add({ row: i, ...c, problem: "unknown confuser kind" });
    else if (c.entity_id === c.of_entity_id) v.add({ row: i, ...c, problem: "a confuser of itself" });
    // An origin without records has no profile rows: only a confuser with records is listed.
    else if (a === undefined) v.add({ row: i, ...c, problem: "the confuser has no profile" });
    else if (b !== undefined && (a.email === b.email || a.mobile === b.mobile))
      v.add({ row: i, ...c, problem: "the confuser shares its origin's personal email or mobile: the same entity by accident" });
  }
  return check(
    "confusers",
    "planted confusers are known kinds of two distinct entities, each with its own email and mobile",
    { confusers: data.confusers.length },
    v,
  );
}
