/**
 * The entities gates, as checks over the data *as written* (strings), so `generate` and `verify`
 * (which reads the files back) run the same code on the same shape.
 */
import { type CheckResult, check, type Report, report, ViolationList } from "../../checks/result.js";
import { isHardEmailDomain, isHardSameAddress, isHardSimilarName, type RecordView } from "./match/features.js";
import { PAIR_KINDS, SPLITS, type SplitName, viewOf } from "./pairs.js";
import type { SourceName } from "./schema-file.js";

/** A written source: its header and rows (cell text). */
export interface WrittenSource {
  readonly name: SourceName;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** Field name of each rule the schema gives (email, phone, first_name, ..., address). */
  readonly fieldOfRule: Readonly<Record<string, string>>;
}

/** A written pair row. */
export interface WrittenPair {
  readonly src_a: string;
  readonly id_a: string;
  readonly src_b: string;
  readonly id_b: string;
  readonly y: number;
  readonly kind: string;
}

/** Everything the gates read. */
export interface WrittenData {
  readonly sources: readonly WrittenSource[];
  /** `source/id` -> entity id. */
  readonly truth: ReadonlyMap<string, string>;
  readonly corruptions: readonly { source: string; id: string; field: string; operator: string; before: string; after: string }[];
  readonly pairs: Readonly<Record<SplitName, readonly WrittenPair[]>>;
  readonly expected: {
    readonly pii: "plain" | "hashed";
    readonly dev: boolean;
    readonly dupRate: number;
    readonly overlap: number;
    readonly negativeRatio: number;
    /** Per source: records, duplicates, shared entities expected (from the manifest). */
    readonly volumes: Readonly<Record<string, { records: number; base: number; duplicates: number; shared: number }>>;
    readonly requiredColumns: Readonly<Record<string, readonly string[]>>;
  };
}

/** Gate thresholds. */
export const GATES = {
  minPositives: 100,
  minHardNegatives: 500,
  devMinPositives: 10,
  devMinHardNegatives: 10,
  dupRange: [0.05, 0.15],
  overlapRange: [0.3, 0.6],
  balanceRange: [3, 5],
} as const;

const PII_RULES = ["email", "phone", "first_name", "last_name", "address"] as const;
const HEX64 = /^[0-9a-f]{64}$/;
const US_ZIP = /^\d{5}$/;
const CA_POSTAL = /^[A-Z]\d[A-Z] \d[A-Z]\d$/;

const ref = (source: string, id: string) => `${source}/${id}`;

/** The field a source names for `rule` (the rule's own name when the schema gives none). */
const fieldFor = (source: WrittenSource, rule: string): string => source.fieldOfRule[rule] ?? rule;

/** The cell of `rule` in a row ("" when missing). */
const cellFor = (source: WrittenSource, row: Readonly<Record<string, string>>, rule: string): string => row[fieldFor(source, rule)] ?? "";

function view(source: WrittenSource, row: Readonly<Record<string, string>>): RecordView {
  return viewOf(source.fieldOfRule, row);
}

