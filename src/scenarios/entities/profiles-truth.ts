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
import { Buffer } from "node:buffer";
import type { ContactUse, EntityProfile, Place } from "./profile.js";
import type { GeneratedRecords } from "./records.js";

export const PROFILE_COLUMNS = ["entity_id", "contact", "label", "value", "city", "state", "zip", "records"] as const;
export const CONFUSER_COLUMNS = ["entity_id", "kind", "of_entity_id"] as const;

/** Profile contacts whose values are PII (hashed with `--pii hashed`). */
export const PII_CONTACTS: ReadonlySet<string> = new Set(["last_name", "suffix", "email", "phone", "address"]);

/** `E0000042`: how the truth files name entity 42. */
export const entityId = (e: number): string => `E${String(e).padStart(7, "0")}`;

/**
 * Entities whose rows {@link profileTable} keeps at most. CSV blocks are filled row by row, so a
 * row is asked for all its cells together and a few entities suffice; 4,096 kept a fifth of what
 * the rows allocated alive long enough to be promoted (10x peak RSS 2.18 GB; with 64, 1.06 GB).
 */
const ROW_CACHE_ENTITIES = 64;

/** The profile truth as rows made on demand: {@link PROFILE_COLUMNS} cells, in entity order. */
export interface ProfileTable {
  readonly count: number;
  /**
   * Row `i` (the rows of the entities read lately are kept between calls).
   *
   * @throws RangeError when `i` is not a row index.
   */
  rowAt(i: number): readonly string[];
}

type Use = GeneratedRecords["sources"][number]["records"][number];

/** One kind of profile row: whether a profile has it, its value and place, and which records use it. */
interface RowKind {
  readonly contact: string;
  readonly label: string;
  readonly has: (p: EntityProfile) => boolean;
  readonly value: (p: EntityProfile) => string;
  readonly place: ((p: EntityProfile) => Place) | null;
  readonly used: (u: ContactUse, p: EntityProfile) => boolean;
}

const always = (): boolean => true;
const email = (label: "personal" | "work" | "family"): RowKind => ({
  contact: "email",
  label,
  has: (p) => p.emails[label] !== null,
  value: (p) => p.emails[label] as string,
  place: null,
  used: (u) => u.email === label,
});
const phone = (label: "mobile" | "landline" | "work"): RowKind => ({
  contact: "phone",
  label,
  has: (p) => p.phones[label] !== null,
  value: (p) => p.phones[label] as string,
  place: null,
  used: (u) => u.phone === label,
});

/** The rows of a profile, in file order. */
const ROW_KINDS: readonly RowKind[] = [
  {
    contact: "last_name",
    label: "current",
    has: always,
    value: (p) => p.last_name,
    place: null,
    used: (u, p) => !(u.previous_last_name && p.previous_last_name !== null),
  },
  {
    contact: "last_name",
    label: "previous",
    has: (p) => p.previous_last_name !== null,
    value: (p) => p.previous_last_name as string,
    place: null,
    used: (u) => u.previous_last_name,
  },
  { contact: "suffix", label: "primary", has: (p) => p.suffix !== "", value: (p) => p.suffix, place: null, used: (u) => u.suffix },
  email("personal"),
  email("work"),
  email("family"),
  phone("mobile"),
  phone("landline"),
  phone("work"),
  {
    contact: "address",
    label: "current",
    has: always,
    value: (p) => p.place.address,
    place: (p) => p.place,
    used: (u, p) => !(u.office && p.office !== null) && !(u.previous_place && p.previous_place !== null),
  },
  // The office wins over a previous address: a business card gives the office (identityOf).
  {
    contact: "address",
    label: "previous",
    has: (p) => p.previous_place !== null,
    value: (p) => (p.previous_place as Place).address,
    place: (p) => p.previous_place as Place,
    used: (u, p) => u.previous_place && !(u.office && p.office !== null),
  },
  {
    contact: "address",
    label: "office",
    has: (p) => p.office !== null,
    value: (p) => (p.office as Place).address,
    place: (p) => p.office as Place,
    used: (u) => u.office,
  },
];

/** How many profile rows a profile has. */
const rowsOf = (p: EntityProfile): number => ROW_KINDS.reduce((n, kind) => n + (kind.has(p) ? 1 : 0), 0);

