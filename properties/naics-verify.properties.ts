/**
 * Properties of the NAICS verifier: it PASSES everything the generator makes, and FAILS, with the
 * right check, data corrupted on purpose.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { verify } from "../src/api.js";
import type { Report } from "../src/checks/result.js";
import { TRUTH_COLUMNS } from "../src/scenarios/naics/truth.js";
import { branchingArb, type NaicsRecipe, naicsRecipeArb, rowsArb } from "./arbitraries.js";
import { expectCheckFailed, expectCheckPassed, expectReportPassed, withTempDir } from "./assertions.js";
import { defineProperty } from "./harness.js";
import { type CsvText, columnIndex, generateNaicsInto, readCsv, writeCsv } from "./naics-support.js";

const csv = fc.constant("csv" as const);
const someRows = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 3000 }));

/** The one report of an unsharded folder. */
async function verifyWhole(dir: string): Promise<Report> {
  const result = await verify("naics", dir);
  expect(result.parts.map((p) => p.name)).toEqual(["manifest.json"]);
  return (result.parts[0] as { report: Report }).report;
}

/** Generates `recipe` into a temporary folder, lets `corrupt` edit it, and returns verify's report. */
async function corruptAndVerify(recipe: NaicsRecipe, corrupt: (dir: string) => void): Promise<Report> {
  return withTempDir(async (dir) => {
    await generateNaicsInto(recipe, dir);
    corrupt(dir);
    return verifyWhole(dir);
  });
}

/**
 * The verifier passes what the generator makes: the report generate returns, verify on the
 * folder, whole or split into 1..4 shards, in every mode and format. The recipes' alpha is 1e-9,
 * so the statistical checks (KS noise, chi-square allocation, binomial target rate) falsely fail
 * with probability about 3 checks x (1 + 4 shards) x 2 reports x 1e-9 = 3e-8 per run, 3e-4 over
 * a 10,000-run sweep.
 */
export const verifierPassesGenerated = defineProperty({
  id: "naics.verify.passes-generated",
  title: "the verifier PASSES every folder the generator writes, whole or sharded",
  arbitrary: fc.record({
    recipe: naicsRecipeArb(),
    shards: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
  }),
  predicate: async ({ recipe, shards }) => {
    await withTempDir(async (dir) => {
      const manifests: string[] = [];
      if (shards === 0) {
        const result = await generateNaicsInto(recipe, dir);
        expectReportPassed(result.report, "generate's report");
        manifests.push("manifest.json");
      } else {
        for (let index = 0; index < shards; index++) {
          const result = await generateNaicsInto(recipe, dir, { index, count: shards });
          expectReportPassed(result.report, `generate's report of shard ${index} of ${shards}`);
          manifests.push(`manifest-${index}-of-${shards}.json`);
        }
      }
      const verified = await verify("naics", dir);
      expect(verified.parts.map((p) => p.name)).toEqual(manifests.sort());
      for (const part of verified.parts) expectReportPassed(part.report, `verify's report of ${part.name}`);
      expect(verified.status).toBe("PASSED");
    });
  },
});

/** Whether `codes` is a chain of the tree `branching` makes: the oracle of the hierarchy check. */
function isChain(codes: readonly string[], branching: readonly number[]): boolean {
  if (codes.length !== branching.length) return false;
  const top = codes[0] ?? "";
  if (!/^\d\d$/.test(top) || Number(top) < 10 || Number(top) >= 10 + (branching[0] as number)) return false;
  for (let d = 1; d < codes.length; d++) {
    const code = codes[d] as string;
    const digit = Number(code.slice(-1));
    if (code.length !== (codes[d - 1] as string).length + 1 || !code.startsWith(codes[d - 1] as string)) return false;
    if (!(digit >= 1 && digit <= (branching[d] as number))) return false;
  }
  return true;
}

/**
 * Changing one digit of one code in one data row breaks the hierarchy exactly when the edited row
 * is no longer a chain of the tree: then hierarchy FAILS, naming that row and only it; otherwise
 * (a leaf digit moved to a sibling) hierarchy still PASSES.
 */
