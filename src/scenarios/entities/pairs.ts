/**
 * Labelled record pairs: positives (two records of one entity), hard negatives (each tagged with
 * the rule that makes it hard) and random negatives, split 70/15/15 by entity family so that no
 * entity appears in two splits, with light features cached on each pair.
 *
 * - Split: a family (an entity and the twins planted from it) goes to train, valid or test by its
 *   own stream `(seed, "entities", "split", family)`; every pair lies inside one split.
 * - Positives: every pair of an entity's records, at most {@link MAX_POSITIVES_PER_ENTITY} per
 *   entity (sampled); a record with no email, phone or name left is in no positive.
 * - Hard negatives: candidates come from blocks ({@link blockingKeys}: email local part, email,
 *   company domain, phone, zip and house number, last name and first initial), pairs of different
 *   entities in one split (a block of more than {@link MAX_BLOCK} records: each record against
 *   the next {@link BLOCK_WINDOW} in full-name order). A pair takes the first rule it satisfies, in the order of
 *   match/hard-rules.ts (email domain, namesake, similar name, household, colleague, same address,
 *   shared contact).
 * - Balance: each split gets `negative_ratio` negatives per positive. Hard negatives fill up to
 *   half of that, shared evenly across kinds; random pairs of different entities fill the rest.
 */
import { keyedStreams, type Rng } from "../../core/rng.js";
import type { ProgressListener } from "../scenario.js";
import type { EntitiesConfig } from "./config.js";
import { featuresOf, jwOrZero, type PairFeatures, type RecordView, same } from "./match/features.js";
import { blockingKeys, HARD_KINDS, type HardKind, type HardView, hardKindOfViews, hardView } from "./match/hard-rules.js";
import type { PairKind } from "./match/split.js";
import type { EntityInfo, GeneratedRecords } from "./records.js";

import type { SourceName } from "./schema-file.js";

export const SPLITS = ["train", "valid", "test"] as const;
export type SplitName = (typeof SPLITS)[number];
export const SPLIT_SHARES: Readonly<Record<SplitName, number>> = { train: 0.7, valid: 0.15, test: 0.15 };

export { PAIR_KINDS, type PairKind } from "./match/split.js";

/** Positive pairs kept per entity at most (an entity with many records would dominate). */
export const MAX_POSITIVES_PER_ENTITY = 10;
/** Blocks up to this size are searched whole; larger ones by a window (see buildPairs). */
export const MAX_BLOCK = 16;
/** Members each member of a large block is compared with, in full-name order. */
export const BLOCK_WINDOW = 8;
/** Share of a split's negatives that may be hard. */
export const HARD_SHARE = 0.5;

/** A record of a labelled pair: which one it is. */
export interface PairRef {
  readonly source: SourceName;
  readonly id: string;
  readonly entity: number;
}

/** A record as pairing sees it. */
export interface PairRecord extends PairRef {
  /** What a labelled pair keeps of it: the views below are pairing's working state only. */
  readonly ref: PairRef;
  readonly view: RecordView;
  /** The view normalised once, as features and hard rules compare it. */
  readonly norm: HardView;
  /** Position among all records of the run: pairs are keyed by the two positions. */
  readonly index: number;
}

export interface LabelledPair {
  readonly a: PairRef;
  readonly b: PairRef;
  readonly y: 0 | 1;
  readonly kind: PairKind;
  readonly features: PairFeatures;
}

/** True when a record has an email, a phone or a name to match on. */
export function hasEvidence(v: RecordView): boolean {
  return v.email !== "" || v.phone !== "" || v.first_name !== "" || v.last_name !== "";
}

/** The split of an entity family. */
export function splitOf(seed: number, family: number): SplitName {
  const u = keyedStreams(seed, "entities", "split").at(family).next();
  return u < SPLIT_SHARES.train ? "train" : u < SPLIT_SHARES.train + SPLIT_SHARES.valid ? "valid" : "test";
}

/**
 * The fields pairing reads from a row of values, by rule (`address` covers billing_address): the
 * one place a record becomes a {@link RecordView}, for generation, the gates and the properties.
 */
export function viewOf(fieldOfRule: Readonly<Record<string, string>>, values: Readonly<Record<string, string>>): RecordView {
  const v = (rule: string) => {
    const field = Object.hasOwn(fieldOfRule, rule) ? (fieldOfRule[rule] as string) : rule;
    return Object.hasOwn(values, field) ? (values[field] as string) : "";
  };
  return {
    email: v("email"),
    phone: v("phone"),
    first_name: v("first_name"),
    last_name: v("last_name"),
    address: v("address"),
    zip: v("zip"),
  };
}

/** An unordered pair's key: its two record positions (below 2^26 each, so the product is exact). */
const key = (a: PairRecord, b: PairRecord, total: number): number =>
  a.index < b.index ? a.index * total + b.index : b.index * total + a.index;

/** Draws `k` of `items` without replacement, in their original order (a partial Fisher-Yates). */
function sample<T>(items: readonly T[], k: number, rng: Rng): T[] {
  if (k >= items.length) return [...items];
  const idx = items.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx
    .slice(0, k)
    .sort((x, y) => x - y)
    .map((i) => items[i] as T);
}

