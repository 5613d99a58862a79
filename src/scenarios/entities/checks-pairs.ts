/**
 * Checks of the labelled pairs: how many there are of each kind, the class balance of each split,
 * well-formed labels, labels that agree with the truth (and no entity in two splits), and the
 * evidence each pair's records carry.
 */
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { HARD_KINDS, HARD_RULES, type HardKind } from "./match/hard-rules.js";
import { PAIR_KINDS, SPLITS, viewOf } from "./pairs.js";
import { emptyRow } from "./row.js";
import { entityOf, forEachPair, GATES, recordOf, type Tick, type WrittenData, type WrittenIndex } from "./written.js";

/** `pair_counts`: at least the minimum positives and hard negatives (relaxed with `--dev`). */
export function pairCounts(data: WrittenData, _ix?: WrittenIndex, tick?: Tick): CheckResult {
  // A kind read from a file (say "constructor") counts from 0 like any other.
  const counts = Object.assign(emptyRow<number>(), Object.fromEntries(PAIR_KINDS.map((k) => [k, 0])));
  forEachPair(
    data,
    (_, p) => {
      counts[p.kind] = (counts[p.kind] ?? 0) + 1;
    },
    tick,
  );
  const positives = counts.positive as number;
  const hard = HARD_KINDS.reduce((sum, k) => sum + (counts[k] as number), 0);
  const v = new ViolationList();
  const minP = data.expected.dev ? GATES.devMinPositives : GATES.minPositives;
  const minH = data.expected.dev ? GATES.devMinHardNegatives : GATES.minHardNegatives;
  if (positives < minP) v.add({ positives, minimum: minP });
  if (hard < minH) v.add({ hard_negatives: hard, minimum: minH });
  return check("pair_counts", `at least ${minP} positives and ${minH} hard negatives`, { ...counts, hard_negatives: hard }, v);
}

/** `class_balance`: 3 to 5 negatives per positive in every split (one pair of slack for rounding). */
export function classBalance(data: WrittenData): CheckResult {
  const v = new ViolationList();
  const metrics: Record<string, unknown> = {};
  const [lo, hi] = GATES.balanceRange;
  for (const s of SPLITS) {
    let pos = 0;
    for (const p of data.pairs[s]) if (p.y === 1) pos++;
    const neg = data.pairs[s].length - pos;
    const ratio = pos === 0 ? null : neg / pos;
    metrics[s] = { positives: pos, negatives: neg, negatives_per_positive: ratio };
    // A split with very few positives cannot hit a ratio exactly; rounding allows 1 pair either way.
    if (pos > 0 && (neg < lo * pos - 1 || neg > hi * pos + 1))
      v.add({ split: s, positives: pos, negatives: neg, range: GATES.balanceRange });
  }
  return check("class_balance", "negatives per positive between 3 and 5 in every split", metrics, v);
}

/** `pair_labels`: y is 0 or 1, kinds are known and agree with y, and no key cell is empty. */
export function pairLabels(data: WrittenData, ix: WrittenIndex, tick?: Tick): CheckResult {
  const v = new ViolationList();
  forEachPair(
    data,
    (split, p) => {
      if (p.y !== 0 && p.y !== 1) v.add({ split, ...p, problem: "y is not 0 or 1" });
      else if (!(PAIR_KINDS as readonly string[]).includes(p.kind)) v.add({ split, ...p, problem: "unknown kind" });
      else if ((p.kind === "positive") !== (p.y === 1)) v.add({ split, ...p, problem: "kind and y disagree" });
      if (!p.src_a || !p.id_a || !p.src_b || !p.id_b) v.add({ split, ...p, problem: "empty key field" });
    },
    tick,
  );
  return check("pair_labels", "every y is 0 or 1, kinds are known and agree with y, no empty key field", { pairs: ix.pairCount }, v);
}

/** `labels_match_truth`: labels agree with the truth file, and no entity is in two splits. */
export function labelsMatchTruth(data: WrittenData, ix: WrittenIndex, tick?: Tick): CheckResult {
  const v = new ViolationList();
  // The split each entity was last seen in: by the index's entity number in a byte array (-1: not
  // seen), and in a map for an entity the truth gives only records no source holds.
  const splitOfNumber = new Int8Array(ix.entities).fill(-1);
  const splitOfOther = new Map<string, number>();
  let unknown = 0;
  forEachPair(
    data,
    (split, p) => {
      const si = SPLITS.indexOf(split);
      const ea = entityOf(data.truth, p.src_a, p.id_a);
      const eb = entityOf(data.truth, p.src_b, p.id_b);
      if (ea === undefined || eb === undefined) {
        unknown++;
        v.add({ split, ...p, problem: "record not in the truth file" });
        return;
      }
      if ((ea === eb) !== (p.y === 1))
        v.add({ split, ...p, entity_a: ea, entity_b: eb, problem: p.y === 1 ? "positive across entities" : "negative within an entity" });
      for (const e of [ea, eb]) {
        const n = ix.entityNumber.get(e);
        const other = n === undefined ? (splitOfOther.get(e) ?? -1) : (splitOfNumber[n] as number);
        if (other !== -1 && other !== si) v.add({ entity: e, splits: [SPLITS[other], split], problem: "entity in two splits" });
        if (n === undefined) splitOfOther.set(e, si);
        else splitOfNumber[n] = si;
      }
    },
    tick,
  );
  return check(
    "labels_match_truth",
    "positives share an entity, negatives do not, and no entity crosses splits",
    { pairs: ix.pairCount, unknown_records: unknown },
    v,
  );
}

/** `pair_evidence`: positives have something to match on; hard negatives satisfy their rule (plain PII only). */
export function pairEvidence(data: WrittenData, ix: WrittenIndex, tick?: Tick): CheckResult {
  const hashed = data.expected.pii === "hashed";
  const v = new ViolationList();
  let checked = 0;
  forEachPair(
    data,
    (split, p) => {
      const a = recordOf(ix, p.src_a, p.id_a);
      const b = recordOf(ix, p.src_b, p.id_b);
      if (!a || !b) return;
      const va = viewOf(a.source.fieldOfRule, a.row);
      const vb = viewOf(b.source.fieldOfRule, b.row);
      if (p.y === 1) {
        for (const [side, r] of [
          ["a", va],
          ["b", vb],
        ] as const)
          if (r.email === "" && r.phone === "" && r.first_name === "" && r.last_name === "")
            v.add({ split, ...p, side, problem: "positive record with no email, phone or name" });
      } else if (!hashed && p.kind.startsWith("hard_")) {
        checked++;
        const rule = Object.hasOwn(HARD_RULES, p.kind) ? HARD_RULES[p.kind as HardKind] : null;
        if (rule === null || !rule(va, vb)) v.add({ split, ...p, problem: `does not satisfy the ${p.kind} rule` });
      }
    },
    tick,
  );
  return check(
    "pair_evidence",
    hashed
      ? "no positive record lacks email, phone and name (hard-negative rules need plain values: not checked)"
      : "no positive record lacks email, phone and name; every hard negative satisfies its rule",
    { hard_negatives_checked: checked },
    v,
  );
}
