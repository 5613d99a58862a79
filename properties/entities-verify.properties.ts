/**
 * Properties of the entities verifier: on a small folder it agrees with generate's report (only
 * the pair-count minimums fail, by design, below `--dev` volumes, and the class balance of a split
 * too small for its target), and every break of
 * {@link BREAKS} makes its named checks FAIL and nothing that does not read what was damaged.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Report } from "../src/checks/result.js";
import { buildPairs, type SplitName } from "../src/scenarios/entities/pairs.js";
import { generateRecords } from "../src/scenarios/entities/records.js";
import { checkResult, withTempDir } from "./assertions.js";
import {
  BREAK_KINDS,
  BREAKS,
  bundledSchemas,
  corruptionArb,
  type EntitiesRecipe,
  entitiesRecipeArb,
  failedChecks,
  generateEntitiesInto,
  splitBalances,
  toEntitiesConfig,
  verifyEntitiesDir,
} from "./entities-support.js";
import { defineProperty } from "./harness.js";

/**
 * Recipes whose folders pass every gate but pair_counts. `blank` is held at 0.01 at most: a
 * positive pair whose record has email, phone and both names blank fails pair_evidence, and each
 * duplicate has all four blanked with probability rate^4, 1e-8 here (3e-3 per duplicate at a
 * rate of 0.23, 8e-7 at the default 0.03). With at most 135 duplicates a recipe, the baseline
 * falsely fails with probability 1.4e-6 per run, about 0.01 over a 10,000-run sweep.
 */
const gatePassingRecipeArb = entitiesRecipeArb({
  corruption: corruptionArb().map((c) => ({ ...c, blank: Math.min(c.blank ?? 0.01, 0.01) })),
});

/**
 * Asserts that each split the class_balance gate names is one too small for its target: every
 * cross-entity pair of its records is already a negative (see entities.pairs.balanced-or-exhausted).
 * That happens to about one recipe in 300 at these volumes (a split of 4 records, say).
 */
function expectOnlyExhaustedSplitsShort(recipe: EntitiesRecipe, report: Report): void {
  const cfg = toEntitiesConfig(recipe);
  const gen = generateRecords(cfg, bundledSchemas());
  const balances = splitBalances(cfg, gen, buildPairs(cfg, gen));
  for (const v of checkResult(report, "class_balance").violations.first) {
    const b = balances[v.split as SplitName];
    expect(b.negatives, `class_balance fails ${v.split}, which could have ${b.crossPairs} negatives`).toBe(b.crossPairs);
  }
}

/**
 * Breaking a folder on purpose makes the named checks FAIL. Before the break, verify's failed
 * checks equal generate's and are at most pair_counts (its minimums, 100 positives and 500 hard
 * negatives, are out of reach of 20-300 records a source without `--dev`) and class_balance on a
 * split too small for its target. After it, every check
 * the break must fail FAILS, and any other newly failing check is one that reads what was damaged
 * ({@link Break.mayFail}).
 */
export const catchesBreaks = defineProperty({
  id: "entities.verify.catches-breaks",
  title:
    "deleting a column, reusing an id, blanking a pair key, flipping a y, moving a record or pair, cutting a zip, editing a cell or a profile or confuser row fails its check",
  arbitrary: fc.record({ recipe: gatePassingRecipeArb, kind: fc.constantFrom(...BREAK_KINDS), pick: fc.nat() }),
  predicate: async ({ recipe, kind, pick }) => {
    await withTempDir(async (dir) => {
      const generated = await generateEntitiesInto(recipe, dir);
      const before = failedChecks(generated.report);
      expect(failedChecks(await verifyEntitiesDir(dir))).toEqual(before);
      expect(before.filter((c) => c !== "pair_counts" && c !== "class_balance")).toEqual([]);
      if (before.includes("class_balance")) expectOnlyExhaustedSplitsShort(recipe, generated.report);
      const brk = BREAKS[kind];
      const what = await brk.apply(dir, pick);
      fc.pre(what !== null);
      const after = failedChecks(await verifyEntitiesDir(dir));
      const context = `${what}: failed ${after.join(", ")}`;
      // Every break edits a file the manifest lists, so its SHA-256 no longer matches.
      for (const c of [...brk.mustFail, "file_integrity"]) expect(after, context).toContain(c);
      const unexpected = after.filter(
        (c) => !before.includes(c) && !brk.mustFail.includes(c) && !brk.mayFail.includes(c) && c !== "file_integrity",
      );
      expect(unexpected, context).toEqual([]);
    });
  },
});

/** This file's properties, in test order. */
export const entitiesVerifyProperties = [catchesBreaks] as const;
