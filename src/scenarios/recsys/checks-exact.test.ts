/**
 * Each exact check goes red on its own kind of damage: small in-memory entities, edges and labels
 * (300 users x 200 places) broken one field at a time, checked by the same functions generate and
 * verify run.
 */
import { describe, expect, test } from "vitest";
import { checkConfig } from "../../core/config.js";
import { sigmoid } from "../../core/distributions.js";
import { blockContext, runBlock, transferList } from "./block-task.js";
import { edgeInvariants, edgesRecomputed, labelCoverage, labelInvariants, placeInvariants, userInvariants } from "./checks-exact.js";
import { recsysConfigSchema } from "./config.js";
import { buildModel, buildPlaces, buildUsers, type Places, type Users } from "./model.js";
import { AttendanceBuilder, buildEdges, buildLabels, CoAttendanceCounter, type Edges, type Labels, Similarity } from "./social.js";

const cfg = checkConfig(recsysConfigSchema, { n_users: 300, n_places: 200, interactions_per_user: 150 });
const model = buildModel(cfg);
const fresh = () => {
  const places = buildPlaces(model, cfg.n_places);
  const users = buildUsers(model, cfg.n_users);
  return { places, users };
};
const { places, users } = fresh();
const ctx = blockContext(cfg, { places, users });
const builder = new AttendanceBuilder(cfg.n_users);
const block = runBlock(ctx, 0, cfg.n_users);
for (let u = 0; u < cfg.n_users; u++)
  builder.addUser(u, Array.from(block.cells.subarray(block.cellStart[u] as number, block.cellStart[u + 1] as number)));
const att = builder.finish();
const sim = new Similarity(users.catPref, users.finePref, users.n, cfg);
const edges = buildEdges(model, users, sim, att);
const labels = buildLabels(model, cfg.n_users, edges, sim, att);

const count = (r: { violations: { count: number } }) => r.violations.count;
const copyEdges = (e: Edges): Edges => ({
  ...e,
  a: e.a.slice(),
  b: e.b.slice(),
  similarity: e.similarity.slice(),
  coAttendance: e.coAttendance.slice(),
  overlap: e.overlap.slice(),
});
const copyLabels = (l: Labels): Labels => ({
  a: l.a.slice(),
  b: l.b.slice(),
  label: l.label.slice(),
  kind: l.kind.slice(),
  similarity: l.similarity.slice(),
  coAttendance: l.coAttendance.slice(),
  probability: l.probability.slice(),
});

test("the undamaged data passes every exact check", () => {
  expect(edges.a.length).toBeGreaterThan(100);
  for (const r of [
    userInvariants(model, users, 0, users.n),
    placeInvariants(model, places),
    edgeInvariants(model, users, edges, sim, att, 0, users.n),
    edgesRecomputed(model, users, edges, sim, att, 0, users.n),
    labelInvariants(model, edges, labels, sim, att),
    labelCoverage(model, edges, labels, false),
  ])
    expect(r.status, r.check).toBe("PASSED");
  // The block's one buffer, its cells and their offsets: each buffer once (a repeat would fail the transfer).
  const transfer = transferList(block);
  expect(transfer).toHaveLength(3);
  expect(new Set(transfer).size).toBe(3);
  expect(transfer).toContain(block.block.user.buffer);
});

test("a block's flag probabilities are the sigmoids the evidence would compute from its scores", () => {
  const b = block.block;
  for (let r = 0; r < b.length; r += 97)
    ["like", "save", "share", "attended"].forEach((flag, j) => {
      const [a, slope] = cfg.flags[flag as "like"];
      expect(b.prob[4 * r + j]).toBe(sigmoid(a + slope * (b.score[r] as number)));
    });
});

describe("users", () => {
  test.each<[string, (u: Users) => void]>([
    ["home city out of range", (u) => (u.city[0] = 99)],
    ["too many neighbourhoods", (u) => (u.nbCount[1] = 3 + 1)],
    ["a neighbourhood in another city", (u) => (u.neighborhoods[2 * u.maxNb] = (((u.city[2] as number) + 1) % 20) * 8)],
    [
      "a negative fine_pref and cat_pref",
      (u) => {
        u.finePref[3 * 60] = -(u.finePref[3 * 60] as number);
        u.catPref[3 * 12] = -(u.catPref[3 * 12] as number);
      },
    ],
    ["cat_pref not summing to 1", (u) => (u.catPref[4 * 12] = (u.catPref[4 * 12] as number) + 0.1)],
  ])("%s", (_, damage) => {
    const u = fresh().users;
    damage(u);
    expect(count(userInvariants(model, u, 0, u.n))).toBeGreaterThan(0);
  });
});

