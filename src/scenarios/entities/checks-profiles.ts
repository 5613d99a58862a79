/**
 * Checks of the profile truth: `truth/entity_profiles.csv` accounts for every record's contact
 * points, and `truth/confusers.csv` names real, distinct entities.
 */
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { CONFUSER_KINDS } from "./presets.js";
import { entityOf, fieldFor, type WrittenData, type WrittenIndex, type WrittenProfile, type WrittenRow } from "./written.js";

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
/** Index of each contact in {@link ONE_EACH}, and of each value rule in {@link VALUE_RULES}. */
const SLOT: Readonly<Record<string, number>> = Object.fromEntries(ONE_EACH.map((c, k) => [c, k]));
const VALUE_SLOT: Readonly<Record<string, number>> = Object.fromEntries(VALUE_RULES.map((c, k) => [c, k]));

/** An entity's personal email and mobile, as its profile rows give them (either may be missing). */
interface PersonalContacts {
  email: string | undefined;
  mobile: string | undefined;
}

/**
 * Each entity's personal email and mobile, from the profile rows: by entity number (the index's)
 * in arrays, and in a map for an entity id the index does not number (at 10x volumes a map of an
 * object per entity, keyed by the rows' fresh id strings, was about 40 MB).
 */
class Personal {
  private readonly email: (string | undefined)[];
  private readonly mobile: (string | undefined)[];
  private readonly noted: Uint8Array;
  private readonly others = new Map<string, PersonalContacts>();
  constructor(private readonly numbers: ReadonlyMap<string, number>) {
    this.email = new Array<string | undefined>(numbers.size);
    this.mobile = new Array<string | undefined>(numbers.size);
    this.noted = new Uint8Array(numbers.size);
  }
  /** Notes a profile row if it is a personal email or a mobile. */
  note(p: { entity_id: string; contact: string; label: string; value: string }): void {
    const email = p.contact === "email" && p.label === "personal";
    if (!(email || (p.contact === "phone" && p.label === "mobile"))) return;
    const k = this.numbers.get(p.entity_id);
    if (k === undefined) {
      const own = this.others.get(p.entity_id) ?? { email: undefined, mobile: undefined };
      own[email ? "email" : "mobile"] = p.value;
      this.others.set(p.entity_id, own);
      return;
    }
    this.noted[k] = 1;
    (email ? this.email : this.mobile)[k] = p.value;
  }
  /** The entity's noted contacts; undefined when no row of it was a personal email or mobile. */
  get(entityId: string): PersonalContacts | undefined {
    const k = this.numbers.get(entityId);
    if (k === undefined) return this.others.get(entityId);
    return this.noted[k] === 1 ? { email: this.email[k], mobile: this.mobile[k] } : undefined;
  }
}

/**
 * The personal contacts of each data set's entities, kept when {@link EntityProfilesCheck} has
 * read the rows: `confusers` takes them from that pass instead of a second one (in `generate`
 * the rows are not held at all: each is read as it is written, and `data.profiles` is empty).
 */
const personalOf = new WeakMap<WrittenData, Personal>();

/**
 * `entity_profiles`: every profile row is well formed and names records of its own entity; every
 * record uses exactly one last name, email, phone and address of its entity's profile; and its email, phone and address cells hold the listed values unless the
 * corruption log changed that field (with hashed PII both sides are the same sha256, so the
 * comparison holds there too).
 */
export function entityProfiles(data: WrittenData, ix: WrittenIndex): CheckResult {
  const rows = new EntityProfilesCheck(data, ix);
  for (const row of data.profiles) rows.add(row);
  return rows.result();
}

/**
 * {@link entityProfiles} as the profile rows come, one at a time in file order, then `result`:
 * `generate` gives it each row as the row is written, so the rows are made once instead of again
 * for the gates (at default volumes 206,000 rows, about 0.1 s and 115 MB of allocations). `data`
 * gives the truth, records and corruption log; its `profiles` are not read.
 *
 * @example const c = new EntityProfilesCheck(data, ix); for (const r of rows) c.add(r); c.result().status
 */
export class EntityProfilesCheck {
  private readonly v = new ViolationList();
  // By slot (written.ts): a count per contact and the listed value per value rule, in flat
  // arrays (at 10x volumes a map per record was a gigabyte); entities are the index's numbers.
  private readonly counts: Uint8Array;
  private readonly listed: (string | undefined)[][];
  private rows = 0;
  private readonly personal: Personal;
  // An entity's rows come together and mostly list the same records: each distinct `records`
  // cell of the entity read last is split and looked up once (when all its records are of that
  // entity; a cell with a stray record is read again each time, to report each row).
  private entity: string | null = null;
  private entityNumber = -2;
  private readonly read = new Map<string, readonly number[]>();
  private readonly positions: number[] = [];
  constructor(
    private readonly data: WrittenData,
    private readonly ix: WrittenIndex,
  ) {
    const slots = ix.slotRow.length;
    this.counts = new Uint8Array(slots * ONE_EACH.length);
    this.listed = VALUE_RULES.map(() => new Array<string | undefined>(slots));
    this.personal = new Personal(ix.entityNumber);
  }

