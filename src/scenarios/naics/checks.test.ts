/**
 * The checks can fail: each targeted corruption of otherwise valid evidence fails exactly the
 * checks that guard that requirement, and names what broke.
 */
import { describe, expect, test } from "vitest";
import type { ViolationList } from "../../checks/result.js";
import { binomialTest, chiSquareUniform, ksStandardNormal } from "../../checks/stats.js";
import { sigmoid } from "../../core/distributions.js";
import { GAP_WORTH_MENTIONING, runNaicsChecks } from "./checks.js";
import { EXACT_TOLERANCE, probabilityTolerance } from "./checks-tree.js";
import { type NaicsConfig, naicsConfigSchema } from "./config.js";
import { emptyRowStats, indexTruth, type NaicsEvidence, type TruthRows } from "./evidence.js";
import { sampleRows } from "./sample.js";
import { buildTree } from "./tree.js";
import { rowColumns, truthRows } from "./truth.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

function evidence(input: Partial<NaicsConfig> = {}): NaicsEvidence & { truth: Mutable<TruthRows> } {
  const cfg = naicsConfigSchema.parse({ rows: 20_000, seed: 11, ...input });
  const tree = buildTree(cfg);
  const rows = emptyRowStats(rowColumns(cfg.branching.length), tree.levels.at(-1)?.codes.length ?? 0);
  for (const b of sampleRows(cfg, tree)) {
    b.leaf.forEach((l, i) => {
      rows.leafCount[l] = (rows.leafCount[l] as number) + 1;
      rows.leafOnes[l] = (rows.leafOnes[l] as number) + (b.target[i] as number);
    });
    rows.rows += b.leaf.length;
  }
  const t = truthRows(tree);
  const truth = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [...v]])) as unknown as Mutable<TruthRows>;
  return { cfg, expectedRows: cfg.rows, truth, rows, rebuilt: tree };
}

const failed = (ev: NaicsEvidence) =>
  runNaicsChecks(ev)
    .checks.filter((c) => c.status === "FAILED")
    .map((c) => c.check)
    .sort();

describe("valid evidence passes in every mode", () => {
  test.each([
    { preserve: "logit", allocation: "uniform", target: "bernoulli" },
    { preserve: "probability", allocation: "balanced", target: "exact" },
    { preserve: "logit", allocation: "uniform", target: "exact" },
    { preserve: "probability", allocation: "balanced", target: "bernoulli" },
  ] as const)("$preserve / $allocation / $target", (mode) => {
    const ev = evidence({ ...mode, alpha: 1e-6 });
    expect(failed(ev)).toEqual([]);
    const report = runNaicsChecks(ev);
    expect(report.summary?.recommendation === null).toBe(mode.preserve === "probability");
  });
});

const leafRow = (ev: NaicsEvidence, i = 0) => ev.truth.level.indexOf(ev.cfg.branching.length) + i;

