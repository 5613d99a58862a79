/**
 * The top-K metrics on hand-computed cases (a perfect list, a reversed one, the least preferred,
 * partial lists, ties, fewer places than K), and properties: the exact ranking scores exactly 1,
 * every list of distinct places at most 1, and the top K agrees with a full sort.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { MetricSums, Preferences } from "./ranking-metrics.js";
import { mostPopular } from "./score-places.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 200);

/** Preferences whose probabilities are `probs` (normalised): scores log p with beta 1. */
function prefsOf(probs: number[], k: number): Preferences {
  const p = new Preferences(k);
  p.set(Float64Array.from(probs, Math.log), probs.length, 1);
  return p;
}
const list = (...places: number[]) => Int32Array.from(places);
const L3 = Math.log2(3);

describe("hand-computed: probabilities 0.4, 0.3, 0.2, 0.1 and K = 2 (ideal mass 0.7, IDCG 0.4 + 0.3 / log2 3)", () => {
  const idcg = 0.4 + 0.3 / L3;
  test.each([
    { what: "perfect [0, 1]", l: [0, 1], recall: 1, ndcg: 1, hit: 1, mass: 0.7 },
    { what: "reversed [1, 0]", l: [1, 0], recall: 1, ndcg: (0.3 + 0.4 / L3) / idcg, hit: 1, mass: 0.7 },
    { what: "the least preferred [3, 2]", l: [3, 2], recall: 0.3 / 0.7, ndcg: (0.1 + 0.2 / L3) / idcg, hit: 0, mass: 0.3 },
    { what: "a near miss [0, 2]", l: [0, 2], recall: 0.6 / 0.7, ndcg: (0.4 + 0.2 / L3) / idcg, hit: 1, mass: 0.6 },
    { what: "partial: rank 1 only [0, -]", l: [0, -1], recall: 0.4 / 0.7, ndcg: 0.4 / idcg, hit: 1, mass: 0.4 },
    { what: "partial: rank 2 only [-, 0]", l: [-1, 0], recall: 0.4 / 0.7, ndcg: 0.4 / L3 / idcg, hit: 1, mass: 0.4 },
    { what: "empty", l: [-1, -1], recall: 0, ndcg: 0, hit: 0, mass: 0 },
  ])("$what", ({ l, recall, ndcg, hit, mass }) => {
    const m = prefsOf([0.4, 0.3, 0.2, 0.1], 2).metrics(list(...l));
    expect(m.recall).toBeCloseTo(recall, 12);
    expect(m.ndcg).toBeCloseTo(ndcg, 12);
    expect(m.hit).toBe(hit);
    expect(m.mass).toBeCloseTo(mass, 12);
  });
  test("the exact ranking is [0, 1] and scores exactly 1, 1, 1", () => {
    const p = prefsOf([0.4, 0.3, 0.2, 0.1], 2);
    expect([...p.top]).toEqual([0, 1]);
    expect([...p.topProb].map((x) => Number(x.toFixed(12)))).toEqual([0.4, 0.3]);
    expect(p.ceiling()).toMatchObject({ recall: 1, ndcg: 1, hit: 1 });
  });
  test("a list read at an offset of a longer array", () => {
    const m = prefsOf([0.4, 0.3, 0.2, 0.1], 2).metrics(list(3, 3, 1, 0), 2);
    expect(m.recall).toBeCloseTo(1, 12);
    expect(m.ndcg).toBeCloseTo((0.3 + 0.4 / L3) / idcg, 12);
  });
});

