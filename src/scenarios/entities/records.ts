/**
 * The records of every source, with their true entities and a log of every corruption.
 *
 * 1. Volumes: each source's records are its base records plus `round(dup_rate * n)` duplicates.
 * 2. Entities: the largest source's base records are distinct new entities. Each smaller source
 *    (in decreasing size) takes `round(overlap * base)` of its entities from those already seen
 *    (without replacement) and makes the rest new. Entity `e`'s profile (profile.ts) draws from
 *    `(seed, "entities", "identity", e)`; some are confusers of an earlier entity, at the
 *    difficulty's rates.
 * 3. Base records take their entity's values through the contact points they use (drawn per
 *    entity and source from `(seed, "entities", "usage", e, source)`; an entity that changes
 *    contacts gives a later source the email and phone its first source did not get). An entity's
 *    appearance in a second source is corrupted at half the rates (sources record people
 *    differently), and logged.
 * 4. Duplicates copy a random base record of the same source under a new id (with the other email
 *    and phone, for an entity that changes contacts) and are corrupted with at least one operator,
 *    logged.
 * 5. Ids are `L`/`S`/`F` and a number from a keyed permutation, so duplicates do not sit beside
 *    their base; records are listed in id order.
 *
 * Every stream is a {@link keyedStreams} family, keyed as the steps say.
 */

import { permutation } from "../../core/permutation.js";
import { keyedStreams, type Rng } from "../../core/rng.js";
import type { ProgressListener } from "../scenario.js";
import type { EntitiesConfig } from "./config.js";
import { type CorruptionEntry, corruptRecord, DEFAULT_RATES, type FieldRole, type OperatorName } from "./corrupt/index.js";
import { LEAD_CHANNELS } from "./data/reference-lists.js";
import type { Country, Identity } from "./identity.js";
import { CONFUSER_KINDS, type ConfuserKind, type DifficultyRates, PRESETS, ratesOf } from "./presets.js";
import {
  type Company,
  type ContactUse,
  changedContacts,
  chooseContacts,
  confuserProfile,
  type EntityProfile,
  identityOf,
  keptContacts,
  newCompany,
  newProfile,
  type ProfileContext,
} from "./profile.js";
import { flatProfile, flatValues, sharedUses } from "./record-storage.js";
import { emptyRow } from "./row.js";
import type { EntitySchemas, SchemaField, SourceName, SourceSchema } from "./schema-file.js";

/** Scale of the corruption rates for an entity's appearance in another source. */
export const CROSS_SOURCE_SCALE = 0.5;

/** One record as written (plain values; hashing happens at the end). */
export interface EntityRecord {
  readonly source: SourceName;
  readonly id: string;
  readonly entity: number;
  /** `base`: first record of its entity in the source; `duplicate`: a corrupted copy of one. */
  readonly kind: "base" | "duplicate";
  /** Id of the base record a duplicate copies. */
  readonly copy_of: string | null;
  /** True when the entity appeared in a larger source first (so this record was corrupted). */
  readonly cross_source: boolean;
  /** The contact points the record uses (a duplicate: its base's). */
  readonly uses: ContactUse;
  readonly values: Readonly<Record<string, string>>;
}

/** One entity: profile, confuser origin, family (itself, or its origin's family) for splits. */
export interface EntityInfo {
  readonly profile: EntityProfile;
  readonly confuser: { readonly kind: ConfuserKind; readonly of: number } | null;
  readonly family: number;
  /** The source it appears in first (the largest of its sources). */
  readonly first_source: SourceName | null;
}

/** A corruption log row. */
export interface CorruptionRow extends CorruptionEntry {
  readonly source: SourceName;
  readonly id: string;
}