export const catchesBrokenChain = defineProperty({
  id: "naics.verify.catches-broken-chain",
  title: "editing a code digit in a data row fails hierarchy (naming the row) exactly when the row stops being a chain",
  arbitrary: fc.record({
    recipe: naicsRecipeArb({ format: csv, rows: someRows }),
    row: fc.nat(),
    column: fc.nat(),
    position: fc.nat(),
    digit: fc.integer({ min: 0, max: 9 }),
  }),
  predicate: async ({ recipe, row, column, position, digit }) => {
    const r = row % recipe.rows;
    const d = column % recipe.branching.length;
    let edited: string[] = [];
    const report = await corruptAndVerify(recipe, (dir) => {
      const file = readCsv(dir, "naics.csv");
      const cells = file.rows[r] as string[];
      const code = cells[d] as string;
      const j = position % code.length;
      fc.pre(code[j] !== String(digit));
      cells[d] = `${code.slice(0, j)}${digit}${code.slice(j + 1)}`;
      edited = cells.slice(0, -1);
      writeCsv(dir, "naics.csv", file);
    });
    if (isChain(edited, recipe.branching)) {
      expectCheckPassed(report, "hierarchy");
    } else {
      const c = expectCheckFailed(report, "hierarchy");
      expect(c.violations.count).toBe(1);
      expect(c.violations.first[0]?.row).toBe(r + 1);
    }
  },
});

/** A target of 2 in one data row fails target_values, which names that row and only it. */
export const catchesBadTarget = defineProperty({
  id: "naics.verify.catches-bad-target",
  title: "a target of 2 in one data row fails target_values, naming that row",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ format: csv, rows: someRows }), row: fc.nat() }),
  predicate: async ({ recipe, row }) => {
    const r = row % recipe.rows;
    const report = await corruptAndVerify(recipe, (dir) => {
      const file = readCsv(dir, "naics.csv");
      const cells = file.rows[r] as string[];
      cells[cells.length - 1] = "2";
      writeCsv(dir, "naics.csv", file);
    });
    const c = expectCheckFailed(report, "target_values");
    expect(c.violations.count).toBe(1);
    expect(c.violations.first[0]?.row).toBe(r + 1);
    expectCheckPassed(report, "hierarchy");
  },
});

/** Deleting a data row fails row_count. */
export const catchesMissingRow = defineProperty({
  id: "naics.verify.catches-missing-row",
  title: "deleting one data row fails row_count",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ format: csv, rows: someRows }), row: fc.nat() }),
  predicate: async ({ recipe, row }) => {
    const report = await corruptAndVerify(recipe, (dir) => {
      const file = readCsv(dir, "naics.csv");
      file.rows.splice(row % recipe.rows, 1);
      writeCsv(dir, "naics.csv", file);
    });
    const c = expectCheckFailed(report, "row_count");
    expect(c.metrics).toMatchObject({ expected: recipe.rows, actual: recipe.rows - 1 });
  },
});

/** Multiplies the probability of truth row `r` by `factor`, leaving its logit alone. */
function scaleProbability(dir: string, pick: (truth: CsvText) => number, factor: number): { before: number; after: number } {
  const truth = readCsv(dir, "truth.csv");
  const col = columnIndex(truth, "probability");
  const cells = truth.rows[pick(truth)] as string[];
  const before = Number(cells[col]);
  const after = before * factor;
  cells[col] = String(after);
  writeCsv(dir, "truth.csv", truth);
  return { before, after };
}

function rowsAtLevel(truth: CsvText, level: number): number[] {
  const col = columnIndex(truth, "level");
  return truth.rows.flatMap((cells, r) => (cells[col] === String(level) ? [r] : []));
}

/**
 * Multiplying one leaf's probability by 1.5 in truth.csv (its logit left alone) fails
 * tree_reproducible: the file no longer is the tree the seed defines, by 50% of that probability.
 * It also fails probability_values (p is no longer sigmoid(logit)) whenever the change exceeds
 * that check's 1e-9 tolerance, and, in probability mode, mean_preservation whenever the parent's
 * children mean moves by more than 1e-9; logit-mode mean preservation is about logits and PASSES.
 */