describe("places", () => {
  test.each<[string, (p: Places) => void]>([
    ["neighbourhood outside its city", (p) => (p.neighborhood[0] = (((p.city[0] as number) + 1) % 20) * 8)],
    ["a category repeated", (p) => (p.cat2[1] = p.cat1[1] as number)],
    ["too few tags", (p) => (p.tagCount[2] = 0)],
    [
      "a tag outside its categories",
      (p) => {
        const j = p.tagStart[3] as number;
        const c1 = p.cat1[3] as number;
        const other = [...Array(12).keys()].find((c) => c !== c1 && c !== p.cat2[3]) as number;
        p.tagIndex[j] = other * 5;
      },
    ],
    ["a zero tag weight, tags not summing to 1", (p) => (p.tagWeight[p.tagStart[4] as number] = 0)],
    ["price band 0", (p) => (p.priceBand[5] = 0)],
  ])("%s", (_, damage) => {
    const p = fresh().places;
    damage(p);
    // tagCount is advisory: the check counts the tags between tagStart entries, so shrink those too.
    if (p.tagCount[2] === 0) p.tagStart[3] = p.tagStart[2] as number;
    expect(count(placeInvariants(model, p))).toBeGreaterThan(0);
  });
});

describe("edges", () => {
  test.each<[string, (e: Edges) => void]>([
    ["a self-loop", (e) => (e.b[0] = e.a[0] as number)],
    [
      "out of order",
      (e) => {
        const t = e.b[1] as number;
        e.b[1] = e.b[2] as number;
        e.b[2] = t;
        e.a[2] = e.a[1] as number;
      },
    ],
    ["a similarity off", (e) => (e.similarity[3] = (e.similarity[3] as number) - 0.01)],
    ["a co-attendance off", (e) => (e.coAttendance[4] = (e.coAttendance[4] as number) + 1)],
    ["an overlap off", (e) => (e.overlap[5] = (e.overlap[5] as number) + 0.5)],
    [
      "below both thresholds",
      (e) => {
        const i = [...e.coAttendance].findIndex((c) => c < 2);
        e.similarity[i] = 0.5;
      },
    ],
  ])("%s", (_, damage) => {
    const e = copyEdges(edges);
    damage(e);
    expect(count(edgeInvariants(model, users, e, sim, att, 0, users.n))).toBeGreaterThan(0);
  });

  test("an edge dropped or one added is not the top-k rule's", () => {
    const e = copyEdges(edges);
    e.b[0] = (e.b[0] as number) + 1 === e.b[1] && e.a[0] === e.a[1] ? (e.b[0] as number) + 2 : (e.b[0] as number) + 1;
    expect(count(edgesRecomputed(model, users, e, sim, att, 0, users.n))).toBe(2);
  });

  test("edges_recomputed compares sets: stored edges shuffled or repeated match, a part's range restricts the expected ones", () => {
    const e = copyEdges(edges);
    const n = e.a.length;
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const [a, b] = [Int32Array.from(order, (i) => e.a[i] as number), Int32Array.from(order, (i) => e.b[i] as number)];
    const shuffled = { ...e, a: Int32Array.from([...a, a[0] as number]), b: Int32Array.from([...b, b[0] as number]) };
    const r = edgesRecomputed(model, users, shuffled, sim, att, 0, users.n);
    expect(count(r)).toBe(0);
    expect(r.metrics).toMatchObject({ expected: n, stored: n });
    // The edges of users [0, mid) against the whole set: the rest are "no user's top-k chose" them.
    const mid = e.a[Math.floor(n / 2)] as number;
    const part = edgesRecomputed(model, users, e, sim, att, 0, mid);
    expect(count(part)).toBe([...e.a].filter((x) => x >= mid).length);
  });
});