/** A hard-negative candidate, before it is chosen: its records and their full names' Jaro-Winkler. */
interface Candidate {
  readonly a: PairRecord;
  readonly b: PairRecord;
  readonly nameJw: number;
}

/**
 * How alike two normalised records look: the sum of their cached features (flags and name
 * scores), computed without making the features.
 */
export function similarity(a: HardView, b: HardView, nameJw = jwOrZero(a.full, b.full)): number {
  return (
    same(a.email, b.email) +
    same(a.domain, b.domain) +
    same(a.local, b.local) +
    same(a.phone, b.phone) +
    nameJw +
    jwOrZero(a.last, b.last) +
    same(a.zip, b.zip) +
    same(a.house, b.house)
  );
}

/**
 * Draws `k` of `items`: `round(focus * k)` of them those with the highest `score` (ties keep the
 * items' order), the rest uniformly from the others. With `focus` 0 this is {@link sample} and
 * `score` is never called; hard-negative mining in practice keeps the negatives a simple matcher
 * scores highest, which is what a focus above 0 plants. Returned in the items' order.
 *
 * @example focusedSample([1, 5, 3, 4], 2, 0.5, rng, (x) => x) // [5, and one of 1, 3, 4]
 */
export function focusedSample<T>(items: readonly T[], k: number, focus: number, rng: Rng, score: (item: T) => number): T[] {
  if (k >= items.length) return [...items];
  const top = Math.round(focus * k);
  if (top === 0) return sample(items, k, rng);
  const scores = items.map(score);
  const order = items.map((_, i) => i).sort((x, y) => (scores[y] as number) - (scores[x] as number) || x - y);
  const picked = new Set(order.slice(0, top));
  const restAt = sample(
    items.map((_, i) => i).filter((i) => !picked.has(i)),
    k - top,
    rng,
  );
  for (const i of restAt) picked.add(i);
  return items.filter((_, i) => picked.has(i));
}

/** Every labelled pair, by split. */
export type PairsBySplit = Record<SplitName, LabelledPair[]>;

/**
 * Builds the labelled pairs of every split. `onProgress(done, total)` counts each record three
 * times, in its split's three passes (positives; hard-negative blocks, built then searched;
 * random negatives), each pass in proportion to its progress (total: three times the records).
 *
 * @example buildPairs(cfg, records).test.filter((p) => p.y === 1).length
 */