describe("each corruption fails the checks that guard it", () => {
  const cases: { name: string; corrupt: (ev: ReturnType<typeof evidence>) => void; fails: string[]; mode?: Partial<NaicsConfig> }[] = [
    {
      name: "a top-level probability moved",
      corrupt: (ev) => {
        ev.truth.probability[0] = 0.07;
      },
      fails: ["mean_preservation", "probability_values", "top_level_probabilities", "tree_reproducible"],
      mode: { preserve: "probability" },
    },
    {
      name: "a leaf probability moved (logit kept)",
      corrupt: (ev) => {
        ev.truth.probability[leafRow(ev)] = 0.5;
      },
      fails: ["probability_values", "tree_reproducible"],
    },
    {
      name: "a leaf logit moved with its probability",
      corrupt: (ev) => {
        const r = leafRow(ev);
        ev.truth.logit[r] = (ev.truth.logit[r] as number) + 1;
        ev.truth.probability[r] = 1 / (1 + Math.exp(-(ev.truth.logit[r] as number)));
        ev.truth.noise[r] = (ev.truth.noise[r] as number) + 1;
      },
      fails: ["mean_preservation", "probability_values", "tree_reproducible"],
    },
    {
      name: "a probability of 1",
      corrupt: (ev) => {
        ev.truth.probability[leafRow(ev)] = 1;
      },
      // The leaf's expected rate becomes 1, which its observed zeros contradict.
      fails: ["probability_values", "target_rate", "tree_reproducible"],
    },
    {
      name: "a duplicated code",
      corrupt: (ev) => {
        ev.truth.code[leafRow(ev, 1)] = ev.truth.code[leafRow(ev)] as string;
      },
      fails: ["code_counts", "tree_reproducible", "tree_structure"],
    },
    {
      name: "a code that does not extend its parent",
      corrupt: (ev) => {
        ev.truth.code[leafRow(ev)] = "999999";
      },
      fails: ["tree_reproducible", "tree_structure"],
    },
    {
      name: "a parent that is not on the level above",
      corrupt: (ev) => {
        ev.truth.parentCode[leafRow(ev)] = "10";
      },
      // "10" gains a child, so its children's mean moves too.
      fails: ["mean_preservation", "probability_values", "tree_structure"],
    },
    {
      name: "a level out of range and a top code out of range",
      corrupt: (ev) => {
        ev.truth.level[leafRow(ev)] = 9;
        ev.truth.code[9] = "42";
        ev.truth.parentCode[9] = "10";
      },
      fails: ["code_counts", "mean_preservation", "probability_values", "target_rate", "tree_reproducible", "tree_structure"],
    },
    {
      name: "noise that is not logit minus the parent's logit",
      corrupt: (ev) => {
        ev.truth.noise[leafRow(ev)] = 0.123;
      },
      fails: ["probability_values"],
    },
    {
      name: "children means that do not match the children",
      corrupt: (ev) => {
        ev.truth.childrenMeanProbability[0] = 0.9;
      },
      fails: ["probability_values"],
    },
    {
      name: "noise of the wrong scale (every drawn term doubled)",
      corrupt: (ev) => {
        const depth = ev.cfg.branching.length;
        ev.truth.level.forEach((lv, r) => {
          if (lv > 1 && lv <= depth) ev.truth.noise[r] = 2 * (ev.truth.noise[r] as number);
        });
      },
      fails: ["noise_scale", "probability_values"],
    },
    {
      name: "a top-level code given a parent",
      corrupt: (ev) => {
        ev.truth.parentCode[0] = "11";
      },
      fails: ["mean_preservation", "probability_values", "tree_structure"],
    },
    {
      name: "a level-2 code without a parent",
      corrupt: (ev) => {
        ev.truth.parentCode[10] = null;
      },
      fails: ["mean_preservation", "probability_values", "tree_structure"],
    },
    {
      name: "the truth file cut short (last leaf missing)",
      corrupt: (ev) => {
        for (const column of Object.values(ev.truth)) (column as unknown[]).pop();
      },
      // The parent of the missing leaf no longer matches its children_mean_* columns either.
      fails: ["code_counts", "mean_preservation", "probability_values", "tree_reproducible"],
    },
    {
      name: "a missing and an extra column",

      corrupt: (ev) => {
        (ev.rows.header as string[]).splice(0, 1);
        (ev.rows.header as string[]).push("extra", "more");
      },
      fails: ["columns"],
    },
    {
      name: "rows missing",
      corrupt: (ev) => {
        ev.rows.rows -= 1;
      },
      fails: ["row_count"],
    },
    {
      name: "row-level violations",
      corrupt: (ev) => {
        (ev.rows.hierarchy as ViolationList).add({ row: 3 });
        (ev.rows.targets as ViolationList).add({ row: 4 });
      },
      fails: ["hierarchy", "target_values"],
    },
    {
      name: "targets far from their rates",
      corrupt: (ev) => {
        ev.rows.leafOnes.set(ev.rows.leafCount);
      },
      fails: ["target_rate"],
    },
    {
      name: "leaves far from uniform",
      corrupt: (ev) => {
        ev.rows.leafCount[0] = (ev.rows.leafCount[0] as number) + 500;
      },
      fails: ["allocation"],
      mode: { branching: [10, 5], rows: 20_000 },
    },
    {
      name: "balanced counts that differ by two",
      corrupt: (ev) => {
        ev.rows.leafCount[0] = (ev.rows.leafCount[0] as number) + 2;
      },
      fails: ["allocation"],
      mode: { allocation: "balanced", target: "exact" },
    },
    {
      name: "an exact-target leaf one short",
      corrupt: (ev) => {
        const l = ev.rows.leafOnes.findIndex((x) => x > 0);
        ev.rows.leafOnes[l] = (ev.rows.leafOnes[l] as number) - 1;
      },
      fails: ["exact_target_counts"],
      mode: { target: "exact" },
    },
  ];
  test.each(cases)("$name", ({ corrupt, fails, mode }) => {
    const ev = evidence(mode);
    expect(failed(ev)).toEqual([]);
    corrupt(ev);
    expect(failed(ev)).toEqual(fails);
  });
});

describe("small data", () => {
  test("uniform allocation with too few rows per leaf skips the chi-square test and says why", () => {
    const report = runNaicsChecks(evidence({ rows: 100 }));
    expect(report.checks.find((c) => c.check === "allocation")?.metrics).toMatchObject({ applicable: false });
  });
  test("zero rows pass every check", () => {
    expect(failed(evidence({ rows: 0 }))).toEqual([]);
  });
  test("a one-level tree has nothing to preserve and passes", () => {
    const ev = evidence({ branching: [4], rows: 1000 });
    expect(failed(ev)).toEqual([]);
    expect(runNaicsChecks(ev).checks.find((c) => c.check === "noise_scale")?.metrics.n).toBe(0);
  });
  test("a shard in exact mode is checked by the conservative rate test, balanced shards skip allocation", () => {
    const ev = { ...evidence({ allocation: "balanced", target: "exact" }), expectedRows: 20_000 - 1 };
    const names = runNaicsChecks(ev).checks.map((c) => c.check);
    expect(names).toContain("target_rate");
    expect(names).not.toContain("allocation");
    expect(names).not.toContain("exact_target_counts");
  });
});

test("violations list at most ten examples but count them all", () => {
  const ev = evidence();
  for (let i = 0; i < 25; i++) (ev.rows.hierarchy as ViolationList).add({ row: i });
  const h = runNaicsChecks(ev).checks.find((c) => c.check === "hierarchy");
  expect(h?.violations.count).toBe(25);
  expect(h?.violations.first).toHaveLength(10);
});