export interface GeneratedRecords {
  readonly sources: readonly { readonly schema: SourceSchema; readonly records: readonly EntityRecord[] }[];
  readonly entities: readonly EntityInfo[];
  /** The rates in force (the difficulty preset and the config's overrides). */
  readonly rates: DifficultyRates;
  readonly corruptions: readonly CorruptionRow[];
  /** Per source: base records, duplicates, entities shared with a larger source. */
  readonly volumes: Readonly<Record<SourceName, { records: number; base: number; duplicates: number; shared: number }>>;
}

const ID_PREFIX: Record<SourceName, string> = { leads: "L", sales: "S", financial: "F" };

/** Source volumes after `--dev`. */
export function volumes(cfg: EntitiesConfig): Record<SourceName, number> {
  return cfg.dev ? { leads: 1000, sales: 1000, financial: 1000 } : { leads: cfg.n_leads, sales: cfg.n_sales, financial: cfg.n_financial };
}

const ROLE_OF_RULE: Partial<Record<string, FieldRole>> = {
  email: "email",
  phone: "phone",
  first_name: "first_name",
  last_name: "last_name",
  address: "address",
  city: "city",
  state: "state",
  zip: "zip",
  company: "company",
};

/** The corruption role of each field of a source (fields without one are never corrupted). */
export function fieldRoles(schema: SourceSchema): Record<string, FieldRole> {
  const roles = emptyRow<FieldRole>();
  for (const f of schema.fields) {
    const role = f.rule === null ? undefined : ROLE_OF_RULE[f.rule];
    if (role) roles[f.name] = role;
  }
  return roles;
}

/** The corruption rates in force: defaults, the difficulty preset's, then the config's overrides. */
export function corruptionRates(cfg: EntitiesConfig): Record<OperatorName, number> {
  return { ...DEFAULT_RATES, ...PRESETS[cfg.difficulty].corruption, ...(cfg.corruption as Partial<Record<OperatorName, number>>) };
}

/** Identity rules whose value depends on the contact points a record uses. */
const CONTACT_RULES: ReadonlySet<string> = new Set(["email", "phone", "last_name", "address", "city", "state", "zip"]);

/** The stream families of a run, keyed as the module comment says. */
export function entityStreams(seed: number) {
  const root = keyedStreams(seed, "entities");
  return {
    country: root.child("country"),
    identity: root.child("identity"),
    company: root.child("company"),
    contacts: root.child("contacts"),
    emailCollision: root.child("email-collision"),
    overlap: root.child("overlap"),
    ids: root.child("ids"),
    usage: root.child("usage"),
    record: root.child("record"),
    corrupt: root.child("corrupt"),
    duplicateOf: root.child("duplicate-of"),
    duplicateUsage: root.child("duplicate-usage"),
    account: root.child("account"),
  };
}
export type EntityStreams = ReturnType<typeof entityStreams>;

function countryOf(cfg: EntitiesConfig, streams: EntityStreams, e: number): Country {
  if (cfg.locale !== "US+CA") return cfg.locale;
  return streams.country.at(e).next() < 0.7 ? "US" : "CA";
}

/** Entity `e`, given the earlier ones (a confuser needs its origin). */
function makeEntity(
  cfg: EntitiesConfig,
  streams: EntityStreams,
  ctx: ProfileContext,
  e: number,
  earlier: readonly EntityInfo[],
): Omit<EntityInfo, "first_source"> {
  const rng = streams.identity.at(e);
  let u = rng.next();
  const of = Math.floor(rng.next() * e);
  if (e > 0)
    for (const kind of CONFUSER_KINDS) {
      u -= ctx.rates.confusers[kind];
      if (u < 0) {
        const origin = earlier[of] as EntityInfo;
        return { profile: confuserProfile(rng, ctx, e, kind, origin.profile), confuser: { kind, of }, family: origin.family };
      }
    }
  return { profile: newProfile(rng, ctx, e, countryOf(cfg, streams, e)), confuser: null, family: e };
}

/** Days a date cell falls before the reference date: 1 to 730. */
const DATE_SPAN_DAYS = 730;