/** Record order in a `records` cell: source name, then id. */
const before = (a: Use, b: Use): boolean => (a.source === b.source ? a.id < b.id : a.source < b.source);

/** Value of each lowercase hex digit's character code (-1: not one), for {@link putDigest}. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) NIBBLE["0123456789abcdef".charCodeAt(d)] = d;

/**
 * Writes `text` into `into` at `at` as 32 bytes when it is a lowercase hex SHA-256 (what
 * `--pii hashed` makes); false (and `into` partly written) when it is not. A loop over the
 * character codes: a regular expression and `Buffer.write(..., "hex")` took three times as long.
 */
function putDigest(text: string, into: Uint8Array, at: number): boolean {
  if (text.length !== 64) return false;
  for (let b = 0; b < 32; b++) {
    const hi = text.charCodeAt(2 * b);
    const lo = text.charCodeAt(2 * b + 1);
    const h = hi < 128 ? (NIBBLE[hi] as number) : -1;
    const l = lo < 128 ? (NIBBLE[lo] as number) : -1;
    if ((h | l) < 0) return false;
    into[at + b] = (h << 4) | l;
  }
  return true;
}

/** Contacts whose values many entities share (1,778 last names over 33,501 rows by default): hashed once per value. */
const SHARED_VALUES: ReadonlySet<string> = new Set(["last_name", "suffix"]);

/**
 * The profile rows of every entity that has a record, in entity order; `hash` is applied to PII
 * values. Rows are made when asked for, one entity at a time: at 10x volumes the rows held whole
 * were more memory than the records. What is held: each entity's records in file order (one flat
 * array), and each row's hashed value once it has been made, compactly (a value `hash` left as is
 * takes a byte, a hex digest 33), so a second pass over the rows (the gates read them after the
 * file is written) hashes nothing again: 0.5 s of SHA-256 in a default `--pii hashed` run.
 * Reading rows in order costs no search: the last entity read is tried first, then the next.
 *
 * @example profileTable(gen, (v) => v).rowAt(0) // ["E0000000", "last_name", "current", "Lee", "", "", "", "leads/L000017"]
 */
