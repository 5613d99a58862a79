/**
 * Exact tests of the rows of the default data set: the hierarchy of every row, observed rates per
 * code within a stated binomial bound, and the allocation and target modes.
 */

import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import { describe, expect, test } from "vitest";
import { csvHeader, encodeCsvRows } from "../../io/csv.js";
import { naicsConfigSchema } from "./config.js";
import { chunkContext, chunkRanges, encodeChunk } from "./row-chunks.js";
import { BLOCK_ROWS, exactLeafRates, sampleRows, shardRange } from "./sample.js";

import { buildTree, type TreeLevel } from "./tree.js";
import { leafCodeLookups, leafMeanProbability, rowColumns, rowTable } from "./truth.js";

const ROWS = 200_000;
const cfg = naicsConfigSchema.parse({ rows: ROWS, seed: 42 });
const tree = buildTree(cfg);
const lookups = leafCodeLookups(tree);
const text = new TextDecoder().decode(
  Buffer.concat([csvHeader(rowColumns(5)), ...[...sampleRows(cfg, tree)].map((b) => encodeCsvRows(rowTable(b, lookups)))]),
);
const lines = text.trimEnd().split("\n");
const rows = lines.slice(1).map((l) => l.split(","));
const codeSets = tree.levels.map((l) => new Set(l.codes));
const topCodes = (tree.levels[0] as TreeLevel).codes;

describe("the generated file", () => {
  test("has the spec's header and one line per row", () => {
    expect(lines[0]).toBe("naics_2_cd,naics_3_cd,naics_4_cd,naics_5_cd,naics_6_cd,target");
    expect(rows.length).toBe(ROWS);
  });
});

describe("hierarchy of every row", () => {
  test.each(topCodes.map((code) => ({ code })))(
    "every row under $code is a chain of tree codes, each extending its parent by one digit",
    ({ code }) => {
      const bad: string[] = [];
      let seen = 0;
      rows.forEach((r, i) => {
        if (r[0] !== code) return;
        seen++;
        const ok =
          r.length === 6 &&
          r
            .slice(0, 5)
            .every(
              (c, d) =>
                codeSets[d]?.has(c) && (d === 0 || (c.length === (r[d - 1] as string).length + 1 && c.startsWith(r[d - 1] as string))),
            ) &&
          (r[5] === "0" || r[5] === "1");
        if (!ok) bad.push(`row ${i + 1}: ${r.join(",")}`);
      });
      expect(bad).toEqual([]);
      expect(seen).toBeGreaterThan(0);
    },
  );
});

// Each code's ones are Binomial(n, mean leaf probability) under uniform allocation (rows pick a
// leaf uniformly, then draw the target). Bound: the code fails if its two-sided binomial p-value is
// below 1e-6 / (number of codes); family-wise false-failure rate 1e-6 per seed (this seed is fixed).
describe("observed target rate per code, every level, within a binomial bound (family alpha 1e-6)", () => {
  const counts = tree.levels.map((l) => l.codes.map(() => ({ n: 0, ones: 0 })));
  const index = tree.levels.map((l) => new Map(l.codes.map((c, i) => [c, i])));
  for (const r of rows) {
    for (let d = 0; d < 5; d++) {
      const c = counts[d]?.[index[d]?.get(r[d] as string) as number];
      if (c) {
        c.n++;
        c.ones += r[5] === "1" ? 1 : 0;
      }
    }
  }
  const m = tree.levels.reduce((a, l) => a + l.codes.length, 0);
  const perTest = 1e-6 / m;
  const cases = tree.levels.slice(0, 3).flatMap((l, d) => l.codes.map((code, i) => ({ level: d + 1, code, d, i })));
  test.each(cases)("level $level code $code", ({ d, i }) => {
    const { n, ones } = counts[d]![i]!;

    const p = leafMeanProbability(tree, d)[i] as number;
    const lower = binomialCdf(ones, n, p);
    const upper = 1 - binomialCdf(ones - 1, n, p);
    expect(Math.min(1, 2 * Math.min(lower, upper))).toBeGreaterThan(perTest);
  });
});