/**
 * `day(k)`: the reference date minus `k` days as `YYYY-MM-DD`, each of the {@link DATE_SPAN_DAYS}
 * made once and then shared (a `Date` per date cell was 0.03 s of a default run, and kept an
 * equal string per cell until they were interned).
 */
export function daysBefore(referenceDate: string): (k: number) => string {
  const made = new Array<string | undefined>(DATE_SPAN_DAYS + 1);
  return (k) => {
    let text = made[k];
    if (text === undefined) {
      const ref = Date.parse(`${referenceDate}T00:00:00Z`);
      text = new Date(ref - k * 86_400_000).toISOString().slice(0, 10);
      made[k] = text;
    }
    return text;
  };
}

/** A non-identity value for a field, drawn from the record's stream; `days` is {@link daysBefore} the reference date. */
function recordValue(streams: EntityStreams, field: SchemaField, entity: number, rng: Rng, days: (k: number) => string): string {
  const day = (): string => days(1 + Math.floor(rng.next() * DATE_SPAN_DAYS));
  switch (field.rule) {
    case "account":
      // One account per entity, shared by its sales and financial records.
      return `AC${String(streams.account.at(entity).uint32() % 100_000_000).padStart(8, "0")}`;
    case "lead_channel":
      return LEAD_CHANNELS[Math.floor(rng.next() * LEAD_CHANNELS.length)] as string;
    case "date":
      return day();
    case "order_id":
      return `SO-${String(rng.uint32() % 10_000_000).padStart(7, "0")}`;
    case "invoice_id":
      return `INV-${String(rng.uint32() % 10_000_000).padStart(7, "0")}`;
    case "money":
      // Vehicle-sized amounts: 8,000 to 90,000 with cents.
      return (8000 + Math.floor(rng.next() * 8_200_000) / 100).toFixed(2);
    case null:
      switch (field.type) {
        case "int":
          return String(Math.floor(rng.next() * 1000));
        case "float":
          return (rng.next() * 1000).toFixed(3);
        case "date":
          return day();
        default:
          return `${field.name}_${(rng.uint32() % 1_000_000).toString(36)}`;
      }
    default:
      return "";
  }
}

function identityValue(rule: string, identity: Identity): string | undefined {
  return rule in identity ? String(identity[rule as keyof Identity]) : undefined;
}

/**
 * Generates every source's records. `onProgress(done, total)` counts each base record once when
 * its entity is chosen or made and each record once more when it is built (total: base records
 * plus records), every step of the way.
 *
 * @example generateRecords(cfg, loadSchemas()).sources[0]?.records.length // cfg.n_leads
 */
