/**
 * What the NAICS properties share: the recipe-to-folder generator the generic assertions take,
 * tree building that skips documented refusals, and small readers/editors of the CSV files the
 * corruption properties tamper with.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { generate } from "../src/api.js";
import { SynthError } from "../src/core/errors.js";
import type { NaicsConfig } from "../src/scenarios/naics/config.js";
import { buildTree, type Tree } from "../src/scenarios/naics/tree.js";
import type { GenerateResult } from "../src/scenarios/scenario.js";
import { DOCUMENTED_TREE_FAILURES, type NaicsRecipe } from "./arbitraries.js";
import type { DatasetGenerator, ShardSlice } from "./assertions.js";

/**
 * Skips the current run (fc.pre) when `error` is a documented refusal to build a tree (see
 * {@link DOCUMENTED_TREE_FAILURES}); otherwise returns, and the caller rethrows. A few probability-mode
 * recipes hit one; the properties that must never see one do not call this.
 */
export function skipDocumentedRefusal(error: unknown): void {
  if (error instanceof SynthError && DOCUMENTED_TREE_FAILURES.has(error.code)) fc.pre(false);
}

/** Builds the tree, skipping the run on a documented refusal. */
export function buildTreeOrSkip(cfg: NaicsConfig): Tree {
  try {
    return buildTree(cfg);
  } catch (error) {
    skipDocumentedRefusal(error);
    throw error;
  }
}

/** Generates a recipe (or a shard of it) into `dir` with the library API; skips documented refusals. */
export async function generateNaicsInto(recipe: NaicsRecipe, dir: string, shard?: ShardSlice): Promise<GenerateResult> {
  try {
    return await generate("naics", recipe, { out: dir, ...(shard ? { shard } : {}) });
  } catch (error) {
    skipDocumentedRefusal(error);
    throw error;
  }
}

/** The NAICS scenario as the generic assertions see it. */
export const naicsGenerator: DatasetGenerator<NaicsRecipe> = {
  generate: async (recipe, dir, shard) => (await generateNaicsInto(recipe, dir, shard)).files,
};

/** Names of the rows file of a whole run and of shard K of N. */
export const naicsRowFiles = {
  whole: "naics.csv",
  part: (index: number, count: number) => `naics-${index}-of-${count}.csv`,
};

/** A small CSV file as lines of cells (the toolkit's files never quote: codes and numbers only). */
export interface CsvText {
  header: string[];
  rows: string[][];
}

/** Reads `dir/name` as a header and rows (expects a final newline, as the writers produce). */
export function readCsv(dir: string, name: string): CsvText {
  const text = fs.readFileSync(path.join(dir, name), "utf8");
  const lines = text.split("\n");
  if (lines.pop() !== "") throw new Error(`${name} does not end with a newline`);
  const [head, ...rows] = lines;
  return { header: (head ?? "").split(","), rows: rows.map((l) => l.split(",")) };
}

/** Writes a {@link CsvText} back. */
export function writeCsv(dir: string, name: string, csv: CsvText): void {
  const lines = [csv.header, ...csv.rows].map((cells) => `${cells.join(",")}\n`);
  fs.writeFileSync(path.join(dir, name), lines.join(""));
}

/** The index of `column` in a header (throws when absent). */
export function columnIndex(csv: CsvText, column: string): number {
  const i = csv.header.indexOf(column);
  if (i < 0) throw new Error(`no column ${column} in ${csv.header.join(",")}`);
  return i;
}

/** Number of leaves of a branching. */
export function leafCount(branching: readonly number[]): number {
  return branching.reduce((a, b) => a * b, 1);
}
