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
  address: ["current", "previous"],
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
  // Per record (numbered in index order: sources, then ids) a count per contact and the listed
  // value per value rule, in flat arrays: at 10x volumes a map per record was a gigabyte. Records
  // are found by source, then id: no `source/id` string is made per record or per listed record
  // (source names hold no "/", so a listed `source/id` splits at its first "/").
  const positionOf = new Map<string, { readonly name: string; readonly byId: Map<string, number> }>();
  let recordCount = 0;
  for (const [name, { byId }] of ix.rows) {
    const positions = new Map<string, number>();
    for (const id of byId.keys()) positions.set(id, recordCount++);
    positionOf.set(name, { name, byId: positions });
  }
  const sources = [...positionOf.values()];
  const counts = new Uint8Array(recordCount * ONE_EACH.length);
  const listed = VALUE_RULES.map(() => new Array<string | undefined>(recordCount));
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
    const k = slot[row.contact];
    const w = valueSlot[row.contact];
    // The space-separated `source/id` list, walked in place (as `split(" ")` would cut it).
    const list = row.records;
    for (let start = 0; list !== "" && start <= list.length; ) {
      let end = list.indexOf(" ", start);
      if (end === -1) end = list.length;
      const slash = list.indexOf("/", start);
      let entity: string | undefined;
      let at: number | undefined;
      if (slash !== -1 && slash < end) {
        const id = list.slice(slash + 1, end);
        const source = sources.find((s) => slash - start === s.name.length && list.startsWith(s.name, start));
        const name = source === undefined ? list.slice(start, slash) : source.name;
        entity = entityOf(data.truth, name, id);
        at = source?.byId.get(id);
      }
      if (entity !== row.entity_id || at === undefined) {
        const record = list.slice(start, end);
        v.add({ row: i, record, entity_id: row.entity_id, truth: entity ?? null, problem: "a listed record is not of this entity" });
      } else {
        if (k !== undefined) counts[at * ONE_EACH.length + k] = Math.min(255, (counts[at * ONE_EACH.length + k] as number) + 1);
        if (w !== undefined) (listed[w] as (string | undefined)[])[at] = row.value;
      }
      start = end + 1;
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
      for (let k = 0; k < ONE_EACH.length; k++) {
        const n = counts[at * ONE_EACH.length + k] as number;
        if (n !== 1)
          v.add({ record: `${name}/${id}`, contact: ONE_EACH[k], listed: n, problem: "a record uses exactly one of each contact" });
      }
      const entity = entityOf(data.truth, name, id) ?? "";
      for (let w = 0; w < fields.length; w++) {
        const field = fields[w] as string;
        const want = (listed[w] as (string | undefined)[])[at];
        if (want === undefined || !Object.hasOwn(row, field)) continue;
        checked++;
        const cell = cellAt(row, field);
        if (cell !== want && !changed.has(`${name}/${entity}#${field}`))
          v.add({
            record: `${name}/${id}`,
            field,
            cell,
            profile: want,
            problem: "the cell is neither the profile's value nor a logged corruption",
          });
      }
      at++;
    }
  }
  return check(
    "entity_profiles",
    "every record uses one of each of its entity's contacts, and holds their values unless corrupted",
    { profile_rows: rows, records: recordCount, cells_checked: checked },
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