describe("probabilities that round to exactly 0 or 1", () => {
  // Seed 0 of the default tree: leaf 195132 has logit 40.96 and probability exactly 1.
  const atOne = () => evidence({ seed: 0, alpha: 1e-6 });
  const oneRow = (ev: NaicsEvidence) => ev.truth.code.indexOf("195132");
  // Root 1e-300 with nine children, seed 2: leaf 109 has logit -857.6 and probability exactly 0.
  const atZero = () => evidence({ seed: 2, branching: [1, 9], root_probabilities: [1e-300], alpha: 1e-6 });
  const zeroRow = (ev: NaicsEvidence) => ev.truth.code.indexOf("109");
  const leafOf = (ev: NaicsEvidence, row: number) => row - ev.truth.level.indexOf(ev.cfg.branching.length);

  test("the evidence holds them, its rows at 1 are all ones and at 0 all zeros, and every check passes", () => {
    for (const [ev, row, p] of [
      [atOne(), oneRow, 1],
      [atZero(), zeroRow, 0],
    ] as const) {
      const r = row(ev);
      expect(ev.truth.probability[r]).toBe(p);
      const l = leafOf(ev, r);
      expect(ev.rows.leafCount[l]).toBeGreaterThan(0);
      expect(ev.rows.leafOnes[l]).toBe(p * (ev.rows.leafCount[l] as number));
      expect(failed(ev)).toEqual([]);
    }
  });

  test("the summary counts them per level and names them, and the note says so", () => {
    const summary = runNaicsChecks(atOne()).summary as Record<string, unknown>;
    expect(summary.saturated_probabilities).toEqual({
      zero: 0,
      one: 1,
      per_level: [1, 2, 3, 4, 5].map((level) => ({ level, zero: 0, one: level === 5 ? 1 : 0 })),
      first: ["195132"],
    });
    expect(summary.recommendation).toMatch(
      /1 code has a probability that rounds to exactly 0 or 1 in double precision \(0 at 0, 1 at 1: 195132\)/,
    );
    const zero = runNaicsChecks(atZero()).summary as Record<string, unknown>;
    expect(zero.saturated_probabilities).toMatchObject({ zero: 1, one: 0, first: ["109"] });
  });

  const corruptions: {
    name: string;
    ev: () => ReturnType<typeof evidence>;
    corrupt: (ev: ReturnType<typeof evidence>) => void;
    fails: string[];
  }[] = [
    {
      name: "a probability of exactly 1 moved below 1 (its logit's sigmoid is 1)",
      ev: atOne,
      corrupt: (ev) => {
        ev.truth.probability[oneRow(ev)] = 1 - 1e-9;
      },
      fails: ["probability_values", "tree_reproducible"],
    },
    {
      name: "a probability of exactly 0 moved above 0 (its logit's sigmoid is 0)",
      ev: atZero,
      corrupt: (ev) => {
        ev.truth.probability[zeroRow(ev)] = 1e-300;
      },
      fails: ["probability_values", "tree_reproducible"],
    },
    {
      name: "a probability set to exactly 0 where sigmoid(logit) is not 0",
      ev: atZero,
      corrupt: (ev) => {
        ev.truth.probability[zeroRow(ev) - 1] = 0;
      },
      fails: ["probability_values", "tree_reproducible"],
    },
    {
      name: "an infinite logit with probability 1",
      ev: atOne,
      corrupt: (ev) => {
        ev.truth.logit[oneRow(ev)] = Number.POSITIVE_INFINITY;
      },
      fails: ["mean_preservation", "probability_values", "tree_reproducible"],
    },
    {
      name: "a probability above 1",
      ev: atOne,
      corrupt: (ev) => {
        ev.truth.probability[oneRow(ev)] = 1.5;
      },
      fails: ["probability_values", "tree_reproducible"],
    },
    {
      name: "one zero target among the rows of a leaf at probability 1 (the exact binomial test at p = 1)",
      ev: atOne,
      corrupt: (ev) => {
        const l = leafOf(ev, oneRow(ev));
        ev.rows.leafOnes[l] = (ev.rows.leafOnes[l] as number) - 1;
      },
      fails: ["target_rate"],
    },
    {
      name: "one target of 1 among the rows of a leaf at probability 0 (the exact binomial test at p = 0)",
      ev: atZero,
      corrupt: (ev) => {
        const l = leafOf(ev, zeroRow(ev));
        ev.rows.leafOnes[l] = 1;
      },
      fails: ["target_rate"],
    },
  ];
  test.each(corruptions)("$name", ({ ev: make, corrupt, fails }) => {
    const ev = make();
    expect(failed(ev)).toEqual([]);
    corrupt(ev);
    expect(failed(ev)).toEqual(fails);
  });
});

describe("the report's list of checks", () => {
  const always = ["columns", "row_count", "hierarchy", "target_values", "tree_structure", "code_counts", "top_level_probabilities"];
  const tree = ["probability_values", "mean_preservation", "tree_reproducible", "noise_scale"];
  test.each([
    { what: "uniform, whole", mode: {}, shard: false, last: ["allocation", "target_rate"] },
    { what: "uniform, a shard: allocation still holds", mode: {}, shard: true, last: ["allocation", "target_rate"] },
    { what: "balanced, a shard: no allocation check", mode: { allocation: "balanced" }, shard: true, last: ["target_rate"] },
    { what: "exact targets, whole: exact counts", mode: { target: "exact" }, shard: false, last: ["allocation", "exact_target_counts"] },
    {
      what: "exact, balanced, a shard: the binomial rate",
      mode: { target: "exact", allocation: "balanced" },
      shard: true,
      last: ["target_rate"],
    },
  ] as const)("$what", ({ mode, shard, last }) => {
    const ev = evidence(mode);
    const checks = runNaicsChecks({ ...ev, expectedRows: shard ? ev.cfg.rows - 1 : ev.cfg.rows }).checks.map((c) => c.check);
    expect(checks).toEqual([...always, ...tree, ...last]);
  });
});