export function profileTable(gen: GeneratedRecords, hash: (value: string) => string): ProfileTable {
  // The records of each entity, flat and grouped by entity: a counting sort over the sources in
  // name order keeps each source's id order, so a group is in file order unless a source's
  // records are not in id order (then that group is sorted).
  const sources = [...gen.sources].sort((a, b) => (a.schema.name < b.schema.name ? -1 : a.schema.name > b.schema.name ? 1 : 0));
  const entityCount = gen.entities.length;
  const groupStart = new Int32Array(entityCount + 1);
  for (const { records } of sources) for (const r of records) (groupStart[r.entity + 1] as number)++;
  for (let e = 0; e < entityCount; e++) (groupStart[e + 1] as number) += groupStart[e] as number;
  const fill = groupStart.slice(0, entityCount);
  const uses = new Array<Use>(groupStart[entityCount] as number);
  for (const { records } of sources)
    for (const r of records) {
      uses[fill[r.entity] as number] = r;
      (fill[r.entity] as number)++;
    }
  for (let e = 0; e < entityCount; e++) {
    const from = groupStart[e] as number;
    const to = groupStart[e + 1] as number;
    for (let k = from + 1; k < to; k++)
      if (!before(uses[k - 1] as Use, uses[k] as Use)) {
        const sorted = uses.slice(from, to).sort((a, b) => (before(a, b) ? -1 : 1));
        for (let j = 0; j < sorted.length; j++) uses[from + j] = sorted[j] as Use;
        break;
      }
  }
  // Entities with records ("slots"), and the first row of each.
  const entityOfSlot: number[] = [];
  const rowStarts: number[] = [0];
  for (let e = 0; e < entityCount; e++) {
    if (groupStart[e] === groupStart[e + 1]) continue;
    entityOfSlot.push(e);
    rowStarts.push((rowStarts[rowStarts.length - 1] as number) + rowsOf((gen.entities[e] as GeneratedRecords["entities"][number]).profile));
  }
  const slots = entityOfSlot.length;
  const starts = Int32Array.from(rowStarts);
  const count = starts[slots] as number;

  // Hashed values by row: 0 not made yet, 1 `hash` left the value as is, 2 a digest in `digests`,
  // 3 another text in `others`. Names shared by many entities are hashed once per value.
  const memo = new Uint8Array(count);
  let digests: Buffer | null = null;
  const others = new Map<number, string>();
  const byValue = new Map<string, string>();
  const hashed = (row: number, contact: string, value: string): string => {
    switch (memo[row]) {
      case 1:
        return value;
      case 2:
        return (digests as Buffer).toString("hex", row * 32, row * 32 + 32);
      case 3:
        return others.get(row) as string;
    }
    const shared = SHARED_VALUES.has(contact);
    let h = shared ? byValue.get(value) : undefined;
    if (h === undefined) {
      h = hash(value);
      if (shared) byValue.set(value, h);
    }
    if (h === value) {
      memo[row] = 1;
      return h;
    }
    digests ??= Buffer.alloc(count * 32);
    if (putDigest(h, digests, row * 32)) memo[row] = 2;
    else {
      others.set(row, h);
      memo[row] = 3;
    }
    return h;
  };

  const refs: string[] = [];
  const picked: string[] = [];
  /** The rows of slot `k`. */
  const rowsOfSlot = (k: number): string[][] => {
    const e = entityOfSlot[k] as number;
    const p = (gen.entities[e] as GeneratedRecords["entities"][number]).profile;
    const from = groupStart[e] as number;
    const to = groupStart[e + 1] as number;
    refs.length = 0;
    for (let j = from; j < to; j++) refs.push(`${(uses[j] as Use).source}/${(uses[j] as Use).id}`);
    const id = entityId(e);
    const rows: string[][] = [];
    let row = starts[k] as number;
    for (const kind of ROW_KINDS) {
      if (!kind.has(p)) continue;
      picked.length = 0;
      for (let j = from; j < to; j++) if (kind.used((uses[j] as Use).uses, p)) picked.push(refs[j - from] as string);
      const value = kind.value(p);
      const place = kind.place?.(p);
      rows.push([
        id,
        kind.contact,
        kind.label,
        PII_CONTACTS.has(kind.contact) ? hashed(row, kind.contact, value) : value,
        place?.city ?? "",
        place?.state ?? "",
        place?.zip ?? "",
        picked.join(" "),
      ]);
      row++;
    }
    if (row !== starts[k + 1]) throw new Error(`entity ${e} has ${row - (starts[k] as number)} profile rows, but rowsOf counted otherwise`);
    return rows;
  };

  // The rows of the entities read lately, by slot: a CSV block is filled column by column, so
  // each of its ~1,000 entities is asked for once per column. The oldest are dropped first.
  const cached = new Array<string[][] | undefined>(slots);
  const ring = new Int32Array(Math.min(ROW_CACHE_ENTITIES, Math.max(1, slots))).fill(-1);
  let ringNext = 0;
  let cursor = 0;
  const holds = (k: number, i: number): boolean => k < slots && (starts[k] as number) <= i && i < (starts[k + 1] as number);
  return {
    count,
    rowAt(i) {
      if (!(Number.isInteger(i) && i >= 0 && i < count)) throw new RangeError(`profile row ${i} is not in 0..${count - 1}`);
      let k = cursor;
      if (!holds(k, i)) {
        if (holds(k + 1, i)) k++;
        else {
          // The slot holding row i: the last start at or before i.
          let lo = 0;
          let hi = slots - 1;
          while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if ((starts[mid] as number) <= i) lo = mid;
            else hi = mid - 1;
          }
          k = lo;
        }
        cursor = k;
      }
      let rows = cached[k];
      if (rows === undefined) {
        rows = rowsOfSlot(k);
        const old = ring[ringNext] as number;
        if (old !== -1) cached[old] = undefined;
        ring[ringNext] = k;
        ringNext = (ringNext + 1) % ring.length;
        cached[k] = rows;
      }
      return rows[i - (starts[k] as number)] as string[];
    },
  };
}

/** One row per planted confuser, in entity order. */
export function confuserRows(gen: GeneratedRecords): string[][] {
  const rows: string[][] = [];
  gen.entities.forEach((info, e) => {
    if (info.confuser !== null) rows.push([entityId(e), info.confuser.kind, entityId(info.confuser.of)]);
  });
  return rows;
}