export function generateRecords(cfg: EntitiesConfig, schemas: EntitySchemas, onProgress?: ProgressListener): GeneratedRecords {
  const vol = volumes(cfg);
  const rates = corruptionRates(cfg);
  const anyCorruption = Object.values(rates).some((r) => r > 0);
  const crossRates = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, v * CROSS_SOURCE_SCALE])) as Record<OperatorName, number>;
  const plan = schemas.sources.map((schema) => {
    const n = vol[schema.name];
    const duplicates = Math.round(cfg.dup_rate * n);
    return { schema, n, duplicates, base: n - duplicates };
  });
  const work = plan.reduce((sum, p) => sum + p.base + p.n, 0);
  let done = 0;
  const advance = (steps: number) => {
    done += steps;
    onProgress?.(done, work);
  };
  // Largest first; ties keep the schema's order.
  const order = [...plan].sort((a, b) => b.base - a.base);
  const streams = entityStreams(cfg.seed);
  const difficulty = ratesOf(cfg);
  const companies = new Map<number, Company>();
  const ctx: ProfileContext = {
    rates: difficulty,
    contacts: streams.contacts,
    companyOf: (c) => {
      let company = companies.get(c);
      if (company === undefined) {
        company = newCompany(streams.company.at(c));
        companies.set(c, company);
      }
      return company;
    },
  };
  const entities: EntityInfo[] = [];
  const seenIn = new Map<number, SourceName>();
  const emails = new Set<string>();
  const newEntity = (source: SourceName): number => {
    const e = entities.length;
    const info = makeEntity(cfg, streams, ctx, e, entities);
    // Emails identify people: a collision gets a digit, drawn from the entity's own stream. A
    // family email is shared on purpose and is not checked.
    const fix = streams.emailCollision.at(e);
    const unique = (email: string): string => {
      let out = email;
      while (emails.has(out)) {
        const at = out.lastIndexOf("@");
        out = `${out.slice(0, at)}${Math.floor(fix.next() * 10)}${out.slice(at)}`;
      }
      emails.add(out);
      return out;
    };
    const { personal, work } = info.profile.emails;
    const fixed = { ...info.profile.emails, personal: unique(personal), work: work === null ? null : unique(work) };
    // Written out rather than spread: `{ ...info, profile, first_source }` gave every entity a
    // hidden class of its own (300,000 maps and descriptor arrays at 10x volumes, about 100 MB).
    entities.push({
      profile: flatProfile({ ...info.profile, emails: fixed }),
      confuser: info.confuser,
      family: info.family,
      first_source: source,
    });
    return e;
  };
  const entityLists = new Map<SourceName, number[]>();
  const sharedCounts = new Map<SourceName, number>();
  order.forEach((p, rank) => {
    const list: number[] = [];
    const shared = rank === 0 ? 0 : Math.min(Math.round(cfg.overlap * p.base), seenIn.size);
    if (shared > 0) {
      // A partial Fisher-Yates over the entities seen so far, in entity order.
      const pool = [...seenIn.keys()].sort((a, b) => a - b);
      const rng = streams.overlap.at(p.schema.name);
      for (let i = 0; i < shared; i++) {
        const j = i + Math.floor(rng.next() * (pool.length - i));
        [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
        list.push(pool[i] as number);
      }
    }
    advance(list.length);
    while (list.length < p.base) {
      list.push(newEntity(p.schema.name));
      advance(1);
    }
    for (const e of list) if (!seenIn.has(e)) seenIn.set(e, p.schema.name);
    entityLists.set(p.schema.name, list);
    sharedCounts.set(p.schema.name, shared);
  });

  const corruptions: CorruptionRow[] = [];
  // Written out rather than `{ source, id, ...entry }`, which keeps the entry's fields out of line.
  const logRow = (source: SourceName, id: string, e: CorruptionEntry): CorruptionRow => ({
    source,
    id,
    field: e.field,
    operator: e.operator,
    before: e.before,
    after: e.after,
  });
  const shareUses = sharedUses();
  const days = daysBefore(cfg.reference_date);
  const sources = plan.map((p) => {
    const name = p.schema.name;
    const roles = fieldRoles(p.schema);
    const ids = permutation(p.n, streams.ids.at(name));
    const usageRates = difficulty.contact_usage[name];
    const corrupt = streams.corrupt.child(name);
    const width = Math.max(6, String(p.n).length);
    const idOf = (position: number) => `${ID_PREFIX[name]}${String(ids.at(position) + 1).padStart(width, "0")}`;
    const list = entityLists.get(name) as number[];
    const records: EntityRecord[] = [];
    const ctx = (e: number) => ({ country: (entities[e] as EntityInfo).profile.country });
    list.forEach((e, position) => {
      const entity = entities[e] as EntityInfo;
      const uses = contactsOf(streams, difficulty, entity, e, name);
      const identity = identityOf(entity.profile, uses);
      const rng = streams.record.at(name, position);
      const id = idOf(position);
      const values = emptyRow();
      for (const f of p.schema.fields) {
        values[f.name] =
          f.rule === "id"
            ? id
            : f.rule === "country"
              ? identity.country
              : (identityValue(f.rule ?? "", identity) ?? recordValue(streams, f, e, rng, days));
      }
      const cross = seenIn.get(e) !== name;
      let final = values;
      if (cross) {
        const r = corruptRecord(values, roles, crossRates, (field, op) => corrupt.at(position, field, op), ctx(e));
        final = r.record;
        for (const entry of r.log) corruptions.push(logRow(name, id, entry));
      }
      records.push({
        source: name,
        id,
        entity: e,
        kind: "base",
        copy_of: null,
        cross_source: cross,
        uses: shareUses(uses),
        values: flatValues(final),
      });
      advance(1);
    });
    for (let k = 0; k < p.duplicates; k++) {
      const position = p.base + k;
      const of = records[Math.floor(streams.duplicateOf.at(name, k).next() * p.base)] as EntityRecord;
      const id = idOf(position);
      const copy = Object.assign(emptyRow(), of.values);
      // A person who changes contacts gives the second record the other email and phone too.
      const entity = entities[of.entity] as EntityInfo;
      // The same person's second record: it draws its own contact points (the other email and
      // phone for a person who changes contacts); its other values are the base record's.
      const drawn = chooseContacts(streams.duplicateUsage.at(name, k), entity.profile, usageRates);
      const uses = entity.profile.changes_contacts ? changedContacts(of.uses, drawn) : keptContacts(of.uses, drawn);
      const contact = identityOf(entity.profile, uses);
      const base = identityOf(entity.profile, of.uses);
      for (const f of p.schema.fields) {
        if (f.rule === "id") copy[f.name] = id;
        else if (f.rule !== null && CONTACT_RULES.has(f.rule)) {
          const rule = f.rule as keyof Identity;
          // A field whose contact point did not change keeps the base record's (corrupted) value.
          if (contact[rule] !== base[rule]) copy[f.name] = contact[rule];
        }
      }
      const r = corruptRecord(
        copy,
        roles,
        rates,
        (field, op) => corrupt.at(position, field, op),
        ctx(of.entity),
        // A duplicate must differ from its base, unless every rate is 0: then copies are exact.
        { atLeastOne: anyCorruption },
      );
      for (const entry of r.log) corruptions.push(logRow(name, id, entry));
      records.push({
        source: name,
        id,
        entity: of.entity,
        kind: "duplicate",
        copy_of: of.id,
        cross_source: of.cross_source,
        uses: shareUses(uses),
        values: flatValues(r.record),
      });
      advance(1);
    }
    records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { schema: p.schema, records };
  });
  corruptions.sort((a, b) =>
    a.source === b.source ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : SOURCE_RANK[a.source] - SOURCE_RANK[b.source],
  );
  const volumesOut = Object.fromEntries(
    plan.map((p) => [
      p.schema.name,
      { records: p.n, base: p.base, duplicates: p.duplicates, shared: sharedCounts.get(p.schema.name) ?? 0 },
    ]),
  ) as GeneratedRecords["volumes"];
  return { sources, entities, rates: difficulty, corruptions, volumes: volumesOut };
}

/**
 * The contact points entity `e`'s base record in `source` uses: drawn from its usage stream with
 * the source's rates; in a later source of an entity that changes contacts, the email and phone
 * its first source's record did not use; otherwise sharing an email or a phone with it
 * ({@link keptContacts}).
 */
export function contactsOf(streams: EntityStreams, rates: DifficultyRates, entity: EntityInfo, e: number, source: SourceName): ContactUse {
  const drawn = chooseContacts(streams.usage.at(e, source), entity.profile, rates.contact_usage[source]);
  const first = entity.first_source;
  if (first === null || first === source) return drawn;
  const firstUse = chooseContacts(streams.usage.at(e, first), entity.profile, rates.contact_usage[first]);
  return entity.profile.changes_contacts ? changedContacts(firstUse, drawn) : keptContacts(firstUse, drawn);
}

const SOURCE_RANK: Record<SourceName, number> = { leads: 0, sales: 1, financial: 2 };
