/**
 * Checks of the written records: columns, value formats, ids, the duplicate rate of each source,
 * the overlap between sources, and the corruption log against the cells it says it changed.
 */

import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { normalizePhone } from "./match/features.js";
import {
  cellAt,
  entityOf,
  fieldFor,
  GATES,
  recordOf,
  rowCount,
  type Tick,
  ticker,
  type WrittenData,
  type WrittenIndex,
} from "./written.js";

const PII_RULES = ["email", "phone", "first_name", "last_name", "address"] as const;
const US_ZIP = /^\d{5}$/;
const CA_POSTAL = /^[A-Z]\d[A-Z] \d[A-Z]\d$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * Whether `text` is 64 lowercase hex digits (a sha256 as `--pii hashed` writes it). A loop over
 * the character codes: `/^[0-9a-f]{64}$/` took 0.1 s over the PII cells of a default run.
 */
function isHexDigest(text: string): boolean {
  if (text.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** `required_columns`: every source has the columns its schema names. */
export function requiredColumns(data: WrittenData): CheckResult {
  const v = new ViolationList();
  for (const s of data.sources)
    for (const c of data.expected.requiredColumns[s.name] as readonly string[])
      if (!s.columns.includes(c)) v.add({ source: s.name, missing_column: c });
  return check("required_columns", "every source has its schema's columns", { sources: data.sources.length }, v);
}

/** `value_formats`: emails, phones, zips and countries are well formed (PII cells are sha256 digests when hashed). */
export function valueFormats(data: WrittenData, _ix?: WrittenIndex, tick?: Tick): CheckResult {
  const step = ticker(rowCount(data), tick);
  const hashed = data.expected.pii === "hashed";
  const v = new ViolationList();
  let cells = 0;
  for (const s of data.sources) {
    // Field names once per source, not five lookups per row.
    const [idField, emailField, phoneField, zipField, countryField] = ["id", "email", "phone", "zip", "country"].map((rule) =>
      fieldFor(s, rule),
    ) as [string, string, string, string, string];
    const piiFields = PII_RULES.map((rule) => fieldFor(s, rule));
    for (const row of s.rows) {
      step();
      const id = cellAt(row, idField);
      const zip = cellAt(row, zipField);
      const country = cellAt(row, countryField);
      cells += 3;
      if (hashed) {
        for (const field of piiFields) {
          const value = cellAt(row, field);
          if (value !== "" && !isHexDigest(value)) v.add({ source: s.name, id, field, problem: "not a sha256 hex digest in hashed mode" });
        }
      } else {
        const email = cellAt(row, emailField);
        const phone = cellAt(row, phoneField);
        if (email !== "" && !EMAIL.test(email)) v.add({ source: s.name, id, email, problem: "an email has one @" });
        // normalizePhone drops an extension (a work phone is a switchboard and an extension).
        if (phone !== "" && normalizePhone(phone) === "")
          v.add({ source: s.name, id, phone, problem: "a phone has 10 digits after stripping (an extension aside)" });
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
  return check(
    "value_formats",
    hashed ? "PII fields are sha256 digests; zips match their country" : "emails have an @, phones 10 digits, zips match their country",
    { cells },
    v,
  );
}

/** `unique_ids`: record ids are non-empty and unique within each source. */
export function uniqueIds(data: WrittenData, ix: WrittenIndex, tick?: Tick): CheckResult {
  const step = ticker(rowCount(data), tick);
  const v = new ViolationList();
  let records = 0;
  // Each distinct id of a source has a slot in the index: a byte per slot says it was seen (no set
  // of every id).
  const seen = new Uint8Array(ix.slotRow.length);
  for (const s of data.sources) {
    const idField = fieldFor(s, "id");
    // The index holds every source of the data (each name once).
    const byId = (ix.rows.get(s.name) as { readonly byId: ReadonlyMap<string, number> }).byId;
    for (const row of s.rows) {
      step();
      const id = cellAt(row, idField);
      const slot = byId.get(id) as number;
      if (id === "") v.add({ source: s.name, problem: "empty id" });
      else if (seen[slot] === 1) v.add({ source: s.name, id, problem: "id used twice" });
      seen[slot] = 1;
    }
    records += byId.size;
  }
  return check("unique_ids", "record ids are non-empty and unique in each source", { records }, v);
}

/** `duplicate_rate`: every record is in the truth, and each source has its configured duplicate rate (within rounding). */
export function duplicateRate(data: WrittenData, ix: WrittenIndex, tick?: Tick): CheckResult {
  const step = ticker(rowCount(data), tick);
  const v = new ViolationList();
  const metrics: Record<string, unknown> = {};
  const [lo, hi] = GATES.dupRange;
  for (const s of data.sources) {
    const idField = fieldFor(s, "id");
    for (const row of s.rows) {
      step();
      const id = cellAt(row, idField);
      if (entityOf(data.truth, s.name, id) === undefined) v.add({ source: s.name, id, problem: "record missing from truth/entities.csv" });
    }
    const entities = (ix.entitiesOf.get(s.name) as Int32Array).length;
    const rate = s.rows.length === 0 ? 0 : (s.rows.length - entities) / s.rows.length;
    const want = data.expected.volumes[s.name];
    metrics[s.name] = { records: s.rows.length, entities, duplicate_rate: rate };
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
  return check("duplicate_rate", "within-source duplicate rate is the configured one, within 5-15%", metrics, v);
}

/** `cross_source_overlap`: each smaller source shares the configured share of its entities with larger ones. */
export function crossSourceOverlap(data: WrittenData, ix: WrittenIndex): CheckResult {
  const v = new ViolationList();
  const metrics: Record<string, unknown> = {};
  const entitiesOf = (name: string) => ix.entitiesOf.get(name) as Int32Array;
  // Sources in decreasing size: each smaller one shares round(overlap * entities) with larger ones.
  const order = [...data.sources].sort((a, b) => entitiesOf(b.name).length - entitiesOf(a.name).length);
  const [lo, hi] = GATES.overlapRange;
  // By entity number: 1 once a larger source had it.
  const earlier = new Uint8Array(ix.entities);
  order.forEach((s, rank) => {
    const ents = entitiesOf(s.name);
    if (rank > 0) {
      let shared = 0;
      for (const e of ents) shared += earlier[e] as number;
      const share = ents.length === 0 ? 0 : shared / ents.length;
      metrics[s.name] = { entities: ents.length, shared_with_larger: shared, overlap: share };
      const tol = 0.5 / Math.max(1, ents.length) + 1e-12;
      if (Math.abs(share - data.expected.overlap) > tol || share < lo - tol || share > hi + tol)
        v.add({ source: s.name, overlap: share, configured: data.expected.overlap, range: GATES.overlapRange });
    }
    for (const e of ents) earlier[e] = 1;
  });
  metrics.entities = ix.entities;
  metrics.entities_in_two_or_more_sources = ix.entitiesInTwoOrMoreSources;
  return check(
    "cross_source_overlap",
    "each smaller source shares the configured share of its entities with larger ones (30-60%)",
    metrics,
    v,
  );
}

/** `corruption_log`: each logged field holds the last `after` the log gives for it. */
export function corruptionLog(data: WrittenData, ix: WrittenIndex, tick?: Tick): CheckResult {
  const step = ticker(2 * data.corruptions.length, tick);
  const v = new ViolationList();
  const last = new Map<string, { source: string; id: string; field: string; after: string }>();
  for (const c of data.corruptions) {
    step();
    last.set(`${c.source}/${c.id}/${c.field}`, c);
  }
  for (const { source, id, field, after } of last.values()) {
    step();
    const r = recordOf(ix, source, id);
    if (!r) v.add({ source, id, problem: "corrupted record not found" });
    else if (cellAt(r.row, field) !== after)
      v.add({
        source,
        id,
        field,
        logged_after: after,
        value: Object.hasOwn(r.row, field) ? r.row[field] : null,
        problem: "the record does not hold the last logged value",
      });
  }
  return check("corruption_log", "each corrupted field holds the last `after` its log gives", { corruptions: data.corruptions.length }, v);
}