export function buildPairs(cfg: EntitiesConfig, generated: GeneratedRecords, onProgress?: ProgressListener): PairsBySplit {
  const focus = generated.rates.hard_negative_focus;
  const root = keyedStreams(cfg.seed, "entities");
  const positiveStreams = root.child("positives");
  const hardStreams = root.child("hard");
  const randomStreams = root.child("random-negatives");
  const all: PairRecord[] = [];
  for (const { schema, records } of generated.sources) {
    const fieldOfRule: Record<string, string> = {};
    for (const f of schema.fields) if (f.rule !== null) fieldOfRule[f.rule] = f.name;
    for (const r of records) {
      const view = viewOf(fieldOfRule, r.values);
      const ref = { source: r.source, id: r.id, entity: r.entity };
      all.push({ ...ref, ref, view, norm: hardView(view), index: all.length });
    }
  }
  const total = all.length;
  const families = generated.entities.map((e: EntityInfo) => e.family);
  // Each record's split, drawn once per family (a stream each) rather than once per split pass.
  const bySplit: Record<SplitName, PairRecord[]> = { train: [], valid: [], test: [] };
  const familySplit = new Map<number, SplitName>();
  for (const r of all) {
    const family = families[r.entity] as number;
    let s = familySplit.get(family);
    if (s === undefined) {
      s = splitOf(cfg.seed, family);
      familySplit.set(family, s);
    }
    bySplit[s].push(r);
  }
  const out: PairsBySplit = { train: [], valid: [], test: [] };
  const work = 3 * all.length;
  let finished = 0;
  for (const s of SPLITS) {
    const records = bySplit[s];
    // Pass `pass` (0, 1, 2) of this split is `share` (0..1) done.
    const report = (pass: number, share: number) =>
      onProgress?.(finished + pass * records.length + Math.floor(share * records.length), work);
    const byEntity = new Map<number, PairRecord[]>();
    for (const r of records) {
      const list = byEntity.get(r.entity) ?? [];
      list.push(r);
      byEntity.set(r.entity, list);
    }
    const seen = new Set<number>();
    const keysOf = new Map<PairRecord, string[]>();
    const positives: LabelledPair[] = [];
    let paired = 0;
    for (const [entity, list] of [...byEntity].sort((x, y) => x[0] - y[0])) {
      const pairs: [PairRecord, PairRecord][] = [];
      // A record whose email, phone and names were all blanked cannot be matched by anything: it
      // is left out of positives (the pair_evidence gate holds by construction).
      const usable = list.filter((r) => hasEvidence(r.view));
      for (let i = 0; i < usable.length; i++)
        for (let j = i + 1; j < usable.length; j++) pairs.push([usable[i] as PairRecord, usable[j] as PairRecord]);
      for (const [a, b] of sample(pairs, MAX_POSITIVES_PER_ENTITY, positiveStreams.at(entity))) {
        seen.add(key(a, b, total));
        positives.push({ a, b, y: 1, kind: "positive", features: featuresOf(a.norm, b.norm) });
      }
      paired += list.length;
      report(0, paired / records.length);
    }
    // Hard-negative candidates from blocks.
    const blocks = new Map<string, PairRecord[]>();
    const add = (k: string, r: PairRecord) => {
      const list = blocks.get(k) ?? [];
      list.push(r);
      blocks.set(k, list);
    };
    for (const [i, r] of records.entries()) {
      // The first half of this pass: blocking; the second: the pairs inside each block.
      report(1, (0.5 * i) / records.length);
      const keys = blockingKeys(r.norm);
      keysOf.set(r, keys);
      for (const k of keys) add(k, r);
    }
    // Candidates are kept slim (a split at 10x volumes has millions); features are made for the chosen.
    const candidates = Object.fromEntries(HARD_KINDS.map((k) => [k, [] as Candidate[]])) as Record<HardKind, Candidate[]>;
    // A pair is tested in the first block (in its first record's key order) the two share, and
    // skipped in the others: no set of tested pairs, which at 10x held millions.
    const firstShared = (a: PairRecord, b: PairRecord): string | undefined => {
      const kb = keysOf.get(b) as string[];
      return (keysOf.get(a) as string[]).find((k) => kb.includes(k));
    };
    let members = 0;
    for (const list of blocks.values()) members += list.length;
    let visited = 0;
    // Blocks in the order their first record came (deterministic: records come in a fixed
    // order); sorting the 200,000 keys cost more than the pairing inside the blocks.
    for (const [blockKey, block] of blocks) {
      visited += block.length;
      report(1, 0.5 + (0.5 * visited) / members);
      // A large block (a common last name and initial at 10x volumes holds hundreds) is searched
      // by the sorted-neighbourhood method: members in full-name order, each against the next
      // BLOCK_WINDOW, so look-alike names meet and the work grows with the block, not its square.
      const large = block.length > MAX_BLOCK;
      const list = large
        ? [...block].sort((x, y) => (x.norm.full < y.norm.full ? -1 : x.norm.full > y.norm.full ? 1 : x.index - y.index))
        : block;
      for (let i = 0; i < list.length; i++) {
        const end = large ? Math.min(list.length, i + 1 + BLOCK_WINDOW) : list.length;
        for (let j = i + 1; j < end; j++) {
          const a = list[i] as PairRecord;
          const b = list[j] as PairRecord;
          if (a.entity === b.entity) continue;
          if (firstShared(a, b) !== blockKey) continue;
          const nameJw = jwOrZero(a.norm.full, b.norm.full);
          const kind = hardKindOfViews(a.norm, b.norm, nameJw);
          if (kind === null) continue;
          candidates[kind].push({ a, b, nameJw });
        }
      }
    }
    const target = Math.round(cfg.negative_ratio * positives.length);
    const hardBudget = Math.floor(HARD_SHARE * target);
    // Even shares across kinds; a kind with fewer candidates leaves its share to the others.
    const hard: LabelledPair[] = [];
    let left = hardBudget;
    const kinds = [...HARD_KINDS].sort((x, y) => candidates[x].length - candidates[y].length);
    kinds.forEach((kind, i) => {
      const share = Math.floor(left / (kinds.length - i));
      const chosen = focusedSample(candidates[kind], share, focus, hardStreams.at(s, kind), (c) =>
        similarity(c.a.norm, c.b.norm, c.nameJw),
      );
      for (const c of chosen) hard.push({ a: c.a, b: c.b, y: 0, kind, features: featuresOf(c.a.norm, c.b.norm, c.nameJw) });
      left -= chosen.length;
    });
    // Candidates not chosen may still be drawn as random negatives; the chosen ones may not.
    for (const p of hard) seen.add(key(p.a as PairRecord, p.b as PairRecord, total));

    const randoms: LabelledPair[] = [];
    const rng = randomStreams.at(s);
    const want = target - hard.length;
    // Bounded tries: a split with almost one entity cannot give random negatives.
    for (let tries = 0; randoms.length < want && tries < want * 20 && records.length > 1; tries++) {
      const a = records[Math.floor(rng.next() * records.length)] as PairRecord;
      const b = records[Math.floor(rng.next() * records.length)] as PairRecord;
      if (a.entity === b.entity) continue;
      const pk = key(a, b, total);
      if (seen.has(pk)) continue;
      seen.add(pk);
      randoms.push({ a, b, y: 0, kind: "random", features: featuresOf(a.norm, b.norm) });
      report(2, randoms.length / want);
    }
    // The pairs keep slim records, so the views and normalised copies (a third of the memory at
    // 10x volumes) go once pairing is done.
    out[s] = [...positives, ...hard, ...randoms].map((p) => ({ ...p, a: (p.a as PairRecord).ref, b: (p.b as PairRecord).ref }));
    finished += 3 * records.length;
    onProgress?.(finished, work);
  }
  return out;
}
