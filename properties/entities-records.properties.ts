/**
 * Properties of the entities records and pairs, in memory (no files): every logged corruption
 * replays and the log explains every change, zero rates leave copies intact, and no entity or
 * confuser family crosses splits.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { permutation } from "../src/core/permutation.js";
import { reproduce, type StreamFor } from "../src/scenarios/entities/corrupt/index.js";
import type { Identity } from "../src/scenarios/entities/identity.js";
import { buildPairs, SPLITS, type SplitName } from "../src/scenarios/entities/pairs.js";
import { identityOf } from "../src/scenarios/entities/profile.js";
import {
  type CorruptionRow,
  type EntityInfo,
  type EntityRecord,
  entityStreams,
  fieldRoles,
  type GeneratedRecords,
  generateRecords,
} from "../src/scenarios/entities/records.js";
import type { SourceName, SourceSchema } from "../src/scenarios/entities/schema-file.js";
import {
  bundledSchemas,
  type EntitiesRecipe,
  entitiesRecipeArb,
  expectNoProblems,
  splitBalances,
  toEntitiesConfig,
  ZERO_RATES,
} from "./entities-support.js";
import { defineProperty } from "./harness.js";

/**
 * The position of each record of a source (its index among the source's base records, then its
 * duplicates), from its id: records.ts numbers position `p` as `permutation(n, ids.at(source)).at(p)
 * + 1` after a one-letter prefix, `ids` being the generator's own family of {@link entityStreams}.
 * The corruption streams are keyed by position, so replaying a log entry needs it.
 */
function positions(seed: number, source: SourceName, n: number): (id: string) => number {
  const ids = permutation(n, entityStreams(seed).ids.at(source));
  const at = new Array<number>(n);
  for (let p = 0; p < n; p++) at[ids.at(p)] = p;
  return (id) => {
    const p = at[Number(id.slice(1)) - 1];
    if (p === undefined) throw new Error(`id ${id} is not one of the ${n} ids of ${source}`);
    return p;
  };
}

/** Log entries by `source/id`, in log order (which is the order they were made). */
function logByRecord(corruptions: readonly CorruptionRow[]): Map<string, CorruptionRow[]> {
  const out = new Map<string, CorruptionRow[]>();
  for (const c of corruptions) {
    const k = `${c.source}/${c.id}`;
    out.set(k, [...(out.get(k) ?? []), c]);
  }
  return out;
}

/** Identity rules whose value depends on the contact points a record uses (records.ts CONTACT_RULES). */
const CONTACT_RULES: ReadonlySet<string> = new Set(["email", "phone", "last_name", "address", "city", "state", "zip"]);

/**
 * The values a record was copied from, before any corruption. For a base record: its entity's
 * profile values under the contact points it uses (`identityOf(profile, uses)`; fields whose rule
 * is not an identity value, like dates and order ids, are left out: no operator touches them).
 * For a duplicate: its base record's cells (corrupted ones included) under the duplicate's id,
 * except each contact field (email, phone, last name, address, city, state, zip) whose value
 * under the duplicate's own `uses` differs from the value under its base's: that field holds the
 * profile's value of the duplicate's `uses`.
 */
function sourceValues(
  record: EntityRecord,
  schema: SourceSchema,
  gen: GeneratedRecords,
  byRef: Map<string, EntityRecord>,
): Record<string, string> {
  const profile = (gen.entities[record.entity] as EntityInfo).profile;
  const own = identityOf(profile, record.uses);
  const out: Record<string, string> = {};
  if (record.kind === "duplicate") {
    const base = byRef.get(`${record.source}/${record.copy_of}`) as EntityRecord;
    const was = identityOf(profile, base.uses);
    Object.assign(out, base.values, { id: record.id });
    for (const f of schema.fields) {
      if (f.rule === null || !CONTACT_RULES.has(f.rule)) continue;
      const rule = f.rule as keyof Identity;
      if (own[rule] !== was[rule]) out[f.name] = String(own[rule]);
    }
    return out;
  }
  for (const f of schema.fields) {
    if (f.rule === "id") out[f.name] = record.id;
    else if (f.rule !== null && f.rule in own) out[f.name] = String(own[f.rule as keyof Identity]);
  }
  return out;
}

