/**
 * Exact, enumerated tests of the spec's fixed 10/5/4/3/3 tree: every top-level code, every
 * parent's children, mean preservation per parent in both modes. Each case is its own named test,
 * so a failure names the code and the requirement.
 */
import { describe, expect, test } from "vitest";
import { sigmoid } from "../../core/distributions.js";
import { naicsConfigSchema } from "./config.js";
import { buildTree, type Tree, type TreeLevel } from "./tree.js";

const logitTree = buildTree(naicsConfigSchema.parse({}));
const probabilityTree = buildTree(naicsConfigSchema.parse({ preserve: "probability" }));
const BRANCHING = [10, 5, 4, 3, 3];

const topCases = Array.from({ length: 10 }, (_, i) => ({
  code: String(10 + i),
  probability: [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95][i] as number,
  i,
}));

describe("top level of the default tree", () => {
  test("has exactly the 10 codes 10..19", () => {
    expect(logitTree.levels[0]?.codes).toEqual(["10", "11", "12", "13", "14", "15", "16", "17", "18", "19"]);
  });
  test.each(topCases)("code $code has probability $probability exactly, no noise", ({ i, probability }) => {
    for (const tree of [logitTree, probabilityTree]) {
      const top = tree.levels[0] as TreeLevel;
      expect(top.probability[i]).toBe(probability);
      expect(top.noise[i]).toBe(0);
      expect(sigmoid(top.logit[i] as number)).toBeCloseTo(probability, 15);
    }
  });
});

/** Every parent of the default tree, with its level and expected children. */
function parentCases(tree: Tree) {
  return tree.levels.slice(0, -1).flatMap((level, d) =>
    level.codes.map((code, i) => ({
      code,
      d,
      i,
      expected: Array.from({ length: BRANCHING[d + 1] as number }, (_, j) => `${code}${j + 1}`),
    })),
  );
}
const parents = parentCases(logitTree);

describe("level sizes are the products of 10/5/4/3/3", () => {
  test.each([
    { level: 1, size: 10 },
    { level: 2, size: 50 },
    { level: 3, size: 200 },
    { level: 4, size: 600 },
    { level: 5, size: 1800 },
  ])("level $level has $size distinct codes", ({ level, size }) => {
    const codes = logitTree.levels[level - 1]?.codes ?? [];
    expect(codes.length).toBe(size);
    expect(new Set(codes).size).toBe(size);
  });
});

describe("every parent's exact set of children", () => {
  test.each(parents)("parent $code has children $expected", ({ d, i, expected }) => {
    for (const tree of [logitTree, probabilityTree]) {
      const level = tree.levels[d] as TreeLevel;
      const below = tree.levels[d + 1] as TreeLevel;
      const children = below.codes.slice(level.childStart[i], level.childEnd[i]);
      expect(children).toEqual(expected);
      for (let c = level.childStart[i] as number; c < (level.childEnd[i] as number); c++) expect(below.parent[c]).toBe(i);
    }
  });
});

function childStats(tree: Tree, d: number, i: number) {
  const level = tree.levels[d] as TreeLevel;
  const below = tree.levels[d + 1] as TreeLevel;
  let logit = 0;
  let probability = 0;
  let noise = 0;
  const k = (level.childEnd[i] as number) - (level.childStart[i] as number);
  for (let c = level.childStart[i] as number; c < (level.childEnd[i] as number); c++) {
    logit += below.logit[c] as number;
    probability += below.probability[c] as number;
    noise += below.noise[c] as number;
  }
  return {
    meanLogit: logit / k,
    meanProbability: probability / k,
    noiseSum: noise,
    parentLogit: level.logit[i] as number,
    parentProbability: level.probability[i] as number,
  };
}

describe("mean preservation per parent, logit mode: children's logits average to the parent's", () => {
  test.each(parents)("parent $code", ({ d, i }) => {
    const s = childStats(logitTree, d, i);
    expect(Math.abs(s.meanLogit - s.parentLogit)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(s.noiseSum)).toBeLessThanOrEqual(1e-9);
  });
});

describe("mean preservation per parent, probability mode: children's probabilities average to the parent's", () => {
  test.each(parentCases(probabilityTree))("parent $code", ({ d, i }) => {
    const s = childStats(probabilityTree, d, i);
    expect(Math.abs(s.meanProbability - s.parentProbability)).toBeLessThanOrEqual(1e-9);
  });
});

describe("Jensen gap: logit-mode noise moves probability means, probability mode does not", () => {
  test("logit mode moves at least one top-level code's leaf mean by more than 0.1", () => {
    const leaves = logitTree.levels[4] as TreeLevel;
    const gaps = topCases.map(({ i, probability }) => {
      let s = 0;
      for (let l = i * 180; l < (i + 1) * 180; l++) s += leaves.probability[l] as number;
      return Math.abs(s / 180 - probability);
    });
    expect(Math.max(...gaps)).toBeGreaterThan(0.1);
  });
  test("probability mode keeps every top-level code's leaf mean to 1e-9", () => {
    const leaves = probabilityTree.levels[4] as TreeLevel;
    for (const { i, probability } of topCases) {
      let s = 0;
      for (let l = i * 180; l < (i + 1) * 180; l++) s += leaves.probability[l] as number;
      expect(Math.abs(s / 180 - probability)).toBeLessThanOrEqual(1e-9);
    }
  });
  test("probability mode reports its redraws per level and logit mode has none", () => {
    expect(logitTree.redraws).toEqual([0, 0, 0, 0]);
    expect(probabilityTree.redraws.length).toBe(4);
    expect(probabilityTree.redraws.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // Every drawn term is recorded: (k - 1) per parent per attempt.
    const firstAttempts = [10 * 4, 50 * 3, 200 * 2, 600 * 2].reduce((a, b) => a + b, 0);
    expect(logitTree.draws.length).toBe(firstAttempts);
    expect(probabilityTree.draws.length).toBeGreaterThan(firstAttempts);
  });
});

describe("probability mode's redraw safety net", () => {
  // Root 0.05 with nine children: the eight drawn probabilities average well above 0.05 (Jensen),
  // so a first attempt is usually infeasible; with one attempt allowed, the build must stop with a
  // clear error for some seed among the first twenty (each seed fails with probability > 1/2).
  test("gives up with preserve_probability_infeasible naming the code after maxAttempts", () => {
    const errors = Array.from({ length: 20 }, (_, seed) => {
      try {
        buildTree(naicsConfigSchema.parse({ seed, branching: [1, 9], root_probabilities: [0.05], preserve: "probability" }), 1);
        return null;
      } catch (e) {
        return e as Error & { code?: string };
      }
    }).filter((e) => e !== null);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.code).toBe("preserve_probability_infeasible");
    expect(errors[0]?.message).toMatch(/code 10 \(probability 0.05\) found no feasible draw for its 9 children in 1 attempts/);
  });
  test("an only child copies its parent in probability mode, however extreme", () => {
    const tree = buildTree(naicsConfigSchema.parse({ branching: [1, 4, 1, 1], root_probabilities: [1e-6], preserve: "probability" }));
    const [, l1, l2, l3] = tree.levels as TreeLevel[];
    expect(Array.from(l3?.probability ?? [])).toEqual(Array.from(l2?.probability ?? []));
    expect(Array.from(l2?.probability ?? [])).toEqual(Array.from(l1?.probability ?? []));
  });
});