describe("the summary: each top-level code's nominal, children, leaf and observed rates", () => {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  test.each([{ branching: [2, 3] as [number, ...number[]] }, { branching: [3] as [number, ...number[]] }])(
    "branching $branching",
    ({ branching }) => {
      const ev = evidence({ branching, rows: 600, seed: 5 });
      const { top_level: got, max_top_level_gap } = runNaicsChecks(ev).summary as {
        top_level: Record<string, number | string | null>[];
        max_top_level_gap: number;
      };
      const top = ev.rebuilt.levels[0]!;
      const leaf = ev.rebuilt.levels.at(-1)!;
      expect(got.map((t) => t.code)).toEqual(top.codes);
      top.codes.forEach((code, i) => {
        const under = leaf.codes.flatMap((c, l) => (c.startsWith(code) ? [l] : []));
        const leafMean = mean(under.map((l) => leaf.probability[l] as number));
        const rows = sum(under.map((l) => ev.rows.leafCount[l] as number));
        const children =
          branching.length > 1
            ? Array.from(
                { length: (top.childEnd[i] as number) - (top.childStart[i] as number) },
                (_, j) => (top.childStart[i] as number) + j,
              )
            : [];
        const below = ev.rebuilt.levels[1];
        const t = got[i]!;
        expect(t.nominal_probability).toBe(top.probability[i]);
        expect(t.logit).toBe(top.logit[i]);
        // One level: the code is its own leaf, and its "children" mean is its own probability.
        const childrenMean = below ? mean(children.map((c) => below.probability[c] as number)) : (top.probability[i] as number);
        expect(t.children_mean_probability).toBeCloseTo(childrenMean, 12);
        expect(t.leaf_mean_probability).toBeCloseTo(leafMean, 12);
        expect(t.gap).toBeCloseTo(leafMean - (top.probability[i] as number), 12);
        expect(t.rows).toBe(rows);
        expect(rows).toBeGreaterThan(0);
        expect(t.observed_rate).toBeCloseTo(sum(under.map((l) => ev.rows.leafOnes[l] as number)) / rows, 12);
      });
      expect(max_top_level_gap).toBe(Math.max(...got.map((t) => Math.abs(t.gap as number))));
    },
  );
});

describe("the recommendation: Jensen's gap only in logit mode and only above GAP_WORTH_MENTIONING", () => {
  const recommendation = (ev: NaicsEvidence) => (runNaicsChecks(ev).summary as { recommendation: string | null }).recommendation;
  test("logit mode at seed 0: the gap's note and the saturation note, joined", () => {
    const ev = evidence({ seed: 0 });
    const max = (runNaicsChecks(ev).summary as { max_top_level_gap: number }).max_top_level_gap;
    expect(max).toBeGreaterThan(GAP_WORTH_MENTIONING);
    expect(recommendation(ev)).toMatch(
      new RegExp(
        `^logit-mode noise moves top-level rates by up to ${max.toFixed(3)} from their nominal values \\(Jensen's inequality\\); ` +
          "use --preserve probability if the nominal rates must hold in the data; also, 1 code has a probability that rounds",
      ),
    );
  });
  test("logit mode without noise (a root at 0.5 has logit 0, so noise sd 0): no gap, no note", () => {
    expect(recommendation(evidence({ branching: [1, 3], root_probabilities: [0.5] }))).toBeNull();
  });
  // One top-level code over one leaf, the truth set to 0.01 and 0.02: a gap of exactly 0.01.
  test.each([
    { leaf: 0.02, note: false, what: "a gap of exactly GAP_WORTH_MENTIONING: no note" },
    { leaf: 0.03, note: true, what: "a gap above it: the note" },
  ])("$what", ({ leaf, note }) => {
    const ev = evidence({ branching: [1, 1], root_probabilities: [0.01] });
    ev.truth.probability[0] = 0.01;
    ev.truth.probability[1] = leaf;
    expect(GAP_WORTH_MENTIONING).toBe(0.01);
    expect(recommendation(ev) !== null).toBe(note);
  });
  test("probability mode never blames Jensen, even when a corrupted truth file shows a gap", () => {
    const ev = evidence({ preserve: "probability" });
    ev.truth.probability[0] = 0.07; // code 10's nominal 0.05; its leaves still average 0.05
    expect((runNaicsChecks(ev).summary as { max_top_level_gap: number }).max_top_level_gap).toBeGreaterThan(GAP_WORTH_MENTIONING);
    expect(recommendation(ev)).toBeNull();
  });
});

describe("indexTruth: lookups over the truth rows, tolerating broken ancestry", () => {
  /** Truth rows from `[level, code, parent]` triples (the numbers do not matter here). */
  const truthOf = (rows: [number, string, string | null][]): TruthRows => ({
    level: rows.map((r) => r[0]),
    code: rows.map((r) => r[1]),
    parentCode: rows.map((r) => r[2]),
    logit: rows.map(() => 0),
    probability: rows.map(() => 0.5),
    noise: rows.map(() => 0),
    childrenMeanLogit: rows.map(() => 0),
    childrenMeanProbability: rows.map(() => 0.5),
  });
  test("a whole two-level tree: rows by level, leaves, chains, parents with their children", () => {
    const ix = indexTruth(
      truthOf([
        [1, "10", null],
        [1, "11", null],
        [2, "101", "10"],
        [2, "102", "10"],
        [2, "111", "11"],
      ]),
      2,
    );
    expect(ix.byLevel).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    expect(ix.leaves).toEqual([2, 3, 4]);
    expect(ix.chains).toEqual(["10,101", "10,102", "11,111"]);
    expect([...ix.leafByChain]).toEqual([
      ["10,101", 0],
      ["10,102", 1],
      ["11,111", 2],
    ]);
    expect(ix.parents).toEqual([
      { row: 0, children: [2, 3] },
      { row: 1, children: [4] },
    ]);
    expect([...ix.rowOf]).toEqual([
      ["10", 0],
      ["11", 1],
      ["101", 2],
      ["102", 3],
      ["111", 4],
    ]);
  });
  test("broken chains are empty and left out of leafByChain; a repeated code or chain keeps its first row", () => {
    const ix = indexTruth(
      truthOf([
        [1, "10", null],
        [1, "12", "9"], // a top-level code naming a parent that does not exist
        [1, "13", null], // no children: its children list is empty
        [1, "10", null], // a repeated code: lookups keep row 0
        [2, "101", "10"],
        [2, "101", "10"], // a repeated leaf: the same chain, leafByChain keeps leaf 0
        [2, "121", "12"],
        [2, "105", null], // a leaf without a parent: one code, not two
        [2, "141", "14"], // a parent that does not exist
      ]),
      2,
    );
    expect(ix.rowOf.get("10")).toBe(0);
    expect(ix.chains).toEqual(["10,101", "10,101", "", "", ""]);
    expect([...ix.leafByChain]).toEqual([["10,101", 0]]);
    expect(ix.parents).toEqual([
      { row: 0, children: [4, 5] },
      { row: 1, children: [6] },
      { row: 2, children: [] },
      { row: 3, children: [4, 5] },
    ]);
  });
  test("a cycle of parents ends as a broken chain, not a loop", () => {
    const ix = indexTruth(
      truthOf([
        [1, "10", null],
        [2, "101", "102"],
        [2, "102", "101"],
      ]),
      2,
    );
    expect(ix.chains).toEqual(["", ""]);
  });
});

