/**
 * The social step's compact structures against plain ones: the attendance grouping against the raw
 * cells, the key set against a Set, the window candidates against scoring and sorting every pair.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkConfig } from "../../core/config.js";
import { recsysConfigSchema } from "./config.js";
import { buildModel, buildUsers } from "./model.js";
import {
  AttendanceBuilder,
  cosineBound,
  float32AtLeast,
  KeySet,
  Similarity,
  windowCandidates,
  windowCandidatesFrom,
  windowContext,
  windowPicks,
  windows,
} from "./social.js";
import { windowTasks } from "./social-parallel.js";

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

describe("window candidates", () => {
  // Small populations in few cities and categories, so windows split and fill; one tag per
  // category with one category makes every vector equal (every cosine ties, ids decide).
  const configs = fc.record({
    n_users: fc.integer({ min: 1, max: 150 }),
    n_cities: fc.integer({ min: 1, max: 3 }),
    n_categories: fc.integer({ min: 1, max: 4 }),
    tags_per_category: fc.integer({ min: 1, max: 3 }),
    edges_window: fc.integer({ min: 2, max: 60 }),
    edges_top_k: fc.integer({ min: 1, max: 8 }),
    edges_min_similarity: fc.constantFrom(-1, 0, 0.5, 0.8, 0.95, 1),
    seed: fc.nat(1000),
  });

  test("each user's are its window mates of similarity >= edges_min_similarity, the best K by similarity then id, however the windows are split into tasks", () => {
    fc.assert(
      fc.property(configs, fc.integer({ min: 1, max: 9 }), fc.boolean(), (input, nTasks, atAPair) => {
        let cfg = checkConfig(recsysConfigSchema, { ...input, n_places: 5, place_tags: [1, 1] });
        const users = buildUsers(buildModel(cfg), cfg.n_users);
        const sim = new Similarity(users.catPref, users.finePref, users.n, cfg);
        const { members, offsets } = windows(cfg, users.city, users.catPref, users.n);
        // A threshold equal to a window pair's cosine (users do not depend on it): that pair is in.
        if (atAPair && (offsets[1] as number) >= 2)
          cfg = { ...cfg, edges_min_similarity: sim.of(members[0] as number, members[1] as number) };
        // The windows partition the users, each within one city, at most edges_window long.
        expect([...members].sort((x, y) => x - y)).toEqual(Array.from({ length: users.n }, (_, i) => i));
        const C = cfg.n_categories;
        const pref = (u: number, c: number) => users.catPref[u * C + c] as number;
        const dominant = (u: number) => {
          let best = 0;
          for (let c = 1; c < C; c++) if (pref(u, c) > pref(u, best)) best = c;
          return best;
        };
        const groupKey = (u: number) => `${users.city[u]}/${dominant(u)}`;
        // Each (city, dominant category) group is consecutive, in dominant weight descending then id,
        // cut into ceil(size / edges_window) windows whose sizes differ by at most one, longer first.
        const group: number[][] = [];
        for (let w = 0; w + 1 < offsets.length; w++) {
          const size = (offsets[w + 1] as number) - (offsets[w] as number);
          const head = members[offsets[w] as number] as number;
          if (w > 0 && groupKey(members[offsets[w - 1] as number] as number) === groupKey(head)) group.at(-1)?.push(size);
          else group.push([size]);
        }
        for (const sizes of group) {
          const total = sizes.reduce((a, b) => a + b, 0);
          expect(sizes.length).toBe(Math.ceil(total / cfg.edges_window));
          for (let i = 1; i < sizes.length; i++) expect((sizes[i - 1] as number) - (sizes[i] as number)).toBeGreaterThanOrEqual(0);
          expect((sizes[0] as number) - (sizes.at(-1) as number)).toBeLessThanOrEqual(1);
        }
        expect(new Set(Array.from(members, groupKey)).size).toBe(group.length);
        for (let i = 1; i < members.length; i++) {
          const [a, b] = [members[i - 1] as number, members[i] as number];
          if (groupKey(a) !== groupKey(b)) continue;
          const [wa, wb] = [pref(a, dominant(a)), pref(b, dominant(b))];
          expect(wa > wb || (wa === wb && a < b)).toBe(true);
        }
        const want: number[][] = Array.from({ length: users.n }, () => []);
        let pairs = 0;
        for (let w = 0; w + 1 < offsets.length; w++) {
          const mates = Array.from(members.subarray(offsets[w], offsets[w + 1]));
          expect(mates.length).toBeGreaterThan(0);
          expect(mates.length).toBeLessThanOrEqual(cfg.edges_window);
          expect(new Set(mates.map((u) => users.city[u])).size).toBe(1);
          pairs += (mates.length * (mates.length - 1)) / 2;
          mates.forEach((u, i) => {
            // The cosine of a pair as the step takes it: of(earlier, later) in window order.
            const scored = mates.flatMap((v, j) => (j === i ? [] : [{ v, s: i < j ? sim.of(u, v) : sim.of(v, u) }]));
            want[u] = scored
              .filter((x) => x.s >= cfg.edges_min_similarity)
              .sort((x, y) => y.s - x.s || x.v - y.v)
              .slice(0, cfg.edges_top_k)
              .map((x) => x.v);
          });
        }
        const got = windowCandidates(cfg, users, sim);
        const ctx = windowContext(cfg, users, sim);
        const split = windowCandidatesFrom(
          users.n,
          ctx.groups,
          windowTasks(ctx.groups, nTasks).map(([w0, w1]) => windowPicks(ctx, w0, w1)),
        );
        expect(split).toEqual(got);
        expect(got.windowPairs).toBe(pairs);
        for (let u = 0; u < users.n; u++) expect(Array.from(got.ids.subarray(got.start[u], got.start[u + 1]))).toEqual(want[u]);
      }),
      { numRuns: 200 },
    );
  });

  test("window tasks cover every window once, in order, at most one more than the count asked for", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (sizes, n) => {
          const offsets = Int32Array.from([0, ...sizes.map((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b, 0))]);
          const tasks = windowTasks({ members: new Int32Array(offsets[sizes.length] as number), offsets }, n);
          expect(tasks.length).toBeLessThanOrEqual(Math.max(n, 1) + 1);
          expect(tasks[0]?.[0]).toBe(0);
          expect(tasks.at(-1)?.[1]).toBe(sizes.length);
          for (let i = 1; i < tasks.length; i++) expect(tasks[i]?.[0]).toBe(tasks[i - 1]?.[1]);
        },
      ),
    );
  });
});

describe("cosineBound", () => {
  test("bounds the exact cosine from above, and is itself a cosine bound (at most 1)", () => {
    fc.assert(
      fc.property(
        fc.record({
          n_users: fc.integer({ min: 2, max: 40 }),
          n_categories: fc.integer({ min: 1, max: 6 }),
          tags_per_category: fc.integer({ min: 1, max: 5 }),
          pref_alpha: fc.constantFrom(0.05, 0.3, 1, 5),
          seed: fc.nat(1000),
        }),
        (input) => {
          const cfg = checkConfig(recsysConfigSchema, { ...input, n_places: 5, place_tags: [1, 1] });
          const users = buildUsers(buildModel(cfg), cfg.n_users);
          const sim = new Similarity(users.catPref, users.finePref, users.n, cfg);
          for (let a = 0; a < users.n; a++)
            for (let b = 0; b < users.n; b++) {
              const bound = cosineBound(sim, a, b);
              expect(bound).toBeGreaterThanOrEqual(sim.of(a, b));
              expect(bound).toBeLessThanOrEqual(1 + 1e-6);
            }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("float32AtLeast", () => {
  test("is the smallest float32 at least x", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom(0, 1, 0.1, 1e-50, 3.4e38)), (x) => {
        const f = float32AtLeast(x);
        expect(Math.fround(f)).toBe(f);
        expect(f).toBeGreaterThanOrEqual(x);
        // The float32 below it is below x.
        const below = new Float32Array([f]);
        const word = new Int32Array(below.buffer);
        if (f > 0) {
          word[0] = (word[0] as number) - 1;
          expect(below[0]).toBeLessThan(x);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
