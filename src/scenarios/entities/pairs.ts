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
import {
  BLOCK_KEY_KINDS,
  HARD_KINDS,
  type HardKind,
  type HardView,
  hardKindOfViews,
  hardView,
  visitBlockingKeys,
} from "./match/hard-rules.js";
import type { PairKind } from "./match/split.js";
import type { EntityRecord, GeneratedRecords } from "./records.js";

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

/** A record of a labelled pair: which one it is (pairing hands out the generated records themselves). */
export interface PairRef {
  readonly source: SourceName;
  readonly id: string;
  readonly entity: number;
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
const key = (a: number, b: number, total: number): number => (a < b ? a * total + b : b * total + a);

/** `0, 1, ..., n - 1`. */
function positions(n: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx;
}

/**
 * Draws `k` of the positions `0..n-1` without replacement, ascending (a partial Fisher-Yates):
 * {@link sample} on positions, the same draws.
 */
function samplePositions(n: number, k: number, rng: Rng): Int32Array {
  const idx = positions(n);
  if (k >= n) return idx;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  return idx.subarray(0, k).sort();
}

/** Draws `k` of `items` without replacement, in their original order (a partial Fisher-Yates). */
function sample<T>(items: readonly T[], k: number, rng: Rng): T[] {
  if (k >= items.length) return [...items];
  return Array.from(samplePositions(items.length, k, rng), (i) => items[i] as T);
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
 * {@link focusedSample} on the positions `0..n-1`, `score` taking a position: the positions drawn,
 * ascending. Pairing draws from candidates held in typed arrays, which have no items to pass.
 */
function focusedPositions(n: number, k: number, focus: number, rng: Rng, score: (i: number) => number): Int32Array {
  if (k >= n) return positions(n);
  const top = Math.round(focus * k);
  if (top === 0) return samplePositions(n, k, rng);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = score(i);
  const order = positions(n).sort((x, y) => (scores[y] as number) - (scores[x] as number) || x - y);
  const picked = new Uint8Array(n);
  for (let i = 0; i < top; i++) picked[order[i] as number] = 1;
  const rest = new Int32Array(n - top);
  let r = 0;
  for (let i = 0; i < n; i++) if (picked[i] === 0) rest[r++] = i;
  const restAt = samplePositions(rest.length, k - top, rng);
  for (const i of restAt) picked[rest[i] as number] = 1;
  const out = new Int32Array(k);
  let o = 0;
  for (let i = 0; i < n; i++) if (picked[i] === 1) out[o++] = i;
  return out;
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
  return Array.from(
    focusedPositions(items.length, k, focus, rng, (i) => score(items[i] as T)),
    (i) => items[i] as T,
  );
}

/** Every labelled pair, by split. */
export type PairsBySplit = Record<SplitName, LabelledPair[]>;

/** A growable column of numbers (hard-negative candidates: millions at 10x volumes). */
class NumberColumn<A extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    public values: A,
    private readonly grow: (size: number) => A,
  ) {}
  push(v: number): void {
    if (this.length === this.values.length) {
      const bigger = this.grow(2 * this.values.length);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = v;
  }
}

/** One hard kind's candidates, before they are chosen: record positions and their full names' Jaro-Winkler. */
class Candidates {
  readonly a = new NumberColumn(new Int32Array(1024), (n) => new Int32Array(n));
  readonly b = new NumberColumn(new Int32Array(1024), (n) => new Int32Array(n));
  readonly nameJw = new NumberColumn(new Float64Array(1024), (n) => new Float64Array(n));
  get length(): number {
    return this.a.length;
  }
  push(a: number, b: number, nameJw: number): void {
    this.a.push(a);
    this.b.push(b);
    this.nameJw.push(nameJw);
  }
}

/**
 * The blocks of one split's records, as arrays of positions: block `k` holds
 * `members[start[k] .. start[k + 1]]` (records in split order), and record `i` of the split
 * (its position in the split's list) has the blocks `keys[keyStart[i] .. keyStart[i + 1]]`, in
 * {@link visitBlockingKeys} order. Blocks are numbered in the order their first record came.
 */
interface Blocks {
  readonly count: number;
  readonly start: Int32Array;
  readonly members: Int32Array;
  readonly keyStart: Int32Array;
  readonly keys: Int32Array;
}

/**
 * Blocks the records at `positions` (a split), each key value interned kind by kind: no key string
 * is kept past this call, and most keys (emails, phones) are values the views already hold.
 */
function blocksOf(positions: Int32Array, norms: readonly HardView[], onRecord: (i: number) => void): Blocks {
  const n = positions.length;
  const interned = BLOCK_KEY_KINDS.map(() => new Map<string, number>());
  const keyStart = new Int32Array(n + 1);
  const keys = new NumberColumn(new Int32Array(Math.max(1024, 4 * n)), (size) => new Int32Array(size));
  const sizes = new NumberColumn(new Int32Array(Math.max(1024, 2 * n)), (size) => new Int32Array(size));
  const visit = (kind: number, value: string) => {
    const ids = interned[kind] as Map<string, number>;
    let id = ids.get(value);
    if (id === undefined) {
      id = sizes.length;
      ids.set(value, id);
      sizes.push(0);
    }
    keys.push(id);
    sizes.values[id] = (sizes.values[id] as number) + 1;
  };
  for (let i = 0; i < n; i++) {
    onRecord(i);
    visitBlockingKeys(norms[positions[i] as number] as HardView, visit);
    keyStart[i + 1] = keys.length;
  }
  const count = sizes.length;
  const start = new Int32Array(count + 1);
  for (let k = 0; k < count; k++) start[k + 1] = (start[k] as number) + (sizes.values[k] as number);
  const fill = start.slice(0, count);
  const members = new Int32Array(keys.length);
  for (let i = 0; i < n; i++)
    for (let q = keyStart[i] as number; q < (keyStart[i + 1] as number); q++) {
      const k = keys.values[q] as number;
      members[fill[k] as number] = i;
      fill[k] = (fill[k] as number) + 1;
    }
  return { count, start, members, keyStart, keys: keys.values.subarray(0, keys.length) };
}

/**
 * Builds the labelled pairs of every split. `onProgress(done, total)` counts each record three
 * times, in its split's three passes (positives; hard-negative blocks, built then searched;
 * random negatives), each pass in proportion to its progress (total: three times the records).
 *
 * Pairing's working state is columns of record positions (typed arrays), one normalised view per
 * record of the split being paired, and the candidates as typed arrays; it all goes when pairing
 * is done, and the pairs keep the generated records themselves as their {@link PairRef}s.
 *
 * @example buildPairs(cfg, records).test.filter((p) => p.y === 1).length
 */
export function buildPairs(cfg: EntitiesConfig, generated: GeneratedRecords, onProgress?: ProgressListener): PairsBySplit {
  const focus = generated.rates.hard_negative_focus;
  const root = keyedStreams(cfg.seed, "entities");
  const positiveStreams = root.child("positives");
  const hardStreams = root.child("hard");
  const randomStreams = root.child("random-negatives");
  // Every record of the run by position (sources in order), its entity and its source's field
  // names by rule; its view and whether it has evidence to match on are found with its split's.
  const total = generated.sources.reduce((sum, { records }) => sum + records.length, 0);
  const all: EntityRecord[] = [];
  const entityOf = new Int32Array(total);
  const evidence = new Uint8Array(total);
  const fieldOfRules: Record<string, string>[] = [];
  const sourceAt = new Uint8Array(total);
  generated.sources.forEach(({ schema, records }, source) => {
    const fieldOfRule: Record<string, string> = {};
    for (const f of schema.fields) if (f.rule !== null) fieldOfRule[f.rule] = f.name;
    fieldOfRules.push(fieldOfRule);
    for (const r of records) {
      entityOf[all.length] = r.entity;
      sourceAt[all.length] = source;
      all.push(r);
    }
  });
  // Each record's split, drawn once per family (a stream each) rather than once per split pass.
  const familySplit = new Map<number, number>();
  const splitAt = new Uint8Array(total);
  const splitSize = [0, 0, 0];
  for (let p = 0; p < total; p++) {
    const family = (generated.entities[entityOf[p] as number] as (typeof generated.entities)[number]).family;
    let s = familySplit.get(family);
    if (s === undefined) {
      s = SPLITS.indexOf(splitOf(cfg.seed, family));
      familySplit.set(family, s);
    }
    splitAt[p] = s;
    splitSize[s] = (splitSize[s] as number) + 1;
  }
  const out: PairsBySplit = { train: [], valid: [], test: [] };
  const work = 3 * total;
  let finished = 0;
  SPLITS.forEach((s, si) => {
    // The split's records by position, in run order.
    const records = new Int32Array(splitSize[si] as number);
    let filled = 0;
    for (let p = 0; p < total; p++) if (splitAt[p] === si) records[filled++] = p;
    const n = records.length;
    // The split's normalised views, by position: pairs lie inside a split, so only its own records'
    // views are alive while it is paired. All records' views take about 12 MB at the default
    // volumes (measured: 35,100 views), so about 120 MB at 10x, of which valid and test need 15%.
    const norms = new Array<HardView>(total);
    for (let q = 0; q < n; q++) {
      const p = records[q] as number;
      const view = viewOf(fieldOfRules[sourceAt[p] as number] as Record<string, string>, (all[p] as EntityRecord).values);
      evidence[p] = hasEvidence(view) ? 1 : 0;
      norms[p] = hardView(view);
    }
    // Pass `pass` (0, 1, 2) of this split is `share` (0..1) done.
    const report = (pass: number, share: number) => onProgress?.(finished + pass * n + Math.floor(share * n), work);
    const seen = new Set<number>();
    const positives: LabelledPair[] = [];
    // The split's records grouped by entity, entities ascending and records in run order (a stable sort).
    const byEntity = Int32Array.from(records).sort((x, y) => (entityOf[x] as number) - (entityOf[y] as number) || x - y);
    let paired = 0;
    for (let g = 0; g < n; ) {
      const entity = entityOf[byEntity[g] as number] as number;
      let end = g;
      while (end < n && entityOf[byEntity[end] as number] === entity) end++;
      // A record whose email, phone and names were all blanked cannot be matched by anything: it
      // is left out of positives (the pair_evidence gate holds by construction).
      const usable: number[] = [];
      for (let q = g; q < end; q++) if (evidence[byEntity[q] as number] === 1) usable.push(byEntity[q] as number);
      const pairs: [number, number][] = [];
      for (let i = 0; i < usable.length; i++)
        for (let j = i + 1; j < usable.length; j++) pairs.push([usable[i] as number, usable[j] as number]);
      // A stream is made only when there is something to draw: streams are keyed, so skipping one changes no other.
      const chosen = pairs.length > MAX_POSITIVES_PER_ENTITY ? sample(pairs, MAX_POSITIVES_PER_ENTITY, positiveStreams.at(entity)) : pairs;
      for (const [a, b] of chosen) {
        seen.add(key(a, b, total));
        positives.push({
          a: all[a] as EntityRecord,
          b: all[b] as EntityRecord,
          y: 1,
          kind: "positive",
          features: featuresOf(norms[a] as HardView, norms[b] as HardView),
        });
      }
      paired += end - g;
      report(0, paired / n);
      g = end;
    }
    // Hard-negative candidates from blocks; the first half of this pass is blocking, the second
    // the pairs inside each block.
    const blocks = blocksOf(records, norms, (i) => report(1, (0.5 * i) / n));
    // Candidates are kept slim (a split at 10x volumes has millions); features are made for the chosen.
    const candidates = Object.fromEntries(HARD_KINDS.map((k) => [k, new Candidates()])) as Record<HardKind, Candidates>;
    // A pair is tested in the first block (in its first record's key order) the two share, and
    // skipped in the others: no set of tested pairs, which at 10x held millions.
    const firstShared = (i: number, j: number): number => {
      const jFrom = blocks.keyStart[j] as number;
      const jTo = blocks.keyStart[j + 1] as number;
      for (let q = blocks.keyStart[i] as number; q < (blocks.keyStart[i + 1] as number); q++) {
        const k = blocks.keys[q] as number;
        for (let r = jFrom; r < jTo; r++) if (blocks.keys[r] === k) return k;
      }
      return -1;
    };
    const members = blocks.members.length;
    let visited = 0;
    let list = new Int32Array(64);
    // Blocks in the order their first record came (deterministic: records come in a fixed
    // order); sorting the 200,000 keys cost more than the pairing inside the blocks.
    for (let block = 0; block < blocks.count; block++) {
      const from = blocks.start[block] as number;
      const size = (blocks.start[block + 1] as number) - from;
      visited += size;
      report(1, 0.5 + (0.5 * visited) / members);
      // A large block (a common last name and initial at 10x volumes holds hundreds) is searched
      // by the sorted-neighbourhood method: members in full-name order, each against the next
      // BLOCK_WINDOW, so look-alike names meet and the work grows with the block, not its square.
      const large = size > MAX_BLOCK;
      if (list.length < size) list = new Int32Array(2 * size);
      // Copied by index, and a view made only to sort a large block: a view per block was 30 MB of
      // the default run's 865 MB of allocations (sampled), all of it young garbage.
      const view = list;
      for (let m = 0; m < size; m++) view[m] = blocks.members[from + m] as number;
      if (large)
        view.subarray(0, size).sort((x, y) => {
          const fx = (norms[records[x] as number] as HardView).full;
          const fy = (norms[records[y] as number] as HardView).full;
          return fx < fy ? -1 : fx > fy ? 1 : x - y;
        });
      for (let i = 0; i < size; i++) {
        const ia = view[i] as number;
        const a = records[ia] as number;
        const ea = entityOf[a] as number;
        const na = norms[a] as HardView;
        const end = large ? Math.min(size, i + 1 + BLOCK_WINDOW) : size;
        for (let j = i + 1; j < end; j++) {
          const ib = view[j] as number;
          const b = records[ib] as number;
          if (ea === entityOf[b]) continue;
          if (firstShared(ia, ib) !== block) continue;
          const nb = norms[b] as HardView;
          const nameJw = jwOrZero(na.full, nb.full);
          const kind = hardKindOfViews(na, nb, nameJw);
          if (kind === null) continue;
          candidates[kind].push(a, b, nameJw);
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
      const c = candidates[kind];
      const as = c.a.values;
      const bs = c.b.values;
      const jws = c.nameJw.values;
      const chosen = focusedPositions(c.length, share, focus, hardStreams.at(s, kind), (q) =>
        similarity(norms[as[q] as number] as HardView, norms[bs[q] as number] as HardView, jws[q] as number),
      );
      for (const q of chosen) {
        const a = as[q] as number;
        const b = bs[q] as number;
        hard.push({
          a: all[a] as EntityRecord,
          b: all[b] as EntityRecord,
          y: 0,
          kind,
          features: featuresOf(norms[a] as HardView, norms[b] as HardView, jws[q] as number),
        });
        // Candidates not chosen may still be drawn as random negatives; the chosen ones may not.
        seen.add(key(a, b, total));
      }
      left -= chosen.length;
    });

    const randoms: LabelledPair[] = [];
    const rng = randomStreams.at(s);
    const want = target - hard.length;
    // Bounded tries: a split with almost one entity cannot give random negatives.
    for (let tries = 0; randoms.length < want && tries < want * 20 && n > 1; tries++) {
      const a = records[Math.floor(rng.next() * n)] as number;
      const b = records[Math.floor(rng.next() * n)] as number;
      if (entityOf[a] === entityOf[b]) continue;
      const pk = key(a, b, total);
      if (seen.has(pk)) continue;
      seen.add(pk);
      randoms.push({
        a: all[a] as EntityRecord,
        b: all[b] as EntityRecord,
        y: 0,
        kind: "random",
        features: featuresOf(norms[a] as HardView, norms[b] as HardView),
      });
      report(2, randoms.length / want);
    }
    out[s] = [...positives, ...hard, ...randoms];
    finished += 3 * n;
    onProgress?.(finished, work);
  });
  return out;
}