describe("labels", () => {
  test.each<[string, (l: Labels) => void, number]>([
    ["a pair with user_a >= user_b", (l) => (l.b[0] = l.a[0] as number), 1],
    [
      "out of order",
      (l) => {
        l.a[2] = l.a[1] as number;
        l.b[2] = l.b[1] as number;
      },
      1,
    ],
    ["a similarity off", (l) => (l.similarity[3] = (l.similarity[3] as number) + 0.01), 1],
    [
      "a positive of the wrong kind",
      (l) => {
        const i = [...l.label].indexOf(1);
        l.kind[i] = 3;
      },
      1,
    ],
    [
      "a negative that claims another kind",
      (l) => {
        const i = [...l.label].indexOf(0);
        l.kind[i] = 1;
      },
      1,
    ],
    ["a probability off", (l) => (l.probability[5] = (l.probability[5] as number) + 0.1), 1],
  ])("%s", (_, damage) => {
    const l = copyLabels(labels);
    damage(l);
    expect(count(labelInvariants(model, edges, l, sim, att))).toBeGreaterThan(0);
  });

  test("a missing positive and a missing negative fail the coverage", () => {
    const l = copyLabels(labels);
    const i = [...l.label].indexOf(1);
    l.label[i] = 0;
    expect(count(labelCoverage(model, edges, l, false))).toBe(2);
    // A shard holds a share of the negatives: only the positives are counted.
    expect(count(labelCoverage(model, edges, l, true))).toBe(1);
  });
});

test("the co-attendance counter gives the common distinct cells of two users' raw cells, for pairs in any order", () => {
  // Straight from the block's cells, not through the builder's grouping.
  const cellsOf = (u: number) => new Set(block.cells.subarray(block.cellStart[u] as number, block.cellStart[u + 1] as number));
  const merge = (a: number, b: number) => {
    const mine = cellsOf(a);
    let n = 0;
    for (const c of cellsOf(b)) if (mine.has(c)) n++;
    return n;
  };
  const counter = new CoAttendanceCounter(att);
  let positive = 0;
  // Pairs of the first 60 users, a interleaved (not grouped) so the marks are redone.
  for (let k = 0; k < 60 * 60; k++) {
    const a = (k * 7) % 60;
    const b = Math.floor(k / 60);
    const want = merge(a, b);
    if (want > 0 && a !== b) positive++;
    expect(counter.of(a, b)).toBe(want);
  }
  expect(positive).toBeGreaterThan(10);
});

test("labels and edges in any order: only the order is a violation, each label's edge test still right", () => {
  // A fixed shuffle (reversed halves): every label out of order once, and the edges' keys unsorted.
  const perm = (n: number) => [
    ...Array.from({ length: n }, (_, i) => i)
      .filter((i) => i % 2 === 1)
      .reverse(),
    ...Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0),
  ];
  const l = copyLabels(labels);
  const lp = perm(l.a.length);
  for (const key of ["a", "b", "label", "kind", "similarity", "coAttendance", "probability"] as const)
    (l[key] as unknown as { set(v: ArrayLike<number>): void }).set(lp.map((i) => (labels[key] as ArrayLike<number>)[i] as number));
  const e = copyEdges(edges);
  const ep = perm(e.a.length);
  for (const key of ["a", "b", "similarity", "coAttendance", "overlap"] as const)
    (e[key] as unknown as { set(v: ArrayLike<number>): void }).set(ep.map((i) => (edges[key] as ArrayLike<number>)[i] as number));
  const r = labelInvariants(model, e, l, sim, att);
  const problems = new Set((r.violations.first ?? []).map((x) => (x as { problem: string }).problem));
  expect([...problems]).toEqual(["labels not in (user_a, user_b) order: a duplicate or out of order"]);
  expect(r.metrics).toEqual(labelInvariants(model, edges, labels, sim, att).metrics);
  // A negative made a stored edge's pair is caught in any order.
  const i = [...l.label].indexOf(0);
  l.a[i] = e.a[3] as number;
  l.b[i] = e.b[3] as number;
  const broken = labelInvariants(model, e, l, sim, att);
  expect((broken.violations.first ?? []).some((x) => (x as { problem: string }).problem.startsWith("a negative that is an edge"))).toBe(
    true,
  );
});

test("a shard's labels (a user range) are the rows of the whole run's labels whose user_a is in the range", () => {
  for (const [start, end] of [
    [0, 100],
    [100, 217],
    [217, cfg.n_users],
    [50, 50],
  ] as const) {
    const part = buildLabels(model, cfg.n_users, edges, sim, att, { start, end });
    let lo = 0;
    while (lo < labels.a.length && (labels.a[lo] as number) < start) lo++;
    let hi = lo;
    while (hi < labels.a.length && (labels.a[hi] as number) < end) hi++;
    for (const key of ["a", "b", "label", "kind", "similarity", "coAttendance", "probability"] as const)
      expect(Array.from(part[key])).toEqual(Array.from(labels[key].subarray(lo, hi)));
  }
  expect(labels.a.length).toBeGreaterThan(100);
});