  /** Reads the next profile row. */
  add(row: WrittenProfile): void {
    const { ix, v } = this;
    const i = this.rows++;
    this.personal.note(row);
    if (row.entity_id !== this.entity) {
      this.read.clear();
      this.entity = /^E\d{7}$/.test(row.entity_id) ? row.entity_id : null;
      // An entity no record has: -2, which no slot holds (-1 is a record the truth does not know).
      this.entityNumber = this.entity === null ? -2 : (ix.entityNumber.get(this.entity) ?? -2);
    }
    const entity = this.entity;
    const labels = LABELS[row.contact];
    if (entity === null || labels === undefined || !labels.includes(row.label)) {
      v.add({ row: i, ...row, problem: "unknown entity id, contact or label" });
      return;
    }
    if (row.records === "") return;
    let ats = this.read.get(row.records);
    if (ats === undefined) {
      const positions = this.positions;
      positions.length = 0;
      let stray = false;
      for (const r of row.records.split(" ")) {
        // Source names hold no "/": the first one ends the source.
        const slash = r.indexOf("/");
        const at = slash === -1 ? undefined : ix.rows.get(r.slice(0, slash))?.byId.get(r.slice(slash + 1));
        if (at !== undefined && ix.slotEntity[at] === this.entityNumber) positions.push(at);
        else {
          stray = true;
          const truth = slash === -1 ? undefined : entityOf(this.data.truth, r.slice(0, slash), r.slice(slash + 1));
          v.add({ row: i, record: r, entity_id: entity, truth: truth ?? null, problem: "a listed record is not of this entity" });
        }
      }
      ats = [...positions];
      if (!stray) this.read.set(row.records, ats);
    }
    const k = SLOT[row.contact] ?? -1;
    const into = this.listed[VALUE_SLOT[row.contact] ?? -1];
    for (const at of ats) {
      if (k !== -1) {
        const c = at * ONE_EACH.length + k;
        if ((this.counts[c] as number) < 255) (this.counts[c] as number)++;
      }
      if (into !== undefined) into[at] = row.value;
    }
  }

  /** The check, once every row has been read. */
  result(): CheckResult {
    const { data, ix, v, counts, listed } = this;
    const slots = ix.slotRow.length;
    const entities = ix.slotEntity;
    personalOf.set(data, this.personal);

    // A duplicate copies its base's cells, corrupted ones included, and logs only its own changes:
    // a change logged for any record of the entity in the source explains the cell. Kept as source
    // -> entity number -> a bit per value rule whose field the log changed: the only cells checked
    // below are of records a profile row of their entity lists, so a log row of another source or
    // field, of a record the truth does not know or of an entity no record has explains none.
    const changed = new Map<string, Map<number, number>>();
    for (const c of data.corruptions) {
      const known = ix.rows.get(c.source);
      if (known === undefined) continue;
      let bits = 0;
      for (let w = 0; w < VALUE_RULES.length; w++) if (fieldFor(known.source, VALUE_RULES[w] as string) === c.field) bits |= 1 << w;
      if (bits === 0) continue;
      let ofSource = changed.get(c.source);
      if (ofSource === undefined) {
        ofSource = new Map();
        changed.set(c.source, ofSource);
      }
      const id = entityOf(data.truth, c.source, c.id);
      const e = id === undefined ? undefined : ix.entityNumber.get(id);
      if (e === undefined) continue;
      ofSource.set(e, (ofSource.get(e) ?? 0) | bits);
    }
    let checked = 0;
    for (const [name, { source, byId }] of ix.rows) {
      const fields = VALUE_RULES.map((rule) => fieldFor(source, rule));
      const changedHere = changed.get(name);
      for (const at of byId.values()) {
        const row = ix.slotRow[at] as WrittenRow;
        for (let k = 0; k < ONE_EACH.length; k++) {
          const n = counts[at * ONE_EACH.length + k] as number;
          if (n !== 1)
            v.add({
              record: `${name}/${ix.slotId[at]}`,
              contact: ONE_EACH[k],
              listed: n,
              problem: "a record uses exactly one of each contact",
            });
        }
        for (let w = 0; w < fields.length; w++) {
          const field = fields[w] as string;
          const want = (listed[w] as (string | undefined)[])[at];
          if (want === undefined || !Object.hasOwn(row, field)) continue;
          checked++;
          const cell = row[field] as string;
          if (cell !== want && (((changedHere?.get(entities[at] as number) ?? 0) >> w) & 1) !== 1)
            v.add({
              record: `${name}/${ix.slotId[at]}`,
              field,
              cell,
              profile: want,
              problem: "the cell is neither the profile's value nor a logged corruption",
            });
        }
      }
    }
    return check(
      "entity_profiles",
      "every record uses one of each of its entity's contacts, and holds their values unless corrupted",
      { profile_rows: this.rows, records: slots, cells_checked: checked },
      v,
    );
  }
}

/** `confusers`: every planted confuser is a known kind and two distinct entities with profiles, with their own email and mobile. */
export function confusers(data: WrittenData): CheckResult {
  const v = new ViolationList();
  let personal = personalOf.get(data);
  if (personal === undefined) {
    personal = new Personal(new Map());
    for (const p of data.profiles) personal.note(p);
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
