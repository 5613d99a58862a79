/**
 * Properties of the NAICS rows and output files: valid chains, allocation and exact targets,
 * determinism, sensitivity to the seed, prefix stability and sharding.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { rootProbabilities } from "../src/scenarios/naics/config.js";
import { type RowBlock, sampleRows, shardRange } from "../src/scenarios/naics/sample.js";
import { leaves } from "../src/scenarios/naics/tree.js";
import { rowColumns } from "../src/scenarios/naics/truth.js";
import { branchingArb, manyRowsArb, naicsRecipeArb, rowsArb, seedArb, toConfig } from "./arbitraries.js";
import {
  compareOutputs,
  expectReportPassed,
  expectSameBytes,
  prefixStable,
  readBytes,
  sameRecipeSameBytes,
  shardsConcatenate,
  withTempDir,
} from "./assertions.js";
import { defineProperty } from "./harness.js";
import { buildTreeOrSkip, generateNaicsInto, leafCount, naicsGenerator, naicsRowFiles, readCsv } from "./naics-support.js";

const csv = fc.constant("csv" as const);
/** Trees of at most 300 leaves for the properties that loop over rows in memory. */
const smallBranching = branchingArb({ maxLeaves: 300 });

/** Joins the blocks of a row range into one leaf array and one target array. */
function collect(blocks: Iterable<RowBlock>): { leaf: number[]; target: number[]; starts: number[] } {
  const out = { leaf: [] as number[], target: [] as number[], starts: [] as number[] };
  for (const b of blocks) {
    out.starts.push(b.start);
    out.leaf.push(...b.leaf);
    out.target.push(...b.target);
  }
  return out;
}

/**
 * Every row of naics.csv is a chain: the top code is one of "10".."(9 + k0)", each next code is
 * the previous plus one digit 1..k, the chain is as deep as the tree, and the target is 0 or 1.
 * The oracle is the branching alone, not the generator's tree.
 */
export const rowsAreChains = defineProperty({
  id: "naics.rows.valid-chains",
  title: "every row of naics.csv is a chain of codes, each extending the previous by one digit, with a 0/1 target",
  arbitrary: naicsRecipeArb({ format: csv }),
  predicate: async (recipe) => {
    await withTempDir(async (dir) => {
      await generateNaicsInto(recipe, dir);
      const { header, rows } = readCsv(dir, "naics.csv");
      const depth = recipe.branching.length;
      expect(header).toEqual(rowColumns(depth));
      expect(rows.length).toBe(recipe.rows);
      rows.forEach((cells, r) => {
        const bad = (why: string) => expect.fail(`data row ${r + 1} ${cells.join(",")}: ${why}`);
        if (cells.length !== depth + 1) bad(`has ${cells.length} fields`);
        const top = Number(cells[0]);
        if (!(/^\d\d$/.test(cells[0] ?? "") && top >= 10 && top < 10 + (recipe.branching[0] as number))) bad("bad top code");
        for (let d = 1; d < depth; d++) {
          const code = cells[d] ?? "";
          const digit = Number(code.slice(-1));
          if (!(code.length === (cells[d - 1] ?? "").length + 1 && code.startsWith(cells[d - 1] ?? "\u0000")))
            bad(`code ${d + 1} does not extend code ${d}`);
          if (!(digit >= 1 && digit <= (recipe.branching[d] as number))) bad(`code ${d + 1} ends in digit ${digit}`);
        }
        if (cells[depth] !== "0" && cells[depth] !== "1") bad("target is not 0 or 1");
      });
    });
  },
});

/**
 * Rows are a pure function of their index: generating the shard ranges of any count one by one
 * gives exactly the rows of the whole, in every mode, across block boundaries too.
 */
export const rangesCompose = defineProperty({
  id: "naics.rows.ranges-compose",
  title: "sampleRows over the shard ranges of any count, joined, equals sampleRows over all rows",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ rows: manyRowsArb, branching: smallBranching }), count: fc.integer({ min: 1, max: 6 }) }),
  predicate: ({ recipe, count }) => {
    const cfg = toConfig(recipe);
    const tree = buildTreeOrSkip(cfg);
    const whole = collect(sampleRows(cfg, tree));
    const parts = Array.from({ length: count }, (_, i) => collect(sampleRows(cfg, tree, shardRange(recipe.rows, i, count))));
    expect(whole.leaf.length).toBe(recipe.rows);
    // Compare as strings: one assertion, and a readable first difference on failure.
    expect(parts.flatMap((p) => p.leaf).join(",")).toBe(whole.leaf.join(","));
    expect(parts.flatMap((p) => p.target).join("")).toBe(whole.target.join(""));
    for (let i = 0; i < count; i++) {
      const range = shardRange(recipe.rows, i, count);
      const starts = (parts[i] as { starts: number[] }).starts;
      if (range.end > range.start) expect(starts[0]).toBe(range.start);
    }
  },
});

