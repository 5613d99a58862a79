/**
 * profileTable gives the rows a plain reading of the profiles gives (every contact point, its
 * records sorted by source then id), whatever order the rows are read in, and hashes each PII
 * value once however often its row is read.
 */
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { entitiesConfigSchema } from "./config.js";
import type { ContactUse, EntityProfile, Place } from "./profile.js";
import { entityId, profileTable } from "./profiles-truth.js";
import { type GeneratedRecords, generateRecords } from "./records.js";
import { loadSchemas } from "./schema-file.js";

const gen = generateRecords(entitiesConfigSchema.parse({ dev: true, seed: 11 }), loadSchemas());
const sha = (v: string) => (v === "" ? "" : createHash("sha256").update(`salt${v}`).digest("hex"));

/** The rows, written out the obvious way: one entity at a time, its records sorted. */
function reference(g: GeneratedRecords, hash: (v: string) => string): string[][] {
  const byEntity = new Map<number, GeneratedRecords["sources"][number]["records"][number][]>();
  for (const { records } of g.sources) for (const r of records) byEntity.set(r.entity, [...(byEntity.get(r.entity) ?? []), r]);
  const rows: string[][] = [];
  for (const e of [...byEntity.keys()].sort((a, b) => a - b)) {
    const list = [...(byEntity.get(e) ?? [])].sort((a, b) =>
      a.source === b.source ? (a.id < b.id ? -1 : 1) : a.source < b.source ? -1 : 1,
    );
    const p: EntityProfile = (g.entities[e] as GeneratedRecords["entities"][number]).profile;
    const refs = (keep: (u: ContactUse) => boolean) =>
      list
        .filter((r) => keep(r.uses))
        .map((r) => `${r.source}/${r.id}`)
        .join(" ");
    const row = (contact: string, label: string, value: string, place: Place | null, keep: (u: ContactUse) => boolean) =>
      rows.push([entityId(e), contact, label, hash(value), place?.city ?? "", place?.state ?? "", place?.zip ?? "", refs(keep)]);
    row("last_name", "current", p.last_name, null, (u) => !(u.previous_last_name && p.previous_last_name !== null));
    if (p.previous_last_name !== null) row("last_name", "previous", p.previous_last_name, null, (u) => u.previous_last_name);
    if (p.suffix !== "") row("suffix", "primary", p.suffix, null, (u) => u.suffix);
    for (const label of ["personal", "work", "family"] as const) {
      const v = p.emails[label];
      if (v !== null) row("email", label, v, null, (u) => u.email === label);
    }
    for (const label of ["mobile", "landline", "work"] as const) {
      const v = p.phones[label];
      if (v !== null) row("phone", label, v, null, (u) => u.phone === label);
    }
    // A business card's office wins over both the current and the previous address.
    const office = (u: ContactUse) => u.office && p.office !== null;
    row("address", "current", p.place.address, p.place, (u) => !office(u) && !(u.previous_place && p.previous_place !== null));
    if (p.previous_place !== null)
      row("address", "previous", p.previous_place.address, p.previous_place, (u) => u.previous_place && !office(u));
    if (p.office !== null) row("address", "office", p.office.address, p.office, (u) => u.office);
  }
  return rows;
}

const all = (t: ReturnType<typeof profileTable>, order: readonly number[]) => order.map((i) => [...t.rowAt(i)]);
const inOrder = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("profileTable", () => {
  const hashes = [
    ["plain", (v: string) => v],
    ["sha256 (kept as digests)", sha],
    ["another text (kept as is)", (v: string) => `h:${v}`],
  ] as const;
  test.each(hashes)("rows are the plain reading's, %s", (_, hash) => {
    const want = reference(gen, hash);
    const t = profileTable(gen, hash);
    expect(t.count).toBe(want.length);
    expect(all(t, inOrder(t.count))).toEqual(want);
    // A second pass gives the same rows from what was kept.
    expect(all(t, inOrder(t.count))).toEqual(want);
  });

  test("rows read in any order, column by column in blocks or at random, are the same", () => {
    const want = reference(gen, sha);
    const t = profileTable(gen, sha);
    const order = inOrder(t.count);
    // A reproducible shuffle (a multiplicative walk over the indices).
    const shuffled = order.map((i) => (i * 7919 + 13) % t.count);
    expect(new Set(shuffled).size).toBe(t.count);
    expect(all(t, shuffled)).toEqual(shuffled.map((i) => want[i]));
    // As a CSV block is filled: each column of a block of rows, then the next column.
    const cells: string[][] = order.map(() => []);
    for (let s = 0; s < t.count; s += 500)
      for (let j = 0; j < 8; j++) for (let i = s; i < Math.min(t.count, s + 500); i++) (cells[i] as string[])[j] = t.rowAt(i)[j] as string;
    expect(cells).toEqual(want);
  });

  test("each PII value is hashed once, however often its row is read (a shared name once per value)", () => {
    const plain = reference(gen, (v) => v);
    const shared = plain.filter(([, contact]) => contact === "last_name" || contact === "suffix");
    const once = plain.length - shared.length + new Set(shared.map((r) => r[3])).size;
    expect(once).toBeLessThan(plain.length);
    let calls = 0;
    const t = profileTable(gen, (v) => {
      calls++;
      return sha(v);
    });
    all(t, inOrder(t.count));
    expect(calls).toBe(once);
    all(t, inOrder(t.count).reverse());
    expect(calls).toBe(once);
  });

  test("a hash that gives some values as they are and others as text is kept apart row by row", () => {
    // Digests, unchanged values, and 64 characters that are not lowercase hex, mixed.
    const odd = (v: string) => (v.length % 3 === 0 ? v : v.length % 3 === 1 ? sha(v) : sha(v).toUpperCase());
    const t = profileTable(gen, odd);
    const want = reference(gen, odd);
    expect(all(t, inOrder(t.count))).toEqual(want);
    expect(all(t, inOrder(t.count))).toEqual(want);
  });

  test("a source whose records are not in id order still lists each entity's records in id order", () => {
    const shuffled: GeneratedRecords = { ...gen, sources: gen.sources.map((s) => ({ ...s, records: [...s.records].reverse() })) };
    const t = profileTable(shuffled, (v) => v);
    expect(all(t, inOrder(t.count))).toEqual(reference(gen, (v) => v));
  });

  test.each([-1, 0.5, Number.NaN, "count"] as const)("row %s is refused", (i) => {
    const t = profileTable(gen, (v) => v);
    expect(() => t.rowAt(i === "count" ? t.count : i)).toThrow(RangeError);
  });
});