/** Runs every gate. `summary` goes into the report as is. */
export function runEntityChecks(data: WrittenData, summary?: Record<string, unknown>): Report {
  const byRef = new Map<string, { source: WrittenSource; row: Readonly<Record<string, string>> }>();
  for (const s of data.sources) {
    for (const row of s.rows) byRef.set(ref(s.name, cellFor(s, row, "id")), { source: s, row });
  }
  const hashed = data.expected.pii === "hashed";
  const checks: CheckResult[] = [];

  {
    const v = new ViolationList();
    for (const s of data.sources)
      for (const c of data.expected.requiredColumns[s.name] as readonly string[])
        if (!s.columns.includes(c)) v.add({ source: s.name, missing_column: c });
    checks.push(check("required_columns", "every source has its schema's columns", { sources: data.sources.length }, v));
  }
  {
    const v = new ViolationList();
    let cells = 0;
    for (const s of data.sources) {
      for (const row of s.rows) {
        const [id, email, phone, zip, country] = ["id", "email", "phone", "zip", "country"].map((rule) => cellFor(s, row, rule)) as [
          string,
          string,
          string,
          string,
          string,
        ];
        cells += 3;
        if (hashed) {
          for (const rule of PII_RULES) {
            const value = cellFor(s, row, rule);
            if (value !== "" && !HEX64.test(value))
              v.add({ source: s.name, id, field: fieldFor(s, rule), problem: "not a sha256 hex digest in hashed mode" });
          }
        } else {
          if (email !== "" && !/^[^@\s]+@[^@\s]+$/.test(email)) v.add({ source: s.name, id, email, problem: "an email has one @" });
          if (phone !== "" && phone.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "").length !== 10)
            v.add({ source: s.name, id, phone, problem: "a phone has 10 digits after stripping" });
        }
        if (zip !== "" && !(country === "CA" ? CA_POSTAL : US_ZIP).test(zip))
          v.add({
            source: s.name,
            id,
            zip,
            country,
            problem: country === "CA" ? "a Canadian postal code is A1A 1A1" : "a US zip is 5 digits",
          });
        if (country !== "US" && country !== "CA") v.add({ source: s.name, id, country, problem: "country is US or CA" });
      }
    }
    checks.push(
      check(
        "value_formats",
        hashed ? "PII fields are sha256 digests; zips match their country" : "emails have an @, phones 10 digits, zips match their country",
        { cells },
        v,
      ),
    );
  }
  {
    const v = new ViolationList();
    const seen = new Set<string>();
    for (const s of data.sources)
      for (const row of s.rows) {
        const id = cellFor(s, row, "id");
        if (id === "") v.add({ source: s.name, problem: "empty id" });
        else if (seen.has(ref(s.name, id))) v.add({ source: s.name, id, problem: "id used twice" });
        seen.add(ref(s.name, id));
      }
    checks.push(check("unique_ids", "record ids are non-empty and unique in each source", { records: seen.size }, v));
  }
  const entitiesOf = new Map<string, Set<string>>();
  const sourcesOfEntity = new Map<string, Set<string>>();
  {
    const v = new ViolationList();
    const metrics: Record<string, unknown> = {};
    for (const s of data.sources) {
      const ents = new Set<string>();
      for (const row of s.rows) {
        const id = cellFor(s, row, "id");
        const e = data.truth.get(ref(s.name, id));
        if (e === undefined) {
          v.add({ source: s.name, id, problem: "record missing from truth/entities.csv" });
          continue;
        }
        ents.add(e);
        const srcs = sourcesOfEntity.get(e) ?? new Set<string>();
        srcs.add(s.name);
        sourcesOfEntity.set(e, srcs);
      }
      entitiesOf.set(s.name, ents);
      const rate = s.rows.length === 0 ? 0 : (s.rows.length - ents.size) / s.rows.length;
      const want = data.expected.volumes[s.name];
      metrics[s.name] = { records: s.rows.length, entities: ents.size, duplicate_rate: rate };
      const [lo, hi] = GATES.dupRange;
      // The count is round(dup_rate * n), so the realised rate is within 0.5 / n of the configured one.
      const tol = 0.5 / Math.max(1, s.rows.length) + 1e-12;
      if (want && (s.rows.length !== want.records || Math.abs(rate - data.expected.dupRate) > tol || rate < lo - tol || rate > hi + tol))
        v.add({
          source: s.name,
          records: s.rows.length,
          expected_records: want.records,
          duplicate_rate: rate,
          configured: data.expected.dupRate,
          range: GATES.dupRange,
        });
    }
    checks.push(check("duplicate_rate", "within-source duplicate rate is the configured one, within 5-15%", metrics, v));
  }
  {
    const v = new ViolationList();
    const metrics: Record<string, unknown> = {};
    // Sources in decreasing size: each smaller one shares round(overlap * entities) with larger ones.
    const order = [...data.sources].sort(
      (a, b) => (entitiesOf.get(b.name) as Set<string>).size - (entitiesOf.get(a.name) as Set<string>).size,
    );
    const earlier = new Set<string>();
    order.forEach((s, rank) => {
      const ents = entitiesOf.get(s.name) as Set<string>;
      if (rank > 0) {
        let shared = 0;
        for (const e of ents) if (earlier.has(e)) shared++;
        const share = ents.size === 0 ? 0 : shared / ents.size;
        metrics[s.name] = { entities: ents.size, shared_with_larger: shared, overlap: share };
        const tol = 0.5 / Math.max(1, ents.size) + 1e-12;
        const [lo, hi] = GATES.overlapRange;
        if (Math.abs(share - data.expected.overlap) > tol || share < lo - tol || share > hi + tol)
          v.add({ source: s.name, overlap: share, configured: data.expected.overlap, range: GATES.overlapRange });
      }
      for (const e of ents) earlier.add(e);
    });
    let multi = 0;
    for (const srcs of sourcesOfEntity.values()) if (srcs.size >= 2) multi++;
    metrics.entities = sourcesOfEntity.size;
    metrics.entities_in_two_or_more_sources = multi;
    checks.push(
      check(
        "cross_source_overlap",
        "each smaller source shares the configured share of its entities with larger ones (30-60%)",
        metrics,
        v,
      ),
    );
  }
  const allPairs = SPLITS.flatMap((s) => data.pairs[s].map((p) => ({ split: s, p })));
  const counts: Record<string, number> = Object.fromEntries(PAIR_KINDS.map((k) => [k, 0]));
  for (const { p } of allPairs) counts[p.kind] = (counts[p.kind] ?? 0) + 1;
  const positives = counts.positive as number;
  const hard = (counts.hard_email_domain as number) + (counts.hard_similar_name as number) + (counts.hard_same_address as number);
  {
    const v = new ViolationList();
    const minP = data.expected.dev ? GATES.devMinPositives : GATES.minPositives;
    const minH = data.expected.dev ? GATES.devMinHardNegatives : GATES.minHardNegatives;
    if (positives < minP) v.add({ positives, minimum: minP });
    if (hard < minH) v.add({ hard_negatives: hard, minimum: minH });
    checks.push(check("pair_counts", `at least ${minP} positives and ${minH} hard negatives`, { ...counts, hard_negatives: hard }, v));
  }
  {
    const v = new ViolationList();
    const metrics: Record<string, unknown> = {};
    const [lo, hi] = GATES.balanceRange;
    for (const s of SPLITS) {
      const pos = data.pairs[s].filter((p) => p.y === 1).length;
      const neg = data.pairs[s].length - pos;
      const ratio = pos === 0 ? null : neg / pos;
      metrics[s] = { positives: pos, negatives: neg, negatives_per_positive: ratio };
      // A split with very few positives cannot hit a ratio exactly; rounding allows 1 pair either way.
      if (pos > 0 && (neg < lo * pos - 1 || neg > hi * pos + 1))
        v.add({ split: s, positives: pos, negatives: neg, range: GATES.balanceRange });
    }
    checks.push(check("class_balance", "negatives per positive between 3 and 5 in every split", metrics, v));
  }
  {
    const v = new ViolationList();
    for (const { split, p } of allPairs) {
      if (p.y !== 0 && p.y !== 1) v.add({ split, ...p, problem: "y is not 0 or 1" });
      else if (!(PAIR_KINDS as readonly string[]).includes(p.kind)) v.add({ split, ...p, problem: "unknown kind" });
      else if ((p.kind === "positive") !== (p.y === 1)) v.add({ split, ...p, problem: "kind and y disagree" });
      if (!p.src_a || !p.id_a || !p.src_b || !p.id_b) v.add({ split, ...p, problem: "empty key field" });
    }
    checks.push(
      check("pair_labels", "every y is 0 or 1, kinds are known and agree with y, no empty key field", { pairs: allPairs.length }, v),
    );
  }
  {
    const v = new ViolationList();
    const entityOfSplit = new Map<string, string>();
    let unknown = 0;
    for (const { split, p } of allPairs) {
      const ea = data.truth.get(ref(p.src_a, p.id_a));
      const eb = data.truth.get(ref(p.src_b, p.id_b));
      if (ea === undefined || eb === undefined) {
        unknown++;
        v.add({ split, ...p, problem: "record not in the truth file" });
        continue;
      }
      if ((ea === eb) !== (p.y === 1))
        v.add({ split, ...p, entity_a: ea, entity_b: eb, problem: p.y === 1 ? "positive across entities" : "negative within an entity" });
      for (const e of [ea, eb]) {
        const other = entityOfSplit.get(e);
        if (other !== undefined && other !== split) v.add({ entity: e, splits: [other, split], problem: "entity in two splits" });
        entityOfSplit.set(e, split);
      }
    }
    checks.push(
      check(
        "labels_match_truth",
        "positives share an entity, negatives do not, and no entity crosses splits",
        { pairs: allPairs.length, unknown_records: unknown },
        v,
      ),
    );
  }
  {
    const v = new ViolationList();
    let checked = 0;
    for (const { split, p } of allPairs) {
      const a = byRef.get(ref(p.src_a, p.id_a));
      const b = byRef.get(ref(p.src_b, p.id_b));
      if (!a || !b) continue;
      const va = view(a.source, a.row);
      const vb = view(b.source, b.row);
      if (p.y === 1) {
        for (const [side, r] of [
          ["a", va],
          ["b", vb],
        ] as const)
          if (r.email === "" && r.phone === "" && r.first_name === "" && r.last_name === "")
            v.add({ split, ...p, side, problem: "positive record with no email, phone or name" });
      } else if (!hashed && p.kind.startsWith("hard_")) {
        checked++;
        const rule =
          p.kind === "hard_email_domain" ? isHardEmailDomain : p.kind === "hard_similar_name" ? isHardSimilarName : isHardSameAddress;
        if (!rule(va, vb)) v.add({ split, ...p, problem: `does not satisfy the ${p.kind} rule` });
      }
    }
    checks.push(
      check(
        "pair_evidence",
        hashed
          ? "no positive record lacks email, phone and name (hard-negative rules need plain values: not checked)"
          : "no positive record lacks email, phone and name; every hard negative satisfies its rule",
        { hard_negatives_checked: checked },
        v,
      ),
    );
  }
  {
    const v = new ViolationList();
    const last = new Map<string, string>();

    for (const c of data.corruptions) last.set(`${c.source}/${c.id}/${c.field}`, c.after);
    for (const [k, after] of last) {
      const [source, id, field] = k.split("/") as [string, string, string];
      const r = byRef.get(ref(source, id));
      if (!r) v.add({ source, id, problem: "corrupted record not found" });
      else if ((r.row[field] ?? "") !== after)
        v.add({
          source,
          id,
          field,
          logged_after: after,
          value: r.row[field] ?? null,
          problem: "the record does not hold the last logged value",
        });
    }
    checks.push(
      check("corruption_log", "each corrupted field holds the last `after` its log gives", { corruptions: data.corruptions.length }, v),
    );
  }
  return report(checks, summary);
}
