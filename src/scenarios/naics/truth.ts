/**
 * The ground truth a model should recover: one row per code at every level, and the row table
 * layout (column names, per-leaf code lookups).
 */
import type { Table } from "../../core/table.js";
import type { TruthRows } from "./evidence.js";
import type { RowBlock } from "./sample.js";
import { ancestorIndex, leaves, type Tree, type TreeLevel } from "./tree.js";

/** Column names of the truth file, in order. */
export const TRUTH_COLUMNS = [
  "level",
  "code",
  "parent_code",
  "logit",
  "probability",
  "noise",
  "children_mean_logit",
  "children_mean_probability",
] as const;

/** Row-file column names for a tree of `depth` levels: `naics_2_cd` .. and `target`. */
export function rowColumns(depth: number): string[] {
  return [...Array.from({ length: depth }, (_, d) => `naics_${d + 2}_cd`), "target"];
}

/** Mean logit and mean probability of each code's children (NaN for leaves). */
export function childrenMeans(tree: Tree, d: number): { logit: Float64Array; probability: Float64Array } {
  const level = tree.levels[d] as TreeLevel;
  const below = tree.levels[d + 1];
  const n = level.codes.length;
  const logit = new Float64Array(n).fill(Number.NaN);
  const probability = new Float64Array(n).fill(Number.NaN);
  if (below) {
    for (let i = 0; i < n; i++) {
      const from = level.childStart[i] as number;
      const to = level.childEnd[i] as number;
      let sl = 0;
      let sp = 0;
      for (let c = from; c < to; c++) {
        sl += below.logit[c] as number;
        sp += below.probability[c] as number;
      }
      logit[i] = sl / (to - from);
      probability[i] = sp / (to - from);
    }
  }
  return { logit, probability };
}

/**
 * The truth rows, level by level in code order: `level` (1 = top), `code`, `parent_code` (null at
 * the top), `logit`, `probability`, `noise` (logit minus the parent's; 0 at the top), and the
 * children's mean logit and mean probability (NaN for leaves).
 */
export function truthRows(tree: Tree): TruthRows {
  const out = {
    level: [] as number[],
    code: [] as string[],
    parentCode: [] as (string | null)[],
    logit: [] as number[],
    probability: [] as number[],
    noise: [] as number[],
    childrenMeanLogit: [] as number[],
    childrenMeanProbability: [] as number[],
  };
  tree.levels.forEach((lv, d) => {
    const means = childrenMeans(tree, d);
    const up = tree.levels[d - 1];
    for (let i = 0; i < lv.codes.length; i++) {
      out.level.push(d + 1);
      out.code.push(lv.codes[i] as string);
      out.parentCode.push(up ? (up.codes[lv.parent[i] as number] as string) : null);
      out.logit.push(lv.logit[i] as number);
      out.probability.push(lv.probability[i] as number);
      out.noise.push(lv.noise[i] as number);
      out.childrenMeanLogit.push(means.logit[i] as number);
      out.childrenMeanProbability.push(means.probability[i] as number);
    }
  });
  return out;
}

/** The truth file's table: the {@link TRUTH_COLUMNS}, empty cells for no parent and for leaves. */
export function truthTable(truth: TruthRows): Table {
  return {
    length: truth.code.length,
    columns: [
      { kind: "int", name: "level", values: Int32Array.from(truth.level) },
      { kind: "string", name: "code", values: truth.code },
      { kind: "string", name: "parent_code", values: truth.parentCode },
      { kind: "float", name: "logit", values: Float64Array.from(truth.logit) },
      { kind: "float", name: "probability", values: Float64Array.from(truth.probability) },
      { kind: "float", name: "noise", values: Float64Array.from(truth.noise) },
      { kind: "float", name: "children_mean_logit", values: Float64Array.from(truth.childrenMeanLogit) },
      { kind: "float", name: "children_mean_probability", values: Float64Array.from(truth.childrenMeanProbability) },
    ],
  };
}

/** For each level, the code of every leaf's ancestor at that level: `lookups[d][leaf]`. */
export function leafCodeLookups(tree: Tree): string[][] {
  return ancestorIndex(tree).map((idx, d) => {
    const codes = (tree.levels[d] as TreeLevel).codes;
    return Array.from(idx, (i) => codes[i] as string);
  });
}

/** Turns a block of rows into a table of the row file's columns. */
export function rowTable(block: RowBlock, lookups: readonly (readonly string[])[]): Table {
  const names = rowColumns(lookups.length);
  return {
    length: block.leaf.length,
    columns: [
      ...lookups.map((lookup, d) => ({ kind: "keyed" as const, name: names[d] as string, key: block.leaf, lookup })),
      { kind: "int", name: "target", values: block.target },
    ],
  };
}

/** Mean of the leaf probabilities under each code of a level: the rate rows actually show. */
export function leafMeanProbability(tree: Tree, d: number): Float64Array {
  const leafLevel = leaves(tree);
  const anc = ancestorIndex(tree)[d] as Int32Array;
  const n = (tree.levels[d] as TreeLevel).codes.length;
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  for (let l = 0; l < anc.length; l++) {
    const a = anc[l] as number;
    sum[a] = (sum[a] as number) + (leafLevel.probability[l] as number);
    count[a] = (count[a] as number) + 1;
  }
  return sum.map((s, i) => s / (count[i] as number));
}