/** Balanced allocation: per-leaf counts are floor(n / L) or one more, and sum to n. */
export const balancedCounts = defineProperty({
  id: "naics.rows.balanced-counts",
  title: "balanced allocation gives every leaf floor(n / leaves) or one more rows",
  arbitrary: naicsRecipeArb({ rows: manyRowsArb, branching: smallBranching, allocation: fc.constant("balanced" as const) }),
  predicate: (recipe) => {
    const cfg = toConfig(recipe);
    const tree = buildTreeOrSkip(cfg);
    const n = leaves(tree).codes.length;
    const counts = new Array<number>(n).fill(0);
    for (const block of sampleRows(cfg, tree)) for (const l of block.leaf) counts[l] = (counts[l] as number) + 1;
    const base = Math.floor(recipe.rows / n);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(recipe.rows);
    expect(counts.filter((c) => c !== base && c !== base + 1)).toEqual([]);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  },
});

/** Exact targets: over the whole data set, each leaf with n_l rows has exactly Math.round(n_l * p_l) ones. */
export const exactTargetCounts = defineProperty({
  id: "naics.rows.exact-target-counts",
  title: "exact targets give each leaf exactly Math.round(n_leaf * p_leaf) ones",
  arbitrary: naicsRecipeArb({ rows: manyRowsArb, branching: smallBranching, target: fc.constant("exact" as const) }),
  predicate: (recipe) => {
    const cfg = toConfig(recipe);
    const tree = buildTreeOrSkip(cfg);
    const leafLevel = leaves(tree);
    const rows = new Array<number>(leafLevel.codes.length).fill(0);
    const ones = new Array<number>(leafLevel.codes.length).fill(0);
    for (const block of sampleRows(cfg, tree)) {
      block.leaf.forEach((l, i) => {
        rows[l] = (rows[l] as number) + 1;
        ones[l] = (ones[l] as number) + (block.target[i] as number);
      });
    }
    const wrong = leafLevel.codes
      .map((code, l) => ({
        code,
        rows: rows[l] as number,
        ones: ones[l] as number,
        want: Math.round((rows[l] as number) * (leafLevel.probability[l] as number)),
      }))
      .filter((x) => x.ones !== x.want);
    expect(wrong).toEqual([]);
  },
});

/**
 * Zero rows: the rows file is exactly the header line, and generate's report passes (its only
 * statistical check with data, the KS noise test, falsely fails at the recipes' alpha of 1e-9).
 */
export const zeroRowsHeaderOnly = defineProperty({
  id: "naics.output.zero-rows-header-only",
  title: "rows 0 writes a naics.csv that is exactly the header line",
  arbitrary: naicsRecipeArb({ rows: fc.constant(0), format: csv }),
  predicate: async (recipe) => {
    await withTempDir(async (dir) => {
      const result = await generateNaicsInto(recipe, dir);
      expect(readBytes(dir, "naics.csv").toString("utf8")).toBe(`${rowColumns(recipe.branching.length).join(",")}\n`);
      expectReportPassed(result.report, "report of a zero-row run");
    });
  },
});

/** Same recipe, same bytes: every file of two runs (rows, truth, report, manifest) is identical. */
export const sameRecipeSameBytesProperty = defineProperty({
  id: "naics.output.same-recipe-same-bytes",
  title: "the same recipe gives byte-identical rows, truth, report and manifest files",
  arbitrary: naicsRecipeArb(),
  predicate: async (recipe) => {
    const files = await sameRecipeSameBytes(naicsGenerator, recipe);
    expect([...files].sort()).toEqual([`naics.${recipe.format}`, "manifest.json", "report.json", "truth.csv"].sort());
  },
});

/**
 * Different seeds, different data. By construction of the conditions, each assertion holds with
 * probability 1 (up to float collisions of Normal draws, or a 2^-64 collision of leaf sequences):
 * - a tree with noise (some root probability other than 0.5, whose logit 0 makes the noise sd
 *   sqrt|0| = 0 in its whole subtree, and a level below the top with k >= 2): truth.csv differs;
 *   a tree without noise has nothing random, and its truth.csv is the same whatever the seed;
 * - at least 64 rows over at least 2 leaves: naics.csv differs (the leaves alone differ); with no
 *   rows it is the header alone, the same for every seed;
 * - manifest.json always differs (it records the seed).
 */