describe("each row check's whole result: description, metrics and violations", () => {
  // Two top-level codes of three leaves each, 600 rows.
  const small = () => evidence({ branching: [2, 3], rows: 600, seed: 5 });
  const result = (ev: NaicsEvidence, name: string) => {
    const r = runNaicsChecks(ev).checks.find((c) => c.check === name);
    if (!r) throw new Error(`no ${name} check`);
    return r;
  };
  const header = ["naics_2_cd", "naics_3_cd", "target"];

  test.each([
    {
      what: "a wrong column and an extra one",
      actual: ["naics_2_cd", "x", "target", "extra"],
      first: [
        { position: 2, expected: "naics_3_cd", actual: "x" },
        { position: 4, expected: null, actual: "extra" },
      ],
    },
    {
      what: "missing columns",
      actual: ["naics_2_cd"],
      first: [
        { position: 2, expected: "naics_3_cd", actual: null },
        { position: 3, expected: "target", actual: null },
      ],
    },
  ])("columns: $what", ({ actual, first }) => {
    const ev = small();
    const r = result({ ...ev, rows: { ...ev.rows, header: actual } }, "columns");
    expect(r).toMatchObject({
      description: "the row file has exactly the spec's columns, in order",
      metrics: { expected: header, actual },
      violations: { count: first.length, first },
    });
  });

  test("row_count, hierarchy and target_values", () => {
    const ev = small();
    ev.rows.hierarchy.add({ row: 3 });
    ev.rows.targets.add({ row: 4 });
    ev.rows.targets.add({ row: 5 });
    const shard = { ...ev, expectedRows: 601 };
    expect(result(shard, "row_count")).toMatchObject({
      description: "the row file holds the configured number of rows",
      metrics: { expected: 601, actual: 600 },
      violations: { count: 1, first: [{ expected: 601, actual: 600 }] },
    });
    expect(result(ev, "hierarchy")).toMatchObject({
      description: "every row is a chain of tree codes, each extending its parent by one digit, ending in a leaf",
      metrics: { rows: 600, bad_rows: 1 },
    });
    expect(result(ev, "target_values")).toMatchObject({ description: "every target is 0 or 1", metrics: { bad_rows: 2 } });
  });

  test("allocation, balanced: min and max rows per leaf, and the violation when they differ by more than one", () => {
    const ev = small();
    const b = { ...ev, cfg: { ...ev.cfg, allocation: "balanced" as const } };
    b.rows.leafCount.set([100, 100, 100, 100, 99, 101]);
    expect(result(b, "allocation")).toMatchObject({
      description: "balanced: per-leaf row counts differ by at most one",
      metrics: { min_rows_per_leaf: 99, max_rows_per_leaf: 101 },
      violations: {
        count: 1,
        first: [{ min_rows_per_leaf: 99, max_rows_per_leaf: 101, problem: "balanced counts differ by more than one" }],
      },
    });
  });

  test("allocation, uniform: chi-square from exactly MIN_EXPECTED_PER_LEAF expected rows per leaf, skipped below", () => {
    const ev = small();
    const at = (rows: number, counts: number[]) => {
      ev.rows.leafCount.set(counts);
      return result({ ...ev, rows: { ...ev.rows, rows } }, "allocation");
    };
    const skipped = at(29, [5, 5, 5, 5, 5, 4]);
    expect(skipped).toMatchObject({
      description: "uniform: leaves are equally likely (chi-square)",
      metrics: { applicable: false, reason: "fewer than 5 expected rows per leaf", expected_rows_per_leaf: 29 / 6 },
      violations: { count: 0 },
    });
    const skewed = at(30, [30, 0, 0, 0, 0, 0]);
    const chi = chiSquareUniform(new Float64Array([30, 0, 0, 0, 0, 0]));
    expect(skewed).toMatchObject({
      description: "uniform: leaves are equally likely (chi-square)",
      metrics: {
        applicable: true,
        test: "chi2",
        statistic: chi.statistic,
        df: 5,
        p_value: chi.pValue,
        min_rows_per_leaf: 0,
        max_rows_per_leaf: 30,
      },
      violations: { count: 1, first: [{ statistic: chi.statistic, df: 5, p_value: chi.pValue, alpha: ev.cfg.alpha }] },
    });
  });

  test("target_rate: every code with rows tested, Bonferroni alpha, the smallest p-value, and a failing code named", () => {
    const ev = small();
    const leaves = ev.rebuilt.levels[1]!;
    // Leaf 0 gets no rows (not tested); leaf 1 gets all ones, which its probability cannot explain.
    ev.rows.leafCount[0] = 0;
    ev.rows.leafOnes[0] = 0;
    ev.rows.leafOnes[1] = ev.rows.leafCount[1] as number;
    const r = result(ev, "target_rate");
    // Codes with rows: both top-level codes and five leaves.
    const groups = [...[0, 1].map((t) => [1, 2, 3].map((j) => 3 * t + j - 1).filter((l) => l !== 0)), ...[1, 2, 3, 4, 5].map((l) => [l])];
    const pValues = groups.map((ls) => {
      const n = ls.reduce((a, l) => a + (ev.rows.leafCount[l] as number), 0);
      const ones = ls.reduce((a, l) => a + (ev.rows.leafOnes[l] as number), 0);
      const expected = ls.reduce((a, l) => a + (ev.rows.leafCount[l] as number) * (leaves.probability[l] as number), 0);
      return binomialTest(ones, n, expected / n);
    });
    expect(r.description).toBe(
      "observed target rate of every code at every level matches sum(n_leaf * p_leaf) / n (exact binomial test, Bonferroni over codes)",
    );
    expect(r.metrics).toEqual({ test: "binomial", codes_tested: 7, per_test_alpha: ev.cfg.alpha / 7, min_p_value: Math.min(...pValues) });
    const leaf1 = r.violations.first.find((v) => v.code === leaves.codes[1]);
    expect(leaf1).toEqual({
      level: 2,
      code: leaves.codes[1],
      rows: ev.rows.leafCount[1],
      ones: ev.rows.leafCount[1],
      observed_rate: 1,
      expected_rate: leaves.probability[1],
      p_value: pValues[2],
    });
  });

  test("exact_target_counts: every leaf checked, a leaf one off named with its counts", () => {
    const ev = evidence({ branching: [2, 3], rows: 600, seed: 5, target: "exact" });
    const leaves = ev.rebuilt.levels[1]!;
    const want = Math.round((ev.rows.leafCount[2] as number) * (leaves.probability[2] as number));
    ev.rows.leafOnes[2] = want + 1;
    expect(result(ev, "exact_target_counts")).toMatchObject({
      description: "each leaf's count of ones is exactly round(n_leaf * p_leaf)",
      metrics: { leaves_checked: 6 },
      violations: { count: 1, first: [{ leaf: leaves.codes[2], rows: ev.rows.leafCount[2], ones: want + 1, expected_ones: want }] },
    });
  });
});