describe("allocation and target modes", () => {
  const count = (c: typeof cfg) => {
    const t = buildTree(c);
    const n = new Float64Array(1800);
    const ones = new Float64Array(1800);
    for (const b of sampleRows(c, t)) {
      b.leaf.forEach((l, i) => {
        n[l] = (n[l] as number) + 1;
        ones[l] = (ones[l] as number) + (b.target[i] as number);
      });
    }
    return { n, ones, p: (t.levels[4] as TreeLevel).probability };
  };
  test.each([
    { allocation: "balanced", target: "bernoulli", rows: 10_001 },
    { allocation: "balanced", target: "exact", rows: 100_000 },
  ] as const)("$allocation / $target, $rows rows: per-leaf counts differ by at most one", (mode) => {
    const { n } = count(naicsConfigSchema.parse(mode));
    expect(Math.max(...n) - Math.min(...n)).toBeLessThanOrEqual(1);
    expect(n.reduce((a, b) => a + b, 0)).toBe(mode.rows);
  });
  test.each([
    { allocation: "balanced", target: "exact", rows: 100_000 },
    { allocation: "uniform", target: "exact", rows: 70_000 },
  ] as const)("$allocation / $target, $rows rows: each leaf has exactly round(n p) ones", (mode) => {
    const { n, ones, p } = count(naicsConfigSchema.parse(mode));
    const wrong = [...n].flatMap((nl, l) => (ones[l] === Math.round(nl * (p[l] as number)) ? [] : [l]));
    expect(wrong).toEqual([]);
  });
  test("exact targets under uniform allocation hold shard by shard too (same rows as unsharded)", () => {
    const c = naicsConfigSchema.parse({ rows: 3 * BLOCK_ROWS + 17, target: "exact" });
    const t = buildTree(c);
    const whole = [...sampleRows(c, t)];
    const parts = [0, 1, 2].flatMap((k) => [...sampleRows(c, t, shardRange(c.rows, k, 3))]);
    const flat = (bs: typeof whole) => bs.flatMap((b) => [...b.leaf].map((l, i) => `${l}:${b.target[i]}`));
    expect(flat(parts)).toEqual(flat(whole));
  });
  // A shard's expected rates under exact targets: each leaf's share of ones in the whole data set,
  // counted here from the whole data set's rows; 0 for a leaf without rows (1,000 rows, 1,800 leaves).
  test.each(["uniform", "balanced"] as const)("%s / exact: exactLeafRates is each leaf's share of ones in the whole", (allocation) => {
    const c = naicsConfigSchema.parse({ rows: 1000, allocation, target: "exact", seed: 9 });
    const { n, ones } = count(c);
    const want = [...n].map((nl, l) => (nl === 0 ? 0 : (ones[l] as number) / nl));
    expect(Array.from(exactLeafRates(c, buildTree(c)))).toEqual(want);
    expect(want.filter((r) => r === 0).length).toBeGreaterThan(800);
    expect(want.filter((r) => r > 0).length).toBeGreaterThan(0);
  });
  test("balanced rows are in random order, not leaf order", () => {
    const c = naicsConfigSchema.parse({ rows: 5000, allocation: "balanced" });
    const [first] = [...sampleRows(c, buildTree(c))];
    const sorted = [...(first?.leaf ?? [])].every((l, i, a) => i === 0 || (a[i - 1] as number) <= l);
    expect(sorted).toBe(false);
  });
});