export const catchesMovedLeafProbability = defineProperty({
  id: "naics.verify.catches-moved-leaf-probability",
  title: "a leaf probability times 1.5 in truth.csv fails tree_reproducible (and probability_values, mean_preservation where they apply)",
  arbitrary: fc.record({
    recipe: naicsRecipeArb({ format: csv, rows: rowsArb, branching: branchingArb({ minDepth: 2 }) }),
    leaf: fc.nat(),
  }),
  predicate: async ({ recipe, leaf }) => {
    const depth = recipe.branching.length;
    const k = recipe.branching[depth - 1] as number;
    let change = { before: 0, after: 0 };
    const report = await corruptAndVerify(recipe, (dir) => {
      change = scaleProbability(
        dir,
        (truth) => {
          const leaves = rowsAtLevel(truth, depth);
          return leaves[leaf % leaves.length] as number;
        },
        1.5,
      );
    });
    const moved = change.after - change.before;
    expectCheckFailed(report, "tree_reproducible");
    // Margins of 2x the checks' 1e-9 tolerance keep rounding of the unedited values out of play.
    if (moved > 2e-9 || change.after >= 1) expectCheckFailed(report, "probability_values");
    if (recipe.preserve === "probability" && moved / k > 2e-9) expectCheckFailed(report, "mean_preservation");
    if (recipe.preserve === "logit") expectCheckPassed(report, "mean_preservation");
    expectCheckPassed(report, "top_level_probabilities");
  },
});

/**
 * Setting a top-level probability 1.5x too high or too low fails top_level_probabilities (50% or
 * 33% off, against a 1% tolerance), tree_reproducible and probability_values (p is no longer
 * sigmoid(logit)); in probability mode with a level below, mean_preservation too.
 */
export const catchesWrongTopProbability = defineProperty({
  id: "naics.verify.catches-wrong-top-probability",
  title: "a top-level probability off by 1.5x fails top_level_probabilities, tree_reproducible, probability_values",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ format: csv }), top: fc.nat(), factor: fc.constantFrom(1.5, 1 / 1.5) }),
  predicate: async ({ recipe, top, factor }) => {
    const k0 = recipe.branching[0] as number;
    const report = await corruptAndVerify(recipe, (dir) => {
      scaleProbability(dir, (truth) => rowsAtLevel(truth, 1)[top % k0] as number, factor);
    });
    const c = expectCheckFailed(report, "top_level_probabilities");
    expect(c.violations.count).toBe(1);
    expectCheckFailed(report, "tree_reproducible");
    expectCheckFailed(report, "probability_values");
    if (recipe.branching.length > 1) {
      if (recipe.preserve === "probability") expectCheckFailed(report, "mean_preservation");
      else expectCheckPassed(report, "mean_preservation");
    }
  },
});

/**
 * Dropping any column of naics.csv (header and every row) fails columns. With rows, the damage
 * shows in the rows too: without a code column no row is a chain (hierarchy fails); without the
 * target column, the last field read as the target is a code (target_values fails).
 */
export const catchesDroppedColumn = defineProperty({
  id: "naics.verify.catches-dropped-column",
  title: "dropping a column of naics.csv fails columns, and hierarchy (a code) or target_values (the target) when there are rows",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ format: csv }), column: fc.nat() }),
  predicate: async ({ recipe, column }) => {
    const depth = recipe.branching.length;
    const c = column % (depth + 1);
    const report = await corruptAndVerify(recipe, (dir) => {
      const file = readCsv(dir, "naics.csv");
      for (const cells of [file.header, ...file.rows]) cells.splice(c, 1);
      writeCsv(dir, "naics.csv", file);
    });
    expectCheckFailed(report, "columns");
    if (recipe.rows > 0) expectCheckFailed(report, c === depth ? "target_values" : "hierarchy");
  },
});

/** Dropping any column of truth.csv fails truth_columns, which names it; verify reports, never throws. */
export const catchesDroppedTruthColumn = defineProperty({
  id: "naics.verify.catches-dropped-truth-column",
  title: "dropping a column of truth.csv fails truth_columns, naming the column",
  arbitrary: fc.record({ recipe: naicsRecipeArb({ format: csv }), column: fc.constantFrom(...TRUTH_COLUMNS) }),
  predicate: async ({ recipe, column }) => {
    const report = await corruptAndVerify(recipe, (dir) => {
      const truth = readCsv(dir, "truth.csv");
      const c = columnIndex(truth, column);
      for (const cells of [truth.header, ...truth.rows]) cells.splice(c, 1);
      writeCsv(dir, "truth.csv", truth);
    });
    const c = expectCheckFailed(report, "truth_columns");
    expect(c.violations.first).toEqual([{ column, problem: "missing" }]);
    expectCheckPassed(report, "columns");
  },
});

/** This file's properties, in test order. */
export const naicsVerifyProperties = [
  verifierPassesGenerated,
  catchesBrokenChain,
  catchesBadTarget,
  catchesMissingRow,
  catchesMovedLeafProbability,
  catchesWrongTopProbability,
  catchesDroppedColumn,
  catchesDroppedTruthColumn,
] as const;