describe("each tree check's whole result: description, metrics and violations", () => {
  const small = (mode: Partial<NaicsConfig> = {}) => evidence({ branching: [2, 3], rows: 600, seed: 5, ...mode });
  const result = (ev: NaicsEvidence, name: string) => {
    const r = runNaicsChecks(ev).checks.find((c) => c.check === name);
    if (!r) throw new Error(`no ${name} check`);
    return r;
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  test("valid evidence: each check's description and metrics", () => {
    const ev = small();
    expect(result(ev, "code_counts")).toMatchObject({
      description: "distinct codes per level equal the products of the branching factors",
      metrics: { expected_per_level: [2, 6], truth_per_level: [2, 6], seen_in_rows_per_level: [2, 6] },
    });
    expect(result(ev, "top_level_probabilities")).toMatchObject({
      description: "each top-level probability is within 1% of its configured value (no randomness at the top)",
      metrics: { expected: [0.25, 0.75], max_relative_error: 0, tolerance: 0.01 },
    });
    const values = result(ev, "probability_values");
    expect(values.description).toBe(
      "logits are finite and probabilities equal sigmoid(logit), exactly 0 or 1 only where it rounds there; noise and children means match the tree",
    );
    expect(values.metrics).toMatchObject({ tolerance: 1e-9 });
    expect(values.metrics.max_link_error_in_tolerances).toBeLessThanOrEqual(1);
    expect(values.metrics.max_noise_error).toBeLessThanOrEqual(1e-9);
    expect(values.metrics.max_children_mean_error).toBeLessThanOrEqual(1e-9);
    const means = result(ev, "mean_preservation");
    expect(means).toMatchObject({
      description: "every parent's children average exactly (to 1e-9) to the parent in logit space",
      metrics: { space: "logit", tolerance: 1e-9 },
    });
    expect(means.metrics.max_abs_error_logit_space).toBeLessThanOrEqual(1e-9);
    // Logit mode moves the probability means (Jensen): code 10's children average 0.2814, not 0.25.
    expect(means.metrics.max_abs_error_probability_space).toBeGreaterThan(0.01);
    expect(result(ev, "tree_reproducible")).toMatchObject({
      description: "the truth file is exactly the tree its config and seed define",
      metrics: { codes: 8, max_difference_in_tolerances: 0, relative_tolerance: 1e-12 },
      violations: { count: 0 },
    });
    // The drawn terms: children 1 and 2 of each parent, over sqrt(|parent logit|).
    const z = [0, 1].flatMap((p) =>
      [0, 1].map((c) => (ev.truth.noise[2 + 3 * p + c] as number) / Math.sqrt(Math.abs(ev.truth.logit[p] as number))),
    );
    const m = mean(z);
    const ks = ksStandardNormal(z);
    expect(result(ev, "noise_scale")).toMatchObject({
      description: "standardised noise terms e / sqrt(|L|) are Normal(0, 1) (Kolmogorov–Smirnov)",
      metrics: {
        test: "ks",
        sample: "truth file: noise / sqrt(|parent logit|) of every child but the last, parents with logit 0 excluded",
        n: 4,
        statistic: ks.statistic,
        p_value: ks.pValue,
        redraws_per_level: [0],
      },
    });
    expect(result(ev, "noise_scale").metrics.mean).toBeCloseTo(m, 12);
    expect(result(ev, "noise_scale").metrics.sd).toBeCloseTo(Math.sqrt(mean(z.map((x) => (x - m) ** 2))), 12);
  });

  test("probability mode: mean preservation in probability space, noise from every draw of the rebuilt tree", () => {
    const ev = small({ preserve: "probability" });
    const means = result(ev, "mean_preservation");
    expect(means).toMatchObject({
      description: "every parent's children average exactly (to 1e-9) to the parent in probability space",
      metrics: { space: "probability" },
    });
    expect(means.metrics.max_abs_error_probability_space).toBeLessThanOrEqual(1e-9);
    expect(result(ev, "noise_scale").metrics).toMatchObject({
      sample: "every standard-normal draw of the tree rebuilt from the seed, redrawn attempts included",
      n: ev.rebuilt.draws.length,
      redraws_per_level: ev.rebuilt.redraws,
    });
  });

  test("violations name what broke", () => {
    const ev = small();
    const leaf = 2; // truth row of code 101
    const wantNoise = (ev.truth.logit[leaf] as number) - (ev.truth.logit[0] as number);
    ev.truth.probability[0] = 0.26;
    ev.truth.noise[leaf] = 0.123;
    ev.truth.childrenMeanProbability[1] = 0.9;
    expect(result(ev, "top_level_probabilities").violations.first).toEqual([
      { code: "10", expected: 0.25, actual: 0.26, relative_error: Math.abs(0.26 - 0.25) / 0.25 },
    ]);
    expect(result(ev, "top_level_probabilities").metrics.max_relative_error).toBe(Math.abs(0.26 - 0.25) / 0.25);
    // The largest errors are the broken values' (the others are within 1e-9).
    expect(result(ev, "probability_values").metrics).toMatchObject({
      max_noise_error: Math.abs(0.123 - wantNoise),
      max_children_mean_error: Math.abs(mean([5, 6, 7].map((r) => ev.truth.probability[r] as number)) - 0.9),
    });
    expect(result(ev, "probability_values").violations.first).toEqual([
      { code: "10", logit: ev.truth.logit[0], probability: 0.26, problem: "probability is not sigmoid(logit)" },
      { code: "101", noise: 0.123, expected: wantNoise, problem: "noise is not logit minus the parent's logit" },
      { code: "11", problem: "children_mean_* columns do not match the children" },
    ]);
    expect(result(ev, "tree_reproducible").violations.first).toEqual([
      {
        code: "10",
        expected_logit: ev.rebuilt.levels[0]?.logit[0],
        actual_logit: ev.truth.logit[0],
        expected_probability: 0.25,
        actual_probability: 0.26,
      },
    ]);
  });

  test("a moved logit breaks mean preservation, a renamed or extra row the reproduction", () => {
    const ev = small();
    ev.truth.logit[2] = (ev.truth.logit[2] as number) + 0.5;
    const err = mean([2, 3, 4].map((r) => ev.truth.logit[r] as number)) - (ev.truth.logit[0] as number);
    expect(result(ev, "mean_preservation").violations.first).toEqual([{ code: "10", space: "logit", children_mean_minus_parent: err }]);
    ev.truth.code[7] = "119";
    ev.truth.code.push("114");
    ev.truth.level.push(2);
    expect(result(ev, "tree_reproducible").violations.first).toEqual([
      expect.objectContaining({ code: "101" }),
      { truth_row: 8, expected_code: "113", actual_code: "119" },
      { expected_codes: 8, actual_codes: 9 },
    ]);
  });

  test.each([
    {
      name: "levels out of range",
      corrupt: (ev: ReturnType<typeof evidence>) => {
        ev.truth.level[2] = 0;
        ev.truth.level[5] = 3;
      },
      // A code on no level of the tree has no level above it either.
      violations: [
        { code: "101", level: 0, problem: "level must be 1..2" },
        { code: "101", parent: "10", problem: "parent is not a code of the level above" },
        { code: "111", level: 3, problem: "level must be 1..2" },
        { code: "111", parent: "11", problem: "parent is not a code of the level above" },
      ],
    },
    {
      name: "a repeated code",
      corrupt: (ev: ReturnType<typeof evidence>) => {
        ev.truth.code[3] = "101";
      },
      violations: [{ code: "101", problem: "code appears twice" }],
    },
    {
      name: "a top-level code with a parent",
      corrupt: (ev: ReturnType<typeof evidence>) => {
        ev.truth.parentCode[1] = "10";
      },
      violations: [{ code: "11", parent: "10", problem: "a top-level code has no parent" }],
    },
    {
      name: "parents missing, unknown and on the wrong level",
      corrupt: (ev: ReturnType<typeof evidence>) => {
        ev.truth.parentCode[2] = null;
        ev.truth.parentCode[3] = "99";
        ev.truth.parentCode[4] = "102";
      },
      violations: [
        { code: "101", parent: null, problem: "parent is not a code of the level above" },
        { code: "102", parent: "99", problem: "parent is not a code of the level above" },
        { code: "103", parent: "102", problem: "parent is not a code of the level above" },
      ],
    },
    {
      name: "child codes too long, off their parent, with a digit past k or 0",
      corrupt: (ev: ReturnType<typeof evidence>) => {
        ev.truth.code[2] = "1011";
        ev.truth.code[3] = "121";
        ev.truth.code[4] = "104";
        ev.truth.code[5] = "110";
      },
      violations: (
        [
          ["1011", "10"],
          ["121", "10"],
          ["104", "10"],
          ["110", "11"],
        ] as const
      ).map(([code, parent]) => ({ code, parent, problem: "a child code is its parent plus one digit 1..3" })),
    },
  ])("tree_structure: $name", ({ corrupt, violations }) => {
    const ev = small();
    expect(result(ev, "tree_structure")).toMatchObject({
      description: "truth codes form the configured tree: unique, each extends its parent by one digit",
      metrics: { codes: 8 },
      violations: { count: 0 },
    });
    corrupt(ev);
    expect(result(ev, "tree_structure").violations).toMatchObject({ count: violations.length, first: violations });
  });

  // A one-level tree (codes 10 and 11): each bad top-level code is named alone.
  test.each(["12", "09", "x10", "10x"])("tree_structure: top-level code %s is out of range", (code) => {
    const ev = evidence({ branching: [2], rows: 600, seed: 5 });
    ev.truth.code[1] = code;
    expect(result(ev, "tree_structure").violations).toMatchObject({ count: 1, first: [{ code, problem: "top-level codes are 10..11" }] });
  });

  test("the tolerances include their ends: a difference of exactly 1e-9 passes", () => {
    const ev = small();
    // Code 10 at logit -1e-9 with noise 1e-9 (a top-level code's noise should be 0); its three
    // children at logit 0, probability 0.5 and noise 1e-9 (exactly their logit minus 10's), whose
    // logits average exactly 1e-9 above 10's and 1e-9 below its children_mean_logit.
    ev.truth.logit[0] = -1e-9;
    ev.truth.probability[0] = sigmoid(-1e-9);
    ev.truth.noise[0] = 1e-9;
    for (const r of [2, 3, 4]) {
      ev.truth.logit[r] = 0;
      ev.truth.probability[r] = 0.5;
      ev.truth.noise[r] = 1e-9;
    }
    ev.truth.childrenMeanLogit[0] = 1e-9;
    ev.truth.childrenMeanProbability[0] = 0.5;
    expect(result(ev, "probability_values")).toMatchObject({
      status: "PASSED",
      metrics: { max_noise_error: 1e-9, max_children_mean_error: 1e-9 },
    });
    expect(result(ev, "mean_preservation")).toMatchObject({ status: "PASSED", metrics: { max_abs_error_logit_space: 1e-9 } });
  });

  test("probability_values: the largest link error, in tolerances", () => {
    const ev = small();
    // Valid: within a millionth of a tolerance (the truth file's probabilities are sigmoid(logit)
    // but for rounding).
    expect(result(ev, "probability_values").metrics.max_link_error_in_tolerances).toBeLessThan(1e-6);
    const L = ev.truth.logit[5] as number;
    ev.truth.probability[5] = sigmoid(L) + 0.5 * probabilityTolerance(sigmoid(L), EXACT_TOLERANCE);
    expect(result(ev, "probability_values").status).toBe("PASSED");
    expect(result(ev, "probability_values").metrics.max_link_error_in_tolerances).toBeCloseTo(0.5, 3);
  });

  test("a parent whose children are all missing: counted and not reproduced, but no mean to check", () => {
    const ev = small();
    for (const column of Object.values(ev.truth)) (column as unknown[]).splice(5, 3); // 111, 112, 113
    expect(["code_counts", "probability_values", "mean_preservation", "tree_reproducible"].map((c) => result(ev, c).status)).toEqual([
      "FAILED",
      "PASSED",
      "PASSED",
      "FAILED",
    ]);
  });

  test("tree_reproducible: a code on the wrong level, a logit off by one tolerance and by many", () => {
    const ev = small();
    ev.truth.level[2] = 1;
    expect(result(ev, "tree_reproducible").violations.first).toEqual([{ truth_row: 3, expected_code: "101", actual_code: "101" }]);
    // A logit of magnitude above 1 is compared relative to its size: 1e-10 off at |L| = 1.1 is 91
    // tolerances.
    const moved = small();
    const L = moved.truth.logit[0] as number;
    expect(Math.abs(L)).toBeGreaterThan(1);
    moved.truth.logit[0] = L + 1e-10;
    expect(result(moved, "tree_reproducible").metrics.max_difference_in_tolerances).toBeCloseTo(1e-10 / (1e-12 * Math.abs(L)), 2);
    // Root probability 0.5 has logit exactly 0, where one tolerance is 1e-12: exactly that passes.
    const edge = small({ root_probabilities: [0.5, 0.75] });
    expect(edge.rebuilt.levels[0]?.logit[0]).toBe(0);
    edge.truth.logit[0] = 1e-12;
    expect(result(edge, "tree_reproducible")).toMatchObject({ status: "PASSED", metrics: { max_difference_in_tolerances: 1 } });
  });

  test("noise_scale: a failing test's violation, and an empty sample's metrics", () => {
    const ev = evidence();
    ev.truth.level.forEach((lv, r) => {
      if (lv > 1) ev.truth.noise[r] = 2 * (ev.truth.noise[r] as number);
    });
    const scale = result(ev, "noise_scale");
    expect(scale.violations.first).toEqual([{ statistic: scale.metrics.statistic, p_value: scale.metrics.p_value, alpha: ev.cfg.alpha }]);
    // One level: no parents, so no drawn terms; mean and sd are 0, not NaN.
    expect(result(evidence({ branching: [2], rows: 600 }), "noise_scale")).toMatchObject({
      status: "PASSED",
      metrics: { n: 0, mean: 0, sd: 0, statistic: 0, p_value: 1 },
    });
  });

  test("code_counts: a repeated code, and a code no row reaches", () => {
    const ev = small();
    ev.truth.code[3] = "101";
    ev.rows.leafCount.fill(0, 0, 3);
    expect(result(ev, "code_counts")).toMatchObject({
      metrics: { truth_per_level: [2, 5], seen_in_rows_per_level: [1, 3] },
      violations: { count: 1, first: [{ level: 2, expected: 6, actual: 5 }] },
    });
  });
});