describe("ties and sizes", () => {
  test("two places tied for most preferred: either is a hit, and the exact ranking takes the lower id first", () => {
    const p = prefsOf([0.1, 0.35, 0.35, 0.2], 1);
    expect([...p.top]).toEqual([1]);
    expect(p.metrics(list(2)).hit).toBe(1);
    expect(p.metrics(list(2)).recall).toBeCloseTo(1, 12);
    expect(p.metrics(list(3)).hit).toBe(0);
  });
  test("fewer places than K: the exact ranking holds them all, -1 beyond, and scores 1", () => {
    const p = prefsOf([0.25, 0.75], 3);
    expect([...p.top]).toEqual([1, 0, -1]);
    expect(p.size).toBe(2);
    expect(p.ceiling()).toMatchObject({ recall: 1, ndcg: 1, hit: 1 });
    expect(p.ceiling().mass).toBeCloseTo(1, 12);
  });
  test("an extreme beta does not overflow: all the mass on the best place", () => {
    const p = new Preferences(2);
    p.set(Float64Array.of(3, 1, 2), 3, 1e4);
    expect(p.metrics(list(0, -1))).toMatchObject({ recall: 1, hit: 1, mass: 1 });
    expect(p.metrics(list(2, 1))).toMatchObject({ recall: 0, hit: 0, mass: 0 });
  });
  test("the buffers are reused: a second user's figures do not carry the first's", () => {
    const p = prefsOf([0.4, 0.3, 0.2, 0.1], 2);
    p.set(Float64Array.from([0.1, 0.2, 0.3, 0.4], Math.log), 4, 1);
    expect([...p.top]).toEqual([3, 2]);
    expect(p.metrics(list(3, 2)).ndcg).toBe(1);
  });
});

describe("means and the popularity baseline", () => {
  test("MetricSums averages each figure over the users", () => {
    const s = new MetricSums();
    s.add({ recall: 1, ndcg: 0.5, hit: 1, mass: 0.2 });
    s.add({ recall: 0, ndcg: 0.25, hit: 0, mass: 0.4 });
    expect(s.users).toBe(2);
    const m = s.means();
    expect(m).toMatchObject({ recall: 0.5, ndcg: 0.375, hit: 0.5 });
    expect(m.mass).toBeCloseTo(0.3, 15);
  });
  test("mostPopular: by popularity descending, ties by place id, -1 beyond the places", () => {
    expect([...mostPopular(Float64Array.of(1, 3, 2, 3), 3)]).toEqual([1, 3, 2]);
    expect([...mostPopular(Float64Array.of(1, 2), 3)]).toEqual([1, 0, -1]);
  });
});

describe("properties", () => {
  const scores = fc.array(
    fc.integer({ min: -40, max: 40 }).map((v) => v / 8),
    { minLength: 1, maxLength: 40 },
  );
  const beta = fc.constantFrom(0.5, 1, 4, 20);
  const k = fc.integer({ min: 1, max: 12 });

  test("the exact ranking scores exactly 1 on recall, NDCG and hit, for any scores, beta and K", () => {
    fc.assert(
      fc.property(scores, beta, k, (s, b, kk) => {
        const p = new Preferences(kk);
        p.set(Float64Array.from(s), s.length, b);
        const c = p.ceiling();
        return c.recall === 1 && c.ndcg === 1 && c.hit === 1;
      }),
      { numRuns },
    );
  });

  test("the top K is a stable sort by score descending, and any list of distinct places scores at most 1", () => {
    fc.assert(
      fc.property(scores, beta, k, fc.integer(), (s, b, kk, seed) => {
        const n = s.length;
        const p = new Preferences(kk);
        p.set(Float64Array.from(s), n, b);
        const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (s[y] as number) - (s[x] as number) || x - y);
        const want = order.slice(0, kk);
        if (JSON.stringify([...p.top].slice(0, want.length)) !== JSON.stringify(want)) return false;
        // A random list of distinct places (a rotation of the ids), with some ranks empty.
        const l = new Int32Array(kk).fill(-1);
        for (let r = 0; r < Math.min(kk, n); r++) if ((seed >>> r) & 1) l[r] = (r + Math.abs(seed)) % n;
        const m = p.metrics(l);
        return m.recall <= 1 + 1e-12 && m.ndcg <= 1 + 1e-12 && m.recall >= 0 && m.mass <= 1 + 1e-12;
      }),
      { numRuns },
    );
  });
});