export const differentSeedsDiffer = defineProperty({
  id: "naics.output.different-seeds-differ",
  title: "different seeds give a different truth.csv (trees with noise) and naics.csv (64+ rows, 2+ leaves)",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ format: csv }), other: seedArb }),
  predicate: async ({ recipe, other }) => {
    fc.pre(other !== recipe.seed);
    const noise = rootProbabilities(toConfig(recipe)).some((p) => p !== 0.5) && recipe.branching.slice(1).some((k) => k >= 2);
    const rowsDiffer = recipe.rows >= 64 && leafCount(recipe.branching) >= 2;
    const differs = await compareOutputs(naicsGenerator, recipe, { ...recipe, seed: other }, ["truth.csv", "naics.csv", "manifest.json"]);
    expect(differs["truth.csv"]).toBe(noise);
    if (rowsDiffer) expect(differs["naics.csv"]).toBe(true);
    if (recipe.rows === 0) expect(differs["naics.csv"]).toBe(false);
    expect(differs["manifest.json"]).toBe(true);
  },
});

/**
 * Row prefixes are stable with the default modes (uniform, bernoulli): the file for n1 rows is
 * the start of the file for n2 > n1 rows, header included.
 */
export const rowPrefixStable = defineProperty({
  id: "naics.output.row-prefix-stable",
  title: "with uniform allocation and bernoulli targets, the n1-row naics.csv is a prefix of the n2-row one",
  arbitrary: fc
    .record({
      recipe: naicsRecipeArb({ format: csv, allocation: fc.constant("uniform" as const), target: fc.constant("bernoulli" as const) }),
      more: fc.oneof({ weight: 5, arbitrary: rowsArb }, { weight: 1, arbitrary: manyRowsArb }),
    })
    .map(({ recipe, more }) => ({ recipe, longer: recipe.rows + more })),
  predicate: async ({ recipe, longer }) => {
    await prefixStable(naicsGenerator, recipe, { ...recipe, rows: longer }, "naics.csv");
  },
});

/**
 * Shards concatenate: shard files 0..N-1 of any N in 1..6 (shards with zero rows included, when
 * rows < N) joined in order are byte-identical to the unsharded naics.csv. Only shard 0 carries the
 * header.
 */
export const shardsConcatenateProperty = defineProperty({
  id: "naics.output.shards-concatenate",
  title: "the N shard CSVs joined in order are byte-identical to the unsharded naics.csv (N in 1..6)",
  arbitrary: fc.record({
    recipe: naicsRecipeArb({
      format: csv,
      rows: fc.oneof({ weight: 3, arbitrary: fc.nat(8) }, { weight: 5, arbitrary: rowsArb }, { weight: 1, arbitrary: manyRowsArb }),
    }),
    count: fc.integer({ min: 1, max: 6 }),
  }),
  predicate: async ({ recipe, count }) => {
    await shardsConcatenate(naicsGenerator, recipe, count, naicsRowFiles);
  },
});

/** The header line is in shard 0 and nowhere else, whatever the shard sizes. */
export const headerOnlyInShardZero = defineProperty({
  id: "naics.output.header-only-in-shard-zero",
  title: "shard 0 starts with the header line and no other shard contains it",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ format: csv, rows: fc.nat(12) }), count: fc.integer({ min: 2, max: 6 }) }),
  predicate: async ({ recipe, count }) => {
    const header = `${rowColumns(recipe.branching.length).join(",")}\n`;
    await withTempDir(async (dir) => {
      for (let index = 0; index < count; index++) {
        await generateNaicsInto(recipe, dir, { index, count });
        const text = readBytes(dir, naicsRowFiles.part(index, count)).toString("utf8");
        if (index === 0) expectSameBytes(Buffer.from(text.slice(0, header.length)), Buffer.from(header), "start of shard 0");
        else if (text.includes(header.slice(0, -1)))
          expect.fail(`shard ${index} of ${count} contains the header line: ${JSON.stringify(text)}`);
      }
    });
  },
});

/** This file's properties, in test order. */
export const naicsRowProperties = [
  rowsAreChains,
  rangesCompose,
  balancedCounts,
  exactTargetCounts,
  zeroRowsHeaderOnly,
  sameRecipeSameBytesProperty,
  differentSeedsDiffer,
  rowPrefixStable,
  shardsConcatenateProperty,
  headerOnlyInShardZero,
] as const;
