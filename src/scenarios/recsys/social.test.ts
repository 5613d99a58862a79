/**
 * The social step's compact structures against plain ones: the attendance grouping against the raw
 * cells, the key set against a Set.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { AttendanceBuilder, KeySet } from "./social.js";

describe("AttendanceBuilder", () => {
  // Users with (possibly repeated, unsorted) cells, some with none; a few cells so they are shared.
  const usersCells = fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), { minLength: 1, maxLength: 30 });

  test("each user's groups are its distinct cells, ascending, and each group's members are the users holding its cell", () => {
    fc.assert(
      fc.property(usersCells, (cells) => {
        const U = cells.length;
        const b = new AttendanceBuilder(U);
        // Every other user added, the rest skipped (they must come out with no cells).
        cells.forEach((c, u) => {
          if (u % 3 !== 2) b.addUser(u, c);
        });
        const att = b.finish();
        const distinct = [...new Set(cells.flatMap((c, u) => (u % 3 !== 2 ? c : [])))].sort((x, y) => x - y);
        expect(att.groupStart.length).toBe(distinct.length + 1);
        for (let u = 0; u < U; u++) {
          const want = u % 3 !== 2 ? [...new Set(cells[u])].sort((x, y) => x - y) : [];
          const got = Array.from(att.userGroup.subarray(att.userStart[u] as number, att.userStart[u + 1] as number), (g) => distinct[g]);
          expect(got).toEqual(want);
        }
        distinct.forEach((cell, g) => {
          const members = Array.from(att.members.subarray(att.groupStart[g] as number, att.groupStart[g + 1] as number));
          const want = cells.flatMap((c, u) => (u % 3 !== 2 && c.includes(cell) ? [u] : []));
          expect(members).toEqual(want);
        });
      }),
      { numRuns: 300 },
    );
  });

  test("a user out of order is left out, not misfiled", () => {
    const b = new AttendanceBuilder(3);
    b.addUser(1, [5, 3]);
    b.addUser(0, [5]);
    b.addUser(1, [7]);
    const att = b.finish();
    expect(Array.from(att.userStart)).toEqual([0, 0, 2, 2]);
    expect(Array.from(att.members)).toEqual([1, 1]);
  });
});

describe("KeySet", () => {
  test("add answers as a Set does, for keys past 2^32", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.maxSafeNat()), { maxLength: 200 }), (keys) => {
        const set = new KeySet(keys.length);
        const plain = new Set<number>();
        for (const k of keys) {
          expect(set.add(k)).toBe(!plain.has(k));
          plain.add(k);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("keys that agree in their low 32 bits stay apart", () => {
    const set = new KeySet(4);
    const base = 7;
    for (let k = 0; k < 4; k++) expect(set.add(base + k * 4_294_967_296)).toBe(true);
    for (let k = 0; k < 4; k++) expect(set.add(base + k * 4_294_967_296)).toBe(false);
  });
});