describe("chunks of blocks (the unit of work of worker threads)", () => {
  const c = naicsConfigSchema.parse({ rows: 3 * BLOCK_ROWS + 5, seed: 3 });
  const ctx = chunkContext(c);
  // The reference is the whole data set, encoded block by block as a plain writer would: a chunk
  // must be exactly its rows' lines, leaves and targets.
  const all = [...sampleRows(c, ctx.tree)];
  const allLines = new TextDecoder()
    .decode(Buffer.concat(all.map((b) => encodeCsvRows(rowTable(b, ctx.lookups)))))
    .split("\n")
    .slice(0, c.rows);
  const allLeaf = all.flatMap((b) => Array.from(b.leaf));
  const allTarget = all.flatMap((b) => Array.from(b.target));
  const ranges = [
    { name: "three blocks and a part, from row 7", start: 7, end: c.rows },
    { name: "the first block", start: 0, end: BLOCK_ROWS },
    { name: "inside the second block", start: BLOCK_ROWS + 3, end: BLOCK_ROWS + 9 },
    { name: "empty", start: 11, end: 11 },
  ];
  test.each(ranges.flatMap((r) => [false, true].map((scratch) => ({ ...r, scratch }))))(
    "$name, scratch $scratch: the lines, leaves and targets of those rows",
    ({ start, end, scratch }) => {
      const chunk = encodeChunk(ctx, { start, end }, scratch);
      const expected = allLines
        .slice(start, end)
        .map((l) => `${l}\n`)
        .join("");
      expect(new TextDecoder().decode(chunk.bytes)).toBe(expected);
      expect(Array.from(chunk.leaf)).toEqual(allLeaf.slice(start, end));
      expect(Array.from(chunk.target)).toEqual(allTarget.slice(start, end));
    },
  );
  test("a chunk spanning blocks encodes to the same bytes as its blocks one by one", () => {
    const whole = { start: 7, end: c.rows };
    const big = encodeChunk(ctx, whole);
    const small = [...chunkRanges(whole, 1)].map((r) => encodeChunk(ctx, r));
    expect(Buffer.from(big.bytes).equals(Buffer.concat(small.map((s) => s.bytes)))).toBe(true);
    expect(Array.from(big.leaf)).toEqual(small.flatMap((s) => Array.from(s.leaf)));
    expect([...chunkRanges(whole)].map((r) => [r.start, r.end])).toEqual([[7, c.rows]]);
  });
  // The in-thread writer encodes block by block with scratch: the block's bytes are the encoder's
  // reused memory, not a 1.8 MB copy each; without scratch a chunk owns its bytes.
  test("with scratch a one-block chunk's bytes are the encoder's reused memory; without, a chunk's own", () => {
    const first = encodeChunk(ctx, { start: 0, end: BLOCK_ROWS }, true);
    const second = encodeChunk(ctx, { start: BLOCK_ROWS, end: 2 * BLOCK_ROWS }, true);
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    const own = encodeChunk(ctx, { start: BLOCK_ROWS, end: 2 * BLOCK_ROWS });
    expect(own.bytes.buffer).not.toBe(second.bytes.buffer);
    expect(Buffer.from(own.bytes).equals(Buffer.from(second.bytes))).toBe(true);
  });
});

describe("chunkRanges splits a range at multiples of its chunk size", () => {
  const B = BLOCK_ROWS;
  test.each([
    {
      name: "from row 7, 4 blocks a chunk",
      start: 7,
      end: 9 * B + 3,
      blocks: 4,
      want: [
        [7, 4 * B],
        [4 * B, 8 * B],
        [8 * B, 9 * B + 3],
      ],
    },
    {
      name: "from a chunk edge, 1 block a chunk",
      start: 2 * B,
      end: 4 * B,
      blocks: 1,
      want: [
        [2 * B, 3 * B],
        [3 * B, 4 * B],
      ],
    },
    { name: "inside one chunk", start: 5 * B + 1, end: 5 * B + 2, blocks: 4, want: [[5 * B + 1, 5 * B + 2]] },
    { name: "empty", start: 3, end: 3, blocks: 4, want: [] },
  ])("$name", ({ start, end, blocks, want }) => {
    expect([...chunkRanges({ start, end }, blocks)].map((r) => [r.start, r.end])).toEqual(want);
  });
});