/**
 * Every logged corruption replays: `reproduce` with a fresh stream keyed as records.ts keys it
 * (`entityStreams(seed).corrupt.child(source).at(position, field, operator)`) and the record's
 * country gives the logged `after`. And the log explains every change: on each field, the first
 * entry starts from the copied value (see {@link sourceValues}: the profile's value under the
 * record's contact points for a base record; for a duplicate, its base's cell, or the profile's
 * value under the duplicate's own contact points where those changed the field), each next entry from the previous one's `after`, the last `after` is what the
 * record holds, and a field without entries holds the copied value. Records of the source where
 * their entity first appears have no entries; a duplicate has at least one (forced if none fired)
 * unless its base has no value to change.
 */
export const corruptionsReproduce = defineProperty({
  id: "entities.corruptions.reproduce",
  title: "every logged corruption replays from its before value, and each field's log chains from the copied value to the written one",
  arbitrary: entitiesRecipeArb(),
  predicate: (recipe: EntitiesRecipe) => {
    const cfg = toEntitiesConfig(recipe);
    const gen = generateRecords(cfg, bundledSchemas());
    const byRef = new Map(gen.sources.flatMap((s) => s.records.map((r) => [`${r.source}/${r.id}`, r] as const)));
    const log = logByRecord(gen.corruptions);
    const corrupt = entityStreams(cfg.seed).corrupt;
    const problems: string[] = [];
    let replayed = 0;
    for (const { schema, records } of gen.sources) {
      const roles = fieldRoles(schema);
      const position = positions(cfg.seed, schema.name, records.length);
      for (const r of records) {
        const ref = `${r.source}/${r.id}`;
        const entries = log.get(ref) ?? [];
        const pos = position(r.id);
        const rngFor: StreamFor = (field, op) => corrupt.child(r.source).at(pos, field, op);
        const ctx = { country: (gen.entities[r.entity] as EntityInfo).profile.country };
        for (const e of entries) {
          const role = roles[e.field];
          if (role === undefined) problems.push(`${ref}: ${e.operator} logged on ${e.field}, a field no operator may touch`);
          else if (reproduce(e, role, rngFor, ctx) !== e.after)
            problems.push(`${ref}: ${e.operator} on ${e.field} does not replay ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}`);
          replayed++;
        }
        const from = sourceValues(r, schema, gen, byRef);
        for (const f of schema.fields) {
          const chain = entries.filter((e) => e.field === f.name);
          const start = from[f.name];
          let current = start;
          for (const e of chain) {
            if (current !== undefined && e.before !== current)
              problems.push(`${ref}.${f.name}: ${e.operator} starts from ${JSON.stringify(e.before)}, not ${JSON.stringify(current)}`);
            current = e.after;
          }
          if (current !== undefined && r.values[f.name] !== current)
            problems.push(`${ref}.${f.name} holds ${JSON.stringify(r.values[f.name])}, but its log ends at ${JSON.stringify(current)}`);
        }
        if (r.kind === "base" && !r.cross_source && entries.length > 0) problems.push(`${ref}: a first appearance has log entries`);
        if (r.kind === "duplicate" && entries.length === 0) {
          const changeable = Object.keys(roles).some((field) => (from[field] ?? "") !== "");
          if (changeable) problems.push(`${ref}: a duplicate with nothing logged`);
        }
      }
    }
    expectNoProblems(problems, "corruption log");
    expect(replayed).toBe(gen.corruptions.length);
  },
});

/**
 * With every operator at rate 0, nothing fires by chance. Base records (in their entity's first
 * source or another one) hold exactly their entity's profile values under the contact points they
 * use (`identityOf(profile, uses)`); duplicates are exact copies of their base under a new id
 * (records.ts forces a change only when some rate is above 0), except the contact fields whose
 * value changes with the duplicate's own contact points: those hold the profile's values of the
 * duplicate's `uses`; and the log is empty.
 */
export const zeroRatesCopyExactly = defineProperty({
  id: "entities.corruptions.zero-rates",
  title:
    "with every rate 0, base records hold their profile's values under their contact points and duplicates copy their base (new id and changed contact points aside), with an empty log",
  arbitrary: entitiesRecipeArb({ corruption: fc.constant(ZERO_RATES) }),
  predicate: (recipe: EntitiesRecipe) => {
    const gen = generateRecords(toEntitiesConfig(recipe), bundledSchemas());
    const byRef = new Map(gen.sources.flatMap((s) => s.records.map((r) => [`${r.source}/${r.id}`, r] as const)));
    const log = logByRecord(gen.corruptions);
    const problems: string[] = [];
    for (const { schema, records } of gen.sources) {
      for (const r of records) {
        const ref = `${r.source}/${r.id}`;
        const entries = log.get(ref) ?? [];
        const from = sourceValues(r, schema, gen, byRef);
        // Base records equal their profile's values, duplicates their base's (new id and changed
        // contact points aside); no log.
        if (entries.length > 0) problems.push(`${ref}: a ${r.kind} record has ${entries.length} log entries with every rate 0`);
        for (const [field, value] of Object.entries(from))
          if (r.values[field] !== value)
            problems.push(
              `${ref}.${field} is ${JSON.stringify(r.values[field])}, its ${r.kind === "base" ? "profile's" : "base's"} is ${JSON.stringify(value)}`,
            );
        // With nothing corrupted, the two statements meet: every record, duplicates included,
        // holds its profile's values under its own contact points on every identity field.
        const own = identityOf((gen.entities[r.entity] as EntityInfo).profile, r.uses);
        for (const f of schema.fields)
          if (f.rule !== null && f.rule !== "id" && f.rule in own && r.values[f.name] !== String(own[f.rule as keyof Identity]))
            problems.push(
              `${ref}.${f.name} is ${JSON.stringify(r.values[f.name])}, not its profile's ${JSON.stringify(own[f.rule as keyof Identity])}`,
            );
      }
    }
    expectNoProblems(problems, "zero-rate copies");
  },
});

/**
 * Split leakage is impossible: every record of an entity, and of every entity of its confuser
 * family (an entity and the confusers planted from it), lies in one split, so no entity and no family has pairs in two splits; and a pair's
 * label is 1 exactly when both records are one entity.
 */
export const noSplitLeakage = defineProperty({
  id: "entities.pairs.no-split-leakage",
  title: "no entity and no confuser family has pairs in two splits, and y is 1 exactly for pairs within one entity",
  arbitrary: entitiesRecipeArb(),
  predicate: (recipe: EntitiesRecipe) => {
    const cfg = toEntitiesConfig(recipe);
    const gen = generateRecords(cfg, bundledSchemas());
    const pairs = buildPairs(cfg, gen);
    const entitySplit = new Map<number, SplitName>();
    const familySplit = new Map<number, SplitName>();
    const problems: string[] = [];
    const place = (map: Map<number, SplitName>, what: string, key: number, split: SplitName) => {
      const other = map.get(key);
      if (other !== undefined && other !== split) problems.push(`${what} ${key} is in ${other} and ${split}`);
      map.set(key, split);
    };
    for (const s of SPLITS) {
      for (const p of pairs[s]) {
        for (const r of [p.a, p.b]) {
          place(entitySplit, "entity", r.entity, s);
          place(familySplit, "family", (gen.entities[r.entity] as EntityInfo).family, s);
        }
        if (p.y !== (p.a.entity === p.b.entity ? 1 : 0)) problems.push(`${s}: ${p.a.id}-${p.b.id} has y ${p.y}`);
      }
    }
    expectNoProblems(problems, "splits");
  },
});

/**
 * Class balance: each split has exactly round(negative_ratio x positives) negatives, at most half
 * of that target hard, unless the split is too small to give that many: then every pair of its
 * records from two different entities is already a negative (so the class_balance gate may fail
 * at tiny volumes, and only there).
 */
export const balancedOrExhausted = defineProperty({
  id: "entities.pairs.balanced-or-exhausted",
  title: "each split has round(ratio x positives) negatives, at most half of them hard, or else every cross-entity pair of its records",
  arbitrary: entitiesRecipeArb(),
  predicate: (recipe: EntitiesRecipe) => {
    const cfg = toEntitiesConfig(recipe);
    const gen = generateRecords(cfg, bundledSchemas());
    const balances = splitBalances(cfg, gen, buildPairs(cfg, gen));
    const problems: string[] = [];
    for (const s of SPLITS) {
      const b = balances[s];
      const exhausted = b.negatives === b.crossPairs;
      if (b.negatives > b.target || (b.negatives < b.target && !exhausted) || b.hard > Math.floor(b.target / 2))
        problems.push(`${s}: ${JSON.stringify(b)}`);
    }
    expectNoProblems(problems, "class balance");
  },
});

/** This file's properties, in test order. */
export const entitiesRecordProperties = [corruptionsReproduce, zeroRatesCopyExactly, noSplitLeakage, balancedOrExhausted] as const;
